//! vm-fragmentation on the real kernel: small mappings cost whole pages (smaps), a huge
//! page 2 MiB where THP is allowed, malloc packs small objects; a 16 MiB region gets its
//! frames in many separate runs although no free block is that long. As root and as
//! nobody, in English and in Spanish.

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::fragmentation::{Observation, Run};
use vmlab::experiment::Evidence;

const BIN: &str = env!("CARGO_BIN_EXE_vm-fragmentation");
const THP: &str = "/sys/kernel/mm/transparent_hugepage";

/// The claims whose evidence is frame numbers, hidden from unprivileged users.
const FRAME_CLAIMS: [&str; 2] = ["fragmentation-scattered", "fragmentation-huge-contiguous"];
/// The claims about a huge page, undecidable where THP is off.
const THP_CLAIMS: [&str; 2] = ["fragmentation-huge-region", "fragmentation-huge-contiguous"];

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

/// What needs no privilege, checked on a run as root or as nobody.
fn check_internal(e: &Value) {
    let o: Observation = observation(e);
    let ps = page_size();
    assert_eq!(o.page_size, ps);
    let fresh = o
        .one_byte
        .untouched
        .seen()
        .expect("smaps of the 1-byte mapping");
    assert_eq!(
        (fresh.size, fresh.rss),
        (ps, 0),
        "mmap(1) is a page, not yet in RAM"
    );
    let written = o.one_byte.first_written.seen().unwrap();
    assert_eq!(written.rss, ps, "one written byte: one page of RAM");
    let b = &o.past_boundary;
    assert_eq!(b.requested, ps + 1);
    assert_eq!(b.untouched.seen().unwrap().size, 2 * ps);
    assert_eq!(
        b.first_written.seen().unwrap().rss,
        ps,
        "the second page waits"
    );
    assert_eq!(b.both_written.seen().unwrap().rss, 2 * ps);

    let objects = o.malloc.objects.seen().expect("malloc(1) succeeds");
    assert_eq!(objects.len(), 256);
    let mut pages: Vec<u64> = objects.iter().map(|a| a.0 / ps).collect();
    pages.sort_unstable();
    pages.dedup();
    assert!(pages.len() * 2 <= objects.len(), "{} pages", pages.len());

    let s = &o.scattered;
    assert_eq!(s.pages * ps, 16 << 20);
    assert_eq!(s.backed, s.pages, "every written page has a frame");
    let zones = s
        .free_before
        .seen()
        .expect("buddyinfo is readable by anyone");
    let now = std::fs::read_to_string("/proc/buddyinfo").unwrap();
    assert_eq!(zones.len(), now.lines().count(), "one record per zone line");
    for id in [
        "fragmentation-one-byte",
        "fragmentation-page-boundary",
        "fragmentation-malloc-packs",
        "fragmentation-no-free-run",
    ] {
        assert_eq!(verdict(e, id), "holds", "{id}: {e:#}");
    }
}

/// The huge page: where THP is allowed, one byte makes 2 MiB resident, or the kernel
/// fell back to a small page and the claim says it cannot tell; never contradicted.
fn check_huge(e: &Value) {
    let o: Observation = observation(e);
    let h = &o.huge;
    let s = h.written.seen().expect("smaps of the huge region");
    if !thp_allowed() {
        assert_eq!(s.anon_huge, 0);
        assert_eq!(verdict(e, "fragmentation-huge-region"), "unverifiable");
        return;
    }
    match s.anon_huge {
        0 => assert_eq!(verdict(e, "fragmentation-huge-region"), "unverifiable"),
        n => {
            assert_eq!(n, h.size, "a whole huge page");
            assert_eq!(s.rss, h.size, "all of it resident for one byte");
            assert_eq!(verdict(e, "fragmentation-huge-region"), "holds");
        }
    }
}

#[test]
fn small_mappings_cost_whole_pages_and_the_region_is_scattered() {
    let (code, e) = run_demo(BIN);
    assert_eq!(code, 0, "{e:#}");
    assert_eq!(e["outcome"]["contradicted"], 0);
    check_internal(&e);
    check_huge(&e);
    if skip_unless_root("the frame checks of vm-fragmentation") {
        return;
    }
    let o: Observation = observation(&e);
    let Evidence::Seen(runs) = &o.scattered.runs else {
        panic!("root sees the frames: {:?}", o.scattered.runs);
    };
    let total: u64 = runs.iter().map(Run::frames).sum();
    assert_eq!(total, o.scattered.pages, "the runs hold every page once");
    assert!(runs.len() > 1, "not one physical run");
    // The runs are maximal: no run continues where the one before it ended.
    for w in runs.windows(2) {
        assert_ne!(w[0].pfn() + w[0].frames(), w[1].pfn(), "{w:?}");
    }
    let mut pfns: Vec<u64> = runs
        .iter()
        .flat_map(|r| r.pfn()..r.pfn() + r.frames())
        .collect();
    pfns.sort_unstable();
    pfns.dedup();
    assert_eq!(
        pfns.len() as u64,
        o.scattered.pages,
        "a frame per page, no two alike"
    );
    assert_eq!(verdict(&e, "fragmentation-scattered"), "holds");
    if let Evidence::Seen(r) = &o.huge.frames
        && o.huge.written.seen().is_some_and(|s| s.anon_huge > 0)
    {
        let n = o.huge.size / page_size();
        assert_eq!(r, &vec![Run(r[0].pfn(), n)], "one run of {n} frames");
        assert_eq!(r[0].pfn() % n, 0, "aligned");
        assert_eq!(verdict(&e, "fragmentation-huge-contiguous"), "holds");
    }
}

#[test]
fn unprivileged_runs_hide_frames_and_prove_the_rest() {
    let Some(out) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = experiment_of(&out);
    check_internal(&e);
    check_huge(&e);
    let o: Observation = observation(&e);
    assert!(
        o.scattered.runs.seen().is_none(),
        "frames hidden from nobody"
    );
    for c in e["claims"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let reason = c["reason"].as_str().unwrap_or("");
        match c["verdict"].as_str().unwrap() {
            "holds" => assert!(!FRAME_CLAIMS.contains(&id), "{id} cannot be seen: {c}"),
            "unverifiable" if FRAME_CLAIMS.contains(&id) && reason.contains("root") => {}
            "unverifiable" if THP_CLAIMS.contains(&id) => {}
            v => panic!("{id} as nobody is {v}: {c}"),
        }
    }
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged), "the same claims");
    }
}

#[test]
fn spanish_tells_the_same_claims_in_the_course_terms() {
    let out = demo_cmd(BIN).args(["--lang", "es"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let es = experiment_of(&out);
    let (_, en) = run_demo(BIN);
    assert_eq!(claim_ids(&es), claim_ids(&en));
    assert_eq!(
        es["title"],
        "fragmentación interna sí, fragmentación externa no"
    );
    let said = |id: &str| -> String {
        let c = es["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id);
        c.unwrap()["statement"].as_str().unwrap().to_string()
    };
    assert!(said("fragmentation-scattered").contains("marcos"));
    assert!(said("fragmentation-one-byte").contains("página entera"));
    check_internal(&es);
}
