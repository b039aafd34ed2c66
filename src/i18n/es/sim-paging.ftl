# vmlab sim paging: una tabla de páginas lineal.

paging-sizes = Espacio de direcciones de { $asize } bytes ({ $asize_human }), memoria física de { $physmem } bytes ({ $physmem_human }), páginas de { $page } bytes ({ $page_human }).
paging-entry-format = Las entradas de la tabla de páginas ocupan { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    }: el bit más alto ({ $valid_bit }) es el bit de validez, los bits bajos son el PFN.
paging-table = Tabla de páginas (lineal, { $entries } entradas, VPN de 0 a { $last }):
paging-task = Traduce cada dirección virtual (DV) a una dirección física (DF), o escribe 'fallo' si su página no es válida; después, calcula el tamaño de la tabla.
paging-question-va = DV { $va } (decimal { $decimal }): ¿dirección física, o fallo?
paging-question-offset-bits = ¿Cuántos bits de una dirección virtual son el desplazamiento?
paging-question-vpn-bits = ¿Cuántos bits de una dirección virtual son el VPN?
paging-question-entries = ¿Cuántas entradas tiene la tabla de páginas lineal?
paging-question-bytes = ¿Cuántos bytes ocupa la tabla de páginas (entradas de { $bytes } bytes)?

paging-rule = Cada dirección: VPN = DV >> { $shift } (DV / tamaño de página), desplazamiento = DV & { $mask }; se lee la entrada [VPN]; si su bit de validez es 0 el acceso falla, si no DF = PFN × tamaño de página + desplazamiento.
paging-step-split = DV { $va }: VPN = { $va } >> { $shift } = { $vpn }, desplazamiento { $offset };
paging-step-valid = entrada [{ $vpn }] = { $entry }: bit de validez 1, PFN { $pfn } ({ $pfn_decimal }); DF = { $pfn } × { $page } + { $offset } = { $pa } (decimal { $pa_decimal }).
paging-step-fault = entrada [{ $vpn }] = { $entry }: bit de validez 0 → fallo (la página no está mapeada; el SO lanza una violación de segmento).
paging-step-offset-bits = El desplazamiento elige un byte dentro de la página: tamaño de página { $page } = 2^{ $bits }, así que { $bits } bits de desplazamiento (máscara { $mask }).
paging-step-vpn-bits = Una dirección virtual tiene log2({ $asize }) = { $va_bits } bits; el VPN es el resto: { $va_bits } - { $offset_bits } = { $vpn_bits } bits.
paging-step-entries = Una tabla lineal tiene una entrada por página virtual: 2^{ $vpn_bits } = { $entries } entradas.
paging-step-bytes = { $entries } entradas × { $bytes } bytes = { $total } bytes.
paging-share = { $valid } de estas { $total } direcciones son válidas. Sorteadas de manera uniforme en el espacio de direcciones, la proporción esperada es la de páginas válidas: { $valid_pages } de { $pages } = { $expected }.
paging-waste = La tabla ocupa { $bytes } bytes sin importar qué páginas son válidas: también tiene una entrada por cada página no válida. Ese desperdicio es lo que evitan las tablas multinivel (vmlab sim multilevel).

paging-error-asize-page = { $asize } bytes es menos que una página de { $page }
paging-error-physmem-multiple = { $physmem } no es un múltiplo (distinto de cero) del tamaño de página { $page }
paging-error-asize-physmem = el espacio de direcciones ({ $asize } bytes) es mayor que la memoria física ({ $physmem } bytes): en este simulador cada página válida tiene su propio marco y no hay swap; sube --physmem o baja --asize
paging-error-pte-size = { $size } no es 1, 2, 4 ni 8 bytes
paging-error-entries = la tabla tendría { $entries } entradas que imprimir (como mucho { $max }); usa un --pagesize mayor o un --asize menor
paging-error-pte-pfn = una entrada de { $size } bytes guarda un PFN de { $bits } bits, demasiado pequeño para { $frames } marcos; sube --pte-size o baja --physmem

## --real
paging-real-buffer = Un búfer del propio vmlab: { $pages } páginas de { $page } bytes en { $addr }; las páginas 0 y 2 escritas, las 1 y 3 nunca tocadas. Cada fila: una dirección dentro de él, dividida con la regla del simulador, y la entrada de la tabla de páginas del kernel para ella (/proc/self/pagemap); DF = PFN × tamaño de página + desplazamiento:
paging-real-col-page = página
paging-real-col-va = DV
paging-real-col-vpn = VPN
paging-real-col-offset = desplazamiento
paging-real-col-pfn = PFN
paging-real-col-pa = DF
paging-real-pfn-hidden = oculto
paging-real-pfn-none = ninguno
paging-real-absent = PFN ninguno: la página aún no tiene marco; un acceso fallaría, y entonces el kernel le daría uno (paginación por demanda).
paging-real-hidden = El kernel oculta los números de marco a los procesos sin CAP_SYS_ADMIN; ejecuta con sudo para verlos (vmlab nunca imprime un 0 falso).
paging-real-failed = No se pudo medir en esta máquina: { $error }
paging-real-flat = Lo que costaría aquí una tabla lineal (calculado con el tamaño de página y el ancho de dirección de esta máquina, no medido): el espacio de usuario son 2^{ $bits } bytes en páginas de { $page } bytes, así que una entrada de { $pte } bytes por página da 2^{ $log2 } = { $entries } entradas, { $gib } GiB para cada proceso. Por eso x86-64 recorre una tabla de { $levels } niveles (vmlab sim multilevel --real).
