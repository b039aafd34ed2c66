//! (a) Private pages: the written ones dirty, the read ones clean.
//!
//! Each page is a region of its own, so smaps `Private_Dirty` speaks of each page: the
//! MMU set the dirty bit of the written pages' entries, and the read ones map the shared
//! zero page, read-only, which no write has touched.

use serde::{Deserialize, Serialize};

use super::{
    PAGES, Smaps, WRITTEN, flags_text, kib, kib_list, marks, me, one_region_per_page, page_list,
    per_page_smaps,
};
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::page::{Page, frame_text};
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::{claim, tr};

/// What (a) saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Private {
    pub va: VirtAddr,
    /// The pages written; the others were only read.
    pub written: Vec<usize>,
    /// Every page, after the writes and reads.
    pub pages: Vec<Page>,
    /// Every page's smaps record, then.
    pub smaps: Evidence<Vec<Smaps>>,
}

/// Writes the [`WRITTEN`] pages, reads the others, and looks.
pub fn gather(lab: &Lab) -> Result<Private> {
    let ps = lab.page_size() as usize;
    let mut mem = one_region_per_page(ps)?;
    let base = mem.as_mut_ptr();
    let mut read_sum = 0u8;
    for p in 0..PAGES {
        // SAFETY: p < PAGES, so the address is inside the mapping, which is read-write.
        unsafe {
            if WRITTEN.contains(&p) {
                std::ptr::write_volatile(base.add(p * ps), 0xD1);
            } else {
                read_sum = read_sum.wrapping_add(std::ptr::read_volatile(base.add(p * ps)));
            }
        }
    }
    std::hint::black_box(read_sum);
    let va = base as u64;
    Ok(Private {
        va: VirtAddr(va),
        written: WRITTEN.to_vec(),
        pages: lab.snapshot(me(), va, PAGES)?,
        smaps: per_page_smaps(va, PAGES, ps as u64),
    })
}

pub fn narrate(a: &Private) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("pages-header-va"),
        tr!("dirty-header-perms"),
        tr!("dirty-header-access"),
        tr!("pages-header-pfn"),
        tr!("pages-header-flags"),
        "Rss".into(),
        "Private_Dirty".into(),
    ]);
    let smaps = a.smaps.seen();
    for (i, p) in a.pages.iter().enumerate() {
        let s = smaps.and_then(|s| s.get(i));
        let or_unknown = |f: fn(&Smaps) -> String| s.map_or("?".into(), f);
        t.row(vec![
            i.to_string(),
            p.va.hex(),
            or_unknown(|s| s.perms.clone()),
            if a.written.contains(&i) {
                tr!("dirty-written")
            } else {
                tr!("dirty-read")
            },
            frame_text(p),
            flags_text(p),
            or_unknown(|s| kib(s.rss)),
            or_unknown(|s| kib(s.private_dirty)),
        ]);
    }
    Step::show(
        tr!(
            "dirty-step-private",
            pages = a.pages.len(),
            va = a.va.hex(),
            written = page_list(&a.written)
        ),
        t,
    )
}

pub fn judge(a: &Private, page_size: u64) -> Vec<Claim> {
    vec![present(a), dirty(a, page_size)]
}

/// Read or written, every page is in the page table: a read of never-written private
/// memory maps the shared zero page.
fn present(a: &Private) -> Claim {
    let evidence = if a.pages.len() == PAGES {
        Evidence::Seen(a.pages.iter().filter(|p| p.present()).count())
    } else {
        Evidence::missing(tr!("dirty-pages-missing"))
    };
    claim!("dirty-private-present", pages = PAGES).on(evidence, |n| {
        (
            tr!("dirty-present-seen", present = n, pages = PAGES),
            n == PAGES,
        )
    })
}

/// smaps Private_Dirty: one page on each written page, nothing on the read ones.
fn dirty(a: &Private, page_size: u64) -> Claim {
    let expect: Vec<u64> = marks(&a.written)
        .iter()
        .map(|&w| if w { page_size } else { 0 })
        .collect();
    claim!(
        "dirty-private-dirty",
        page = kib(page_size),
        written = page_list(&a.written)
    )
    .on(a.smaps.clone(), |s| {
        let seen: Vec<u64> = s.iter().map(|s| s.private_dirty).collect();
        (
            tr!("dirty-private-dirty-seen", list = kib_list(seen.clone())),
            seen == expect,
        )
    })
}
