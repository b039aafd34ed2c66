# vm-faultcost

faultcost-summary = what a page fault costs, against an access to a present page
faultcost-title = what a page fault costs
faultcost-about = A page fault (the first touch of a fresh page) costs the kernel's work of a trap, a frame allocation and zeroing: orders of magnitude more than an access to a present page. MAP_POPULATE pays it up front without the traps; a huge page pays it once for 512 pages; a major fault adds a read from storage.

## Steps.
faultcost-step-thp = THP settings: { $settings }. The MADV_HUGEPAGE region got a huge page in { $given } of { $runs } runs; the machine's THP fault counters (/proc/vmstat) counted { $fallbacks } fallbacks to 4 KiB pages meanwhile (a fallback is a huge-page fault that found no free { $size } frame).
faultcost-step-table = Each time is the median of { $runs } runs (the faults are the first run's, from getrusage). One byte is written (or read) per page of { $page }, one cache line further in each page, so the time per page is one access plus, where the page was not present, its fault. The present pages are the same { $pages } pages written again: first once with no warm-up (since each page's line was last touched the kernel has zeroed all the later pages), then { $passes } times more (cached, in the TLB). Every row is compared per page: a huge-page fault's time is spread over the pages it makes present.
faultcost-col-what = what
faultcost-col-pages = pages
faultcost-col-faults = faults (minor/major)
faultcost-col-per-page = time per { $page } page
faultcost-col-per-fault = time per fault
faultcost-col-vs = per page, vs a cached write
faultcost-row-present = write to present pages (cached; { $passes } passes)
faultcost-row-cold = write to present pages (first pass, no warm-up)
faultcost-row-demand = write to fresh pages (demand faults)
faultcost-row-populate-mmap = mmap(MAP_POPULATE) itself
faultcost-row-populated = write to MAP_POPULATE'd pages
faultcost-row-huge = write to a fresh { $size } THP region
faultcost-present = { $present } present
faultcost-row-major = read evicted file pages (major faults)
faultcost-not-measured = not measured
faultcost-step-summary = A demand fault took { $fault }; a write to a present, cached page { $access } ({ $cold } on the first pass, no warm-up): the fault costs { $ratio } a cached write, or { $cold_ratio } a first-pass one. MAP_POPULATE did the allocation in the mmap call at { $populate } per page, with no trap per page; the writes after it took { $populated } per page, without a fault. The huge page's one fault took { $huge }: it allocates and zeroes { $size } at once, which is { $huge_page } for each of its { $pages } pages.
faultcost-step-file = The file: { $pages } pages in { $dir } (an unnamed O_TMPFILE file), written and fsync'd, then POSIX_FADV_DONTNEED before each run; mincore counted { $resident } of its pages still cached just before the reads (per run); MADV_RANDOM turns readahead off, so each page is read by its own fault.
faultcost-step-no-file = No major faults measured: { $why }.

## Why a piece of evidence is missing.
faultcost-no-runs = no run was recorded
faultcost-control-faulted = the measuring code took { $faults } faults by itself on a present page, so its fault counts cannot be trusted
faultcost-nohuge-failed = madvise(MADV_NOHUGEPAGE) failed ({ $error }), so the 4 KiB pages may have been huge ones
faultcost-too-few-runs = only { $runs } runs to compare, fewer than the { $min } that quartiles need
faultcost-too-noisy = too noisy to decide: over the middle half of { $runs } runs, { $a } took { $a_range } and { $b } { $b_range }, so their ratio lies anywhere from { $low } to { $high }, on both sides of { $k }
faultcost-not-evicted = the kernel kept file pages cached after fsync and POSIX_FADV_DONTNEED (mincore: { $resident } of { $pages } resident per run), so eviction could not be confirmed
faultcost-no-file = the file in { $dir } could not be made: { $error }

## What the timing claims compare.
faultcost-name-fault = a demand fault
faultcost-name-access = a cached write
faultcost-name-cold = a first-pass write
faultcost-name-faults = { $n } demand faults
faultcost-name-huge = one huge-page fault
faultcost-name-major = a major fault
faultcost-ratio-seen = { $a }: { $a_cost }, { $b }: { $b_cost } (medians): { $ratio }; from { $low } to { $high } over the middle half of the runs

## Claims: the statement, then what theory predicts.
faultcost-demand-faults = writing { $pages } fresh pages takes one page fault per page
    .theory = { $pages } minor faults per run, none on the writes after
faultcost-demand-faults-seen = faults per run: { $demand }; on the writes after: { $again }{ $aside ->
        [0] { "" }
        [one] ; 1 run set aside (pages moved meanwhile, see /proc/vmstat)
       *[other] ; { $aside } runs set aside (pages moved meanwhile, see /proc/vmstat)
    }
faultcost-populate = with MAP_POPULATE the pages are present before the first touch, and touching them faults no more
    .theory = { $pages } of { $pages } present after mmap (pagemap); 0 faults on the writes
faultcost-populate-seen = present after mmap: { $before }; faults on the writes: { $after }{ $aside ->
        [0] { "" }
        [one] ; 1 run set aside (pages moved meanwhile, see /proc/vmstat)
       *[other] ; { $aside } runs set aside (pages moved meanwhile, see /proc/vmstat)
    }
faultcost-orders = a page fault costs orders of magnitude more than an access to a present page
    .theory = fault ≥ { $k } a cached write, over the middle half of the runs
faultcost-cold = a page fault costs an order of magnitude more even than a write to a present page with no warm-up
    .theory = fault ≥ { $k } a first-pass write, over the middle half of the runs
faultcost-huge-one-fault = a huge page replaces { $pages } faults by one: one write makes a { $size } region present
    .theory = 1 fault, { $pages } of { $pages } present, AnonHugePages { $kb } kB, in every run that got a huge page
faultcost-huge-one-fault-seen = a huge page in { $given } of { $runs } runs; their faults: { $faults }; present: { $present }; AnonHugePages: { $kb } kB
faultcost-huge-frame = the { $pages } pages of that one fault are one { $size } frame: consecutive PFNs
    .theory = one run of { $pages } PFNs from a multiple of { $pages }, in every run
faultcost-huge-frame-seen = one aligned run in { $one } of { $runs } runs (first: { $first })
faultcost-pfn-run = { $count } frames from { $first }
faultcost-huge-cheaper = per page, a huge-page fault is cheaper than a 4 KiB fault: one fault takes less time than the { $pages } it replaces
    .theory = { $pages } × a 4 KiB fault > 1 huge-page fault, over the middle half of the runs
faultcost-major-faults = reading a file page that is not in the page cache is a major fault, one per page
    .theory = { $pages } major faults per run, after mincore saw 0 of { $pages } pages cached
faultcost-major-faults-seen = cached before: { $resident }; major faults per run: { $majors }
faultcost-major-cost = a major fault costs more than a minor one: it waits for storage
    .theory = major fault ≥ { $k } a minor fault, over the middle half of the runs
