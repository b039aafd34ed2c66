//! The contrast: malloc does not ask the kernel for a page per object. It carves small
//! objects out of pages it already has, so page-sized waste is paid per mapping, not
//! per malloc; what malloc wastes is its own (headers, alignment: see
//! `vmlab sim freespace`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::size;
use crate::addr::VirtAddr;
use crate::experiment::{Claim, Evidence, Step};
use crate::{claim, tr};

/// How many malloc(1) in a row.
const OBJECTS: usize = 256;

/// What OBJECTS calls of malloc(1) returned, and what they cost in RAM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MallocPacking {
    /// The bytes asked of each malloc.
    pub requested: u64,
    /// The address each call returned, in order; missing if one returned NULL.
    pub objects: Evidence<Vec<VirtAddr>>,
    /// The whole process's Rss (/proc/self/smaps_rollup, a walk of its page tables)
    /// before the calls and after writing every object.
    pub rss_before: Evidence<u64>,
    pub rss_after: Evidence<u64>,
}

/// Calls malloc(1) [`OBJECTS`] times, writes each object, reads the process's Rss
/// before and after, and frees them all.
pub(super) fn gather() -> MallocPacking {
    let mut ptrs: Vec<*mut u8> = Vec::with_capacity(OBJECTS);
    let rss_before = rollup_rss();
    for _ in 0..OBJECTS {
        // SAFETY: malloc has no precondition; a NULL result is checked below.
        let p = unsafe { libc::malloc(1) }.cast::<u8>();
        if p.is_null() {
            break;
        }
        // SAFETY: p points to at least the 1 byte just allocated, ours alone.
        unsafe { p.write_volatile(0x5a) };
        ptrs.push(p);
    }
    let rss_after = rollup_rss();
    let complete = ptrs.len() == OBJECTS;
    let addresses = ptrs.iter().map(|&p| VirtAddr(p as u64)).collect();
    for p in ptrs {
        // SAFETY: each pointer came from malloc above and is freed once.
        unsafe { libc::free(p.cast()) };
    }
    MallocPacking {
        requested: 1,
        objects: Evidence::from_option(complete.then_some(addresses), || {
            tr!("fragmentation-malloc-null")
        }),
        rss_before,
        rss_after,
    }
}

/// This process's Rss from /proc/self/smaps_rollup, in bytes, or why it is unknown.
/// smaps counts resident pages by walking the page tables, so it is exact (the Rss of
/// /proc/self/status may lag behind by per-CPU batches).
fn rollup_rss() -> Evidence<u64> {
    let path = "/proc/self/smaps_rollup";
    let rss = std::fs::read_to_string(path).ok().and_then(|text| {
        text.lines().find_map(|l| {
            let kib = l.strip_prefix("Rss:")?.trim().strip_suffix("kB")?;
            kib.trim().parse::<u64>().ok().map(|k| k * 1024)
        })
    });
    Evidence::from_option(rss, || tr!("fragmentation-rollup-missing", path = path))
}

/// The distinct pages the objects lie on.
fn pages_of(objects: &[VirtAddr], ps: u64) -> BTreeSet<u64> {
    objects.iter().map(|a| a.0 / ps).collect()
}

/// The median distance from one object to the next, in bytes (0 for fewer than two).
fn stride(objects: &[VirtAddr]) -> i64 {
    let mut d: Vec<i64> = objects
        .windows(2)
        .map(|w| w[1].0 as i64 - w[0].0 as i64)
        .collect();
    d.sort_unstable();
    d.get(d.len() / 2).copied().unwrap_or(0)
}

pub(super) fn narrate(m: &MallocPacking, ps: u64) -> Step {
    let growth = m
        .rss_before
        .clone()
        .zip(m.rss_after.clone())
        .map(|(b, a)| size(a.saturating_sub(b)))
        .seen()
        .cloned()
        .unwrap_or_else(|| "?".into());
    let text = match &m.objects {
        Evidence::Seen(objects) if !objects.is_empty() => {
            let first = objects[0].0 / ps;
            tr!(
                "fragmentation-step-malloc",
                objects = objects.len(),
                bytes = m.requested,
                first = objects[0].hex(),
                page = VirtAddr(first * ps).hex(),
                same = objects.iter().filter(|a| a.0 / ps == first).count(),
                stride = stride(objects),
                pages = pages_of(objects, ps).len(),
                growth = growth
            )
        }
        _ => tr!("fragmentation-malloc-null"),
    };
    Step::say(text)
}

/// malloc packs small objects into shared pages: far fewer pages than objects, and far
/// less RSS than a page each.
pub(super) fn packs(m: &MallocPacking, ps: u64) -> Claim {
    let seen = m
        .objects
        .clone()
        .zip(m.rss_before.clone().zip(m.rss_after.clone()));
    claim!(
        "fragmentation-malloc-packs",
        objects = OBJECTS,
        bytes = m.requested,
        page = size(ps)
    )
    .on(seen, |(objects, (before, after))| {
        let pages = pages_of(&objects, ps).len();
        let growth = after.saturating_sub(before);
        // A page per object would hold OBJECTS pages; packed, they fill a few. Half
        // of OBJECTS, in pages and in RSS, keeps far from both.
        let holds = !objects.is_empty()
            && pages * 2 <= objects.len()
            && growth * 2 < objects.len() as u64 * ps;
        let kernel = tr!(
            "fragmentation-malloc-packs-seen",
            objects = objects.len(),
            pages = pages,
            stride = stride(&objects),
            growth = size(growth)
        );
        (kernel, holds)
    })
}
