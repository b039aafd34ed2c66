# vm-cow: fork() and copy-on-write.

cow-summary = fork() shares frames until someone writes (copy-on-write)
cow-title = fork() shares frames until someone writes
cow-about = After fork, parent and child map the same physical frames, and fork makes both processes' page-table entries for them read-only, though the region stays writable; the first write to a page faults, and the kernel gives the writer a private copy of that page alone.

cow-parent = parent
cow-child = child

## Steps.
cow-step-map = The parent maps { $pages } private anonymous pages at { $va } and writes each, so each has a frame of its own (exclusive, map count 1).
cow-step-fork = fork(): child { $child } has the same addresses, and /proc/<pid>/maps still says the region is { $perms }: writable. Before anyone writes:
cow-step-child-writes = The child writes the first { $written } of the { $pages } pages: { $faults }. Now:
cow-step-parent-writes = Then the parent writes the same { $written } pages: { $faults }. Its own page-table entries had been made read-only by fork too, so each first write faults; but the child has its copies now, nobody else maps those frames, and the kernel makes the parent's entries writable again without copying:
cow-fault-rounds = { $first } page faults on the first writes (getrusage), { $again } on the same writes again, { $warmup } on the same writes to pages already its own, made first (a warm-up: the first run of the measuring code may itself fault)

## Why a piece of evidence is missing.
cow-child-no-report = the child did not report its page faults
cow-parent-no-warmup = the warm-up round could not map its pages, so the fault count cannot be trusted
cow-region-unreadable = the region at { $va } was not found in /proc/<pid>/maps
cow-pages-missing = the record does not hold every page of the region

## Claims: the statement, then what theory predicts.
cow-same-frames = after fork, parent and child map the same frames
    .theory = same PFN in both
cow-not-exclusive = after fork, no shared page is exclusively mapped
    .theory = exclusive = no, in both
cow-exclusive-count = { $exclusive } of { $total } pages exclusive
cow-map-count = each shared frame is mapped twice
    .theory = map count 2
cow-map-count-seen = { $twos } of { $total } frames have map count 2
cow-region-writable = the region stays writable (rw-p): it is the page-table entries that fork made read-only, so writes fault
    .theory = rw-p in maps, and { $written } write faults
cow-region-writable-seen = { $perms }; { $faults } faults on the first writes
cow-write-faults = copying happens on write faults, one per written page
    .theory = { $written } minor faults
cow-write-faults-seen = { $first } minor faults in the child (warm-up: { $warmup })
cow-second-write-free = a second write to a copied page costs no fault: the copy is writable
    .theory = 0 faults
cow-second-write-seen = { $again } faults writing the same pages again
cow-child-copies = the child's write gives it new frames, only for the written pages
    .theory = { $written } new PFNs, { $kept } unchanged
cow-moved-pages = pages { $pages } moved to new frames
cow-child-exclusive = the child's copies are its own; the unwritten pages are still shared
    .theory = exclusive for the { $written } written pages only
cow-exclusive-bits = exclusive: { $bits }
cow-parent-keeps-frames = the parent keeps its frames when the child writes
    .theory = parent PFNs unchanged by the child's write
cow-parent-data = the parent's data is unchanged by the child's write
    .theory = every page still holds { $byte }
cow-parent-reads = parent reads { $values }
cow-parent-write-faults = the parent's entries were write-protected too: its first write to each page faults once, the next costs nothing
    .theory = { $written } faults, then 0
cow-parent-reuses = with the child's copies made, the parent's write copies nothing: it keeps its frames
    .theory = parent PFNs unchanged by its own write
cow-fault-rounds-short = { $first } faults, then { $again } (warm-up: { $warmup })
