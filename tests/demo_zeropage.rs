//! vm-zeropage on the real kernel: read pages share the one zero page (one PFN, flag
//! ZERO_PAGE, the same frame this test process gets), cost no Rss, are not ours, and
//! are not counted in the zero page's map count while an ordinary frame's mappings
//! are; the first write gives a page its own frame. As root and as nobody.

mod common;

use std::os::unix::fs::FileExt;

use common::*;
use serde_json::Value;
use vmlab::demos::zeropage::{Faults, Observation};
use vmlab::experiment::Evidence;

const BIN: &str = env!("CARGO_BIN_EXE_vm-zeropage");

/// The claims about frames, which only root can decide.
const FRAME_CLAIMS: [&str; 4] = [
    "zeropage-one-frame",
    "zeropage-is-zero-page",
    "zeropage-map-count",
    "zeropage-new-frames",
];

/// A round's counts, checked exactly when its control round was quiet (else the demo
/// calls the claim unverifiable, and so do we).
fn check_faults(what: &str, f: &Faults, first: u64) {
    if f.control == 0 {
        assert_eq!((f.first, f.again), (first, 0), "{what}");
    } else {
        eprintln!("{what}: the control round took {} faults", f.control);
    }
}

/// The checks that need no privilege, made on a run as root or as nobody.
fn check_observations(o: &Observation) {
    let ps = o.page_size;
    let written = &o.written;
    let nw = written.len() as u64;
    check_faults("reading", &o.read.faults, o.pages);
    assert_eq!(o.read.pages.len() as u64, o.pages);
    assert!(
        o.read.pages.iter().all(|p| p.present()),
        "every read page is present"
    );
    assert!(
        o.read.pages.iter().all(|p| !p.exclusive),
        "no read page is ours alone"
    );
    assert_eq!(o.read.rss_before, Evidence::Seen(0));
    assert_eq!(
        o.read.rss_after,
        Evidence::Seen(0),
        "reading allocates nothing"
    );
    assert_eq!(o.ordinary.mappings, o.pages);
    check_faults("writing", &o.write.faults, nw);
    assert_eq!(o.write.rss, Evidence::Seen(nw * ps));
    for (i, p) in o.write.pages.iter().enumerate() {
        assert_eq!(
            p.exclusive,
            written.contains(&(i as u64)),
            "page {i} exclusive"
        );
    }
    if let Some(zero) = o.read.pfnzero.seen() {
        assert!(zero.iter().all(|&z| z), "PFNZERO on every read page");
        let zero = o.write.pfnzero.seen().expect("PAGEMAP_SCAN still there");
        for (i, z) in zero.iter().enumerate() {
            assert_eq!(*z, !written.contains(&(i as u64)), "page {i} PFNZERO");
        }
    }
}

/// The PFN this test process's own never-written page maps after a read: the zero page
/// is one frame for the whole machine.
fn own_zero_pfn() -> u64 {
    let map = memmap2::MmapMut::map_anon(page_size() as usize).unwrap();
    assert_eq!(
        std::hint::black_box(&map[..])[0],
        0,
        "fresh memory reads as zero"
    );
    pfn_of(own_pagemap_entry(map.as_ptr() as u64))
}

/// The map count of frame `pfn`, read straight from /proc/kpagecount (root only).
fn kpagecount(pfn: u64) -> u64 {
    let f = std::fs::File::open("/proc/kpagecount").unwrap();
    let mut b = [0u8; 8];
    f.read_exact_at(&mut b, pfn * 8).unwrap();
    u64::from_ne_bytes(b)
}

#[test]
fn zero_page_is_shared_until_written() {
    let (code, e) = run_demo(BIN);
    assert_eq!(code, 0, "{e:#}");
    let o: Observation = observation(&e);
    check_observations(&o);
    if skip_unless_root("the PFN checks of vm-zeropage") {
        return;
    }
    for id in FRAME_CLAIMS {
        assert_eq!(verdict(&e, id), "holds", "{id}");
    }
    let pfn = |p: &vmlab::demos::page::Page| p.pfn.expect("root sees frames").0;
    let zero = pfn(&o.read.pages[0]);
    assert!(o.read.pages.iter().all(|p| pfn(p) == zero), "one frame");
    let flags = o.read.pages[0].flags.expect("root sees flags");
    assert!(flags.names().iter().any(|f| f == "ZERO_PAGE"), "{flags:?}");
    // The zero page's mappings are not counted, the memfd page's are.
    assert_eq!(o.read.first_alone.map_count, Some(0));
    assert_eq!(o.read.pages[0].map_count, Some(0));
    assert_eq!(o.ordinary.after_one.map_count, Some(1));
    assert_eq!(o.ordinary.after_all.map_count, Some(o.pages));
    // The same frame in this (other) process, and its count read here: 0 again.
    assert_eq!(
        own_zero_pfn(),
        zero,
        "the test process reads the same zero page"
    );
    assert_eq!(
        kpagecount(zero),
        0,
        "kpagecount of the zero page, read directly"
    );
    let mut own: Vec<u64> = o
        .written
        .iter()
        .map(|&i| pfn(&o.write.pages[i as usize]))
        .collect();
    assert!(!own.contains(&zero));
    own.sort_unstable();
    own.dedup();
    assert_eq!(
        own.len(),
        o.written.len(),
        "each written page its own frame"
    );
    for (i, p) in o.write.pages.iter().enumerate() {
        if !o.written.contains(&(i as u64)) {
            assert_eq!(pfn(p), zero, "unwritten page {i} still maps the zero page");
        }
    }
}

#[test]
fn zeropage_unprivileged_proves_the_rest() {
    let Some(out) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e: Value = experiment_of(&out);
    let o: Observation = observation(&e);
    check_observations(&o);
    assert!(
        o.read.pages.iter().all(|p| p.pfn.is_none()),
        "PFNs are hidden from nobody"
    );
    for c in e["claims"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let reason = c["reason"].as_str().unwrap_or_default();
        if FRAME_CLAIMS.contains(&id) {
            assert_eq!(c["verdict"], "unverifiable", "{c}");
            assert!(reason.contains("root"), "{c}");
        } else {
            assert_ne!(c["verdict"], "contradicted", "{c}");
        }
    }
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged));
    }
}
