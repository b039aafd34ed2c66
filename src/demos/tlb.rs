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
//! What we do: pin ourselves to one CPU (restoring the old mask at the end), map
//! `--max-pages` pages (default 16384 = 64 MiB) twice: once with MADV_NOHUGEPAGE (4 KiB
//! pages) and once 2 MiB-aligned with MADV_HUGEPAGE (transparent huge pages, checked in
//! smaps AnonHugePages), and write every page so no fault is timed. For NUMPAGES = 1, 2,
//! 3, 4, 6, 8 ... max we touch one 8-byte word per page, in two orders: the homework's
//! stride (page 0, 1, 2 ... in order) and a pointer chase through a random cyclic
//! permutation of the pages (as torvalds/test-tlb does), which hardware prefetchers and
//! page-walk caches cannot predict. Each point: one warm-up run, then several timed runs
//! (std::time::Instant, CLOCK_MONOTONIC) of at least 2^17 accesses each (repeating the
//! pass `trials` times), and the median. The word of page i sits at cache line i mod 64
//! of its page, so the words spread over all cache sets instead of fighting over one;
//! the same offsets are used on both backings, so the two curves differ only in
//! translation. A knee finder (see `knee`) locates the jumps; CPUID tells what the CPU
//! says its TLBs hold; perf_event_open counts dTLB misses where the kernel allows it.

mod chart;
mod cpuid;
mod knee;
mod perf;

use std::time::Instant;

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::Serialize;

use super::mem::AnonMap;
use super::{Lab, meminfo_bytes, setting};
use crate::error::{Error, InputError, Result};
use crate::experiment::{Claim, Experiment, Table};
pub use cpuid::{CpuTlbs, PageKind, TlbEntry};
pub use knee::{Knee, KneeRule, find_knees, nearest_knee};

const DEFAULT_MAX_PAGES: u64 = 16384;
/// The most `--max-pages` accepts (16 GiB of 4 KiB pages, per backing).
const LIMIT_PAGES: u64 = 1 << 22;
/// Accesses per timed run, at least: long enough (~0.1 ms and more) that the clock's
/// resolution (tens of ns) is noise below 0.1 %.
const ACCESSES_PER_RUN: u64 = 1 << 17;
/// Timed runs per point; the median is reported.
const RUNS: usize = 5;
/// Factor within which the first knee must match the CPU's reported entry count.
const REACH_FACTOR: f64 = 4.0;
use super::mem::THP_DIR;

/// One measured point of one curve.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub pages: u64,
    /// Passes over the pages per timed run.
    pub trials: u64,
    /// ns per access of each timed run.
    pub runs_ns: Vec<f64>,
    /// Their median.
    pub ns: f64,
    /// dTLB read misses per access (hardware counter), if the kernel let us count.
    pub dtlb_misses_per_access: Option<f64>,
}

/// One curve: an access order on one backing.
#[derive(Clone, Debug, Serialize)]
pub struct Sweep {
    pub order: &'static str,
    pub backing: &'static str,
    pub points: Vec<Point>,
    pub knees: Vec<Knee>,
}

impl Sweep {
    fn curve(&self) -> Vec<(u64, f64)> {
        self.points.iter().map(|p| (p.pages, p.ns)).collect()
    }

    fn ns_at(&self, pages: u64) -> Option<f64> {
        self.points.iter().find(|p| p.pages == pages).map(|p| p.ns)
    }
}

/// The page counts: 1, 2, then each power of two and the point halfway to the next.
pub fn page_counts(max: u64) -> Vec<u64> {
    let mut v = vec![1u64];
    let mut p = 1u64;
    while p < max {
        if p >= 2 {
            v.push(p + p / 2);
        }
        p *= 2;
        v.push(p);
    }
    v
}

/// The offset of page i's word in its page: cache line i mod (lines per page).
fn word_offset(i: u64, page: u64) -> u64 {
    (i % (page / 64)) * 64
}

/// Pins this thread to the CPU it runs on; restores the previous mask on drop.
struct Pin {
    saved: nix::sched::CpuSet,
    cpu: usize,
}

