# vmlab ostep paging-linear-translate.py

ostep-paging-linear-about = paging-linear-translate.py: una tabla de páginas lineal. Traduzca cada dirección virtual con la tabla (VPN = dirección / tamaño de página; el bit más alto de la entrada dice si es válida, el resto es el número de marco) o diga que es inválida.
ostep-paging-linear-opt-pagesize = tamaño de página (p. ej. 4k, 8k)
ostep-paging-linear-opt-used = porcentaje del espacio de direcciones virtual en uso
ostep-paging-linear-opt-verbose = modo detallado: imprime el VPN junto a cada entrada de la tabla de páginas
ostep-paging-linear-bad-pagesize = -P { $value }: el tamaño de página debe ser positivo (el script falla con un error de Python)
ostep-paging-linear-outside = esta dirección está más allá del final del espacio de direcciones ({ $asize } bytes): no hay entrada de la tabla de páginas para ella, y el acceso falla. El script se cae aquí (IndexError).
ostep-paging-linear-aliased = esta dirección está más allá del final del espacio de direcciones ({ $asize } bytes): no hay entrada de la tabla de páginas para ella, y el acceso falla. El script conserva solo 32 bits del VPN y responde con la entrada del VPN { $vpn }.
