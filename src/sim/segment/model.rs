//! The model of segmentation: a problem (segment registers and addresses) and its
//! solution, with no text. [`solve`] is pure; [`generate`] draws a problem from a
//! seed, and a front end with its own generator (segmentation.py's) may build a
//! [`Problem`] instead.
//!
//! A hand-built problem should be what a generated one is: an address space of a
//! power of two of at least 16 bytes, 1 or 2 selector bits, addresses below the
//! address-space size, segments inside physical memory. [`solve`] never panics on
//! others, but their answers mean little.

use serde::Serialize;

use super::Config;
use super::alloc::{self, Allocation, Solved};
use crate::error::Result;
use crate::sim::params::{Draw, hex};
use crate::sim::{Rng, bad_param};
use crate::tr;

/// Which segment: the book's three, or segmentation.py's segment 0 (code and heap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Code,
    Heap,
    Stack,
    /// Code and heap in one segment, with one selector bit.
    #[serde(rename = "code+heap")]
    CodeHeap,
}

impl Kind {
    /// The segment's name in the output language.
    pub fn name(self) -> String {
        match self {
            Kind::Code => tr!("segment-kind-code"),
            Kind::Heap => tr!("segment-kind-heap"),
            Kind::Stack => tr!("segment-kind-stack"),
            Kind::CodeHeap => tr!("segment-kind-code-heap"),
        }
    }

    /// The first word of its flags (`--code-base`, `--stack-limit`).
    pub fn flag(self) -> &'static str {
        match self {
            Kind::Code | Kind::CodeHeap => "code",
            Kind::Heap => "heap",
            Kind::Stack => "stack",
        }
    }
}

/// The segments of a model with `bits` selector bits: which, their selector, and
/// whether each grows down.
pub fn segments_of(bits: u32) -> Vec<(Kind, u64, bool)> {
    if bits == 1 {
        vec![(Kind::CodeHeap, 0, false), (Kind::Stack, 1, true)]
    } else {
        vec![
            (Kind::Code, 0, false),
            (Kind::Heap, 1, false),
            (Kind::Stack, 3, true),
        ]
    }
}

/// One segment: its selector value, base and limit registers, and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub kind: Kind,
    pub selector: u64,
    /// For a segment that grows down, the physical address just above it.
    #[serde(serialize_with = "crate::json::hex")]
    pub base: u64,
    pub limit: u64,
    pub grows_down: bool,
}

impl Segment {
    /// The physical bytes the segment occupies, `[start, end)`.
    pub fn extent(&self) -> (u64, u64) {
        if self.grows_down {
            (self.base.saturating_sub(self.limit), self.base)
        } else {
            (self.base, self.base.saturating_add(self.limit))
        }
    }
}

/// A problem with every value decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Address-space size, bytes (a power of two).
    pub asize: u64,
    /// Physical memory size, bytes.
    pub physmem: u64,
    /// How many top bits of a virtual address select the segment (1 or 2).
    pub seg_bits: u32,
    pub segments: Vec<Segment>,
    /// The virtual addresses to translate, in order (question 1 is the first).
    #[serde(serialize_with = "crate::json::hex")]
    pub addresses: Vec<u64>,
    /// The allocation part: other segments placed and freed, then compaction.
    pub allocation: Option<Allocation>,
}

impl Problem {
    /// The largest a segment can be: the offset's reach.
    pub fn max_segment(&self) -> u64 {
        (self.asize >> self.seg_bits).max(1)
    }

