# vmlab sim policy: page replacement (and what vmlab sim tlb shares of it).

policy-memory = Memory holds { $frames ->
        [one] 1 page (frame 0)
       *[other] { $frames } pages (frames 0 to { $last })
    }, empty at the start; a page goes into the lowest-numbered free frame while there is one.
policy-belady-intro = Belady's anomaly: run { $policy } on the same reference string with { $small } and with { $big } frames (empty at the start, lowest free frame first).
policy-rule = Policy { $policy }: on a miss with memory full, { $rule }.
policy-rule-fifo = evict the page that was loaded first (a hit changes nothing)
policy-rule-lru = evict the page whose last use is the oldest
policy-rule-mru = evict the page that was used most recently
policy-rule-opt = evict the page whose next use is farthest in the future (a page never used again is farthest; among several such, any is right: the solution takes the one loaded first)
policy-rule-unopt = evict the page whose next use is the soonest (pages never used again are kept; ties go to the one loaded first)
policy-rule-rand = evict the page in the frame given by the next random draw (the draws are listed below; each eviction uses one)
policy-rule-clock = a hand points at a frame (frame 0 at the start); each frame has a use count of { $bits } { $bits ->
        [one] bit
       *[other] bits
    } (0 to { $max }): a load sets it to 1, a hit adds 1 (up to { $max }). To evict, look at the frame under the hand: use count 0 → evict it; otherwise take 1 off and move the hand to the next frame. After a load into the evicted frame the hand moves one past it
policy-source-given = Reference string ({ $count } accesses, given):
policy-source-trace-pages = Reference string ({ $count } accesses, page numbers from { $path }):
policy-source-trace-addresses = Reference string ({ $count } accesses, addresses from { $path } in pages of { $size } bytes):
policy-source-random = Reference string ({ $count } accesses, random: pages 0 to { $last }, { $locality }% locality):
policy-source-belady = Reference string ({ $count } accesses, Belady's string for this memory size):
policy-more = ... and { $count } more
policy-draws = Random draws (victim frame for the 1st, 2nd, ... eviction):
policy-task = For each access: is it a hit, a miss into a free frame, or a miss that evicts a page (which)? Then the totals.
policy-task-long = The string is long ({ $count } accesses): only the totals are asked.
policy-question-access = access { $n } (page { $page }): hit, miss, or evict PAGE?
policy-question-hits = how many hits?
policy-question-misses = how many misses?
policy-question-rate = hit rate (hits / accesses, in %)?
policy-col-page = page
policy-col-result = result
policy-col-evicted = evicted
policy-col-after = memory after
policy-col-tally = hits/misses
policy-order-fifo = (memory listed first in → last in)
policy-order-lru = (memory listed least → most recently used)
policy-order-clock = (memory by frame, page:use count, > marks the hand)
policy-order-frames = (memory listed by frame, - for a free one)
policy-steps-in-json = (the steps of each access are in --json --solve)
policy-frame = frame
policy-why-hit = { $page } is in { $slot } { $n }: hit
policy-why-first = miss (first use)
policy-why-miss = miss
policy-why-free = { $page } is not there: { $miss }; { $slot } { $n } is free
policy-why-evict = { $page } is not there: { $miss }; all full; { $reason } → evict { $victim } from { $slot } { $n }
policy-choice-loaded = { $victim } was loaded first (access { $at })
policy-choice-used = { $victim } was last used at access { $at }
policy-choice-next = { $victim } is next used at access { $at }
policy-choice-never = { $victim } is never used again
policy-choice-never-tie = { $victim } is never used again, as are others (any of them is right; the one loaded first is taken)
policy-choice-draw = random draw #{ $n } is { $value }: { $slot } { $frame }
policy-choice-hand = the hand goes from { $slot } { $from } round { $turns } full { $turns ->
        [one] time
       *[other] times
    }, taking 1 off each use count it passes, to the first with use count 0
policy-summary = { $policy }, { $frames } frames: { $hits } hits, { $misses } misses ({ $compulsory } on first uses, which no policy avoids), hit rate { $rate }
policy-belady-task = Does the bigger memory miss more often?
policy-belady-q-misses = misses with { $frames } frames?
policy-belady-q-more = does { $policy } with { $big } frames miss more than with { $small } (yes/no)?
policy-belady-with = With { $frames } frames:
policy-belady-anomaly = Anomaly: one more frame gives { $more } more { $more ->
        [one] miss
       *[other] misses
    } ({ $small } → { $big }). { $policy } is not a stack algorithm: the pages it holds with more frames are not always a superset of those it holds with fewer.
policy-belady-none-stack = No anomaly on this string. { $policy } is a stack algorithm: more frames never miss more, on any string.
policy-belady-none = No anomaly on this string.

policy-error-frames = { $frames } frames: memory needs 1 to { $max } frames
policy-error-bits = { $bits }: CLOCK needs 1 to 16 use bits
policy-error-maxpage = pages are 0 to maxpage-1: it must be at least 1
policy-error-both = give either -A or -f, not both
policy-error-num = { $num } accesses: generate 1 to { $max }
policy-error-too-long = at most { $max } accesses
policy-error-not-a-number = '{ $text }' is not a number (write 12 or 0xc, comma-separated)
policy-error-empty = the list is empty
policy-error-trace-line = line { $line }: '{ $text }' is not a page number or address (one per line: 12, 0x1000, or a lackey line like 'L 04016f60,8')
policy-error-trace-empty = the trace has no accesses
policy-error-no-real = page replacement has no measured part: the kernel's replacement (its active and inactive LRU lists) cannot be watched access by access from user space; `vmlab demo dirty` shows the accessed bits the kernel's LRU uses to choose what to evict
policy-error-read = cannot read the trace: { $error }
