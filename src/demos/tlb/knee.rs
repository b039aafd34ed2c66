//! Finding the knees of a cost curve: the page counts after which the cost per access
//! jumps to a new, higher level and stays there.
//!
//! The curve is a list of (pages, ns per access) points in increasing page order. We
//! walk it keeping the level of the current plateau (the median of its points so far).
//! A point starts a new plateau when it, and the point after it, both lie above the
//! level by more than `rise` (relative) and `floor_ns` (absolute): one point alone is a
//! spike of noise, not a knee. The knee is reported at the last point of the old
//! plateau: the largest page count measured that still fit. A smooth ramp that climbs
//! over several points gives one knee, at its foot, not one per point: a plateau needs
//! three points to be a level of its own.

/// Thresholds of the knee finder.
#[derive(Clone, Copy, Debug)]
pub struct KneeRule {
    /// A jump must exceed the plateau by this fraction (0.25 = 25 %).
    pub rise: f64,
    /// ... and by this many nanoseconds.
    pub floor_ns: f64,
}

impl Default for KneeRule {
    fn default() -> Self {
        KneeRule {
            rise: 0.25,
            floor_ns: 0.5,
        }
    }
}

/// One knee: the cost per access jumps after `pages`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Knee {
    /// The last page count before the jump (the measured reach).
    pub pages: u64,
    /// The first page count measured after it.
    pub next_pages: u64,
    /// The plateau level before the jump, ns per access.
    pub before_ns: f64,
    /// The cost at the first point after the jump, ns per access.
    pub after_ns: f64,
}

/// Points a plateau needs to count as a level of its own (else a ramp).
const MIN_PLATEAU: usize = 3;

use crate::demos::median;

/// The knees of `points` (pages ascending), by `rule`.
pub fn find_knees(points: &[(u64, f64)], rule: KneeRule) -> Vec<Knee> {
    let mut knees: Vec<Knee> = Vec::new();
    let mut plateau: Vec<f64> = Vec::new();
    for i in 0..points.len() {
        let (_, ns) = points[i];
        if plateau.is_empty() {
            plateau.push(ns);
            continue;
        }
        let level = median(&plateau);
        let above = |v: f64| v > level * (1.0 + rule.rise) && v - level > rule.floor_ns;
        let persists = points.get(i + 1).is_none_or(|&(_, next)| above(next));
        if above(ns) && persists && i + 1 < points.len() {
            if !knees.is_empty() && plateau.len() < MIN_PLATEAU {
                // The last knee's plateau never settled: still climbing the same
                // ramp, so one knee, at its foot.
                if let Some(k) = knees.last_mut() {
                    k.after_ns = ns;
                }
            } else {
                knees.push(Knee {
                    pages: points[i - 1].0,
                    next_pages: points[i].0,
                    before_ns: level,
                    after_ns: ns,
                });
            }
            plateau.clear();
        }
        plateau.push(ns);
    }
    knees
}

/// The knee nearest (by ratio) to `predicted` pages, if one lies within `factor` of it.
pub fn nearest_knee(knees: &[Knee], predicted: u64, factor: f64) -> Option<Knee> {
    let dist = |k: &Knee| (k.pages as f64 / predicted.max(1) as f64).ln().abs();
    knees
        .iter()
        .filter(|k| dist(k) <= factor.ln())
        .min_by(|a, b| dist(a).total_cmp(&dist(b)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page counts a sweep uses: powers of two and the points halfway between.
    fn xs(max: u64) -> Vec<u64> {
        let mut v = vec![1u64, 2];
        let mut p = 2u64;
        while p < max {
            v.push(p + p / 2);
            v.push(p * 2);
            p *= 2;
        }
        v
    }

    /// Deterministic noise in [-amp, amp].
    fn noise(i: usize, amp: f64) -> f64 {
        let x = ((i as u64).wrapping_mul(2654435761) % 1000) as f64 / 1000.0;
        (x * 2.0 - 1.0) * amp
    }

    fn curve(levels: &[(u64, f64)], base: f64, amp: f64) -> Vec<(u64, f64)> {
        xs(16384)
            .into_iter()
            .enumerate()
            .map(|(i, x)| {
                let level = levels
                    .iter()
                    .filter(|(k, _)| x > *k)
                    .map(|(_, v)| *v)
                    .next_back()
                    .unwrap_or(base);
                (x, level * (1.0 + noise(i, amp)))
            })
            .collect()
    }

    #[test]
    fn two_steps_give_two_knees_at_the_last_point_that_fits() {
        let c = curve(&[(64, 3.0), (2048, 9.0)], 1.0, 0.05);
        let k = find_knees(&c, KneeRule::default());
        let at: Vec<u64> = k.iter().map(|k| k.pages).collect();
        assert_eq!(at, vec![64, 2048], "{k:?}");
        assert_eq!(k[0].next_pages, 96);
    }

    #[test]
    fn a_knee_between_measured_points_is_reported_at_the_one_below() {
        // The reach is 80 pages: 64 fits, 96 does not.
        let c = curve(&[(80, 4.0)], 1.0, 0.0);
        let k = find_knees(&c, KneeRule::default());
        assert_eq!(k.len(), 1);
        assert_eq!((k[0].pages, k[0].next_pages), (64, 96));
    }

    #[test]
    fn flat_and_noisy_curves_have_no_knee() {
        assert!(find_knees(&curve(&[], 2.0, 0.0), KneeRule::default()).is_empty());
        assert!(find_knees(&curve(&[], 2.0, 0.10), KneeRule::default()).is_empty());
        assert!(find_knees(&[], KneeRule::default()).is_empty());
        assert!(find_knees(&[(1, 1.0)], KneeRule::default()).is_empty());
    }

    #[test]
    fn a_lone_spike_is_noise_not_a_knee() {
        let mut c = curve(&[], 2.0, 0.02);
        c[10].1 = 10.0;
        assert!(find_knees(&c, KneeRule::default()).is_empty());
    }

    #[test]
    fn a_ramp_is_one_knee_at_its_foot() {
        let c: Vec<(u64, f64)> = xs(16384)
            .into_iter()
            .map(|x| {
                (
                    x,
                    if x <= 256 {
                        1.0
                    } else {
                        (x as f64 / 256.0).sqrt() * 1.5
                    },
                )
            })
            .collect();
        let k = find_knees(&c, KneeRule::default());
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].pages, 256);
    }

    #[test]
    fn a_rise_in_the_last_point_alone_is_not_a_knee() {
        let mut c = curve(&[], 1.0, 0.0);
        let last = c.len() - 1;
        c[last].1 = 5.0;
        assert!(find_knees(&c, KneeRule::default()).is_empty());
    }

    #[test]
    fn nearest_knee_matches_a_level_by_ratio() {
        let c = curve(&[(48, 3.0), (384, 6.0), (2048, 13.0)], 1.0, 0.0);
        let k = find_knees(&c, KneeRule::default());
        assert_eq!(nearest_knee(&k, 72, 4.0).map(|k| k.pages), Some(48));
        assert_eq!(nearest_knee(&k, 3072, 4.0).map(|k| k.pages), Some(2048));
        assert_eq!(nearest_knee(&k, 36864, 4.0), None);
    }

    #[test]
    fn tiny_absolute_rises_are_ignored() {
        // +60 % but only 0.3 ns: below the floor.
        let c = curve(&[(64, 0.8)], 0.5, 0.0);
        assert!(find_knees(&c, KneeRule::default()).is_empty());
    }
}
