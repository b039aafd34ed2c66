# vm-hugepages

hugepages-summary = páginas enormes transparentes: un marco de 2 MiB, un fallo, un nivel menos
