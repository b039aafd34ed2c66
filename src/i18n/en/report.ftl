# vmlab report: the demos' records as one HTML page.

report-title = vmlab report: { $count ->
        [one] 1 demo
       *[other] { $count } demos
    }, { $date }
report-intro = What the running Linux kernel did, claim by claim. Each demo did the real thing on this machine (mapped, wrote, forked, faulted) and compared what the kernel showed with what theory predicts; every number here was read from the kernel or measured during this run.
report-contents = Contents
report-summary = Summary
report-total = total
report-claims = Claims
report-footer = Made by vmlab { $version }. Nothing in this page is fetched from anywhere: the drawings are part of it, and it needs no script.

## The machine.
report-machine = The machine
report-machine-kernel = kernel
report-machine-arch = architecture
report-machine-cpu = CPU
report-machine-cpu-value = { $model }; { $count ->
        [one] 1 logical CPU
       *[other] { $count } logical CPUs
    } online
report-machine-memory = memory
report-machine-paging = paging
report-machine-paging-value = { $page } pages, { $levels }-level page tables; user space ends at { $end }
report-machine-thp = transparent huge pages
report-machine-thp-value = { $enabled } ({ $raw }); defrag: { $defrag }
report-machine-thp-absent = not in this kernel ({ $dir } does not exist)
report-machine-aslr = ASLR (kernel.randomize_va_space)
report-machine-privilege = privilege
report-machine-started = report started
report-machine-vmlab = vmlab version
report-privilege = { $who }, { $cap ->
        [yes] with CAP_SYS_ADMIN
       *[no] without CAP_SYS_ADMIN
    }: frame numbers { $pfns ->
        [yes] visible
       *[no] hidden (the claims that need them are unverifiable; run with sudo to see them)
    }; map counts and frame flags { $frames ->
        [readable] readable
        [missing] missing from this kernel
       *[denied] unreadable (/proc/kpagecount and /proc/kpageflags are root-only)
    }
report-unknown = unknown

## The address space.
report-space-title = The address space of { $command } (pid { $pid })
report-space-about = Every region of /proc/{ $pid }/maps ({ $count } regions, { $size } in all), read when the report started, highest address at the top. A region's height grows with the logarithm of its size, so that a 4 KiB page stays visible beside megabytes; the gaps between regions are cut short, and their size is written in them. Hover over a region for its exact addresses.
report-gap = { $size } unmapped
report-gap-kernel = { $size }: the non-canonical hole and the kernel's half of the address space
report-region-rss = RSS { $rss }
report-space-more = { $count ->
        [one] 1 more region
       *[other] { $count } more regions
    } below, not drawn
report-kind-text = program code
report-kind-rodata = program constants
report-kind-data = initialised globals
report-kind-bss = zeroed globals
report-kind-heap = brk heap
report-kind-stack = main stack
report-kind-thread-stack = a thread's or a signal stack
report-kind-lib-text = library code
report-kind-lib-data = library data
report-kind-file = mapped file
report-kind-shm = shared memory
report-kind-anon = anonymous memory (mmap)
report-kind-guard = no-access gap
report-kind-vdso = kernel code for fast system calls
report-kind-vvar = kernel data for the vdso
report-kind-vsyscall = legacy fixed system-call page
report-kind-other = other area named by the kernel

## Charts.
report-chart-failed = the chart could not be drawn: { $why }
report-faultcost-caption = Time per { $page } page of each way to touch memory: the bar is the median of { $runs } runs, the line across it spans the middle half of the runs (what the timing claims are decided on). Logarithmic scale: each grid line is ten times the one before.
report-faultcost-axis = time per { $page } page (logarithmic scale)

## The command.
report-output-not-html = { $path }: the report is an HTML file; its name must end in .html
report-output-is-dir = { $path } is a directory; name the HTML file to write
report-wrote = wrote { $path } ({ $size })
report-json-refused = report writes an HTML page; --json does not apply (vmlab tour --json prints the same records)
