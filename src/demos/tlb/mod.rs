//! vm-tlb: the TLB, measured (the method of the OSTEP `tlb.c` homework).
//!
//! Theory: every access translates its virtual page number through the TLB, a small
//! cache of page-table entries. While the pages a loop touches fit in the TLB, each
//! access costs a cache hit; once they exceed its reach (entries x page size), accesses
//! miss and the hardware walks the page tables (or asks a second, slower TLB level).
//! So the cost per access, plotted against the pages touched, is a staircase: flat, a
//! knee just past each level's entry count, flat again. With 2 MiB pages one entry
//! covers 512 pages of 4 KiB, so the same sweep stays on the first step 512 times longer.
//!
//! What we do: map `--max-pages` pages (default 16384 = 64 MiB) twice, on 4 KiB pages
//! and on 2 MiB transparent huge pages (`regions.rs`), and write every page so no fault
//! is timed. Pinned to one CPU, for NUMPAGES = 1, 2, 3, 4, 6, 8 ... max we touch one
//! word per page, in the homework's order and in a random pointer chase, timing each
//! point in two rounds of several runs (`measure.rs`). A knee finder locates the jumps
//! (`knee.rs`); CPUID tells what the CPU says its TLBs hold (`cpuid.rs`);
//! perf_event_open counts dTLB misses where the kernel allows it (`perf.rs`).
//!
//! Data caches have knees too, and the timings are noisy; so a knee is the TLB's only
//! when the 2 MiB curve, which touches the very same cache lines through far fewer
//! translations, does not show it (or the hardware counts the misses), and a verdict is
//! given only where the effect stands clear of the noise (`noise.rs`). [`judge`] decides
//! the claims from the record alone; [`narrate`] tells the handout.

mod chart;
mod cpuid;
mod judge;
mod knee;
mod measure;
mod narrate;
mod noise;
mod perf;
mod regions;
#[cfg(test)]
pub(crate) mod tests;

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;
use crate::tr;
pub use cpuid::{CpuTlbs, PageKind, TlbEntry, TlbKind};
pub use judge::judge;
pub use knee::{Knee, KneeRule, find_knees, nearest_knee};
pub use measure::{ACCESSES_PER_RUN, ROUNDS, RUNS, page_counts};
pub use narrate::narrate;
pub use noise::{Margin, Noisy};
pub use perf::Counter;
pub use regions::Regions;

const DEFAULT_MAX_PAGES: u64 = 16384;
/// The most `--max-pages` accepts (16 GiB of 4 KiB pages, per backing).
const LIMIT_PAGES: u64 = 1 << 22;
/// Factor within which the first knee must match the CPU's reported entry count.
pub const REACH_FACTOR: f64 = 4.0;

/// Everything vm-tlb saw: the CPU's word on its TLBs, the two regions, the counter,
/// and every timed run of every point of the four curves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub page_size: u64,
    /// The size one page-directory entry maps (a transparent huge page).
    pub huge_size: u64,
    pub max_pages: u64,
    pub accesses_per_run: u64,
    pub runs_per_round: usize,
    pub rounds: usize,
    /// The CPU the measuring thread was pinned to.
    pub pinned_cpu: usize,
    /// How long the four curves took to measure.
    pub elapsed_ms: u64,
    pub cpu: CpuTlbs,
    pub regions: Regions,
    /// Whether the dTLB miss counter could be opened.
    pub dtlb_counter: Counter,
    pub curves: Curves,
    /// The SVG file the curves were drawn into (`--plot`).
    pub plot: Option<String>,
}

/// The four curves: each order of access on each backing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    pub sequential_4k: Vec<Point>,
    pub random_4k: Vec<Point>,
    pub sequential_2m: Vec<Point>,
    pub random_2m: Vec<Point>,
}

/// One measured point of one curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub pages: u64,
    /// Passes over the pages per timed run.
    pub trials: u64,
    /// ns per access of each timed run: those of the first round, then the second's.
    pub runs_ns: Vec<f64>,
    /// dTLB read misses per access over the timed runs (hardware counter), if the
    /// kernel let us count.
    pub dtlb_misses_per_access: Option<f64>,
}

/// Which curve, for the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveName {
    Sequential4k,
    Random4k,
    Sequential2m,
    Random2m,
}

impl CurveName {
    pub fn label(self) -> String {
        match self {
            CurveName::Sequential4k => tr!("tlb-curve-sequential-4k"),
            CurveName::Random4k => tr!("tlb-curve-random-4k"),
            CurveName::Sequential2m => tr!("tlb-curve-sequential-2m"),
            CurveName::Random2m => tr!("tlb-curve-random-2m"),
        }
    }
}

impl Curves {
    /// The curves with their names, in the order the tables print them.
    pub fn named(&self) -> [(CurveName, &[Point]); 4] {
        [
            (CurveName::Sequential4k, &self.sequential_4k),
            (CurveName::Random4k, &self.random_4k),
            (CurveName::Sequential2m, &self.sequential_2m),
            (CurveName::Random2m, &self.random_2m),
        ]
    }
}

/// (pages, ns per access) of each point: what the knee finder and the charts read.
pub fn curve(points: &[Point]) -> Vec<(u64, f64)> {
    points.iter().map(|p| (p.pages, p.ns())).collect()
}

/// The knees of a curve, by the default rule.
pub fn knees(points: &[Point]) -> Vec<Knee> {
    find_knees(&curve(points), KneeRule::default())
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("tlb", tr!("tlb-title"), tr!("tlb-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Checks the options, maps the two regions, measures the four curves, and draws
/// them if asked.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let plan = regions::plan(lab)?;
    let cpu = cpuid::read();
    let maps = regions::map(&plan)?;
    let regions = regions::observe(&plan, &maps)?;
    let counter = perf::DtlbMisses::open();
    let started = Instant::now();
    let (pinned_cpu, curves) = measure::curves(&plan, &maps, counter.as_ref().ok())?;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    drop(maps);
    let mut o = Observation {
        page_size: plan.page,
        huge_size: plan.huge,
        max_pages: plan.max,
        accesses_per_run: ACCESSES_PER_RUN,
        runs_per_round: RUNS,
        rounds: ROUNDS,
        pinned_cpu,
        elapsed_ms,
        cpu,
        regions,
        dtlb_counter: counter.err().unwrap_or(Counter::Open),
        curves,
        plot: None,
    };
    if let Some(path) = &lab.options.plot {
        chart::plot(path, &o)?;
        o.plot = Some(path.display().to_string());
    }
    Ok(o)
}
