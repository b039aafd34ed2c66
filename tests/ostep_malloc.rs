//! `vmlab ostep malloc.py` against the script's recorded output: the same lines where
//! the script is right; where it is wrong, vmlab's answer and a marked line quoting
//! the script, and the script's own lines reproduced by the model under its rules.

mod ostep_fixtures;

use ostep_fixtures::{Case, cases, first_difference, notes, run, script_lines};
use vmlab::ostep;

/// What malloc.py prints, as vmlab's model of its rules says.
fn transcript(c: &Case) -> Vec<String> {
    let s = ostep::find("malloc.py").unwrap();
    let parsed = ostep::optparse::parse(s.options, &c.args).unwrap();
    let lines = ostep::malloc::transcript(&parsed).unwrap();
    lines.iter().map(|l| l.trim_end().to_string()).collect()
}

#[test]
fn every_recorded_case_is_the_script_or_differs_only_where_marked() {
    let all = cases("malloc.py");
    assert!(all.len() >= 45);
    let mut noted = 0;
    for c in &all {
        let got = match run("malloc.py", c) {
            Ok(got) => got,
            Err(e) => {
                assert!(c.differs, "{}: vmlab refused: {e}", c.file);
                assert_eq!(e.exit_code(), 2);
                continue;
            }
        };
        let said = transcript(c);
        assert!(
            said == c.lines,
            "{} ({}): the script's rules: {}",
            c.file,
            c.args.join(" "),
            first_difference(&said, &c.lines)
        );
        let lines = script_lines(&got);
        let marks = notes(&got);
        if marks.is_empty() {
            assert_eq!(c.exit, 0, "{}", c.file);
            assert!(
                lines == c.lines,
                "{}: {}",
                c.file,
                first_difference(&lines, &c.lines)
            );
            continue;
        }
        noted += 1;
        let quoted = marks.join("\n");
        for l in c.lines.iter().filter(|l| !lines.contains(l)) {
            assert!(
                quoted.contains(l.as_str()),
                "{}: '{l}' differs unmarked",
                c.file
            );
        }
    }
    assert!(noted >= 10, "the known bugs show in the cases: {noted}");
}

fn noted_with(args: &[&str], words: &str) {
    let got = run("malloc.py", &Case::inline(args)).unwrap();
    let marks = notes(&got);
    assert!(
        marks.iter().any(|n| n.contains(words)),
        "{args:?}: {marks:#?}"
    );
}

#[test]
fn each_known_bug_is_marked_with_its_reason() {
    noted_with(&["-c", "-H", "4", "-A", "+10,-0"], "header");
    noted_with(
        &[
            "-c", "-H", "4", "-S", "10", "-n", "5", "-s", "1", "-r", "30",
        ],
        "-1",
    );
    noted_with(
        &["-c", "-C", "-l", "INSERT-FRONT", "-n", "30", "-s", "5"],
        "in the list",
    );
    noted_with(
        &["-c", "-l", "SIZESORT+", "-n", "30", "-s", "4"],
        "no longer sorted",
    );
    noted_with(&["-c", "-S", "30", "-A", "+20,+20,+5,-0,-1"], "KeyError");
    noted_with(&["-c", "-S", "30", "-A", "+20,+20,+5,-2"], "succeeded");
    noted_with(&["-c", "-A", "+10,-0,+10,-0"], "old address");
}

#[test]
fn the_right_pointer_is_after_the_header_and_failures_are_null() {
    let got = run(
        "malloc.py",
        &Case::inline(&["-c", "-H", "4", "-S", "20", "-A", "+10,+10"]),
    )
    .unwrap();
    let lines = script_lines(&got);
    assert!(
        lines
            .iter()
            .any(|l| l == "ptr[0] = Alloc(10) returned 1004 (searched 1 elements)")
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "ptr[1] = Alloc(10) returned -1 (searched 1 elements)")
    );
    assert!(got.questions[1].accepts("-1") && got.questions[1].accepts("NULL"));
    assert!(got.questions[0].accepts("1004"));
}

#[test]
fn what_the_script_refuses_is_a_usage_error() {
    for args in [
        &["-c", "-P", "0"][..],
        &["-p", "NEXT"],
        &["-a", "0"],
        &["-A", "+10,x5"],
        &["-A", "+0"],
    ] {
        let e = run("malloc.py", &Case::inline(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{args:?}");
    }
}
