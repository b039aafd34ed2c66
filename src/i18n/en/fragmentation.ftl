# vm-fragmentation: internal fragmentation at page granularity; no external fragmentation.

fragmentation-summary = internal fragmentation costs whole pages; paging needs no contiguous free memory
fragmentation-title = internal fragmentation, but no external fragmentation
fragmentation-about = Paging hands out memory in whole pages: a 1-byte mapping costs a page of RAM, one byte past a page boundary a second page, a huge page 2 MiB (internal fragmentation). In exchange a region needs no free physical run as long as itself: its pages go into frames scattered all over RAM, so there is no external fragmentation, unlike with segmentation.

fragmentation-bytes = { $count ->
        [one] 1 byte
       *[other] { $count } bytes
    }

## Steps.
fragmentation-step-small = Pages are { $page } here. We map 1 byte, and { $boundary } bytes (one more than a page), each between two inaccessible guard pages so that smaps shows it alone, and read its smaps entry: fresh, after writing its first byte, and after writing its last byte. Size is the mapping as the kernel rounded it up; Rss is the part in RAM; unused is Rss minus the bytes asked for: the internal fragmentation.
fragmentation-col-mapping = mapping
fragmentation-col-va = VA
fragmentation-col-size = Size
fragmentation-col-rss-fresh = Rss, fresh
fragmentation-col-rss-first = Rss, first byte written
fragmentation-col-rss-both = Rss, last byte written too
fragmentation-col-unused = unused

fragmentation-step-huge = A { $huge } region at { $va } ({ $pages } pages, aligned to its size) with madvise(MADV_HUGEPAGE); THP settings: { $settings }. We write one byte: { $smaps } { $frames }
fragmentation-huge-smaps = smaps shows Rss { $rss } and AnonHugePages { $anon_huge }: { $unused } held beyond the 1 byte used.
fragmentation-huge-frames = Its frames: { $runs ->
        [one] 1 run
       *[other] { $runs } runs
    } of consecutive frames from { $first }, the longest { $longest } frames.
fragmentation-frames-not-shown = The frames are not shown: { $reason }.
fragmentation-unknown = smaps does not show the region.

