# vmlab course: los capítulos del apunte, sus conceptos, y dónde muestra vmlab cada uno.

course-intro = La virtualización de memoria tal como la enseña el apunte del curso, capítulo por capítulo, y el comando que muestra cada concepto en esta máquina: vm-NOMBRE es una demo (también vmlab demo NOMBRE), vmlab sim NOMBRE un simulador, y vmlab maps, pages y translate el inspector.
course-goals-title = Las tres metas de la virtualización de memoria
course-shown-by = lo muestra: { $commands }
course-out-of-scope = fuera de alcance: { $why }

goal-transparency = transparencia
    .meaning = el programa no puede notar que su memoria es virtual: se comporta como si tuviera su propia memoria física privada
goal-efficiency = eficiencia
    .meaning = la ilusión cuesta poco tiempo (la TLB, pocos fallos) y poco espacio (tablas solo donde hay algo mapeado, marcos compartidos)
goal-protection = protección
    .meaning = ningún proceso puede leer ni escribir la memoria de otro, ni la del kernel; un proceso con fallas solo se daña a sí mismo
goal-line = { $goal }: { $meaning }. Demos: { $demos }

course-ch-definition = Virtualización de memoria: definición y metas
course-physical-shared = la memoria física compartida por muchos procesos mediante una abstracción: las direcciones virtuales
course-illusion-all-memory = cada proceso cree que tiene toda la memoria para él solo
course-four-segments = el espacio de direcciones: text (código), data (variables globales), heap (memoria dinámica), stack (variables locales y llamadas)
course-goal-transparency = meta: transparencia, la virtualización de memoria es invisible para el programa
course-goal-efficiency = meta: eficiencia, en tiempo y en el espacio de las estructuras que la sostienen
course-goal-protection = meta: protección de los procesos entre sí y del SO frente a los procesos
course-isolation = aislamiento: cada proceso se ejecuta en su propio caparazón, a salvo de procesos con fallas o maliciosos

course-ch-translation = Traducción, paginación, segmentación y sus problemas
course-virtual-physical = direcciones virtuales (las que usa el proceso) y direcciones físicas (lugares reales de la RAM)
course-mmu-tables-tlb = la MMU traduce mediante tablas de páginas, y una TLB lo hace rápido
course-base-bounds = dirección física = dirección virtual + base (base y límites)
course-vpn-offset = una dirección virtual es un número de página virtual (VPN) y un desplazamiento; el número de marco reemplaza al VPN
course-paging = paginación: la memoria en páginas de tamaño fijo (4 KiB) mapeadas sobre marcos físicos
course-paging-no-external = la paginación elimina la fragmentación externa: páginas virtuales contiguas no necesitan marcos contiguos
course-segmentation = segmentación: segmentos de tamaño variable (código, datos, stack)
course-external-fragmentation = fragmentación externa: la memoria libre dispersa en huecos demasiado chicos para usarlos
course-valid-bit = el bit de validez de una entrada de la tabla de páginas
course-protection-bits = los bits de protección (lectura, escritura, ejecución) de una entrada de la tabla de páginas
course-dirty-bit = el bit de modificado (dirty): la página fue modificada
course-tlb = la TLB: una caché de traducciones recientes
course-internal-fragmentation = fragmentación interna: se asigna en páginas enteras, más de lo pedido
course-translation-overhead = el costo de la traducción: recorrer tablas es lento, y un fallo de página más aún
course-multilevel = tablas de páginas multinivel, para gastar menos espacio en tablas
course-shared-pages = páginas compartidas: varios procesos usan el mismo marco físico
course-compaction = compactación: mover asignaciones para juntar los huecos libres (segmentación)
course-dynamic-allocation = flexibilidad: memoria asignada dinámicamente, a medida que el programa la pide
course-replacement = cuando se acaba la memoria, qué página desalojar: políticas de reemplazo (FIFO, LRU, OPT, reloj)

course-ch-memory-and-cpu = Virtualización: memoria y procesador
course-os-loads-program = para ejecutar un programa el SO carga su código y sus datos, y prepara su stack y su heap
course-hardware-protection = la protección de memoria necesita un mecanismo de hardware: cada proceso escribe solo su propia memoria
course-same-addresses = con direcciones virtuales, la memoria de cada proceso empieza en el mismo lugar
course-mmu-translates = el hardware (la MMU) traduce cada dirección virtual que emite la CPU a una física
course-fault-isolation = aislamiento frente a fallas: el error de un proceso no tira abajo a los demás ni a la máquina
course-kernel-permission = un proceso necesita permiso del kernel para llegar a la memoria de otro proceso
course-cpu-virtualization = virtualización del procesador: cada proceso cree que tiene toda la CPU
    .out-of-scope = vmlab trata la memoria; la CPU es tema de su propio capítulo

course-ch-goals = Virtualización: la ilusión y sus metas
course-illusion-resources = la virtualización le da a cada aplicación la ilusión de recursos que en realidad no están
course-goals = otra vez las metas: transparencia, eficiencia, protección

course-ch-address-spaces = Espacios de direcciones
course-arbitrary-frames = el programa no está en las direcciones físicas 0 a 16 KB sino donde lo puso el SO, en marcos arbitrarios
course-large-address-space = el programa cree que está cargado en una dirección fija con un espacio de direcciones enorme (32 o 64 bits)
course-every-access-translated = cada lectura y escritura pasa por la traducción, nunca va directo a la memoria física
