//! Turning the inspector's records into text for people. (`--json` needs no code
//! here: the records are `Serialize`.)
//!
//! Renderers write to any `io::Write`; the binary hands them stdout. Colour is decided
//! once by the binary and passed in as a [`Palette`].

mod course;
mod experiment;
pub mod figure;
mod frames;
mod glossary;
mod maps;
mod page_columns;
mod pages;
mod sim;
pub mod table;
pub mod text;
mod translate;

pub use course::{render_course, render_goals};
pub use experiment::{
    Legend, render_brief, render_brief_key, render_brief_reasons, render_experiment,
    render_summary_line, render_tour_summary,
};
pub(crate) use experiment::{legend_parts, mark};
pub use frames::{
    render_cache_header, render_cache_summary, render_file_cache, render_flag_docs,
    render_frame_run, render_frames_header, render_frames_summary,
};
pub use glossary::render_glossary;
pub use maps::render_maps;
pub use pages::{
    JsonPageSink, TablePageSink, render_flag_table, render_summary, render_summary_details,
};
pub use sim::{render_blocks, render_grade, render_sheet};
pub use translate::render_translation;

/// Where the output goes: its colours and its width in columns.
#[derive(Clone, Copy, Debug)]
pub struct Screen {
    pub palette: Palette,
    /// Columns; no line printed is wider, unless `wide`.
    pub width: usize,
    /// Keep every column of a table even when that makes it wider than `width`.
    pub wide: bool,
}

impl Screen {
    /// The width used when nothing says what it is (no terminal, no `COLUMNS`).
    pub const DEFAULT_WIDTH: usize = 80;
    /// The narrowest width vmlab lays text out for.
    pub const MIN_WIDTH: usize = 40;

    pub fn new(palette: Palette, width: usize) -> Screen {
        Screen {
            palette,
            width: width.max(Screen::MIN_WIDTH),
            wide: false,
        }
    }
}

/// Text styles, as ANSI escape codes when colour is on and nothing when it is off.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    pub fn warn(&self, text: &str) -> String {
        self.wrap("33", text)
    }

    pub fn good(&self, text: &str) -> String {
        self.wrap("32", text)
    }

    pub fn accent(&self, text: &str) -> String {
        self.wrap("36", text)
    }
}

/// A region in one line: `7ffd5fb23000-7ffd5fb44000 rw-p stack [stack]`.
fn region_label(r: &crate::space::Region) -> String {
    // Escaped: a file name may hold a newline or bytes that are not UTF-8.
    let backing = if r.backing.is_empty() {
        crate::tr!("region-anonymous")
    } else {
        crate::space::display_name(r.backing_bytes.as_deref().unwrap_or(r.backing.as_bytes()))
    };
    format!(
        "{:x}-{:x} {} {} {backing}",
        r.start.0,
        r.end.0,
        r.perms,
        r.kind.name()
    )
}

/// Sizes in binary units, as people read them: `0`, `512 B`, `4 KiB`, `1.5 MiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes == 0 {
        return "0".into();
    }
    let mut unit = 0;
    let mut value = bytes as f64;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{} {}", value as u64, UNITS[unit])
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// A table style for listings: a line under the header, no other borders, so long
/// listings stay readable and copy-pasteable.
fn listing_table(palette: Palette) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(
        comfy_table::TableStyle::new()
            .header_separator(comfy_table::LineStyle::none().fill('─').junction('─')),
    );
    if palette.enabled {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn right(t: &mut comfy_table::Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(0), "0");
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(4096), "4 KiB");
        assert_eq!(human_size(1536 * 1024), "1.5 MiB");
        assert_eq!(human_size(132 * 1024), "132 KiB");
        assert_eq!(human_size(64 << 30), "64 GiB");
        assert_eq!(human_size(2924 * 1024), "2.9 MiB");
        // The kernel's half of the address space, above user space.
        assert_eq!(human_size(u64::MAX - (1 << 47)), "16 EiB");
    }

    #[test]
    fn palette_off_adds_nothing() {
        let off = Palette { enabled: false };
        assert_eq!(off.bold("x"), "x");
        let on = Palette { enabled: true };
        assert_eq!(on.bold("x"), "\x1b[1mx\x1b[0m");
    }
}
