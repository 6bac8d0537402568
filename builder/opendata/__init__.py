"""Open data and sharing: each fiche as JSON and the catalogue as CSV (`donnees.py`), the feed of
changes (`flux.py`), schema.org data (`schemaorg.py`), previews of shared links (`apercus.py`),
and what they add to the site (`pages.py`)."""
