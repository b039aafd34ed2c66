//! `vmlab ostep SCRIPT [its own flags]`: a drop-in for the OSTEP homework simulators
//! (relocation.py, segmentation.py, malloc.py, paging-linear-translate.py,
//! paging-multilevel-translate.py, paging-policy.py). The same flags (read as
//! `optparse` reads them, [`optparse`]), the same problem for the same seed (Python's
//! generator, [`pyrandom`]), the same output line for line; the translations, walks,
//! allocations and hits come from vmlab's models in [`crate::sim`], not a second copy.
//!
//! The scripts' own text stays English, as the scripts print it (a teacher's handout
//! and a student's output must match line for line). What vmlab adds is in the output
//! language: the help (`-h`), errors, the marked lines where a script's answer is
//! wrong ([`Line::Note`]), and the grade of `--check FILE` ([`check`]).
//!
//! A script is one module `src/ostep/<script>.rs` exposing a [`Script`]; adding one is
//! a line in [`SCRIPTS`].

use std::io::Write;

use crate::error::{Error, InputError, Result};
use crate::render::Screen;
use crate::render::text::wrap;
use crate::sim::Question;
use crate::tr;

pub mod check;
pub mod malloc;
pub mod optparse;
pub mod paging_multilevel;
pub mod paging_policy;
pub mod pyint;
pub mod pyrandom;
pub mod size;

pub mod paging_linear;
pub mod relocation;
pub mod segmentation;

pub use optparse::{Kind, Opt, Parsed, PyInt};
pub use pyrandom::PyRandom;

/// Every script vmlab stands in for, one line each.
#[rustfmt::skip]
pub const SCRIPTS: &[Script] = &[
    relocation::SCRIPT,
    segmentation::SCRIPT,
    paging_linear::SCRIPT,
    malloc::SCRIPT,
    paging_multilevel::SCRIPT,
    paging_policy::SCRIPT,
];

/// The six OSTEP scripts, for errors and help (those in [`SCRIPTS`] run).
pub const NAMES: [&str; 6] = [
    "relocation.py",
    "segmentation.py",
    "malloc.py",
    "paging-linear-translate.py",
    "paging-multilevel-translate.py",
    "paging-policy.py",
];

/// One OSTEP script.
#[derive(Debug)]
pub struct Script {
    /// Its file name, `relocation.py`.
    pub name: &'static str,
    /// The message id of a one-line description (for `-h`).
    pub about: &'static str,
    /// Its options, in the order its `-h` lists them.
    pub options: &'static [Opt],
    /// Runs it on the options read, adding to `run` as it goes: on an error, the
    /// lines added so far are printed first (as the script prints its first lines
    /// before it stops), then the error.
    pub run: fn(&Parsed, &mut Run) -> Result<()>,
}

/// What a run of a script gives: its lines, the questions it asks (for `--check`),
/// and the exit code the script would end with.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub lines: Vec<Line>,
    /// Numbered as the script numbers them (0-based: `VA 0`), answered right.
    pub questions: Vec<Question>,
    pub exit: u8,
}

/// One line of a run's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A line as the script prints it (English, never wrapped).
    Script(String),
    /// A line vmlab adds, in the output language: where the script is wrong or
    /// crashes, what it says and why vmlab differs. Printed marked and wrapped.
    Note(String),
}

impl Run {
    /// Adds a line as the script prints it.
    pub fn say(&mut self, line: impl Into<String>) {
        self.lines.push(Line::Script(line.into()));
    }

    /// Adds a marked note (already in the output language).
    pub fn note(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Note(text.into()));
    }

    /// The lines as printed, marked notes included, for tests and comparisons.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            match l {
                Line::Script(t) => s.push_str(t),
                Line::Note(t) => s.push_str(&tr!("ostep-note", text = t.as_str())),
            }
            s.push('\n');
        }
        s
    }
}

/// The most addresses (or table entries) vmlab prints for one run: a million lines
/// is past any exercise, and keeps a typo (`-n 10000000000`) from filling the memory.
pub const MAX_LINES: u64 = 1 << 20;

/// An integer flag used as a count, as `range(n)` uses it: negative is none; more
/// than [`MAX_LINES`] is refused.
pub fn count(p: &Parsed, flag: &str, dest: &str) -> Result<u64> {
    let n = p.int(dest);
    if n.negative {
        return Ok(0);
    }
    match n.to_i64() {
        Some(v) if (v as u64) <= MAX_LINES => Ok(v as u64),
        _ => Err(too_many(flag, &n.to_string())),
    }
}

