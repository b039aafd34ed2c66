# vmlab sim freespace: a free-list allocator.

freespace-order-addr = sorted by address
freespace-order-size-up = sorted by size, smallest first (equal sizes by address)
freespace-order-size-down = sorted by size, largest first (equal sizes by address)
freespace-order-front = with freed chunks inserted at the front
freespace-order-back = with freed chunks inserted at the back

## The problem.
freespace-heap = Heap: { $size } bytes at address { $base } ({ $base } to { $last }); header { $header } bytes; alignment { $align }.
freespace-align-none = none
freespace-align-bytes = { $align } bytes
freespace-policy = Policy: { $fit }, { $rule }. Free list { $order }; coalescing { $coalesce }.
freespace-coalesce-on = on (with the free chunks next to it in memory)
freespace-coalesce-off = off
freespace-rule-chunk = A chunk is header + request, rounded up to the alignment, taken from the low end of the chosen free chunk; the rest stays free.
freespace-rule-return = malloc returns the address after the header (NULL when nothing fits); free(ptr) finds the chunk by the header just before ptr.
freespace-rule-search = First and next fit stop searching at the first chunk that fits; best and worst fit look at every chunk.
freespace-start = The free list at the start: { $list }
freespace-notation = (A chunk is written address:size: 1000:100 is 100 bytes from address 1000.)
freespace-ops-head = The operations (the questions on each are in the last column):
freespace-col-step = step
freespace-col-operation = operation
freespace-col-questions = questions
freespace-more = (the first { $shown } of { $total } operations: questions are asked on these and on the end; all of them are in --json)
freespace-question-returned = Step { $step }, { $op }: the address returned (or NULL)?
freespace-question-searched = Step { $step }: how many free-list elements were searched?
freespace-question-list = Step { $step }, { $op }: how many chunks are on the free list afterwards?
freespace-question-end-free = At the end: how many bytes are free?
freespace-question-end-chunks = At the end: how many chunks are on the free list?
freespace-question-end-largest = At the end: the size of the largest free chunk?
freespace-question-end-external = At the end: external fragmentation, 1 − largest/free, in whole percent (0 if nothing is free)?
freespace-question-end-internal = At the end: bytes of the allocated chunks not requested by the user (headers and padding)?

## The solution.
freespace-col-need = need
freespace-col-searched = searched
freespace-col-returns = returns
freespace-col-list = free list after
freespace-step = Step { $step }: { $op }
freespace-need-overflow = needs header { $header } + { $request } bytes: more than any heap can hold; searched { $searched ->
        [one] 1 element
       *[other] { $searched } elements
    }, returns NULL
freespace-need-header = needs header { $header } + { $request } = { $raw } bytes
freespace-need-plain = needs { $raw } bytes (no header)
freespace-need-rounded = { $needs }, rounded up to a multiple of { $align }: { $need }
freespace-search-empty = the free list is empty: searched 0 elements, fails, returns NULL
freespace-walk-first = first fit: walk the list from its head, stop at the first chunk that fits
freespace-walk-next = next fit: walk the list from where the last search stopped (wrapping round), stop at the first chunk that fits
freespace-walk-best = best fit: look at every chunk, take the smallest that fits (the first of equals in list order)
freespace-walk-worst = worst fit: look at every chunk, take the largest that fits (the first of equals in list order)
freespace-looked = looked at: { $chunks }
freespace-looked-fits = { $chunk } fits
freespace-looked-small = { $chunk } too small
freespace-chosen = searched { $searched ->
        [one] 1 element
       *[other] { $searched } elements
    }; chosen { $chunk }
freespace-search-fails = searched { $searched ->
        [one] 1 element
       *[other] { $searched } elements
    }, none large enough: fails, returns NULL
