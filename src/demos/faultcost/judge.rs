//! The claims of vm-faultcost, decided from the record alone.

use super::costs::{Costs, decided, huge_pages_per};
use super::huge::PfnRun;
use super::stats::{MIN_RUNS, Ratio, Spread, duration, factor};
use super::{MajorFile, Observation, PopulateRun, SmallRun};
use crate::demos::exact_size;
use crate::demos::hugepages::thp;
use crate::experiment::{Claim, Evidence};
use crate::{claim, tr};

/// "Orders of magnitude": a fault must cost at least this many cached accesses.
const FAULT_FACTOR: f64 = 100.0;
/// Against a first-pass access (no warm-up): at least one order of magnitude.
const COLD_FACTOR: f64 = 10.0;
/// A major fault waits for storage: at least this many minor faults' worth.
const MAJOR_FACTOR: f64 = 5.0;

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let c = Costs::of(o);
    vec![
        demand_faults(o),
        populate(o),
        orders(&c),
        cold(&c),
        huge_one_fault(o),
        huge_frame(o),
        huge_cheaper(o, &c),
        major_faults(o),
        major_cost(o, &c),
    ]
}

/// `values` as a list for the kernel column: `1024, 1024, 1024`.
fn list(values: impl IntoIterator<Item = u64>) -> String {
    let v: Vec<String> = values.into_iter().map(|x| x.to_string()).collect();
    v.join(", ")
}

/// The record, unless its fault counts cannot be trusted: the measuring code faulted
/// on present memory by itself, or THP exists but the 4 KiB region could not opt out.
fn counts(o: &Observation) -> Evidence<&Observation> {
    if o.control.minor > 0 {
        return Evidence::missing(tr!("faultcost-control-faulted", faults = o.control.minor));
    }
    let refused = o.small.iter().find_map(|r| r.madvise_error.as_deref());
    match (refused, o.thp.forbids()) {
        (Some(error), None) => Evidence::missing(tr!("faultcost-nohuge-failed", error = error)),
        _ if o.small.is_empty() => Evidence::missing(tr!("faultcost-no-runs")),
        _ => Evidence::Seen(o),
    }
}

/// The runs a fault-count claim is decided on: all but those that differ from theory
/// in a way moving pages explains (`moved_explains`: extra faults, a page missing from
/// pagemap while being moved) and during which the kernel moved pages (see
/// [`thp::explained`]). Missing when every run was set aside.
fn deciding<R>(
    runs: &[R],
    moved_explains: impl Fn(&R) -> bool,
    migrated: impl Fn(&R) -> &Evidence<u64>,
) -> Evidence<Vec<&R>> {
    let mut kept = Vec::new();
    let mut why = None;
    for r in runs {
        match thp::explained(migrated(r)) {
            Some(w) if moved_explains(r) => why = Some(w),
            _ => kept.push(r),
        }
    }
    match (kept.is_empty(), why) {
        (false, _) => Evidence::Seen(kept),
        (true, why) => Evidence::missing(why.unwrap_or_else(|| tr!("faultcost-no-runs"))),
    }
}

fn demand_faults(o: &Observation) -> Claim {
    let as_theory = |r: &SmallRun| r.demand.minor == o.pages && r.cold.minor + r.present.minor == 0;
    // Moving pages adds faults; it never saves one.
    let moved_explains = |r: &SmallRun| !as_theory(r) && r.demand.minor >= o.pages;
    let evidence = match counts(o) {
        Evidence::Seen(o) => deciding(&o.small, moved_explains, |r| &r.migrated),
        Evidence::Missing(m) => Evidence::Missing(m),
    };
    claim!("faultcost-demand-faults", pages = o.pages).on(evidence, |runs| {
        let seen = tr!(
            "faultcost-demand-faults-seen",
            demand = list(runs.iter().map(|r| r.demand.minor)),
            again = list(runs.iter().map(|r| r.cold.minor + r.present.minor)),
            aside = o.small.len() - runs.len()
        );
        (seen, runs.iter().all(|r| as_theory(r)))
    })
}

