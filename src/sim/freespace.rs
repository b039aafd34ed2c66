//! `vmlab sim freespace`: a free-list allocator (OSTEP's malloc.py, done right).
//!
//! The heap starts as one free chunk. Each `malloc(n)` needs a chunk of `header + n`
//! bytes, rounded up to the alignment; the policy (first, best, worst or next fit)
//! picks a free chunk from the list, the allocator takes the needed bytes from its low
//! end and leaves the rest on the list, and returns the address *after* the header.
//! Each `free(ptr)` finds the chunk from the header just before `ptr`, puts it back on
//! the list where the list order says, and, with coalescing, merges it with the free
//! chunks that touch it *in memory* (wherever they sit in the list).
//!
//! Unlike malloc.py, the pointer returned is the one the user gets (after the header),
//! neighbours are merged by address and not only when they happen to be next to each
//! other in the list, a size-sorted list stays sorted after a split, a zero
//! percentage cannot hang or divide by zero, and the "searched" count is defined (and
//! printed): first and next fit stop at the first chunk that fits, best and worst fit
//! look at every chunk, a failed search looked at every chunk.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::answer::number;
use super::legacy::{Exercise, Question};
use super::{Rng, bad_param, power_of_two};
use crate::error::Result;

/// The parameters of `vmlab sim freespace` (OSTEP malloc.py's flags where they exist).
///
/// Parsed to numbers and names by clap itself (sizes as `100`, `4k`, `0x1000`), so
/// the struct stays small; [`config`] checks how they fit together.
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Params {
    /// Size of the heap in bytes (malloc.py -S): 100, 4k, 0x1000.
    #[arg(
        short = 'S',
        long = "heap-size",
        value_name = "SIZE",
        default_value = "100",
        value_parser = parse_size
    )]
    pub heap_size: u64,

    /// Address of the heap's first byte (malloc.py -b).
    #[arg(
        short = 'b',
        long = "base",
        value_name = "ADDR",
        default_value = "1000",
        value_parser = parse_size
    )]
    pub base: u64,

    /// Size of the header in front of every allocated chunk, in bytes (malloc.py -H).
    /// The pointer returned to the user is the chunk's address plus the header.
    #[arg(
        short = 'H',
        long = "header-size",
        value_name = "BYTES",
        default_value = "0",
        value_parser = parse_size
    )]
    pub header_size: u64,

    /// Alignment of chunks in bytes, a power of two (malloc.py -a); 1 (or 0 or -1, as
    /// malloc.py writes it) means none. Every chunk size is rounded up to it; the base
    /// and the header size must be multiples of it, so every returned pointer is aligned.
    #[arg(
        short = 'a',
        long = "align",
        value_name = "BYTES",
        default_value = "1",
        allow_negative_numbers = true,
        value_parser = parse_align
    )]
    pub align: u64,

    /// Fit policy (malloc.py -p): first, best, worst or next (next fit: first fit
    /// starting where the last search stopped). malloc.py's FIRST, BEST, WORST work.
    #[arg(
        short = 'p',
        long = "policy",
        value_name = "POLICY",
        default_value = "first",
        value_parser = Policy::parse_arg
    )]
    pub policy: Policy,

    /// Free-list order (malloc.py -l): addr (sorted by address), size+ (by size,
    /// smallest first), size- (by size, largest first), front (freed chunks go to the
    /// front), back (to the back). malloc.py's ADDRSORT, SIZESORT+, SIZESORT-,
    /// INSERT-FRONT, INSERT-BACK work.
    #[arg(
        short = 'l',
        long = "list-order",
        value_name = "ORDER",
        default_value = "addr",
        allow_hyphen_values = true,
        value_parser = Order::parse_arg
    )]
    pub list_order: Order,

    /// Coalesce a freed chunk with the free chunks next to it in memory (malloc.py -C).
    #[arg(short = 'C', long = "coalesce")]
    pub coalesce: bool,

    /// Number of random operations to generate (malloc.py -n).
    #[arg(short = 'n', long = "num-ops", value_name = "N", default_value_t = 10)]
    pub num_ops: u64,

    /// Largest request size of a random malloc; sizes are 1 to this (malloc.py -r).
    #[arg(
        short = 'r',
        long = "range",
        value_name = "SIZE",
        default_value = "10",
        value_parser = parse_size
    )]
    pub range: u64,

    /// Percentage of random operations that are mallocs, 0 to 100 (malloc.py -P). When
    /// nothing is allocated, the next operation is a malloc whatever the percentage.
    #[arg(
        short = 'P',
        long = "percent-alloc",
        value_name = "PERCENT",
        default_value_t = 50
    )]
    pub percent_alloc: u64,

    /// The operations instead of random ones (malloc.py -A): `+10,-0,+20,-1` allocates
    /// 10 bytes (`ptr[0]`), frees `ptr[0]`, allocates 20 bytes (`ptr[1]`), frees `ptr[1]`.
    #[arg(
        short = 'A',
        long = "ops",
        value_name = "OPS",
        allow_hyphen_values = true
    )]
    pub ops: Option<String>,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

fn parse_size(text: &str) -> std::result::Result<u64, String> {
    crate::addr::parse_number(text)
        .map_err(|_| format!("'{text}' is not a size (examples: 100, 4k, 0x1000)"))
}

fn parse_align(text: &str) -> std::result::Result<u64, String> {
    match text.trim() {
        "-1" | "0" => Ok(1),
        t => parse_size(t),
    }
}

/// The reason of a parameter error, for clap (which names the flag itself).
fn why_of(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Input(crate::error::InputError::BadParameter { why, .. }) => {
            why.clone()
        }
        other => other.to_string(),
    }
}

/// How a free chunk is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    First,
    Best,
    Worst,
    Next,
}

impl Policy {
    pub fn parse(text: &str) -> Result<Policy> {
        let t = text.trim().to_ascii_lowercase();
        let t = t
            .strip_suffix("-fit")
            .or_else(|| t.strip_suffix("fit"))
            .unwrap_or(&t);
        Ok(match t {
            "first" => Policy::First,
            "best" => Policy::Best,
            "worst" => Policy::Worst,
            "next" => Policy::Next,
            _ => {
                return Err(bad_param(
                    "policy",
                    format!("'{text}' is not a policy: first, best, worst or next"),
                ));
            }
        })
    }

