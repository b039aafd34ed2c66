# vmlab sim multilevel: a multi-level page-table walk from a memory dump.

multilevel-shape = Pages of { $page } bytes; physical memory { $physmem } bytes = { $frames } frames; address space { $asize } bytes ({ $va_bits } bits); a { $levels }-level page table, each table one page.
multilevel-entry = Entries are { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes (most significant byte first)
    }: the top bit ({ $valid_bit }) is the valid bit, the low { $pfn_bits } bits are the PFN.
multilevel-layout = A virtual address, from its top bit:
multilevel-layout-index = { $index } index ({ $table }): bits { $high }-{ $low }
multilevel-layout-offset = offset: bits { $high }-0
multilevel-table-directory = page directory
multilevel-table-middle = middle directory
multilevel-table-page-table = page table
multilevel-pdbr = PDBR (the page directory's frame): { $pdbr } ({ $pdbr_hex })
multilevel-dump-both = Physical memory, { $frames } pages of { $page } bytes, in hex: { $rows ->
        [one] a row per page, after its number (decimal, then hex).
       *[other] { $per_row } bytes to a row; a page starts on the row with its number (decimal, then hex), and its other rows show their offset in the page (+0x10: bytes 16 on).
    }
multilevel-dump-hex = Physical memory, { $frames } pages of { $page } bytes, in hex: { $rows ->
        [one] a row per page, after its number (in hex).
       *[other] { $per_row } bytes to a row; a page starts on the row with its number (in hex), and its other rows show their offset in the page (+0x10: bytes 16 on).
    }
multilevel-task = Walk the tables for each virtual address: questions 1 to { $count } ask for the physical address (or 'fault'), questions { $first } to { $last } for the byte fetched there (or 'fault'); the last three, for the space the tables take.
multilevel-task-tables = Find the space the tables take.
multilevel-question-pa = VA { $va }: physical address, or fault?
multilevel-question-byte = VA { $va } (question { $id }): the byte fetched (hex), or fault?
multilevel-question-table-pages = How many pages hold page tables (the directory included)?
multilevel-question-linear = How many bytes would a linear page table take for this address space ({ $entry }-byte entries)?
multilevel-question-saved = How many bytes does the multi-level table save against it (negative if it costs more)?

multilevel-split = Split: { $offset_bits } offset bits (pages of { $page }); each table is one page of { $page } / { $entry } = { $entries } entries, so { $index_bits } index bits per level; the top level takes the remaining { $top_bits } of the { $vpn_bits } VPN bits.
multilevel-entry-address = An entry at index i of the table in frame F is at byte F × { $page } + i × { $entry }.
multilevel-walk-index = { $name } index { $index }
multilevel-walk-head = VA { $va }: { $indices }, offset { $offset }.
multilevel-walk-valid = { $table } in page { $page } ({ $page_hex }): { $entry } at { $addr } = { $value }: valid, PFN { $pfn }: { $next }
multilevel-walk-invalid = { $table } in page { $page } ({ $page_hex }): { $entry } at { $addr } = { $value }: valid bit 0 → fault (nothing is mapped there; the other bits do not matter)
multilevel-next-middle = the middle directory is in page { $page } ({ $page_hex })
multilevel-next-page-table = the page table is in page { $page } ({ $page_hex })
multilevel-next-data = the data is in frame { $page } ({ $page_hex })
multilevel-walk-pa = PA = { $pfn } × { $page } + { $offset } = { $pa }; the byte there (question { $id }) is { $value }
multilevel-step-byte = PA { $pa } (question { $id }): page { $page }, offset { $offset } holds { $value }.
multilevel-step-byte-fault = VA { $va } faults (question { $id }): no byte is fetched.
multilevel-step-tables = Following every valid entry from the PDBR finds { $count ->
        [one] 1 page of tables (frame { $frames })
       *[other] { $count } pages of tables (frames { $frames }, the directory first)
    }: { $count } × { $page } = { $bytes } bytes.
multilevel-step-linear = A linear table needs an entry for every one of the 2^{ $vpn_bits } = { $vpages } virtual pages, used or not: { $vpages } × { $entry } = { $bytes } bytes.
multilevel-step-saved = Saved: { $linear } - { $multilevel } = { $saved } bytes: { $mapped } of { $vpages } virtual pages are used, and unused regions cost no lower-level table.
multilevel-step-saved-negative = Saved: { $linear } - { $multilevel } = { $saved } bytes: here the multi-level table costs more, as it does when the address space is used densely (the directory is overhead).

multilevel-error-pagesize = { $page } bytes: pages of 8 to 4096 bytes make a printable dump
multilevel-error-levels = { $levels }: this simulator walks 2 or 3 levels
multilevel-error-physmem-multiple = { $physmem } is not a (non-zero) multiple of the page size { $page }
multilevel-error-physmem-large = { $physmem } bytes is too large a dump to print (at most { $max })
multilevel-error-one-frame = one page of memory holds no table and data both
multilevel-error-entries = a page of { $page } bytes holds fewer than two { $bytes }-byte entries
multilevel-error-asize-small = { $asize } bytes ({ $va_bits } address bits) leaves no bits for the top level: { $offset_bits } offset bits and { $index_bits } bits per lower level already take { $below }; use fewer --levels or a larger --asize
multilevel-error-asize-large = { $asize } bytes needs { $va_bits } address bits, but { $levels } levels of { $index_bits }-bit indices (one table per page of { $entries } entries) and { $offset_bits } offset bits map at most { $full } (--asize { $max }); use more --levels or a larger --pagesize
multilevel-error-allocated = { $allocated } pages do not fit in an address space of { $vpages } pages
multilevel-error-out-of-memory = { $allocated } pages and their tables need more than the { $frames } frames of physical memory; lower --allocated or raise --physmem

## --real
multilevel-real-machine = This machine: pages of { $page } bytes, { $levels } levels of 512-entry tables ({ $names }), 8-byte entries, 9 index bits per level. Three addresses of vmlab's own:
multilevel-real-code = code (this function)
multilevel-real-heap = heap (a Box)
multilevel-real-stack = stack (a local)
multilevel-real-col-level = level
multilevel-real-col-bits = bits
multilevel-real-col-code = code
multilevel-real-col-heap = heap
multilevel-real-col-stack = stack
multilevel-real-offset = offset
multilevel-real-vmpte = VmPTE (this process's page-table memory, measured): { $kib } KiB = { $pages } table pages of { $page } bytes (the simulated tables above are pages of { $simulated } bytes).
multilevel-real-grown = Touching one page in each of { $spans } fresh 2 MiB spans: the simulator's rule predicts { $spans } new page tables (one per span) plus at most 2 directories above them where missing; measured: VmPTE grew by { $kib } KiB = { $pages } table pages.
multilevel-real-failed = Could not measure on this machine: { $error }
multilevel-real-flat = A linear table for the same { $bits }-bit user address space would be 2^{ $log2 } entries × { $pte } bytes = { $gib } GiB, used or not (computed, not measured).
