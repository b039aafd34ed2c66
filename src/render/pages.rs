//! `vmlab pages` output, streamed: rows are written as the scan makes them, so the
//! first rows appear at once and `| head` stops the scan early.
//!
//! The table has fixed column widths (every value has a known maximum width), which
//! is what makes streaming possible: no row needs to be seen before another is printed.

use std::io::Write;

use serde::Serialize;

use super::page_columns::{Col, Layout};
use super::text::wrap;
use super::{Screen, human_size, region_label};
use crate::addr::{AddrRange, Paging};
use crate::error::{Error, Result};
use crate::inspect::{FlagTable, PageRow, PageSink, PageSummary, ScanMethod, Target};
use crate::pagemap::PageState;
use crate::privilege::Privilege;
use crate::space::Region;

fn out_err(e: std::io::Error) -> Error {
    Error::Output(e)
}

/// Writes the human table, its columns fitted to the screen (see `Layout`).
pub struct TablePageSink<'w> {
    out: &'w mut dyn Write,
    screen: Screen,
    runs: bool,
    page_size: u64,
    layout: Layout,
    header_done: bool,
}

impl<'w> TablePageSink<'w> {
    pub fn new(out: &'w mut dyn Write, screen: Screen, runs: bool, paging: &Paging) -> Self {
        TablePageSink {
            out,
            screen,
            runs,
            page_size: paging.page_size,
            layout: Layout::new(screen, runs, paging),
            header_done: false,
        }
    }

    fn header(&mut self) -> Result<()> {
        if self.header_done {
            return Ok(());
        }
        self.header_done = true;
        let palette = self.screen.palette;
        for line in self.layout.header() {
            writeln!(self.out, "{}", palette.bold(&line)).map_err(out_err)?;
        }
        if !self.layout.left_out.is_empty() {
            let note = crate::tr!(
                "table-left-out",
                columns = self.layout.left_out.join(", "),
                width = self.screen.width
            );
            for line in wrap(&note, self.screen.width) {
                writeln!(self.out, "{}", palette.dim(&line)).map_err(out_err)?;
            }
        }
        Ok(())
    }

    /// Writes `text` wrapped to the screen, each line styled by `style`.
    fn say(&mut self, text: &str, style: impl Fn(&str) -> String) -> Result<()> {
        let width = if self.screen.wide {
            usize::MAX / 2
        } else {
            self.screen.width
        };
        for line in wrap(text, width) {
            writeln!(self.out, "{}", style(&line)).map_err(out_err)?;
        }
        Ok(())
    }
}

impl PageSink for TablePageSink<'_> {
    fn region(&mut self, r: &Region) -> Result<()> {
        self.header()?;
        let text = crate::tr!(
            "pages-region",
            region = region_label(r),
            pages = crate::tr!("pages", count = r.size() / self.page_size),
            size = human_size(r.size())
        );
        let palette = self.screen.palette;
        self.say(&format!("── {text}"), |l| palette.accent(l))
    }

    fn gap(&mut self, gap: AddrRange) -> Result<()> {
        self.header()?;
        let text = crate::tr!(
            "pages-gap",
            start = format!("{:x}", gap.start.0),
            end = format!("{:x}", gap.end.0),
            pages = crate::tr!("pages", count = gap.len() / self.page_size)
        );
        let palette = self.screen.palette;
        self.say(&format!("── {text}"), |l| palette.dim(l))
    }

    fn row(&mut self, row: &PageRow) -> Result<()> {
        self.header()?;
        let present = row.state == PageState::Present;
        let flags = match &row.flags {
            Some(f) => f.names().join(", "),
            None if present => "?".into(),
            None => String::new(),
        };
        let cells = row_cells(row, self.runs, self.layout.va_digits);
        for line in self.layout.row(&cells, &flags) {
            let line = if present {
                line
            } else {
                self.screen.palette.dim(&line)
            };
            writeln!(self.out, "{line}").map_err(out_err)?;
        }
        Ok(())
    }
}

