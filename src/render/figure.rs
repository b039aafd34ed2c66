//! Drawings laid out to the screen: an address space as a column of regions, and
//! curves as a terminal chart. The demos say what to draw ([`Figure`]); only this
//! module decides how wide it is.

use std::io::{self, Write};

use super::Screen;
use super::text::{display_width, wrap};
use crate::experiment::{Chart, Figure, MapRegion};

/// Draws `figure` indented by `indent` columns, within the screen's width.
pub fn render_figure(
    out: &mut dyn Write,
    figure: &Figure,
    screen: Screen,
    indent: usize,
) -> io::Result<()> {
    let width = screen.width.saturating_sub(indent);
    let lines = match figure {
        Figure::Map { regions } => map_lines(regions, width),
        Figure::Chart(chart) => chart_lines(chart, width),
    };
    let pad = " ".repeat(indent);
    for line in lines {
        writeln!(out, "{pad}{}", line.trim_end())?;
    }
    Ok(())
}

/// An address space, highest region first:
///
/// ```text
/// 00007ffd63ad0000 ┌ stack        rw-p   456 KiB  [stack]
///                  │ ← a stack variable, argv, the environment
/// 00007ffd63a5e000 └
///                  ┆ 118 TiB unmapped
/// ```
///
/// Labels and notes wrap under themselves when the screen is narrow.
fn map_lines(regions: &[MapRegion], width: usize) -> Vec<String> {
    const ADDR: usize = 16;
    let text_width = width.saturating_sub(ADDR + 3).max(12);
    let mut lines = Vec::new();
    let blank = " ".repeat(ADDR);
    for r in regions {
        for (i, l) in wrap(&r.label, text_width).iter().enumerate() {
            match i {
                0 => lines.push(format!("{:016x} ┌ {l}", r.top)),
                _ => lines.push(format!("{blank} │ {l}")),
            }
        }
        if let Some(note) = &r.note {
            for l in wrap(note, text_width) {
                lines.push(format!("{blank} │ {l}"));
            }
        }
        lines.push(format!("{:016x} └", r.bottom));
        if let Some(gap) = &r.gap_below {
            for l in wrap(gap, text_width) {
                lines.push(format!("{blank} ┆ {l}"));
            }
        }
    }
    lines
}

