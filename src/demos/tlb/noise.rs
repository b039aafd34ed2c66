//! How far a timing can be trusted.
//!
//! A point is [`RUNS`](super::measure::RUNS) timed runs in each of two rounds. Its
//! value is their median; its *spread* is the middle half of them (from the first
//! quartile to the third) against that median: 0.02 means the middle runs agree within
//! 2 %. One run disturbed by another process moves neither; a round disturbed as a
//! whole widens the spread, because the other round disagrees with it.
//!
//! A verdict is given only where the effect stands clear of the spread of the points
//! it rests on; elsewhere the claim is unverifiable, and the reason names the noisiest
//! point. Every rule lets each point be off by its spread, and asks the knee finder's
//! own threshold (a 25 % rise) of what is left:
//!
//! - a knee counts, and where, if a point surely above its plateau by 25 % follows
//!   one surely not, with every point anywhere between its quartiles; one point in
//!   between may be a transition, half its runs on each side ([`knee_clear`]);
//! - a knee of a given rise is absent from a stretch of a curve only if that rise,
//!   shrunk by the spread of the stretch's points, would still have been found there
//!   ([`no_copy`]);
//! - a curve has no knee at all only if, grown by its points' spreads, it never climbs
//!   25 % above an earlier point ([`never_rises`]);
//! - a ratio between two curves decides only when it clears its threshold even after
//!   being divided (or multiplied) by one plus the spread ([`Margin`]).

use std::ops::RangeInclusive;

use super::knee::{Knee, KneeRule};
use super::{CurveName, Point};
use crate::demos::median;
use crate::tr;

/// The rise a knee must show (25 %), from the knee finder.
fn threshold() -> f64 {
    1.0 + KneeRule::default().rise
}

impl Point {
    /// The median of the runs: ns per access.
    pub fn ns(&self) -> f64 {
        median(&self.runs_ns)
    }

    /// The first and third quartiles of the runs: the middle half lies between. With
    /// fewer than two runs nothing is known of the noise: 0 to infinity.
    pub fn quartiles(&self) -> (f64, f64) {
        let mut r: Vec<f64> = self
            .runs_ns
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        if r.len() < 2 {
            return (0.0, f64::INFINITY);
        }
        r.sort_by(f64::total_cmp);
        let last = (r.len() - 1) as f64;
        (
            r[(last / 4.0).floor() as usize],
            r[(last * 3.0 / 4.0).ceil() as usize],
        )
    }

    /// The middle half of the runs against their median (see the module's doc).
    pub fn spread(&self) -> f64 {
        let (q1, q3) = self.quartiles();
        (q3 - q1) / self.ns()
    }
}

/// A point whose runs disagree too much for the verdict at hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Noisy {
    pub curve: CurveName,
    pub pages: u64,
    pub spread: f64,
}

impl Noisy {
    /// The reason a claim resting on this point is unverifiable.
    pub fn reason(&self) -> String {
        tr!(
            "tlb-reason-noisy",
            pages = self.pages,
            curve = self.curve.label(),
            spread = percent(self.spread)
        )
    }
}

/// `0.034` → `3%`.
pub fn percent(fraction: f64) -> String {
    if fraction.is_finite() {
        format!("{:.0}%", fraction * 100.0)
    } else {
        "∞".into()
    }
}

fn noisiest<'a>(curve: CurveName, points: impl Iterator<Item = &'a Point>) -> Option<Noisy> {
    points
        .map(|p| Noisy {
            curve,
            pages: p.pages,
            spread: p.spread(),
        })
        .max_by(|a, b| a.spread.total_cmp(&b.spread))
}

/// The points of `curve` from the first with at least `range.start()` pages to the
/// first past `range.end()`: every point a knee inside the range could rest on.
fn around(points: &[Point], range: RangeInclusive<u64>) -> &[Point] {
    let from = points.iter().position(|p| p.pages >= *range.start());
    let past = points.iter().position(|p| p.pages > *range.end());
    match from {
        Some(from) => &points[from..past.map_or(points.len(), |i| (i + 1).min(points.len()))],
        None => &[],
    }
}

/// Whether a knee rising `rise`-fold would have been found within `range` of
/// `curve`: true when that rise, shrunk by one plus the largest spread of the points
/// there (twice: both points of a step may be off), still exceeds the threshold. The
/// noisiest point otherwise.
pub fn no_copy(
    curve: CurveName,
    points: &[Point],
    range: RangeInclusive<u64>,
    rise: f64,
) -> Result<(), Noisy> {
    match noisiest(curve, around(points, range).iter()) {
        Some(n) if rise / (1.0 + n.spread).powi(2) < threshold() => Err(n),
        _ => Ok(()),
    }
}

