//! vm-hugepages: huge pages: 512 pages in one.
//!
//! Theory: on x86-64 the entry of the second-lowest table (the PD, each entry covering
//! 2 MiB) can point straight at a 2 MiB frame instead of at a page table. The walk then
//! stops one level early and the low 21 bits of the address are the offset in the huge
//! frame. Linux uses this for anonymous memory as *transparent* huge pages (THP): in a
//! 2 MiB-aligned region it is allowed to (always, or after madvise(MADV_HUGEPAGE)), the
//! first fault allocates a whole, naturally aligned 2 MiB frame and maps it with one PD
//! entry, so one fault makes 512 pages present where 4 KiB pages would take 512 faults.
//!
//! What we do: read the THP settings (never assumed: `always`, `madvise` or `never`,
//! and how hard a fault may try, `defrag`); map a 2 MiB-aligned region,
//! madvise(MADV_HUGEPAGE) it, write one byte, and count the faults. Then look at each of
//! its 512 pages: pagemap (present, PFN), PAGEMAP_SCAN (is it mapped by a huge PD
//! entry? unprivileged), kpageflags (THP, COMPOUND_HEAD / COMPOUND_TAIL) and smaps
//! (AnonHugePages). The kernel's fault counters (/proc/vmstat) say whether it tried a
//! huge page and fell back, which is not theory failing but memory being fragmented.
//! For contrast, a second 2 MiB region with MADV_NOHUGEPAGE is written page by page.
//!
//! [`gather`] does it and fills an [`Observation`]; [`narrate`] tells it; [`judge`]
//! decides each claim from the record alone.

mod judge;
mod narrate;
pub mod thp;

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

pub use judge::judge;
pub use narrate::narrate;

use super::mem::AnonMap;
use super::page::Page;
use super::{Lab, exact_size, minor_faults, prefault_stack, status_bytes, usage_at};
use crate::addr::{Pfn, VirtAddr};
use crate::error::{Error, Result};
use crate::experiment::{Evidence, Experiment};
use crate::tr;
use thp::{Mapped, ThpFaults, ThpSettings};

/// The byte written to the regions.
const BYTE: u8 = 0x7f;

/// Everything vm-hugepages saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub page_size: u64,
    /// The THP settings, read before anything was mapped.
    pub thp: ThpSettings,
    /// The size the demo took for a huge page: `hpage_pmd_size`, or where the kernel
    /// does not say, what a PD entry covers (a table page of 8-byte entries, each
    /// mapping a page).
    pub huge_size: u64,
    /// Faults of the counting code itself, run once on a present page (0: the counts
    /// below are the writes' alone).
    pub warmup_faults: u64,
    /// The MADV_HUGEPAGE region, after one write.
    pub huge: HugeRegion,
    /// The MADV_NOHUGEPAGE region, written page by page.
    pub small: SmallRegion,
    /// The walk of the first address of each region, level by level.
    pub walk: Vec<WalkLevel>,
    pub page_shift: u32,
}

/// The MADV_HUGEPAGE region and what one write to it did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HugeRegion {
    pub va: VirtAddr,
    /// Why madvise(MADV_HUGEPAGE) failed, if it did (a kernel without THP).
    pub madvise_error: Option<String>,
    /// Minor faults of the one write (getrusage).
    pub faults: u64,
    /// How much the machine's THP fault counters grew around the write.
    pub thp_faults: Evidence<ThpFaults>,
    /// Every page of the region after the write (pagemap, kpageflags, kpagecount).
    pub pages: Vec<Page>,
    /// The frames read again after everything else: compaction or khugepaged may have
    /// moved the page in between.
    pub frames_again: Vec<Option<Pfn>>,
    /// How each page is mapped (PAGEMAP_SCAN).
    pub mapping: Evidence<Vec<Mapped>>,
    /// smaps `AnonHugePages` of the region, bytes.
    pub anon_huge: u64,
    /// `VmPTE` of /proc/self/status before and after the write, bytes.
    pub vmpte_before: u64,
    pub vmpte_after: u64,
}

/// The MADV_NOHUGEPAGE region, written one page after another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmallRegion {
    pub va: VirtAddr,
    /// Why madvise(MADV_NOHUGEPAGE) failed, if it did (it does on a kernel without THP,
    /// where 4 KiB pages are all there is anyway).
    pub madvise_error: Option<String>,
    /// Faults of the write to the first page, and pages present after it.
    pub first_faults: u64,
    pub present_after_one: usize,
    /// Faults of the writes to all the other pages, and pages present after them.
    pub rest_faults: u64,
    pub present_after_all: usize,
    /// How each page is mapped after all the writes (PAGEMAP_SCAN).
    pub mapping: Evidence<Vec<Mapped>>,
    pub anon_huge: u64,
    /// Pages the kernel moved machine-wide while we wrote (/proc/vmstat): a page being
    /// moved faults when touched, which would add faults that are no demand faults.
    pub migrated: Evidence<u64>,
}

