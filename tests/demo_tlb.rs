//! vm-tlb on the real machine: well-formed data (every point of every curve, every run
//! of both rounds), the claims judged again from the record the demo printed and found
//! the same, CPUID read by the demo equal to what this test reads itself, the plot
//! file, a sweep too short to test anything, and the same claims without privilege.
//! No timing bound is asserted: times are the machine's. No claim may come out
//! contradicted: on this VM the knee is in the 2 MiB control curve too and there is
//! no PMU, and a busy machine makes claims unverifiable, never contradicted.

mod common;

use common::*;
use serde_json::Value;
use vmlab::demos::tlb::{self, Observation, PageKind};

const BIN: &str = env!("CARGO_BIN_EXE_vm-tlb");

/// The tests here measure time: one at a time, so that they do not disturb each other.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const CLAIMS: [&str; 5] = [
    "tlb-cost-rises",
    "tlb-reach-matches-cpuid",
    "tlb-huge-pushes-knee",
    "tlb-huge-cheaper",
    "tlb-misses-counted",
];

/// Every curve has every page count, each point every run of both rounds, each run
/// at least the accesses promised and no more trials than needed.
fn check_data(o: &Observation, max: u64) {
    assert_eq!(o.max_pages, max);
    let counts = tlb::page_counts(max);
    assert_eq!(counts[0], 1);
    assert_eq!(*counts.last().unwrap(), max);
    for p in 0..max.trailing_zeros() {
        assert!(
            counts.contains(&(1 << p)),
            "power of two {} missing",
            1 << p
        );
    }
    for (name, points) in o.curves.named() {
        let pages: Vec<u64> = points.iter().map(|p| p.pages).collect();
        assert_eq!(pages, counts, "{name:?}");
        for p in points {
            assert!(p.trials * p.pages >= o.accesses_per_run, "{p:?}");
            assert!((p.trials - 1) * p.pages < o.accesses_per_run, "{p:?}");
            assert_eq!(p.runs_ns.len(), o.runs_per_round * o.rounds, "{p:?}");
            assert!(p.runs_ns.iter().all(|x| x.is_finite() && *x > 0.0), "{p:?}");
        }
    }
    // The knee finder reports a knee at a measured point, the next one measured after.
    for k in tlb::knees(&o.curves.random_4k) {
        let i = counts.iter().position(|&c| c == k.pages).expect("a point");
        assert_eq!(k.next_pages, counts[i + 1]);
        assert!(k.after_ns > k.before_ns);
    }
}

/// The verdicts the demo printed, and those judged again here from its record.
fn judged_again(e: &Value, o: &Observation) {
    assert_eq!(claim_ids(e), CLAIMS);
    for c in tlb::judge(o) {
        assert_eq!(verdict(e, &c.id), verdict_name(&c.verdict), "{}", c.id);
    }
}

fn verdict_name(v: &vmlab::experiment::Verdict) -> &'static str {
    use vmlab::experiment::Verdict::*;
    match v {
        Holds => "holds",
        Contradicted => "contradicted",
        Unverifiable(_) => "unverifiable",
        Computed => "computed",
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

fn none_contradicted(e: &Value) {
    for id in CLAIMS {
        assert_ne!(verdict(e, id), "contradicted", "{id}: {:#}", e["claims"]);
        if verdict(e, id) == "unverifiable" {
            assert!(!reason(e, id).is_empty(), "{id}");
        }
    }
}

/// The CPU's L1 4 KiB dTLB entries, read here (AMD only; `None` elsewhere).
fn amd_l1_entries() -> Option<u32> {
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
        let n = (l5.ebx >> 16) & 0xff;
        (n > 0).then_some(n)
    }
    #[cfg(not(target_arch = "x86_64"))]
    None
}

#[test]
fn sweep_is_well_formed_and_claims_follow_from_it() {
    let _one = serial();
    let (code, e) = run_demo(BIN);
    let o: Observation = observation(&e);
    assert_ne!(code, 1, "contradicted: {:#}", e["claims"]);
    check_data(&o, 16384);
    judged_again(&e, &o);
    none_contradicted(&e);

    // CPUID as the demo read it equals what this test reads.
    if let Some(mine) = amd_l1_entries() {
        assert_eq!(o.cpu.entries(1, PageKind::K4), Some(mine), "{:?}", o.cpu);
    }
    // THP: the 4 KiB region has no huge page; the 2 MiB one is all huge pages, or
    // the claims that need it say why not.
    let r = &o.regions;
    assert_eq!(r.small_anon_huge, 0);
    match r.huge_missing() {
        None => assert_eq!(r.big_anon_huge, r.big_bytes),
        Some(why) => {
            for id in ["tlb-huge-pushes-knee", "tlb-huge-cheaper"] {
                assert_eq!(verdict(&e, id), "unverifiable", "{why}");
            }
        }
    }
    // The counter opened, or the errno is said and no count is invented.
    match o.dtlb_counter.refusal() {
        None => assert!(
            o.curves
                .random_4k
                .iter()
                .all(|p| p.dtlb_misses_per_access.is_some())
        ),
        Some(why) => {
            assert!(why.contains("perf_event_open"), "{why}");
            assert_eq!(verdict(&e, "tlb-misses-counted"), "unverifiable");
            assert_eq!(reason(&e, "tlb-misses-counted"), why);
            for (_, points) in o.curves.named() {
                assert!(points.iter().all(|p| p.dtlb_misses_per_access.is_none()));
            }
        }
    }
    // A knee the control shares is told in the narration in the very words of the
    // claims' reason: what was seen, and what it suggests.
    let first = reason(&e, "tlb-cost-rises");
    if first.contains("2 MiB control curve shows the same knee") {
        assert!(first.contains("suggests"), "{first}");
        let told = e["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["narration"].as_str().unwrap().contains(first));
        assert!(told, "the narration says it too: {first}");
    }
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
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    let record: Observation = observation(&e);
    check_data(&record, 512);
    judged_again(&e, &record);
    none_contradicted(&e);
    assert_eq!(record.plot.as_deref(), Some(svg.to_str().unwrap()));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg"), "{text:.200}");
    assert!(text.contains("4 KiB random"));
    assert!(text.contains("<polyline") || text.contains("<path"));
}

#[test]
fn a_sweep_too_short_to_test_is_unverifiable_not_contradicted() {
    // `vm-tlb --max-pages 16` once said CONTRADICTED: no knee in 1..16 pages, where a
    // first level of dozens of entries puts none.
    let _one = serial();
    let o = demo_cmd(BIN).args(["--max-pages", "16"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    let record: Observation = observation(&e);
    check_data(&record, 16);
    judged_again(&e, &record);
    none_contradicted(&e);
    if let Some(n) = record.cpu.entries(1, PageKind::K4) {
        for id in ["tlb-cost-rises", "tlb-reach-matches-cpuid"] {
            assert_eq!(verdict(&e, id), "unverifiable");
            let why = reason(&e, id);
            assert!(
                why.contains("16 pages") && why.contains(&format!("{}", 8 * n)),
                "{why}"
            );
        }
    }
    // The same in Spanish.
    let es = demo_cmd(BIN)
        .args(["--max-pages", "16", "--lang", "es"])
        .output()
        .unwrap();
    let e = experiment_of(&es);
    if record.cpu.entries(1, PageKind::K4).is_some() {
        assert!(reason(&e, "tlb-cost-rises").contains("el barrido termina en 16 páginas"));
    }
}

/// A directory removed on drop, also when an assertion fails.
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
    let record: Observation = observation(&e);
    check_data(&record, 4096);
    judged_again(&e, &record);
    none_contradicted(&e);
}
