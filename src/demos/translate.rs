//! vm-translate: address translation as the course notes write it, then on a real page.
//!
//! Theory: a virtual address is a virtual page number (VPN) and an offset. The page
//! table maps the VPN to a physical frame number (PFN); the offset is carried over
//! unchanged. The physical address is the frame's first byte plus the offset:
//! PA = PFN × page size + offset. With 4 KiB pages the offset is the low 12 bits, so
//! the PFN is shifted left by 12 bits and the offset fills them. Two virtual pages
//! can map one frame.
//!
//! What we do: work out the notes' example (VA 0x1234, page 0x1 in frame 0x2), which
//! is arithmetic, not something the kernel shows, so it is a *computed* claim. Then
//! create one page of shared memory (a memfd), map it at two different virtual
//! addresses A and B, write one byte through A, read the whole page through B, and
//! ask the kernel's pagemap which frame each address uses.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the
//! record alone.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::Lab;
use super::page::{Page, frame_text};
use crate::addr::{Paging, PagingLevels, Pfn, VirtAddr};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Experiment, Step, Table};
use crate::{claim, tr};

/// Where in the page we write: the notes' offset.
const OFFSET: u64 = 0x234;
/// The byte written through A.
const VALUE: u8 = 0x5a;

/// The notes' example: 4 KiB pages, VA 0x1234, and a page table that maps virtual
/// page 0x1 to frame 0x2.
const BOOK_PAGE_SIZE: u64 = 0x1000;
const BOOK_VA: u64 = 0x1234;
const BOOK_FRAME: u64 = 0x2;

/// Everything vm-translate saw: one memfd page, mapped at two addresses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// This machine's page size (sysconf).
    pub page_size: u64,
    /// Where in the page the byte was written.
    pub offset: u64,
    /// The byte written through A.
    pub value: u8,
    /// The two mappings of the one page, A written, B read.
    pub a: Mapping,
    pub b: Mapping,
    /// What B's page holds after the write through A.
    pub through_b: Scan,
}

/// One mapping of the memfd page: the address of the byte we write (page + offset),
/// how the MMU splits it, and the page as the pagemap showed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub va: VirtAddr,
    #[serde(
        serialize_with = "crate::json::hex",
        deserialize_with = "crate::addr::hex_or_number"
    )]
    pub vpn: u64,
    /// The page-walk indices, top level first: the entry the MMU reads at each level.
    pub walk: Vec<WalkStep>,
    pub page: Page,
}

/// One level of the page walk: the table's name and the index into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkStep {
    pub level: String,
    pub index: u64,
}

/// The page read byte by byte: how many bytes were read, and the ones not zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub scanned: u64,
    pub nonzero: Vec<Byte>,
}

/// A byte of the page: where it is and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byte {
    pub offset: u64,
    pub value: u8,
}

/// The notes' example, worked out with the same code that splits real addresses.
struct BookExample {
    vpn: u64,
    offset: u64,
    /// The physical address: frame × page size + offset.
    pa: u64,
    /// How many bits the offset takes (12 for 4 KiB pages).
    offset_bits: u32,
    /// What adding the frame number and the offset as plain numbers would give.
    plain_sum: u64,
}

