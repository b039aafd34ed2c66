# The inspector: vmlab maps, pages, translate, frames, cache, flags.

error-zombie = process { $pid } is a zombie: it has exited and its parent has not reaped it, so it has no memory left to show
error-pid-reused = process { $pid } has exited and its PID now belongs to another process; vmlab stopped rather than show the newcomer's memory under the old process's name

pages-read-scan = read { $regions ->
    [one] 1 region
   *[other] { $regions } regions
} with PAGEMAP_SCAN: pagemap entries only where the kernel reports populated pages
pages-read-pread = read { $regions ->
    [one] 1 region
   *[other] { $regions } regions
} with pread: every pagemap entry
pages-read-nothing = nothing read: no region in the range

pages-summary-states = { $pages ->
    [one] 1 page
   *[other] { $pages } pages
}: { $present } present, { $swapped } swapped, { $absent } absent; { $unmapped } unmapped
pages-summary-present = present: { $exclusive } exclusive, { $shared } shared, { $zero } zero-page, { $thp } THP, { $folio } large-folio, { $hugetlb } hugetlb, { $mapped } mapped huge, { $dirty } soft-dirty
pages-summary-moved = { $moved ->
    [one] 1 page
   *[other] { $moved } pages
} changed while vmlab read them (the process ran meanwhile): their frame was read again; --freeze stops the process for a still picture
pages-by-map-count = present pages by map count (map count: pages): { $list }
pages-by-map-count-hidden = present pages by map count: ? (needs root)
pages-by-map-count-not-read = present pages by map count: not read (--map-counts reads them: one more read for each shared page)

