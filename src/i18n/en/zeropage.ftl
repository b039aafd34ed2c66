# vm-zeropage

zeropage-summary = reading never-written memory maps the kernel's one shared zero page
zeropage-title = the zero page: many pages, one frame
zeropage-about = Reading never-written anonymous memory maps the kernel's one shared frame of zeros, a frame the kernel does not even count mappings of; the first write to a page gives it a frame of its own.

## Steps.
zeropage-step-read = We map { $pages } private anonymous pages at { $va } (MADV_NOHUGEPAGE{ $nohugepage ->
        [yes] {""}
       *[no] {" "}refused
    }) and read one byte of each: { $faults }. smaps Rss of the region: { $before } before, { $after } after. PAGEMAP_SCAN reports PFNZERO on { $zero } of the { $pages } pages. The first { $shown }:
zeropage-fault-rounds = { $first } page faults on the first accesses (getrusage), { $again } on the same accesses again, { $control } in the control round just before (the same code on pages already ours)
zeropage-page = page { $index }
zeropage-page-written = page { $index } (written)
zeropage-page-read = page { $index } (read)
zeropage-step-map-count = Why does the zero page show map count 0? A read fault maps it with a "special" page-table entry (do_anonymous_page in mm/memory.c), and for such an entry vm_normal_page() returns no struct page: the mapping is never added to the page's reverse map, so nothing counts it, and /proc/kpagecount (kpagecount_read in fs/proc/page.c), which reports how many page-table entries map a frame, says 0 however many map it. The kernel needs no count: the zero page is never freed. For comparison, one page of a memfd mapped MAP_SHARED at { $pages } addresses of this same process: an ordinary frame, whose every mapping is counted.
zeropage-col-frame = frame
zeropage-col-after-one = map count, 1 mapping
zeropage-col-after-all = map count, { $pages } mappings
zeropage-the-zero-page = the zero page
zeropage-the-memfd-page = a memfd page
zeropage-step-write = We write one byte to pages { $written }, which were already present: { $faults }. smaps Rss: { $rss }. PFNZERO now on { $zero } pages. The first { $shown }:

## Why a piece of evidence is missing.
zeropage-no-scan = this kernel has no PAGEMAP_SCAN (Linux 6.7+) to ask: { $error }
zeropage-control-faulted = the control round (the same code on pages already ours) took { $control } faults: something else faulted during the measurement, so the counts cannot be trusted
zeropage-pages-missing = the record does not hold every page of the region, present

## Claims: the statement, then what theory predicts.
zeropage-read-present = reading never-written pages makes them present
    .theory = { $pages } of { $pages } present in the pagemap
zeropage-present-seen = { $present } of { $pages } present
zeropage-read-faults = each first read still takes a page fault; reading again takes none
    .theory = { $pages } minor faults, then 0 (0 in the control round)
zeropage-faults-seen = { $first } minor faults, then { $again } (control round: { $control })
zeropage-read-no-rss = the read pages use no memory of their own
    .theory = smaps Rss of the region stays 0 KiB
zeropage-rss-before-after = Rss { $before } KiB before, { $after } KiB after reading { $pages } pages
zeropage-read-shared = no read page is exclusively ours
    .theory = exclusive = no for every page (the frame is shared by all)
zeropage-exclusive-seen = { $exclusive } of { $pages } exclusive
zeropage-read-pfnzero = the kernel itself says each read page maps the zero page
    .theory = PAGEMAP_SCAN reports PFNZERO for every read page
zeropage-pfnzero-seen = PFNZERO on { $zero } of { $pages } pages
zeropage-one-frame = many pages, one frame: every read page maps the same PFN
    .theory = one PFN for all { $pages } pages
zeropage-distinct-seen = { $distinct ->
        [one] 1 distinct PFN
       *[other] { $distinct } distinct PFNs
    }: { $list }
zeropage-is-zero-page = that frame is the kernel's zero page
    .theory = kpageflags ZERO_PAGE
zeropage-flags-seen = flags: { $flags }
zeropage-map-count = the kernel does not count the zero page's mappings (special page-table entries), while it counts an ordinary frame's
    .theory = zero page: map count 0 after 1 and after { $pages } mappings; a memfd page: 1, then { $pages }
zeropage-map-count-seen = zero page: { $zero_one }, then { $zero_all }; memfd page: { $one }, then { $all } (after 1 and { $pages } mappings)
zeropage-write-faults = the first write to a page that maps the zero page faults again; the next write does not
    .theory = { $written } minor faults for { $written } written pages, then 0 (0 in the control round)
zeropage-written-exclusive = after the write, exactly the written pages are exclusively ours
    .theory = exclusive pages { $written }
zeropage-exclusive-pages = exclusive pages { $pages }
zeropage-written-rss = after the write, the region's resident size is exactly the written pages
    .theory = smaps Rss = { $written } × { $kib } KiB = { $total } KiB
zeropage-rss-seen = Rss { $rss } KiB
zeropage-written-pfnzero = the kernel itself says the written pages left the zero page
    .theory = PFNZERO on the unwritten pages only
zeropage-pfnzero-after-write = PFNZERO on { $zero } pages; written pages among them: { $written }
zeropage-new-frames = the first write gives the page a frame of its own
    .theory = written pages: new, distinct PFNs; the others still the zero page
zeropage-new-frames-seen = written: { $own }; zero page { $zero }; { $still } of { $unwritten } unwritten pages still on it
