//! Grading an answers file (`--check FILE`) against an exercise's questions.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use super::answer::bare_hex;
use super::exercise::Question;
use super::params::quote;
use crate::error::{Error, InputError, Result};
use crate::tr;

/// The largest answers file read (an exercise has at most a few thousand questions).
pub const MAX_ANSWERS_BYTES: u64 = 1 << 20;

/// The result of checking an answers file.
#[derive(Clone, Debug, Serialize)]
pub struct Grade {
    pub simulator: String,
    pub seed: u64,
    /// The exercise graded against, as a command line with a word on its parameters:
    /// printed first, so that a forgotten `--seed` shows.
    pub against: String,
    pub results: Vec<Graded>,
    pub right: usize,
    pub total: usize,
}

/// One question's result.
#[derive(Clone, Debug, Serialize)]
pub struct Graded {
    pub id: usize,
    pub given: Option<String>,
    /// The canonical answer, in English (the schema).
    pub expected: String,
    /// The canonical answer in the output language.
    pub expected_text: String,
    pub right: bool,
    /// A hint on a wrong answer (write hex numbers with 0x), in the output language.
    pub note: Option<String>,
}

impl Grade {
    /// 0 when every answer is right, 1 otherwise (as a demo's contradicted claim).
    pub fn exit_code(&self) -> u8 {
        if self.right == self.total { 0 } else { 1 }
    }
}

/// A text file the user gave (answers, a trace), read whole: at most `limit` bytes of
/// UTF-8 text. A larger, binary or unreadable file is an input error (exit 2) that
/// says which, never a hang (`/dev/zero`) or a crash.
pub fn read_text_file(path: &Path, limit: u64) -> Result<String> {
    let shown = quote(&path.display().to_string());
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let refuse = |text: String| Error::Input(InputError::Message(text));
    if bytes.len() as u64 > limit {
        return Err(refuse(tr!(
            "sim-file-too-large",
            path = shown.as_str(),
            limit = crate::render::human_size(limit)
        )));
    }
    if bytes.contains(&0) {
        return Err(refuse(tr!("sim-file-binary", path = shown.as_str())));
    }
    String::from_utf8(bytes).map_err(|_| refuse(tr!("sim-file-binary", path = shown.as_str())))
}

/// Reads the answers: one per line, `ID: ANSWER` or `ID ANSWER` (`3: 0x1a2b`,
/// `4 fault`); blank lines and lines starting with `#` are ignored. A malformed line,
/// an unknown or repeated question number is an input error naming the line.
pub fn parse_answers(questions: &[Question], text: &str) -> Result<BTreeMap<usize, String>> {
    let mut given = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: String| {
            Error::Input(InputError::Message(tr!(
                "sim-answers-bad-line",
                line = n + 1,
                text = quote(line),
                why = why
            )))
        };
        let (id, answer) = line
            .split_once(':')
            .or_else(|| line.split_once(char::is_whitespace))
            .ok_or_else(|| bad(tr!("sim-answers-no-separator")))?;
        let id: usize = id
            .trim()
            .parse()
            .map_err(|_| bad(tr!("sim-answers-not-a-number")))?;
        if !questions.iter().any(|q| q.id == id) {
            // The simulators number from 1, the OSTEP scripts from 0.
            let first = questions.iter().map(|q| q.id).min().unwrap_or(0);
            let last = questions.iter().map(|q| q.id).max().unwrap_or(0);
            return Err(bad(tr!(
                "sim-answers-no-such-question",
                id = id,
                first = first,
                last = last
            )));
        }
        if given.insert(id, answer.trim().to_string()).is_some() {
            return Err(bad(tr!("sim-answers-twice", id = id)));
        }
    }
    Ok(given)
}

/// Grades `answers` (an answers file's text) against `questions`. A missing answer is
/// wrong. `against` names the exercise (see [`super::against`]).
pub fn grade(
    simulator: &str,
    seed: u64,
    against: String,
    questions: &[Question],
    answers: &str,
) -> Result<Grade> {
    let given = parse_answers(questions, answers)?;
    let results: Vec<Graded> = questions
        .iter()
        .map(|q| {
            let g = given.get(&q.id).cloned();
            let right = g.as_deref().is_some_and(|a| q.accepts(a));
            let note = g
                .as_deref()
                .filter(|a| !right && bare_hex(&q.answer, a))
                .map(|_| tr!("sim-note-hex"));
            Graded {
                id: q.id,
                right,
                note,
                given: g,
                expected: q.answer.canonical(),
                expected_text: q.answer.text(),
            }
        })
        .collect();
    Ok(Grade {
        simulator: simulator.to_string(),
        seed,
        against,
        right: results.iter().filter(|r| r.right).count(),
        total: results.len(),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::answer::{Answer, Word};

    fn questions() -> Vec<Question> {
        vec![
            Question::new(1, "VA 0x10", Answer::hex(0x3a12, 4)),
            Question::new(2, "VA 0x20", Answer::word(Word::Fault)),
            Question::new(3, "hits", Answer::dec(14)),
        ]
    }

    fn grade_of(text: &str) -> Result<Grade> {
        grade("test", 1, String::new(), &questions(), text)
    }

    #[test]
    fn grading_compares_numbers_by_value_and_words_loosely() {
        let g = grade_of("# my answers\n1: 14866\n2 SegFault\n\n3: 0xe\n").unwrap();
        assert_eq!((g.right, g.total), (3, 3));
        assert_eq!(g.exit_code(), 0);
        let g = grade_of("1: 0x3a13\n3: 14\n2: violación de segmento").unwrap();
        assert_eq!((g.right, g.total), (2, 3));
        let g = grade_of("1: 0x3a13\n3: 14\n").unwrap();
        assert!(!g.results[0].right && g.results[1].given.is_none());
        assert_eq!(g.exit_code(), 1);
    }

    #[test]
    fn bare_hex_is_wrong_with_a_note_on_the_notation() {
        let g = grade_of("1: 3a12\n2: fade\n3: e\n").unwrap();
        assert_eq!(g.right, 0);
        assert!(g.results[0].note.is_some());
        assert_eq!(g.results[1].note, None);
        assert!(g.results[2].note.is_some());
        let g = grade_of("1: 0x3a12\n3: 15\n").unwrap();
        assert!(g.results.iter().all(|r| r.note.is_none()), "{g:?}");
    }

    #[test]
    fn malformed_answer_files_are_input_errors_quoting_little() {
        for bad in ["x: 1", "9: 1", "1: 2\n1: 3", "justoneword"] {
            match grade_of(bad) {
                Err(Error::Input(InputError::Message(_))) => {}
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        let huge = "x".repeat(100_000);
        let message = grade_of(&huge).unwrap_err().to_string();
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn binary_large_and_endless_files_are_refused() {
        let dir = std::env::temp_dir();
        let bin = dir.join(format!("vmlab-grade-bin-{}", std::process::id()));
        std::fs::write(&bin, b"1: 0x10\n\0\x01\x02").unwrap();
        let e = read_text_file(&bin, 1000).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        let big = dir.join(format!("vmlab-grade-big-{}", std::process::id()));
        std::fs::write(&big, "1: 1\n".repeat(100)).unwrap();
        assert_eq!(read_text_file(&big, 100).unwrap_err().exit_code(), 2);
        assert!(read_text_file(&big, 1000).is_ok());
        let zero = read_text_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(zero.exit_code(), 2);
        for p in [bin, big] {
            let _ = std::fs::remove_file(p);
        }
    }
}
