# vm-pagetable-cost

pagetable-cost-summary = el espacio que cuestan las tablas de páginas: denso contra disperso, y por qué hay niveles
pagetable-cost-title = lo que cuestan las tablas de páginas
pagetable-cost-about = Las tablas de páginas también ocupan memoria: cerca de 1/512 de la memoria que mapean cuando se usa de forma densa, una página de tabla entera por cada página cuando se usa de forma dispersa, y solo donde hay algo mapeado; por eso las tablas tienen niveles.

## Pasos.
pagetable-cost-step-geometry = Aquí las páginas son de { $page } y una entrada de la tabla de páginas ocupa { $entry } bytes, así que una página de tabla tiene { $entries } entradas: la tabla del último nivel mapea { $pt_span } y una tabla del nivel de arriba mapea { $pd_span }. El kernel cuenta la memoria que ocupan las tablas de páginas de este proceso como VmPTE en /proc/self/status.
pagetable-cost-step-runs = (a) mapea { $dense } y escribe en cada página; (b) reserva { $sparse } de espacio de direcciones y escribe una página de cada { $span }. VmPTE después de cada paso:
pagetable-cost-step-refused = ({ $part }) no se pudo hacer: { $reason }.
pagetable-cost-step-levels = Por qué hay niveles: el espacio de usuario ocupa 2^{ $bits } bytes, y una tabla plana (de un solo nivel) necesitaría una entrada por página, 2^{ $log2 } entradas de { $entry } bytes = { $flat } para cada proceso, reservados haya o no algo mapeado (cuenta de la teoría). Con niveles, una tabla de abajo existe solo donde hay algo mapeado: este proceso empezó con VmPTE = { $start }. El precio lo paga el uso disperso: (b) necesita una tabla del último nivel por cada página que toca, tanto como ocuparía una tabla plana solo para esos { $sparse } ({ $sparse_flat }).
pagetable-cost-header-step = paso
pagetable-cost-header-change = cambio
pagetable-cost-row-start = inicio
pagetable-cost-row-mmap = ({ $part }) mmap de { $size }
pagetable-cost-row-write = ({ $part }) escribe una página cada { $stride }
pagetable-cost-row-write-all = ({ $part }) escribe en cada página
pagetable-cost-row-munmap = ({ $part }) munmap

## Por qué falta una evidencia.
pagetable-cost-no-memtotal = /proc/meminfo no tiene la línea MemTotal
pagetable-cost-refused = el kernel se negó a mapear { $size } ({ $error }); vm.overcommit_memory = { $overcommit }
pagetable-cost-refused-strict = {" "}(la contabilidad estricta no hace caso de MAP_NORESERVE)
pagetable-cost-refused-limit = ; el límite del espacio de direcciones (ulimit -v) es { $limit }

## Afirmaciones: el enunciado, y lo que predice la teoría.
pagetable-cost-dense = tocar cada página de { $size } hace crecer las tablas de páginas en cerca de 1/{ $entries } de ese tamaño
    .theory = { $tables } tablas del último nivel = { $bytes } (tamaño/{ $entries }), más hasta { $upper } { $upper ->
        [one] tabla
       *[other] tablas
    } por encima, ± { $slack } por el heap y el stack de la propia demo
pagetable-cost-dense-seen = VmPTE { $growth } para RssAnon +{ $rss } (AnonHugePages { $huge })
pagetable-cost-munmap = desmapear la región libera sus tablas de páginas
    .theory = VmPTE baja en las { $tables } tablas del último nivel (y hasta { $upper } por encima), ± { $slack }
pagetable-cost-vmpte = VmPTE { $change }
pagetable-cost-reserve = reservar { $size } de espacio de direcciones no cuesta tablas de páginas
    .theory = VmPTE no cambia con mmap (hasta { $slack } páginas de tabla por el heap y el stack de la propia demo)
pagetable-cost-sparse = tocar una página cada { $span } de { $size } cuesta una página de tabla por cada página tocada
    .theory = { $tables } tablas del último nivel (una por página tocada) = { $bytes }, más hasta { $upper } por encima, ± { $slack }
pagetable-cost-sparse-seen = VmPTE { $growth } = { $pages } páginas de tabla para { $touches } páginas tocadas (AnonHugePages { $huge })
pagetable-cost-as-data = con un uso así de disperso, las tablas de páginas ocupan tanta memoria como los datos
    .theory = crecimiento de VmPTE / crecimiento de RssAnon = 1, con un margen del { $tolerance }%
pagetable-cost-as-data-seen = tablas +{ $tables } para datos +{ $data }: cociente { $ratio }
pagetable-cost-flat = una tabla plana de un solo nivel para el espacio de direcciones de usuario de { $bits } bits necesita una entrada por página, se use o no
    .theory = 2^{ $bits } bytes / páginas de { $page } = 2^{ $log2 } entradas
pagetable-cost-flat-arithmetic = 2^{ $log2 } entradas × { $entry } bytes = { $flat } por proceso
pagetable-cost-flat-ram = esa tabla plana, para un solo proceso, no cabría en la RAM de esta máquina
    .theory = { $flat } > MemTotal
pagetable-cost-flat-ram-seen = MemTotal { $total }: la tabla plana ocuparía { $times } veces eso
