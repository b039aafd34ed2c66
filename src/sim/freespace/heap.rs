//! The heap a free-list allocator manages: its free list (in list order) and its
//! allocated chunks, `malloc` and `free`. No text here.
//!
//! Each `malloc(n)` needs a chunk of `header + n` bytes, rounded up to the alignment;
//! the fit policy picks a free chunk from the list, the allocator takes the needed
//! bytes from its low end and leaves the rest on the list, and returns the address
//! *after* the header. Each `free(ptr)` finds the chunk from the header just before
//! `ptr`, puts it back on the list where the list order says, and, with coalescing,
//! merges it with the free chunks that touch it *in memory* (wherever they sit in the
//! list).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::sim::fit::Fit;
use crate::sim::{bad_param, power_of_two};
use crate::tr;

/// The order of the free list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum Order {
    /// Sorted by address.
    #[serde(rename = "addr")]
    #[value(name = "addr", alias = "address", alias = "addrsort")]
    Addr,
    /// Sorted by size, smallest first (equal sizes by address).
    #[serde(rename = "size+")]
    #[value(
        name = "size+",
        alias = "sizesort+",
        alias = "size-asc",
        alias = "ascending"
    )]
    SizeUp,
    /// Sorted by size, largest first (equal sizes by address).
    #[serde(rename = "size-")]
    #[value(
        name = "size-",
        alias = "sizesort-",
        alias = "size-desc",
        alias = "descending"
    )]
    SizeDown,
    /// Freed chunks go to the front.
    #[serde(rename = "front")]
    #[value(name = "front", alias = "insert-front")]
    Front,
    /// Freed chunks go to the back.
    #[serde(rename = "back")]
    #[value(name = "back", alias = "insert-back")]
    Back,
}

impl Order {
    /// The order in a phrase, in the output language.
    pub fn name(self) -> String {
        match self {
            Order::Addr => tr!("freespace-order-addr"),
            Order::SizeUp => tr!("freespace-order-size-up"),
            Order::SizeDown => tr!("freespace-order-size-down"),
            Order::Front => tr!("freespace-order-front"),
            Order::Back => tr!("freespace-order-back"),
        }
    }

    pub fn sorted_by_size(self) -> bool {
        matches!(self, Order::SizeUp | Order::SizeDown)
    }
}

/// How the free list is kept. vmlab keeps it as its order says; OSTEP's malloc.py
/// keeps it its own way, which the `ostep` front end runs too, to show what the
/// script answers and why that differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rules {
    /// The list stays in its order; chunks of equal size by address; a freed chunk
    /// merges with its neighbours in memory.
    #[default]
    Exact,
    /// As `Exact`, but a size-sorted list keeps chunks of equal size in the order they
    /// came (a chunk goes after those of its size), as a stable sort leaves them.
    Stable,
    /// malloc.py's: a split leaves the remainder where the chunk was (so a size-sorted
    /// list goes unsorted); a free puts the chunk at the front, the back, or appends it
    /// and stable-sorts the whole list; coalescing then merges only chunks next to
    /// each other *in the list* (a chunk into the one before it when it starts where
    /// that one ends).
    MallocPy,
}

/// The allocator's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Allocator {
    /// The heap's first byte.
    #[serde(serialize_with = "crate::json::hex")]
    pub base: u64,
    pub heap_size: u64,
    /// Bytes of header in front of every allocated chunk.
    pub header: u64,
    /// Chunk sizes are rounded up to this (1: no alignment); a power of two that
    /// divides the base and the header.
    pub align: u64,
    pub fit: Fit,
    pub order: Order,
    /// Whether a freed chunk merges with the free chunks next to it in memory.
    pub coalesce: bool,
    /// How the list is kept (vmlab's way unless a front end says otherwise).
    #[serde(skip_serializing_if = "is_exact")]
    pub rules: Rules,
}

fn is_exact(r: &Rules) -> bool {
    *r == Rules::Exact
}

impl Allocator {
    /// Checks the settings (a hand-built allocator should pass too): a heap of at
    /// least a byte that ends within 64 bits, an alignment that is a power of two and
    /// divides the base and the header, so that every pointer returned is aligned,
    /// and a header that leaves room. Errors name the flag they come from.
    pub fn check(&self) -> Result<()> {
        let (base, size, header, align) = (self.base, self.heap_size, self.header, self.align);
        if size == 0 {
            return Err(bad_param("heap-size", tr!("freespace-error-heap-empty")));
        }
        if base.checked_add(size).is_none() {
            let why = tr!(
                "freespace-error-heap-end",
                size = size.to_string(),
                base = base.to_string()
            );
            return Err(bad_param("base", why));
        }
        power_of_two("align", align)?;
        if base % align != 0 {
            let (value, align) = (base.to_string(), align.to_string());
            let why = tr!("freespace-error-base-align", value = value, align = align);
            return Err(bad_param("base", why));
        }
        if header % align != 0 {
            let (value, align) = (header.to_string(), align.to_string());
            let why = tr!("freespace-error-header-align", value = value, align = align);
            return Err(bad_param("header-size", why));
        }
        if header >= size {
            let why = tr!(
                "freespace-error-header-room",
                header = header.to_string(),
                size = size.to_string()
            );
            return Err(bad_param("header-size", why));
        }
        Ok(())
    }
}

