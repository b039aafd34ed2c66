//! vm-zeropage: the zero page: many pages, one frame.
//!
//! Theory: fresh anonymous memory must read as zeros. A page that is only ever read
//! needs no frame of its own: the kernel keeps one frame full of zeros (the *zero page*)
//! and, on a read fault, maps it read-only into the page table. Any number of pages, in
//! any number of processes, can point at that one frame. The first *write* to such a
//! page faults again: now the kernel allocates a frame, zeroes it and maps it writable:
//! the page gets its own frame, like copy-on-write with the zero page as the original.
//!
//! The kernel does not even count the zero page's mappings. A read fault maps it with
//! a "special" page-table entry (`do_anonymous_page` in mm/memory.c), and for special
//! entries `vm_normal_page()` returns no `struct page`: the mapping is never added to
//! the page's reverse map, so its map count (what `/proc/kpagecount` reports, see
//! `kpagecount_read` in fs/proc/page.c) stays 0. The zero page is never freed, so no
//! count is needed to know when to free it.
//!
//! What we do, all in this process:
//! 1. map 64 private anonymous pages and read each, counting our page faults; look at
//!    the pagemap, the frame's kpageflags and kpagecount, the region's smaps `Rss`,
//!    and the kernel's own word through PAGEMAP_SCAN (category PFNZERO, Linux 6.7+)
//!    (`read_pages`);
//! 2. for comparison, map one ordinary page (of a memfd) at 64 addresses and read its
//!    map count after 1 and after 64 mappings (`ordinary_frame`);
//! 3. write to a few of the 64 pages and look again (`write_pages`).

mod claims;
mod narration;
#[cfg(test)]
pub(crate) mod tests;

use std::fs::File;

use memmap2::MmapMut;
use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

use super::demand::region_rss;
use super::mem::AnonMap;
use super::page::Page;
use super::{Lab, read_pages_counting_faults, write_pages_counting_faults};
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Evidence, Experiment};
use crate::pagemap::Pagemap;
use crate::tr;

pub use claims::judge;
pub use narration::narrate;

/// Pages mapped and read; also how many times the ordinary frame is mapped.
const PAGES: u64 = 64;
/// The pages then written (indices).
const WRITTEN: [u64; 4] = [0, 5, 17, 42];

/// Everything vm-zeropage saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub page_size: u64,
    pub va: VirtAddr,
    pub pages: u64,
    pub written: Vec<u64>,
    /// Whether MADV_NOHUGEPAGE was accepted (else a read could map the huge zero page).
    pub nohugepage: bool,
    pub read: ReadStep,
    pub ordinary: OrdinaryFrame,
    pub write: WriteStep,
}

/// Minor page faults of one round of accesses (getrusage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// The first access to each page of the round.
    pub first: u64,
    /// The same accesses again, at once.
    pub again: u64,
    /// The same code just before, on pages already ours and present: it should take
    /// no fault, and if it does, something else was faulting meanwhile and the
    /// counts cannot be trusted.
    pub control: u64,
}

/// Step 1: every page read once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadStep {
    /// smaps Rss of the region before any access.
    pub rss_before: Evidence<u64>,
    pub faults: Faults,
    /// Page 0 right after it alone was read: the zero page mapped once by us.
    pub first_alone: Page,
    /// Every page after all were read.
    pub pages: Vec<Page>,
    pub rss_after: Evidence<u64>,
    /// For each page, whether PAGEMAP_SCAN says it maps the zero page.
    pub pfnzero: Evidence<Vec<bool>>,
}

/// Step 2: one page of a memfd, mapped MAP_SHARED at `PAGES` addresses of this
/// process: an ordinary frame, whose map count the kernel keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrdinaryFrame {
    pub mappings: u64,
    /// Its first mapping, once it alone was touched.
    pub after_one: Page,
    /// The same, once every mapping was touched.
    pub after_all: Page,
}