freespace-split = split: { $first } to { $last } allocated ({ $need } bytes); the rest, { $rest }, stays free in the chosen chunk's place in the list
freespace-split-sorted = split: { $first } to { $last } allocated ({ $need } bytes); the rest, { $rest }, stays free, moved to its place by size
freespace-exact = exact fit: the whole chunk is allocated and leaves the list
freespace-returns = returns { $ptr } = chunk { $addr } + header { $header }
freespace-invalid = invalid: { $why }; free returns -1 and changes nothing
freespace-invalid-never = ptr[{ $id }] was never allocated
freespace-invalid-null = ptr[{ $id }] holds no pointer: its malloc failed (NULL)
freespace-invalid-double = ptr[{ $id }] was already freed at step { $step } (a double free)
freespace-invalid-other = ptr[{ $id }] is not an allocated pointer
freespace-free-chunk = { $ptr } − header { $header } = chunk { $addr }, size { $size } (read from its header)
freespace-free-alone = no free chunk touches it in memory: nothing to merge
freespace-neighbour-before = before it { $chunk } (ends at { $end })
freespace-neighbour-after = after it { $chunk } (starts at { $start })
freespace-free-merged = free neighbours in memory: { $neighbours }: merged into { $chunk }
freespace-free-unmerged = free neighbours in memory: { $neighbours }: not merged (coalescing is off)
freespace-free-inserted = { $chunk } goes on the list { $place }; returns 0
freespace-place-addr = in address order
freespace-place-size-up = in size order, smallest first
freespace-place-size-down = in size order, largest first
freespace-place-front = at the front
freespace-place-back = at the back
freespace-list = free list: { $list }
freespace-list-empty = (empty)
freespace-memory = memory by address: { $pieces }
freespace-piece-used = { $addr } ptr[{ $id }]({ $size })
freespace-piece-free = { $addr } free({ $size })
freespace-end = At the end:
freespace-end-free = free: { $bytes } bytes in { $chunks ->
        [one] 1 chunk
       *[other] { $chunks } chunks
    }, the largest { $largest } bytes
freespace-external-none = external fragmentation: nothing is free, so none (0%, not a division by zero)
freespace-external-one = external fragmentation = 1 − largest/free = 1 − { $free }/{ $free } = 0%: all free space is one chunk
freespace-external = external fragmentation = 1 − largest/free = 1 − { $largest }/{ $free } = { $percent }% (rounded): a request needing more than { $largest } bytes fails although { $free } bytes are free
freespace-end-internal = internal fragmentation: { $chunks ->
        [one] 1 live chunk holds
       *[other] { $chunks } live chunks hold
    } { $allocated } bytes for { $requested } requested: { $internal } bytes of headers and padding

## Parameter errors.
freespace-error-heap-empty = the heap needs at least 1 byte
freespace-error-heap-end = a heap of { $size } bytes at { $base } runs past the end of the address space
freespace-error-base-align = { $value } is not a multiple of --align { $align }: the first chunk would not be aligned
freespace-error-header-align = { $value } is not a multiple of --align { $align }: the pointer after the header would not be aligned
freespace-error-header-room = a header of { $header } bytes leaves no room in a heap of { $size } bytes
freespace-error-num = { $num } operations is too many (at most { $max })
freespace-error-range = the largest request must be at least 1
freespace-error-ops-many = at most { $max } operations
freespace-error-op = '{ $item }': { $why }
freespace-error-op-size = expected +SIZE, a number of bytes
freespace-error-op-zero = malloc(0): sizes start at 1
freespace-error-op-index = expected -K, the index of ptr[K] to free
freespace-error-op-later = ptr[{ $k }] does not exist yet ({ $allocs ->
        [one] only 1 malloc
       *[other] only { $allocs } mallocs
    } before it: ptr[0] is the first)
freespace-error-op-form = each operation is +SIZE (malloc) or -K (free ptr[K]), separated by commas

## --real
freespace-real-intro = The C library's malloc in this vmlab process (user space: the kernel only sees the heap grow by pages, with brk or mmap):
freespace-real-col-call = call
freespace-real-col-returned = returned
freespace-real-null = (malloc returned NULL: nothing to measure)
freespace-real-align = all three pointers are multiples of { $align }; malloc_usable_size says { $usable } bytes for a { $request }-byte request
freespace-real-adjacent = adjacent chunks { $chunk } bytes apart: { $request } requested + { $overhead } of header and padding (the simulator's --header-size and --align)
freespace-real-apart = the three blocks are not evenly spaced ({ $first } and { $second } bytes apart: reused holes from earlier frees), so the gaps are not chunk sizes
freespace-real-again-last = the malloc after the two frees got p0 back: the chunk freed last comes back first (a list with insert-front order)
freespace-real-again-first = the malloc after the two frees got p1 back: the chunk freed first comes back first
freespace-real-again-neither = the malloc after the two frees got neither freed block back
