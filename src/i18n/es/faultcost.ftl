# vm-faultcost

faultcost-summary = lo que cuesta un fallo de página, frente a un acceso a una página presente
faultcost-title = lo que cuesta un fallo de página
faultcost-about = Un fallo de página (el primer acceso a una página nueva) cuesta el trabajo del kernel: una trampa, asignar un marco y llenarlo de ceros: varios órdenes de magnitud más que un acceso a una página presente. MAP_POPULATE paga ese costo por adelantado, sin trampas; una página enorme lo paga una sola vez por 512 páginas; un fallo mayor suma además una lectura del almacenamiento.

## Pasos.
faultcost-step-thp = Configuración de THP: { $settings }. La región MADV_HUGEPAGE recibió una página enorme en { $given } de { $runs } ejecuciones; mientras tanto, los contadores de fallos THP de toda la máquina (/proc/vmstat) registraron { $fallbacks } retrocesos a páginas de 4 KiB (un retroceso es un fallo de página enorme que no encontró ningún marco libre de { $size }).
faultcost-step-table = Cada tiempo es la mediana de { $runs } ejecuciones (los fallos son los de la primera, según getrusage). Se escribe (o se lee) un byte por página de { $page }, una línea de caché más adentro en cada página, así que el tiempo por página es el de un acceso, más el de su fallo si la página no estaba presente. Las páginas presentes son las mismas { $pages } páginas escritas de nuevo: primero una vez sin calentamiento (desde la última vez que se tocó la línea de cada página, el kernel llenó de ceros todas las páginas siguientes) y después { $passes } veces más (en caché y en la TLB). Todas las filas se comparan por página: el tiempo del fallo de una página enorme se reparte entre las páginas que hace presentes.
faultcost-col-what = qué
faultcost-col-pages = páginas
faultcost-col-faults = fallos (menores/mayores)
faultcost-col-per-page = tiempo por página de { $page }
faultcost-col-per-fault = tiempo por fallo
faultcost-col-vs = por página, frente a una escritura en caché
faultcost-row-present = escribir páginas presentes (en caché; { $passes } pasadas)
faultcost-row-cold = escribir páginas presentes (primera pasada, sin calentamiento)
faultcost-row-demand = escribir páginas nuevas (fallos por demanda)
faultcost-row-populate-mmap = el propio mmap(MAP_POPULATE)
faultcost-row-populated = escribir páginas ya pobladas por MAP_POPULATE
faultcost-row-huge = escribir una región THP nueva de { $size }
faultcost-present = { $present } presentes
faultcost-row-major = leer páginas de archivo desalojadas (fallos mayores)
faultcost-not-measured = sin medir
faultcost-step-summary = Un fallo por demanda tardó { $fault }; una escritura en una página presente y en caché, { $access } ({ $cold } en la primera pasada, sin calentamiento): el fallo cuesta { $ratio } una escritura en caché, o { $cold_ratio } una de primera pasada. MAP_POPULATE hizo la asignación dentro de la llamada a mmap, a { $populate } por página, sin una trampa por página; las escrituras posteriores tardaron { $populated } por página, sin ningún fallo. El único fallo de la página enorme tardó { $huge }: asigna y llena de ceros { $size } de una vez, lo que da { $huge_page } para cada una de sus { $pages } páginas.
faultcost-step-file = El archivo: { $pages } páginas en { $dir } (un archivo sin nombre, O_TMPFILE), escritas y sincronizadas con fsync, y después POSIX_FADV_DONTNEED antes de cada ejecución; mincore contó { $resident } de sus páginas todavía en caché justo antes de las lecturas (por ejecución); MADV_RANDOM desactiva la lectura anticipada, así que cada página se lee con su propio fallo.
faultcost-step-no-file = No se midieron fallos mayores: { $why }.

## Por qué falta una evidencia.
faultcost-no-runs = no se registró ninguna ejecución
faultcost-control-faulted = el propio código que mide produjo { $faults } fallos sobre una página presente, así que no se puede confiar en sus cuentas de fallos
faultcost-nohuge-failed = madvise(MADV_NOHUGEPAGE) falló ({ $error }), así que las páginas de 4 KiB podrían haber sido páginas enormes
faultcost-too-few-runs = solo hay { $runs } ejecuciones para comparar, menos de las { $min } que necesitan los cuartiles
faultcost-too-noisy = demasiado ruido para decidir: en la mitad central de { $runs } ejecuciones, { $a } tardó { $a_range } y { $b }, { $b_range }, así que el cociente puede estar en cualquier punto entre { $low } y { $high }, a ambos lados de { $k }
faultcost-not-evicted = el kernel mantuvo páginas del archivo en caché después de fsync y POSIX_FADV_DONTNEED (mincore: { $resident } de { $pages } residentes por ejecución), así que no se pudo confirmar el desalojo
faultcost-no-file = no se pudo crear el archivo en { $dir }: { $error }

