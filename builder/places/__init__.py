"""Places, bodies and maps: a fiche's places grouped by région and département, its habilitated
bodies, maps drawn as SVG and the GeoJSON of every place; what they add to the site (`pages.py`)."""
