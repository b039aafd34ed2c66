//! The fixtures of one OSTEP script (tests/fixtures/ostep/SCRIPT/NNN.txt, recorded
//! from the real script by scripts/ostep-compare.sh --record): `args:` the flags
//! (`!` first where vmlab differs on purpose), `exit:` the script's status, `----`,
//! then what it printed (up to a crash). Python is not needed here.
#![allow(dead_code)]

use std::path::PathBuf;

use vmlab::ostep::{self, Line, Run};

/// One recorded case.
pub struct Case {
    pub file: String,
    pub args: Vec<String>,
    /// vmlab differs on purpose (the script is wrong, crashes or refuses).
    pub differs: bool,
    /// The script's exit status.
    pub exit: u8,
    /// What it printed (up to a crash), trailing spaces dropped.
    pub lines: Vec<String>,
}

impl Case {
    /// A case made here, not recorded.
    pub fn inline(args: &[&str]) -> Case {
        Case {
            file: "inline".into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            differs: false,
            exit: 0,
            lines: vec![],
        }
    }
}

/// The cases of `script`, in file order.
pub fn cases(script: &str) -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ostep")
        .join(script);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "cases.txt")
        .collect();
    files.sort();
    files.iter().map(read).collect()
}

fn read(path: &PathBuf) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let (head, stdout) = text.split_once("----\n").expect("a ---- line");
    let mut head = head.lines();
    let args = head.next().and_then(|l| l.strip_prefix("args: ")).unwrap();
    let exit = head.next().and_then(|l| l.strip_prefix("exit: ")).unwrap();
    Case {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        differs: args.starts_with('!'),
        args: args
            .trim_start_matches('!')
            .split_whitespace()
            .map(String::from)
            .collect(),
        exit: exit.parse().unwrap(),
        lines: stdout.lines().map(|l| l.trim_end().to_string()).collect(),
    }
}

/// Runs `script` on the case's flags, in process.
pub fn run(script: &str, case: &Case) -> vmlab::error::Result<Run> {
    let s = ostep::find(script).unwrap();
    let parsed = ostep::optparse::parse(s.options, &case.args)?;
    let mut run = Run::default();
    (s.run)(&parsed, &mut run)?;
    Ok(run)
}

/// The lines of a run as the script would print them (notes left out), trailing
/// spaces dropped.
pub fn script_lines(run: &Run) -> Vec<String> {
    (run.lines.iter())
        .filter_map(|l| match l {
            Line::Script(t) => Some(t.trim_end().to_string()),
            Line::Note(_) => None,
        })
        .collect()
}

pub fn notes(run: &Run) -> Vec<String> {
    (run.lines.iter())
        .filter_map(|l| match l {
            Line::Note(t) => Some(t.clone()),
            Line::Script(_) => None,
        })
        .collect()
}

/// The first line where `got` and `want` differ, for a readable failure.
pub fn first_difference(got: &[String], want: &[String]) -> String {
    let i = (0..got.len().max(want.len()))
        .find(|&i| got.get(i) != want.get(i))
        .unwrap_or(0);
    format!(
        "line {}: vmlab {:?}, script {:?}",
        i + 1,
        got.get(i),
        want.get(i)
    )
}
