# El inspector: vmlab maps, pages, translate, frames, cache, flags.

error-zombie = el proceso { $pid } es un zombi: terminó y su padre todavía no lo recogió, así que no le queda memoria que mostrar
error-pid-reused = el proceso { $pid } terminó y su PID ahora es de otro proceso; vmlab se detuvo en lugar de mostrar la memoria del nuevo con el nombre del anterior

pages-read-scan = { $regions ->
    [one] 1 región leída
   *[other] { $regions } regiones leídas
} con PAGEMAP_SCAN: entradas de pagemap solo donde el kernel informa páginas pobladas
pages-read-pread = { $regions ->
    [one] 1 región leída
   *[other] { $regions } regiones leídas
} con pread: cada entrada de pagemap
pages-read-nothing = no se leyó nada: ninguna región en el rango

pages-summary-states = { $pages ->
    [one] 1 página
   *[other] { $pages } páginas
}: { $present } presentes, { $swapped } en swap, { $absent } ausentes; { $unmapped } sin mapear
pages-summary-present = presentes: { $exclusive } exclusivas, { $shared } compartidas, { $zero } en la página de ceros, { $thp } THP, { $folio } de folio grande, { $hugetlb } hugetlb, { $mapped } mapeadas enormes, { $dirty } soft-dirty
pages-summary-moved = { $moved ->
    [one] 1 página cambió
   *[other] { $moved } páginas cambiaron
} mientras vmlab las leía (el proceso siguió corriendo): su marco se leyó de nuevo; --freeze detiene el proceso para una imagen quieta
pages-by-map-count = páginas presentes por contador de mapeos (contador: páginas): { $list }
pages-by-map-count-hidden = páginas presentes por contador de mapeos: ? (requiere root)
pages-by-map-count-not-read = páginas presentes por contador de mapeos: no leídas (--map-counts las lee: una lectura más por cada página compartida)

flags-table-title = Páginas por combinación de banderas (la tabla de tools/mm/page-types; bits compuestos solo para hugetlb, bits internos del kernel ocultos; --raw los muestra):
flags-table-title-raw = Páginas por combinación de banderas, en crudo (page-types -r: todos los bits, los sobrecargados decodificados, los bits de pagemap agregados):
flags-col-word = BANDERAS
flags-col-pages = PÁGINAS
flags-col-mb = MB
flags-col-symbolic = SÍMBOLOS
flags-col-names = NOMBRES
flags-total = total
flags-unknown-name = '{ $name }' en '{ $expr }' no es un nombre de bandera; los nombres son: { $known } (o los nombres en mayúsculas de vmlab, `compound`, o un número)
flags-needs-root = --flags elige páginas por las banderas de su marco, que vienen de /proc/kpageflags: solo root puede leerlo (y solo root ve los números de marco para buscarlas); ejecuta vmlab con sudo

frames-needs-root = vmlab frames lee /proc/kpageflags y /proc/kpagecount, que solo root puede leer (los números de marco de cualquier proceso, las banderas de cada marco); ejecútalo con sudo
frames-range-empty = el rango no contiene ningún marco: su fin debe estar por encima de su inicio
frames-range-too-large = el rango termina más allá del mayor número de marco posible
frames-range-past-end = la máquina no tiene ningún marco ahí: su último marco está por debajo de este número
frames-col-pfn = PFN
frames-col-frames = MARCOS
frames-col-maps = MAPEOS
frames-col-flags = BANDERAS
frames-total = { $frames ->
    [one] 1 marco
   *[other] { $frames } marcos
} ({ $size }) leídos, PFN { $start } hasta { $end }
frames-by-map-count = marcos por contador de mapeos (contador: marcos): { $list }

flagdoc-kpageflags = /proc/kpageflags: una palabra por marco (bits 0-26 ABI del kernel; del 32 en adelante internos del kernel, los muestra --raw)
flagdoc-raw = la vista en crudo de page-types (--raw, page-types -r): bits sobrecargados decodificados, bits de pagemap agregados
flagdoc-pagemap = /proc/PID/pagemap: una entrada por página virtual
flagdoc-when = cuándo: { $text }
flagdoc-unknown = ningún bit se llama '{ $name }'; los nombres son: { $known }

