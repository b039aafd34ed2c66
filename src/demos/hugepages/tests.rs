//! The claims of vm-hugepages against records where the kernel did otherwise, or
//! showed less.

use super::thp::tests::madvise_mode;
use super::thp::{Mapped, ThpFaults};
use super::*;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::experiment::Verdict;
use crate::frames::KpageFlags;
use crate::pagemap::PageState;

const VA: u64 = 0x7f82_8400_0000;
const SMALL_VA: u64 = 0x7f82_8440_0000;
const FIRST_PFN: u64 = 0x3e_be00;
const N: usize = 512;

fn flags(part: &str) -> Option<KpageFlags> {
    KpageFlags::from_names(&[
        "UPTODATE",
        "LRU",
        "MMAP",
        "ANON",
        "SWAPBACKED",
        part,
        "THP",
        "OWNER_2",
    ])
}

fn page(i: usize) -> Page {
    Page {
        va: VirtAddr(VA + i as u64 * 4096),
        state: PageState::Present,
        pfn: Some(Pfn(FIRST_PFN + i as u64)),
        map_count: Some(1),
        exclusive: true,
        file_or_shared: false,
        flags: flags(if i == 0 {
            "COMPOUND_HEAD"
        } else {
            "COMPOUND_TAIL"
        }),
    }
}

fn region(start: u64, len: u64, huge: bool) -> Mapped {
    Mapped {
        start: VirtAddr(start),
        end: VirtAddr(start + len),
        present: true,
        huge,
        zero_page: false,
    }
}

/// What a run as root on this machine shows (THP in madvise mode, a huge page given).
fn holding() -> Observation {
    let pages: Vec<Page> = (0..N).map(page).collect();
    let walk = [("PML4", 47, 39, 255, 255), ("PDPT", 38, 30, 10, 10)]
        .into_iter()
        .chain([("PD", 29, 21, 34, 32), ("PT", 20, 12, 0, 0)])
        .map(
            |(level, high_bit, low_bit, small_index, huge_index)| WalkLevel {
                level: level.into(),
                high_bit,
                low_bit,
                small_index,
                huge_index,
            },
        )
        .collect();
    Observation {
        page_size: 4096,
        thp: madvise_mode(),
        huge_size: 2 << 20,
        warmup_faults: 0,
        huge: HugeRegion {
            va: VirtAddr(VA),
            madvise_error: None,
            faults: 1,
            thp_faults: Evidence::Seen(ThpFaults {
                alloc: 1,
                fallback: 0,
            }),
            frames_again: pages.iter().map(|p| p.pfn).collect(),
            pages,
            mapping: Evidence::Seen(vec![region(VA, 2 << 20, true)]),
            anon_huge: 2 << 20,
            vmpte_before: 4096,
            vmpte_after: 8192,
        },
        small: SmallRegion {
            va: VirtAddr(SMALL_VA),
            madvise_error: None,
            first_faults: 1,
            present_after_one: 1,
            rest_faults: 511,
            present_after_all: 512,
            mapping: Evidence::Seen(vec![region(SMALL_VA, 2 << 20, false)]),
            anon_huge: 0,
            migrated: Evidence::Seen(3),
        },
        walk,
        page_shift: 12,
    }
}

/// The kernel tried a huge page, found no free frame, and gave 4 KiB pages: one page
/// present, none huge, and (as `fallback` says) the fallback counted or not.
fn fell_back(o: &mut Observation, fallback: u64) {
    for p in &mut o.huge.pages[1..] {
        p.state = PageState::Absent;
        p.pfn = None;
        p.map_count = None;
        p.flags = None;
    }
    o.huge.pages[0].flags = KpageFlags::from_names(&["UPTODATE", "LRU", "MMAP", "ANON"]);
    o.huge.frames_again = o.huge.pages.iter().map(|p| p.pfn).collect();
    o.huge.mapping = Evidence::Seen(vec![
        region(VA, 4096, false),
        Mapped {
            present: false,
            ..region(VA + 4096, (2 << 20) - 4096, false)
        },
    ]);
    o.huge.anon_huge = 0;
    o.huge.thp_faults = Evidence::Seen(ThpFaults { alloc: 0, fallback });
}

