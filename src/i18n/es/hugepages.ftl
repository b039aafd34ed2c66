# vm-hugepages

hugepages-summary = páginas enormes transparentes: un marco de 2 MiB, un fallo, un nivel menos
hugepages-title = páginas enormes: 512 páginas en una
hugepages-about = Con las páginas enormes transparentes (THP), una sola escritura en una región MADV_HUGEPAGE alineada a 2 MiB hace presentes los 2 MiB de una vez, con un único fallo de página: los respalda un solo marco de 2 MiB, alineado a su tamaño, y los mapea una sola entrada del nivel PD, un nivel por encima de las tablas de páginas.

## La configuración de THP, y por qué no se puede tener una página enorme.
hugepages-thp-declined = el kernel intentó dar una página enorme y tuvo que conformarse con páginas de 4 KiB (thp_fault_fallback de /proc/vmstat creció en { $fallback }): no encontró ningún marco libre de { $size }, porque la memoria está fragmentada; { $settings }
hugepages-madvise-failed = madvise(MADV_HUGEPAGE) falló: { $error }
hugepages-nohuge-failed = madvise(MADV_NOHUGEPAGE) falló ({ $error }), así que la región que debía tener solo páginas de 4 KiB pudo recibir páginas enormes
hugepages-no-counters = /proc/vmstat no tiene los contadores thp_fault_alloc y thp_fault_fallback, así que no se puede saber si el kernel intentó dar una página enorme y tuvo que conformarse con páginas de 4 KiB
hugepages-no-scan = este kernel no tiene PAGEMAP_SCAN (Linux 6.7 o posterior), que dice cómo está mapeada cada página: { $error }
hugepages-no-pmd-size = no se puede leer /sys/kernel/mm/transparent_hugepage/hpage_pmd_size: este kernel no tiene páginas enormes transparentes
hugepages-no-migration-counters = /proc/vmstat no tiene los contadores pgmigrate_success y pgmigrate_fail, así que no se puede saber si el kernel movió páginas mientras tanto
hugepages-pages-migrated = el kernel movió { $pages ->
        [one] 1 página
       *[other] { $pages } páginas
    } mientras tanto (compactación o balanceo NUMA; /proc/vmstat), y tocar una página mientras se la mueve también produce un fallo, así que no se puede distinguir un fallo de más de una falla de la teoría
hugepages-frames-moved = los marcos cambiaron entre dos lecturas de pagemap (la compactación o khugepaged movieron la página); vuelve a ejecutarlo

## Pasos.
hugepages-step-settings = Configuración de THP: { $settings }. Una entrada del PD mapea { $size } = { $pages } páginas de { $page }.
hugepages-step-allowed = Una región con MADV_HUGEPAGE puede recibir páginas enormes.
hugepages-step-forbidden = Así que aquí no cabe esperar ninguna página enorme: { $why }.
hugepages-step-huge = Una región de { $size } en { $va } (alineada a { $size }) con MADV_HUGEPAGE; escribimos un byte al principio: { $faults ->
        [one] 1 fallo de página
       *[other] { $faults } fallos de página
    } (getrusage; el propio código que cuenta, ejecutado una vez antes: { $warmup }). pagemap muestra ahora { $present } de { $total } páginas presentes; AnonHugePages de smaps = { $kb } kB; VmPTE cambió en { $kib } KiB; { $counters }. La columna "entrada enorme" es PAGE_IS_HUGE de PAGEMAP_SCAN: la página está mapeada por una entrada del nivel PD, no por una tabla de páginas.
