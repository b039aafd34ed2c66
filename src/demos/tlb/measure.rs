//! The measurement: one word read per page, in two orders, timed.
//!
//! The homework's loop reads page 0, 1, 2 ... in order (a *stride*); its loads are
//! independent, so the CPU overlaps them, and its next page is predictable, so
//! prefetchers and page-walk caches help. A *pointer chase* through a random cyclic
//! permutation of the pages (as torvalds/test-tlb does) defeats both: each load waits
//! for the previous one, and no one can guess the next page. The word of page i sits
//! at cache line i mod 64 of its page, so the words spread over all cache sets instead
//! of fighting over one; the same offsets are used on both backings, so the two curves
//! differ only in translation.
//!
//! Noise is the enemy of every timing. So each point is measured in two rounds, the
//! first from 1 page up, the second from the largest count down (a slow drift of the
//! machine's speed then shows as disagreement, not as a rise with the page count); in
//! each round the four curves are measured one after the other at the same page count,
//! so that a disturbance hits them alike rather than one curve; and every measurement is
//! one untimed warm-up run and then [`RUNS`] timed ones. The judge reads the spread of
//! all of a point's runs as its noise.

use std::time::Instant;

use super::perf::DtlbMisses;
use super::regions::{Maps, Plan};
use super::{Curves, Point};
use crate::demos::mem::AnonMap;
use crate::error::{Error, Result};

/// Accesses per timed run, at least: long enough (~0.1 ms and more) that the clock's
/// resolution (tens of ns) is noise below 0.1 %.
pub const ACCESSES_PER_RUN: u64 = 1 << 17;
/// Timed runs per point in each round.
pub const RUNS: usize = 5;
/// Rounds over all page counts: up, then down.
pub const ROUNDS: usize = 2;

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

/// One of the four curves: which region, and which order.
#[derive(Clone, Copy)]
struct Curve<'a> {
    map: &'a AnonMap,
    base: u64,
    random: bool,
}

/// A point being measured: its runs and miss counts so far, over the rounds.
struct Tally {
    pages: u64,
    trials: u64,
    runs_ns: Vec<f64>,
    /// dTLB misses over the timed runs, while every read of the counter succeeds.
    misses: Option<u64>,
}

/// Measures the four curves (sequential and random, on 4 KiB and on 2 MiB pages),
/// pinned to one CPU; returns the CPU and the curves.
pub fn curves(plan: &Plan, maps: &Maps, counter: Option<&DtlbMisses>) -> Result<(usize, Curves)> {
    let curves = [
        (&maps.small, maps.small_at, false),
        (&maps.small, maps.small_at, true),
        (&maps.big, maps.big_at, false),
        (&maps.big, maps.big_at, true),
    ]
    .map(|(map, base, random)| Curve { map, base, random });
    let counts = page_counts(plan.max);
    let mut tallies: Vec<Vec<Tally>> = (0..curves.len())
        .map(|_| counts.iter().map(|&n| tally(n)).collect())
        .collect();
    let pin = Pin::new()?;
    for round in 0..ROUNDS {
        // Up in the first round, down in the second.
        let order: Vec<usize> = if round % 2 == 0 {
            (0..counts.len()).collect()
        } else {
            (0..counts.len()).rev().collect()
        };
        for i in order {
            for (c, curve) in curves.iter().enumerate() {
                measure(*curve, plan.page, counter, &mut tallies[c][i]);
            }
        }
    }
    let cpu = pin.cpu;
    drop(pin);
    let [seq4, rnd4, seq2, rnd2] = <[Vec<Tally>; 4]>::try_from(tallies)
        .map_err(|_| Error::Child("four curves were measured".into()))?
        .map(|t| t.into_iter().map(point).collect::<Vec<Point>>());
    Ok((
        cpu,
        Curves {
            sequential_4k: seq4,
            random_4k: rnd4,
            sequential_2m: seq2,
            random_2m: rnd2,
        },
    ))
}

fn tally(pages: u64) -> Tally {
    Tally {
        pages,
        trials: ACCESSES_PER_RUN.div_ceil(pages),
        runs_ns: Vec::with_capacity(RUNS * ROUNDS),
        misses: Some(0),
    }
}

fn point(t: Tally) -> Point {
    let accesses = t.trials * t.pages * t.runs_ns.len() as u64;
    Point {
        pages: t.pages,
        trials: t.trials,
        runs_ns: t.runs_ns,
        dtlb_misses_per_access: t.misses.map(|m| m as f64 / accesses as f64),
    }
}

/// One round's measurement of one point: a warm-up run, then [`RUNS`] timed runs,
/// with the counter read around them.
fn measure(curve: Curve, page: u64, counter: Option<&DtlbMisses>, t: &mut Tally) {
    let (n, trials) = (t.pages, t.trials);
    let accesses = trials * n;
    let start = if curve.random {
        link(curve.map, curve.base, n, page, 0x9e37_79b9_7f4a_7c15 ^ n)
    } else {
        0
    };
    let once = || {
        if curve.random {
            chase(start, accesses)
        } else {
            stride(curve.base, n, page, trials)
        }
    };
    once(); // warm-up: caches, TLB, branch predictors
    let before = counter.and_then(|c| c.read());
    for _ in 0..RUNS {
        let clock = Instant::now();
        once();
        t.runs_ns
            .push(clock.elapsed().as_nanos() as f64 / accesses as f64);
    }
    let after = counter.and_then(|c| c.read());
    t.misses = match (t.misses, before, after) {
        (Some(sum), Some(b), Some(a)) => Some(sum + a.saturating_sub(b)),
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::mman::MapFlags;

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
