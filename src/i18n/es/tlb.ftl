# vm-tlb

tlb-summary = la TLB, medida: tiempo por acceso según las páginas tocadas, y dónde salta
tlb-title = la TLB, medida
tlb-about = El costo de un acceso por página, según cuántas páginas se tocan: plano mientras las páginas caben en la TLB, y con un salto apenas se supera el alcance de cada nivel. Con páginas de 2 MiB los mismos accesos necesitan muchas menos traducciones, así que siguen siendo baratos por mucho más tiempo. Primero se mide, después se compara con lo que informa CPUID.

## Las curvas.
tlb-curve-sequential-4k = 4 KiB secuencial
tlb-curve-random-4k = 4 KiB al azar
tlb-curve-sequential-2m = 2 MiB secuencial
tlb-curve-random-2m = 2 MiB al azar

## Pasos.
tlb-step-regions = Dos regiones de { $pages } páginas ({ $size }): una con MADV_NOHUGEPAGE (AnonHugePages en smaps: { $small_huge }) y otra alineada a 2 MiB con MADV_HUGEPAGE (AnonHugePages: { $big_huge } de { $big_size }). THP: { $thp }. Se escribió en cada página antes de medir, así que no se mide ningún fallo de página.
tlb-step-data = Fijado a la CPU { $cpu } (sched_setaffinity; al final se restaura la máscara anterior). Cada punto se midió en { $rounds } rondas, la primera desde 1 página hacia arriba y la segunda desde la cantidad más grande hacia abajo, y en cada ronda las cuatro curvas una tras otra: así una perturbación afecta a las cuatro por igual, y si la velocidad de la máquina cambia con el tiempo se nota como desacuerdo entre las rondas. Cada medición: una corrida de calentamiento y después { $runs } corridas medidas de al menos { $accesses } accesos (repeticiones = recorridos de las páginas por corrida), cronometradas con CLOCK_MONOTONIC. Un punto es la mediana de todas sus corridas; ◀ marca el último punto antes de un codo; ± muestra la dispersión de las corridas de un punto (la mitad central, respecto de la mediana) cuando supera el { $shown }. Las cuatro curvas tardaron { $seconds } s.
tlb-col-pages = páginas
tlb-col-memory = memoria
tlb-col-trials = repeticiones
tlb-col-misses = fallos de dTLB por acceso (4 KiB al azar)
tlb-step-chart = ns por acceso según las páginas tocadas (escala logarítmica):
tlb-chart-x = páginas (escala logarítmica)
tlb-step-theory = La teoría (lo que informa la CPU, { $source }; fabricante { $vendor }{ $hypervisor ->
        [yes] , bajo un hipervisor (CPUID.1:ECX bit 31), que decide lo que muestra CPUID
       *[no] {""}
    }) junto al codo que el buscador encontró más cerca de cada alcance predicho (a menos de { $factor }x). Las cachés de datos también tienen codos (las palabras de N páginas ocupan N líneas de caché: 512 líneas llenan una L1d de 32 KiB); las curvas de 2 MiB tocan exactamente las mismas líneas con muchas menos traducciones, así que un codo que aparece también en ellas no es claramente de la TLB.
