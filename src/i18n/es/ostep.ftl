# vmlab ostep: lo que vmlab agrega alrededor de la salida (en inglés) de los scripts de OSTEP.

ostep-note = >> vmlab: { $text }
ostep-unknown-script = script desconocido '{ $name }'. Los scripts son: { $known }
ostep-unknown-script-suggest = script desconocido '{ $name }': ¿quiso decir '{ $suggestion }'? Los scripts son: { $known }
ostep-option-needs-value = la opción { $option } requiere un argumento
ostep-option-takes-no-value = la opción { $option } no lleva valor
ostep-no-such-option = no existe la opción: { $option }
ostep-ambiguous-option = opción ambigua: { $option } (puede ser { $candidates })
ostep-bad-integer = opción { $option }: valor entero inválido: '{ $value }'
ostep-help-usage = Uso: vmlab ostep { $script } [opciones]
ostep-help-options = Opciones:
ostep-help-help = muestra esta ayuda y termina
ostep-help-check = corrige las respuestas de FILE (una por línea, numeradas como las numera el script: 'VA 0: 0x000033ab', 'VA 1: SEGMENTATION VIOLATION'; palabras en español o inglés) contra el problema de estas opciones: sale con 0 si todas son correctas, 1 si alguna está mal, 2 si el archivo está mal formado
ostep-help-lang = el idioma de lo que agrega vmlab (en o es); la salida propia del script queda en inglés, como la imprime el script
ostep-help-default = { $text } (por defecto: { $default })
ostep-help-footer = Las mismas opciones, semilla y salida que el script de OSTEP; las respuestas salen de los simuladores de vmlab. Donde el script se equivoca, vmlab imprime la respuesta correcta y una línea marcada '>> vmlab:' con lo que dice el script y por qué.
ostep-not-yet = { $name } todavía no está disponible en esta versión de vmlab
ostep-bad-size = { $flag } '{ $value }' no es un tamaño: escriba un número entero, seguido o no de k, m o g (el script se detiene aquí con un ValueError de Python)
ostep-negative = { $flag } { $value } es negativo: un tamaño o una dirección no puede serlo (el script sigue e imprime números sin sentido)
ostep-opt-seed = la semilla aleatoria
ostep-opt-asize = tamaño del espacio de direcciones (p. ej. 16, 64k, 32m, 1g)
ostep-opt-physmem = tamaño de la memoria física (p. ej. 16, 64k, 32m, 1g)
ostep-opt-num = cuántas direcciones virtuales generar
ostep-opt-compute = calcular las respuestas