## Lo que comparan las afirmaciones de tiempos.
faultcost-name-fault = un fallo por demanda
faultcost-name-access = una escritura en caché
faultcost-name-cold = una escritura de primera pasada
faultcost-name-faults = { $n } fallos por demanda
faultcost-name-huge = un fallo de página enorme
faultcost-name-major = un fallo mayor
faultcost-ratio-seen = { $a }: { $a_cost }, { $b }: { $b_cost } (medianas): { $ratio }; entre { $low } y { $high } en la mitad central de las ejecuciones

## Afirmaciones: el enunciado, y lo que predice la teoría.
faultcost-demand-faults = escribir { $pages } páginas nuevas cuesta un fallo de página por cada página
    .theory = { $pages } fallos menores por ejecución, ninguno en las escrituras siguientes
faultcost-demand-faults-seen = fallos por ejecución: { $demand }; en las escrituras siguientes: { $again }{ $aside ->
        [0] { "" }
        [one] ; 1 ejecución descartada (páginas movidas mientras tanto, ver /proc/vmstat)
       *[other] ; { $aside } ejecuciones descartadas (páginas movidas mientras tanto, ver /proc/vmstat)
    }
faultcost-populate = con MAP_POPULATE las páginas están presentes antes del primer acceso, y tocarlas ya no produce fallos
    .theory = { $pages } de { $pages } presentes después de mmap (pagemap); 0 fallos en las escrituras
faultcost-populate-seen = presentes después de mmap: { $before }; fallos en las escrituras: { $after }{ $aside ->
        [0] { "" }
        [one] ; 1 ejecución descartada (páginas movidas mientras tanto, ver /proc/vmstat)
       *[other] ; { $aside } ejecuciones descartadas (páginas movidas mientras tanto, ver /proc/vmstat)
    }
faultcost-orders = un fallo de página cuesta varios órdenes de magnitud más que un acceso a una página presente
    .theory = fallo ≥ { $k } una escritura en caché, en la mitad central de las ejecuciones
faultcost-cold = un fallo de página cuesta un orden de magnitud más incluso que una escritura en una página presente sin calentamiento
    .theory = fallo ≥ { $k } una escritura de primera pasada, en la mitad central de las ejecuciones
faultcost-huge-one-fault = una página enorme reemplaza { $pages } fallos por uno: una escritura hace presente una región de { $size }
    .theory = 1 fallo, { $pages } de { $pages } presentes, AnonHugePages { $kb } kB, en cada ejecución que recibió una página enorme
faultcost-huge-one-fault-seen = página enorme en { $given } de { $runs } ejecuciones; sus fallos: { $faults }; presentes: { $present }; AnonHugePages: { $kb } kB
faultcost-huge-frame = las { $pages } páginas de ese único fallo son un solo marco de { $size }: PFN consecutivos
    .theory = una sola serie de { $pages } PFN que empieza en un múltiplo de { $pages }, en cada ejecución
faultcost-huge-frame-seen = una serie alineada en { $one } de { $runs } ejecuciones (la primera: { $first })
faultcost-pfn-run = { $count } marcos desde { $first }
faultcost-huge-cheaper = por página, un fallo de página enorme es más barato que uno de 4 KiB: un solo fallo tarda menos que los { $pages } que reemplaza
    .theory = { $pages } × un fallo de 4 KiB > 1 fallo de página enorme, en la mitad central de las ejecuciones
faultcost-major-faults = leer una página de archivo que no está en la caché de páginas es un fallo mayor, uno por página
    .theory = { $pages } fallos mayores por ejecución, después de que mincore viera 0 de { $pages } páginas en caché
faultcost-major-faults-seen = en caché antes: { $resident }; fallos mayores por ejecución: { $majors }
faultcost-major-cost = un fallo mayor cuesta más que uno menor: espera al almacenamiento
    .theory = fallo mayor ≥ { $k } un fallo menor, en la mitad central de las ejecuciones
