//! `vmlab sim policy`: page replacement in a memory of C frames under FIFO, LRU, MRU,
//! OPT, UNOPT, RAND or CLOCK (with k use bits), on a random reference string (with
//! optional locality), a given one (`-A`) or a trace file (`-f`); hits, misses, hit
//! rate, the memory after each access, and Belady's anomaly (`--belady`).
//!
//! As OSTEP's paging-policy.py, without its faults: RAND and CLOCK are answerable by
//! hand (the problem prints the random draws, and CLOCK sweeps a real hand), OPT's
//! ties are all right answers, and a trace of page numbers stays page numbers.
//!
//! The parts: [`Options`] → [`Config`] → [`model`] (the engine, shared with `vmlab
//! sim tlb`: O(log frames) per access, memory linear in the string) and [`refs`]
//! (reference strings) → `text`.

use std::path::PathBuf;

use serde::Serialize;

use super::{Block, Exercise, Rng, Simulator, bad_param, percent, power_of_two, size_param};
use crate::error::Result;
use crate::tr;

mod clock;
pub mod model;
pub mod refs;
pub mod text;

pub use model::{Policy, Problem, Rules, Run, Step, simulate, simulate_with};
use refs::{MAX_REFS, TraceUnit};

/// The most accesses a problem asks about one by one; longer strings are asked only
/// for their totals (the steps are in `--json --solve`).
pub const MAX_ASKED: usize = 200;

/// The most frames (the documented limit).
pub const MAX_FRAMES: usize = 4096;

/// The flags of `vmlab sim policy` (paging-policy.py's, with -A for the list).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// The pages to access, comma-separated (`1,2,3,4,1`); without it a random string
    /// is generated (OSTEP's `-a -1`).
    #[arg(
        short = 'A',
        long,
        short_alias = 'a',
        value_name = "PAGES",
        allow_hyphen_values = true
    )]
    pub addresses: Option<String>,

    /// A trace file: one page number per line (`#` comments), or addresses when
    /// --pagesize is given; valgrind lackey lines (` L 04016f60,8`) are addresses.
    #[arg(short = 'f', long, value_name = "FILE")]
    pub addressfile: Option<PathBuf>,

    /// Read the trace file's numbers as addresses in pages of this size (default for
    /// lackey lines: 4k).
    #[arg(short = 'P', long, value_name = "SIZE")]
    pub pagesize: Option<String>,

    /// How many pages to access when generating a random string (1 to 100000).
    #[arg(short = 'n', long, alias = "numaddrs", default_value_t = 10)]
    pub num: usize,

    /// The replacement policy.
    #[arg(
        long,
        short_alias = 'p',
        value_enum,
        ignore_case = true,
        default_value = "fifo"
    )]
    pub policy: Policy,

    /// CLOCK: the number of use bits per frame (the use count goes 0 to 2^k-1).
    #[arg(short = 'b', long, default_value_t = 1)]
    pub clockbits: u32,

    /// The memory size, in pages (frames): 1 to 4096.
    #[arg(short = 'C', long, default_value_t = 3)]
    pub cachesize: usize,

    /// Random strings use pages 0 to maxpage-1.
    #[arg(short = 'm', long, default_value_t = 10)]
    pub maxpage: u64,

    /// Percentage (0-100) of generated accesses that go back to one of the last
    /// cachesize pages used (0: uniformly random, as OSTEP).
    #[arg(short = 'l', long, default_value_t = 0)]
    pub locality: u64,

    /// Belady's anomaly: run the policy with cachesize and cachesize+1 frames on the
    /// same string (without -A/-f, a string on which FIFO shows the anomaly).
    #[arg(long)]
    pub belady: bool,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// Where the reference string comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Given {
        refs: Vec<u64>,
    },
    Trace {
        path: String,
        page_size: Option<u64>,
        refs: Vec<u64>,
    },
    Random {
        count: usize,
        maxpage: u64,
        locality: u64,
    },
    Belady {
        maxpage: u64,
    },
}

/// The options checked (a trace file read).
#[derive(Clone, Debug)]
pub struct Config {
    pub policy: Policy,
    pub clock_bits: u32,
    pub frames: usize,
    pub source: Source,
    pub belady: bool,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        if o.cachesize == 0 || o.cachesize > MAX_FRAMES {
            let why = tr!(
                "policy-error-frames",
                frames = o.cachesize,
                max = MAX_FRAMES
            );
            return Err(bad_param("cachesize", why));
        }
        if !(1..=16).contains(&o.clockbits) {
            return Err(bad_param(
                "clockbits",
                tr!("policy-error-bits", bits = o.clockbits),
            ));
        }
        percent("locality", o.locality)?;
        if o.maxpage == 0 {
            return Err(bad_param("maxpage", tr!("policy-error-maxpage")));
        }
        Ok(Config {
            policy: o.policy,
            clock_bits: o.clockbits,
            frames: o.cachesize,
            source: source(o)?,
            belady: o.belady,
        })
    }
}

