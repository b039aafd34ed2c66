# El inspector: vmlab maps, pages, translate, frames, cache, flags.

error-zombie = el proceso { $pid } es un zombi: terminó y su padre todavía no lo recogió, así que no le queda memoria que mostrar
error-pid-reused = el proceso { $pid } terminó y su PID ahora es de otro proceso; vmlab se detuvo en lugar de mostrar la memoria del nuevo con el nombre del anterior

pages-read-scan = { $regions ->
    [one] 1 región leída
   *[other] { $regions } regiones leídas
} con PAGEMAP_SCAN: entradas de pagemap solo donde el kernel informa páginas pobladas
pages-read-pread = { $regions ->
    [one] 1 región leída
   *[other] { $regions } regiones leídas
} con pread: cada entrada de pagemap
pages-read-nothing = no se leyó nada: ninguna región en el rango
