//! The lab handouts (docs/labs/): every ```sh lab block of every lab, in English and
//! in Spanish, runs as a student would type it, with the built binaries on PATH, and
//! every check line gives the result the handout says it gives.
//!
//! A block runs as one bash script (`set -euo pipefail`) in a fresh folder of its
//! lab, so that a file one command writes (`vmlab demo cow --json > cow.json`) is
//! there for the next. A line ending in `# expect: VALUE` (`# se espera: VALUE` in
//! Spanish) is a check: its output must be VALUE. A simulator line with
//! `--check FILE` is graded against answers the test writes into FILE from the same
//! exercise's `--solve --json`, so it must exit 0 with every answer right.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use common::*;

/// The labs, by file stem; each exists as `STEM.md` and `STEM.es.md`.
const LABS: [&str; 7] = [
    "01-address-space",
    "02-translation",
    "03-sharing",
    "04-protection",
    "05-tlb",
    "06-free-space",
    "07-replacement",
];

/// The markers that make a trailing comment a check.
const EXPECT: [&str; 2] = ["# expect:", "# se espera:"];

/// The labs run one at a time: their demos time faults and accesses, and two at once
/// on a small machine would disturb each other's measurements.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn labs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/labs")
}

/// The fenced blocks whose info string is `sh lab`, as their lines.
fn lab_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        let fence = line.trim_start();
        match current.as_mut() {
            None if fence.starts_with("```") => {
                let info: Vec<&str> = fence.trim_start_matches('`').split_whitespace().collect();
                if info == ["sh", "lab"] {
                    current = Some(Vec::new());
                }
            }
            Some(_) if fence.starts_with("```") => blocks.push(current.take().unwrap()),
            Some(lines) => lines.push(line.to_string()),
            None => {}
        }
    }
    assert!(current.is_none(), "a ```sh lab block is not closed");
    blocks
}

/// The commands of a block: lines joined where they end in `\`, comments and blank
/// lines left out.
fn commands(block: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in block {
        let line = line.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(&format!("{} ", head.trim_end())),
            None => {
                pending.push_str(line);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    assert!(
        pending.is_empty(),
        "a line continues past the block: {pending}"
    );
    out
}

/// A command and the output its check expects, if it is a check.
fn split_expect(command: &str) -> (&str, Option<&str>) {
    for marker in EXPECT {
        if let Some(at) = command.rfind(marker) {
            let expected = command[at + marker.len()..].trim();
            return (command[..at].trim_end(), Some(expected));
        }
    }
    (command, None)
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The block as a bash script: each command echoed to stderr, then run; a check
/// compares its output with the expected value.
fn script(commands: &[String]) -> String {
    // A process the block started in the background (`sleep 600 &`) would keep the
    // output pipe open, and the test waiting, if a command failed before its `kill`.
    let mut s =
        String::from("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
    for command in commands {
        let (run, expected) = split_expect(command);
        s.push_str(&format!("printf '$ %s\\n' {} >&2\n", quoted(command)));
        match expected {
            None => s.push_str(&format!("{run}\n")),
            Some(want) => s.push_str(&format!(
                "out=$({run})\nprintf '%s\\n' \"$out\"\n\
                 if [ \"$out\" != {w} ]; then echo \"check failed: want \"{w}\", got $out\" >&2; exit 1; fi\n",
                w = quoted(want)
            )),
        }
    }
    s
}

/// For each `vmlab sim ... --check FILE` command, writes into `dir/FILE` the right
/// answers to that exercise, from its `--solve --json`.
fn write_answers(commands: &[String], dir: &Path) {
    for command in commands {
        let words: Vec<&str> = split_expect(command).0.split_whitespace().collect();
        let Some(check) = words.iter().position(|w| *w == "--check") else {
            continue;
        };
        let start = words
            .iter()
            .position(|w| *w == "vmlab")
            .expect("--check on vmlab");
        let stop = |w: &&str| ["|", ">", "&&", ";", "||"].contains(w);
        let mut args: Vec<&str> = words[start + 1..check].to_vec();
        args.extend(words[check + 2..].iter().take_while(|w| !stop(w)));
        args.push("--solve");
        let sheet = vmlab_json(&args);
        let answers: String = sheet["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| format!("{}: {}\n", q["id"], q["answer"].as_str().unwrap()))
            .collect();
        std::fs::write(dir.join(words[check + 1]), answers).unwrap();
    }
}

/// PATH with the built binaries (vmlab and every vm-* demo) first.
fn path_with_binaries() -> std::ffi::OsString {
    let bin = Path::new(VMLAB).parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

/// Runs every block of one lab file in a fresh folder; panics with the transcript
/// when a command fails or a check does not give its value.
fn run_lab(file: &str) {
    let path = labs_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let blocks = lab_blocks(&text);
    assert!(!blocks.is_empty(), "{file} has no ```sh lab block");
    let dir = std::env::temp_dir().join(format!("vmlab-lab-{file}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lang = if file.ends_with(".es.md") {
        "es_ES.UTF-8"
    } else {
        "C.UTF-8"
    };
    for (n, block) in blocks.iter().enumerate() {
        let commands = commands(block);
        write_answers(&commands, &dir);
        // A lab takes seconds; a block that hangs fails the test instead of CI.
        let o = Command::new("timeout")
            .args(["300", "bash", "-c"])
            .arg(script(&commands))
            .current_dir(&dir)
            .env_clear()
            .env("PATH", path_with_binaries())
            .env("HOME", &dir)
            .env("LANG", lang)
            .output()
            .expect("run bash");
        assert!(
            o.status.success(),
            "{file}, block {}: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            n + 1,
            o.status,
            stdout(&o),
            stderr(&o)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn run_both(stem: &str) {
    if skip_unless_root(&format!("lab {stem} (frame numbers and page flags)")) {
        return;
    }
    let _quiet = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    run_lab(&format!("{stem}.md"));
    run_lab(&format!("{stem}.es.md"));
}

#[test]
fn every_lab_exists_in_both_languages_and_the_index_lists_it() {
    let index = std::fs::read_to_string(labs_dir().join("README.md")).unwrap();
    for stem in LABS {
        for file in [format!("{stem}.md"), format!("{stem}.es.md")] {
            assert!(labs_dir().join(&file).is_file(), "docs/labs/{file} missing");
            assert!(
                index.contains(&format!("({file})")),
                "README.md does not link {file}"
            );
        }
    }
}

#[test]
fn the_harness_reads_blocks_checks_and_continuations() {
    let text = "x\n```sh lab\n# comment\na \\\n  b # expect: 1\n\n```\n```sh\nnot run\n```\n";
    let blocks = lab_blocks(text);
    assert_eq!(blocks.len(), 1);
    let cmds = commands(&blocks[0]);
    assert_eq!(cmds, ["a b # expect: 1"]);
    assert_eq!(split_expect(&cmds[0]), ("a b", Some("1")));
    assert_eq!(
        split_expect("c # se espera: \"holds\""),
        ("c", Some("\"holds\""))
    );
}

#[test]
fn lab_01_address_space() {
    run_both(LABS[0]);
}

#[test]
fn lab_02_translation() {
    run_both(LABS[1]);
}

#[test]
fn lab_03_sharing() {
    run_both(LABS[2]);
}

#[test]
fn lab_04_protection() {
    run_both(LABS[3]);
}

#[test]
fn lab_05_tlb() {
    run_both(LABS[4]);
}

#[test]
fn lab_06_free_space() {
    run_both(LABS[5]);
}

#[test]
fn lab_07_replacement() {
    run_both(LABS[6]);
}
