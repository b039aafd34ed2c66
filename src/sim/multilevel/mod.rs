//! `vmlab sim multilevel`: a two- or three-level page-table walk from a memory dump,
//! and the space it saves against a linear table.
//!
//! The model is OSTEP's paging-multilevel-translate.py, generalised: physical memory of
//! `--physmem` bytes in pages of `--pagesize` bytes, printed as a dump; the page
//! directory's frame number in the PDBR register. An entry is the smallest of 1, 2 or 4
//! bytes that holds a PFN of physical memory plus the valid bit (its top bit); entries
//! are stored most significant byte first, so they read as printed. Each table fills
//! one page, so each level indexes with log2(page size / entry size) bits of the VPN;
//! the top level takes what is left. With the defaults (32-byte pages, 4 KiB of memory,
//! 1-byte entries, a 32 KiB address space) this is exactly OSTEP's homework: 5 bits of
//! page-directory index, 5 of page-table index, 5 of offset.
//!
//! The parts: [`Options`] (the flags) → [`Config`] (checked) → [`geometry`] and
//! [`model`] (the pure model: [`generate()`] draws a [`Problem`], [`solve`] works it
//! out) → `text` and `dump` (the exercise, in the output language) and `real`
//! (`--real`).

use serde::Serialize;

use super::params::{address_list, check_num, optional_size, positive_size};
use super::{Block, Exercise, Simulator, bad_param, percent};
use crate::error::Result;
use crate::tr;

mod dump;
pub mod generate;
pub mod geometry;
pub mod model;
mod real;
mod text;

pub use generate::{Draw, generate};
pub use geometry::Geometry;
pub use model::{Memory, Problem, Solution, Step, Walk, solve};

/// The flags of `vmlab sim multilevel` (paging-multilevel-translate.py's letters).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// Page size in bytes: a power of two, 8 to 4096. Each table fills one page.
    #[arg(short = 'P', long, value_name = "SIZE", default_value = "32")]
    pub pagesize: String,

    /// Physical memory size (the dump): a multiple of the page size, at most 64k.
    #[arg(short = 'p', long, value_name = "SIZE", default_value = "4k")]
    pub physmem: String,

    /// Levels of the page table: 2 (directory → table) or 3 (directory → middle
    /// directory → table).
    #[arg(short = 'l', long, value_name = "N", default_value_t = 2)]
    pub levels: u32,

    /// Address-space size, a power of two; by default the most the levels can map
    /// (a full top-level directory): 32k with the other defaults, as in OSTEP.
    #[arg(long, value_name = "SIZE")]
    pub asize: Option<String>,

    /// How many virtual pages are allocated (mapped), as the script's -a.
    #[arg(short = 'a', long, value_name = "N", default_value_t = 64)]
    pub allocated: u64,

    /// How many random virtual addresses to translate (see --addresses to choose
    /// them).
    #[arg(
        short = 'n',
        long,
        alias = "numaddrs",
        value_name = "N",
        default_value_t = 10
    )]
    pub num: u64,

    /// Draw this percentage of the random addresses on allocated pages and the rest on
    /// unallocated ones (so that share is valid). Default: as the script draws them,
    /// half on allocated pages and half uniform over the address space.
    #[arg(short = 'u', long, value_name = "PERCENT")]
    pub valid: Option<u64>,

    /// The virtual addresses to translate, comma-separated (`0x611c,0x3da8,-1`; -1 is
    /// a random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// The options checked: sizes parsed, the address list read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub geometry: Geometry,
    /// How many virtual pages to allocate.
    pub allocated: u64,
    /// The addresses to translate; `None` ones are drawn.
    pub addresses: Vec<Option<u64>>,
    pub draw: Draw,
    /// Whether --addresses was one number (perhaps meant as a count, as the script's
    /// --addresses is): the problem says how to ask for a count.
    pub one_listed: bool,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        let geometry = Geometry::new(
            positive_size("pagesize", &o.pagesize)?,
            positive_size("physmem", &o.physmem)?,
            o.levels,
            optional_size("asize", o.asize.as_deref())?,
        )?;
        let draw = match o.valid {
            None => Draw::Script,
            Some(p) => {
                percent("valid", p)?;
                Draw::ValidShare(p)
            }
        };
        if o.allocated > geometry.vpages() {
            let why = tr!(
                "multilevel-error-allocated",
                allocated = o.allocated.to_string(),
                vpages = geometry.vpages().to_string()
            );
            return Err(bad_param("allocated", why));
        }
        check_num(o.num)?;
        let addresses = match &o.addresses {
            Some(text) => address_list(text, geometry.asize)?,
            None => vec![None; o.num as usize],
        };
        Ok(Config {
            geometry,
            allocated: o.allocated,
            addresses,
            draw,
            one_listed: o.addresses.as_deref().is_some_and(|t| !t.contains(',')),
        })
    }
}

/// `vmlab sim multilevel`.
pub struct MultilevelSim;

impl Simulator for MultilevelSim {
    const NAME: &'static str = "multilevel";
    type Options = Options;
    type Config = Config;
    type Problem = Problem;
    type Solution = Solution;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Problem> {
        generate(config, seed)
    }

    fn solve(_: &Config, problem: &Problem) -> Solution {
        solve(problem)
    }

    fn exercise(config: &Config, problem: &Problem, solution: &Solution) -> Exercise {
        text::exercise(config, problem, solution)
    }

    fn real(config: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks(&config.geometry))
    }
}

#[cfg(test)]
mod tests;
