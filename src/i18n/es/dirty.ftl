# vm-dirty

dirty-summary = los bits de modificado (dirty) y de acceso de una entrada de la tabla de páginas, tal como los muestra Linux
dirty-title = bits de modificado y de acceso
dirty-about = La MMU enciende el bit de acceso de una entrada de la tabla de páginas cuando recorre la tabla para cargar la traducción en la TLB (un acceso que ya la encuentra en la TLB no enciende nada), y el bit de modificado en la primera escritura a través de ella. Linux muestra estos bits en smaps (Private_Dirty, Referenced), en kpageflags (DIRTY) y con msync, que escribe en disco una página de archivo modificada y la deja limpia otra vez.

## Pasos.
dirty-step-private = (a) { $pages } páginas anónimas privadas en { $va }, cada una en una región propia (así smaps informa de cada página). Se escribe en las páginas { $written }; las demás solo se leen (leer memoria nunca escrita mapea la página de ceros compartida).
dirty-step-file = (b) Un archivo de { $pages } páginas en { $dir } (escrito y sincronizado con fsync antes, así que está limpio), mapeado con MAP_SHARED en { $va } y leído. El archivo se escribió con un write(2) por página, para que cada página sea un folio propio: la caché de páginas guarda una bandera de modificado por folio. Después se escribe la página { $page } a través del mapeo, se llama a msync(MS_SYNC) y se vuelve a escribir la página { $page }. Las banderas del marco en cada paso (modificado según smaps: { $dirty_after_write } después de escribir, { $dirty_after_msync } después de msync; fallos de página menores de una escritura: { $before } antes de msync, { $after } después):
dirty-step-accessed = (c) { $pages } páginas privadas ya escritas en { $va }, cada una en una región propia. `echo 1 > /proc/self/clear_refs` apaga sus bits de acceso; después se vacía la TLB con un mprotect de ida y vuelta, porque la MMU enciende el bit de acceso solo cuando recorre la tabla de páginas, y clear_refs no toca las traducciones guardadas en la TLB. Luego se leen las páginas { $touched }. Referenced de smaps por página:
dirty-step-soft-dirty = (d) Soft-dirty: se escribe en { $pages } páginas privadas, `echo 4 > /proc/self/clear_refs`, y luego se vuelve a escribir en las páginas { $written }. La configuración del kernel: { $config }.
dirty-step-scan = (e) { $pages } páginas privadas ya escritas en { $va }, registradas en userfaultfd en el modo asíncrono de protección contra escritura, y protegidas (bit 57 de pagemap, uffd-wp); después se escribe en las páginas { $written }. El kernel quita la protección de cada página escrita, y PAGEMAP_SCAN la informa como PAGE_IS_WRITTEN:
dirty-step-not-done = ({ $part }) no se pudo hacer: { $reason }.

## Columnas y celdas de las tablas.
dirty-header-perms = permisos
dirty-header-access = acceso
dirty-written = escrita
dirty-read = leída
dirty-written-page = { $page } (escrita)
dirty-header-after-read = leída
dirty-header-after-write = escrita
dirty-header-after-msync = msync
dirty-header-after-rewrite = escrita de nuevo
dirty-header-touched = tocada
dirty-header-referenced-before = Referenced antes
dirty-header-after-clear-refs = tras clear_refs 1
dirty-header-after-touch = tras tocarla
dirty-header-written-after-clear = escrita tras clear_refs 4
dirty-header-soft-dirty = soft-dirty (bit 55)
dirty-header-written = escrita
dirty-header-written-before = WRITTEN antes
dirty-header-written-after = WRITTEN después
dirty-header-wp-before = uffd-wp antes
dirty-header-wp-after = uffd-wp después

