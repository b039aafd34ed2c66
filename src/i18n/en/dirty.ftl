# vm-dirty

dirty-summary = the dirty and accessed bits of a page-table entry, as Linux shows them
