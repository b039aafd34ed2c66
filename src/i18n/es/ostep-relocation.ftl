# vmlab ostep relocation.py

ostep-relocation-about = relocation.py: base y límite. Traduzca cada dirección virtual a una física (base + dirección) o diga que es una violación de segmento (dirección ≥ límite).
ostep-relocation-opt-base = valor del registro base (-1: al azar, donde quepa el espacio de direcciones)
ostep-relocation-opt-limit = valor del registro límite (-1: al azar, de un cuarto a la mitad del espacio de direcciones)
ostep-relocation-no-base = el límite ({ $limit }) no deja lugar al espacio de direcciones por debajo del tamaño de la memoria física ({ $psize }): ninguna base sirve. El script sortearía bases para siempre (se cuelga); dé un -l menor o un -p mayor.
ostep-relocation-negative-limit = un límite negativo ({ $limit }) no acota nada: toda dirección queda fuera de los límites, como dice el script. El límite es un tamaño.