    /// Translates `va`.
    pub fn translate(&self, va: u64) -> Translation {
        let max = self.max_segment();
        let (selector, offset) = (va / max, va % max);
        let segment = self.segments.iter().position(|s| s.selector == selector);
        let mut out = Translation {
            va,
            selector,
            segment,
            offset,
            negative_offset: None,
            pa: None,
        };
        if let Some(s) = segment.map(|i| &self.segments[i]) {
            if s.grows_down {
                let below = max - offset;
                out.negative_offset = Some(-(below as i64));
                if below <= s.limit {
                    out.pa = s.base.checked_sub(below);
                }
            } else if offset < s.limit {
                out.pa = s.base.checked_add(offset);
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
        let start = s.selector.saturating_mul(max);
        let limit = s.limit.min(max);
        let top = start.saturating_add(max);
        Some(if s.grows_down {
            (top - limit, top - 1)
        } else {
            (start, start.saturating_add(limit - 1))
        })
    }
}

/// The translation of one virtual address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Translation {
    #[serde(serialize_with = "crate::json::hex")]
    pub va: u64,
    pub selector: u64,
    /// Index into the segments; `None` for an unused selector.
    pub segment: Option<usize>,
    pub offset: u64,
    /// For a segment that grows down: the offset counted down from the top of the
    /// segment's slot (`offset - max segment size`, negative).
    pub negative_offset: Option<i64>,
    /// `None`: a segmentation violation.
    #[serde(serialize_with = "crate::json::hex")]
    pub pa: Option<u64>,
}

/// One segment's facts: where it lies in physical memory and which virtual
/// addresses are valid in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// `[start, end)` in physical memory.
    #[serde(serialize_with = "crate::json::hex")]
    pub physical: (u64, u64),
    /// The first and last valid virtual address; none when the limit is 0.
    #[serde(serialize_with = "crate::json::hex")]
    pub valid: Option<(u64, u64)>,
}

/// The problem worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Solution {
    pub max_segment: u64,
    /// Each segment's reach, in the order of the problem's segments.
    pub segments: Vec<Reach>,
    pub translations: Vec<Translation>,
    /// How many of the translations are valid.
    pub valid: usize,
    pub allocation: Option<Solved>,
}

/// Works `p` out.
pub fn solve(p: &Problem) -> Solution {
    let translations: Vec<Translation> = p.addresses.iter().map(|&va| p.translate(va)).collect();
    Solution {
        max_segment: p.max_segment(),
        segments: (0..p.segments.len())
            .map(|i| Reach {
                physical: p.segments[i].extent(),
                valid: p.valid_range(i),
            })
            .collect(),
        valid: translations.iter().filter(|t| t.pa.is_some()).count(),
        translations,
        allocation: p
            .allocation
            .as_ref()
            .map(|a| alloc::solve(&p.segments, p.physmem, a)),
    }
}

/// Draws what `c` leaves random from `seed`: the limits, the bases, the addresses
/// and the allocation part, in that order.
pub fn generate(c: &Config, seed: u64) -> Result<Problem> {
    let mut rng = Rng::new(seed);
    let mut segments = limits(c, &mut rng);
    place_given(c, &mut segments)?;
    place_random(c, &mut segments, &mut rng)?;
    let mut p = Problem {
        asize: c.asize,
        physmem: c.physmem,
        seg_bits: c.bits,
        segments,
        addresses: Vec::new(),
        allocation: None,
    };
    p.addresses = draw_addresses(c, &p, &mut rng);
    if c.events > 0 {
        p.allocation = Some(alloc::generate(
            &p.segments,
            p.physmem,
            c.events,
            c.fit,
            &mut rng,
        ));
    }
    Ok(p)
}

/// The segments with their limits: given, or as segmentation.py draws them (half to
/// all of the largest segment), but small enough that all fit in physical memory with
/// room to spare.
fn limits(c: &Config, rng: &mut Rng) -> Vec<Segment> {
    let max = c.asize >> c.bits;
    let n = c.given.len() as u64;
    c.given
        .iter()
        .map(|g| Segment {
            kind: g.kind,
            selector: g.selector,
            base: 0,
            limit: g.limit.unwrap_or_else(|| {
                let hi = max.saturating_sub(1).max(max / 2);
                rng.range(max / 2, hi).min(c.physmem / (2 * n))
            }),
            grows_down: g.grows_down,
        })
        .collect()
}

