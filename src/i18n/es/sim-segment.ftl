# vmlab sim segment: segmentación, y ubicar segmentos en la memoria física.

segment-kind-code = código
segment-kind-heap = heap
segment-kind-stack = stack
segment-kind-code-heap = código+heap

## Parte 1: el problema.
segment-sizes = Espacio de direcciones de { $asize } bytes ({ $asize_human }), memoria física de { $physmem } bytes ({ $physmem_human }).
segment-split = { $bits ->
        [one] El bit más alto
       *[other] Los { $bits } bits más altos
    } de una dirección virtual (DV) de { $va_bits } bits { $bits ->
        [one] elige
       *[other] eligen
    } el segmento; los otros { $offset_bits } bits son el desplazamiento (un segmento tiene como mucho { $max } bytes).
segment-col-segment = segmento
segment-col-selector = selector
segment-col-base = base
segment-col-limit = límite
segment-col-grows = crece
segment-grows-up = hacia arriba
segment-grows-down = hacia abajo
segment-unused = (sin uso)
segment-stack-note = (La base del stack es la dirección física justo encima de él: crece hacia abajo desde ahí.)
segment-task = Parte 1. Traduce cada dirección virtual a una dirección física (DF), o escribe 'fallo' si es una violación de segmento; después da el borde de cada segmento.
segment-question = DV { $va } (decimal { $decimal }): ¿dirección física, o fallo?
segment-question-highest = ¿La DV válida más alta del segmento de { $segment } (o 'ninguna')?
segment-question-lowest = ¿La DV válida más baja del segmento de { $segment } (o 'ninguna')?

## Parte 1: la solución.
segment-solution-part1 = Parte 1: traducción.
segment-check = Comprobación: los segmentos están dentro de la memoria física [0, { $end }) y no se superponen: { $extents }.
segment-extent = { $segment } [{ $start }, { $end })
segment-extent-empty = { $segment } vacío
segment-step-head = DV { $va } = { $binary }b: selector { $selector }
segment-step-unused = { $head }, que ningún segmento usa: VIOLACIÓN DE SEGMENTO.
segment-step-up-valid = { $head } → { $segment }, desplazamiento { $offset } ({ $decimal }) < límite { $limit }: válida. DF = { $base } + { $offset } = { $pa }
segment-step-up-fault = { $head } → { $segment }, desplazamiento { $offset } ({ $decimal }) ≥ límite { $limit }: VIOLACIÓN DE SEGMENTO.
segment-step-down-valid = { $head } → { $segment }, desplazamiento { $offset } ({ $decimal }); crece hacia abajo, así que el desplazamiento negativo es { $decimal } − { $max } = −{ $below }; { $below } ≤ límite { $limit }: válida. DF = { $base } − { $below } = { $pa }
segment-step-down-fault = { $head } → { $segment }, desplazamiento { $offset } ({ $decimal }); crece hacia abajo, así que el desplazamiento negativo es { $decimal } − { $max } = −{ $below }; { $below } > límite { $limit }: VIOLACIÓN DE SEGMENTO.
segment-edge-up = Borde del segmento de { $segment }: { $edge } (su tramo empieza en { $slot } y tiene límite { $limit } bytes: { $slot } + { $limit } − 1); la siguiente falla.
segment-edge-down = Borde del segmento de { $segment }: { $edge } (crece hacia abajo desde el tope de su tramo de { $max } bytes: { $top } − límite { $limit }); la anterior falla.
segment-edge-none = Borde del segmento de { $segment }: ninguna (su límite es 0, así que ninguna dirección suya es válida).
segment-share = { $valid } de estas { $total } direcciones son válidas. Sorteadas de manera uniforme en el espacio de direcciones, la proporción esperada es la suma de los límites sobre el tamaño del espacio = { $expected }.

## Parte 2: ubicar segmentos.
segment-alloc-intro = Parte 2. La memoria física tiene los segmentos de este proceso P. Después se asignan y liberan otros segmentos (s1, s2 ...), cada uno ubicado por { $fit }: { $rule }.
segment-picture-legend = (un carácter cada { $bytes } bytes; . está libre; C, H, S son el código, el heap y el stack de P; los demás son s1, s2 ... como 1, 2 ...)
segment-free = libre
segment-col-start = inicio
segment-col-end = fin
segment-col-bytes = bytes
segment-col-contents = contenido
segment-alloc-events = Los eventos (la pregunta de cada asignación está en la última columna):
segment-col-event = evento
segment-col-operation = operación
segment-col-question = pregunta
segment-op-alloc = asignar { $name } ({ $size } bytes)
segment-op-free = liberar { $name }
segment-question-alloc = Evento { $event }, asignar { $name } ({ $size } bytes): ¿su dirección de inicio, o falla?
segment-question-free = Después de los eventos: ¿cuántos bytes quedan libres en total?
segment-question-largest = Después de los eventos: ¿el tamaño del hueco libre más grande, en bytes?
segment-question-fits = ¿Se puede ubicar ahora un segmento nuevo de { $size } bytes, sin compactar (sí/no)?
segment-question-copied = La compactación desliza cada segmento hacia la dirección 0, sin cambiar su orden: ¿cuántos bytes se copian?
segment-question-after = Después de compactar, ¿dónde empieza el segmento nuevo de { $size } bytes?

