//! vm-hugepages on the real kernel: one write to a MADV_HUGEPAGE region makes 2 MiB
//! present in one fault, every one of its 512 pages mapped by one huge PD entry
//! (PAGEMAP_SCAN, as root and as nobody), as one aligned run of frames flagged THP; or,
//! where THP is off here or the kernel fell back, the huge-page claims are
//! unverifiable with the reason.

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::hugepages::Observation;
use vmlab::demos::hugepages::thp::huge_pages;

const BIN: &str = env!("CARGO_BIN_EXE_vm-hugepages");
const THP: &str = "/sys/kernel/mm/transparent_hugepage";

/// The claims about the huge page itself, which need THP.
const HUGE_CLAIMS: [&str; 6] = [
    "hugepages-all-present",
    "hugepages-one-fault",
    "hugepages-pmd-mapped",
    "hugepages-anon-huge",
    "hugepages-one-frame",
    "hugepages-compound",
];
/// The claims about the 4 KiB region, which need nothing.
const SMALL_CLAIMS: [&str; 2] = ["hugepages-small-one-present", "hugepages-small-faults"];
/// The claims that need frame numbers or kpageflags (root).
const FRAME_CLAIMS: [&str; 2] = ["hugepages-one-frame", "hugepages-compound"];

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

fn reason<'a>(e: &'a Value, id: &str) -> &'a str {
    e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["reason"].as_str())
        .unwrap_or("")
}

/// The kernel counted a fallback to 4 KiB pages and gave no huge page: fragmentation,
/// not theory failing.
fn fell_back(o: &Observation) -> bool {
    o.huge.anon_huge == 0 && o.huge.thp_faults.seen().is_some_and(|f| f.fallback > 0)
}

/// Pages of the huge region PAGEMAP_SCAN says a huge entry maps.
fn huge_mapped(o: &Observation, n: usize) -> usize {
    let m = o
        .huge
        .mapping
        .seen()
        .expect("PAGEMAP_SCAN works on this kernel");
    huge_pages(m, o.huge.va, n, o.page_size)
        .iter()
        .filter(|&&h| h)
        .count()
}

/// The 4 KiB region: one fault and one present page per write, whoever runs it.
fn check_contrast(o: &Observation, e: &Value) {
    let n = (o.huge_size / o.page_size) as usize;
    let s = &o.small;
    assert_eq!(s.anon_huge, 0);
    if let Some(m) = s.mapping.seen() {
        assert!(huge_pages(m, s.va, n, o.page_size).iter().all(|&h| !h));
    }
    let exact = s.first_faults == 1
        && s.present_after_one == 1
        && s.rest_faults == n as u64 - 1
        && s.present_after_all == n;
    if !exact {
        // Only if the kernel moved pages meanwhile: a page being moved faults when
        // touched (more faults, never fewer) and reads as not present.
        assert_ne!(s.migrated.seen(), Some(&0), "{s:?}");
        assert!(
            s.first_faults >= 1 && s.rest_faults >= n as u64 - 1,
            "{s:?}"
        );
        for id in SMALL_CLAIMS {
            assert_ne!(verdict(e, id), "contradicted", "{id}");
        }
        return;
    }
    for id in SMALL_CLAIMS {
        assert_eq!(verdict(e, id), "holds", "{id}: {}", reason(e, id));
    }
}