    fn parse_arg(text: &str) -> std::result::Result<Policy, String> {
        Policy::parse(text).map_err(|e| why_of(&e))
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::First => "first fit",
            Policy::Best => "best fit",
            Policy::Worst => "worst fit",
            Policy::Next => "next fit",
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Policy::First => "first",
            Policy::Best => "best",
            Policy::Worst => "worst",
            Policy::Next => "next",
        }
    }
}

/// The order of the free list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Order {
    /// Sorted by address.
    #[serde(rename = "addr")]
    Addr,
    /// Sorted by size, smallest first (equal sizes by address).
    #[serde(rename = "size+")]
    SizeUp,
    /// Sorted by size, largest first (equal sizes by address).
    #[serde(rename = "size-")]
    SizeDown,
    /// Freed chunks go to the front.
    #[serde(rename = "front")]
    Front,
    /// Freed chunks go to the back.
    #[serde(rename = "back")]
    Back,
}

impl Order {
    pub fn parse(text: &str) -> Result<Order> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "addr" | "address" | "addrsort" => Order::Addr,
            "size+" | "sizesort+" | "size-asc" | "ascending" => Order::SizeUp,
            "size-" | "sizesort-" | "size-desc" | "descending" => Order::SizeDown,
            "front" | "insert-front" => Order::Front,
            "back" | "insert-back" => Order::Back,
            _ => {
                return Err(bad_param(
                    "list-order",
                    format!(
                        "'{text}' is not a list order: addr, size+, size-, front or back \
                         (or malloc.py's ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, \
                         INSERT-BACK)"
                    ),
                ));
            }
        })
    }

    fn parse_arg(text: &str) -> std::result::Result<Order, String> {
        Order::parse(text).map_err(|e| why_of(&e))
    }

    pub fn name(self) -> &'static str {
        match self {
            Order::Addr => "sorted by address",
            Order::SizeUp => "sorted by size, smallest first (equal sizes by address)",
            Order::SizeDown => "sorted by size, largest first (equal sizes by address)",
            Order::Front => "freed chunks inserted at the front",
            Order::Back => "freed chunks inserted at the back",
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Order::Addr => "addr",
            Order::SizeUp => "size+",
            Order::SizeDown => "size-",
            Order::Front => "front",
            Order::Back => "back",
        }
    }

    fn sorted_by_size(self) -> bool {
        matches!(self, Order::SizeUp | Order::SizeDown)
    }
}

/// A chunk of the heap: its first byte and its size (header included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub addr: u64,
    pub size: u64,
}

impl Chunk {
    fn end(self) -> u64 {
        self.addr + self.size
    }
}

/// The allocator's settings, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Config {
    pub base: u64,
    pub heap_size: u64,
    pub header: u64,
    pub align: u64,
    pub policy: Policy,
    pub order: Order,
    pub coalesce: bool,
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
    /// The list elements looked at, in the order looked at, and whether each fits.
    pub examined: Vec<(Chunk, bool)>,
    /// How many list elements were searched (`examined.len()`).
    pub searched: usize,
    pub chosen: Option<Chunk>,
    /// What is left of the chosen chunk on the list, if it was split.
    pub remainder: Option<Chunk>,
    /// The address returned to the user (after the header); `None` is a failure.
    pub ptr: Option<u64>,
}

/// What one free did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreeStep {
    pub id: usize,
    /// The pointer freed, when `ptr[id]` holds one.
    pub ptr: Option<u64>,
    /// Why the free is invalid (`free` returns -1 and nothing changes), if it is.
    pub invalid: Option<String>,
    /// The chunk freed (its header is just before the pointer).
    pub chunk: Option<Chunk>,
    /// The free chunk just before it in memory, merged (with coalescing) or not.
    pub before: Option<Chunk>,
    /// The free chunk just after it in memory, merged (with coalescing) or not.
    pub after: Option<Chunk>,
    /// The chunk put on the list (the merged one with coalescing).
    pub inserted: Option<Chunk>,
}

/// The heap: the free list (in list order) and the allocated chunks.
#[derive(Clone, Debug)]
pub struct Heap {
    pub cfg: Config,
    pub free: Vec<Chunk>,
    pub used: BTreeMap<u64, Used>,
    /// Next fit: the address where the next search starts (in the free chunk that
    /// holds it, or at the list's head if none does).
    pub rover: u64,
}

fn align_up(n: u64, align: u64) -> Option<u64> {
    n.checked_add(align - 1).map(|m| m / align * align)
}