/// The error for a count past [`MAX_LINES`].
pub fn too_many(flag: &str, value: &str) -> Error {
    Error::Input(InputError::Message(tr!(
        "ostep-too-many",
        flag = flag,
        value = crate::error::quote(value),
        max = MAX_LINES
    )))
}

/// The most draws vmlab makes where a script draws until one fits (a base where the
/// address space fits): past it, the script would go on for hours.
pub const MAX_DRAWS: u32 = 1 << 24;

/// `int(n * random.random())` drawn until `fits`, as the scripts' placement loops
/// draw; an error after [`MAX_DRAWS`] draws (one chance in millions per draw: the
/// script, too, would keep drawing, a hang in practice).
pub fn draw_until(rng: &mut PyRandom, n: i64, fits: impl Fn(i64) -> bool) -> Result<i64> {
    for _ in 0..MAX_DRAWS {
        let x = rng.below(n as f64);
        if fits(x) {
            return Ok(x);
        }
    }
    Err(Error::Input(InputError::Message(tr!(
        "ostep-endless-draws",
        draws = MAX_DRAWS
    ))))
}

/// The script named `name`, with or without `.py`, any case.
pub fn find(name: &str) -> Result<&'static Script> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.strip_suffix(".py").unwrap_or(&lower);
    if let Some(s) = SCRIPTS
        .iter()
        .find(|s| s.name.strip_suffix(".py") == Some(bare))
    {
        return Ok(s);
    }
    let known = NAMES.join(", ");
    if let Some(n) = NAMES.iter().find(|n| n.strip_suffix(".py") == Some(bare)) {
        let text = tr!("ostep-not-yet", name = *n);
        return Err(Error::Input(InputError::Message(text)));
    }
    let stems = NAMES.iter().filter_map(|s| s.strip_suffix(".py"));
    let text = match crate::demos::closest(bare, stems) {
        Some(s) => tr!(
            "ostep-unknown-script-suggest",
            name = crate::error::quote(name),
            suggestion = format!("{s}.py"),
            known = known.as_str()
        ),
        None => tr!(
            "ostep-unknown-script",
            name = crate::error::quote(name),
            known = known.as_str()
        ),
    };
    Err(Error::Input(InputError::Message(text)))
}

/// Runs `vmlab ostep NAME ARGS...`: the script's output, its help, or the grade of an
/// answers file. Returns the exit code.
pub fn main(name: &str, args: &[String], out: &mut dyn Write, screen: Screen) -> Result<u8> {
    let script = find(name)?;
    let parsed = optparse::parse(script.options, args)?;
    let mut screen = screen;
    if let Some(w) = parsed.screen.width {
        screen.width = usize::from(w);
    }
    if let Some(c) = parsed.screen.color {
        screen.palette = c.palette();
    }
    if parsed.help {
        return help(script, out, screen).map(|_| 0);
    }
    let mut run = Run::default();
    let result = (script.run)(&parsed, &mut run);
    if let Some(path) = &parsed.check {
        result?;
        let against = command_line(script, args);
        return check::check(&run.questions, path, against, out, screen);
    }
    print_run(&run, out, screen)?;
    result.map(|_| run.exit)
}

/// The command line graded against, `--check FILE` left out.
fn command_line(script: &Script, args: &[String]) -> String {
    let mut words = vec!["vmlab".to_string(), "ostep".into(), script.name.into()];
    let mut skip = false;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if a == "--check" {
            skip = true;
        } else if !a.starts_with("--check=") {
            words.push(a.clone());
        }
    }
    words.join(" ")
}

/// Prints a run: script lines as they are, notes marked and wrapped.
pub fn print_run(run: &Run, out: &mut dyn Write, screen: Screen) -> Result<()> {
    let p = screen.palette;
    for line in &run.lines {
        match line {
            Line::Script(t) => writeln!(out, "{t}"),
            Line::Note(t) => note_lines(t, screen.width)
                .iter()
                .try_for_each(|l| writeln!(out, "{}", p.warn(l))),
        }
        .map_err(Error::Output)?;
    }
    Ok(())
}

