//! The handout's steps, from the record.

use super::judge::Analysis;
use super::knee::nearest_knee;
use super::noise::percent;
use super::{CurveName, Observation, PageKind, Point, REACH_FACTOR, chart, knees};
use crate::experiment::{Step, Table};
use crate::render::human_size;
use crate::tr;

/// Points whose runs spread more than this are marked in the data table (display only;
/// the verdicts weigh every spread, see `noise`).
const SHOWN_SPREAD: f64 = 0.10;

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let a = Analysis::of(o);
    let mut steps = vec![
        regions(o),
        data(o),
        Step::draw(tr!("tlb-step-chart"), chart::figure(o))
            .with_terms(&["term-tlb", "term-tlb-hit"]),
        theory(o),
    ];
    steps.extend(huge_reach(o, &a));
    steps.push(order(o));
    steps.push(Step::say(match o.dtlb_counter.refusal() {
        None => tr!("tlb-step-counted"),
        Some(why) => tr!("tlb-step-not-counted", why = why),
    }));
    steps.extend(shared(o, &a));
    steps.extend(noise(o));
    if let Some(path) = &o.plot {
        steps.push(Step::say(tr!("tlb-step-plot", path = path.as_str())));
    }
    steps
}

fn regions(o: &Observation) -> Step {
    let r = &o.regions;
    Step::say(tr!(
        "tlb-step-regions",
        pages = o.max_pages,
        size = human_size(r.small_bytes),
        small_huge = human_size(r.small_anon_huge),
        big_huge = human_size(r.big_anon_huge),
        big_size = human_size(r.big_bytes),
        thp = r.thp.describe()
    ))
}

/// One cell of the data table: ns per access, ◀ at a knee, the spread if large.
fn cell(p: &Point, knee: bool) -> String {
    let mut s = format!("{:.2}", p.ns());
    if knee {
        s.push_str(" ◀");
    }
    if p.spread() > SHOWN_SPREAD {
        s.push_str(&format!(" ±{}", percent(p.spread())));
    }
    s
}

fn data(o: &Observation) -> Step {
    let counted = o.dtlb_counter.refusal().is_none();
    let mut columns = vec![
        tr!("tlb-col-pages"),
        tr!("tlb-col-memory"),
        tr!("tlb-col-trials"),
    ];
    columns.extend(o.curves.named().map(|(name, _)| name.label()));
    if counted {
        columns.push(tr!("tlb-col-misses"));
    }
    let mut t = Table::with_columns(columns);
    let knees_of = o.curves.named().map(|(_, points)| knees(points));
    for (i, p) in o.curves.random_4k.iter().enumerate() {
        let mut row = vec![
            p.pages.to_string(),
            human_size(p.pages * o.page_size),
            p.trials.to_string(),
        ];
        for ((_, points), k) in o.curves.named().iter().zip(&knees_of) {
            let knee = k.iter().any(|k| k.pages == p.pages);
            row.push(points.get(i).map_or("?".into(), |q| cell(q, knee)));
        }
        if counted {
            row.push(
                p.dtlb_misses_per_access
                    .map_or("?".into(), |m| format!("{m:.3}")),
            );
        }
        t.row(row);
    }
    let narration = tr!(
        "tlb-step-data",
        cpu = o.pinned_cpu,
        runs = o.runs_per_round,
        rounds = o.rounds,
        accesses = o.accesses_per_run,
        shown = percent(SHOWN_SPREAD),
        seconds = format!("{:.2}", o.elapsed_ms as f64 / 1000.0)
    );
    Step::show(narration, t)
}

