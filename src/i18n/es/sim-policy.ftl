# vmlab sim policy: reemplazo de páginas (y lo que comparte vmlab sim tlb).

policy-memory = La memoria tiene { $frames ->
        [one] 1 marco (el 0)
       *[other] { $frames } marcos (del 0 al { $last })
    }, vacía al principio; una página va al marco libre de número más bajo mientras haya uno.
policy-belady-intro = Anomalía de Belady: ejecuta { $policy } sobre la misma cadena de referencias con { $small } y con { $big } marcos (vacíos al principio, primero el marco libre más bajo).
policy-rule = Política { $policy }: en un fallo con la memoria llena, { $rule }.
policy-rule-fifo = expulsa la página que se cargó primero (un acierto no cambia nada)
policy-rule-lru = expulsa la página cuyo último uso es el más antiguo
policy-rule-mru = expulsa la página usada más recientemente
policy-rule-opt = expulsa la página cuyo próximo uso está más lejos en el futuro (una página que no se vuelve a usar es la más lejana; si hay varias, cualquiera es correcta: la solución toma la cargada primero)
policy-rule-unopt = expulsa la página cuyo próximo uso es el más cercano (las que no se vuelven a usar se quedan; en un empate, la cargada primero)
policy-rule-rand = expulsa la página del marco que indica el siguiente sorteo (los sorteos están abajo; cada expulsión usa uno)
policy-rule-clock = una manecilla apunta a un marco (el 0 al principio); cada marco tiene un contador de uso de { $bits } { $bits ->
        [one] bit
       *[other] bits
    } (0 a { $max }): una carga lo pone a 1, un acierto le suma 1 (hasta { $max }). Para expulsar, mira el marco bajo la manecilla: contador 0 → se expulsa; si no, réstale 1 y pasa la manecilla al marco siguiente. Tras cargar en el marco liberado, la manecilla queda en el siguiente
policy-source-given = Cadena de referencias ({ $count } accesos, dada):
policy-source-trace-pages = Cadena de referencias ({ $count } accesos, números de página de { $path }):
policy-source-trace-addresses = Cadena de referencias ({ $count } accesos, direcciones de { $path } en páginas de { $size } bytes):
policy-source-random = Cadena de referencias ({ $count } accesos, al azar: páginas 0 a { $last }, { $locality }% de localidad):
policy-source-belady = Cadena de referencias ({ $count } accesos, la cadena de Belady para este tamaño de memoria):
policy-more = ... y { $count } más
policy-draws = Sorteos (marco víctima de la 1.ª, 2.ª, ... expulsión):
policy-task = Para cada acceso: ¿es un acierto, un fallo a un marco libre, o un fallo que expulsa una página (cuál)? Después, los totales.
policy-task-long = La cadena es larga ({ $count } accesos): solo se preguntan los totales.
policy-question-access = acceso { $n } (página { $page }): ¿acierto, fallo, o expulsa PÁGINA?
policy-question-hits = ¿cuántos aciertos?
policy-question-misses = ¿cuántos fallos?
policy-question-rate = ¿tasa de aciertos (aciertos / accesos, en %)?
policy-col-page = página
policy-col-result = resultado
policy-col-evicted = expulsada
policy-col-after = memoria después
policy-col-tally = aciertos/fallos
policy-order-fifo = (memoria listada de la primera en entrar a la última)
policy-order-lru = (memoria listada de la menos a la más recientemente usada)
policy-order-clock = (memoria por marco, página:contador, > marca la manecilla)
policy-order-frames = (memoria listada por marco, - si está libre)
policy-steps-in-json = (los pasos de cada acceso están en --json --solve)
policy-frame = marco
policy-why-hit = { $page } está en { $slot } { $n }: acierto
policy-why-first = fallo (primer uso)
policy-why-miss = fallo
policy-why-free = { $page } no está: { $miss }; { $slot } { $n } está libre
policy-why-evict = { $page } no está: { $miss }; todo lleno; { $reason } → se expulsa { $victim } de { $slot } { $n }
policy-choice-loaded = { $victim } se cargó primero (acceso { $at })
policy-choice-used = { $victim } se usó por última vez en el acceso { $at }
policy-choice-next = { $victim } se vuelve a usar en el acceso { $at }
policy-choice-never = { $victim } no se vuelve a usar
policy-choice-never-tie = { $victim } no se vuelve a usar, como otras (cualquiera es correcta; se toma la cargada primero)
policy-choice-draw = el sorteo n.º { $n } es { $value }: { $slot } { $frame }
policy-choice-hand = la manecilla va desde { $slot } { $from } y da { $turns } { $turns ->
        [one] vuelta completa
       *[other] vueltas completas
    }, restando 1 a cada contador que pasa, hasta el primero con contador 0
policy-summary = { $policy }, { $frames } marcos: { $hits } aciertos, { $misses } fallos ({ $compulsory } en primeros usos, que ninguna política evita), tasa de aciertos { $rate }
policy-belady-task = ¿La memoria más grande falla más veces?
policy-belady-q-misses = ¿fallos con { $frames } marcos?
policy-belady-q-more = ¿{ $policy } con { $big } marcos falla más que con { $small } (sí/no)?
policy-belady-with = Con { $frames } marcos:
policy-belady-anomaly = Anomalía: un marco más da { $more } { $more ->
        [one] fallo más
       *[other] fallos más
    } ({ $small } → { $big }). { $policy } no es un algoritmo de pila: las páginas que tiene con más marcos no siempre incluyen las que tiene con menos.
policy-belady-none-stack = No hay anomalía en esta cadena. { $policy } es un algoritmo de pila: más marcos nunca fallan más, en ninguna cadena.
policy-belady-none = No hay anomalía en esta cadena.

policy-error-frames = { $frames } marcos: la memoria necesita de 1 a { $max } marcos
policy-error-bits = { $bits }: CLOCK necesita de 1 a 16 bits de uso
policy-error-maxpage = las páginas van de 0 a maxpage-1: tiene que ser al menos 1
policy-error-both = da -A o -f, no los dos
policy-error-num = { $num } accesos: se generan de 1 a { $max }
policy-error-too-long = como mucho { $max } accesos
policy-error-not-a-number = '{ $text }' no es un número (escribe 12 o 0xc, separados por comas)
policy-error-empty = la lista está vacía
policy-error-trace-line = línea { $line }: '{ $text }' no es un número de página ni una dirección (uno por línea: 12, 0x1000, o una línea de lackey como 'L 04016f60,8')
policy-error-trace-empty = la traza no tiene accesos
policy-error-no-real = el reemplazo de páginas no tiene parte medida: el reemplazo del kernel (sus listas LRU activa e inactiva) no se puede observar acceso a acceso desde el espacio de usuario; `vmlab demo dirty` muestra los bits de acceso que usa la LRU del kernel para elegir qué expulsar
policy-error-read = no se puede leer la traza: { $error }
