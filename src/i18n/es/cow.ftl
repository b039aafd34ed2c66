# vm-cow: fork() y la copia en escritura.

cow-summary = fork() comparte marcos hasta que alguien escribe (copia en escritura)
cow-title = fork() comparte marcos hasta que alguien escribe
cow-about = Después de fork, padre e hijo mapean los mismos marcos físicos, y fork deja de solo lectura las entradas de la tabla de páginas de ambos procesos que apuntan a ellos, aunque la región siga siendo escribible; la primera escritura en una página produce un fallo, y el kernel le da a quien escribe una copia privada de esa sola página.

cow-parent = padre
cow-child = hijo

## Pasos.
cow-step-map = El padre mapea { $pages } páginas anónimas privadas en { $va } y escribe en cada una, así que cada una tiene su propio marco (exclusiva, contador de mapeos 1).
cow-step-fork = fork(): el hijo { $child } tiene las mismas direcciones, y /proc/<pid>/maps sigue diciendo que la región es { $perms }: escribible. Antes de que nadie escriba:
cow-step-child-writes = El hijo escribe las primeras { $written } de las { $pages } páginas: { $faults }. Ahora:
cow-step-parent-writes = Después el padre escribe las mismas { $written } páginas: { $faults }. fork también había dejado de solo lectura sus propias entradas de la tabla de páginas, así que cada primera escritura produce un fallo; pero el hijo ya tiene sus copias, nadie más mapea esos marcos, y el kernel vuelve a hacer escribibles las entradas del padre sin copiar:
cow-fault-rounds = { $first } fallos de página en las primeras escrituras (getrusage), { $again } al repetir las mismas escrituras, { $warmup } en las mismas escrituras sobre páginas ya propias, hechas antes (un calentamiento: la primera ejecución del código que mide puede fallar ella misma)

## Por qué falta una evidencia.
cow-child-no-report = el hijo no informó sus fallos de página
cow-parent-no-warmup = la ronda de calentamiento no pudo mapear sus páginas, así que no se puede confiar en la cuenta de fallos
cow-region-unreadable = la región en { $va } no aparece en /proc/<pid>/maps
cow-pages-missing = el registro no contiene todas las páginas de la región

## Afirmaciones: el enunciado, y lo que predice la teoría.
cow-same-frames = después de fork, padre e hijo mapean los mismos marcos
    .theory = el mismo marco (PFN) en ambos
cow-not-exclusive = después de fork, ninguna página compartida está mapeada en exclusiva
    .theory = exclusiva = no, en ambos
cow-exclusive-count = { $exclusive } de { $total } páginas exclusivas
cow-map-count = cada marco compartido está mapeado dos veces
    .theory = contador de mapeos 2
cow-map-count-seen = { $twos } de { $total } marcos con contador de mapeos 2
cow-region-writable = la región sigue siendo escribible (rw-p): fork dejó de solo lectura las entradas de la tabla de páginas, y por eso las escrituras fallan
    .theory = rw-p en maps, y { $written } fallos de escritura
cow-region-writable-seen = { $perms }; { $faults } fallos en las primeras escrituras
cow-write-faults = la copia ocurre en fallos de escritura, uno por página escrita
    .theory = { $written } fallos de página menores
cow-write-faults-seen = { $first } fallos de página menores en el hijo (calentamiento: { $warmup })
cow-second-write-free = una segunda escritura en una página ya copiada no produce fallo: la copia es escribible
    .theory = 0 fallos
cow-second-write-seen = { $again } fallos al escribir otra vez las mismas páginas
cow-child-copies = la escritura del hijo le da marcos nuevos, solo para las páginas escritas
    .theory = { $written } marcos nuevos, { $kept } sin cambios
cow-moved-pages = las páginas { $pages } pasaron a marcos nuevos
cow-child-exclusive = las copias del hijo son solo suyas; las páginas no escritas siguen compartidas
    .theory = exclusivas solo las { $written } páginas escritas
cow-exclusive-bits = exclusiva: { $bits }
cow-parent-keeps-frames = el padre conserva sus marcos cuando escribe el hijo
    .theory = los marcos del padre no cambian con la escritura del hijo
cow-parent-data = los datos del padre no cambian con la escritura del hijo
    .theory = cada página sigue conteniendo { $byte }
cow-parent-reads = el padre lee { $values }
cow-parent-write-faults = las entradas del padre también quedaron protegidas contra escritura: su primera escritura en cada página falla una vez, la siguiente no cuesta nada
    .theory = { $written } fallos, después 0
cow-parent-reuses = como el hijo ya hizo sus copias, la escritura del padre no copia nada: conserva sus marcos
    .theory = los marcos del padre no cambian con su propia escritura
cow-fault-rounds-short = { $first } fallos, después { $again } (calentamiento: { $warmup })
