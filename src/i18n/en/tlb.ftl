# vm-tlb

tlb-summary = the TLB, measured: time per access against pages touched, and where it jumps
tlb-title = the TLB, measured
tlb-about = The cost of one access per page, against the number of pages touched: flat while the pages fit in the TLB, jumping just past each level's reach. On 2 MiB pages the same accesses need far fewer translations, so they stay cheap far longer. Measured, then set beside what CPUID reports.

## The curves.
tlb-curve-sequential-4k = 4 KiB sequential
tlb-curve-random-4k = 4 KiB random
tlb-curve-sequential-2m = 2 MiB sequential
tlb-curve-random-2m = 2 MiB random

## Steps.
tlb-step-regions = Two regions of { $pages } pages ({ $size }): one with MADV_NOHUGEPAGE (smaps AnonHugePages: { $small_huge }), one 2 MiB-aligned with MADV_HUGEPAGE (AnonHugePages: { $big_huge } of { $big_size }). THP: { $thp }. Every page was written before timing, so no page fault is measured.
tlb-step-data = Pinned to CPU { $cpu } (sched_setaffinity; the previous mask is restored). Each point was measured in { $rounds } rounds, the first from 1 page up, the second from the largest count down, and in each round the four curves one after the other: a disturbance then hits all four alike, and a drift of the machine's speed shows as disagreement between the rounds. Each measurement: one warm-up run, then { $runs } timed runs of at least { $accesses } accesses (trials = passes over the pages per run), timed with CLOCK_MONOTONIC. A point is the median of all its runs; ◀ marks the last point before a knee; ± shows the spread of a point's runs (the middle half, against the median) where it exceeds { $shown }. The four curves took { $seconds } s.
tlb-col-pages = pages
tlb-col-memory = memory
tlb-col-trials = trials
tlb-col-misses = 4 KiB random dTLB misses/access
tlb-step-chart = ns per access against pages touched (log scale):
tlb-chart-x = pages (log scale)
tlb-step-theory = Theory (what the CPU reports, { $source }; vendor { $vendor }{ $hypervisor ->
        [yes] , under a hypervisor (CPUID.1:ECX bit 31), which decides what CPUID shows
       *[no] {""}
    }) beside the knee the finder located nearest to each predicted reach (within { $factor }x). Data caches have knees too (the words of N pages fill N cache lines: 512 lines fill a 32 KiB L1d); the 2 MiB curves touch the very same lines through far fewer translations, so a knee they share is not clearly the TLB's.
tlb-col-tlb = TLB (data)
tlb-col-cpuid = CPU reports (CPUID)
tlb-col-reach = reach, 4 KiB pages
tlb-col-knee-random = nearest knee (random)
tlb-col-knee-sequential = nearest knee (sequential)
tlb-row-4k = L{ $level } 4 KiB
tlb-row-2m = L{ $level } 2 MiB
tlb-entries = { $entries } entries
tlb-cpuid-unknown = unknown ({ $why })
tlb-reach-pages = { $pages } pages ({ $size })
tlb-knee-after = after { $pages } ({ $size })
tlb-knee-none-within = none within { $factor }x
tlb-step-huge-reach = With 2 MiB pages one entry covers { $per_huge } pages of 4 KiB: the CPU's { $entries } first-level entries reach { $predicted } pages ({ $size }). { $outcome }
tlb-huge-knee-far = Measured: the 2 MiB random curve's first knee is after { $huge } pages, { $times }x the 4 KiB knee ({ $pages }).
tlb-huge-knee-beyond = That is beyond the { $max } pages measured; run with --max-pages { $suggest } to see the 2 MiB knee.
tlb-huge-knee-none = No knee near it was measured.
tlb-step-order = Order matters: at { $pages } pages a sequential pass costs { $sequential } ns per access on 4 KiB pages and a random chase { $random } ns. The sequential loop's loads are independent (the CPU overlaps them) and its next pages are predictable (prefetchers, page-walk caches), which flatters the TLB; the chase's every load waits for the previous one.
tlb-step-counted = dTLB read misses were counted by the hardware (perf_event_open) over the timed runs of every point.
tlb-step-not-counted = No hardware miss counts: { $why }.
tlb-step-shared = Here { $seen }. At { $pages } pages a random access costs { $small } ns on 4 KiB pages and { $huge } ns on 2 MiB pages.
tlb-step-noise = Noise: the runs of { $noisy } of the { $total } points of the random curves, which the claims read, spread by more than { $shown }, at worst { $spread } at { $pages } pages on the { $curve } curve (other processes were running). A claim that rests on a noisy point says so instead of deciding.
tlb-step-plot = The plot was written to { $path }.

## The plot.
tlb-plot-title = vm-tlb: ns per access vs pages ({ $vendor })
tlb-plot-x = pages touched (4 KiB each, log scale)
tlb-plot-y = ns per access (median)
tlb-plot-knee = knee { $pages }
tlb-plot-cpuid = CPUID L1 { $entries }