fn overlap(a: (u64, u64), b: (u64, u64)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

/// Places the segments whose base was given: each must fit in physical memory and
/// not overlap another given one.
fn place_given(c: &Config, segments: &mut [Segment]) -> Result<()> {
    let mut placed: Vec<usize> = Vec::new();
    for i in 0..segments.len() {
        let Some(base) = c.given[i].base else {
            continue;
        };
        let s = &mut segments[i];
        let flag = format!("{}-base", s.kind.flag());
        let fits = if s.grows_down {
            base >= s.limit && base <= c.physmem
        } else {
            base.checked_add(s.limit).is_some_and(|e| e <= c.physmem)
        };
        if !fits {
            return Err(bad_param(&flag, misfit(s, base, c.physmem)));
        }
        s.base = base;
        let mine = *s;
        if let Some(&j) = placed
            .iter()
            .find(|&&j| overlap(mine.extent(), segments[j].extent()))
        {
            let (a, b) = (mine.extent(), segments[j].extent());
            let why = tr!(
                "segment-error-overlap",
                segment = mine.kind.name(),
                start = hex(a.0, 1),
                end = hex(a.1, 1),
                other = segments[j].kind.name(),
                other_start = hex(b.0, 1),
                other_end = hex(b.1, 1)
            );
            return Err(bad_param(&flag, why));
        }
        placed.push(i);
    }
    Ok(())
}

/// Why a given base does not fit.
fn misfit(s: &Segment, base: u64, physmem: u64) -> String {
    if s.grows_down {
        tr!(
            "segment-error-stack-base",
            base = hex(base, 1),
            limit = s.limit.to_string(),
            end = hex(physmem, 1)
        )
    } else {
        tr!(
            "segment-error-base",
            segment = s.kind.name(),
            base = hex(base, 1),
            limit = s.limit.to_string(),
            physmem = physmem.to_string()
        )
    }
}

/// Places the segments whose base was not given: anywhere they fit without overlap
/// (a thousand tries each).
fn place_random(c: &Config, segments: &mut [Segment], rng: &mut Rng) -> Result<()> {
    let mut placed: Vec<usize> = (0..segments.len())
        .filter(|&i| c.given[i].base.is_some())
        .collect();
    for i in 0..segments.len() {
        if c.given[i].base.is_some() {
            continue;
        }
        let (limit, down) = (segments[i].limit, segments[i].grows_down);
        let found = (0..1000).find_map(|_| {
            let base = if down {
                rng.range(limit, c.physmem)
            } else {
                rng.range(0, c.physmem - limit)
            };
            let ext = if down {
                (base - limit, base)
            } else {
                (base, base + limit)
            };
            placed
                .iter()
                .all(|&j| !overlap(ext, segments[j].extent()))
                .then_some(base)
        });
        let Some(base) = found else {
            let why = tr!(
                "segment-error-no-room",
                segment = segments[i].kind.name(),
                limit = limit.to_string(),
                physmem = c.physmem.to_string()
            );
            return Err(bad_param(&format!("{}-base", segments[i].kind.flag()), why));
        };
        segments[i].base = base;
        placed.push(i);
    }
    Ok(())
}

/// The addresses: the given ones, and random ones uniform over the address space as
/// segmentation.py draws them (or, with `--valid`, that share drawn inside a
/// segment, the segment chosen at random).
fn draw_addresses(c: &Config, p: &Problem, rng: &mut Rng) -> Vec<u64> {
    let used: Vec<(u64, u64)> = (0..p.segments.len())
        .filter_map(|i| p.valid_range(i))
        .collect();
    c.addresses
        .iter()
        .map(|given| {
            given.unwrap_or_else(|| match c.draw {
                Draw::ValidShare(share) if !used.is_empty() && rng.chance(share) => {
                    let (lo, hi) = used[rng.below(used.len() as u64) as usize];
                    rng.range(lo, hi)
                }
                _ => rng.below(c.asize),
            })
        })
        .collect()
}
