//! vm-dirty: the dirty and accessed bits of a page-table entry.
//!
//! Theory: besides the frame number and the protection bits, each page-table entry has
//! two bits the MMU sets by itself. The *accessed* (referenced) bit is set when the MMU
//! walks the page table to load the page's translation into the TLB; an access that
//! finds the translation already in the TLB sets nothing. The OS clears the bits now and
//! then and looks which pages were used since, to choose what to evict. The *dirty* bit
//! is set on the first write through the entry; a dirty page of a file must be written
//! back before its frame can be reused, a clean one can just be dropped.
//!
//! Linux does not show the bits themselves, but it shows what it does with them:
//! - smaps `Private_Dirty` / `Shared_Dirty` count the pages of a region whose entry (or
//!   frame) is dirty, and `Referenced` those accessed since `clear_refs` was last
//!   written with 1 (which clears the accessed bits);
//! - kpageflags `DIRTY` marks a page-cache frame the kernel still has to write back;
//!   `msync(MS_SYNC)` writes it and clears the flag (and the entry's dirty bit);
//! - where the kernel has them, soft-dirty (pagemap bit 55, reset by clear_refs 4) and
//!   PAGEMAP_SCAN's `PAGE_IS_WRITTEN` (userfaultfd asynchronous write-protect) tell which
//!   pages were written, one by one.
//!
//! What we do, one part per file: (a) [`private`]: write some private pages and only
//! read others, each page in a region of its own so that smaps speaks of each page;
//! (b) [`file`](mod@file): write one page of a file mapped MAP_SHARED and watch its
//! frame go DIRTY and come back clean after msync; (c) [`accessed`]: clear the accessed
//! bits, flush the TLB, touch a few pages and count the referenced ones; (d)
//! [`soft_dirty`] and (e) [`scan`]: the per-page written-bit trackers, where this
//! kernel has them. Each table shows the region's protection bits beside each page.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the record
//! alone.

pub mod accessed;
pub mod file;
pub mod private;
pub mod scan;
pub mod soft_dirty;
mod uffd;

use std::io::Write;

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::Lab;
use super::page::Page;
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Experiment, Step};
use crate::pagemap::{PageEntry, Pagemap};
use crate::space::AddressSpace;
use crate::tr;

/// Pages in each experiment's region.
pub const PAGES: usize = 8;
/// The pages of (a), (d) and (e) that are written; the others are only read.
pub const WRITTEN: [usize; 3] = [0, 3, 5];
/// The pages of (c) touched after the accessed bits are cleared.
pub const TOUCHED: [usize; 3] = [1, 2, 6];

