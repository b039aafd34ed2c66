//! The book in docs/ and the README, kept true.
//!
//! Deterministic transcripts (simulators for a seed, errors, help) are written in the
//! chapters as ```console blocks, and trycmd runs them: each `$ vmlab ...` line is run
//! and its output compared with the lines below it (`...` stands for any lines, `? 2`
//! for an exit code). Kernel transcripts differ on every machine: they are ```text
//! blocks, which trycmd skips, marked in the chapter as from one machine.
mod common;

use std::fs;
use std::path::{Path, PathBuf};

/// The chapters whose ```console blocks are run. Chapters other helpers write
/// (json.md, ostep.md, labs/) have tests of their own.
const CHECKED_CHAPTERS: &[&str] = &[
    "docs/sim/*.md",
    "docs/exit-codes.md",
    "docs/tour.md",
    "docs/getting-started.md",
    "docs/inspector.md",
];

/// Every demo, as the library lists them.
fn demos() -> impl Iterator<Item = &'static str> {
    vmlab::demos::DEMOS.iter().map(|d| d.name)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[test]
fn the_books_console_transcripts_are_what_vmlab_prints() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("vmlab", Path::new(common::VMLAB))
        // One language, one width, no colour, whoever runs the tests.
        .env("VMLAB_LANG", "en")
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env("TERM", "dumb");
    for glob in CHECKED_CHAPTERS {
        cases.case(glob);
    }
    cases.run();
}

#[test]
fn the_readme_is_short() {
    let lines = read("README.md").lines().count();
    assert!(lines <= 400, "README.md has {lines} lines; at most 400");
}

/// Every file of the repository that a person or a build reads, as a path relative to
/// the root: target/ and .git/ left out.
fn repo_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name == "target" || name == ".git" {
            continue;
        }
        if path.is_dir() {
            repo_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn nothing_in_the_repo_points_outside_it() {
    let mut files = Vec::new();
    repo_files(&root(), &mut files);
    // Spelled in two pieces so that this file does not name what it looks for.
    let outside = ["../", "shared"].concat();
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let text = fs::read_to_string(p).ok()?;
            text.contains(&outside).then(|| p.display().to_string())
        })
        .collect();
    assert!(offenders.is_empty(), "these name {outside}: {offenders:?}");
}

/// The relative targets of the markdown links `[text](target)` in `text`, without
/// their `#anchor`; web addresses and pure anchors left out.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            continue;
        }
        for (i, _) in line.match_indices("](") {
            let rest = &line[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].split('#').next().unwrap_or_default();
            if !target.is_empty() && !target.contains("://") {
                links.push(target.to_string());
            }
        }
    }
    links
}

fn markdown_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    repo_files(&root().join("docs"), &mut files);
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    files.push(root().join("README.md"));
    files.push(root().join("demos/README.md"));
    files
}

#[test]
fn every_link_of_the_readme_and_the_book_leads_somewhere() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = fs::read_to_string(&file).expect("read markdown");
        let dir = file.parent().expect("a file has a folder");
        for link in relative_links(&text) {
            if !normalize(&dir.join(&link)).exists() {
                broken.push(format!("{}: {link}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "links to nothing: {broken:#?}");
}

/// `a/b/../c` as `a/c`, for a path that does not exist (canonicalize needs one that does).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_book_has_a_chapter_for_every_demo_and_simulator_in_its_summary() {
    let summary = read("docs/SUMMARY.md");
    let index = read("demos/README.md");
    for demo in demos() {
        let chapter = format!("demos/{demo}.md");
        assert!(root().join("docs").join(&chapter).exists(), "no {chapter}");
        assert!(
            summary.contains(&format!("({chapter})")),
            "SUMMARY lacks {chapter}"
        );
        assert!(
            index.contains(&format!("`vm-{demo}`")),
            "demos/README.md lacks vm-{demo}"
        );
        assert!(root().join(format!("demos/vm-{demo}.rs")).exists());
    }
    for sim in common::SIMS {
        let chapter = format!("sim/{sim}.md");
        assert!(root().join("docs").join(&chapter).exists(), "no {chapter}");
        assert!(
            summary.contains(&format!("({chapter})")),
            "SUMMARY lacks {chapter}"
        );
    }
}

#[test]
fn every_demo_binary_has_its_line_and_every_listed_demo_exists() {
    let listed = read("demos/README.md")
        .lines()
        .filter(|l| l.starts_with("| `vm-"))
        .count();
    let binaries = fs::read_dir(root().join("demos"))
        .expect("demos/")
        .filter(|e| {
            let name = e.as_ref().expect("entry").file_name();
            name.to_string_lossy().starts_with("vm-")
        })
        .count();
    assert_eq!(listed, vmlab::demos::DEMOS.len(), "demos/README.md rows");
    assert_eq!(binaries, vmlab::demos::DEMOS.len(), "demos/vm-*.rs files");
}

#[test]
fn kernel_transcripts_say_they_are_from_one_machine() {
    for demo in demos() {
        let text = read(&format!("docs/demos/{demo}.md"));
        assert!(
            text.contains("From one machine")
                && text.contains(&format!("vmlab demo {demo}` makes yours")),
            "docs/demos/{demo}.md: a kernel transcript must say it is from one machine and how to make yours"
        );
        assert!(
            !text.contains("```console"),
            "docs/demos/{demo}.md: a kernel transcript cannot be checked"
        );
    }
}

/// The `vmlab ...` lines of the README's ```sh blocks, with the exit code their comment
/// promises ("exit code N"), else 0.
fn readme_commands() -> Vec<(String, i32)> {
    let text = read("README.md");
    let mut commands = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        let Some(rest) = line.strip_prefix("vmlab ").filter(|_| in_sh) else {
            continue;
        };
        let (command, comment) = rest.split_once('#').unwrap_or((rest, ""));
        let code = comment
            .split_once("exit code ")
            .and_then(|(_, n)| n.trim().parse().ok())
            .unwrap_or(0);
        commands.push((command.trim().to_string(), code));
    }
    commands
}

#[test]
fn the_readmes_vmlab_commands_work_as_written() {
    // The tour and the demos run the kernel experiments, which the demo tests cover
    // (and a debug build runs vm-tlb's sweeps slowly); report writes a file.
    let slow = ["tour", "demo cow", "report"];
    let commands = readme_commands();
    assert!(commands.len() >= 5, "found {commands:?}");
    for (command, code) in commands {
        if slow.iter().any(|s| command.starts_with(s)) {
            continue;
        }
        let args: Vec<&str> = command.split_whitespace().collect();
        let o = common::vmlab(&args);
        assert_eq!(
            o.status.code(),
            Some(code),
            "vmlab {command}: {}",
            common::stderr(&o)
        );
    }
}