fn book_example() -> BookExample {
    let book = Paging::new(BOOK_PAGE_SIZE, PagingLevels::Four);
    let va = VirtAddr(BOOK_VA);
    let offset = book.offset(va);
    BookExample {
        vpn: book.vpn(va),
        offset,
        pa: book.physical(Pfn(BOOK_FRAME), offset).0,
        offset_bits: book.page_shift,
        plain_sum: BOOK_FRAME + offset,
    }
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("translate", tr!("translate-title"), tr!("translate-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Maps one memfd page twice, writes through A, reads all of B, reads both pagemaps.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let file = memfd_page(ps)?;
    let mut a = map_shared(&file, "A")?;
    let b = map_shared(&file, "B")?;
    a[OFFSET as usize] = VALUE;
    let through_b = scan(&b);
    let me = std::process::id() as i32;
    let a = mapping(lab, me, a.as_ptr() as u64)?;
    let b = mapping(lab, me, b.as_ptr() as u64)?;
    Ok(Observation {
        page_size: ps,
        offset: OFFSET,
        value: VALUE,
        a,
        b,
        through_b,
    })
}

/// A memfd one page long: shared memory with a file behind it, so it can be mapped
/// twice and both mappings reach the same page.
fn memfd_page(page_size: u64) -> Result<std::fs::File> {
    let fd =
        nix::sys::memfd::memfd_create("vmlab-translate", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)
            .map_err(|err| Error::Child(format!("memfd_create: {err}")))?;
    let file = std::fs::File::from(fd);
    file.set_len(page_size)
        .map_err(|err| Error::Child(format!("ftruncate: {err}")))?;
    Ok(file)
}

fn map_shared(file: &std::fs::File, what: &str) -> Result<MmapMut> {
    // SAFETY: the memfd is private to this process; both mappings are only accessed
    // through the MmapMut values of `gather`, by this thread.
    unsafe { MmapMut::map_mut(file) }.map_err(|err| Error::Child(format!("mmap {what}: {err}")))
}

/// Every byte of the page through this mapping, keeping the ones not zero.
fn scan(page: &[u8]) -> Scan {
    Scan {
        scanned: page.len() as u64,
        nonzero: page
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0)
            .map(|(i, v)| Byte {
                offset: i as u64,
                value: *v,
            })
            .collect(),
    }
}

/// The mapping whose page starts at `base`: its byte at [`OFFSET`], split by the MMU's
/// geometry, and its page from the pagemap.
fn mapping(lab: &Lab, pid: i32, base: u64) -> Result<Mapping> {
    let paging = &lab.inspector.paging;
    let va = VirtAddr(base + OFFSET);
    let page = lab.snapshot(pid, base, 1)?.remove(0);
    Ok(Mapping {
        va,
        vpn: paging.vpn(va),
        walk: paging
            .walk_indices(va)
            .iter()
            .map(|l| WalkStep {
                level: l.level.to_string(),
                index: l.index,
            })
            .collect(),
        page,
    })
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    vec![
        book_step().with_terms(&["term-vpn", "term-offset", "term-frame", "term-pfn"]),
        real_step(o).with_terms(&["term-page-table", "term-mmu"]),
        scan_step(o),
    ]
}

fn book_step() -> Step {
    let ex = book_example();
    let mut t = Table::with_columns(vec![
        tr!("translate-header-va"),
        tr!("translate-header-vpn"),
        tr!("translate-header-offset"),
        tr!("translate-header-page-table"),
        tr!("translate-header-pa"),
    ]);
    t.row(vec![
        format!("{BOOK_VA:#x}"),
        format!("{:#x}", ex.vpn),
        format!("{:#x}", ex.offset),
        format!("{:#x} → {BOOK_FRAME:#x}", ex.vpn),
        format!("{:#x}", ex.pa),
    ]);
    let narration = tr!(
        "translate-step-book",
        va = format!("{BOOK_VA:#x}"),
        vpn = format!("{:#x}", ex.vpn),
        offset = format!("{:#x}", ex.offset),
        frame = format!("{BOOK_FRAME:#x}"),
        page = format!("{BOOK_PAGE_SIZE:#x}"),
        frame_start = format!("{:#x}", BOOK_FRAME * BOOK_PAGE_SIZE),
        sum = format!("{:#x}", ex.plain_sum),
        pa = format!("{:#x}", ex.pa),
        bits = ex.offset_bits
    );
    Step::show(narration, t)
}

fn real_step(o: &Observation) -> Step {
    let mut t = Table::with_columns(vec![
        String::new(),
        tr!("translate-header-va"),
        tr!("translate-header-vpn"),
        tr!("translate-header-offset"),
        tr!("translate-header-walk"),
        tr!("translate-header-pfn"),
        tr!("translate-header-pa"),
    ]);
    for (name, m) in [("A", &o.a), ("B", &o.b)] {
        let walk: Vec<String> = m
            .walk
            .iter()
            .map(|l| format!("{}[{}]", l.level, l.index))
            .collect();
        let pa = m.page.pfn.map_or_else(
            || tr!("page-hidden"),
            |f| format!("{:#x}", f.0 * o.page_size + o.offset),
        );
        t.row(vec![
            name.into(),
            m.va.hex(),
            format!("{:#x}", m.vpn),
            format!("{:#x}", o.offset),
            walk.join(" "),
            frame_text(&m.page),
            pa,
        ]);
    }
    let narration = tr!(
        "translate-step-real",
        value = format!("{:#x}", o.value),
        offset = format!("{:#x}", o.offset),
        page = format!("{:#x}", o.page_size)
    );
    Step::show(narration, t)
}

fn scan_step(o: &Observation) -> Step {
    Step::say(tr!(
        "translate-step-scan",
        scanned = o.through_b.scanned,
        bytes = bytes_text(&o.through_b.nonzero)
    ))
}

/// `0x234 = 0x5a`, or `none` when the page reads all zero.
fn bytes_text(bytes: &[Byte]) -> String {
    if bytes.is_empty() {
        return tr!("translate-no-bytes");
    }
    let shown: Vec<String> = bytes
        .iter()
        .take(4)
        .map(|b| format!("{:#x} = {:#x}", b.offset, b.value))
        .collect();
    match bytes.len().saturating_sub(4) {
        0 => shown.join(", "),
        more => tr!("list-more", list = shown.join(", "), more = more),
    }
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        book_translates(),
        same_frame(o),
        read_through_b(o),
        offset_kept(o),
    ]
}

/// Theory's arithmetic on the notes' numbers: shown, never counted as the kernel's word.
fn book_translates() -> Claim {
    let ex = book_example();
    claim!(
        "translate-book-example",
        va = format!("{BOOK_VA:#x}"),
        frame = format!("{BOOK_FRAME:#x}")
    )
    .computed(tr!(
        "translate-book-worked",
        vpn = format!("{:#x}", ex.vpn),
        offset = format!("{:#x}", ex.offset),
        frame = format!("{BOOK_FRAME:#x}"),
        page = format!("{BOOK_PAGE_SIZE:#x}"),
        pa = format!("{:#x}", ex.pa)
    ))
}

