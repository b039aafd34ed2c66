# vm-translate

translate-summary = dirección virtual = VPN + desplazamiento → marco + desplazamiento, en el ejemplo del apunte y en una página real
translate-title = una dirección virtual es un número de página y un desplazamiento
translate-about = La MMU parte la dirección virtual en un número de página virtual y un desplazamiento, busca la página en la tabla de páginas para encontrar su marco y conserva el desplazamiento: la dirección física es el primer byte del marco más el desplazamiento, es decir, marco × tamaño de página + desplazamiento.

## Columnas de las tablas.
translate-header-va = dir. virtual
translate-header-vpn = VPN
translate-header-offset = desplazamiento
translate-header-page-table = tabla de páginas: VPN → marco
translate-header-pa = dir. física
translate-header-walk = recorrido de la tabla
translate-header-pfn = marco (PFN)

## Pasos.
translate-step-book = El ejemplo del apunte: páginas de 4 KB ({ $page } bytes), así que los { $bits } bits bajos de una dirección son el desplazamiento. La dirección virtual { $va } es la página virtual { $vpn } con desplazamiento { $offset }, y la tabla de páginas mapea la página { $vpn } al marco { $frame }. El apunte escribe "Dirección Física = Marco de Página Física ({ $frame }) + Offset ({ $offset })". Si sumas esos dos números tal como están, da { $sum }, y esa no es la dirección: el número de marco cuenta marcos, no bytes. El marco { $frame } empieza en el byte { $frame } × { $page } = { $frame_start }, y el desplazamiento dice a qué distancia de ese comienzo está el byte: dirección física = número de marco × tamaño de página + desplazamiento = { $frame } × { $page } + { $offset } = { $pa }. En bits, el número de marco se corre { $bits } bits a la izquierda y el desplazamiento ocupa esos { $bits } bits: los dos se escriben uno al lado del otro, no se suman.
translate-step-real = Ahora una página real: una página de memoria compartida (un memfd) mapeada dos veces, en A y en B. Escribimos { $value } en A + { $offset }; el pagemap dice qué marco usa cada página virtual, y de ahí sale la dirección física = marco × { $page } + { $offset }:
translate-step-scan = Si lees los { $scanned } bytes de la página a través de B, los bytes distintos de cero son: { $bytes }.
translate-no-bytes = ninguno

## Por qué falta una evidencia.
translate-scan-incomplete = solo se leyeron { $scanned } bytes de la página de B, no la página entera

## Afirmaciones: el enunciado, y lo que predice la teoría.
translate-book-example = el ejemplo del apunte: dirección virtual { $va }, con su página en el marco { $frame }
    .theory = dirección física = marco × tamaño de página + desplazamiento
translate-book-worked = VPN { $vpn }, desplazamiento { $offset }; { $frame } × { $page } + { $offset } = { $pa }
translate-same-frame = dos páginas virtuales distintas se traducen al mismo marco
    .theory = marco(A) = marco(B)
translate-frames-seen = VPN { $vpn_a } → marco { $pfn_a }; VPN { $vpn_b } → marco { $pfn_b }
translate-read-through-b = un byte escrito a través de A se lee a través de B
    .theory = { $value } en B + { $offset }
translate-read-seen = B + { $offset } contiene { $value }
translate-offset-kept = el desplazamiento se conserva: el byte queda en el mismo desplazamiento dentro del marco, y en ningún otro lugar
    .theory = un solo byte distinto de cero, en el desplazamiento { $offset }
translate-nonzero-seen = distintos de cero: { $bytes }
