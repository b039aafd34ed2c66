# vmlab sim relocate: base y límite.

relocate-sizes = Espacio de direcciones de { $asize } bytes ({ $asize_human }), memoria física de { $physmem } bytes ({ $physmem_human }).
relocate-registers = Registros base y límite:
relocate-col-register = registro
relocate-col-hex = hex
relocate-col-decimal = decimal
relocate-reg-base = base
relocate-reg-bounds = límite
relocate-limit-note = (relocation.py llama limit al límite, bounds)
relocate-task = Traduce cada dirección virtual (DV) a una dirección física (DF), o escribe 'fallo' si es una violación de segmento.
relocate-question = DV { $va } (decimal { $decimal }): ¿dirección física, o fallo?

relocate-rule-valid = La regla: una DV es válida si DV < límite = { $bounds } ({ $bounds_hex }), así que las direcciones virtuales válidas van de 0 a { $last } ({ $last_hex }).
relocate-rule-none = La regla: una DV es válida si DV < límite; el límite es 0, así que ninguna dirección es válida y todo acceso falla.
relocate-rule-map = Una DV válida se traduce a DF = base + DV = { $base } + DV; las direcciones físicas usadas van de { $base } a { $last }.
relocate-step-valid = DV { $va } ({ $decimal }) < límite { $bounds }: válida. DF = { $base } + { $va } = { $pa } (decimal { $pa_decimal })
relocate-step-fault = DV { $va } ({ $decimal }) ≥ límite { $bounds }: VIOLACIÓN DE SEGMENTO. La MMU lanza una excepción antes de acceder a memoria; el SO mataría el proceso.
relocate-share = { $valid } de estas { $total } direcciones son válidas. Sorteadas de manera uniforme en el espacio de direcciones, la proporción esperada es límite / tamaño del espacio = { $expected }.
relocate-compare = Dónde se aplica DF = base + DV, y dónde la reemplaza la paginación:
relocate-compare-bb = base y límite: un solo par (base, límite) para todo el espacio de direcciones, así que el hueco sin usar entre heap y stack también ocupa memoria física;
relocate-compare-segment = segmentación (vmlab sim segment): la misma fórmula una vez por segmento; los bits altos de la DV eligen el par (el desplazamiento del stack se cuenta hacia abajo);
relocate-compare-paging = paginación (vmlab sim paging): no hay una base única; DF = marco(DV / tamaño de página) × tamaño de página + DV mod tamaño de página, una entrada de la tabla de páginas por página. Linux en x86-64 traduce solo con paginación.

relocate-error-asize-physmem = el espacio de direcciones ({ $asize } bytes) es mayor que la memoria física ({ $physmem } bytes): base y límite pone todo el espacio de direcciones en un solo trozo de memoria física, así que tiene que caber
relocate-error-bounds = el límite { $bounds } es mayor que el espacio de direcciones ({ $asize } bytes)
relocate-error-base = base { $base } + límite { $bounds } termina más allá de la memoria física ({ $physmem } bytes): el espacio de direcciones tiene que caber

## --real
relocate-real-no-bb = x86-64 en modo de 64 bits toma como 0 las bases de CS, DS, ES y SS y no comprueba ningún límite: no hay traducción con base y límite, solo paginación.
relocate-real-fs = Sobrevive un registro base: FS. Las variables locales de cada hilo se direccionan como base de FS + desplazamiento, sin comprobar ningún límite:
relocate-real-col-what = medido
relocate-real-col-address = dirección
relocate-real-fs-base = base de FS del hilo principal de vmlab (arch_prctl ARCH_GET_FS)
relocate-real-tls = una variable local de hilo de vmlab
relocate-real-offset = La variable está en base de FS { $sign } { $offset }: el desplazamiento que el compilador puso en la instrucción; la base es distinta en cada hilo.
relocate-real-unreadable = (no se pudo leer la base de FS en esta máquina)
relocate-real-virtual = Esas dos direcciones son virtuales: la paginación las traduce después. Mira todo el espacio de direcciones con `vmlab demo segments`, y una traducción real con `vmlab sim paging --real`.
