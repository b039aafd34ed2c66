//! The memory dump as a figure of at most [`FIGURE_WIDTH`] columns: 16 bytes to a row
//! under a header of their offsets, each page's first row labelled with its number
//! (decimal and hex where that fits, else hex), its other rows with their offset in
//! the page. The byte at offset 0x1c of page 0x21 is on the page's `+0x10` row, in
//! column `+c`.

use super::model::Memory;
use crate::sim::FIGURE_WIDTH;

/// At most this many bytes to a row: 16 spaced bytes and a label fit in a figure.
const PER_ROW: u64 = 16;

/// How the rows are labelled.
pub struct Layout {
    pub per_row: usize,
    /// Whether page labels carry the decimal number beside the hex.
    pub decimal: bool,
    label_width: usize,
    hex_digits: usize,
    dec_digits: usize,
}

impl Layout {
    pub fn of(m: &Memory) -> Layout {
        let g = &m.geometry;
        let per_row = g.page_size.min(PER_ROW) as usize;
        let last = g.frames - 1;
        let hex_digits = hex_len(last).max(2);
        let dec_digits = last.to_string().len();
        let offset_width = "+0x".len() + hex_len(g.page_size - per_row as u64);
        let both = dec_digits + " 0x".len() + hex_digits;
        let decimal = both.max(offset_width) + 3 * per_row <= FIGURE_WIDTH;
        let page_width = if decimal { both } else { 2 + hex_digits };
        Layout {
            per_row,
            decimal,
            label_width: page_width.max(offset_width),
            hex_digits,
            dec_digits,
        }
    }

    fn page_label(&self, page: u64) -> String {
        let (dw, hw) = (self.dec_digits, self.hex_digits);
        if self.decimal {
            format!("{page:>dw$} 0x{page:0hw$x}")
        } else {
            format!("0x{page:0hw$x}")
        }
    }
}

/// Hex digits of `v` (at least 1).
fn hex_len(v: u64) -> usize {
    format!("{v:x}").len()
}

/// The dump's lines: the header, then every row of every page.
pub fn figure(m: &Memory, layout: &Layout) -> Vec<String> {
    let w = layout.label_width;
    let header: String = (0..layout.per_row).map(|j| format!(" +{j:x}")).collect();
    let mut lines = vec![format!("{:w$}{header}", "")];
    let page_size = m.geometry.page_size as usize;
    for (page, bytes) in m.bytes.chunks(page_size).enumerate() {
        for (k, row) in bytes.chunks(layout.per_row).enumerate() {
            let label = match k {
                0 => layout.page_label(page as u64),
                _ => format!("+{:#x}", k * layout.per_row),
            };
            let hex: String = row.iter().map(|b| format!(" {b:02x}")).collect();
            lines.push(format!("{label:>w$}{hex}"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::multilevel::Geometry;

    fn lines(page: u64, physmem: u64) -> (Layout, Vec<String>) {
        let g = Geometry::new(page, physmem, 2, None).unwrap();
        let mut n = 0u8;
        let m = Memory::new(
            g,
            || {
                n = n.wrapping_add(1);
                n
            },
            0,
        );
        let layout = Layout::of(&m);
        let lines = figure(&m, &layout);
        (layout, lines)
    }

    #[test]
    fn every_dump_fits_a_figure_and_keeps_every_byte() {
        for page in [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] {
            for physmem in [2 * page, 4096.max(2 * page), 64 << 10] {
                let (layout, lines) = lines(page, physmem);
                let rows = physmem / layout.per_row as u64;
                assert_eq!(lines.len() as u64, rows + 1, "{page} {physmem}");
                for l in &lines {
                    assert!(l.chars().count() <= FIGURE_WIDTH, "{page} {physmem}: {l}");
                }
            }
        }
    }

    #[test]
    fn the_ostep_dump_labels_pages_in_decimal_and_hex() {
        let (layout, lines) = lines(32, 4096);
        assert!(layout.decimal);
        assert_eq!(lines.len(), 1 + 2 * 128);
        assert!(lines[0].ends_with(" +e +f"), "{}", lines[0]);
        // Page 0: the directory (0x7f) then random bytes; its second row at +0x10.
        assert!(lines[1].starts_with("  0 0x00 7f 7f"), "{}", lines[1]);
        assert!(lines[2].starts_with("   +0x10 7f"), "{}", lines[2]);
        assert!(lines[255].starts_with("127 0x7f "), "{}", lines[255]);
        assert_eq!(lines[1].chars().count(), FIGURE_WIDTH);
    }
}
