//! vm-zeropage on the real kernel: read pages share the one zero page (one PFN, flag
//! ZERO_PAGE, the same frame this test process gets), cost no Rss and are not ours; the
//! first write gives a page its own frame. As root and as nobody.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-zeropage");

/// Extra faults tolerated over the predicted count (same as the demo's).
const FAULT_SLACK: u64 = 2;

/// The kernel has PAGEMAP_SCAN (Linux 6.7+): the demo's scan observations exist.
fn has_pagemap_scan(e: &Value) -> bool {
    !obs(e, "pfnzero_after_read").is_null()
}

/// The checks that need no privilege, made on a run as root or as nobody.
fn check_observations(e: &Value) {
    let ps = num(e, "page_size");
    let pages = num(e, "pages");
    let written = u64s(obs(e, "written"));
    let read_faults = num(e, "read_faults");
    assert!(
        (pages..=pages + FAULT_SLACK).contains(&read_faults),
        "{read_faults} faults reading {pages} pages"
    );
    assert_eq!(num(e, "read_present"), pages, "every read page is present");
    assert_eq!(num(e, "read_exclusive"), 0, "no read page is ours alone");
    assert_eq!(num(e, "rss_untouched"), 0);
    assert_eq!(num(e, "rss_after_read"), 0, "reading allocates nothing");
    let write_faults = num(e, "write_faults");
    let nw = written.len() as u64;
    assert!(
        (nw..=nw + FAULT_SLACK).contains(&write_faults),
        "{write_faults} faults writing {nw} pages"
    );
    assert_eq!(num(e, "rss_after_write"), nw * ps);
    let excl = bools(obs(e, "written_exclusive"));
    for (i, x) in excl.iter().enumerate() {
        assert_eq!(*x, written.contains(&(i as u64)), "page {i} exclusive");
    }
    if has_pagemap_scan(e) {
        let zero = bools(obs(e, "pfnzero_after_read"));
        assert!(zero.iter().all(|&z| z), "PFNZERO on every read page");
        let zero = bools(obs(e, "pfnzero_after_write"));
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

#[test]
fn zero_page_is_shared_until_written() {
    let (code, e) = run_demo(BIN);
    assert_eq!(code, 0, "{e:#}");
    check_observations(&e);
    if skip_unless_root("the PFN checks of vm-zeropage") {
        return;
    }
    for c in e["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "holds", "{c}");
    }
    let pfns = u64s(obs(&e, "read_pfns"));
    let zero = num(&e, "zero_pfn");
    assert!(zero > 0);
    assert!(pfns.iter().all(|&p| p == zero), "one frame: {pfns:?}");
    let flags = obs(&e, "zero_page_flags").as_array().unwrap();
    assert!(flags.iter().any(|f| f == "ZERO_PAGE"), "{flags:?}");
    assert_eq!(
        obs(&e, "zero_map_count_first"),
        obs(&e, "zero_map_count_all"),
        "more mappings of the zero page leave its map count alone"
    );
    // The same frame in this (other) process: the zero page is shared machine-wide.
    assert_eq!(
        own_zero_pfn(),
        zero,
        "the test process reads the same zero page"
    );
    let written = u64s(obs(&e, "written"));
    let after = u64s(obs(&e, "written_pfns"));
    let mut own: Vec<u64> = written.iter().map(|&i| after[i as usize]).collect();
    assert!(!own.contains(&zero));
    own.sort_unstable();
    own.dedup();
    assert_eq!(own.len(), written.len(), "each written page its own frame");
    for (i, &p) in after.iter().enumerate() {
        if !written.contains(&(i as u64)) {
            assert_eq!(p, zero, "unwritten page {i} still maps the zero page");
        }
    }
}

#[test]
fn zeropage_unprivileged_proves_the_rest() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    check_observations(&e);
    assert!(
        obs(&e, "read_pfns").is_null(),
        "PFNs are hidden from nobody"
    );
    let mut unverifiable = 0;
    for c in e["claims"].as_array().unwrap() {
        match c["verdict"].as_str().unwrap() {
            "holds" => {}
            "unverifiable" => {
                let reason = c["reason"].as_str().unwrap();
                if !has_pagemap_scan(&e) && reason.contains("PAGEMAP_SCAN") {
                    continue;
                }
                unverifiable += 1;
                assert!(reason.contains("root") || reason.contains("sudo"), "{c}");
            }
            other => panic!("as nobody: {other}: {c}"),
        }
    }
    assert_eq!(unverifiable, 4, "the four frame claims: {e:#}");
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(statements(&e), statements(&privileged));
    }
}
