//! The allocation part of segmentation: whole segments placed and freed in physical
//! memory under a fit policy, the external fragmentation that results (free memory in
//! holes too small to use), and compaction (every segment slid down to address 0, at
//! the cost of copying each one that moves). No text here.
//!
//! Holes are computed from what is allocated, so free neighbours are always one hole:
//! they are coalesced by address, not by their position in some list.

use serde::Serialize;

use super::model::{Kind, Segment};
use crate::sim::Rng;
use crate::sim::fit::Fit;

/// Whose a block of physical memory is: this process's segment, or another segment
/// (`s1`, `s2` ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Process(Kind),
    Other(u32),
}

/// A segment placed in physical memory, `[start, start + size)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
    pub owner: Owner,
    #[serde(serialize_with = "crate::json::hex")]
    pub start: u64,
    pub size: u64,
}

impl Block {
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.size)
    }
}

/// One event: another segment `s<id>` allocated, or freed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Event {
    Alloc { id: u32, size: u64 },
    Free { id: u32 },
}

/// The allocation part of a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub fit: Fit,
    /// In order; the process's own segments are in memory from the start.
    pub events: Vec<Event>,
    /// A new segment's size asked about after the events; `None` when memory is full.
    pub request: Option<u64>,
}

/// What one event did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Done {
    Alloc {
        id: u32,
        size: u64,
        /// The holes searched, `[start, end)` in address order.
        #[serde(serialize_with = "crate::json::hex")]
        holes: Vec<(u64, u64)>,
        /// Which hole was chosen; `None`: no hole is big enough, the allocation fails.
        chosen: Option<usize>,
        #[serde(serialize_with = "crate::json::hex")]
        start: Option<u64>,
    },
    Free {
        id: u32,
        /// The block freed; `None` when `s<id>` is not in memory (nothing happens).
        freed: Option<Block>,
    },
}

/// The allocation part worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Solved {
    /// The process's segments as blocks, before any event.
    pub initial: Vec<Block>,
    pub events: Vec<Done>,
    /// The blocks after the events, in address order.
    pub after: Vec<Block>,
    #[serde(serialize_with = "crate::json::hex")]
    pub holes_after: Vec<(u64, u64)>,
    pub free_total: u64,
    pub largest_hole: u64,
    /// Whether the request fits in a hole as memory is (no when it is external
    /// fragmentation that stops it).
    pub fits_without_compaction: Option<bool>,
    /// The blocks after compaction, from address 0, in the same order.
    pub compacted: Vec<Block>,
    /// Bytes copied by compaction: the sizes of the blocks that move.
    pub bytes_copied: u64,
    /// Where the request starts after compaction: the one hole left.
    #[serde(serialize_with = "crate::json::hex")]
    pub request_start: Option<u64>,
}

/// The process's segments as blocks of physical memory.
pub fn initial_blocks(segments: &[Segment]) -> Vec<Block> {
    segments
        .iter()
        .filter(|s| s.limit > 0)
        .map(|s| Block {
            owner: Owner::Process(s.kind),
            start: s.extent().0,
            size: s.limit,
        })
        .collect()
}

/// The free holes between `blocks` in `physmem` bytes, in address order.
pub fn holes(blocks: &[Block], physmem: u64) -> Vec<(u64, u64)> {
    let mut sorted: Vec<&Block> = blocks.iter().filter(|b| b.size > 0).collect();
    sorted.sort_by_key(|b| b.start);
    let mut out = Vec::new();
    let mut at = 0;
    for b in sorted {
        if b.start > at {
            out.push((at, b.start));
        }
        at = at.max(b.end());
    }
    if at < physmem {
        out.push((at, physmem));
    }
    out
}

/// Compaction: every block slides down to the lowest free address, in address
/// order. Returns the blocks after and the bytes copied (the sizes of the blocks
/// that moved).
pub fn compact(blocks: &[Block]) -> (Vec<Block>, u64) {
    let mut sorted: Vec<Block> = blocks.iter().filter(|b| b.size > 0).copied().collect();
    sorted.sort_by_key(|b| b.start);
    let mut at = 0u64;
    let mut copied = 0u64;
    // Saturating: a hand-built problem may overfill memory; a generated one never.
    for b in &mut sorted {
        if b.start != at {
            copied = copied.saturating_add(b.size);
            b.start = at;
        }
        at = at.saturating_add(b.size);
    }
    (sorted, copied)
}

