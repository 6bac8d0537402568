"""Tools for editors: `catalogue new`'s skeleton (`scaffold.py`) and the field reference of the
French guide (`guide.py`), both made from the model."""