/// Whether `curve` never climbs by the threshold above an earlier point, even with
/// each point grown (and the earlier one shrunk) by its spread: then no knee can be
/// hiding in it. The noisiest point otherwise.
pub fn never_rises(curve: CurveName, points: &[Point]) -> Result<(), Noisy> {
    let mut low = f64::INFINITY;
    for p in points {
        let slack = 1.0 + p.spread();
        if p.ns() * slack >= low * threshold() {
            return Err(noisiest(curve, points.iter()).expect("a point"));
        }
        low = low.min(p.ns() / slack);
    }
    Ok(())
}

/// `knee` (one of `knees`, the knees of `points`) as it stands clear of the noise.
///
/// The knee finder put it after the last point of a plateau, whose level is the median
/// of the plateau's points. Here each point may be anywhere between its quartiles,
/// and the level anywhere between the median of its points' first quartiles and that
/// of their third. The knee stands if a point surely below the level's threshold (the
/// knee's own, or the one before it) is followed by one surely above it (the next, or
/// the one after), with at most one point between them: the point where the TLB is
/// just full runs sometimes fast, sometimes slow, and that is the TLB, not noise.
/// Returned with those two points as its place; the noisiest point it rests on if it
/// does not stand.
pub fn knee_clear(
    curve: CurveName,
    points: &[Point],
    knees: &[Knee],
    knee: &Knee,
) -> Result<Knee, Noisy> {
    let index = |pages: u64| points.iter().position(|p| p.pages == pages);
    let start = knees
        .iter()
        .take_while(|k| k.pages < knee.pages)
        .last()
        .and_then(|k| index(k.next_pages))
        .unwrap_or(0);
    let unknown = Noisy {
        curve,
        pages: knee.pages,
        spread: f64::INFINITY,
    };
    let Some(i) = index(knee.pages).filter(|&i| i >= start && i + 1 < points.len()) else {
        return Err(unknown);
    };
    let plateau = &points[start..=i];
    let low = median(&plateau.iter().map(|p| p.quartiles().0).collect::<Vec<_>>());
    let high = median(&plateau.iter().map(|p| p.quartiles().1).collect::<Vec<_>>());
    let below = |j: &usize| points[*j].quartiles().1 < low * threshold();
    let above = |m: &usize| points[*m].quartiles().0 >= high * threshold();
    let last = (i + 2).min(points.len() - 1);
    let sure_below = (i.saturating_sub(1).max(start)..=i).rev().find(below);
    let sure_above = (i + 1..=last).find(above);
    match (sure_below, sure_above) {
        (Some(j), Some(m)) if m - j <= 2 => Ok(Knee {
            pages: points[j].pages,
            next_pages: points[m].pages,
            before_ns: knee.before_ns,
            after_ns: points[m].ns(),
        }),
        _ => Err(noisiest(curve, points[start..=last].iter()).unwrap_or(unknown)),
    }
}

/// A measured ratio against its threshold, with the spread of the points behind it.
pub struct Margin {
    pub ratio: f64,
    pub spread: f64,
}

impl Margin {
    /// `Some(true)` when the ratio clears `threshold` even divided by one plus the
    /// spread, `Some(false)` when it misses it even multiplied by that, `None` when the
    /// noise could carry it either way.
    pub fn against(&self, threshold: f64) -> Option<bool> {
        let slack = 1.0 + self.spread;
        if self.ratio / slack >= threshold {
            Some(true)
        } else if self.ratio * slack < threshold {
            Some(false)
        } else {
            None
        }
    }
}

