//! An address space as a picture, procmap-like: the regions top down (high addresses
//! first), each a box whose height grows with the logarithm of its size, so that a
//! 4 KiB page stays visible beside gigabytes; the gaps between regions are cut short,
//! with their size written in them (user space is 128 TiB, the regions a few MiB: to
//! scale, every region would be thinner than a pixel).

use crate::addr::Paging;
use crate::experiment::MapRegion;
use crate::render::human_size;
use crate::space::{Region, RegionKind};
use crate::tr;

use super::markup::{Markup, num};

/// The most boxes one picture draws; a process with more (a browser maps thousands)
/// gets the highest ones and a line saying how many more there are.
pub const MAX_BANDS: usize = 400;

/// One box of the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Its end (exclusive) and start addresses.
    pub top: u64,
    pub bottom: u64,
    /// One line about it (`text r-xp 7.7 MiB vmlab`).
    pub label: String,
    /// A second line (`← a stack variable`), if any.
    pub note: Option<String>,
    /// Its fill: the region's kind, if known.
    pub kind: Option<RegionKind>,
    /// The gap below it, in words, if it is not adjacent to the next box.
    pub gap_below: Option<String>,
}

/// The regions of a live process (lowest first, as maps lists them), highest first,
/// with the gaps between them measured.
pub fn bands_of_regions(regions: &[Region], paging: &Paging) -> Vec<Band> {
    let user_end = paging.user_space_end();
    let mut bands = Vec::with_capacity(regions.len());
    for (i, r) in regions.iter().enumerate().rev() {
        let below = i.checked_sub(1).map(|b| &regions[b]);
        let gap_below = below.and_then(|b| {
            let size = r.start.0.saturating_sub(b.end.0);
            if size == 0 {
                None
            } else if r.start.0 > user_end {
                // From the end of user space up to a region of the kernel's half
                // ([vsyscall]): the non-canonical hole and the kernel's memory.
                Some(tr!("report-gap-kernel", size = human_size(size)))
            } else {
                Some(tr!("report-gap", size = human_size(size)))
            }
        });
        let mut label = format!("{} {} {}", r.kind.name(), r.perms, human_size(r.size()));
        if let Some(u) = r.usage {
            label = format!(
                "{label}, {}",
                tr!("report-region-rss", rss = human_size(u.rss))
            );
        }
        if !r.backing.is_empty() {
            label = format!("{label}  {}", r.backing);
        }
        bands.push(Band {
            top: r.end.0,
            bottom: r.start.0,
            label,
            note: None,
            kind: Some(r.kind),
            gap_below,
        });
    }
    bands
}

/// A demo's drawing of an address space ([`crate::experiment::Figure::Map`]), whose
/// regions and gaps the demo has already put in words.
pub fn bands_of_figure(regions: &[MapRegion]) -> Vec<Band> {
    regions
        .iter()
        .map(|r| Band {
            top: r.top,
            bottom: r.bottom,
            // The terminal aligns the label's fields with runs of spaces.
            label: r.label.split_whitespace().collect::<Vec<_>>().join(" "),
            note: r.note.clone(),
            kind: None,
            gap_below: r.gap_below.clone(),
        })
        .collect()
}

const WIDTH: f64 = 960.0;
const BOX_X: f64 = 148.0;
const BOX_W: f64 = 150.0;
const LABEL_X: f64 = BOX_X + BOX_W + 12.0;
const GAP_H: f64 = 24.0;
/// Characters of a label that fit right of the boxes (monospace, 11 px).
const LABEL_CHARS: usize = 96;

/// The height of a box of `size` bytes: 16 px for one page, 6 px more for every
/// doubling, at most 112 px; 30 px at least when it has a second line.
pub fn height(size: u64, page: u64, two_lines: bool) -> f64 {
    let pages = (size / page.max(1)).max(1) as f64;
    let h = (16.0 + 6.0 * pages.log2()).min(112.0);
    if two_lines { h.max(30.0) } else { h }
}

