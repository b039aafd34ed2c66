//! `vmlab sim segment`: segmentation, as OSTEP's segmentation.py and chapter 16.
//!
//! The top bits of a virtual address select a segment; the rest is the offset into
//! it. With two selector bits (the default, as in the book) `00` is code, `01` heap,
//! `11` stack and `10` unused; with one (`--seg-bits 1`, segmentation.py's model)
//! segment 0 holds code and heap and segment 1 the stack. Code and heap grow up:
//! `PA = base + offset`, valid when `offset < limit`. The stack grows down: its base
//! register holds the physical address just above it, the negative offset is
//! `offset - max segment size`, and `PA = base + negative offset`, valid when
//! `|negative offset| <= limit`.
//!
//! The second part places and frees whole segments in physical memory under a fit
//! policy, shows the external fragmentation that results (free memory in holes too
//! small to use), and compacts: every segment slides down to address 0, at the cost
//! of copying each segment that moves.

use serde_json::{Value, json};

use super::legacy::{Exercise, Question};
use super::params::{address_list, check_num, hex, hex_width, optional_size, positive_size};
use super::{Rng, bad_param, power_of_two};

/// Accepted spellings of a segmentation violation.
const FAULT_WORDS: &[&str] = &[
    "segfault",
    "violation",
    "segmentation violation",
    "sv",
    "invalid",
    "seg fault",
];
use crate::error::Result;
use crate::render::human_size;

/// The parameters of `vmlab sim segment`. Text is kept as `Box<str>`, not
/// `String`, to keep the CLI's command enum small.
#[derive(clap::Args, Clone, Debug, serde::Serialize)]
pub struct Params {
    /// Address-space size, a power of two (`1k`, `16k` ...): its top --seg-bits bits
    /// select the segment.
    #[arg(short = 'a', long, value_name = "SIZE", default_value = "1k")]
    pub asize: Box<str>,

    /// Physical memory size: every segment must fit inside it, without overlap.
    #[arg(short = 'p', long, value_name = "SIZE", default_value = "16k")]
    pub psize: Box<str>,

    /// How many virtual addresses to translate: random ones, half of them drawn inside
    /// a segment (see --addresses to choose them).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 5)]
    pub num: u64,

    /// Segment-selector bits: 2 (code 00, heap 01, stack 11, 10 unused, as in OSTEP
    /// chapter 16) or 1 (segment 0 = code and heap, 1 = stack, as segmentation.py).
    #[arg(long, value_name = "BITS", default_value_t = 2)]
    pub seg_bits: u32,

    /// Base of the code segment (segmentation.py's base0; random when not given or
    /// -1).
    #[arg(
        short = 'b',
        long,
        alias = "b0",
        value_name = "ADDR",
        allow_hyphen_values = true
    )]
    pub code_base: Option<Box<str>>,

    /// Limit (size) of the code segment (segmentation.py's len0).
    #[arg(
        short = 'l',
        long,
        alias = "l0",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub code_limit: Option<Box<str>>,

    /// Base of the heap segment (with --seg-bits 2 only).
    #[arg(long, value_name = "ADDR", allow_hyphen_values = true)]
    pub heap_base: Option<Box<str>>,

    /// Limit (size) of the heap segment (with --seg-bits 2 only).
    #[arg(long, value_name = "SIZE", allow_hyphen_values = true)]
    pub heap_limit: Option<Box<str>>,

    /// Base of the stack segment: the physical address just ABOVE the stack, which
    /// grows down from it (segmentation.py's base1).
    #[arg(
        short = 'B',
        long,
        alias = "b1",
        value_name = "ADDR",
        allow_hyphen_values = true
    )]
    pub stack_base: Option<Box<str>>,

    /// Limit (size) of the stack segment (segmentation.py's len1).
    #[arg(
        short = 'L',
        long,
        alias = "l1",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub stack_limit: Option<Box<str>>,

    /// The virtual addresses to translate, comma-separated (`0x10,300,-1`; -1 is a
    /// random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<Box<str>>,

    /// Allocations and frees of other segments in physical memory, for the
    /// fragmentation and compaction part (0 leaves that part out).
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub ops: u64,

    /// Where a new segment goes among the free holes: first, best or worst fit.
    #[arg(long, value_name = "POLICY", default_value = "first")]
    pub policy: Box<str>,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

/// The most allocation events.
const MAX_OPS: u64 = 200;

/// One segment: its selector value, base and limit registers, and direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub name: &'static str,
    pub selector: u64,
    /// For a segment that grows down, the physical address just above it.
    pub base: u64,
    pub limit: u64,
    pub grows_down: bool,
}

impl Segment {
    /// The physical bytes the segment occupies, `[start, end)`.
    pub fn extent(&self) -> (u64, u64) {
        if self.grows_down {
            (self.base - self.limit, self.base)
        } else {
            (self.base, self.base + self.limit)
        }
    }
}

/// The translation of one virtual address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub va: u64,
    pub selector: u64,
    /// Index into the segments; `None` for an unused selector.
    pub segment: Option<usize>,
    pub offset: u64,
    /// For a segment that grows down: how far below its base the address is
    /// (the negative offset's magnitude).
    pub below: Option<u64>,
    /// `None`: a segmentation violation.
    pub pa: Option<u64>,
}

/// The segment layout of one process, and the addresses asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub asize: u64,
    pub psize: u64,
    pub bits: u32,
    pub segments: Vec<Segment>,
    pub addresses: Vec<u64>,
}

impl Layout {
    /// The largest a segment can be: the offset's reach.
    pub fn max_segment(&self) -> u64 {
        self.asize >> self.bits
    }

    /// Translates `va` (which must be below `asize`).
    pub fn translate(&self, va: u64) -> Outcome {
        let max = self.max_segment();
        let selector = va / max;
        let offset = va % max;
        let segment = self.segments.iter().position(|s| s.selector == selector);
        let mut out = Outcome {
            va,
            selector,
            segment,
            offset,
            below: None,
            pa: None,
        };
        if let Some(i) = segment {
            let s = &self.segments[i];
            if s.grows_down {
                let below = max - offset;
                out.below = Some(below);
                if below <= s.limit {
                    out.pa = Some(s.base - below);
                }
            } else if offset < s.limit {
                out.pa = Some(s.base + offset);
            }
        }
        out
    }

