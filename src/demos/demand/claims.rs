//! The claims of vm-demand, each decided from the record alone.

use super::{BeyondRamStep, Faults, MapResult, Observation, SmallMapping};
use crate::demos::page::{frames, hex_list};
use crate::experiment::{Claim, Evidence};
use crate::{claim, tr};

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        reserves_addresses(o),
        none_present(o),
        touch_faults(o),
        touched_present(o),
        touched_rss(o),
        own_frames(o),
        plain_is_lazy(o),
        populate_is_eager(o),
        heuristic_refuses(&o.beyond_ram),
        noreserve_maps(&o.beyond_ram),
    ]
}

/// The measured fault count, unless the control round shows the measurement was
/// disturbed.
fn counted(f: &Faults) -> Evidence<u64> {
    if f.control == 0 {
        Evidence::Seen(f.measured)
    } else {
        Evidence::missing(tr!("demand-control-faulted", control = f.control))
    }
}

fn reserves_addresses(o: &Observation) -> Claim {
    let m = &o.map;
    let growth = m.after.vm_size.saturating_sub(m.before.vm_size);
    claim!("demand-reserves", gib = m.bytes >> 30).on(m.region_rss.clone(), |rss| {
        (
            tr!(
                "demand-reserves-seen",
                growth = growth / 1024,
                rss = rss / 1024
            ),
            growth == m.bytes && rss == 0,
        )
    })
}

fn none_present(o: &Observation) -> Claim {
    let m = &o.map;
    claim!("demand-none-present", pages = m.pages).on(m.present.clone(), |p| {
        (
            tr!("demand-present-seen", present = p.len(), pages = m.pages),
            p.is_empty(),
        )
    })
}

fn touch_faults(o: &Observation) -> Claim {
    let t = &o.touch;
    let n = t.indices.len() as u64;
    claim!("demand-touch-faults", touched = n).on(counted(&t.faults), |f| {
        (
            tr!("demand-faults-seen", faults = f, control = t.faults.control),
            f == n,
        )
    })
}

fn touched_present(o: &Observation) -> Claim {
    let t = &o.touch;
    claim!("demand-touched-present", touched = t.indices.len()).on(t.present.clone(), |p| {
        let untouched = p.iter().filter(|i| !t.indices.contains(i)).count();
        (
            tr!(
                "demand-touched-present-seen",
                present = p.len(),
                untouched = untouched
            ),
            p == t.indices,
        )
    })
}

fn touched_rss(o: &Observation) -> Claim {
    let t = &o.touch;
    let n = t.indices.len() as u64;
    let kib = o.page_size / 1024;
    claim!(
        "demand-touched-rss",
        touched = n,
        kib = kib,
        total = n * kib
    )
    .on(t.region_rss.clone(), |rss| {
        (
            tr!("demand-rss-seen", rss = rss / 1024),
            rss == n * o.page_size,
        )
    })
}

fn own_frames(o: &Observation) -> Claim {
    let t = &o.touch;
    let n = t.indices.len();
    claim!("demand-own-frames", touched = n).on(frames(&t.pages), |pfns| {
        let raw: Vec<u64> = pfns.iter().map(|p| p.0).collect();
        let mut distinct = raw.clone();
        distinct.sort_unstable();
        distinct.dedup();
        (
            tr!(
                "demand-frames-seen",
                distinct = distinct.len(),
                list = hex_list(&raw)
            ),
            distinct.len() == n && raw.len() == n,
        )
    })
}

/// A small mapping's evidence: present pages after mmap and the faults of writing
/// every page, as `(mmap faults, present, write faults)`.
fn small_evidence(m: &SmallMapping) -> Evidence<(u64, u64, u64)> {
    m.present_after_mmap
        .clone()
        .zip(counted(&m.writes))
        .map(|(present, writes)| (m.mmap_faults, present, writes))
}

fn small_seen((mmap, present, writes): (u64, u64, u64)) -> String {
    tr!(
        "demand-small-seen",
        mmap = mmap,
        present = present,
        writes = writes
    )
}

fn plain_is_lazy(o: &Observation) -> Claim {
    let n = o.small.pages;
    claim!("demand-plain-lazy", pages = n).on(small_evidence(&o.small.plain), |seen| {
        (small_seen(seen), seen == (0, 0, n))
    })
}

fn populate_is_eager(o: &Observation) -> Claim {
    let n = o.small.pages;
    claim!("demand-populate-eager", pages = n).on(small_evidence(&o.small.populated), |seen| {
        (small_seen(seen), seen == (n, n, 0))
    })
}

/// The overcommit mode, if it is the heuristic one (0): the only mode whose rule the
/// claim states.
fn heuristic_mode(b: &BeyondRamStep) -> Evidence<()> {
    match &b.overcommit {
        Evidence::Seen(mode) if mode == "0" => Evidence::Seen(()),
        Evidence::Seen(mode) => {
            Evidence::missing(tr!("demand-not-heuristic", mode = mode.as_str()))
        }
        Evidence::Missing(m) => Evidence::Missing(m.clone()),
    }
}

fn heuristic_refuses(b: &BeyondRamStep) -> Claim {
    let evidence = b.attempt.clone().zip(heuristic_mode(b));
    claim!("demand-heuristic-refuses", gib = b.bytes >> 30).on(evidence, |(a, ())| {
        let refused_enomem = matches!(&a.plain, MapResult::Refused { errno } if errno == "ENOMEM");
        (map_result_text(&a.plain), refused_enomem)
    })
}

fn map_result_text(r: &MapResult) -> String {
    match r {
        MapResult::Mapped => tr!("demand-mapped"),
        MapResult::Refused { errno } => tr!("demand-refused", errno = errno.as_str()),
    }
}

fn noreserve_maps(b: &BeyondRamStep) -> Claim {
    // Refused: the kernel's answer is the evidence. Mapped: so is the region's Rss.
    let evidence = match &b.attempt {
        Evidence::Missing(m) => Evidence::Missing(m.clone()),
        Evidence::Seen(a) => match &a.noreserve {
            refused @ MapResult::Refused { .. } => Evidence::Seen(Err(map_result_text(refused))),
            MapResult::Mapped => a.region_rss.clone().map(|rss| Ok((a.vm_size_growth, rss))),
        },
    };
    let ram_gib = (b.ram + b.swap).div_ceil(1 << 30);
    claim!("demand-noreserve", gib = b.bytes >> 30, ram = ram_gib).on(evidence, |seen| match seen {
        Ok((growth, rss)) => (
            tr!(
                "demand-noreserve-seen",
                growth = growth >> 30,
                rss = rss / 1024
            ),
            growth == b.bytes && rss == 0,
        ),
        Err(refused) => (refused, false),
    })
}
