//! Drawing the curves: a terminal chart (log x axis: the page counts are spaced by
//! factors of 1.5 and 2, so one column per point is a log scale) and, on request, an
//! SVG plot with plotters.

use std::path::Path;

use super::{Observation, PageKind, curve, knees};
use crate::error::{Error, InputError, Result};
use crate::tr;

/// One curve: its label, its plotting symbol, and (pages, ns per access) points.
pub struct Curve {
    pub label: String,
    pub symbol: char,
    pub points: Vec<(u64, f64)>,
}

/// The four curves of the record, with their symbols and translated labels.
pub fn curves(o: &Observation) -> Vec<Curve> {
    let symbols = ['+', '*', 'x', 'o'];
    o.curves
        .named()
        .into_iter()
        .zip(symbols)
        .map(|((name, points), symbol)| Curve {
            label: name.label(),
            symbol,
            points: curve(points),
        })
        .collect()
}

/// Draws the record's curves into the SVG file `path`, with the 4 KiB random curve's
/// knees and the CPU's first-level entry count marked.
pub fn plot(path: &Path, o: &Observation) -> Result<()> {
    let mut marks: Vec<(u64, String)> = knees(&o.curves.random_4k)
        .iter()
        .map(|k| (k.pages, tr!("tlb-plot-knee", pages = k.pages)))
        .collect();
    if let Some(n) = o.cpu.entries(1, PageKind::K4) {
        marks.push((n as u64, tr!("tlb-plot-cpuid", entries = n)));
    }
    let labels = Labels {
        title: tr!("tlb-plot-title", vendor = o.cpu.vendor.as_str()),
        x: tr!("tlb-plot-x"),
        y: tr!("tlb-plot-y"),
    };
    svg(path, &labels, &curves(o), &marks)
}

/// The words around a plot.
pub struct Labels {
    pub title: String,
    pub x: String,
    pub y: String,
}

/// `1`, `64`, `1k`, `16k`, `1M`.
pub fn short(pages: u64) -> String {
    match pages {
        p if p >= 1 << 20 && p % (1 << 20) == 0 => format!("{}M", p >> 20),
        p if p >= 1024 && p % 1024 == 0 => format!("{}k", p >> 10),
        p => p.to_string(),
    }
}

/// The curves as text: y = ns per access (linear), x = pages (one column per measured
/// point, so logarithmic), `x_label` under the axis. Where curves meet, the later
/// one's symbol shows.
pub fn terminal(curves: &[Curve], height: usize, x_label: &str) -> String {
    let xs: Vec<u64> = curves
        .first()
        .map(|c| c.points.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    let ymax = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    const COL: usize = 3;
    let mut grid = vec![vec![' '; xs.len() * COL]; height];
    for c in curves {
        for (&(x, y), col) in c.points.iter().zip(0..) {
            if xs.get(col) != Some(&x) {
                continue;
            }
            let row = ((y / ymax) * (height as f64 - 1.0)).round() as usize;
            grid[height - 1 - row.min(height - 1)][col * COL + 1] = c.symbol;
        }
    }
    let mut out = String::new();
    for (i, line) in grid.iter().enumerate() {
        let label = if i == 0 || i == height - 1 || i == height / 2 {
            format!(
                "{:>6.1}",
                ymax * (height - 1 - i) as f64 / (height as f64 - 1.0)
            )
        } else {
            String::new()
        };
        let text: String = line.iter().collect();
        out.push_str(&format!("{label:>6} ┤{}\n", text.trim_end()));
    }
    out.push_str(&format!("{:>6} └{}\n", "ns", "─".repeat(xs.len() * COL)));
    // Labels under the powers of four.
    let mut axis = vec![' '; xs.len() * COL + 8];
    for (col, &x) in xs.iter().enumerate() {
        if x.is_power_of_two() && x.trailing_zeros() % 2 == 0 {
            let s = short(x);
            let at = col * COL + 1;
            if axis[at..].iter().take(s.len() + 1).all(|c| *c == ' ') {
                for (k, ch) in s.chars().enumerate() {
                    axis[at + k] = ch;
                }
            }
        }
    }
    let axis: String = axis.iter().collect();
    out.push_str(&format!("{:>8}{}  {x_label}\n", "", axis.trim_end()));
    let legend: Vec<String> = curves
        .iter()
        .map(|c| format!("{} {}", c.symbol, c.label))
        .collect();
    out.push_str(&format!("{:>8}{}\n", "", legend.join("   ")));
    out
}

/// Refuses, before any measuring, a plot file vmlab cannot write.
pub fn check_plot_path(path: &Path) -> Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Ok(()),
        Some(e) if e.eq_ignore_ascii_case("png") => Err(InputError::BadParameter {
            name: "plot".into(),
            why: format!(
                "{}: PNG output would need system font libraries (fontconfig/freetype), \
                 which vmlab does not link; use a .svg file",
                path.display()
            ),
        }
        .into()),
        _ => Err(InputError::BadParameter {
            name: "plot".into(),
            why: format!("{}: the plot file must end in .svg", path.display()),
        }
        .into()),
    }
}

/// Draws the curves into an SVG file: ns per access against pages, log x axis.
pub fn svg(path: &Path, labels: &Labels, curves: &[Curve], marks: &[(u64, String)]) -> Result<()> {
    use plotters::prelude::*;
    let fail = |e: String| Error::Write {
        path: path.to_path_buf(),
        why: e,
    };
    let xmax = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .max()
        .unwrap_or(2)
        .max(2) as f64;
    let ymax = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * 1.1;
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(&labels.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((1f64..xmax).log_scale(), 0f64..ymax)
        .map_err(|e| fail(e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc(&labels.x)
        .y_desc(&labels.y)
        .x_label_formatter(&|x| short(x.round() as u64))
        .draw()
        .map_err(|e| fail(e.to_string()))?;
    let colors = [RED, BLUE, GREEN, MAGENTA, CYAN, BLACK];
    for (c, color) in curves.iter().zip(colors.iter().cycle()) {
        let color = *color;
        chart
            .draw_series(LineSeries::new(
                c.points.iter().map(|&(x, y)| (x as f64, y)),
                color.stroke_width(2),
            ))
            .map_err(|e| fail(e.to_string()))?
            .label(c.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    for (x, text) in marks {
        let x = *x as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, ymax)],
                BLACK.mix(0.4),
            )))
            .map_err(|e| fail(e.to_string()))?;
        chart
            .draw_series(std::iter::once(Text::new(
                text.clone(),
                (x, ymax * 0.97),
                ("sans-serif", 12),
            )))
            .map_err(|e| fail(e.to_string()))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| fail(e.to_string()))?;
    root.present().map_err(|e| fail(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_chart_puts_high_points_high() {
        let c = Curve {
            label: "a".into(),
            symbol: '*',
            points: vec![(1, 1.0), (2, 1.0), (4, 10.0), (16, 10.0)],
        };
        let t = terminal(&[c], 5, "pages");
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].contains("10.0"), "{t}");
        assert_eq!(lines[0].matches('*').count(), 2, "{t}");
        assert!(t.contains("16"), "{t}");
        assert!(t.contains("* a"));
    }

    #[test]
    fn only_svg_plots_are_accepted() {
        assert!(check_plot_path(Path::new("x.svg")).is_ok());
        let e = check_plot_path(Path::new("x.png")).unwrap_err().to_string();
        assert!(e.contains(".svg"), "{e}");
        assert!(check_plot_path(Path::new("x")).is_err());
    }
}
