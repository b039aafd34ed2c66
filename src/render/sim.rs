//! A simulator's exercise and a grade, laid out for a screen: prose and steps wrapped
//! by [`wrap`], tables fitted by [`render_table`], figures printed as drawn (they are
//! at most [`crate::sim::FIGURE_WIDTH`] columns).

use std::io::{self, Write};

use super::Screen;
use super::table::render_table;
use super::text::{display_width, wrap};
use crate::sim::{Block, Grade, Question, Sheet, Simulator};
use crate::tr;

/// Prints an exercise: the problem and questions, and with `solve` the answers and the
/// worked solution; the measured part (`--real`) last, marked as measured.
pub fn render_sheet<S: Simulator>(
    out: &mut dyn Write,
    sheet: &Sheet<S>,
    solve: bool,
    screen: Screen,
) -> io::Result<()> {
    let p = screen.palette;
    let title = tr!(
        "sim-header",
        name = sheet.simulator,
        // As text: Fluent would print a number past 2^53 as the nearest float.
        seed = sheet.seed.to_string()
    );
    for line in wrap(&title, screen.width) {
        writeln!(out, "{}", p.bold(&line))?;
    }
    render_blocks(out, &sheet.exercise.problem, screen)?;
    let questions = &sheet.exercise.questions;
    if !questions.is_empty() {
        writeln!(out)?;
        for q in questions {
            render_question(out, q, solve, screen)?;
        }
    }
    if solve {
        writeln!(out)?;
        writeln!(out, "{}", p.bold(&tr!("sim-solution")))?;
        render_blocks(out, &sheet.exercise.solution, screen)?;
    } else if !questions.is_empty() {
        writeln!(out)?;
        let footer = tr!("sim-footer", seed = sheet.seed.to_string());
        for line in wrap(&footer, screen.width) {
            writeln!(out, "{}", p.dim(&line))?;
        }
    }
    if let Some(real) = &sheet.real {
        writeln!(out)?;
        for line in wrap(&tr!("sim-measured"), screen.width) {
            writeln!(out, "{}", p.bold(&line))?;
        }
        render_blocks(out, real, screen)?;
    }
    Ok(())
}

/// Prints blocks in order.
pub fn render_blocks(out: &mut dyn Write, blocks: &[Block], screen: Screen) -> io::Result<()> {
    for block in blocks {
        render_block(out, block, screen)?;
    }
    Ok(())
}

fn render_block(out: &mut dyn Write, block: &Block, screen: Screen) -> io::Result<()> {
    let p = screen.palette;
    match block {
        Block::Prose(text) => {
            for line in wrap(text, screen.width) {
                writeln!(out, "{line}")?;
            }
        }
        Block::Note(text) => {
            for line in wrap(text, screen.width) {
                writeln!(out, "{}", p.dim(&line))?;
            }
        }
        Block::Item(text) => hanging(out, "  • ", text, screen.width)?,
        Block::Step { id, text } => hanging(out, &format!("{id:>3}. "), text, screen.width)?,
        Block::Detail(text) => hanging(out, "     • ", text, screen.width)?,
        Block::Table(table) => render_table(out, table, screen, 2)?,
        Block::Figure(lines) => {
            for line in lines {
                writeln!(out, "  {}", line.trim_end())?;
            }
        }
    }
    Ok(())
}

