//! The fixtures of one OSTEP script (tests/fixtures/ostep/SCRIPT/NNN.txt, recorded
//! from the real script by scripts/ostep-compare.sh --record): `args:` the flags,
//! `exit: N` when the script crashed, then what it printed. Python is not needed here.
#![allow(dead_code)]

use std::path::PathBuf;

use vmlab::ostep::{self, Line, Run};

/// One recorded case.
pub struct Case {
    pub file: String,
    pub args: Vec<String>,
    /// The script's exit status when it crashed.
    pub exit: Option<u8>,
    /// What it printed (up to the crash), trailing spaces dropped.
    pub lines: Vec<String>,
}

/// The cases of `script`, in file order.
pub fn cases(script: &str) -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ostep")
        .join(script);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(read).collect()
}

fn read(path: &PathBuf) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let args = lines
        .next()
        .and_then(|l| l.strip_prefix("args:"))
        .expect("args: line");
    let mut rest: Vec<&str> = lines.collect();
    let exit = match rest.first().and_then(|l| l.strip_prefix("exit: ")) {
        Some(code) => {
            let code = code.parse().unwrap();
            rest.remove(0);
            Some(code)
        }
        None => None,
    };
    Case {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        args: args.split_whitespace().map(String::from).collect(),
        exit,
        lines: rest.iter().map(|l| l.trim_end().to_string()).collect(),
    }
}

/// Runs `script` on the case's flags, in process.
pub fn run(script: &str, case: &Case) -> vmlab::error::Result<Run> {
    let s = ostep::find(script).unwrap();
    let parsed = ostep::optparse::parse(s.options, &case.args)?;
    (s.run)(&parsed)
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

/// Checks every case of a script that vmlab answers as the script does: the same
/// lines, or (where the script crashed) a usage error, exit 2. Returns how many.
pub fn all_agree(script: &str) -> usize {
    let cases = cases(script);
    assert!(!cases.is_empty());
    for case in &cases {
        let got = run(script, case);
        match (case.exit, got) {
            (Some(_), Err(e)) => assert_eq!(e.exit_code(), 2, "{}: {e}", case.file),
            // An exit of the script's own (not a crash): the same lines and status.
            (want, Ok(run)) if want.unwrap_or(0) == run.exit => {
                let lines = script_lines(&run);
                assert!(
                    lines == case.lines,
                    "{} ({}): {}",
                    case.file,
                    case.args.join(" "),
                    first_difference(&lines, &case.lines)
                );
            }
            (want, got) => panic!("{}: script exit {want:?}, vmlab {:?}", case.file, got.err()),
        }
    }
    cases.len()
}
