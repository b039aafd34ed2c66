# vm-pagetable-cost

pagetable-cost-summary = el espacio que cuestan las tablas de páginas: denso contra disperso, y por qué hay niveles
