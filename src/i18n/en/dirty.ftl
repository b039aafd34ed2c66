# vm-dirty

dirty-summary = the dirty and accessed bits of a page-table entry, as Linux shows them
dirty-title = dirty and accessed bits
dirty-about = The MMU sets a page-table entry's accessed bit when it walks the page table to load the translation into the TLB (an access that finds it already in the TLB sets nothing), and its dirty bit on the first write through it. Linux shows the bits through smaps (Private_Dirty, Referenced), kpageflags (DIRTY) and msync, which writes a dirty file page back and makes it clean again.

## Steps.
dirty-step-private = (a) { $pages } private anonymous pages at { $va }, each a region of its own (so smaps speaks of each page). Pages { $written } are written, the others only read (a read of never-written memory maps the shared zero page).
dirty-step-file = (b) A { $pages }-page file in { $dir } (written and fsync'd first, so clean), mapped MAP_SHARED at { $va } and read. The file was written one page per write(2), so that each page is a folio of its own: the page cache keeps one dirty flag per folio. Then page { $page } is written through the mapping, msync(MS_SYNC) is called, and page { $page } is written again. The frame flags at each step (smaps dirty: { $dirty_after_write } after the write, { $dirty_after_msync } after msync; minor faults of a write: { $before } before msync, { $after } after):
dirty-step-accessed = (c) { $pages } written private pages at { $va }, each a region of its own. `echo 1 > /proc/self/clear_refs` clears their accessed bits; then the TLB is flushed by an mprotect round trip, because the MMU sets an accessed bit only when it walks the page table, and clear_refs leaves the translations cached in the TLB alone. Then pages { $touched } are read. smaps Referenced per page:
dirty-step-soft-dirty = (d) Soft-dirty: { $pages } private pages written, `echo 4 > /proc/self/clear_refs`, then pages { $written } written again. The kernel's configuration: { $config }.
dirty-step-scan = (e) { $pages } written private pages at { $va }, registered with userfaultfd in asynchronous write-protect mode and write-protected (pagemap bit 57, uffd-wp); then pages { $written } are written. The kernel lifts the protection of each page written, and PAGEMAP_SCAN reports it as PAGE_IS_WRITTEN:
dirty-step-not-done = ({ $part }) could not be done: { $reason }.

## Table columns and cells.
dirty-header-perms = perms
dirty-header-access = access
dirty-written = written
dirty-read = read
dirty-written-page = { $page } (written)
dirty-header-after-read = read
dirty-header-after-write = written
dirty-header-after-msync = msync
dirty-header-after-rewrite = written again
dirty-header-touched = touched
dirty-header-referenced-before = Referenced before
dirty-header-after-clear-refs = after clear_refs 1
dirty-header-after-touch = after touch
dirty-header-written-after-clear = written after clear_refs 4
dirty-header-soft-dirty = soft-dirty (bit 55)
dirty-header-written = written
dirty-header-written-before = WRITTEN before
dirty-header-written-after = WRITTEN after
dirty-header-wp-before = uffd-wp before
dirty-header-wp-after = uffd-wp after

## Why a piece of evidence is missing.
dirty-smaps-unreadable = smaps has no record of the region at { $va }
dirty-regions-merged = page { $va } is not a region of its own: the kernel merged the regions, so smaps cannot speak of each page
dirty-pagemap-unreadable = the pagemap entries at { $va } could not be read
dirty-pages-missing = the record does not hold every page of the region
dirty-clear-refs-failed = writing { $value } to /proc/self/clear_refs failed: { $error }
dirty-config-unreadable = the kernel configuration is not readable (no /proc/config.gz, no /boot/config-<release>)
dirty-soft-dirty-compiled-out = this kernel is built without soft-dirty ({ $config }); bit 55 stayed 0 on every page, written or not
dirty-soft-dirty-absent = { $config }, and bit 55 stayed 0 even on the written pages: this kernel seems to lack soft-dirty
dirty-uffd-refused = userfaultfd(UFFD_USER_MODE_ONLY) failed: { $error } (vm.unprivileged_userfaultfd = { $setting })
dirty-uffd-no-async = UFFDIO_API with UFFD_FEATURE_WP_ASYNC failed: { $error }: this kernel's userfaultfd has no asynchronous write-protect (Linux < 6.7)
dirty-uffd-ioctl-failed = { $ioctl } failed: { $error }
dirty-scan-failed = PAGEMAP_SCAN failed: { $error }

## Claims: the statement, then what theory predicts.
dirty-private-present = (a) every page is in the page table, read or written
    .theory = { $pages } of { $pages } present
dirty-present-seen = { $present } of { $pages } present
dirty-private-dirty = (a) smaps Private_Dirty counts exactly the written private pages
    .theory = one page ({ $page }) on pages { $written }, 0 elsewhere
dirty-private-dirty-seen = Private_Dirty per page: { $list }
dirty-file-dirty = (b) a write through a MAP_SHARED file mapping makes that page-cache frame DIRTY, and only it
    .theory = DIRTY on the written page (its folio) only
dirty-file-dirty-seen = DIRTY per page: { $clean } after reading, { $dirty } after the write
dirty-file-smaps = (b) smaps counts the written shared page as dirty
    .theory = Private_Dirty + Shared_Dirty = one page (its folio)
dirty-smaps-dirty-seen = Private_Dirty { $private } + Shared_Dirty { $shared }
dirty-file-msync = (b) msync(MS_SYNC) writes the page back and clears DIRTY
    .theory = no page DIRTY or WRITEBACK after msync, same frames
dirty-file-msync-seen = DIRTY per page after msync: { $dirty }; WRITEBACK: { $writeback }; frames { $frames ->
        [same] unchanged
       *[other] changed
    }
dirty-file-pte-clean = (b) after msync the page-table entry is clean too
    .theory = Private_Dirty + Shared_Dirty = 0
dirty-file-refault = (b) the next write faults once, so the kernel learns the page is dirty again
    .theory = 1 minor fault after msync (0 for the same write before it)
dirty-file-refault-seen = { $after } after msync, { $before } before
dirty-accessed-cleared = (c) clear_refs 1 clears the accessed bits: nothing is referenced
    .theory = Referenced 0 on every page
dirty-accessed-cleared-seen = Referenced per page: { $before } before, { $after } after clear_refs
dirty-accessed-touched = (c) touching k pages makes exactly those k pages referenced
    .theory = { $bytes } more ({ $count ->
        [one] 1 page
       *[other] { $count } pages
    }), on the touched pages only
dirty-accessed-touched-seen = { $growth } kB; per page: { $list }
dirty-soft-dirty = (d) soft-dirty (pagemap bit 55) marks exactly the written pages
    .theory = bit 55 set on pages { $written } only, after clear_refs 4
dirty-soft-dirty-seen = bit 55 per page: { $bits } ({ $config })
dirty-scan-written = (e) PAGEMAP_SCAN reports PAGE_IS_WRITTEN on exactly the written pages
    .theory = WRITTEN on pages { $written } only; none before the writes
dirty-scan-written-seen = WRITTEN per page: { $before } before, { $after } after
dirty-scan-protection-lifted = (e) a write lifts the write-protection (uffd-wp) of the page written, and only of it
    .theory = uffd-wp on every page, then off on pages { $written } only
dirty-scan-wp-seen = uffd-wp per page: { $before } before, { $after } after
