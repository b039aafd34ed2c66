# vm-fragmentation: fragmentación interna a nivel de página; sin fragmentación externa.

fragmentation-summary = la fragmentación interna cuesta páginas enteras; la paginación no necesita memoria libre contigua
fragmentation-title = fragmentación interna sí, fragmentación externa no
fragmentation-about = La paginación entrega la memoria en páginas enteras: un mapeo de 1 byte cuesta una página de RAM, un byte más allá del límite de una página cuesta una segunda página, y una página enorme, 2 MiB (fragmentación interna). A cambio, una región no necesita un tramo físico libre tan largo como ella: sus páginas van a marcos repartidos por toda la RAM, así que no hay fragmentación externa, a diferencia de lo que pasa con la segmentación.

fragmentation-bytes = { $count ->
        [one] 1 byte
       *[other] { $count } bytes
    }

## Pasos.
fragmentation-step-small = Aquí las páginas son de { $page }. Mapeamos 1 byte, y { $boundary } bytes (uno más que una página), cada mapeo entre dos páginas de guarda inaccesibles para que smaps lo muestre solo, y leemos su entrada de smaps: recién creado, después de escribir su primer byte y después de escribir el último. Size es el mapeo tal como lo redondeó el kernel; Rss es la parte que está en RAM; sin usar es Rss menos los bytes pedidos: la fragmentación interna.
fragmentation-col-mapping = mapeo
fragmentation-col-va = dirección virtual
fragmentation-col-size = Size
fragmentation-col-rss-fresh = Rss, recién creado
fragmentation-col-rss-first = Rss, escrito el primer byte
fragmentation-col-rss-both = Rss, escrito también el último
fragmentation-col-unused = sin usar

fragmentation-step-huge = Una región de { $huge } en { $va } ({ $pages } páginas, alineada a su tamaño) con madvise(MADV_HUGEPAGE); configuración de THP: { $settings }. Escribimos un byte: { $smaps } { $frames }
fragmentation-huge-smaps = smaps muestra Rss { $rss } y AnonHugePages { $anon_huge }: { $unused } ocupados de más por el único byte usado.
fragmentation-huge-frames = Sus marcos: { $runs ->
        [one] 1 tramo
       *[other] { $runs } tramos
    } de marcos consecutivos desde { $first }, el más largo de { $longest } marcos.
fragmentation-frames-not-shown = Los marcos no se muestran: { $reason }.
fragmentation-unknown = smaps no muestra la región.

fragmentation-step-malloc = Para comparar, malloc({ $bytes }) { $objects } veces, escribiendo cada objeto. El primero está en { $first }, en la página que empieza en { $page }, que contiene { $same } de los { $objects } objetos; de un objeto al siguiente hay { $stride } bytes (la mediana): el asignador los recorta de páginas que el heap ya tiene, cada uno con su cabecera y su relleno (la fragmentación interna propia de malloc, que puedes recorrer con `vmlab sim freespace -H 8 -a 8 -c`). Los { $objects } caben en { $pages } páginas, y el Rss del proceso creció { $growth }: el desperdicio del tamaño de una página se paga por mapeo, no por cada malloc.

fragmentation-step-free = /proc/buddyinfo, justo antes de mapear una región grande: los bloques libres del asignador de páginas del kernel (el asignador buddy), por zona y por tamaño de bloque. El bloque libre más grande es de orden { $order } ({ $block }); en total hay unos { $total } libres. Ningún bloque supera el orden máximo del asignador, así que ningún bloque libre podría contener por sí solo una región más larga.
fragmentation-no-free-blocks = /proc/buddyinfo no muestra ningún bloque libre.
fragmentation-col-zone = nodo, zona

fragmentation-step-region = Mapeamos { $size } ({ $pages } páginas) en { $va } con MADV_NOHUGEPAGE, para que cada página sea una página base con su propio marco, y escribimos en todas: pagemap muestra { $backed } de las { $pages } páginas con marco. Contigua en memoria virtual, la región no lo es en memoria física:
fragmentation-runs = sus marcos forman { $runs } tramos, siendo un tramo un grupo de páginas cuyos marcos se siguen en el mismo orden (la página k+1 en el marco f+1, como lo exigiría la base + desplazamiento de un segmento); el más largo tiene { $longest ->
        [one] 1 marco
       *[other] { $longest } marcos
    }, y { $alone } tramos son de un solo marco. Ordenados por número, los marcos ocupan { $extents } trozos separados de memoria física, el mayor de { $largest ->
        [one] 1 marco
       *[other] { $largest } marcos
    } ({ $largest_size }), repartidos desde el PFN { $low } hasta el { $high } (unos { $span }). Los primeros tramos, en orden de dirección:
