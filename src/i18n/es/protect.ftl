# vm-protect

protect-summary = protección de memoria: cada acceso prohibido falla con la señal y el código que predice la teoría
protect-title = fallos de protección: la MMU se niega, el kernel envía una señal
protect-about = Cada página lleva bits de protección que la MMU revisa en cada acceso: un acceso prohibido provoca una trampa al kernel, que le envía al proceso SIGSEGV (o SIGBUS) con el motivo (si_code) y la dirección (si_addr).

## Pasos.
protect-step-cases = Cada caso corre en un proceso hijo propio, con un manejador de SIGSEGV/SIGBUS que usa un stack alternativo para señales. El manejador guarda lo que el kernel puso en la señal: si_code y si_addr y, del marco de la señal, la excepción de la CPU que originó todo y su código de error. vm.mmap_min_addr = { $min_addr }: un proceso común no puede mapear nada por debajo de esa dirección (root sí puede, con CAP_SYS_RAWIO), así que la dirección 0 queda sin mapear.
protect-step-error-code = En esa tabla hay dos veredictos. El código de error es el de la CPU: PROT encendido significa que la entrada de la tabla de páginas estaba presente y el acceso violó sus bits de protección; PROT apagado, que no había entrada. WRITE, USER e INSTR dicen qué tipo de acceso fue. si_code es el del kernel: busca la región (VMA) que contiene la dirección y responde SEGV_MAPERR si no hay ninguna, SEGV_ACCERR si la región no permite ese acceso.
protect-step-prot-none = Los dos pueden no coincidir, y la página PROT_NONE lo muestra: su código de error es { $error }, sin PROT: la CPU no encontró ninguna entrada para esa página; y sin embargo el kernel respondió { $kind }, porque la región existe y prohíbe leer.
protect-kernel-half-pti = La mitad superior del espacio de direcciones es del kernel. Este kernel usa aislamiento de tablas de páginas (la CPU tiene la bandera pti; /sys/devices/system/cpu/vulnerabilities/meltdown dice "{ $meltdown }"): mientras un proceso corre en modo usuario, la CPU usa tablas de páginas que mapean solo la pequeña parte del kernel necesaria para entrar y salir de él; el resto de la mitad del kernel no está mapeado en absoluto.
protect-kernel-half-no-pti = La mitad superior del espacio de direcciones es del kernel. Este kernel no usa aislamiento de tablas de páginas (la CPU no tiene la bandera pti; /sys/devices/system/cpu/vulnerabilities/meltdown dice "{ $meltdown }"): la mitad del kernel está mapeada en las tablas de páginas de todos los procesos, pero sus entradas son solo para modo supervisor (el bit U/S apagado), así que la MMU rechaza cualquier acceso a ella desde modo usuario.
protect-kernel-half-unknown = La mitad superior del espacio de direcciones es del kernel; no se pudo leer si este kernel aísla sus tablas de páginas del modo usuario ({ $reason }).
protect-kernel-fault-path = Qué hace el kernel con un fallo de modo usuario ahí (arch/x86/mm/fault.c): una dirección igual o mayor que TASK_SIZE_MAX va a do_kern_addr_fault, que nunca busca una región, y termina en bad_area_nosemaphore, que siempre envía SEGV_MAPERR, haya código del kernel en esa dirección o nada. En el camino, sanitize_error_code enciende PROT en el código de error que se le informa al proceso, para que no pueda deducir de él qué direcciones del kernel están mapeadas: eso, y no si_code, es lo que se oculta para no revelar cómo son las tablas de páginas del kernel.
protect-step-non-canonical = Una dirección que no es canónica (sus bits altos no son todos copia del bit más alto de la dirección: el bit 47 con paginación de 4 niveles, el 56 con 5 niveles) nunca llega a las tablas de páginas: la CPU genera un fallo de protección general en lugar de un fallo de página, que no trae dirección, así que el kernel envía SIGSEGV con SI_KERNEL y si_addr 0.
protect-step-other-user = Un proceso hijo pasa a ser el usuario nobody (uid { $uid }) e intenta leer un valor en { $addr } de este proceso (pid { $pid }, root), y después un valor propio. Aquí no es la MMU la que se niega: el kernel verifica si quien lee tiene permiso para rastrear (ptrace) al proceso que quiere leer.

## La tabla de accesos.
protect-header-case = caso
protect-header-does = qué hace el hijo
protect-header-signal = señal
protect-header-addr = si_addr
protect-header-trap = excepción
protect-header-error = código de error
protect-trap-page-fault = fallo de página
protect-trap-general-protection = protección general
protect-trap-other = excepción { $number }
protect-not-tried = no se probó

protect-case-read-only-write = escribir en una página de solo lectura
protect-case-prot-none-read = leer una página PROT_NONE
protect-case-unmapped-read = tocar una página recién desmapeada
protect-case-null-read = desreferenciar NULL
protect-case-code-write = escribir en el propio código del programa
protect-case-data-exec = ejecutar una página de datos (NX)
protect-case-kernel-text = leer el código del kernel
protect-case-kernel-hole = leer una dirección vacía del kernel
protect-case-non-canonical = leer una dirección no canónica
protect-case-stack-overflow = desbordar el stack
protect-case-past-eof = leer más allá del final de un archivo mapeado
protect-case-writable-again = volver a hacer escribible la página de solo lectura
protect-case-pkey-write = escribir una página que su clave de protección prohíbe

