# The frame flags of /proc/kpageflags (include/uapi/linux/kernel-page-flags.h and
# tools/mm/page-types.c): what each means, in the words tables and legends use.

flag-locked = locked: being read from or written to storage, or held by its owner
flag-error = an I/O error happened on it
flag-referenced = used recently (the kernel's software referenced mark, set when it sees an access)
flag-uptodate = its contents are valid (read in, or filled)
flag-dirty = modified in memory and not yet written back to its file or swap
flag-lru = on an LRU list: page reclaim may take it
flag-active = on the active LRU list: used repeatedly
flag-slab = owned by the slab allocator (kernel objects)
flag-writeback = being written to storage right now
flag-reclaim = to be reclaimed as soon as its write-back ends
flag-buddy = free: held by the buddy allocator
flag-mmap = mapped into some process's page table
flag-anon = anonymous memory (heap, stack, private copies), not a file's page
flag-swapcache = in the swap cache: it has a slot on the swap device
flag-swapbacked = backed by swap (or by RAM alone when there is no swap): anonymous or shared memory
flag-compound-head = first frame of a compound page: several frames the kernel manages as one (a huge page, a large folio)
flag-compound-tail = a later frame of a compound page
flag-huge = part of a hugetlbfs page (reserved huge pages, not THP)
flag-unevictable = cannot be evicted (mlocked, or on ramfs)
flag-hwpoison = a hardware memory error: never used again
flag-nopage = no page descriptor exists for this frame number (a hole in physical memory)
flag-ksm = merged by kernel samepage merging: identical pages kept once
flag-thp = part of a transparent huge page or large folio
flag-offline = logically offline (ballooned out or unplugged)
flag-zero-page = the shared zero page (or huge zero page)
flag-idle = not accessed since it was marked idle
flag-pgtable = holds a page table
flag-reserved = reserved by the kernel, outside the page allocator (kernel image, zero page)
flag-mlocked = locked in RAM by mlock()
flag-owner-2 = on an anonymous page: anon-exclusive, one process owns it, so a write needs no copy; on a file page, the filesystem's own mark
flag-private = has filesystem-private data attached
flag-private-2 = second filesystem-private mark
flag-owner-private = for its owner's private use
flag-arch = architecture-specific mark
flag-uncached = mapped uncached
flag-softdirty = written since soft-dirty bits were last cleared
flag-arch-2 = second architecture-specific mark

# page-types' raw view (-r): what an overloaded bit means on this page, and the pagemap
# bits of the page that maps the frame.
flag-anon-exclusive = on an anonymous page (OWNER_2): one process owns it, so a write needs no copy
flag-readahead = read ahead of need (RECLAIM without WRITEBACK means this)
flag-slub-frozen = a slab page a CPU holds for itself (ACTIVE on a slab page)
flag-slub-debug = a slab page under debugging checks (ERROR on a slab page)
flag-file = mapped from a file or shared memory (pagemap bit 61)
flag-swap = on swap (pagemap bit 62)
flag-mmap-exclusive = mapped by exactly one page-table entry (pagemap bit 56)