/// Everything vm-dirty saw, one part per experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub page_size: u64,
    /// (a) Private pages, written or only read.
    pub private: private::Private,
    /// (b) A shared file page written, msync'd, written again; missing when there is
    /// no disk-backed directory to put the file in.
    pub file: Evidence<file::SharedFile>,
    /// (c) Accessed bits cleared, then some pages touched; missing when clear_refs
    /// cannot be written.
    pub accessed: Evidence<accessed::Accessed>,
    /// (d) Soft-dirty bits after clear_refs 4 and some writes.
    pub soft_dirty: soft_dirty::SoftDirty,
    /// (e) PAGEMAP_SCAN's written bits under userfaultfd write-protection; missing
    /// when the kernel refuses the userfaultfd.
    pub scan: Evidence<scan::Scan>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("dirty", tr!("dirty-title"), tr!("dirty-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// The five experiments, in order.
pub fn gather(lab: &Lab) -> Result<Observation> {
    Ok(Observation {
        page_size: lab.page_size(),
        private: private::gather(lab)?,
        file: file::gather(lab)?,
        accessed: accessed::gather(lab)?,
        soft_dirty: soft_dirty::gather(lab)?,
        scan: scan::gather(lab)?,
    })
}

/// The handout's steps, from the record: one per experiment that could be done, or
/// the reason it could not.
pub fn narrate(o: &Observation) -> Vec<Step> {
    vec![
        private::narrate(&o.private).with_terms(&["term-dirty-bit"]),
        part_step("b", &o.file, file::narrate).with_terms(&["term-page-cache", "term-folio"]),
        part_step("c", &o.accessed, accessed::narrate).with_terms(&["term-accessed-bit"]),
        soft_dirty::narrate(&o.soft_dirty),
        part_step("e", &o.scan, scan::narrate),
    ]
}

/// A part's step, or what stopped it.
fn part_step<T>(part: &str, evidence: &Evidence<T>, narrate: impl FnOnce(&T) -> Step) -> Step {
    match evidence {
        Evidence::Seen(seen) => narrate(seen),
        Evidence::Missing(m) => Step::say(tr!(
            "dirty-step-not-done",
            part = part,
            reason = m.missing.as_str()
        )),
    }
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let mut claims = private::judge(&o.private, o.page_size);
    claims.extend(file::judge(&o.file, o.page_size));
    claims.extend(accessed::judge(&o.accessed, o.page_size));
    claims.push(soft_dirty::judge(&o.soft_dirty));
    claims.extend(scan::judge(&o.scan));
    claims
}

fn me() -> i32 {
    std::process::id() as i32
}

/// What smaps said of one region, in bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Smaps {
    /// The region's protection bits (`rw-p`).
    pub perms: String,
    pub rss: u64,
    pub private_dirty: u64,
    pub shared_dirty: u64,
    pub referenced: u64,
}

impl Smaps {
    /// Dirty bytes, private and shared.
    pub fn dirty(&self) -> u64 {
        self.private_dirty + self.shared_dirty
    }

    fn of(r: &crate::space::Region) -> Option<Smaps> {
        let u = r.usage?;
        Some(Smaps {
            perms: r.perms.to_string(),
            rss: u.rss,
            private_dirty: u.private_dirty,
            shared_dirty: u.shared_dirty,
            referenced: u.referenced,
        })
    }
}

/// The smaps record of the region that holds `va`, read now.
fn region_smaps(va: u64) -> Evidence<Smaps> {
    let found = super::region_at(me(), va).ok().and_then(|r| Smaps::of(&r));
    Evidence::from_option(found, || {
        tr!("dirty-smaps-unreadable", va = VirtAddr(va).hex())
    })
}

/// The smaps record of each of `pages` pages from `va`, each a region of its own
/// (see [`one_region_per_page`]), read now in one pass.
fn per_page_smaps(va: u64, pages: usize, ps: u64) -> Evidence<Vec<Smaps>> {
    let Ok(space) = AddressSpace::read(me()) else {
        return Evidence::missing(tr!("dirty-smaps-unreadable", va = VirtAddr(va).hex()));
    };
    let mut out = Vec::with_capacity(pages);
    for i in 0..pages as u64 {
        let at = va + i * ps;
        let Some(r) = space.find(VirtAddr(at)) else {
            return Evidence::missing(tr!("dirty-smaps-unreadable", va = VirtAddr(at).hex()));
        };
        if r.start.0 != at || r.size() != ps {
            return Evidence::missing(tr!("dirty-regions-merged", va = VirtAddr(at).hex()));
        }
        match Smaps::of(r) {
            Some(s) => out.push(s),
            None => {
                return Evidence::missing(tr!("dirty-smaps-unreadable", va = VirtAddr(at).hex()));
            }
        }
    }
    Evidence::Seen(out)
}

/// One pagemap bit ([`PageEntry::soft_dirty`], [`PageEntry::uffd_wp`]) of each of
/// `pages` pages from `va`, read now.
fn pagemap_bits(va: u64, pages: usize, ps: u64, bit: fn(PageEntry) -> bool) -> Evidence<Vec<bool>> {
    let mut entries = vec![PageEntry(0); pages];
    match Pagemap::open(me()).and_then(|pm| pm.read(va / ps, &mut entries)) {
        Ok(n) if n == pages => Evidence::Seen(entries.into_iter().map(bit).collect()),
        _ => Evidence::missing(tr!("dirty-pagemap-unreadable", va = VirtAddr(va).hex())),
    }
}

/// `PAGES` private anonymous pages, each in a region (VMA) of its own, so that smaps
/// reports on every page separately. Neighbouring regions only merge when their flags
/// are equal, so every other page is marked MADV_DONTDUMP (left out of core dumps: a
/// flag with no effect on paging).
fn one_region_per_page(ps: usize) -> Result<MmapMut> {
    let mut mem = MmapMut::map_anon(PAGES * ps).map_err(err("mmap"))?;
    for p in (1..PAGES).step_by(2) {
        // SAFETY: advice on one page of a mapping we own; it changes no memory.
        let rc =
            unsafe { libc::madvise(mem.as_mut_ptr().add(p * ps).cast(), ps, libc::MADV_DONTDUMP) };
        if rc != 0 {
            return Err(err("madvise(MADV_DONTDUMP)")(
                std::io::Error::last_os_error(),
            ));
        }
    }
    Ok(mem)
}

/// Writes `clear_refs` of this process: `1` clears the accessed bits, `4` the
/// soft-dirty bits. Err: why the kernel would not, as a reason for the claims.
fn clear_refs(what: &str) -> std::result::Result<(), String> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
        .and_then(|mut f| f.write_all(what.as_bytes()))
        .map_err(|e| {
            tr!(
                "dirty-clear-refs-failed",
                value = what,
                error = e.to_string()
            )
        })
}

fn err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

/// For each of the `PAGES` pages: is it in `set`?
fn marks(set: &[usize]) -> Vec<bool> {
    (0..PAGES).map(|p| set.contains(&p)).collect()
}

/// Bits as a string of digits, page 0 first: `10010100`.
fn bits(v: &[bool]) -> String {
    v.iter().map(|&b| if b { '1' } else { '0' }).collect()
}

/// `4 kB`, as smaps prints it.
fn kib(bytes: u64) -> String {
    format!("{} kB", bytes / 1024)
}

/// Per-page sizes in kB: `4,0,0,4 kB`.
fn kib_list(values: impl IntoIterator<Item = u64>) -> String {
    let v: Vec<String> = values.into_iter().map(|b| (b / 1024).to_string()).collect();
    format!("{} kB", v.join(","))
}

/// The frame's kpageflags in lower case, or nothing when hidden.
fn flags_text(p: &Page) -> String {
    p.flags
        .map_or(String::new(), |f| f.names().join(" ").to_lowercase())
}

/// A list of page indices as the handout prints it: `[0, 3, 5]`.
fn page_list(set: &[usize]) -> String {
    format!("{set:?}")
}

#[cfg(test)]
pub(crate) mod tests;