/// Runs `events` on `initial` (the simulation itself, without randomness): what each
/// event did, and the blocks after them in address order. Next fit starts each
/// search at the hole holding the end of the last placed segment, or the next hole
/// up.
pub fn run(initial: &[Block], physmem: u64, fit: Fit, events: &[Event]) -> (Vec<Done>, Vec<Block>) {
    let mut blocks = initial.to_vec();
    let mut done = Vec::with_capacity(events.len());
    let mut rover = 0;
    for &event in events {
        match event {
            Event::Alloc { id, size } => {
                let h = holes(&blocks, physmem);
                let sizes: Vec<u64> = h.iter().map(|(s, e)| e - s).collect();
                let start = match fit {
                    Fit::Next => h.iter().position(|&(_, e)| e > rover).unwrap_or(0),
                    _ => 0,
                };
                let chosen = fit.search(&sizes, start, Some(size)).chosen;
                let at = chosen.map(|c| h[c].0);
                if let Some(at) = at {
                    blocks.push(Block {
                        owner: Owner::Other(id),
                        start: at,
                        size,
                    });
                    rover = at.saturating_add(size);
                }
                done.push(Done::Alloc {
                    id,
                    size,
                    holes: h,
                    chosen,
                    start: at,
                });
            }
            Event::Free { id } => {
                let i = blocks.iter().position(|b| b.owner == Owner::Other(id));
                let freed = i.map(|i| blocks.remove(i));
                done.push(Done::Free { id, freed });
            }
        }
    }
    blocks.sort_by_key(|b| b.start);
    (done, blocks)
}

/// Works the allocation part out.
pub fn solve(segments: &[Segment], physmem: u64, a: &Allocation) -> Solved {
    let initial = initial_blocks(segments);
    let (events, after) = run(&initial, physmem, a.fit, &a.events);
    let holes_after = holes(&after, physmem);
    let free_total: u64 = holes_after.iter().map(|(s, e)| e - s).sum();
    let largest_hole = holes_after.iter().map(|(s, e)| e - s).max().unwrap_or(0);
    let (compacted, bytes_copied) = compact(&after);
    let used = compacted
        .iter()
        .fold(0u64, |sum, b| sum.saturating_add(b.size));
    Solved {
        initial,
        events,
        after,
        holes_after,
        free_total,
        largest_hole,
        fits_without_compaction: a.request.map(|r| r <= largest_hole),
        compacted,
        bytes_copied,
        request_start: a.request.map(|_| used),
    }
}

/// Draws `count` allocations and frees of other segments (sizes 2 to 8 sixty-fourths
/// of physical memory; 40% frees), trying up to 64 times for a sequence that leaves
/// memory fragmented (two holes or more), then a request size that does not fit
/// without compaction when there is fragmentation. Frees of segments whose
/// allocation failed are left out: every event listed does something.
pub fn generate(
    segments: &[Segment],
    physmem: u64,
    count: u64,
    fit: Fit,
    rng: &mut Rng,
) -> Allocation {
    let initial = initial_blocks(segments);
    let unit = (physmem / 64).max(1);
    let mut best: Option<(Vec<Event>, Vec<Done>, u64, u64)> = None;
    for _ in 0..64 {
        let mut script = Vec::new();
        let mut live: Vec<u32> = Vec::new();
        let mut next = 1;
        for _ in 0..count {
            if !live.is_empty() && rng.chance(40) {
                let i = rng.below(live.len() as u64) as usize;
                script.push(Event::Free { id: live.remove(i) });
            } else {
                live.push(next);
                script.push(Event::Alloc {
                    id: next,
                    size: unit * rng.range(2, 8),
                });
                next += 1;
            }
        }
        let (done, after) = run(&initial, physmem, fit, &script);
        let h = holes(&after, physmem);
        let total: u64 = h.iter().map(|(s, e)| e - s).sum();
        let largest = h.iter().map(|(s, e)| e - s).max().unwrap_or(0);
        let fragmented = h.len() >= 2 && total > largest;
        best = Some((script, done, total, largest));
        if fragmented {
            break;
        }
    }
    let (script, done, total, largest) = best.unwrap_or_default();
    let events = script
        .into_iter()
        .zip(&done)
        .filter(|(_, d)| !matches!(d, Done::Free { freed: None, .. }))
        .map(|(e, _)| e)
        .collect();
    let request = if total == 0 {
        None
    } else if total > largest {
        Some(rng.range(largest + 1, total))
    } else {
        Some(total)
    };
    Allocation {
        fit,
        events,
        request,
    }
}
