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
//! policy, shows the external fragmentation that results, and compacts.
//!
//! The parts: [`Options`] (the flags) → [`Config`] (checked) → [`model`] (the pure
//! model: [`model::generate`] draws a [`Problem`], [`model::solve`] works it out;
//! [`alloc`] is its allocation part) → `text` (the exercise, in the output language)
//! and `real` (`--real`).

use serde::Serialize;

use super::fit::Fit;
use super::params::{Draw, address_list, check_num, optional_size, positive_size, power_of_two};
use super::{Block, Exercise, Simulator, bad_param};
use crate::error::Result;
use crate::tr;

pub mod alloc;
pub mod model;
mod real;
mod text;
mod text_alloc;

pub use model::{Kind, Problem, Solution, solve};

/// The most allocation events.
pub const MAX_EVENTS: u64 = 200;

/// The flags of `vmlab sim segment` (segmentation.py's letters where it has them).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// Address-space size, a power of two (`1k`, `16k` ...): its top --seg-bits bits
    /// select the segment.
    #[arg(short = 'a', long, value_name = "SIZE", default_value = "1k")]
    pub asize: String,

    /// Physical memory size: every segment must fit inside it, without overlap.
    #[arg(
        short = 'p',
        long,
        alias = "psize",
        value_name = "SIZE",
        default_value = "16k"
    )]
    pub physmem: String,

    /// How many random virtual addresses to translate (see --addresses to choose
    /// them).
    #[arg(
        short = 'n',
        long,
        alias = "numaddrs",
        value_name = "N",
        default_value_t = 5
    )]
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
    pub code_base: Option<String>,

    /// Limit (size) of the code segment (segmentation.py's len0).
    #[arg(
        short = 'l',
        long,
        alias = "l0",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub code_limit: Option<String>,

    /// Base of the heap segment (with --seg-bits 2 only).
    #[arg(long, value_name = "ADDR", allow_hyphen_values = true)]
    pub heap_base: Option<String>,

    /// Limit (size) of the heap segment (with --seg-bits 2 only).
    #[arg(long, value_name = "SIZE", allow_hyphen_values = true)]
    pub heap_limit: Option<String>,

    /// Base of the stack segment: the physical address just ABOVE the stack, which
    /// grows down from it (segmentation.py's base1).
    #[arg(
        short = 'B',
        long,
        alias = "b1",
        value_name = "ADDR",
        allow_hyphen_values = true
    )]
    pub stack_base: Option<String>,

    /// Limit (size) of the stack segment (segmentation.py's len1).
    #[arg(
        short = 'L',
        long,
        alias = "l1",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub stack_limit: Option<String>,

    /// The virtual addresses to translate, comma-separated (`0x10,300,-1`; -1 is a
    /// random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<String>,

    /// Draw this percentage of the random addresses inside a segment (the rest over
    /// the whole address space). Default: all uniform over the address space, as
    /// segmentation.py draws them.
    #[arg(short = 'u', long, alias = "used", value_name = "PERCENT")]
    pub valid: Option<u64>,

    /// Allocations and frees of other segments in physical memory, for the
    /// fragmentation and compaction part (0 leaves that part out).
    #[arg(long, alias = "ops", value_name = "N", default_value_t = 8)]
    pub events: u64,

    /// Where a new segment goes among the free holes.
    #[arg(long, value_enum, ignore_case = true, default_value = "first")]
    pub policy: Fit,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// A segment's registers as given: `None` ones are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Given {
    pub kind: Kind,
    pub selector: u64,
    pub grows_down: bool,
    pub base: Option<u64>,
    pub limit: Option<u64>,
}

