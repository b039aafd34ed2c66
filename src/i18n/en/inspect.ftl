# The inspector: vmlab maps, pages, translate, frames, cache, flags.

error-zombie = process { $pid } is a zombie: it has exited and its parent has not reaped it, so it has no memory left to show
error-pid-reused = process { $pid } has exited and its PID now belongs to another process; vmlab stopped rather than show the newcomer's memory under the old process's name

pages-read-scan = read { $regions ->
    [one] 1 region
   *[other] { $regions } regions
} with PAGEMAP_SCAN: pagemap entries only where the kernel reports populated pages
pages-read-pread = read { $regions ->
    [one] 1 region
   *[other] { $regions } regions
} with pread: every pagemap entry
pages-read-nothing = nothing read: no region in the range
