//! vm-dirty's claims, judged from synthetic records: one where everything holds (the
//! numbers a root run shows here, on a kernel that has soft-dirty), and for each
//! claim one that contradicts it and one that takes its evidence away.

use super::accessed::Accessed;
use super::file::SharedFile;
use super::private::Private;
use super::scan::Scan;
use super::soft_dirty::{KernelConfig, SoftDirty};
use super::*;
use crate::addr::Pfn;
use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
use crate::experiment::Verdict;
use crate::frames::{KpageFlags, flag};
use crate::pagemap::PageState;

const PS: u64 = 4096;
const VA: u64 = 0x7ff5_1090_6000;

fn flags(bits: &[u32]) -> Option<KpageFlags> {
    Some(KpageFlags(bits.iter().fold(0u64, |w, b| w | (1u64 << b))))
}

fn page(i: usize, pfn: u64, map_count: u64, flags: Option<KpageFlags>) -> Page {
    Page {
        va: VirtAddr(VA + i as u64 * PS),
        state: PageState::Present,
        pfn: Some(Pfn(pfn)),
        map_count: Some(map_count),
        exclusive: map_count == 1,
        file_or_shared: false,
        flags,
    }
}

fn smaps(perms: &str, rss: u64, dirty: u64, referenced: u64) -> Smaps {
    Smaps {
        perms: perms.into(),
        rss,
        private_dirty: dirty,
        shared_dirty: 0,
        referenced,
    }
}

/// (a): written pages have frames of their own, read ones map the zero page.
fn private() -> Private {
    let anon = flags(&[flag::UPTODATE, flag::MMAP, flag::ANON, flag::SWAPBACKED]);
    let zero = flags(&[flag::ZERO_PAGE, flag::RESERVED]);
    let pages = (0..PAGES)
        .map(|i| match WRITTEN.contains(&i) {
            true => page(i, 0x4f_b400 + i as u64, 1, anon),
            false => page(i, 0x3b36, 0, zero),
        })
        .collect();
    let per_page = (0..PAGES)
        .map(|i| match WRITTEN.contains(&i) {
            true => smaps("rw-p", PS, PS, PS),
            false => smaps("rw-p", 0, 0, 0),
        })
        .collect();
    Private {
        va: VirtAddr(VA),
        written: WRITTEN.to_vec(),
        pages,
        smaps: Evidence::Seen(per_page),
    }
}

/// (b): page 1 of a 4-page file goes DIRTY, clean after msync, DIRTY again.
fn file() -> SharedFile {
    let clean = flags(&[flag::UPTODATE, flag::LRU, flag::MMAP]);
    let dirty = flags(&[flag::UPTODATE, flag::DIRTY, flag::LRU, flag::MMAP]);
    let pages = |written: Option<KpageFlags>| -> Vec<Page> {
        (0..4)
            .map(|i| {
                let mut p = page(i, 0x3e_5200 + 7 * i as u64, 1, clean);
                p.file_or_shared = true;
                if i == 1 {
                    p.flags = written;
                }
                p
            })
            .collect()
    };
    let shared = |dirty| Smaps {
        shared_dirty: 0,
        ..smaps("rw-s", 4 * PS, dirty, 4 * PS)
    };
    SharedFile {
        dir: "/tmp".into(),
        va: VirtAddr(0x7ff5_10bf_4000),
        written: 1,
        perms: Evidence::Seen("rw-s".into()),
        clean: pages(clean),
        dirty: pages(dirty),
        synced: pages(clean),
        redirtied: pages(dirty),
        smaps_after_write: Evidence::Seen(shared(PS)),
        smaps_after_msync: Evidence::Seen(shared(0)),
        faults_before_msync: 0,
        faults_after_msync: 1,
    }
}

/// (c): every page referenced, none after clear_refs 1, the touched ones after.
fn accessed() -> Accessed {
    let referenced = |set: &[usize]| {
        Evidence::Seen(
            (0..PAGES)
                .map(|i| smaps("rw-p", PS, PS, if set.contains(&i) { PS } else { 0 }))
                .collect(),
        )
    };
    Accessed {
        va: VirtAddr(VA),
        touched: TOUCHED.to_vec(),
        before: referenced(&[0, 1, 2, 3, 4, 5, 6, 7]),
        cleared: referenced(&[]),
        after_touch: referenced(&TOUCHED),
    }
}