protect-does-read-only-write = mmap rw, escribe, mprotect PROT_READ, escribe
protect-does-prot-none-read = mmap PROT_NONE, lee
protect-does-unmapped-read = mmap, munmap, lee
protect-does-null-read = lee la dirección 0
protect-does-code-write = escribe un byte de una de sus funciones
protect-does-data-exec = llama a una página rw- que contiene `ret`
protect-does-kernel-text = lee _text, el primer byte del código del kernel (/proc/kallsyms)
protect-does-kernel-hole = lee la primera dirección de la mitad del kernel, un hueco que Linux deja sin mapear
protect-does-non-canonical = lee 0x8000000000000000
protect-does-stack-overflow = se llama recursivamente hasta pasar RLIMIT_STACK = { $mib } MiB
protect-does-past-eof = mapea 2 páginas de un memfd de 1 página, lee la página 2
protect-does-writable-again = mprotect PROT_READ, luego PROT_READ|PROT_WRITE, escribe { $byte }, lee
protect-does-pkey-write = pkey_alloc de una clave que prohíbe escribir, pkey_mprotect de una página con ella, escribe

## Lo que obtuvo un acceso.
protect-fault = { $kind } en { $addr } ({ $trap }, error { $error })
protect-no-fault = sin fallo
protect-no-fault-reads = sin fallo; lee { $byte }
protect-child-exited = el hijo terminó con código { $code } sin fallar
protect-child-killed = el hijo murió por { $signal }
protect-kernel-error-code-seen = dirección vacía del kernel: { $hole }; código del kernel: { $text }; página propia sin mapear: { $user }
protect-own-memory-seen = process_vm_readv leyó { $readv }, /proc/<pid>/mem leyó { $mem }
protect-read-worked = sin error: la lectura funcionó
protect-read-nothing = nada

## Por qué falta una evidencia.
protect-unreadable = no se pudo leer { $path }
protect-min-addr-unreadable = no se pudo leer /proc/sys/vm/mmap_min_addr
protect-setup-failed = el hijo no pudo preparar el caso (falló un mmap, mprotect o setrlimit)
protect-pkeys-refused = el kernel rechazó pkey_alloc/pkey_mprotect (¿claves de protección desactivadas?)
protect-no-pku = esta CPU no tiene claves de protección (no hay bandera pku en /proc/cpuinfo)
protect-kallsyms-hidden = el kernel muestra las direcciones de sus símbolos (/proc/kallsyms) solo a usuarios privilegiados (kernel.kptr_restrict); ejecuta con sudo
protect-case-missing = el registro no contiene este caso
protect-no-fault-to-read = { $case } no falló ({ $outcome }), así que no tiene código de error
protect-needs-root-user = correr un proceso como otro usuario requiere root; ejecuta con sudo
protect-no-nobody = este sistema no tiene el usuario 'nobody' con el que correr al lector

## Afirmaciones: el enunciado, y lo que predice la teoría.
protect-read-only-write = escribir en una página de solo lectura falla: la región existe pero prohíbe escribir
    .theory = SIGSEGV SEGV_ACCERR en { $addr }, una escritura
protect-prot-none-read = leer una página PROT_NONE falla: la región existe pero prohíbe todo acceso
    .theory = SIGSEGV SEGV_ACCERR en { $addr }
protect-unmapped-read = tocar una página recién desmapeada falla: ya no hay región que la contenga
    .theory = SIGSEGV SEGV_MAPERR en { $addr }
protect-null-read = desreferenciar NULL falla: no hay nada mapeado en la dirección 0
    .theory = SIGSEGV SEGV_MAPERR en { $addr }
protect-code-write = el programa no puede escribir su propio código: el text está mapeado de solo lectura
    .theory = SIGSEGV SEGV_ACCERR en { $addr }, una escritura
protect-data-exec = una página de datos no se puede ejecutar: está mapeada sin permiso de ejecución (NX)
    .theory = SIGSEGV SEGV_ACCERR en { $addr }, una búsqueda de instrucción
protect-kernel-text = el modo usuario no puede leer el propio código del kernel, y el kernel responde como si no hubiera nada ahí
    .theory = SIGSEGV SEGV_MAPERR en { $addr }
protect-kernel-hole = leer desde modo usuario una dirección del kernel donde no hay nada mapeado recibe la misma respuesta
    .theory = SIGSEGV SEGV_MAPERR en { $addr }
protect-kernel-error-code = el código de error de un fallo en modo usuario sobre una dirección del kernel siempre dice PROT, esté mapeada o no; una página de usuario sin mapear dice "no presente"
    .theory = PROT|USER para las direcciones del kernel, solo USER (sin PROT) para la página de usuario
protect-non-canonical = una dirección no canónica se rechaza antes de llegar a cualquier tabla de páginas: una fallo de protección general, sin dirección
    .theory = protección general, SIGSEGV SI_KERNEL en 0x0
protect-stack-overflow = el stack no puede crecer más allá de su límite: el primer acceso fuera de él falla, y el manejador corre en el stack alternativo
    .theory = SIGSEGV SEGV_MAPERR a menos de { $kib } KiB de { $addr } (tope del stack − { $mib } MiB), en el stack alternativo
protect-past-eof = un mapeo de archivo más allá del final del archivo no tiene nada que lo respalde: SIGBUS, no SIGSEGV
    .theory = SIGBUS BUS_ADRERR en { $addr }
protect-writable-again = cambiar la protección le corresponde al kernel: cuando mprotect devuelve el permiso de escritura, la misma escritura funciona
    .theory = sin fallo; lee { $byte }
protect-pkey-write = una página cuya clave de protección prohíbe escribir falla al escribirla
    .theory = SIGSEGV SEGV_PKUERR en { $addr }
protect-other-user-readv = la memoria de otro usuario no se puede leer con process_vm_readv
    .theory = EPERM
protect-other-user-mem = ni a través de /proc/<pid>/mem
    .theory = EACCES
protect-own-memory = las mismas lecturas sobre la memoria del propio proceso funcionan
    .theory = ambas leen el valor
