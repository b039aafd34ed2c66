# vmlab sim segment: segmentation, and placing segments in physical memory.

segment-kind-code = code
segment-kind-heap = heap
segment-kind-stack = stack
segment-kind-code-heap = code+heap

## Part 1: the problem.
segment-sizes = Address space { $asize } bytes ({ $asize_human }), physical memory { $physmem } bytes ({ $physmem_human }).
segment-split = The top { $bits ->
        [one] bit
       *[other] { $bits } bits
    } of a { $va_bits }-bit virtual address select the segment; the other { $offset_bits } bits are the offset (a segment holds at most { $max } bytes).
segment-col-segment = segment
segment-col-selector = selector
segment-col-base = base
segment-col-limit = limit
segment-col-grows = grows
segment-grows-up = up
segment-grows-down = down
segment-unused = (unused)
segment-stack-note = (The stack's base is the physical address just above it: it grows down from there.)
segment-task = Part 1. Translate each virtual address to a physical address, or write 'fault' for a segmentation violation; then give each segment's edge.
segment-question = VA { $va } (decimal { $decimal }): physical address, or fault?
segment-question-highest = The highest valid VA of the { $segment } segment (or 'none')?
segment-question-lowest = The lowest valid VA of the { $segment } segment (or 'none')?

## Part 1: the solution.
segment-solution-part1 = Part 1: translation.
segment-check = Check: the segments lie in physical memory [0, { $end }) and do not overlap: { $extents }.
segment-extent = { $segment } [{ $start }, { $end })
segment-extent-empty = { $segment } empty
segment-step-head = VA { $va } = { $binary }b: selector { $selector }
segment-step-unused = { $head }, which no segment uses: SEGMENTATION VIOLATION.
segment-step-up-valid = { $head } → { $segment }, offset { $offset } ({ $decimal }) < limit { $limit }: valid. PA = { $base } + { $offset } = { $pa }
segment-step-up-fault = { $head } → { $segment }, offset { $offset } ({ $decimal }) ≥ limit { $limit }: SEGMENTATION VIOLATION.
segment-step-down-valid = { $head } → { $segment }, offset { $offset } ({ $decimal }); it grows down, so the negative offset is { $decimal } − { $max } = −{ $below }; { $below } ≤ limit { $limit }: valid. PA = { $base } − { $below } = { $pa }
segment-step-down-fault = { $head } → { $segment }, offset { $offset } ({ $decimal }); it grows down, so the negative offset is { $decimal } − { $max } = −{ $below }; { $below } > limit { $limit }: SEGMENTATION VIOLATION.
segment-edge-up = Edge of the { $segment } segment: { $edge } (the slot starts at { $slot } and holds limit { $limit } bytes: { $slot } + { $limit } − 1); one above it faults.
segment-edge-down = Edge of the { $segment } segment: { $edge } (it grows down from the top of its { $max }-byte slot: { $top } − limit { $limit }); one below it faults.
segment-edge-none = Edge of the { $segment } segment: none (its limit is 0, so no address in it is valid).
segment-share = { $valid } of these { $total } addresses are valid. Drawn uniformly over the address space, the expected share is the segments' limits over the address-space size = { $expected }.

## Part 2: placing segments.
segment-alloc-intro = Part 2. Physical memory holds this process P's segments. Other segments (s1, s2 ...) are then allocated and freed, each placed by { $fit }: { $rule }.
segment-picture-legend = (one character per { $bytes } bytes; . is free; C, H, S are P's code, heap and stack; the others are s1, s2 ... as 1, 2 ...)
segment-free = free
segment-col-start = start
segment-col-end = end
segment-col-bytes = bytes
segment-col-contents = contents
segment-alloc-events = The events (an allocation's question is in the last column):
segment-col-event = event
segment-col-operation = operation
segment-col-question = question
segment-op-alloc = alloc { $name } ({ $size } bytes)
segment-op-free = free { $name }
segment-question-alloc = Event { $event }, alloc { $name } ({ $size } bytes): its start address, or fail?
segment-question-free = After the events: how many bytes are free in all?
segment-question-largest = After the events: the largest free hole, in bytes?
segment-question-fits = Can a new { $size }-byte segment be placed now, without compaction (yes/no)?
segment-question-copied = Compaction slides every segment down to address 0, keeping their order: how many bytes are copied?
segment-question-after = After compaction, where does the new { $size }-byte segment start?

segment-alloc-rule = Part 2: allocation by { $fit }: { $rule }. Holes are the gaps between allocated segments, in address order, so freed neighbours merge into one hole.
segment-hole = { $start } ({ $size } B)
segment-holes-none = none
segment-step-alloc = alloc { $name } ({ $size } B). Holes: { $holes }; { $fit } picks { $start } ({ $hole } B ≥ { $size }): { $name } at { $start } – { $last }.
segment-step-alloc-fragmented = alloc { $name } ({ $size } B). Holes: { $holes }; no hole holds { $size } B (the largest is { $largest } B) although { $free } B are free in all: external fragmentation. It fails.
segment-step-alloc-full = alloc { $name } ({ $size } B). Holes: { $holes }; only { $free } B are free in all (the largest hole is { $largest } B): it fails.
segment-step-free = free { $name }: { $start } – { $last } ({ $size } B) becomes free.
segment-step-free-nothing = free { $name }: it is not in memory, nothing changes.
segment-alloc-after = Memory after the events:
segment-nothing-free = nothing
segment-step-free-total = Free in all: { $sum } = { $total } B.
segment-step-largest = The largest hole: { $largest } B.
segment-step-fits = { $size } B ≤ the largest hole { $largest } B: yes.
segment-step-fits-not = { $size } B > the largest hole { $largest } B, though { $free } B are free: no. That is external fragmentation.
segment-move = { $name } { $from } → { $to } ({ $size } B)
segment-move-stays = { $name } stays at { $start }
segment-move-nothing = nothing to move
segment-step-compaction = Compaction: { $moves }. Copied: { $copied } B (only segments that move are copied).
segment-register = { $name } base { $base }
segment-register-stack = { $name } base { $base } (its top)
segment-registers-rewritten = The OS rewrites the base registers of moved segments: { $registers }.
segment-alloc-compacted = Memory after compaction:
segment-step-after = All { $free } free bytes are now one hole at { $start }: the { $size }-byte segment starts there.

## Parameter errors.
segment-error-bits = { $bits } selector bits: use 2 (code, heap, stack) or 1 (code+heap, stack)
segment-error-small = { $asize } bytes is too small to split into segments (at least 16)
segment-error-events = { $events } events is too many (at most { $max })
segment-error-heap-one-bit = with --seg-bits 1 the heap shares segment 0 with the code: give --code-base and --code-limit
segment-error-limit-max = the { $segment } segment's limit { $limit } is more than the largest segment, { $max } bytes (the offset has { $bits } bits of the { $asize }-byte address space)
segment-error-limit-physmem = the { $segment } segment's limit { $limit } is more than physical memory ({ $physmem } bytes)
segment-error-stack-base = the stack grows down from base { $base } by its limit { $limit }: it must lie between 0 and physical memory's end { $end }
segment-error-base = the { $segment } segment at { $base } with limit { $limit } ends past physical memory ({ $physmem } bytes)
segment-error-overlap = the { $segment } segment [{ $start }, { $end }) overlaps the { $other } segment [{ $other_start }, { $other_end }) in physical memory
segment-error-no-room = found no place for the { $segment } segment ({ $limit } bytes) beside the others in { $physmem } bytes of physical memory: give smaller limits, other bases or a larger --physmem

## --real
segment-real-intro = Linux on x86-64 does not translate by segments: CS, DS and SS have base 0 and no limit. The code, heap and stack are areas (VMAs) of one paged address space. vmlab's own, from /proc/self/maps:
segment-real-col-area = area
segment-real-col-start = start
segment-real-col-end = end
segment-real-col-size = size
segment-real-col-grows = grows
segment-real-fixed = fixed size
segment-real-brk = up (brk)
segment-real-down = down
segment-real-none = (none now)
segment-real-no-limit = There is no limit register: an access outside every area is a page fault the kernel answers with SIGSEGV, the paged form of a segmentation violation; just below the stack, the kernel grows the stack area instead.
segment-real-unreadable = (could not read /proc/self/maps: { $error })
segment-real-see = See it explained region by region with `vmlab demo segments`.