fn populate(o: &Observation) -> Claim {
    let as_theory = |r: &PopulateRun| r.present_before == o.pages && r.touch.minor == 0;
    // A page being moved reads as not present, and touching it faults.
    let moved_explains = |r: &PopulateRun| !as_theory(r);
    let evidence = match counts(o) {
        Evidence::Seen(o) => deciding(&o.populate, moved_explains, |r| &r.migrated),
        Evidence::Missing(m) => Evidence::Missing(m),
    };
    claim!("faultcost-populate", pages = o.pages).on(evidence, |runs| {
        let seen = tr!(
            "faultcost-populate-seen",
            before = list(runs.iter().map(|r| r.present_before)),
            after = list(runs.iter().map(|r| r.touch.minor)),
            aside = o.populate.len() - runs.len()
        );
        (seen, runs.iter().all(|r| as_theory(r)))
    })
}

/// The ratio `a / b` if the runs can tell whether it is at least `k`; else why not:
/// too few runs, or a spread that straddles `k` (`names`: what `a` and `b` are).
fn ratio(a: Option<Spread>, b: Option<Spread>, k: f64, names: (String, String)) -> Evidence<Ratio> {
    let (Some(a), Some(b)) = (a, b) else {
        return Evidence::missing(tr!("faultcost-no-runs"));
    };
    let runs = a.runs.min(b.runs);
    if runs < MIN_RUNS {
        return Evidence::missing(tr!("faultcost-too-few-runs", runs = runs, min = MIN_RUNS));
    }
    let r = Ratio::of(a, b);
    if r.at_least(k).is_some() {
        return Evidence::Seen(r);
    }
    let range = |s: Spread| format!("{}-{}", duration(s.q1), duration(s.q3));
    Evidence::missing(tr!(
        "faultcost-too-noisy",
        runs = runs,
        a = names.0,
        a_range = range(a),
        b = names.1,
        b_range = range(b),
        low = factor(r.low),
        high = factor(r.high),
        k = threshold(k)
    ))
}

/// A factor of theory, as written: `100×`.
fn threshold(k: f64) -> String {
    format!("{k}×")
}

/// The kernel column of a timing claim: what `a` and `b` are, their medians, their
/// ratio and its range.
fn ratio_seen(names: &(String, String), a: Option<Spread>, b: Option<Spread>, r: &Ratio) -> String {
    let median = |s: Option<Spread>| duration(s.map_or(f64::NAN, |s| s.median));
    tr!(
        "faultcost-ratio-seen",
        a = names.0.as_str(),
        a_cost = median(a),
        b = names.1.as_str(),
        b_cost = median(b),
        ratio = factor(r.median),
        low = factor(r.low),
        high = factor(r.high)
    )
}

fn orders(c: &Costs) -> Claim {
    let names = (tr!("faultcost-name-fault"), tr!("faultcost-name-access"));
    let evidence = ratio(c.fault, c.access, FAULT_FACTOR, names.clone());
    claim!("faultcost-orders", k = threshold(FAULT_FACTOR)).on(evidence, |r| {
        (
            ratio_seen(&names, c.fault, c.access, &r),
            r.low >= FAULT_FACTOR,
        )
    })
}

fn cold(c: &Costs) -> Claim {
    let names = (tr!("faultcost-name-fault"), tr!("faultcost-name-cold"));
    let evidence = ratio(c.fault, c.cold, COLD_FACTOR, names.clone());
    claim!("faultcost-cold", k = threshold(COLD_FACTOR)).on(evidence, |r| {
        (
            ratio_seen(&names, c.fault, c.cold, &r),
            r.low >= COLD_FACTOR,
        )
    })
}

fn huge_one_fault(o: &Observation) -> Claim {
    let n = huge_pages_per(o);
    claim!(
        "faultcost-huge-one-fault",
        pages = n,
        size = exact_size(o.huge_size),
        kb = o.huge_size / 1024
    )
    .on(decided(o), |runs| {
        let holds = runs
            .iter()
            .all(|r| r.touch.minor == 1 && r.present == n && r.anon_huge == o.huge_size);
        let seen = tr!(
            "faultcost-huge-one-fault-seen",
            given = runs.len(),
            runs = o.huge.len(),
            faults = list(runs.iter().map(|r| r.touch.minor)),
            present = list(runs.iter().map(|r| r.present)),
            kb = list(runs.iter().map(|r| r.anon_huge / 1024))
        );
        (seen, holds)
    })
}