/// Curves as text: y linear (its top, middle and bottom labelled), x one column group
/// per point (so logarithmic when the x values grow by factors), labels under the
/// powers of four, the legend wrapped below. Where curves meet, the later one's symbol
/// shows. Points are spaced three columns apart, or closer when the screen is narrow.
fn chart_lines(chart: &Chart, width: usize) -> Vec<String> {
    let xs: Vec<u64> = chart
        .curves
        .first()
        .map(|c| c.points.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    const LEFT: usize = 8;
    let room = width.saturating_sub(LEFT).max(xs.len());
    let col = (room / xs.len().max(1)).clamp(1, 3);
    let ymax = chart
        .curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let height = chart.height.max(2);
    let mut grid = vec![vec![' '; xs.len() * col]; height];
    for c in &chart.curves {
        for (&(x, y), i) in c.points.iter().zip(0..) {
            if xs.get(i) != Some(&x) {
                continue;
            }
            let row = ((y / ymax) * (height as f64 - 1.0)).round() as usize;
            grid[height - 1 - row.min(height - 1)][i * col + col / 2] = c.symbol;
        }
    }
    let mut lines = Vec::new();
    for (i, row) in grid.iter().enumerate() {
        let label = if i == 0 || i == height - 1 || i == height / 2 {
            format!(
                "{:.1}",
                ymax * (height - 1 - i) as f64 / (height as f64 - 1.0)
            )
        } else {
            String::new()
        };
        let text: String = row.iter().collect();
        lines.push(format!("{label:>6} ┤{text}"));
    }
    lines.push(format!(
        "{:>6} └{}",
        chart.y_unit,
        "─".repeat(xs.len() * col)
    ));
    lines.push(x_axis(&xs, col, LEFT));
    for l in wrap(&chart.x_label, width.saturating_sub(LEFT)) {
        lines.push(format!("{:LEFT$}{l}", ""));
    }
    let legend: Vec<String> = chart
        .curves
        .iter()
        .map(|c| format!("{} {}", c.symbol, c.label))
        .collect();
    for l in wrap(&legend.join("  ·  "), width.saturating_sub(LEFT)) {
        lines.push(format!("{:LEFT$}{l}", ""));
    }
    lines
}

/// The x labels: the powers of four among `xs`, each under its point where it does
/// not run into the previous one.
fn x_axis(xs: &[u64], col: usize, left: usize) -> String {
    let mut axis = vec![' '; xs.len() * col + 6];
    for (i, &x) in xs.iter().enumerate() {
        if x.is_power_of_two() && x.trailing_zeros() % 2 == 0 {
            let s = short(x);
            let at = i * col + col / 2;
            let free = at == 0 || axis[at - 1] == ' ';
            if free && axis[at..].iter().take(s.len() + 1).all(|c| *c == ' ') {
                for (k, ch) in s.chars().enumerate() {
                    axis[at + k] = ch;
                }
            }
        }
    }
    let axis: String = axis.iter().collect();
    format!("{:left$}{}", "", axis.trim_end())
}

/// `1`, `64`, `1k`, `16k`, `1M`.
pub fn short(n: u64) -> String {
    match n {
        p if p >= 1 << 20 && p % (1 << 20) == 0 => format!("{}M", p >> 20),
        p if p >= 1024 && p % 1024 == 0 => format!("{}k", p >> 10),
        p => p.to_string(),
    }
}

/// The widest line of a figure at `width`, for tests.
pub fn widest(figure: &Figure, width: usize) -> usize {
    let lines = match figure {
        Figure::Map { regions } => map_lines(regions, width),
        Figure::Chart(chart) => chart_lines(chart, width),
    };
    lines
        .iter()
        .map(|l| display_width(l.trim_end()))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Curve;

    fn chart() -> Figure {
        let xs: Vec<u64> = (0..16).map(|i| 1u64 << i).collect();
        let curve = |symbol, scale: f64| Curve {
            label: format!("curve {symbol}, a label of some length"),
            symbol,
            points: xs.iter().map(|&x| (x, (x as f64).log2() * scale)).collect(),
        };
        Figure::Chart(Chart {
            curves: vec![curve('+', 1.0), curve('*', 2.0)],
            height: 8,
            x_label: "pages touched".into(),
            y_unit: "ns".into(),
        })
    }

    fn map() -> Figure {
        let region = |top: u64, label: &str| MapRegion {
            top,
            bottom: top - 0x21000,
            label: label.into(),
            note: Some("← a stack variable, argv, the environment".into()),
            gap_below: Some("118 TiB unmapped, 3 regions not drawn".into()),
        };
        Figure::Map {
            regions: vec![
                region(0x7ffd_63ad_0000, "stack        rw-p   456 KiB  [stack]"),
                region(
                    0x5555_5555_9000,
                    "text         r-xp   6.0 MiB  /usr/bin/vmlab",
                ),
            ],
        }
    }

    #[test]
    fn figures_fit_every_width() {
        for width in [40, 60, 80, 120] {
            assert!(widest(&chart(), width) <= width, "chart at {width}");
            assert!(widest(&map(), width) <= width, "map at {width}");
        }
    }

    #[test]
    fn high_points_are_drawn_high() {
        let Figure::Chart(c) = chart() else {
            unreachable!()
        };
        let lines = chart_lines(&c, 80);
        let top = &lines[0];
        assert!(top.contains('*'), "{lines:#?}");
        assert!(!top.contains('+'), "{lines:#?}");
    }

    #[test]
    fn a_map_names_each_region_at_its_addresses() {
        let Figure::Map { regions } = map() else {
            unreachable!()
        };
        let lines = map_lines(&regions, 60);
        assert!(
            lines[0].starts_with("00007ffd63ad0000 ┌ stack"),
            "{lines:#?}"
        );
        assert!(lines.iter().any(|l| l.contains("┆ 118 TiB")), "{lines:#?}");
    }
}
