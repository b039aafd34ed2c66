//! Each step worked out in words: what a malloc needed, which chunks it looked at
//! and why it chose one; what a free found next to its chunk, merged and put back;
//! the list and the memory after it.

use super::heap::{AllocStep, Allocator, Chunk, FreeStep, Invalid, Order, Piece};
use super::run::{Fragmentation, Step};
use super::text::{chunk, chunks};
use crate::sim::Block;
use crate::sim::fit::Fit;
use crate::tr;

/// Step `s` worked out, then the list and the memory after it.
pub fn step(a: &Allocator, s: &Step) -> Vec<Block> {
    let mut out = match (&s.alloc, &s.free) {
        (Some(m), _) => alloc(a, m),
        (_, Some(f)) => free(a, f),
        _ => Vec::new(),
    };
    if let (Some(list), Some(memory)) = (&s.list_after, &s.memory_after) {
        out.extend(state(list, memory));
    }
    out
}

/// The free list and the memory by address.
pub fn state(list: &[Chunk], memory: &[Piece]) -> Vec<Block> {
    let list = if list.is_empty() {
        tr!("freespace-list-empty")
    } else {
        chunks(list)
    };
    let pieces: Vec<String> = memory
        .iter()
        .map(|p| match p.ptr {
            Some(id) => tr!(
                "freespace-piece-used",
                addr = p.chunk.addr.to_string(),
                id = id,
                size = p.chunk.size.to_string()
            ),
            None => tr!(
                "freespace-piece-free",
                addr = p.chunk.addr.to_string(),
                size = p.chunk.size.to_string()
            ),
        })
        .collect();
    vec![
        Block::Item(tr!("freespace-list", list = list)),
        Block::Item(tr!("freespace-memory", pieces = pieces.join(" | "))),
    ]
}

fn alloc(cfg: &Allocator, a: &AllocStep) -> Vec<Block> {
    let Some(need) = a.need else {
        return vec![Block::Item(tr!(
            "freespace-need-overflow",
            header = cfg.header.to_string(),
            request = a.request.to_string(),
            searched = a.searched
        ))];
    };
    let raw = cfg.header + a.request;
    let mut needs = if cfg.header > 0 {
        tr!(
            "freespace-need-header",
            header = cfg.header.to_string(),
            request = a.request.to_string(),
            raw = raw.to_string()
        )
    } else {
        tr!("freespace-need-plain", raw = raw.to_string())
    };
    if need != raw {
        needs = tr!(
            "freespace-need-rounded",
            needs = needs,
            align = cfg.align.to_string(),
            need = need.to_string()
        );
    }
    let mut out = vec![Block::Item(needs)];
    if a.searched == 0 {
        out.push(Block::Item(tr!("freespace-search-empty")));
        return out;
    }
    out.push(Block::Item(walk(cfg.fit)));
    if !a.examined.is_empty() {
        let looked: Vec<String> = a
            .examined
            .iter()
            .map(|&(c, fits)| match fits {
                true => tr!("freespace-looked-fits", chunk = chunk(c)),
                false => tr!("freespace-looked-small", chunk = chunk(c)),
            })
            .collect();
        out.push(Block::Item(tr!(
            "freespace-looked",
            chunks = looked.join(", ")
        )));
    }
    match (a.chosen, a.ptr) {
        (Some(c), Some(p)) => out.extend(chosen(cfg, a, c, p, need)),
        _ => out.push(Block::Item(tr!(
            "freespace-search-fails",
            searched = a.searched
        ))),
    }
    out
}

/// How the policy walks the list.
fn walk(fit: Fit) -> String {
    match fit {
        Fit::First => tr!("freespace-walk-first"),
        Fit::Next => tr!("freespace-walk-next"),
        Fit::Best => tr!("freespace-walk-best"),
        Fit::Worst => tr!("freespace-walk-worst"),
    }
}

