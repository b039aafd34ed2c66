//! vm-fragmentation: what paging wastes, and what it no longer needs.
//!
//! Theory (OSTEP chapters 16-18): segmentation gives each segment one run of physical
//! memory as long as the segment. Free memory then breaks into holes between segments,
//! and a new segment may not fit in any hole although there is enough free memory in
//! all: *external* fragmentation, cured only by compaction. Paging cuts memory into
//! fixed-size frames and lets any page go in any frame, so a region needs no free run
//! as long as itself: external fragmentation is gone. The price is *internal*
//! fragmentation: memory is handed out in whole pages, so the unused tail of a
//! mapping's last page is lost (half a page per mapping on average), and with huge
//! pages the tail can be up to 2 MiB.
//!
//! What we do, every number from the kernel:
//!
//! - internal: mmap 1 byte and write it; mmap 4097 bytes and write one end, then the
//!   other; map a 2 MiB-aligned MADV_HUGEPAGE region and write one byte. smaps shows
//!   each mapping's size and its resident memory (Rss, AnonHugePages): the waste is
//!   Rss minus the bytes used. For contrast, malloc(1) many times: the allocator packs
//!   small objects into shared pages, so the page-sized waste is paid per mapping, not
//!   per malloc.
//! - external: read the buddy allocator's free blocks (/proc/buddyinfo), map 16 MiB
//!   with MADV_NOHUGEPAGE, write every page, and read its frames from pagemap (root):
//!   the virtually contiguous region lies in many separate runs of physical frames,
//!   and got all its frames although no free block was as long as it.
//!   The huge page, by contrast, is one aligned run of 512 frames: it needs what
//!   paging had done away with, and that is why the kernel compacts memory.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the record.

mod huge;
mod malloc;
mod mapping;
mod runs;
mod scatter;
#[cfg(test)]
pub(crate) mod tests;

use serde::{Deserialize, Serialize};

pub use huge::HugeRegion;
pub use malloc::MallocPacking;
pub use mapping::{SmallMapping, Smaps};
pub use runs::Run;
pub use scatter::{FreeArea, Scattered};

use super::Lab;
use crate::error::Result;
use crate::experiment::{Claim, Experiment, Step};
use crate::tr;

/// Everything vm-fragmentation saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The base page size, in bytes.
    pub page_size: u64,
    /// A 1-byte mmap, its byte written.
    pub one_byte: SmallMapping,
    /// A mapping one byte longer than a page, written at one end and then the other.
    pub past_boundary: SmallMapping,
    /// A MADV_HUGEPAGE region written once.
    pub huge: HugeRegion,
    /// Many malloc(1) in a row.
    pub malloc: MallocPacking,
    /// A large region written page by page, and the physical runs of its frames.
    pub scattered: Scattered,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment(
            "fragmentation",
            tr!("fragmentation-title"),
            tr!("fragmentation-about"),
        )
        .with(narrate(&o), judge(&o), &o))
}

/// Maps the small objects, the huge region and the large one, and reads what each cost.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let one_byte = mapping::gather(ps, 1)?;
    let past_boundary = mapping::gather(ps, ps + 1)?;
    let huge = huge::gather(lab, ps)?;
    let malloc = malloc::gather();
    let scattered = scatter::gather(lab, ps)?;
    Ok(Observation {
        page_size: ps,
        one_byte,
        past_boundary,
        huge,
        malloc,
        scattered,
    })
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let mut steps = vec![mapping::narrate(o).with_terms(&["term-internal-fragmentation"])];
    steps.push(huge::narrate(&o.huge, o.page_size));
    steps.push(malloc::narrate(&o.malloc, o.page_size));
    steps.extend(scatter::narrate(&o.scattered, o.page_size));
    steps.push(Step::say(tr!("fragmentation-step-simulators")));
    steps
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let ps = o.page_size;
    vec![
        mapping::one_byte(&o.one_byte, ps),
        mapping::past_boundary(&o.past_boundary, ps),
        huge::whole_region(&o.huge),
        malloc::packs(&o.malloc, ps),
        scatter::scattered(&o.scattered),
        scatter::no_free_run_needed(&o.scattered, ps),
        huge::one_run(&o.huge, ps),
    ]
}

/// A size in the largest unit that divides it exactly: `2 MiB`, `8 KiB`, `4095 bytes`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b.is_multiple_of(1 << 20) => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b.is_multiple_of(1 << 10) => format!("{} KiB", b >> 10),
        b => tr!("fragmentation-bytes", count = b),
    }
}

/// A large size rounded to one decimal of its unit, for the handout: `21.0 GiB`,
/// `5.8 MiB`; exact below a MiB.
fn approx(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => size(b),
    }
}
