# vmlab sim tlb: a TLB of N entries.

simtlb-shape = Address space { $asize } bytes, pages of { $page } bytes: { $pages } pages, so a virtual address is a { $vpn_bits }-bit VPN and a { $offset_bits }-bit offset.
simtlb-entries = The TLB holds { $entries ->
        [one] 1 translation
       *[other] { $entries } translations
    } (fully associative), empty at the start; a miss walks the page table and fills a free entry (the lowest-numbered), or replaces one.
simtlb-rule = Policy { $policy }: on a miss with the TLB full, { $rule }.
simtlb-rule-fifo = replace the entry that was filled first (a hit changes nothing)
simtlb-rule-lru = replace the entry whose last use is the oldest
simtlb-rule-random = replace the entry given by the next random draw (listed below; each replacement uses one)
simtlb-rule-opt = replace the entry whose VPN is needed farthest in the future (never again is farthest; among several such, any is right: the solution takes the one filled first)
simtlb-addresses = Virtual addresses ({ $count }):
simtlb-draws = Random draws (entry replaced at the 1st, 2nd, ... replacement):
simtlb-task = For each address: its VPN, then hit, miss (into a free entry), or the VPN whose entry it replaces. Then the totals.
simtlb-question-vpn = VA { $va }: VPN?
simtlb-question-access = VA { $va }: hit, miss, or evict VPN?
simtlb-question-hits = how many TLB hits?
simtlb-question-misses = how many TLB misses?
simtlb-question-rate = TLB hit rate (in %)?
simtlb-split = VPN = address >> { $shift } (address / { $page }), offset = address & { $mask }.
simtlb-col-va = VA
simtlb-col-offset = offset
simtlb-entry = entry
simtlb-step = { $va } → VPN { $vpn }: { $why }
simtlb-summary = TLB of { $entries } entries, { $policy }: { $hits } hits, { $misses } misses ({ $compulsory } on first touches of a page, which no TLB avoids), hit rate { $rate }
simtlb-error-entries = { $entries } entries: a TLB has 1 to { $max } entries
simtlb-error-page = a page of { $page } bytes does not fit in an address space of { $asize } bytes

## --real
simtlb-real-where = The TLB above is simulated. The real one is measured by vm-tlb: run `sudo vmlab demo tlb` (or `vm-tlb`): it times one access per page over a growing number of pages and finds where the time per access jumps, beside the TLB sizes CPUID reports.
simtlb-real-cpuinfo = This CPU reports (/proc/cpuinfo, not measured): TLB size { $size }.
simtlb-real-no-size = /proc/cpuinfo gives no TLB size on this CPU; vm-tlb decodes CPUID for it.
simtlb-real-unreadable = /proc/cpuinfo could not be read ({ $error }).
simtlb-real-model = A real TLB is set-associative with several levels and a pseudo-LRU policy, and the kernel flushes or tags it on a context switch: the simulator's fully associative TLB is the textbook model.
