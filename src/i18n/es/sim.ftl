# Lo que comparten todos los simuladores (`vmlab sim ...`): el marco de un ejercicio,
# la corrección, los archivos de respuestas y los errores de parámetros.

sim-header = ━━ vmlab sim { $name } (semilla { $seed }) ━━ simulado, no medido
sim-solution = Solución
sim-measured = Medido en esta máquina (no simulado)
sim-footer = Responde en un archivo, una línea por pregunta como 'NÚMERO: RESPUESTA' (números hexadecimales con 0x; palabras en español o en inglés), y corrígelo con --check ARCHIVO; o mira la solución paso a paso con --solve (la misma --seed { $seed }).

## Respuestas tal como las escribe la solución (se puede responder en cualquiera de los dos idiomas).
sim-word-fault = fallo
sim-word-hit = acierto
sim-word-miss = fallo
sim-word-fail = falla
sim-word-yes = sí
sim-word-no = no
sim-word-none = ninguna
sim-word-null = NULL
sim-answer-evict = expulsa { $page }

## Corrección.
sim-graded-against = corregido según: { $command }
sim-against-defaults = { $command } (parámetros por defecto)
sim-against-params = { $command } (parámetros distintos de los por defecto: { $params })
sim-grade-right = bien
sim-grade-wrong = mal
sim-grade-no-answer = (sin respuesta)
sim-grade-expected = { $given }  (se esperaba { $expected })
sim-grade-expected-note = { $given }  (se esperaba { $expected }; { $note })
sim-grade-score = { $right } de { $total } bien ({ $percent }%)
sim-note-hex = escribe los números hexadecimales con 0x

## Archivos de respuestas y trazas.
sim-file-too-large = { $path } ocupa más de { $limit }: no es un archivo de respuestas ni una traza que vmlab lea
sim-file-binary = { $path } no es un archivo de texto (tiene bytes NUL o no es UTF-8)
sim-answers-bad-line = archivo de respuestas, línea { $line } ('{ $text }'): { $why }
sim-answers-no-separator = se esperaba 'NÚMERO: RESPUESTA'
sim-answers-not-a-number = el número de pregunta no es un número
sim-answers-no-such-question = no hay pregunta { $id } (preguntas { $first } a { $last })
sim-answers-twice = la pregunta { $id } tiene dos respuestas

## Errores de parámetros (tras el nombre de la opción).
sim-param-not-a-size = '{ $text }' no es un tamaño (ejemplos: 4096, 16k, 1m, 0x4000)
sim-param-zero = debe ser mayor que 0
sim-param-too-large = { $value } es demasiado grande (como mucho { $max }, 256 TiB)
sim-param-empty-entry = una entrada vacía en la lista
sim-param-outside-space = { $address } está fuera del espacio de direcciones (las direcciones virtuales van de 0 a { $last } = { $last_hex })
sim-param-too-many = como mucho { $max } direcciones
sim-param-not-percent = { $value } no es un porcentaje (0 a 100)
sim-param-not-power-of-two = { $value } no es una potencia de dos

## Notas sobre las direcciones preguntadas (relocate, multilevel, paging).
sim-no-addresses = (no se pregunta ninguna dirección: --num 0)
sim-one-listed = (--addresses es una lista de direcciones; para pedir N direcciones al azar, usa -n N)

## Políticas de ajuste (ubicar segmentos, listas libres).
sim-fit-first = primer ajuste
sim-fit-best = mejor ajuste
sim-fit-worst = peor ajuste
sim-fit-next = siguiente ajuste
sim-fit-first-rule = el primer trozo libre lo bastante grande, desde el principio de la lista
sim-fit-best-rule = el trozo libre más pequeño que alcanza (el primero entre iguales)
sim-fit-worst-rule = el trozo libre más grande, si alcanza (el primero entre iguales)
sim-fit-next-rule = el primer trozo libre lo bastante grande, desde donde terminó la búsqueda anterior, dando la vuelta