flags-table-title = Pages by flag combination (tools/mm/page-types' table; compound bits shown for hugetlb only, kernel-internal bits hidden; --raw shows them):
flags-table-title-raw = Pages by flag combination, raw (page-types -r: every bit, overloaded bits decoded, pagemap bits added):
flags-col-word = FLAGS
flags-col-pages = PAGES
flags-col-mb = MB
flags-col-symbolic = SYMBOLIC
flags-col-names = NAMES
flags-total = total
flags-unknown-name = '{ $name }' in '{ $expr }' is not a flag name; the names are: { $known } (or vmlab's upper-case names, `compound`, or a number)
flags-needs-root = --flags selects pages by their frame flags, which come from /proc/kpageflags: only root may read it (and only root sees the frame numbers to look up); run vmlab with sudo

frames-needs-root = vmlab frames reads /proc/kpageflags and /proc/kpagecount, which only root may read (the frame numbers of any process, the flags of every frame); run it with sudo
frames-range-empty = the range holds no frame: its end must be above its start
frames-range-too-large = the range ends beyond the largest frame number there can be
frames-range-past-end = the machine has no frame there: its last frame is below this number
frames-col-pfn = PFN
frames-col-frames = FRAMES
frames-col-maps = MAPS
frames-col-flags = FLAGS
frames-total = { $frames ->
    [one] 1 frame
   *[other] { $frames } frames
} ({ $size }) read, PFN { $start } up to { $end }
frames-by-map-count = frames by map count (map count: frames): { $list }

flagdoc-kpageflags = /proc/kpageflags: one word per frame (bits 0-26 kernel ABI; 32 and up kernel-internal, shown by --raw)
flagdoc-raw = page-types' raw view (--raw, page-types -r): overloaded bits decoded, pagemap bits added
flagdoc-pagemap = /proc/PID/pagemap: one entry per virtual page
flagdoc-when = when: { $text }
flagdoc-unknown = no bit is called '{ $name }'; the names are: { $known }

cache-file = { $path }: { $cached } of { $pages ->
    [one] 1 page
   *[other] { $pages } pages
} cached ({ $size })
cache-file-counts-only = { $path }: { $cached } of { $pages } pages cached (the count from cachestat; which pages, the kernel tells only the file's owner, whoever may write it, and root)
cache-file-unknown = { $path }: the kernel tells which pages of a file are cached (mincore, cachestat) only to its owner, whoever may write it, and root; run with sudo to see them
cache-file-error = { $path }: cannot read it: { $error }
cache-file-stat = of the file: { $dirty } dirty, { $writeback } being written back, { $evicted } evicted since it was opened
cache-hidden = hidden
cache-total = { $files ->
    [one] 1 file
   *[other] { $files } files
}: { $cached } of { $pages } pages cached ({ $size })
cache-own-mapping = vmlab maps each file to find its frames: map counts leave that mapping out, and MMAP is set on every frame it read
cache-frames-hidden = frames, map counts and flags are hidden: the kernel shows frame numbers to root only; run with sudo to see them
cache-col-index = PAGE

freeze-self = vmlab cannot stop itself: it would never resume; --freeze is for other processes
freeze-did-not-stop = process { $pid } did not stop within 2 seconds of SIGSTOP; it was resumed

verify-intro = Each region's RSS, PSS and swap as smaps gives them (the kernel's own sums) against the same sums over its pages from pagemap and kpagecount, for process { $pid } ({ $command }). Regions shown are those that differ or hold pages smaps counts apart.
verify-numbers = RSS smaps { $smaps_rss }, pages { $rss }; PSS smaps { $smaps_pss }, pages { $pss }; swap smaps { $smaps_swap }, pages { $swap }
verify-because = because: { $text }
verify-why-zero-page = some pages map the shared zero page: pagemap shows them present, smaps leaves them out of RSS (it is not a page of this process), so vmlab leaves them out too
verify-why-hugetlb = hugetlb pages: smaps counts them apart (Private_Hugetlb, Shared_Hugetlb), not in RSS or PSS
verify-why-changed = the process ran between reading smaps and reading its pages (pages were touched, copied or freed); --freeze stops it for one still moment
verify-why-unexplained = the process was stopped, and still the sums differ: a kernel that counts differently (large folios, whose map count it may average, or KSM pages)
verify-why-hidden = without root vmlab cannot tell zero pages, hugetlb pages and map counts apart; run with sudo
verify-total = { $regions } regions checked: { $differ } differ from smaps, { $shown } shown
verify-pss-is = PSS (proportional set size): each page's size divided by the number of page-table entries that map it (its map count), summed: a page shared by 4 processes adds a quarter of a page to each. The sum over every process is the RAM they use.
verify-pss-hidden = PSS was not checked: it needs each frame's map count, from /proc/kpagecount, which only root may read; run with sudo

## vmlab maps: the table's title, headers, totals and legend.
maps-title = process { $pid } ({ $command })
maps-col-start = START
maps-col-end = END
maps-col-size = SIZE
maps-col-perms = PERMS
maps-col-kind = KIND
maps-col-rss = RSS
maps-col-pss = PSS
maps-col-swap = SWAP
maps-col-backing = BACKING
maps-total-regions = { $count ->
    [one] 1 region
   *[other] { $count } regions
}
maps-total = total
maps-kinds = kinds: { $list }
maps-columns-note = RSS: in RAM; PSS: RAM, shared pages split among their users; SIZE: virtual
region-anonymous = (anonymous)

## What each kind of region holds, for the legend of vmlab maps.
kind-text = program code
kind-rodata = program constants
kind-data = initialised globals
kind-bss = zeroed globals
kind-heap = brk heap
kind-stack = main stack
kind-thread-stack = a thread's or signal stack
kind-lib-text = library code
kind-lib-data = library data
kind-file = mapped file
kind-shm = shared memory
kind-anon = anonymous mmap
kind-guard = no-access gap
kind-vdso = kernel code for fast syscalls
kind-vvar = kernel data for vdso
kind-vsyscall = legacy fixed syscall page
kind-other = other kernel-named area

## vmlab pages: the rows' headers and cells, regions and gaps.
pages-col-va = VA
pages-col-vpn = VPN
pages-col-pages = PAGES
pages-col-state = STATE
pages-col-pfn = PFN
pages-col-pa = PA
pages-col-maps = MAPS
pages-col-excl = EXCL
pages-col-sdirty = SDIRTY
pages-col-flags = FLAGS
page-present = present
pages-region = { $region } ({ $pages }, { $size })
pages-gap = { $start }-{ $end } unmapped: no region ({ $pages }); an access here faults with SEGV_MAPERR
pages-above-user-space = { $name } at { $addr } is above user space: the kernel emulates it and pagemap has no entries for it

## vmlab translate: the walk of one address, step by step.
translation-title = translate { $va } in process { $pid } ({ $command })
translation-step-region = region
translation-step-split = split
translation-step-walk = walk
translation-step-pte = PTE
translation-step-frame = frame
translation-step-physical = physical
translation-step-frame-info = frame info
translation-no-region = none: no mapping contains this address, so an access faults (SIGSEGV, SEGV_MAPERR)
translation-split = page size { $size } = 2^{ $bits }, so the low { $bits } bits are the offset
translation-split-parts = VA { $va } = VPN { $vpn } | offset { $offset }
translation-walk-bits = indices from VA bits { $bits }; 9 bits each: 512 entries of 8 bytes fill one table page
translation-outside-pagemap = the pagemap has no entry for this address (it lies outside the user page tables)
translation-no-entry = no entry: the walk would find an invalid entry at some level
translation-pte = pagemap entry { $raw }: { $bits }
translation-swapped = none: the page is on swap device { $device } at slot { $slot }; an access faults and the kernel reads it back
translation-not-present = none yet: the page is mapped but not present; the first access faults and the kernel gives it a frame (demand paging)
translation-pfn-hidden = hidden: the kernel shows frame numbers only to CAP_SYS_ADMIN; run with sudo to see the frame and physical address
translation-pfn = PFN { $pfn }
translation-physical = PA = PFN × { $page } + offset = { $pfn } × { $page_hex } + { $offset } = { $pa }
translation-map-count = map count { $count } (page-table entries mapping this frame)
translation-map-count-unknown = map count unknown (/proc/kpagecount unreadable)
translation-flags = flags { $flags }
translation-flags-unknown = flags unknown (/proc/kpageflags unreadable)
translation-zero-page = the shared zero page: memory that was read but never written maps this one frame; the kernel keeps no map count for it (hence 0); the first write gives the page a frame of its own
translation-thp = part of a transparent huge page: where a PD entry maps it whole, the walk stops at PD and the low 21 bits are the offset

## What the kernel hides from this user (said once, on stderr).
privilege-pfns-hidden = frame numbers (PFN) are hidden by the kernel
privilege-kpage-missing = /proc/kpagecount or /proc/kpageflags is missing from this kernel
privilege-kpage-root-only = map counts and frame flags are unreadable (/proc/kpage* is root-only)
privilege-even-with-cap = even with CAP_SYS_ADMIN
privilege-without-cap = because vmlab runs without CAP_SYS_ADMIN; run it with sudo to see them
privilege-notice = { $hidden } { $why }.

