//! The claims of vm-fragmentation against records where the kernel did otherwise or
//! hid the evidence; the holding record is what a run as root shows on this machine.

use super::*;
use crate::addr::VirtAddr;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::demos::mem::{PerSize, ThpSettings};
use crate::experiment::{Evidence, Verdict};

const PS: u64 = 4096;
const HUGE: u64 = 2 << 20;
const REGION_PAGES: u64 = 4096;

fn smaps(size: u64, rss: u64, anon_huge: u64) -> Evidence<Smaps> {
    Evidence::Seen(Smaps {
        size,
        rss,
        anon_huge,
    })
}

fn small(va: u64, requested: u64, rss: [u64; 3]) -> SmallMapping {
    let size = requested.div_ceil(PS) * PS;
    SmallMapping {
        va: VirtAddr(va),
        requested,
        untouched: smaps(size, rss[0], 0),
        first_written: smaps(size, rss[1], 0),
        both_written: smaps(size, rss[2], 0),
    }
}

fn thp_here() -> ThpSettings {
    ThpSettings {
        enabled: Some("always [madvise] never".into()),
        per_size: Some(PerSize {
            path: "/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled".into(),
            value: "always [inherit] madvise never".into(),
        }),
        defrag: Some("always defer defer+madvise [madvise] never".into()),
        process: Some("1".into()),
        pmd_size: Some(2 << 20),
    }
}

/// /proc/buddyinfo as this machine showed it.
fn free_here() -> Vec<FreeArea> {
    let zone = |zone: &str, free: &[u64]| FreeArea {
        node: 0,
        zone: zone.into(),
        free: free.to_vec(),
    };
    vec![
        zone("DMA", &[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]),
        zone("DMA32", &[50, 51, 58, 72, 1418, 371, 84, 26, 9, 4, 21]),
        zone(
            "Normal",
            &[831, 753, 455, 230, 131, 60, 133, 36, 8, 66, 360],
        ),
    ]
}

/// Runs of two frames each, none adjacent to the next: as scattered as this machine.
fn scattered_runs() -> Vec<Run> {
    (0..REGION_PAGES / 2)
        .map(|i| Run(0x30_0000 + i * 5, 2))
        .collect()
}

/// What a run as root shows when everything goes as theory says.
fn holding() -> Observation {
    Observation {
        page_size: PS,
        one_byte: small(0x7fff_f7fb_1000, 1, [0, PS, PS]),
        past_boundary: small(0x7fff_f7fa_e000, PS + 1, [0, PS, 2 * PS]),
        huge: HugeRegion {
            va: VirtAddr(0x7fff_e7e0_0000),
            size: HUGE,
            thp: thp_here(),
            madvise_error: None,
            written: smaps(HUGE, HUGE, HUGE),
            frames: Evidence::Seen(vec![Run(0x1a_2c00, 512)]),
        },
        malloc: MallocPacking {
            requested: 1,
            objects: Evidence::Seen(
                (0..256)
                    .map(|i| VirtAddr(0x5555_555a_12b0 + i * 32))
                    .collect(),
            ),
            rss_before: Evidence::Seen(3_358_720),
            rss_after: Evidence::Seen(3_366_912),
        },
        scattered: Scattered {
            va: VirtAddr(0x7fff_d3e0_0000),
            pages: REGION_PAGES,
            free_before: Evidence::Seen(free_here()),
            backed: REGION_PAGES,
            runs: Evidence::Seen(scattered_runs()),
        },
    }
}

