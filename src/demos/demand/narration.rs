//! The handout's steps of vm-demand, told from the record.

use super::{BeyondRam, BeyondRamStep, MapResult, MapStep, Observation, SmallStep, TouchStep};
use crate::demos::page::{Page, page_table};
use crate::experiment::{Evidence, Step, Table};
use crate::tr;

/// Rows of the touched pages printed (the rest look the same).
const SHOWN: usize = 6;

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    vec![
        map_step(o).with_terms(&["term-demand-paging", "term-valid-bit"]),
        touch_step(o, &o.touch).with_terms(&["term-page-fault", "term-minor-fault"]),
        small_step(&o.small),
        beyond_ram_step(&o.beyond_ram),
    ]
}

/// A size in KiB, or `?` when the kernel would not give it.
fn kib(bytes: &Evidence<u64>) -> String {
    bytes
        .seen()
        .map_or_else(|| "?".into(), |b| format!("{} KiB", b / 1024))
}

fn count(present: &Evidence<Vec<u64>>) -> String {
    present
        .seen()
        .map_or_else(|| "?".into(), |p| p.len().to_string())
}

fn map_step(o: &Observation) -> Step {
    let m: &MapStep = &o.map;
    let mut t = Table::with_columns(vec![
        tr!("demand-col-when"),
        "VmSize".into(),
        tr!("demand-col-vm-rss"),
        tr!("demand-col-region-rss"),
        tr!("demand-col-present"),
    ]);
    let row = |when: String, s: &super::Status, rss: String, present: String| {
        vec![
            when,
            format!("{} KiB", s.vm_size / 1024),
            format!("{} KiB", s.vm_rss / 1024),
            rss,
            present,
        ]
    };
    t.row(row(
        tr!("demand-before-mmap"),
        &m.before,
        "-".into(),
        "-".into(),
    ));
    t.row(row(
        tr!("demand-after-mmap"),
        &m.after,
        kib(&m.region_rss),
        count(&m.present),
    ));
    let thp = o.thp_enabled.seen().cloned().unwrap_or_else(|| "?".into());
    Step::show(
        tr!(
            "demand-step-map",
            child = o.child_pid,
            va = m.va.hex(),
            thp_off = if o.thp_disabled_in_child { "on" } else { "off" },
            kib = o.page_size / 1024,
            thp = thp
        ),
        t,
    )
}

fn touch_step(o: &Observation, t: &TouchStep) -> Step {
    let ps = o.page_size;
    let rows: Vec<(String, &Page)> = t
        .indices
        .iter()
        .zip(&t.pages)
        .take(SHOWN)
        .map(|(i, p)| (tr!("demand-page-index", index = *i), p))
        .collect();
    let mut table = page_table(&rows);
    let more = t.pages.len().saturating_sub(SHOWN);
    if more > 0 {
        let mut last = vec![String::new(); table.columns.len()];
        last[0] = tr!("demand-more-pages", more = more);
        table.row(last);
    }
    Step::show(
        tr!(
            "demand-step-touch",
            touched = t.indices.len(),
            stride = (t.stride_pages * ps) >> 20,
            faults = t.faults.measured,
            control = t.faults.control,
            present = count(&t.present),
            rss = kib(&t.region_rss),
            before = o.map.after.vm_rss / 1024,
            after = t.status.vm_rss / 1024
        ),
        table,
    )
}

fn small_step(s: &SmallStep) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("demand-col-mapping"),
        tr!("demand-col-mmap-faults"),
        tr!("demand-col-present-after-mmap"),
        tr!("demand-col-write-faults"),
    ]);
    for (name, m) in [
        (tr!("demand-plain"), &s.plain),
        ("MAP_POPULATE".to_string(), &s.populated),
    ] {
        let present = m
            .present_after_mmap
            .seen()
            .map_or_else(|| "?".into(), |p| p.to_string());
        t.row(vec![
            name,
            m.mmap_faults.to_string(),
            tr!("demand-of", part = present, whole = s.pages),
            m.writes.measured.to_string(),
        ]);
    }
    Step::show(
        tr!(
            "demand-step-small",
            kib = s.bytes / 1024,
            pages = s.pages,
            control = s.plain.writes.control
        ),
        t,
    )
}

fn beyond_ram_step(b: &BeyondRamStep) -> Step {
    let machine = tr!(
        "demand-machine",
        ram = b.ram >> 20,
        swap = b.swap >> 20,
        mode = b.overcommit.seen().cloned().unwrap_or_else(|| "?".into())
    );
    let what = match &b.attempt {
        Evidence::Seen(a) => attempt_text(b, a),
        Evidence::Missing(m) => tr!("demand-not-tried", reason = m.missing.as_str()),
    };
    Step::say(format!("{machine} {what}"))
}

fn attempt_text(b: &BeyondRamStep, a: &BeyondRam) -> String {
    let result = |r: &MapResult| match r {
        MapResult::Mapped => tr!("demand-mapped"),
        MapResult::Refused { errno } => tr!("demand-refused", errno = errno.as_str()),
    };
    tr!(
        "demand-step-beyond-ram",
        gib = b.bytes >> 30,
        plain = result(&a.plain),
        noreserve = result(&a.noreserve),
        growth = a.vm_size_growth >> 30,
        rss = kib(&a.region_rss)
    )
}
