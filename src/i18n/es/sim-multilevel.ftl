# vmlab sim multilevel: el recorrido de una tabla de páginas multinivel a partir de un volcado de memoria.

multilevel-shape = Páginas de { $page } bytes; memoria física de { $physmem } bytes = { $frames } marcos; espacio de direcciones de { $asize } bytes ({ $va_bits } bits); una tabla de páginas de { $levels } niveles, cada tabla en una página.
multilevel-entry = Las entradas ocupan { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes (el byte más significativo primero)
    }: el bit más alto ({ $valid_bit }) es el bit de validez, los { $pfn_bits } bits bajos son el PFN.
multilevel-layout = Una dirección virtual, desde su bit más alto:
multilevel-layout-index = índice { $index } ({ $table }): bits { $high }-{ $low }
multilevel-layout-offset = desplazamiento: bits { $high }-0
multilevel-table-directory = directorio de páginas
multilevel-table-middle = directorio intermedio
multilevel-table-page-table = tabla de páginas
multilevel-pdbr = PDBR (el marco del directorio de páginas): { $pdbr } ({ $pdbr_hex })
multilevel-dump-both = Memoria física, { $frames } páginas de { $page } bytes, en hex: { $rows ->
        [one] una fila por página, tras su número (en decimal y en hex).
       *[other] { $per_row } bytes por fila; una página empieza en la fila con su número (en decimal y en hex), y sus otras filas muestran su desplazamiento en la página (+0x10: del byte 16 en adelante).
    }
multilevel-dump-hex = Memoria física, { $frames } páginas de { $page } bytes, en hex: { $rows ->
        [one] una fila por página, tras su número (en hex).
       *[other] { $per_row } bytes por fila; una página empieza en la fila con su número (en hex), y sus otras filas muestran su desplazamiento en la página (+0x10: del byte 16 en adelante).
    }
multilevel-task = Recorre las tablas para cada dirección virtual (DV): las preguntas 1 a { $count } piden la dirección física (DF) (o 'fallo'), las preguntas { $first } a { $last } el byte que se lee allí (o 'fallo'); las tres últimas, el espacio que ocupan las tablas.
multilevel-task-tables = Calcula el espacio que ocupan las tablas.
multilevel-question-pa = DV { $va }: ¿dirección física, o fallo?
multilevel-question-byte = DV { $va } (pregunta { $id }): ¿el byte que se lee (en hex), o fallo?
multilevel-question-table-pages = ¿Cuántas páginas ocupan las tablas de páginas (contando el directorio)?
multilevel-question-linear = ¿Cuántos bytes ocuparía una tabla de páginas lineal para este espacio de direcciones (entradas de { $entry } bytes)?
multilevel-question-saved = ¿Cuántos bytes ahorra la tabla multinivel frente a ella (negativo si cuesta más)?

multilevel-split = División: { $offset_bits } bits de desplazamiento (páginas de { $page }); cada tabla es una página de { $page } / { $entry } = { $entries } entradas, así que { $index_bits } bits de índice por nivel; el nivel de arriba toma los { $top_bits } bits restantes de los { $vpn_bits } del VPN.
multilevel-entry-address = La entrada de índice i de la tabla del marco F está en el byte F × { $page } + i × { $entry }.
multilevel-walk-index = índice { $name } { $index }
multilevel-walk-head = DV { $va }: { $indices }, desplazamiento { $offset }.
multilevel-walk-valid = { $table } en la página { $page } ({ $page_hex }): { $entry } en { $addr } = { $value }: válida, PFN { $pfn }: { $next }
multilevel-walk-invalid = { $table } en la página { $page } ({ $page_hex }): { $entry } en { $addr } = { $value }: bit de validez 0 → fallo (no hay nada mapeado ahí; los demás bits no importan)
multilevel-next-middle = el directorio intermedio está en la página { $page } ({ $page_hex })
multilevel-next-page-table = la tabla de páginas está en la página { $page } ({ $page_hex })
multilevel-next-data = los datos están en el marco { $page } ({ $page_hex })
multilevel-walk-pa = DF = { $pfn } × { $page } + { $offset } = { $pa }; el byte de ahí (pregunta { $id }) es { $value }
multilevel-step-byte = DF { $pa } (pregunta { $id }): la página { $page }, desplazamiento { $offset }, guarda { $value }.
multilevel-step-byte-fault = La DV { $va } falla (pregunta { $id }): no se lee ningún byte.
multilevel-step-tables = Siguiendo cada entrada válida desde el PDBR se encuentran { $count ->
        [one] 1 página de tablas (el marco { $frames })
       *[other] { $count } páginas de tablas (los marcos { $frames }, el directorio primero)
    }: { $count } × { $page } = { $bytes } bytes.
