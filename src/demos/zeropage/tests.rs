//! vm-zeropage's claims against records that contradict them or lack their evidence.

use super::*;
use crate::addr::Pfn;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::frames::KpageFlags;
use crate::pagemap::PageState;

const PS: u64 = 4096;
const VA: u64 = 0x7f29_ae2f_0000;
/// The zero page's frame, as this machine shows it.
const ZERO: u64 = 0x3b36;

fn zero_page(i: u64) -> Page {
    Page {
        va: VirtAddr(VA + i * PS),
        state: PageState::Present,
        pfn: Some(Pfn(ZERO)),
        map_count: Some(0),
        exclusive: false,
        file_or_shared: false,
        flags: KpageFlags::from_names(&["ZERO_PAGE", "RESERVED"]),
    }
}

fn own_page(i: u64, pfn: u64) -> Page {
    Page {
        va: VirtAddr(VA + i * PS),
        state: PageState::Present,
        pfn: Some(Pfn(pfn)),
        map_count: Some(1),
        exclusive: true,
        file_or_shared: false,
        flags: KpageFlags::from_names(&["UPTODATE", "MMAP", "ANON", "SWAPBACKED", "OWNER_2"]),
    }
}

fn memfd_page(count: u64) -> Page {
    Page {
        va: VirtAddr(0x7f29_ae33_0000),
        state: PageState::Present,
        pfn: Some(Pfn(0x1a_2b3c)),
        map_count: Some(count),
        exclusive: count == 1,
        file_or_shared: true,
        flags: KpageFlags::from_names(&["UPTODATE", "LRU", "MMAP", "SWAPBACKED"]),
    }
}

/// What a run as root shows here when everything goes as theory says.
fn holding() -> Observation {
    let own = [0x4f_2a35, 0x4c_b514, 0x4c_45d6, 0x4a_d58e];
    let written = (0..PAGES)
        .map(|i| match WRITTEN.iter().position(|&w| w == i) {
            Some(k) => own_page(i, own[k]),
            None => zero_page(i),
        })
        .collect();
    let faults = |first| Faults {
        first,
        again: 0,
        control: 0,
    };
    Observation {
        page_size: PS,
        va: VirtAddr(VA),
        pages: PAGES,
        written: WRITTEN.to_vec(),
        nohugepage: true,
        read: ReadStep {
            rss_before: Evidence::Seen(0),
            faults: faults(PAGES),
            first_alone: zero_page(0),
            pages: (0..PAGES).map(zero_page).collect(),
            rss_after: Evidence::Seen(0),
            pfnzero: Evidence::Seen(vec![true; PAGES as usize]),
        },
        ordinary: OrdinaryFrame {
            mappings: PAGES,
            after_one: memfd_page(1),
            after_all: memfd_page(PAGES),
        },
        write: WriteStep {
            faults: faults(WRITTEN.len() as u64),
            pages: written,
            rss: Evidence::Seen(WRITTEN.len() as u64 * PS),
            pfnzero: Evidence::Seen((0..PAGES).map(|i| !WRITTEN.contains(&i)).collect()),
        },
    }
}

/// Hides frames, map counts and flags, as an unprivileged run sees them.
fn hide(pages: &mut [Page]) {
    for p in pages {
        p.pfn = None;
        p.map_count = None;
        p.flags = None;
    }
}

fn no_scan() -> Evidence<Vec<bool>> {
    Evidence::missing("no PAGEMAP_SCAN before Linux 6.7")
}

pub(crate) fn claim_tests() -> ClaimTests {
    claims_of(judge, holding())
        .case(
            "zeropage-read-present",
            |o| o.read.pages[9].state = PageState::Absent,
            |o| o.read.pages.clear(),
        )
        .case(
            "zeropage-read-faults",
            |o| o.read.faults.first = 1,
            |o| o.read.faults.control = 3,
        )
        .case(
            "zeropage-read-no-rss",
            |o| o.read.rss_after = Evidence::Seen(64 * PS),
            |o| o.read.rss_before = Evidence::missing("merged"),
        )
        .case(
            "zeropage-read-shared",
            |o| o.read.pages[2].exclusive = true,
            |o| o.read.pages[2].state = PageState::Absent,
        )
        .case(
            "zeropage-read-pfnzero",
            |o| o.read.pfnzero = Evidence::Seen(vec![false; PAGES as usize]),
            |o| o.read.pfnzero = no_scan(),
        )
        .case(
            "zeropage-one-frame",
            |o| o.read.pages[7].pfn = Some(Pfn(0x4f_0000)),
            |o| hide(&mut o.read.pages),
        )
        .case(
            "zeropage-is-zero-page",
            |o| o.read.pages[0].flags = KpageFlags::from_names(&["ANON", "MMAP"]),
            |o| hide(&mut o.read.pages),
        )
        .case(
            "zeropage-map-count",
            |o| {
                o.read.first_alone.map_count = Some(1);
                o.read.pages[0].map_count = Some(64);
            },
            |o| hide(std::slice::from_mut(&mut o.ordinary.after_all)),
        )
        .case(
            "zeropage-write-faults",
            |o| o.write.faults.first = 0,
            |o| o.write.faults.control = 1,
        )
        .case(
            "zeropage-written-exclusive",
            |o| o.write.pages[5].exclusive = false,
            |o| o.write.pages.truncate(10),
        )
        .case(
            "zeropage-written-rss",
            |o| o.write.rss = Evidence::Seen(0),
            |o| o.write.rss = Evidence::missing("merged"),
        )
        .case(
            "zeropage-written-pfnzero",
            |o| o.write.pfnzero = Evidence::Seen(vec![true; PAGES as usize]),
            |o| o.write.pfnzero = no_scan(),
        )
        .case(
            "zeropage-new-frames",
            |o| o.write.pages[17].pfn = Some(Pfn(ZERO)),
            |o| hide(&mut o.write.pages),
        )
        .done()
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("zeropage", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

/// The zero page's map count must not be taken for a count of 0 mappings by
/// accident: a kernel that counted them (1, then 64) contradicts the claim, and so
/// does an ordinary frame whose count does not follow its mappings.
#[test]
fn map_count_claim_needs_both_frames() {
    let verdict = |o: &Observation| {
        judge(o)
            .into_iter()
            .find(|c| c.id == "zeropage-map-count")
            .unwrap()
            .verdict
    };
    let mut o = holding();
    o.ordinary.after_all.map_count = Some(1);
    assert_eq!(verdict(&o), crate::experiment::Verdict::Contradicted);
    let mut o = holding();
    o.read.pages[0].map_count = Some(64);
    assert_eq!(verdict(&o), crate::experiment::Verdict::Contradicted);
}

#[test]
fn narration_says_why_the_count_is_zero() {
    let steps = narrate(&holding());
    assert_eq!(steps.len(), 3);
    let why = &steps[1].narration;
    assert!(why.contains("vm_normal_page"), "{why}");
    let table = steps[1].table.as_ref().unwrap();
    assert_eq!(table.rows[0][2..], ["0", "0"]);
    assert_eq!(table.rows[1][2..], ["1", "64"]);
}