fn hide_frames(o: &mut Observation) {
    for p in &mut o.huge.pages {
        p.pfn = None;
        p.map_count = None;
        p.flags = None;
    }
    o.huge.frames_again = vec![None; N];
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "hugepages-pmd-size",
            |o| o.thp.pmd_size = Some(4 << 20),
            |o| o.thp.pmd_size = None,
        )
        .case(
            "hugepages-all-present",
            |o| o.huge.pages[100].state = PageState::Absent,
            |o| o.thp.enabled = Some("always madvise [never]".into()),
        )
        .case(
            "hugepages-one-fault",
            |o| o.huge.faults = 2,
            |o| o.huge.madvise_error = Some("EINVAL".into()),
        )
        .case(
            "hugepages-pmd-mapped",
            |o| {
                o.huge.mapping = Evidence::Seen(vec![
                    region(VA, 1 << 20, true),
                    region(VA + (1 << 20), 1 << 20, false),
                ])
            },
            |o| o.huge.mapping = Evidence::missing("no PAGEMAP_SCAN"),
        )
        .case(
            "hugepages-anon-huge",
            |o| o.huge.anon_huge = 0,
            |o| o.thp.process = Some("0".into()),
        )
        .case(
            "hugepages-one-frame",
            |o| {
                o.huge.pages[7].pfn = Some(Pfn(0x9999));
                o.huge.frames_again[7] = Some(Pfn(0x9999));
            },
            hide_frames,
        )
        .case(
            "hugepages-compound",
            |o| o.huge.pages[3].flags = flags("LRU"),
            |o| o.huge.frames_again[0] = Some(Pfn(0x1234)),
        )
        .case(
            "hugepages-small-one-present",
            |o| {
                o.small.present_after_one = 512;
                o.small.anon_huge = 2 << 20;
            },
            |o| o.small.madvise_error = Some("EINVAL".into()),
        )
        .case(
            "hugepages-small-faults",
            |o| o.small.rest_faults = 0,
            |o| o.small.rest_faults = 540,
        )
        .done()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("hugepages", &claim_tests());
}

fn verdict(o: &Observation, id: &str) -> Verdict {
    judge(o).into_iter().find(|c| c.id == id).unwrap().verdict
}

#[test]
fn a_counted_fallback_is_not_a_contradiction_but_a_silent_one_is() {
    let mut o = holding();
    fell_back(&mut o, 1);
    for id in ["hugepages-all-present", "hugepages-pmd-mapped"] {
        match verdict(&o, id) {
            Verdict::Unverifiable(why) => assert!(why.contains("fell back"), "{why}"),
            v => panic!("{id}: {v:?}"),
        }
    }
    // No huge page and no fallback counted: the kernel did not even try.
    fell_back(&mut o, 0);
    assert_eq!(verdict(&o, "hugepages-all-present"), Verdict::Contradicted);
    assert_eq!(verdict(&o, "hugepages-pmd-mapped"), Verdict::Contradicted);
    // The contrast needs no huge page.
    assert_eq!(verdict(&o, "hugepages-small-faults"), Verdict::Holds);
}

#[test]
fn extra_faults_are_a_contradiction_only_when_no_page_moved() {
    let mut o = holding();
    o.small.rest_faults = 540;
    match verdict(&o, "hugepages-small-faults") {
        Verdict::Unverifiable(why) => assert!(why.contains("moved 3 pages"), "{why}"),
        v => panic!("{v:?}"),
    }
    o.small.migrated = Evidence::Seen(0);
    assert_eq!(verdict(&o, "hugepages-small-faults"), Verdict::Contradicted);
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

#[test]
fn narration_shows_the_skipped_level_only_for_a_huge_mapping() {
    let steps = narrate(&holding());
    let walk = steps[2].table.as_ref().unwrap();
    assert!(walk.rows[3][3].contains("skipped"), "{:?}", walk.rows);
    let mut o = holding();
    fell_back(&mut o, 1);
    let walk = narrate(&o)[2].table.clone().unwrap();
    assert!(!walk.rows[3][3].contains("skipped"), "{:?}", walk.rows);
    let huge = steps[1].table.as_ref().unwrap();
    assert_eq!(huge.rows.len(), 6, "pages 0-2, a gap, 510-511");
    assert_eq!(huge.rows[5][3], "+511");
}
