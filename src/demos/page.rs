//! The pages a demo observed: a snapshot of each page as the kernel showed it at one
//! moment, kept in the demo's observation record, and the evidence drawn from such
//! snapshots (frames, map counts, flags), with the reason when the kernel hid it.

use serde::{Deserialize, Serialize};

use super::Lab;
use crate::addr::{Pfn, VirtAddr};
use crate::error::Result;
use crate::experiment::{Evidence, Table};
use crate::frames::KpageFlags;
use crate::inspect::PageRow;
use crate::pagemap::PageState;
use crate::tr;

/// One virtual page, as the pagemap and the frame files showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub va: VirtAddr,
    pub state: PageState,
    /// The frame, when the page is present and frame numbers are visible (root).
    pub pfn: Option<Pfn>,
    /// How many page-table entries map the frame (kpagecount, root only).
    pub map_count: Option<u64>,
    /// Pagemap bit 56: only this process maps the frame.
    pub exclusive: bool,
    /// Pagemap bit 61: a file page, or shared anonymous memory.
    pub file_or_shared: bool,
    /// The frame's kpageflags (root only).
    pub flags: Option<KpageFlags>,
}

impl From<&PageRow> for Page {
    fn from(r: &PageRow) -> Page {
        Page {
            va: r.va,
            state: r.state,
            pfn: r.pfn,
            map_count: r.map_count,
            exclusive: r.exclusive,
            file_or_shared: r.file_or_shared,
            flags: r.flags,
        }
    }
}

impl Lab {
    /// The pages at `va`, `va + page`, ... (`count` of them) of process `pid`, read
    /// now in one batch.
    pub fn snapshot(&self, pid: i32, va: u64, count: usize) -> Result<Vec<Page>> {
        Ok(self.pages(pid, va, count)?.iter().map(Page::from).collect())
    }
}

impl Page {
    pub fn present(&self) -> bool {
        self.state == PageState::Present
    }

    /// The frame, or why there is none to show.
    pub fn frame(&self) -> Evidence<Pfn> {
        match (self.state, self.pfn) {
            (_, Some(pfn)) => Evidence::Seen(pfn),
            (PageState::Present, None) => Evidence::missing(tr!("reason-pfns-hidden")),
            _ => Evidence::missing(tr!("reason-page-not-present", va = self.va.hex())),
        }
    }

    /// The frame's map count, or why it is not known.
    pub fn count(&self) -> Evidence<u64> {
        match (self.state, self.map_count) {
            (_, Some(n)) => Evidence::Seen(n),
            (PageState::Present, None) => Evidence::missing(tr!("reason-frames-hidden")),
            _ => Evidence::missing(tr!("reason-page-not-present", va = self.va.hex())),
        }
    }

    /// The frame's flags, or why they are not known.
    pub fn frame_flags(&self) -> Evidence<KpageFlags> {
        match (self.state, self.flags) {
            (_, Some(f)) => Evidence::Seen(f),
            (PageState::Present, None) => Evidence::missing(tr!("reason-frames-hidden")),
            _ => Evidence::missing(tr!("reason-page-not-present", va = self.va.hex())),
        }
    }
}

/// Every page's evidence, or the reason of the first that is missing.
fn all<T>(pages: &[Page], each: impl Fn(&Page) -> Evidence<T>) -> Evidence<Vec<T>> {
    let mut seen = Vec::with_capacity(pages.len());
    for p in pages {
        match each(p) {
            Evidence::Seen(v) => seen.push(v),
            Evidence::Missing(m) => return Evidence::Missing(m),
        }
    }
    Evidence::Seen(seen)
}

/// The frame of every page, or why they cannot all be shown.
pub fn frames(pages: &[Page]) -> Evidence<Vec<Pfn>> {
    all(pages, Page::frame)
}

/// The map count of every page's frame, or why they cannot all be shown.
pub fn map_counts(pages: &[Page]) -> Evidence<Vec<u64>> {
    all(pages, Page::count)
}

/// The flags of every page's frame, or why they cannot all be shown.
pub fn frame_flags(pages: &[Page]) -> Evidence<Vec<KpageFlags>> {
    all(pages, Page::frame_flags)
}

/// The frame column of a page table: the PFN, `hidden`, or the page's state.
pub fn frame_text(p: &Page) -> String {
    match (p.state, p.pfn) {
        (PageState::Present, Some(pfn)) => pfn.to_string(),
        (PageState::Present, None) => tr!("page-hidden"),
        (PageState::Swapped, _) => tr!("page-swapped"),
        (PageState::Absent, _) => tr!("page-absent"),
        (PageState::Unmapped, _) => tr!("page-unmapped"),
    }
}

