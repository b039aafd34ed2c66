# Errores y sugerencias: una línea cada uno, que dice qué se esperaba y qué hacer.

error-quote-cut = { $head }… ({ $bytes } bytes)
error-malformed = '{ $input }' no es una dirección ni un tamaño válido: { $why }
error-reversed = el rango '{ $input }' está invertido: su final está antes que su comienzo
error-empty-range = el rango '{ $input }' está vacío
error-unaligned = el rango '{ $input }' no está alineado a páginas (las páginas son de { $page_size } bytes); las páginas que lo cubren son { $suggestion }
error-outside-user-space = '{ $input }' está fuera del espacio de usuario: las direcciones de usuario terminan en { $user_end } en esta máquina (paginación de { $levels } niveles)
error-bad-pid = '{ $input }' no es un identificador de proceso: se esperaba un número como 4242, o 'self'
error-unsupported-option = vm-{ $demo } no tiene la opción --{ $option }
error-bad-answers = archivo de respuestas, línea { $line } ('{ $text }'): { $why }
error-bad-parameter = --{ $name }: { $why }
error-no-such-process = no hay ningún proceso con pid { $pid } (quizás ya terminó)
error-process-exited = el proceso { $pid } terminó mientras vmlab leía { $what }
error-kernel-thread = el proceso { $pid } es un hilo del kernel: no tiene espacio de direcciones de usuario que mostrar
error-permission-denied = permiso denegado al leer { $path }: { $hint }
error-region-not-found = ninguna región del proceso { $pid } se llama '{ $name }'; sus regiones son: { $available }
error-region-ambiguous = '{ $name }' nombra varias regiones del proceso { $pid }: { $candidates }; hay que ser más específico
error-child = proceso hijo del experimento: { $detail }
error-unknown-demo = demo desconocida '{ $name }'; las demos son: { $known }
error-unknown-demo-suggest = demo desconocida '{ $name }': ¿quisiste decir '{ $suggestion }'? Las demos son: { $known }
error-output = al escribir la salida: { $detail }
error-unsupported = { $what } no está disponible en este kernel: { $why }
error-malformed-file = no se pudo interpretar { $path }: { $detail }
error-write = al escribir { $path }: { $why }
error-io = al leer { $path }: { $detail }
error-line = error: { $message }
error-caused-by = causado por: { $cause }

hint-other-owner = el proceso { $pid } pertenece al uid { $uid } y tú eres el uid { $me }; solo su dueño o root pueden leer su mapa de memoria (prueba con sudo)
hint-root-refused = incluso root fue rechazado: el proceso { $pid } puede estar protegido por un sandbox, por el ptrace_scope de Yama o por un módulo de seguridad
hint-needs-ptrace = leer el mapa de memoria de otro proceso requiere acceso ptrace a él (prueba con sudo)

## Por qué no se puede leer un número, una dirección o un rango.
why-empty = está vacío
why-hex-digits = después de 0x solo pueden ir dígitos hexadecimales 0-9 a-f
why-too-big = no cabe en 64 bits
why-hex-prefix = el hexadecimal se escribe con el prefijo 0x: ¿quisiste decir 0x{ $text }?
why-not-a-number = se esperaba un número como 0x7ffd1234, 4096 o 4K
why-unknown-suffix = sufijo de tamaño desconocido '{ $suffix }' (usa K, M, G o T)
why-range-overflow = INICIO+LARGO se pasa del final del espacio de direcciones de 64 bits
why-bad-start = su comienzo '{ $side }' no es un número: { $why }
why-bad-end = su final o largo '{ $side }' no es un número: { $why }