impl Pin {
    fn new() -> Result<Pin> {
        use nix::sched::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};
        use nix::unistd::Pid;
        let err = |what: &str, e: nix::Error| Error::Child(format!("{what}: {e}"));
        let saved = sched_getaffinity(Pid::from_raw(0)).map_err(|e| err("sched_getaffinity", e))?;
        let cpu = sched_getcpu().map_err(|e| err("sched_getcpu", e))?;
        let mut one = CpuSet::new();
        one.set(cpu).map_err(|e| err("CpuSet::set", e))?;
        sched_setaffinity(Pid::from_raw(0), &one).map_err(|e| err("sched_setaffinity", e))?;
        Ok(Pin { saved, cpu })
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        let _ = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &self.saved);
    }
}

/// One pass of the homework's loop `trials` times: one word per page, pages in order.
///
/// On x86-64 the loops are written in assembly: what is timed is then the same few
/// instructions in a debug build and a release build, and no optimizer can drop or
/// merge the loads. Elsewhere they are volatile reads in Rust.
#[inline(never)]
fn stride(base: u64, pages: u64, page: u64, trials: u64) -> u64 {
    if pages == 0 || trials == 0 {
        return 0;
    }
    #[cfg(target_arch = "x86_64")]
    {
        let lines = page / 64;
        let mut sum = 0u64;
        // SAFETY: callers pass a mapping of this process holding `pages` pages from
        // `base`; the loop reads only base + i * page + (i mod lines) * 64 for
        // i < pages (the same addresses as `word_offset`), all inside it and 8-byte
        // aligned. It writes no memory and uses no stack.
        unsafe {
            std::arch::asm!(
                "2:",
                "mov {ptr}, {base}",
                "mov {cnt}, {pages}",
                "xor {col:e}, {col:e}",
                "3:",
                "add {sum}, qword ptr [{ptr}]",
                "add {ptr}, {step}",
                "inc {col}",
                "cmp {col}, {lines}",
                "jne 4f",
                "sub {ptr}, {page}",
                "xor {col:e}, {col:e}",
                "4:",
                "dec {cnt}",
                "jnz 3b",
                "dec {trials}",
                "jnz 2b",
                base = in(reg) base,
                pages = in(reg) pages,
                step = in(reg) page + 64,
                lines = in(reg) lines,
                page = in(reg) page,
                trials = inout(reg) trials => _,
                sum = inout(reg) sum,
                ptr = out(reg) _,
                cnt = out(reg) _,
                col = out(reg) _,
                options(nostack, readonly),
            );
        }
        std::hint::black_box(sum)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut sum = 0u64;
        for _ in 0..trials {
            for i in 0..pages {
                let va = base + i * page + word_offset(i, page);
                // SAFETY: callers pass a mapping of this process holding `pages` pages
                // from `base`; `va` lies in page i, 8-byte aligned.
                sum = sum.wrapping_add(unsafe { std::ptr::read_volatile(va as *const u64) });
            }
        }
        std::hint::black_box(sum)
    }
}

/// Follows the chain of pointers from `start` for `steps` loads (assembly on x86-64,
/// see [`stride`]).
#[inline(never)]
fn chase(start: u64, steps: u64) -> u64 {
    if steps == 0 {
        return start;
    }
    #[cfg(target_arch = "x86_64")]
    {
        let mut p = start;
        // SAFETY: `link` wrote, in every page of the chain, the address of the next
        // word of the chain; every such address lies in the caller's mapping. The loop
        // only reads those words; no stack, no writes.
        unsafe {
            std::arch::asm!(
                "2:",
                "mov {p}, qword ptr [{p}]",
                "dec {n}",
                "jnz 2b",
                p = inout(reg) p,
                n = inout(reg) steps => _,
                options(nostack, readonly),
            );
        }
        std::hint::black_box(p)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut p = start;
        for _ in 0..steps {
            // SAFETY: as above: every link points at a word of the caller's mapping.
            p = unsafe { std::ptr::read_volatile(p as *const u64) };
        }
        std::hint::black_box(p)
    }
}

