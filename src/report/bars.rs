//! Costs as horizontal bars on a logarithmic axis: a cached write takes nanoseconds, a
//! major fault tens of microseconds, and on a linear axis only the longest bar would
//! show. Each bar is a median; a line across it spans the middle half of the runs,
//! which is what the timing claims are decided on. Every bar carries its number.

use crate::demos::faultcost::stats::{Spread, duration};
use crate::tr;

use super::markup::{Markup, num};

const WIDTH: f64 = 960.0;
/// Room left of the axis's start for half of its first label.
const LEFT: f64 = 24.0;
/// Room right of the longest bar for its number.
const RIGHT: f64 = 96.0;
const ROW_H: f64 = 40.0;
const TOP: f64 = 8.0;

/// A labelled cost; `None` when it was not measured (or not positive, which a
/// logarithmic axis cannot show).
pub struct Bar {
    pub label: String,
    pub cost: Option<Spread>,
}

/// The bars as an SVG element, `caption` its accessible name, `axis` the words under
/// the axis.
pub fn draw(bars: &[Bar], caption: &str, axis: &str) -> String {
    let measured = |b: &Bar| {
        b.cost
            .filter(|s| s.q1 > 0.0 && s.median > 0.0 && s.q3 > 0.0)
    };
    let (lo, hi) = bars
        .iter()
        .filter_map(measured)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), s| {
            (lo.min(s.q1), hi.max(s.q3))
        });
    let (lo, hi) = if lo.is_finite() {
        let lo = 10f64.powf(lo.log10().floor());
        let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);
        (lo, hi)
    } else {
        (1.0, 10.0)
    };
    let x = |ns: f64| LEFT + (ns / lo).log10() / (hi / lo).log10() * (WIDTH - LEFT - RIGHT);
    let mut body = Markup::new();
    let bottom = TOP + ROW_H * bars.len() as f64 + 4.0;
    axis_lines(&mut body, lo, hi, &x, bottom, axis);
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        body.svg_element(
            "text",
            &[("x", &num(LEFT)), ("y", &num(y + 12.0))],
            &b.label,
        );
        match measured(b) {
            Some(s) => bar(&mut body, s, y, &x),
            None => {
                body.svg_element(
                    "text",
                    &[
                        ("x", &num(LEFT)),
                        ("y", &num(y + 29.0)),
                        ("class", "missing"),
                    ],
                    &tr!("faultcost-not-measured"),
                );
            }
        }
    }
    let height = bottom + 40.0;
    let mut svg = Markup::new();
    let view = format!("0 0 {} {}", num(WIDTH), num(height));
    svg.open(
        "svg",
        &[
            ("class", "bars"),
            ("viewBox", &view),
            ("width", &num(WIDTH)),
            ("height", &num(height)),
            ("role", "img"),
            ("aria-label", caption),
        ],
    );
    svg.svg_element("title", &[], caption);
    svg.trusted(&body.finish());
    svg.close("svg");
    svg.finish()
}

/// One measured bar: the median as a bar from the axis's start, the middle half as a
/// line with end caps, the median written after whichever reaches further.
fn bar(m: &mut Markup, s: Spread, y: f64, x: &dyn Fn(f64) -> f64) {
    let (x0, xm, x1, x3) = (LEFT, x(s.median), x(s.q1), x(s.q3));
    m.empty(
        "rect",
        &[
            ("x", &num(x0)),
            ("y", &num(y + 17.0)),
            ("width", &num((xm - x0).max(1.0))),
            ("height", "14"),
        ],
    );
    m.open("g", &[("class", "spread")]);
    let mid = num(y + 24.0);
    m.empty(
        "line",
        &[
            ("x1", &num(x1)),
            ("y1", &mid),
            ("x2", &num(x3)),
            ("y2", &mid),
        ],
    );
    for end in [x1, x3] {
        let e = num(end);
        m.empty(
            "line",
            &[
                ("x1", &e),
                ("y1", &num(y + 19.0)),
                ("x2", &e),
                ("y2", &num(y + 29.0)),
            ],
        );
    }
    m.close("g");
    m.svg_element(
        "text",
        &[
            ("x", &num(xm.max(x3) + 6.0)),
            ("y", &num(y + 28.0)),
            ("class", "value"),
        ],
        &duration(s.median),
    );
}

/// The axis under the bars: a line for each power of ten across the rows, labelled.
fn axis_lines(m: &mut Markup, lo: f64, hi: f64, x: &dyn Fn(f64) -> f64, bottom: f64, words: &str) {
    m.open("g", &[("class", "axis")]);
    m.empty(
        "line",
        &[
            ("x1", &num(LEFT)),
            ("y1", &num(bottom)),
            ("x2", &num(x(hi))),
            ("y2", &num(bottom)),
        ],
    );
    let mut tick = lo;
    while tick <= hi * 1.0001 {
        let tx = num(x(tick));
        m.empty(
            "line",
            &[
                ("x1", &tx),
                ("y1", &num(TOP)),
                ("x2", &tx),
                ("y2", &num(bottom + 4.0)),
                ("class", "grid"),
            ],
        );
        m.svg_element(
            "text",
            &[
                ("x", &tx),
                ("y", &num(bottom + 17.0)),
                ("text-anchor", "middle"),
            ],
            &decade(tick),
        );
        tick *= 10.0;
    }
    m.svg_element(
        "text",
        &[("x", &num(LEFT)), ("y", &num(bottom + 34.0))],
        words,
    );
    m.close("g");
}

/// A power of ten of nanoseconds, as the axis labels it: `100 ns`, `1 µs`, `0.1 ns`.
fn decade(ns: f64) -> String {
    let (value, unit) = if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    if value >= 1.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{} {unit}", num(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(median: f64) -> Option<Spread> {
        Some(Spread {
            q1: median * 0.9,
            median,
            q3: median * 1.2,
            runs: 9,
        })
    }

    #[test]
    fn the_axis_spans_whole_decades_and_longer_costs_have_longer_bars() {
        let bars = [
            Bar {
                label: "cached <write>".into(),
                cost: spread(0.6),
            },
            Bar {
                label: "fault".into(),
                cost: spread(1700.0),
            },
            Bar {
                label: "major".into(),
                cost: None,
            },
        ];
        let svg = draw(&bars, "costs", "time per page");
        for label in ["0.1 ns", "1 ns", "10 ns", "100 ns", "1 µs", "10 µs"] {
            assert!(svg.contains(&format!(">{label}<")), "{label}: {svg}");
        }
        assert!(!svg.contains(">100 µs<"), "{svg}");
        assert!(svg.contains("cached &lt;write&gt;"));
        assert!(svg.contains(">1.70 µs<"), "{svg}");
        assert!(svg.contains("not measured"), "{svg}");
        let widths: Vec<f64> = svg
            .split("<rect ")
            .skip(1)
            .map(|r| {
                let w = r.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!(widths[1] > widths[0] * 3.0, "{widths:?}");
    }

    #[test]
    fn decades_read_with_their_unit() {
        assert_eq!(decade(1.0), "1 ns");
        assert_eq!(decade(1000.0), "1 µs");
        assert_eq!(decade(1e7), "10 ms");
        assert_eq!(decade(0.1), "0.1 ns");
    }
}
