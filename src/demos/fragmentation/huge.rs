//! A transparent huge page: internal fragmentation at 2 MiB, and a page that needs
//! physically contiguous memory again.
//!
//! One write to a 2 MiB-aligned MADV_HUGEPAGE region, where the kernel allows THP,
//! makes the whole 2 MiB resident (smaps Rss and AnonHugePages): 2 MiB - 1 bytes of
//! RAM held for one byte used. And the frame behind it is one aligned run of 512
//! consecutive frames, which only a free (or compacted) 2 MiB block can give.

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

use super::mapping::{Smaps, smaps_at};
use super::runs::{self, Run};
use super::size;
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::mem::{AnonMap, THP_DIR, ThpSettings};
use crate::demos::setting;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step};
use crate::{claim, tr};

/// The huge region: where, how big, the settings, and what the one write did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HugeRegion {
    pub va: VirtAddr,
    /// The size one PD entry maps (`hpage_pmd_size`; else 512 pages).
    pub size: u64,
    pub thp: ThpSettings,
    /// The error of madvise(MADV_HUGEPAGE), if it failed.
    pub madvise_error: Option<String>,
    /// smaps of the region after one byte was written.
    pub written: Evidence<Smaps>,
    /// The runs of its frames after the write.
    pub frames: Evidence<Vec<Run>>,
}

/// Maps a 2 MiB-aligned region, advises MADV_HUGEPAGE, writes one byte, and reads
/// smaps and the frames.
pub(super) fn gather(lab: &Lab, ps: u64) -> Result<HugeRegion> {
    let huge = setting(&format!("{THP_DIR}/hpage_pmd_size"))
        .and_then(|s| s.parse().ok())
        .unwrap_or(ps / 8 * ps);
    let thp = ThpSettings::read();
    // Twice the size, so that an aligned region of the size fits inside.
    let map = AnonMap::new(2 * huge, MapFlags::MAP_NORESERVE)
        .map_err(|e| Error::Child(format!("mmap of {}: {e}", size(2 * huge))))?;
    let va = map.addr().next_multiple_of(huge);
    let madvise_error = map
        .advise(va, huge, MmapAdvise::MADV_HUGEPAGE)
        .err()
        .map(|e| e.to_string());
    map.touch(va, 1);
    let written = smaps_at(va);
    let entries = runs::entries(va, (huge / ps) as usize, ps)?;
    let frames = runs::of(lab, va, &entries);
    Ok(HugeRegion {
        va: VirtAddr(va),
        size: huge,
        thp,
        madvise_error,
        written,
        frames,
    })
}

/// The region's smaps, or why it cannot show a huge page: THP off or unavailable,
/// madvise refused, or the kernel fell back to a small page (no free huge block).
fn huge_smaps(h: &HugeRegion) -> Evidence<Smaps> {
    if let Some(why) = h.thp.forbids() {
        return Evidence::missing(why);
    }
    if let Some(err) = &h.madvise_error {
        return Evidence::missing(tr!("fragmentation-thp-madvise", error = err.as_str()));
    }
    match &h.written {
        Evidence::Seen(s) if s.anon_huge == 0 => Evidence::missing(tr!(
            "fragmentation-thp-declined",
            settings = h.thp.describe(),
            huge = size(h.size)
        )),
        other => other.clone(),
    }
}

pub(super) fn narrate(h: &HugeRegion, ps: u64) -> Step {
    let smaps = h.written.seen().map_or_else(
        || tr!("fragmentation-unknown"),
        |s| {
            tr!(
                "fragmentation-huge-smaps",
                rss = size(s.rss),
                anon_huge = size(s.anon_huge),
                unused = size(s.rss.saturating_sub(1))
            )
        },
    );
    let frames = match &h.frames {
        Evidence::Seen(r) => tr!(
            "fragmentation-huge-frames",
            runs = r.len(),
            first = format!("{:#x}", r.first().map_or(0, Run::pfn)),
            longest = runs::longest(r)
        ),
        Evidence::Missing(m) => tr!(
            "fragmentation-frames-not-shown",
            reason = m.missing.as_str()
        ),
    };
    Step::say(tr!(
        "fragmentation-step-huge",
        huge = size(h.size),
        pages = h.size / ps,
        va = h.va.hex(),
        settings = h.thp.describe(),
        smaps = smaps,
        frames = frames
    ))
}

/// A huge page written once is wholly resident: its internal fragmentation is 2 MiB - 1.
pub(super) fn whole_region(h: &HugeRegion) -> Claim {
    claim!("fragmentation-huge-region", huge = size(h.size)).on(huge_smaps(h), |s| {
        let holds = s.size == h.size && s.rss == h.size && s.anon_huge == h.size;
        let kernel = tr!(
            "fragmentation-huge-region-seen",
            rss = size(s.rss),
            anon_huge = size(s.anon_huge),
            unused = size(s.rss.saturating_sub(1))
        );
        (kernel, holds)
    })
}

/// The huge page is one aligned run of consecutive frames: contiguity is back.
pub(super) fn one_run(h: &HugeRegion, ps: u64) -> Claim {
    let n = h.size / ps;
    let seen = huge_smaps(h).zip(h.frames.clone());
    claim!("fragmentation-huge-contiguous", frames = n).on(seen, |(_, runs)| {
        let first = runs.first().map_or(0, Run::pfn);
        let holds = runs.len() == 1 && runs::total(&runs) == n && first.is_multiple_of(n);
        let kernel = tr!(
            "fragmentation-huge-contiguous-seen",
            runs = runs.len(),
            first = format!("{first:#x}"),
            longest = runs::longest(&runs),
            aligned = if first.is_multiple_of(n) {
                tr!("yes")
            } else {
                tr!("no")
            }
        );
        (kernel, holds)
    })
}
