//! The columns of `vmlab pages` rows, fitted to the screen before the first row is
//! written: every column has a known widest value, so rows can stream. When the
//! columns are too wide, the least useful go first (and a line says which); the
//! flags come last, wrapped under their own column, or on the line under each row
//! when even the narrowest set of columns leaves them no room.

use super::Screen;
use super::text::{display_width, wrap};
use crate::addr::Paging;
use crate::i18n::tr;

/// A column of the rows: its header's catalogue key, the width its values need,
/// and whether they are right-aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Va,
    Vpn,
    Pages,
    State,
    Pfn,
    Pa,
    Maps,
    Excl,
    Sdirty,
}

impl Col {
    fn key(self) -> &'static str {
        match self {
            Col::Va => "pages-col-va",
            Col::Vpn => "pages-col-vpn",
            Col::Pages => "pages-col-pages",
            Col::State => "pages-col-state",
            Col::Pfn => "pages-col-pfn",
            Col::Pa => "pages-col-pa",
            Col::Maps => "pages-col-maps",
            Col::Excl => "pages-col-excl",
            Col::Sdirty => "pages-col-sdirty",
        }
    }

    fn right(self) -> bool {
        matches!(self, Col::Pages | Col::Maps)
    }
}

/// Columns that may go, least useful first: PA (PFN × page size gives it), VPN (the
/// VA gives it), then the soft-dirty, exclusive and map-count bits.
const OPTIONAL: [Col; 5] = [Col::Pa, Col::Vpn, Col::Sdirty, Col::Excl, Col::Maps];
/// The room the flags need beside the other columns; with less, they go below.
const MIN_FLAGS: usize = 16;
/// How far flags written under their row are indented.
const BELOW_INDENT: usize = 4;

/// The columns shown and their widths, fixed for the whole listing.
pub(super) struct Layout {
    pub columns: Vec<(Col, usize)>,
    /// Headers of the columns left out to fit the width.
    pub left_out: Vec<String>,
    /// The flags go on a line of their own under each row.
    pub flags_below: bool,
    /// Hex digits of the highest user address: VAs are zero-padded to it.
    pub va_digits: usize,
    screen: Screen,
}

/// The width each column's values need at most (a header may need more).
fn value_width(col: Col, runs: bool, paging: &Paging) -> usize {
    let va_digits = (paging.user_bits() as usize).div_ceil(4);
    let states = [
        "page-present",
        "page-swapped",
        "page-absent",
        "page-unmapped",
    ];
    match col {
        Col::Va => va_digits,
        Col::Vpn => 2 + va_digits - paging.page_shift as usize / 4,
        Col::Pages => 8,
        Col::State => states
            .iter()
            .map(|k| display_width(&tr(k, None)))
            .max()
            .unwrap_or(8),
        // 0x and 8 hex digits: frames of 16 TiB of RAM; a run shows `first-last`.
        Col::Pfn if runs => 21,
        Col::Pfn => 10,
        Col::Pa => 14,
        Col::Maps => 4,
        Col::Excl => ["yes", "no"]
            .iter()
            .map(|k| display_width(&tr(k, None)))
            .max()
            .unwrap_or(3),
        Col::Sdirty => 3,
    }
}

impl Layout {
    pub fn new(screen: Screen, runs: bool, paging: &Paging) -> Layout {
        let all: Vec<Col> = [Col::Va, Col::Vpn]
            .into_iter()
            .chain(runs.then_some(Col::Pages))
            .chain([
                Col::State,
                Col::Pfn,
                Col::Pa,
                Col::Maps,
                Col::Excl,
                Col::Sdirty,
            ])
            .collect();
        let mut columns: Vec<(Col, usize)> = all
            .into_iter()
            .map(|c| {
                let header = display_width(&tr(c.key(), None));
                (c, value_width(c, runs, paging).max(header))
            })
            .collect();
        let mut left_out = Vec::new();
        let fixed = |cols: &[(Col, usize)]| cols.iter().map(|(_, w)| w + 1).sum::<usize>();
        if !screen.wide {
            for gone in OPTIONAL {
                if fixed(&columns) + MIN_FLAGS <= screen.width {
                    break;
                }
                columns.retain(|(c, _)| *c != gone);
                left_out.push(tr(gone.key(), None));
            }
        }
        let flags_below = !screen.wide && fixed(&columns) + MIN_FLAGS > screen.width;
        Layout {
            columns,
            left_out,
            flags_below,
            va_digits: (paging.user_bits() as usize).div_ceil(4),
            screen,
        }
    }

    /// The header line(s), ready to print (the caller makes them bold).
    pub fn header(&self) -> Vec<String> {
        let cells: Vec<(Col, String)> = self
            .columns
            .iter()
            .map(|(c, _)| (*c, tr(c.key(), None)))
            .collect();
        self.row(&cells, &tr("pages-col-flags", None))
    }

    /// The line(s) of one row: `cells` (one per shown column, any order) padded to
    /// their widths, then `flags`, wrapped under their column or put below.
    pub fn row(&self, cells: &[(Col, String)], flags: &str) -> Vec<String> {
        let mut line = String::new();
        for (col, width) in &self.columns {
            let cell = cells
                .iter()
                .find(|(c, _)| c == col)
                .map_or("", |(_, t)| t.as_str());
            let pad = " ".repeat(width.saturating_sub(display_width(cell)));
            if col.right() {
                line.push_str(&format!("{pad}{cell} "));
            } else {
                line.push_str(&format!("{cell}{pad} "));
            }
        }
        let indent = display_width(&line);
        if self.screen.wide {
            return vec![format!("{line}{flags}").trim_end().to_string()];
        }
        if self.flags_below {
            let mut lines = vec![line.trim_end().to_string()];
            let room = self.screen.width - BELOW_INDENT;
            if !flags.is_empty() {
                let pad = " ".repeat(BELOW_INDENT);
                lines.extend(wrap(flags, room).into_iter().map(|l| format!("{pad}{l}")));
            }
            return lines;
        }
        let mut pieces = wrap(flags, self.screen.width - indent).into_iter();
        let first = pieces.next().unwrap_or_default();
        let mut lines = vec![format!("{line}{first}").trim_end().to_string()];
        lines.extend(pieces.map(|p| format!("{}{p}", " ".repeat(indent))));
        lines
    }
}