/// One level of the page-table walk, for an address of each region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkLevel {
    pub level: String,
    pub high_bit: u32,
    pub low_bit: u32,
    /// The entry the 4 KiB region's first address selects at this level.
    pub small_index: u64,
    /// The entry the huge region's first address selects.
    pub huge_index: u64,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("hugepages", tr!("hugepages-title"), tr!("hugepages-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Reads the settings, writes the 4 KiB region page by page, then the huge one once.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let thp = ThpSettings::read();
    let huge_size = thp.pmd_size.unwrap_or(ps / 8 * ps);
    let warmup_faults = warm_up(huge_size, ps)?;
    // Both regions stay mapped to the end, so that they have different addresses.
    let (small_map, small) = write_small_pages(lab, huge_size, ps)?;
    let (huge_map, huge) = write_huge_page(lab, huge_size, ps)?;
    let walk = walk(lab, huge.va, small.va);
    drop((small_map, huge_map));
    Ok(Observation {
        page_size: ps,
        thp,
        huge_size,
        warmup_faults,
        huge,
        small,
        walk,
        page_shift: lab.inspector.paging.page_shift,
    })
}

/// Runs the counting code once on a page that is already present, so that its own
/// first-run faults (code, stack) are not counted later; returns what it counted.
fn warm_up(huge: u64, ps: u64) -> Result<u64> {
    prefault_stack();
    let (scratch, va) = map_aligned(huge, ps)?;
    scratch.touch(va, 1);
    Ok(write_counting_faults(&scratch, va, 1, ps))
}

/// The contrast: a region that may not have huge pages, written one page, then the
/// rest.
fn write_small_pages(lab: &Lab, huge: u64, ps: u64) -> Result<(AnonMap, SmallRegion)> {
    let me = std::process::id() as i32;
    let n = (huge / ps) as usize;
    let (map, va) = map_aligned(huge, ps)?;
    let madvise_error = map
        .advise(va, huge, MmapAdvise::MADV_NOHUGEPAGE)
        .err()
        .map(|e| e.to_string());
    let moved_before = thp::migrations();
    let first_faults = write_counting_faults(&map, va, 1, ps);
    let present_after_one = present(&lab.snapshot(me, va, n)?);
    let rest_faults = write_counting_faults(&map, va + ps, n - 1, ps);
    let present_after_all = present(&lab.snapshot(me, va, n)?);
    let migrated = thp::migrated(moved_before, thp::migrations());
    let small = SmallRegion {
        va: VirtAddr(va),
        madvise_error,
        first_faults,
        present_after_one,
        rest_faults,
        present_after_all,
        mapping: thp::mapping(me, va, huge)?,
        anon_huge: usage_at(me, va)?.anon_huge,
        migrated,
    };
    Ok((map, small))
}

/// The huge page: a MADV_HUGEPAGE region written once, then every page looked at.
fn write_huge_page(lab: &Lab, huge: u64, ps: u64) -> Result<(AnonMap, HugeRegion)> {
    let me = std::process::id() as i32;
    let n = (huge / ps) as usize;
    let (map, va) = map_aligned(huge, ps)?;
    let madvise_error = map
        .advise(va, huge, MmapAdvise::MADV_HUGEPAGE)
        .err()
        .map(|e| e.to_string());
    let vmpte_before = status_bytes(me, "VmPTE")?;
    let counters_before = thp::fault_counters();
    let faults = write_counting_faults(&map, va, 1, ps);
    let thp_faults = thp::counted(counters_before, thp::fault_counters());
    let vmpte_after = status_bytes(me, "VmPTE")?;
    let pages = lab.snapshot(me, va, n)?;
    let mapping = thp::mapping(me, va, huge)?;
    let anon_huge = usage_at(me, va)?.anon_huge;
    let frames_again = lab.snapshot(me, va, n)?.iter().map(|p| p.pfn).collect();
    let region = HugeRegion {
        va: VirtAddr(va),
        madvise_error,
        faults,
        thp_faults,
        pages,
        frames_again,
        mapping,
        anon_huge,
        vmpte_before,
        vmpte_after,
    };
    Ok((map, region))
}

/// The walk of `huge_va` and `small_va`, level by level, as the MMU indexes them.
fn walk(lab: &Lab, huge_va: VirtAddr, small_va: VirtAddr) -> Vec<WalkLevel> {
    let paging = &lab.inspector.paging;
    let small = paging.walk_indices(small_va);
    let big = paging.walk_indices(huge_va);
    small
        .iter()
        .zip(&big)
        .map(|(s, h)| WalkLevel {
            level: s.level.to_string(),
            high_bit: s.high_bit,
            low_bit: s.low_bit,
            small_index: s.index,
            huge_index: h.index,
        })
        .collect()
}

/// Maps `2 * huge` bytes and returns the mapping with the first `huge`-aligned address
/// inside it (a whole `huge` region fits after it).
fn map_aligned(huge: u64, page: u64) -> Result<(AnonMap, u64)> {
    if !huge.is_power_of_two() || huge < page {
        return Err(Error::Child(format!("odd huge-page size {huge}")));
    }
    let map = AnonMap::new(2 * huge, MapFlags::empty())
        .map_err(|err| Error::Child(format!("mmap of {}: {err}", exact_size(2 * huge))))?;
    let aligned = map.addr().next_multiple_of(huge);
    Ok((map, aligned))
}

/// Writes one byte to each of `count` pages from `start` and returns the minor faults
/// that took. Not inlined, so that the warm-up and the measured runs execute the same
/// code.
#[inline(never)]
fn write_counting_faults(map: &AnonMap, start: u64, count: usize, page: u64) -> u64 {
    let before = minor_faults();
    for i in 0..count as u64 {
        map.touch(start + i * page, BYTE);
    }
    minor_faults().saturating_sub(before)
}

fn present(pages: &[Page]) -> usize {
    pages.iter().filter(|p| p.present()).count()
}

#[cfg(test)]
pub(crate) mod tests;
