//! A run of operations on a heap: the operations (`+N` mallocs N bytes, `-K` frees
//! `ptr[K]`), what each did, and the fragmentation at the end. No text here.
//!
//! Bounded: every step keeps its own results (the pointer, the elements searched,
//! the list's length), but only the first [`MAX_DETAILED`] keep the free list, the
//! memory and the chunks looked at, so that a long run costs memory in proportion
//! to its length, not to its length times the list's.

use serde::Serialize;

use super::heap::{AllocStep, Allocator, Chunk, FreeStep, Heap, Invalid, Piece};
use crate::error::Result;
use crate::sim::answer::number;
use crate::sim::params::quote;
use crate::sim::{Rng, bad_param};
use crate::tr;

/// The most operations in a run.
pub const MAX_OPS: u64 = 10_000;

/// The steps that keep their free list, memory and chunks looked at; the first steps
/// of a longer run are asked about, the rest only summed up.
pub const MAX_DETAILED: usize = 200;

/// One operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// `malloc(n)`: the result goes to the next `ptr[k]`.
    Alloc(u64),
    /// `free(ptr[k])`.
    Free(usize),
}

/// One step of a run: the operation, what it did, and the list afterwards.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub op: Op,
    pub alloc: Option<AllocStep>,
    pub free: Option<FreeStep>,
    /// How many chunks are on the free list afterwards.
    pub list_len: usize,
    /// The free list afterwards, in list order (the first steps only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_after: Option<Vec<Chunk>>,
    /// The heap by address afterwards (the first steps only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_after: Option<Vec<Piece>>,
}

/// The fragmentation at the end of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fragmentation {
    pub free_bytes: u64,
    pub free_chunks: usize,
    pub largest_free: u64,
    /// `1 - largest / free`, in whole percent rounded to nearest (0 when nothing is
    /// free).
    pub external_percent: u64,
    pub allocated_chunks: usize,
    /// Bytes of the allocated chunks: headers, requests and padding.
    pub allocated_bytes: u64,
    pub requested_bytes: u64,
    /// Headers and alignment padding of the allocated chunks.
    pub internal_bytes: u64,
}

/// A whole run: its steps, and the heap at the end.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub steps: Vec<Step>,
    pub free_list: Vec<Chunk>,
    pub memory: Vec<Piece>,
    pub fragmentation: Fragmentation,
}

/// Runs `ops` on a fresh heap.
pub fn run(cfg: Allocator, ops: &[Op]) -> Run {
    let mut heap = Heap::new(cfg);
    // ptr[k]: the pointer, or why there is none.
    let mut ptrs: Vec<std::result::Result<u64, Invalid>> = Vec::new();
    let mut steps = Vec::with_capacity(ops.len());
    for (n, &op) in ops.iter().enumerate() {
        let (mut alloc, free) = match op {
            Op::Alloc(size) => {
                let a = heap.malloc(ptrs.len(), size);
                ptrs.push(a.ptr.ok_or(Invalid::MallocFailed));
                (Some(a), None)
            }
            Op::Free(id) => {
                let (ptr, why) = match ptrs.get(id) {
                    Some(Ok(p)) => (Some(*p), None),
                    Some(Err(why)) => (None, Some(*why)),
                    None => (None, Some(Invalid::NeverAllocated)),
                };
                let f = heap.free(id, ptr, why);
                if f.invalid.is_none() {
                    ptrs[id] = Err(Invalid::DoubleFree { step: n + 1 });
                }
                (None, Some(f))
            }
        };
        let detailed = n < MAX_DETAILED;
        if let (Some(a), false) = (&mut alloc, detailed) {
            a.examined = Vec::new();
        }
        steps.push(Step {
            op,
            alloc,
            free,
            list_len: heap.free.len(),
            list_after: detailed.then(|| heap.free.clone()),
            memory_after: detailed.then(|| heap.memory()),
        });
    }
    Run {
        steps,
        fragmentation: fragmentation(&heap),
        memory: heap.memory(),
        free_list: heap.free,
    }
}

