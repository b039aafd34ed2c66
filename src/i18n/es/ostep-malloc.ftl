# vmlab ostep malloc.py: lo que añade vmlab (las líneas propias del script siguen en inglés).

ostep-malloc-about = Un asignador con lista libre: mallocs y frees sacados de la semilla (o dados con -A), el puntero de cada malloc y cuántos elementos de la lista recorrió, y la lista libre tras cada operación. Con -c, las respuestas. Donde malloc.py se equivoca, vmlab imprime la respuesta correcta y una línea marcada con lo que dice malloc.py y por qué.
ostep-malloc-help-seed = la semilla aleatoria
ostep-malloc-help-size = tamaño del montículo
ostep-malloc-help-base = dirección base del montículo
ostep-malloc-help-header = tamaño de la cabecera
ostep-malloc-help-alignment = alinear los trozos asignados a este tamaño; -1: sin alinear
ostep-malloc-help-policy = búsqueda en la lista (BEST, WORST, FIRST)
ostep-malloc-help-order = orden de la lista (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)
ostep-malloc-help-coalesce = ¿fusionar la lista libre?
ostep-malloc-help-num = número de operaciones aleatorias que generar
ostep-malloc-help-range = tamaño máximo de un malloc
ostep-malloc-help-percent = porcentaje de operaciones que son malloc
ostep-malloc-help-list = en vez de aleatorias, lista de operaciones (+10,-0,etc)
ostep-malloc-help-compute = calcular las respuestas
ostep-malloc-bad-policy = política desconocida '{ $policy }': BEST, WORST o FIRST (malloc.py se detiene con un AssertionError)
ostep-malloc-bad-order = orden de lista desconocido '{ $order }': ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT o INSERT-BACK (malloc.py se detiene con un AssertionError)
ostep-malloc-bad-alignment = alineamiento { $value }: -1 (ninguno) o un número positivo (malloc.py se detiene con un AssertionError)
ostep-malloc-bad-number = { $option } { $value }: un número de 0 a 4294967295
ostep-malloc-empty-chunk = un malloc de { $size } bytes no tiene sentido: un tamaño menor que 0, o un trozo de cero bytes (malloc.py no puede distinguir dos trozos así y se detiene con un AssertionError); usa -r 1 o más y tamaños mayores que 0
ostep-malloc-percent-zero = -P { $value }: sin mallocs nunca hay nada asignado que liberar, así que no se podría hacer ninguna operación (malloc.py se detiene con un AssertionError); da un porcentaje mayor que 0
ostep-malloc-too-many = { $num } operaciones son demasiadas: como mucho { $max }
ostep-malloc-bad-op = operación incorrecta '{ $op }' en -A: +TAMAÑO asigna, -K libera ptr[K] (malloc.py se detiene con un error)
ostep-malloc-question = ptr[{ $k }] = Alloc({ $size }): ¿qué dirección devuelve (-1 si falla)?
ostep-malloc-says = malloc.py dice '{ $line }': { $why }
ostep-malloc-why-header = con -A imprime la dirección de la cabecera del trozo, no el puntero que recibe el usuario, { $header } bytes más allá.
ostep-malloc-why-failed-header = suma el tamaño de la cabecera ({ $header }) al -1 de un malloc fallido; un malloc fallido devuelve -1 (NULL).
ostep-malloc-why-split = deja lo que sobra de un trozo partido donde estaba el trozo, así que una lista ordenada por tamaño deja de estar ordenada.
ostep-malloc-why-neighbours = fusiona un trozo liberado solo con los trozos contiguos en la lista, no con todos los trozos libres contiguos en memoria.
ostep-malloc-why-stale = libera la dirección antigua de un puntero ya liberado, que otro malloc puede haber recibido después; un segundo free no cambia nada y devuelve -1.
ostep-malloc-why-skip = compara el índice con el número de mallocs que tuvieron éxito ({ $ok }), no con el número de mallocs hechos, así que se salta un free válido.
ostep-malloc-why-since = su montículo es distinto del correcto desde '{ $op }'.
ostep-malloc-crash-keyerror = malloc.py se detiene aquí con un KeyError: ptr[{ $k }] no guarda ningún puntero, su malloc falló. Liberarlo no cambia nada y devuelve -1, y vmlab sigue.
