"""Stage 3, writing and publishing: a staging folder beside the live site, written only where
bytes changed (`write.py`), the record of the last build (`manifest.py`), and the object that
takes a build from its first file to the commit (`publish.py`)."""
