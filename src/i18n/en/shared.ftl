# vm-shared

shared-summary = sharing frames on purpose: shared memory, files, libraries, KSM
shared-title = sharing frames on purpose
shared-about = Two page tables can point at one frame: shared memory, the page cache of a file, a library's code and pages the kernel merges itself (KSM) are each kept once in RAM.

shared-parent = parent
shared-child = child
shared-page-cache = page cache
shared-private-read = private, read
shared-private-written = private, written
shared-this-program = this program
shared-ksm-row = { $what } page { $page }
shared-ksm-before = before,
shared-ksm-merged-row = merged,
shared-ksm-written = written,

## Steps.
shared-step-anon = (a) A MAP_SHARED anonymous page at { $va }; after fork, child { $child } writes { $byte } into it, and the parent reads { $read }.
shared-step-file = (b) A file (a memfd) mapped MAP_SHARED here at { $va }, and by child { $child }, which opens it by name and maps it itself at { $child_va }; the child reads { $read }.
shared-step-private = (c) The same file mapped MAP_PRIVATE: first only read, then written ({ $byte }). The shared mapping shows the page-cache frame.
shared-step-library = (d) The code of { $name } here ({ $here }) and in `sleep` { $pid } ({ $there }): { $both } of its { $pages } pages are present in both. The first three, side by side:
shared-step-library-missing = (d) The code of the C library could not be compared: { $reason }.
shared-step-ksm = (e) { $pages } private pages with identical contents at { $va }, marked MADV_MERGEABLE. KSM is a setting of the whole machine: the demo set { $set } and waited { $ms } ms, while ksmd completed { $scans }; then it wrote back the settings it had found, { $restored } (read back: { $after }). Then page 0 is written.
shared-step-ksm-missing = (e) KSM was not started: { $reason }.

## What the kernel showed.
shared-two-frames = { $a } and { $b }
shared-anon-seen-kernel = the child wrote { $wrote }, the parent reads { $read }
shared-file-bit-kernel = parent: { $parent }, child: { $child }
shared-private-copy-kernel = { $written } vs page cache { $cache }; anonymous: { $anon }
shared-file-holds = the file holds { $byte }
shared-libc-same-kernel = { $same } of { $total } pages share a frame
shared-libc-lowest-count = lowest map count { $min }
shared-libc-charge = RSS { $rss }, PSS { $pss }
shared-ksm-merged-kernel = { $frames ->
        [one] 1 distinct frame
       *[other] { $frames } distinct frames
    }, KSM on { $ksm } of { $pages }, after { $ms } ms
shared-ksm-split-kernel = { $new } (merged frame { $old }), KSM: { $ksm }, exclusive: { $exclusive }

shared-ksm-scans = { $count ->
        [one] 1 full scan
       *[other] { $count } full scans
    }
shared-ksm-scans-unknown = an unknown number of full scans

## Why a piece of evidence is missing.
shared-child-no-report = the child did not report what it wrote
shared-page-absent = the page is not present, so there is nothing to compare
shared-file-unreadable = the file could not be read back with pread
shared-no-shared-libc = this program is not linked with a shared libc.so
shared-no-other-program = could not start another program (sleep): { $error }
shared-other-no-libc = the other program did not map the same libc within 5 s
shared-smaps-unreadable = the smaps of libc's code could not be read
shared-libc-none-in-both = no page of libc's code was present in both programs
shared-no-ksm = this kernel has no KSM (/sys/kernel/mm/ksm)
shared-ksm-needs-root = starting KSM and seeing frames needs root; run with sudo
shared-ksm-busy = another process held the KSM lock for 30 s (another vmlab run?)
shared-ksm-no-journal = the KSM settings cannot be changed safely: { $error }
shared-ksm-unreadable = the KSM settings could not be read
shared-ksm-madvise-refused = madvise(MADV_MERGEABLE) was refused
shared-ksm-scans-unreadable = /sys/kernel/mm/ksm/full_scans could not be read
shared-ksm-too-few-scans = ksmd completed only { $scans } in { $ms } ms (the machine was busy?): with fewer than { $needed } full scans, it may not have compared these pages twice yet

## Claims: the statement, then what theory predicts.
shared-anon-seen = (a) a shared page written by the child is seen by the parent
    .theory = parent reads { $byte }
shared-anon-same-frame = (a) parent and child map the same frame
    .theory = same PFN
shared-file-same-frame = (b) two processes mapping one file share its page-cache frame
    .theory = same PFN
shared-file-bit = (b) the page is a file or shared page in both
    .theory = file/shared bit set in both
shared-private-read-cache = (c) a private mapping only read uses the page-cache frame
    .theory = same PFN
shared-private-write-copies = (c) writing a private file page copies it into an anonymous frame
    .theory = new PFN, flagged ANON
shared-file-unchanged = (c) the file itself is unchanged by the private write
    .theory = the file still holds { $byte }
shared-libc-same-frames = (d) libraries are shared without duplicating data: libc's code is the same frames in both programs
    .theory = every page present in both: same PFN
shared-libc-map-count = (d) each of those frames is mapped by several processes
    .theory = map count ≥ 2
shared-libc-pss = (d) shared frames are charged in part: PSS < RSS
    .theory = PSS below RSS for libc's code
shared-ksm-merged = (e) identical pages end up in one frame flagged KSM
    .theory = 1 PFN for the { $pages } pages, KSM flag
shared-ksm-split = (e) a write to a merged page gives it a private copy
    .theory = new PFN, not KSM, exclusive