/// A chunk of the heap: its first byte and its size (header included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Chunk {
    #[serde(serialize_with = "crate::json::hex")]
    pub addr: u64,
    pub size: u64,
}

impl Chunk {
    pub fn end(self) -> u64 {
        self.addr + self.size
    }
}

/// An allocated chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Used {
    pub chunk: Chunk,
    /// What the user asked for.
    pub request: u64,
    /// The `ptr[id]` it was returned as.
    pub id: usize,
}

/// What one malloc did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllocStep {
    pub id: usize,
    pub request: u64,
    /// `header + request` rounded up to the alignment; `None` if that overflows.
    pub need: Option<u64>,
    /// The list elements looked at, in the order looked at, and whether each fits
    /// (kept for the first steps of a run only: see `run::MAX_DETAILED`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examined: Vec<(Chunk, bool)>,
    /// How many list elements were searched: first and next fit stop at the first
    /// chunk that fits, best and worst fit look at every chunk, a failed search looked
    /// at every chunk.
    pub searched: usize,
    pub chosen: Option<Chunk>,
    /// What is left of the chosen chunk on the list, if it was split.
    pub remainder: Option<Chunk>,
    /// The address returned to the user (after the header); `None` is NULL.
    #[serde(serialize_with = "crate::json::hex")]
    pub ptr: Option<u64>,
}

/// Why a free is invalid (`free` returns -1 and changes nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// `ptr[id]` was never allocated.
    NeverAllocated,
    /// Its malloc failed: it holds NULL.
    MallocFailed,
    /// It was freed already, at this step (1-based).
    DoubleFree { step: usize },
    /// It is not a pointer the allocator handed out.
    NotAllocated,
}

/// What one free did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreeStep {
    pub id: usize,
    /// The pointer freed, when `ptr[id]` holds one.
    #[serde(serialize_with = "crate::json::hex")]
    pub ptr: Option<u64>,
    /// Why the free is invalid, if it is.
    pub invalid: Option<Invalid>,
    /// The chunk freed (its header is just before the pointer).
    pub chunk: Option<Chunk>,
    /// The free chunk just before it in memory, merged (with coalescing) or not.
    pub before: Option<Chunk>,
    /// The free chunk just after it in memory, merged (with coalescing) or not.
    pub after: Option<Chunk>,
    /// The chunk put on the list (the merged one with coalescing).
    pub inserted: Option<Chunk>,
}

/// A chunk of the heap in address order, and the `ptr[id]` holding it (`None`: free).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    #[serde(flatten)]
    pub chunk: Chunk,
    pub ptr: Option<usize>,
}

/// The heap: the free list (in list order) and the allocated chunks.
#[derive(Clone, Debug)]
pub struct Heap {
    pub cfg: Allocator,
    pub free: Vec<Chunk>,
    pub used: BTreeMap<u64, Used>,
    /// Next fit: the address where the next search starts (in the free chunk that
    /// holds it, or at the list's head if none does). A merge keeps it inside the
    /// merged chunk, so next fit follows its chunk.
    pub rover: u64,
}

fn align_up(n: u64, align: u64) -> Option<u64> {
    n.checked_add(align - 1).map(|m| m / align * align)
}

impl Heap {
    pub fn new(cfg: Allocator) -> Heap {
        Heap {
            cfg,
            free: vec![Chunk {
                addr: cfg.base,
                size: cfg.heap_size,
            }],
            used: BTreeMap::new(),
            rover: cfg.base,
        }
    }

    fn position_for(&self, c: Chunk) -> usize {
        let len = self.free.len();
        let after = |p: &dyn Fn(&Chunk) -> bool| self.free.iter().position(p).unwrap_or(len);
        let stable = self.cfg.rules != Rules::Exact;
        match self.cfg.order {
            Order::Addr => after(&|f| f.addr > c.addr),
            Order::SizeUp if stable => after(&|f| f.size > c.size),
            Order::SizeDown if stable => after(&|f| f.size < c.size),
            Order::SizeUp => after(&|f| (f.size, f.addr) > (c.size, c.addr)),
            Order::SizeDown => after(&|f| {
                (std::cmp::Reverse(f.size), f.addr) > (std::cmp::Reverse(c.size), c.addr)
            }),
            Order::Front => 0,
            Order::Back => len,
        }
    }

    fn insert(&mut self, c: Chunk) {
        let at = self.position_for(c);
        self.free.insert(at, c);
    }

