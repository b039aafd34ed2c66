# Las banderas de marco de /proc/kpageflags (include/uapi/linux/kernel-page-flags.h y
# tools/mm/page-types.c): qué significa cada una, con las palabras de tablas y leyendas.

flag-locked = bloqueada: se está leyendo o escribiendo en almacenamiento, o la retiene su dueño
flag-error = hubo un error de E/S en ella
flag-referenced = usada recientemente (la marca de referencia por software del kernel, puesta cuando ve un acceso)
flag-uptodate = su contenido es válido (leído o ya llenado)
flag-dirty = modificada en memoria y todavía no escrita de vuelta en su archivo o en swap
flag-lru = en una lista LRU: el reclamo de páginas puede tomarla
flag-active = en la lista LRU activa: usada repetidamente
flag-slab = del asignador slab (objetos del kernel)
flag-writeback = se está escribiendo en almacenamiento en este momento
flag-reclaim = se reclamará en cuanto termine su escritura
flag-buddy = libre: la tiene el asignador buddy
flag-mmap = mapeada en la tabla de páginas de algún proceso
flag-anon = memoria anónima (heap, stack, copias privadas), no una página de un archivo
flag-swapcache = en la caché de swap: tiene un lugar en el dispositivo de swap
flag-swapbacked = respaldada por swap (o solo por RAM si no hay swap): memoria anónima o compartida
flag-compound-head = primer marco de una página compuesta: varios marcos que el kernel maneja como uno (una página enorme, un folio grande)
flag-compound-tail = un marco posterior de una página compuesta
flag-huge = parte de una página de hugetlbfs (páginas enormes reservadas, no THP)
flag-unevictable = no se puede desalojar (bloqueada con mlock, o en ramfs)
flag-hwpoison = un error de hardware en la memoria: no se vuelve a usar
flag-nopage = no existe descriptor para este número de marco (un hueco en la memoria física)
flag-ksm = fusionada por KSM: páginas idénticas guardadas una sola vez
flag-thp = parte de una página enorme transparente o de un folio grande
flag-offline = fuera de línea lógicamente (cedida por un balloon o desconectada)
flag-zero-page = la página de ceros compartida (o la página enorme de ceros)
flag-idle = sin accesos desde que se la marcó como ociosa
flag-pgtable = contiene una tabla de páginas
flag-reserved = reservada por el kernel, fuera del asignador de páginas (imagen del kernel, página de ceros)
flag-mlocked = bloqueada en RAM con mlock()
flag-owner-2 = en una página anónima: exclusiva, es de un solo proceso y escribirla no requiere copia; en una página de archivo, una marca propia del sistema de archivos
flag-private = tiene datos privados del sistema de archivos asociados
flag-private-2 = segunda marca privada del sistema de archivos
flag-owner-private = para uso privado de su dueño
flag-arch = marca propia de la arquitectura
flag-uncached = mapeada sin caché
flag-softdirty = escrita desde la última vez que se limpiaron los bits soft-dirty
flag-arch-2 = segunda marca propia de la arquitectura

# La vista en crudo de page-types (-r): qué significa un bit sobrecargado en esta
# página, y los bits de pagemap de la página que mapea el marco.
flag-anon-exclusive = en una página anónima (OWNER_2): es de un solo proceso, así que escribirla no requiere copia
flag-readahead = leída por adelantado (RECLAIM sin WRITEBACK significa esto)
flag-slub-frozen = una página de slab que una CPU reserva para sí (ACTIVE en una página de slab)
flag-slub-debug = una página de slab con controles de depuración (ERROR en una página de slab)
flag-file = mapeada desde un archivo o memoria compartida (bit 61 de pagemap)
flag-swap = en swap (bit 62 de pagemap)
flag-mmap-exclusive = mapeada por exactamente una entrada de tabla de páginas (bit 56 de pagemap)
