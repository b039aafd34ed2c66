# vmlab course: the course notes' chapters, their concepts, and where vmlab shows each.

course-intro = Memory virtualization as the course notes teach it, chapter by chapter, and the command that shows each concept on this machine: vm-NAME is a demo (also vmlab demo NAME), vmlab sim NAME a simulator, vmlab maps, pages and translate the inspector.
course-goals-title = The three goals of memory virtualization
course-shown-by = shown by: { $commands }
course-out-of-scope = out of scope: { $why }

goal-transparency = transparency
    .meaning = the program cannot tell its memory is virtual: it behaves as if it had its own private physical memory
goal-efficiency = efficiency
    .meaning = the illusion costs little time (the TLB, few faults) and little space (tables only where something is mapped, frames shared)
goal-protection = protection
    .meaning = no process can read or write another's memory, or the kernel's; a faulty process harms only itself
goal-line = { $goal }: { $meaning }. Demos: { $demos }

course-ch-definition = Memory virtualization: definition and goals
course-physical-shared = physical memory shared by many processes through an abstraction: virtual addresses
course-illusion-all-memory = each process believes it has all the memory to itself
course-four-segments = the address space: text (code), data (globals), heap (dynamic memory), stack (locals and calls)
course-goal-transparency = goal: transparency, memory virtualization is invisible to the program
course-goal-efficiency = goal: efficiency, in time and in the space of the structures that support it
course-goal-protection = goal: protection of processes from each other and of the OS from processes
course-isolation = isolation: each process runs in its own shell, safe from faulty or malicious ones

course-ch-translation = Translation, paging, segmentation and their problems
course-virtual-physical = virtual addresses (what the process uses) and physical addresses (real places in RAM)
course-mmu-tables-tlb = the MMU translates through page tables, and a TLB makes it fast
course-base-bounds = physical address = virtual address + base (base and bounds)
course-vpn-offset = a virtual address is a virtual page number (VPN) and an offset; the frame number replaces the VPN
course-paging = paging: memory in fixed-size pages (4 KiB) mapped onto physical frames
course-paging-no-external = paging removes external fragmentation: contiguous virtual pages need no contiguous frames
course-segmentation = segmentation: variable-size segments (code, data, stack)
course-external-fragmentation = external fragmentation: free memory scattered in holes too small to use
course-valid-bit = the valid bit of a page-table entry
course-protection-bits = the protection bits (read, write, execute) of a page-table entry
course-dirty-bit = the dirty bit: the page was modified
course-tlb = the TLB: a cache of recent translations
course-internal-fragmentation = internal fragmentation: space allocated in whole pages, more than asked for
course-translation-overhead = the cost of translation: walking tables is slow, a fault slower still
course-multilevel = multi-level page tables, to use less space for tables
course-shared-pages = shared pages: several processes use the same physical frame
course-compaction = compaction: moving allocations to merge the free holes (segmentation)
course-dynamic-allocation = flexibility: memory allocated dynamically, as the program asks for it
course-replacement = when memory runs out, which page to evict: replacement policies (FIFO, LRU, OPT, clock)

course-ch-memory-and-cpu = Virtualization: memory and processor
course-os-loads-program = to run a program the OS loads its code and data, and sets up its stack and heap
course-hardware-protection = memory protection needs a hardware mechanism: each process writes only its own memory
course-same-addresses = with virtual addresses, every process's memory starts at the same place
course-mmu-translates = the hardware (the MMU) translates each virtual address the CPU issues into a physical one
course-fault-isolation = isolation from faults: one process's error does not bring down the others or the machine
course-kernel-permission = a process needs the kernel's permission to reach memory that belongs to another process
course-cpu-virtualization = processor virtualization: each process believes it has the whole CPU
    .out-of-scope = vmlab is about memory; the CPU is the subject of its own chapter

course-ch-goals = Virtualization: the illusion and its goals
course-illusion-resources = virtualization gives each application the illusion of resources that are not really there
course-goals = the goals again: transparency, efficiency, protection

course-ch-address-spaces = Address spaces
course-arbitrary-frames = the program is not at physical addresses 0 to 16 KB but wherever the OS put it, in arbitrary frames
course-large-address-space = the program believes it is loaded at one address with a huge address space (32 or 64 bits)
course-every-access-translated = every load and store goes through translation, never straight to physical memory
