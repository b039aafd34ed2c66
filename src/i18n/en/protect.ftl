# vm-protect

protect-summary = memory protection: each forbidden access faults with the signal and code theory predicts
protect-title = protection faults: the MMU refuses, the kernel signals
protect-about = Each page carries protection bits the MMU checks on every access: a forbidden access traps into the kernel, which sends the process SIGSEGV (or SIGBUS) with the reason (si_code) and the address (si_addr).

## Steps.
protect-step-cases = Each case runs in a child of its own, with a SIGSEGV/SIGBUS handler on an alternate signal stack. The handler keeps what the kernel put in the signal: si_code and si_addr, and, from the signal frame, the CPU exception that started it all and its error code. vm.mmap_min_addr = { $min_addr }: ordinary processes may not map anything below that address (root may, with CAP_SYS_RAWIO), so address 0 stays unmapped.
protect-step-error-code = Two verdicts are in that table. The error code is the CPU's: PROT set means the page-table entry was present and the access broke its protection bits, PROT clear means there was no entry; WRITE, USER and INSTR say what kind of access it was. si_code is the kernel's: it looks up the region (VMA) that holds the address and answers SEGV_MAPERR when there is none, SEGV_ACCERR when the region does not allow the access.
protect-step-prot-none = The two can disagree, and the PROT_NONE page shows it: its error code is { $error }, without PROT: the CPU found no entry for that page; yet the kernel answered { $kind }, because the region exists and forbids reading.
protect-kernel-half-pti = The upper half of the address space belongs to the kernel. This kernel runs with page-table isolation (the cpu flag pti is set; /sys/devices/system/cpu/vulnerabilities/meltdown says "{ $meltdown }"): while a process runs in user mode, the CPU uses page tables that map only the small part of the kernel needed to enter and leave it; the rest of the kernel half is not mapped at all.
protect-kernel-half-no-pti = The upper half of the address space belongs to the kernel. This kernel runs without page-table isolation (no pti cpu flag; /sys/devices/system/cpu/vulnerabilities/meltdown says "{ $meltdown }"): the kernel half is mapped in every process's page tables, but its entries are supervisor-only (the U/S bit clear), so the MMU refuses every user-mode access to it.
protect-kernel-half-unknown = The upper half of the address space belongs to the kernel; whether this kernel isolates its page tables from user mode could not be read ({ $reason }).
protect-kernel-fault-path = What the kernel does with a user-mode fault there (arch/x86/mm/fault.c): an address at or above TASK_SIZE_MAX goes to do_kern_addr_fault, which never looks for a region, and ends in bad_area_nosemaphore, which always sends SEGV_MAPERR, whether the kernel has code at that address or nothing. On the way, sanitize_error_code sets PROT in the error code the process is told, so that it cannot learn from the error code which kernel addresses are mapped: that, not si_code, is what is hidden to keep the kernel's page-table layout secret.
protect-step-non-canonical = An address that is not canonical (its top bits not all copies of the highest address bit: bit 47 with 4-level paging, bit 56 with 5-level) never reaches the page tables: the CPU raises a general protection fault instead of a page fault, which carries no address, so the kernel sends SIGSEGV with SI_KERNEL and si_addr 0.
protect-step-other-user = A child becomes user nobody (uid { $uid }) and tries to read a value at { $addr } in this process (pid { $pid }, root), then a value of its own. Here it is not the MMU that refuses: the kernel checks whether the reader may trace the target.

## The table of accesses.
protect-header-case = case
protect-header-does = what the child does
protect-header-signal = signal
protect-header-addr = si_addr
protect-header-trap = exception
protect-header-error = error code
protect-trap-page-fault = page fault
protect-trap-general-protection = general protection
protect-trap-other = exception { $number }
protect-not-tried = not tried

protect-case-read-only-write = write to a read-only page
protect-case-prot-none-read = read a PROT_NONE page
protect-case-unmapped-read = touch a page just unmapped
protect-case-null-read = dereference NULL
protect-case-code-write = write into the program's own code
protect-case-data-exec = execute a data page (NX)
protect-case-kernel-text = read the kernel's code
protect-case-kernel-hole = read an empty kernel address
protect-case-non-canonical = read a non-canonical address
protect-case-stack-overflow = overflow the stack
protect-case-past-eof = read past the end of a file mapping
protect-case-writable-again = make the read-only page writable again
protect-case-pkey-write = write a page its protection key forbids

