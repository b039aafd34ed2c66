//! `vmlab glossary`: each term in the chosen language and the other, what it means,
//! and the command that shows it, fitted to the screen.

use std::io::{self, Write};

use super::Screen;
use super::text::wrap;
use crate::glossary::Entry;
use crate::i18n::{Lang, lang};
use crate::tr;

pub fn render_glossary(out: &mut dyn Write, entries: &[Entry], screen: Screen) -> io::Result<()> {
    let palette = screen.palette;
    for line in wrap(&tr!("glossary-intro"), screen.width) {
        writeln!(out, "{line}")?;
    }
    for e in entries {
        writeln!(out)?;
        let (first, second) = match lang() {
            Lang::Es => (&e.es, &e.en),
            Lang::En => (&e.en, &e.es),
        };
        let head = format!("{first} — {second}");
        for line in wrap(&head, screen.width) {
            writeln!(out, "{}", palette.bold(&line))?;
        }
        for line in wrap(&e.meaning, screen.width - 4) {
            writeln!(out, "    {line}")?;
        }
        let shown = tr!("course-shown-by", commands = e.shown_by);
        for line in wrap(&shown, screen.width - 4) {
            writeln!(out, "    {}", palette.accent(&line))?;
        }
    }
    Ok(())
}