/// The chunk chosen, what is left of it, and the pointer returned.
fn chosen(cfg: &Allocator, a: &AllocStep, c: Chunk, ptr: u64, need: u64) -> Vec<Block> {
    let mut out = vec![Block::Item(tr!(
        "freespace-chosen",
        searched = a.searched,
        chunk = chunk(c)
    ))];
    out.push(Block::Item(match a.remainder {
        Some(r) => {
            let (first, last) = (c.addr.to_string(), (c.addr + need - 1).to_string());
            let (need, rest) = (need.to_string(), chunk(r));
            if cfg.order.sorted_by_size() {
                tr!(
                    "freespace-split-sorted",
                    first = first,
                    last = last,
                    need = need,
                    rest = rest
                )
            } else {
                tr!(
                    "freespace-split",
                    first = first,
                    last = last,
                    need = need,
                    rest = rest
                )
            }
        }
        None => tr!("freespace-exact"),
    }));
    out.push(Block::Item(tr!(
        "freespace-returns",
        ptr = ptr.to_string(),
        addr = c.addr.to_string(),
        header = cfg.header.to_string()
    )));
    out
}

fn free(cfg: &Allocator, f: &FreeStep) -> Vec<Block> {
    if let Some(why) = f.invalid {
        return vec![Block::Item(tr!(
            "freespace-invalid",
            why = invalid(why, f.id)
        ))];
    }
    let (Some(c), Some(ins), Some(p)) = (f.chunk, f.inserted, f.ptr) else {
        return Vec::new();
    };
    let mut out = vec![Block::Item(tr!(
        "freespace-free-chunk",
        ptr = p.to_string(),
        header = cfg.header.to_string(),
        addr = c.addr.to_string(),
        size = c.size.to_string()
    ))];
    let mut near = Vec::new();
    if let Some(b) = f.before {
        let end = b.end().to_string();
        near.push(tr!(
            "freespace-neighbour-before",
            chunk = chunk(b),
            end = end
        ));
    }
    if let Some(a) = f.after {
        let start = a.addr.to_string();
        near.push(tr!(
            "freespace-neighbour-after",
            chunk = chunk(a),
            start = start
        ));
    }
    out.push(Block::Item(if near.is_empty() {
        tr!("freespace-free-alone")
    } else if cfg.coalesce {
        tr!(
            "freespace-free-merged",
            neighbours = near.join("; "),
            chunk = chunk(ins)
        )
    } else {
        tr!("freespace-free-unmerged", neighbours = near.join("; "))
    }));
    let place = match cfg.order {
        Order::Addr => tr!("freespace-place-addr"),
        Order::SizeUp => tr!("freespace-place-size-up"),
        Order::SizeDown => tr!("freespace-place-size-down"),
        Order::Front => tr!("freespace-place-front"),
        Order::Back => tr!("freespace-place-back"),
    };
    out.push(Block::Item(tr!(
        "freespace-free-inserted",
        chunk = chunk(ins),
        place = place
    )));
    out
}

/// Why a free is invalid, in words.
fn invalid(why: Invalid, id: usize) -> String {
    match why {
        Invalid::NeverAllocated => tr!("freespace-invalid-never", id = id),
        Invalid::MallocFailed => tr!("freespace-invalid-null", id = id),
        Invalid::DoubleFree { step } => tr!("freespace-invalid-double", id = id, step = step),
        Invalid::NotAllocated => tr!("freespace-invalid-other", id = id),
    }
}

/// External fragmentation at the end, worked out.
pub fn external(f: &Fragmentation) -> String {
    if f.free_bytes == 0 {
        tr!("freespace-external-none")
    } else if f.largest_free == f.free_bytes {
        tr!("freespace-external-one", free = f.free_bytes.to_string())
    } else {
        tr!(
            "freespace-external",
            largest = f.largest_free.to_string(),
            free = f.free_bytes.to_string(),
            percent = f.external_percent
        )
    }
}