/// `text` wrapped after `head`, its later lines indented as far as `head` is wide.
fn hanging(out: &mut dyn Write, head: &str, text: &str, width: usize) -> io::Result<()> {
    for line in hanging_lines(head, text, width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn hanging_lines(head: &str, text: &str, width: usize) -> Vec<String> {
    let indent = display_width(head);
    let pad = " ".repeat(indent);
    wrap(text, width.saturating_sub(indent).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { head } else { &pad }))
        .collect()
}

/// A question: `  3. PROMPT`, with `solve` its answer after `→` (on a line of its own
/// when it does not fit after the prompt).
fn render_question(
    out: &mut dyn Write,
    q: &Question,
    solve: bool,
    screen: Screen,
) -> io::Result<()> {
    let mut lines = hanging_lines(&format!("{:>3}. ", q.id), &q.prompt, screen.width);
    if solve {
        let answer = q.answer.text();
        let shown = screen.palette.bold(&answer);
        let last = lines.last_mut().expect("one line");
        if display_width(last) + 4 + display_width(&answer) > screen.width {
            lines.push(format!("     → {shown}"));
        } else {
            last.push_str(&format!("  → {shown}"));
        }
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Prints a grade: the exercise graded against, one line per question, then the score.
pub fn render_grade(out: &mut dyn Write, g: &Grade, screen: Screen) -> io::Result<()> {
    let p = screen.palette;
    let head = tr!("sim-graded-against", command = g.against.as_str());
    for line in wrap(&head, screen.width) {
        writeln!(out, "{}", p.dim(&line))?;
    }
    for r in &g.results {
        let (mark, plain) = if r.right {
            let w = tr!("sim-grade-right");
            (p.good(&w), w)
        } else {
            let w = tr!("sim-grade-wrong");
            (p.warn(&w), w)
        };
        let given = r
            .given
            .clone()
            .unwrap_or_else(|| tr!("sim-grade-no-answer"));
        let text = match (r.right, &r.note) {
            (true, _) => given,
            (false, None) => tr!(
                "sim-grade-expected",
                given = given,
                expected = r.expected_text.as_str()
            ),
            (false, Some(note)) => tr!(
                "sim-grade-expected-note",
                given = given,
                expected = r.expected_text.as_str(),
                note = note.as_str()
            ),
        };
        let head = format!("{:>3}. {plain}  ", r.id);
        for (i, line) in hanging_lines(&head, &text, screen.width).iter().enumerate() {
            // Colour the mark only once the line is laid out, so widths stay right.
            let line = if i == 0 {
                line.replacen(&plain, &mark, 1)
            } else {
                line.clone()
            };
            writeln!(out, "{line}")?;
        }
    }
    let score = tr!(
        "sim-grade-score",
        right = g.right,
        total = g.total,
        percent = percent(g.right, g.total)
    );
    writeln!(out, "{}", p.bold(&score))
}

/// `right` of `total` as a whole percentage, rounded to the nearest (6 of 7: 86), but
/// never 100 with an answer wrong nor 0 with one right.
fn percent(right: usize, total: usize) -> usize {
    if total == 0 {
        return 100;
    }
    let nearest = (right * 100 + total / 2) / total;
    match right {
        0 => 0,
        r if r == total => 100,
        _ => nearest.clamp(1, 99),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scores_round_to_the_nearest_percent_but_never_hide_a_mistake() {
        use super::percent;
        assert_eq!(percent(6, 7), 86);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(199, 200), 99);
        assert_eq!(percent(1, 1000), 1);
        assert_eq!((percent(0, 5), percent(5, 5), percent(0, 0)), (0, 100, 100));
    }

    use super::*;
    use crate::render::Palette;
    use crate::sim::Answer;

    fn screen(width: usize) -> Screen {
        Screen::new(Palette { enabled: false }, width)
    }

    #[test]
    fn long_questions_wrap_under_their_text_with_the_answer_last() {
        let words: Vec<String> = (0..25).map(|i| format!("word{i}")).collect();
        let q = Question::new(18, words.join(" "), Answer::dec(6022));
        let mut out = Vec::new();
        render_question(&mut out, &q, true, screen(60)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines[0].starts_with(" 18. word0 "), "{lines:?}");
        assert!(lines[1].starts_with("     word"), "{lines:?}");
        assert!(lines.last().unwrap().ends_with("→ 6022"), "{lines:?}");
        assert!(lines.iter().all(|l| display_width(l) <= 60), "{lines:?}");
        let mut out = Vec::new();
        render_question(&mut out, &q, false, screen(60)).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains('→'));
    }

    #[test]
    fn steps_and_items_hang_under_their_text() {
        let text = "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(4);
        let lines = hanging_lines("  7. ", &text, 40);
        assert!(lines[0].starts_with("  7. a b"));
        assert!(lines[1..].iter().all(|l| l.starts_with("     ")));
        assert!(lines.iter().all(|l| display_width(l) <= 40));
    }
}
