//! External fragmentation, and why paging does not suffer it: a large region that is
//! contiguous in virtual memory gets its frames from all over physical memory, one
//! page at a time, so it needs no free physical run as long as itself.
//!
//! The kernel's page allocator (the buddy allocator) keeps free memory in blocks of
//! 2^k pages, k = 0 up to a maximum order (10 on x86-64: 4 MiB); /proc/buddyinfo
//! counts the free blocks of each order in each zone. No block, free or not, is larger
//! than the maximum order, so a region longer than that cannot be one block: with
//! segmentation's contiguous allocation it would need the holes to line up.

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

use super::runs::{self, Run};
use super::{approx, size};
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::mem::AnonMap;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::{claim, tr};

/// The large region's length: four times the largest block the buddy allocator holds
/// on x86-64 (4 MiB), so that no free block could hold it.
const REGION: u64 = 16 << 20;
/// The runs listed one by one in the handout.
const LISTED: usize = 8;

/// One line of /proc/buddyinfo: a zone's free blocks, by order (`free[k]` blocks of
/// 2^k pages each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeArea {
    pub node: u32,
    pub zone: String,
    pub free: Vec<u64>,
}

/// The large region: the free blocks before it was mapped, and its frames after every
/// page was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scattered {
    pub va: VirtAddr,
    pub pages: u64,
    /// /proc/buddyinfo just before the region was mapped.
    pub free_before: Evidence<Vec<FreeArea>>,
    /// Pages of the region that have a frame after the writes (pagemap).
    pub backed: u64,
    /// The runs of consecutive frames, in address order.
    pub runs: Evidence<Vec<Run>>,
}

/// Reads the free blocks, maps [`REGION`] bytes with MADV_NOHUGEPAGE (so that every
/// page is a 4 KiB page with a frame of its own), writes every page, and reads the
/// frames.
pub(super) fn gather(lab: &Lab, ps: u64) -> Result<Scattered> {
    let pages = REGION / ps;
    let free_before = buddyinfo();
    let map = AnonMap::new(REGION, MapFlags::empty())
        .map_err(|e| Error::Child(format!("mmap of {}: {e}", size(REGION))))?;
    let va = map.addr();
    // A kernel without THP refuses the advice; it has only small pages anyway.
    let _ = map.advise(va, REGION, MmapAdvise::MADV_NOHUGEPAGE);
    for p in 0..pages {
        map.touch(va + p * ps, 1);
    }
    let entries = runs::entries(va, pages as usize, ps)?;
    Ok(Scattered {
        va: VirtAddr(va),
        pages,
        free_before,
        backed: runs::backed(&entries),
        runs: runs::of(lab, va, &entries),
    })
}

/// /proc/buddyinfo, read now, or why it could not be.
fn buddyinfo() -> Evidence<Vec<FreeArea>> {
    let path = "/proc/buddyinfo";
    let zones = std::fs::read_to_string(path)
        .ok()
        .map(|t| parse_buddyinfo(&t))
        .filter(|z| !z.is_empty());
    Evidence::from_option(zones, || {
        tr!("fragmentation-buddyinfo-missing", path = path)
    })
}

/// `Node 0, zone   Normal    831    753 ...` lines, one per zone.
fn parse_buddyinfo(text: &str) -> Vec<FreeArea> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Node")?;
            let (node, rest) = rest.split_once(',')?;
            let mut words = rest.split_whitespace();
            (words.next()? == "zone").then_some(())?;
            let zone = words.next()?.to_string();
            let free: Option<Vec<u64>> = words.map(|w| w.parse().ok()).collect();
            Some(FreeArea {
                node: node.trim().parse().ok()?,
                zone,
                free: free?,
            })
        })
        .collect()
}

/// The order of the largest free block of any zone, and the free bytes in all.
fn largest_and_total(zones: &[FreeArea], ps: u64) -> (Option<usize>, u64) {
    let largest = zones
        .iter()
        .filter_map(|z| z.free.iter().rposition(|&n| n > 0))
        .max();
    let total = zones
        .iter()
        .flat_map(|z| z.free.iter().enumerate())
        .map(|(k, &n)| n * (ps << k))
        .sum();
    (largest, total)
}

pub(super) fn narrate(s: &Scattered, ps: u64) -> Vec<Step> {
    let mut steps = Vec::new();
    steps.push(match &s.free_before {
        Evidence::Seen(zones) => Step::show(free_text(zones, ps), free_table(zones, ps)),
        Evidence::Missing(m) => Step::say(m.missing.clone()),
    });
    let region = tr!(
        "fragmentation-step-region",
        size = size(s.pages * ps),
        pages = s.pages,
        va = s.va.hex(),
        backed = s.backed
    );
    steps.push(match &s.runs {
        Evidence::Seen(r) => Step::show(format!("{region} {}", runs_text(r, ps)), first_runs(r)),
        Evidence::Missing(m) => Step::say(format!(
            "{region} {}",
            tr!(
                "fragmentation-frames-not-shown",
                reason = m.missing.as_str()
            )
        )),
    });
    if let Evidence::Seen(r) = &s.runs {
        steps.push(Step::show(tr!("fragmentation-step-lengths"), lengths(r)));
    }
    steps
}

fn free_text(zones: &[FreeArea], ps: u64) -> String {
    let (largest, total) = largest_and_total(zones, ps);
    match largest {
        Some(k) => tr!(
            "fragmentation-step-free",
            order = k,
            block = size(ps << k),
            total = approx(total)
        ),
        None => tr!("fragmentation-no-free-blocks"),
    }
}

