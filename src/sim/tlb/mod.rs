//! `vmlab sim tlb`: a fully associative TLB of N entries under FIFO, LRU, RANDOM or
//! OPT: each virtual address's VPN, hit or miss (and which entry a miss replaces), the
//! hit rate. The replacement engine is `vmlab sim policy`'s ([`super::policy::model`]),
//! so its bounds hold here too: O(log entries) per access, memory linear in the
//! accesses.
//!
//! The parts: [`Options`] → [`Config`] → [`generate`] / [`solve`] → `text`, `real`.

use serde::Serialize;

use super::params::{power_of_two, size_param};
use super::policy::model::{Policy, Problem, Run, simulate};
use super::policy::refs::{self, MAX_REFS};
use super::{Block, Exercise, Rng, Simulator, bad_param, percent};
use crate::error::Result;
use crate::tr;

mod real;
mod text;

/// A TLB's replacement policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TlbPolicy {
    /// Replace the entry filled longest ago.
    Fifo,
    /// Replace the least recently used entry.
    Lru,
    /// Replace the entry named by the next printed random draw.
    #[value(alias = "rand")]
    Random,
    /// Replace the entry whose page is needed farthest in the future (Belady's MIN).
    #[value(alias = "optimal")]
    Opt,
}

impl TlbPolicy {
    /// The engine's policy.
    pub fn engine(self) -> Policy {
        match self {
            TlbPolicy::Fifo => Policy::Fifo,
            TlbPolicy::Lru => Policy::Lru,
            TlbPolicy::Random => Policy::Rand,
            TlbPolicy::Opt => Policy::Opt,
        }
    }
}

/// The most entries (the documented limit).
pub const MAX_ENTRIES: usize = 4096;

/// The flags of `vmlab sim tlb` (letters as OSTEP's paging simulators).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Options {
    /// The number of TLB entries (fully associative): 1 to 4096.
    #[arg(short = 'e', long, default_value_t = 4)]
    pub entries: usize,

    /// The replacement policy.
    #[arg(
        long,
        short_alias = 'p',
        value_enum,
        ignore_case = true,
        default_value = "lru"
    )]
    pub policy: TlbPolicy,

    /// The size of the virtual address space (`16k`, `1m`, `0x10000`).
    #[arg(short = 'a', long, default_value = "16k")]
    pub asize: String,

    /// The page size (a power of two).
    #[arg(short = 'P', long, default_value = "1k")]
    pub pagesize: String,

    /// How many virtual addresses to generate (1 to 100000).
    #[arg(short = 'n', long, alias = "numaccesses", default_value_t = 12)]
    pub num: usize,

    /// The virtual addresses to access, comma-separated (`0x3a12,0x0040,...`), instead
    /// of random ones.
    #[arg(short = 'A', long, value_name = "ADDRS")]
    pub addresses: Option<String>,

    /// Percentage (0-100) of generated accesses that go back to a page among the last
    /// entries+2 pages used (a program's locality); the others go to any page.
    #[arg(short = 'l', long, default_value_t = 40)]
    pub locality: u64,
}

impl Default for Options {
    fn default() -> Options {
        super::clap_defaults()
    }
}

/// The options checked.
#[derive(Clone, Debug)]
pub struct Config {
    pub entries: usize,
    pub policy: TlbPolicy,
    pub asize: u64,
    pub page: u64,
    /// The addresses given, or none to draw `num` of them.
    pub addresses: Option<Vec<u64>>,
    pub num: usize,
    pub locality: u64,
}

impl Config {
    pub fn new(o: &Options) -> Result<Config> {
        if o.entries == 0 || o.entries > MAX_ENTRIES {
            let why = tr!(
                "simtlb-error-entries",
                entries = o.entries,
                max = MAX_ENTRIES
            );
            return Err(bad_param("entries", why));
        }
        percent("locality", o.locality)?;
        let asize = size_param("asize", &o.asize)?;
        power_of_two("asize", asize)?;
        let page = size_param("pagesize", &o.pagesize)?;
        power_of_two("pagesize", page)?;
        if page > asize {
            let why = tr!(
                "simtlb-error-page",
                page = page.to_string(),
                asize = asize.to_string()
            );
            return Err(bad_param("pagesize", why));
        }
        let addresses = match &o.addresses {
            Some(list) => Some(checked(refs::parse_list("addresses", list)?, asize)?),
            None if !(1..=MAX_REFS).contains(&o.num) => {
                let why = tr!("policy-error-num", num = o.num, max = MAX_REFS);
                return Err(bad_param("num", why));
            }
            None => None,
        };
        Ok(Config {
            entries: o.entries,
            policy: o.policy,
            asize,
            page,
            addresses,
            num: o.num,
            locality: o.locality,
        })
    }
}

fn checked(addrs: Vec<u64>, asize: u64) -> Result<Vec<u64>> {
    if let Some(a) = addrs.iter().find(|&&a| a >= asize) {
        let why = tr!(
            "sim-param-outside-space",
            address = format!("{a:#x}"),
            last = (asize - 1).to_string(),
            last_hex = format!("{:#x}", asize - 1)
        );
        return Err(bad_param("addresses", why));
    }
    Ok(addrs)
}

/// A TLB problem: the addresses, and the engine's problem over their VPNs.
#[derive(Clone, Debug, Serialize)]
pub struct Drawn {
    pub asize: u64,
    pub page_size: u64,
    pub addresses: Vec<u64>,
    pub tlb_policy: TlbPolicy,
    #[serde(flatten)]
    pub vpns: Problem,
}

/// Draws the addresses (with locality) and RANDOM's draws from `seed`.
pub fn generate(c: &Config, seed: u64) -> Drawn {
    let mut rng = Rng::new(seed);
    let addresses = c.addresses.clone().unwrap_or_else(|| {
        let pages = refs::random_refs(&mut rng, c.num, c.asize / c.page, c.locality, c.entries + 2);
        pages
            .iter()
            .map(|&vpn| vpn * c.page + rng.below(c.page))
            .collect()
    });
    let policy = c.policy.engine();
    let draws = if policy == Policy::Rand {
        refs::draws(&mut rng, addresses.len(), c.entries)
    } else {
        Vec::new()
    };
    Drawn {
        asize: c.asize,
        page_size: c.page,
        vpns: Problem {
            refs: addresses.iter().map(|a| a / c.page).collect(),
            frames: c.entries,
            policy,
            clock_bits: 1,
            draws,
            rules: Default::default(),
        },
        addresses,
        tlb_policy: c.policy,
    }
}

/// Runs the VPNs through the TLB.
pub fn solve(d: &Drawn) -> Run {
    simulate(&d.vpns)
}

/// `vmlab sim tlb`.
pub struct TlbSim;

impl Simulator for TlbSim {
    const NAME: &'static str = "tlb";
    type Options = Options;
    type Config = Config;
    type Problem = Drawn;
    type Solution = Run;

    fn config(options: &Options) -> Result<Config> {
        Config::new(options)
    }

    fn generate(config: &Config, seed: u64) -> Result<Drawn> {
        Ok(generate(config, seed))
    }

    fn solve(_: &Config, problem: &Drawn) -> Run {
        solve(problem)
    }

    fn exercise(_: &Config, problem: &Drawn, run: &Run) -> Exercise {
        text::exercise(problem, run)
    }

    fn real(_: &Config) -> Result<Vec<Block>> {
        Ok(real::blocks())
    }
}

#[cfg(test)]
mod tests;
