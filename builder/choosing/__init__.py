"""Helping a student choose (issue 23): a fiche's results drawn as a chart, related
certifications, and the helpers that show a fiche's lineage and the equivalences declared with
it (the lineage itself is content: builder/content/lignee.py)."""