segment-alloc-rule = Parte 2: asignación por { $fit }: { $rule }. Los huecos son los espacios entre segmentos asignados, en orden de dirección, así que los vecinos liberados se juntan en un solo hueco.
segment-hole = { $start } ({ $size } B)
segment-holes-none = ninguno
segment-step-alloc = asignar { $name } ({ $size } B). Huecos: { $holes }; { $fit } elige { $start } ({ $hole } B ≥ { $size }): { $name } en { $start } – { $last }.
segment-step-alloc-fragmented = asignar { $name } ({ $size } B). Huecos: { $holes }; ningún hueco tiene { $size } B (el más grande tiene { $largest } B) aunque hay { $free } B libres en total: fragmentación externa. Falla.
segment-step-alloc-full = asignar { $name } ({ $size } B). Huecos: { $holes }; solo hay { $free } B libres en total (el hueco más grande tiene { $largest } B): falla.
segment-step-free = liberar { $name }: { $start } – { $last } ({ $size } B) queda libre.
segment-step-free-nothing = liberar { $name }: no está en memoria, no cambia nada.
segment-alloc-after = La memoria después de los eventos:
segment-nothing-free = nada
segment-step-free-total = Libre en total: { $sum } = { $total } B.
segment-step-largest = El hueco más grande: { $largest } B.
segment-step-fits = { $size } B ≤ el hueco más grande, { $largest } B: sí.
segment-step-fits-not = { $size } B > el hueco más grande, { $largest } B, aunque hay { $free } B libres: no. Eso es fragmentación externa.
segment-move = { $name } { $from } → { $to } ({ $size } B)
segment-move-stays = { $name } se queda en { $start }
segment-move-nothing = nada que mover
segment-step-compaction = Compactación: { $moves }. Copiados: { $copied } B (solo se copian los segmentos que se mueven).
segment-register = { $name } base { $base }
segment-register-stack = { $name } base { $base } (su tope)
segment-registers-rewritten = El SO reescribe los registros base de los segmentos movidos: { $registers }.
segment-alloc-compacted = La memoria después de compactar:
segment-step-after = Los { $free } bytes libres son ahora un solo hueco en { $start }: el segmento de { $size } bytes empieza ahí.

## Errores de parámetros.
segment-error-bits = { $bits } bits de selector: usa 2 (código, heap, stack) o 1 (código+heap, stack)
segment-error-small = { $asize } bytes es demasiado poco para dividirlo en segmentos (al menos 16)
segment-error-events = { $events } eventos son demasiados (como mucho { $max })
segment-error-heap-one-bit = con --seg-bits 1 el heap comparte el segmento 0 con el código: da --code-base y --code-limit
segment-error-limit-max = el límite { $limit } del segmento de { $segment } es más que el segmento más grande, { $max } bytes (el desplazamiento tiene { $bits } bits del espacio de direcciones de { $asize } bytes)
segment-error-limit-physmem = el límite { $limit } del segmento de { $segment } es más que la memoria física ({ $physmem } bytes)
segment-error-stack-base = el stack crece hacia abajo desde la base { $base } tanto como su límite { $limit }: tiene que quedar entre 0 y el final de la memoria física, { $end }
segment-error-base = el segmento de { $segment } en { $base } con límite { $limit } termina más allá de la memoria física ({ $physmem } bytes)
segment-error-overlap = el segmento de { $segment } [{ $start }, { $end }) se superpone con el segmento de { $other } [{ $other_start }, { $other_end }) en la memoria física
segment-error-no-room = no hay lugar para el segmento de { $segment } ({ $limit } bytes) junto a los otros en { $physmem } bytes de memoria física: da límites más pequeños, otras bases o un --physmem mayor

## --real
segment-real-intro = Linux en x86-64 no traduce con segmentos: CS, DS y SS tienen base 0 y ningún límite. El código, el heap y el stack son áreas (VMAs) de un único espacio de direcciones paginado. Las de vmlab, de /proc/self/maps:
segment-real-col-area = área
segment-real-col-start = inicio
segment-real-col-end = fin
segment-real-col-size = tamaño
segment-real-col-grows = crece
segment-real-fixed = tamaño fijo
segment-real-brk = hacia arriba (brk)
segment-real-down = hacia abajo
segment-real-none = (ninguna ahora)
segment-real-no-limit = No hay registro límite: un acceso fuera de toda área es un fallo de página que el kernel responde con SIGSEGV, la forma paginada de una violación de segmento; justo debajo del stack, el kernel agranda el área del stack.
segment-real-unreadable = (no se pudo leer /proc/self/maps: { $error })
segment-real-see = Míralo explicado región por región con `vmlab demo segments`.
