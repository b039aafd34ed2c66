//! `--check FILE` for every script: a student's answers, in the forms students write
//! for these scripts, graded against the questions a run asked.
//!
//! One answer a line, numbered as the scripts number (0-based, `VA 0`). Accepted:
//! `0: 0x33ab`, `VA 0: 0x000033ab`, a whole line copied from `-c`'s output
//! (`VA  0: 0x00000308 (decimal:  776) --> VALID: 0x00003b65 (decimal: 15205)`: the
//! part after `-->` is the answer), `SEGMENTATION VIOLATION (SEG1)`, hex without `0x`
//! where it cannot be read as decimal (`3dd6`, `00003000`), a line naming its address
//! instead of its number (`VA 0x00003a39 --> 00003dd6`), and the words of
//! [`crate::sim::answer`] in English or Spanish. The lines are brought to `ID: ANSWER`
//! and graded by [`crate::sim::grade`].

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::render::Screen;
use crate::sim::{Question, grade};

/// Grades the answers file at `path` against `questions`; prints the grade and
/// returns 0 when all are right, 1 otherwise.
pub fn check(
    questions: &[Question],
    path: &Path,
    against: String,
    out: &mut dyn Write,
    screen: Screen,
) -> Result<u8> {
    let text = grade::read_text_file(path, grade::MAX_ANSWERS_BYTES)?;
    let g = grade_text(questions, &text, against)?;
    crate::render::render_grade(out, &g, screen).map_err(Error::Output)?;
    Ok(g.exit_code())
}

/// Grades an answers file's text (see the module doc for the forms read).
pub fn grade_text(questions: &[Question], text: &str, against: String) -> Result<grade::Grade> {
    let mut by_address = HashSet::new();
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            addressed(questions, l, &mut by_address).unwrap_or_else(|| normalize(questions, l))
        })
        .collect();
    grade::grade("ostep", 0, against, questions, &lines.join("\n"))
}

/// A line that names its question by the virtual address, as paging-linear-
/// translate.py's output does (`VA 0x00003a39 (decimal: 14905) --> 00003dd6 ...`):
/// `ID: ANSWER` for the first question not yet answered whose prompt ends with that
/// address; `None` for a line of another form.
fn addressed(questions: &[Question], line: &str, taken: &mut HashSet<usize>) -> Option<String> {
    let t = line.trim();
    let t = t
        .strip_prefix("VA")
        .or_else(|| t.strip_prefix("va"))
        .unwrap_or(t)
        .trim_start();
    let hex = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))?;
    let end = hex
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(hex.len());
    let va = u64::from_str_radix(&hex[..end], 16).ok()?;
    let shown = format!("0x{va:08x}");
    let q = questions
        .iter()
        .find(|q| q.prompt.ends_with(&shown) && !taken.contains(&q.id))?;
    taken.insert(q.id);
    let rest = hex[end..].trim_start_matches([' ', ':', '\t']);
    let mut answer = answer_part(rest);
    if q.answer.is_number() {
        answer = hex_when_unambiguous(&answer);
    }
    Some(format!("{}: {answer}", q.id))
}

/// One line brought to `ID: ANSWER` (or left as it is when it has no number first, so
/// that the grader names it as malformed).
pub fn normalize(questions: &[Question], line: &str) -> String {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return t.to_string();
    }
    // A label before the number: `VA`, `Virtual Address`, `Access`, `q`, `ptr[`.
    let start = t.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let label = &t[..start];
    if !label
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '#' | '['))
    {
        return t.to_string();
    }
    let rest = &t[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let Ok(id) = rest[..end].parse::<usize>() else {
        return t.to_string();
    };
    let answer = rest[end..].trim_start_matches([' ', ':', '.', ')', '\t', ']', '=']);
    let answer = answer_part(answer);
    let numeric = questions
        .iter()
        .find(|q| q.id == id)
        .is_some_and(|q| q.answer.is_number());
    let answer = if numeric {
        hex_when_unambiguous(&answer)
    } else {
        answer
    };
    format!("{id}: {answer}")
}

