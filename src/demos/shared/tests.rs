//! The claims of vm-shared against records that contradict them or lack evidence.

use super::*;
use crate::addr::{Pfn, VirtAddr};
use crate::demos::claimtest::{Builder, ClaimTests, assert_contract, claims_of};
use crate::demos::page::Page;
use crate::experiment::Verdict;
use crate::frames::KpageFlags;
use crate::pagemap::PageState;

fn page(va: u64, pfn: u64, count: u64, exclusive: bool, flags: &[&str]) -> Page {
    Page {
        va: VirtAddr(va),
        state: PageState::Present,
        pfn: Some(Pfn(pfn)),
        map_count: Some(count),
        exclusive,
        file_or_shared: false,
        flags: KpageFlags::from_names(flags),
    }
}

fn shared_page(va: u64, pfn: u64, count: u64) -> Page {
    Page {
        file_or_shared: true,
        ..page(
            va,
            pfn,
            count,
            false,
            &["UPTODATE", "DIRTY", "MMAP", "SWAPBACKED"],
        )
    }
}

fn knobs(list: &[(&str, &str)]) -> Vec<Knob> {
    list.iter()
        .map(|(n, v)| Knob {
            name: n.to_string(),
            value: v.to_string(),
        })
        .collect()
}

/// What a run as root on this project's machine shows.
fn holding() -> Observation {
    let anon = 0x7fe8_55e4_c000;
    let lib = |i: u64, base: u64| page(base + i * 4096, 0x10_351e + i, 42, false, &["MMAP"]);
    let ksm_at = 0x7fe8_55b4_3000;
    let merged = |i: u64| page(ksm_at + i * 4096, 0x57_8b5c, 32, false, &["ANON", "KSM"]);
    let restored = knobs(&[
        ("run", "0"),
        ("sleep_millisecs", "20"),
        ("pages_to_scan", "100"),
    ]);
    Observation {
        anon: AnonShare {
            va: VirtAddr(anon),
            child_pid: 29016,
            child_wrote: Evidence::Seen(0x42),
            parent_read: 0x42,
            parent: shared_page(anon, 0x2e_76e4, 2),
            child: shared_page(anon, 0x2e_76e4, 2),
        },
        file: FileShare {
            child_pid: 29018,
            child_read: 0x46,
            parent: shared_page(anon, 0x2e_76e4, 2),
            child: shared_page(anon - 4096, 0x2e_76e4, 2),
        },
        private: PrivateFile {
            cache: shared_page(anon, 0x2e_76e4, 2),
            read: shared_page(anon - 4096, 0x2e_76e4, 2),
            written: page(anon - 4096, 0x3b_0cf0, 1, true, &["ANON", "MMAP"]),
            file_byte: Evidence::Seen(0x46),
        },
        library: Evidence::Seen(Library {
            name: "libc.so.6".into(),
            here_at: VirtAddr(0x7fe8_55b8_b000),
            other_pid: 29019,
            there_at: VirtAddr(0x7f45_0eeb_0000),
            pages: 342,
            here: (0..219).map(|i| lib(i, 0x7fe8_55b8_b000)).collect(),
            there: (0..219).map(|i| lib(i, 0x7f45_0eeb_0000)).collect(),
            charge: Evidence::Seen(Charge {
                rss: 980 * 1024,
                pss: 30 * 1024,
            }),
        }),
        ksm: Evidence::Seen(Ksm {
            va: VirtAddr(ksm_at),
            pages: 32,
            set: knobs(&[
                ("pages_to_scan", "10000"),
                ("sleep_millisecs", "10"),
                ("run", "1"),
            ]),
            restored: restored.clone(),
            after: restored,
            waited_ms: 20,
            full_scans: Evidence::Seen(2),
            before: (0..32)
                .map(|i| page(ksm_at + i * 4096, 0x23_d436 + i, 1, true, &["ANON"]))
                .collect(),
            merged: (0..32).map(merged).collect(),
            split: page(ksm_at, 0x2f_90f8, 1, true, &["ANON"]),
        }),
    }
}

fn hide(p: &mut Page) {
    p.pfn = None;
    p.map_count = None;
    p.flags = None;
}

fn library(o: &mut Observation) -> &mut Library {
    match &mut o.library {
        Evidence::Seen(l) => l,
        Evidence::Missing(_) => panic!("the holding record has libc"),
    }
}