/// Step 3: the pages of `WRITTEN` written once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WriteStep {
    pub faults: Faults,
    pub pages: Vec<Page>,
    pub rss: Evidence<u64>,
    pub pfnzero: Evidence<Vec<bool>>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("zeropage", tr!("zeropage-title"), tr!("zeropage-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Maps the pages, reads them, maps an ordinary frame many times, writes a few pages.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let len = PAGES * ps;
    let region = anon(len)?;
    // Huge pages off for this region: a read of a huge-page region maps the *huge* zero
    // page instead (vm-hugepages); here we want the base-page case.
    let nohugepage = region
        .advise(region.addr(), len, MmapAdvise::MADV_NOHUGEPAGE)
        .is_ok();
    let scratch = Scratch::new(ps)?;
    let read = read_pages(lab, &region, &scratch)?;
    // The memfd stays mapped until the end: freed earlier, its frame could be
    // reused by the very next write, and show up again in step 3.
    let (ordinary, _memfd_maps) = ordinary_frame(lab)?;
    let write = write_pages(lab, &region, &scratch)?;
    Ok(Observation {
        page_size: ps,
        va: VirtAddr(region.addr()),
        pages: PAGES,
        written: WRITTEN.to_vec(),
        nohugepage,
        read,
        ordinary,
        write,
    })
}

fn anon(len: u64) -> Result<AnonMap> {
    AnonMap::new(len, MapFlags::empty())
        .map_err(|e| Error::Child(format!("mmap of {len} bytes: {e}")))
}

/// Pages of our own, written before anything is measured, for the control rounds.
struct Scratch {
    map: AnonMap,
    all: Vec<u64>,
    ps: u64,
}

impl Scratch {
    /// Maps the scratch pages and runs every measuring function once on them, so that
    /// the code's own first-run faults (its text, its stack) land here, not in a count.
    fn new(ps: u64) -> Result<Scratch> {
        let s = Scratch {
            map: anon(PAGES * ps)?,
            all: (0..PAGES).collect(),
            ps,
        };
        write_pages_counting_faults(s.addr(), &s.all, ps);
        read_pages_counting_faults(s.addr(), &s.all, ps);
        s.control_writes();
        Ok(s)
    }

    fn addr(&self) -> usize {
        self.map.addr() as usize
    }

    /// Faults of reading pages already present: 0 unless disturbed.
    fn control_reads(&self) -> u64 {
        read_pages_counting_faults(self.addr(), &self.all, self.ps)
    }

    /// Faults of writing pages already ours: 0 unless disturbed.
    fn control_writes(&self) -> u64 {
        write_pages_counting_faults(self.addr(), &WRITTEN, self.ps)
    }
}

/// Step 1: read page 0 alone and look at it, then the 63 others, then all again.
fn read_pages(lab: &Lab, region: &AnonMap, scratch: &Scratch) -> Result<ReadStep> {
    let (me, va, ps) = (std::process::id() as i32, region.addr(), lab.page_size());
    let base = va as usize;
    let all: Vec<u64> = (0..PAGES).collect();
    let rss_before = region_rss(me, va, PAGES * ps);
    let control = scratch.control_reads();
    let first = read_pages_counting_faults(base, &all[..1], ps);
    let first_alone = one_page(lab, va)?;
    let rest = read_pages_counting_faults(base, &all[1..], ps);
    let again = read_pages_counting_faults(base, &all, ps);
    Ok(ReadStep {
        rss_before,
        faults: Faults {
            first: first + rest,
            again,
            control,
        },
        first_alone,
        pages: lab.snapshot(me, va, PAGES as usize)?,
        rss_after: region_rss(me, va, PAGES * ps),
        pfnzero: pfnzero_pages(va, ps),
    })
}

/// Step 2: one memfd page mapped MAP_SHARED `PAGES` times; its map count after the
/// first mapping is touched, and after all are. Also the mappings, to keep.
fn ordinary_frame(lab: &Lab) -> Result<(OrdinaryFrame, Vec<MmapMut>)> {
    let ps = lab.page_size();
    let file = memfd(ps)?;
    let mut maps = Vec::with_capacity(PAGES as usize);
    for _ in 0..PAGES {
        // SAFETY: the memfd is ours alone; nothing truncates it while it is mapped.
        let map = unsafe { memmap2::MmapOptions::new().len(ps as usize).map_mut(&file) }
            .map_err(|e| Error::Child(format!("mmap of the memfd: {e}")))?;
        maps.push(map);
    }
    // The first write creates the page (in the memfd's page cache) and maps it once.
    maps[0][0] = 1;
    let first_va = maps[0].as_ptr() as u64;
    let after_one = one_page(lab, first_va)?;
    // A read through each other mapping maps the same frame there too.
    let sum = maps[1..].iter().fold(0u8, |s, m: &MmapMut| {
        s.wrapping_add(std::hint::black_box(m[0]))
    });
    std::hint::black_box(sum);
    let frame = OrdinaryFrame {
        mappings: maps.len() as u64,
        after_one,
        after_all: one_page(lab, first_va)?,
    };
    Ok((frame, maps))
}

fn memfd(len: u64) -> Result<File> {
    let fd =
        nix::sys::memfd::memfd_create("vmlab-zeropage", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)
            .map_err(|e| Error::Child(format!("memfd_create: {e}")))?;
    let file = File::from(fd);
    file.set_len(len)
        .map_err(|e| Error::Child(format!("memfd of {len} bytes: {e}")))?;
    Ok(file)
}

/// Step 3: write the pages of `WRITTEN`, then again.
fn write_pages(lab: &Lab, region: &AnonMap, scratch: &Scratch) -> Result<WriteStep> {
    let (me, va, ps) = (std::process::id() as i32, region.addr(), lab.page_size());
    let control = scratch.control_writes();
    let first = write_pages_counting_faults(va as usize, &WRITTEN, ps);
    let again = write_pages_counting_faults(va as usize, &WRITTEN, ps);
    Ok(WriteStep {
        faults: Faults {
            first,
            again,
            control,
        },
        pages: lab.snapshot(me, va, PAGES as usize)?,
        rss: region_rss(me, va, PAGES * ps),
        pfnzero: pfnzero_pages(va, ps),
    })
}

/// This process's page at `va`, now.
fn one_page(lab: &Lab, va: u64) -> Result<Page> {
    let me = std::process::id() as i32;
    lab.snapshot(me, va, 1)?
        .pop()
        .ok_or_else(|| Error::Child(format!("no pagemap entry for {va:#x}")))
}

/// For each of the `PAGES` pages at `va` of this process: does PAGEMAP_SCAN say it
/// maps the zero page? Missing, with the reason, when this kernel has no PAGEMAP_SCAN.
fn pfnzero_pages(va: u64, ps: u64) -> Evidence<Vec<bool>> {
    use crate::pagemap::scan::{Masks, PAGE_IS_PFNZERO, PAGE_IS_PRESENT, pages_with};
    let masks = Masks {
        any_of: PAGE_IS_PRESENT | PAGE_IS_PFNZERO,
        returned: PAGE_IS_PRESENT | PAGE_IS_PFNZERO,
        ..Masks::default()
    };
    match Pagemap::open(std::process::id() as i32)
        .and_then(|pm| pm.page_regions(va, va + PAGES * ps, masks))
    {
        Ok(regions) => Evidence::Seen(pages_with(
            &regions,
            va,
            PAGES as usize,
            ps,
            PAGE_IS_PFNZERO,
        )),
        Err(e) => Evidence::missing(tr!("zeropage-no-scan", error = e.to_string())),
    }
}
