//! Reference strings: generated from a seed, given on the command line, or read from a
//! trace file.

use crate::error::Result;
use crate::sim::answer::number;
use crate::sim::params::quote;
use crate::sim::{Rng, bad_param};
use crate::tr;

/// The classic reference string of Belady's anomaly: FIFO misses 9 times with 3
/// frames and 10 times with 4.
pub const BELADY: [u64; 12] = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

/// The longest string simulated, generated or read from a trace.
pub const MAX_REFS: usize = 100_000;

/// The largest trace file read.
pub const MAX_TRACE_BYTES: u64 = 8 << 20;

/// Random draws for RAND: one per access (enough for any number of evictions).
pub fn draws(rng: &mut Rng, count: usize, frames: usize) -> Vec<u64> {
    (0..count).map(|_| rng.below(frames as u64)).collect()
}

/// A random reference string of `n` pages in `0..pages`: with probability
/// `locality` percent the next page is one of the last `hot` distinct pages used.
pub fn random_refs(rng: &mut Rng, n: usize, pages: u64, locality: u64, hot: usize) -> Vec<u64> {
    let mut refs: Vec<u64> = Vec::with_capacity(n);
    let mut recent: std::collections::VecDeque<u64> = Default::default();
    let hot = hot.max(1);
    for _ in 0..n {
        let page = if !recent.is_empty() && rng.chance(locality) {
            recent[rng.below(recent.len() as u64) as usize]
        } else {
            rng.below(pages)
        };
        // The recent list is at most `hot` long: bounded work per access.
        if let Some(at) = recent.iter().position(|&p| p == page) {
            recent.remove(at);
        }
        recent.push_back(page);
        if recent.len() > hot {
            recent.pop_front();
        }
        refs.push(page);
    }
    refs
}

/// The string of Belady's anomaly for `c` frames: `1..=c+1`, `1..c`, `c+2`, `1..=c+2`
/// (for 3 frames the classic `1,2,3,4,1,2,5,1,2,3,4,5`). FIFO misses once more with
/// `c+1` frames than with `c`, for every `c` from 3 on.
pub fn belady_string(c: u64) -> Vec<u64> {
    (1..=c + 1)
        .chain(1..c)
        .chain([c + 2])
        .chain(1..=c + 2)
        .collect()
}

/// Belady's string for `c` frames, its pages relabelled by the seed (seed 0 keeps the
/// textbook labels) within 0 to `maxpage`-1 when they fit.
pub fn belady_relabelled(rng: &mut Rng, c: u64, maxpage: u64, seed: u64) -> Vec<u64> {
    let refs = belady_string(c);
    if seed == 0 {
        return refs;
    }
    let pool = maxpage.max(c + 2);
    let mut labels: Vec<u64> = (0..pool).collect();
    rng.shuffle(&mut labels);
    refs.iter().map(|&p| labels[(p - 1) as usize]).collect()
}

/// Parses a list of numbers, comma (or space) separated, for flag `name`.
pub fn parse_list(name: &str, text: &str) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for s in text.split(|c: char| c == ',' || c.is_whitespace()) {
        if s.is_empty() {
            continue;
        }
        if out.len() >= MAX_REFS {
            return Err(bad_param(
                name,
                tr!("policy-error-too-long", max = MAX_REFS),
            ));
        }
        let n = number(s)
            .ok_or_else(|| bad_param(name, tr!("policy-error-not-a-number", text = quote(s))))?;
        out.push(n);
    }
    if out.is_empty() {
        return Err(bad_param(name, tr!("policy-error-empty")));
    }
    Ok(out)
}

/// How a trace's numbers become pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceUnit {
    /// The numbers are page numbers already (OSTEP's paging-policy.py reads them so).
    Pages,
    /// The numbers are addresses in pages of this many bytes (`--pagesize`).
    Addresses(u64),
}

/// Parses a trace: one number per line (`#` comments), or valgrind lackey lines
/// (` L 04016f60,8`, always addresses: pages of `lackey_page` bytes). Returns pages.
pub fn parse_trace(text: &str, unit: TraceUnit, lackey_page: u64) -> Result<Vec<u64>> {
    let mut pages = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("==") {
            continue;
        }
        if pages.len() >= MAX_REFS {
            return Err(bad_param(
                "addressfile",
                tr!("policy-error-too-long", max = MAX_REFS),
            ));
        }
        let bad = || {
            let why = tr!("policy-error-trace-line", line = n + 1, text = quote(line));
            bad_param("addressfile", why)
        };
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        let page = if matches!(first, "I" | "L" | "S" | "M") {
            let hex = words.next().ok_or_else(bad)?;
            let hex = hex.split(',').next().unwrap_or_default();
            u64::from_str_radix(hex, 16).map_err(|_| bad())? / lackey_page
        } else if words.next().is_none() {
            let v = number(first).ok_or_else(bad)?;
            match unit {
                TraceUnit::Pages => v,
                TraceUnit::Addresses(size) => v / size,
            }
        } else {
            return Err(bad());
        };
        pages.push(page);
    }
    if pages.is_empty() {
        return Err(bad_param("addressfile", tr!("policy-error-trace-empty")));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_hold_pages_unless_a_page_size_is_given() {
        let t = "# comment\n0x1000\n8191\n==123== lackey\nI  04016f60,3\n L 1ffefffd88,8\n";
        assert_eq!(
            parse_trace(t, TraceUnit::Addresses(4096), 4096).unwrap(),
            vec![1, 1, 0x4016, 0x1ffefffd88 >> 12]
        );
        // Page numbers stay page numbers: not all masked to page 0.
        assert_eq!(
            parse_trace("1\n2\n3\n", TraceUnit::Pages, 4096).unwrap(),
            vec![1, 2, 3]
        );
        assert!(parse_trace("0x10 0x20\n", TraceUnit::Pages, 4096).is_err());
        assert!(parse_trace("# nothing\n", TraceUnit::Pages, 4096).is_err());
        assert!(parse_trace("zz\n", TraceUnit::Pages, 4096).is_err());
    }

    #[test]
    fn lists_are_bounded_and_checked() {
        assert_eq!(parse_list("addresses", "1, 2 0x3").unwrap(), vec![1, 2, 3]);
        assert!(parse_list("addresses", ",").is_err());
        assert!(parse_list("addresses", "1,x").is_err());
        let long = vec!["1"; MAX_REFS + 1].join(",");
        assert!(parse_list("addresses", &long).is_err());
    }

    #[test]
    fn belady_family_misses_once_more_with_one_more_frame() {
        use super::super::model::{Policy, Problem, simulate};
        for c in 3..10 {
            let refs = belady_string(c as u64);
            let run = |frames| {
                simulate(&Problem {
                    refs: refs.clone(),
                    frames,
                    policy: Policy::Fifo,
                    clock_bits: 1,
                    draws: vec![],
                    rules: Default::default(),
                })
                .misses
            };
            assert_eq!(run(c + 1), run(c) + 1, "{c} frames");
        }
        assert_eq!(belady_string(3), BELADY);
    }
}
