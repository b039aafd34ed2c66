//! The claims of vm-hugepages, decided from the record alone.

use super::thp::{self, huge_pages};
use super::{HugeRegion, Observation, SmallRegion};
use crate::addr::Pfn;
use crate::demos::exact_size;
use crate::demos::page::{frame_flags, frames, hex_list};
use crate::experiment::{Claim, Evidence};
use crate::frames::{KpageFlags, flag};
use crate::{claim, tr};

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        pmd_size(o),
        all_present(o),
        one_fault(o),
        pmd_mapped(o),
        anon_huge(o),
        one_frame(o),
        compound(o),
        small_one_present(o),
        small_faults(o),
    ]
}

/// Pages in a huge page.
fn pages(o: &Observation) -> usize {
    (o.huge_size / o.page_size) as usize
}

/// Whether the kernel gave the MADV_HUGEPAGE region a huge page by any account: more
/// than the written page present, a page mapped huge, or AnonHugePages.
fn got_huge(o: &Observation) -> bool {
    let h = &o.huge;
    let scanned = h
        .mapping
        .seen()
        .is_some_and(|m| huge_pages(m, h.va, pages(o), o.page_size).contains(&true));
    scanned || h.anon_huge > 0 || h.pages.iter().filter(|p| p.present()).count() > 1
}

/// `evidence`, unless the huge-page claims cannot be decided here (THP off, or the
/// kernel tried and fell back): then missing, with that reason.
fn gated<T>(o: &Observation, evidence: Evidence<T>) -> Evidence<T> {
    let h = &o.huge;
    let why = thp::why_undecidable(
        &o.thp,
        h.madvise_error.as_deref(),
        &h.thp_faults,
        got_huge(o),
        &exact_size(o.huge_size),
    );
    match why {
        Some(why) => Evidence::missing(why),
        None => evidence,
    }
}

fn pmd_size(o: &Observation) -> Claim {
    let entries = o.page_size / 8;
    let expected = entries * o.page_size;
    let evidence = Evidence::from_option(o.thp.pmd_size, || tr!("hugepages-no-pmd-size"));
    claim!(
        "hugepages-pmd-size",
        entries = entries,
        page = exact_size(o.page_size),
        size = exact_size(expected)
    )
    .on(evidence, |size| {
        let seen = tr!("hugepages-pmd-size-seen", size = exact_size(size));
        (seen, size == expected)
    })
}

fn all_present(o: &Observation) -> Claim {
    let n = pages(o);
    let present = o.huge.pages.iter().filter(|p| p.present()).count();
    let evidence = gated(o, Evidence::Seen(present));
    claim!(
        "hugepages-all-present",
        size = exact_size(o.huge_size),
        pages = n
    )
    .on(evidence, |present| {
        let seen = tr!("hugepages-present-seen", present = present, total = n);
        (seen, present == n && o.huge.pages.len() == n)
    })
}

fn one_fault(o: &Observation) -> Claim {
    let evidence = gated(o, Evidence::Seen(o.huge.faults));
    claim!("hugepages-one-fault").on(evidence, |faults| {
        let seen = tr!(
            "hugepages-one-fault-seen",
            faults = faults,
            warmup = o.warmup_faults
        );
        (seen, faults == 1)
    })
}

/// How many of the `n` pages of a region PAGEMAP_SCAN says a huge entry maps.
fn huge_count(
    mapping: &Evidence<Vec<thp::Mapped>>,
    va: crate::addr::VirtAddr,
    n: usize,
    ps: u64,
) -> Evidence<usize> {
    mapping
        .as_ref()
        .map(|m| huge_pages(m, va, n, ps).iter().filter(|&&h| h).count())
}

fn pmd_mapped(o: &Observation) -> Claim {
    let n = pages(o);
    let huge = huge_count(&o.huge.mapping, o.huge.va, n, o.page_size);
    let small = huge_count(&o.small.mapping, o.small.va, n, o.page_size);
    let evidence = gated(o, huge.zip(small));
    claim!("hugepages-pmd-mapped", pages = n).on(evidence, |(huge, small)| {
        let seen = tr!(
            "hugepages-pmd-mapped-seen",
            huge = huge,
            small = small,
            total = n
        );
        (seen, huge == n && small == 0)
    })
}

fn anon_huge(o: &Observation) -> Claim {
    let evidence = gated(o, Evidence::Seen(o.huge.anon_huge));
    claim!("hugepages-anon-huge", kb = o.huge_size / 1024).on(evidence, |bytes| {
        let seen = tr!("hugepages-anon-huge-seen", kb = bytes / 1024);
        (seen, bytes == o.huge_size)
    })
}

