# vm-hugepages

hugepages-summary = transparent huge pages: one 2 MiB frame, one fault, one level fewer
