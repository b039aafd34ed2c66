//! What `pages --summary` counts: states, bits, map counts, huge pages named apart, and
//! page-types' table of pages by flag combination.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ScanMethod;
use crate::frames::{Access, FrameInfo, flag, shared_by_pagemap};
use crate::pageflags::{View, names, symbolic};
use crate::pagemap::PageEntry;
use crate::privilege::Privilege;

/// Counts over every page scanned (also those `--present` hides); with `--flags`, over
/// the pages that match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PageSummary {
    /// Pages inside regions.
    pub pages: u64,
    pub present: u64,
    pub swapped: u64,
    /// Mapped but not in RAM nor swap: never touched, or dropped.
    pub absent: u64,
    /// Pages of the range that lie in no region.
    pub unmapped: u64,
    /// Present pages marked exclusively mapped (pagemap bit 56).
    pub exclusive: u64,
    /// Present pages whose frame has a map count of 2 or more: from pagemap's
    /// exclusive bit where it says ([`crate::frames::shared_by_pagemap`]), else from
    /// kpagecount; `None` without /proc/kpageflags and /proc/kpagecount.
    pub shared: Option<u64>,
    pub soft_dirty: u64,
    pub file_or_shared: u64,
    /// Present pages on the shared zero page: from kpageflags (ZERO_PAGE), or, without
    /// it, from PAGEMAP_SCAN (PAGE_IS_PFNZERO); `None` when neither was read.
    pub zero_page: Option<u64>,
    /// Present pages mapped by one huge page-table entry (a PMD or PUD: a transparent
    /// huge page mapped whole, or hugetlb), from PAGEMAP_SCAN (PAGE_IS_HUGE), which
    /// needs no privilege; `None` when read with pread.
    pub huge_mapped: Option<u64>,
    /// Present pages of transparent huge pages mapped whole by a huge entry (kpageflags
    /// THP and PAGE_IS_HUGE); `None` without both.
    pub thp: Option<u64>,
    /// Present pages of other large folios (kpageflags THP, not mapped by a huge entry:
    /// multi-size THP, large page-cache folios); without PAGE_IS_HUGE, every THP page.
    pub large_folio: Option<u64>,
    /// Present pages of hugetlbfs huge pages (kpageflags HUGE: what page-types calls
    /// huge); `None` without kpageflags.
    pub hugetlb: Option<u64>,
    /// How many present pages have each map count (in JSON `[{"map_count": 1, "pages": 5120}, ...]`); `None`
    /// without /proc/kpagecount, or when not asked (`--map-counts`).
    #[serde(serialize_with = "crate::json::pages_by_map_count")]
    pub map_counts: Option<BTreeMap<u64, u64>>,
    /// Whether map counts were asked for: without, `map_counts` is `None` by choice.
    #[serde(skip)]
    pub map_counts_asked: bool,
    /// Pages by flag combination, page-types' table: `None` without kpageflags.
    pub by_flags: Option<FlagTable>,
    /// How the page table was read: `pagemap-scan` or `pread`; `None` when no region
    /// was in the range, so nothing was read.
    pub method: Option<ScanMethod>,
    /// How many regions (or parts of regions) of the range were read.
    pub regions: u64,
    /// Present pages whose pagemap entry changed between the first read and the read
    /// after their frame's flags and count (the process ran meanwhile); their frame
    /// information is what was read the second time. `None` when nothing was read
    /// again: the process was stopped for the read (`--freeze`), frames are hidden, or
    /// only a summary was asked (it counts, it shows no page).
    pub moved: Option<u64>,
    /// Part of the scan was read whole, without PAGEMAP_SCAN's huge category.
    #[serde(skip)]
    pub(crate) huge_unknown: bool,
}

/// Pages by flag combination, in page-types' view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagTable {
    pub view: View,
    /// View word → pages.
    pub counts: BTreeMap<u64, u64>,
}

/// One row of the flag table, as JSON shows it.
#[derive(Serialize)]
struct FlagRow {
    /// The word, hex as page-types prints it.
    flags: String,
    pages: u64,
    /// page-types' symbolic column.
    symbolic: String,
    names: Vec<String>,
}

impl Serialize for FlagTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let rows: Vec<FlagRow> = self
            .counts
            .iter()
            .map(|(&w, &pages)| FlagRow {
                flags: format!("0x{w:016x}"),
                pages,
                symbolic: symbolic(w),
                names: names(w),
            })
            .collect();
        let mut st = s.serialize_struct("FlagTable", 2)?;
        st.serialize_field("view", &self.view)?;
        st.serialize_field("rows", &rows)?;
        st.end()
    }
}

fn add_opt(a: &mut Option<u64>, b: Option<u64>) {
    match (a.as_mut(), b) {
        (Some(x), Some(y)) => *x += y,
        (None, Some(y)) => *a = Some(y),
        _ => {}
    }
}

fn bump(a: &mut Option<u64>, yes: bool) {
    if let Some(x) = a.as_mut() {
        *x += yes as u64;
    }
}

impl PageSummary {
    /// An empty summary; `every_count`: each page's map count will be read, so pages
    /// are counted by map count too.
    pub(crate) fn new(privilege: &Privilege, view: View, every_count: bool) -> PageSummary {
        let counts = privilege.pfns_visible && privilege.kpagecount == Access::Readable;
        let flags = privilege.pfns_visible && privilege.kpageflags == Access::Readable;
        PageSummary {
            shared: (counts && flags).then_some(0),
            zero_page: flags.then_some(0),
            large_folio: flags.then_some(0),
            hugetlb: flags.then_some(0),
            map_counts: (counts && every_count).then(BTreeMap::new),
            map_counts_asked: every_count,
            by_flags: flags.then(|| FlagTable {
                view,
                counts: BTreeMap::new(),
            }),
            ..PageSummary::default()
        }
    }

