//! Runs of physically consecutive frames: how a virtually contiguous range of pages is
//! laid out in physical memory, read from pagemap.

use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::error::Result;
use crate::experiment::Evidence;
use crate::pagemap::{PageEntry, Pagemap};
use crate::tr;

/// A run of pages at consecutive virtual addresses whose frames are consecutive too:
/// `Run(first PFN, length in frames)`. A region's runs, in address order, are its
/// frame numbers written compactly (frame of page k = first PFN of its run + offset),
/// so in JSON each is a pair, `[first_pfn, frames]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Run(
    /// The first frame (a hex string in JSON, as every PFN).
    #[serde(
        serialize_with = "crate::json::hex",
        deserialize_with = "crate::addr::hex_or_number"
    )]
    pub u64,
    /// How many frames.
    pub u64,
);

impl Run {
    pub fn pfn(&self) -> u64 {
        self.0
    }

    pub fn frames(&self) -> u64 {
        self.1
    }
}

/// The pagemap entries of `count` pages from `va` in this process.
pub(super) fn entries(va: u64, count: usize, ps: u64) -> Result<Vec<PageEntry>> {
    let pm = Pagemap::open(std::process::id() as i32)?;
    let mut out = vec![PageEntry::default(); count];
    let got = pm.read(va / ps, &mut out)?;
    out.truncate(got);
    Ok(out)
}

/// How many of the pages have a frame (present, or swapped out after having one).
pub(super) fn backed(entries: &[PageEntry]) -> u64 {
    entries
        .iter()
        .filter(|e| e.present() || e.swapped())
        .count() as u64
}

/// The runs of physically consecutive frames of the pages at `va`, `va + page`, ...
/// in order, or why the frames cannot be shown (hidden from this user, or a page with
/// no frame).
pub(super) fn of(lab: &Lab, va: u64, entries: &[PageEntry]) -> Evidence<Vec<Run>> {
    let visible = lab.inspector.privilege.pfns_visible;
    let ps = lab.page_size();
    let mut runs: Vec<Run> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !e.present() {
            let page = VirtAddr(va + i as u64 * ps).hex();
            return Evidence::missing(tr!("reason-page-not-present", va = page));
        }
        let Some(pfn) = e.pfn(visible) else {
            return Evidence::missing(tr!("reason-pfns-hidden"));
        };
        match runs.last_mut() {
            Some(r) if r.0 + r.1 == pfn.0 => r.1 += 1,
            _ => runs.push(Run(pfn.0, 1)),
        }
    }
    Evidence::Seen(runs)
}

/// The longest run, in frames (0 for none).
pub(super) fn longest(runs: &[Run]) -> u64 {
    runs.iter().map(Run::frames).max().unwrap_or(0)
}

/// The separate pieces of physical memory the runs occupy, whatever the order of the
/// pages in them: the runs sorted by frame, adjacent ones merged. Pages handed out in
/// reverse order (0x...8f, 0x...8e, ...) make many runs but one extent.
pub(super) fn extents(runs: &[Run]) -> Vec<Run> {
    let mut sorted = runs.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Run> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(e) if e.0 + e.1 == r.0 => e.1 += r.1,
            _ => out.push(r),
        }
    }
    out
}

/// The frames the runs hold in all.
pub(super) fn total(runs: &[Run]) -> u64 {
    runs.iter().map(Run::frames).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_sum_and_longest() {
        let r = [Run(0x100, 2), Run(0x50, 1), Run(0x200, 5)];
        assert_eq!(longest(&r), 5);
        assert_eq!(total(&r), 8);
        assert_eq!(
            serde_json::to_value(r[0]).unwrap(),
            serde_json::json!(["0x100", 2])
        );
        let reversed = [Run(0x8f, 1), Run(0x8e, 1), Run(0x8d, 1), Run(0x20, 2)];
        assert_eq!(extents(&reversed), vec![Run(0x20, 2), Run(0x8d, 3)]);
    }
}
