# vmlab sim freespace: un asignador con lista libre.

freespace-order-addr = ordenada por dirección
freespace-order-size-up = ordenada por tamaño, de menor a mayor (a igual tamaño, por dirección)
freespace-order-size-down = ordenada por tamaño, de mayor a menor (a igual tamaño, por dirección)
freespace-order-front = con los trozos liberados insertados al principio
freespace-order-back = con los trozos liberados insertados al final

## El problema.
freespace-heap = Heap: { $size } bytes en la dirección { $base } (de { $base } a { $last }); cabecera de { $header } bytes; alineación { $align }.
freespace-align-none = ninguna
freespace-align-bytes = de { $align } bytes
freespace-policy = Política: { $fit }, { $rule }. Lista libre { $order }; fusión de huecos { $coalesce }.
freespace-coalesce-on = activada (con los trozos libres vecinos en memoria)
freespace-coalesce-off = desactivada
freespace-rule-chunk = Un trozo es cabecera + pedido, redondeado hacia arriba a la alineación, tomado del extremo bajo del trozo libre elegido; el resto sigue libre.
freespace-rule-return = malloc devuelve la dirección que sigue a la cabecera (NULL si nada alcanza); free(ptr) encuentra el trozo por la cabecera justo antes de ptr.
freespace-rule-search = El primer ajuste y el siguiente ajuste dejan de buscar en el primer trozo que alcanza; el mejor y el peor ajuste miran todos los trozos.
freespace-start = La lista libre al principio: { $list }
freespace-notation = (Un trozo se escribe dirección:tamaño: 1000:100 son 100 bytes desde la dirección 1000.)
freespace-ops-head = Las operaciones (las preguntas sobre cada una están en la última columna):
freespace-col-step = paso
freespace-col-operation = operación
freespace-col-questions = preguntas
freespace-more = (las primeras { $shown } de { $total } operaciones: se pregunta por estas y por el final; todas están en --json)
freespace-question-returned = Paso { $step }, { $op }: ¿la dirección devuelta (o NULL)?
freespace-question-searched = Paso { $step }: ¿cuántos elementos de la lista libre se recorrieron?
freespace-question-list = Paso { $step }, { $op }: ¿cuántos trozos quedan en la lista libre después?
freespace-question-end-free = Al final: ¿cuántos bytes están libres?
freespace-question-end-chunks = Al final: ¿cuántos trozos hay en la lista libre?
freespace-question-end-largest = Al final: ¿el tamaño del trozo libre más grande?
freespace-question-end-external = Al final: ¿la fragmentación externa, 1 − más grande/libre, en porcentaje entero (0 si nada está libre)?
freespace-question-end-internal = Al final: ¿los bytes de los trozos asignados que el usuario no pidió (cabeceras y relleno)?

## La solución.
freespace-col-need = necesita
freespace-col-searched = recorridos
freespace-col-returns = devuelve
freespace-col-list = lista libre después
freespace-step = Paso { $step }: { $op }
freespace-need-overflow = necesita cabecera { $header } + { $request } bytes: más de lo que cabe en cualquier heap; { $searched ->
        [one] recorrió 1 elemento
       *[other] recorrió { $searched } elementos
    }, devuelve NULL
freespace-need-header = necesita cabecera { $header } + { $request } = { $raw } bytes
freespace-need-plain = necesita { $raw } bytes (sin cabecera)
freespace-need-rounded = { $needs }, redondeado hacia arriba a un múltiplo de { $align }: { $need }
freespace-search-empty = la lista libre está vacía: recorrió 0 elementos, falla, devuelve NULL
freespace-walk-first = primer ajuste: recorre la lista desde el principio y se detiene en el primer trozo que alcanza
freespace-walk-next = siguiente ajuste: recorre la lista desde donde terminó la búsqueda anterior (dando la vuelta) y se detiene en el primer trozo que alcanza
freespace-walk-best = mejor ajuste: mira todos los trozos y toma el más pequeño que alcanza (el primero entre iguales, en el orden de la lista)
freespace-walk-worst = peor ajuste: mira todos los trozos y toma el más grande que alcanza (el primero entre iguales, en el orden de la lista)
freespace-looked = miró: { $chunks }
freespace-looked-fits = { $chunk } alcanza
freespace-looked-small = { $chunk } no alcanza
freespace-chosen = { $searched ->
        [one] recorrió 1 elemento
       *[other] recorrió { $searched } elementos
    }; elige { $chunk }
freespace-search-fails = { $searched ->
        [one] recorrió 1 elemento
       *[other] recorrió { $searched } elementos
    } y ninguno alcanza: falla, devuelve NULL
