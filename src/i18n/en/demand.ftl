# vm-demand

demand-summary = demand paging: memory is mapped at once but given frames only when touched
demand-title = demand paging: frames on first touch
demand-about = mmap reserves addresses, not memory: a page gets a frame at its first access, one page fault per page; MAP_POPULATE takes those faults up front, and MAP_NORESERVE lets the kernel map more than the machine's RAM.

## Steps.
demand-step-map = Child { $child } maps 1 GiB of private anonymous memory at { $va }. (It first turned transparent huge pages off for itself with prctl(PR_SET_THP_DISABLE){ $thp_off ->
        [on] {""}
       *[off] , which failed
    }, and marks the mapping MADV_NOHUGEPAGE, so that each fault maps one { $kib } KiB page as in the textbook; THP is `{ $thp }` here and vm-hugepages shows the other case.) VmRSS counts the whole child, which also grows as it first runs code after fork; the region's Rss (smaps) and the pagemap count this mapping alone.
demand-col-when = when
demand-col-vm-rss = VmRSS (whole process)
demand-col-region-rss = region Rss (smaps)
demand-col-present = present pages (pagemap)
demand-before-mmap = before mmap
demand-after-mmap = after mmap
demand-step-touch = The child writes one byte to { $touched } pages, one every { $stride } MiB: { $faults } minor page faults (getrusage; { $control } in the control round just before, the same code writing pages it already had). The pagemap of the whole 1 GiB now shows { $present } present pages; smaps Rss of the region is { $rss }; VmRSS went from { $before } KiB to { $after } KiB.
demand-page-index = page { $index }
demand-more-pages = … { $more } more
demand-step-small = The child maps { $kib } KiB ({ $pages } pages) twice, plainly and with MAP_POPULATE, then writes every page of both ({ $control } faults in the control round):
demand-col-mapping = mapping
demand-col-mmap-faults = faults in mmap()
demand-col-present-after-mmap = present after mmap
demand-col-write-faults = faults writing every page
demand-plain = plain
demand-of = { $part } of { $whole }
demand-machine = The machine has { $ram } MiB of RAM and { $swap } MiB of swap (/proc/meminfo); vm.overcommit_memory is { $mode } (0: a heuristic that refuses any single mapping larger than RAM + swap; 1: always grant; 2: strict accounting).
demand-not-tried = The child does not ask for more than RAM: { $reason }.
demand-step-beyond-ram = The child asks for { $gib } GiB of private writable memory. Without MAP_NORESERVE: { $plain }. With MAP_NORESERVE: { $noreserve }; VmSize grows by { $growth } GiB and the region's Rss is { $rss }.
demand-mapped = mmap succeeds
demand-refused = mmap fails with { $errno }

## Why a piece of evidence is missing.
demand-not-mapped = the MAP_NORESERVE mapping was refused, so it has no Rss
demand-strict-overcommit = vm.overcommit_memory is 2 (strict accounting): the kernel ignores MAP_NORESERVE and refuses any private writable mapping beyond CommitLimit
demand-address-limit = the address-space limit (RLIMIT_AS = { $limit } bytes) is smaller than the mapping
demand-setting-unreadable = { $path } is not readable
demand-smaps-unreadable = the child's smaps could not be read: { $error }
demand-region-merged = the kernel merged the mapping with a neighbouring region, so smaps cannot give the mapping's Rss alone
demand-pagemap-unreadable = the child's pagemap could not be read: { $error }
demand-control-faulted = the control round (the same code on pages already owned) took { $control } faults: something else faulted during the measurement, so the count cannot be trusted
demand-not-heuristic = vm.overcommit_memory is { $mode }, not 0: the heuristic that refuses oversized mappings is not in use

## Claims: the statement, then what theory predicts.
demand-reserves = mmap reserves addresses, not memory: mapping { $gib } GiB adds { $gib } GiB of address space and nothing resident
    .theory = VmSize +{ $gib } GiB; region Rss 0 KiB
demand-reserves-seen = VmSize +{ $growth } KiB; region Rss { $rss } KiB
demand-none-present = no page of the new mapping is present before it is touched
    .theory = 0 of { $pages } pages present in the pagemap
demand-present-seen = { $present } of { $pages } present
demand-touch-faults = each touched page costs one page fault
    .theory = { $touched } minor faults (0 in the control round)
demand-faults-seen = { $faults } minor faults ({ $control } in the control round)
demand-touched-present = exactly the touched pages become present
    .theory = the { $touched } touched pages, no other
demand-touched-present-seen = { $present } present, { $untouched } of them never touched
demand-touched-rss = the region's resident size is exactly the touched pages
    .theory = smaps Rss = { $touched } × { $kib } KiB = { $total } KiB
demand-rss-seen = Rss { $rss } KiB
demand-own-frames = each touched page got a frame of its own
    .theory = { $touched } distinct PFNs
demand-frames-seen = { $distinct ->
        [one] 1 distinct PFN
       *[other] { $distinct } distinct PFNs
    }: { $list }
demand-plain-lazy = a plain mapping takes its faults when its pages are first written
    .theory = 0 faults in mmap, 0 present, then { $pages } faults
demand-populate-eager = MAP_POPULATE moves the faults into mmap
    .theory = { $pages } faults inside mmap, all { $pages } present when it returns, then 0 faults
demand-small-seen = { $mmap } faults in mmap, { $present } present, then { $writes } faults
demand-heuristic-refuses = without MAP_NORESERVE, the kernel's overcommit heuristic refuses a private writable mapping larger than RAM + swap
    .theory = mmap of { $gib } GiB fails with ENOMEM
demand-noreserve = with MAP_NORESERVE, the same mapping succeeds and costs no memory
    .theory = mmap of { $gib } GiB (RAM + swap: { $ram } GiB) succeeds; VmSize +{ $gib } GiB; region Rss 0 KiB
demand-noreserve-seen = mmap succeeds; VmSize +{ $growth } GiB; region Rss { $rss } KiB
