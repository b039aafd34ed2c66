//! The claims of vm-zeropage, each decided from the record alone.

use super::{Faults, Observation};
use crate::addr::Pfn;
use crate::demos::page::{Page, frames, hex_list, map_counts};
use crate::experiment::{Claim, Evidence};
use crate::frames::flag;
use crate::{claim, tr};

/// The claims, decided from the record alone: first what anyone may see, then what
/// needs root.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        read_present(o),
        read_faults(o),
        read_no_rss(o),
        read_shared(o),
        read_pfnzero(o),
        one_frame(o),
        is_zero_page(o),
        map_count(o),
        write_faults(o),
        written_exclusive(o),
        written_rss(o),
        written_pfnzero(o),
        new_frames(o),
    ]
}

/// The round's counts, unless the control round shows they were disturbed.
fn counted(f: &Faults) -> Evidence<Faults> {
    if f.control == 0 {
        Evidence::Seen(*f)
    } else {
        Evidence::missing(tr!("zeropage-control-faulted", control = f.control))
    }
}

fn faults_seen(f: &Faults) -> String {
    tr!(
        "zeropage-faults-seen",
        first = f.first,
        again = f.again,
        control = f.control
    )
}

/// The pages' exclusive bits, when every page is present (only a present page's bit
/// says anything).
fn exclusive_bits(pages: &[Page], expected: u64) -> Evidence<Vec<bool>> {
    if pages.len() as u64 == expected && pages.iter().all(Page::present) {
        Evidence::Seen(pages.iter().map(|p| p.exclusive).collect())
    } else {
        Evidence::missing(tr!("zeropage-pages-missing"))
    }
}

/// Indices of the `true`s.
fn indices(bits: &[bool]) -> Vec<u64> {
    (0..bits.len() as u64)
        .filter(|&i| bits[i as usize])
        .collect()
}

fn read_present(o: &Observation) -> Claim {
    let pages = &o.read.pages;
    let evidence = Evidence::from_option(Some(pages).filter(|p| p.len() as u64 == o.pages), || {
        tr!("zeropage-pages-missing")
    });
    claim!("zeropage-read-present", pages = o.pages).on(evidence, |pages| {
        let n = pages.iter().filter(|p| p.present()).count() as u64;
        (
            tr!("zeropage-present-seen", present = n, pages = o.pages),
            n == o.pages,
        )
    })
}

fn read_faults(o: &Observation) -> Claim {
    let f = &o.read.faults;
    claim!("zeropage-read-faults", pages = o.pages).on(counted(f), |f| {
        (faults_seen(&f), f.first == o.pages && f.again == 0)
    })
}

fn read_no_rss(o: &Observation) -> Claim {
    let r = &o.read;
    let evidence = r.rss_before.clone().zip(r.rss_after.clone());
    claim!("zeropage-read-no-rss").on(evidence, |(before, after)| {
        (
            tr!(
                "zeropage-rss-before-after",
                before = before / 1024,
                after = after / 1024,
                pages = o.pages
            ),
            before == 0 && after == 0,
        )
    })
}

fn read_shared(o: &Observation) -> Claim {
    claim!("zeropage-read-shared").on(exclusive_bits(&o.read.pages, o.pages), |bits| {
        let n = bits.iter().filter(|&&b| b).count();
        (
            tr!("zeropage-exclusive-seen", exclusive = n, pages = o.pages),
            n == 0,
        )
    })
}

fn read_pfnzero(o: &Observation) -> Claim {
    claim!("zeropage-read-pfnzero").on(o.read.pfnzero.clone(), |zero| {
        let n = zero.iter().filter(|&&z| z).count() as u64;
        (
            tr!("zeropage-pfnzero-seen", zero = n, pages = o.pages),
            n == o.pages && zero.len() as u64 == o.pages,
        )
    })
}

fn distinct(pfns: &[Pfn]) -> Vec<u64> {
    let mut d: Vec<u64> = pfns.iter().map(|p| p.0).collect();
    d.sort_unstable();
    d.dedup();
    d
}

fn one_frame(o: &Observation) -> Claim {
    claim!("zeropage-one-frame", pages = o.pages).on(frames(&o.read.pages), |pfns| {
        let d = distinct(&pfns);
        (
            tr!(
                "zeropage-distinct-seen",
                distinct = d.len(),
                list = hex_list(&d)
            ),
            d.len() == 1 && pfns.len() as u64 == o.pages,
        )
    })
}

