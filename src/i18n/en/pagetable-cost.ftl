# vm-pagetable-cost

pagetable-cost-summary = the space page tables cost: dense vs sparse, and why tables have levels
pagetable-cost-title = what page tables cost
pagetable-cost-about = Page tables are memory too: about 1/512 of the memory they map when it is used densely, a whole table page per page when it is used sparsely, and only where something is mapped, which is why tables have levels.

## Steps.
pagetable-cost-step-geometry = Pages here are { $page } and a page-table entry is { $entry } bytes, so one table page holds { $entries } entries: the lowest table maps { $pt_span } and one table above it maps { $pd_span }. The kernel counts this process's page-table memory as VmPTE in /proc/self/status.
pagetable-cost-step-runs = (a) maps { $dense } and writes every page; (b) reserves { $sparse } of address space and writes one page in each { $span }. VmPTE after each step:
pagetable-cost-step-refused = ({ $part }) could not be done: { $reason }.
pagetable-cost-step-levels = Why levels: user space is 2^{ $bits } bytes, and a flat (one-level) table for it would need one entry per page, 2^{ $log2 } entries of { $entry } bytes = { $flat } for every process, allocated whether or not anything is mapped (theory's arithmetic). With levels, a lower table exists only where something is mapped: this process started with VmPTE = { $start }. The price is paid by sparse use: (b) needs a lowest-level table for every page it touches, as much as a flat table for just those { $sparse } would take ({ $sparse_flat }).
pagetable-cost-header-step = step
pagetable-cost-header-change = change
pagetable-cost-row-start = start
pagetable-cost-row-mmap = ({ $part }) mmap { $size }
pagetable-cost-row-write = ({ $part }) write one page per { $stride }
pagetable-cost-row-write-all = ({ $part }) write every page
pagetable-cost-row-munmap = ({ $part }) munmap

## Why a piece of evidence is missing.
pagetable-cost-no-memtotal = /proc/meminfo has no MemTotal line
pagetable-cost-refused = the kernel refused to map { $size } ({ $error }); vm.overcommit_memory = { $overcommit }
pagetable-cost-refused-strict = {" "}(strict accounting ignores MAP_NORESERVE)
pagetable-cost-refused-limit = ; the address-space limit (ulimit -v) is { $limit }

## Claims: the statement, then what theory predicts.
pagetable-cost-dense = touching every page of { $size } grows the page tables by about 1/{ $entries } of it
    .theory = { $tables } lowest-level tables = { $bytes } (size/{ $entries }), plus up to { $upper } { $upper ->
        [one] table
       *[other] tables
    } above them, ± { $slack } for the demo's own heap and stack
pagetable-cost-dense-seen = VmPTE { $growth } for RssAnon +{ $rss } (AnonHugePages { $huge })
pagetable-cost-munmap = unmapping the region frees its page tables
    .theory = VmPTE falls by the { $tables } lowest-level tables (and up to { $upper } above them), ± { $slack }
pagetable-cost-vmpte = VmPTE { $change }
pagetable-cost-reserve = reserving { $size } of address space costs no page tables
    .theory = VmPTE unchanged by mmap (up to { $slack } table pages for the demo's own heap and stack)
pagetable-cost-sparse = touching one page per { $span } of { $size } costs one table page per touch
    .theory = { $tables } lowest-level tables (one per touch) = { $bytes }, plus up to { $upper } above them, ± { $slack }
pagetable-cost-sparse-seen = VmPTE { $growth } = { $pages } table pages for { $touches } touches (AnonHugePages { $huge })
pagetable-cost-as-data = used that sparsely, the page tables take as much memory as the data
    .theory = VmPTE growth / RssAnon growth = 1, within { $tolerance }%
pagetable-cost-as-data-seen = tables +{ $tables } for data +{ $data }: ratio { $ratio }
pagetable-cost-flat = a flat one-level table for the { $bits }-bit user address space needs one entry per page, used or not
    .theory = 2^{ $bits } bytes / { $page } pages = 2^{ $log2 } entries
pagetable-cost-flat-arithmetic = 2^{ $log2 } entries × { $entry } bytes = { $flat } per process
pagetable-cost-flat-ram = such a flat table, for one process alone, would not fit in this machine's RAM
    .theory = { $flat } > MemTotal
pagetable-cost-flat-ram-seen = MemTotal { $total }: the flat table would be { $times } times that