/// The cells of one row, by column (the layout picks the ones it shows).
fn row_cells(row: &PageRow, runs: bool, va_digits: usize) -> Vec<(Col, String)> {
    let present = row.state == PageState::Present;
    let hidden = || crate::tr!("page-hidden");
    let pfn = match (row.state, row.pfn, row.last_pfn) {
        (PageState::Present, Some(f), Some(l)) if runs && row.pages > 1 && l != f => {
            format!("{f}-{l}")
        }
        (PageState::Present, Some(f), _) => f.to_string(),
        (PageState::Present, None, _) => hidden(),
        (PageState::Swapped, _, _) => format!(
            "swap {}:{:#x}",
            row.swap_type.unwrap_or(0),
            row.swap_offset.unwrap_or(0)
        ),
        _ => "-".into(),
    };
    let pa = match row.pa {
        Some(pa) => pa.to_string(),
        None if present => hidden(),
        None => "-".into(),
    };
    let maps = match row.map_count {
        Some(n) => n.to_string(),
        None if present => "?".into(),
        None => "-".into(),
    };
    let yes_no = |b: bool| match (present, b) {
        (false, _) => "-".to_string(),
        (true, true) => crate::tr!("yes"),
        (true, false) => crate::tr!("no"),
    };
    let state = match row.state {
        PageState::Present => crate::tr!("page-present"),
        PageState::Swapped => crate::tr!("page-swapped"),
        PageState::Absent => crate::tr!("page-absent"),
        PageState::Unmapped => crate::tr!("page-unmapped"),
    };
    vec![
        (Col::Va, format!("{:0va_digits$x}", row.va.0)),
        (Col::Vpn, format!("{:#x}", row.vpn)),
        (Col::Pages, row.pages.to_string()),
        (Col::State, state),
        (Col::Pfn, pfn),
        (Col::Pa, pa),
        (Col::Maps, maps),
        (Col::Excl, yes_no(row.exclusive)),
        (Col::Sdirty, yes_no(row.soft_dirty)),
    ]
}

/// What `pages --summary` adds above the summary line: how the page table was read,
/// and how many present pages have each map count.
pub fn render_summary_details(out: &mut dyn Write, s: &PageSummary, screen: Screen) -> Result<()> {
    let how = match s.method {
        Some(ScanMethod::Pread) => crate::tr!("pages-read-pread", regions = s.regions),
        Some(_) => crate::tr!("pages-read-scan", regions = s.regions),
        None => crate::tr!("pages-read-nothing"),
    };
    for line in wrap(&how, screen.width) {
        writeln!(out, "{}", screen.palette.dim(&line)).map_err(out_err)?;
    }
    let counts = match &s.map_counts {
        Some(counts) if counts.is_empty() => return Ok(()),
        None if s.present == 0 => return Ok(()),
        Some(counts) => {
            let list: Vec<String> = counts
                .iter()
                .map(|(count, pages)| format!("{count}:\u{a0}{pages}"))
                .collect();
            crate::tr!("pages-by-map-count", list = list.join(", "))
        }
        // Not asked, or not readable: only root can ask for them.
        None if s.map_counts_asked || s.shared.is_none() => crate::tr!("pages-by-map-count-hidden"),
        None => crate::tr!("pages-by-map-count-not-read"),
    };
    for line in wrap(&counts, screen.width) {
        writeln!(out, "{line}").map_err(out_err)?;
    }
    Ok(())
}

/// The summary lines under the table: every page's state, then what the present ones
/// are, then whatever the scan left out.
pub fn render_summary(
    out: &mut dyn Write,
    s: &PageSummary,
    notes: &[String],
    screen: Screen,
) -> Result<()> {
    let palette = screen.palette;
    let opt = |v: Option<u64>| v.map_or("?".to_string(), |n| n.to_string());
    let states = crate::tr!(
        "pages-summary-states",
        pages = s.pages,
        present = s.present,
        swapped = s.swapped,
        absent = s.absent,
        unmapped = s.unmapped
    );
    let present = crate::tr!(
        "pages-summary-present",
        exclusive = s.exclusive,
        shared = opt(s.shared),
        zero = opt(s.zero_page),
        thp = opt(s.thp),
        folio = opt(s.large_folio),
        hugetlb = opt(s.hugetlb),
        mapped = opt(s.huge_mapped),
        dirty = s.soft_dirty
    );
    // With no page in a region, what the present pages are is moot (and unknown).
    let lines = if s.pages == 0 {
        vec![states]
    } else {
        vec![states, present]
    };
    for text in lines {
        for line in wrap(&text, screen.width) {
            writeln!(out, "{}", palette.bold(&line)).map_err(out_err)?;
        }
    }
    if let Some(moved) = s.moved.filter(|&m| m > 0) {
        let text = crate::tr!("pages-summary-moved", moved = moved);
        for line in wrap(&text, screen.width) {
            writeln!(out, "{}", palette.warn(&line)).map_err(out_err)?;
        }
    }
    for n in notes {
        for line in wrap(&crate::tr!("note", text = n.as_str()), screen.width) {
            writeln!(out, "{}", palette.dim(&line)).map_err(out_err)?;
        }
    }
    Ok(())
}

