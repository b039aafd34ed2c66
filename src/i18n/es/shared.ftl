# vm-shared

shared-summary = marcos compartidos a propósito: memoria compartida, archivos, bibliotecas, KSM
shared-title = marcos compartidos a propósito
shared-about = Dos tablas de páginas pueden apuntar al mismo marco: la memoria compartida, la caché de páginas de un archivo, el código de una biblioteca y las páginas que el propio kernel fusiona (KSM) se guardan una sola vez en la RAM.

shared-parent = padre
shared-child = hijo
shared-page-cache = caché de páginas
shared-private-read = privada, leída
shared-private-written = privada, escrita
shared-this-program = este programa
shared-ksm-row = { $what } página { $page }
shared-ksm-before = antes,
shared-ksm-merged-row = fusionada,
shared-ksm-written = escrita,

## Pasos.
shared-step-anon = (a) Una página anónima MAP_SHARED en { $va }; después de fork, el hijo { $child } escribe { $byte } en ella, y el padre lee { $read }.
shared-step-file = (b) Un archivo (un memfd) mapeado MAP_SHARED aquí en { $va }, y por el hijo { $child }, que lo abre por su nombre y lo mapea por su cuenta en { $child_va }; el hijo lee { $read }.
shared-step-private = (c) El mismo archivo mapeado MAP_PRIVATE: primero solo se lee, después se escribe ({ $byte }). El mapeo compartido muestra el marco de la caché de páginas.
shared-step-library = (d) El código de { $name } aquí ({ $here }) y en `sleep` { $pid } ({ $there }): { $both } de sus { $pages } páginas están presentes en ambos. Las tres primeras, lado a lado:
shared-step-library-missing = (d) No se pudo comparar el código de la biblioteca de C: { $reason }.
shared-step-ksm = (e) { $pages } páginas privadas con el mismo contenido en { $va }, marcadas MADV_MERGEABLE. KSM es una configuración de toda la máquina: la demo puso { $set } y esperó { $ms } ms, mientras ksmd completaba { $scans }; después volvió a escribir la configuración que había encontrado, { $restored } (releída: { $after }). Luego se escribe la página 0.
shared-step-ksm-missing = (e) No se puso en marcha KSM: { $reason }.

## Lo que mostró el kernel.
shared-two-frames = { $a } y { $b }
shared-anon-seen-kernel = el hijo escribió { $wrote }, el padre lee { $read }
shared-file-bit-kernel = padre: { $parent }, hijo: { $child }
shared-private-copy-kernel = { $written } frente a { $cache } de la caché de páginas; anónima: { $anon }
shared-file-holds = el archivo contiene { $byte }
shared-libc-same-kernel = { $same } de { $total } páginas comparten marco
shared-libc-lowest-count = contador de mapeos mínimo: { $min }
shared-libc-charge = RSS { $rss }, PSS { $pss }
shared-ksm-merged-kernel = { $frames ->
        [one] 1 marco distinto
       *[other] { $frames } marcos distintos
    }, KSM en { $ksm } de { $pages }, después de { $ms } ms
shared-ksm-split-kernel = { $new } (marco fusionado { $old }), KSM: { $ksm }, exclusiva: { $exclusive }

shared-ksm-scans = { $count ->
        [one] 1 recorrido completo
       *[other] { $count } recorridos completos
    }
shared-ksm-scans-unknown = una cantidad desconocida de recorridos completos

## Por qué falta una evidencia.
shared-child-no-report = el hijo no informó qué escribió
shared-page-absent = la página no está presente, así que no hay nada que comparar
shared-file-unreadable = no se pudo volver a leer el archivo con pread
shared-no-shared-libc = este programa no está enlazado con una libc.so compartida
shared-no-other-program = no se pudo iniciar otro programa (sleep): { $error }
shared-other-no-libc = el otro programa no mapeó la misma libc en 5 s
shared-smaps-unreadable = no se pudo leer el smaps del código de libc
shared-libc-none-in-both = ninguna página del código de libc estaba presente en ambos programas
shared-no-ksm = este kernel no tiene KSM (/sys/kernel/mm/ksm)
shared-ksm-needs-root = poner en marcha KSM y ver los marcos requiere root; ejecuta con sudo
shared-ksm-busy = otro proceso retuvo el lock de KSM durante 30 s (¿otra ejecución de vmlab?)
shared-ksm-no-journal = los ajustes de KSM no se pueden cambiar con seguridad: { $error }
shared-ksm-unreadable = no se pudo leer la configuración de KSM
shared-ksm-madvise-refused = se rechazó madvise(MADV_MERGEABLE)
shared-ksm-scans-unreadable = no se pudo leer /sys/kernel/mm/ksm/full_scans
shared-ksm-too-few-scans = ksmd completó solo { $scans } en { $ms } ms (¿la máquina estaba ocupada?): con menos de { $needed } recorridos completos, puede que todavía no haya comparado estas páginas dos veces

## Afirmaciones: el enunciado, y lo que predice la teoría.
shared-anon-seen = (a) el padre ve lo que el hijo escribe en una página compartida
    .theory = el padre lee { $byte }
shared-anon-same-frame = (a) padre e hijo mapean el mismo marco
    .theory = el mismo PFN
shared-file-same-frame = (b) dos procesos que mapean el mismo archivo comparten su marco de la caché de páginas
    .theory = el mismo PFN
shared-file-bit = (b) la página es de archivo o compartida en ambos
    .theory = bit de archivo/compartida encendido en ambos
shared-private-read-cache = (c) un mapeo privado que solo se lee usa el marco de la caché de páginas
    .theory = el mismo PFN
shared-private-write-copies = (c) escribir en una página privada de un archivo la copia a un marco anónimo
    .theory = PFN nuevo, con la bandera ANON
shared-file-unchanged = (c) la escritura privada no cambia el archivo
    .theory = el archivo sigue conteniendo { $byte }
shared-libc-same-frames = (d) las bibliotecas dinámicas se comparten sin duplicar datos: el código de libc está en los mismos marcos en ambos programas
    .theory = cada página presente en ambos: el mismo PFN
shared-libc-map-count = (d) cada uno de esos marcos está mapeado por varios procesos
    .theory = contador de mapeos ≥ 2
shared-libc-pss = (d) los marcos compartidos se cobran en parte: PSS < RSS
    .theory = PSS menor que RSS para el código de libc
shared-ksm-merged = (e) las páginas idénticas terminan en un solo marco con la bandera KSM
    .theory = 1 PFN para las { $pages } páginas, bandera KSM
shared-ksm-split = (e) escribir en una página fusionada le da una copia privada
    .theory = PFN nuevo, sin KSM, exclusiva
