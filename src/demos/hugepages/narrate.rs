//! The handout's steps of vm-hugepages, from the record.

use super::Observation;
use super::thp::huge_pages;
use crate::demos::exact_size;
use crate::demos::page::{Page, frame_text, yes_no};
use crate::experiment::{Step, Table};
use crate::tr;

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let mut steps = vec![
        Step::say(settings(o)),
        Step::show(huge_region(o), huge_table(o)).with_terms(&["term-huge-page", "term-folio"]),
        Step::show(tr!("hugepages-step-walk"), walk_table(o)),
        Step::say(contrast(o)),
    ];
    let growth = o.huge.vmpte_after as i64 - o.huge.vmpte_before as i64;
    if growth > 0 && all_huge(o) {
        steps.push(Step::say(tr!(
            "hugepages-step-deposit",
            kib = growth / 1024
        )));
    }
    steps
}

fn pages(o: &Observation) -> usize {
    (o.huge_size / o.page_size) as usize
}

/// Whether PAGEMAP_SCAN says a huge entry maps every page of the huge region.
fn all_huge(o: &Observation) -> bool {
    o.huge.mapping.seen().is_some_and(|m| {
        huge_pages(m, o.huge.va, pages(o), o.page_size)
            .iter()
            .all(|&h| h)
    })
}

fn settings(o: &Observation) -> String {
    let said = tr!(
        "hugepages-step-settings",
        settings = o.thp.describe(),
        size = exact_size(o.huge_size),
        pages = pages(o),
        page = exact_size(o.page_size)
    );
    let verdict = match o.thp.forbids() {
        Some(why) => tr!("hugepages-step-forbidden", why = why),
        None => tr!("hugepages-step-allowed"),
    };
    format!("{said} {verdict}")
}

fn huge_region(o: &Observation) -> String {
    let h = &o.huge;
    let counters = match h.thp_faults.seen() {
        Some(c) => tr!("hugepages-counters", alloc = c.alloc, fallback = c.fallback),
        None => h.thp_faults.reason().unwrap_or_default().to_string(),
    };
    tr!(
        "hugepages-step-huge",
        size = exact_size(o.huge_size),
        va = h.va.hex(),
        faults = h.faults,
        warmup = o.warmup_faults,
        present = h.pages.iter().filter(|p| p.present()).count(),
        total = pages(o),
        kb = h.anon_huge / 1024,
        kib = (h.vmpte_after as i64 - h.vmpte_before as i64) / 1024,
        counters = counters
    )
}

/// The first three and the last two pages of the huge region.
fn huge_table(o: &Observation) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("pages-header-va"),
        tr!("pages-header-pfn"),
        tr!("hugepages-header-offset"),
        tr!("hugepages-header-huge-entry"),
        tr!("pages-header-flags"),
    ]);
    let n = o.huge.pages.len();
    let huge = o
        .huge
        .mapping
        .seen()
        .map(|m| huge_pages(m, o.huge.va, n, o.page_size));
    let first = o.huge.pages.first().and_then(|p| p.pfn);
    for (i, p) in o.huge.pages.iter().enumerate() {
        if i < 3 || i + 2 >= n {
            t.row(page_row(
                i,
                p,
                first.map(|f| f.0),
                huge.as_ref().map(|h| h[i]),
            ));
        } else if i == 3 {
            t.row(vec!["...".into(); 6]);
        }
    }
    t
}

fn page_row(i: usize, p: &Page, first: Option<u64>, huge: Option<bool>) -> Vec<String> {
    vec![
        i.to_string(),
        p.va.hex(),
        frame_text(p),
        match (p.pfn, first) {
            (Some(pfn), Some(f)) => format!("+{}", pfn.0.wrapping_sub(f)),
            _ => "?".into(),
        },
        huge.map_or("?".into(), yes_no),
        p.flags
            .map_or(String::new(), |f| f.names().join(" ").to_lowercase()),
    ]
}

/// The walk of an address in the 4 KiB region and in the huge one, level by level.
fn walk_table(o: &Observation) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("hugepages-header-level"),
        tr!("hugepages-header-bits"),
        tr!("hugepages-header-small"),
        tr!("hugepages-header-huge"),
    ]);
    let huge = all_huge(o);
    let last = o.walk.len().saturating_sub(1);
    for (i, l) in o.walk.iter().enumerate() {
        t.row(vec![
            l.level.clone(),
            format!("{}-{}", l.high_bit, l.low_bit),
            tr!("hugepages-entry", index = l.small_index),
            if i == last && huge {
                tr!("hugepages-skipped")
            } else {
                tr!("hugepages-entry", index = l.huge_index)
            },
        ]);
    }
    let shift = o.page_shift;
    let huge_bits = o.huge_size.trailing_zeros();
    let bits = if huge { huge_bits } else { shift };
    t.row(vec![
        tr!("hugepages-offset"),
        format!("{}-0 / {}-0", shift - 1, huge_bits - 1),
        tr!(
            "hugepages-offset-bits",
            offset = format!("{:#x}", o.small.va.0 & ((1 << shift) - 1)),
            bits = shift
        ),
        tr!(
            "hugepages-offset-bits",
            offset = format!("{:#x}", o.huge.va.0 & ((1 << bits) - 1)),
            bits = bits
        ),
    ]);
    t
}

fn contrast(o: &Observation) -> String {
    let s = &o.small;
    tr!(
        "hugepages-step-contrast",
        size = exact_size(o.huge_size),
        va = s.va.hex(),
        first = s.first_faults,
        one = s.present_after_one,
        total = pages(o),
        others = pages(o).saturating_sub(1),
        rest = s.rest_faults,
        all = s.present_after_all,
        kb = s.anon_huge / 1024
    )
}