/// A small deterministic generator (xorshift64*), so that every run chases the same
/// permutation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Writes a random cyclic permutation of the first `pages` pages (Sattolo's
/// algorithm: one cycle through all of them) as a chain of pointers; returns its start.
fn link(map: &AnonMap, base: u64, pages: u64, page: u64, seed: u64) -> u64 {
    let mut order: Vec<u64> = (0..pages).collect();
    let mut rng = Rng(seed | 1);
    for i in (1..order.len()).rev() {
        let j = (rng.next() % i as u64) as usize;
        order.swap(i, j);
    }
    let addr = |i: u64| base + i * page + word_offset(i, page);
    for (k, &i) in order.iter().enumerate() {
        let next = order[(k + 1) % order.len()];
        map.write_u64(addr(i), addr(next));
    }
    addr(order[0])
}

trait WriteU64 {
    fn write_u64(&self, addr: u64, v: u64);
}

impl WriteU64 for AnonMap {
    fn write_u64(&self, addr: u64, v: u64) {
        assert!(addr >= self.addr() && addr.is_multiple_of(8));
        // SAFETY: `addr` is inside this read-write mapping (the callers stay within the
        // pages they mapped; the lower bound and alignment are asserted), which only
        // this process uses and which no Rust reference points into.
        unsafe { std::ptr::write_volatile(addr as *mut u64, v) };
    }
}

/// Measures one curve over `counts` pages from `base`.
fn sweep(
    map: &AnonMap,
    base: u64,
    page: u64,
    counts: &[u64],
    random: bool,
    counter: Option<&perf::DtlbMisses>,
) -> Vec<Point> {
    let mut out = Vec::new();
    for &n in counts {
        let trials = ACCESSES_PER_RUN.div_ceil(n);
        let accesses = trials * n;
        let start = if random {
            link(map, base, n, page, 0x9e37_79b9_7f4a_7c15 ^ n)
        } else {
            0
        };
        let once = || {
            if random {
                chase(start, accesses)
            } else {
                stride(base, n, page, trials)
            }
        };
        once(); // warm-up: caches, TLB, branch predictors
        let before = counter.and_then(|c| c.read());
        let mut runs_ns = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            once();
            runs_ns.push(t.elapsed().as_nanos() as f64 / accesses as f64);
        }
        let after = counter.and_then(|c| c.read());
        let dtlb_misses_per_access = match (before, after) {
            (Some(b), Some(a)) => {
                Some(a.saturating_sub(b) as f64 / (accesses * RUNS as u64) as f64)
            }
            _ => None,
        };
        out.push(Point {
            pages: n,
            trials,
            ns: super::median(&runs_ns),
            runs_ns,
            dtlb_misses_per_access,
        });
    }
    out
}

/// Why a MADV_HUGEPAGE region of this process can get no huge page, if it cannot
/// (read from sysfs and /proc/self/status), and the settings in words.
fn thp_forbids() -> (Option<String>, String) {
    let thp = super::mem::ThpSettings::read();
    (thp.forbids(), thp.describe())
}

/// The fastest of a point's runs: the one least disturbed by other processes.
fn fastest(runs: &[f64]) -> f64 {
    runs.iter().copied().fold(f64::INFINITY, f64::min)
}

