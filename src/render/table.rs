//! Tables fitted to the screen: the tables of demos' steps and of simulators'
//! exercises. Optional columns go first when a table is too wide (a line says which),
//! then cells of words wrap; cells that are single tokens (addresses, frame numbers)
//! are never cut.

use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement};

use super::text::wrap;
use super::{Screen, listing_table};
use crate::experiment::Table;
use crate::tr;

/// A step's table, indented by `indent` columns and fitted to the screen: its optional
/// columns left out while it is too wide (and a line says which), then cells wrapped.
/// On a `wide` screen every column stays and nothing wraps.
pub fn render_table(
    out: &mut dyn Write,
    table: &Table,
    screen: Screen,
    indent: usize,
) -> io::Result<()> {
    let width = screen.width - indent;
    let (table, left_out) = if screen.wide {
        (table.clone(), Vec::new())
    } else {
        fit_columns(table, width)
    };
    let mut t = listing_table(screen.palette);
    if !screen.wide {
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_width(width as u16);
    }
    t.set_header(table.columns.iter().map(Cell::new));
    for row in &table.rows {
        t.add_row(row.iter().map(Cell::new));
    }
    if !screen.wide {
        keep_tokens_whole(&mut t, &table, width);
    }
    let pad = " ".repeat(indent);
    for line in t.lines() {
        writeln!(out, "{pad}{}", line.trim_end())?;
    }
    if !left_out.is_empty() {
        let note = tr!(
            "table-left-out",
            columns = left_out.join(", "),
            width = screen.width
        );
        for line in wrap(&note, width) {
            writeln!(out, "{pad}{}", screen.palette.dim(&line))?;
        }
    }
    Ok(())
}

/// The width `table` takes with no cell wrapped: its widest cell in each column, plus
/// two columns of padding and one of border each.
fn natural_width(table: &Table) -> usize {
    use super::text::display_width;
    (0..table.columns.len())
        .map(|c| {
            let cells = table.rows.iter().filter_map(|r| r.get(c));
            cells
                .map(|s| display_width(s))
                .chain([display_width(&table.columns[c])])
                .max()
                .unwrap_or(0)
                + 3
        })
        .sum()
}

/// `table` without as many of its optional columns as it takes to fit `width`, and
/// the names of the columns left out.
fn fit_columns(table: &Table, width: usize) -> (Table, Vec<String>) {
    let mut keep: Vec<bool> = vec![true; table.columns.len()];
    let mut left_out = Vec::new();
    let mut fitted = table.clone();
    for &c in &table.optional {
        if natural_width(&fitted) <= width || c >= keep.len() {
            break;
        }
        keep[c] = false;
        left_out.push(table.columns[c].clone());
        fitted = project(table, &keep);
    }
    (fitted, left_out)
}

/// The columns of `table` marked in `keep`.
fn project(table: &Table, keep: &[bool]) -> Table {
    let pick = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.clone())
            .collect()
    };
    Table {
        columns: pick(&table.columns),
        rows: table.rows.iter().map(|r| pick(r)).collect(),
        legend: table.legend.clone(),
        optional: Vec::new(),
    }
}

/// Columns whose cells are single tokens (an address, a frame number) are never cut:
/// such a column is at least as wide as its widest cell (its heading may wrap, at
/// words); columns of words wrap, at word boundaries. When the single-token columns
/// alone are wider than the screen, every column may wrap, as a last resort.
fn keep_tokens_whole(t: &mut comfy_table::Table, table: &Table, width: usize) {
    use super::text::display_width;
    let columns = table.columns.len();
    let token_widths: Vec<Option<usize>> = (0..columns)
        .map(|c| {
            let cells = table.rows.iter().filter_map(|r| r.get(c));
            let heading = &table.columns[c];
            let mut widest = heading
                .split_whitespace()
                .map(display_width)
                .max()
                .unwrap_or(0);
            for cell in cells {
                if cell.trim().contains(char::is_whitespace) {
                    return None;
                }
                widest = widest.max(display_width(cell));
            }
            Some(widest)
        })
        .collect();
    // Each column also takes two columns of padding and one of border.
    let fixed: usize = token_widths.iter().flatten().map(|w| w + 3).sum();
    if fixed + 12 > width {
        return;
    }
    for (c, w) in token_widths.iter().enumerate() {
        if let Some(w) = w
            && let Some(col) = t.column_mut(c)
        {
            let at_least = comfy_table::Width::Fixed((w + 2) as u16);
            col.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(at_least));
        }
    }
}
