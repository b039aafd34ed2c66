# vmlab sim paging: a linear page table.

paging-sizes = Address space { $asize } bytes ({ $asize_human }), physical memory { $physmem } bytes ({ $physmem_human }), pages of { $page } bytes ({ $page_human }).
paging-entry-format = Page-table entries are { $bytes ->
        [one] 1 byte
       *[other] { $bytes } bytes
    }: the top bit ({ $valid_bit }) is the valid bit, the low bits are the PFN.
paging-table = Page table (linear, { $entries } entries, VPN 0 to { $last }):
paging-task = Translate each virtual address to a physical address, or write 'fault' when its page is invalid; then size the table.
paging-question-va = VA { $va } (decimal { $decimal }): physical address, or fault?
paging-question-offset-bits = How many bits of a virtual address are the offset?
paging-question-vpn-bits = How many bits of a virtual address are the VPN?
paging-question-entries = How many entries does the linear page table have?
paging-question-bytes = How many bytes does the page table take ({ $bytes }-byte entries)?

paging-rule = Each address: VPN = VA >> { $shift } (VA / page size), offset = VA & { $mask }; read entry [VPN]; if its valid bit is 0 the access faults, else PA = PFN × page size + offset.
paging-step-split = VA { $va }: VPN = { $va } >> { $shift } = { $vpn }, offset { $offset };
paging-step-valid = entry [{ $vpn }] = { $entry }: valid bit 1, PFN { $pfn } ({ $pfn_decimal }); PA = { $pfn } × { $page } + { $offset } = { $pa } (decimal { $pa_decimal }).
paging-step-fault = entry [{ $vpn }] = { $entry }: valid bit 0 → fault (the page is not mapped; the OS raises a segmentation fault).
paging-step-offset-bits = The offset picks a byte inside a page: page size { $page } = 2^{ $bits }, so { $bits } offset bits (mask { $mask }).
paging-step-vpn-bits = A virtual address has log2({ $asize }) = { $va_bits } bits; the VPN is the rest: { $va_bits } - { $offset_bits } = { $vpn_bits } bits.
paging-step-entries = A linear table has one entry per virtual page: 2^{ $vpn_bits } = { $entries } entries.
paging-step-bytes = { $entries } entries × { $bytes } bytes = { $total } bytes.
paging-share = { $valid } of these { $total } addresses are valid. Drawn uniformly over the address space, the expected share is the share of valid pages: { $valid_pages } of { $pages } = { $expected }.
paging-waste = The table takes { $bytes } bytes whatever is valid: an entry for every invalid page too. That waste is what multi-level tables avoid (vmlab sim multilevel).

paging-error-asize-page = { $asize } bytes is less than one page of { $page }
paging-error-physmem-multiple = { $physmem } is not a (non-zero) multiple of the page size { $page }
paging-error-asize-physmem = the address space ({ $asize } bytes) is larger than physical memory ({ $physmem } bytes): in this simulator every valid page has a frame of its own and there is no swap; raise --physmem or lower --asize
paging-error-pte-size = { $size } is not 1, 2, 4 or 8 bytes
paging-error-entries = the table would have { $entries } entries to print (at most { $max }); use a larger --pagesize or a smaller --asize
paging-error-pte-pfn = a { $size }-byte entry holds a { $bits }-bit PFN, too small for { $frames } frames; raise --pte-size or lower --physmem

## --real
paging-real-buffer = A buffer of vmlab's own: { $pages } pages of { $page } bytes at { $addr }; pages 0 and 2 written, pages 1 and 3 never touched. Each row: an address in it, split by the simulator's rule, and the kernel's page-table entry for it (/proc/self/pagemap); PA = PFN × page size + offset:
paging-real-col-page = page
paging-real-col-va = VA
paging-real-col-vpn = VPN
paging-real-col-offset = offset
paging-real-col-pfn = PFN
paging-real-col-pa = PA
paging-real-pfn-hidden = hidden
paging-real-pfn-none = none
paging-real-absent = PFN none: the page has no frame yet; an access would fault, and the kernel would give it one then (demand paging).
paging-real-hidden = The kernel hides frame numbers from processes without CAP_SYS_ADMIN; run with sudo to see them (vmlab never prints a fake 0).
paging-real-failed = Could not measure on this machine: { $error }
paging-real-flat = What a linear table would cost here (computed from this machine's page size and address width, not measured): user space is 2^{ $bits } bytes in pages of { $page } bytes, so one { $pte }-byte entry per page makes 2^{ $log2 } = { $entries } entries, { $gib } GiB for every process. That is why x86-64 walks a { $levels }-level table instead (vmlab sim multilevel --real).