/// The frames of the huge region, if visible and the same at both readings.
fn stable_frames(h: &HugeRegion) -> Evidence<Vec<Pfn>> {
    match frames(&h.pages) {
        Evidence::Seen(f)
            if f.iter()
                .map(|&p| Some(p))
                .eq(h.frames_again.iter().copied()) =>
        {
            Evidence::Seen(f)
        }
        Evidence::Seen(_) => Evidence::missing(tr!("hugepages-frames-moved")),
        Evidence::Missing(m) => Evidence::Missing(m),
    }
}

fn one_frame(o: &Observation) -> Claim {
    let n = pages(o) as u64;
    let evidence = gated(o, stable_frames(&o.huge));
    claim!(
        "hugepages-one-frame",
        pages = n,
        size = exact_size(o.huge_size)
    )
    .on(evidence, |pfns| {
        let first = pfns.first().map_or(0, |p| p.0);
        let in_run = pfns
            .iter()
            .enumerate()
            .take_while(|(k, p)| p.0 == first + *k as u64)
            .count();
        let aligned = first.is_multiple_of(n);
        let seen = if in_run == pfns.len() {
            tr!(
                "hugepages-one-frame-seen",
                first = Pfn(first).to_string(),
                aligned = super::super::page::yes_no(aligned),
                pages = n
            )
        } else {
            let raw: Vec<u64> = pfns.iter().map(|p| p.0).collect();
            tr!("hugepages-not-one-run", pfns = hex_list(&raw), run = in_run)
        };
        (
            seen,
            in_run as u64 == n && pfns.len() as u64 == n && aligned,
        )
    })
}

/// THP plus `part` (COMPOUND_HEAD or COMPOUND_TAIL).
fn is_thp(f: &KpageFlags, part: u32) -> bool {
    f.has(flag::THP) && f.has(part)
}

fn compound(o: &Observation) -> Claim {
    let n = pages(o);
    let flags = stable_frames(&o.huge).zip(frame_flags(&o.huge.pages));
    let evidence = gated(o, flags.map(|(_, f)| f));
    claim!("hugepages-compound").on(evidence, |f| {
        let head = f.first().is_some_and(|h| is_thp(h, flag::COMPOUND_HEAD));
        let tails = f
            .iter()
            .skip(1)
            .filter(|x| is_thp(x, flag::COMPOUND_TAIL))
            .count();
        let first = f
            .first()
            .map_or(String::new(), |h| h.names().join(" ").to_lowercase());
        let seen = tr!(
            "hugepages-compound-seen",
            first = first,
            tails = tails,
            others = n.saturating_sub(1)
        );
        (seen, f.len() == n && head && tails == n - 1)
    })
}

/// The 4 KiB region's record, unless it cannot decide a claim: it may have had huge
/// pages after all (THP exists here but madvise(MADV_NOHUGEPAGE) failed), or it
/// differs from theory in a way moving pages explains (`moved_explains`: extra faults,
/// a page missing from pagemap while being moved) and the kernel moved pages.
fn small_region(o: &Observation, moved_explains: bool) -> Evidence<&SmallRegion> {
    let s = &o.small;
    if let (Some(error), None) = (&s.madvise_error, o.thp.forbids()) {
        return Evidence::missing(tr!("hugepages-nohuge-failed", error = error.as_str()));
    }
    match thp::explained(&s.migrated) {
        Some(why) if moved_explains => Evidence::missing(why),
        _ => Evidence::Seen(s),
    }
}

fn small_one_present(o: &Observation) -> Claim {
    let n = pages(o);
    let s = &o.small;
    // A page being moved reads as not present; moving never adds a page.
    let moved_explains = s.present_after_one == 0 && s.anon_huge == 0;
    claim!("hugepages-small-one-present").on(small_region(o, moved_explains), |s| {
        let seen = tr!(
            "hugepages-small-one-present-seen",
            present = s.present_after_one,
            total = n,
            kb = s.anon_huge / 1024
        );
        (seen, s.present_after_one == 1 && s.anon_huge == 0)
    })
}

fn small_faults(o: &Observation) -> Claim {
    let n = pages(o) as u64;
    let s = &o.small;
    let as_theory = s.first_faults == 1 && s.rest_faults == n - 1;
    let all = s.present_after_all as u64 == n;
    // Moving pages adds faults (and hides pages being moved); it never saves one.
    let moved_explains = !(as_theory && all) && s.first_faults >= 1 && s.rest_faults >= n - 1;
    claim!("hugepages-small-faults", pages = n).on(small_region(o, moved_explains), |s| {
        let seen = tr!(
            "hugepages-small-faults-seen",
            first = s.first_faults,
            rest = s.rest_faults,
            total = s.first_faults + s.rest_faults,
            present = s.present_after_all,
            pages = n
        );
        (seen, as_theory && all)
    })
}
