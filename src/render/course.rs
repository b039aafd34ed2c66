//! `vmlab course`: the goals, then each chapter of the notes with its concepts and the
//! commands that show them, fitted to the screen.

use std::io::{self, Write};

use super::Screen;
use super::text::wrap;
use crate::course::{ChapterText, Goal};
use crate::tr;

/// The three goals, each with the demos that show it: the course's opening and the
/// tour's.
pub fn render_goals(out: &mut dyn Write, screen: Screen) -> io::Result<()> {
    writeln!(out, "{}", screen.palette.bold(&tr!("course-goals-title")))?;
    for g in Goal::ALL {
        let demos: Vec<String> = g.demos().iter().map(|d| format!("vm-{d}")).collect();
        let line = tr!(
            "goal-line",
            goal = crate::i18n::tr(g.key(), None),
            meaning = crate::i18n::tr(&format!("{}.meaning", g.key()), None),
            demos = demos.join(", ")
        );
        bullet(out, &line, screen, 2)?;
    }
    Ok(())
}

/// `  • text`, wrapped, the continuation under the text.
fn bullet(out: &mut dyn Write, text: &str, screen: Screen, indent: usize) -> io::Result<()> {
    let pad = " ".repeat(indent);
    for (i, line) in wrap(text, screen.width - indent - 2).iter().enumerate() {
        let lead = if i == 0 { "• " } else { "  " };
        writeln!(out, "{pad}{lead}{line}")?;
    }
    Ok(())
}

/// The whole course map.
pub fn render_course(
    out: &mut dyn Write,
    chapters: &[ChapterText],
    screen: Screen,
) -> io::Result<()> {
    let palette = screen.palette;
    for line in wrap(&tr!("course-intro"), screen.width) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    render_goals(out, screen)?;
    for ch in chapters {
        writeln!(out)?;
        let title = format!("{}. {}", ch.number, ch.title);
        for line in wrap(&title, screen.width) {
            writeln!(out, "{}", palette.bold(&line))?;
        }
        for c in &ch.concepts {
            bullet(out, &c.text, screen, 2)?;
            let how = match &c.out_of_scope {
                Some(why) => tr!("course-out-of-scope", why = why.as_str()),
                None => tr!("course-shown-by", commands = c.shown_by.join(", ")),
            };
            for line in wrap(&how, screen.width - 6) {
                writeln!(out, "      {}", palette.accent(&line))?;
            }
        }
    }
    Ok(())
}
