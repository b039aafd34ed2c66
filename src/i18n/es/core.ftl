# Lo que comparten todas las demostraciones, el recorrido y el inspector: veredictos,
# resúmenes, las tablas de páginas que imprimen las demos, y por qué el kernel oculta algo.

## Veredictos, tal como los imprime la tabla de afirmaciones (el JSON conserva los nombres en inglés).
verdict-holds = se cumple
verdict-contradicted = CONTRADICHA
verdict-unverifiable = no verificable
verdict-computed = calculada

kernel-not-visible = no visible

## La tabla de afirmaciones y los resúmenes.
claims-header-claim = afirmación
claims-header-theory = teoría
claims-header-kernel = kernel
claims-header-verdict = veredicto
claims-contradicted = !! el kernel contradijo la teoría: { $statement } (se esperaba { $theory }, se vio { $kernel })
claims-summary = { $total ->
        [one] 1 afirmación
       *[other] { $total } afirmaciones
    }: { $held } { $held ->
        [one] se cumple
       *[other] se cumplen
    }, { $contradicted } { $contradicted ->
        [one] contradicha
       *[other] contradichas
    }, { $unverifiable } { $unverifiable ->
        [one] no verificable
       *[other] no verificables
    }, { $computed } { $computed ->
        [one] calculada
       *[other] calculadas
    }
computed-note = calculada: la aritmética de la teoría, hecha por vmlab; no es algo que el kernel haya mostrado
note = nota: { $text }

tour-summary = resumen del recorrido
tour-header-demo = demo
tour-header-title = título
tour-header-hold = se cumplen
tour-header-contradicted = contradichas
tour-header-unverifiable = no verificables
tour-header-computed = calculadas
tour-summary-key = ✓ se cumplen  ✗ contradichas  ? no verificables  = calculadas
tour-progress = [{ $n }/{ $total }] vm-{ $name }: { $summary }

## Por qué falta una evidencia.
reason-pfns-hidden = los números de marco se ocultan a los procesos sin privilegios; ejecuta como root (sudo) para verlos
reason-frames-hidden = los contadores de mapeo y las banderas de los marcos (/proc/kpagecount, /proc/kpageflags) solo los puede leer root
reason-page-not-present = la página { $va } no está presente, así que no tiene marco que comparar

## La tabla de páginas que imprimen las demos.
pages-header-page = página
pages-header-va = dir. virtual
pages-header-pfn = marco (PFN)
pages-header-map-count = mapeos
pages-header-exclusive = exclusiva
pages-header-flags = banderas
page-hidden = oculto
page-swapped = en swap
page-absent = ausente
page-unmapped = sin mapear
yes = sí
no = no
yes-short = s
no-short = n

## Cantidades con su plural.
pages = { $count ->
        [one] 1 página
       *[other] { $count } páginas
    }
## Listas de marcos y de valores comparadas en la columna del kernel.
agreement = { $same } de { $total } iguales
agreement-first = { $same } de { $total } iguales (primero: { $first } { $equal } { $other })
list-more = { $list } (y { $more } más)

## El recorrido.
tour-frames-again = { $count ->
        [one] Un número de marco
       *[other] { $count } números de marco
    } de aquí también { $count ->
        [one] apareció
       *[other] aparecieron
    } en { $demos }. No es la misma memoria: cuando una demo termina o desmapea, el kernel libera sus marcos y los vuelve a entregar; y algunos marcos (la página de ceros, el código de una biblioteca) los comparten todos los procesos.
tour-pause = Pulsa Enter para la siguiente demo (q y Enter para terminar):{" "}
tour-pause-needs-terminal = nota: --pause solo espera en una terminal; se sigue sin pausas
brief-key = ✓ se cumple  ✗ contradicha  ? no verificable [motivo abajo]  = calculada
table-left-out = se omite para caber en { $width } columnas: { $columns } (--wide muestra todas las columnas)

## Páginas enormes transparentes: la configuración, y por qué una región puede no recibir una.
thp-settings = { $dir }/enabled dice '{ $enabled }'{ $per_size }, defrag dice '{ $defrag }'
thp-per-size = , { $path } dice '{ $value }'
thp-file-missing = no existe
thp-absent = este kernel no tiene páginas enormes transparentes (no existe { $dir }/enabled)
thp-off = las páginas enormes transparentes están desactivadas: { $path } dice '{ $value }'
thp-process-off = las páginas enormes transparentes están desactivadas para este proceso (THP_enabled: 0 en /proc/self/status, por prctl(PR_SET_THP_DISABLE)), aunque { $settings }

## Un directorio cuyas páginas viven en un disco (para las demos que necesitan escritura de la caché de páginas o fallos mayores).
disk-dir-none = no hay ningún directorio escribible en un sistema de archivos en disco: { $tried }
disk-dir-in-ram = { $dir } está en RAM (tmpfs o ramfs), donde las páginas nunca se escriben en disco
disk-dir-not-writable = { $dir } no es escribible
disk-dir-error = { $dir }: { $error }
tour-simulators = Lo que el kernel no puede mostrar está en los simuladores: base y límites (vmlab sim relocate), segmentación, fragmentación externa y compactación (vmlab sim segment, vmlab sim freespace), tablas de páginas recorridas a mano (vmlab sim paging, vmlab sim multilevel), la TLB y el reemplazo de páginas (vmlab sim tlb, vmlab sim policy). vmlab course relaciona cada concepto del curso con su comando.