## What a knee in both curves shows, and suggests (the narration and the claims say it alike).
tlb-shared-knee-guest = the 2 MiB control curve shows the same knee as the 4 KiB curve (after { $huge } pages there, after { $pages } on 4 KiB pages). This suggests that the host backs guest memory with 4 KiB pages, so that the guest's 2 MiB pages do not reduce TLB pressure in the host's tables; or that the knee is a data-cache effect. { $counter ->
        [refused] No hardware counter can tell which
       *[open] The hardware counter does not show the misses rising past it
    }: timing alone cannot attribute the knee to the TLB
tlb-shared-knee = the 2 MiB control curve shows the same knee as the 4 KiB curve (after { $huge } pages there, after { $pages } on 4 KiB pages), though its pages need { $per_huge } times fewer translations. This suggests that the knee is a data-cache effect, not the TLB's. { $counter ->
        [refused] No hardware counter can tell
       *[open] The hardware counter does not show the misses rising past it
    }: timing alone cannot attribute the knee to the TLB

## Why a piece of evidence is missing.
tlb-reason-range = the sweep stops at { $max } pages, too few to test this: the CPU reports { $entries } first-level entries, and finding their knee wherever theory allows takes points up to { $needed } pages (run with --max-pages { $suggest })
tlb-reason-no-knee = the 4 KiB random curve has no knee to judge
tlb-reason-no-knee-no-reach = no knee in 1..{ $max } pages, but the CPU does not say where its first level's reach is ({ $why }): it may lie beyond the sweep
tlb-reason-counts-unread = the counter could not be read at every point
tlb-reason-no-tail = no point was measured past the knee
tlb-reason-noisy = too noisy to decide: at { $pages } pages on the { $curve } curve the timed runs spread by { $spread } (the middle half of them, against their median), and the effect does not stand clear of that; the machine was busy, run it again
tlb-cpuid-not-x86 = CPUID is x86-only; this is { $arch }
tlb-cpuid-no-dtlb = { $vendor } CPU: { $source } report no data TLB
tlb-cpuid-unknown-vendor = CPU vendor '{ $vendor }': vmlab knows no CPUID leaves for its TLBs
tlb-cpuid-hypervisor-hides = { $why } (a hypervisor is present, CPUID.1:ECX bit 31, and may hide it)
tlb-counter-refused = perf_event_open(PERF_TYPE_HW_CACHE, dTLB read miss) failed with { $errno }: { $cause }; kernel.perf_event_paranoid is { $paranoid }
tlb-counter-no-pmu = no hardware counter for dTLB misses, typical of a virtual machine without a virtual PMU
tlb-counter-restricted = counters are restricted; run as root or lower kernel.perf_event_paranoid
tlb-counter-other = the kernel refused the counter
tlb-thp-declined = the kernel gave only { $got } of the { $size } region huge pages (smaps AnonHugePages) although { $settings }: memory may be fragmented

## Claims: the statement, then what theory predicts.
tlb-cost-rises = cost per access rises once the pages touched exceed the first TLB level's reach
    .theory = a knee in the 4 KiB random curve that the TLB explains: absent from the 2 MiB control curve, or with the hardware counting misses past it
tlb-cost-rises-seen = knee after { $pages } pages: { $before } → { $after } ns per access; { $how }
tlb-witness-control = the 2 MiB curve has no knee near it
tlb-witness-counter = { $below } dTLB misses per access up to it, { $after } just past it
tlb-cost-flat-seen = no knee in 1..{ $max } pages ({ $first } to { $last } ns per access), beyond the runs' noise
tlb-reach-matches-cpuid = the measured reach of the first TLB level is within { $factor }x of the entries the CPU reports
    .theory = CPUID L1 dTLB entries (4 KiB) / { $factor } ≤ the TLB's knee ≤ entries × { $factor }
tlb-reach-seen = CPUID: { $entries } entries; knee after { $pages } pages (next point { $next }): ratio { $ratio }
tlb-huge-pushes-knee = huge pages push the knee out: the 4 KiB knee is not in the 2 MiB curve
    .theory = no knee of the 2 MiB random curve within 2x of the 4 KiB one
tlb-pushed-seen = 4 KiB knee after { $pages } pages; 2 MiB knees after: { $knees }
tlb-not-pushed-seen = 4 KiB knee after { $pages } pages; the 2 MiB curve has it too (after { $huge }), and the counter sees { $misses } dTLB misses per access past it
tlb-none = none
tlb-huge-cheaper = past the first TLB level's reach, the same accesses cost less on 2 MiB pages
    .theory = at the { $tail } largest page counts past the TLB's knee (random order): median of 4 KiB / 2 MiB ≥ { $threshold }, beyond the runs' spread
tlb-tail-point = { $pages }: { $small } vs { $huge } ns
tlb-cheaper-seen = { $points }; median ratio { $ratio } (runs spread up to { $spread })
tlb-misses-counted = the hardware counts dTLB misses: almost none below the first knee, most accesses miss past it
    .theory = < { $few } miss per access up to the knee, ≥ { $most } at the largest page count (4 KiB, random)
tlb-misses-seen = at most { $below } per access up to { $pages } pages; { $top } at { $max }
