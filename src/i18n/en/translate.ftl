# vm-translate

translate-summary = VA = VPN + offset → PFN + offset, on the textbook example and a real page
translate-title = a virtual address is a page number and an offset
translate-about = The MMU splits a virtual address into a virtual page number and an offset, looks the page up in the page table to find its frame, and keeps the offset: the physical address is the frame's first byte plus the offset, PA = PFN × page size + offset.

## Table columns.
translate-header-va = VA
translate-header-vpn = VPN
translate-header-offset = offset
translate-header-page-table = page table: VPN → frame
translate-header-pa = PA
translate-header-walk = page walk
translate-header-pfn = PFN

## Steps.
translate-step-book = The course notes' example: pages of 4 KiB ({ $page } bytes), so the low { $bits } bits of an address are the offset. VA { $va } is virtual page { $vpn }, offset { $offset }, and the page table maps page { $vpn } to frame { $frame }. The notes write "Dirección Física = Marco de Página Física ({ $frame }) + Offset ({ $offset })". Adding those two numbers as they stand gives { $sum }, and that is not the address: a frame number counts frames, not bytes. Frame { $frame } begins at byte { $frame } × { $page } = { $frame_start }, and the offset says how far into the frame the byte is: PA = frame number × page size + offset = { $frame } × { $page } + { $offset } = { $pa }. In bits, the frame number is shifted left by the offset's { $bits } bits and the offset fills those bits: the two are written side by side, not added.
translate-step-real = Now a real page: one page of shared memory (a memfd) mapped twice, at A and B. We write { $value } at A + { $offset }; the pagemap says which frame each virtual page uses, and PA = PFN × { $page } + { $offset } follows from it:
translate-step-scan = Reading all { $scanned } bytes of the page through B, the bytes that are not zero are: { $bytes }.
translate-no-bytes = none

## Why a piece of evidence is missing.
translate-scan-incomplete = only { $scanned } bytes of B's page were read, not the whole page

## Claims: the statement, then what theory predicts.
translate-book-example = the notes' example: VA { $va }, its page in frame { $frame }
    .theory = PA = frame × page size + offset
translate-book-worked = VPN { $vpn }, offset { $offset }; { $frame } × { $page } + { $offset } = { $pa }
translate-same-frame = two different virtual pages translate to the same frame
    .theory = PFN(A) = PFN(B)
translate-frames-seen = VPN { $vpn_a } → PFN { $pfn_a }; VPN { $vpn_b } → PFN { $pfn_b }
translate-read-through-b = a byte written through A is read through B
    .theory = { $value } at B + { $offset }
translate-read-seen = B + { $offset } reads { $value }
translate-offset-kept = the offset is kept: the byte sits at the same offset in the frame, and nowhere else
    .theory = one byte not zero, at offset { $offset }
translate-nonzero-seen = not zero: { $bytes }