/// The options checked: sizes parsed, the address list read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub asize: u64,
    pub physmem: u64,
    /// Selector bits: 1 or 2.
    pub bits: u32,
    /// The segments of the model, in selector order, with what was given of them.
    pub given: Vec<Given>,
    /// The addresses to translate; `None` ones are drawn.
    pub addresses: Vec<Option<u64>>,
    /// How random addresses are drawn.
    pub draw: Draw,
    /// How many allocation events (0: no allocation part).
    pub events: u64,
    pub fit: Fit,
    /// Whether --addresses was one number (perhaps meant as a count, as
    /// segmentation.py's -A is not): the problem says how to ask for a count.
    pub one_listed: bool,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        let asize = positive_size("asize", &o.asize)?;
        power_of_two("asize", asize)?;
        let physmem = positive_size("physmem", &o.physmem)?;
        if o.seg_bits != 1 && o.seg_bits != 2 {
            let why = tr!("segment-error-bits", bits = o.seg_bits);
            return Err(bad_param("seg-bits", why));
        }
        if asize < 16 {
            let why = tr!("segment-error-small", asize = asize.to_string());
            return Err(bad_param("asize", why));
        }
        check_num(o.num)?;
        if o.events > MAX_EVENTS {
            let why = tr!("segment-error-events", events = o.events, max = MAX_EVENTS);
            return Err(bad_param("events", why));
        }
        if o.seg_bits == 1 && (o.heap_base.is_some() || o.heap_limit.is_some()) {
            return Err(bad_param("heap-base", tr!("segment-error-heap-one-bit")));
        }
        let given = model::segments_of(o.seg_bits)
            .into_iter()
            .map(|(kind, selector, grows_down)| given(o, kind, selector, grows_down))
            .collect::<Result<Vec<Given>>>()?;
        let max = asize >> o.seg_bits;
        for g in &given {
            check_limit(g, max, asize, physmem)?;
        }
        let addresses = match &o.addresses {
            Some(text) => address_list(text, asize)?,
            None => vec![None; o.num as usize],
        };
        Ok(Config {
            asize,
            physmem,
            bits: o.seg_bits,
            given,
            addresses,
            draw: Draw::from_valid(o.valid)?,
            events: o.events,
            fit: o.policy,
            one_listed: o.addresses.as_deref().is_some_and(|t| !t.contains(',')),
        })
    }
}

/// The registers given for one segment of the model.
fn given(o: &Options, kind: Kind, selector: u64, grows_down: bool) -> Result<Given> {
    let (base, limit) = match kind {
        Kind::Code | Kind::CodeHeap => (&o.code_base, &o.code_limit),
        Kind::Heap => (&o.heap_base, &o.heap_limit),
        Kind::Stack => (&o.stack_base, &o.stack_limit),
    };
    let flag = kind.flag();
    Ok(Given {
        kind,
        selector,
        grows_down,
        base: optional_size(&format!("{flag}-base"), base.as_deref())?,
        limit: optional_size(&format!("{flag}-limit"), limit.as_deref())?,
    })
}

/// A given limit must fit the offset's reach and physical memory.
fn check_limit(g: &Given, max: u64, asize: u64, physmem: u64) -> Result<()> {
    let Some(limit) = g.limit else {
        return Ok(());
    };
    let flag = format!("{}-limit", g.kind.flag());
    if limit > max {
        let why = tr!(
            "segment-error-limit-max",
            segment = g.kind.name(),
            limit = limit.to_string(),
            max = max.to_string(),
            bits = max.trailing_zeros(),
            asize = asize.to_string()
        );
        return Err(bad_param(&flag, why));
    }
    if limit > physmem {
        let why = tr!(
            "segment-error-limit-physmem",
            segment = g.kind.name(),
            limit = limit.to_string(),
            physmem = physmem.to_string()
        );
        return Err(bad_param(&flag, why));
    }
    Ok(())
}

/// `vmlab sim segment`.
pub struct SegmentSim;

impl Simulator for SegmentSim {
    const NAME: &'static str = "segment";
    type Options = Options;
    type Config = Config;
    type Problem = Problem;
    type Solution = Solution;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Problem> {
        model::generate(config, seed)
    }

    fn solve(_: &Config, problem: &Problem) -> Solution {
        model::solve(problem)
    }

    fn exercise(config: &Config, problem: &Problem, solution: &Solution) -> Exercise {
        text::exercise(problem, solution, config.one_listed)
    }

    fn real(_: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks())
    }
}

#[cfg(test)]
mod tests;
