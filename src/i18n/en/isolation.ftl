# vm-isolation

isolation-summary = three processes, one virtual address, three frames; a crash in one leaves the others running
isolation-title = same virtual address, different memory; a crash stays in its process
isolation-about = Each process has its own page table, so one virtual address can map a different frame in each process, and a write in one cannot change another. A process that crashes takes only itself down: its parent and its siblings keep running, their memory intact.

isolation-first-child = first child { $pid }
isolation-second-child = second child { $pid }
isolation-third-child = third child { $pid }
isolation-parent = parent { $pid }

## Steps.
isolation-step-map = The parent finds an address that nothing uses, { $addr }, and forks three children. The first two each map a page of their own exactly there and write { $first } and { $second }; the third maps nothing. Then the parent maps a page of its own at the very same address and writes { $parent }. The pagemap of each process at { $addr }:
isolation-step-read = Each one reads its page back, after all three have written: { $reads }.
isolation-step-crash = Now the third child writes to { $addr }. In its own address space nothing is mapped there, whatever the others have at that address, so the MMU finds no translation and the kernel ends the child: { $ending }.
isolation-step-after = After the crash the parent asks the other two children, over their pipes, to read their pages again, and reads its own: { $answers }. Their pages now:
isolation-no-page = no page
isolation-no-answer = no answer
isolation-killed-by = killed by { $signal }
isolation-exited = exited normally with code { $code }: the write did not fault

## Why a piece of evidence is missing.
isolation-map-failed = process { $pid } could not map a page at the address: mmap failed with { $error }
isolation-not-asked = not asked: the process has no page at the address
isolation-page-unreadable = the pagemap of process { $pid } could not be read after the crash
isolation-crasher-gone = the third child could not be told to write, or its end was not seen
isolation-no-crash = the third child did not crash, so there was no crash to survive

## Claims: the statement, then what theory predicts.
isolation-own-values = at one virtual address, each of three processes reads the value it wrote, after all three wrote
    .theory = { $values }
isolation-three-frames = the one virtual address maps three different frames
    .theory = three different PFNs
isolation-exclusive = each of those frames is mapped by its own process alone
    .theory = exclusive = yes in all three
isolation-exclusive-seen = { $exclusive } of { $total } pages exclusive
isolation-crash-signal = writing to an address where the process has nothing mapped kills it with SIGSEGV
    .theory = killed by SIGSEGV
isolation-siblings-survive = after the crash, the other two children still run, their memory intact
    .theory = both answer, reading { $values }
isolation-parent-intact = after the crash, the parent's memory is intact
    .theory = the parent still reads { $value }
