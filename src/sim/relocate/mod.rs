//! `vmlab sim relocate`: base and bounds (dynamic relocation), as OSTEP's
//! relocation.py.
//!
//! The whole address space of a process sits in one contiguous piece of physical
//! memory. The MMU holds two registers: the base (where the piece starts) and the
//! bounds (its size, which relocation.py calls the limit). A virtual address `VA`
//! translates to `base + VA` when `VA < bounds`; any other address is a
//! segmentation violation. Segmentation (`vmlab sim segment`) applies the same
//! formula per segment; paging (`vmlab sim paging`) replaces it with a table lookup
//! per page.
//!
//! The parts: [`Options`] (the flags) → [`Config`] (checked) → [`model`] (the pure
//! model: [`model::generate`] draws a [`Problem`], [`model::solve`] works it out) →
//! `text` (the exercise, in the output language) and `real` (`--real`).

use serde::Serialize;

use super::params::{address_list, check_num, optional_size, positive_size};
use super::{Block, Exercise, Simulator, bad_param};
use crate::error::Result;
use crate::tr;

pub mod model;
mod real;
mod text;

pub use model::{Problem, Solution, translate};

/// The flags of `vmlab sim relocate` (relocation.py's letters).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// Address-space size (`1k`, `16k`, `0x4000` ...): virtual addresses are drawn
    /// from 0 to this size minus one.
    #[arg(short = 'a', long, value_name = "SIZE", default_value = "1k")]
    pub asize: String,

    /// Physical memory size; base and bounds must fit inside it, and it must be at
    /// least the address-space size.
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

    /// The base register: where the address space starts in physical memory (random
    /// when not given, or -1 as in relocation.py).
    #[arg(short = 'b', long, value_name = "ADDR", allow_hyphen_values = true)]
    pub base: Option<String>,

    /// The bounds register (relocation.py's limit): the size of the address space in
    /// use; VA is valid when VA < bounds. Random (asize/4 to asize/2) when not given.
    #[arg(
        short = 'l',
        long,
        alias = "bounds",
        value_name = "SIZE",
        allow_hyphen_values = true
    )]
    pub limit: Option<String>,

    /// The virtual addresses to translate, comma-separated (`0x10,300,-1`; -1 is a
    /// random one). Overrides --num.
    #[arg(short = 'A', long, value_name = "LIST", allow_hyphen_values = true)]
    pub addresses: Option<String>,

    /// Draw this percentage of the random addresses among the valid ones (the rest
    /// over the whole address space). Default: all uniform over the address space, as
    /// relocation.py draws them.
    #[arg(short = 'u', long, alias = "used", value_name = "PERCENT")]
    pub valid: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// The options checked: sizes parsed, the address list read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub asize: u64,
    pub physmem: u64,
    /// The base, or none to draw it.
    pub base: Option<u64>,
    /// The bounds, or none to draw it.
    pub bounds: Option<u64>,
    /// The addresses to translate; `None` ones are drawn.
    pub addresses: Vec<Option<u64>>,
    /// How random addresses are drawn.
    pub draw: model::Draw,
    /// Whether --addresses was one number (perhaps meant as a count, as relocation.py's
    /// --addresses is): the problem says how to ask for a count.
    pub one_listed: bool,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        let asize = positive_size("asize", &o.asize)?;
        let physmem = positive_size("physmem", &o.physmem)?;
        if asize > physmem {
            let why = tr!(
                "relocate-error-asize-physmem",
                asize = asize.to_string(),
                physmem = physmem.to_string()
            );
            return Err(bad_param("asize", why));
        }
        check_num(o.num)?;
        let draw = model::Draw::from_valid(o.valid)?;
        let addresses = match &o.addresses {
            Some(text) => address_list(text, asize)?,
            None => vec![None; o.num as usize],
        };
        let one_listed = o.addresses.as_deref().is_some_and(|t| !t.contains(','));
        Ok(Config {
            asize,
            physmem,
            base: optional_size("base", o.base.as_deref())?,
            bounds: optional_size("limit", o.limit.as_deref())?,
            addresses,
            draw,
            one_listed,
        })
    }
}

/// `vmlab sim relocate`.
pub struct RelocateSim;

impl Simulator for RelocateSim {
    const NAME: &'static str = "relocate";
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
        text::exercise(config, problem, solution)
    }

    fn real(_: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks())
    }
}