fragmentation-step-malloc = For contrast, malloc({ $bytes }) { $objects } times, writing each object. The first is at { $first }, on the page at { $page }, which holds { $same } of the { $objects } objects; from one object to the next is { $stride } bytes (the median): the allocator carves them out of pages the heap already has, each with its header and padding (malloc's own internal fragmentation, which `vmlab sim freespace -H 8 -a 8 -c` works through). All { $objects } lie on { $pages } pages, and the process's Rss grew by { $growth }: page-sized waste is paid per mapping, not per malloc.

fragmentation-step-free = /proc/buddyinfo, just before we map a large region: the free blocks of the kernel's page allocator (the buddy allocator), per zone, by block size. The largest free block is of order { $order } ({ $block }); about { $total } are free in all. No block is larger than the allocator's highest order, so no single free block could hold a longer region.
fragmentation-no-free-blocks = /proc/buddyinfo lists no free block.
fragmentation-col-zone = node, zone

fragmentation-step-region = We map { $size } ({ $pages } pages) at { $va } with MADV_NOHUGEPAGE, so that each page is a base page with a frame of its own, and write every page: pagemap shows { $backed } of the { $pages } pages with a frame. Contiguous in virtual memory, the region is not in physical memory:
fragmentation-runs = its frames form { $runs } runs, a run being pages whose frames follow in the same order (page k+1 in frame f+1, as a segment's base + offset would need); the longest is { $longest ->
        [one] 1 frame
       *[other] { $longest } frames
    }, and { $alone } runs are a single frame. Sorted by number, the frames lie in { $extents } separate pieces of physical memory, the largest { $largest ->
        [one] 1 frame
       *[other] { $largest } frames
    } ({ $largest_size }), spread from PFN { $low } to { $high } (about { $span }). The first runs, in address order:
fragmentation-col-pages = pages (address order)
fragmentation-col-frames = frames (PFN)
fragmentation-col-length = frames in the run
fragmentation-step-lengths = How long the runs are:
fragmentation-col-run-length = run length (frames)
fragmentation-col-runs = runs
fragmentation-col-run-pages = pages in them

fragmentation-step-simulators = Segmentation, by contrast, gives each segment one physical run as long as the segment: free memory splits into holes between segments, and a segment may not fit although enough memory is free, until compaction moves the segments together. Watch it in `vmlab sim segment --events 8 -c` (external fragmentation, then compaction), and a heap's free list, with headers and coalescing, in `vmlab sim freespace -C -c`. Huge pages bring the need for contiguous memory back: that is why the kernel compacts physical memory (the THP `defrag` setting).

## Why a piece of evidence is missing.
fragmentation-smaps-missing = /proc/self/smaps shows no mapping starting at { $va }
fragmentation-thp-madvise = madvise(MADV_HUGEPAGE) failed: { $error }
fragmentation-thp-declined = the kernel backed the region with a small page although THP is allowed ({ $settings }): it found no free { $huge } block it could use (physical memory too fragmented, or no time to compact it), so this run shows no huge page
fragmentation-malloc-null = malloc(1) returned NULL before every object was allocated
fragmentation-rollup-missing = { $path } could not be read
fragmentation-buddyinfo-missing = { $path } could not be read
fragmentation-free-run-existed = a free block of { $block } existed, as long as the { $region } region or longer, so this run cannot show paging doing without one

## Claims: the statement, then what theory predicts.
fragmentation-one-byte = a 1-byte mapping costs a whole page: the kernel maps and backs memory in pages only
    .theory = Size { $page }; Rss 0, then { $page } once written
fragmentation-one-byte-seen = Size { $size }; Rss { $fresh }, then { $written }: { $unused } unused
fragmentation-page-boundary = a { $bytes }-byte mapping, one byte past a page, costs a second page once that byte is written
    .theory = Size { $pages }; Rss 0, { $page } after the first byte, { $pages } after the last
fragmentation-small-seen = Size { $size }; Rss { $fresh }, { $first }, then { $both }: { $unused } unused
fragmentation-huge-region = a huge page written once is resident whole: 1 byte used holds { $huge } of RAM
    .theory = Rss = AnonHugePages = { $huge }
fragmentation-huge-region-seen = Rss { $rss }, AnonHugePages { $anon_huge }: { $unused } unused
fragmentation-malloc-packs = malloc packs small objects into shared pages: page-sized waste is per mapping, not per malloc
    .theory = { $objects } × malloc({ $bytes }) on far fewer than { $objects } pages; Rss grows far less than { $objects } × { $page }
fragmentation-malloc-packs-seen = { $objects } objects on { $pages } pages, { $stride } bytes apart; Rss +{ $growth }
fragmentation-scattered = a virtually contiguous region is not physically contiguous: its frames form many runs, in separate pieces of physical memory
    .theory = { $pages } frames: more than 1 run, more than 1 piece
fragmentation-scattered-seen = { $frames } frames in { $runs } runs (the longest { $longest ->
        [one] 1 frame
       *[other] { $longest } frames
    }), in { $extents } pieces (the largest { $largest ->
        [one] 1 frame
       *[other] { $largest } frames
    })
fragmentation-no-free-run = the region got every frame although no free physical block was as long as it: paging needs no free run of { $region }
    .theory = all { $pages } pages backed, though the largest free block < { $region }
fragmentation-no-free-run-seen = largest free block { $block }; { $backed } of { $pages } pages backed
fragmentation-huge-contiguous = a huge page needs what paging had done away with: { $frames } physically consecutive, aligned frames
    .theory = 1 run of { $frames } frames, its first PFN a multiple of { $frames }
fragmentation-huge-contiguous-seen = { $runs ->
        [one] 1 run
       *[other] { $runs } runs
    } from { $first }, the longest { $longest } frames; aligned: { $aligned }
