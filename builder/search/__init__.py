"""Search: each fiche's filters (`filtres.py`), the Pagefind index in parts (`index.py`), the files
of search near me (`proximite.py`), and the search page (`pages.py`)."""
