//! The table of `vmlab maps`, written line by line with fixed column widths (a process
//! can have 60,000 regions: no table library holds them all as cells), fitted to the
//! screen: optional columns are left out while it is too wide, and the backing name is
//! cut last.

use std::io::{self, Write};

use super::text::{display_width, wrap};
use super::{Palette, Screen, human_size};
use crate::inspect::MapsReport;
use crate::space::{Region, RegionKind, display_name};
use crate::tr;

/// A column: its header's catalogue key, whether it is right-aligned, and each row's
/// cell.
struct Column {
    key: &'static str,
    right: bool,
    cell: fn(&Region) -> String,
}

const COLUMNS: [Column; 9] = [
    Column {
        key: "maps-col-start",
        right: false,
        cell: |r| format!("{:x}", r.start.0),
    },
    Column {
        key: "maps-col-end",
        right: false,
        cell: |r| format!("{:x}", r.end.0),
    },
    Column {
        key: "maps-col-size",
        right: true,
        cell: |r| human_size(r.size()),
    },
    Column {
        key: "maps-col-perms",
        right: false,
        cell: |r| r.perms.to_string(),
    },
    Column {
        key: "maps-col-kind",
        right: false,
        cell: |r| r.kind.name().to_string(),
    },
    Column {
        key: "maps-col-rss",
        right: true,
        cell: |r| human_size(r.usage.unwrap_or_default().rss),
    },
    Column {
        key: "maps-col-pss",
        right: true,
        cell: |r| human_size(r.usage.unwrap_or_default().pss),
    },
    Column {
        key: "maps-col-swap",
        right: true,
        cell: |r| human_size(r.usage.unwrap_or_default().swap),
    },
    Column {
        key: "maps-col-backing",
        right: false,
        cell: |r| display_name(r.backing_bytes.as_deref().unwrap_or(r.backing.as_bytes())),
    },
];

/// Columns that may go, least useful first, when the table is too wide: END (START and
/// SIZE give it), SWAP, PSS, RSS.
const OPTIONAL: [usize; 4] = [1, 7, 6, 5];
const BACKING: usize = 8;
/// The narrowest the backing column is cut to before columns are left out.
const MIN_BACKING: usize = 16;

pub fn render_maps(out: &mut dyn Write, report: &MapsReport, screen: Screen) -> io::Result<()> {
    let palette = screen.palette;
    let title = tr!(
        "maps-title",
        pid = report.target.pid,
        command = report.target.command.as_str()
    );
    let exe = report
        .exe
        .as_deref()
        .map(|e| format!("  {e}"))
        .unwrap_or_default();
    for (i, line) in wrap(&format!("{title}{exe}"), screen.width)
        .iter()
        .enumerate()
    {
        match i {
            0 => writeln!(out, "{}", palette.bold(line))?,
            _ => writeln!(out, "{line}")?,
        }
    }
    let widths = natural_widths(report);
    let (keep, left_out) = fit(&widths, screen);
    // After the optional columns, the backing's room is cut, down to a few columns.
    let backing_room = screen
        .width
        .saturating_sub(fixed_width(&widths, &keep))
        .max(8);
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (c, cell) in cells.iter().enumerate().filter(|(c, _)| keep[*c]) {
            if c == BACKING {
                let cell = if screen.wide {
                    cell.clone()
                } else {
                    keep_end(cell, backing_room)
                };
                s.push_str(&cell);
                continue;
            }
            let pad = widths[c].saturating_sub(display_width(cell));
            if COLUMNS[c].right {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
            s.push_str("  ");
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", palette.bold(&line(&headers())))?;
    for r in &report.regions {
        let cells: Vec<String> = COLUMNS.iter().map(|c| (c.cell)(r)).collect();
        let text = line(&cells);
        if palette.enabled {
            writeln!(out, "{}", color_kind(&text, r.kind, palette))?;
        } else {
            writeln!(out, "{text}")?;
        }
    }
    writeln!(out, "{}", palette.bold(&line(&total_cells(report))))?;
    if !left_out.is_empty() {
        let note = tr!(
            "table-left-out",
            columns = left_out.join(", "),
            width = screen.width
        );
        for l in wrap(&note, screen.width) {
            writeln!(out, "{}", palette.dim(&l))?;
        }
    }
    legend(out, report, screen)
}

/// The columns' headers, in the chosen language.
fn headers() -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| crate::i18n::tr(c.key, None))
        .collect()
}

/// The widest cell of each column (the backing's is not needed: it comes last).
fn natural_widths(report: &MapsReport) -> Vec<usize> {
    let mut widths: Vec<usize> = headers().iter().map(|h| display_width(h)).collect();
    for r in &report.regions {
        for (c, col) in COLUMNS.iter().enumerate().take(BACKING) {
            widths[c] = widths[c].max(display_width(&(col.cell)(r)));
        }
    }
    for (c, cell) in total_cells(report).iter().enumerate().take(BACKING) {
        widths[c] = widths[c].max(display_width(cell));
    }
    widths
}

/// Columns before the backing, with their two spaces of separation.
fn fixed_width(widths: &[usize], keep: &[bool]) -> usize {
    (0..BACKING)
        .filter(|&c| keep[c])
        .map(|c| widths[c] + 2)
        .sum()
}

/// Which columns to show, and the headers of those left out.
fn fit(widths: &[usize], screen: Screen) -> (Vec<bool>, Vec<String>) {
    let mut keep = vec![true; COLUMNS.len()];
    let mut left_out = Vec::new();
    if screen.wide {
        return (keep, left_out);
    }
    for &c in &OPTIONAL {
        if fixed_width(widths, &keep) + MIN_BACKING <= screen.width {
            break;
        }
        keep[c] = false;
        left_out.push(crate::i18n::tr(COLUMNS[c].key, None));
    }
    (keep, left_out)
}

fn total_cells(report: &MapsReport) -> Vec<String> {
    vec![
        tr!("maps-total-regions", count = report.regions.len()),
        String::new(),
        human_size(report.total_size),
        String::new(),
        tr!("maps-total"),
        human_size(report.total.rss),
        human_size(report.total.pss),
        human_size(report.total.swap),
        String::new(),
    ]
}

fn legend(out: &mut dyn Write, report: &MapsReport, screen: Screen) -> io::Result<()> {
    let palette = screen.palette;
    let present: Vec<String> = RegionKind::ALL
        .into_iter()
        .filter(|k| report.regions.iter().any(|r| r.kind == *k))
        .map(|k| format!("{} ({})", k.name(), k.meaning()))
        .collect();
    let text = tr!("maps-kinds", list = present.join(" · "));
    for l in wrap(&text, screen.width) {
        writeln!(out, "{}", palette.dim(&l))?;
    }
    let note = tr!("maps-columns-note");
    for l in wrap(&note, screen.width) {
        writeln!(out, "{}", palette.dim(&l))?;
    }
    Ok(())
}

/// `text` cut to `width` columns from the left, `…` where it was cut: of a path, the
/// file's own name is what matters.
fn keep_end(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// The row coloured by its kind.
fn color_kind(text: &str, kind: RegionKind, palette: Palette) -> String {
    match kind {
        RegionKind::Text | RegionKind::LibText | RegionKind::Vdso => palette.warn(text),
        RegionKind::Heap | RegionKind::Anon => palette.good(text),
        RegionKind::File | RegionKind::Shm => palette.accent(text),
        RegionKind::Guard | RegionKind::Vvar | RegionKind::Vsyscall | RegionKind::Other => {
            palette.dim(text)
        }
        _ => text.to_string(),
    }
}
