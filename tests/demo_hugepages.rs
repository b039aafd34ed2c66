//! vm-hugepages on the real kernel: one write to a MADV_HUGEPAGE region makes 2 MiB
//! present in one fault, as one aligned run of frames flagged THP; or, where THP is off
//! here, the huge-page claims are unverifiable with the reason read from sysfs.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-hugepages");
const THP: &str = "/sys/kernel/mm/transparent_hugepage";

fn selected(text: &str) -> String {
    let a = text.find('[').unwrap();
    let b = text.find(']').unwrap();
    text[a + 1..b].to_string()
}

/// Whether this machine's settings allow a MADV_HUGEPAGE region a huge page, read
/// here independently of the demo.
fn thp_allowed() -> bool {
    let Ok(enabled) = std::fs::read_to_string(format!("{THP}/enabled")) else {
        return false;
    };
    let size = std::fs::read_to_string(format!("{THP}/hpage_pmd_size")).unwrap();
    let size: u64 = size.trim().parse().unwrap();
    let per_size = std::fs::read_to_string(format!("{THP}/hugepages-{}kB/enabled", size / 1024))
        .ok()
        .map(|s| selected(&s));
    match per_size.as_deref() {
        Some("inherit") | None => selected(&enabled) != "never",
        Some(choice) => choice != "never",
    }
}

/// The six claims, in order: present, one fault, PFN run, kpageflags, smaps, contrast.
const PFN_CLAIM: usize = 2;
const FLAGS_CLAIM: usize = 3;

#[test]
fn one_write_makes_a_whole_huge_page_present() {
    let (code, e) = run_demo(BIN);
    let all = claims(&e);
    assert_eq!(all.len(), 6, "{all:?}");
    let page = page_size();
    let huge = num(&e, "huge_size");
    let n = huge / page;
    assert_eq!(n, 512, "x86-64: a PD entry maps 512 pages");

    // The contrast needs no THP: one fault per 4 KiB page, 1 page present after one write.
    assert_eq!(num(&e, "small_first_faults"), 1);
    assert_eq!(num(&e, "small_present_after_one_write"), 1);
    let rest = num(&e, "small_rest_faults");
    assert!(
        (n - 1..=n + 1).contains(&rest),
        "{rest} faults for the other {} pages",
        n - 1
    );
    assert_eq!(num(&e, "small_present_after_all"), n);
    assert_eq!(num(&e, "small_anon_huge"), 0);
    assert_eq!(all[5].1, "holds", "{:?}", all[5]);

    if !thp_allowed() {
        for (s, v, reason) in &all[..5] {
            assert_eq!(v, "unverifiable", "{s}");
            assert!(reason.contains(THP), "{s}: {reason}");
        }
        assert_eq!(code, 0);
        return;
    }
    if all[0].1 == "unverifiable" && all[0].2.contains("declined") {
        eprintln!("the kernel declined a huge page here: {}", all[0].2);
        assert!(all[0].2.contains(THP));
        return;
    }
    // THP given: one fault, 512 present, AnonHugePages = 2 MiB. No root needed.
    assert_eq!(num(&e, "huge_faults"), 1);
    assert_eq!(num(&e, "huge_present"), n);
    assert_eq!(num(&e, "huge_anon_huge"), huge);
    if skip_unless_root("the PFN and kpageflags checks of vm-hugepages") {
        assert_eq!(code, 0);
        return;
    }
    for (s, v, _) in &all {
        assert_eq!(v, "holds", "{s}\n{e:#}");
    }
    assert_eq!(code, 0);
    let pfns: Vec<u64> = obs(&e, "huge_pfns")
        .as_array()
        .unwrap_or_else(|| panic!("no PFNs as root: {e:#}"))
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(pfns.len() as u64, n);
    assert_eq!(pfns[0] % n, 0, "a huge frame is naturally aligned");
    for (k, &p) in pfns.iter().enumerate() {
        assert_eq!(p, pfns[0] + k as u64, "page {k}");
    }
    // The kernel's own view of the head PFN, read here: THP and COMPOUND_HEAD.
    let flags = obs(&e, "huge_flags").as_array().unwrap();
    let names = |i: usize| -> Vec<&str> {
        flags[i]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect()
    };
    assert!(names(0).contains(&"THP") && names(0).contains(&"COMPOUND_HEAD"));
    for i in 1..n as usize {
        assert!(
            names(i).contains(&"COMPOUND_TAIL"),
            "page {i}: {:?}",
            names(i)
        );
    }
}

/// A process with THP disabled by prctl (inherited across exec): the demo must not
/// call that a contradiction, but say why it cannot check the huge-page claims.
#[test]
fn thp_disabled_for_the_process_makes_the_claims_unverifiable() {
    use std::os::unix::process::CommandExt;
    let mut c = demo_cmd(BIN);
    // SAFETY: prctl(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            if libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = claims(&e);
    assert_eq!(all.len(), 6);
    assert_eq!(
        num(&e, "huge_anon_huge"),
        0,
        "no huge page with THP disabled"
    );
    for (s, v, reason) in &all[..5] {
        assert_eq!(v, "unverifiable", "{s}");
        assert!(
            reason.contains(THP) || reason.contains("no transparent huge pages"),
            "{s}: {reason}"
        );
    }
    assert_eq!(all[5].1, "holds", "the 4 KiB contrast needs no THP");
    let (_, normal) = run_demo(BIN);
    assert_eq!(statements(&e), statements(&normal));
}

#[test]
fn unprivileged_run_hides_frames_and_proves_the_rest() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mine = claims(&e);
    for (i, (s, v, reason)) in mine.iter().enumerate() {
        match v.as_str() {
            "holds" => assert!(
                i != PFN_CLAIM && i != FLAGS_CLAIM,
                "'{s}' cannot hold without PFNs"
            ),
            "unverifiable" => assert!(
                reason.contains("root") || reason.contains("sudo") || reason.contains(THP),
                "'{s}' unverifiable for another reason: {reason}"
            ),
            _ => panic!("as nobody: '{s}' is {v}\n{e:#}"),
        }
    }
    if thp_allowed() && !mine[0].2.contains("declined") {
        // THP needs no privilege: the present bits, the fault and smaps still prove it.
        for i in [0, 1, 4, 5] {
            assert_eq!(mine[i].1, "holds", "{:?}", mine[i]);
        }
        assert!(mine[PFN_CLAIM].2.contains("root"), "{:?}", mine[PFN_CLAIM]);
    }
    assert!(e["outcome"]["held"].as_u64().unwrap() >= 1);
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(statements(&e), statements(&privileged));
    }
}