fn source(o: &Options) -> Result<Source> {
    // OSTEP's `-a -1` means "generate".
    let given = o.addresses.as_deref().filter(|a| a.trim() != "-1");
    if given.is_some() && o.addressfile.is_some() {
        return Err(bad_param("addressfile", tr!("policy-error-both")));
    }
    let page_size = match &o.pagesize {
        Some(text) => {
            let size = size_param("pagesize", text)?;
            power_of_two("pagesize", size)?;
            Some(size)
        }
        None => None,
    };
    if let Some(list) = given {
        return Ok(Source::Given {
            refs: refs::parse_list("addresses", list)?,
        });
    }
    if let Some(path) = &o.addressfile {
        let text =
            super::grade::read_text_file(path, refs::MAX_TRACE_BYTES).map_err(|e| match e {
                crate::error::Error::Io { source, .. } => bad_param(
                    "addressfile",
                    tr!("policy-error-read", error = source.to_string()),
                ),
                other => other,
            })?;
        let unit = page_size.map_or(TraceUnit::Pages, TraceUnit::Addresses);
        return Ok(Source::Trace {
            path: path.display().to_string(),
            page_size,
            refs: refs::parse_trace(&text, unit, page_size.unwrap_or(4096))?,
        });
    }
    if o.belady {
        return Ok(Source::Belady { maxpage: o.maxpage });
    }
    if !(1..=MAX_REFS).contains(&o.num) {
        return Err(bad_param(
            "num",
            tr!("policy-error-num", num = o.num, max = MAX_REFS),
        ));
    }
    Ok(Source::Random {
        count: o.num,
        maxpage: o.maxpage,
        locality: o.locality,
    })
}

/// A policy problem: the string through `frames` (and, for Belady, `frames + 1`).
#[derive(Clone, Debug, Serialize)]
pub struct Drawn {
    #[serde(flatten)]
    pub problem: Problem,
    pub source: Source,
    pub belady: bool,
}

/// The runs: one, or for Belady's anomaly two (with one more frame).
#[derive(Clone, Debug, Serialize)]
pub struct Solved {
    pub runs: Vec<Run>,
}

/// Draws the string and RAND's draws from `seed`.
pub fn generate(c: &Config, seed: u64) -> Drawn {
    let mut rng = Rng::new(seed);
    let refs = match &c.source {
        Source::Given { refs } | Source::Trace { refs, .. } => refs.clone(),
        Source::Random {
            count,
            maxpage,
            locality,
        } => refs::random_refs(&mut rng, *count, *maxpage, *locality, c.frames),
        Source::Belady { maxpage } => {
            refs::belady_relabelled(&mut rng, c.frames as u64, *maxpage, seed)
        }
    };
    let draws = if c.policy == Policy::Rand {
        refs::draws(&mut rng, refs.len(), c.frames + usize::from(c.belady))
    } else {
        Vec::new()
    };
    Drawn {
        problem: Problem {
            refs,
            frames: c.frames,
            policy: c.policy,
            clock_bits: c.clock_bits,
            draws,
            rules: Default::default(),
        },
        source: c.source.clone(),
        belady: c.belady,
    }
}

/// Runs the string (twice for Belady).
pub fn solve(d: &Drawn) -> Solved {
    let mut runs = vec![simulate(&d.problem)];
    if d.belady {
        let bigger = Problem {
            frames: d.problem.frames + 1,
            ..d.problem.clone()
        };
        runs.push(simulate(&bigger));
    }
    Solved { runs }
}

/// `vmlab sim policy`.
pub struct PolicySim;

impl Simulator for PolicySim {
    const NAME: &'static str = "policy";
    type Options = Options;
    type Config = Config;
    type Problem = Drawn;
    type Solution = Solved;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Drawn> {
        Ok(generate(config, seed))
    }

    fn solve(_: &Config, problem: &Drawn) -> Solved {
        solve(problem)
    }

    fn exercise(_: &Config, problem: &Drawn, solution: &Solved) -> Exercise {
        text::exercise(problem, solution)
    }

    /// The kernel's page replacement (its active and inactive LRU lists) cannot be
    /// watched access by access: there is no measured part, and the error says where
    /// to look instead.
    fn real(_: &Config) -> Result<Vec<Block>> {
        Err(bad_param("real", tr!("policy-error-no-real")))
    }
}

#[cfg(test)]
mod tests;
