//! The claims, decided from the record alone.
//!
//! A knee in the 4 KiB random curve is not yet the TLB's: the words of N pages fill N
//! cache lines, so data caches have knees too, and the knee finder demands only a
//! 25 % rise. Two witnesses can tell the TLB's knee from a cache's:
//!
//! - the *control*: the 2 MiB curve touches the very same cache lines through 512
//!   times fewer translations; a knee it does not share is the TLB's (if the region
//!   really got huge pages: smaps says);
//! - the *counter*: the hardware's count of dTLB misses, few while the pages fit and
//!   most accesses past the knee.
//!
//! So the TLB's claims hold only when one of them says so; when neither can (the
//! control shows the same knee and no counter confirms it), they are unverifiable,
//! with what was seen and what it suggests. Each verdict also needs the sweep to reach
//! past where theory puts the knee, and the effect to stand clear of the noise
//! (`noise`); contradicted means a clean measurement disagreed.

use super::knee::Knee;
use super::noise::{Margin, knee_clear, never_rises, no_copy, worst};
use super::{CurveName, Observation, PageKind, Point, REACH_FACTOR, knees};
use crate::claim;
use crate::demos::median;
use crate::experiment::{Claim, Evidence};
use crate::tr;

/// Past the 4 KiB knee, accesses on 2 MiB pages must be this many times cheaper.
pub const CHEAPER: f64 = 1.2;
/// Misses per access that count as "almost none" (below the knee) and "most" (past it).
pub const FEW_MISSES: f64 = 0.1;
pub const MOST_MISS: f64 = 0.5;
/// How many of the largest page counts past the knee the cost comparison takes.
const TAIL: usize = 4;

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let a = Analysis::of(o);
    vec![
        cost_rises(&a),
        reach_matches(&a),
        huge_pushes_knee(&a),
        huge_cheaper(&a),
        misses_counted(&a),
    ]
}

/// How the knee was shown to be the TLB's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Witness {
    /// The 2 MiB control curve has no knee near it.
    Control,
    /// The counter: at most `below` misses per access up to it, `after` just past it.
    Counter { below: f64, after: f64 },
}

/// What the claims share, worked out once from the record.
pub struct Analysis<'a> {
    pub o: &'a Observation,
    pub knees_4k: Vec<Knee>,
    pub knees_2m: Vec<Knee>,
    /// The first level's 4 KiB entries, as CPUID reports them.
    pub entries: Option<u64>,
}

