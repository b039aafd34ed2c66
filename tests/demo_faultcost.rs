//! vm-faultcost on the real kernel: every run recorded, one fault per fresh page, none
//! after MAP_POPULATE, one for a whole huge page, one major fault per evicted file
//! page; timing claims that hold or, when the machine is too busy to tell, say how
//! noisy the runs were, never a contradiction; and the same claims without privilege.

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::faultcost::{Observation, RUNS};
use vmlab::demos::hugepages::thp::huge_pages;

const BIN: &str = env!("CARGO_BIN_EXE_vm-faultcost");
const THP: &str = "/sys/kernel/mm/transparent_hugepage";

/// The claims about the huge page, which need THP.
const HUGE_CLAIMS: [&str; 3] = [
    "faultcost-huge-one-fault",
    "faultcost-huge-frame",
    "faultcost-huge-cheaper",
];
const MAJOR_CLAIMS: [&str; 2] = ["faultcost-major-faults", "faultcost-major-cost"];
/// The claims that compare times.
const TIMING_CLAIMS: [&str; 4] = [
    "faultcost-orders",
    "faultcost-cold",
    "faultcost-huge-cheaper",
    "faultcost-major-cost",
];

fn selected(text: &str) -> String {
    let a = text.find('[').unwrap();
    let b = text.find(']').unwrap();
    text[a + 1..b].to_string()
}

