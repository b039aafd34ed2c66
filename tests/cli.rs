//! What a Rust CLI user expects: completions, man pages, examples in every help.

mod common;

use common::*;

#[test]
fn completions_for_each_shell_know_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = vmlab(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["tour", "translate", "glossary"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let o = vmlab(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_pages_print_and_write_into_a_folder() {
    let o = vmlab(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains(".TH vmlab 1"), "{}", stdout(&o));
    let dir = std::env::temp_dir().join(format!("vmlab-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = vmlab(&["man", "--dir", dir.to_str().unwrap()]);
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for page in [
        "vmlab.1",
        "vmlab-tour.1",
        "vmlab-pages.1",
        "vmlab-sim-paging.1",
    ] {
        assert!(pages.iter().any(|p| p == page), "no {page} in {pages:?}");
    }
}

#[test]
fn every_command_has_examples_in_its_help() {
    let help = stdout(&vmlab(&["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line starts two columns in; wrapped descriptions start further.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{help}");
    for c in commands {
        let o = vmlab(&[c, "--help"]);
        assert!(
            stdout(&o).contains("Examples:"),
            "vmlab {c} --help has no examples"
        );
    }
}
