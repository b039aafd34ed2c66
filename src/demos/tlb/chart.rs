//! Drawing the curves: a terminal chart (log x axis: the page counts are spaced by
//! factors of 1.5 and 2, so one column per point is a log scale) and, on request, an
//! SVG plot with plotters.

use std::path::Path;

use super::{Observation, PageKind, curve, knees};
use crate::error::{Error, InputError, Result};
use crate::tr;

use crate::experiment::{Chart, Curve, Figure};

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
    let fail = |why: String| Error::Write {
        path: path.to_path_buf(),
        why,
    };
    let svg = plot_svg(o).map_err(fail)?;
    std::fs::write(path, svg).map_err(|e| fail(e.to_string()))
}

/// The plot `--plot` writes, as SVG text: the same drawing for a file and for a page.
pub fn plot_svg(o: &Observation) -> std::result::Result<String, String> {
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
    svg(&labels, &curves(o), &marks)
}

/// The words around a plot.
pub struct Labels {
    pub title: String,
    pub x: String,
    pub y: String,
}

/// The curves as a chart the renderer lays out to the screen: y = ns per access, x =
/// pages (one column per measured point, so logarithmic).
pub fn figure(o: &Observation) -> Figure {
    Figure::Chart(Chart {
        curves: curves(o),
        height: 16,
        x_label: tr!("tlb-chart-x"),
        y_unit: "ns".into(),
    })
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

/// Colours told apart also by readers who confuse red and green (Okabe and Ito).
const COLORS: [(u8, u8, u8); 6] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
];

/// Draws the curves as SVG text: ns per access against pages, log x axis, each mark
/// a vertical line with its words (staggered, so that marks at the same x stay legible).
pub fn svg(
    labels: &Labels,
    curves: &[Curve],
    marks: &[(u64, String)],
) -> std::result::Result<String, String> {
    use plotters::prelude::*;
    let fail = |e: &dyn std::fmt::Display| e.to_string();
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
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&labels.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d((1f64..xmax).log_scale(), 0f64..ymax)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .max_light_lines(2)
            .light_line_style(RGBColor(238, 238, 238))
            .x_label_formatter(&|x| crate::render::figure::short(x.round() as u64))
            .draw()
            .map_err(|e| fail(&e))?;
        for (c, &(r, g, b)) in curves.iter().zip(COLORS.iter().cycle()) {
            let color = RGBColor(r, g, b);
            chart
                .draw_series(LineSeries::new(
                    c.points.iter().map(|&(x, y)| (x as f64, y)),
                    color.stroke_width(2),
                ))
                .map_err(|e| fail(&e))?
                .label(c.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        for (i, (x, text)) in marks.iter().enumerate() {
            let x = *x as f64;
            let line = PathElement::new(vec![(x, 0.0), (x, ymax)], BLACK.mix(0.4));
            chart
                .draw_series(std::iter::once(line))
                .map_err(|e| fail(&e))?;
            let at = (x, ymax * (0.97 - 0.05 * i as f64));
            let words = Text::new(text.clone(), at, ("sans-serif", 14));
            chart
                .draw_series(std::iter::once(words))
                .map_err(|e| fail(&e))?;
        }
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 14))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_svg_plots_are_accepted() {
        assert!(check_plot_path(Path::new("x.svg")).is_ok());
        let e = check_plot_path(Path::new("x.png")).unwrap_err().to_string();
        assert!(e.contains(".svg"), "{e}");
        assert!(check_plot_path(Path::new("x")).is_err());
    }
}