/// The noisiest of `points` (of `curve`), for a reason.
pub fn worst(curve: CurveName, points: &[&Point]) -> Option<Noisy> {
    noisiest(curve, points.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(pages: u64, runs: &[f64]) -> Point {
        Point {
            pages,
            trials: 1,
            runs_ns: runs.to_vec(),
            dtlb_misses_per_access: None,
        }
    }

    #[test]
    fn spread_ignores_one_outlier_and_sees_a_disturbed_round() {
        let one_outlier = point(1, &[1.0, 1.0, 1.0, 9.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(one_outlier.spread(), 0.0);
        assert_eq!(one_outlier.ns(), 1.0);
        let round_slow = point(1, &[1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
        assert!(round_slow.spread() >= 0.5, "{}", round_slow.spread());
        assert!(point(1, &[1.0]).spread().is_infinite());
    }

    #[test]
    fn a_knee_must_stand_clear_of_its_whole_plateau() {
        let flat = |n| point(n, &[1.0; 10]);
        let mut pts: Vec<Point> = [8, 16, 32, 64].iter().map(|&n| flat(n)).collect();
        pts.push(point(96, &[2.5; 10]));
        pts.push(point(128, &[2.5; 10]));
        pts.push(point(192, &[2.5; 10]));
        let knee = Knee {
            pages: 64,
            next_pages: 96,
            before_ns: 1.0,
            after_ns: 2.5,
        };
        let clear = |pts: &[Point]| knee_clear(CurveName::Random4k, pts, &[knee], &knee);
        assert_eq!(clear(&pts), Ok(knee));
        // The point after the knee a transition, half its runs fast: the step spans it.
        let mixed = [1.0, 1.0, 1.0, 1.0, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5];
        pts[4] = point(96, &mixed);
        assert_eq!(clear(&pts).map(|k| (k.pages, k.next_pages)), Ok((64, 128)));
        // Two such points in a row: where the knee is cannot be told.
        pts[5] = point(128, &mixed);
        assert!([96, 128].contains(&clear(&pts).unwrap_err().pages));
        // The knee's own point a transition: the knee is placed before it.
        pts[4] = point(96, &[2.5; 10]);
        pts[5] = point(128, &[2.5; 10]);
        pts[3] = point(64, &mixed);
        assert_eq!(clear(&pts).map(|k| (k.pages, k.next_pages)), Ok((32, 96)));
        // A noisy plateau: its level is not known well enough.
        pts[3] = flat(64);
        for p in &mut pts[..3] {
            p.runs_ns = vec![1.0, 1.0, 1.0, 2.5, 2.5, 2.5, 2.5, 3.0, 3.0, 3.0];
        }
        assert!(clear(&pts).is_err());
    }

    #[test]
    fn a_missing_copy_counts_only_where_it_could_not_hide() {
        let pts: Vec<Point> = [16, 32, 64, 96, 128, 192, 256]
            .iter()
            .map(|&n| point(n, &[1.0; 10]))
            .collect();
        assert!(no_copy(CurveName::Random2m, &pts, 32..=128, 1.3).is_ok());
        let mut loud = pts.clone();
        loud[5] = point(192, &[1.0, 1.0, 1.0, 1.2, 1.2, 1.2, 1.2, 1.4, 1.4, 1.4]);
        // 192 is the first point past 128: a knee at 128 would show there. A 2.5x
        // rise could not hide in a 40 % spread; a 1.3x one could.
        assert!(no_copy(CurveName::Random2m, &loud, 32..=128, 2.5).is_ok());
        let n = no_copy(CurveName::Random2m, &loud, 32..=128, 1.3).unwrap_err();
        assert_eq!(n.pages, 192);
        assert!(no_copy(CurveName::Random2m, &loud, 16..=32, 1.3).is_ok());
    }

    #[test]
    fn a_curve_without_knee_must_stay_flat_beyond_its_noise() {
        let flat: Vec<Point> = (0..8).map(|i| point(1 << i, &[1.0; 10])).collect();
        assert!(never_rises(CurveName::Random4k, &flat).is_ok());
        let mut creeping = flat.clone();
        creeping[7] = point(128, &[1.2; 10]);
        assert!(never_rises(CurveName::Random4k, &creeping).is_ok());
        creeping[6] = point(64, &[1.0, 1.0, 1.0, 1.1, 1.1, 1.1, 1.1, 1.2, 1.2, 1.2]);
        assert_eq!(
            never_rises(CurveName::Random4k, &creeping)
                .unwrap_err()
                .pages,
            64
        );
    }

    #[test]
    fn a_margin_decides_only_outside_the_noise() {
        let m = |ratio, spread| Margin { ratio, spread };
        assert_eq!(m(1.5, 0.1).against(1.2), Some(true));
        assert_eq!(m(1.0, 0.1).against(1.2), Some(false));
        assert_eq!(m(1.25, 0.1).against(1.2), None);
        assert_eq!(m(1.15, 0.1).against(1.2), None);
    }
}
