//! The table of `vmlab maps`.

use std::io::{self, Write};

use comfy_table::Cell;

use super::{Palette, human_size, listing_table, right};
use crate::inspect::MapsReport;
use crate::space::RegionKind;

pub fn render_maps(out: &mut dyn Write, report: &MapsReport, palette: Palette) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}){}",
        palette.bold("process"),
        report.target.pid,
        report.target.command,
        report
            .exe
            .as_deref()
            .map(|e| format!("  {e}"))
            .unwrap_or_default()
    )?;
    let mut t = listing_table(palette);
    t.set_header(
        [
            "START", "END", "SIZE", "PERMS", "KIND", "RSS", "PSS", "SWAP", "BACKING",
        ]
        .map(|h| Cell::new(h).add_attribute(comfy_table::Attribute::Bold)),
    );
    for r in &report.regions {
        let usage = r.usage.unwrap_or_default();
        let mut kind = Cell::new(r.kind.name());
        if palette.enabled {
            kind = kind.fg(kind_color(r.kind));
        }
        t.add_row(vec![
            Cell::new(format!("{:016x}", r.start.0)),
            Cell::new(format!("{:016x}", r.end.0)),
            Cell::new(human_size(r.size())),
            Cell::new(r.perms.to_string()),
            kind,
            Cell::new(human_size(usage.rss)),
            Cell::new(human_size(usage.pss)),
            Cell::new(human_size(usage.swap)),
            Cell::new(&r.backing),
        ]);
    }
    t.add_row(vec![
        Cell::new(format!("{} regions", report.regions.len())),
        Cell::new(""),
        Cell::new(human_size(report.total_size)),
        Cell::new(""),
        Cell::new("total"),
        Cell::new(human_size(report.total.rss)),
        Cell::new(human_size(report.total.pss)),
        Cell::new(human_size(report.total.swap)),
        Cell::new(""),
    ]);
    right(&mut t, &[2, 5, 6, 7]);
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    let present: Vec<RegionKind> = RegionKind::ALL
        .into_iter()
        .filter(|k| report.regions.iter().any(|r| r.kind == *k))
        .collect();
    let legend: Vec<String> = present
        .iter()
        .map(|k| format!("{} ({})", k.name(), k.meaning()))
        .collect();
    // The legend, wrapped to fit a terminal.
    let mut line = String::from("kinds:");
    for entry in legend {
        if line.len() + entry.len() + 3 > 100 {
            writeln!(out, "{}", palette.dim(&line))?;
            line = String::from("      ");
        } else if line.len() > 6 {
            line.push_str(" ·");
        }
        line.push(' ');
        line.push_str(&entry);
    }
    writeln!(out, "{}", palette.dim(&line))?;
    writeln!(
        out,
        "{}",
        palette.dim("RSS: in RAM; PSS: RAM shared pages split among their users; SIZE: virtual")
    )
}

fn kind_color(kind: RegionKind) -> comfy_table::Color {
    use comfy_table::Color;
    match kind {
        RegionKind::Text | RegionKind::LibText | RegionKind::Vdso => Color::Red,
        RegionKind::Data | RegionKind::Bss | RegionKind::LibData | RegionKind::Rodata => {
            Color::Yellow
        }
        RegionKind::Heap | RegionKind::Anon => Color::Green,
        RegionKind::Stack | RegionKind::ThreadStack => Color::Magenta,
        RegionKind::File | RegionKind::Shm => Color::Cyan,
        _ => Color::DarkGrey,
    }
}
