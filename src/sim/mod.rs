//! Simulators for what the kernel does not show: base and bounds, segmentation,
//! free-space management, linear and multi-level page tables walked by hand, TLB and
//! page-replacement policies.
//!
//! Each simulator turns parameters and a seed into an [`Exercise`]: the problem as a
//! student reads it, numbered [`Question`]s with their canonical answers, and the
//! worked solution a teacher would write on the board. The same parameters and seed
//! give the same exercise on any machine (the generator is [`Rng`], a fixed
//! algorithm, not a library whose output may change between versions). [`grade`]
//! checks a student's answers file against the questions (`--check`, for autograding).
//! Where the real machine can show the same concept, `--real` adds a part measured on
//! this kernel, and the output says which part is simulated and which is measured.
//!
//! The simulators follow the OSTEP homework programs (relocation.py, segmentation.py,
//! malloc.py, paging-linear-translate.py, paging-multilevel-translate.py,
//! paging-policy.py) in what they ask and what their parameters mean, without their
//! known faults.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, InputError, Result};
use crate::render::Palette;

pub mod freespace;
pub mod multilevel;
pub mod paging;
pub mod policy;
pub mod relocate;
pub mod segment;
pub mod tlb;

/// A small deterministic random generator (SplitMix64): the same seed gives the same
/// numbers everywhere, forever.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100 (0 and 100 are exact: no division).
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Shuffles `v` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// One question of an exercise and its canonical answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    /// 1-based, as the student writes it in an answers file.
    pub id: usize,
    pub prompt: String,
    /// The answer as the solution prints it: a number (`0x3a12`, `14`) or a word
    /// (`fault`, `hit`, ...).
    pub answer: String,
    /// Other spellings that count as right (`segfault` for `fault` ...).
    pub also: Vec<String>,
}

impl Question {
    pub fn new(id: usize, prompt: impl Into<String>, answer: impl Into<String>) -> Question {
        Question {
            id,
            prompt: prompt.into(),
            answer: answer.into(),
            also: Vec::new(),
        }
    }

    /// Adds accepted alternative spellings.
    pub fn or(mut self, also: &[&str]) -> Question {
        self.also.extend(also.iter().map(|s| s.to_string()));
        self
    }

    /// Whether `given` is this question's answer: numbers compare by value (hex with
    /// `0x` or decimal, a trailing unit `bytes`/`byte`/`B` ignored), words without regard
    /// to case or surrounding space.
    pub fn accepts(&self, given: &str) -> bool {
        std::iter::once(&self.answer)
            .chain(&self.also)
            .any(|a| same_answer(a, given))
    }
}

fn same_answer(expected: &str, given: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .to_ascii_lowercase()
            .replace(char::is_whitespace, " ")
    };
    match (number(expected), number(without_unit(given))) {
        (Some(a), Some(b)) => a == b,
        _ => norm(expected) == norm(given),
    }
}

/// `given` without a trailing unit word (`16 bytes`, `16 byte`, `0x10 B` → the number);
/// the unit must be a word of its own (`0x1b` is a number, not `0x1` bytes), and it is
/// only dropped, never converted (no `KiB`).
fn without_unit(given: &str) -> &str {
    let given = given.trim();
    match given.rsplit_once(char::is_whitespace) {
        Some((n, unit))
            if ["bytes", "byte", "b"]
                .iter()
                .any(|u| unit.eq_ignore_ascii_case(u)) =>
        {
            n.trim_end()
        }
        _ => given,
    }
}

/// A note for a wrong answer that is a hex number written without `0x` (`a369`) where
/// a number is expected: without `0x` it reads as a word, so it cannot be right, and the
/// student should know that it is the notation, not (only) the number, that is wrong.
fn note_for(q: &Question, given: &str) -> Option<String> {
    let expects_number = std::iter::once(&q.answer)
        .chain(&q.also)
        .any(|a| number(a).is_some());
    let bare = without_unit(given).replace('_', "");
    let bare_hex =
        !bare.is_empty() && bare.chars().all(|c| c.is_ascii_hexdigit()) && number(&bare).is_none();
    (expects_number && bare_hex).then(|| "write hex numbers with 0x".to_string())
}