/// Every decided run's frames, or why they are not all visible.
fn decided_frames(o: &Observation) -> Evidence<Vec<Vec<PfnRun>>> {
    match decided(o) {
        Evidence::Seen(runs) => {
            let mut all = Vec::new();
            for r in runs {
                match &r.frames {
                    Evidence::Seen(f) => all.push(f.clone()),
                    Evidence::Missing(m) => return Evidence::Missing(m.clone()),
                }
            }
            Evidence::Seen(all)
        }
        Evidence::Missing(m) => Evidence::Missing(m),
    }
}

fn huge_frame(o: &Observation) -> Claim {
    let n = huge_pages_per(o);
    claim!("faultcost-huge-frame", pages = n, size = exact_size(o.huge_size)).on(
        decided_frames(o),
        |runs| {
            let one = |f: &Vec<PfnRun>| {
                matches!(f.as_slice(), [r] if r.count == n && r.first.0.is_multiple_of(n))
            };
            let shown = |f: &Vec<PfnRun>| {
                let parts: Vec<String> = f
                    .iter()
                    .map(|r| {
                        tr!("faultcost-pfn-run", count = r.count, first = r.first.to_string())
                    })
                    .collect();
                parts.join(", ")
            };
            let seen = tr!(
                "faultcost-huge-frame-seen",
                one = runs.iter().filter(|f| one(f)).count(),
                runs = runs.len(),
                first = runs.first().map_or(String::new(), shown)
            );
            (seen, runs.iter().all(one))
        },
    )
}

fn huge_cheaper(o: &Observation, c: &Costs) -> Claim {
    let n = huge_pages_per(o);
    let names = (
        tr!("faultcost-name-faults", n = n),
        tr!("faultcost-name-huge"),
    );
    let small = c.fault.map(|s| s.times(n as f64));
    let evidence = match decided(o) {
        Evidence::Missing(m) => Evidence::Missing(m),
        Evidence::Seen(_) => ratio(small, c.huge_fault, 1.0, names.clone()),
    };
    claim!("faultcost-huge-cheaper", pages = n).on(evidence, |r| {
        (ratio_seen(&names, small, c.huge_fault, &r), r.low >= 1.0)
    })
}

/// The file's runs, if its pages were confirmed evicted before every run.
fn evicted(o: &Observation) -> Evidence<&MajorFile> {
    match &o.major {
        Evidence::Missing(m) => Evidence::Missing(m.clone()),
        Evidence::Seen(m) if m.runs.is_empty() => Evidence::missing(tr!("faultcost-no-runs")),
        Evidence::Seen(m) => match m.runs.iter().map(|r| r.resident).max() {
            Some(0) => Evidence::Seen(m),
            _ => Evidence::missing(tr!(
                "faultcost-not-evicted",
                resident = list(m.runs.iter().map(|r| r.resident)),
                pages = m.pages
            )),
        },
    }
}

fn major_faults(o: &Observation) -> Claim {
    let pages = o.major.seen().map_or(super::FILE_PAGES, |m| m.pages);
    claim!("faultcost-major-faults", pages = pages).on(evicted(o), |m| {
        let majors = m.runs.iter().map(|r| r.touch.major);
        let seen = tr!(
            "faultcost-major-faults-seen",
            resident = list(m.runs.iter().map(|r| r.resident)),
            majors = list(majors.clone())
        );
        (seen, majors.clone().all(|f| f == m.pages))
    })
}

fn major_cost(o: &Observation, c: &Costs) -> Claim {
    let names = (tr!("faultcost-name-major"), tr!("faultcost-name-fault"));
    let evidence = match evicted(o) {
        Evidence::Missing(m) => Evidence::Missing(m),
        Evidence::Seen(_) => ratio(c.major, c.fault, MAJOR_FACTOR, names.clone()),
    };
    claim!("faultcost-major-cost", k = threshold(MAJOR_FACTOR)).on(evidence, |r| {
        (
            ratio_seen(&names, c.major, c.fault, &r),
            r.low >= MAJOR_FACTOR,
        )
    })
}