    /// The valid virtual addresses of segment `i`, `[lo, hi]`; `None` when its limit
    /// is 0.
    pub fn valid_range(&self, i: usize) -> Option<(u64, u64)> {
        let s = &self.segments[i];
        if s.limit == 0 {
            return None;
        }
        let max = self.max_segment();
        let start = s.selector * max;
        Some(if s.grows_down {
            (start + max - s.limit, start + max - 1)
        } else {
            (start, start + s.limit - 1)
        })
    }
}

/// The segments of a model with `bits` selector bits, with their registers.
fn model(bits: u32) -> Vec<(&'static str, u64, bool)> {
    if bits == 1 {
        vec![("code+heap", 0, false), ("stack", 1, true)]
    } else {
        vec![("code", 0, false), ("heap", 1, false), ("stack", 3, true)]
    }
}

fn overlap(a: (u64, u64), b: (u64, u64)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

fn long_name(seg: &str) -> &'static str {
    match seg {
        "code" | "code+heap" => "code",
        "heap" => "heap",
        _ => "stack",
    }
}

impl Layout {
    /// Validates `params` and draws what is random from `rng`.
    pub fn new(params: &Params, rng: &mut Rng) -> Result<Layout> {
        let asize = positive_size("asize", &params.asize)?;
        power_of_two("asize", asize)?;
        let psize = positive_size("psize", &params.psize)?;
        if params.seg_bits != 1 && params.seg_bits != 2 {
            return Err(bad_param(
                "seg-bits",
                format!(
                    "{} selector bits: use 2 (code, heap, stack) or 1 (code+heap, stack)",
                    params.seg_bits
                ),
            ));
        }
        let bits = params.seg_bits;
        if asize < 16 {
            return Err(bad_param(
                "asize",
                format!("{asize} bytes is too small to split into segments (at least 16)"),
            ));
        }
        check_num(params.num)?;
        let max = asize >> bits;
        let given = |kind: &str| -> Result<(Option<u64>, Option<u64>)> {
            let (b, l) = match kind {
                "code" => (
                    ("code-base", &params.code_base),
                    ("code-limit", &params.code_limit),
                ),
                "heap" => (
                    ("heap-base", &params.heap_base),
                    ("heap-limit", &params.heap_limit),
                ),
                _ => (
                    ("stack-base", &params.stack_base),
                    ("stack-limit", &params.stack_limit),
                ),
            };
            Ok((
                optional_size(b.0, b.1.as_deref())?,
                optional_size(l.0, l.1.as_deref())?,
            ))
        };
        if bits == 1 && (params.heap_base.is_some() || params.heap_limit.is_some()) {
            return Err(bad_param(
                "heap-base",
                "with --seg-bits 1 the heap shares segment 0 with the code: give \
                 --code-base and --code-limit",
            ));
        }
        let mut segments: Vec<Segment> = Vec::new();
        let mut wanted: Vec<(Option<u64>, Option<u64>)> = Vec::new();
        for (name, selector, grows_down) in model(bits) {
            let (base, limit) = given(long_name(name))?;
            if let Some(l) = limit
                && l > max
            {
                return Err(bad_param(
                    &format!("{}-limit", long_name(name)),
                    format!(
                        "the {name} segment's limit {l} is more than the largest segment \
                         {max} bytes (the offset has {} bits of the {}-byte address space)",
                        max.trailing_zeros(),
                        asize
                    ),
                ));
            }
            if let Some(l) = limit
                && l > psize
            {
                return Err(bad_param(
                    &format!("{}-limit", long_name(name)),
                    format!(
                        "the {name} segment's limit {l} is more than physical memory \
                         ({psize} bytes)"
                    ),
                ));
            }
            wanted.push((base, limit));
            segments.push(Segment {
                name,
                selector,
                base: 0,
                limit: 0,
                grows_down,
            });
        }
        let nseg = segments.len() as u64;
        // Limits first: as segmentation.py, half to all of the largest segment, but
        // small enough that all of them fit in physical memory with room to spare.
        for (s, w) in segments.iter_mut().zip(&wanted) {
            s.limit = match w.1 {
                Some(l) => l,
                None => {
                    let hi = max.saturating_sub(1).max(max / 2);
                    rng.range(max / 2, hi).min(psize / (2 * nseg))
                }
            };
        }
        // The given bases: they must fit and not overlap.
        let mut placed: Vec<usize> = Vec::new();
        for i in 0..segments.len() {
            let Some(base) = wanted[i].0 else { continue };
            let s = &mut segments[i];
            let what = format!("{}-base", long_name(s.name));
            let fits = if s.grows_down {
                base >= s.limit && base <= psize
            } else {
                base.checked_add(s.limit).is_some_and(|e| e <= psize)
            };
            if !fits {
                return Err(bad_param(
                    &what,
                    if s.grows_down {
                        format!(
                            "the stack grows down from base {} by its limit {}: it must \
                             lie between 0 and physical memory's end {}",
                            hex(base, 1),
                            s.limit,
                            hex(psize, 1)
                        )
                    } else {
                        format!(
                            "the {} segment at {} with limit {} ends past physical \
                             memory ({psize} bytes)",
                            s.name,
                            hex(base, 1),
                            s.limit
                        )
                    },
                ));
            }
            s.base = base;
            let mine = s.extent();
            for &j in &placed {
                let other = &segments[j];
                if overlap(mine, other.extent()) {
                    let o = other.extent();
                    return Err(bad_param(
                        &what,
                        format!(
                            "the {} segment [{}, {}) overlaps the {} segment [{}, {}) in \
                             physical memory",
                            segments[i].name,
                            hex(mine.0, 1),
                            hex(mine.1, 1),
                            other.name,
                            hex(o.0, 1),
                            hex(o.1, 1)
                        ),
                    ));
                }
            }
            placed.push(i);
        }
        // The random bases: anywhere they fit without overlap.
        for i in 0..segments.len() {
            if wanted[i].0.is_some() {
                continue;
            }
            let limit = segments[i].limit;
            let down = segments[i].grows_down;
            let mut found = None;
            for _ in 0..1000 {
                let base = if down {
                    rng.range(limit, psize)
                } else {
                    rng.range(0, psize - limit)
                };
                let ext = if down {
                    (base - limit, base)
                } else {
                    (base, base + limit)
                };
                if placed.iter().all(|&j| !overlap(ext, segments[j].extent())) {
                    found = Some(base);
                    break;
                }
            }
            let Some(base) = found else {
                return Err(bad_param(
                    &format!("{}-base", long_name(segments[i].name)),
                    format!(
                        "found no place for the {} segment ({limit} bytes) beside the \
                         others in {psize} bytes of physical memory: give smaller limits, \
                         other bases or a larger --psize",
                        segments[i].name
                    ),
                ));
            };
            segments[i].base = base;
            placed.push(i);
        }
        let wanted_va = match &params.addresses {
            Some(text) => address_list(text, asize)?,
            None => vec![None; params.num as usize],
        };
        let mut layout = Layout {
            asize,
            psize,
            bits,
            segments,
            addresses: Vec::new(),
        };
        // Half the random addresses are drawn inside a segment (segmentation.py draws
        // over the whole space, where most fault): both outcomes appear.
        let used: Vec<(u64, u64)> = (0..layout.segments.len())
            .filter_map(|i| layout.valid_range(i))
            .collect();
        layout.addresses = wanted_va
            .into_iter()
            .map(|w| {
                w.unwrap_or_else(|| {
                    if !used.is_empty() && rng.chance(50) {
                        let (lo, hi) = used[rng.below(used.len() as u64) as usize];
                        rng.range(lo, hi)
                    } else {
                        rng.below(asize)
                    }
                })
            })
            .collect();
        Ok(layout)
    }
}

