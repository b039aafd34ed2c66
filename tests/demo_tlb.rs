//! vm-tlb on the real machine: well-formed data (every point of every curve, medians of
//! the runs, the knees on the measured page counts), the claims decided from those data,
//! CPUID read by the demo equal to what this test reads itself, the plot file, and the
//! same claims without privilege. No timing bound is asserted: times are the machine's.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-tlb");

/// The tests here measure time: one at a time, so that they do not disturb each other.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const STATEMENTS: [&str; 5] = [
    "cost per access rises once the pages touched exceed the first TLB level's reach",
    "the measured reach of the first TLB level is within 4x of the entries the CPU reports",
    "huge pages push the knee out: the 4 KiB knee is not in the 2 MiB curve",
    "past the first TLB level's reach, the same accesses cost less on 2 MiB pages",
    "the hardware counts dTLB misses: almost none below the first knee, most accesses miss \
     past it",
];

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Every sweep has every page count, each point the median of its runs, knees on
/// measured points.
fn check_data(e: &Value, max: u64) {
    assert_eq!(num(e, "max_pages"), max);
    let counts = u64s(obs(e, "page_counts"));
    assert_eq!(counts[0], 1);
    assert_eq!(*counts.last().unwrap(), max);
    assert!(counts.windows(2).all(|w| w[0] < w[1]));
    for p in 0..max.trailing_zeros() {
        assert!(
            counts.contains(&(1 << p)),
            "power of two {} missing",
            1 << p
        );
    }
    let per_run = num(e, "accesses_per_run");
    let runs = num(e, "runs_per_point") as usize;
    let sweeps = obs(e, "sweeps").as_array().unwrap();
    assert_eq!(sweeps.len(), 4);
    let mut kinds = Vec::new();
    for s in sweeps {
        kinds.push(format!("{} {}", s["backing"], s["order"]));
        let points = s["points"].as_array().unwrap();
        let pages: Vec<u64> = points
            .iter()
            .map(|p| p["pages"].as_u64().unwrap())
            .collect();
        assert_eq!(pages, counts);
        for p in points {
            let n = p["pages"].as_u64().unwrap();
            let trials = p["trials"].as_u64().unwrap();
            assert!(trials * n >= per_run, "{p}");
            assert!(
                (trials - 1) * n < per_run,
                "no more trials than needed: {p}"
            );
            let r: Vec<f64> = p["runs_ns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            assert_eq!(r.len(), runs);
            assert!(r.iter().all(|x| x.is_finite() && *x > 0.0), "{p}");
            assert_eq!(p["ns"].as_f64().unwrap(), median(&r), "{p}");
        }
        for k in s["knees"].as_array().unwrap() {
            let at = k["pages"].as_u64().unwrap();
            let i = counts
                .iter()
                .position(|&c| c == at)
                .expect("knee on a point");
            assert_eq!(k["next_pages"].as_u64().unwrap(), counts[i + 1]);
            assert!(k["after_ns"].as_f64().unwrap() > k["before_ns"].as_f64().unwrap());
        }
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// The CPU's L1 4 KiB dTLB entries, read here (AMD only; `None` elsewhere).
fn amd_l1_entries() -> Option<u64> {
    #[cfg(target_arch = "x86_64")]
    {
        #[allow(unused_unsafe)]
        // SAFETY: CPUID only reads identification registers.
        let (l0, ext, l5) = unsafe {
            (
                core::arch::x86_64::__cpuid(0),
                core::arch::x86_64::__cpuid(0x8000_0000),
                core::arch::x86_64::__cpuid(0x8000_0005),
            )
        };
        let mut v = Vec::new();
        for r in [l0.ebx, l0.edx, l0.ecx] {
            v.extend_from_slice(&r.to_le_bytes());
        }
        if v != b"AuthenticAMD" || ext.eax < 0x8000_0006 {
            return None;
        }
        let n = ((l5.ebx >> 16) & 0xff) as u64;
        (n > 0).then_some(n)
    }
    #[cfg(not(target_arch = "x86_64"))]
    None
}

#[test]
fn sweep_is_well_formed_and_claims_follow_from_it() {
    let _one = serial();
    let (code, e) = run_demo(BIN);
    assert_ne!(code, 1, "contradicted: {e:#}");
    assert_eq!(statements(&e), STATEMENTS);
    check_data(&e, 16384);
    let all = claims(&e);

    // Claim 1 follows from the first knee of the 4 KiB random curve.
    let rnd4 = &obs(&e, "sweeps")[1];
    assert_eq!(rnd4["backing"], "4 KiB");
    assert_eq!(rnd4["order"], "random");
    let first = obs(&e, "first_knee").as_u64();
    assert_eq!(first, rnd4["knees"][0]["pages"].as_u64());
    assert_eq!(all[0].1 == "holds", first.is_some(), "{:?}", all[0]);

    // Claim 2: CPUID as the demo read it equals what we read; the verdict is the ratio.
    let cpu = obs(&e, "cpuid");
    let l1 = cpu["tlbs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["level"] == 1 && t["page"] == "4K")
        .and_then(|t| t["entries"].as_u64());
    if let Some(mine) = amd_l1_entries() {
        assert_eq!(l1, Some(mine), "{cpu}");
    }
    match (l1, first) {
        (Some(n), Some(k)) => {
            let ratio = k as f64 / n as f64;
            let within = (0.25..=4.0).contains(&ratio);
            assert_eq!(all[1].1 == "holds", within, "{:?}", all[1]);
        }
        (None, _) => {
            assert_eq!(all[1].1, "unverifiable");
            assert!(cpu["unknown"].as_str().is_some());
        }
        (Some(_), None) => assert_eq!(all[1].1, "unverifiable"),
    }

    // THP: the 4 KiB region has none, the 2 MiB one is huge (or the claims say why not).
    assert_eq!(num(&e, "small_anon_huge"), 0);
    let missing = obs(&e, "thp_missing");
    if missing.is_null() {
        assert_eq!(num(&e, "huge_anon_huge"), num(&e, "huge_region_bytes"));
    } else {
        for c in &all[2..4] {
            assert_eq!(c.1, "unverifiable", "{c:?}");
            assert_eq!(c.2, missing.as_str().unwrap());
        }
    }
    // The hypervisor escape applies only under a hypervisor, to both claims alike.
    if all[2].1 == "unverifiable" && missing.is_null() && first.is_some() {
        assert_eq!(cpu["hypervisor"], true);
        assert!(all[2].2.contains("hypervisor"), "{:?}", all[2]);
        assert_eq!(all[3].2, all[2].2);
    }

    // Claim 5: the counter opened, or the errno is said and no count is invented.
    let counter = obs(&e, "dtlb_counter").as_str().unwrap();
    if counter == "open" {
        assert_ne!(all[4].1, "unverifiable", "{:?}", all[4]);
    } else {
        assert!(counter.contains("perf_event_open"), "{counter}");
        assert_eq!(all[4].1, "unverifiable");
        assert_eq!(all[4].2, counter);
        for s in obs(&e, "sweeps").as_array().unwrap() {
            for p in s["points"].as_array().unwrap() {
                assert!(p["dtlb_misses_per_access"].is_null(), "{p}");
            }
        }
    }
    // On this machine (root, THP on) the measured claims hold; the rest say why not.
    for (s, v, reason) in &all {
        assert!(v == "holds" || v == "unverifiable", "{s}: {v}");
        if v == "unverifiable" {
            assert!(!reason.is_empty(), "{s}");
        }
    }
    assert_eq!(all[0].1, "holds", "{:?}", all[0]);
}

#[test]
fn max_pages_extends_the_sweep_and_plot_writes_an_svg() {
    let _one = serial();
    let dir = TempDir::new("vmlab-tlb");
    let svg = dir.0.join("tlb.svg");
    let o = demo_cmd(BIN)
        .args(["--max-pages", "512", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    check_data(&e, 512);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") || text.contains("<svg"),
        "{text:.200}"
    );
    assert!(text.contains("4 KiB random"));
    assert!(text.contains("<polyline") || text.contains("<path"));
}

/// A directory removed on drop, also when an assertion fails.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn bad_options_are_clear_errors_before_measuring() {
    let o = demo_cmd(BIN)
        .args(["--max-pages", "1000"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("power of two"), "{}", stderr(&o));
    let png = std::env::temp_dir().join(format!("vmlab-tlb-{}.png", std::process::id()));
    let o = demo_cmd(BIN).arg("--plot").arg(&png).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(".svg"), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: --plot: "),
        "an option error names the option: {}",
        stderr(&o)
    );
    assert!(!png.exists(), "nothing written");
}

#[test]
fn unprivileged_run_makes_the_same_claims() {
    let _one = serial();
    let Some(o) = run_unprivileged(BIN, &["--json", "--max-pages", "4096"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    let e = experiment_of(&o);
    assert_eq!(statements(&e), STATEMENTS);
    check_data(&e, 4096);
    for (s, v, reason) in claims(&e) {
        assert_ne!(v, "contradicted", "as nobody: {s}\n{e:#}");
        if v == "unverifiable" {
            assert!(!reason.is_empty());
        }
    }
}
