# vm-segments

segments-summary = text, data, bss, heap, mmap area and stack of a live process, in order
segments-title = text, data, bss, heap, mmap area, stack
segments-about = Every process sees the same picture: code (text) at the bottom, then data, bss and the heap, the mmap area higher up, and the stack near the top of user space. The code is not copied in when the program starts: each page of it is brought in the first time it runs.

## This process's layout.
segments-thing-function = a function (text)
segments-thing-initialised = initialised global (data)
segments-thing-zeroed = zeroed global (bss)
segments-thing-small = small malloc, { $size } (heap)
segments-thing-large = large malloc, { $size } (mmap)
segments-thing-vdso = vdso
segments-thing-thread-stack = a thread's stack variable
segments-thing-stack = stack variable
segments-thing-argv = argv
segments-thing-environment = environment
segments-header-what = what
segments-header-address = address
segments-header-region = region
segments-header-perms = perms
segments-header-kind = kind
segments-header-backing = backing
segments-none = none
segments-step-items = The address of one thing of each kind in this process, and the region of /proc/self/maps that holds each:
segments-step-bss-in-data = The zeroed global sits in the data region: bss starts in the last page of the data segment, and the kernel adds a separate anonymous region only for the part of bss that does not fit there.
segments-step-diagram = The address space, top = high addresses (not to scale; gaps labelled):
segments-diagram-adjacent = adjacent
segments-diagram-gap = { $size } gap
segments-diagram-skipped = { $gap }, { $count ->
        [one] 1 other region
       *[other] { $count } other regions
    }

## ASLR.
segments-header-run = run
segments-header-text = text
segments-header-stack = stack
segments-header-mmap = mmap area
segments-header-brk = heap (brk)
segments-header-brk-gap = heap − end of bss
segments-unknown = unknown
segments-step-aslr = ASLR: kernel.randomize_va_space = { $setting }{ $persona ->
        [yes] , but this process runs with ADDR_NO_RANDOMIZE (setarch -R), so ASLR is off for it and its children
       *[no] {""}
    }. The same program, started { $runs } times:

## Code on demand.
segments-header-text-pages = text pages
segments-header-present = present
segments-header-function = function never run
segments-header-before = before the call
segments-header-after = after the call
segments-mapped = mapped
segments-not-mapped = not mapped
segments-step-text = The course notes say that to run a program the OS copies its instructions into memory. Linux does not: exec only maps the program file, and a page of code gets a frame and a page-table entry the first time it runs, through a page fault. Each copy above first looked at the page of a function that had never run, called it, and looked again; then it counted how many pages of its text were present in its page table. That function sits alone, with 128 KiB of filler on each side, because on a fault the kernel also maps the neighbouring pages it already has in memory (fault-around, 64 KiB by default, or a whole large folio of the page cache): a page near code that ran could be mapped without ever running. So the pages present are the ones that ran and their neighbours, and the rest of the text is not in the page table at all.

## Why a piece of evidence is missing.
segments-no-region = no region of /proc/self/maps holds { $addr }
segments-item-missing = the record has no address for { $what }
segments-aslr-unreadable = { $path } could not be read
segments-too-few-runs = fewer than two copies reported, nothing to compare
segments-text-unreadable = the copy could not read its own maps or pagemap
segments-text-no-function = this build has no function set apart for the test (x86-64 only)
segments-text-mapped-early = in all { $runs } copies the function's page was mapped before the call, so the call cannot show it brought it in: a fault on a page nearby can map it too (fault-around, or a large folio of the page cache mapped whole)

## Claims: the statement, then what theory predicts.
segments-order = text < data < bss < heap < mmap area < stack
    .theory = addresses rise in that order
segments-text-perms = code is executable and not writable
    .theory = r-x
segments-writable = data, bss, heap and stack are writable and not executable
    .theory = rw- for all four
segments-large-apart = a large allocation is mapped apart from the brk heap
    .theory = small malloc in the heap, { $size } malloc elsewhere
segments-large-seen = small in { $small }, large in { $large }
segments-thread-stack = each thread has its own stack, outside the main stack
    .theory = different regions
segments-thread-stack-seen = main stack in { $main }, the thread's in { $thread }
segments-argv-env = argv and the environment sit in the main stack region
    .theory = both in the stack
segments-argv-env-seen = argv in { $argv }, environment in { $env }
segments-aslr-layout = { $mode ->
        [off] with ASLR off, every run gets the same layout
        [on] with ASLR on, the stack and the mmap area move at every run
       *[unknown] the layout follows the ASLR setting
    }
    .theory = { $mode ->
        [off] same text, stack, mmap and heap addresses
        [on] different addresses in each run
       *[unknown] depends on the setting
    }
segments-aslr-stacks = stacks { $stacks }
segments-aslr-stacks-mmaps = stacks { $stacks }; mmap { $mmaps }
segments-aslr-heap = { $mode ->
        [full] with full ASLR (2), the heap starts at a random distance from the program
        [partial] without full ASLR, the heap starts at the same distance from the program at every run
       *[unknown] the heap's start follows the ASLR setting
    }
    .theory = { $mode ->
        [full] different gaps
        [partial] the same gap
       *[unknown] depends on the setting
    }
segments-text-partial = the kernel does not copy a program's code into memory at start: a fresh process has only part of its text mapped
    .theory = fewer present pages than text pages
segments-present-of = { $present } of { $total }
segments-text-on-call = a page of code is mapped when it first runs
    .theory = the page of a function never run: not mapped before its first call, mapped after
segments-text-on-call-seen = { $loaded } of { $fresh } copies: not mapped before the call, mapped after{ $early ->
        [0] {""}
       *[other] ; { $early } had it mapped already
    }