/// A number as students write it: `0x3a12`, `3a12h` is not accepted (ambiguous), decimal
/// `14`, with `_` separators allowed.
pub fn number(s: &str) -> Option<u64> {
    let s = s.trim().replace('_', "");
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else {
        s.parse().ok()
    }
}

/// An exercise: what the student sees, the questions, and the worked solution.
#[derive(Clone, Debug, Serialize)]
pub struct Exercise {
    /// The simulator (`relocate`, `paging` ...).
    pub simulator: String,
    pub seed: u64,
    /// The parameters used, as the command line takes them: enough to make the same
    /// exercise again.
    pub params: serde_json::Value,
    /// The problem, line by line, as printed for the student.
    pub problem: Vec<String>,
    pub questions: Vec<Question>,
    /// The worked solution, step by step.
    pub solution: Vec<String>,
    /// The part measured on this machine (`--real`), line by line; empty otherwise.
    pub real: Vec<String>,
    /// The simulator's own structured data (problem and solution), for `--json`.
    pub data: serde_json::Value,
}

/// The result of checking an answers file.
#[derive(Clone, Debug, Serialize)]
pub struct Grade {
    pub simulator: String,
    pub seed: u64,
    /// The exercise graded against, as a command line with a word on its parameters
    /// (`vmlab sim paging --seed 0 (default parameters)`): printed first, so that a
    /// forgotten `--seed` shows.
    pub against: String,
    pub results: Vec<Graded>,
    pub right: usize,
    pub total: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Graded {
    pub id: usize,
    pub given: Option<String>,
    pub expected: String,
    pub right: bool,
    /// A hint on a wrong answer (`write hex numbers with 0x`), or none.
    pub note: Option<String>,
}

impl Grade {
    /// 0 when every answer is right, 1 otherwise (as a demo's contradicted claim).
    pub fn exit_code(&self) -> u8 {
        if self.right == self.total { 0 } else { 1 }
    }
}

/// Checks an answers file against an exercise. The file has one answer per line,
/// `ID: ANSWER` or `ID ANSWER` (`3: 0x1a2b`, `4 fault`); blank lines and lines starting
/// with `#` are ignored. A missing answer is wrong; a malformed line, an unknown or
/// repeated question number is an input error (exit 2) naming the line.
pub fn grade(exercise: &Exercise, answers: &str) -> Result<Grade> {
    let mut given: std::collections::BTreeMap<usize, String> = Default::default();
    for (n, line) in answers.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| {
            Error::Input(InputError::BadAnswers {
                line: n + 1,
                text: line.to_string(),
                why: why.to_string(),
            })
        };
        let (id, answer) = line
            .split_once(':')
            .or_else(|| line.split_once(char::is_whitespace))
            .ok_or_else(|| bad("expected 'NUMBER: ANSWER'"))?;
        let id: usize = id
            .trim()
            .parse()
            .map_err(|_| bad("the question number is not a number"))?;
        if !exercise.questions.iter().any(|q| q.id == id) {
            return Err(bad(&format!(
                "there is no question {id} (questions 1 to {})",
                exercise.questions.len()
            )));
        }
        if given.insert(id, answer.trim().to_string()).is_some() {
            return Err(bad(&format!("question {id} is answered twice")));
        }
    }
    let results: Vec<Graded> = exercise
        .questions
        .iter()
        .map(|q| {
            let g = given.get(&q.id).cloned();
            let right = g.as_deref().is_some_and(|a| q.accepts(a));
            Graded {
                id: q.id,
                right,
                note: g.as_deref().filter(|_| !right).and_then(|a| note_for(q, a)),
                given: g,
                expected: q.answer.clone(),
            }
        })
        .collect();
    Ok(Grade {
        simulator: exercise.simulator.clone(),
        seed: exercise.seed,
        against: against(exercise, None),
        right: results.iter().filter(|r| r.right).count(),
        total: results.len(),
        results,
    })
}

