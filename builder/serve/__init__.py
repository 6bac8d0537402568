"""`catalogue serve`: the local server with live reload (`server.py`), and what a long-lived process
keeps between rebuilds to remake a few edited fiches quickly (`session.py`)."""
