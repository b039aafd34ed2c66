# vmlab ostep segmentation.py

ostep-segmentation-about = segmentation.py: two segments, chosen by the top bit of the virtual address. Segment 0 grows up from its base; segment 1 grows down from its base. Translate each virtual address or say it is a segmentation violation.
ostep-segmentation-opt-base0 = value of segment 0 base register (-1: random)
ostep-segmentation-opt-len0 = value of segment 0 limit register (-1: random)
ostep-segmentation-opt-base1 = value of segment 1 base register: the address just above the segment, as it grows down (-1: random)
ostep-segmentation-opt-len1 = value of segment 1 limit register (-1: random)
ostep-segmentation-no-base = segment { $segment } (limit { $limit }) has no room in physical memory ({ $psize } bytes) beside the other: the script would draw bases forever (it hangs). Give smaller limits, a larger -p, or the bases.
ostep-segmentation-below-zero = segment 1's base { $base } is below its limit { $limit }: segment 1 grows down from its base, so it would reach below physical address 0 (the script goes on with negative addresses).
ostep-segmentation-seg0-outside = segment 0 ends at { $end }, past the end of physical memory ({ $psize }): the script lets it through (it checks base + limit - 1 against the size, one byte off). The translations below follow the registers.
ostep-segmentation-seg1-outside = segment 1's base (its top, { $top }) is past the end of physical memory ({ $psize }): the script checks only the segment's bottom. The translations below follow the registers.
ostep-segmentation-overlap = the segments overlap in physical memory (segment 0 [{ $start0 }, { $end0 }), segment 1 [{ $start1 }, { $end1 })): the script notices an overlap only when segment 1 lies above segment 0. The translations below follow the registers.