fn config(value: Option<&str>) -> KernelConfig {
    KernelConfig {
        option: "CONFIG_MEM_SOFT_DIRTY".into(),
        source: Some("/proc/config.gz".into()),
        value: value.map(String::from),
    }
}

/// (d), on a kernel built with soft-dirty: bit 55 on the written pages only.
fn soft_dirty() -> SoftDirty {
    SoftDirty {
        va: VirtAddr(VA),
        written: WRITTEN.to_vec(),
        perms: Evidence::Seen("rw-p".into()),
        config: config(Some("y")),
        clear_refs_failed: None,
        bits: Evidence::Seen(marks(&WRITTEN)),
    }
}

/// (e): nothing written after protecting; then the written pages, unprotected.
fn scan() -> Scan {
    let written = marks(&WRITTEN);
    Scan {
        va: VirtAddr(VA),
        written: WRITTEN.to_vec(),
        perms: Evidence::Seen("rw-p".into()),
        written_before: vec![false; PAGES],
        written_after: written.clone(),
        wp_before: Evidence::Seen(vec![true; PAGES]),
        wp_after: Evidence::Seen(written.iter().map(|w| !w).collect()),
    }
}

/// What a root run shows when everything goes as theory says.
fn holding() -> Observation {
    Observation {
        page_size: PS,
        private: private(),
        file: Evidence::Seen(file()),
        accessed: Evidence::Seen(accessed()),
        soft_dirty: soft_dirty(),
        scan: Evidence::Seen(scan()),
    }
}

fn f(o: &mut Observation) -> &mut SharedFile {
    match &mut o.file {
        Evidence::Seen(f) => f,
        Evidence::Missing(_) => unreachable!("the holding record has the file"),
    }
}

fn c(o: &mut Observation) -> &mut Accessed {
    match &mut o.accessed {
        Evidence::Seen(c) => c,
        Evidence::Missing(_) => unreachable!("the holding record has (c)"),
    }
}

fn s(o: &mut Observation) -> &mut Scan {
    match &mut o.scan {
        Evidence::Seen(s) => s,
        Evidence::Missing(_) => unreachable!("the holding record has (e)"),
    }
}

fn smaps_of(e: &mut Evidence<Vec<Smaps>>) -> &mut Vec<Smaps> {
    match e {
        Evidence::Seen(v) => v,
        Evidence::Missing(_) => unreachable!("the holding record has smaps"),
    }
}

fn smaps_one(e: &mut Evidence<Smaps>) -> &mut Smaps {
    match e {
        Evidence::Seen(v) => v,
        Evidence::Missing(_) => unreachable!("the holding record has smaps"),
    }
}

/// Frame flags hidden, as an unprivileged run sees them.
fn hide_flags(pages: &mut [Page]) {
    for p in pages {
        p.pfn = None;
        p.map_count = None;
        p.flags = None;
    }
}

pub(crate) fn claim_tests() -> ClaimTests {
    let add_dirty =
        |p: &mut Page| p.flags = p.flags.map(|x| KpageFlags(x.0 | (1u64 << flag::DIRTY)));
    claims_of(judge, holding())
        .case(
            "dirty-private-present",
            |o| o.private.pages[1].state = PageState::Absent,
            |o| o.private.pages.truncate(4),
        )
        .case(
            "dirty-private-dirty",
            |o| smaps_of(&mut o.private.smaps)[1].private_dirty = PS,
            |o| o.private.smaps = Evidence::missing("the kernel merged the regions"),
        )
        .case(
            "dirty-file-dirty",
            move |o| add_dirty(&mut f(o).dirty[2]),
            |o| hide_flags(&mut f(o).dirty),
        )
        .case(
            "dirty-file-smaps",
            |o| smaps_one(&mut f(o).smaps_after_write).private_dirty = 0,
            |o| f(o).smaps_after_write = Evidence::missing("smaps unreadable"),
        )
        .case(
            "dirty-file-msync",
            move |o| add_dirty(&mut f(o).synced[1]),
            |o| hide_flags(&mut f(o).synced),
        )
        .case(
            "dirty-file-pte-clean",
            |o| smaps_one(&mut f(o).smaps_after_msync).private_dirty = PS,
            |o| f(o).smaps_after_msync = Evidence::missing("smaps unreadable"),
        )
        .case(
            "dirty-file-refault",
            |o| f(o).faults_after_msync = 0,
            |o| o.file = Evidence::missing("no disk-backed directory"),
        )
        .case(
            "dirty-accessed-cleared",
            |o| smaps_of(&mut c(o).cleared)[3].referenced = PS,
            |o| c(o).cleared = Evidence::missing("the kernel merged the regions"),
        )
        .case(
            "dirty-accessed-touched",
            |o| smaps_of(&mut c(o).after_touch)[0].referenced = PS,
            |o| o.accessed = Evidence::missing("clear_refs: permission denied"),
        )
        .case(
            "dirty-soft-dirty",
            |o| o.soft_dirty.bits = Evidence::Seen(vec![true; PAGES]),
            compiled_out,
        )
        .case(
            "dirty-scan-written",
            |o| s(o).written_after[7] = true,
            |o| o.scan = Evidence::missing("userfaultfd: operation not permitted"),
        )
        .case(
            "dirty-scan-protection-lifted",
            |o| s(o).wp_after = Evidence::Seen(vec![true; PAGES]),
            |o| s(o).wp_after = Evidence::missing("pagemap unreadable"),
        )
        .done()
}

