//! Timings on a shared machine: how to say "A costs at least k times B" only when the
//! measurements can tell.
//!
//! Each time is measured in several runs. Another process may take the CPU in the
//! middle of a run, or the caches may be cold, so a run can be far slower than the
//! others; rarely faster. So we keep the *middle half* of the runs of each
//! measurement: its first and third quartiles (q1, q3) besides the median. The ratio
//! of two measurements then lies, run for run, between `A.q1 / B.q3` (A at its
//! fastest, B at its slowest) and `A.q3 / B.q1`. A claim "A ≥ k × B" holds when even the
//! low end clears k, is contradicted when even the high end falls short, and is
//! otherwise undecided: the noise is larger than the margin, and we say how large.

use serde::Serialize;

/// The quartiles of a measurement's runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    /// How many runs (finite values) it is made of.
    pub runs: usize,
}

/// Fewer runs than this and a middle half means nothing.
pub const MIN_RUNS: usize = 3;

impl Spread {
    /// The quartiles of the finite `values` (linear interpolation between ranks);
    /// `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let at = |p: f64| {
            let rank = p * (v.len() - 1) as f64;
            let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (rank - lo as f64)
        };
        Some(Spread {
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
            runs: v.len(),
        })
    }

    /// All quartiles times `k` (the cost of `k` faults from the cost of one).
    pub fn times(self, k: f64) -> Spread {
        Spread {
            q1: self.q1 * k,
            median: self.median * k,
            q3: self.q3 * k,
            runs: self.runs,
        }
    }
}

/// The ratio of two measurements: from the medians, and the range the middle halves
/// of their runs allow.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ratio {
    pub low: f64,
    pub median: f64,
    pub high: f64,
}

impl Ratio {
    /// `a / b`.
    pub fn of(a: Spread, b: Spread) -> Ratio {
        Ratio {
            low: a.q1 / b.q3,
            median: a.median / b.median,
            high: a.q3 / b.q1,
        }
    }

    /// Whether the runs can tell if the ratio is at least `k`: `Some(true)` when even
    /// the low end is, `Some(false)` when even the high end is not, `None` when the
    /// range straddles `k`.
    pub fn at_least(&self, k: f64) -> Option<bool> {
        if self.low >= k {
            Some(true)
        } else if self.high < k {
            Some(false)
        } else {
            None
        }
    }
}

/// A cost in words with its unit: `1.71 µs`, `0.62 ns`, `86.6 µs`, `1.2 ms`.
pub fn duration(ns: f64) -> String {
    let (value, unit) = if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    format!("{} {unit}", significant(value))
}

/// A number with three significant digits (no more than two decimals): `2772`,
/// `264`, `51.3`, `1.71`, `0.62`.
pub fn significant(x: f64) -> String {
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{x:.digits$}")
}

/// A ratio as a factor: `2772×`.
pub fn factor(x: f64) -> String {
    format!("{}×", significant(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_of_nine_runs_are_the_third_and_seventh() {
        let s = Spread::of(&[9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3, s.runs), (3.0, 5.0, 7.0, 9));
        let t = Spread::of(&[1.0, f64::NAN, 3.0]).unwrap();
        assert_eq!((t.q1, t.median, t.q3, t.runs), (1.5, 2.0, 2.5, 2));
        assert_eq!(Spread::of(&[f64::NAN]), None);
    }

    #[test]
    fn a_ratio_decides_only_outside_its_range() {
        let a = Spread::of(&[100.0, 110.0, 120.0]).unwrap();
        let b = Spread::of(&[1.0, 1.0, 2.0]).unwrap();
        let r = Ratio::of(a, b);
        assert_eq!((r.low, r.high), (105.0 / 1.5, 115.0));
        assert_eq!(r.at_least(50.0), Some(true));
        assert_eq!(r.at_least(200.0), Some(false));
        assert_eq!(r.at_least(100.0), None);
    }

    #[test]
    fn costs_read_with_their_unit() {
        assert_eq!(duration(1711.0), "1.71 µs");
        assert_eq!(duration(0.62), "0.62 ns");
        assert_eq!(duration(86_570.0), "86.6 µs");
        assert_eq!(factor(2772.4), "2772×");
    }
}
