//! vm-dirty on the real kernel: dirty evidence on exactly the written pages
//! (Private_Dirty per page, kpageflags DIRTY set by a write through a shared file
//! mapping and cleared by msync), Referenced growing by exactly the pages touched after
//! clear_refs 1, PAGEMAP_SCAN's WRITTEN per page, and soft-dirty only where the kernel
//! has it. As root and as nobody.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;
use vmlab::demos::dirty::Observation;
use vmlab::demos::dirty::file::SharedFile;
use vmlab::frames::{KpageFlags, flag};

const BIN: &str = env!("CARGO_BIN_EXE_vm-dirty");
const WRITTEN: [usize; 3] = [0, 3, 5];
const TOUCHED: [usize; 3] = [1, 2, 6];
const PAGES: usize = 8;

/// The claims that read frame flags (kpageflags): root only.
const FRAME_FLAG_CLAIMS: [&str; 2] = ["dirty-file-dirty", "dirty-file-msync"];

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

fn marks(set: &[usize]) -> Vec<bool> {
    (0..PAGES).map(|p| set.contains(&p)).collect()
}

fn reason<'a>(e: &'a Value, id: &str) -> &'a str {
    e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["reason"].as_str())
        .unwrap_or("")
}

/// The observations that need no privilege, checked on any run.
fn check_unprivileged_observations(e: &Value) {
    let o: Observation = observation(e);
    let ps = page_size();
    // (a) Private_Dirty: one page on each written page, nothing on the read ones.
    let a = o.private.smaps.seen().expect("smaps of every page");
    let dirty: Vec<u64> = a.iter().map(|s| s.private_dirty).collect();
    assert_eq!(dirty, expect_pages(&WRITTEN, ps), "Private_Dirty per page");
    assert!(o.private.pages.iter().all(|p| p.present()));
    assert!(a.iter().all(|s| s.perms == "rw-p"), "the protection bits");
    // (b) smaps: one dirty page after the write, none after msync; one fault to
    // re-dirty it, none for the control write before msync.
    let f = o.file.seen().expect("a disk-backed directory here");
    let after_write = f.smaps_after_write.seen().unwrap();
    assert_eq!(after_write.private_dirty + after_write.shared_dirty, ps);
    let after_msync = f.smaps_after_msync.seen().unwrap();
    assert_eq!(after_msync.private_dirty + after_msync.shared_dirty, 0);
    assert_eq!(f.faults_before_msync, 0, "the control write");
    assert_eq!(f.faults_after_msync, 1);
    assert_eq!(f.perms.seen().map(String::as_str), Some("rw-s"));
    // (c) Referenced: cleared everywhere, then exactly the touched pages.
    let c = o.accessed.seen().expect("clear_refs is writable");
    let referenced =
        |v: &[vmlab::demos::dirty::Smaps]| -> Vec<u64> { v.iter().map(|s| s.referenced).collect() };
    assert_eq!(referenced(c.cleared.seen().unwrap()), vec![0; PAGES]);
    assert_eq!(
        referenced(c.after_touch.seen().unwrap()),
        expect_pages(&TOUCHED, ps)
    );
    // (e) PAGEMAP_SCAN: nothing written right after write-protecting, then exactly
    // the written pages; their uffd-wp bits are the ones lifted.
    let s = o.scan.seen().expect("userfaultfd in user mode works here");
    assert_eq!(s.written_before, vec![false; PAGES]);
    assert_eq!(s.written_after, marks(&WRITTEN));
    assert_eq!(s.wp_before.seen(), Some(&vec![true; PAGES]));
    let wp: Vec<bool> = marks(&WRITTEN).iter().map(|w| !w).collect();
    assert_eq!(s.wp_after.seen(), Some(&wp));
    // (d) soft-dirty: only where the kernel has it.
    let sd = verdict(e, "dirty-soft-dirty");
    let bits = o.soft_dirty.bits.seen().expect("pagemap is readable");
    match soft_dirty_configured() {
        Some(false) => {
            assert_eq!(sd, "unverifiable");
            assert!(
                reason(e, "dirty-soft-dirty").contains("CONFIG_MEM_SOFT_DIRTY"),
                "the reason quotes the configuration"
            );
            assert!(
                bits.iter().all(|b| !b),
                "no kernel without soft-dirty sets bit 55"
            );
        }
        Some(true) => {
            assert_eq!(sd, "holds");
            assert_eq!(*bits, marks(&WRITTEN));
        }
        None => assert_ne!(sd, "contradicted"),
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
    for id in claim_ids(&e) {
        if id != "dirty-soft-dirty" {
            // (d) is checked above, against the kernel configuration.
            assert_eq!(
                verdict(&e, &id),
                "holds",
                "{id}: {}\n{e:#}",
                reason(&e, &id)
            );
        }
    }
    // (b) kpageflags DIRTY: none after reading, the written page after the write (the
    // file is written a page per write(2), so each page is a folio of its own), none
    // after msync, the written page again after a new write; same frames throughout.
    let o: Observation = observation(&e);
    let f: &SharedFile = o.file.seen().unwrap();
    let dirty = |pages: &[vmlab::demos::page::Page]| -> Vec<bool> {
        pages
            .iter()
            .map(|p| p.flags.expect("root sees frame flags").has(flag::DIRTY))
            .collect()
    };
    let only = vec![false, true, false, false];
    assert_eq!(dirty(&f.clean), vec![false; 4]);
    assert_eq!(dirty(&f.dirty), only);
    assert_eq!(dirty(&f.synced), vec![false; 4]);
    assert_eq!(dirty(&f.redirtied), only);
    let compound = |p: &vmlab::demos::page::Page| {
        p.flags
            .is_some_and(|x: KpageFlags| x.has(flag::COMPOUND_HEAD) || x.has(flag::COMPOUND_TAIL))
    };
    assert!(
        !f.dirty.iter().any(compound),
        "each page a folio of its own"
    );
    let frames = |pages: &[vmlab::demos::page::Page]| -> Vec<u64> {
        pages
            .iter()
            .map(|p| p.pfn.expect("root sees frames").0)
            .collect()
    };
    assert_eq!(frames(&f.dirty), frames(&f.synced), "msync moves no frame");
    assert!(frames(&f.dirty).iter().all(|&p| p != 0));
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
    for id in FRAME_FLAG_CLAIMS {
        assert_eq!(verdict(&e, id), "unverifiable", "{id}");
        let why = reason(&e, id);
        assert!(
            why.contains("root") || why.contains("sudo"),
            "the reason says how to see frame flags: {why}"
        );
    }
    for id in claim_ids(&e) {
        if !FRAME_FLAG_CLAIMS.contains(&id.as_str()) && id != "dirty-soft-dirty" {
            assert_eq!(verdict(&e, &id), "holds", "{id} needs no privilege");
        }
    }
    if is_root() {
        let (_, root) = run_demo(BIN);
        assert_eq!(
            claim_ids(&e),
            claim_ids(&root),
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
    // The file is unnamed (O_TMPFILE) or, where the filesystem cannot, named after the
    // demo's pid (`vmlab-<pid>-<nanoseconds>`) and unlinked at once.
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let o: Observation = observation(&e);
    let dir = std::path::PathBuf::from(&o.file.seen().expect("a file was made").dir);
    let prefix = format!("vmlab-{pid}-");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
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