/// Where a new segment goes among the holes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    First,
    Best,
    Worst,
}

impl Policy {
    pub fn parse(text: &str) -> Result<Policy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "first" | "firstfit" | "first-fit" => Ok(Policy::First),
            "best" | "bestfit" | "best-fit" => Ok(Policy::Best),
            "worst" | "worstfit" | "worst-fit" => Ok(Policy::Worst),
            _ => Err(bad_param(
                "policy",
                format!("unknown policy '{text}' (first, best or worst)"),
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::First => "first fit",
            Policy::Best => "best fit",
            Policy::Worst => "worst fit",
        }
    }

    fn why(self) -> &'static str {
        match self {
            Policy::First => "the lowest-addressed hole that is big enough",
            Policy::Best => "the smallest hole that is big enough (the lowest on a tie)",
            Policy::Worst => "the largest hole (the lowest on a tie)",
        }
    }

    /// The index of the chosen hole, if one is big enough.
    pub fn choose(self, holes: &[(u64, u64)], size: u64) -> Option<usize> {
        let fits = holes.iter().enumerate().filter(|(_, h)| h.1 - h.0 >= size);
        match self {
            Policy::First => fits.map(|(i, _)| i).next(),
            // min_by_key/max_by_key keep the first/last of equals: fold by hand so
            // that ties go to the lowest address in both.
            Policy::Best => fits
                .fold(None, |best: Option<(usize, u64)>, (i, h)| {
                    let len = h.1 - h.0;
                    match best {
                        Some((_, b)) if b <= len => best,
                        _ => Some((i, len)),
                    }
                })
                .map(|(i, _)| i),
            Policy::Worst => fits
                .fold(None, |best: Option<(usize, u64)>, (i, h)| {
                    let len = h.1 - h.0;
                    match best {
                        Some((_, b)) if b >= len => best,
                        _ => Some((i, len)),
                    }
                })
                .map(|(i, _)| i),
        }
    }
}

/// A segment placed in physical memory, `[start, start + size)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub name: String,
    pub start: u64,
    pub size: u64,
}

/// The free holes between `blocks` in `psize` bytes, in address order. Computed
/// from what is allocated, so neighbouring free space is always one hole (it is
/// coalesced by address, not by list position).
pub fn holes(blocks: &[Block], psize: u64) -> Vec<(u64, u64)> {
    let mut sorted: Vec<&Block> = blocks.iter().filter(|b| b.size > 0).collect();
    sorted.sort_by_key(|b| b.start);
    let mut out = Vec::new();
    let mut at = 0;
    for b in sorted {
        if b.start > at {
            out.push((at, b.start));
        }
        at = at.max(b.start + b.size);
    }
    if at < psize {
        out.push((at, psize));
    }
    out
}

/// Compaction: every block slides down to the lowest free address, in address
/// order. Returns the blocks after and the bytes copied (the sizes of the blocks
/// that moved).
pub fn compact(blocks: &[Block]) -> (Vec<Block>, u64) {
    let mut sorted: Vec<Block> = blocks.iter().filter(|b| b.size > 0).cloned().collect();
    sorted.sort_by_key(|b| b.start);
    let mut at = 0;
    let mut copied = 0;
    for b in &mut sorted {
        if b.start != at {
            copied += b.size;
            b.start = at;
        }
        at += b.size;
    }
    (sorted, copied)
}

/// One event of the fragmentation part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Alloc {
        name: String,
        size: u64,
        holes: Vec<(u64, u64)>,
        chosen: Option<usize>,
    },
    Free {
        name: String,
        start: u64,
        size: u64,
    },
}

/// The fragmentation part: the events, the memory after them, a request, and the
/// compaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragmentation {
    pub policy: Policy,
    pub initial: Vec<Block>,
    pub events: Vec<Event>,
    pub after: Vec<Block>,
    /// A new segment's size asked about after the events; `None` when memory is full.
    pub request: Option<u64>,
}

/// Runs `events` on `initial` (the simulation itself, without randomness).
pub fn run_events(
    initial: &[Block],
    psize: u64,
    policy: Policy,
    script: &[(String, Option<u64>)],
) -> (Vec<Event>, Vec<Block>) {
    let mut blocks = initial.to_vec();
    let mut events = Vec::new();
    for (name, size) in script {
        match size {
            Some(size) => {
                let h = holes(&blocks, psize);
                let chosen = policy.choose(&h, *size);
                if let Some(c) = chosen {
                    blocks.push(Block {
                        name: name.clone(),
                        start: h[c].0,
                        size: *size,
                    });
                }
                events.push(Event::Alloc {
                    name: name.clone(),
                    size: *size,
                    holes: h,
                    chosen,
                });
            }
            None => {
                if let Some(i) = blocks.iter().position(|b| &b.name == name) {
                    let b = blocks.remove(i);
                    events.push(Event::Free {
                        name: b.name,
                        start: b.start,
                        size: b.size,
                    });
                }
            }
        }
    }
    (events, blocks)
}

