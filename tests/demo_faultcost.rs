//! vm-faultcost on the real kernel: well-formed measurements (every run recorded, the
//! medians the claims use recomputable from them), one fault per fresh page, none
//! after MAP_POPULATE, one for a whole huge page, one major fault per evicted file
//! page; and the same claims, none contradicted, without privilege. No timing bounds
//! here: the demo's own claims state theirs, with the numbers they rest on.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-faultcost");
const THP: &str = "/sys/kernel/mm/transparent_hugepage";

/// The claims, in order.
const STATEMENTS: usize = 9;
const HUGE_CLAIMS: [usize; 3] = [4, 5, 6];
const PFN_CLAIM: usize = 5;
const MAJOR_CLAIMS: [usize; 2] = [7, 8];

fn floats(e: &Value, key: &str) -> Vec<f64> {
    obs(e, key)
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array: {}", obs(e, key)))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn float(e: &Value, key: &str) -> f64 {
    obs(e, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number: {}", obs(e, key)))
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

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

/// The measurements are complete and consistent; returns the number of runs.
fn check_well_formed(e: &Value) -> usize {
    assert_eq!(e["name"], "faultcost");
    assert_eq!(statements(e).len(), STATEMENTS, "{:#?}", claims(e));
    assert_eq!(num(e, "page_size"), page_size());
    let runs = num(e, "runs") as usize;
    let pages = num(e, "pages");
    let warm = num(e, "warm_passes") as f64;
    assert!(runs >= 3, "medians of at least 3 runs, got {runs}");
    for key in [
        "demand_faults",
        "demand_us",
        "cold_faults",
        "cold_us",
        "present_faults",
        "present_us",
        "populate_mmap_us",
        "populate_present_before_touch",
        "populate_touch_faults",
        "populate_touch_us",
        "huge_faults",
        "huge_present",
        "huge_us",
        "huge_anon_huge",
    ] {
        let v = obs(e, key).as_array().unwrap();
        assert_eq!(v.len(), runs, "{key}: one value per run");
    }
    for key in [
        "demand_us",
        "cold_us",
        "present_us",
        "populate_mmap_us",
        "populate_touch_us",
        "huge_us",
    ] {
        for t in floats(e, key) {
            assert!(t.is_finite() && t > 0.0, "{key}: {t}");
        }
    }
    // The medians the claims rest on follow from the runs recorded.
    let faults = u64s(obs(e, "demand_faults"));
    let demand = floats(e, "demand_us");
    let per_fault: Vec<f64> = demand
        .iter()
        .zip(&faults)
        .map(|(t, &f)| t / f as f64)
        .collect();
    let fault_us = float(e, "fault_us");
    assert!(close(fault_us, median(&per_fault)), "{fault_us}");
    let access: Vec<f64> = floats(e, "present_us")
        .iter()
        .map(|t| t * 1000.0 / (pages as f64 * warm))
        .collect();
    let access_ns = float(e, "access_ns");
    assert!(close(access_ns, median(&access)), "{access_ns}");
    let cold: Vec<f64> = floats(e, "cold_us")
        .iter()
        .map(|t| t * 1000.0 / pages as f64)
        .collect();
    let cold_ns = float(e, "cold_access_ns");
    assert!(close(cold_ns, median(&cold)));
    assert!(close(
        float(e, "fault_to_access_ratio"),
        fault_us * 1000.0 / access_ns
    ));
    assert!(close(
        float(e, "fault_to_cold_access_ratio"),
        fault_us * 1000.0 / cold_ns
    ));
    // The huge fault's time: the median over the runs where the kernel gave one.
    let given = bools(obs(e, "huge_given"));
    assert_eq!(given.len(), runs);
    let huge_us: Vec<f64> = floats(e, "huge_us")
        .into_iter()
        .zip(&given)
        .filter(|(_, g)| **g)
        .map(|(t, _)| t)
        .collect();
    if !huge_us.is_empty() {
        assert!(close(float(e, "huge_fault_us"), median(&huge_us)));
    }
    assert!(close(
        float(e, "populate_page_us"),
        median(&floats(e, "populate_mmap_us")) / pages as f64
    ));
    // The fault counts: exact, from getrusage.
    for f in &faults {
        assert!(
            (pages..=pages + 2).contains(f),
            "{f} faults for {pages} pages"
        );
    }
    for key in ["cold_faults", "present_faults", "populate_touch_faults"] {
        assert!(u64s(obs(e, key)).iter().all(|&f| f == 0), "{key}");
    }
    assert!(
        u64s(obs(e, "populate_present_before_touch"))
            .iter()
            .all(|&p| p == pages),
        "MAP_POPULATE leaves every page present"
    );
    runs
}

/// The file of the major faults: on storage, evicted, one major fault per page.
fn check_major(e: &Value) {
    let all = claims(e);
    let Some(dir) = obs(e, "file_dir").as_str() else {
        let why = obs(e, "major_unavailable").as_str().unwrap();
        for i in MAJOR_CLAIMS {
            assert_eq!(all[i].1, "unverifiable");
            assert_eq!(all[i].2, why);
        }
        return;
    };
    let fs = nix::sys::statfs::statfs(dir).unwrap();
    assert_ne!(
        fs.filesystem_type(),
        nix::sys::statfs::TMPFS_MAGIC,
        "{dir} is tmpfs: its pages cannot be evicted"
    );
    let pages = num(e, "file_pages");
    let resident = u64s(obs(e, "major_resident_before"));
    if resident.iter().any(|&r| r > 0) {
        for i in MAJOR_CLAIMS {
            assert_eq!(all[i].1, "unverifiable");
            assert!(all[i].2.contains("mincore"), "{}", all[i].2);
        }
        return;
    }
    for m in u64s(obs(e, "major_faults")) {
        assert_eq!(m, pages, "one major fault per evicted page");
    }
    for t in floats(e, "major_us") {
        assert!(t.is_finite() && t > 0.0);
    }
    assert_eq!(
        all[MAJOR_CLAIMS[0]].1, "holds",
        "{:?}",
        all[MAJOR_CLAIMS[0]]
    );
}

#[test]
fn measures_fault_costs_with_well_formed_data() {
    let (code, e) = run_demo(BIN);
    check_well_formed(&e);
    check_major(&e);
    let all = claims(&e);
    assert_eq!(all[0].1, "holds", "{:?}", all[0]);
    assert_eq!(all[1].1, "holds", "{:?}", all[1]);
    let huge = num(&e, "huge_size");
    let n = huge / page_size();
    if thp_allowed() && !all[4].2.contains("declined") {
        // THP needs no privilege: one fault, 512 present, AnonHugePages 2 MiB, in each
        // run where the kernel gave a huge page (it may decline one: fragmentation).
        let given = bools(obs(&e, "huge_given"));
        let faults = u64s(obs(&e, "huge_faults"));
        let present = u64s(obs(&e, "huge_present"));
        let anon = u64s(obs(&e, "huge_anon_huge"));
        assert!(given.iter().any(|&g| g));
        for r in (0..given.len()).filter(|&r| given[r]) {
            assert_eq!(faults[r], 1, "run {r}");
            assert_eq!(present[r], n, "run {r}");
            assert_eq!(anon[r], huge, "run {r}");
        }
        assert_eq!(all[4].1, "holds", "{:?}", all[4]);
    } else {
        for i in HUGE_CLAIMS {
            assert_eq!(all[i].1, "unverifiable", "{:?}", all[i]);
            assert!(all[i].2.contains(THP), "{:?}", all[i]);
        }
    }
    if skip_unless_root("the PFN claim of vm-faultcost") {
        return;
    }
    if let Some(pfns) = obs(&e, "huge_pfns").as_array() {
        let pfns: Vec<u64> = pfns.iter().map(|p| p.as_u64().unwrap()).collect();
        assert_eq!(pfns.len() as u64, n);
        assert_eq!(pfns[0] % n, 0, "a huge frame is naturally aligned");
        for (k, &p) in pfns.iter().enumerate() {
            assert_eq!(p, pfns[0] + k as u64, "page {k}");
        }
    }
    // As root on this machine (THP in madvise mode, /tmp on ext4) every claim holds.
    for (s, v, reason) in &all {
        assert_eq!(v, "holds", "{s}: {reason}\n{:#}", e["claims"]);
    }
    assert_eq!(code, 0);
}

#[test]
fn prints_the_costs_and_ratios() {
    let o = std::process::Command::new(BIN)
        .args(["--width", "200"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(o.status.code() == Some(0) || o.status.code() == Some(1));
    let out = stdout(&o);
    for needle in [
        "µs per fault",
        "vs present access",
        "demand faults",
        "MAP_POPULATE",
        "THP region",
        "major faults",
        "orders of magnitude",
    ] {
        assert!(out.contains(needle), "no '{needle}' in:\n{out}");
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
    let o = c.output().unwrap();
    let e = experiment_of(&o);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    check_well_formed(&e);
    let all = claims(&e);
    for i in HUGE_CLAIMS {
        assert_eq!(all[i].1, "unverifiable", "{:?}", all[i]);
        assert!(
            all[i].2.contains(THP) || all[i].2.contains("no transparent huge pages"),
            "{:?}",
            all[i]
        );
    }
    assert!(
        u64s(obs(&e, "huge_present")).iter().all(|&p| p <= 1),
        "no huge page with THP disabled"
    );
    assert!(u64s(obs(&e, "huge_anon_huge")).iter().all(|&a| a == 0));
    assert!(bools(obs(&e, "huge_given")).iter().all(|&g| !g));
    let (_, normal) = run_demo(BIN);
    assert_eq!(statements(&e), statements(&normal));
}

#[test]
fn unprivileged_run_hides_frames_and_measures_the_rest() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e = experiment_of(&o);
    check_well_formed(&e);
    check_major(&e);
    let mine = claims(&e);
    for (i, (s, v, reason)) in mine.iter().enumerate() {
        match v.as_str() {
            "holds" => assert_ne!(i, PFN_CLAIM, "'{s}' cannot hold without PFNs"),
            "unverifiable" => assert!(
                reason.contains("root")
                    || reason.contains("sudo")
                    || reason.contains(THP)
                    || MAJOR_CLAIMS.contains(&i),
                "'{s}' unverifiable for another reason: {reason}"
            ),
            _ => panic!("as nobody: '{s}' is {v}\n{e:#}"),
        }
    }
    assert!(obs(&e, "huge_pfns").is_null(), "PFNs are hidden as nobody");
    if thp_allowed() && !mine[4].2.contains("declined") {
        assert_eq!(mine[4].1, "holds", "{:?}", mine[4]);
        assert!(
            mine[PFN_CLAIM].2.contains("root") || mine[PFN_CLAIM].2.contains("sudo"),
            "{:?}",
            mine[PFN_CLAIM]
        );
    }
    if is_root() {
        let (_, privileged) = run_demo(BIN);
        assert_eq!(statements(&e), statements(&privileged));
    }
}