fn is_zero_page(o: &Observation) -> Claim {
    let flags = match o.read.pages.first() {
        Some(p) => p.frame_flags(),
        None => Evidence::missing(tr!("zeropage-pages-missing")),
    };
    claim!("zeropage-is-zero-page").on(flags, |f| {
        let names = f.names().join(" ").to_lowercase();
        (
            tr!("zeropage-flags-seen", flags = names),
            f.has(flag::ZERO_PAGE),
        )
    })
}

/// The zero page's map count once mapped by one page of ours and by all of them, and
/// the same for the ordinary frame.
fn map_count(o: &Observation) -> Claim {
    let (r, f) = (&o.read, &o.ordinary);
    let zero = match r.pages.first() {
        Some(all) => map_counts(&[r.first_alone.clone(), all.clone()]),
        None => Evidence::missing(tr!("zeropage-pages-missing")),
    };
    let ordinary = map_counts(&[f.after_one.clone(), f.after_all.clone()]);
    claim!("zeropage-map-count", pages = o.pages).on(zero.zip(ordinary), |(z, c)| {
        let seen = tr!(
            "zeropage-map-count-seen",
            zero_one = z[0],
            zero_all = z[1],
            one = c[0],
            all = c[1],
            pages = f.mappings
        );
        (seen, z == [0, 0] && c == [1, f.mappings])
    })
}

fn write_faults(o: &Observation) -> Claim {
    let n = o.written.len() as u64;
    claim!("zeropage-write-faults", written = n).on(counted(&o.write.faults), |f| {
        (faults_seen(&f), f.first == n && f.again == 0)
    })
}

fn written_exclusive(o: &Observation) -> Claim {
    let pages = &o.write.pages;
    claim!(
        "zeropage-written-exclusive",
        written = format!("{:?}", o.written)
    )
    .on(exclusive_bits(pages, o.pages), |bits| {
        let own = indices(&bits);
        (
            tr!("zeropage-exclusive-pages", pages = format!("{own:?}")),
            own == o.written,
        )
    })
}

fn written_rss(o: &Observation) -> Claim {
    let n = o.written.len() as u64;
    let kib = o.page_size / 1024;
    claim!(
        "zeropage-written-rss",
        written = n,
        kib = kib,
        total = n * kib
    )
    .on(o.write.rss.clone(), |rss| {
        (
            tr!("zeropage-rss-seen", rss = rss / 1024),
            rss == n * o.page_size,
        )
    })
}

fn written_pfnzero(o: &Observation) -> Claim {
    claim!("zeropage-written-pfnzero").on(o.write.pfnzero.clone(), |zero| {
        let left: Vec<u64> = o
            .written
            .iter()
            .copied()
            .filter(|&i| zero.get(i as usize).copied().unwrap_or(true))
            .collect();
        let expect: Vec<u64> = (0..o.pages).filter(|i| !o.written.contains(i)).collect();
        (
            tr!(
                "zeropage-pfnzero-after-write",
                zero = zero.iter().filter(|&&z| z).count(),
                written = format!("{left:?}")
            ),
            indices(&zero) == expect,
        )
    })
}

fn new_frames(o: &Observation) -> Claim {
    let whole = o.read.pages.len() as u64 == o.pages && o.write.pages.len() as u64 == o.pages;
    let evidence = if whole {
        frames(&o.read.pages).zip(frames(&o.write.pages))
    } else {
        Evidence::missing(tr!("zeropage-pages-missing"))
    };
    claim!("zeropage-new-frames").on(evidence, |(before, after)| {
        let zero = before.first().copied().unwrap_or(Pfn(0));
        let own: Vec<Pfn> = o.written.iter().map(|&i| after[i as usize]).collect();
        let raw: Vec<u64> = own.iter().map(|p| p.0).collect();
        let unwritten: Vec<usize> = (0..after.len())
            .filter(|i| !o.written.contains(&(*i as u64)))
            .collect();
        let still = unwritten.iter().filter(|&&i| after[i] == zero).count();
        let holds =
            distinct(&own).len() == own.len() && !own.contains(&zero) && still == unwritten.len();
        let seen = tr!(
            "zeropage-new-frames-seen",
            own = hex_list(&raw),
            zero = zero.to_string(),
            still = still,
            unwritten = unwritten.len()
        );
        (seen, holds)
    })
}
