# vmlab sim relocate: base and bounds.

relocate-sizes = Address space { $asize } bytes ({ $asize_human }), physical memory { $physmem } bytes ({ $physmem_human }).
relocate-registers = Base-and-bounds registers:
relocate-col-register = register
relocate-col-hex = hex
relocate-col-decimal = decimal
relocate-reg-base = base
relocate-reg-bounds = bounds
relocate-limit-note = (relocation.py calls the bounds the limit)
relocate-task = Translate each virtual address to a physical address, or write 'fault' for a segmentation violation.
relocate-question = VA { $va } (decimal { $decimal }): physical address, or fault?

relocate-rule-valid = The rule: VA is valid when VA < bounds = { $bounds } ({ $bounds_hex }), so the valid virtual addresses are 0 to { $last } ({ $last_hex }).
relocate-rule-none = The rule: VA is valid when VA < bounds; the bounds is 0, so no address is valid and every access faults.
relocate-rule-map = A valid VA maps to PA = base + VA = { $base } + VA; the physical addresses used are { $base } to { $last }.
relocate-step-valid = VA { $va } ({ $decimal }) < bounds { $bounds }: valid. PA = { $base } + { $va } = { $pa } (decimal { $pa_decimal })
relocate-step-fault = VA { $va } ({ $decimal }) ≥ bounds { $bounds }: SEGMENTATION VIOLATION. The MMU raises an exception before any memory access; the OS would kill the process.
relocate-share = { $valid } of these { $total } addresses are valid. Drawn uniformly over the address space, the expected share is bounds / address-space size = { $expected }.
relocate-compare = Where PA = base + VA applies, and where paging replaces it:
relocate-compare-bb = base and bounds: one (base, bounds) pair for the whole address space, so the unused space between heap and stack still takes physical memory;
relocate-compare-segment = segmentation (vmlab sim segment): the same formula once per segment, the top bits of the VA choosing the pair (the stack's offset counted down);
relocate-compare-paging = paging (vmlab sim paging): no single base; PA = frame(VA / page size) × page size + VA mod page size, one page-table entry per page. x86-64 Linux translates by paging only.

relocate-error-asize-physmem = the address space ({ $asize } bytes) is larger than physical memory ({ $physmem } bytes): base and bounds places the whole address space in one piece of physical memory, so it must fit
relocate-error-bounds = the bounds { $bounds } is larger than the address space ({ $asize } bytes)
relocate-error-base = base { $base } + bounds { $bounds } ends past physical memory ({ $physmem } bytes): the address space must fit

## --real
relocate-real-no-bb = x86-64 in 64-bit mode treats the CS, DS, ES and SS bases as 0 and checks no limit: there is no base-and-bounds translation, only paging.
relocate-real-fs = One base register survives: FS. Thread-local variables are addressed as FS base + offset, with no bounds check:
relocate-real-col-what = measured
relocate-real-col-address = address
relocate-real-fs-base = FS base of vmlab's main thread (arch_prctl ARCH_GET_FS)
relocate-real-tls = a thread-local variable of vmlab
relocate-real-offset = The variable is at FS base { $sign } { $offset }: the offset the compiler put in the instruction; the base differs per thread.
relocate-real-unreadable = (the FS base could not be read on this machine)
relocate-real-virtual = Both of those addresses are virtual: paging translates them further. See the whole address space with `vmlab demo segments`, and a real translation with `vmlab sim paging --real`.