/// This machine: `# CONFIG_MEM_SOFT_DIRTY is not set`, and bit 55 always 0.
fn compiled_out(o: &mut Observation) {
    o.soft_dirty.config = config(None);
    o.soft_dirty.bits = Evidence::Seen(vec![false; PAGES]);
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("dirty", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

#[test]
fn soft_dirty_is_decided_only_where_the_kernel_has_it() {
    let verdict = |change: fn(&mut SoftDirty)| {
        let mut d = soft_dirty();
        change(&mut d);
        soft_dirty::judge(&d).verdict
    };
    let reason = |v: Verdict| match v {
        Verdict::Unverifiable(r) => r,
        other => panic!("{other:?}"),
    };
    // Compiled out: the reason quotes the configuration line.
    let r = reason(verdict(|d| {
        d.config = config(None);
        d.bits = Evidence::Seen(vec![false; PAGES]);
    }));
    assert!(
        r.contains("/proc/config.gz: # CONFIG_MEM_SOFT_DIRTY is not set"),
        "{r}"
    );
    // No configuration to read and no bit set: it seems to lack soft-dirty.
    let r = reason(verdict(|d| {
        d.config.source = None;
        d.bits = Evidence::Seen(vec![false; PAGES]);
    }));
    assert!(r.contains("not readable"), "{r}");
    // No configuration, but bits set: the kernel has it, and it is judged.
    assert_eq!(verdict(|d| d.config.source = None), Verdict::Holds);
    // Built in, but bit 55 on no page: contradicted, not excused.
    assert_eq!(
        verdict(|d| d.bits = Evidence::Seen(vec![false; PAGES])),
        Verdict::Contradicted
    );
    // clear_refs refused: its reason.
    let r = reason(verdict(|d| d.clear_refs_failed = Some("EACCES".into())));
    assert_eq!(r, "EACCES");
}

#[test]
fn the_accessed_bit_is_explained_once_and_right() {
    // Set on a page walk, not on every use: the about text and step (c) agree.
    let about = tr!("dirty-about");
    assert!(about.contains("walks the page table"), "{about}");
    assert!(!about.contains("every use"), "{about}");
    let steps = narrate(&holding());
    assert_eq!(steps.len(), 5);
    assert!(steps[2].narration.contains("TLB"), "{}", steps[2].narration);
}

#[test]
fn a_part_that_could_not_run_says_why() {
    let mut o = holding();
    o.file = Evidence::missing("no writable directory on a disk-backed filesystem");
    let steps = narrate(&o);
    assert!(
        steps[1].narration.contains("no writable directory"),
        "{}",
        steps[1].narration
    );
    let claims = judge(&o);
    let file: Vec<_> = claims
        .iter()
        .filter(|c| c.id.starts_with("dirty-file-"))
        .collect();
    assert_eq!(file.len(), 5);
    assert!(
        file.iter()
            .all(|c| matches!(c.verdict, Verdict::Unverifiable(_)))
    );
}
