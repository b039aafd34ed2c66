//! `vmlab ostep SCRIPT`: the same output as the OSTEP scripts, case by case, against
//! the scripts' outputs recorded in tests/fixtures/ostep/SCRIPT/NNN.txt by
//! `scripts/ostep-compare.sh --record` (python is not needed to run these tests).

use std::path::Path;
use std::process::Command;

use vmlab::render::{Palette, Screen};

mod ostep_fixtures;

/// One recorded case (read by the fixtures' one reader), with its script.
struct Case {
    file: String,
    script: String,
    args: Vec<String>,
    /// vmlab differs on purpose (`!` in cases.txt): the script crashes, hangs or errs.
    differs: bool,
    exit: u8,
    stdout: String,
}

/// Every recorded case of every script.
fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ostep");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let script = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.extend(ostep_fixtures::cases(&script).into_iter().map(|c| Case {
            file: format!("{script}/{}", c.file),
            script: script.clone(),
            args: c.args,
            differs: c.differs,
            exit: c.exit,
            stdout: c.lines.iter().map(|l| format!("{l}\n")).collect(),
        }));
    }
    out
}

/// vmlab's output for a case, in process: (stdout, exit code, error text).
fn run(case: &Case) -> (String, u8, String) {
    vmlab::i18n::choose(Some(vmlab::i18n::Lang::En));
    let mut out = Vec::new();
    let screen = Screen::new(Palette { enabled: false }, 80);
    let (code, error) = match vmlab::ostep::main(&case.script, &case.args, &mut out, screen) {
        Ok(code) => (code, String::new()),
        Err(e) => (e.exit_code(), e.to_string()),
    };
    (String::from_utf8(out).unwrap(), code, error)
}

