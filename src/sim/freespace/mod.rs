//! `vmlab sim freespace`: a free-list allocator (OSTEP's malloc.py, done right).
//!
//! Unlike malloc.py, the pointer returned is the one the user gets (after the header),
//! neighbours are merged by address and not only when they happen to be next to each
//! other in the list, a size-sorted list stays sorted after a split, next fit follows
//! its chunk through merges, a zero percentage cannot hang or divide by zero, and the
//! "searched" count is defined (and printed): first and next fit stop at the first
//! chunk that fits, best and worst fit look at every chunk, a failed search looked at
//! every chunk.
//!
//! The parts: [`Options`] (the flags) → [`Config`] (checked) → the pure model
//! ([`heap`]: the allocator; [`run`]: operations, a run, its fragmentation;
//! [`generate`] draws a [`Problem`], [`solve`] works it out) → `text` and `explain`
//! (the exercise, in the output language) and `real` (`--real`).

use serde::Serialize;

use super::fit::Fit;
use super::params::{percent, size_param};
use super::{Block, Exercise, Rng, Simulator, bad_param};
use crate::error::Result;
use crate::tr;

mod explain;
pub mod heap;
mod real;
pub mod run;
mod text;

pub use heap::{Allocator, Chunk, Order, Rules};
pub use run::{MAX_OPS, Op, Run};

/// The flags of `vmlab sim freespace` (malloc.py's letters).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// Size of the heap in bytes (malloc.py -S): 100, 4k, 0x1000.
    #[arg(
        short = 'S',
        long = "heap-size",
        value_name = "SIZE",
        default_value = "100"
    )]
    pub heap_size: String,

    /// Address of the heap's first byte (malloc.py -b).
    #[arg(short = 'b', long, value_name = "ADDR", default_value = "1000")]
    pub base: String,

    /// Size of the header in front of every allocated chunk, in bytes (malloc.py -H).
    /// The pointer returned to the user is the chunk's address plus the header.
    #[arg(
        short = 'H',
        long = "header-size",
        value_name = "BYTES",
        default_value = "0"
    )]
    pub header_size: String,

    /// Alignment of chunks in bytes, a power of two (malloc.py -a); 1 (or 0 or -1, as
    /// malloc.py writes it) means none. Every chunk size is rounded up to it; the base
    /// and the header size must be multiples of it, so every returned pointer is
    /// aligned.
    #[arg(
        short = 'a',
        long,
        value_name = "BYTES",
        default_value = "1",
        allow_hyphen_values = true
    )]
    pub align: String,

    /// Fit policy (malloc.py -p; next fit: first fit starting where the last search
    /// stopped). malloc.py's FIRST, BEST, WORST work.
    #[arg(
        long,
        short_alias = 'p',
        value_enum,
        ignore_case = true,
        default_value = "first"
    )]
    pub policy: Fit,

    /// Free-list order (malloc.py -l): by address, by size (smallest or largest
    /// first), or freed chunks inserted at the front or the back. malloc.py's
    /// ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK work.
    #[arg(
        short = 'l',
        long = "list-order",
        value_name = "ORDER",
        value_enum,
        ignore_case = true,
        default_value = "addr"
    )]
    pub list_order: Order,

    /// Coalesce a freed chunk with the free chunks next to it in memory (malloc.py -C).
    #[arg(short = 'C', long)]
    pub coalesce: bool,

    /// Number of random operations to generate (malloc.py -n; see --ops to choose
    /// them).
    #[arg(
        short = 'n',
        long,
        alias = "num-ops",
        value_name = "N",
        default_value_t = 10
    )]
    pub num: u64,

    /// Largest request size of a random malloc; sizes are 1 to this (malloc.py -r).
    #[arg(short = 'r', long, value_name = "SIZE", default_value = "10")]
    pub range: String,

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
    #[arg(short = 'A', long, value_name = "OPS", allow_hyphen_values = true)]
    pub ops: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// Where the operations come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Given(Vec<Op>),
    /// `count` operations, mallocs of 1 to `range` bytes `percent`% of the time.
    Random {
        count: u64,
        range: u64,
        percent: u64,
    },
}

/// The options checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub allocator: Allocator,
    pub source: Source,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        Ok(Config {
            allocator: allocator(o)?,
            source: source(o)?,
        })
    }
}

/// The allocator's settings, parsed and checked ([`Allocator::check`]).
fn allocator(o: &Options) -> Result<Allocator> {
    let align = match o.align.trim() {
        "-1" | "0" => 1,
        text => size_param("align", text)?,
    };
    let a = Allocator {
        base: size_param("base", &o.base)?,
        heap_size: size_param("heap-size", &o.heap_size)?,
        header: size_param("header-size", &o.header_size)?,
        align,
        fit: o.policy,
        order: o.list_order,
        coalesce: o.coalesce,
        rules: Rules::Exact,
    };
    a.check()?;
    Ok(a)
}

fn source(o: &Options) -> Result<Source> {
    if let Some(text) = &o.ops {
        return Ok(Source::Given(run::parse_ops(text)?));
    }
    percent("percent-alloc", o.percent_alloc)?;
    if o.num > MAX_OPS {
        let why = tr!(
            "freespace-error-num",
            num = o.num.to_string(),
            max = MAX_OPS
        );
        return Err(bad_param("num", why));
    }
    let range = size_param("range", &o.range)?;
    if range == 0 {
        return Err(bad_param("range", tr!("freespace-error-range")));
    }
    Ok(Source::Random {
        count: o.num,
        range,
        percent: o.percent_alloc,
    })
}

/// A problem: the allocator and the operations. A front end may build one itself
/// (malloc.py's operations, say); its allocator should pass [`Allocator::check`], and
/// each free should name a `ptr[k]` allocated before it (as [`run::parse_ops`]
/// checks), though [`solve`] shows any other free as invalid rather than fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub allocator: Allocator,
    pub ops: Vec<Op>,
}

/// Draws the operations (as malloc.py: see [`run::generate`]) from `seed`.
pub fn generate(c: &Config, seed: u64) -> Problem {
    let ops = match &c.source {
        Source::Given(ops) => ops.clone(),
        Source::Random {
            count,
            range,
            percent,
        } => run::generate(c.allocator, &mut Rng::new(seed), *count, *range, *percent),
    };
    Problem {
        allocator: c.allocator,
        ops,
    }
}

/// Runs the operations.
pub fn solve(p: &Problem) -> Run {
    run::run(p.allocator, &p.ops)
}

/// `vmlab sim freespace`.
pub struct FreespaceSim;

impl Simulator for FreespaceSim {
    const NAME: &'static str = "freespace";
    type Options = Options;
    type Config = Config;
    type Problem = Problem;
    type Solution = Run;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Problem> {
        Ok(generate(config, seed))
    }

    fn solve(_: &Config, problem: &Problem) -> Run {
        solve(problem)
    }

    fn exercise(_: &Config, problem: &Problem, run: &Run) -> Exercise {
        text::exercise(problem, run)
    }

    fn real(_: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks())
    }
}

#[cfg(test)]
mod tests;
