"""Stage 1, reading and checking the content: YAML read with the position of every value, the
fiche model and its value types, the checks of one fiche and of the catalogue, the site
settings, where each place is, the taxonomies, and the cache of checked fiches."""