fragmentation-col-pages = páginas (en orden de dirección)
fragmentation-col-frames = marcos (PFN)
fragmentation-col-length = marcos del tramo
fragmentation-step-lengths = Cuán largos son los tramos:
fragmentation-col-run-length = largo del tramo (marcos)
fragmentation-col-runs = tramos
fragmentation-col-run-pages = páginas en ellos

fragmentation-step-simulators = La segmentación, en cambio, da a cada segmento un único tramo físico tan largo como el segmento: la memoria libre se parte en huecos entre segmentos, y un segmento puede no caber aunque haya memoria libre suficiente, hasta que la compactación junta los segmentos. Míralo en `vmlab sim segment --events 8 -c` (fragmentación externa y después compactación), y la lista libre de un heap, con cabeceras y fusión de huecos, en `vmlab sim freespace -C -c`. Las páginas enormes vuelven a necesitar memoria contigua: por eso el kernel compacta la memoria física (el ajuste `defrag` de THP).

## Por qué falta una evidencia.
fragmentation-smaps-missing = /proc/self/smaps no muestra ningún mapeo que empiece en { $va }
fragmentation-thp-madvise = madvise(MADV_HUGEPAGE) falló: { $error }
fragmentation-thp-declined = el kernel respaldó la región con una página pequeña aunque THP está permitido ({ $settings }): no encontró un bloque libre de { $huge } que pudiera usar (memoria física demasiado fragmentada, o sin tiempo para compactarla), así que esta ejecución no muestra ninguna página enorme
fragmentation-malloc-null = malloc(1) devolvió NULL antes de asignar todos los objetos
fragmentation-rollup-missing = no se pudo leer { $path }
fragmentation-buddyinfo-missing = no se pudo leer { $path }
fragmentation-free-run-existed = había un bloque libre de { $block }, tan largo como la región de { $region } o más, así que esta ejecución no puede mostrar que la paginación no lo necesita

## Afirmaciones: el enunciado, y lo que predice la teoría.
fragmentation-one-byte = un mapeo de 1 byte cuesta una página entera: el kernel mapea y respalda la memoria solo en páginas
    .theory = Size { $page }; Rss 0, y { $page } una vez escrito
fragmentation-one-byte-seen = Size { $size }; Rss { $fresh }, después { $written }: { $unused } sin usar
fragmentation-page-boundary = un mapeo de { $bytes } bytes, un byte más que una página, cuesta una segunda página en cuanto se escribe ese byte
    .theory = Size { $pages }; Rss 0, { $page } tras el primer byte, { $pages } tras el último
fragmentation-small-seen = Size { $size }; Rss { $fresh }, { $first }, después { $both }: { $unused } sin usar
fragmentation-huge-region = una página enorme escrita una vez queda entera en RAM: 1 byte usado ocupa { $huge } de RAM
    .theory = Rss = AnonHugePages = { $huge }
fragmentation-huge-region-seen = Rss { $rss }, AnonHugePages { $anon_huge }: { $unused } sin usar
fragmentation-malloc-packs = malloc agrupa los objetos pequeños en páginas compartidas: el desperdicio del tamaño de una página es por mapeo, no por malloc
    .theory = { $objects } × malloc({ $bytes }) en muchas menos de { $objects } páginas; el Rss crece mucho menos que { $objects } × { $page }
fragmentation-malloc-packs-seen = { $objects } objetos en { $pages } páginas, a { $stride } bytes uno de otro; Rss +{ $growth }
fragmentation-scattered = una región contigua en memoria virtual no es contigua en memoria física: sus marcos forman muchos tramos, en trozos separados de la memoria física
    .theory = { $pages } marcos: más de 1 tramo, más de 1 trozo
fragmentation-scattered-seen = { $frames } marcos en { $runs } tramos (el más largo de { $longest ->
        [one] 1 marco
       *[other] { $longest } marcos
    }), en { $extents } trozos (el mayor de { $largest ->
        [one] 1 marco
       *[other] { $largest } marcos
    })
fragmentation-no-free-run = la región obtuvo todos sus marcos aunque ningún bloque físico libre era tan largo como ella: la paginación no necesita un tramo libre de { $region }
    .theory = las { $pages } páginas con marco, aunque el bloque libre más grande < { $region }
fragmentation-no-free-run-seen = bloque libre más grande { $block }; { $backed } de { $pages } páginas con marco
fragmentation-huge-contiguous = una página enorme necesita lo que la paginación había eliminado: { $frames } marcos físicamente consecutivos y alineados
    .theory = 1 tramo de { $frames } marcos, con el primer PFN múltiplo de { $frames }
fragmentation-huge-contiguous-seen = { $runs ->
        [one] 1 tramo
       *[other] { $runs } tramos
    } desde { $first }, el más largo de { $longest } marcos; alineado: { $aligned }