fn ksm(o: &mut Observation) -> &mut Ksm {
    match &mut o.ksm {
        Evidence::Seen(k) => k,
        Evidence::Missing(_) => panic!("the holding record has KSM"),
    }
}

fn no_ksm(o: &mut Observation) {
    o.ksm = Evidence::missing("starting KSM and seeing frames needs root; run with sudo");
}

pub(crate) fn claim_tests() -> ClaimTests {
    let b = file_cases(claims_of(judge, holding()));
    library_and_ksm_cases(b).done()
}

/// Parts (a) to (c).
fn file_cases(b: Builder<Observation>) -> Builder<Observation> {
    b.case(
        "shared-anon-seen",
        |o| o.anon.parent_read = 1,
        |o| o.anon.child_wrote = Evidence::missing("the child did not report"),
    )
    .case(
        "shared-anon-same-frame",
        |o| o.anon.child.pfn = Some(Pfn(0x1234)),
        |o| hide(&mut o.anon.child),
    )
    .case(
        "shared-file-same-frame",
        |o| o.file.child.pfn = Some(Pfn(0x1234)),
        |o| hide(&mut o.file.parent),
    )
    .case(
        "shared-file-bit",
        |o| o.file.child.file_or_shared = false,
        |o| o.file.child.state = PageState::Absent,
    )
    .case(
        "shared-private-read-cache",
        |o| o.private.read.pfn = Some(Pfn(0x1234)),
        |o| hide(&mut o.private.read),
    )
    .case(
        "shared-private-write-copies",
        |o| o.private.written.flags = KpageFlags::from_names(&["MMAP"]),
        |o| hide(&mut o.private.written),
    )
    .case(
        "shared-file-unchanged",
        |o| o.private.file_byte = Evidence::Seen(0x50),
        |o| o.private.file_byte = Evidence::missing("pread failed"),
    )
}

/// Parts (d) and (e).
fn library_and_ksm_cases(b: Builder<Observation>) -> Builder<Observation> {
    b.case(
        "shared-libc-same-frames",
        |o| library(o).there[7].pfn = Some(Pfn(0x1234)),
        |o| hide(&mut library(o).there[0]),
    )
    .case(
        "shared-libc-map-count",
        |o| library(o).here[3].map_count = Some(1),
        |o| o.library = Evidence::missing("no shared libc"),
    )
    .case(
        "shared-libc-pss",
        |o| {
            library(o).charge = Evidence::Seen(Charge {
                rss: 980 * 1024,
                pss: 980 * 1024,
            })
        },
        |o| library(o).charge = Evidence::missing("smaps unreadable"),
    )
    .case(
        "shared-ksm-merged",
        // ksmd had scanned enough, and one page stayed apart.
        |o| {
            let k = ksm(o);
            k.full_scans = Evidence::Seen(6);
            k.merged[5].pfn = Some(Pfn(0x23_d43b));
        },
        no_ksm,
    )
    .case(
        "shared-ksm-split",
        |o| ksm(o).split.flags = KpageFlags::from_names(&["ANON", "KSM"]),
        no_ksm,
    )
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("shared", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["ksm"]["set"][2]["name"], "run");
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

fn verdict_of(o: &Observation, id: &str) -> Verdict {
    judge(o).into_iter().find(|c| c.id == id).unwrap().verdict
}

#[test]
fn an_unmerged_page_is_a_contradiction_only_once_ksmd_had_the_scans() {
    let mut o = holding();
    ksm(&mut o).merged[5].pfn = Some(Pfn(0x23_d43b));
    ksm(&mut o).full_scans = Evidence::Seen(1);
    let v = verdict_of(&o, "shared-ksm-merged");
    assert!(
        matches!(&v, Verdict::Unverifiable(r) if r.contains("full scans")),
        "{v:?}"
    );
    ksm(&mut o).full_scans = Evidence::Seen(ksm::SCANS_TO_MERGE);
    assert_eq!(verdict_of(&o, "shared-ksm-merged"), Verdict::Contradicted);
}

#[test]
fn the_narration_tells_the_ksm_settings_set_and_put_back_apart() {
    let steps = narrate(&holding());
    let text = &steps[4].narration;
    let set = text.find("pages_to_scan=10000, sleep_millisecs=10, run=1");
    let back = text.find("run=0, sleep_millisecs=20, pages_to_scan=100");
    assert!(set.is_some() && back.is_some() && set < back, "{text}");
    let mut o = holding();
    no_ksm(&mut o);
    assert!(narrate(&o)[4].narration.contains("needs root"));
}