protect-does-read-only-write = mmap rw, write, mprotect PROT_READ, write
protect-does-prot-none-read = mmap PROT_NONE, read
protect-does-unmapped-read = mmap, munmap, read
protect-does-null-read = read address 0
protect-does-code-write = write a byte of one of its functions
protect-does-data-exec = call into an rw- page holding `ret`
protect-does-kernel-text = read _text, the first byte of the kernel's code (/proc/kallsyms)
protect-does-kernel-hole = read the first address of the kernel half, a hole Linux leaves unmapped
protect-does-non-canonical = read 0x8000000000000000
protect-does-stack-overflow = recurse past RLIMIT_STACK = { $mib } MiB
protect-does-past-eof = map 2 pages of a 1-page memfd, read page 2
protect-does-writable-again = mprotect PROT_READ, then PROT_READ|PROT_WRITE, write { $byte }, read
protect-does-pkey-write = pkey_alloc a key that forbids writes, pkey_mprotect a page with it, write

## What an access got.
protect-fault = { $kind } at { $addr } ({ $trap }, error { $error })
protect-no-fault = no fault
protect-no-fault-reads = no fault; reads back { $byte }
protect-child-exited = the child exited with code { $code } without faulting
protect-child-killed = the child was killed by { $signal }
protect-kernel-error-code-seen = empty kernel address: { $hole }; kernel code: { $text }; unmapped page of our own: { $user }
protect-own-memory-seen = process_vm_readv read { $readv }, /proc/<pid>/mem read { $mem }
protect-read-worked = no error: the read worked
protect-read-nothing = nothing

## Why a piece of evidence is missing.
protect-unreadable = { $path } could not be read
protect-min-addr-unreadable = /proc/sys/vm/mmap_min_addr could not be read
protect-setup-failed = the child could not set the case up (an mmap, mprotect or setrlimit failed)
protect-pkeys-refused = the kernel refused pkey_alloc/pkey_mprotect (protection keys disabled?)
protect-no-pku = this CPU has no protection keys (no pku flag in /proc/cpuinfo)
protect-kallsyms-hidden = the kernel shows the addresses of its symbols (/proc/kallsyms) only to privileged users (kernel.kptr_restrict); run with sudo
protect-case-missing = the record does not hold this case
protect-no-fault-to-read = { $case } did not fault ({ $outcome }), so it has no error code
protect-needs-root-user = running a process as another user needs root; run with sudo
protect-no-nobody = this system has no user 'nobody' to run the reader as

## Claims: the statement, then what theory predicts.
protect-read-only-write = writing a read-only page faults: the region exists but forbids the write
    .theory = SIGSEGV SEGV_ACCERR at { $addr }, a write
protect-prot-none-read = reading a PROT_NONE page faults: the region exists but forbids every access
    .theory = SIGSEGV SEGV_ACCERR at { $addr }
protect-unmapped-read = touching a page just unmapped faults: no region holds it any more
    .theory = SIGSEGV SEGV_MAPERR at { $addr }
protect-null-read = dereferencing NULL faults: nothing is mapped at address 0
    .theory = SIGSEGV SEGV_MAPERR at { $addr }
protect-code-write = the program cannot write its own code: text is mapped read-only
    .theory = SIGSEGV SEGV_ACCERR at { $addr }, a write
protect-data-exec = a data page cannot be run: it is mapped no-execute (NX)
    .theory = SIGSEGV SEGV_ACCERR at { $addr }, an instruction fetch
protect-kernel-text = user mode cannot read the kernel's own code, and the kernel answers as if nothing were there
    .theory = SIGSEGV SEGV_MAPERR at { $addr }
protect-kernel-hole = user mode reading a kernel address where nothing is mapped gets the same answer
    .theory = SIGSEGV SEGV_MAPERR at { $addr }
protect-kernel-error-code = the error code of a user-mode fault on a kernel address always says PROT, mapped or not; an unmapped user page says not present
    .theory = PROT|USER for kernel addresses, USER alone (no PROT) for the user page
protect-non-canonical = a non-canonical address is refused before any page table: a general protection fault, with no address
    .theory = general protection, SIGSEGV SI_KERNEL at 0x0
protect-stack-overflow = the stack cannot grow past its limit: the first access beyond it faults, and the handler runs on the alternate stack
    .theory = SIGSEGV SEGV_MAPERR within { $kib } KiB of { $addr } (stack top − { $mib } MiB), on the alternate stack
protect-past-eof = a file mapping past the end of the file has nothing to back it: SIGBUS, not SIGSEGV
    .theory = SIGBUS BUS_ADRERR at { $addr }
protect-writable-again = protection is the kernel's to change: after mprotect gives write back, the same write works
    .theory = no fault; reads back { $byte }
protect-pkey-write = a page whose protection key forbids writes faults on write
    .theory = SIGSEGV SEGV_PKUERR at { $addr }
protect-other-user-readv = another user's memory cannot be read with process_vm_readv
    .theory = EPERM
protect-other-user-mem = nor through /proc/<pid>/mem
    .theory = EACCES
protect-own-memory = the same reads of the process's own memory work
    .theory = both read the value back