impl Fragmentation {
    /// Draws a sequence of `ops` allocations and frees from `rng`, trying a few
    /// times for one that leaves memory fragmented (two holes or more).
    pub fn generate(layout: &Layout, ops: u64, policy: Policy, rng: &mut Rng) -> Fragmentation {
        let initial: Vec<Block> = layout
            .segments
            .iter()
            .filter(|s| s.limit > 0)
            .map(|s| Block {
                name: format!("P.{}", s.name),
                start: s.extent().0,
                size: s.limit,
            })
            .collect();
        let psize = layout.psize;
        let unit = (psize / 64).max(1);
        let mut best = None;
        for _ in 0..64 {
            let mut script: Vec<(String, Option<u64>)> = Vec::new();
            let mut live: Vec<String> = Vec::new();
            let mut next = 1;
            for _ in 0..ops {
                if !live.is_empty() && rng.chance(40) {
                    let i = rng.below(live.len() as u64) as usize;
                    script.push((live.remove(i), None));
                } else {
                    let name = format!("s{next}");
                    next += 1;
                    live.push(name.clone());
                    script.push((name, Some(unit * rng.range(2, 8))));
                }
            }
            let (events, after) = run_events(&initial, psize, policy, &script);
            // A failed allocation leaves its name in `live`; freeing it is a no-op
            // that run_events drops, so the events stay true to the memory.
            let h = holes(&after, psize);
            let total: u64 = h.iter().map(|h| h.1 - h.0).sum();
            let largest = h.iter().map(|h| h.1 - h.0).max().unwrap_or(0);
            let fragmented = h.len() >= 2 && total > largest;
            best = Some((events, after, total, largest));
            if fragmented {
                break;
            }
        }
        let (events, after, total, largest) = best.unwrap_or_default();
        let request = if total == 0 {
            None
        } else if total > largest {
            Some(rng.range(largest + 1, total))
        } else {
            Some(total)
        };
        Fragmentation {
            policy,
            initial,
            events,
            after,
            request,
        }
    }
}

/// A one-line picture of physical memory: one character per 1/64 of it, the block
/// covering the cell's middle, `.` for free.
fn picture(blocks: &[Block], psize: u64, symbols: &[(String, char)]) -> String {
    let cells = 64u64.min(psize);
    (0..cells)
        .map(|c| {
            let mid = ((2 * c + 1) as u128 * psize as u128 / (2 * cells) as u128) as u64;
            blocks
                .iter()
                .find(|b| b.start <= mid && mid < b.start + b.size)
                .and_then(|b| symbols.iter().find(|(n, _)| *n == b.name))
                .map_or('.', |(_, ch)| *ch)
        })
        .collect()
}

/// The memory map as table lines: blocks and holes in address order.
fn map_lines(blocks: &[Block], psize: u64, w: usize) -> Vec<String> {
    let mut rows: Vec<(u64, u64, String)> = blocks
        .iter()
        .filter(|b| b.size > 0)
        .map(|b| (b.start, b.start + b.size, b.name.clone()))
        .chain(
            holes(blocks, psize)
                .into_iter()
                .map(|(s, e)| (s, e, "free".to_string())),
        )
        .collect();
    rows.sort();
    rows.into_iter()
        .map(|(s, e, name)| {
            format!(
                "    {} – {}  {:>8} B  {name}",
                hex(s, w),
                hex(e - 1, w),
                e - s
            )
        })
        .collect()
}

fn holes_text(h: &[(u64, u64)], w: usize) -> String {
    if h.is_empty() {
        return "none".into();
    }
    h.iter()
        .map(|(s, e)| format!("{} ({} B)", hex(*s, w), e - s))
        .collect::<Vec<_>>()
        .join(", ")
}

