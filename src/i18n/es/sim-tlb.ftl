# vmlab sim tlb: una TLB de N entradas.

simtlb-shape = Espacio de direcciones de { $asize } bytes, páginas de { $page } bytes: { $pages } páginas, así que una dirección virtual es un VPN de { $vpn_bits } bits y un desplazamiento de { $offset_bits } bits.
simtlb-entries = La TLB guarda { $entries ->
        [one] 1 traducción
       *[other] { $entries } traducciones
    } (totalmente asociativa), vacía al principio; un fallo recorre la tabla de páginas y llena una entrada libre (la de número más bajo), o reemplaza una.
simtlb-rule = Política { $policy }: en un fallo con la TLB llena, { $rule }.
simtlb-rule-fifo = reemplaza la entrada que se llenó primero (un acierto no cambia nada)
simtlb-rule-lru = reemplaza la entrada cuyo último uso es el más antiguo
simtlb-rule-random = reemplaza la entrada que indica el siguiente sorteo (están abajo; cada reemplazo usa uno)
simtlb-rule-opt = reemplaza la entrada cuyo VPN se necesita más lejos en el futuro (nunca más es lo más lejano; si hay varias, cualquiera es correcta: la solución toma la llenada primero)
simtlb-addresses = Direcciones virtuales ({ $count }):
simtlb-draws = Sorteos (entrada reemplazada en el 1.º, 2.º, ... reemplazo):
simtlb-task = Para cada dirección: su VPN, y después acierto, fallo (a una entrada libre), o el VPN cuya entrada reemplaza. Después, los totales.
simtlb-question-vpn = DV { $va }: ¿VPN?
simtlb-question-access = DV { $va }: ¿acierto, fallo, o expulsa VPN?
simtlb-question-hits = ¿cuántos aciertos de TLB?
simtlb-question-misses = ¿cuántos fallos de TLB?
simtlb-question-rate = ¿tasa de aciertos de la TLB (en %)?
simtlb-split = VPN = dirección >> { $shift } (dirección / { $page }), desplazamiento = dirección & { $mask }.
simtlb-col-va = DV
simtlb-col-offset = desplazamiento
simtlb-entry = entrada
simtlb-step = { $va } → VPN { $vpn }: { $why }
simtlb-summary = TLB de { $entries } entradas, { $policy }: { $hits } aciertos, { $misses } fallos ({ $compulsory } en el primer uso de una página, que ninguna TLB evita), tasa de aciertos { $rate }
simtlb-error-entries = { $entries } entradas: una TLB tiene de 1 a { $max } entradas
simtlb-error-page = una página de { $page } bytes no cabe en un espacio de direcciones de { $asize } bytes

## --real
simtlb-real-where = La TLB de arriba es simulada. La real la mide vm-tlb: ejecuta `sudo vmlab demo tlb` (o `vm-tlb`): cronometra un acceso por página sobre un número creciente de páginas y encuentra dónde salta el tiempo por acceso, junto a los tamaños de TLB que informa CPUID.
simtlb-real-cpuinfo = Esta CPU informa (/proc/cpuinfo, no medido): tamaño de TLB { $size }.
simtlb-real-no-size = /proc/cpuinfo no da el tamaño de la TLB en esta CPU; vm-tlb lo decodifica de CPUID.
simtlb-real-unreadable = no se pudo leer /proc/cpuinfo ({ $error }).
simtlb-real-model = Una TLB real es asociativa por conjuntos, de varios niveles y con una política pseudo-LRU, y el kernel la vacía o la etiqueta en cada cambio de contexto: la TLB totalmente asociativa del simulador es el modelo del libro.