fn same_frame(o: &Observation) -> Claim {
    let frames = o.a.page.frame().zip(o.b.page.frame());
    claim!("translate-same-frame").on(frames, |(fa, fb)| {
        let seen = tr!(
            "translate-frames-seen",
            vpn_a = format!("{:#x}", o.a.vpn),
            pfn_a = fa.to_string(),
            vpn_b = format!("{:#x}", o.b.vpn),
            pfn_b = fb.to_string()
        );
        (seen, fa == fb)
    })
}

/// B's page as read, or why the record does not hold all of it.
fn scanned(o: &Observation) -> Evidence<&[Byte]> {
    if o.through_b.scanned == o.page_size {
        Evidence::Seen(&o.through_b.nonzero)
    } else {
        Evidence::missing(tr!(
            "translate-scan-incomplete",
            scanned = o.through_b.scanned
        ))
    }
}

fn read_through_b(o: &Observation) -> Claim {
    let offset = format!("{:#x}", o.offset);
    claim!(
        "translate-read-through-b",
        value = format!("{:#x}", o.value),
        offset = offset.clone()
    )
    .on(scanned(o), |bytes| {
        let at = bytes
            .iter()
            .find(|b| b.offset == o.offset)
            .map_or(0, |b| b.value);
        let seen = tr!(
            "translate-read-seen",
            offset = offset.clone(),
            value = format!("{at:#x}")
        );
        (seen, at == o.value)
    })
}

fn offset_kept(o: &Observation) -> Claim {
    claim!("translate-offset-kept", offset = format!("{:#x}", o.offset)).on(scanned(o), |bytes| {
        let holds = bytes.len() == 1 && bytes[0].offset == o.offset;
        let seen = tr!("translate-nonzero-seen", bytes = bytes_text(bytes));
        (seen, holds)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
    use crate::pagemap::PageState;

    fn page(va: u64, pfn: u64) -> Page {
        Page {
            va: VirtAddr(va),
            state: PageState::Present,
            pfn: Some(Pfn(pfn)),
            map_count: Some(2),
            exclusive: false,
            file_or_shared: true,
            flags: None,
        }
    }

    fn mapping(base: u64, pfn: u64) -> Mapping {
        let paging = Paging::new(4096, PagingLevels::Four);
        let va = VirtAddr(base + OFFSET);
        Mapping {
            va,
            vpn: paging.vpn(va),
            walk: paging
                .walk_indices(va)
                .iter()
                .map(|l| WalkStep {
                    level: l.level.into(),
                    index: l.index,
                })
                .collect(),
            page: page(base, pfn),
        }
    }

    /// What a run as root shows when everything goes as theory says.
    fn holding() -> Observation {
        Observation {
            page_size: 4096,
            offset: OFFSET,
            value: VALUE,
            a: mapping(0x7f3a_1c2e_4000, 0x1a2b3),
            b: mapping(0x7f3a_1c2e_3000, 0x1a2b3),
            through_b: Scan {
                scanned: 4096,
                nonzero: vec![Byte {
                    offset: OFFSET,
                    value: VALUE,
                }],
            },
        }
    }

    fn hide_frames(o: &mut Observation) {
        o.a.page.pfn = None;
        o.b.page.pfn = None;
    }

    fn half_scanned(o: &mut Observation) {
        o.through_b.scanned = 2048;
    }

    pub(crate) fn claim_tests() -> ClaimTests {
        claims_of(judge, holding())
            .computed("translate-book-example")
            .case(
                "translate-same-frame",
                |o| o.b.page.pfn = Some(Pfn(0x1a2b4)),
                hide_frames,
            )
            .case(
                "translate-read-through-b",
                |o| o.through_b.nonzero.clear(),
                half_scanned,
            )
            .case(
                "translate-offset-kept",
                |o| o.through_b.nonzero[0].offset = 0x34,
                half_scanned,
            )
            .done()
    }

    #[test]
    fn every_claim_can_fail_and_can_lack_evidence() {
        assert_contract("translate", &claim_tests());
    }

    #[test]
    fn the_record_reads_back_from_json() {
        let o = holding();
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    }

    #[test]
    fn the_book_example_shifts_the_frame_by_the_offset_bits() {
        let ex = book_example();
        assert_eq!((ex.vpn, ex.offset, ex.offset_bits), (0x1, 0x234, 12));
        assert_eq!(ex.pa, 0x2234);
        assert_eq!(ex.plain_sum, 0x236);
        let claims = judge(&holding());
        assert!(claims[0].kernel.contains("0x2234"), "{}", claims[0].kernel);
    }

    #[test]
    fn narration_says_what_the_notes_wrote_and_why_it_is_0x2234() {
        let steps = narrate(&holding());
        let book = &steps[0].narration;
        for needle in ["0x236", "0x2 × 0x1000", "0x2234", "12"] {
            assert!(book.contains(needle), "{needle}: {book}");
        }
        let pa = &steps[1].table.as_ref().unwrap().rows[0][6];
        assert_eq!(pa, &format!("{:#x}", 0x1a2b3u64 * 4096 + OFFSET));
    }
}
