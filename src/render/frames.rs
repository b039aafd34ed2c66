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

/// A column's width: `min`, or its header's when that is wider (a header is in the
/// chosen language: MAPEOS is wider than MAPS).
fn width(key: &str, min: usize) -> usize {
    super::text::display_width(&crate::i18n::tr(key, None)).max(min)
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
        (
            crate::tr!("frames-col-frames"),
            width("frames-col-frames", 9),
        ),
        (crate::tr!("frames-col-maps"), width("frames-col-maps", 5)),
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
        (r.frames.to_string(), width("frames-col-frames", 9)),
        (
            r.map_count.map_or("?".into(), |c| c.to_string()),
            width("frames-col-maps", 5),
        ),
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
        let list: Vec<String> = counts
            .iter()
            .map(|(c, n)| format!("{c}:\u{a0}{n}"))
            .collect();
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

/// The header of `vmlab cache` rows: page index in the file, frame, map count, flags.
pub fn render_cache_header(out: &mut dyn Write, screen: Screen) -> Result<()> {
    let cells = [
        (format!("  {}", crate::tr!("cache-col-index")), 16),
        (crate::tr!("frames-col-pfn"), 18),
        (crate::tr!("frames-col-maps"), width("frames-col-maps", 4)),
    ];
    let bold = screen.palette.bold(&crate::tr!("frames-col-flags"));
    row_with_tail(out, &cells, &bold, screen)
}

/// One file of `vmlab cache`: what is cached, and the runs of cached pages.
pub fn render_file_cache(
    out: &mut dyn Write,
    f: &crate::cache::FileCache,
    rows: bool,
    screen: Screen,
) -> Result<()> {
    let name = crate::space::display_name(f.path_bytes.as_deref().unwrap_or(f.path.as_bytes()));
    let head = match (&f.error, f.cached, f.stat) {
        (Some(e), _, _) => crate::tr!("cache-file-error", path = name.as_str(), error = e.as_str()),
        (None, Some(c), _) => crate::tr!(
            "cache-file",
            path = name.as_str(),
            cached = c,
            pages = f.pages,
            size = super::human_size(f.size)
        ),
        (None, None, Some(st)) => crate::tr!(
            "cache-file-counts-only",
            path = name.as_str(),
            cached = st.cached,
            pages = f.pages
        ),
        (None, None, None) => crate::tr!("cache-file-unknown", path = name.as_str()),
    };
    for line in wrap(&head, screen.width) {
        writeln!(out, "{}", screen.palette.accent(&line)).map_err(out_err)?;
    }
    if let Some(st) = f.stat.filter(|s| s.dirty + s.writeback + s.evicted > 0) {
        let text = crate::tr!(
            "cache-file-stat",
            dirty = st.dirty,
            writeback = st.writeback,
            evicted = st.evicted
        );
        for line in wrap(&text, screen.width.saturating_sub(2)) {
            writeln!(out, "  {line}").map_err(out_err)?;
        }
    }
    if !rows {
        return Ok(());
    }
    for r in &f.runs {
        let index = if r.pages == 1 {
            r.index.to_string()
        } else {
            format!("{}-{}", r.index, r.index + r.pages - 1)
        };
        let pfn = match (r.pfn, r.last_pfn) {
            (Some(a), Some(b)) if a != b => format!("{a:#x}-{b:#x}"),
            (Some(a), _) => format!("{a:#x}"),
            _ => crate::tr!("cache-hidden"),
        };
        let cells = [
            (format!("  {index}"), 16),
            (pfn, 18),
            (
                r.map_count.map_or("?".into(), |c| c.to_string()),
                width("frames-col-maps", 4),
            ),
        ];
        let flags = if r.flags.is_some() {
            flag_words(&r.names)
        } else {
            "?".into()
        };
        row_with_tail(out, &cells, &flags, screen)?;
    }
    Ok(())
}

/// The totals of `vmlab cache`, with the flag table as root.
pub fn render_cache_summary(
    out: &mut dyn Write,
    s: &crate::cache::CacheSummary,
    page_size: u64,
    screen: Screen,
) -> Result<()> {
    if let Some(t) = &s.by_flags {
        writeln!(out).map_err(out_err)?;
        super::render_flag_table(out, t, page_size, screen)?;
    }
    let mut texts = vec![crate::tr!(
        "cache-total",
        files = s.files,
        cached = s.cached,
        pages = s.pages,
        size = super::human_size(s.cached * page_size)
    )];
    texts.push(if s.frames_visible {
        crate::tr!("cache-own-mapping")
    } else {
        crate::tr!("cache-frames-hidden")
    });
    for (i, text) in texts.iter().enumerate() {
        for line in wrap(text, screen.width) {
            let line = if i == 0 {
                screen.palette.bold(&line)
            } else {
                screen.palette.dim(&line)
            };
            writeln!(out, "{line}").map_err(out_err)?;
        }
    }
    Ok(())
}