/// `yes` or `no`, in the chosen language.
pub fn yes_no(b: bool) -> String {
    if b { tr!("yes") } else { tr!("no") }
}

/// The table of pages every demo prints: who, VA, PFN, map count, exclusive, flags.
pub fn page_table(rows: &[(String, &Page)]) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("pages-header-va"),
        tr!("pages-header-pfn"),
        tr!("pages-header-map-count"),
        tr!("pages-header-exclusive"),
        tr!("pages-header-flags"),
    ]);
    for (label, p) in rows {
        t.row(vec![
            label.clone(),
            p.va.hex(),
            frame_text(p),
            match (p.state, p.map_count) {
                (_, Some(c)) => c.to_string(),
                (PageState::Present, None) => "?".into(),
                _ => "-".into(),
            },
            if p.present() {
                yes_no(p.exclusive)
            } else {
                "-".into()
            },
            p.flags
                .map_or(String::new(), |f| f.names().join(" ").to_lowercase()),
        ]);
    }
    t.legend = flag_legend(rows.iter().filter_map(|(_, p)| p.flags));
    // The label says which page a row is; its address is the first thing to go on a
    // narrow screen.
    t.optional = vec![1];
    t
}

/// The catalogue keys of the named flags set in any of `flags`, lowest bit first.
pub fn flag_legend(flags: impl Iterator<Item = KpageFlags>) -> Vec<String> {
    let all = flags.fold(0u64, |acc, f| acc | f.0);
    crate::frames::FLAGS
        .iter()
        .filter(|f| all & (1 << f.bit) != 0)
        .map(|f| f.key.to_string())
        .collect()
}

/// Labels pages `who 0`, `who 1`, ... for [`page_table`].
pub fn labelled<'a>(who: &str, pages: &'a [Page]) -> Vec<(String, &'a Page)> {
    pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{who} {i}"), p))
        .collect()
}

/// How many of two frame lists agree, in words: `8 of 8 equal (first: 0x1a2b3 =
/// 0x1a2b3)`.
pub fn agreement(a: &[Pfn], b: &[Pfn]) -> String {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let total = a.len().max(b.len());
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => tr!(
            "agreement-first",
            same = same,
            total = total,
            first = x.to_string(),
            other = y.to_string(),
            equal = if x == y { "=" } else { "≠" }
        ),
        _ => tr!("agreement", same = same, total = total),
    }
}

/// A short list of hex values for the kernel column: `0x1a2b3, 0x1a2b4 (+6 more)`.
pub fn hex_list(values: &[u64]) -> String {
    let shown: Vec<String> = values.iter().take(4).map(|v| format!("{v:#x}")).collect();
    match values.len().saturating_sub(4) {
        0 => shown.join(", "),
        more => tr!("list-more", list = shown.join(", "), more = more),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(state: PageState, pfn: Option<u64>) -> Page {
        Page {
            va: VirtAddr(0x1000),
            state,
            pfn: pfn.map(Pfn),
            map_count: pfn.map(|_| 1),
            exclusive: true,
            file_or_shared: false,
            flags: None,
        }
    }

    #[test]
    fn missing_frames_say_why() {
        let shown = [
            page(PageState::Present, Some(7)),
            page(PageState::Present, Some(8)),
        ];
        assert_eq!(frames(&shown), Evidence::Seen(vec![Pfn(7), Pfn(8)]));
        let hidden = [
            page(PageState::Present, Some(7)),
            page(PageState::Present, None),
        ];
        assert!(frames(&hidden).reason().unwrap().contains("root"));
        let absent = [page(PageState::Absent, None)];
        assert!(frames(&absent).reason().unwrap().contains("not present"));
        assert!(frame_flags(&shown).reason().unwrap().contains("kpageflags"));
    }

    #[test]
    fn pages_read_back_from_json() {
        let mut p = page(PageState::Present, Some(0x1a2b3));
        p.flags = KpageFlags::from_names(&["ANON", "MMAP", "BIT63"]);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["va"], "0x1000");
        assert_eq!(serde_json::from_value::<Page>(json).unwrap(), p);
    }

    #[test]
    fn agreement_counts_equal_pairs() {
        let a = [Pfn(1), Pfn(2)];
        assert_eq!(agreement(&a, &a), "2 of 2 equal (first: 0x1 = 0x1)");
        assert_eq!(
            agreement(&a, &[Pfn(3), Pfn(2)]),
            "1 of 2 equal (first: 0x1 ≠ 0x3)"
        );
        assert_eq!(
            hex_list(&[1, 2, 3, 4, 5, 6]),
            "0x1, 0x2, 0x3, 0x4 (+2 more)"
        );
    }
}