freespace-split = se divide: de { $first } a { $last } queda asignado ({ $need } bytes); el resto, { $rest }, sigue libre en el lugar del trozo elegido en la lista
freespace-split-sorted = se divide: de { $first } a { $last } queda asignado ({ $need } bytes); el resto, { $rest }, sigue libre, movido a su lugar por tamaño
freespace-exact = ajuste exacto: todo el trozo queda asignado y sale de la lista
freespace-returns = devuelve { $ptr } = trozo { $addr } + cabecera { $header }
freespace-invalid = inválido: { $why }; free devuelve -1 y no cambia nada
freespace-invalid-never = ptr[{ $id }] nunca se asignó
freespace-invalid-null = ptr[{ $id }] no tiene un puntero: su malloc falló (NULL)
freespace-invalid-double = ptr[{ $id }] ya se liberó en el paso { $step } (una doble liberación)
freespace-invalid-other = ptr[{ $id }] no es un puntero asignado
freespace-free-chunk = { $ptr } − cabecera { $header } = trozo { $addr }, tamaño { $size } (leído de su cabecera)
freespace-free-alone = ningún trozo libre lo toca en memoria: no hay nada que fusionar
freespace-neighbour-before = antes { $chunk } (termina en { $end })
freespace-neighbour-after = después { $chunk } (empieza en { $start })
freespace-free-merged = vecinos libres en memoria: { $neighbours }: se fusionan en { $chunk }
freespace-free-unmerged = vecinos libres en memoria: { $neighbours }: no se fusionan (la fusión está desactivada)
freespace-free-inserted = { $chunk } entra en la lista { $place }; devuelve 0
freespace-place-addr = en orden de dirección
freespace-place-size-up = en orden de tamaño, de menor a mayor
freespace-place-size-down = en orden de tamaño, de mayor a menor
freespace-place-front = al principio
freespace-place-back = al final
freespace-list = lista libre: { $list }
freespace-list-empty = (vacía)
freespace-memory = memoria por dirección: { $pieces }
freespace-piece-used = { $addr } ptr[{ $id }]({ $size })
freespace-piece-free = { $addr } libre({ $size })
freespace-end = Al final:
freespace-end-free = libre: { $bytes } bytes en { $chunks ->
        [one] 1 trozo
       *[other] { $chunks } trozos
    }, el más grande de { $largest } bytes
freespace-external-none = fragmentación externa: nada está libre, así que ninguna (0 %, no una división por cero)
freespace-external-one = fragmentación externa = 1 − más grande/libre = 1 − { $free }/{ $free } = 0 %: todo el espacio libre es un solo trozo
freespace-external = fragmentación externa = 1 − más grande/libre = 1 − { $largest }/{ $free } = { $percent } % (redondeado): un pedido de más de { $largest } bytes falla aunque haya { $free } bytes libres
freespace-end-internal = fragmentación interna: { $chunks ->
        [one] 1 trozo vivo ocupa
       *[other] { $chunks } trozos vivos ocupan
    } { $allocated } bytes para { $requested } pedidos: { $internal } bytes de cabeceras y relleno

## Errores de parámetros.
freespace-error-heap-empty = el heap necesita al menos 1 byte
freespace-error-heap-end = un heap de { $size } bytes en { $base } pasa del final del espacio de direcciones
freespace-error-base-align = { $value } no es múltiplo de --align { $align }: el primer trozo no quedaría alineado
freespace-error-header-align = { $value } no es múltiplo de --align { $align }: el puntero que sigue a la cabecera no quedaría alineado
freespace-error-header-room = una cabecera de { $header } bytes no deja lugar en un heap de { $size } bytes
freespace-error-num = { $num } operaciones son demasiadas (como mucho { $max })
freespace-error-range = el pedido más grande tiene que ser de al menos 1
freespace-error-ops-many = como mucho { $max } operaciones
freespace-error-op = '{ $item }': { $why }
freespace-error-op-size = se esperaba +TAMAÑO, un número de bytes
freespace-error-op-zero = malloc(0): los tamaños empiezan en 1
freespace-error-op-index = se esperaba -K, el índice de ptr[K] a liberar
freespace-error-op-later = ptr[{ $k }] todavía no existe ({ $allocs ->
        [one] solo hay 1 malloc
       *[other] solo hay { $allocs } mallocs
    } antes: ptr[0] es el primero)
freespace-error-op-form = cada operación es +TAMAÑO (malloc) o -K (free de ptr[K]), separadas por comas

## --real
freespace-real-intro = El malloc de la biblioteca de C en este proceso de vmlab (espacio de usuario: el kernel solo ve crecer el heap de a páginas, con brk o mmap):
freespace-real-col-call = llamada
freespace-real-col-returned = devolvió
freespace-real-null = (malloc devolvió NULL: no hay nada que medir)
freespace-real-align = los tres punteros son múltiplos de { $align }; malloc_usable_size dice { $usable } bytes para un pedido de { $request } bytes
freespace-real-adjacent = trozos contiguos a { $chunk } bytes uno de otro: { $request } pedidos + { $overhead } de cabecera y relleno (el --header-size y el --align del simulador)
freespace-real-apart = los tres bloques no están a la misma distancia ({ $first } y { $second } bytes: huecos reusados de liberaciones anteriores), así que las distancias no son tamaños de trozo
freespace-real-again-last = el malloc después de las dos liberaciones recibió p0: el último trozo liberado vuelve primero (una lista que inserta al principio)
freespace-real-again-first = el malloc después de las dos liberaciones recibió p1: el primer trozo liberado vuelve primero
freespace-real-again-neither = el malloc después de las dos liberaciones no recibió ninguno de los bloques liberados
