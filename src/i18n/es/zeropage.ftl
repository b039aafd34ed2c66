# vm-zeropage

zeropage-summary = leer memoria nunca escrita mapea la única página de ceros que comparte el kernel
zeropage-title = la página de ceros: muchas páginas, un solo marco
zeropage-about = Leer memoria anónima nunca escrita mapea el único marco lleno de ceros que el kernel comparte, un marco cuyos mapeos el kernel ni siquiera cuenta; la primera escritura en una página le da un marco propio.

## Pasos.
zeropage-step-read = Mapeamos { $pages } páginas anónimas privadas en { $va } (MADV_NOHUGEPAGE{ $nohugepage ->
        [yes] {""}
       *[no] {" "}rechazado
    }) y leemos un byte de cada una: { $faults }. Rss de la región según smaps: { $before } antes, { $after } después. PAGEMAP_SCAN informa PFNZERO en { $zero } de las { $pages } páginas. Las primeras { $shown }:
zeropage-fault-rounds = { $first } fallos de página en los primeros accesos (getrusage), { $again } al repetir los mismos accesos, { $control } en la ronda de control justo antes (el mismo código sobre páginas ya propias)
zeropage-page = página { $index }
zeropage-page-written = página { $index } (escrita)
zeropage-page-read = página { $index } (leída)
zeropage-step-map-count = ¿Por qué la página de ceros muestra contador de mapeos 0? Un fallo de lectura la mapea con una entrada «especial» de la tabla de páginas (do_anonymous_page en mm/memory.c), y para esa entrada vm_normal_page() no devuelve ninguna struct page: el mapeo nunca se agrega al mapeo inverso de la página, así que nada lo cuenta, y /proc/kpagecount (kpagecount_read en fs/proc/page.c), que informa cuántas entradas de tabla de páginas apuntan a un marco, dice 0 sin importar cuántas la mapeen. El kernel no necesita ese contador: la página de ceros nunca se libera. Para comparar, una página de un memfd mapeada con MAP_SHARED en { $pages } direcciones de este mismo proceso: un marco común, del que se cuenta cada mapeo.
zeropage-col-frame = marco
zeropage-col-after-one = contador de mapeos, 1 mapeo
zeropage-col-after-all = contador de mapeos, { $pages } mapeos
zeropage-the-zero-page = la página de ceros
zeropage-the-memfd-page = una página de memfd
zeropage-step-write = Escribimos un byte en las páginas { $written }, que ya estaban presentes: { $faults }. Rss según smaps: { $rss }. Ahora hay PFNZERO en { $zero } páginas. Las primeras { $shown }:

## Por qué falta una evidencia.
zeropage-no-scan = este kernel no tiene PAGEMAP_SCAN (Linux 6.7+) al que preguntar: { $error }
zeropage-control-faulted = la ronda de control (el mismo código sobre páginas ya propias) tuvo { $control } fallos: algo más produjo fallos durante la medición, así que no se puede confiar en las cuentas
zeropage-pages-missing = el registro no contiene todas las páginas de la región presentes

## Afirmaciones: el enunciado, y lo que predice la teoría.
zeropage-read-present = leer páginas nunca escritas las deja presentes
    .theory = { $pages } de { $pages } presentes en el pagemap
zeropage-present-seen = { $present } de { $pages } presentes
zeropage-read-faults = cada primera lectura produce igualmente un fallo de página; leer otra vez no produce ninguno
    .theory = { $pages } fallos menores, después 0 (0 en la ronda de control)
zeropage-faults-seen = { $first } fallos menores, después { $again } (ronda de control: { $control })
zeropage-read-no-rss = las páginas leídas no usan memoria propia
    .theory = el Rss de la región según smaps sigue en 0 KiB
zeropage-rss-before-after = Rss { $before } KiB antes, { $after } KiB después de leer { $pages } páginas
zeropage-read-shared = ninguna página leída es exclusivamente nuestra
    .theory = exclusiva = no en todas las páginas (el marco lo comparten todas)
zeropage-exclusive-seen = { $exclusive } de { $pages } exclusivas
zeropage-read-pfnzero = el propio kernel dice que cada página leída mapea la página de ceros
    .theory = PAGEMAP_SCAN informa PFNZERO en cada página leída
zeropage-pfnzero-seen = PFNZERO en { $zero } de { $pages } páginas
zeropage-one-frame = muchas páginas, un solo marco: todas las páginas leídas mapean el mismo PFN
    .theory = un único PFN para las { $pages } páginas
zeropage-distinct-seen = { $distinct ->
        [one] 1 PFN distinto
       *[other] { $distinct } PFN distintos
    }: { $list }
zeropage-is-zero-page = ese marco es la página de ceros del kernel
    .theory = kpageflags ZERO_PAGE
zeropage-flags-seen = banderas: { $flags }
zeropage-map-count = el kernel no cuenta los mapeos de la página de ceros (entradas especiales de la tabla de páginas), pero sí los de un marco común
    .theory = página de ceros: contador de mapeos 0 con 1 y con { $pages } mapeos; una página de memfd: 1, después { $pages }
zeropage-map-count-seen = página de ceros: { $zero_one }, después { $zero_all }; página de memfd: { $one }, después { $all } (con 1 y con { $pages } mapeos)
zeropage-write-faults = la primera escritura en una página que mapea la página de ceros vuelve a fallar; la siguiente no
    .theory = { $written } fallos menores por { $written } páginas escritas, después 0 (0 en la ronda de control)
zeropage-written-exclusive = después de escribir, exactamente las páginas escritas son exclusivamente nuestras
    .theory = páginas exclusivas { $written }
zeropage-exclusive-pages = páginas exclusivas { $pages }
zeropage-written-rss = después de escribir, el tamaño residente de la región es exactamente el de las páginas escritas
    .theory = Rss en smaps = { $written } × { $kib } KiB = { $total } KiB
zeropage-rss-seen = Rss { $rss } KiB
zeropage-written-pfnzero = el propio kernel dice que las páginas escritas dejaron la página de ceros
    .theory = PFNZERO solo en las páginas no escritas
zeropage-pfnzero-after-write = PFNZERO en { $zero } páginas; páginas escritas entre ellas: { $written }
zeropage-new-frames = la primera escritura le da a la página un marco propio
    .theory = páginas escritas: PFN nuevos y distintos; las demás siguen en la página de ceros
zeropage-new-frames-seen = escritas: { $own }; página de ceros { $zero }; { $still } de { $unwritten } páginas no escritas siguen en ella
