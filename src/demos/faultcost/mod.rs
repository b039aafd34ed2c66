//! vm-faultcost: what a page fault costs.
//!
//! Theory: demand paging is not free. The first access to a page that has no frame yet
//! traps into the kernel (a *page fault*): the CPU saves state and enters the handler,
//! which finds the region, allocates a frame, zeroes it, fills in the page-table entry
//! and returns, and only then is the access retried. That is thousands of instructions
//! where an access to a present page is one (a few nanoseconds, once the TLB knows the
//! page). A *major* fault is worse again: the page has to be read from storage first.
//! Two ways to pay less: `MAP_POPULATE` allocates the frames at mmap time (no trap per
//! page), and a transparent huge page makes one fault map 512 pages at once.
//!
//! What we do, each measurement repeated ([`RUNS`] runs; this is a shared machine):
//! write one byte to each of N fresh pages (demand faults) and time it, then write them
//! again now that they are present (the accesses we compare with: once with no warm-up,
//! then several times over, cached and in the TLB); map N pages with MAP_POPULATE and
//! check they are present before we touch them and that touching them faults no more;
//! write one byte to a 2 MiB-aligned MADV_HUGEPAGE region (one fault for 512 pages,
//! where THP is allowed); and read the pages of a file on disk whose page cache we
//! emptied (fsync, then POSIX_FADV_DONTNEED, confirmed with mincore), which gives one
//! major fault per page. Faults are counted with getrusage (ru_minflt, ru_majflt),
//! presence read from pagemap, PAGEMAP_SCAN and smaps, settings from sysfs.
//!
//! Every cost is compared per 4 KiB page (a huge-page fault is also shown per fault),
//! and a timing claim is decided only when the spread of the runs allows it (see
//! [`stats`]); claims that need what this machine does not have (THP, a disk-backed
//! directory, eviction) are unverifiable with the reason.
//!
//! [`gather`] does it and fills an [`Observation`]; [`narrate`] tells it; [`judge`]
//! decides each claim from the record alone.

pub mod costs;
mod huge;
mod judge;
mod major;
mod narrate;
mod small;
pub mod stats;
mod touch;

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

pub use huge::{HugeRun, PfnRun};
pub use judge::judge;
pub use major::{MajorFile, MajorRun};
pub use narrate::narrate;
pub use small::{PopulateRun, SmallRun};
pub use touch::Touch;

use super::hugepages::thp::ThpSettings;
use super::{Lab, prefault_stack};
use crate::error::{Error, Result};
use crate::experiment::{Evidence, Experiment};
use crate::tr;
use touch::{read_each, write_each};

/// Fresh pages per measurement (two huge-page sizes' worth of 4 KiB pages).
pub const PAGES: u64 = 1024;
/// Repetitions of each measurement: enough for quartiles that two slow runs at
/// either end do not move.
pub const RUNS: usize = 9;
/// Passes over the present pages for the time of a (cached) access.
pub const WARM_PASSES: u32 = 8;
/// Pages of the file whose page cache is emptied for the major faults.
pub const FILE_PAGES: u64 = 16;

/// Everything vm-faultcost measured: every run of every measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub page_size: u64,
    /// Pages per 4 KiB measurement.
    pub pages: u64,
    /// Passes over the present pages for a cached access.
    pub warm_passes: u32,
    /// The THP settings, read before anything was mapped.
    pub thp: ThpSettings,
    /// `hpage_pmd_size`, or what a PD entry covers where the kernel does not say.
    pub huge_size: u64,
    /// The measuring code run on a present page after its warm-up: it must take no
    /// fault itself, or no fault count can be trusted.
    pub control: Touch,
    pub small: Vec<SmallRun>,
    pub populate: Vec<PopulateRun>,
    pub huge: Vec<HugeRun>,
    /// The file of the major faults and its runs, or why there is none.
    pub major: Evidence<MajorFile>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("faultcost", tr!("faultcost-title"), tr!("faultcost-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Every measurement, [`RUNS`] times, interleaved: a burst of load then spoils one run
/// of each rather than every run of one.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let thp = ThpSettings::read();
    let huge_size = thp.pmd_size.unwrap_or(ps / 8 * ps);
    let control = warm_up(ps)?;
    let file = major::prepare(ps);
    let (mut small, mut populate, mut huge) = (Vec::new(), Vec::new(), Vec::new());
    let mut major_runs = Vec::new();
    for _ in 0..RUNS {
        small.push(small::small_run(ps)?);
        populate.push(small::populate_run(lab, ps)?);
        huge.push(huge::huge_run(lab, huge_size, ps)?);
        if let Evidence::Seen((_, f)) = &file {
            major_runs.push(major::major_run(f, ps)?);
        }
    }
    let major = file.map(|(dir, _)| MajorFile {
        dir: dir.display().to_string(),
        pages: FILE_PAGES,
        runs: major_runs,
    });
    Ok(Observation {
        page_size: ps,
        pages: PAGES,
        warm_passes: WARM_PASSES,
        thp,
        huge_size,
        control,
        small,
        populate,
        huge,
        major,
    })
}

/// Runs the measuring code once on a fresh page, so that its own first-run faults
/// (code pages, stack, the vDSO clock) are not counted later; then once more on the
/// now present page: the control, which must count nothing.
fn warm_up(ps: u64) -> Result<Touch> {
    prefault_stack();
    let mut scratch = MmapMut::map_anon(ps as usize).map_err(map_err("mmap"))?;
    write_each(&mut scratch, 1, ps, 1);
    read_each(&scratch, 1, ps);
    let write = write_each(&mut scratch, 1, ps, 1);
    let read = read_each(&scratch, 1, ps);
    Ok(Touch {
        ns: write.ns + read.ns,
        minor: write.minor + read.minor,
        major: write.major + read.major,
    })
}

fn map_err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

#[cfg(test)]
pub(crate) mod tests;