/// The answer in a copied output line: after `-->` (the physical address of
/// `--> Translates to Physical Address 0x3dd --> Value: 0x1a`), after `returned`
/// (malloc.py's `ptr[0] = Alloc(3) returned 1000`), without `VALID:`/`VALID in
/// SEG0:` and without parentheses (`(decimal: 776)`, `(SEG1)`).
fn answer_part(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let text = if let Some(at) = lower.find("physical address ") {
        let after = &text[at + "physical address ".len()..];
        after.split_whitespace().next().unwrap_or_default()
    } else if let Some((_, after)) = text.rsplit_once("returned") {
        after
    } else if let Some((_, after)) = text.rsplit_once("-->") {
        after
    } else {
        text
    };
    let mut kept = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let t = kept.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("valid") {
        // `VALID: 0x...`, `VALID in SEG0: 0x...`: the address after the colon.
        if let Some((_, addr)) = t.split_once(':') {
            return addr.trim().to_string();
        }
    }
    t.to_string()
}

/// `3dd6` as `0x3dd6`: hex digits with a letter among them cannot be decimal; nor
/// can digits padded with zeros (`00003000`, as paging-linear-translate.py prints a
/// physical address), which only hex is written with.
fn hex_when_unambiguous(answer: &str) -> String {
    let a = answer.trim();
    let letters = a.chars().any(|c| c.is_ascii_alphabetic());
    let padded = a.len() > 1 && a.starts_with('0');
    if (letters || padded) && a.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("0x{a}")
    } else {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Answer, Word};

    fn questions() -> Vec<Question> {
        vec![
            Question::new(0, "VA 0", Answer::hex(0x3b65, 8)),
            Question::new(1, "VA 1", Answer::word(Word::Fault)),
            Question::new(2, "VA 2", Answer::hex(0x3dd6, 4)),
        ]
    }

    #[test]
    fn malloc_and_multilevel_lines_are_read() {
        let qs = vec![
            Question::new(0, "ptr[0]", Answer::dec(1000)),
            Question::new(1, "ptr[1]", Answer::word(Word::Null)),
            Question::new(2, "VA 2", Answer::hex(0x3dd, 3)),
        ];
        let text = "ptr[0] = Alloc(3) returned 1000 (searched 1 elements)\n\
                    ptr[1]: -1\n\
                    VA 2: --> Translates to Physical Address 0x3dd --> Value: 0x1a\n";
        let g = grade_text(&qs, text, String::new()).unwrap();
        assert_eq!((g.right, g.total), (3, 3), "{g:#?}");
    }

    #[test]
    fn the_forms_students_write_are_read() {
        let text = "VA  0: 0x00000308 (decimal:  776) --> VALID: 0x00003b65 (decimal: 15205)\n\
                    VA 1: SEGMENTATION VIOLATION (SEG1)\n\
                    2: 3dd6\n";
        let g = grade_text(&questions(), text, String::new()).unwrap();
        assert_eq!((g.right, g.total), (3, 3), "{g:#?}");
        let text = "0: 15205\n1 violación de segmento\nva 2: 0x3dd6";
        let g = grade_text(&questions(), text, String::new()).unwrap();
        assert_eq!(g.right, 3, "{g:#?}");
        let text = "VA 0: VALID in SEG0: 0x3b65\n1: 0x10\n2: 3dd7";
        let g = grade_text(&questions(), text, String::new()).unwrap();
        assert_eq!(g.right, 1, "{g:#?}");
    }

    #[test]
    fn lines_may_name_the_address_instead_of_the_number() {
        let qs = vec![
            Question::new(0, "VA 0x00003a39", Answer::hex(0x3dd6, 8)),
            Question::new(1, "VA 0x00000010", Answer::word(Word::Fault)),
            Question::new(2, "VA 0x00003a39", Answer::hex(0x3000, 8)),
        ];
        let text = "  VA 0x00003a39 (decimal:    14905) --> 00003dd6 (decimal    15830) [VPN 3]\n\
                    VA 0x00000010 (decimal:       16) -->  Invalid (VPN 0 not valid)\n\
                    VA 0x3a39: 00003000";
        let g = grade_text(&qs, text, String::new()).unwrap();
        assert_eq!((g.right, g.total), (3, 3), "{g:#?}");
    }

    #[test]
    fn lines_without_a_number_are_refused() {
        assert!(grade_text(&questions(), "hello", String::new()).is_err());
        assert!(grade_text(&questions(), "VA 7: 0x1", String::new()).is_err());
    }
}
