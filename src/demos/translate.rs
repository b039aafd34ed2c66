//! vm-translate: address translation as the course writes it, then on a real page.
//!
//! Theory: a virtual address is a virtual page number (VPN) and an offset. The page
//! table maps the VPN to a physical frame number (PFN); the offset is carried over
//! unchanged: PA = PFN × page size + offset. Two virtual pages can map one frame.
//!
//! What we do: compute the textbook example; then create one page of shared memory
//! (a memfd), map it at two different virtual addresses A and B, write through A,
//! read through B, and ask the kernel's pagemap which frame each address uses.

use memmap2::MmapMut;

use super::{Lab, PFNS_HIDDEN};
use crate::addr::{Paging, PagingLevels, Pfn, VirtAddr};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};

/// Where in the page we write: the textbook's offset.
const OFFSET: usize = 0x234;
const VALUE: u8 = 0x5a;

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "translate",
        "a virtual address is a page number and an offset",
        "The MMU splits a virtual address into a virtual page number and an offset, looks the \
         page up in the page table to find its frame, and keeps the offset: \
         PA = PFN × page size + offset.",
    );
    // The textbook example, computed with the same code that splits real addresses.
    let book = Paging::new(4096, PagingLevels::Four);
    let va = VirtAddr(0x1234);
    let (vpn, off) = (book.vpn(va), book.offset(va));
    let pa = book.physical(Pfn(0x2), off);
    let mut t = Table::new(&["VA", "VPN", "offset", "page table: VPN → PFN", "PA"]);
    t.row(vec![
        "0x1234".into(),
        format!("{vpn:#x}"),
        format!("{off:#x}"),
        format!("{vpn:#x} → 0x2"),
        format!("{:#x}", pa.0),
    ]);
    e.show(
        "The textbook example: 4 KiB pages, so the low 12 bits are the offset. If the page \
         table maps VPN 0x1 to frame 0x2, VA 0x1234 is PA 0x2234.",
        t,
    );

    // One frame of shared memory, mapped twice.
    let fd =
        nix::sys::memfd::memfd_create("vmlab-translate", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)
            .map_err(|err| Error::Child(format!("memfd_create: {err}")))?;
    let file = std::fs::File::from(fd);
    let ps = lab.page_size();
    file.set_len(ps)
        .map_err(|err| Error::Child(format!("ftruncate: {err}")))?;
    let map = |what| -> Result<MmapMut> {
        // SAFETY: the memfd is private to this process; both mappings are only
        // accessed through these two MmapMut values, by this thread.
        unsafe { MmapMut::map_mut(&file) }
            .map_err(|err| Error::Child(format!("mmap {what}: {err}")))
    };
    let mut a = map("A")?;
    let b = map("B")?;
    a[OFFSET] = VALUE;
    let seen = [b[OFFSET - 1], b[OFFSET], b[OFFSET + 1]];
    let (va_a, va_b) = (
        a.as_ptr() as u64 + OFFSET as u64,
        b.as_ptr() as u64 + OFFSET as u64,
    );
    let me = std::process::id() as i32;
    let p = &lab.inspector.paging;
    let (row_a, row_b) = (lab.page(me, va_a)?, lab.page(me, va_b)?);
    let mut t = Table::new(&["", "VA", "VPN", "offset", "walk", "PFN", "PA"]);
    for (name, va, row) in [("A", va_a, &row_a), ("B", va_b, &row_b)] {
        let walk: Vec<String> = p
            .walk_indices(VirtAddr(va))
            .iter()
            .map(|l| format!("{}[{}]", l.level, l.index))
            .collect();
        t.row(vec![
            name.into(),
            format!("{va:#x}"),
            format!("{:#x}", p.vpn(VirtAddr(va))),
            format!("{:#x}", p.offset(VirtAddr(va))),
            walk.join(" "),
            super::pfn_text(row),
            row.pfn.map_or("hidden".into(), |f| {
                format!("{:#x}", p.physical(f, p.offset(VirtAddr(va))).0)
            }),
        ]);
    }
    e.show(
        format!(
            "A memfd page mapped twice, at A and B. We write {VALUE:#x} at A + {OFFSET:#x}, then \
             read B + {OFFSET:#x}. The pagemap says which frame each virtual page uses:"
        ),
        t,
    );

    e.observe("va_a", format!("{va_a:#x}"));
    e.observe("va_b", format!("{va_b:#x}"));
    e.observe("pfn_a", row_a.pfn);
    e.observe("pfn_b", row_b.pfn);
    e.observe("read_via_b", seen[1]);

    e.claim(Claim::check(
        "the textbook example translates as the book says",
        "VPN 0x1, offset 0x234, PA 0x2234",
        format!("VPN {vpn:#x}, offset {off:#x}, PA {:#x}", pa.0),
        vpn == 1 && off == 0x234 && pa.0 == 0x2234,
    ));
    e.claim(Claim::check(
        "two virtual pages, not one",
        "VPN(A) ≠ VPN(B)",
        format!(
            "{:#x} vs {:#x}",
            p.vpn(VirtAddr(va_a)),
            p.vpn(VirtAddr(va_b))
        ),
        p.vpn(VirtAddr(va_a)) != p.vpn(VirtAddr(va_b)),
    ));
    e.claim(Claim::check_if(
        "both virtual addresses translate to the same frame",
        "PFN(A) = PFN(B)",
        row_a.pfn.zip(row_b.pfn),
        |(x, y)| (format!("{x} and {y}"), x == y),
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check(
        "data written through A is read through B",
        &format!("{VALUE:#x} at B + {OFFSET:#x}"),
        format!("{:#x}", seen[1]),
        seen[1] == VALUE,
    ));
    e.claim(Claim::check(
        "the offset is preserved: the byte lands at the same offset in the frame",
        &format!("only offset {OFFSET:#x} changed"),
        format!(
            "B + {:#x}..{:#x} reads {:#x} {:#x} {:#x}",
            OFFSET - 1,
            OFFSET + 1,
            seen[0],
            seen[1],
            seen[2]
        ),
        seen == [0, VALUE, 0],
    ));
    Ok(e)
}
