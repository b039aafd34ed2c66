# What every demo, the tour and the inspector share: verdicts, summaries, the page
# tables the demos print, and why the kernel hides something.

## Verdicts, as the claim table prints them (JSON keeps the English names).
verdict-holds = holds
verdict-contradicted = CONTRADICTED
verdict-unverifiable = unverifiable
verdict-computed = computed

kernel-not-visible = not visible

## The claim table and the summaries.
claims-header-claim = claim
claims-header-theory = theory
claims-header-kernel = kernel
claims-header-verdict = verdict
claims-contradicted = !! the kernel contradicted theory: { $statement } (expected { $theory }, saw { $kernel })
claims-summary = { $total ->
        [one] 1 claim
       *[other] { $total } claims
    }: { $held } { $held ->
        [one] holds
       *[other] hold
    }, { $contradicted } contradicted, { $unverifiable } unverifiable, { $computed } computed
computed-note = computed: theory's arithmetic worked out by vmlab, not something the kernel showed
note = note: { $text }

tour-summary = tour summary
tour-header-demo = demo
tour-header-title = title
tour-header-hold = hold
tour-header-contradicted = contradicted
tour-header-unverifiable = unverifiable
tour-header-computed = computed
tour-summary-key = ✓ hold  ✗ contradicted  ? unverifiable  = computed
tour-progress = [{ $n }/{ $total }] vm-{ $name }: { $summary }

## Why evidence is missing.
reason-pfns-hidden = frame numbers are hidden from unprivileged processes; run as root (sudo) to see them
reason-frames-hidden = map counts and frame flags (/proc/kpagecount, /proc/kpageflags) are readable by root only
reason-page-not-present = page { $va } is not present, so it has no frame to compare

## The table of pages the demos print.
pages-header-page = page
pages-header-va = VA
pages-header-pfn = PFN
pages-header-map-count = map count
pages-header-exclusive = exclusive
pages-header-flags = flags
page-hidden = hidden
page-swapped = swapped
page-absent = absent
page-unmapped = unmapped
yes = yes
no = no
yes-short = y
no-short = n

## Counts with their plural.
pages = { $count ->
        [one] 1 page
       *[other] { $count } pages
    }
## Comparing lists of frames and values in the kernel column.
agreement = { $same } of { $total } equal
agreement-first = { $same } of { $total } equal (first: { $first } { $equal } { $other })
list-more = { $list } (+{ $more } more)

## The tour.
tour-frames-again = { $count ->
        [one] One frame number
       *[other] { $count } frame numbers
    } here also appeared in { $demos }. That is not the same memory: when a demo exits or unmaps, the kernel frees its frames and hands them out again; and some frames (the zero page, a library's code) are shared by every process.
tour-pause = Press Enter for the next demo (q and Enter to stop):{" "}
tour-pause-needs-terminal = note: --pause waits only on a terminal; going on without pausing
brief-key = ✓ holds  ✗ contradicted  ? unverifiable [reason below]  = computed
table-left-out = left out to fit { $width } columns: { $columns } (--wide shows every column)

## Transparent huge pages: the settings, and why a region may not get one.
thp-settings = { $dir }/enabled is '{ $enabled }'{ $per_size }, defrag is '{ $defrag }'
thp-per-size = , { $path } is '{ $value }'
thp-file-missing = missing
thp-absent = this kernel has no transparent huge pages ({ $dir }/enabled does not exist)
thp-off = transparent huge pages are off: { $path } is '{ $value }'
thp-process-off = transparent huge pages are disabled for this process (THP_enabled: 0 in /proc/self/status, set by prctl(PR_SET_THP_DISABLE)), although { $settings }

## A directory whose pages live on a disk (for demos that need page-cache write-back or major faults).
disk-dir-none = no writable directory on a disk-backed filesystem: { $tried }
disk-dir-in-ram = { $dir } is in RAM (tmpfs or ramfs), where pages are never written back
disk-dir-not-writable = { $dir } is not writable
disk-dir-error = { $dir }: { $error }
tour-simulators = What the kernel cannot show is in the simulators: base and bounds (vmlab sim relocate), segmentation, external fragmentation and compaction (vmlab sim segment, vmlab sim freespace), page tables walked by hand (vmlab sim paging, vmlab sim multilevel), the TLB and page replacement (vmlab sim tlb, vmlab sim policy). vmlab course maps every concept of the course to its command.
