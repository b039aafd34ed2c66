//! vm-demand on the real kernel: mapping costs no RAM, each touched page costs one
//! fault and becomes present (exactly those pages), MAP_POPULATE faults inside mmap, and
//! MAP_NORESERVE maps more than RAM. As root and as nobody.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-demand");

/// Extra faults tolerated over the predicted count (same as the demo's).
const FAULT_SLACK: u64 = 2;

/// The checks that need no privilege, made on a run as root or as nobody.
fn check_observations(e: &Value) {
    let ps = num(e, "page_size");
    // Mapping: virtual size +1 GiB, no RAM, nothing present.
    assert_eq!(num(e, "vm_size_growth"), 1 << 30);
    let moved = num(e, "vm_rss_after_map").abs_diff(num(e, "vm_rss_before_map"));
    assert!(moved < 1 << 20, "VmRSS moved by {moved} bytes on mmap");
    assert_eq!(num(e, "region_rss_untouched"), 0);
    assert_eq!(num(e, "present_untouched"), 0);
    // Touching: N faults, exactly the N pages present, Rss N pages.
    let touched = u64s(obs(e, "touched_indices"));
    let n = touched.len() as u64;
    assert!(n >= 8, "the demo touches a few pages: {n}");
    let faults = num(e, "touch_faults");
    assert!(
        (n..=n + FAULT_SLACK).contains(&faults),
        "{faults} faults for {n} touched pages"
    );
    assert_eq!(u64s(obs(e, "present_indices")), touched);
    assert_eq!(num(e, "region_rss_touched"), n * ps);
    // Plain mapping vs MAP_POPULATE.
    let small = num(e, "small_pages");
    assert_eq!(num(e, "plain_mmap_faults"), 0);
    assert_eq!(num(e, "plain_present_after_mmap"), 0);
    let plain_touch = num(e, "plain_touch_faults");
    assert!((small..=small + FAULT_SLACK).contains(&plain_touch));
    let pop_map = num(e, "populate_mmap_faults");
    assert!(
        (small..=small + FAULT_SLACK).contains(&pop_map),
        "{pop_map} faults inside mmap(MAP_POPULATE) of {small} pages"
    );
    assert_eq!(num(e, "populate_present_after_mmap"), small);
    assert_eq!(num(e, "populate_touch_faults"), 0);
    // MAP_NORESERVE: more than RAM + swap, mapped, unless strict overcommit forbids it.
    let ram = num(e, "ram_bytes");
    assert!(num(e, "noreserve_bytes") > ram);
    let c = claim_named(e, "a MAP_NORESERVE mapping larger than RAM succeeds");
    if obs(e, "overcommit_memory") == "2" {
        assert_eq!(c["verdict"], "unverifiable");
        assert!(c["reason"].as_str().unwrap().contains("overcommit"));
    } else {
        assert_eq!(obs(e, "noreserve_mapped"), true);
        assert_eq!(
            num(e, "noreserve_vm_size_growth"),
            num(e, "noreserve_bytes")
        );
    }
}

#[test]
fn demand_paging_as_theory_says() {
    let (code, e) = run_demo(BIN);
    assert_eq!(code, 0, "{e:#}");
    check_observations(&e);
    if skip_unless_root("the PFN checks of vm-demand") {
        return;
    }
    for c in e["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "holds", "{c}");
    }
    let pfns = u64s(obs(&e, "touched_pfns"));
    let mut distinct = pfns.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        pfns.len(),
        "each page its own frame: {pfns:?}"
    );
    assert!(!distinct.contains(&0));
}

#[test]
fn demand_unprivileged_proves_the_rest() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    check_observations(&e);
    let mut unverifiable = 0;
    for c in e["claims"].as_array().unwrap() {
        match c["verdict"].as_str().unwrap() {
            "holds" => {}
            "unverifiable" => {
                unverifiable += 1;
                let reason = c["reason"].as_str().unwrap();
                assert!(reason.contains("root") || reason.contains("sudo"), "{c}");
            }
            other => panic!("as nobody: {other}: {c}"),
        }
    }
    assert_eq!(
        claim_named(&e, "each touched page got a frame of its own")["verdict"],
        "unverifiable"
    );
    assert!(unverifiable >= 1);
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(statements(&e), statements(&privileged));
    }
}
