# Ajustes del sistema cambiados por un momento (src/settings), y devueltos.

settings-signal-restored = interrumpido por { $signal }; los ajustes del sistema que esta ejecución había cambiado vuelven a estar como estaban: { $settings }
settings-signal-failed = algunos ajustes no se pudieron volver a escribir: { $journal } los conserva, y la próxima ejecución de vmlab como root los devuelve
settings-recovered = una ejecución de vmlab ({ $program }, pid { $pid }) terminó sin devolver los ajustes del sistema que había cambiado (la mató SIGKILL, o falló); vuelven a estar como estaban: { $settings }
settings-recover-failed = una ejecución de vmlab (pid { $pid }) dejó cambiado { $path }, y no se pudo volver a escribir { $value }: { $why }; { $journal } lo conserva, y la próxima ejecución de vmlab como root lo intenta de nuevo
settings-recover-stale = el registro de la ejecución { $pid } de vmlab ({ $program }) es de antes del último arranque, que ya devolvió sus ajustes; se borró
settings-recover-busy = una ejecución de vmlab (pid { $pid }) dejó cambiados ajustes en { $turn }, pero otro programa los está cambiando ahora; una ejecución posterior de vmlab los devuelve
settings-recover-untrusted = vmlab no confía en { $path } ({ $why }) y lo deja como está; revísalo, y bórralo si no es de vmlab
settings-recover-needs-root = una ejecución de vmlab (pid { $pid }) terminó sin devolver ajustes del sistema que había cambiado; cualquier orden de vmlab ejecutada como root (por ejemplo `sudo vmlab demos`) los devuelve

## Por qué un ajuste no se puede cambiar, o un registro no es de fiar.
settings-not-a-setting = vmlab solo cambia archivos bajo /sys y /proc/sys, dentro del directorio cuyo turno tiene
settings-too-many = más de { $max } ajustes cambiados a la vez
settings-no-own-stat = no se pudo leer /proc/self/stat
settings-no-boot-id = no se pudo leer /proc/sys/kernel/random/boot_id
settings-journal-dir-not-dir = no es un directorio
settings-journal-owner = pertenece al uid { $uid }, no al uid { $me }
settings-journal-mode = su modo es { $mode }: otros pueden cambiarlo, o leerlo
settings-journal-not-file = no es un archivo normal
settings-journal-too-big = ocupa más de { $bytes } bytes
settings-journal-not-json = no es un registro: { $detail }
settings-journal-not-ours = no es un registro de vmlab, o no lleva el nombre de quien lo escribió
settings-journal-taken = una ejecución anterior con el mismo pid dejó este registro, que aún no se pudo reparar
settings-journal-bad-path = nombra { $path }, fuera de /sys y /proc/sys o fuera de su turno
