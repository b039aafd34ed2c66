//! The claims of vm-tlb on synthetic records: one where everything holds (this
//! machine's 4 KiB curve, a 2 MiB curve without its knee, counts as a PMU would give
//! them), each claim's contradicting and missing-evidence change, and the records that
//! must never come out contradicted: a sweep too short, a noisy one, a guest whose
//! control curve shares the knee.

use super::*;
use crate::addr::VirtAddr;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::demos::mem::ThpSettings;
use crate::experiment::{Claim, Verdict};

/// Ten runs around `ns`, within ±1 %: a quiet machine.
fn runs(ns: f64) -> Vec<f64> {
    (0..RUNS * ROUNDS)
        .map(|i| ns * (1.0 + 0.002 * (i as f64 - 4.5)))
        .collect()
}

fn points(max: u64, ns: impl Fn(u64) -> f64, misses: impl Fn(u64) -> f64) -> Vec<Point> {
    page_counts(max)
        .into_iter()
        .map(|n| Point {
            pages: n,
            trials: ACCESSES_PER_RUN.div_ceil(n),
            runs_ns: runs(ns(n)),
            dtlb_misses_per_access: Some(misses(n)),
        })
        .collect()
}

/// This machine's 4 KiB random curve: the first level's knee after 96 pages (CPUID
/// says 96 entries), then data caches and the second level.
fn random_4k(n: u64) -> f64 {
    match n {
        ..=96 => 1.1,
        97..=384 => 2.9,
        385..=1024 => 5.6,
        1025..=3072 => 6.5,
        4096 => 11.0,
        6144 => 27.0,
        8192 => 35.0,
        12288 => 41.0,
        _ => 43.0,
    }
}

/// A 2 MiB random curve without that knee (a data-cache knee after 384 pages).
fn random_2m(n: u64) -> f64 {
    match n {
        ..=384 => 1.1,
        385..=3072 => 1.6,
        4096 => 8.0,
        6144 => 19.7,
        8192 => 25.0,
        12288 => 29.0,
        _ => 31.0,
    }
}

/// dTLB misses per access as a first level of 96 entries gives them.
fn tlb_misses(n: u64) -> f64 {
    if n <= 96 { 0.002 } else { 0.97 }
}

fn cpu(l1: u32) -> CpuTlbs {
    let entry = |level, page, entries| TlbEntry {
        level,
        kind: TlbKind::Data,
        page,
        entries,
    };
    CpuTlbs {
        arch: "x86_64".into(),
        vendor: "AuthenticAMD".into(),
        hypervisor: true,
        source: "CPUID 0x80000005/0x80000006".into(),
        tlbs: vec![
            entry(1, PageKind::K4, l1),
            entry(1, PageKind::M2, l1),
            entry(2, PageKind::K4, 128),
            entry(2, PageKind::M2, 128),
        ],
    }
}

/// A run where every claim holds.
pub(super) fn holding() -> Observation {
    let max = 16384;
    Observation {
        page_size: 4096,
        huge_size: 2 << 20,
        max_pages: max,
        accesses_per_run: ACCESSES_PER_RUN,
        runs_per_round: RUNS,
        rounds: ROUNDS,
        pinned_cpu: 1,
        elapsed_ms: 1700,
        cpu: cpu(96),
        regions: Regions {
            small: VirtAddr(0x7f00_0000_0000),
            small_bytes: 64 << 20,
            big: VirtAddr(0x7f00_0420_0000),
            big_bytes: 64 << 20,
            small_anon_huge: 0,
            big_anon_huge: 64 << 20,
            thp: ThpSettings {
                enabled: Some("always [madvise] never".into()),
                per_size: None,
                defrag: Some("always defer defer+madvise [madvise] never".into()),
                process: Some("1".into()),
                pmd_size: Some(2 << 20),
            },
        },
        dtlb_counter: Counter::Open,
        curves: Curves {
            sequential_4k: points(max, |n| 0.4 + n as f64 / 8192.0, |_| 0.001),
            random_4k: points(max, random_4k, tlb_misses),
            sequential_2m: points(max, |n| 0.4 + n as f64 / 16384.0, |_| 0.0),
            random_2m: points(max, random_2m, |_| 0.0),
        },
        plot: None,
    }
}

/// As `--max-pages 16` here: the whole sweep fits in the first level.
fn short_sweep(o: &mut Observation) {
    o.max_pages = 16;
    for c in [
        &mut o.curves.sequential_4k,
        &mut o.curves.random_4k,
        &mut o.curves.sequential_2m,
        &mut o.curves.random_2m,
    ] {
        c.retain(|p| p.pages <= 16);
    }
}

