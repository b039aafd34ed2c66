# vmlab ostep malloc.py: what vmlab adds (the script's own lines stay English).

ostep-malloc-about = A free-list allocator: mallocs and frees drawn from the seed (or given with -A), each malloc's pointer and how many list elements it searched, and the free list after each operation. With -c, the answers. Where malloc.py is wrong, vmlab prints the right answer and a marked line with what malloc.py says and why.
ostep-malloc-help-seed = the random seed
ostep-malloc-help-size = size of the heap
ostep-malloc-help-base = base address of heap
ostep-malloc-help-header = size of the header
ostep-malloc-help-alignment = align allocated units to size; -1->no align
ostep-malloc-help-policy = list search (BEST, WORST, FIRST)
ostep-malloc-help-order = list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)
ostep-malloc-help-coalesce = coalesce the free list?
ostep-malloc-help-num = number of random ops to generate
ostep-malloc-help-range = max alloc size
ostep-malloc-help-percent = percent of ops that are allocs
ostep-malloc-help-list = instead of random, list of ops (+10,-0,etc)
ostep-malloc-help-compute = compute answers for me
ostep-malloc-bad-policy = unknown policy '{ $policy }': BEST, WORST or FIRST (malloc.py stops with an AssertionError)
ostep-malloc-bad-order = unknown list order '{ $order }': ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT or INSERT-BACK (malloc.py stops with an AssertionError)
ostep-malloc-bad-alignment = alignment { $value }: -1 (none) or a positive number (malloc.py stops with an AssertionError)
ostep-malloc-bad-number = { $option } { $value }: a number from 0 to 4294967295
ostep-malloc-empty-chunk = a malloc of { $size } bytes makes no sense: a size below 0, or a chunk of no bytes (malloc.py cannot keep two such chunks apart and stops with an AssertionError); give -r 1 or more and sizes above 0
ostep-malloc-percent-zero = -P { $value }: with no mallocs nothing is ever allocated to free, so no operation could be made (malloc.py stops with an AssertionError); give a percentage above 0
ostep-malloc-too-many = { $num } operations are too many: at most { $max }
ostep-malloc-bad-op = bad operation '{ $op }' in -A: +SIZE allocates, -K frees ptr[K] (malloc.py stops with an error)
ostep-malloc-question = ptr[{ $k }] = Alloc({ $size }): the address returned (-1 if it fails)?
ostep-malloc-says = malloc.py says '{ $line }': { $why }
ostep-malloc-why-header = with -A it prints the address of the chunk's header, not the pointer the user gets, { $header } bytes further on.
ostep-malloc-why-failed-header = it adds the header size ({ $header }) to the -1 of a failed malloc; a failed malloc returns -1 (NULL).
ostep-malloc-why-split = it leaves what is left of a split chunk where the chunk was, so a size-sorted list is no longer sorted.
ostep-malloc-why-neighbours = it merges a freed chunk only with the chunks next to it in the list, not with every free chunk next to it in memory.
ostep-malloc-why-stale = it frees the old address of a pointer freed before, which another malloc may have been given since; a second free changes nothing and returns -1.
ostep-malloc-why-skip = it compares the index with the number of mallocs that succeeded ({ $ok }), not with the number made, so it skips a valid free.
ostep-malloc-why-since = its heap has differed from the right one since '{ $op }'.
ostep-malloc-crash-keyerror = malloc.py stops here with a KeyError: ptr[{ $k }] holds no pointer, its malloc failed. Freeing it changes nothing and returns -1, and vmlab goes on.