tlb-col-tlb = TLB (datos)
tlb-col-cpuid = lo que informa la CPU (CPUID)
tlb-col-reach = alcance, páginas de 4 KiB
tlb-col-knee-random = codo más cercano (al azar)
tlb-col-knee-sequential = codo más cercano (secuencial)
tlb-row-4k = L{ $level } 4 KiB
tlb-row-2m = L{ $level } 2 MiB
tlb-entries = { $entries } entradas
tlb-cpuid-unknown = desconocido ({ $why })
tlb-reach-pages = { $pages } páginas ({ $size })
tlb-knee-after = después de { $pages } ({ $size })
tlb-knee-none-within = ninguno a menos de { $factor }x
tlb-step-huge-reach = Con páginas de 2 MiB una entrada cubre { $per_huge } páginas de 4 KiB: las { $entries } entradas del primer nivel de la CPU alcanzan { $predicted } páginas ({ $size }). { $outcome }
tlb-huge-knee-far = Medido: el primer codo de la curva aleatoria de 2 MiB está después de { $huge } páginas, { $times }x el codo de 4 KiB ({ $pages }).
tlb-huge-knee-beyond = Eso está más allá de las { $max } páginas medidas; ejecuta con --max-pages { $suggest } para ver el codo de 2 MiB.
tlb-huge-knee-none = No se midió ningún codo cerca de ahí.
tlb-step-order = El orden importa: con { $pages } páginas, una pasada secuencial cuesta { $sequential } ns por acceso en páginas de 4 KiB, y un recorrido al azar por una cadena de punteros { $random } ns. Las lecturas del recorrido secuencial son independientes (la CPU las superpone) y sus páginas siguientes son predecibles (prefetchers, cachés del recorrido de la tabla de páginas), lo que favorece a la TLB; en la cadena de punteros, cada lectura espera a la anterior.
tlb-step-counted = El hardware contó los fallos de lectura de la dTLB (perf_event_open) durante las corridas medidas de cada punto.
tlb-step-not-counted = No hay cuentas de fallos del hardware: { $why }.
tlb-step-shared = Aquí { $seen }. Con { $pages } páginas, un acceso aleatorio cuesta { $small } ns en páginas de 4 KiB y { $huge } ns en páginas de 2 MiB.
tlb-step-noise = Ruido: las corridas de { $noisy } de los { $total } puntos de las curvas aleatorias, que son las que leen las afirmaciones, se dispersaron más del { $shown }, en el peor caso un { $spread } con { $pages } páginas en la curva { $curve } (había otros procesos ejecutándose). Una afirmación que depende de un punto ruidoso lo dice en lugar de decidir.
tlb-step-plot = El gráfico se escribió en { $path }.

## El gráfico.
tlb-plot-title = vm-tlb: ns por acceso según las páginas ({ $vendor })
tlb-plot-x = páginas tocadas (de 4 KiB cada una, escala logarítmica)
tlb-plot-y = ns por acceso (mediana)
tlb-plot-knee = codo { $pages }
tlb-plot-cpuid = CPUID L1 { $entries }

## Lo que muestra un codo presente en ambas curvas, y lo que sugiere (la narración y las afirmaciones lo dicen igual).
tlb-shared-knee-guest = la curva de control con páginas de 2 MiB muestra el mismo codo que la de 4 KiB (en ella después de { $huge } páginas, con páginas de 4 KiB después de { $pages }). Esto sugiere que el anfitrión (host) respalda la memoria de esta máquina virtual con páginas de 4 KiB, de modo que las páginas de 2 MiB del invitado no alivian la presión sobre la TLB en las tablas del anfitrión; o bien que el codo es un efecto de la caché de datos. { $counter ->
        [refused] Ningún contador de hardware puede decir cuál de las dos
       *[open] El contador de hardware no muestra que los fallos de TLB aumenten después del codo
    }: el tiempo por sí solo no permite atribuir el codo a la TLB
tlb-shared-knee = la curva de control con páginas de 2 MiB muestra el mismo codo que la de 4 KiB (en ella después de { $huge } páginas, con páginas de 4 KiB después de { $pages }), aunque sus páginas necesitan { $per_huge } veces menos traducciones. Esto sugiere que el codo es un efecto de la caché de datos y no de la TLB. { $counter ->
        [refused] Ningún contador de hardware puede confirmarlo
       *[open] El contador de hardware no muestra que los fallos de TLB aumenten después del codo
    }: el tiempo por sí solo no permite atribuir el codo a la TLB

