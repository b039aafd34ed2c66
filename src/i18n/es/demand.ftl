# vm-demand

demand-summary = paginación por demanda: la memoria se mapea enseguida, pero recibe marcos solo al tocarla
demand-title = paginación por demanda: marcos en el primer acceso
demand-about = mmap reserva direcciones, no memoria: una página recibe un marco en su primer acceso, con un fallo de página por página; MAP_POPULATE adelanta esos fallos, y MAP_NORESERVE permite que el kernel mapee más que la RAM de la máquina.

## Pasos.
demand-step-map = El hijo { $child } mapea 1 GiB de memoria anónima privada en { $va }. (Antes desactivó para sí mismo las páginas enormes transparentes con prctl(PR_SET_THP_DISABLE){ $thp_off ->
        [on] {""}
       *[off] , sin éxito
    }, y marca el mapeo con MADV_NOHUGEPAGE, para que cada fallo mapee una sola página de { $kib } KiB, como en el libro; THP está en `{ $thp }` en esta máquina, y vm-hugepages muestra el otro caso.) VmRSS cuenta todo el proceso hijo, que además crece a medida que ejecuta por primera vez código después de fork; el Rss de la región (smaps) y el pagemap cuentan solo este mapeo.
demand-col-when = momento
demand-col-vm-rss = VmRSS (todo el proceso)
demand-col-region-rss = Rss de la región (smaps)
demand-col-present = páginas presentes (pagemap)
demand-before-mmap = antes de mmap
demand-after-mmap = después de mmap
demand-step-touch = El hijo escribe un byte en { $touched } páginas, una cada { $stride } MiB: { $faults } fallos de página menores (getrusage; { $control } en la ronda de control justo antes, el mismo código escribiendo en páginas que ya tenía). El pagemap de todo el GiB muestra ahora { $present } páginas presentes; el Rss de la región según smaps es { $rss }; VmRSS pasó de { $before } KiB a { $after } KiB.
demand-page-index = página { $index }
demand-more-pages = … { $more } más
demand-step-small = El hijo mapea { $kib } KiB ({ $pages } páginas) dos veces, una normal y otra con MAP_POPULATE, y después escribe en todas las páginas de ambos mapeos ({ $control } fallos en la ronda de control):
demand-col-mapping = mapeo
demand-col-mmap-faults = fallos dentro de mmap()
demand-col-present-after-mmap = presentes después de mmap
demand-col-write-faults = fallos al escribir cada página
demand-plain = normal
demand-of = { $part } de { $whole }
demand-machine = La máquina tiene { $ram } MiB de RAM y { $swap } MiB de swap (/proc/meminfo); vm.overcommit_memory vale { $mode } (0: una heurística que rechaza cualquier mapeo individual mayor que RAM + swap; 1: conceder siempre; 2: contabilidad estricta).
demand-not-tried = El hijo no pide más memoria que la RAM: { $reason }.
demand-step-beyond-ram = El hijo pide { $gib } GiB de memoria privada escribible. Sin MAP_NORESERVE: { $plain }. Con MAP_NORESERVE: { $noreserve }; VmSize crece { $growth } GiB y el Rss de la región es { $rss }.
demand-mapped = mmap tiene éxito
demand-refused = mmap falla con { $errno }

## Por qué falta una evidencia.
demand-not-mapped = el mapeo con MAP_NORESERVE fue rechazado, así que no tiene Rss
demand-strict-overcommit = vm.overcommit_memory vale 2 (contabilidad estricta): el kernel ignora MAP_NORESERVE y rechaza cualquier mapeo privado escribible que supere CommitLimit
demand-address-limit = el límite del espacio de direcciones (RLIMIT_AS = { $limit } bytes) es menor que el mapeo
demand-setting-unreadable = no se puede leer { $path }
demand-smaps-unreadable = no se pudo leer el smaps del hijo: { $error }
demand-region-merged = el kernel fusionó el mapeo con una región vecina, así que smaps no puede dar el Rss del mapeo por separado
demand-pagemap-unreadable = no se pudo leer el pagemap del hijo: { $error }
demand-control-faulted = la ronda de control (el mismo código sobre páginas ya propias) tuvo { $control } fallos: algo más produjo fallos durante la medición, así que no se puede confiar en la cuenta
demand-not-heuristic = vm.overcommit_memory vale { $mode }, no 0: no está en uso la heurística que rechaza los mapeos desmesurados

## Afirmaciones: el enunciado, y lo que predice la teoría.
demand-reserves = mmap reserva direcciones, no memoria: mapear { $gib } GiB agrega { $gib } GiB al espacio de direcciones y nada residente
    .theory = VmSize +{ $gib } GiB; Rss de la región 0 KiB
demand-reserves-seen = VmSize +{ $growth } KiB; Rss de la región { $rss } KiB
demand-none-present = ninguna página del mapeo nuevo está presente antes de tocarla
    .theory = 0 de { $pages } páginas presentes en el pagemap
demand-present-seen = { $present } de { $pages } presentes
demand-touch-faults = cada página tocada cuesta un fallo de página
    .theory = { $touched } fallos menores (0 en la ronda de control)
demand-faults-seen = { $faults } fallos menores ({ $control } en la ronda de control)
demand-touched-present = quedan presentes exactamente las páginas tocadas
    .theory = las { $touched } páginas tocadas, ninguna otra
demand-touched-present-seen = { $present } presentes, { $untouched } de ellas nunca tocadas
demand-touched-rss = el tamaño residente de la región es exactamente el de las páginas tocadas
    .theory = Rss en smaps = { $touched } × { $kib } KiB = { $total } KiB
demand-rss-seen = Rss { $rss } KiB
demand-own-frames = cada página tocada recibió un marco propio
    .theory = { $touched } marcos (PFN) distintos
demand-frames-seen = { $distinct ->
        [one] 1 marco distinto
       *[other] { $distinct } marcos distintos
    }: { $list }
demand-plain-lazy = un mapeo normal tiene sus fallos cuando se escribe por primera vez en sus páginas
    .theory = 0 fallos en mmap, 0 presentes, después { $pages } fallos
demand-populate-eager = MAP_POPULATE traslada los fallos al interior de mmap
    .theory = { $pages } fallos dentro de mmap, las { $pages } presentes cuando retorna, después 0 fallos
demand-small-seen = { $mmap } fallos en mmap, { $present } presentes, después { $writes } fallos
demand-heuristic-refuses = sin MAP_NORESERVE, la heurística de sobreasignación del kernel rechaza un mapeo privado escribible mayor que RAM + swap
    .theory = mmap de { $gib } GiB falla con ENOMEM
demand-noreserve = con MAP_NORESERVE, el mismo mapeo tiene éxito y no cuesta memoria
    .theory = mmap de { $gib } GiB (RAM + swap: { $ram } GiB) tiene éxito; VmSize +{ $gib } GiB; Rss de la región 0 KiB
demand-noreserve-seen = mmap tiene éxito; VmSize +{ $growth } GiB; Rss de la región { $rss } KiB