fn refuse_counter(o: &mut Observation) {
    o.dtlb_counter = Counter::Refused {
        errno: "ENOENT".into(),
        paranoid: Some("2".into()),
    };
    for p in o.curves.random_4k.iter_mut().chain(&mut o.curves.random_2m) {
        p.dtlb_misses_per_access = None;
    }
}

/// The 2 MiB curve gets the 4 KiB curve's knee, as on this VM.
fn share_knee(o: &mut Observation) {
    for p in &mut o.curves.random_2m {
        if (128..=384).contains(&p.pages) {
            p.runs_ns = runs(2.9);
        }
    }
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "tlb-cost-rises",
            |o| o.curves.random_4k = points(16384, |_| 1.1, |_| 0.002),
            short_sweep,
        )
        .case(
            "tlb-reach-matches-cpuid",
            |o| o.cpu = cpu(16),
            |o| o.cpu.tlbs.clear(),
        )
        .case(
            "tlb-huge-pushes-knee",
            |o| {
                // The same knee, and the counter sees the 2 MiB accesses miss past it.
                share_knee(o);
                for p in &mut o.curves.random_2m {
                    p.dtlb_misses_per_access = Some(tlb_misses(p.pages));
                }
            },
            |o| o.regions.big_anon_huge = 0,
        )
        .case(
            "tlb-huge-cheaper",
            |o| {
                let last = o.curves.random_4k.len() - TAIL_POINTS;
                for i in last..o.curves.random_4k.len() {
                    o.curves.random_2m[i].runs_ns = o.curves.random_4k[i].runs_ns.clone();
                }
            },
            |o| o.regions.big_anon_huge = 0,
        )
        .case(
            "tlb-misses-counted",
            |o| {
                let last = o.curves.random_4k.len() - 1;
                o.curves.random_4k[last].dtlb_misses_per_access = Some(0.01);
            },
            refuse_counter,
        )
        .done()
}

/// The points past the knee that the cost comparison takes.
const TAIL_POINTS: usize = 4;

fn verdict<'a>(claims: &'a [Claim], id: &str) -> &'a Verdict {
    &claims.iter().find(|c| c.id == id).expect(id).verdict
}

