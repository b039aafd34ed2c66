# vmlab ostep paging-policy.py: lo que añade vmlab (las líneas propias del script siguen en inglés).

ostep-policy-about = Una cadena de referencias a páginas a través de una caché de páginas con una política de reemplazo (FIFO, LRU, MRU, OPT, UNOPT, RAND, CLOCK): en cada acceso, acierto o fallo, y la caché después. Con -c, la traza y la tasa de aciertos; RAND y CLOCK sacan números de la semilla mientras resuelven, como el script.
ostep-policy-help-addresses = páginas a las que acceder, separadas por comas; -1 significa generarlas al azar
ostep-policy-help-addressfile = un fichero con las páginas, una por línea
ostep-policy-help-numaddrs = si -a (--addresses) es -1, cuántas páginas generar
ostep-policy-help-policy = política de reemplazo: FIFO, LRU, OPT, UNOPT, RAND, CLOCK
ostep-policy-help-clockbits = para la política CLOCK, cuántos bits de reloj usar
ostep-policy-help-cachesize = tamaño de la caché de páginas, en páginas
ostep-policy-help-maxpage = si las páginas se generan al azar, el número de página máximo
ostep-policy-help-seed = semilla aleatoria
ostep-policy-help-notrace = no imprimir la traza detallada
ostep-policy-help-solve = calcular las respuestas
ostep-policy-not-int = { $option }: '{ $value }' no es un entero (paging-policy.py se detiene aquí con un ValueError)
ostep-policy-no-file = no se puede leer el fichero de direcciones { $file }: { $why }
ostep-policy-too-many = { $num } referencias a páginas son demasiadas: como mucho { $max }
ostep-policy-cache-zero = una caché de 0 páginas no guarda nada (paging-policy.py se detiene con un IndexError en el primer acceso); usa -C 1 o más
ostep-policy-no-refs = no hay referencias a páginas que resolver (paging-policy.py se detiene con un ZeroDivisionError al calcular la tasa de aciertos)
ostep-policy-cache-negative = una caché de { $size } páginas no tiene sentido: paging-policy.py nunca la ve llena, así que nunca reemplaza una página; las respuestas de abajo son las que imprime
ostep-policy-question = Acceso a la página { $page }: ¿acierto, fallo, o qué página se expulsa?
ostep-policy-trace-large = la traza imprimiría más de { $max } páginas (accesos por tamaño de la caché); usa -N para ver solo los totales, o menos accesos
ostep-policy-minus-one = paging-policy.py dice '{ $line }': usa -1 para decir «ninguna página», así que expulsar la página -1 se imprime como si no se hubiera reemplazado nada.