/// The exercise as a command line, for the first line of a grade:
/// `vmlab sim paging --seed 0 (default parameters)`. With `defaults` (the parameters the
/// simulator takes for this seed when none are given) it names only the parameters that
/// differ from them; without, all of them.
pub fn against(e: &Exercise, defaults: Option<&serde_json::Value>) -> String {
    let head = format!("vmlab sim {} --seed {}", e.simulator, e.seed);
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    let Some(params) = e.params.as_object() else {
        return head;
    };
    let listed: Vec<String> = params
        .iter()
        .filter(|(k, v)| match defaults {
            Some(d) => d.get(k.as_str()) != Some(*v),
            None => !v.is_null(),
        })
        .map(|(k, v)| format!("{k}={}", show(v)))
        .collect();
    match (defaults, listed.is_empty()) {
        (Some(_), true) => format!("{head} (default parameters)"),
        (Some(_), false) => format!(
            "{head} (parameters other than the defaults: {})",
            listed.join(", ")
        ),
        (None, true) => head,
        (None, false) => format!("{head} (parameters: {})", listed.join(", ")),
    }
}

/// Prints an exercise: the problem and questions, and with `solve` the answers and the
/// worked solution; the measured part (`--real`) last, marked as measured.
pub fn render(out: &mut dyn Write, e: &Exercise, solve: bool, palette: Palette) -> Result<()> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(Error::Output);
    w(
        out,
        palette.bold(&format!(
            "━━ vmlab sim {} (seed {}) ━━ simulated, not measured",
            e.simulator, e.seed
        )),
    )?;
    for line in e.problem.iter().flat_map(|l| wrap(l)) {
        w(out, line)?;
    }
    if !e.questions.is_empty() {
        w(out, String::new())?;
        for q in &e.questions {
            for line in question_lines(q, solve, palette) {
                w(out, line)?;
            }
        }
    }
    if solve {
        w(out, String::new())?;
        w(out, palette.bold("Solution"))?;
        for line in e.solution.iter().flat_map(|l| wrap(l)) {
            w(out, line)?;
        }
    } else if !e.questions.is_empty() {
        w(out, String::new())?;
        let footer = format!(
            "Answer in a file, one line per question as 'NUMBER: ANSWER' (hex numbers with 0x), \
             and check it with --check FILE; or see the worked solution with --solve (same \
             --seed {}).",
            e.seed
        );
        for line in wrap(&footer) {
            w(out, palette.dim(&line))?;
        }
    }
    if !e.real.is_empty() {
        w(out, String::new())?;
        w(
            out,
            palette.bold("Measured on this machine (not simulated)"),
        )?;
        for line in e.real.iter().flat_map(|l| wrap(l)) {
            w(out, line)?;
        }
    }
    Ok(())
}

/// The width prose is wrapped to, as the demos' narration.
pub const WIDTH: usize = 92;

/// Whether `line` is a row of a table or a memory map, which wrapping would break: it
/// has a `|` beside a space (a column rule or the edge of a map, not the `00|0110b` of
/// a split address), box-drawing characters, or a run of two or more spaces between
/// words (an aligned column) after its indentation.
pub fn is_tabular(line: &str) -> bool {
    line.contains(" |")
        || line.contains("| ")
        || line.chars().any(|c| ('\u{2500}'..='\u{259f}').contains(&c))
        || line.trim().contains("  ")
}

/// `line` wrapped at word boundaries to [`WIDTH`] columns, the continuation lines
/// indented as the line plus two spaces; a line that fits, or a table row or memory map
/// ([`is_tabular`]), is left as it is.
pub fn wrap(line: &str) -> Vec<String> {
    if line.chars().count() <= WIDTH || is_tabular(line) {
        return vec![line.to_string()];
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    wrap_with(line, &format!("{indent}  "), WIDTH)
}

/// `line` wrapped at its words to `width` columns, continuation lines starting with
/// `cont`; a word longer than the width stays whole on a line of its own.
fn wrap_with(line: &str, cont: &str, width: usize) -> Vec<String> {
    let body = line.trim_start();
    let mut lines = vec![line[..line.len() - body.len()].to_string()];
    let mut fresh = true;
    for word in body.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !fresh && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("{cont}{word}"));
        } else {
            if !fresh {
                last.push(' ');
            }
            last.push_str(word);
        }
        fresh = false;
    }
    lines
}