/// Whether this machine's settings allow a MADV_HUGEPAGE region a huge page, read here
/// independently of the demo.
fn thp_allowed() -> bool {
    let Ok(enabled) = std::fs::read_to_string(format!("{THP}/enabled")) else {
        return false;
    };
    let size: u64 = std::fs::read_to_string(format!("{THP}/hpage_pmd_size"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
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

/// The measurements are complete and the fault counts exact (getrusage, pagemap),
/// but in runs where the kernel moved pages.
fn check_well_formed(o: &Observation) {
    assert_eq!(o.page_size, page_size());
    assert_eq!(o.small.len(), RUNS);
    assert_eq!(o.populate.len(), RUNS);
    assert_eq!(o.huge.len(), RUNS);
    assert_eq!(
        o.control.minor, 0,
        "the measuring code takes no fault itself"
    );
    for r in &o.small {
        assert!(
            r.demand.ns > 0 && r.cold.ns > 0 && r.present.ns > 0,
            "{r:?}"
        );
        if moved(&r.migrated) {
            // A page being moved faults when touched: more faults, never fewer.
            assert!(r.demand.minor >= o.pages, "{r:?}");
            continue;
        }
        assert_eq!(r.demand.minor, o.pages, "one fault per fresh page");
        assert_eq!(r.cold.minor + r.present.minor, 0, "none on present pages");
    }
    for r in &o.populate {
        assert!(r.mmap_ns > 0);
        if !moved(&r.migrated) {
            assert_eq!(
                r.present_before, o.pages,
                "MAP_POPULATE makes every page present"
            );
            assert_eq!(r.touch.minor, 0);
        }
    }
}

/// Whether the kernel moved pages during a run (or cannot say): then extra faults
/// are not theory's to explain.
fn moved(migrated: &vmlab::experiment::Evidence<u64>) -> bool {
    migrated.seen() != Some(&0)
}

/// A fault-count claim holds, or (rarely) every run was set aside because the kernel
/// moved pages meanwhile.
fn check_count(e: &Value, id: &str) {
    match verdict(e, id) {
        "holds" => {}
        "unverifiable" => assert!(reason(e, id).contains("moved"), "{id}: {}", reason(e, id)),
        v => panic!("{id} is {v}: {:#}", e["claims"]),
    }
}

/// A timing claim holds, or says the runs were too noisy; it is never contradicted.
fn check_timing(e: &Value) {
    for id in TIMING_CLAIMS {
        match verdict(e, id) {
            "holds" => {}
            "unverifiable" => eprintln!("{id}: {}", reason(e, id)),
            v => panic!("{id} is {v}: {}\n{:#}", reason(e, id), e["claims"]),
        }
    }
}

/// The file of the major faults: on storage, evicted, one major fault per page.
fn check_major(o: &Observation, e: &Value) {
    let Some(m) = o.major.seen() else {
        let why = o.major.reason().unwrap();
        for id in MAJOR_CLAIMS {
            assert_eq!(verdict(e, id), "unverifiable");
            assert_eq!(reason(e, id), why);
        }
        return;
    };
    let fs = nix::sys::statfs::statfs(m.dir.as_str()).unwrap();
    assert_ne!(
        fs.filesystem_type(),
        nix::sys::statfs::TMPFS_MAGIC,
        "{} is tmpfs: its pages cannot be evicted",
        m.dir
    );
    assert_eq!(m.runs.len(), RUNS);
    if m.runs.iter().any(|r| r.resident > 0) {
        for id in MAJOR_CLAIMS {
            assert_eq!(verdict(e, id), "unverifiable");
            assert!(reason(e, id).contains("mincore"), "{}", reason(e, id));
        }
        return;
    }
    for r in &m.runs {
        assert_eq!(r.touch.major, m.pages, "one major fault per evicted page");
        assert!(r.touch.ns > 0);
    }
    assert_eq!(verdict(e, MAJOR_CLAIMS[0]), "holds");
}

/// The runs that got a huge page: one fault, every page present and mapped by the
/// huge entry (PAGEMAP_SCAN), AnonHugePages the whole region. Returns how many.
fn check_huge(o: &Observation) -> usize {
    let n = (o.huge_size / o.page_size) as usize;
    let mut given = 0;
    for r in o.huge.iter().filter(|r| r.anon_huge > 0) {
        given += 1;
        assert_eq!(r.touch.minor, 1, "{r:?}");
        assert_eq!(r.present, n as u64);
        assert_eq!(r.anon_huge, o.huge_size);
        let m = r.mapping.seen().expect("PAGEMAP_SCAN works on this kernel");
        assert!(huge_pages(m, r.va, n, o.page_size).iter().all(|&h| h));
    }
    given
}

#[test]
fn measures_fault_costs_with_well_formed_data() {
    let (code, e) = run_demo(BIN);
    assert_eq!(e["name"], "faultcost");
    let o: Observation = observation(&e);
    check_well_formed(&o);
    check_major(&o, &e);
    check_timing(&e);
    check_count(&e, "faultcost-demand-faults");
    check_count(&e, "faultcost-populate");
    assert_ne!(code, 1, "nothing contradicted: {:#}", e["claims"]);
    let given = check_huge(&o);
    if !thp_allowed() {
        for id in HUGE_CLAIMS {
            assert_eq!(verdict(&e, id), "unverifiable", "{id}");
            assert!(reason(&e, id).contains(THP), "{id}: {}", reason(&e, id));
        }
        return;
    }
    if given == 0 {
        eprintln!(
            "the kernel fell back in every run: {}",
            reason(&e, HUGE_CLAIMS[0])
        );
        assert!(reason(&e, HUGE_CLAIMS[0]).contains("fell back"));
        return;
    }
    assert_eq!(
        verdict(&e, HUGE_CLAIMS[0]),
        "holds",
        "{}",
        reason(&e, HUGE_CLAIMS[0])
    );
    if skip_unless_root("the PFN claim of vm-faultcost") {
        return;
    }
    let n = o.huge_size / o.page_size;
    for r in o.huge.iter().filter(|r| r.anon_huge > 0) {
        let runs = r.frames.seen().expect("root sees frames");
        assert_eq!(runs.len(), 1, "one run of consecutive frames: {runs:?}");
        assert_eq!(runs[0].count, n);
        assert_eq!(runs[0].first.0 % n, 0, "a huge frame is naturally aligned");
    }
    assert_eq!(verdict(&e, "faultcost-huge-frame"), "holds");
}

#[test]
fn prints_every_cost_per_page_in_both_languages() {
    for (lang, needles) in [
        (
            "en",
            [
                "time per fault",
                "per page, vs a cached write",
                "MAP_POPULATE",
            ],
        ),
        (
            "es",
            [
                "tiempo por fallo",
                "frente a una escritura en caché",
                "MAP_POPULATE",
            ],
        ),
    ] {
        let o = std::process::Command::new(BIN)
            .args(["--lang", lang, "--width", "200"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        for needle in needles {
            assert!(out.contains(needle), "no '{needle}' in:\n{out}");
        }
    }
}

/// A process with THP disabled by prctl (inherited across exec): the huge-page claims
/// are unverifiable with the reason, the others unchanged.
#[test]
fn thp_disabled_for_the_process_makes_the_huge_claims_unverifiable() {
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
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = experiment_of(&out);
    let o: Observation = observation(&e);
    check_well_formed(&o);
    check_timing(&e);
    for id in HUGE_CLAIMS {
        assert_eq!(verdict(&e, id), "unverifiable", "{id}");
        let why = reason(&e, id);
        assert!(
            why.contains(THP) || why.contains("PR_SET_THP_DISABLE"),
            "{id}: {why}"
        );
    }
    for r in &o.huge {
        assert!(r.present <= 1 && r.anon_huge == 0, "no huge page: {r:?}");
    }
    let (_, normal) = run_demo(BIN);
    assert_eq!(claim_ids(&e), claim_ids(&normal));
}

#[test]
fn unprivileged_run_hides_frames_and_measures_the_rest() {
    let Some(out) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "as nobody: {}", stderr(&out));
    let e = experiment_of(&out);
    let o: Observation = observation(&e);
    check_well_formed(&o);
    check_major(&o, &e);
    check_timing(&e);
    assert!(
        o.huge.iter().all(|r| r.frames.seen().is_none()),
        "PFNs are hidden"
    );
    for id in claim_ids(&e) {
        let why = reason(&e, &id);
        match verdict(&e, &id) {
            "holds" => assert_ne!(id, "faultcost-huge-frame", "no frames as nobody"),
            "unverifiable" => assert!(
                why.contains("root")
                    || why.contains(THP)
                    || why.contains("fell back")
                    || why.contains("too noisy")
                    || why.contains("moved")
                    || MAJOR_CLAIMS.contains(&id.as_str()),
                "{id} unverifiable for another reason: {why}"
            ),
            v => panic!("as nobody: {id} is {v}\n{e:#}"),
        }
    }
    if thp_allowed() && check_huge(&o) > 0 {
        assert_eq!(verdict(&e, HUGE_CLAIMS[0]), "holds");
        assert!(reason(&e, "faultcost-huge-frame").contains("root"));
    }
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(claim_ids(&e), claim_ids(&privileged));
    }
}
