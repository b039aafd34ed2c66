//! `vmlab sim paging`: a linear page table, as OSTEP's paging-linear-translate.py:
//! translate virtual addresses with the valid bits of a printed table, and size the
//! table.
//!
//! An address space of `--asize` bytes is cut into pages of `--pagesize` bytes, one
//! page-table entry per virtual page (`--valid` percent of them valid, each valid page
//! in its own physical frame). An entry is `--pte-size` bytes: its top bit is the valid
//! bit and its low bits the physical frame number (PFN). A valid page translates to
//! `PA = PFN × page size + offset`; an invalid one faults.
//!
//! The parts: [`Options`] (the flags) → [`Config`] (checked) → [`model`] (the pure
//! model: [`model::generate`] draws a [`Problem`], [`model::solve`] works it out) →
//! `text` (the exercise, in the output language) and `real` (`--real`).

use serde::Serialize;

use super::params::{address_list, check_num, positive_size};
use super::{Block, Exercise, Simulator, percent};
use crate::error::Result;

pub mod model;
mod real;
mod text;

pub use model::{Geometry, Problem, Solution, Translation, solve, translate};

/// The flags of `vmlab sim paging` (paging-linear-translate.py's letters).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// Address-space size: a power of two (`16k`, `1m`, `0x4000`).
    #[arg(short = 'a', long, value_name = "SIZE", default_value = "16k")]
    pub asize: String,

    /// Physical memory size: a multiple of the page size, at least the address-space
    /// size (every valid page gets a frame of its own; there is no swap here).
    #[arg(short = 'p', long, value_name = "SIZE", default_value = "64k")]
    pub physmem: String,

    /// Page size: a power of two.
    #[arg(short = 'P', long, value_name = "SIZE", default_value = "4k")]
    pub pagesize: String,

    /// How many random virtual addresses to translate (see --addresses to choose
    /// them); they are drawn uniformly over the address space, as the script does.
    #[arg(
        short = 'n',
        long,
        alias = "numaddrs",
        value_name = "N",
        default_value_t = 5
    )]
    pub num: u64,

    /// Percentage of virtual pages that are valid (mapped), 0 to 100, as the script's
    /// -u. About that share of the random addresses is then valid.
    #[arg(
        short = 'u',
        long,
        alias = "used",
        value_name = "PERCENT",
        default_value_t = 50
    )]
    pub valid: u64,

    /// The virtual addresses to translate, comma-separated (`0x3fff,0,-1`; -1 is a
    /// random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<String>,

    /// Bytes per page-table entry (1, 2, 4 or 8): the entry's top bit is the valid
    /// bit, its low bits the PFN.
    #[arg(long, value_name = "BYTES", default_value_t = 4)]
    pub pte_size: u64,
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
    /// The percentage of virtual pages that are valid.
    pub valid: u64,
    /// The addresses to translate; `None` ones are drawn.
    pub addresses: Vec<Option<u64>>,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        let geometry = Geometry::new(
            positive_size("asize", &o.asize)?,
            positive_size("physmem", &o.physmem)?,
            positive_size("pagesize", &o.pagesize)?,
            o.pte_size,
        )?;
        percent("valid", o.valid)?;
        check_num(o.num)?;
        let addresses = match &o.addresses {
            Some(text) => address_list(text, geometry.asize)?,
            None => vec![None; o.num as usize],
        };
        Ok(Config {
            geometry,
            valid: o.valid,
            addresses,
        })
    }
}

/// `vmlab sim paging`.
pub struct PagingSim;

impl Simulator for PagingSim {
    const NAME: &'static str = "paging";
    type Options = Options;
    type Config = Config;
    type Problem = Problem;
    type Solution = Solution;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Problem> {
        Ok(model::generate(config, seed))
    }

    fn solve(_: &Config, problem: &Problem) -> Solution {
        model::solve(problem)
    }

    fn exercise(_: &Config, problem: &Problem, solution: &Solution) -> Exercise {
        text::exercise(problem, solution)
    }

    fn real(_: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks())
    }
}