hugepages-counters = los contadores de fallos THP de toda la máquina (/proc/vmstat) registraron { $alloc } páginas enormes asignadas y { $fallback } retrocesos a páginas de 4 KiB
hugepages-header-offset = PFN - primero
hugepages-header-huge-entry = entrada enorme
hugepages-step-walk = El recorrido de una dirección en cada región: con una página enorme, la entrada del PD apunta al marco de 2 MiB, se salta el nivel PT y el desplazamiento tiene 21 bits en lugar de 12.
hugepages-header-level = nivel
hugepages-header-bits = bits de la dirección
hugepages-header-small = página de 4 KiB
hugepages-header-huge = página enorme
hugepages-entry = entrada { $index }
hugepages-skipped = se salta: la entrada del PD mapea el marco
hugepages-offset = desplazamiento
hugepages-offset-bits = { $offset } ({ $bits } bits)
hugepages-step-contrast = Para comparar: una región de { $size } en { $va } con MADV_NOHUGEPAGE. Una escritura: { $first ->
        [one] 1 fallo
       *[other] { $first } fallos
    }, { $one } de { $total } páginas presentes. Al escribir las otras { $others } páginas: { $rest } fallos más, { $all } de { $total } presentes; AnonHugePages = { $kb } kB.
hugepages-step-deposit = Aun así, VmPTE creció { $kib } KiB por la página enorme: Linux reserva ("deposita") una tabla de páginas con cada página enorme, para que partirla más tarde en páginas de 4 KiB nunca falle por falta de memoria. El recorrido no la usa, pero la memoria queda reservada.

## Afirmaciones: el enunciado, y lo que predice la teoría.
hugepages-pmd-size = una entrada del PD mapea tanto como una tabla de páginas entera: ese es el tamaño de página enorme del kernel
    .theory = { $entries } entradas × { $page } = { $size }
hugepages-pmd-size-seen = hpage_pmd_size = { $size }
hugepages-all-present = una escritura en una región MADV_HUGEPAGE de { $size } hace presentes las { $pages } páginas
    .theory = { $pages } de { $pages } presentes en pagemap
hugepages-present-seen = { $present } de { $total } presentes
hugepages-one-fault = basta un solo fallo de página
    .theory = 1 fallo de página menor
hugepages-one-fault-seen = { $faults ->
        [one] 1 fallo de página menor
       *[other] { $faults } fallos de página menores
    } (el código que cuenta, por sí solo: { $warmup })
hugepages-pmd-mapped = una entrada del PD mapea cada una de las { $pages } páginas, mientras que la región de 4 KiB no tiene ninguna así
    .theory = PAGE_IS_HUGE en { $pages } de { $pages } páginas, y en 0 de la otra región
hugepages-pmd-mapped-seen = PAGE_IS_HUGE: { $huge } de { $total } páginas (MADV_HUGEPAGE), { $small } de { $total } (MADV_NOHUGEPAGE)
hugepages-anon-huge = smaps cuenta la región como AnonHugePages, memoria anónima mapeada por entradas del PD
    .theory = AnonHugePages { $kb } kB
hugepages-anon-huge-seen = AnonHugePages { $kb } kB
hugepages-one-frame = las { $pages } páginas son un solo marco de { $size }: PFN consecutivos a partir de uno alineado
    .theory = PFN(k) = PFN(0) + k, con PFN(0) múltiplo de { $pages }
hugepages-one-frame-seen = primer PFN { $first } (¿múltiplo de { $pages }? { $aligned }); PFN(k) = primero + k para las { $pages }
hugepages-not-one-run = no son consecutivos: { $pfns }; solo los primeros { $run } lo son
hugepages-compound = kpageflags marca una página enorme transparente: THP y COMPOUND_HEAD en el primer marco
    .theory = primero: THP COMPOUND_HEAD; el resto: THP COMPOUND_TAIL
hugepages-compound-seen = primero: { $first }; { $tails } de los otros { $others } con THP + COMPOUND_TAIL
hugepages-small-one-present = sin páginas enormes, una escritura hace presente una sola página
    .theory = 1 presente tras una escritura; AnonHugePages 0 kB
hugepages-small-one-present-seen = { $present } de { $total } presentes tras una escritura; AnonHugePages { $kb } kB
hugepages-small-faults = sin páginas enormes, la región cuesta un fallo por página
    .theory = { $pages } fallos para { $pages } páginas
hugepages-small-faults-seen = { $first } + { $rest } = { $total } fallos; { $present } de { $pages } presentes