fn binary(va: u64, bits_total: u32, sel_bits: u32) -> String {
    let s = format!("{va:0width$b}", width = bits_total as usize);
    let (a, b) = s.split_at(sel_bits as usize);
    format!("{a}|{b}")
}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let policy = Policy::parse(&params.policy)?;
    if params.ops > MAX_OPS {
        return Err(bad_param(
            "ops",
            format!("{} events is too many (at most {MAX_OPS})", params.ops),
        ));
    }
    let mut rng = Rng::new(seed);
    let l = Layout::new(params, &mut rng)?;
    let frag = (params.ops > 0).then(|| Fragmentation::generate(&l, params.ops, policy, &mut rng));
    let w = hex_width(l.asize.max(l.psize));
    let max = l.max_segment();
    let va_bits = l.asize.trailing_zeros();
    let mut problem = vec![
        format!(
            "Address space {} bytes ({}), physical memory {} bytes ({}).",
            l.asize,
            human_size(l.asize),
            l.psize,
            human_size(l.psize)
        ),
        format!(
            "The top {} bit{} of a {va_bits}-bit virtual address select the segment; the \
             other {} bits are the offset (a segment holds at most {max} bytes).",
            l.bits,
            if l.bits == 1 { "" } else { "s" },
            va_bits - l.bits
        ),
        String::new(),
        format!(
            "  {:<10} {:>8}  {:>w2$}  {:>8}  grows",
            "segment",
            "selector",
            "base",
            "limit",
            w2 = w + 2
        ),
    ];
    for s in &l.segments {
        problem.push(format!(
            "  {:<10} {:>8}  {}  {:>8}  {}",
            s.name,
            format!("{:0b$b}", s.selector, b = l.bits as usize),
            hex(s.base, w),
            s.limit,
            if s.grows_down { "down" } else { "up" }
        ));
    }
    if l.bits == 2 {
        problem.push(format!("  {:<10} {:>8}  (no segment)", "unused", "10"));
    }
    problem.push(
        "(The stack's base is the physical address just above it: it grows down from \
         there.)"
            .into(),
    );
    problem.push(String::new());
    problem.push(
        "Part 1. Translate each virtual address to a physical address, or write 'fault' \
         for a segmentation violation; then give each segment's edge."
            .into(),
    );

    let mut questions = Vec::new();
    let mut solution = vec!["Part 1: translation.".to_string()];
    let mut checks = Vec::new();
    for s in &l.segments {
        let (a, b) = s.extent();
        checks.push(if a == b {
            format!("{} empty", s.name)
        } else {
            format!("{} [{}, {})", s.name, hex(a, w), hex(b, w))
        });
    }
    solution.push(format!(
        "  Check: the segments lie in physical memory {} and do not overlap: {}.",
        format_args!("[0, {})", hex(l.psize, w)),
        checks.join(", ")
    ));
    let mut accesses = Vec::new();
    for &va in &l.addresses {
        let id = questions.len() + 1;
        let o = l.translate(va);
        let head = format!(
            "{id:>3}. VA {} = {}b: selector {}",
            hex(va, w),
            binary(va, va_bits, l.bits),
            format_args!("{:0b$b}", o.selector, b = l.bits as usize)
        );
        let prompt = format!("VA {}  (decimal {:>6}) → PA or fault?", hex(va, w), va);
        let seg_name = o.segment.map(|i| l.segments[i].name);
        let line = match (o.segment, o.pa) {
            (None, _) => format!("{head} → no segment uses it: SEGMENTATION VIOLATION."),
            (Some(i), pa) => {
                let s = &l.segments[i];
                if s.grows_down {
                    let below = o.below.unwrap_or(0);
                    let base = format!(
                        "{head} → {}, offset {} ({}); it grows down, so the negative offset \
                         is {} − {max} = −{below}",
                        s.name,
                        hex(o.offset, w),
                        o.offset,
                        o.offset
                    );
                    match pa {
                        Some(pa) => format!(
                            "{base}; {below} ≤ limit {}: valid. PA = {} − {below} = {}",
                            s.limit,
                            hex(s.base, w),
                            hex(pa, w)
                        ),
                        None => format!(
                            "{base}; {below} > limit {}: SEGMENTATION VIOLATION.",
                            s.limit
                        ),
                    }
                } else {
                    let base = format!(
                        "{head} → {}, offset {} ({})",
                        s.name,
                        hex(o.offset, w),
                        o.offset
                    );
                    match pa {
                        Some(pa) => format!(
                            "{base} < limit {}: valid. PA = {} + {} = {}",
                            s.limit,
                            hex(s.base, w),
                            hex(o.offset, w),
                            hex(pa, w)
                        ),
                        None => format!("{base} ≥ limit {}: SEGMENTATION VIOLATION.", s.limit),
                    }
                }
            }
        };
        solution.push(line);
        questions.push(match o.pa {
            Some(pa) => Question::new(id, prompt, hex(pa, w)),
            None => Question::new(id, prompt, "fault").or(FAULT_WORDS),
        });
        accesses.push(json!({
            "va": hex(va, w),
            "selector": o.selector,
            "segment": seg_name,
            "offset": o.offset,
            "negative_offset": o.below.map(|b| -(b as i64)),
            "valid": o.pa.is_some(),
            "pa": o.pa.map(|p| hex(p, w)),
        }));
    }
    let mut seg_json = Vec::new();
    for i in 0..l.segments.len() {
        let s = &l.segments[i];
        let id = questions.len() + 1;
        let range = l.valid_range(i);
        let (prompt, answer, why) = if s.grows_down {
            (
                format!("The lowest valid VA of the {} segment (or 'none')?", s.name),
                range.map(|r| r.0),
                format!(
                    "it grows down from the top of its {max}-byte slot: {} − limit {}",
                    hex((s.selector + 1) * max, w),
                    s.limit
                ),
            )
        } else {
            (
                format!(
                    "The highest valid VA of the {} segment (or 'none')?",
                    s.name
                ),
                range.map(|r| r.1),
                format!(
                    "the slot starts at {} and holds limit {} bytes: {} + {} − 1",
                    hex(s.selector * max, w),
                    s.limit,
                    hex(s.selector * max, w),
                    s.limit
                ),
            )
        };
        let answer_text = answer.map_or("none".to_string(), |a| hex(a, w));
        solution.push(format!(
            "{id:>3}. {} edge: {} ({why}); one past it faults.",
            s.name, answer_text
        ));
        questions.push(Question::new(id, prompt, answer_text));
        let (a, b) = s.extent();
        seg_json.push(json!({
            "name": s.name,
            "selector": s.selector,
            "base": hex(s.base, w),
            "limit": s.limit,
            "grows": if s.grows_down { "down" } else { "up" },
            "physical": [hex(a, w), hex(b, w)],
            "valid_va": range.map(|(lo, hi)| json!([hex(lo, w), hex(hi, w)])),
        }));
    }

    let mut frag_json = Value::Null;
    if let Some(f) = &frag {
        frag_part(
            &l,
            f,
            w,
            &mut problem,
            &mut questions,
            &mut solution,
            &mut frag_json,
        );
    }

    let data = json!({
        "asize": l.asize,
        "psize": l.psize,
        "seg_bits": l.bits,
        "max_segment": max,
        "segments": seg_json,
        "accesses": accesses,
        "fragmentation": frag_json,
    });
    let mut params_json = json!({
        "asize": l.asize,
        "psize": l.psize,
        "seg_bits": l.bits,
        "addresses": l.addresses.iter().map(|&a| hex(a, w)).collect::<Vec<_>>().join(","),
        "ops": params.ops,
        "policy": policy.name().split(' ').next().unwrap_or("first"),
    });
    for s in &l.segments {
        let k = long_name(s.name);
        params_json[format!("{k}_base")] = json!(s.base);
        params_json[format!("{k}_limit")] = json!(s.limit);
    }
    Ok(Exercise {
        simulator: "segment".into(),
        seed,
        params: params_json,
        problem,
        questions,
        solution,
        real: if real { real_part() } else { Vec::new() },
        data,
    })
}