/// page-types' table: pages by flag combination, most pages first.
pub fn render_flag_table(
    out: &mut dyn Write,
    table: &FlagTable,
    page_size: u64,
    screen: Screen,
) -> Result<()> {
    use crate::pageflags::{names, symbolic};
    let mut t = crate::experiment::Table::with_columns(
        [
            "flags-col-word",
            "flags-col-pages",
            "flags-col-mb",
            "flags-col-symbolic",
            "flags-col-names",
        ]
        .iter()
        .map(|k| crate::i18n::tr(k, None))
        .collect(),
    );
    let mut rows: Vec<(&u64, &u64)> = table.counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let total: u64 = table.counts.values().sum();
    for (&word, &pages) in rows {
        t.rows.push(vec![
            format!("0x{word:016x}"),
            pages.to_string(),
            ((pages * page_size) >> 20).to_string(),
            symbolic(word),
            names(word).join(", ").to_ascii_lowercase(),
        ]);
    }
    t.rows.push(vec![
        crate::tr!("flags-total"),
        total.to_string(),
        ((total * page_size) >> 20).to_string(),
        String::new(),
        String::new(),
    ]);
    t.optional = vec![3];
    let title = match table.view {
        crate::pageflags::View::Default => crate::tr!("flags-table-title"),
        crate::pageflags::View::Raw => crate::tr!("flags-table-title-raw"),
    };
    for line in wrap(&title, screen.width) {
        writeln!(out, "{}", screen.palette.bold(&line)).map_err(out_err)?;
    }
    super::table::render_table(out, &t, screen, 0).map_err(out_err)
}

/// Writes one JSON document, streamed:
/// `{"target":..,"page_size":..,"privilege":..,"segments":[{"region":..,"pages":[..]},
/// {"gap":..}],"summary":..,"notes":[..]}`.
pub struct JsonPageSink<'w> {
    out: &'w mut dyn Write,
    /// Inside a region's `pages` array, and whether a row was written to it.
    open_region: Option<bool>,
    segments: usize,
    page_size: u64,
}

#[derive(Serialize)]
struct Gap {
    start: crate::addr::VirtAddr,
    end: crate::addr::VirtAddr,
    pages: u64,
}

impl<'w> JsonPageSink<'w> {
    pub fn start(
        out: &'w mut dyn Write,
        target: &Target,
        page_size: u64,
        privilege: &Privilege,
    ) -> Result<Self> {
        crate::json::stream_start(out)?;
        write!(
            out,
            "\"target\":{},\"page_size\":{page_size},\"privilege\":{},\"notice\":{},\"segments\":[",
            json(target)?,
            json(privilege)?,
            json(&privilege.notice())?
        )
        .map_err(out_err)?;
        Ok(JsonPageSink {
            out,
            open_region: None,
            segments: 0,
            page_size,
        })
    }

    fn close_region(&mut self) -> Result<()> {
        if self.open_region.take().is_some() {
            write!(self.out, "]}}").map_err(out_err)?;
        }
        Ok(())
    }

    fn separator(&mut self) -> Result<()> {
        self.close_region()?;
        if self.segments > 0 {
            write!(self.out, ",").map_err(out_err)?;
        }
        self.segments += 1;
        writeln!(self.out).map_err(out_err)
    }

    pub fn finish(mut self, summary: &PageSummary, notes: &[String]) -> Result<()> {
        self.close_region()?;
        writeln!(
            self.out,
            "\n],\"summary\":{},\"notes\":{}}}",
            json(summary)?,
            json(&notes)?
        )
        .map_err(out_err)
    }
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Output(e.into()))
}

impl PageSink for JsonPageSink<'_> {
    fn region(&mut self, region: &Region) -> Result<()> {
        self.separator()?;
        write!(self.out, "{{\"region\":{},\"pages\":[", json(region)?).map_err(out_err)?;
        self.open_region = Some(false);
        Ok(())
    }

    fn gap(&mut self, gap: AddrRange) -> Result<()> {
        self.separator()?;
        let g = Gap {
            start: gap.start,
            end: gap.end,
            pages: gap.len() / self.page_size,
        };
        write!(self.out, "{{\"gap\":{}}}", json(&g)?).map_err(out_err)
    }

    fn row(&mut self, row: &PageRow) -> Result<()> {
        let comma = if self.open_region == Some(true) {
            ","
        } else {
            ""
        };
        self.open_region = Some(true);
        write!(self.out, "{comma}\n{}", json(row)?).map_err(out_err)
    }
}