fn size(bytes: u64) -> String {
    crate::render::human_size(bytes)
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let started = Instant::now();
    let mut e = lab.experiment(
        "tlb",
        "the TLB, measured",
        "The cost of one access per page, against the number of pages touched: flat while \
         the pages fit in the TLB, jumping just past each level's reach. On 2 MiB pages the \
         same accesses stay cheap far longer. Measured, then set beside what CPUID reports.",
    );
    let ps = lab.page_size();
    let max = lab.options.max_pages.unwrap_or(DEFAULT_MAX_PAGES);
    if !max.is_power_of_two() || !(2..=LIMIT_PAGES).contains(&max) {
        return Err(InputError::BadParameter {
            name: "max-pages".into(),
            why: format!("{max} is not a power of two from 2 to {LIMIT_PAGES}"),
        }
        .into());
    }
    if let Some(p) = &lab.options.plot {
        chart::check_plot_path(p)?;
    }
    let huge = setting(&format!("{THP_DIR}/hpage_pmd_size"))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(ps / 8 * ps);
    let bytes = max * ps;
    let huge_bytes = bytes.next_multiple_of(huge);
    let available = meminfo_bytes("MemAvailable")?;
    if bytes + huge_bytes + huge > available / 2 {
        return Err(Error::Unsupported {
            what: format!("measuring {max} pages"),
            why: format!(
                "it needs {} of memory ({} per backing) and MemAvailable is {}; use a \
                 smaller --max-pages",
                size(bytes + huge_bytes),
                size(bytes),
                size(available)
            ),
        });
    }
    let counts = page_counts(max);
    let me = std::process::id() as i32;

    // What the CPU says.
    let cpu = cpuid::read();
    // The two backings, every page written before anything is timed.
    let small = AnonMap::new(bytes, MapFlags::empty())
        .map_err(|err| Error::Child(format!("mmap of {}: {err}", size(bytes))))?;
    let a = small.addr();
    small.advise(a, bytes, MmapAdvise::MADV_NOHUGEPAGE)?;
    let big = AnonMap::new(huge_bytes + huge, MapFlags::empty())
        .map_err(|err| Error::Child(format!("mmap of {}: {err}", size(huge_bytes + huge))))?;
    let b = big.addr().next_multiple_of(huge);
    let (forbids, thp_said) = thp_forbids();
    big.advise(b, huge_bytes, MmapAdvise::MADV_HUGEPAGE)?;
    for i in 0..max {
        small.touch(a + i * ps, 1);
    }
    for i in 0..huge_bytes / ps {
        big.touch(b + i * ps, 1);
    }
    // One read of smaps for both regions.
    let space = crate::space::AddressSpace::read(me)?;
    let anon_huge = |va: u64| -> Result<u64> {
        space
            .find(crate::addr::VirtAddr(va))
            .and_then(|r| r.usage)
            .map(|u| u.anon_huge)
            .ok_or_else(|| crate::error::Error::Child(format!("no smaps usage for {va:#x}")))
    };
    let (small_huge, big_huge) = (anon_huge(a)?, anon_huge(b)?);
    let declined = forbids.is_none() && big_huge < huge_bytes;
    let thp_missing: Option<String> = forbids.clone().or_else(|| {
        declined.then(|| {
            format!(
                "the kernel gave only {} of the {} region huge pages (smaps AnonHugePages) \
                 although {thp_said}: memory may be fragmented",
                size(big_huge),
                size(huge_bytes)
            )
        })
    });
    e.say(format!(
        "Two regions of {max} pages ({}): one with MADV_NOHUGEPAGE (smaps AnonHugePages: {}), \
         one 2 MiB-aligned with MADV_HUGEPAGE (AnonHugePages: {} of {}). THP: {thp_said}. \
         Every page was written before timing, so no page fault is measured.",
        size(bytes),
        size(small_huge),
        size(big_huge),
        size(huge_bytes),
    ));

    let counter = perf::DtlbMisses::open();
    let pin = Pin::new()?;
    let cpu_pinned = pin.cpu;
    let mut sweeps = Vec::new();
    for (backing, map, base) in [("4 KiB", &small, a), ("2 MiB", &big, b)] {
        for (order, random) in [("sequential", false), ("random", true)] {
            let points = sweep(map, base, ps, &counts, random, counter.as_ref().ok());
            let curve: Vec<(u64, f64)> = points.iter().map(|p| (p.pages, p.ns)).collect();
            sweeps.push(Sweep {
                order,
                backing,
                knees: find_knees(&curve, KneeRule::default()),
                points,
            });
        }
    }
    drop(pin);
    let elapsed = started.elapsed();
    let [seq4, rnd4, seq2, rnd2] = [&sweeps[0], &sweeps[1], &sweeps[2], &sweeps[3]];

    // The data table.
    let counted = counter.is_ok();
    let mut cols = vec![
        "pages",
        "memory",
        "trials",
        "4K seq ns",
        "4K random ns",
        "2M seq ns",
        "2M random ns",
    ];
    if counted {
        cols.push("4K random dTLB miss/access");
    }
    let mut t = Table::new(&cols);
    for (i, &n) in counts.iter().enumerate() {
        let knee_mark = |s: &Sweep| {
            if s.knees.iter().any(|k| k.pages == n) {
                " ◀"
            } else {
                ""
            }
        };
        let mut row = vec![
            n.to_string(),
            size(n * ps),
            rnd4.points[i].trials.to_string(),
        ];
        for s in [seq4, rnd4, seq2, rnd2] {
            row.push(format!("{:.2}{}", s.points[i].ns, knee_mark(s)));
        }
        if counted {
            row.push(
                rnd4.points[i]
                    .dtlb_misses_per_access
                    .map_or("?".into(), |m| format!("{m:.3}")),
            );
        }
        t.row(row);
    }
    e.show(
        format!(
            "Pinned to CPU {cpu_pinned} (sched_setaffinity; the previous mask is restored). \
             Each point: one warm-up run, then the median of {RUNS} timed runs of at least \
             {ACCESSES_PER_RUN} accesses (trials = passes over the pages per run), timed \
             with CLOCK_MONOTONIC; ◀ marks the last point before a knee. The whole sweep \
             took {:.2} s.",
            elapsed.as_secs_f64()
        ),
        t,
    );

    let curves = [
        (seq4, '+', "4 KiB sequential"),
        (rnd4, '*', "4 KiB random"),
        (seq2, 'x', "2 MiB sequential"),
        (rnd2, 'o', "2 MiB random"),
    ]
    .map(|(s, symbol, label)| chart::Curve {
        label: label.into(),
        symbol,
        points: s.curve(),
    });
    e.draw(
        "ns per access against pages touched (log scale):",
        chart::terminal(&curves, 16),
    );

    // Theory beside measurement.
    let per_huge = huge / ps;
    let mut side = Table::new(&[
        "TLB (data)",
        "CPU reports (CPUID)",
        "reach, 4 KiB pages",
        "nearest knee (random)",
        "nearest knee (sequential)",
    ]);
    let level_row = |level: u8, page: PageKind, rnd: &Sweep, seq: &Sweep| {
        let entries = cpu.entries(level, page);
        let mult = if page == PageKind::M2 { per_huge } else { 1 };
        let k = |s: &Sweep| match entries {
            None => "?".to_string(),
            Some(n) => nearest_knee(&s.knees, n as u64 * mult, REACH_FACTOR)
                .map_or(format!("none within {REACH_FACTOR}x"), |k| {
                    format!("after {} ({})", k.pages, size(k.pages * ps))
                }),
        };
        vec![
            format!(
                "L{level} {}",
                if page == PageKind::K4 {
                    "4 KiB"
                } else {
                    "2 MiB"
                }
            ),
            entries.map_or_else(
                || {
                    format!(
                        "unknown ({})",
                        cpu.unknown.as_deref().unwrap_or("not reported")
                    )
                },
                |n| format!("{n} entries"),
            ),
            entries.map_or("?".into(), |n| {
                let pages = n as u64 * mult;
                format!("{pages} pages ({})", size(pages * ps))
            }),
            k(rnd),
            k(seq),
        ]
    };
    side.row(level_row(1, PageKind::K4, rnd4, seq4));
    side.row(level_row(2, PageKind::K4, rnd4, seq4));
    side.row(level_row(1, PageKind::M2, rnd2, seq2));
    side.row(level_row(2, PageKind::M2, rnd2, seq2));
    e.show(
        format!(
            "Theory (what the CPU reports, {}; vendor {}{}) beside the knee the finder \
             located nearest to each predicted reach (within {REACH_FACTOR}x). Data caches have knees too \
             (the words of N pages fill N cache lines: 512 lines fill a 32 KiB L1d): the \
             2 MiB curves, which touch the very same lines, show those alone.",
            cpu.source,
            cpu.vendor,
            if cpu.hypervisor {
                ", under a hypervisor (CPUID.1:ECX bit 31), which decides what CPUID shows"
            } else {
                ""
            }
        ),
        side,
    );
    if let Some(l1) = cpu.entries(1, PageKind::M2) {
        let predicted = l1 as u64 * per_huge;
        let found = rnd2.knees.first();
        e.say(format!(
            "With 2 MiB pages one entry covers {per_huge} pages of 4 KiB: the CPU's {l1} \
             first-level entries reach {predicted} pages ({}). {}",
            size(predicted * ps),
            match (found, rnd4.knees.first()) {
                (Some(h), Some(k)) if h.pages >= predicted / 4 => format!(
                    "Measured: the 2 MiB random curve's first knee is after {} pages, {:.0}x \
                     the 4 KiB knee ({}).",
                    h.pages,
                    h.pages as f64 / k.pages as f64,
                    k.pages
                ),
                _ if predicted > max => format!(
                    "That is beyond the {max} pages measured; run with --max-pages {} to see \
                     the 2 MiB knee.",
                    (predicted * 4).next_power_of_two().min(LIMIT_PAGES)
                ),
                _ => "No knee near it was measured.".into(),
            }
        ));
    }
    // Sequential against random.
    let last = *counts.last().unwrap_or(&1);
    e.say(format!(
        "Order matters: at {last} pages a sequential pass costs {:.2} ns per access on 4 KiB \
         pages and a random chase {:.2} ns. The sequential loop's loads are independent (the \
         CPU overlaps them) and its next pages are predictable (prefetchers, page-walk \
         caches), which flatters the TLB; the chase's every load waits for the previous one.",
        seq4.ns_at(last).unwrap_or(f64::NAN),
        rnd4.ns_at(last).unwrap_or(f64::NAN)
    ));
    match &counter {
        Ok(_) => e.say(
            "dTLB read misses were counted by the hardware (perf_event_open) over the timed \
             runs of each point of the 4 KiB random curve.",
        ),
        Err(why) => e.say(format!("No hardware miss counts: {why}.")),
    }

    // Claims.
    let first = rnd4.knees.first().copied();
    e.claim(match first {
        Some(k) => Claim::check(
            "cost per access rises once the pages touched exceed the first TLB level's reach",
            "a knee in the 4 KiB random curve: after it, ≥ 1.25x the plateau before",
            format!(
                "knee after {} pages: {:.2} → {:.2} ns per access",
                k.pages, k.before_ns, k.after_ns
            ),
            k.after_ns >= k.before_ns * 1.25,
        ),
        None => Claim::check(
            "cost per access rises once the pages touched exceed the first TLB level's reach",
            "a knee in the 4 KiB random curve: after it, ≥ 1.25x the plateau before",
            format!(
                "no knee in 1..{max} pages ({:.2} to {:.2} ns)",
                rnd4.points.first().map_or(0.0, |p| p.ns),
                rnd4.points.last().map_or(0.0, |p| p.ns)
            ),
            false,
        ),
    });
    let l1 = cpu.entries(1, PageKind::K4);
    let reach_statement = format!(
        "the measured reach of the first TLB level is within {REACH_FACTOR}x of the entries \
         the CPU reports"
    );
    let reach_theory = "CPUID L1 dTLB entries (4 KiB) / 4 ≤ knee ≤ entries x 4";
    e.claim(match (l1, first) {
        (Some(n), Some(k)) => {
            let ratio = k.pages as f64 / n as f64;
            Claim::check(
                &reach_statement,
                reach_theory,
                format!(
                    "CPUID: {n} entries; knee after {} pages (next point {}): ratio {ratio:.2}",
                    k.pages, k.next_pages
                ),
                (1.0 / REACH_FACTOR..=REACH_FACTOR).contains(&ratio),
            )
        }
        (None, _) => Claim::unverifiable(
            &reach_statement,
            reach_theory,
            &format!(
                "the CPU does not report its L1 dTLB: {}",
                cpu.unknown
                    .as_deref()
                    .unwrap_or("no 4 KiB L1 data TLB in CPUID")
            ),
        ),
        (Some(_), None) => Claim::unverifiable(
            &reach_statement,
            reach_theory,
            "no knee was measured to compare with the CPU's entry count",
        ),
    });
    // Huge pages, two claims: the knee moves out (needs 2 MiB translations in the TLB,
    // which a hypervisor may not give), and past the 4 KiB knee the accesses cost less.
    let huge_statement = "huge pages push the knee out: the 4 KiB knee is not in the 2 MiB curve";
    let huge_theory = "no knee of the 2 MiB random curve within 2x of the 4 KiB one";
    let huge_knees = if rnd2.knees.is_empty() {
        "none".to_string()
    } else {
        rnd2.knees
            .iter()
            .map(|h| format!("after {}", h.pages))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Under a hypervisor, a 2 MiB curve with the 4 KiB knee means the TLB holds 4 KiB
    // translations for the guest's huge pages: the guest cannot decide either claim.
    let shared_knee = first.and_then(|k| {
        rnd2.knees
            .iter()
            .find(|h| h.pages * 2 >= k.pages && h.pages <= k.pages * 2)
            .copied()
    });
    let hidden_by_host = match (first, shared_knee) {
        (Some(k), Some(h)) if cpu.hypervisor => Some(format!(
            "4 KiB knee after {}; 2 MiB knees: {huge_knees}: the 2 MiB curve has the 4 KiB \
             knee (after {}). This runs under a hypervisor (CPUID.1:ECX bit 31), which may \
             back the guest's 2 MiB pages with 4 KiB host pages: the TLB then holds 4 KiB \
             translations whatever the guest maps, and the guest cannot see it",
            k.pages, h.pages
        )),
        _ => None,
    };
    let why_not = thp_missing.clone().or(hidden_by_host.clone());
    e.claim(match (&why_not, first) {
        (Some(why), _) => Claim::unverifiable(huge_statement, huge_theory, why),
        (None, None) => Claim::unverifiable(
            huge_statement,
            huge_theory,
            "no 4 KiB knee was measured to compare with",
        ),
        (None, Some(k)) => Claim::check(
            huge_statement,
            huge_theory,
            format!("4 KiB knee after {}; 2 MiB knees: {huge_knees}", k.pages),
            shared_knee.is_none(),
        ),
    });
    let cheaper_statement = "past the first TLB level's reach, the same accesses cost less on \
                             2 MiB pages";
    let cheaper_theory = "at the 4 largest page counts past the 4 KiB knee, fastest of each \
                          point's runs (least disturbed): median of 4 KiB / 2 MiB random ≥ 1.2";
    let tail: Vec<(u64, f64, f64)> = first.map_or(Vec::new(), |k| {
        let past: Vec<_> = rnd4
            .points
            .iter()
            .zip(&rnd2.points)
            .filter(|(p, _)| p.pages > k.pages)
            .map(|(p, q)| (p.pages, fastest(&p.runs_ns), fastest(&q.runs_ns)))
            .collect();
        past[past.len().saturating_sub(4)..].to_vec()
    });
    e.claim(match (&why_not, first) {
        (Some(why), _) => Claim::unverifiable(cheaper_statement, cheaper_theory, why),
        _ if tail.is_empty() => Claim::unverifiable(
            cheaper_statement,
            cheaper_theory,
            "no point was measured past a 4 KiB knee",
        ),
        _ => {
            let ratios: Vec<f64> = tail.iter().map(|(_, s, h)| s / h).collect();
            let m = super::median(&ratios);
            Claim::check(
                cheaper_statement,
                cheaper_theory,
                format!(
                    "{}; median ratio {m:.2}",
                    tail.iter()
                        .map(|(n, s, h)| format!("{n}: {s:.1} vs {h:.1} ns"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                m >= 1.2,
            )
        }
    });
    let miss_statement = "the hardware counts dTLB misses: almost none below the first knee, \
                          most accesses miss past it";
    let miss_theory = "< 0.1 miss per access at the first level's plateau, ≥ 0.5 at the \
                       largest page count (4 KiB, random)";
    e.claim(match (&counter, first) {
        (Err(why), _) => Claim::unverifiable(miss_statement, miss_theory, why),
        (Ok(_), None) => Claim::unverifiable(
            miss_statement,
            miss_theory,
            "no knee was measured to place the counts against",
        ),
        (Ok(_), Some(k)) => {
            let below = rnd4
                .points
                .iter()
                .filter(|p| p.pages <= k.pages)
                .filter_map(|p| p.dtlb_misses_per_access)
                .fold(0.0f64, f64::max);
            let top = rnd4.points.last().and_then(|p| p.dtlb_misses_per_access);
            Claim::check(
                miss_statement,
                miss_theory,
                format!(
                    "at most {below:.3} per access up to {} pages; {} at {last}",
                    k.pages,
                    top.map_or("no count".into(), |m| format!("{m:.3}"))
                ),
                below < 0.1 && top.is_some_and(|m| m >= 0.5),
            )
        }
    });

    if hidden_by_host.is_some() {
        let (s, h) = (rnd4.ns_at(max), rnd2.ns_at(max));
        e.say(format!(
            "Here the 2 MiB random curve has the 4 KiB curve's first knee: the TLB does not \
             hold 2 MiB translations for this guest (the hypervisor backs its memory with \
             smaller pages). What huge pages still save is part of each walk: at {max} pages \
             a random access costs {:.2} ns on 4 KiB pages and {:.2} ns on 2 MiB pages.",
            s.unwrap_or(f64::NAN),
            h.unwrap_or(f64::NAN)
        ));
    }
    if let Some(path) = &lab.options.plot {
        let mut marks: Vec<(u64, String)> = rnd4
            .knees
            .iter()
            .map(|k| (k.pages, format!("knee {}", k.pages)))
            .collect();
        if let Some(n) = l1 {
            marks.push((n as u64, format!("CPUID L1 {n}")));
        }
        chart::svg(
            path,
            &format!("vm-tlb: ns per access vs pages ({})", cpu.vendor),
            &curves,
            &marks,
        )?;
        e.say(format!("The plot was written to {}.", path.display()));
    }

    e.observe("page_size", ps);
    e.observe("huge_size", huge);
    e.observe("max_pages", max);
    e.observe("page_counts", &counts);
    e.observe("accesses_per_run", ACCESSES_PER_RUN);
    e.observe("runs_per_point", RUNS);
    e.observe("pinned_cpu", cpu_pinned);
    e.observe("elapsed_ms", elapsed.as_millis() as u64);
    e.observe("sweeps", &sweeps);
    e.observe("cpuid", &cpu);
    e.observe(
        "dtlb_counter",
        match &counter {
            Ok(_) => "open".to_string(),
            Err(why) => why.clone(),
        },
    );
    e.observe("small_anon_huge", small_huge);
    e.observe("huge_anon_huge", big_huge);
    e.observe("huge_region_bytes", huge_bytes);
    e.observe("thp_missing", &thp_missing);
    e.observe("first_knee", first.map(|k| k.pages));
    e.observe("huge_first_knee", rnd2.knees.first().map(|k| k.pages));
    drop(small);
    drop(big);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_are_powers_of_two_and_halfway_points() {
        assert_eq!(page_counts(16), vec![1, 2, 3, 4, 6, 8, 12, 16]);
        let c = page_counts(16384);
        assert_eq!(*c.last().unwrap(), 16384);
        assert!(c.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_spread_over_cache_lines() {
        let offs: std::collections::BTreeSet<u64> = (0..64).map(|i| word_offset(i, 4096)).collect();
        assert_eq!(offs.len(), 64);
        assert!(offs.iter().all(|o| o % 64 == 0 && *o < 4096));
    }

    #[test]
    fn chase_permutation_is_one_cycle() {
        let ps = 4096u64;
        let n = 37u64;
        let map = AnonMap::new(n * ps, MapFlags::empty()).unwrap();
        let start = link(&map, map.addr(), n, ps, 7);
        let mut seen = std::collections::BTreeSet::new();
        let mut p = start;
        for _ in 0..n {
            assert!(seen.insert(p), "revisited {p:#x}");
            p = chase(p, 1);
        }
        assert_eq!(p, start);
        assert_eq!(seen.len() as u64, n);
    }
}