    /// Adds the counts of another part of the same scan.
    pub(crate) fn add(&mut self, other: &PageSummary) {
        self.pages += other.pages;
        self.present += other.present;
        self.swapped += other.swapped;
        self.absent += other.absent;
        self.unmapped += other.unmapped;
        self.exclusive += other.exclusive;
        self.soft_dirty += other.soft_dirty;
        self.file_or_shared += other.file_or_shared;
        for (mine, theirs) in [
            (&mut self.shared, other.shared),
            (&mut self.zero_page, other.zero_page),
            (&mut self.huge_mapped, other.huge_mapped),
            (&mut self.thp, other.thp),
            (&mut self.large_folio, other.large_folio),
            (&mut self.hugetlb, other.hugetlb),
            (&mut self.moved, other.moved),
        ] {
            add_opt(mine, theirs);
        }
        if let (Some(mine), Some(theirs)) = (self.map_counts.as_mut(), &other.map_counts) {
            for (count, pages) in theirs {
                *mine.entry(*count).or_default() += pages;
            }
        }
        if let (Some(mine), Some(theirs)) = (self.by_flags.as_mut(), &other.by_flags) {
            for (w, pages) in &theirs.counts {
                *mine.counts.entry(*w).or_default() += pages;
            }
        }
        // The method of the whole is what any part used; a part that fell back to
        // pread makes the whole a pread scan; a part of gaps only used none.
        self.method = match (self.method, other.method) {
            (Some(ScanMethod::Pread), _) | (_, Some(ScanMethod::Pread)) => Some(ScanMethod::Pread),
            (mine, theirs) => mine.or(theirs),
        };
        self.regions += other.regions;
        self.huge_unknown |= other.huge_unknown;
    }

    /// Drops the counts that part of the scan could not make: huge mappings are known
    /// only where PAGEMAP_SCAN said, and a count of part of the pages would mislead.
    pub(crate) fn settle(&mut self) {
        if self.huge_unknown {
            self.huge_mapped = None;
            if let (Some(t), Some(l)) = (self.thp.take(), self.large_folio.as_mut()) {
                *l += t;
            }
        }
    }

    /// Counts `pages` pages that are not present, all with `entry` (a hole, a swapped
    /// range, or pages in no region when `unmapped`).
    pub(crate) fn count_many(&mut self, entry: PageEntry, pages: u64, unmapped: bool) {
        if unmapped {
            self.unmapped += pages;
            return;
        }
        self.pages += pages;
        if entry.swapped() {
            self.swapped += pages;
            if let Some(t) = self.by_flags.as_mut() {
                // page-types counts a swapped page under the word of its pagemap
                // entry alone.
                *t.counts.entry(t.view.word(0, entry.raw())).or_default() += pages;
            }
        } else {
            self.absent += pages;
        }
    }

    /// Counts one page: its entry, its frame when looked up, and whether PAGEMAP_SCAN
    /// said a huge entry maps it (`None` when it was not asked).
    pub(crate) fn count(&mut self, entry: PageEntry, frame: Option<FrameInfo>, huge: Option<bool>) {
        if !entry.present() {
            self.count_many(entry, 1, false);
            return;
        }
        self.pages += 1;
        self.present += 1;
        self.exclusive += entry.exclusive() as u64;
        self.soft_dirty += entry.soft_dirty() as u64;
        self.file_or_shared += entry.file_or_shared() as u64;
        if let Some(h) = huge {
            *self.huge_mapped.get_or_insert(0) += h as u64;
        }
        let frame = frame.unwrap_or_default();
        if let Some(count) = frame.map_count
            && let Some(counts) = self.map_counts.as_mut()
        {
            *counts.entry(count).or_default() += 1;
        }
        let Some(flags) = frame.flags else { return };
        let shared = shared_by_pagemap(flags, entry.exclusive(), entry.file_or_shared())
            .or(frame.map_count.map(|c| c >= 2));
        if let Some(shared) = shared {
            bump(&mut self.shared, shared);
        }
        bump(&mut self.zero_page, flags.has(flag::ZERO_PAGE));
        bump(&mut self.hugetlb, flags.has(flag::HUGE));
        let folio = flags.has(flag::THP);
        match huge {
            Some(h) => {
                *self.thp.get_or_insert(0) += (folio && h) as u64;
                bump(&mut self.large_folio, folio && !h);
            }
            None => bump(&mut self.large_folio, folio),
        }
        if let Some(t) = self.by_flags.as_mut() {
            *t.counts
                .entry(t.view.word(flags.0, entry.raw()))
                .or_default() += 1;
        }
    }

    /// Counts `pages` present pages on the shared zero page, known from PAGEMAP_SCAN
    /// without a pagemap read: not exclusive, not a file page, map count 0 (the kernel
    /// keeps none for it), with the zero page's flags when they are known.
    pub(crate) fn count_zero_pages(&mut self, pages: u64, zero: Option<FrameInfo>) {
        self.pages += pages;
        self.present += pages;
        *self.zero_page.get_or_insert(0) += pages;
        let Some(f) = zero else { return };
        if let Some(count) = f.map_count {
            bump_many(&mut self.shared, count >= 2, pages);
            if let Some(counts) = self.map_counts.as_mut() {
                *counts.entry(count).or_default() += pages;
            }
        }
        if let (Some(flags), Some(t)) = (f.flags, self.by_flags.as_mut()) {
            // The zero page's entry: present, nothing else.
            *t.counts.entry(t.view.word(flags.0, 1 << 63)).or_default() += pages;
        }
    }
}

fn bump_many(a: &mut Option<u64>, yes: bool, n: u64) {
    if let (Some(x), true) = (a.as_mut(), yes) {
        *x += n;
    }
}
