# vm-tlb

tlb-summary = la TLB, medida: tiempo por acceso según las páginas tocadas, y dónde salta
