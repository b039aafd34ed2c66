//! The handout's steps of vm-zeropage, told from the record.

use super::{Faults, Observation};
use crate::demos::page::{Page, frame_text, page_table};
use crate::experiment::{Evidence, Step, Table};
use crate::tr;

/// Rows of the page tables printed (the rest look the same).
const SHOWN: usize = 6;

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    vec![
        read_step(o).with_terms(&["term-zero-page", "term-demand-paging"]),
        map_count_step(o).with_terms(&["term-map-count"]),
        write_step(o),
    ]
}

fn kib(bytes: &Evidence<u64>) -> String {
    bytes
        .seen()
        .map_or_else(|| "?".into(), |b| format!("{} KiB", b / 1024))
}

fn pfnzero(zero: &Evidence<Vec<bool>>) -> String {
    zero.seen().map_or_else(
        || "?".into(),
        |z| z.iter().filter(|&&b| b).count().to_string(),
    )
}

fn faults_text(f: &Faults) -> String {
    tr!(
        "zeropage-fault-rounds",
        first = f.first,
        again = f.again,
        control = f.control
    )
}

fn read_step(o: &Observation) -> Step {
    let r = &o.read;
    let rows: Vec<(String, &Page)> = r
        .pages
        .iter()
        .take(SHOWN)
        .enumerate()
        .map(|(i, p)| (tr!("zeropage-page", index = i), p))
        .collect();
    Step::show(
        tr!(
            "zeropage-step-read",
            pages = o.pages,
            va = o.va.hex(),
            nohugepage = if o.nohugepage { "yes" } else { "no" },
            faults = faults_text(&r.faults),
            before = kib(&r.rss_before),
            after = kib(&r.rss_after),
            zero = pfnzero(&r.pfnzero),
            shown = rows.len()
        ),
        page_table(&rows),
    )
}

fn count_text(p: &Page) -> String {
    p.count()
        .seen()
        .map_or_else(|| "?".into(), |c| c.to_string())
}

fn map_count_step(o: &Observation) -> Step {
    let (r, f) = (&o.read, &o.ordinary);
    let mut t = Table::with_columns(vec![
        tr!("zeropage-col-frame"),
        "PFN".into(),
        tr!("zeropage-col-after-one"),
        tr!("zeropage-col-after-all", pages = o.pages),
    ]);
    if let Some(all) = r.pages.first() {
        t.row(vec![
            tr!("zeropage-the-zero-page"),
            frame_text(all),
            count_text(&r.first_alone),
            count_text(all),
        ]);
    }
    t.row(vec![
        tr!("zeropage-the-memfd-page"),
        frame_text(&f.after_all),
        count_text(&f.after_one),
        count_text(&f.after_all),
    ]);
    Step::show(tr!("zeropage-step-map-count", pages = f.mappings), t)
}

fn write_step(o: &Observation) -> Step {
    let w = &o.write;
    let rows: Vec<(String, &Page)> = w
        .pages
        .iter()
        .take(SHOWN)
        .enumerate()
        .map(|(i, p)| {
            let label = if o.written.contains(&(i as u64)) {
                tr!("zeropage-page-written", index = i)
            } else {
                tr!("zeropage-page-read", index = i)
            };
            (label, p)
        })
        .collect();
    Step::show(
        tr!(
            "zeropage-step-write",
            written = format!("{:?}", o.written),
            faults = faults_text(&w.faults),
            rss = kib(&w.rss),
            zero = pfnzero(&w.pfnzero),
            shown = rows.len()
        ),
        page_table(&rows),
    )
}