fn contradicted(claims: &[Claim]) -> Vec<&str> {
    claims
        .iter()
        .filter(|c| c.verdict == Verdict::Contradicted)
        .map(|c| c.id.as_str())
        .collect()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("tlb", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    let mut refused = holding();
    refuse_counter(&mut refused);
    let json = serde_json::to_value(&refused).unwrap();
    assert_eq!(json["dtlb_counter"]["refused"]["errno"], "ENOENT");
    assert_eq!(
        serde_json::from_value::<Observation>(json).unwrap(),
        refused
    );
}

#[test]
fn the_control_alone_attributes_the_knee_when_nothing_is_counted() {
    let mut o = holding();
    refuse_counter(&mut o);
    let claims = judge(&o);
    for id in [
        "tlb-cost-rises",
        "tlb-reach-matches-cpuid",
        "tlb-huge-pushes-knee",
        "tlb-huge-cheaper",
    ] {
        assert_eq!(verdict(&claims, id), &Verdict::Holds, "{id}: {claims:#?}");
    }
    let c = claims.iter().find(|c| c.id == "tlb-cost-rises").unwrap();
    assert!(c.kernel.contains("no knee near it"), "{}", c.kernel);
}

#[test]
fn a_sweep_too_short_is_unverifiable_and_says_why() {
    // `vm-tlb --max-pages 16` once said CONTRADICTED: no knee in 1..16 pages, where
    // the CPU's 96 entries put none.
    let mut o = holding();
    short_sweep(&mut o);
    o.curves.random_4k = points(16, |_| 1.1, |_| 0.002);
    let claims = judge(&o);
    assert!(contradicted(&claims).is_empty(), "{claims:#?}");
    for id in [
        "tlb-cost-rises",
        "tlb-reach-matches-cpuid",
        "tlb-misses-counted",
    ] {
        let Verdict::Unverifiable(why) = verdict(&claims, id) else {
            panic!("{id}: {claims:#?}");
        };
        assert!(why.contains("16 pages") && why.contains("768"), "{why}");
    }
}

#[test]
fn a_shared_knee_is_said_once_as_an_inference() {
    // This VM: the 2 MiB curve has the knee too, and there is no PMU.
    let mut o = holding();
    refuse_counter(&mut o);
    share_knee(&mut o);
    let claims = judge(&o);
    let reasons: Vec<&str> = [
        "tlb-cost-rises",
        "tlb-reach-matches-cpuid",
        "tlb-huge-pushes-knee",
        "tlb-huge-cheaper",
    ]
    .iter()
    .map(|id| match verdict(&claims, id) {
        Verdict::Unverifiable(why) => why.as_str(),
        v => panic!("{id} is {v:?}"),
    })
    .collect();
    assert!(reasons.iter().all(|r| *r == reasons[0]), "{reasons:#?}");
    let why = reasons[0];
    assert!(
        why.contains("suggests") && why.contains("data-cache"),
        "{why}"
    );
    assert!(why.contains("after 96 pages there"), "{why}");
    let steps = narrate(&o);
    assert!(
        steps.iter().any(|s| s.narration.contains(why)),
        "the narration says it in the same words"
    );
    // Without a hypervisor the host is not blamed.
    o.cpu.hypervisor = false;
    let claims = judge(&o);
    let Verdict::Unverifiable(bare) = verdict(&claims, "tlb-huge-pushes-knee") else {
        panic!("{claims:#?}");
    };
    assert!(
        !bare.contains("host") && bare.contains("data-cache"),
        "{bare}"
    );
}

/// A deterministic generator for the noise of a busy machine.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Slows each run, with probability `p`, by up to `slow`: what other processes do to
/// a timing (never faster than the machine can go).
fn disturb(o: &mut Observation, rng: &mut Lcg, p: f64, slow: f64) {
    for c in [
        &mut o.curves.sequential_4k,
        &mut o.curves.random_4k,
        &mut o.curves.sequential_2m,
        &mut o.curves.random_2m,
    ] {
        for point in c.iter_mut() {
            for r in point.runs_ns.iter_mut() {
                if rng.unit() < p {
                    *r *= 1.0 + slow * rng.unit();
                }
            }
        }
    }
}

/// Slows every run of the second round by `factor`: the machine got busier halfway.
fn drift(o: &mut Observation, factor: f64) {
    for c in [&mut o.curves.random_4k, &mut o.curves.random_2m] {
        for point in c.iter_mut() {
            for r in point.runs_ns[RUNS..].iter_mut() {
                *r *= factor;
            }
        }
    }
}

#[test]
fn noise_never_contradicts() {
    // Every record whose claims hold or are contradicted, disturbed as a busy machine
    // disturbs runs: no claim may come out contradicted unless it was already.
    let mut starts: Vec<Observation> = vec![holding()];
    let mut refused = holding();
    refuse_counter(&mut refused);
    starts.push(refused.clone());
    share_knee(&mut refused);
    starts.push(refused);
    let mut rng = Lcg(42);
    for start in &starts {
        let before = contradicted(&judge(start)).len();
        assert_eq!(before, 0);
        for trial in 0..300 {
            let mut o = start.clone();
            let p = [0.1, 0.3, 0.6, 0.9][trial % 4];
            let slow = [0.5, 2.0, 10.0][trial % 3];
            disturb(&mut o, &mut rng, p, slow);
            if trial % 5 == 0 {
                drift(&mut o, 1.0 + slow / 4.0);
            }
            let claims = judge(&o);
            assert!(
                contradicted(&claims).is_empty(),
                "trial {trial} (p {p}, up to {slow}x slower): {claims:#?}"
            );
        }
    }
}

#[test]
fn a_noisy_disagreement_is_unverifiable_and_names_the_noise() {
    // A ratio of 1.3 past the knee would hold; with the 2 MiB runs spread by 40 %,
    // the claim cannot tell.
    let mut o = holding();
    let n = o.curves.random_4k.len();
    for i in n - TAIL_POINTS..n {
        let ns = o.curves.random_4k[i].ns() / 1.3;
        o.curves.random_2m[i].runs_ns = (0..10)
            .map(|k| ns * if k % 2 == 0 { 0.8 } else { 1.2 })
            .collect();
    }
    let claims = judge(&o);
    let Verdict::Unverifiable(why) = verdict(&claims, "tlb-huge-cheaper") else {
        panic!("{claims:#?}");
    };
    assert!(
        why.contains("noisy") && why.contains("2 MiB random"),
        "{why}"
    );
}

#[test]
fn narration_tells_the_sweep() {
    let o = holding();
    let steps = narrate(&o);
    let table = steps[1].table.as_ref().unwrap();
    assert_eq!(table.rows.len(), page_counts(16384).len());
    // Row 12 is 96 pages, column 4 the 4 KiB random curve: the knee.
    assert!(table.rows[12][4].ends_with('◀'), "{:?}", table.rows[12]);
    assert!(steps.iter().any(|s| s.narration.contains("49152 pages")));
    assert!(!steps.iter().any(|s| s.narration.contains("busy")));
}