/// A note as printed: `>> vmlab: text`, wrapped, each line marked `>>` (so that a
/// comparison with the script can leave vmlab's lines out: no script line starts so).
pub fn note_lines(text: &str, width: usize) -> Vec<String> {
    let marked = tr!("ostep-note", text = text);
    let mut lines = wrap(&marked, width.saturating_sub(3).max(20));
    for l in lines.iter_mut().skip(1) {
        *l = format!(">>  {l}");
    }
    lines
}

/// `-h`: vmlab's help for the script, in the output language, laid out as optparse
/// lays its own out (`-s SEED, --seed=SEED`).
fn help(script: &Script, out: &mut dyn Write, screen: Screen) -> Result<()> {
    let mut lines = vec![tr!("ostep-help-usage", script = script.name), String::new()];
    lines.extend(wrap(&crate::i18n::tr(script.about, None), screen.width));
    lines.push(String::new());
    lines.push(tr!("ostep-help-options"));
    let mut rows: Vec<(String, String)> = vec![("-h, --help".into(), tr!("ostep-help-help"))];
    for o in script.options {
        rows.push((option_names(o), option_help(o)));
    }
    rows.push(("--check=FILE".into(), tr!("ostep-help-check")));
    rows.push(("--lang=LANG".into(), tr!("ostep-help-lang")));
    rows.push(("--width=N, --color=WHEN".into(), tr!("ostep-help-screen")));
    for (names, text) in rows {
        lines.extend(help_row(&names, &text, screen.width));
    }
    lines.push(String::new());
    lines.extend(wrap(&tr!("ostep-help-footer"), screen.width));
    for l in lines {
        writeln!(out, "{l}").map_err(Error::Output)?;
    }
    Ok(())
}

/// `-s SEED, --seed=SEED`, as optparse names an option.
fn option_names(o: &Opt) -> String {
    let meta = o.dest.to_ascii_uppercase();
    let takes = !matches!(o.kind, Kind::Flag);
    let mut names = Vec::new();
    if let Some(c) = o.short {
        names.push(if takes {
            format!("-{c} {meta}")
        } else {
            format!("-{c}")
        });
    }
    if let Some(l) = o.long {
        names.push(if takes {
            format!("--{l}={meta}")
        } else {
            format!("--{l}")
        });
    }
    names.join(", ")
}

/// The help text of an option, with its default.
fn option_help(o: &Opt) -> String {
    let text = crate::i18n::tr(o.help, None);
    match o.kind {
        Kind::Int(d) => tr!("ostep-help-default", text = text, default = d.to_string()),
        Kind::Str(d) => tr!("ostep-help-default", text = text, default = d),
        Kind::Flag => text,
    }
}

/// An option's names and help: names on the left (24 columns, optparse's), the text
/// wrapped beside them, or under them when the names are longer.
fn help_row(names: &str, text: &str, width: usize) -> Vec<String> {
    const LEFT: usize = 24;
    let body = wrap(text, width.saturating_sub(LEFT).max(20));
    let mut lines = Vec::new();
    let head = format!("  {names}");
    let mut body = body.into_iter();
    if head.len() + 2 <= LEFT {
        let first = body.next().unwrap_or_default();
        lines.push(format!("{head:<LEFT$}{first}"));
    } else {
        lines.push(head);
    }
    lines.extend(body.map(|l| format!("{:LEFT$}{l}", "")));
    lines
}

/// A script's input vmlab refuses, with the reason (exit 2).
pub(crate) fn refuse(text: String) -> Error {
    Error::Input(InputError::Message(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_script_is_refused_naming_the_scripts() {
        let e = find("nosuchscript.py").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        for s in NAMES {
            assert!(e.to_string().contains(s), "{e}");
        }
        let e = find("relocatoin").unwrap_err().to_string();
        assert!(e.contains("'relocation.py'?"), "{e}");
    }

    #[test]
    fn scripts_are_found_with_or_without_py() {
        for s in SCRIPTS {
            let stem = s.name.strip_suffix(".py").unwrap();
            assert_eq!(find(stem).unwrap().name, s.name);
            assert_eq!(find(s.name).unwrap().name, s.name);
            assert_eq!(find(&s.name.to_uppercase()).unwrap().name, s.name);
        }
    }

    #[test]
    fn help_rows_fit_the_screen() {
        for width in [60, 80] {
            let rows = help_row("-s SEED, --seed=SEED", &"word ".repeat(40), width);
            assert!(rows.iter().all(|l| l.chars().count() <= width), "{rows:#?}");
        }
    }
}
