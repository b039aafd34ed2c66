//! Drawing a problem from a seed: random memory, the directory at a random frame, the
//! allocated pages in a few runs (code, heap, stack) with holes between, which is
//! where multi-level tables save space, and the addresses to translate.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Config;
use super::model::{Memory, Problem};
use crate::error::{Error, Result};
use crate::sim::{Rng, bad_param};
use crate::tr;

/// How many runs of contiguous pages the allocated pages form (code, heap, stack).
const RUNS: u64 = 3;

/// How random virtual addresses are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Draw {
    /// As paging-multilevel-translate.py: on an allocated page with chance 1/2,
    /// otherwise uniform over the address space (where it lands on an allocated page
    /// as often as pages are allocated).
    Script,
    /// This percentage on allocated pages, the rest on unallocated ones: that share
    /// valid, on average, whatever the allocation.
    ValidShare(u64),
}

/// The allocated virtual pages: in the order they were mapped, and sorted.
struct Allocated {
    order: Vec<u64>,
    sorted: BTreeSet<u64>,
    vpages: u64,
}

/// Draws the problem `c` describes from `seed`.
pub fn generate(c: &Config, seed: u64) -> Result<Problem> {
    let g = c.geometry;
    // Each allocated page needs a frame of its own, and the directory one more.
    if c.allocated >= g.frames {
        return Err(out_of_memory(c));
    }
    let mut rng = Rng::new(seed);
    let pdbr = rng.below(g.frames);
    let mut memory = Memory::new(g, || rng.below(256) as u8, pdbr);
    // Free frames in a random order; tables and data take them from the end.
    let mut free: Vec<u64> = (0..g.frames).filter(|&f| f != pdbr).collect();
    rng.shuffle(&mut free);
    let allocated = allocate(&mut rng, g.vpages(), c.allocated);
    for &vpn in &allocated.order {
        let data = free.pop().ok_or_else(|| out_of_memory(c))?;
        memory
            .map(vpn, data, || free.pop())
            .ok_or_else(|| out_of_memory(c))?;
    }
    let addresses = c
        .addresses
        .iter()
        .map(|given| given.unwrap_or_else(|| draw(&mut rng, c, &allocated)))
        .collect();
    Ok(Problem { memory, addresses })
}

fn out_of_memory(c: &Config) -> Error {
    let why = tr!(
        "multilevel-error-out-of-memory",
        allocated = c.allocated.to_string(),
        frames = c.geometry.frames.to_string()
    );
    bad_param("allocated", why)
}

/// `count` virtual pages in [`RUNS`] runs of contiguous pages at random places.
fn allocate(rng: &mut Rng, vpages: u64, count: u64) -> Allocated {
    let mut sorted = BTreeSet::new();
    let mut order = Vec::new();
    let mut left = count;
    for r in 0..RUNS {
        let len = left / (RUNS - r);
        left -= len;
        let mut vpn = rng.below(vpages);
        let mut added = 0;
        while added < len {
            if sorted.insert(vpn) {
                order.push(vpn);
                added += 1;
            }
            vpn = (vpn + 1) % vpages;
        }
    }
    Allocated {
        order,
        sorted,
        vpages,
    }
}

/// One random virtual address.
fn draw(rng: &mut Rng, c: &Config, a: &Allocated) -> u64 {
    let g = &c.geometry;
    match c.draw {
        Draw::Script => {
            if !a.order.is_empty() && rng.chance(50) {
                let vpn = a.order[rng.below(a.order.len() as u64) as usize];
                (vpn << g.offset_bits) | rng.below(g.page_size)
            } else {
                rng.below(g.asize)
            }
        }
        Draw::ValidShare(share) => {
            let unallocated = a.vpages - a.sorted.len() as u64;
            let offset = rng.below(g.page_size);
            let on_allocated = unallocated == 0 || (!a.order.is_empty() && rng.chance(share));
            let vpn = if on_allocated && !a.order.is_empty() {
                a.order[rng.below(a.order.len() as u64) as usize]
            } else {
                nth_unallocated(&a.sorted, rng.below(unallocated))
            };
            (vpn << g.offset_bits) | offset
        }
    }
}

/// The `k`-th (from 0) virtual page not in `allocated`: O(allocated pages), however
/// large the address space.
fn nth_unallocated(allocated: &BTreeSet<u64>, k: u64) -> u64 {
    let mut vpn = k;
    for &taken in allocated {
        if taken > vpn {
            break;
        }
        vpn += 1;
    }
    vpn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_unallocated_page_skips_the_allocated_ones() {
        let by_scan = |allocated: &BTreeSet<u64>, k: u64| {
            (0..)
                .filter(|v| !allocated.contains(v))
                .nth(k as usize)
                .unwrap()
        };
        let sets = [
            BTreeSet::from([]),
            BTreeSet::from([0, 1]),
            BTreeSet::from([0, 2, 3, 7]),
            BTreeSet::from([5, 6, 7, 8, 9]),
        ];
        for set in &sets {
            for k in 0..12 {
                assert_eq!(nth_unallocated(set, k), by_scan(set, k), "{set:?} {k}");
            }
        }
    }
}
