"""Helping a student choose: results drawn as charts (and, with the next steps of issue 23, the
comparison page and pathways both ways)."""
