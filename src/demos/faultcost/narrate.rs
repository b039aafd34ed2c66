//! The handout's steps of vm-faultcost, from the record: one table of every cost, per
//! 4 KiB page and against a cached write, then what it says.

use super::costs::{Costs, given, huge_pages_per};
use super::stats::{Spread, duration, factor};
use super::touch::Touch;
use super::{MajorFile, Observation};
use crate::demos::exact_size;
use crate::experiment::{Evidence, Step, Table};
use crate::tr;

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let c = Costs::of(o);
    vec![
        Step::say(thp(o)),
        Step::show(
            tr!(
                "faultcost-step-table",
                runs = o.small.len(),
                page = exact_size(o.page_size),
                pages = o.pages,
                passes = o.warm_passes
            ),
            table(o, &c),
        ),
        Step::say(summary(o, &c)),
        Step::say(file(o)),
    ]
}

fn median(s: Option<Spread>) -> f64 {
    s.map_or(f64::NAN, |s| s.median)
}

fn thp(o: &Observation) -> String {
    let given = given(o).len();
    let fallbacks: u64 = o
        .huge
        .iter()
        .filter_map(|r| r.thp_faults.seen().map(|f| f.fallback))
        .sum();
    let said = tr!(
        "faultcost-step-thp",
        settings = o.thp.describe(),
        given = given,
        runs = o.huge.len(),
        size = exact_size(o.huge_size),
        fallbacks = fallbacks
    );
    match o.thp.forbids() {
        Some(why) => format!("{said} {}", tr!("hugepages-step-forbidden", why = why)),
        None => said,
    }
}

/// One row: what, pages, faults of the first run, time per page, per fault, and per
/// page against a cached write.
fn row(
    what: String,
    pages: String,
    t: Option<&Touch>,
    page_ns: f64,
    fault_ns: Option<f64>,
    access_ns: f64,
) -> Vec<String> {
    vec![
        what,
        pages,
        t.map_or("-".into(), |t| format!("{}/{}", t.minor, t.major)),
        duration(page_ns),
        fault_ns.map_or("-".into(), duration),
        factor(page_ns / access_ns),
    ]
}

fn table(o: &Observation, c: &Costs) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("faultcost-col-what"),
        tr!("faultcost-col-pages"),
        tr!("faultcost-col-faults"),
        tr!("faultcost-col-per-page", page = exact_size(o.page_size)),
        tr!("faultcost-col-per-fault"),
        tr!("faultcost-col-vs"),
    ]);
    let access = median(c.access);
    let pages = o.pages.to_string();
    let s0 = o.small.first();
    let p0 = o.populate.first();
    let rows = [
        (
            tr!("faultcost-row-present", passes = o.warm_passes),
            s0.map(|r| &r.present),
            c.access,
            None,
        ),
        (tr!("faultcost-row-cold"), s0.map(|r| &r.cold), c.cold, None),
        (
            tr!("faultcost-row-demand"),
            s0.map(|r| &r.demand),
            c.demand_page,
            Some(median(c.fault)),
        ),
        (
            tr!("faultcost-row-populate-mmap"),
            None,
            c.populate_page,
            None,
        ),
        (
            tr!("faultcost-row-populated"),
            p0.map(|r| &r.touch),
            c.populated,
            None,
        ),
    ];
    for (what, touch, per_page, per_fault) in rows {
        t.row(row(
            what,
            pages.clone(),
            touch,
            median(per_page),
            per_fault,
            access,
        ));
    }
    t.row(huge_row(o, c, access));
    t.row(major_row(o, c, access));
    // On a narrow screen the time per fault (the per-page time, or the huge page's
    // whole fault) and the page counts (the step's text gives them) go first.
    t.optional = vec![4, 1];
    t
}

/// The huge page: per fault as measured, and per page, the fault's time over the
/// pages it made present.
fn huge_row(o: &Observation, c: &Costs, access: f64) -> Vec<String> {
    let n = huge_pages_per(o) as f64;
    let runs = given(o);
    let first = runs.first().copied().or(o.huge.first());
    let fault = median(c.huge_fault);
    row(
        tr!("faultcost-row-huge", size = exact_size(o.huge_size)),
        first.map_or("-".into(), |r| {
            tr!("faultcost-present", present = r.present)
        }),
        first.map(|r| &r.touch),
        fault / n,
        Some(fault),
        access,
    )
}

fn major_row(o: &Observation, c: &Costs, access: f64) -> Vec<String> {
    let what = tr!("faultcost-row-major");
    match o.major.seen() {
        Some(m) => row(
            what,
            m.pages.to_string(),
            m.runs.first().map(|r| &r.touch),
            median(c.major_page),
            Some(median(c.major)),
            access,
        ),
        None => vec![
            what,
            "-".into(),
            "-".into(),
            "-".into(),
            "-".into(),
            tr!("faultcost-not-measured"),
        ],
    }
}

fn summary(o: &Observation, c: &Costs) -> String {
    let fault = median(c.fault);
    let huge = median(c.huge_fault);
    tr!(
        "faultcost-step-summary",
        fault = duration(fault),
        access = duration(median(c.access)),
        cold = duration(median(c.cold)),
        ratio = factor(fault / median(c.access)),
        cold_ratio = factor(fault / median(c.cold)),
        populate = duration(median(c.populate_page)),
        populated = duration(median(c.populated)),
        huge = duration(huge),
        huge_page = duration(huge / huge_pages_per(o) as f64),
        size = exact_size(o.huge_size),
        pages = huge_pages_per(o)
    )
}

fn file(o: &Observation) -> String {
    match &o.major {
        Evidence::Seen(MajorFile { dir, pages, runs }) => tr!(
            "faultcost-step-file",
            pages = *pages,
            dir = dir.as_str(),
            resident = runs
                .iter()
                .map(|r| r.resident.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Evidence::Missing(m) => tr!("faultcost-step-no-file", why = m.missing.as_str()),
    }
}
