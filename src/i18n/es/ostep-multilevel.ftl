# vmlab ostep paging-multilevel-translate.py: lo que añade vmlab (las líneas propias del script siguen en inglés).

ostep-multilevel-about = Una tabla de páginas de dos niveles en 4 KiB de memoria física (128 páginas de 32 bytes, entradas de un byte: un bit de validez y un PFN de 7 bits) para un espacio de direcciones de 32 KiB: el volcado de memoria, el PDBR y direcciones virtuales que traducir recorriendo el directorio y una tabla de páginas. Con -c, los recorridos y el byte que carga cada dirección.
ostep-multilevel-help-seed = la semilla aleatoria
ostep-multilevel-help-allocated = número de páginas virtuales asignadas
ostep-multilevel-help-num = número de direcciones virtuales que generar
ostep-multilevel-help-solve = calcular las respuestas
ostep-multilevel-out-of-frames = con -a { $allocated }, las páginas y sus tablas de páginas necesitan más de los 128 marcos de memoria física (paging-multilevel-translate.py se detiene aquí con un AssertionError); asigna menos páginas
ostep-multilevel-too-many = -n { $num } direcciones son demasiadas: como mucho { $max }
ostep-multilevel-question = Dirección virtual { $va }: ¿dirección física, o fallo?
