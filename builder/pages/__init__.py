"""Stage 2, planning and rendering pages: what a page is (`page.py`), the catalogue's own page
kinds (`plan.py`), their addresses (`urls.py`), what each depends on (`dependencies.py`),
Markdown and French formatting (`text.py`), and Jinja (`render.py`)."""