#[test]
fn one_write_makes_a_whole_huge_page_present() {
    let (code, e) = run_demo(BIN);
    let o: Observation = observation(&e);
    assert_eq!(o.page_size, page_size());
    let n = (o.huge_size / o.page_size) as usize;
    assert_eq!(n, 512, "x86-64: a PD entry maps 512 pages");
    check_contrast(&o, &e);
    if !thp_allowed() {
        for id in HUGE_CLAIMS {
            assert_eq!(verdict(&e, id), "unverifiable", "{id}");
            assert!(reason(&e, id).contains(THP), "{id}: {}", reason(&e, id));
        }
        assert_eq!(code, 0);
        return;
    }
    assert_eq!(verdict(&e, "hugepages-pmd-size"), "holds");
    if fell_back(&o) {
        eprintln!(
            "the kernel fell back to 4 KiB pages: {}",
            reason(&e, HUGE_CLAIMS[0])
        );
        for id in HUGE_CLAIMS {
            assert_eq!(verdict(&e, id), "unverifiable", "{id}");
        }
        return;
    }
    // THP given: one fault, 512 present, each mapped by the huge entry. No root needed.
    assert_eq!(o.huge.faults, 1);
    assert!(o.huge.pages.iter().all(|p| p.present()));
    assert_eq!(huge_mapped(&o, n), n, "PAGE_IS_HUGE on every page");
    assert_eq!(o.huge.anon_huge, o.huge_size);
    if skip_unless_root("the PFN and kpageflags checks of vm-hugepages") {
        assert_eq!(code, 0);
        return;
    }
    for id in claim_ids(&e) {
        assert_eq!(
            verdict(&e, &id),
            "holds",
            "{id}: {}\n{e:#}",
            reason(&e, &id)
        );
    }
    assert_eq!(code, 0);
    let pfns: Vec<u64> = o
        .huge
        .pages
        .iter()
        .map(|p| p.pfn.expect("root sees frames").0)
        .collect();
    assert_eq!(pfns[0] % n as u64, 0, "a huge frame is naturally aligned");
    for (k, &p) in pfns.iter().enumerate() {
        assert_eq!(p, pfns[0] + k as u64, "page {k}");
    }
    let names = |i: usize| o.huge.pages[i].flags.expect("root sees flags").names();
    assert!(names(0).contains(&"THP".into()) && names(0).contains(&"COMPOUND_HEAD".into()));
    for i in 1..n {
        assert!(
            names(i).contains(&"COMPOUND_TAIL".into()),
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
    let e = experiment_of(&o);
    let rec: Observation = observation(&e);
    assert_eq!(rec.huge.anon_huge, 0, "no huge page with THP disabled");
    assert_eq!(rec.huge.pages.iter().filter(|p| p.present()).count(), 1);
    if rec.huge.mapping.seen().is_some() {
        assert_eq!(huge_mapped(&rec, 512), 0);
    }
    for id in HUGE_CLAIMS {
        assert_eq!(verdict(&e, id), "unverifiable", "{id}");
        let why = reason(&e, id);
        assert!(
            why.contains(THP) || why.contains("PR_SET_THP_DISABLE"),
            "{id}: {why}"
        );
    }
    check_contrast(&rec, &e);
    let (_, normal) = run_demo(BIN);
    assert_eq!(claim_ids(&e), claim_ids(&normal));
}

#[test]
fn unprivileged_run_hides_frames_and_proves_the_rest() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e = experiment_of(&o);
    let rec: Observation = observation(&e);
    assert!(
        rec.huge.pages.iter().all(|p| p.pfn.is_none()),
        "frames hidden"
    );
    check_contrast(&rec, &e);
    for id in claim_ids(&e) {
        let why = reason(&e, &id);
        match verdict(&e, &id) {
            "holds" => assert!(!FRAME_CLAIMS.contains(&id.as_str()), "{id} without frames"),
            "unverifiable" => assert!(
                why.contains("root")
                    || why.contains(THP)
                    || why.contains("fell back")
                    || why.contains("moved"),
                "{id} unverifiable for another reason: {why}"
            ),
            v => panic!("as nobody: {id} is {v}\n{e:#}"),
        }
    }
    if thp_allowed() && !fell_back(&rec) {
        // THP needs no privilege: the present bits, the fault, PAGEMAP_SCAN and smaps
        // prove it.
        for id in &HUGE_CLAIMS[..4] {
            assert_eq!(verdict(&e, id), "holds", "{id}: {}", reason(&e, id));
        }
        assert_eq!(huge_mapped(&rec, 512), 512);
        for id in FRAME_CLAIMS {
            assert!(reason(&e, id).contains("root"), "{id}: {}", reason(&e, id));
        }
    }
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged));
    }
}
