//! `vmlab frames` and `vmlab cache` rows: fixed columns, the flags last, wrapped to the
//! screen under their column, so that a machine's million rows stream as they come.

use std::io::Write;

use super::Screen;
use super::text::wrap;
use crate::error::{Error, Result};
use crate::machine::{FrameRun, FrameSummary};

fn out_err(e: std::io::Error) -> Error {
    Error::Output(e)
}

/// Writes `cells` padded to `widths`, then `last` wrapped to what is left of the width
/// and continued under its own column.
pub(super) fn row_with_tail(
    out: &mut dyn Write,
    cells: &[(String, usize)],
    last: &str,
    screen: Screen,
) -> Result<()> {
    let mut line = String::new();
    for (cell, w) in cells {
        line.push_str(&format!("{cell:<w$}  "));
    }
    let indent = line.chars().count();
    let room = if screen.wide {
        usize::MAX / 2
    } else {
        screen.width.saturating_sub(indent).max(12)
    };
    let mut pieces = wrap(last, room).into_iter();
    let first = pieces.next().unwrap_or_default();
    writeln!(out, "{}", format!("{line}{first}").trim_end()).map_err(out_err)?;
    for p in pieces {
        writeln!(out, "{}{p}", " ".repeat(indent)).map_err(out_err)?;
    }
    Ok(())
}

/// The flags of a row, as the tables show them: lower-case names, comma and space.
pub(super) fn flag_words(names: &[String]) -> String {
    if names.is_empty() {
        "-".into()
    } else {
        names.join(", ").to_ascii_lowercase()
    }
}

/// The header of `vmlab frames` rows.
pub fn render_frames_header(out: &mut dyn Write, screen: Screen) -> Result<()> {
    let cells = [
        (crate::tr!("frames-col-pfn"), 18),
        (crate::tr!("frames-col-frames"), 9),
        (crate::tr!("frames-col-maps"), 5),
    ];
    let bold = screen.palette.bold(&crate::tr!("frames-col-flags"));
    row_with_tail(out, &cells, &bold, screen)
}

/// One run of alike frames.
pub fn render_frame_run(out: &mut dyn Write, r: &FrameRun, screen: Screen) -> Result<()> {
    let pfn = if r.frames == 1 {
        format!("{:#x}", r.pfn)
    } else {
        format!("{:#x}-{:#x}", r.pfn, r.pfn + r.frames - 1)
    };
    let cells = [
        (pfn, 18),
        (r.frames.to_string(), 9),
        (r.map_count.map_or("?".into(), |c| c.to_string()), 5),
    ];
    row_with_tail(out, &cells, &flag_words(&r.names), screen)
}

/// The totals of `vmlab frames`, and its flag table when asked.
pub fn render_frames_summary(
    out: &mut dyn Write,
    s: &FrameSummary,
    table: bool,
    page_size: u64,
    screen: Screen,
) -> Result<()> {
    if table {
        super::render_flag_table(out, &s.by_flags, page_size, screen)?;
    }
    let text = crate::tr!(
        "frames-total",
        frames = s.frames,
        start = format!("{:#x}", s.start),
        end = format!("{:#x}", s.end),
        size = super::human_size(s.frames * page_size)
    );
    for line in wrap(&text, screen.width) {
        writeln!(out, "{}", screen.palette.bold(&line)).map_err(out_err)?;
    }
    if let Some(counts) = &s.map_counts {
        let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c}: {n}")).collect();
        let text = crate::tr!("frames-by-map-count", list = list.join(", "));
        for line in wrap(&text, screen.width) {
            writeln!(out, "{line}").map_err(out_err)?;
        }
    }
    Ok(())
}

/// `vmlab flags`: each bit, its names, what it means and when the kernel sets it.
pub fn render_flag_docs(
    out: &mut dyn Write,
    docs: &[crate::flagdoc::FlagDoc],
    screen: Screen,
) -> Result<()> {
    use crate::flagdoc::Source;
    let mut last: Option<Source> = None;
    for d in docs {
        if last != Some(d.source) {
            let title = match d.source {
                Source::Kpageflags => crate::tr!("flagdoc-kpageflags"),
                Source::RawView => crate::tr!("flagdoc-raw"),
                Source::Pagemap => crate::tr!("flagdoc-pagemap"),
            };
            if last.is_some() {
                writeln!(out).map_err(out_err)?;
            }
            for line in wrap(&title, screen.width) {
                writeln!(out, "{}", screen.palette.bold(&line)).map_err(out_err)?;
            }
            last = Some(d.source);
        }
        let alias = match (&d.page_types, d.letter) {
            (Some(p), Some(l)) => format!(" (page-types: {p}, {l})"),
            _ => String::new(),
        };
        let head = format!("{:>5}  {}{alias}", d.bits, d.name);
        writeln!(out, "{}", screen.palette.accent(&head)).map_err(out_err)?;
        let when = crate::tr!("flagdoc-when", text = d.when.as_str());
        for text in [&d.meaning, &when] {
            for line in wrap(text, screen.width.saturating_sub(7).max(20)) {
                writeln!(out, "       {line}").map_err(out_err)?;
            }
        }
    }
    Ok(())
}
