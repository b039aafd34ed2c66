# vm-hugepages

hugepages-summary = transparent huge pages: one 2 MiB frame, one fault, one level fewer
hugepages-title = huge pages: 512 pages in one
hugepages-about = With transparent huge pages, one write to a 2 MiB-aligned MADV_HUGEPAGE region makes all 2 MiB present in one fault, backed by one naturally aligned 2 MiB frame and mapped by a single entry of the PD level, one level above the page tables.

## The THP settings, and why a huge page cannot be had.
hugepages-thp-declined = the kernel tried a huge page and fell back to 4 KiB pages (thp_fault_fallback in /proc/vmstat grew by { $fallback }): it found no free { $size } frame, memory being fragmented; { $settings }
hugepages-madvise-failed = madvise(MADV_HUGEPAGE) failed: { $error }
hugepages-nohuge-failed = madvise(MADV_NOHUGEPAGE) failed ({ $error }), so the region that should have only 4 KiB pages may have had huge ones
hugepages-no-counters = /proc/vmstat has no thp_fault_alloc and thp_fault_fallback counters, so it cannot be told whether the kernel tried a huge page and fell back
hugepages-no-scan = this kernel has no PAGEMAP_SCAN (Linux 6.7+), which tells how each page is mapped: { $error }
hugepages-no-pmd-size = /sys/kernel/mm/transparent_hugepage/hpage_pmd_size cannot be read: this kernel has no transparent huge pages
hugepages-no-migration-counters = /proc/vmstat has no pgmigrate_success and pgmigrate_fail counters, so it cannot be told whether the kernel moved pages meanwhile
hugepages-pages-migrated = the kernel moved { $pages ->
        [one] 1 page
       *[other] { $pages } pages
    } meanwhile (compaction or NUMA balancing; /proc/vmstat), and touching a page while it is being moved faults too, so extra faults cannot be told from theory failing
hugepages-frames-moved = the frames changed between two readings of pagemap (compaction or khugepaged moved the page); run again

## Steps.
hugepages-step-settings = THP settings: { $settings }. One PD entry maps { $size } = { $pages } pages of { $page }.
hugepages-step-allowed = A MADV_HUGEPAGE region may get huge pages.
hugepages-step-forbidden = So no huge page can be expected here: { $why }.
hugepages-step-huge = A { $size } region at { $va } (aligned to { $size }) with MADV_HUGEPAGE; we write one byte at its start: { $faults ->
        [one] 1 page fault
       *[other] { $faults } page faults
    } (getrusage; the counting code itself, run once before: { $warmup }). pagemap now shows { $present } of { $total } pages present; smaps AnonHugePages = { $kb } kB; VmPTE changed by { $kib } KiB; { $counters }. The column "huge entry" is PAGEMAP_SCAN's PAGE_IS_HUGE: the page is mapped by one entry of the PD level, not by a page table.
hugepages-counters = the machine's THP fault counters (/proc/vmstat) counted { $alloc } huge pages allocated and { $fallback } fallbacks to 4 KiB pages
hugepages-header-offset = PFN - first
hugepages-header-huge-entry = huge entry
hugepages-step-walk = The walk of an address in each region: with a huge page the PD entry points at the 2 MiB frame, the PT level is skipped, and the offset has 21 bits instead of 12.
hugepages-header-level = level
hugepages-header-bits = address bits
hugepages-header-small = 4 KiB page
hugepages-header-huge = huge page
hugepages-entry = entry { $index }
hugepages-skipped = skipped: the PD entry maps the frame
hugepages-offset = offset
hugepages-offset-bits = { $offset } ({ $bits } bits)
hugepages-step-contrast = Contrast: a { $size } region at { $va } with MADV_NOHUGEPAGE. One write: { $first ->
        [one] 1 fault
       *[other] { $first } faults
    }, { $one } of { $total } pages present. Writing the other { $others } pages: { $rest } more faults, { $all } of { $total } present; AnonHugePages = { $kb } kB.
hugepages-step-deposit = VmPTE still grew by { $kib } KiB for the huge page: Linux sets a page table aside ("deposits" it) with every huge page, so that splitting it into 4 KiB pages later can never fail for want of memory. The walk skips it; the memory is kept.

## Claims: the statement, then what theory predicts.
hugepages-pmd-size = one PD entry maps as much as a whole page table does: the kernel's huge-page size is that
    .theory = { $entries } entries × { $page } = { $size }
hugepages-pmd-size-seen = hpage_pmd_size = { $size }
hugepages-all-present = one write to a { $size } MADV_HUGEPAGE region makes all { $pages } pages present
    .theory = { $pages } of { $pages } present in pagemap
hugepages-present-seen = { $present } of { $total } present
hugepages-one-fault = it takes a single page fault
    .theory = 1 minor fault
hugepages-one-fault-seen = { $faults ->
        [one] 1 minor fault
       *[other] { $faults } minor faults
    } (the counting code alone: { $warmup })
hugepages-pmd-mapped = one PD entry maps each of the { $pages } pages, where the 4 KiB region has none
    .theory = PAGE_IS_HUGE for { $pages } of { $pages } pages, and for 0 of the other region's
hugepages-pmd-mapped-seen = PAGE_IS_HUGE: { $huge } of { $total } pages (MADV_HUGEPAGE), { $small } of { $total } (MADV_NOHUGEPAGE)
hugepages-anon-huge = smaps counts the region as AnonHugePages, anonymous memory mapped by PD entries
    .theory = AnonHugePages { $kb } kB
hugepages-anon-huge-seen = AnonHugePages { $kb } kB
hugepages-one-frame = the { $pages } pages are one { $size } frame: consecutive PFNs from an aligned first one
    .theory = PFN(k) = PFN(0) + k, PFN(0) a multiple of { $pages }
hugepages-one-frame-seen = first PFN { $first } (a multiple of { $pages }: { $aligned }); PFN(k) = first + k for all { $pages }
hugepages-not-one-run = not one run: { $pfns }; the first { $run } are consecutive
hugepages-compound = kpageflags mark one transparent huge page: THP and COMPOUND_HEAD on the first frame
    .theory = first: THP COMPOUND_HEAD; the rest: THP COMPOUND_TAIL
hugepages-compound-seen = first: { $first }; { $tails } of { $others } others THP + COMPOUND_TAIL
hugepages-small-one-present = without huge pages one write makes one page present
    .theory = 1 present after one write; AnonHugePages 0 kB
hugepages-small-one-present-seen = { $present } of { $total } present after one write; AnonHugePages { $kb } kB
hugepages-small-faults = without huge pages the region takes one fault per page
    .theory = { $pages } faults for { $pages } pages
hugepages-small-faults-seen = { $first } + { $rest } = { $total } faults; { $present } of { $pages } present
