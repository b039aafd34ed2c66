//! (e) PAGEMAP_SCAN's PAGE_IS_WRITTEN, in a range under userfaultfd asynchronous
//! write-protection.
//!
//! Every page is write-protected (pagemap bit 57, uffd-wp); a write lifts the
//! protection of the page written, and PAGEMAP_SCAN reports that page as written: a
//! per-page record of writes, like soft-dirty, on kernels from 6.7. The scan is
//! [`crate::pagemap::Pagemap::page_regions`]; the userfaultfd is made in `uffd.rs`.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::{PAGES, WRITTEN, bits, err, marks, me, page_list, pagemap_bits, region_smaps, uffd};
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::page::yes_no;
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::pagemap::scan::{Masks, PAGE_IS_WRITTEN, pages_with};
use crate::pagemap::{PageEntry, Pagemap};
use crate::{claim, tr};

/// What (e) saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub va: VirtAddr,
    /// The pages written while protected.
    pub written: Vec<usize>,
    pub perms: Evidence<String>,
    /// PAGEMAP_SCAN's PAGE_IS_WRITTEN per page, right after write-protecting, and
    /// after the writes.
    pub written_before: Vec<bool>,
    pub written_after: Vec<bool>,
    /// Pagemap bit 57 (uffd-wp) per page, before and after the writes.
    pub wp_before: Evidence<Vec<bool>>,
    pub wp_after: Evidence<Vec<bool>>,
}

/// What the scan and the pagemap showed, before and after the writes.
type Seen = (
    Vec<bool>,
    Vec<bool>,
    Evidence<Vec<bool>>,
    Evidence<Vec<bool>>,
);

/// Write-protects [`PAGES`] written pages, writes the [`WRITTEN`] ones, and scans
/// before and after. Missing when the kernel refuses the userfaultfd or the scan.
pub fn gather(lab: &Lab) -> Result<Evidence<Scan>> {
    let ps = lab.page_size();
    let mut mem = MmapMut::map_anon(PAGES * ps as usize).map_err(err("mmap"))?;
    mem.fill(1);
    let va = mem.as_ptr() as u64;
    let uffd = match uffd::protect(va, PAGES as u64 * ps) {
        Ok(fd) => fd,
        Err(reason) => return Ok(Evidence::missing(reason)),
    };
    let seen = watch_writes(&mut mem, ps);
    drop(uffd);
    let perms = region_smaps(va).map(|s| s.perms);
    Ok(match seen {
        Ok((written_before, written_after, wp_before, wp_after)) => Evidence::Seen(Scan {
            va: VirtAddr(va),
            written: WRITTEN.to_vec(),
            perms,
            written_before,
            written_after,
            wp_before,
            wp_after,
        }),
        Err(reason) => Evidence::missing(reason),
    })
}

/// Scans and reads the uffd-wp bits, writes the [`WRITTEN`] pages, and again.
fn watch_writes(mem: &mut MmapMut, ps: u64) -> std::result::Result<Seen, String> {
    let va = mem.as_ptr() as u64;
    let written_before = written(va, ps)?;
    let wp_before = pagemap_bits(va, PAGES, ps, PageEntry::uffd_wp);
    for &p in &WRITTEN {
        mem[p * ps as usize] = 2;
    }
    let written_after = written(va, ps)?;
    let wp_after = pagemap_bits(va, PAGES, ps, PageEntry::uffd_wp);
    Ok((written_before, written_after, wp_before, wp_after))
}

/// Pages of `[start, start + PAGES pages)` that PAGEMAP_SCAN reports written.
fn written(start: u64, ps: u64) -> std::result::Result<Vec<bool>, String> {
    let masks = Masks {
        all_of: PAGE_IS_WRITTEN,
        returned: PAGE_IS_WRITTEN,
        ..Masks::default()
    };
    let regions = Pagemap::open(me())
        .and_then(|pm| pm.page_regions(start, start + PAGES as u64 * ps, masks))
        .map_err(|e| tr!("dirty-scan-failed", error = e.to_string()))?;
    Ok(pages_with(&regions, start, PAGES, ps, PAGE_IS_WRITTEN))
}

pub fn narrate(s: &Scan) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("dirty-header-perms"),
        tr!("dirty-header-written"),
        tr!("dirty-header-written-before"),
        tr!("dirty-header-written-after"),
        tr!("dirty-header-wp-before"),
        tr!("dirty-header-wp-after"),
    ]);
    let perms = s.perms.seen().cloned().unwrap_or_else(|| "?".into());
    let at = |v: &[bool], p: usize| v.get(p).map_or("?".into(), |&b| yes_no(b));
    let none = Vec::new();
    let wp = |e: &Evidence<Vec<bool>>| e.seen().cloned().unwrap_or_else(|| none.clone());
    let (wp_before, wp_after) = (wp(&s.wp_before), wp(&s.wp_after));
    for p in 0..PAGES {
        t.row(vec![
            p.to_string(),
            perms.clone(),
            yes_no(s.written.contains(&p)),
            at(&s.written_before, p),
            at(&s.written_after, p),
            at(&wp_before, p),
            at(&wp_after, p),
        ]);
    }
    Step::show(
        tr!(
            "dirty-step-scan",
            pages = PAGES,
            va = s.va.hex(),
            written = page_list(&s.written)
        ),
        t,
    )
}

/// The claims of (e); unverifiable, with the reason, when the kernel refused.
pub fn judge(scan: &Evidence<Scan>) -> Vec<Claim> {
    let written = scan
        .seen()
        .map_or_else(|| page_list(&WRITTEN), |s| page_list(&s.written));
    let reports = claim!("dirty-scan-written", written = written.as_str());
    let lifts = claim!("dirty-scan-protection-lifted", written = written.as_str());
    let Evidence::Seen(s) = scan else {
        let why = scan.reason().unwrap_or_default();
        return vec![reports.unverifiable(why), lifts.unverifiable(why)];
    };
    let expect = marks(&s.written);
    let reports = reports.decide(
        tr!(
            "dirty-scan-written-seen",
            before = bits(&s.written_before),
            after = bits(&s.written_after)
        ),
        !s.written_before.contains(&true) && s.written_after == expect,
    );
    let unwritten: Vec<bool> = expect.iter().map(|w| !w).collect();
    let evidence = s.wp_before.clone().zip(s.wp_after.clone());
    let lifts = lifts.on(evidence, |(before, after)| {
        let kernel = tr!(
            "dirty-scan-wp-seen",
            before = bits(&before),
            after = bits(&after)
        );
        (kernel, !before.contains(&false) && after == unwritten)
    });
    vec![reports, lifts]
}
