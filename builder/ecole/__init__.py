"""What stands behind the site: the school's pages (the legal notice and the accessibility
statement, from site.yaml). The school's name and logo in the header, and the print header of
every page, are in templates/base.html."""
