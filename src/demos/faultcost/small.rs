//! The 4 KiB measurements: demand faults on fresh pages, the same pages present, and
//! MAP_POPULATE.

use std::time::Instant;

use memmap2::{Advice, MmapOptions};
use serde::{Deserialize, Serialize};

use super::touch::{Touch, write_each};
use super::{PAGES, WARM_PASSES, map_err};
use crate::demos::Lab;
use crate::demos::hugepages::thp;
use crate::error::Result;
use crate::experiment::Evidence;
use crate::pagemap::Pagemap;

/// One run of the 4 KiB measurements on fresh pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmallRun {
    /// Why madvise(MADV_NOHUGEPAGE) failed, if it did (on a kernel without THP, where
    /// 4 KiB pages are all there is anyway).
    pub madvise_error: Option<String>,
    /// The first write to each page: one demand fault each.
    pub demand: Touch,
    /// The first write after the faults, with no warm-up: since each page's line was
    /// last touched, the kernel has zeroed the later pages (4 MiB in all).
    pub cold: Touch,
    /// `WARM_PASSES` more writes: present pages, cached, in the TLB.
    pub present: Touch,
    /// Pages the kernel moved machine-wide during the run (/proc/vmstat): touching a
    /// page while it is moved faults, a fault that is no demand fault.
    pub migrated: Evidence<u64>,
}

/// Maps [`PAGES`] fresh pages, 4 KiB ones only, and writes them three times over.
pub fn small_run(ps: u64) -> Result<SmallRun> {
    let mut mem = MmapOptions::new()
        .len((PAGES * ps) as usize)
        .map_anon()
        .map_err(map_err("mmap"))?;
    // 4 KiB pages only, whatever the THP mode: this is the one-fault-per-page case.
    let madvise_error = mem.advise(Advice::NoHugePage).err().map(|e| e.to_string());
    let moved_before = thp::migrations();
    let demand = write_each(&mut mem, PAGES, ps, 1);
    let cold = write_each(&mut mem, PAGES, ps, 1);
    let present = write_each(&mut mem, PAGES, ps, WARM_PASSES);
    Ok(SmallRun {
        madvise_error,
        demand,
        cold,
        present,
        migrated: thp::migrated(moved_before, thp::migrations()),
    })
}

/// One run of MAP_POPULATE: the mmap call, the pages present before any touch, the
/// touch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulateRun {
    /// The mmap call, which allocated and zeroed every page.
    pub mmap_ns: u64,
    /// Pages present right after mmap, before any touch (pagemap).
    pub present_before: u64,
    pub touch: Touch,
    /// Pages the kernel moved machine-wide during the run (see [`SmallRun::migrated`]).
    pub migrated: Evidence<u64>,
}

/// Maps [`PAGES`] pages with MAP_POPULATE, timed, then looks and writes.
pub fn populate_run(lab: &Lab, ps: u64) -> Result<PopulateRun> {
    let moved_before = thp::migrations();
    let start = Instant::now();
    let mut mem = MmapOptions::new()
        .len((PAGES * ps) as usize)
        .populate()
        .map_anon()
        .map_err(map_err("mmap(MAP_POPULATE)"))?;
    let mmap_ns = start.elapsed().as_nanos() as u64;
    let present_before = present_pages(lab, mem.as_ptr() as u64, PAGES)?;
    let touch = write_each(&mut mem, PAGES, ps, 1);
    Ok(PopulateRun {
        mmap_ns,
        present_before,
        touch,
        migrated: thp::migrated(moved_before, thp::migrations()),
    })
}

/// How many of `count` pages from `va` of this process are present (pagemap).
pub fn present_pages(lab: &Lab, va: u64, count: u64) -> Result<u64> {
    let ps = lab.page_size();
    let pm = Pagemap::open(std::process::id() as i32)?;
    let mut present = 0;
    pm.scan(va / ps, va / ps + count, |_, batch| {
        present += batch.iter().filter(|e| e.present()).count() as u64;
        Ok(true)
    })?;
    Ok(present)
}
