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
