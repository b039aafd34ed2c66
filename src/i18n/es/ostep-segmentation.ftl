# vmlab ostep segmentation.py

ostep-segmentation-about = segmentation.py: dos segmentos, elegidos por el bit más alto de la dirección virtual. El segmento 0 crece hacia arriba desde su base; el segmento 1 crece hacia abajo desde su base. Traduzca cada dirección virtual o diga que es una violación de segmento.
ostep-segmentation-opt-base0 = valor del registro base del segmento 0 (-1: al azar)
ostep-segmentation-opt-len0 = valor del registro límite del segmento 0 (-1: al azar)
ostep-segmentation-opt-base1 = valor del registro base del segmento 1: la dirección justo encima del segmento, que crece hacia abajo (-1: al azar)
ostep-segmentation-opt-len1 = valor del registro límite del segmento 1 (-1: al azar)
ostep-segmentation-no-base = el segmento { $segment } (límite { $limit }) no tiene lugar en la memoria física ({ $psize } bytes) junto al otro: el script sortearía bases para siempre (se cuelga). Dé límites menores, un -p mayor o las bases.
ostep-segmentation-below-zero = la base { $base } del segmento 1 es menor que su límite { $limit }: el segmento 1 crece hacia abajo desde su base, así que llegaría por debajo de la dirección física 0 (el script sigue con direcciones negativas).
ostep-segmentation-seg0-outside = el segmento 0 termina en { $end }, pasado el final de la memoria física ({ $psize }): el script lo deja pasar (compara base + límite - 1 con el tamaño, un byte corrido). Las traducciones siguen a los registros.
ostep-segmentation-seg1-outside = la base del segmento 1 (su tope, { $top }) está pasado el final de la memoria física ({ $psize }): el script solo revisa el fondo del segmento. Las traducciones siguen a los registros.
ostep-segmentation-overlap = los segmentos se solapan en la memoria física (segmento 0 [{ $start0 }, { $end0 }), segmento 1 [{ $start1 }, { $end1 })): el script detecta un solapamiento solo cuando el segmento 1 está por encima del segmento 0. Las traducciones siguen a los registros.