## Por qué falta una evidencia.
dirty-smaps-unreadable = smaps no tiene registro de la región en { $va }
dirty-regions-merged = la página { $va } no es una región propia: el kernel fusionó las regiones, así que smaps no puede informar de cada página
dirty-pagemap-unreadable = no se pudieron leer las entradas de pagemap en { $va }
dirty-pages-missing = el registro no contiene todas las páginas de la región
dirty-clear-refs-failed = no se pudo escribir { $value } en /proc/self/clear_refs: { $error }
dirty-config-unreadable = no se puede leer la configuración del kernel (no hay /proc/config.gz ni /boot/config-<versión>)
dirty-soft-dirty-compiled-out = este kernel está compilado sin soft-dirty ({ $config }); el bit 55 quedó en 0 en todas las páginas, escritas o no
dirty-soft-dirty-absent = { $config }, y el bit 55 quedó en 0 incluso en las páginas escritas: parece que este kernel no tiene soft-dirty
dirty-uffd-refused = userfaultfd(UFFD_USER_MODE_ONLY) falló: { $error } (vm.unprivileged_userfaultfd = { $setting })
dirty-uffd-no-async = UFFDIO_API con UFFD_FEATURE_WP_ASYNC falló: { $error }: el userfaultfd de este kernel no tiene el modo asíncrono de protección contra escritura (Linux < 6.7)
dirty-uffd-ioctl-failed = { $ioctl } falló: { $error }
dirty-scan-failed = PAGEMAP_SCAN falló: { $error }

## Afirmaciones: el enunciado, y lo que predice la teoría.
dirty-private-present = (a) todas las páginas están en la tabla de páginas, leídas o escritas
    .theory = { $pages } de { $pages } presentes
dirty-present-seen = { $present } de { $pages } presentes
dirty-private-dirty = (a) Private_Dirty de smaps cuenta exactamente las páginas privadas escritas
    .theory = una página ({ $page }) en las páginas { $written }, 0 en las demás
dirty-private-dirty-seen = Private_Dirty por página: { $list }
dirty-file-dirty = (b) una escritura a través de un mapeo MAP_SHARED de un archivo deja DIRTY ese marco de la caché de páginas, y solo ese
    .theory = DIRTY solo en la página escrita (su folio)
dirty-file-dirty-seen = DIRTY por página: { $clean } después de leer, { $dirty } después de escribir
dirty-file-smaps = (b) smaps cuenta como modificada la página compartida escrita
    .theory = Private_Dirty + Shared_Dirty = una página (su folio)
dirty-smaps-dirty-seen = Private_Dirty { $private } + Shared_Dirty { $shared }
dirty-file-msync = (b) msync(MS_SYNC) escribe la página en disco y apaga DIRTY
    .theory = ninguna página DIRTY ni WRITEBACK después de msync, los mismos marcos
dirty-file-msync-seen = DIRTY por página después de msync: { $dirty }; WRITEBACK: { $writeback }; marcos { $frames ->
        [same] sin cambios
       *[other] cambiados
    }
dirty-file-pte-clean = (b) después de msync la entrada de la tabla de páginas también queda limpia
    .theory = Private_Dirty + Shared_Dirty = 0
dirty-file-refault = (b) la siguiente escritura produce un fallo, uno solo, y así el kernel se entera de que la página vuelve a estar modificada
    .theory = 1 fallo de página menor después de msync (0 para la misma escritura antes)
dirty-file-refault-seen = { $after } después de msync, { $before } antes
dirty-accessed-cleared = (c) clear_refs 1 apaga los bits de acceso: ninguna página figura como referenciada
    .theory = Referenced 0 en todas las páginas
dirty-accessed-cleared-seen = Referenced por página: { $before } antes, { $after } después de clear_refs
dirty-accessed-touched = (c) tocar k páginas deja referenciadas exactamente esas k páginas
    .theory = { $bytes } más ({ $count ->
        [one] 1 página
       *[other] { $count } páginas
    }), solo en las páginas tocadas
dirty-accessed-touched-seen = { $growth } kB; por página: { $list }
dirty-soft-dirty = (d) soft-dirty (bit 55 de pagemap) marca exactamente las páginas escritas
    .theory = bit 55 encendido solo en las páginas { $written }, después de clear_refs 4
dirty-soft-dirty-seen = bit 55 por página: { $bits } ({ $config })
dirty-scan-written = (e) PAGEMAP_SCAN informa PAGE_IS_WRITTEN exactamente en las páginas escritas
    .theory = WRITTEN solo en las páginas { $written }; en ninguna antes de escribir
dirty-scan-written-seen = WRITTEN por página: { $before } antes, { $after } después
dirty-scan-protection-lifted = (e) una escritura quita la protección contra escritura (uffd-wp) de la página escrita, y solo de esa
    .theory = uffd-wp en todas las páginas, y después apagado solo en las páginas { $written }
dirty-scan-wp-seen = uffd-wp por página: { $before } antes, { $after } después