/// A question as printed: `  3. PROMPT`, with `solve` its answer after `→`; a long
/// prompt wrapped under its first word, and the answer on a line of its own when it
/// does not fit after it.
fn question_lines(q: &Question, solve: bool, palette: Palette) -> Vec<String> {
    let text = format!("{:>3}. {}", q.id, q.prompt);
    let mut lines = if is_tabular(&q.prompt) || text.chars().count() <= WIDTH {
        vec![text]
    } else {
        wrap_with(&text, "     ", WIDTH)
    };
    if solve {
        let last = lines.last_mut().expect("one line");
        if last.chars().count() + 4 + q.answer.chars().count() > WIDTH {
            lines.push(format!("     → {}", palette.bold(&q.answer)));
        } else {
            last.push_str(&format!("  → {}", palette.bold(&q.answer)));
        }
    }
    lines
}

/// Prints a grade: the exercise graded against, one line per question, then the score.
pub fn render_grade(out: &mut dyn Write, g: &Grade, palette: Palette) -> Result<()> {
    writeln!(
        out,
        "{}",
        palette.dim(&format!("graded against: {}", g.against))
    )
    .map_err(Error::Output)?;
    for r in &g.results {
        let mark = if r.right {
            palette.good("right")
        } else {
            palette.warn("wrong")
        };
        let given = r.given.as_deref().unwrap_or("(no answer)");
        let line = match (r.right, &r.note) {
            (true, _) => format!("{:>3}. {mark}  {given}", r.id),
            (false, None) => format!("{:>3}. {mark}  {given}  (expected {})", r.id, r.expected),
            (false, Some(note)) => format!(
                "{:>3}. {mark}  {given}  (expected {}; {note})",
                r.id, r.expected
            ),
        };
        writeln!(out, "{line}").map_err(Error::Output)?;
    }
    writeln!(
        out,
        "{}",
        palette.bold(&format!(
            "{} of {} right ({}%)",
            g.right,
            g.total,
            (g.right * 100).checked_div(g.total).unwrap_or(100)
        ))
    )
    .map_err(Error::Output)
}

/// A parameter error: says which parameter and why.
pub fn bad_param(name: &str, why: impl Into<String>) -> Error {
    Error::Input(InputError::BadParameter {
        name: name.to_string(),
        why: why.into(),
    })
}

/// A size parameter as OSTEP writes them: `16k`, `1m`, `32`, `0x4000`.
pub fn size_param(name: &str, text: &str) -> Result<u64> {
    crate::addr::parse_number(text).map_err(|_| {
        bad_param(
            name,
            format!("'{text}' is not a size (examples: 4096, 16k, 1m, 0x4000)"),
        )
    })
}

/// A simulator's parameters as its command line has them with no option given: the
/// `Default` of every `Params` is this, so the defaults are written once, in the clap
/// attributes that `--help` shows.
pub fn clap_defaults<P: clap::Args + clap::FromArgMatches>() -> P {
    let cmd = P::augment_args(clap::Command::new("defaults"));
    let matches = cmd
        .try_get_matches_from(["defaults"])
        .expect("every simulator parameter has a default");
    P::from_arg_matches(&matches).expect("the defaults parse")
}

/// Checks that `value` is a percentage (0 to 100).
pub fn percent(name: &str, value: u64) -> Result<()> {
    if value > 100 {
        return Err(bad_param(
            name,
            format!("{value} is not a percentage (0 to 100)"),
        ));
    }
    Ok(())
}