impl Heap {
    pub fn new(cfg: Config) -> Heap {
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
        match self.cfg.order {
            Order::Addr => after(&|f| f.addr > c.addr),
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
            .and_then(|n| align_up(n, self.cfg.align));
        let n = self.free.len();
        let start = match self.cfg.policy {
            Policy::Next => self
                .free
                .iter()
                .position(|f| f.addr <= self.rover && self.rover < f.end())
                .unwrap_or(0),
            _ => 0,
        };
        let mut examined = Vec::new();
        let mut pick: Option<usize> = None;
        for i in (start..n).chain(0..start) {
            let c = self.free[i];
            let fits = need.is_some_and(|need| c.size >= need);
            examined.push((c, fits));
            if !fits {
                continue;
            }
            match self.cfg.policy {
                Policy::First | Policy::Next => {
                    pick = Some(i);
                    break;
                }
                Policy::Best => {
                    if pick.is_none_or(|p| c.size < self.free[p].size) {
                        pick = Some(i);
                    }
                }
                Policy::Worst => {
                    if pick.is_none_or(|p| c.size > self.free[p].size) {
                        pick = Some(i);
                    }
                }
            }
        }
        let searched = examined.len();
        let (Some(i), Some(need)) = (pick, need) else {
            return AllocStep {
                id,
                request,
                need,
                examined,
                searched,
                chosen: None,
                remainder: None,
                ptr: None,
            };
        };
        let chosen = self.free[i];
        let remainder = (chosen.size > need).then(|| Chunk {
            addr: chosen.addr + need,
            size: chosen.size - need,
        });
        match remainder {
            Some(r) if self.cfg.order.sorted_by_size() => {
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
        let chunk = Chunk {
            addr: chosen.addr,
            size: need,
        };
        self.used.insert(chunk.addr, Used { chunk, request, id });
        AllocStep {
            id,
            request,
            need: Some(need),
            examined,
            searched,
            chosen: Some(chosen),
            remainder,
            ptr: Some(chosen.addr + self.cfg.header),
        }
    }

    /// `free(ptr)` of the chunk allocated at `addr` as `ptr[id]`; `None` (with why)
    /// when `ptr[id]` holds no allocated pointer.
    pub fn free(&mut self, id: usize, ptr: Option<u64>, invalid: Option<String>) -> FreeStep {
        let used = ptr
            .and_then(|p| p.checked_sub(self.cfg.header))
            .and_then(|a| self.used.get(&a).copied())
            .filter(|u| u.id == id);
        let Some(used) = used else {
            return FreeStep {
                id,
                ptr,
                invalid: Some(invalid.unwrap_or_else(|| "not an allocated pointer".into())),
                chunk: None,
                before: None,
                after: None,
                inserted: None,
            };
        };
        self.used.remove(&used.chunk.addr);
        let c = used.chunk;
        let before = self.free.iter().position(|f| f.end() == c.addr);
        let after = self.free.iter().position(|f| f.addr == c.end());
        let (before_c, after_c) = (before.map(|i| self.free[i]), after.map(|i| self.free[i]));
        let mut merged = c;
        if self.cfg.coalesce {
            if let Some(b) = before_c {
                merged = Chunk {
                    addr: b.addr,
                    size: b.size + merged.size,
                };
            }
            if let Some(a) = after_c {
                merged.size += a.size;
            }
            self.free
                .retain(|f| Some(*f) != before_c && Some(*f) != after_c);
        }
        self.insert(merged);
        FreeStep {
            id,
            ptr,
            invalid: None,
            chunk: Some(c),
            before: before_c,
            after: after_c,
            inserted: Some(merged),
        }
    }

    /// The heap by address: free and allocated chunks.
    pub fn memory(&self) -> Vec<(Chunk, Option<usize>)> {
        let mut m: Vec<(Chunk, Option<usize>)> = self
            .free
            .iter()
            .map(|c| (*c, None))
            .chain(self.used.values().map(|u| (u.chunk, Some(u.id))))
            .collect();
        m.sort_by_key(|(c, _)| c.addr);
        m
    }
}

/// One operation: `+N` mallocs N bytes, `-K` frees `ptr[K]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Alloc(u64),
    Free(usize),
}

/// One step of a run: the operation, what it did, and the list afterwards.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub op: Op,
    pub alloc: Option<AllocStep>,
    pub free: Option<FreeStep>,
    pub list_after: Vec<Chunk>,
    /// The heap by address afterwards: each chunk with the `ptr[id]` holding it, or
    /// `None` when free.
    pub memory_after: Vec<(Chunk, Option<usize>)>,
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

/// A whole run.
#[derive(Clone, Debug)]
pub struct Run {
    pub steps: Vec<Step>,
    pub heap: Heap,
}

/// Runs `ops` on a fresh heap.
pub fn run(cfg: Config, ops: &[Op]) -> Run {
    let mut heap = Heap::new(cfg);
    // ptr[k]: the pointer, or why there is none.
    let mut ptrs: Vec<std::result::Result<u64, String>> = Vec::new();
    let mut steps = Vec::new();
    for (n, &op) in ops.iter().enumerate() {
        let (alloc, free) = match op {
            Op::Alloc(size) => {
                let id = ptrs.len();
                let a = heap.malloc(id, size);
                ptrs.push(a.ptr.ok_or_else(|| {
                    format!("ptr[{id}] holds no pointer: its malloc failed (NULL)")
                }));
                (Some(a), None)
            }
            Op::Free(id) => {
                let (ptr, why) = match ptrs.get(id) {
                    Some(Ok(p)) => (Some(*p), None),
                    Some(Err(why)) => (None, Some(why.clone())),
                    None => (None, Some(format!("ptr[{id}] was never allocated"))),
                };
                let f = heap.free(id, ptr, why);
                if f.invalid.is_none() {
                    ptrs[id] = Err(format!(
                        "ptr[{id}] was already freed at step {} (a double free)",
                        n + 1
                    ));
                }
                (None, Some(f))
            }
        };
        steps.push(Step {
            op,
            alloc,
            free,
            list_after: heap.free.clone(),
            memory_after: heap.memory(),
        });
    }
    Run { steps, heap }
}

impl Run {
    pub fn fragmentation(&self) -> Fragmentation {
        let h = &self.heap;
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
}

/// `part / whole` in whole percent, rounded half up; 0 when `whole` is 0.
fn percent_round(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    ((part as u128 * 200 + whole as u128) / (whole as u128 * 2)) as u64
}

/// The random operations malloc.py would make: each is a malloc of 1 to `range` bytes
/// with probability `percent`, else a free of a random live pointer (a malloc when
/// nothing is live).
pub fn generate(cfg: Config, rng: &mut Rng, n: u64, range: u64, percent: u64) -> Vec<Op> {
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
        let item = item.trim();
        let bad = |why: String| bad_param("ops", format!("'{item}' in '{text}': {why}"));
        if let Some(n) = item.strip_prefix('+') {
            let n = number(n).ok_or_else(|| bad("expected +SIZE, a number of bytes".into()))?;
            if n == 0 {
                return Err(bad("malloc(0): sizes start at 1".into()));
            }
            ops.push(Op::Alloc(n));
            allocs += 1;
        } else if let Some(k) = item.strip_prefix('-') {
            let k = number(k)
                .and_then(|k| usize::try_from(k).ok())
                .ok_or_else(|| bad("expected -K, the index of ptr[K] to free".into()))?;
            if k >= allocs {
                return Err(bad(format!(
                    "ptr[{k}] does not exist yet (only {allocs} malloc(s) before it: ptr[0] \
                     is the first)"
                )));
            }
            ops.push(Op::Free(k));
        } else {
            return Err(bad(
                "each operation is +SIZE (malloc) or -K (free ptr[K]), separated by commas".into(),
            ));
        }
    }
    if ops.len() > MAX_OPS as usize {
        return Err(bad_param("ops", format!("at most {MAX_OPS} operations")));
    }
    Ok(ops)
}

const MAX_OPS: u64 = 10_000;

/// Validates the parameters into a [`Config`] and the operations.
pub fn config(p: &Params, seed: u64) -> Result<(Config, Vec<Op>)> {
    let (heap_size, base, header, align) = (p.heap_size, p.base, p.header_size, p.align);
    if heap_size == 0 {
        return Err(bad_param("heap-size", "the heap needs at least 1 byte"));
    }
    if base.checked_add(heap_size).is_none() {
        return Err(bad_param(
            "base",
            format!("a heap of {heap_size} bytes at {base} runs past the end of the address space"),
        ));
    }
    let align = align.max(1);
    power_of_two("align", align)?;
    if base % align != 0 {
        return Err(bad_param(
            "base",
            format!(
                "{base} is not a multiple of --align {align}: the first chunk would not be aligned"
            ),
        ));
    }
    if header % align != 0 {
        return Err(bad_param(
            "header-size",
            format!(
                "{header} is not a multiple of --align {align}: the pointer after the header \
                 would not be aligned"
            ),
        ));
    }
    if header >= heap_size {
        return Err(bad_param(
            "header-size",
            format!("a header of {header} bytes leaves no room in a heap of {heap_size} bytes"),
        ));
    }
    let cfg = Config {
        base,
        heap_size,
        header,
        align,
        policy: p.policy,
        order: p.list_order,
        coalesce: p.coalesce,
    };
    let ops = match &p.ops {
        Some(text) => parse_ops(text)?,
        None => {
            super::percent("percent-alloc", p.percent_alloc)?;
            if p.num_ops > MAX_OPS {
                return Err(bad_param(
                    "num-ops",
                    format!("{} operations is too many (at most {MAX_OPS})", p.num_ops),
                ));
            }
            let range = p.range;
            if range == 0 {
                return Err(bad_param("range", "the largest request must be at least 1"));
            }
            let mut rng = Rng::new(seed);
            generate(cfg, &mut rng, p.num_ops, range, p.percent_alloc)
        }
    };
    Ok((cfg, ops))
}

fn show(c: Chunk) -> String {
    format!("[ addr:{} sz:{} ]", c.addr, c.size)
}

fn show_list(list: &[Chunk]) -> String {
    let items: Vec<String> = list.iter().map(|c| show(*c)).collect();
    format!("Free List [ Size {} ]: {}", list.len(), items.join(" "))
}

fn show_memory(m: &[(Chunk, Option<usize>)]) -> String {
    let items: Vec<String> = m
        .iter()
        .map(|(c, id)| match id {
            Some(id) => format!("{} ptr[{id}]({})", c.addr, c.size),
            None => format!("{} free({})", c.addr, c.size),
        })
        .collect();
    format!("Memory by address: {}", items.join(" | "))
}

fn op_text(op: Op, id: Option<usize>) -> String {
    match op {
        Op::Alloc(n) => format!("ptr[{}] = Alloc({n})", id.unwrap_or(0)),
        Op::Free(k) => format!("Free(ptr[{k}])"),
    }
}

fn explain_alloc(cfg: &Config, a: &AllocStep, out: &mut Vec<String>) {
    let Some(need) = a.need else {
        out.push(format!(
            "  needs header {} + {} bytes: more than any heap can hold → fails",
            cfg.header, a.request
        ));
        out.push(format!(
            "  searched {} element(s); returns NULL",
            a.searched
        ));
        return;
    };
    let raw = cfg.header + a.request;
    let mut needs = if cfg.header > 0 {
        format!(
            "  needs header {} + {} = {raw} bytes",
            cfg.header, a.request
        )
    } else {
        format!("  needs {raw} bytes (no header)")
    };
    if need != raw {
        needs += &format!(", rounded up to a multiple of {}: {need}", cfg.align);
    }
    out.push(needs);
    if a.examined.is_empty() {
        out.push("  the free list is empty: searched 0 elements → fails, returns NULL".into());
        return;
    }
    let looked: Vec<String> = a
        .examined
        .iter()
        .map(|(c, fits)| {
            format!(
                "{} sz:{} {}",
                c.addr,
                c.size,
                if *fits { "fits" } else { "too small" }
            )
        })
        .collect();
    let how = match cfg.policy {
        Policy::First => {
            "first fit: walk the list from its head, stop at the first chunk that fits"
        }
        Policy::Next => {
            "next fit: walk the list from where the last search stopped (wrapping), stop at the first chunk that fits"
        }
        Policy::Best => {
            "best fit: look at every chunk, take the smallest that fits (the first of equals in list order)"
        }
        Policy::Worst => {
            "worst fit: look at every chunk, take the largest that fits (the first of equals in list order)"
        }
    };
    out.push(format!("  {how}"));
    out.push(format!("    {}", looked.join(", ")));
    match (a.chosen, a.ptr) {
        (Some(c), Some(p)) => {
            out.push(format!(
                "  searched {} element(s); chosen {}",
                a.searched,
                show(c)
            ));
            match a.remainder {
                Some(r) => out.push(format!(
                    "  split: {}..{} allocated ({need} bytes), the rest {} stays free{}",
                    c.addr,
                    c.addr + need - 1,
                    show(r),
                    if cfg.order.sorted_by_size() {
                        " (moved to its place by size)"
                    } else {
                        " (in the chosen chunk's place in the list)"
                    }
                )),
                None => {
                    out.push("  exact fit: the whole chunk is allocated and leaves the list".into())
                }
            }
            out.push(format!(
                "  returns {p} = chunk {} + header {}",
                c.addr, cfg.header
            ));
        }
        _ => out.push(format!(
            "  searched {} element(s), none large enough → fails, returns NULL",
            a.searched
        )),
    }
}

fn explain_free(cfg: &Config, f: &FreeStep, out: &mut Vec<String>) {
    if let Some(why) = &f.invalid {
        out.push(format!(
            "  invalid: {why}; free returns -1 and changes nothing"
        ));
        return;
    }
    let (Some(c), Some(ins), Some(p)) = (f.chunk, f.inserted, f.ptr) else {
        return;
    };
    out.push(format!(
        "  {p} - header {} = chunk {}, size {} (read from its header)",
        cfg.header, c.addr, c.size
    ));
    let mut nb = Vec::new();
    if let Some(b) = f.before {
        nb.push(format!("before it {} (ends at {})", show(b), b.end()));
    }
    if let Some(a) = f.after {
        nb.push(format!("after it {} (starts at {})", show(a), a.addr));
    }
    if nb.is_empty() {
        out.push("  no free chunk touches it in memory: nothing to merge".into());
    } else if cfg.coalesce {
        out.push(format!(
            "  free neighbours in memory: {}: merged into {}",
            nb.join("; "),
            show(ins)
        ));
    } else {
        out.push(format!(
            "  free neighbours in memory: {}: not merged (coalescing is off)",
            nb.join("; ")
        ));
    }
    let whereto = match cfg.order {
        Order::Addr => "in address order",
        Order::SizeUp => "in size order, smallest first",
        Order::SizeDown => "in size order, largest first",
        Order::Front => "at the front",
        Order::Back => "at the back",
    };
    out.push(format!(
        "  {} goes on the list {whereto}; returns 0",
        show(ins)
    ));
}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let (cfg, ops) = config(params, seed)?;
    let r = run(cfg, &ops);
    let frag = r.fragmentation();

    let mut problem = vec![
        format!(
            "Heap: {} bytes at address {} ({}..{}); header {} bytes; alignment {}",
            cfg.heap_size,
            cfg.base,
            cfg.base,
            cfg.base + cfg.heap_size - 1,
            cfg.header,
            if cfg.align == 1 {
                "none".to_string()
            } else {
                format!("{} bytes", cfg.align)
            }
        ),
        format!(
            "Policy: {}; free list {}; coalescing {}",
            cfg.policy.name(),
            cfg.order.name(),
            if cfg.coalesce {
                "on (with the free chunks next to it in memory)"
            } else {
                "off"
            }
        ),
        "Rules: a chunk is header + request, rounded up to the alignment, taken from the low \
         end of the chosen free chunk; the rest stays free."
            .into(),
        "       malloc returns the address after the header (NULL when nothing fits); first and \
         next fit stop searching at the first chunk that fits, best and worst fit look at \
         every chunk."
            .into(),
        show_list(&[Chunk {
            addr: cfg.base,
            size: cfg.heap_size,
        }]),
        String::new(),
        "Operations:".into(),
    ];
    let mut ids = 0usize;
    let mut questions = Vec::new();
    let mut solution = Vec::new();
    // A summary table first, then each step.
    solution.push(format!(
        "{:>4}  {:<22} {:>5} {:>8} {:>9}  {}",
        "step", "operation", "need", "searched", "returns", "free list (addr:size, list order)"
    ));
    let mut detail = Vec::new();
    for (n, s) in r.steps.iter().enumerate() {
        let text = match s.op {
            Op::Alloc(_) => {
                let t = op_text(s.op, Some(ids));
                ids += 1;
                t
            }
            Op::Free(_) => op_text(s.op, None),
        };
        problem.push(format!("  {:>3}. {text}", n + 1));
        let list: Vec<String> = s
            .list_after
            .iter()
            .map(|c| format!("{}:{}", c.addr, c.size))
            .collect();
        let (need, searched, ret) = match (&s.alloc, &s.free) {
            (Some(a), _) => (
                a.need.map_or("-".into(), |n| n.to_string()),
                a.searched.to_string(),
                a.ptr.map_or("NULL".into(), |p| p.to_string()),
            ),
            (_, Some(f)) => (
                "".into(),
                "".into(),
                if f.invalid.is_some() { "-1" } else { "0" }.into(),
            ),
            _ => Default::default(),
        };
        solution.push(format!(
            "{:>4}  {:<22} {:>5} {:>8} {:>9}  {}",
            n + 1,
            text,
            need,
            searched,
            ret,
            if list.is_empty() {
                "(empty)".into()
            } else {
                list.join(" ")
            }
        ));
        detail.push(String::new());
        detail.push(format!("Step {}: {text}", n + 1));
        if let Some(a) = &s.alloc {
            explain_alloc(&cfg, a, &mut detail);
            let null: &[&str] = &["fail", "failed", "failure", "-1", "0", "none"];
            ask(
                &mut questions,
                format!("step {}, {text}: the address returned (or NULL)", n + 1),
                a.ptr.map_or("NULL".into(), |p| p.to_string()),
                if a.ptr.is_none() { null } else { &[] },
            );
            ask(
                &mut questions,
                format!("step {}: how many free-list elements were searched?", n + 1),
                a.searched.to_string(),
                &[],
            );
        }
        if let Some(f) = &s.free {
            explain_free(&cfg, f, &mut detail);
            ask(
                &mut questions,
                format!(
                    "step {}, {text}: how many chunks are on the free list afterwards?",
                    n + 1
                ),
                s.list_after.len().to_string(),
                &[],
            );
        }
        detail.push(format!("  {}", show_list(&s.list_after)));
        detail.push(format!("  {}", show_memory(&s.memory_after)));
    }
    solution.extend(detail);
    let memory = r.heap.memory();
    solution.push(String::new());
    solution.push("At the end".into());
    solution.push(format!("  {}", show_list(&r.heap.free)));
    solution.push(format!("  {}", show_memory(&memory)));
    let floor = (frag.free_bytes - frag.largest_free)
        .checked_mul(100)
        .and_then(|x| x.checked_div(frag.free_bytes))
        .unwrap_or(0);
    let ceil = if frag.free_bytes == 0 {
        0
    } else {
        ((frag.free_bytes - frag.largest_free) as u128 * 100).div_ceil(frag.free_bytes as u128)
            as u64
    };
    solution.push(format!(
        "  free: {} bytes in {} chunk(s), the largest {} bytes",
        frag.free_bytes, frag.free_chunks, frag.largest_free
    ));
    if frag.free_bytes == 0 {
        solution.push(
            "  external fragmentation: nothing is free, so none (0%, not a division by zero)"
                .into(),
        );
    } else if frag.largest_free == frag.free_bytes {
        solution.push(format!(
            "  external fragmentation = 1 - largest/free = 1 - {0}/{0} = 0%: all free \
             space is one chunk",
            frag.free_bytes
        ));
    } else {
        solution.push(format!(
            "  external fragmentation = 1 - largest/free = 1 - {}/{} = {}% (rounded): a \
             request needing more than {} bytes fails although {} bytes are free",
            frag.largest_free,
            frag.free_bytes,
            frag.external_percent,
            frag.largest_free,
            frag.free_bytes
        ));
    }
    let ask_internal = cfg.header > 0 || cfg.align > 1;
    if ask_internal {
        solution.push(format!(
            "  internal fragmentation: {} live chunk(s) hold {} bytes for {} requested: {} \
             bytes of headers and padding",
            frag.allocated_chunks, frag.allocated_bytes, frag.requested_bytes, frag.internal_bytes
        ));
    }
    ask(
        &mut questions,
        "at the end: how many bytes are free?".into(),
        frag.free_bytes.to_string(),
        &[],
    );
    ask(
        &mut questions,
        "at the end: how many chunks are on the free list?".into(),
        frag.free_chunks.to_string(),
        &[],
    );
    ask(
        &mut questions,
        "at the end: the size of the largest free chunk?".into(),
        frag.largest_free.to_string(),
        &[],
    );
    let floor_s = floor.to_string();
    let ceil_s = ceil.to_string();
    ask(
        &mut questions,
        "at the end: external fragmentation, 1 - largest/free, in whole percent (0 if \
         nothing is free)?"
            .into(),
        frag.external_percent.to_string(),
        &[floor_s.as_str(), ceil_s.as_str()],
    );
    if ask_internal {
        ask(
            &mut questions,
            "at the end: bytes of the allocated chunks not requested by the user (headers \
             and padding)?"
                .into(),
            frag.internal_bytes.to_string(),
            &[],
        );
    }

    let steps_json: Vec<serde_json::Value> = r
        .steps
        .iter()
        .map(|s| {
            json!({
                "op": s.op,
                "alloc": s.alloc,
                "free": s.free,
                "free_list": s.list_after,
            })
        })
        .collect();
    let memory_json: Vec<serde_json::Value> = memory
        .iter()
        .map(|(c, id)| json!({"addr": c.addr, "size": c.size, "ptr": id}))
        .collect();
    let data = json!({
        "config": cfg,
        "ops": ops,
        "steps": steps_json,
        "final": {
            "free_list": r.heap.free,
            "memory": memory_json,
            "fragmentation": frag,
        },
    });
    let params_json = json!({
        "heap-size": cfg.heap_size,
        "base": cfg.base,
        "header-size": cfg.header,
        "align": cfg.align,
        "policy": cfg.policy.flag(),
        "list-order": cfg.order.flag(),
        "coalesce": cfg.coalesce,
        "num-ops": params.num_ops,
        "range": params.range,
        "percent-alloc": params.percent_alloc,
        "ops": ops_text(&ops),
    });
    Ok(Exercise {
        simulator: "freespace".into(),
        seed,
        params: params_json,
        problem,
        questions,
        solution,
        real: if real { real_part() } else { Vec::new() },
        data,
    })
}

fn ask(questions: &mut Vec<Question>, prompt: String, answer: String, also: &[&str]) {
    let id = questions.len() + 1;
    questions.push(Question::new(id, prompt, answer).or(also));
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

/// The measured part: glibc's (or the C library's) malloc in this very process. The
/// kernel has no free list to show; it only hands the heap out in pages.
fn real_part() -> Vec<String> {
    const N: usize = 100;
    let mut out = vec![
        "The C library's malloc in this vmlab process (user space: the kernel only sees the \
         heap grow by pages, with brk or mmap):"
            .to_string(),
    ];
    // SAFETY: malloc/free/malloc_usable_size on blocks this function owns; every block
    // is freed before returning, and none is read or written through.
    let (p, usable, again) = unsafe {
        let p: Vec<*mut libc::c_void> = (0..3).map(|_| libc::malloc(N)).collect();
        if p.iter().any(|x| x.is_null()) {
            p.iter().for_each(|x| libc::free(*x));
            out.push("  malloc returned NULL: nothing to measure".into());
            return out;
        }
        let usable = libc::malloc_usable_size(p[0]);
        libc::free(p[1]);
        libc::free(p[0]);
        let again = libc::malloc(N);
        libc::free(again);
        libc::free(p[2]);
        (
            p.iter().map(|x| *x as u64).collect::<Vec<u64>>(),
            usable as u64,
            again as u64,
        )
    };
    let gaps: Vec<i128> = p.windows(2).map(|w| w[1] as i128 - w[0] as i128).collect();
    out.push(format!(
        "  malloc({N}) three times → {:#x}, {:#x}, {:#x} (gaps {} and {} bytes)",
        p[0], p[1], p[2], gaps[0], gaps[1]
    ));
    let align = p
        .iter()
        .map(|x| 1u64 << x.trailing_zeros().min(12))
        .min()
        .unwrap_or(1);
    out.push(format!(
        "  all three pointers are multiples of {align}; malloc_usable_size = {usable} bytes for a \
         {N}-byte request"
    ));
    if gaps[0] == gaps[1] && gaps[0] > 0 {
        let chunk = gaps[0] as u64;
        out.push(format!(
            "  adjacent chunks {chunk} bytes apart: {N} requested + {} of header and padding \
             (the simulator's --header-size and --align)",
            chunk.saturating_sub(N as u64)
        ));
    } else {
        out.push(
            "  the three blocks are not adjacent (reused holes from earlier frees): the gaps \
             are not chunk sizes"
                .into(),
        );
    }
    out.push(format!(
        "  free(p1), free(p0), then malloc({N}) → {:#x}{}",
        again,
        if again == p[0] {
            " = p0: the chunk freed last comes back first (a list with insert-front order)"
        } else if again == p[1] {
            " = p1: the chunk freed first comes back first"
        } else {
            ": neither freed block"
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, InputError};

    fn cfg(policy: Policy, order: Order, coalesce: bool) -> Config {
        Config {
            base: 1000,
            heap_size: 100,
            header: 0,
            align: 1,
            policy,
            order,
            coalesce,
        }
    }

    fn c(addr: u64, size: u64) -> Chunk {
        Chunk { addr, size }
    }

    fn ops(text: &str) -> Vec<Op> {
        parse_ops(text).unwrap()
    }

    fn ptrs(r: &Run) -> Vec<Option<u64>> {
        r.steps
            .iter()
            .filter_map(|s| s.alloc.as_ref().map(|a| a.ptr))
            .collect()
    }

    #[test]
    fn first_fit_splits_from_the_low_end_and_reuses_a_freed_hole() {
        let r = run(
            cfg(Policy::First, Order::Addr, false),
            &ops("+10,+20,-0,+5"),
        );
        assert_eq!(ptrs(&r), [Some(1000), Some(1010), Some(1000)]);
        assert_eq!(r.steps[1].list_after, [c(1030, 70)]);
        assert_eq!(r.steps[2].list_after, [c(1000, 10), c(1030, 70)]);
        assert_eq!(r.steps[3].list_after, [c(1005, 5), c(1030, 70)]);
        assert_eq!(r.steps[3].alloc.as_ref().unwrap().searched, 1);
    }

    /// Free list [1000:10, 1015:20, 1040:30, 1070:30], then a request for 15.
    fn holes(policy: Policy) -> AllocStep {
        let r = run(
            cfg(policy, Order::Addr, false),
            &ops("+10,+5,+20,+5,+30,-0,-2,-4,+15"),
        );
        assert_eq!(
            r.steps[7].list_after,
            [c(1000, 10), c(1015, 20), c(1040, 30), c(1070, 30)]
        );
        r.steps[8].alloc.clone().unwrap()
    }

    #[test]
    fn best_worst_and_first_fit_choose_and_count_as_defined() {
        let best = holes(Policy::Best);
        assert_eq!((best.ptr, best.searched), (Some(1015), 4));
        assert_eq!(best.remainder, Some(c(1030, 5)));
        // Two chunks of 30: the first in list order wins.
        let worst = holes(Policy::Worst);
        assert_eq!((worst.ptr, worst.searched), (Some(1040), 4));
        let first = holes(Policy::First);
        assert_eq!((first.ptr, first.searched), (Some(1015), 2));
        assert!(!first.examined[0].1 && first.examined[1].1);
    }

    #[test]
    fn coalescing_merges_neighbours_in_memory_not_in_the_list() {
        let r = run(
            cfg(Policy::First, Order::Front, true),
            &ops("+10,+10,+10,-0,-2,-1"),
        );
        assert_eq!(r.steps[3].list_after, [c(1000, 10), c(1030, 70)]);
        // ptr[2] at 1020 merges with the free 1030:70 after it.
        assert_eq!(r.steps[4].list_after, [c(1020, 80), c(1000, 10)]);
        // ptr[1] at 1010 sits between 1000:10 (last in the list) and 1020:80 (first in
        // the list): both merge. malloc.py, merging list neighbours only, kept two.
        let f = r.steps[5].free.clone().unwrap();
        assert_eq!((f.before, f.after), (Some(c(1000, 10)), Some(c(1020, 80))));
        assert_eq!(r.steps[5].list_after, [c(1000, 100)]);
        // Without coalescing the same run ends with three chunks.
        let r = run(
            cfg(Policy::First, Order::Front, false),
            &ops("+10,+10,+10,-0,-2,-1"),
        );
        assert_eq!(
            r.steps[5].list_after,
            [c(1010, 10), c(1020, 10), c(1000, 10), c(1030, 70)]
        );
    }

    #[test]
    fn header_and_alignment_shift_the_pointer_and_round_the_chunk() {
        let mut k = cfg(Policy::First, Order::Addr, false);
        k.heap_size = 64;
        k.header = 8;
        k.align = 8;
        let r = run(k, &ops("+1,+8,+9,+1"));
        // Chunks 16, 16, 24 at 1000, 1016, 1032; the user gets the byte after the header.
        assert_eq!(ptrs(&r), [Some(1008), Some(1024), Some(1040), None]);
        assert_eq!(r.steps[2].alloc.as_ref().unwrap().need, Some(24));
        assert_eq!(r.steps[3].alloc.as_ref().unwrap().searched, 1);
        let f = r.fragmentation();
        assert_eq!(
            (f.free_bytes, f.largest_free, f.external_percent),
            (8, 8, 0)
        );
        assert_eq!(
            (f.allocated_bytes, f.requested_bytes, f.internal_bytes),
            (56, 18, 38)
        );
        // Freeing takes the header off the pointer to find the chunk.
        let r = run(k, &ops("+1,-0"));
        let f = r.steps[1].free.clone().unwrap();
        assert_eq!((f.ptr, f.chunk), (Some(1008), Some(c(1000, 16))));
    }

    #[test]
    fn next_fit_starts_where_the_last_search_stopped_and_wraps() {
        let r = run(
            cfg(Policy::Next, Order::Addr, false),
            &ops("+10,+10,+10,-0,+5"),
        );
        let a = r.steps[4].alloc.clone().unwrap();
        assert_eq!((a.ptr, a.searched), (Some(1030), 1));
        let r = run(
            cfg(Policy::First, Order::Addr, false),
            &ops("+10,+10,+10,-0,+5"),
        );
        assert_eq!(r.steps[4].alloc.as_ref().unwrap().ptr, Some(1000));
        // Wrapping: the rover is in 1095:5, too small; back to the head.
        let r = run(
            cfg(Policy::Next, Order::Addr, false),
            &ops("+40,+40,-0,+15,+10"),
        );
        assert_eq!(r.steps[3].alloc.as_ref().unwrap().ptr, Some(1080));
        let a = r.steps[4].alloc.clone().unwrap();
        assert_eq!((a.ptr, a.searched), (Some(1000), 2));
        assert_eq!(a.examined[0], (c(1095, 5), false));
    }

    #[test]
    fn next_fit_follows_its_chunk_into_a_merge() {
        // The rover sits in 1030:70; freeing 1020:10 merges it into 1020:80, where the
        // next search starts (first fit would take the hole at 1000).
        let r = run(
            cfg(Policy::Next, Order::Addr, true),
            &ops("+10,+10,+10,-0,-2,+5"),
        );
        assert_eq!(r.steps[4].list_after, [c(1000, 10), c(1020, 80)]);
        let a = r.steps[5].alloc.clone().unwrap();
        assert_eq!((a.ptr, a.searched), (Some(1020), 1));
    }

    #[test]
    fn a_size_sorted_list_stays_sorted_after_a_split() {
        let r = run(
            cfg(Policy::First, Order::SizeUp, false),
            &ops("+10,+10,+10,-0,-1,+65"),
        );
        assert_eq!(
            r.steps[4].list_after,
            [c(1000, 10), c(1010, 10), c(1030, 70)]
        );
        assert_eq!(
            r.steps[5].list_after,
            [c(1095, 5), c(1000, 10), c(1010, 10)]
        );
        let r = run(
            cfg(Policy::First, Order::SizeDown, false),
            &ops("+10,+20,-0,-1"),
        );
        assert_eq!(
            r.steps[3].list_after,
            [c(1030, 70), c(1010, 20), c(1000, 10)]
        );
        let r = run(
            cfg(Policy::First, Order::Back, false),
            &ops("+10,+20,-1,-0"),
        );
        assert_eq!(
            r.steps[3].list_after,
            [c(1030, 70), c(1010, 20), c(1000, 10)]
        );
    }

    #[test]
    fn failures_and_invalid_frees_change_nothing() {
        let r = run(
            cfg(Policy::Best, Order::Addr, true),
            &ops("+60,+50,-1,-0,-0"),
        );
        let a = r.steps[1].alloc.clone().unwrap();
        assert_eq!((a.ptr, a.searched), (None, 1));
        assert!(
            r.steps[2]
                .free
                .as_ref()
                .unwrap()
                .invalid
                .as_ref()
                .unwrap()
                .contains("failed")
        );
        assert_eq!(r.steps[2].list_after, [c(1060, 40)]);
        assert_eq!(r.steps[3].list_after, [c(1000, 100)]);
        let f = r.steps[4].free.clone().unwrap();
        assert!(f.invalid.unwrap().contains("double free"));
        assert_eq!(r.steps[4].list_after, [c(1000, 100)]);
    }

    #[test]
    fn a_full_heap_has_no_fragmentation_and_searches_nothing() {
        let mut k = cfg(Policy::First, Order::Addr, true);
        k.heap_size = 10;
        let r = run(k, &ops("+10,+1"));
        assert!(r.steps[0].list_after.is_empty());
        let a = r.steps[1].alloc.clone().unwrap();
        assert_eq!((a.ptr, a.searched), (None, 0));
        let f = r.fragmentation();
        assert_eq!((f.free_bytes, f.external_percent), (0, 0));
        assert_eq!(percent_round(1, 3), 33);
        assert_eq!(percent_round(2, 3), 67);
        assert_eq!(percent_round(1, 8), 13);
    }

    #[test]
    fn huge_requests_fail_without_overflow() {
        let mut k = cfg(Policy::Worst, Order::Addr, false);
        k.header = 8;
        k.align = 8;
        let r = run(k, &ops("+0xffffffffffffffff,+0xfffffffffffffff1"));
        for s in &r.steps {
            let a = s.alloc.as_ref().unwrap();
            assert_eq!((a.need, a.ptr, a.searched), (None, None, 1));
        }
    }

    fn param_error(p: &Params) -> String {
        match config(p, 0) {
            Err(Error::Input(InputError::BadParameter { name, why })) => format!("{name}: {why}"),
            other => panic!("{p:?}: {other:?}"),
        }
    }

    #[test]
    fn bad_parameters_are_clear_errors() {
        let d = Params::default;
        assert!(param_error(&Params { align: 3, ..d() }).contains("power of two"));
        assert!(
            param_error(&Params {
                header_size: 4,
                align: 8,
                ..d()
            })
            .starts_with("header-size")
        );
        assert!(
            param_error(&Params {
                base: 1001,
                align: 8,
                ..d()
            })
            .starts_with("base")
        );
        assert!(
            param_error(&Params {
                heap_size: 0,
                ..d()
            })
            .starts_with("heap-size")
        );
        assert!(
            param_error(&Params {
                base: u64::MAX,
                ..d()
            })
            .contains("past the end")
        );
        assert!(
            param_error(&Params {
                header_size: 100,
                ..d()
            })
            .contains("no room")
        );
        assert!(
            param_error(&Params {
                percent_alloc: 101,
                ..d()
            })
            .contains("percentage")
        );
        assert!(param_error(&Params { range: 0, ..d() }).starts_with("range"));
        assert!(
            param_error(&Params {
                num_ops: 1 << 40,
                ..d()
            })
            .starts_with("num-ops")
        );
        for bad in ["+", "10", "+0", "-0", "+4,-1", "+4,-x", "+4,,-0"] {
            let e = param_error(&Params {
                ops: Some(bad.into()),
                ..d()
            });
            assert!(e.starts_with("ops"), "{bad}: {e}");
        }
        assert!(Policy::parse("BEST").is_ok() && Policy::parse("first-fit").is_ok());
        assert!(Policy::parse("random").is_err());
        assert_eq!(Order::parse("SIZESORT-").unwrap(), Order::SizeDown);
        assert_eq!(Order::parse("INSERT-FRONT").unwrap(), Order::Front);
        assert!(Order::parse("lifo").is_err());
        assert_eq!(parse_align("-1"), Ok(1));
    }

    #[test]
    fn random_runs_are_reproducible_and_never_hang() {
        let p = Params {
            coalesce: true,
            ..Params::default()
        };
        let a = exercise(&p, 42, false).unwrap();
        let b = exercise(&p, 42, false).unwrap();
        assert_eq!(a.problem, b.problem);
        assert_eq!(a.questions, b.questions);
        assert_ne!(a.problem, exercise(&p, 43, false).unwrap().problem);
        // 0% and 100% mallocs: no division, no endless loop.
        for percent in [0, 100] {
            let p = Params {
                percent_alloc: percent,
                num_ops: 20,
                ..Params::default()
            };
            let (_, o) = config(&p, 7).unwrap();
            assert_eq!(o.len(), 20);
            if percent == 0 {
                assert!(o.iter().step_by(2).all(|op| matches!(op, Op::Alloc(_))));
                assert!(
                    o.iter()
                        .skip(1)
                        .step_by(2)
                        .all(|op| matches!(op, Op::Free(_)))
                );
            } else {
                assert!(o.iter().all(|op| matches!(op, Op::Alloc(_))));
            }
        }
    }

    #[test]
    fn the_own_answers_score_full_marks_and_a_wrong_one_is_caught() {
        for policy in [Policy::First, Policy::Best, Policy::Worst, Policy::Next] {
            let p = Params {
                policy,
                header_size: 4,
                align: 4,
                coalesce: true,
                num_ops: 30,
                ..Params::default()
            };
            let e = exercise(&p, 9, false).unwrap();
            let answers: String = e
                .questions
                .iter()
                .map(|q| format!("{}: {}\n", q.id, q.answer))
                .collect();
            let g = super::super::legacy::grade(&e, &answers).unwrap();
            assert_eq!(g.right, g.total);
            let wrong = answers.replacen(&format!("1: {}", e.questions[0].answer), "1: 1", 1);
            assert_eq!(
                super::super::legacy::grade(&e, &wrong).unwrap().right,
                g.total - 1
            );
        }
    }

    #[test]
    fn the_run_replays_from_its_ops_text() {
        let p = Params {
            num_ops: 25,
            ..Params::default()
        };
        let (k, o) = config(&p, 11).unwrap();
        assert_eq!(parse_ops(&ops_text(&o)).unwrap(), o);
        assert_eq!(run(k, &o).steps.len(), 25);
    }
}