/// /proc/buddyinfo as a table: a row per zone, a column per block size.
fn free_table(zones: &[FreeArea], ps: u64) -> Table {
    let orders = zones.iter().map(|z| z.free.len()).max().unwrap_or(0);
    let mut columns = vec![tr!("fragmentation-col-zone")];
    columns.extend((0..orders).map(|k| size(ps << k)));
    let mut t = Table::with_columns(columns);
    for z in zones {
        let mut row = vec![format!("{} {}", z.node, z.zone)];
        row.extend((0..orders).map(|k| z.free.get(k).map_or("-".into(), u64::to_string)));
        t.row(row);
    }
    t
}

fn runs_text(r: &[Run], ps: u64) -> String {
    let pieces = runs::extents(r);
    let (low, high) = span(r);
    tr!(
        "fragmentation-runs",
        runs = r.len(),
        longest = runs::longest(r),
        alone = r.iter().filter(|x| x.frames() == 1).count(),
        extents = pieces.len(),
        largest = runs::longest(&pieces),
        largest_size = size(runs::longest(&pieces) * ps),
        low = format!("{low:#x}"),
        high = format!("{high:#x}"),
        span = approx((high - low + 1) * ps)
    )
}

/// The lowest and the highest frame of the runs.
fn span(r: &[Run]) -> (u64, u64) {
    let low = r.iter().map(Run::pfn).min().unwrap_or(0);
    let high = r.iter().map(|x| x.pfn() + x.frames()).max().unwrap_or(1) - 1;
    (low, high.max(low))
}

/// The first runs, in address order: which pages, which frames.
fn first_runs(r: &[Run]) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("fragmentation-col-pages"),
        tr!("fragmentation-col-frames"),
        tr!("fragmentation-col-length"),
    ]);
    let range = |first: u64, n: u64, hex: bool| match (n, hex) {
        (1, false) => first.to_string(),
        (1, true) => format!("{first:#x}"),
        (_, false) => format!("{first}-{}", first + n - 1),
        (_, true) => format!("{first:#x}-{:#x}", first + n - 1),
    };
    let mut page = 0u64;
    for run in r.iter().take(LISTED) {
        let n = run.frames();
        t.row(vec![
            range(page, n, false),
            range(run.pfn(), n, true),
            n.to_string(),
        ]);
        page += n;
    }
    if r.len() > LISTED {
        t.row(vec!["...".into(); 3]);
    }
    t
}

/// How long the runs are: how many runs, and how many pages, of each length.
fn lengths(r: &[Run]) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("fragmentation-col-run-length"),
        tr!("fragmentation-col-runs"),
        tr!("fragmentation-col-run-pages"),
    ]);
    for (low, high) in [(1, 1), (2, 3), (4, 15), (16, 511), (512, u64::MAX)] {
        let these: Vec<&Run> = r
            .iter()
            .filter(|x| (low..=high).contains(&x.frames()))
            .collect();
        let label = match high {
            h if h == low => low.to_string(),
            u64::MAX => format!("≥ {low}"),
            h => format!("{low}-{h}"),
        };
        let pages: u64 = these.iter().map(|x| x.frames()).sum();
        t.row(vec![label, these.len().to_string(), pages.to_string()]);
    }
    t
}

/// The virtually contiguous region is not one physical run: neither do virtual and
/// physical addresses advance together (as base + offset would), nor do its frames sit
/// in one piece of physical memory.
pub(super) fn scattered(s: &Scattered) -> Claim {
    claim!("fragmentation-scattered", pages = s.pages).on(s.runs.clone(), |r| {
        let pieces = runs::extents(&r);
        let holds = r.len() > 1 && pieces.len() > 1 && runs::total(&r) == s.pages;
        let kernel = tr!(
            "fragmentation-scattered-seen",
            frames = runs::total(&r),
            runs = r.len(),
            longest = runs::longest(&r),
            extents = pieces.len(),
            largest = runs::longest(&pieces)
        );
        (kernel, holds)
    })
}

/// The region got every frame although no free block was as long as it: paging
/// needs no free physical run the length of the region.
pub(super) fn no_free_run_needed(s: &Scattered, ps: u64) -> Claim {
    let region = s.pages * ps;
    let largest = largest_block(&s.free_before, ps, region);
    claim!(
        "fragmentation-no-free-run",
        region = size(region),
        pages = s.pages
    )
    .on(largest, |block| {
        let kernel = tr!(
            "fragmentation-no-free-run-seen",
            block = size(block),
            backed = s.backed,
            pages = s.pages
        );
        (kernel, s.backed == s.pages)
    })
}

/// The largest free block before the region was mapped, in bytes; missing when
/// buddyinfo was not read, when nothing was free, or when a free block was at least as
/// long as the region (this run then cannot show paging doing without one).
fn largest_block(free: &Evidence<Vec<FreeArea>>, ps: u64, region: u64) -> Evidence<u64> {
    let zones = match free {
        Evidence::Seen(z) => z,
        Evidence::Missing(m) => return Evidence::Missing(m.clone()),
    };
    match largest_and_total(zones, ps).0 {
        None => Evidence::missing(tr!("fragmentation-no-free-blocks")),
        Some(k) if ps << k >= region => Evidence::missing(tr!(
            "fragmentation-free-run-existed",
            block = size(ps << k),
            region = size(region)
        )),
        Some(k) => Evidence::Seen(ps << k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buddyinfo_lines_parse() {
        let text = "Node 0, zone      DMA      0      0      1\n\
                    Node 0, zone   Normal    831    753      0\n";
        let z = parse_buddyinfo(text);
        assert_eq!(z.len(), 2);
        assert_eq!(z[1].zone, "Normal");
        assert_eq!(z[1].free, vec![831, 753, 0]);
        let (largest, total) = largest_and_total(&z, 4096);
        assert_eq!(largest, Some(2));
        assert_eq!(total, 16384 + 831 * 4096 + 753 * 8192);
    }
}
