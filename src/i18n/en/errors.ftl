# Errors and hints: one line each, saying what was expected and what to do.

error-quote-cut = { $head }… ({ $bytes } bytes)
error-malformed = '{ $input }' is not a valid address or size: { $why }
error-reversed = range '{ $input }' is reversed: its end is below its start
error-empty-range = range '{ $input }' is empty
error-unaligned = range '{ $input }' is not page-aligned (pages are { $page_size } bytes); the pages that cover it are { $suggestion }
error-outside-user-space = '{ $input }' is outside user space: user addresses end at { $user_end } on this machine ({ $levels }-level paging)
error-bad-pid = '{ $input }' is not a process id: expected a number such as 4242, or 'self'
error-unsupported-option = vm-{ $demo } has no --{ $option } option
error-bad-answers = answers file, line { $line } ('{ $text }'): { $why }
error-bad-parameter = --{ $name }: { $why }
error-no-such-process = no process with pid { $pid } (it may have exited already)
error-process-exited = process { $pid } exited while vmlab was reading { $what }
error-kernel-thread = process { $pid } is a kernel thread: it has no user address space to show
error-permission-denied = permission denied reading { $path }: { $hint }
error-region-not-found = no region of process { $pid } is called '{ $name }'; its regions are: { $available }
error-region-ambiguous = '{ $name }' names several regions of process { $pid }: { $candidates }; be more specific
error-child = experiment child process: { $detail }
error-unknown-demo = unknown demo '{ $name }'; the demos are: { $known }
error-unknown-demo-suggest = unknown demo '{ $name }': did you mean '{ $suggestion }'? The demos are: { $known }
error-output = writing output: { $detail }
error-unsupported = { $what } is not available on this kernel: { $why }
error-malformed-file = could not parse { $path }: { $detail }
error-write = writing { $path }: { $why }
error-io = reading { $path }: { $detail }
error-line = error: { $message }
error-caused-by = caused by: { $cause }

hint-other-owner = process { $pid } belongs to uid { $uid } and you are uid { $me }; only its owner or root may read its memory map (try sudo)
hint-root-refused = even root was refused: process { $pid } may be protected by a sandbox, a Yama ptrace scope, or a security module
hint-needs-ptrace = reading another process's memory map needs ptrace access to it (try sudo)

## Why a number, an address or a range cannot be read.
why-empty = it is empty
why-hex-digits = after 0x only hex digits 0-9 a-f may follow
why-too-big = it does not fit in 64 bits
why-hex-prefix = write hex with a 0x prefix: did you mean 0x{ $text }?
why-not-a-number = expected a number such as 0x7ffd1234, 4096 or 4K
why-unknown-suffix = unknown size suffix '{ $suffix }' (use K, M, G or T)
why-range-overflow = START+LEN goes past the end of the 64-bit address space
why-bad-start = its start '{ $side }' is not a number: { $why }
why-bad-end = its end or length '{ $side }' is not a number: { $why }