## Por qué falta una evidencia.
tlb-reason-range = el barrido termina en { $max } páginas, muy pocas para comprobarlo: la CPU informa { $entries } entradas en el primer nivel, y para encontrar su codo en cualquier lugar que la teoría admite hacen falta puntos hasta { $needed } páginas (ejecuta con --max-pages { $suggest })
tlb-reason-no-knee = la curva aleatoria de 4 KiB no tiene ningún codo que juzgar
tlb-reason-no-knee-no-reach = no hay ningún codo entre 1 y { $max } páginas, pero la CPU no dice dónde termina el alcance de su primer nivel ({ $why }): puede estar más allá del barrido
tlb-reason-counts-unread = no se pudo leer el contador en todos los puntos
tlb-reason-no-tail = no se midió ningún punto después del codo
tlb-reason-noisy = demasiado ruido para decidir: con { $pages } páginas en la curva { $curve }, las corridas medidas se dispersan un { $spread } (la mitad central de ellas, respecto de su mediana), y el efecto no se distingue con claridad de ese ruido; la máquina estaba ocupada, vuelve a ejecutarlo
tlb-cpuid-not-x86 = CPUID solo existe en x86; esta máquina es { $arch }
tlb-cpuid-no-dtlb = CPU { $vendor }: { $source } no informan ninguna TLB de datos
tlb-cpuid-unknown-vendor = fabricante de CPU '{ $vendor }': vmlab no conoce hojas de CPUID que describan sus TLB
tlb-cpuid-hypervisor-hides = { $why } (hay un hipervisor, CPUID.1:ECX bit 31, que puede ocultarlo)
tlb-counter-refused = perf_event_open(PERF_TYPE_HW_CACHE, fallo de lectura de dTLB) falló con { $errno }: { $cause }; kernel.perf_event_paranoid vale { $paranoid }
tlb-counter-no-pmu = no hay contador de hardware para los fallos de la dTLB, algo típico de una máquina virtual sin PMU virtual
tlb-counter-restricted = los contadores están restringidos; ejecuta como root o baja kernel.perf_event_paranoid
tlb-counter-other = el kernel rechazó el contador
tlb-thp-declined = el kernel le dio a la región de { $size } solo { $got } en páginas enormes (AnonHugePages en smaps) aunque { $settings }: puede que la memoria esté fragmentada

## Afirmaciones: el enunciado, y lo que predice la teoría.
tlb-cost-rises = el costo por acceso sube cuando las páginas tocadas superan el alcance del primer nivel de la TLB
    .theory = un codo en la curva aleatoria de 4 KiB que la TLB explica: ausente en la curva de control de 2 MiB, o con el hardware contando fallos de TLB después de él
tlb-cost-rises-seen = codo después de { $pages } páginas: { $before } → { $after } ns por acceso; { $how }
tlb-witness-control = la curva de 2 MiB no tiene ningún codo cerca
tlb-witness-counter = { $below } fallos de dTLB por acceso hasta el codo, { $after } justo después
tlb-cost-flat-seen = ningún codo entre 1 y { $max } páginas (de { $first } a { $last } ns por acceso), más allá del ruido de las corridas
tlb-reach-matches-cpuid = el alcance medido del primer nivel de la TLB está a menos de { $factor }x de las entradas que informa la CPU
    .theory = entradas de la dTLB L1 según CPUID (4 KiB) / { $factor } ≤ codo de la TLB ≤ entradas × { $factor }
tlb-reach-seen = CPUID: { $entries } entradas; codo después de { $pages } páginas (punto siguiente: { $next }): cociente { $ratio }
tlb-huge-pushes-knee = las páginas enormes alejan el codo: el codo de 4 KiB no está en la curva de 2 MiB
    .theory = ningún codo de la curva aleatoria de 2 MiB a menos de 2x del de 4 KiB
tlb-pushed-seen = codo de 4 KiB después de { $pages } páginas; codos de 2 MiB después de: { $knees }
tlb-not-pushed-seen = codo de 4 KiB después de { $pages } páginas; la curva de 2 MiB también lo tiene (después de { $huge }), y el contador ve { $misses } fallos de dTLB por acceso después de él
tlb-none = ninguno
tlb-huge-cheaper = pasado el alcance del primer nivel de la TLB, los mismos accesos cuestan menos con páginas de 2 MiB
    .theory = en las { $tail } cantidades de páginas más grandes después del codo de la TLB (orden al azar): mediana de 4 KiB / 2 MiB ≥ { $threshold }, por encima de la dispersión de las corridas
tlb-tail-point = { $pages }: { $small } contra { $huge } ns
tlb-cheaper-seen = { $points }; cociente mediano { $ratio } (dispersión de las corridas de hasta { $spread })
tlb-misses-counted = el hardware cuenta los fallos de la dTLB: casi ninguno antes del primer codo, y la mayoría de los accesos fallan después
    .theory = < { $few } fallos por acceso hasta el codo, ≥ { $most } en la cantidad de páginas más grande (4 KiB, al azar)
tlb-misses-seen = como mucho { $below } por acceso hasta { $pages } páginas; { $top } con { $max }