cache-file = { $path }: { $cached } de { $pages ->
    [one] 1 página
   *[other] { $pages } páginas
} en caché ({ $size })
cache-file-counts-only = { $path }: { $cached } de { $pages } páginas en caché (la cuenta de cachestat; cuáles, el kernel lo dice solo al dueño del archivo, a quien puede escribirlo y a root)
cache-file-unknown = { $path }: el kernel dice qué páginas de un archivo están en caché (mincore, cachestat) solo a su dueño, a quien puede escribirlo y a root; ejecuta con sudo para verlas
cache-file-error = { $path }: no se puede leer: { $error }
cache-file-stat = del archivo: { $dirty } modificadas, { $writeback } escribiéndose, { $evicted } desalojadas desde que se abrió
cache-hidden = oculto
cache-total = { $files ->
    [one] 1 archivo
   *[other] { $files } archivos
}: { $cached } de { $pages } páginas en caché ({ $size })
cache-own-mapping = vmlab mapea cada archivo para hallar sus marcos: los contadores de mapeos no cuentan ese mapeo, y MMAP aparece en cada marco que leyó
cache-frames-hidden = marcos, contadores de mapeos y banderas están ocultos: el kernel muestra los números de marco solo a root; ejecuta con sudo para verlos
cache-col-index = PÁGINA

freeze-self = vmlab no puede detenerse a sí mismo: nunca se reanudaría; --freeze es para otros procesos
freeze-did-not-stop = el proceso { $pid } no se detuvo en los 2 segundos siguientes a SIGSTOP; se lo reanudó

verify-intro = El RSS, el PSS y el swap de cada región según smaps (las sumas del propio kernel) frente a las mismas sumas sobre sus páginas, desde pagemap y kpagecount, del proceso { $pid } ({ $command }). Se muestran las regiones que difieren o que tienen páginas que smaps cuenta aparte.
verify-numbers = RSS smaps { $smaps_rss }, páginas { $rss }; PSS smaps { $smaps_pss }, páginas { $pss }; swap smaps { $smaps_swap }, páginas { $swap }
verify-because = porque: { $text }
verify-why-zero-page = algunas páginas mapean la página de ceros compartida: pagemap las muestra presentes, smaps las deja fuera del RSS (no es una página de este proceso), así que vmlab también
verify-why-hugetlb = páginas de hugetlb: smaps las cuenta aparte (Private_Hugetlb, Shared_Hugetlb), no en el RSS ni el PSS
verify-why-changed = el proceso siguió corriendo entre la lectura de smaps y la de sus páginas (se tocaron, copiaron o liberaron páginas); --freeze lo detiene para un momento quieto
verify-why-unexplained = el proceso estaba detenido y aun así las sumas difieren: un kernel que cuenta distinto (folios grandes, cuyo contador de mapeos puede promediar, o páginas de KSM)
verify-why-hidden = sin root vmlab no puede distinguir páginas de ceros, páginas de hugetlb ni contadores de mapeos; ejecuta con sudo
verify-total = { $regions } regiones revisadas: { $differ } difieren de smaps, { $shown } mostradas
verify-pss-is = PSS (tamaño proporcional del conjunto residente): el tamaño de cada página dividido por la cantidad de entradas de tablas de páginas que la mapean (su contador de mapeos), sumado: una página compartida por 4 procesos suma un cuarto de página a cada uno. La suma sobre todos los procesos es la RAM que usan.
verify-pss-hidden = no se revisó el PSS: requiere el contador de mapeos de cada marco, de /proc/kpagecount, que solo root puede leer; ejecuta con sudo

## vmlab maps: el título, los encabezados, los totales y la leyenda de la tabla.
maps-title = proceso { $pid } ({ $command })
maps-col-start = INICIO
maps-col-end = FIN
maps-col-size = TAMAÑO
maps-col-perms = PERMISOS
maps-col-kind = TIPO
maps-col-rss = RSS
maps-col-pss = PSS
maps-col-swap = SWAP
maps-col-backing = RESPALDO
maps-total-regions = { $count ->
    [one] 1 región
   *[other] { $count } regiones
}
maps-total = total
maps-kinds = tipos: { $list }
maps-columns-note = RSS: en RAM; PSS: en RAM, con las páginas compartidas repartidas entre quienes las usan; TAMAÑO: virtual
region-anonymous = (anónima)