fn frag_part(
    l: &Layout,
    f: &Fragmentation,
    w: usize,
    problem: &mut Vec<String>,
    questions: &mut Vec<Question>,
    solution: &mut Vec<String>,
    out: &mut Value,
) {
    let psize = l.psize;
    // One symbol per segment for the picture.
    let mut symbols: Vec<(String, char)> = Vec::new();
    let pool: Vec<char> = "123456789abdefgijkmnopqrtuvwxyz".chars().collect();
    let mut k = 0;
    for b in f
        .initial
        .iter()
        .map(|b| b.name.clone())
        .chain(f.events.iter().filter_map(|e| match e {
            Event::Alloc { name, .. } => Some(name.clone()),
            Event::Free { .. } => None,
        }))
    {
        if symbols.iter().any(|(n, _)| *n == b) {
            continue;
        }
        let ch = match b.as_str() {
            "P.code" | "P.code+heap" => 'C',
            "P.heap" => 'H',
            "P.stack" => 'S',
            _ => {
                k += 1;
                pool[(k - 1) % pool.len()]
            }
        };
        symbols.push((b, ch));
    }
    problem.push(String::new());
    problem.push(format!(
        "Part 2. Physical memory holds this process P's segments. Other segments (s1, s2 \
         ...) are then allocated and freed, each placed by {} ({}).",
        f.policy.name(),
        f.policy.why()
    ));
    problem.push(format!(
        "  memory |{}|  (one character per {} bytes; . is free)",
        picture(&f.initial, psize, &symbols),
        psize / 64u64.min(psize)
    ));
    problem.extend(map_lines(&f.initial, psize, w));
    problem.push("  Events:".into());
    for (i, e) in f.events.iter().enumerate() {
        problem.push(match e {
            Event::Alloc { name, size, .. } => {
                format!("    {:>2}. alloc {name} ({size} bytes)", i + 1)
            }
            Event::Free { name, .. } => format!("    {:>2}. free  {name}", i + 1),
        });
    }

    solution.push(String::new());
    solution.push(format!(
        "Part 2: allocation by {}: {}. Holes are the gaps between allocated segments, in \
         address order, so freed neighbours merge into one hole.",
        f.policy.name(),
        f.policy.why()
    ));
    let mut events_json = Vec::new();
    for (i, e) in f.events.iter().enumerate() {
        match e {
            Event::Alloc {
                name,
                size,
                holes: h,
                chosen,
            } => {
                let id = questions.len() + 1;
                let free: u64 = h.iter().map(|h| h.1 - h.0).sum();
                let largest = h.iter().map(|h| h.1 - h.0).max().unwrap_or(0);
                let answer = match chosen {
                    Some(c) => hex(h[*c].0, w),
                    None => "fail".to_string(),
                };
                questions.push(
                    Question::new(
                        id,
                        format!(
                            "Event {}: alloc {name} ({size} bytes): its start address, or \
                             'fail'?",
                            i + 1
                        ),
                        answer.clone(),
                    )
                    .or(if chosen.is_none() {
                        &["failed", "none", "no"][..]
                    } else {
                        &[][..]
                    }),
                );
                solution.push(format!(
                    "{id:>3}. alloc {name} ({size} B). Holes: {}.",
                    holes_text(h, w)
                ));
                solution.push(match chosen {
                    Some(c) => format!(
                        "       {} picks {} ({} B ≥ {size}): {name} at {} – {}.",
                        f.policy.name(),
                        hex(h[*c].0, w),
                        h[*c].1 - h[*c].0,
                        hex(h[*c].0, w),
                        hex(h[*c].0 + size - 1, w)
                    ),
                    None if free >= *size => format!(
                        "       No hole holds {size} B (the largest is {largest} B) although \
                         {free} B are free in all: external fragmentation. It fails."
                    ),
                    None => format!(
                        "       Only {free} B are free in all (largest hole {largest} B): it \
                         fails."
                    ),
                });
                events_json.push(json!({
                    "op": "alloc", "name": name, "size": size,
                    "holes": h.iter().map(|(s, e)| json!([hex(*s, w), e - s])).collect::<Vec<_>>(),
                    "start": chosen.map(|c| hex(h[c].0, w)),
                }));
            }
            Event::Free { name, start, size } => {
                solution.push(format!(
                    "     free {name}: {} – {} ({size} B) becomes free.",
                    hex(*start, w),
                    hex(start + size - 1, w)
                ));
                events_json.push(
                    json!({"op": "free", "name": name, "start": hex(*start, w), "size": size}),
                );
            }
        }
    }
    let h = holes(&f.after, psize);
    let total: u64 = h.iter().map(|h| h.1 - h.0).sum();
    let largest = h.iter().map(|h| h.1 - h.0).max().unwrap_or(0);
    solution.push("  Memory after the events:".into());
    solution.push(format!("  memory |{}|", picture(&f.after, psize, &symbols)));
    solution.extend(map_lines(&f.after, psize, w));

    let id = questions.len() + 1;
    questions.push(Question::new(
        id,
        "After the events: how many bytes are free in all?",
        total.to_string(),
    ));
    solution.push(format!(
        "{id:>3}. Free in all: {} = {total} B.",
        if h.is_empty() {
            "nothing".to_string()
        } else {
            h.iter()
                .map(|h| (h.1 - h.0).to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        }
    ));
    let id = questions.len() + 1;
    questions.push(Question::new(
        id,
        "After the events: the largest free hole, in bytes?",
        largest.to_string(),
    ));
    solution.push(format!("{id:>3}. The largest hole: {largest} B."));

    let (compacted, copied) = compact(&f.after);
    let used: u64 = compacted.iter().map(|b| b.size).sum();
    let mut request_json = Value::Null;
    if let Some(r) = f.request {
        let fits = r <= largest;
        let id = questions.len() + 1;
        questions.push(
            Question::new(
                id,
                format!("Can a new {r}-byte segment be placed now, without compaction (yes/no)?"),
                if fits { "yes" } else { "no" },
            )
            .or(if fits { &["y"][..] } else { &["n"][..] }),
        );
        solution.push(if fits {
            format!("{id:>3}. {r} B ≤ the largest hole {largest} B: yes.")
        } else {
            format!(
                "{id:>3}. {r} B > the largest hole {largest} B, though {total} B are free: \
                 no. That is external fragmentation."
            )
        });
        request_json = json!({"size": r, "fits_without_compaction": fits, "start_after_compaction": hex(used, w)});
    }
    let id = questions.len() + 1;
    questions.push(Question::new(
        id,
        "Compaction slides every segment down to address 0, keeping their order: how many \
         bytes are copied?",
        copied.to_string(),
    ));
    let mut moves = Vec::new();
    let mut before_sorted = f.after.clone();
    before_sorted.sort_by_key(|b| b.start);
    for (b, a) in before_sorted.iter().zip(&compacted) {
        if b.start == a.start {
            moves.push(format!("{} stays at {}", b.name, hex(b.start, w)));
        } else {
            moves.push(format!(
                "{} {} → {} ({} B)",
                b.name,
                hex(b.start, w),
                hex(a.start, w),
                b.size
            ));
        }
    }
    solution.push(format!(
        "{id:>3}. Compaction: {}. Copied: {copied} B (only segments that move are copied).",
        if moves.is_empty() {
            "nothing to move".to_string()
        } else {
            moves.join("; ")
        }
    ));
    let new_regs: Vec<String> = compacted
        .iter()
        .filter(|b| b.name.starts_with("P."))
        .map(|b| {
            if b.name == "P.stack" {
                format!("{} base {} (its top)", b.name, hex(b.start + b.size, w))
            } else {
                format!("{} base {}", b.name, hex(b.start, w))
            }
        })
        .collect();
    if !new_regs.is_empty() {
        solution.push(format!(
            "       The OS rewrites the base registers of moved segments: {}.",
            new_regs.join(", ")
        ));
    }
    solution.push("  Memory after compaction:".into());
    solution.push(format!(
        "  memory |{}|",
        picture(&compacted, psize, &symbols)
    ));
    solution.extend(map_lines(&compacted, psize, w));
    if let Some(r) = f.request {
        let id = questions.len() + 1;
        questions.push(Question::new(
            id,
            format!("After compaction, where does the new {r}-byte segment start?"),
            hex(used, w),
        ));
        solution.push(format!(
            "{id:>3}. All {} free bytes are now one hole at {}: the {r}-byte segment starts \
             there.",
            psize - used,
            hex(used, w)
        ));
    }
    let blocks_json = |bs: &[Block]| -> Vec<Value> {
        let mut v: Vec<&Block> = bs.iter().collect();
        v.sort_by_key(|b| b.start);
        v.iter()
            .map(|b| json!({"name": b.name, "start": hex(b.start, w), "size": b.size}))
            .collect()
    };
    *out = json!({
        "policy": f.policy.name(),
        "initial": blocks_json(&f.initial),
        "events": events_json,
        "after": blocks_json(&f.after),
        "holes_after": h.iter().map(|(s, e)| json!([hex(*s, w), e - s])).collect::<Vec<_>>(),
        "free_total": total,
        "largest_hole": largest,
        "request": request_json,
        "compaction": {"bytes_copied": copied, "after": blocks_json(&compacted)},
    });
}

/// This process's own code, heap and stack, as the kernel maps them.
fn real_part() -> Vec<String> {
    use crate::space::{AddressSpace, RegionKind};
    let mut out = vec![
        "Linux on x86-64 does not translate by segments: CS, DS and SS have base 0 and no \
         limit. The code, heap and stack are areas (VMAs) of one paged address space. \
         vmlab's own, from /proc/self/maps:"
            .to_string(),
    ];
    match AddressSpace::read_layout(std::process::id() as i32) {
        Ok(space) => {
            for (kind, label, grows) in [
                (RegionKind::Text, "code", "fixed size"),
                (RegionKind::Heap, "heap", "grows up (brk)"),
                (RegionKind::Stack, "stack", "grows down"),
            ] {
                let regions: Vec<_> = space.regions.iter().filter(|r| r.kind == kind).collect();
                match (regions.first(), regions.last()) {
                    (Some(first), Some(last)) => out.push(format!(
                        "  {label:<6} {} – {}  {:>10}  {grows}",
                        first.start,
                        last.end,
                        human_size(last.end.0 - first.start.0)
                    )),
                    _ => out.push(format!("  {label:<6} (no such area in this process now)")),
                }
            }
            out.push(
                "There is no limit register: an access outside every area is a page fault \
                 the kernel answers with SIGSEGV, the paged form of a segmentation \
                 violation; below the stack, the kernel grows the stack area instead."
                    .into(),
            );
        }
        Err(e) => out.push(format!("  (could not read /proc/self/maps: {e})")),
    }
    out.push("See it explained region by region with `vmlab demo segments`.".to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, InputError};

    /// OSTEP chapter 16, figure 16.3: 16 KB address space, 64 KB physical memory;
    /// code 32K/2K, heap 34K/3K, stack base 28K size 2K growing down.
    fn book() -> Params {
        Params {
            asize: "16k".into(),
            psize: "64k".into(),
            code_base: Some("32k".into()),
            code_limit: Some("2k".into()),
            heap_base: Some("34k".into()),
            heap_limit: Some("3k".into()),
            stack_base: Some("28k".into()),
            stack_limit: Some("2k".into()),
            addresses: Some("100,4200,7167,7168,15k,14336,14335,8192,0x3fff".into()),
            ops: 0,
            ..Params::default()
        }
    }

    #[test]
    fn the_books_translations() {
        let e = exercise(&book(), 0, false).unwrap();
        let answers: Vec<u64> = e
            .questions
            .iter()
            .take(9)
            .map(|q| super::super::answer::number(&q.answer).unwrap_or(u64::MAX))
            .collect();
        const F: u64 = u64::MAX;
        assert_eq!(
            answers,
            [
                32 * 1024 + 100,  // code
                34 * 1024 + 104,  // heap: 4200 - 4096
                34 * 1024 + 3071, // the last valid heap VA
                F,                // the first invalid heap VA
                27 * 1024,        // stack: offset 3K, negative offset -1K
                26 * 1024,        // the lowest valid stack VA: -2K
                F,                // one below: -2K - 1
                F,                // selector 10: unused
                28 * 1024 - 1,    // the top byte of the stack: -1
            ]
        );
        // Segment edges: code 2047, heap 4096+3071, stack lowest 14336.
        let edges: Vec<&str> = e.questions[9..12]
            .iter()
            .map(|q| q.answer.as_str())
            .collect();
        assert_eq!(edges, ["0x07ff", "0x1bff", "0x3800"]);
        assert!(e.questions[3].accepts("segfault"));
    }

    #[test]
    fn negative_offset_is_reported() {
        let mut r = Rng::new(0);
        let l = Layout::new(&book(), &mut r).unwrap();
        let o = l.translate(15 * 1024);
        assert_eq!(o.segment, Some(2));
        assert_eq!(o.offset, 3 * 1024);
        assert_eq!(o.below, Some(1024));
    }

    #[test]
    fn one_bit_model_is_segmentation_py() {
        // asize 1k: segment 0 = 0..511 grows up, segment 1 = 512..1023 grows down.
        let p = Params {
            seg_bits: 1,
            code_base: Some("0x1000".into()),
            code_limit: Some("300".into()),
            stack_base: Some("0x2000".into()),
            stack_limit: Some("100".into()),
            addresses: Some("299,300,924,923,1023".into()),
            ops: 0,
            ..Params::default()
        };
        let e = exercise(&p, 0, false).unwrap();
        let a: Vec<&str> = e.questions.iter().map(|q| q.answer.as_str()).collect();
        assert_eq!(&a[..5], ["0x112b", "fault", "0x1f9c", "fault", "0x1fff"]);
    }

    fn bad(p: &Params) -> String {
        match exercise(p, 0, false) {
            Err(Error::Input(InputError::BadParameter { name, why })) => format!("{name}: {why}"),
            other => panic!("{p:?}: {other:?}"),
        }
    }

    #[test]
    fn bad_parameters_are_clear_errors() {
        let mut p = book();
        p.asize = "12k".into();
        assert!(bad(&p).contains("not a power of two"));
        p = book();
        p.heap_base = Some("33k".into());
        assert!(bad(&p).contains("overlaps the code segment"), "{}", bad(&p));
        p = book();
        p.stack_base = Some("1k".into());
        assert!(bad(&p).contains("grows down"));
        p = book();
        p.code_base = Some("63k".into());
        assert!(bad(&p).contains("ends past physical memory"));
        p = book();
        p.code_limit = Some("5k".into());
        assert!(bad(&p).contains("largest segment"));
        p = book();
        p.policy = "random".into();
        assert!(bad(&p).contains("unknown policy"));
        p = book();
        p.seg_bits = 3;
        assert!(bad(&p).starts_with("seg-bits"));
        p = book();
        p.seg_bits = 1;
        assert!(bad(&p).starts_with("heap-base"));
        p = Params {
            psize: "64".into(),
            ..Params::default()
        };
        // Random segments of 1k/4 each cannot fit in 64 bytes... but they are capped to
        // fit: only errors for given values.
        assert!(exercise(&p, 0, false).is_ok());
        p = Params {
            psize: "64".into(),
            code_limit: Some("200".into()),
            ..Params::default()
        };
        assert!(bad(&p).contains("more than physical memory"));
    }

    #[test]
    fn holes_coalesce_neighbours_by_address() {
        // s1 at 0..100, s2 at 100..300, s3 at 300..400 in 1000 bytes; free s1 and s2
        // (in list order s2 is after s3): one hole 0..300.
        let blocks = vec![
            Block {
                name: "s3".into(),
                start: 300,
                size: 100,
            },
            Block {
                name: "s1".into(),
                start: 0,
                size: 100,
            },
            Block {
                name: "s2".into(),
                start: 100,
                size: 200,
            },
        ];
        assert_eq!(holes(&blocks, 1000), [(400, 1000)]);
        let (events, after) = run_events(
            &blocks,
            1000,
            Policy::First,
            &[
                ("s1".into(), None),
                ("s2".into(), None),
                ("s4".into(), Some(250)),
            ],
        );
        assert_eq!(events.len(), 3);
        assert_eq!(holes(&after[..1], 1000), [(0, 300), (400, 1000)]);
        // First fit takes the merged low hole.
        assert_eq!(after.iter().find(|b| b.name == "s4").unwrap().start, 0);
    }

    #[test]
    fn fit_policies_choose_as_defined() {
        let h = [(0, 300), (400, 500), (600, 1000)];
        assert_eq!(Policy::First.choose(&h, 100), Some(0));
        assert_eq!(Policy::Best.choose(&h, 100), Some(1));
        assert_eq!(Policy::Worst.choose(&h, 100), Some(2));
        assert_eq!(Policy::Best.choose(&h, 350), Some(2));
        assert_eq!(Policy::First.choose(&h, 401), None);
        // Ties go to the lowest address.
        let t = [(0, 100), (200, 300)];
        assert_eq!(Policy::Best.choose(&t, 50), Some(0));
        assert_eq!(Policy::Worst.choose(&t, 50), Some(0));
    }

    #[test]
    fn compaction_copies_only_what_moves() {
        let blocks = vec![
            Block {
                name: "a".into(),
                start: 0,
                size: 100,
            },
            Block {
                name: "b".into(),
                start: 300,
                size: 50,
            },
            Block {
                name: "c".into(),
                start: 500,
                size: 200,
            },
        ];
        let (after, copied) = compact(&blocks);
        assert_eq!(copied, 250);
        let starts: Vec<u64> = after.iter().map(|b| b.start).collect();
        assert_eq!(starts, [0, 100, 150]);
    }

    #[test]
    fn generated_problems_are_reproducible_and_consistent() {
        for seed in 0..100 {
            let a = exercise(&Params::default(), seed, false).unwrap();
            let b = exercise(&Params::default(), seed, false).unwrap();
            assert_eq!(a.problem, b.problem);
            assert_eq!(a.questions, b.questions);
            let mut r = Rng::new(seed);
            let l = Layout::new(&Params::default(), &mut r).unwrap();
            for (i, s) in l.segments.iter().enumerate() {
                let e = s.extent();
                assert!(e.1 <= l.psize);
                for t in &l.segments[i + 1..] {
                    assert!(!overlap(e, t.extent()));
                }
            }
            let f = Fragmentation::generate(&l, 8, Policy::First, &mut r);
            // The blocks after the events never overlap.
            let mut bs = f.after.clone();
            bs.sort_by_key(|b| b.start);
            assert!(bs.windows(2).all(|w| w[0].start + w[0].size <= w[1].start));
        }
        // Most seeds give a fragmented memory, the point of the part.
        let fragmented = (0..50)
            .filter(|&seed| {
                let e = exercise(&Params::default(), seed, false).unwrap();
                e.questions
                    .iter()
                    .any(|q| q.prompt.contains("without compaction") && q.answer == "no")
            })
            .count();
        assert!(fragmented > 40, "{fragmented}");
    }
}
