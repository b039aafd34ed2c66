//! The huge-page measurement: one write to a fresh 2 MiB-aligned MADV_HUGEPAGE region.

use memmap2::{Advice, MmapOptions};
use serde::{Deserialize, Serialize};

use super::map_err;
use super::touch::{Touch, write_each};
use crate::addr::{Pfn, VirtAddr};
use crate::demos::hugepages::thp::{self, Mapped, ThpFaults};
use crate::demos::page::frames;
use crate::demos::{Lab, usage_at};
use crate::error::Result;
use crate::experiment::Evidence;

/// One write to a fresh huge-page-sized region, and what the kernel made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HugeRun {
    /// The region's first address, 2 MiB-aligned.
    pub va: VirtAddr,
    /// Why madvise(MADV_HUGEPAGE) failed, if it did (a kernel without THP).
    pub madvise_error: Option<String>,
    pub touch: Touch,
    /// How much the machine's THP fault counters grew around the write.
    pub thp_faults: Evidence<ThpFaults>,
    /// Pages of the region present after the write (pagemap).
    pub present: u64,
    /// How its pages are mapped (PAGEMAP_SCAN).
    pub mapping: Evidence<Vec<Mapped>>,
    /// smaps AnonHugePages of the region, bytes.
    pub anon_huge: u64,
    /// The region's frames, as runs of consecutive PFNs (root).
    pub frames: Evidence<Vec<PfnRun>>,
}

/// `count` consecutive frames from `first`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PfnRun {
    pub first: Pfn,
    pub count: u64,
}

/// Frames as runs of consecutive PFNs: one huge frame is a single run.
pub fn runs_of(pfns: &[Pfn]) -> Vec<PfnRun> {
    let mut runs: Vec<PfnRun> = Vec::new();
    for &p in pfns {
        match runs.last_mut() {
            Some(r) if r.first.0 + r.count == p.0 => r.count += 1,
            _ => runs.push(PfnRun { first: p, count: 1 }),
        }
    }
    runs
}

/// Maps twice `huge` bytes, advises the aligned `huge` inside MADV_HUGEPAGE, writes one
/// byte at its start (timed), and looks.
pub fn huge_run(lab: &Lab, huge: u64, ps: u64) -> Result<HugeRun> {
    let mut mem = MmapOptions::new()
        .len((2 * huge) as usize)
        .map_anon()
        .map_err(map_err("mmap"))?;
    let base = mem.as_ptr() as u64;
    let offset = (base.next_multiple_of(huge) - base) as usize;
    let madvise_error = mem
        .advise_range(Advice::HugePage, offset, huge as usize)
        .err()
        .map(|e| e.to_string());
    let before = thp::fault_counters();
    let touch = write_each(&mut mem[offset..offset + huge as usize], 1, ps, 1);
    let thp_faults = thp::counted(before, thp::fault_counters());
    let va = base + offset as u64;
    let me = std::process::id() as i32;
    let pages = lab.snapshot(me, va, (huge / ps) as usize)?;
    Ok(HugeRun {
        va: VirtAddr(va),
        madvise_error,
        touch,
        thp_faults,
        present: pages.iter().filter(|p| p.present()).count() as u64,
        mapping: thp::mapping(me, va, huge)?,
        anon_huge: usage_at(me, va)?.anon_huge,
        frames: frames(&pages).map(|f| runs_of(&f)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_frames_make_one_run() {
        let pfns: Vec<Pfn> = [5, 6, 7, 9, 10].map(Pfn).to_vec();
        assert_eq!(
            runs_of(&pfns),
            [
                PfnRun {
                    first: Pfn(5),
                    count: 3
                },
                PfnRun {
                    first: Pfn(9),
                    count: 2
                }
            ]
        );
        assert!(runs_of(&[]).is_empty());
    }
}