/// Lines with whitespace runs as one space, vmlab's marked lines left out.
fn normalized(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with(">>"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn every_recorded_case_prints_what_the_script_printed() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in cases.iter().filter(|c| !c.differs) {
        let (stdout, code, error) = run(case);
        let (want, got) = (normalized(&case.stdout), normalized(&stdout));
        if want != got {
            let first = want.iter().zip(&got).position(|(a, b)| a != b);
            panic!(
                "{}: {} {:?}\nfirst differing line {first:?}\nscript:\n{}\nvmlab:\n{stdout}{error}",
                case.file, case.script, case.args, case.stdout
            );
        }
        assert_eq!(code, case.exit, "{}: {error}", case.file);
    }
}

#[test]
fn where_the_script_fails_vmlab_explains() {
    for case in cases().iter().filter(|c| c.differs) {
        let (stdout, code, error) = run(case);
        let noted = stdout.lines().any(|l| l.starts_with(">> vmlab:"));
        assert!(
            noted || (code == 2 && !error.is_empty()),
            "{}: neither a note nor an error\n{stdout}",
            case.file
        );
    }
}

fn vmlab(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vmlab"))
        .args(args)
        .current_dir(dir)
        .env("VMLAB_LANG", "en")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

#[test]
fn the_subcommand_takes_the_script_flags_help_and_check() {
    let dir = std::env::temp_dir().join(format!("vmlab-ostep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = vmlab(&["ostep", "relocation", "-s", "3", "-c"], &dir);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text.contains("ARG seed 3"), "{text}");
    let o = vmlab(&["ostep", "relocation.py", "-h"], &dir);
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        help.contains("--seed=SEED") && help.contains("--check"),
        "{help}"
    );
    let o = vmlab(&["--lang", "es", "ostep", "relocation.py", "--help"], &dir);
    assert!(String::from_utf8_lossy(&o.stdout).contains("la semilla aleatoria"));
    let o = vmlab(&["ostep", "relocatoin.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("did you mean 'relocation.py'"), "{err}");
    assert!(err.contains("paging-multilevel-translate.py"), "{err}");
    let o = vmlab(&["ostep", "--help"], &dir);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Examples:"));

    // The answers of `-s 3 -c`, in the forms students write them.
    let answers: Vec<String> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("VA"))
        .map(String::from)
        .collect();
    std::fs::write(dir.join("copied.txt"), answers.join("\n")).unwrap();
    let o = vmlab(
        &["ostep", "relocation.py", "-s", "3", "--check", "copied.txt"],
        &dir,
    );
    let graded = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{graded}");
    assert!(graded.contains("5 of 5 right"), "{graded}");
    std::fs::write(dir.join("wrong.txt"), "VA 0: 0x1\n").unwrap();
    let o = vmlab(
        &["ostep", "relocation.py", "-s", "3", "--check=wrong.txt"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let graded = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(graded.contains("0 of 5 right"), "{graded}");
    assert!(
        graded.contains("vmlab ostep relocation.py -s 3"),
        "{graded}"
    );
    // The scripts number from 0: the error names their numbers, not the simulators'.
    std::fs::write(dir.join("past.txt"), "VA 9: 0x1\n").unwrap();
    let o = vmlab(
        &["ostep", "relocation.py", "-s", "3", "--check", "past.txt"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    let error = String::from_utf8_lossy(&o.stderr).replace('\n', " ");
    assert!(error.contains("questions 0 to 4"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_answers_of_c_copied_line_by_line_are_all_right() {
    vmlab::i18n::choose(Some(vmlab::i18n::Lang::En));
    let mut graded = 0;
    for case in cases().iter().filter(|c| !c.differs && c.exit == 0) {
        let script = vmlab::ostep::find(&case.script).unwrap();
        let parsed = vmlab::ostep::optparse::parse(script.options, &case.args).unwrap();
        if !parsed.flag("solve") {
            continue;
        }
        let mut run = vmlab::ostep::Run::default();
        (script.run)(&parsed, &mut run).unwrap();
        let copied: Vec<&str> = case
            .stdout
            .lines()
            .filter(|l| l.trim_start().starts_with("VA ") && l.contains("-->"))
            .collect();
        // Only the scripts that number their answers `VA N` (not malloc.py's `ptr[N]`,
        // paging-policy.py's accesses or the multilevel walks).
        if copied.is_empty() {
            continue;
        }
        let g = vmlab::ostep::check::grade_text(&run.questions, &copied.join("\n"), String::new())
            .unwrap();
        assert_eq!(g.right, g.total, "{}: {g:#?}", case.file);
        graded += g.total;
    }
    assert!(graded > 50, "{graded} answers graded");
}

/// Flags of any value never panic: each run ends in output or an error.
#[test]
fn any_flags_end_in_output_or_an_error() {
    vmlab::i18n::choose(Some(vmlab::i18n::Lang::En));
    const VALUES: &[&str] = &[
        "-1",
        "0",
        "1",
        "3",
        "7",
        "16",
        "100",
        "1k",
        "16k",
        "64k",
        "1m",
        "1g",
        "999",
        "9223372036854775807",
        "-9223372036854775808",
        "4000000000g",
        "x",
        "",
        "0x10",
        "-5",
        "8000000000000000000",
        "3000000000",
        "0,1,2",
        "1,,2",
        "4294971392",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    // ostep-b's scripts join once they pass: paging-policy.py `-C 9223372036854775807`
    // aborts (a table of that many frames in sim::policy::model::simulate_with).
    const FUZZED: &[&str] = &[
        "relocation.py",
        "segmentation.py",
        "paging-linear-translate.py",
    ];
    let mut panics = Vec::new();
    let scripts = vmlab::ostep::SCRIPTS
        .iter()
        .filter(|s| FUZZED.contains(&s.name));
    for script in scripts {
        for _ in 0..3000 {
            let mut args = Vec::new();
            for _ in 0..next(5) {
                let o = &script.options[next(script.options.len())];
                let Some(c) = o.short else { continue };
                args.push(format!("-{c}"));
                if !matches!(o.kind, vmlab::ostep::Kind::Flag) {
                    args.push(VALUES[next(VALUES.len())].to_string());
                }
            }
            if next(2) == 0 {
                args.push("-c".into());
            }
            let case = Case {
                file: script.name.to_string(),
                script: script.name.to_string(),
                args: args.clone(),
                differs: false,
                exit: 0,
                stdout: String::new(),
            };
            if std::panic::catch_unwind(|| run(&case)).is_err() {
                panics.push(format!("{} {}", script.name, args.join(" ")));
            }
        }
    }
    assert!(panics.is_empty(), "panicked:\n{}", panics.join("\n"));
}
