//! vm-demand's claims against records that contradict them or lack their evidence.

use super::*;
use crate::addr::Pfn;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::pagemap::PageState;

const PS: u64 = 4096;
const VA: u64 = 0x7fff_b7e0_0000;

fn page(i: u64, pfn: u64) -> Page {
    Page {
        va: VirtAddr(VA + i * PS),
        state: PageState::Present,
        pfn: Some(Pfn(pfn)),
        map_count: Some(1),
        exclusive: true,
        file_or_shared: false,
        flags: None,
    }
}

/// What a run as root shows here (numbers from this machine: 24105 MiB of RAM, no
/// swap, overcommit heuristic) when everything goes as theory says.
fn holding() -> Observation {
    let (indices, stride_pages) = touched_indices(BIG / PS);
    let pages = indices
        .iter()
        .enumerate()
        .map(|(k, &i)| page(i, 0x4b_8b46 - k as u64))
        .collect();
    let small = |mmap, present, writes| SmallMapping {
        mmap_faults: mmap,
        present_after_mmap: Evidence::Seen(present),
        writes: Faults {
            measured: writes,
            control: 0,
        },
    };
    let ram = 24_105 << 20;
    Observation {
        child_pid: 4242,
        page_size: PS,
        thp_enabled: Evidence::Seen("always [madvise] never".into()),
        thp_disabled_in_child: true,
        map: MapStep {
            va: VirtAddr(VA),
            bytes: BIG,
            pages: BIG / PS,
            before: Status {
                vm_size: 10_112 << 10,
                vm_rss: 3_416 << 10,
            },
            after: Status {
                vm_size: (10_112 << 10) + BIG,
                vm_rss: 3_544 << 10,
            },
            region_rss: Evidence::Seen(0),
            present: Evidence::Seen(Vec::new()),
        },
        touch: TouchStep {
            present: Evidence::Seen(indices.clone()),
            indices,
            stride_pages,
            faults: Faults {
                measured: TOUCHED as u64,
                control: 0,
            },
            status: Status {
                vm_size: (10_112 << 10) + BIG,
                vm_rss: 3_672 << 10,
            },
            region_rss: Evidence::Seen(TOUCHED as u64 * PS),
            pages,
        },
        small: SmallStep {
            bytes: SMALL_BYTES,
            pages: SMALL_BYTES / PS,
            plain: small(0, 0, 256),
            populated: small(256, 256, 0),
        },
        beyond_ram: BeyondRamStep {
            ram,
            swap: 0,
            overcommit: Evidence::Seen("0".into()),
            bytes: 48 << 30,
            attempt: Evidence::Seen(BeyondRam {
                plain: MapResult::Refused {
                    errno: "ENOMEM".into(),
                },
                noreserve: MapResult::Mapped,
                vm_size_growth: 48 << 30,
                region_rss: Evidence::Seen(0),
            }),
        },
    }
}

fn merged() -> Evidence<u64> {
    Evidence::missing("merged with a neighbour")
}

fn attempt(o: &mut Observation) -> &mut BeyondRam {
    match &mut o.beyond_ram.attempt {
        Evidence::Seen(a) => a,
        Evidence::Missing(_) => unreachable!("the holding record made the attempt"),
    }
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "demand-reserves",
            |o| o.map.region_rss = Evidence::Seen(2 << 20),
            |o| o.map.region_rss = merged(),
        )
        .case(
            "demand-none-present",
            |o| o.map.present = Evidence::Seen((0..512).collect()),
            |o| o.map.present = Evidence::missing("pagemap denied"),
        )
        .case(
            "demand-touch-faults",
            |o| o.touch.faults.measured = 1,
            |o| o.touch.faults.control = 2,
        )
        .case(
            "demand-touched-present",
            |o| o.touch.present = Evidence::Seen((0..32).collect()),
            |o| o.touch.present = Evidence::missing("pagemap denied"),
        )
        .case(
            "demand-touched-rss",
            |o| o.touch.region_rss = Evidence::Seen(64 << 20),
            |o| o.touch.region_rss = merged(),
        )
        .case(
            "demand-own-frames",
            |o| o.touch.pages[3].pfn = o.touch.pages[0].pfn,
            |o| o.touch.pages[5].pfn = None,
        )
        .case(
            "demand-plain-lazy",
            |o| o.small.plain.present_after_mmap = Evidence::Seen(256),
            |o| o.small.plain.writes.control = 1,
        )
        .case(
            "demand-populate-eager",
            |o| o.small.populated.mmap_faults = 0,
            |o| o.small.populated.present_after_mmap = Evidence::missing("pagemap denied"),
        )
        .case(
            "demand-heuristic-refuses",
            |o| attempt(o).plain = MapResult::Mapped,
            |o| o.beyond_ram.overcommit = Evidence::Seen("1".into()),
        )
        .case(
            "demand-noreserve",
            |o| {
                attempt(o).noreserve = MapResult::Refused {
                    errno: "ENOMEM".into(),
                }
            },
            |o| o.beyond_ram.attempt = Evidence::missing("RLIMIT_AS"),
        )
        .done()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("demand", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

#[test]
fn touched_pages_are_scattered_and_distinct() {
    let (indices, stride) = touched_indices(BIG / PS);
    assert_eq!(indices.len(), TOUCHED);
    assert_eq!(stride, 8192);
    assert!(indices.windows(2).all(|w| w[0] < w[1]));
    assert!(indices.iter().all(|&i| i < BIG / PS));
}

#[test]
fn narration_tells_each_step() {
    let steps = narrate(&holding());
    assert_eq!(steps.len(), 4);
    assert!(steps[1].narration.contains("32"), "{}", steps[1].narration);
    assert!(
        steps[3].narration.contains("ENOMEM"),
        "{}",
        steps[3].narration
    );
}