impl<'a> Analysis<'a> {
    pub fn of(o: &'a Observation) -> Analysis<'a> {
        Analysis {
            o,
            knees_4k: knees(&o.curves.random_4k),
            knees_2m: knees(&o.curves.random_2m),
            entries: o.cpu.entries(1, PageKind::K4).map(u64::from),
        }
    }

    /// The page count a sweep must reach to find the first level's knee wherever
    /// theory allows it (up to [`REACH_FACTOR`] times the entries), with room for the
    /// point after.
    pub fn needed(entries: u64) -> u64 {
        2 * REACH_FACTOR as u64 * entries
    }

    /// Whether the sweep is long enough to test the first level, when the CPU says
    /// how many entries it has.
    pub fn range(&self) -> Evidence<()> {
        match self.entries {
            Some(n) if self.o.max_pages < Self::needed(n) => Evidence::missing(tr!(
                "tlb-reason-range",
                max = self.o.max_pages,
                entries = n,
                needed = Self::needed(n),
                suggest = Self::needed(n).next_power_of_two()
            )),
            _ => Evidence::Seen(()),
        }
    }

    /// The first knee of the 4 KiB random curve, on a sweep long enough, standing
    /// clear of the noise.
    pub fn knee(&self) -> Evidence<Knee> {
        if let Evidence::Missing(m) = self.range() {
            return Evidence::Missing(m);
        }
        let Some(k) = self.knees_4k.first().copied() else {
            return Evidence::missing(tr!("tlb-reason-no-knee"));
        };
        let points = &self.o.curves.random_4k;
        match knee_clear(CurveName::Random4k, points, &self.knees_4k, &k) {
            Ok(k) => Evidence::Seen(k),
            Err(n) => Evidence::missing(n.reason()),
        }
    }

    /// What the 2 MiB control shows near knee `k`: `Seen(None)` when no copy of it is
    /// there (where one could not have hidden), `Seen(Some(h))` when it has a knee `h`
    /// within 2x of `k`, standing clear of the noise.
    pub fn control(&self, k: &Knee) -> Evidence<Option<Knee>> {
        if let Some(why) = self.o.regions.huge_missing() {
            return Evidence::missing(why);
        }
        let points = &self.o.curves.random_2m;
        let near = |h: &&Knee| h.pages * 2 >= k.pages && h.pages <= k.pages * 2;
        let checked = match self.knees_2m.iter().find(near) {
            Some(h) => knee_clear(CurveName::Random2m, points, &self.knees_2m, h).map(Some),
            None => {
                let rise = k.after_ns / k.before_ns;
                no_copy(CurveName::Random2m, points, k.pages / 2..=k.pages * 2, rise).map(|()| None)
            }
        };
        checked.map_or_else(|n| Evidence::missing(n.reason()), Evidence::Seen)
    }

    /// The counter's word on knee `k` of `points`: `Some((below, after))`, the most
    /// misses per access up to the knee and those at the point after, when it confirms
    /// a TLB knee there (few below, most after).
    pub fn counted(&self, points: &[Point], k: &Knee) -> Evidence<Option<(f64, f64)>> {
        if let Some(why) = self.o.dtlb_counter.refusal() {
            return Evidence::missing(why);
        }
        let misses = |p: &Point| p.dtlb_misses_per_access;
        let below: Option<Vec<f64>> = points
            .iter()
            .filter(|p| p.pages <= k.pages)
            .map(misses)
            .collect();
        let after = points
            .iter()
            .find(|p| p.pages == k.next_pages)
            .and_then(misses);
        match (below, after) {
            (Some(b), Some(a)) => {
                let below = b.iter().copied().fold(0.0, f64::max);
                Evidence::Seen((below < FEW_MISSES && a >= MOST_MISS).then_some((below, a)))
            }
            _ => Evidence::missing(tr!("tlb-reason-counts-unread")),
        }
    }

    /// The first 4 KiB knee, shown to be the TLB's by the counter or the control.
    pub fn tlb_knee(&self) -> Evidence<(Knee, Witness)> {
        let k = match self.knee() {
            Evidence::Seen(k) => k,
            Evidence::Missing(m) => return Evidence::Missing(m),
        };
        if let Some(&Some((below, after))) = self.counted(&self.o.curves.random_4k, &k).seen() {
            return Evidence::Seen((k, Witness::Counter { below, after }));
        }
        match self.control(&k) {
            Evidence::Seen(None) => Evidence::Seen((k, Witness::Control)),
            Evidence::Seen(Some(h)) => Evidence::missing(self.shared(&k, &h)),
            Evidence::Missing(m) => Evidence::Missing(m),
        }
    }

    /// What a knee in both curves shows, and what it suggests: one text for the
    /// narration and for every claim it leaves undecided.
    pub fn shared(&self, k: &Knee, h: &Knee) -> String {
        let counter = if self.o.dtlb_counter.refusal().is_some() {
            "refused"
        } else {
            "open"
        };
        if self.o.cpu.hypervisor {
            tr!(
                "tlb-shared-knee-guest",
                pages = k.pages,
                huge = h.pages,
                counter = counter
            )
        } else {
            tr!(
                "tlb-shared-knee",
                pages = k.pages,
                huge = h.pages,
                per_huge = self.o.huge_size / self.o.page_size,
                counter = counter
            )
        }
    }

    /// What the control shows when it has the 4 KiB curve's first knee too, both
    /// standing clear of the noise: the words of [`Analysis::shared`].
    pub fn shared_seen(&self) -> Option<String> {
        let k = *self.knee().seen()?;
        let h = (*self.control(&k).seen()?)?;
        Some(self.shared(&k, &h))
    }

    /// No knee at all in the 4 KiB random curve, with the CPU's entry count known and
    /// the curve flat beyond its noise: `Seen(None)`, the contradiction. Otherwise why
    /// the missing knee proves nothing.
    fn no_knee(&self) -> Evidence<Option<(Knee, Witness)>> {
        let points = &self.o.curves.random_4k;
        if self.entries.is_none() {
            let why = self.o.cpu.unknown().unwrap_or_default();
            return Evidence::missing(tr!(
                "tlb-reason-no-knee-no-reach",
                max = self.o.max_pages,
                why = why
            ));
        }
        match never_rises(CurveName::Random4k, points) {
            Ok(()) => Evidence::Seen(None),
            Err(n) => Evidence::missing(n.reason()),
        }
    }
}

fn ns(x: f64) -> String {
    format!("{x:.2}")
}

fn cost_rises(a: &Analysis) -> Claim {
    let evidence = match a.range() {
        Evidence::Missing(m) => Evidence::Missing(m),
        Evidence::Seen(()) if a.knees_4k.is_empty() => a.no_knee(),
        Evidence::Seen(()) => a.tlb_knee().map(Some),
    };
    claim!("tlb-cost-rises").on(evidence, |found| match found {
        Some((k, witness)) => {
            let how = match witness {
                Witness::Control => tr!("tlb-witness-control"),
                Witness::Counter { below, after } => tr!(
                    "tlb-witness-counter",
                    below = format!("{below:.3}"),
                    after = format!("{after:.3}")
                ),
            };
            let seen = tr!(
                "tlb-cost-rises-seen",
                pages = k.pages,
                before = ns(k.before_ns),
                after = ns(k.after_ns),
                how = how
            );
            (seen, true)
        }
        None => {
            let p = &a.o.curves.random_4k;
            let seen = tr!(
                "tlb-cost-flat-seen",
                max = a.o.max_pages,
                first = ns(p.first().map_or(f64::NAN, Point::ns)),
                last = ns(p.last().map_or(f64::NAN, Point::ns))
            );
            (seen, false)
        }
    })
}

fn reach_matches(a: &Analysis) -> Claim {
    let entries = Evidence::from_option(a.entries, || a.o.cpu.unknown().unwrap_or_default());
    let evidence = entries.zip(a.tlb_knee());
    claim!("tlb-reach-matches-cpuid", factor = REACH_FACTOR).on(evidence, |(n, (k, _))| {
        let ratio = k.pages as f64 / n as f64;
        let seen = tr!(
            "tlb-reach-seen",
            entries = n,
            pages = k.pages,
            next = k.next_pages,
            ratio = format!("{ratio:.2}")
        );
        (seen, (1.0 / REACH_FACTOR..=REACH_FACTOR).contains(&ratio))
    })
}

/// The 4 KiB knee, and the 2 MiB knee near it with the misses the counter saw past
/// it, when the counter shows that knee to be the TLB's too.
type Pushed = (Knee, Option<(Knee, f64)>);

fn pushed_evidence(a: &Analysis) -> Evidence<Pushed> {
    let k = match a.knee() {
        Evidence::Seen(k) => k,
        Evidence::Missing(m) => return Evidence::Missing(m),
    };
    match a.control(&k) {
        Evidence::Seen(None) => Evidence::Seen((k, None)),
        Evidence::Seen(Some(h)) => match a.counted(&a.o.curves.random_2m, &h) {
            Evidence::Seen(Some((_, after))) => Evidence::Seen((k, Some((h, after)))),
            _ => Evidence::missing(a.shared(&k, &h)),
        },
        Evidence::Missing(m) => Evidence::Missing(m),
    }
}

fn huge_pushes_knee(a: &Analysis) -> Claim {
    let list: Vec<String> = a.knees_2m.iter().map(|h| h.pages.to_string()).collect();
    let list = if list.is_empty() {
        tr!("tlb-none")
    } else {
        list.join(", ")
    };
    claim!("tlb-huge-pushes-knee").on(pushed_evidence(a), |(k, shared)| match shared {
        None => {
            let seen = tr!("tlb-pushed-seen", pages = k.pages, knees = list.as_str());
            (seen, true)
        }
        Some((h, misses)) => {
            let seen = tr!(
                "tlb-not-pushed-seen",
                pages = k.pages,
                huge = h.pages,
                misses = format!("{misses:.3}")
            );
            (seen, false)
        }
    })
}

/// The cost comparison past the knee: the points (pages, ns on 4 KiB, ns on 2 MiB)
/// and the median ratio with the spread of the points behind it.
struct Tail {
    points: Vec<(u64, f64, f64)>,
    margin: Margin,
}

fn tail_evidence(a: &Analysis) -> Evidence<Tail> {
    let k = match a.tlb_knee() {
        Evidence::Seen((k, _)) => k,
        Evidence::Missing(m) => return Evidence::Missing(m),
    };
    if let Some(why) = a.o.regions.huge_missing() {
        return Evidence::missing(why);
    }
    let (small, huge) = (&a.o.curves.random_4k, &a.o.curves.random_2m);
    let past: Vec<(&Point, &Point)> = small
        .iter()
        .zip(huge)
        .filter(|(p, q)| p.pages > k.pages && p.pages == q.pages)
        .collect();
    let past = &past[past.len().saturating_sub(TAIL)..];
    if past.is_empty() {
        return Evidence::missing(tr!("tlb-reason-no-tail"));
    }
    let ratios: Vec<f64> = past.iter().map(|(p, q)| p.ns() / q.ns()).collect();
    let (on_4k, on_2m): (Vec<&Point>, Vec<&Point>) = past.iter().copied().unzip();
    let noisiest = [
        worst(CurveName::Random4k, &on_4k),
        worst(CurveName::Random2m, &on_2m),
    ]
    .into_iter()
    .flatten()
    .max_by(|x, y| x.spread.total_cmp(&y.spread));
    let margin = Margin {
        ratio: median(&ratios),
        spread: noisiest.map_or(0.0, |n| n.spread),
    };
    match (margin.against(CHEAPER), noisiest) {
        (None, Some(n)) => Evidence::missing(n.reason()),
        _ => {
            let points = past
                .iter()
                .map(|(p, q)| (p.pages, p.ns(), q.ns()))
                .collect();
            Evidence::Seen(Tail { points, margin })
        }
    }
}

fn huge_cheaper(a: &Analysis) -> Claim {
    claim!("tlb-huge-cheaper", tail = TAIL, threshold = CHEAPER).on(tail_evidence(a), |t| {
        let points: Vec<String> = t
            .points
            .iter()
            .map(|&(n, s, h)| tr!("tlb-tail-point", pages = n, small = ns(s), huge = ns(h)))
            .collect();
        let seen = tr!(
            "tlb-cheaper-seen",
            points = points.join(", "),
            ratio = format!("{:.2}", t.margin.ratio),
            spread = super::noise::percent(t.margin.spread)
        );
        (seen, t.margin.against(CHEAPER) == Some(true))
    })
}

fn misses_counted(a: &Analysis) -> Claim {
    let counter = match a.o.dtlb_counter.refusal() {
        Some(why) => Evidence::missing(why),
        None => Evidence::Seen(()),
    };
    let evidence = counter.zip(a.knee()).map(|((), k)| k);
    let points = &a.o.curves.random_4k;
    let counts = match evidence {
        Evidence::Seen(k) => {
            let below: Option<Vec<f64>> = points
                .iter()
                .filter(|p| p.pages <= k.pages)
                .map(|p| p.dtlb_misses_per_access)
                .collect();
            let top = points.last().and_then(|p| p.dtlb_misses_per_access);
            match (below, top) {
                (Some(b), Some(t)) => Evidence::Seen((k, b.into_iter().fold(0.0, f64::max), t)),
                _ => Evidence::missing(tr!("tlb-reason-counts-unread")),
            }
        }
        Evidence::Missing(m) => Evidence::Missing(m),
    };
    claim!("tlb-misses-counted", few = FEW_MISSES, most = MOST_MISS).on(
        counts,
        |(k, below, top)| {
            let seen = tr!(
                "tlb-misses-seen",
                below = format!("{below:.3}"),
                pages = k.pages,
                top = format!("{top:.3}"),
                max = a.o.max_pages
            );
            (seen, below < FEW_MISSES && top >= MOST_MISS)
        },
    )
}