## Qué contiene cada tipo de región, para la leyenda de vmlab maps.
kind-text = código del programa
kind-rodata = constantes del programa
kind-data = globales inicializadas
kind-bss = globales en cero
kind-heap = heap de brk
kind-stack = pila principal
kind-thread-stack = pila de un hilo o de señales
kind-lib-text = código de biblioteca
kind-lib-data = datos de biblioteca
kind-file = archivo mapeado
kind-shm = memoria compartida
kind-anon = mmap anónimo
kind-guard = hueco sin acceso
kind-vdso = código del kernel para llamadas al sistema rápidas
kind-vvar = datos del kernel para el vdso
kind-vsyscall = página fija heredada de llamadas al sistema
kind-other = otra área con nombre del kernel

## vmlab pages: los encabezados y las celdas de las filas, regiones y huecos.
pages-col-va = DIR. VIRTUAL
pages-col-vpn = VPN
pages-col-pages = PÁGINAS
pages-col-state = ESTADO
pages-col-pfn = MARCO
pages-col-pa = DIR. FÍSICA
pages-col-maps = MAPEOS
pages-col-excl = EXCL
pages-col-sdirty = SDIRTY
pages-col-flags = BANDERAS
page-present = presente
pages-region = { $region } ({ $pages }, { $size })
pages-gap = { $start }-{ $end } sin mapear: ninguna región ({ $pages }); un acceso aquí falla con SEGV_MAPERR
pages-above-user-space = { $name } en { $addr } está por encima del espacio de usuario: el kernel lo emula y pagemap no tiene entradas para él

## vmlab translate: la traducción de una dirección, paso a paso.
translation-title = traducir { $va } en el proceso { $pid } ({ $command })
translation-step-region = región
translation-step-split = división
translation-step-walk = recorrido
translation-step-pte = PTE
translation-step-frame = marco
translation-step-physical = física
translation-step-frame-info = datos del marco
translation-no-region = ninguna: ningún mapeo contiene esta dirección, así que un acceso falla (SIGSEGV, SEGV_MAPERR)
translation-split = tamaño de página { $size } = 2^{ $bits }, así que los { $bits } bits bajos son el desplazamiento
translation-split-parts = dirección virtual { $va } = VPN { $vpn } | desplazamiento { $offset }
translation-walk-bits = índices tomados de los bits { $bits } de la dirección virtual; 9 bits cada uno: 512 entradas de 8 bytes llenan una página de tabla
translation-outside-pagemap = pagemap no tiene entrada para esta dirección (está fuera de las tablas de páginas de usuario)
translation-no-entry = sin entrada: el recorrido encontraría una entrada inválida en algún nivel
translation-pte = entrada de pagemap { $raw }: { $bits }
translation-swapped = ninguno: la página está en el dispositivo de swap { $device }, en la posición { $slot }; un acceso provoca un fallo de página y el kernel la vuelve a leer
translation-not-present = ninguno todavía: la página está mapeada pero no presente; el primer acceso provoca un fallo de página y el kernel le da un marco (paginación por demanda)
translation-pfn-hidden = oculto: el kernel muestra los números de marco solo con CAP_SYS_ADMIN; ejecuta con sudo para ver el marco y la dirección física
translation-pfn = marco (PFN) { $pfn }
translation-physical = dirección física = marco × { $page } + desplazamiento = { $pfn } × { $page_hex } + { $offset } = { $pa }
translation-map-count = contador de mapeos { $count } (entradas de tablas de páginas que mapean este marco)
translation-map-count-unknown = contador de mapeos desconocido (no se puede leer /proc/kpagecount)
translation-flags = banderas { $flags }
translation-flags-unknown = banderas desconocidas (no se puede leer /proc/kpageflags)
translation-zero-page = la página cero compartida: la memoria que se leyó pero nunca se escribió mapea este único marco; el kernel no lleva contador de mapeos para él (de ahí el 0); la primera escritura le da a la página un marco propio
translation-thp = parte de una página enorme transparente: donde una entrada del PD la mapea entera, el recorrido se detiene en el PD y los 21 bits bajos son el desplazamiento

## Lo que el kernel le oculta a este usuario (se dice una vez, en stderr).
privilege-pfns-hidden = el kernel oculta los números de marco (PFN)
privilege-kpage-missing = este kernel no tiene /proc/kpagecount o /proc/kpageflags
privilege-kpage-root-only = no se pueden leer los contadores de mapeos ni las banderas de los marcos (/proc/kpage* solo lo lee root)
privilege-even-with-cap = incluso con CAP_SYS_ADMIN
privilege-without-cap = porque vmlab se ejecuta sin CAP_SYS_ADMIN; ejecútalo con sudo para verlos
privilege-notice = { $hidden } { $why }.