fn fragmentation(h: &Heap) -> Fragmentation {
    let free_bytes: u64 = h.free.iter().map(|c| c.size).sum();
    let largest_free = h.free.iter().map(|c| c.size).max().unwrap_or(0);
    let allocated_bytes: u64 = h.used.values().map(|u| u.chunk.size).sum();
    let requested_bytes: u64 = h.used.values().map(|u| u.request).sum();
    Fragmentation {
        free_bytes,
        free_chunks: h.free.len(),
        largest_free,
        external_percent: percent_round(free_bytes - largest_free, free_bytes),
        allocated_chunks: h.used.len(),
        allocated_bytes,
        requested_bytes,
        internal_bytes: allocated_bytes - requested_bytes,
    }
}

/// `part / whole` in whole percent, rounded half up; 0 when `whole` is 0.
pub fn percent_round(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    ((part as u128 * 200 + whole as u128) / (whole as u128 * 2)) as u64
}

/// The random operations malloc.py would make: each is a malloc of 1 to `range` bytes
/// with probability `percent`, else a free of a random live pointer (a malloc when
/// nothing is live).
pub fn generate(cfg: Allocator, rng: &mut Rng, n: u64, range: u64, percent: u64) -> Vec<Op> {
    let mut heap = Heap::new(cfg);
    let mut live: Vec<(usize, u64)> = Vec::new();
    let mut ids = 0usize;
    let mut ops = Vec::new();
    for _ in 0..n {
        if live.is_empty() || rng.chance(percent) {
            let size = rng.range(1, range);
            let a = heap.malloc(ids, size);
            if let Some(p) = a.ptr {
                live.push((ids, p));
            }
            ids += 1;
            ops.push(Op::Alloc(size));
        } else {
            let k = rng.below(live.len() as u64) as usize;
            let (id, p) = live.remove(k);
            heap.free(id, Some(p), None);
            ops.push(Op::Free(id));
        }
    }
    ops
}

/// Parses malloc.py's `-A`: `+10,-0,+20`. A free of a `ptr[K]` whose malloc comes later
/// (or never) is an error; a double free is not (it is shown as an invalid free).
pub fn parse_ops(text: &str) -> Result<Vec<Op>> {
    let mut ops = Vec::new();
    let mut allocs = 0usize;
    for item in text.split(',') {
        if ops.len() as u64 >= MAX_OPS {
            return Err(bad_param(
                "ops",
                tr!("freespace-error-ops-many", max = MAX_OPS),
            ));
        }
        let item = item.trim();
        let bad = |why: String| {
            let why = tr!("freespace-error-op", item = quote(item), why = why);
            bad_param("ops", why)
        };
        if let Some(n) = item.strip_prefix('+') {
            let n = number(n).ok_or_else(|| bad(tr!("freespace-error-op-size")))?;
            if n == 0 {
                return Err(bad(tr!("freespace-error-op-zero")));
            }
            ops.push(Op::Alloc(n));
            allocs += 1;
        } else if let Some(k) = item.strip_prefix('-') {
            let k = number(k)
                .and_then(|k| usize::try_from(k).ok())
                .ok_or_else(|| bad(tr!("freespace-error-op-index")))?;
            if k >= allocs {
                return Err(bad(tr!("freespace-error-op-later", k = k, allocs = allocs)));
            }
            ops.push(Op::Free(k));
        } else {
            return Err(bad(tr!("freespace-error-op-form")));
        }
    }
    Ok(ops)
}

/// The operations as `-A` takes them.
pub fn ops_text(ops: &[Op]) -> String {
    let v: Vec<String> = ops
        .iter()
        .map(|op| match op {
            Op::Alloc(n) => format!("+{n}"),
            Op::Free(k) => format!("-{k}"),
        })
        .collect();
    v.join(",")
}
