//! vm-demand on the real kernel: mapping costs no RAM, each touched page costs one
//! fault and becomes present (exactly those pages), MAP_POPULATE faults inside mmap, and
//! MAP_NORESERVE maps more than RAM where the overcommit heuristic refuses it. As root
//! and as nobody.

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::demand::{MapResult, Observation};
use vmlab::experiment::Evidence;

const BIN: &str = env!("CARGO_BIN_EXE_vm-demand");

/// A fault count, checked exactly when its control round was quiet (else the demo
/// calls the claim unverifiable, and so do we).
fn check_faults(what: &str, f: &vmlab::demos::demand::Faults, expected: u64) {
    if f.control == 0 {
        assert_eq!(f.measured, expected, "{what}");
    } else {
        eprintln!("{what}: the control round took {} faults", f.control);
    }
}

/// The checks that need no privilege, made on a run as root or as nobody.
fn check_observations(e: &Value) {
    let o: Observation = observation(e);
    let ps = o.page_size;
    assert_eq!(ps, page_size());
    // Mapping: virtual size +1 GiB, nothing resident, nothing present.
    let m = &o.map;
    assert_eq!(m.after.vm_size - m.before.vm_size, 1 << 30);
    assert_eq!(m.region_rss, Evidence::Seen(0));
    assert_eq!(m.present, Evidence::Seen(Vec::new()));
    // Touching: N faults, exactly the N pages present, Rss N pages.
    let t = &o.touch;
    let n = t.indices.len() as u64;
    assert!(n >= 8, "the demo touches a few pages: {n}");
    check_faults("touching", &t.faults, n);
    assert_eq!(t.present.seen(), Some(&t.indices));
    assert_eq!(t.region_rss, Evidence::Seen(n * ps));
    // Plain mapping vs MAP_POPULATE.
    let s = &o.small;
    assert_eq!(s.plain.mmap_faults, 0);
    assert_eq!(s.plain.present_after_mmap, Evidence::Seen(0));
    check_faults("writing the plain mapping", &s.plain.writes, s.pages);
    assert_eq!(
        s.populated.mmap_faults, s.pages,
        "faults inside MAP_POPULATE"
    );
    assert_eq!(s.populated.present_after_mmap, Evidence::Seen(s.pages));
    check_faults("writing the populated mapping", &s.populated.writes, 0);
    check_beyond_ram(e, &o);
}

/// MAP_NORESERVE: more than RAM + swap, mapped, unless strict overcommit forbids it;
/// refused without the flag under the heuristic.
fn check_beyond_ram(e: &Value, o: &Observation) {
    let b = &o.beyond_ram;
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let total = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .unwrap();
    assert!(total.contains(&(b.ram / 1024).to_string()), "{total}");
    assert!(b.bytes > b.ram + b.swap);
    let mode = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap();
    assert_eq!(b.overcommit.seen().map(String::as_str), Some(mode.trim()));
    let Some(a) = b.attempt.seen() else {
        assert_eq!(verdict(e, "demand-noreserve"), "unverifiable");
        return;
    };
    assert_eq!(a.noreserve, MapResult::Mapped);
    assert_eq!(a.vm_size_growth, b.bytes);
    assert_eq!(a.region_rss, Evidence::Seen(0));
    if mode.trim() == "0" {
        let enomem = MapResult::Refused {
            errno: "ENOMEM".into(),
        };
        assert_eq!(a.plain, enomem, "the heuristic refuses it");
    } else {
        assert_eq!(verdict(e, "demand-heuristic-refuses"), "unverifiable");
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
    assert_eq!(verdict(&e, "demand-own-frames"), "holds");
    let o: Observation = observation(&e);
    let mut pfns: Vec<u64> = o
        .touch
        .pages
        .iter()
        .map(|p| p.pfn.expect("root sees frames").0)
        .collect();
    pfns.sort_unstable();
    pfns.dedup();
    assert_eq!(pfns.len(), o.touch.indices.len(), "each page its own frame");
    assert!(o.touch.pages.iter().all(|p| p.map_count == Some(1)));
}

#[test]
fn demand_unprivileged_proves_the_rest() {
    let Some(out) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = experiment_of(&out);
    check_observations(&e);
    let reason = e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "demand-own-frames")
        .and_then(|c| c["reason"].as_str())
        .unwrap_or_default();
    assert_eq!(verdict(&e, "demand-own-frames"), "unverifiable");
    assert!(reason.contains("root"), "{reason}");
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged));
    }
}