/// Theory (what CPUID reports) beside the knee nearest to each predicted reach.
fn theory(o: &Observation) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("tlb-col-tlb"),
        tr!("tlb-col-cpuid"),
        tr!("tlb-col-reach"),
        tr!("tlb-col-knee-random"),
        tr!("tlb-col-knee-sequential"),
    ]);
    let per_huge = o.huge_size / o.page_size;
    let c = &o.curves;
    for (level, page) in [
        (1, PageKind::K4),
        (2, PageKind::K4),
        (1, PageKind::M2),
        (2, PageKind::M2),
    ] {
        let (rnd, seq) = match page {
            PageKind::K4 => (knees(&c.random_4k), knees(&c.sequential_4k)),
            PageKind::M2 => (knees(&c.random_2m), knees(&c.sequential_2m)),
        };
        let entries = o.cpu.entries(level, page).map(u64::from);
        let reach = entries.map(|n| {
            if page == PageKind::M2 {
                n * per_huge
            } else {
                n
            }
        });
        let nearest = |k: &[super::Knee]| match reach {
            None => "?".to_string(),
            Some(r) => nearest_knee(k, r, REACH_FACTOR).map_or_else(
                || tr!("tlb-knee-none-within", factor = REACH_FACTOR),
                |k| {
                    tr!(
                        "tlb-knee-after",
                        pages = k.pages,
                        size = human_size(k.pages * o.page_size)
                    )
                },
            ),
        };
        t.row(vec![
            match page {
                PageKind::K4 => tr!("tlb-row-4k", level = level),
                PageKind::M2 => tr!("tlb-row-2m", level = level),
            },
            entries.map_or_else(
                || {
                    tr!(
                        "tlb-cpuid-unknown",
                        why = o.cpu.unknown().unwrap_or_default()
                    )
                },
                |n| tr!("tlb-entries", entries = n),
            ),
            reach.map_or("?".into(), |r| {
                tr!(
                    "tlb-reach-pages",
                    pages = r,
                    size = human_size(r * o.page_size)
                )
            }),
            nearest(&rnd),
            nearest(&seq),
        ]);
    }
    let narration = tr!(
        "tlb-step-theory",
        source = o.cpu.source.as_str(),
        vendor = o.cpu.vendor.as_str(),
        hypervisor = if o.cpu.hypervisor { "yes" } else { "no" },
        factor = REACH_FACTOR
    );
    Step::show(narration, t)
}

/// How far 2 MiB pages should push the first level's reach, and what was measured.
fn huge_reach(o: &Observation, a: &Analysis) -> Option<Step> {
    let l1 = u64::from(o.cpu.entries(1, PageKind::M2)?);
    let per_huge = o.huge_size / o.page_size;
    let predicted = l1 * per_huge;
    let outcome = match (a.knees_2m.first(), a.knees_4k.first()) {
        (Some(h), Some(k)) if h.pages >= predicted / 4 => tr!(
            "tlb-huge-knee-far",
            huge = h.pages,
            times = format!("{:.0}", h.pages as f64 / k.pages as f64),
            pages = k.pages
        ),
        _ if predicted > o.max_pages => tr!(
            "tlb-huge-knee-beyond",
            max = o.max_pages,
            suggest = (predicted * 4).next_power_of_two().min(super::LIMIT_PAGES)
        ),
        _ => tr!("tlb-huge-knee-none"),
    };
    Some(Step::say(tr!(
        "tlb-step-huge-reach",
        per_huge = per_huge,
        entries = l1,
        predicted = predicted,
        size = human_size(predicted * o.page_size),
        outcome = outcome
    )))
}

/// Sequential against random at the largest count.
fn order(o: &Observation) -> Step {
    let last = |p: &[Point]| p.last().map_or(f64::NAN, Point::ns);
    Step::say(tr!(
        "tlb-step-order",
        pages = o.max_pages,
        sequential = format!("{:.2}", last(&o.curves.sequential_4k)),
        random = format!("{:.2}", last(&o.curves.random_4k))
    ))
}

/// When the 2 MiB curve has the 4 KiB curve's first knee: what that shows and
/// suggests (the very words of the claims' reason), and what huge pages still save.
fn shared(o: &Observation, a: &Analysis) -> Option<Step> {
    let seen = a.shared_seen()?;
    let last = |p: &[Point]| p.last().map_or(f64::NAN, Point::ns);
    Some(Step::say(tr!(
        "tlb-step-shared",
        seen = seen,
        pages = o.max_pages,
        small = format!("{:.2}", last(&o.curves.random_4k)),
        huge = format!("{:.2}", last(&o.curves.random_2m))
    )))
}

/// How noisy the random curves were, when some of their points' runs disagreed.
fn noise(o: &Observation) -> Option<Step> {
    let random = [
        (CurveName::Random4k, &o.curves.random_4k),
        (CurveName::Random2m, &o.curves.random_2m),
    ];
    let all: Vec<(CurveName, &Point)> = random
        .into_iter()
        .flat_map(|(name, points)| points.iter().map(move |p| (name, p)))
        .collect();
    let noisy = all
        .iter()
        .filter(|(_, p)| p.spread() > SHOWN_SPREAD)
        .count();
    let (name, worst) = all
        .iter()
        .max_by(|x, y| x.1.spread().total_cmp(&y.1.spread()))?;
    (noisy > 0).then(|| {
        Step::say(tr!(
            "tlb-step-noise",
            noisy = noisy,
            total = all.len(),
            shown = percent(SHOWN_SPREAD),
            pages = worst.pages,
            curve = name.label(),
            spread = percent(worst.spread())
        ))
    })
}