    /// `malloc(request)` as `ptr[id]`.
    pub fn malloc(&mut self, id: usize, request: u64) -> AllocStep {
        let need = self
            .cfg
            .header
            .checked_add(request)
            .and_then(|n| align_up(n, self.cfg.align.max(1)));
        let start = match self.cfg.fit {
            Fit::Next => self
                .free
                .iter()
                .position(|f| f.addr <= self.rover && self.rover < f.end())
                .unwrap_or(0),
            _ => 0,
        };
        let sizes: Vec<u64> = self.free.iter().map(|c| c.size).collect();
        let search = self.cfg.fit.search(&sizes, start, need);
        let examined: Vec<(Chunk, bool)> = search
            .looked
            .iter()
            .map(|&(i, fits)| (self.free[i], fits))
            .collect();
        let mut step = AllocStep {
            id,
            request,
            need,
            searched: examined.len(),
            examined,
            chosen: None,
            remainder: None,
            ptr: None,
        };
        let (Some(i), Some(need)) = (search.chosen, need) else {
            return step;
        };
        let chosen = self.free[i];
        let remainder = (chosen.size > need).then(|| Chunk {
            addr: chosen.addr + need,
            size: chosen.size - need,
        });
        self.take(i, remainder);
        let chunk = Chunk {
            addr: chosen.addr,
            size: need,
        };
        self.used.insert(chunk.addr, Used { chunk, request, id });
        step.chosen = Some(chosen);
        step.remainder = remainder;
        step.ptr = Some(chosen.addr + self.cfg.header);
        step
    }

    /// Takes free chunk `i` off the list, leaving `remainder` in its place (or, in a
    /// size-sorted list, in its place by size), and moves the rover past it.
    fn take(&mut self, i: usize, remainder: Option<Chunk>) {
        let resort = self.cfg.order.sorted_by_size() && self.cfg.rules != Rules::MallocPy;
        match remainder {
            Some(r) if resort => {
                self.free.remove(i);
                self.insert(r);
                self.rover = r.addr;
            }
            Some(r) => {
                self.free[i] = r;
                self.rover = r.addr;
            }
            None => {
                self.free.remove(i);
                let next = self.free.get(i).or(self.free.first());
                self.rover = next.map_or(self.cfg.base, |c| c.addr);
            }
        }
    }

    /// `free(ptr)` of `ptr[id]`; with `invalid`, why `ptr[id]` holds no pointer.
    pub fn free(&mut self, id: usize, ptr: Option<u64>, invalid: Option<Invalid>) -> FreeStep {
        let used = ptr
            .and_then(|p| p.checked_sub(self.cfg.header))
            .and_then(|a| self.used.get(&a).copied())
            // malloc.py frees by address: a stale pointer frees whoever has it now.
            .filter(|u| u.id == id || self.cfg.rules == Rules::MallocPy);
        let mut step = FreeStep {
            id,
            ptr,
            invalid: None,
            chunk: None,
            before: None,
            after: None,
            inserted: None,
        };
        let Some(used) = used else {
            step.invalid = Some(invalid.unwrap_or(Invalid::NotAllocated));
            return step;
        };
        self.used.remove(&used.chunk.addr);
        let c = used.chunk;
        let before = self.free.iter().copied().find(|f| f.end() == c.addr);
        let after = self.free.iter().copied().find(|f| f.addr == c.end());
        step.chunk = Some(c);
        step.before = before;
        step.after = after;
        if self.cfg.rules == Rules::MallocPy {
            self.free_as_malloc_py(c);
            step.inserted = Some(c);
            return step;
        }
        let mut merged = c;
        if self.cfg.coalesce {
            if let Some(b) = before {
                merged = Chunk {
                    addr: b.addr,
                    size: b.size + merged.size,
                };
            }
            if let Some(a) = after {
                merged.size += a.size;
            }
            self.free
                .retain(|f| Some(*f) != before && Some(*f) != after);
        }
        self.insert(merged);
        step.inserted = Some(merged);
        step
    }

    /// malloc.py's free: the chunk goes in by the order (appended, then the whole list
    /// stable-sorted: a list left unsorted by a split is sorted again), then, with
    /// coalescing, one pass merges each chunk into the one before it *in the list*
    /// when it starts where that one ends.
    fn free_as_malloc_py(&mut self, c: Chunk) {
        match self.cfg.order {
            Order::Front => self.free.insert(0, c),
            Order::Back => self.free.push(c),
            Order::Addr => {
                self.free.push(c);
                self.free.sort_by_key(|f| f.addr);
            }
            Order::SizeUp => {
                self.free.push(c);
                self.free.sort_by_key(|f| f.size);
            }
            Order::SizeDown => {
                self.free.push(c);
                self.free.sort_by_key(|f| std::cmp::Reverse(f.size));
            }
        }
        if !self.cfg.coalesce {
            return;
        }
        let mut merged: Vec<Chunk> = Vec::with_capacity(self.free.len());
        for &f in &self.free {
            match merged.last_mut() {
                Some(last) if last.end() == f.addr => last.size += f.size,
                _ => merged.push(f),
            }
        }
        self.free = merged;
    }

    /// The heap by address: free and allocated chunks.
    pub fn memory(&self) -> Vec<Piece> {
        let mut m: Vec<Piece> = self
            .free
            .iter()
            .map(|&chunk| Piece { chunk, ptr: None })
            .chain(self.used.values().map(|u| Piece {
                chunk: u.chunk,
                ptr: Some(u.id),
            }))
            .collect();
        m.sort_by_key(|p| p.chunk.addr);
        m
    }
}