/// Checks that `value` is a power of two.
pub fn power_of_two(name: &str, value: u64) -> Result<()> {
    if value == 0 || !value.is_power_of_two() {
        return Err(bad_param(name, format!("{value} is not a power of two")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_reproducible_and_in_range() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let mut r = Rng::new(7);
        let b: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(a, b);
        // The first SplitMix64 output for seed 0 (published reference value).
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::new(1);
        assert!((0..1000).all(|_| r.below(7) < 7));
        assert!((0..1000).all(|_| !r.chance(0)));
        assert!((0..1000).all(|_| r.chance(100)));
    }

    fn exercise() -> Exercise {
        Exercise {
            simulator: "test".into(),
            seed: 1,
            params: serde_json::Value::Null,
            problem: vec![],
            questions: vec![
                Question::new(1, "VA 0x10", "0x3a12"),
                Question::new(2, "VA 0x20", "fault").or(&["segfault", "violation"]),
                Question::new(3, "hits", "14"),
            ],
            solution: vec![],
            real: vec![],
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn grading_compares_numbers_by_value_and_words_loosely() {
        let e = exercise();
        let g = grade(&e, "# my answers\n1: 14866\n2 SegFault\n\n3: 0xe\n").unwrap();
        assert_eq!((g.right, g.total), (3, 3));
        assert_eq!(g.exit_code(), 0);
        let g = grade(&e, "1: 0x3a13\n3: 14\n").unwrap();
        assert_eq!((g.right, g.total), (1, 3));
        assert!(!g.results[0].right && g.results[1].given.is_none());
        assert_eq!(g.exit_code(), 1);
    }

    #[test]
    fn units_after_numbers_are_ignored_but_not_converted() {
        let e = exercise();
        let g = grade(&e, "1: 14866 bytes\n3: 14 B\n").unwrap();
        assert_eq!((g.right, g.total), (2, 3));
        for right in ["14 byte", "0xe  BYTES", "14 b", "1_4 bytes"] {
            assert!(e.questions[2].accepts(right), "{right}");
        }
        // Only dropped when a word of its own, and never converted.
        for wrong in [
            "14B",
            "0xeb",
            "14 KiB",
            "14 bits",
            "bytes",
            "14 bytes bytes",
        ] {
            assert!(!e.questions[2].accepts(wrong), "{wrong}");
        }
        assert!(e.questions[0].accepts("0x3a12 B"));
        assert!(!e.questions[0].accepts("0x3a12B"));
        // Words are not numbers: no unit is stripped from them.
        assert!(!e.questions[1].accepts("fault B"));
    }

    #[test]
    fn bare_hex_is_wrong_with_a_note_on_the_notation() {
        let e = exercise();
        let g = grade(&e, "1: 3a12\n2: fade\n3: e\n").unwrap();
        assert_eq!(g.right, 0);
        let note = Some("write hex numbers with 0x".to_string());
        assert_eq!(g.results[0].note, note);
        // A word question gets no note, nor a right answer or a decimal one.
        assert_eq!(g.results[1].note, None);
        assert_eq!(g.results[2].note, note);
        let g = grade(&e, "1: 0x3a12\n3: 15\n").unwrap();
        assert!(g.results.iter().all(|r| r.note.is_none()), "{g:?}");
        let mut out = Vec::new();
        let g = grade(&e, "1: 3a12 bytes\n").unwrap();
        render_grade(&mut out, &g, Palette { enabled: false }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("  1. wrong  3a12 bytes  (expected 0x3a12; write hex numbers with 0x)"),
            "{text}"
        );
        let json = serde_json::to_value(&g).unwrap();
        assert_eq!(json["results"][0]["note"], "write hex numbers with 0x");
        assert!(json["results"][1]["note"].is_null());
    }

    #[test]
    fn the_grade_names_the_exercise_it_graded_against() {
        let mut e = exercise();
        e.params = serde_json::json!({"pagesize": "4k", "numaddrs": 5, "addresses": null});
        let g = grade(&e, "1: 0x3a12\n").unwrap();
        assert_eq!(
            g.against,
            "vmlab sim test --seed 1 (parameters: numaddrs=5, pagesize=4k)"
        );
        let same = e.params.clone();
        assert_eq!(
            against(&e, Some(&same)),
            "vmlab sim test --seed 1 (default parameters)"
        );
        let defaults = serde_json::json!({"pagesize": "4k", "numaddrs": 10, "addresses": null});
        assert_eq!(
            against(&e, Some(&defaults)),
            "vmlab sim test --seed 1 (parameters other than the defaults: numaddrs=5)"
        );
        let mut out = Vec::new();
        render_grade(&mut out, &g, Palette { enabled: false }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("graded against: vmlab sim test --seed 1 (parameters:"),
            "{text}"
        );
    }

    #[test]
    fn wrap_breaks_prose_at_words_and_leaves_tables_alone() {
        let short = "  a short line stays as it is";
        assert_eq!(wrap(short), vec![short.to_string()]);
        let words: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let long = format!("   7. {}", words.join(" "));
        let lines = wrap(&long);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:?}"
        );
        assert!(lines[0].starts_with("   7. word0 word1"), "{lines:?}");
        // Continuations: the line's indentation plus two spaces, then a word.
        for l in &lines[1..] {
            assert!(l.starts_with("     word"), "{l:?}");
        }
        // No word is lost, split or reordered.
        let joined: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(joined[0], "7.");
        assert_eq!(
            joined[1..],
            words.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
        // A word longer than the width stays whole.
        let huge = format!("x {} y", "z".repeat(120));
        let lines = wrap(&huge);
        assert_eq!(
            lines,
            vec![
                "x".to_string(),
                format!("  {}", "z".repeat(120)),
                "  y".into()
            ]
        );
        // Table rows and memory maps are left alone, however long.
        let row = format!("  page    0 (0x00): {}", "67 ".repeat(40));
        let map = format!(
            "  memory |{}|  (one character per 256 bytes)",
            ".".repeat(100)
        );
        let listing = format!("  Memory by address: {}", "1000 free(6) | ".repeat(10));
        let boxed = format!("━━ {} ━━", "title ".repeat(20));
        for line in [row, map, listing, boxed] {
            assert!(line.chars().count() > WIDTH);
            assert_eq!(wrap(&line), vec![line.clone()]);
        }
        // Double spaces in the indentation only do not make a table.
        assert!(!is_tabular(
            "      entry [0] = 0x00000000: valid bit 0 → fault"
        ));
        assert!(is_tabular("  VA 0x010b  (decimal    267) → PA or fault?"));
        // A split address is not a table rule.
        assert!(!is_tabular(
            "   1. VA 0x000e = 00|00001110b: selector 00 → code"
        ));
    }

    #[test]
    fn long_questions_wrap_under_their_text_with_the_answer_last() {
        let words: Vec<String> = (0..25).map(|i| format!("word{i}")).collect();
        let q = Question::new(18, words.join(" "), "6022");
        let plain = Palette { enabled: false };
        let lines = question_lines(&q, true, plain);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines[0].starts_with(" 18. word0 "), "{lines:?}");
        assert!(lines[1].starts_with("     word"), "{lines:?}");
        assert!(lines.last().unwrap().ends_with("  → 6022"), "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:?}"
        );
        let unsolved = question_lines(&q, false, plain);
        assert!(!unsolved.concat().contains('→'), "{unsolved:?}");
        // A prompt that fits, with an answer that would not: the answer goes below.
        let q = Question::new(22, "p".repeat(86), "1024");
        let lines = question_lines(&q, true, plain);
        assert_eq!(
            lines,
            vec![format!(" 22. {}", "p".repeat(86)), "     → 1024".into()]
        );
        let short = Question::new(3, "VA 0x10: PA?", "0x3a12");
        assert_eq!(
            question_lines(&short, true, plain),
            vec!["  3. VA 0x10: PA?  → 0x3a12"]
        );
    }

    #[test]
    fn malformed_answer_files_are_input_errors() {
        let e = exercise();
        for bad in ["x: 1", "9: 1", "1: 2\n1: 3", "justoneword"] {
            match grade(&e, bad) {
                Err(Error::Input(InputError::BadAnswers { .. })) => {}
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
