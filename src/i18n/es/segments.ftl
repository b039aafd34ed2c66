# vm-segments

segments-summary = Text, Data, bss, Heap, zona de mmap y Stack de un proceso vivo, en orden
segments-title = Text, Data, bss, Heap, zona de mmap, Stack
segments-about = Todos los procesos ven el mismo dibujo: el código (Text) abajo, después Data, bss y el Heap, más arriba la zona de mmap, y el Stack cerca del tope del espacio de usuario. El código no se copia a memoria cuando arranca el programa: cada página se trae la primera vez que se ejecuta.

## La disposición de este proceso.
segments-thing-function = una función (Text)
segments-thing-initialised = global inicializada (Data)
segments-thing-zeroed = global en cero (bss)
segments-thing-small = malloc pequeño, { $size } (Heap)
segments-thing-large = malloc grande, { $size } (mmap)
segments-thing-vdso = vdso
segments-thing-thread-stack = variable en el Stack de un hilo
segments-thing-stack = variable en el Stack
segments-thing-argv = argv
segments-thing-environment = entorno (environ)
segments-header-what = qué
segments-header-address = dirección
segments-header-region = región
segments-header-perms = permisos
segments-header-kind = tipo
segments-header-backing = respaldo
segments-none = ninguna
segments-step-items = La dirección de una cosa de cada tipo en este proceso, y la región de /proc/self/maps que contiene a cada una:
segments-step-bss-in-data = La global en cero está en la región de Data: bss empieza en la última página del segmento de Data, y el kernel agrega una región anónima aparte solo para la parte de bss que no entra ahí.
segments-step-diagram = El espacio de direcciones, arriba las direcciones altas (sin escala; los huecos, rotulados):
segments-diagram-adjacent = contiguas
segments-diagram-gap = hueco de { $size }
segments-diagram-skipped = { $gap }, { $count ->
        [one] 1 región más
       *[other] { $count } regiones más
    }

## ASLR.
segments-header-run = ejecución
segments-header-text = Text
segments-header-stack = Stack
segments-header-mmap = zona de mmap
segments-header-brk = Heap (brk)
segments-header-brk-gap = Heap − fin de bss
segments-unknown = desconocido
segments-step-aslr = ASLR: kernel.randomize_va_space = { $setting }{ $persona ->
        [yes] , pero este proceso corre con ADDR_NO_RANDOMIZE (setarch -R), así que para él y sus hijos ASLR está apagado
       *[no] {""}
    }. El mismo programa, lanzado { $runs } veces:

## El código, bajo demanda.
segments-header-text-pages = páginas de Text
segments-header-present = presentes
segments-header-function = función nunca ejecutada
segments-header-before = antes de llamarla
segments-header-after = después de llamarla
segments-mapped = mapeada
segments-not-mapped = no mapeada
segments-step-text = Los apuntes dicen que, para ejecutar un programa, el SO copia sus instrucciones en memoria. Linux no lo hace: exec solo mapea el archivo del programa, y cada página de código recibe un marco y una entrada en la tabla de páginas la primera vez que se ejecuta, mediante un fallo de página. Cada copia de arriba miró primero la página de una función que nunca se había ejecutado, la llamó y volvió a mirar; después contó cuántas páginas de su Text estaban presentes en su tabla de páginas. Esa función está sola, con 128 KiB de relleno a cada lado, porque ante un fallo el kernel también mapea las páginas vecinas que ya tiene en memoria (fault-around, 64 KiB por omisión, o un folio grande entero de la caché de páginas): una página cercana a código ya ejecutado podría quedar mapeada sin haberse ejecutado nunca. Así, las páginas presentes son las que se ejecutaron y sus vecinas, y el resto del Text ni siquiera está en la tabla de páginas.

## Por qué falta una evidencia.
segments-no-region = ninguna región de /proc/self/maps contiene { $addr }
segments-item-missing = el registro no tiene la dirección de: { $what }
segments-aslr-unreadable = no se pudo leer { $path }
segments-too-few-runs = informaron menos de dos copias, no hay nada que comparar
segments-text-unreadable = la copia no pudo leer su propio maps o su pagemap
segments-text-no-function = esta compilación no tiene una función apartada para la prueba (solo x86-64)
segments-text-mapped-early = en las { $runs } copias la página de la función ya estaba mapeada antes de llamarla, así que la llamada no puede mostrar que la trajo: un fallo en una página cercana también puede mapearla (fault-around, o un folio grande de la caché de páginas mapeado entero)

## Afirmaciones: el enunciado, y lo que predice la teoría.
segments-order = Text < Data < bss < Heap < zona de mmap < Stack
    .theory = las direcciones crecen en ese orden
segments-text-perms = el código se puede ejecutar y no se puede escribir
    .theory = r-x
segments-writable = Data, bss, Heap y Stack se pueden escribir y no ejecutar
    .theory = rw- en los cuatro
segments-large-apart = una reserva grande se mapea aparte del Heap de brk
    .theory = el malloc pequeño en el Heap, el de { $size } en otro lado
segments-large-seen = el pequeño en { $small }, el grande en { $large }
segments-thread-stack = cada hilo tiene su propio Stack, fuera del Stack principal
    .theory = regiones distintas
segments-thread-stack-seen = Stack principal en { $main }, el del hilo en { $thread }
segments-argv-env = argv y el entorno están en la región del Stack principal
    .theory = los dos en el Stack
segments-argv-env-seen = argv en { $argv }, entorno en { $env }
segments-aslr-layout = { $mode ->
        [off] con ASLR apagado, todas las ejecuciones tienen la misma disposición
        [on] con ASLR encendido, el Stack y la zona de mmap se mueven en cada ejecución
       *[unknown] la disposición sigue la configuración de ASLR
    }
    .theory = { $mode ->
        [off] las mismas direcciones de Text, Stack, mmap y Heap
        [on] direcciones distintas en cada ejecución
       *[unknown] depende de la configuración
    }
segments-aslr-stacks = Stacks { $stacks }
segments-aslr-stacks-mmaps = Stacks { $stacks }; mmap { $mmaps }
segments-aslr-heap = { $mode ->
        [full] con ASLR completo (2), el Heap empieza a una distancia al azar del programa
        [partial] sin ASLR completo, el Heap empieza a la misma distancia del programa en cada ejecución
       *[unknown] el comienzo del Heap sigue la configuración de ASLR
    }
    .theory = { $mode ->
        [full] distancias distintas
        [partial] la misma distancia
       *[unknown] depende de la configuración
    }
segments-text-partial = el kernel no copia el código del programa a memoria al arrancar: un proceso recién lanzado tiene mapeada solo una parte de su Text
    .theory = menos páginas presentes que páginas de Text
segments-present-of = { $present } de { $total }
segments-text-on-call = una página de código se mapea la primera vez que se ejecuta
    .theory = la página de una función nunca ejecutada: no mapeada antes de la primera llamada, mapeada después
segments-text-on-call-seen = { $loaded } de { $fresh } copias: no mapeada antes de la llamada, mapeada después{ $early ->
        [0] {""}
       *[other] ; en { $early } ya estaba mapeada
    }