/// The picture as an SVG element. `caption` is its accessible name.
pub fn draw(bands: &[Band], page: u64, caption: &str) -> String {
    let shown = &bands[..bands.len().min(MAX_BANDS)];
    let mut body = Markup::new();
    let mut y = 8.0;
    for (i, b) in shown.iter().enumerate() {
        let h = height(b.top.saturating_sub(b.bottom), page, b.note.is_some());
        band(&mut body, b, y, h);
        y += h;
        // A bottom address is written only where no box starts at it: above a gap,
        // and under the lowest box; it goes under the edge, where the gap is.
        let last = i + 1 == shown.len();
        if last || b.gap_below.is_some() {
            address(&mut body, b.bottom, y);
        }
        if let Some(gap) = b.gap_below.as_ref().filter(|_| !last) {
            cut(&mut body, gap, y);
            y += GAP_H;
        }
    }
    if bands.len() > shown.len() {
        y += 18.0;
        let more = tr!("report-space-more", count = bands.len() - shown.len());
        body.svg_element(
            "text",
            &[("x", "0"), ("y", &num(y)), ("class", "gap")],
            &more,
        );
    }
    let height = y + 18.0;
    let mut svg = Markup::new();
    let view = format!("0 0 {} {}", num(WIDTH), num(height));
    svg.open(
        "svg",
        &[
            ("class", "space"),
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

/// One region: its top address, its box, its label and note right of it.
fn band(m: &mut Markup, b: &Band, y: f64, h: f64) {
    let class = match b.kind {
        Some(k) => format!("region k-{}", k.name()),
        None => "region".to_string(),
    };
    m.open("g", &[("class", &class)]);
    let tooltip = match &b.note {
        Some(n) => format!("{:#x}-{:#x} {}\n{n}", b.bottom, b.top, b.label),
        None => format!("{:#x}-{:#x} {}", b.bottom, b.top, b.label),
    };
    m.svg_element("title", &[], &tooltip);
    address(m, b.top, y);
    m.empty(
        "rect",
        &[
            ("x", &num(BOX_X)),
            ("y", &num(y)),
            ("width", &num(BOX_W)),
            ("height", &num(h)),
        ],
    );
    let first = if b.note.is_some() {
        y + 13.0
    } else {
        y + h / 2.0 + 4.0
    };
    let label = short(&b.label, LABEL_CHARS);
    m.svg_element("text", &[("x", &num(LABEL_X)), ("y", &num(first))], &label);
    if let Some(note) = &b.note {
        let (x, y) = (num(LABEL_X), num(y + 27.0));
        let attrs = [("x", x.as_str()), ("y", &y), ("class", "note")];
        m.svg_element("text", &attrs, &short(note, LABEL_CHARS));
    }
    m.close("g");
}

/// An address at the left, just under the line at height `y` (a box's top edge, or
/// the bottom edge of one that a gap follows).
fn address(m: &mut Markup, a: u64, y: f64) {
    m.svg_element(
        "text",
        &[("x", "0"), ("y", &num(y + 10.0)), ("class", "addr")],
        &format!("{a:016x}"),
    );
}

/// A gap: the box column broken by two zigzags, and its size written beside.
fn cut(m: &mut Markup, gap: &str, y: f64) {
    let zigzag = |base: f64| {
        let mut points = Vec::new();
        let mut x = BOX_X;
        let mut up = true;
        while x <= BOX_X + BOX_W {
            points.push(format!(
                "{},{}",
                num(x),
                num(base + if up { 0.0 } else { 4.0 })
            ));
            x += 10.0;
            up = !up;
        }
        points.join(" ")
    };
    m.open("g", &[("class", "gap")]);
    for base in [y + 5.0, y + GAP_H - 9.0] {
        m.empty("polyline", &[("points", &zigzag(base))]);
    }
    m.svg_element(
        "text",
        &[("x", &num(LABEL_X)), ("y", &num(y + GAP_H / 2.0 + 4.0))],
        gap,
    );
    m.close("g");
}

/// `text` cut to `max` characters, with `…` where it was cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::{PagingLevels, VirtAddr};
    use crate::space::Perms;

    fn region(start: u64, end: u64, kind: RegionKind, backing: &str) -> Region {
        Region {
            start: VirtAddr(start),
            end: VirtAddr(end),
            perms: Perms {
                read: true,
                write: true,
                exec: false,
                shared: false,
            },
            kind,
            backing: backing.into(),
            backing_bytes: None,
            offset: 0,
            inode: 0,
            usage: None,
        }
    }

    #[test]
    fn bigger_regions_are_taller_and_small_ones_stay_visible() {
        let page = 4096;
        assert_eq!(height(4096, page, false), 16.0);
        assert!(height(2 << 20, page, false) > height(8 << 10, page, false));
        assert_eq!(height(1 << 40, page, false), 112.0);
        assert_eq!(height(4096, page, true), 30.0);
    }

    #[test]
    fn gaps_are_measured_and_adjacent_regions_have_none() {
        let paging = Paging::new(4096, PagingLevels::Four);
        let regions = [
            region(0x1000, 0x3000, RegionKind::Text, "/bin/<x>"),
            region(0x3000, 0x4000, RegionKind::Data, "/bin/<x>"),
            region(
                0x7fff_0000_0000,
                0x7fff_0002_1000,
                RegionKind::Stack,
                "[stack]",
            ),
            region(
                0xffff_ffff_ff60_0000,
                0xffff_ffff_ff60_1000,
                RegionKind::Vsyscall,
                "[vsyscall]",
            ),
        ];
        let bands = bands_of_regions(&regions, &paging);
        assert_eq!(bands[0].kind, Some(RegionKind::Vsyscall), "highest first");
        assert!(bands[0].gap_below.as_ref().unwrap().contains("kernel"));
        assert!(bands[1].gap_below.as_ref().unwrap().contains("128 TiB"));
        assert_eq!(bands[2].gap_below, None, "data touches text");
        assert_eq!(bands[3].gap_below, None, "the lowest has nothing below");
        let svg = draw(&bands, 4096, "a <test>");
        assert!(svg.contains("/bin/&lt;x&gt;"), "{svg}");
        assert!(svg.contains("aria-label=\"a &lt;test&gt;\""), "{svg}");
        assert!(
            svg.contains(">0000000000001000<"),
            "the lowest address: {svg}"
        );
    }

    #[test]
    fn a_huge_map_is_cut_and_says_so() {
        let paging = Paging::new(4096, PagingLevels::Four);
        let regions: Vec<Region> = (0..MAX_BANDS as u64 + 5)
            .map(|i| region(i * 0x2000, i * 0x2000 + 0x1000, RegionKind::Anon, ""))
            .collect();
        let svg = draw(&bands_of_regions(&regions, &paging), 4096, "many");
        assert_eq!(svg.matches("<rect").count(), MAX_BANDS);
        assert!(svg.contains("5 more regions"), "{svg:.300}");
    }
}
