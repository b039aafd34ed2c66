//! vm-dirty on the real kernel: dirty evidence on exactly the written pages
//! (Private_Dirty per page, kpageflags DIRTY set by a write through a shared file
//! mapping and cleared by msync), Referenced growing by exactly the pages touched after
//! clear_refs 1, PAGEMAP_SCAN's WRITTEN per page, and soft-dirty only where the kernel
//! has it. As root and as nobody.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-dirty");
const WRITTEN: [usize; 3] = [0, 3, 5];
const TOUCHED: [usize; 3] = [1, 2, 6];
const PAGES: usize = 8;

/// What the test itself reads of the kernel's configuration: `Some(false)` when
/// /proc/config.gz says soft-dirty is not set.
fn soft_dirty_configured() -> Option<bool> {
    procfs::kernel_config()
        .ok()
        .map(|config| config.contains_key("CONFIG_MEM_SOFT_DIRTY"))
}

fn expect_pages(set: &[usize], yes: u64) -> Vec<u64> {
    (0..PAGES)
        .map(|p| if set.contains(&p) { yes } else { 0 })
        .collect()
}

/// The observations that need no privilege, checked on any run.
fn check_unprivileged_observations(e: &Value) {
    let ps = page_size();
    // (a) Private_Dirty: one page on each written page, nothing on the read ones.
    assert_eq!(
        u64s(obs(e, "private_dirty_bytes")),
        expect_pages(&WRITTEN, ps),
        "Private_Dirty per page"
    );
    assert_eq!(obs(e, "private_present"), PAGES);
    for p in obs(e, "private_perms").as_array().unwrap() {
        assert_eq!(p, "rw-p", "the region's protection bits beside each page");
    }
    // (b) smaps: one dirty page after the write, none after msync; one fault to
    // re-dirty it, none for the control write before msync.
    let folio = obs(e, "file_written_folio_pages").as_u64().unwrap();
    assert_eq!(
        obs(e, "file_smaps_dirty_after_write").as_u64().unwrap(),
        folio * ps
    );
    assert_eq!(obs(e, "file_smaps_dirty_after_msync"), 0);
    assert_eq!(obs(e, "file_faults_before_msync"), 0, "the control write");
    assert_eq!(obs(e, "file_faults_after_msync"), 1);
    assert_eq!(obs(e, "file_perms"), "rw-s");
    // (c) Referenced: cleared everywhere, then exactly the touched pages.
    assert_eq!(u64s(obs(e, "referenced_after_clear")), vec![0; PAGES]);
    assert_eq!(
        u64s(obs(e, "referenced_after_touch")),
        expect_pages(&TOUCHED, ps)
    );
    assert_eq!(
        obs(e, "referenced_growth_bytes").as_i64().unwrap(),
        (TOUCHED.len() as u64 * ps) as i64,
        "Referenced grows by exactly the pages touched"
    );
    // (e) PAGEMAP_SCAN: nothing written right after write-protecting, then exactly
    // the written pages; their uffd-wp bits are the ones lifted.
    let written: Vec<bool> = (0..PAGES).map(|p| WRITTEN.contains(&p)).collect();
    assert_eq!(bools(obs(e, "scan_written_before")), vec![false; PAGES]);
    assert_eq!(bools(obs(e, "scan_written_after")), written);
    let wp: Vec<bool> = written.iter().map(|w| !w).collect();
    assert_eq!(bools(obs(e, "scan_uffd_wp_after")), wp);
    // (d) soft-dirty: only where the kernel has it.
    let c = claims(e);
    let sd = claim(&c, "(d)");
    match soft_dirty_configured() {
        Some(false) => {
            assert_eq!(sd.1, "unverifiable", "{sd:?}");
            assert!(sd.2.contains("CONFIG_MEM_SOFT_DIRTY"), "{sd:?}");
            assert!(
                bools(obs(e, "soft_dirty_bits")).iter().all(|b| !b),
                "no kernel without soft-dirty sets bit 55"
            );
        }
        Some(true) => {
            assert_eq!(sd.1, "holds", "{sd:?}");
            let bits = bools(obs(e, "soft_dirty_bits"));
            assert_eq!(bits, written);
        }
        None => assert_ne!(sd.1, "contradicted", "{sd:?}"),
    }
}

#[test]
fn dirty_and_accessed_bits_as_root() {
    let (code, e) = run_demo(BIN);
    check_unprivileged_observations(&e);
    if skip_unless_root("the frame-flag checks of vm-dirty") {
        assert_eq!(code, 0);
        return;
    }
    assert_eq!(code, 0, "{e:#}");
    assert_eq!(e["outcome"]["contradicted"], 0);
    for (statement, verdict, reason) in claims(&e) {
        if statement.starts_with("(d)") {
            continue; // checked above, against the kernel configuration
        }
        assert_eq!(verdict, "holds", "{statement}: {reason}\n{e:#}");
    }
    // (b) kpageflags DIRTY: none after reading, the written page's folio after the
    // write (the file is written a page per write(2): here that is one page), none
    // after msync, the written page again after a new write; same frames throughout.
    let folio = obs(&e, "file_written_folio_pages").as_u64().unwrap();
    assert_eq!(folio, 1, "each page of the file is a folio of its own");
    let only = vec![false, true, false, false];
    assert_eq!(bools(obs(&e, "file_dirty_before_write")), vec![false; 4]);
    assert_eq!(bools(obs(&e, "file_dirty_after_write")), only);
    assert_eq!(bools(obs(&e, "file_dirty_after_msync")), vec![false; 4]);
    assert_eq!(bools(obs(&e, "file_dirty_after_rewrite")), only);
    let a = u64s(obs(&e, "file_pfns_after_write"));
    assert_eq!(a, u64s(obs(&e, "file_pfns_after_msync")));
    assert!(a.iter().all(|&p| p != 0));
}

#[test]
fn unprivileged_run_proves_what_it_can_with_the_same_claims() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    assert_eq!(e["outcome"]["contradicted"], 0, "{e:#}");
    check_unprivileged_observations(&e);
    let mine = claims(&e);
    for prefix in [
        "(b) a write through a MAP_SHARED",
        "(b) msync(MS_SYNC) writes the page back",
    ] {
        let c = claim(&mine, prefix);
        assert_eq!(c.1, "unverifiable", "{c:?}");
        assert!(
            c.2.contains("root") || c.2.contains("sudo"),
            "the reason says how to see frame flags: {c:?}"
        );
    }
    for (statement, verdict, _) in &mine {
        if !statement.starts_with("(b) a write through")
            && !statement.starts_with("(b) msync")
            && !statement.starts_with("(d)")
        {
            assert_eq!(verdict, "holds", "{statement} needs no privilege");
        }
    }
    if is_root() {
        let (_, root) = run_demo(BIN);
        assert_eq!(
            statements(&e),
            statements(&root),
            "same claims with and without root"
        );
    }
}

#[test]
fn leaves_no_file_behind() {
    let child = Command::new(BIN)
        .arg("--json")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The demo names its file after its pid and unlinks it at once.
    let prefix = format!("vmlab-dirty-{pid}-");
    for dir in [std::env::temp_dir(), "/var/tmp".into(), ".".into()] {
        let left: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&prefix))
            .collect();
        assert!(
            left.is_empty(),
            "left behind in {}: {left:?}",
            dir.display()
        );
    }
}
