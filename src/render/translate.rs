//! `vmlab translate`: the walk of one address, numbered like a textbook's figure.
//! Each step is a numbered label and its text, wrapped to the screen under the text.

use std::io::{self, Write};

use super::text::{display_width, wrap};
use super::{Screen, human_size, region_label};
use crate::frames::flag;
use crate::i18n::tr;
use crate::inspect::Translation;
use crate::pagemap::PageState;

/// The steps' names, in order: `1. region`, `2. split`, ...
const STEPS: [&str; 7] = [
    "translation-step-region",
    "translation-step-split",
    "translation-step-walk",
    "translation-step-pte",
    "translation-step-frame",
    "translation-step-physical",
    "translation-step-frame-info",
];

/// Writes the numbered steps, each text wrapped under itself.
struct Steps<'a> {
    out: &'a mut dyn Write,
    screen: Screen,
    /// The labels' width: every text starts in this column.
    indent: usize,
}

impl Steps<'_> {
    /// Step `n` (from 1) with `text`, styled by `style`.
    fn step(&mut self, n: usize, text: &str, style: fn(&Screen, &str) -> String) -> io::Result<()> {
        let label = format!("{n}. {}", tr(STEPS[n - 1], None));
        let pad = " ".repeat(self.indent - display_width(&label));
        let label = self.screen.palette.bold(&label);
        self.lines(&format!("{label}{pad}"), text, style)
    }

    /// A text under the last step's, styled by `style`.
    fn more(&mut self, text: &str, style: fn(&Screen, &str) -> String) -> io::Result<()> {
        self.lines(&" ".repeat(self.indent), text, style)
    }

    fn lines(
        &mut self,
        first: &str,
        text: &str,
        style: fn(&Screen, &str) -> String,
    ) -> io::Result<()> {
        let room = if self.screen.wide {
            usize::MAX / 2
        } else {
            self.screen.width.saturating_sub(self.indent).max(20)
        };
        for (i, line) in wrap(text, room).iter().enumerate() {
            let head = if i == 0 {
                first.to_string()
            } else {
                " ".repeat(self.indent)
            };
            writeln!(self.out, "{head}{}", style(&self.screen, line))?;
        }
        Ok(())
    }
}

fn plain(_: &Screen, t: &str) -> String {
    t.to_string()
}
fn dim(s: &Screen, t: &str) -> String {
    s.palette.dim(t)
}
fn warn(s: &Screen, t: &str) -> String {
    s.palette.warn(t)
}
fn good(s: &Screen, t: &str) -> String {
    s.palette.good(t)
}

pub fn render_translation(out: &mut dyn Write, t: &Translation, screen: Screen) -> io::Result<()> {
    let title = crate::tr!(
        "translation-title",
        va = format!("{:#x}", t.address.0),
        pid = t.target.pid,
        command = t.target.command.as_str()
    );
    for line in wrap(&title, screen.width) {
        writeln!(out, "{}", screen.palette.bold(&line))?;
    }
    writeln!(out)?;
    let widest = STEPS
        .iter()
        .enumerate()
        .map(|(i, k)| display_width(&format!("{}. {}", i + 1, tr(k, None))))
        .max()
        .unwrap_or(10);
    let mut s = Steps {
        out,
        screen,
        indent: widest + 2,
    };
    address_steps(&mut s, t)?;
    let Some(entry) = &t.entry else {
        let why = match t.region {
            Some(_) => crate::tr!("translation-outside-pagemap"),
            None => crate::tr!("translation-no-entry"),
        };
        return s.step(4, &why, warn);
    };
    let b = &entry.bits;
    let flag = |name: &str, on: bool| format!("{name}={}", on as u8);
    let bits = [
        flag("present", b.present),
        flag("swapped", b.swapped),
        flag("exclusive", b.exclusive),
        flag("file/shared", b.file_or_shared),
        flag("soft-dirty", b.soft_dirty),
        flag("uffd-wp", b.uffd_wp),
    ];
    let pte = crate::tr!(
        "translation-pte",
        raw = entry.raw.as_str(),
        bits = bits.join(" ")
    );
    s.step(4, &pte, plain)?;
    match entry.state {
        PageState::Present => frame_steps(&mut s, t),
        PageState::Swapped => {
            let text = crate::tr!(
                "translation-swapped",
                device = entry.swap_type.unwrap_or(0),
                slot = format!("{:#x}", entry.swap_offset.unwrap_or(0))
            );
            s.step(5, &text, warn)
        }
        _ => s.step(5, &crate::tr!("translation-not-present"), warn),
    }
}

/// Steps 1 to 3: the region, the split into VPN and offset, the walk's indices.
fn address_steps(s: &mut Steps, t: &Translation) -> io::Result<()> {
    match &t.region {
        Some(r) => s.step(1, &region_label(r), plain)?,
        None => s.step(1, &crate::tr!("translation-no-region"), warn)?,
    }
    let split = crate::tr!(
        "translation-split",
        size = human_size(t.page_size),
        bits = t.offset_bits
    );
    s.step(2, &split, plain)?;
    let parts = crate::tr!(
        "translation-split-parts",
        va = format!("{:#x}", t.address.0),
        vpn = format!("{:#x}", t.vpn),
        offset = format!("{:#x}", t.offset)
    );
    s.more(&parts, plain)?;
    let walk: Vec<String> = t
        .levels
        .iter()
        .map(|l| format!("{}[{}]", l.level, l.index))
        .collect();
    let bits: Vec<String> = t
        .levels
        .iter()
        .map(|l| format!("{}-{}", l.high_bit, l.low_bit))
        .collect();
    s.step(3, &walk.join(" → "), plain)?;
    let text = crate::tr!("translation-walk-bits", bits = bits.join(", "));
    s.more(&text, dim)
}

/// Steps 5 to 7, for a present page: the frame, the physical address, the frame's
/// map count and flags.
fn frame_steps(s: &mut Steps, t: &Translation) -> io::Result<()> {
    let Some(pfn) = t.pfn else {
        return s.step(5, &crate::tr!("translation-pfn-hidden"), warn);
    };
    s.step(
        5,
        &crate::tr!("translation-pfn", pfn = pfn.to_string()),
        good,
    )?;
    if let Some(pa) = t.physical {
        let text = crate::tr!(
            "translation-physical",
            page = t.page_size,
            pfn = format!("{:#x}", pfn.0),
            page_hex = format!("{:#x}", t.page_size),
            offset = format!("{:#x}", t.offset),
            pa = format!("{:#x}", pa.0)
        );
        s.step(6, &text, plain)?;
    }
    let Some(f) = &t.frame else {
        return Ok(());
    };
    let count = match f.map_count {
        Some(c) => crate::tr!("translation-map-count", count = c),
        None => crate::tr!("translation-map-count-unknown"),
    };
    s.step(7, &count, plain)?;
    let Some(fl) = f.flags else {
        return s.more(&crate::tr!("translation-flags-unknown"), plain);
    };
    let names = fl.names().join(" ");
    s.more(&crate::tr!("translation-flags", flags = names), plain)?;
    if fl.has(flag::ZERO_PAGE) {
        s.more(&crate::tr!("translation-zero-page"), dim)?;
    }
    if fl.has(flag::THP) {
        s.more(&crate::tr!("translation-thp"), dim)?;
    }
    Ok(())
}
