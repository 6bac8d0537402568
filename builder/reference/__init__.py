"""Reference data shipped with the builder (see `builder/data/`): the national nomenclatures
(levels, access routes, départements, ROME domains) and the gazetteer that places towns offline."""