multilevel-step-linear = Una tabla lineal necesita una entrada por cada una de las 2^{ $vpn_bits } = { $vpages } páginas virtuales, se usen o no: { $vpages } × { $entry } = { $bytes } bytes.
multilevel-step-saved = Ahorro: { $linear } - { $multilevel } = { $saved } bytes: se usan { $mapped } de { $vpages } páginas virtuales, y las regiones sin usar no cuestan ninguna tabla de nivel inferior.
multilevel-step-saved-negative = Ahorro: { $linear } - { $multilevel } = { $saved } bytes: aquí la tabla multinivel cuesta más, como pasa cuando el espacio de direcciones se usa de forma densa (el directorio es un gasto extra).

multilevel-error-pagesize = { $page } bytes: con páginas de 8 a 4096 bytes el volcado se puede imprimir
multilevel-error-levels = { $levels }: este simulador recorre 2 o 3 niveles
multilevel-error-physmem-multiple = { $physmem } no es un múltiplo (distinto de cero) del tamaño de página { $page }
multilevel-error-physmem-large = { $physmem } bytes es un volcado demasiado grande para imprimirlo (como mucho { $max })
multilevel-error-one-frame = una sola página de memoria no alcanza para una tabla y datos a la vez
multilevel-error-entries = una página de { $page } bytes guarda menos de dos entradas de { $bytes } bytes
multilevel-error-asize-small = { $asize } bytes ({ $va_bits } bits de dirección) no deja bits para el nivel de arriba: { $offset_bits } bits de desplazamiento y { $index_bits } bits por cada nivel inferior ya ocupan { $below }; usa menos --levels o un --asize mayor
multilevel-error-asize-large = { $asize } bytes necesita { $va_bits } bits de dirección, pero { $levels } niveles de índices de { $index_bits } bits (una tabla por página de { $entries } entradas) y { $offset_bits } bits de desplazamiento mapean como mucho { $full } (--asize { $max }); usa más --levels o un --pagesize mayor
multilevel-error-allocated = { $allocated } páginas no caben en un espacio de direcciones de { $vpages } páginas
multilevel-error-out-of-memory = { $allocated } páginas y sus tablas necesitan más que los { $frames } marcos de la memoria física; baja --allocated o sube --physmem

## --real
multilevel-real-machine = Esta máquina: páginas de { $page } bytes, { $levels } niveles de tablas de 512 entradas ({ $names }), entradas de 8 bytes, 9 bits de índice por nivel. Tres direcciones del propio vmlab:
multilevel-real-code = código (esta función)
multilevel-real-heap = heap (un Box)
multilevel-real-stack = stack (una variable local)
multilevel-real-col-level = nivel
multilevel-real-col-bits = bits
multilevel-real-col-code = código
multilevel-real-col-heap = heap
multilevel-real-col-stack = stack
multilevel-real-offset = desplazamiento
multilevel-real-vmpte = VmPTE (la memoria de las tablas de páginas de este proceso, medida): { $kib } KiB = { $pages } páginas de tablas de { $page } bytes (las tablas simuladas de arriba son páginas de { $simulated } bytes).
multilevel-real-grown = Tocando una página en cada uno de { $spans } tramos nuevos de 2 MiB: la regla del simulador predice { $spans } tablas de páginas nuevas (una por tramo) y como mucho 2 directorios por encima donde falten; medido: VmPTE creció { $kib } KiB = { $pages } páginas de tablas.
multilevel-real-failed = No se pudo medir en esta máquina: { $error }
multilevel-real-flat = Una tabla lineal para el mismo espacio de direcciones de usuario de { $bits } bits ocuparía 2^{ $log2 } entradas × { $pte } bytes = { $gib } GiB, se use o no (calculado, no medido).