fn hidden() -> Evidence<Vec<Run>> {
    Evidence::missing("frame numbers are hidden from unprivileged processes")
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "fragmentation-one-byte",
            |o| o.one_byte.first_written = smaps(PS, 2 * PS, 0),
            |o| o.one_byte.first_written = Evidence::missing("smaps unreadable"),
        )
        .case(
            "fragmentation-page-boundary",
            // Both pages backed by the first write: no page granularity.
            |o| o.past_boundary.first_written = smaps(2 * PS, 2 * PS, 0),
            |o| o.past_boundary.untouched = Evidence::missing("smaps unreadable"),
        )
        .case(
            "fragmentation-huge-region",
            |o| o.huge.written = smaps(HUGE, 2 * HUGE, HUGE),
            |o| o.huge.thp.enabled = Some("always madvise [never]".into()),
        )
        .case(
            "fragmentation-malloc-packs",
            |o| {
                let own_pages = (0..256).map(|i| VirtAddr(0x5555_555a_1010 + i * PS));
                o.malloc.objects = Evidence::Seen(own_pages.collect());
                o.malloc.rss_after = Evidence::Seen(3_358_720 + 256 * PS);
            },
            |o| o.malloc.objects = Evidence::missing("malloc returned NULL"),
        )
        .case(
            "fragmentation-scattered",
            |o| o.scattered.runs = Evidence::Seen(vec![Run(0x20_0000, REGION_PAGES)]),
            |o| o.scattered.runs = hidden(),
        )
        .case(
            "fragmentation-no-free-run",
            |o| o.scattered.backed = REGION_PAGES - 300,
            |o| o.scattered.free_before = Evidence::missing("buddyinfo unreadable"),
        )
        .case(
            "fragmentation-huge-contiguous",
            |o| o.huge.frames = Evidence::Seen(vec![Run(0x1a_2c00, 256), Run(0x1b_0000, 256)]),
            |o| o.huge.frames = hidden(),
        )
        .done()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("fragmentation", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(
        json["scattered"]["runs"][0],
        serde_json::json!(["0x300000", 2])
    );
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

fn verdict(o: &Observation, id: &str) -> Verdict {
    judge(o)
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| c.verdict)
        .unwrap()
}

#[test]
fn a_small_page_instead_of_a_huge_one_is_unverifiable_not_contradicted() {
    let mut o = holding();
    o.huge.written = smaps(HUGE, PS, 0);
    for id in ["fragmentation-huge-region", "fragmentation-huge-contiguous"] {
        let v = verdict(&o, id);
        assert!(
            matches!(&v, Verdict::Unverifiable(why) if why.contains("small page")),
            "{id}: {v:?}"
        );
    }
}

#[test]
fn thp_settings_decide_what_can_be_shown() {
    let mut t = thp_here();
    assert_eq!(t.forbids(), None);
    t.per_size.as_mut().unwrap().value = "always inherit madvise [never]".into();
    assert!(t.forbids().unwrap().contains("hugepages-2048kB"));
    t.per_size.as_mut().unwrap().value = "always inherit [madvise] never".into();
    t.enabled = Some("always madvise [never]".into());
    assert_eq!(t.forbids(), None, "the per-size control overrides");
    t.per_size = None;
    assert!(t.forbids().unwrap().contains("[never]"));
    let mut t = thp_here();
    t.process = Some("0".into());
    assert!(t.forbids().unwrap().contains("PR_SET_THP_DISABLE"));
    t.enabled = None;
    assert!(t.forbids().unwrap().contains("no transparent huge pages"));
}

#[test]
fn a_free_block_as_long_as_the_region_makes_the_run_inconclusive() {
    let mut o = holding();
    if let Evidence::Seen(zones) = &mut o.scattered.free_before {
        // A free block of order 12: 16 MiB, as long as the region.
        zones[2].free.extend([0, 1]);
    }
    let v = verdict(&o, "fragmentation-no-free-run");
    assert!(matches!(v, Verdict::Unverifiable(_)), "{v:?}");
}

#[test]
fn narration_tells_the_waste_and_the_runs() {
    let steps = narrate(&holding());
    let text: Vec<&str> = steps.iter().map(|s| s.narration.as_str()).collect();
    let small = steps[0].table.as_ref().unwrap();
    assert_eq!(small.rows.len(), 2);
    assert_eq!(small.rows[0][6], "4095 bytes", "{:?}", small.rows[0]);
    assert_eq!(small.rows[1][6], "4095 bytes", "{:?}", small.rows[1]);
    assert!(text[1].contains("2 MiB"), "{}", text[1]);
    assert!(text[2].contains("32 bytes"), "{}", text[2]);
    assert!(text[3].contains("order 10 (4 MiB)"), "{}", text[3]);
    assert!(text[4].contains("2048 runs"), "{}", text[4]);
    assert!(text.last().unwrap().contains("vmlab sim segment"));
}
