//! `vmlab sim segment`, run as a user would: reproducible problems, the worked
//! solution, grading an answers file, bad parameters, JSON and `--real`.

mod common;
use common::*;

/// `text` with every run of whitespace (a line wrapped at 92 columns included) as one
/// space, to look for a phrase however the output wrapped it.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// OSTEP chapter 16's layout (figure 16.3).
const BOOK: &[&str] = &[
    "sim",
    "segment",
    "-a",
    "16k",
    "-p",
    "64k",
    "-b",
    "32k",
    "-l",
    "2k",
    "--heap-base",
    "34k",
    "--heap-limit",
    "3k",
    "-B",
    "28k",
    "-L",
    "2k",
];

#[test]
fn same_seed_same_problem() {
    let a = vmlab(&["sim", "segment", "--seed", "42", "--color", "never"]);
    let b = vmlab(&["sim", "segment", "--seed", "42", "--color", "never"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    let c = vmlab(&["sim", "segment", "--seed", "43", "--color", "never"]);
    assert_ne!(stdout(&a), stdout(&c));
}

#[test]
fn solve_shows_the_books_answers() {
    let mut args = BOOK.to_vec();
    args.extend([
        "-A",
        "4200,15k,14335",
        "--ops",
        "0",
        "--solve",
        "--color",
        "never",
    ]);
    let o = vmlab(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // 4200: heap offset 104 → 34K + 104 = 0x8868; 15K: stack, −1K → 27K = 0x6c00.
    assert!(out.contains("→ 0x8868"), "{out}");
    assert!(out.contains("→ 0x6c00"), "{out}");
    assert!(
        out.contains("negative offset is 3072 − 4096 = −1024"),
        "{out}"
    );
    assert!(out.contains("→ fault"), "{out}");
    assert!(!out.contains("Part 2"), "{out}");
}

#[test]
fn fragmentation_and_compaction_are_worked_out() {
    let o = vmlab(&[
        "sim", "segment", "--seed", "3", "--solve", "--color", "never",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "Part 2",
        "first fit",
        "Compaction",
        "Copied",
        "Memory after compaction",
        "external fragmentation",
    ] {
        assert!(flat(&out).contains(want), "{want}: {out}");
    }
    let e = vmlab_solved(&["sim", "segment", "--seed", "3", "--policy", "best"]);
    let f = &e["solution"]["fragmentation"];
    assert_eq!(f["policy"], "best fit");
    // After compaction the segments are packed from 0 with no gap.
    let mut at = 0;
    for b in f["compaction"]["after"].as_array().unwrap() {
        assert_eq!(hex(&b["start"]), at);
        at += b["size"].as_u64().unwrap();
    }
    assert_eq!(
        at + f["free_total"].as_u64().unwrap(),
        e["solution"]["psize"].as_u64().unwrap()
    );
}

#[test]
fn check_grades_own_answers_and_catches_a_wrong_one() {
    for policy in ["first", "best", "worst"] {
        let base = ["sim", "segment", "--seed", "11", "--policy", policy];
        let e = vmlab_solved(&base);
        let mut answers = canonical(&e);
        assert!(answers.len() > 8, "{answers:?}");
        let right = write_temp(&format!("seg-right-{policy}"), &file_text(&answers));
        let mut args = base.to_vec();
        args.extend(["--check", right.to_str().unwrap()]);
        let o = vmlab(&args);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        let n = answers.len();
        assert!(
            stdout(&o).contains(&format!("{n} of {n} right")),
            "{}",
            stdout(&o)
        );
        let last = answers.len() - 1;
        answers[last].1 = "0x1".into();
        let wrong = write_temp(&format!("seg-wrong-{policy}"), &file_text(&answers));
        let mut args = base.to_vec();
        args.extend(["--check", wrong.to_str().unwrap()]);
        let o = vmlab(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        let _ = std::fs::remove_file(right);
        let _ = std::fs::remove_file(wrong);
    }
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    let with = |extra: &[&'static str]| {
        let mut v = BOOK.to_vec();
        v.extend(extra);
        v
    };
    for (args, expect) in [
        (vec!["sim", "segment", "-a", "12k"], "not a power of two"),
        (with(&["--heap-base", "33k"]), "overlaps"),
        (with(&["-B", "1k"]), "grows down"),
        (with(&["-b", "63k"]), "ends past physical memory"),
        (with(&["-l", "5k"]), "largest segment"),
        (
            vec!["sim", "segment", "--policy", "random"],
            "unknown policy",
        ),
        (vec!["sim", "segment", "--seg-bits", "3"], "seg-bits"),
        (
            vec!["sim", "segment", "--seg-bits", "1", "--heap-limit", "10"],
            "shares segment 0",
        ),
        (
            vec!["sim", "segment", "-A", "0x400"],
            "outside the address space",
        ),
    ] {
        // Later flags win in clap only for repeated options it allows; build the list
        // so that each option appears once.
        let mut dedup: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            if a.starts_with('-') && i + 1 < args.len() && args[i + 2..].contains(&a) {
                i += 2;
                continue;
            }
            dedup.push(a);
            i += 1;
        }
        let o = vmlab(&dedup);
        assert_eq!(o.status.code(), Some(2), "{dedup:?}: {}", stderr(&o));
        assert!(
            flat(&stderr(&o)).contains(expect),
            "{dedup:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn json_has_the_problem_and_solution() {
    let mut args = BOOK.to_vec();
    args.extend(["-A", "100,8192"]);
    let e = vmlab_solved(&args);
    assert_eq!(e["simulator"], "segment");
    let segs = e["solution"]["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 3);
    assert_eq!(segs[2]["name"], "stack");
    assert_eq!(segs[2]["grows"], "down");
    assert_eq!(hex(&segs[2]["physical"][0]), 26 * 1024);
    let acc = e["solution"]["accesses"].as_array().unwrap();
    assert_eq!(hex(&acc[0]["pa"]), 32 * 1024 + 100);
    assert_eq!(acc[1]["segment"], serde_json::Value::Null);
    assert_eq!(acc[1]["valid"], false);
    assert!(e["solution"]["fragmentation"]["events"].is_array());
}

#[test]
fn one_selector_bit_is_segmentation_py() {
    let e = vmlab_solved(&[
        "sim",
        "segment",
        "--seg-bits",
        "1",
        "-b",
        "0x1000",
        "-l",
        "300",
        "-B",
        "0x2000",
        "-L",
        "100",
        "-A",
        "299,924",
        "--ops",
        "0",
    ]);
    let answers: Vec<u64> = canonical(&e)
        .iter()
        .take(2)
        .map(|(_, a)| u64::from_str_radix(a.trim_start_matches("0x"), 16).unwrap())
        .collect();
    assert_eq!(answers, [0x1000 + 299, 0x2000 - 100]);
}

#[test]
fn real_part_shows_this_process_areas() {
    let o = vmlab(&["sim", "segment", "--real", "--color", "never"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Measured on this machine (not simulated)"),
        "{out}"
    );
    assert!(out.contains("/proc/self/maps"), "{out}");
    assert!(out.contains("stack  0x"), "{out}");
}

#[test]
fn long_lines_wrap_at_92_columns_and_the_memory_map_stays_whole() {
    let o = vmlab(&[
        "sim", "segment", "--seed", "1", "--solve", "--color", "never",
    ]);
    let out = stdout(&o);
    // The compaction line (281 columns unwrapped) is wrapped, each continuation
    // indented two more spaces than the line it continues.
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(" 18. Compaction: "))
        .expect("the compaction step");
    assert!(lines[i + 1].starts_with("   0x"), "{out}");
    assert!(
        flat(&out).contains("Copied: 6022 B (only segments that move are copied)"),
        "{out}"
    );
    // Memory maps are never wrapped, however long.
    let maps: Vec<&&str> = lines.iter().filter(|l| l.contains("memory |")).collect();
    assert!(!maps.is_empty(), "{out}");
    for m in maps {
        assert!(
            m.trim_end().ends_with("is free)") || m.trim_end().ends_with('|'),
            "{m}"
        );
    }
    for l in &lines {
        assert!(l.chars().count() <= 92 || l.contains(" |"), "{l}");
    }
}
