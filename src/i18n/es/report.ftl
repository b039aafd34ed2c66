# vmlab report: los registros de las demos como una página HTML.

report-title = informe de vmlab: { $count ->
        [one] 1 demo
       *[other] { $count } demos
    }, { $date }
report-intro = Lo que hizo el núcleo Linux en ejecución, afirmación por afirmación. Cada demo hizo la operación real en esta máquina (mapear, escribir, fork, provocar fallos de página) y comparó lo que mostró el núcleo con lo que predice la teoría; cada número de esta página se leyó del núcleo o se midió durante esta ejecución.
report-contents = Contenido
report-summary = Resumen
report-total = total
report-claims = Afirmaciones
report-footer = Generado por vmlab { $version }. Nada de esta página se descarga de ningún sitio: los dibujos son parte de ella y no necesita ningún script.

## La máquina.
report-machine = La máquina
report-machine-kernel = núcleo
report-machine-arch = arquitectura
report-machine-cpu = CPU
report-machine-cpu-value = { $model }; { $count ->
        [one] 1 CPU lógica
       *[other] { $count } CPU lógicas
    } en línea
report-machine-memory = memoria
report-machine-paging = paginación
report-machine-paging-value = páginas de { $page }, tablas de páginas de { $levels } niveles; el espacio de usuario termina en { $end }
report-machine-thp = páginas enormes transparentes
report-machine-thp-value = { $enabled } ({ $raw }); desfragmentación: { $defrag }
report-machine-thp-absent = no existen en este núcleo (no hay { $dir })
report-machine-aslr = ASLR (kernel.randomize_va_space)
report-machine-privilege = privilegios
report-machine-started = inicio del informe
report-machine-vmlab = versión de vmlab
report-privilege = { $who }, { $cap ->
        [yes] con CAP_SYS_ADMIN
       *[no] sin CAP_SYS_ADMIN
    }: números de marco { $pfns ->
        [yes] visibles
       *[no] ocultos (las afirmaciones que los necesitan no son verificables; ejecuta con sudo para verlos)
    }; contadores de mapeos y banderas de marco { $frames ->
        [readable] legibles
        [missing] ausentes en este núcleo
       *[denied] ilegibles (/proc/kpagecount y /proc/kpageflags solo los lee root)
    }
report-unknown = desconocido

## El espacio de direcciones.
report-space-title = El espacio de direcciones de { $command } (pid { $pid })
report-space-about = Todas las regiones de /proc/{ $pid }/maps ({ $count } regiones, { $size } en total), leídas al empezar el informe, con la dirección más alta arriba. La altura de cada región crece con el logaritmo de su tamaño, para que una página de 4 KiB se vea junto a varios megabytes; los huecos entre regiones se acortan y llevan escrito su tamaño. Pasa el puntero sobre una región para ver sus direcciones exactas.
report-gap = { $size } sin mapear
report-gap-kernel = { $size }: el hueco no canónico y la mitad del espacio de direcciones que es del núcleo
report-region-rss = RSS { $rss }
report-space-more = { $count ->
        [one] 1 región más
       *[other] { $count } regiones más
    } abajo, sin dibujar
report-kind-text = código del programa
report-kind-rodata = constantes del programa
report-kind-data = globales inicializadas
report-kind-bss = globales a cero
report-kind-heap = heap de brk
report-kind-stack = stack principal
report-kind-thread-stack = stack de un hilo o de señales
report-kind-lib-text = código de biblioteca
report-kind-lib-data = datos de biblioteca
report-kind-file = archivo mapeado
report-kind-shm = memoria compartida
report-kind-anon = memoria anónima (mmap)
report-kind-guard = hueco sin acceso
report-kind-vdso = código del núcleo para llamadas al sistema rápidas
report-kind-vvar = datos del núcleo para el vdso
report-kind-vsyscall = página fija heredada de llamadas al sistema
report-kind-other = otra zona con nombre del núcleo

## Gráficos.
report-chart-failed = no se pudo dibujar el gráfico: { $why }
report-faultcost-caption = Tiempo por página de { $page } de cada forma de tocar la memoria: la barra es la mediana de { $runs } ejecuciones y la línea que la cruza abarca la mitad central de las ejecuciones (con ella se deciden las afirmaciones de tiempos). Escala logarítmica: cada línea de la cuadrícula vale diez veces la anterior.
report-faultcost-axis = tiempo por página de { $page } (escala logarítmica)

## La orden.
report-output-not-html = { $path }: el informe es un archivo HTML; su nombre debe terminar en .html
report-output-is-dir = { $path } es un directorio; indica el archivo HTML que se escribirá
report-wrote = escrito { $path } ({ $size })
report-json-refused = report escribe una página HTML; --json no se aplica (vmlab tour --json imprime los mismos registros)
