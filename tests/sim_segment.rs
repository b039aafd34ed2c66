//! `vmlab sim segment`, run as a user would: reproducible problems, the worked
//! solution, grading an answers file, bad parameters, JSON and `--real`.

mod common;
use common::*;

/// `text` with every run of whitespace (a wrapped line included) as one space, to
/// look for a phrase however the output wrapped it.
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

fn with(base: &[&'static str], extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = base.to_vec();
    v.extend(extra);
    v
}

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
    let args = with(
        BOOK,
        &[
            "-A",
            "4200,15k,14335",
            "--events",
            "0",
            "--solve",
            "--color",
            "never",
        ],
    );
    let o = vmlab(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // 4200: heap offset 104 → 34K + 104 = 0x8868; 15K: stack, −1K → 27K = 0x6c00.
    assert!(out.contains("→ 0x8868"), "{out}");
    assert!(out.contains("→ 0x6c00"), "{out}");
    assert!(
        flat(&out).contains("negative offset is 3072 − 4096 = −1024"),
        "{out}"
    );
    assert!(out.contains("→ fault"), "{out}");
    assert!(flat(&out).contains("SEGMENTATION VIOLATION"), "{out}");
    assert!(!out.contains("Part 2"), "{out}");
}

#[test]
fn fragmentation_and_compaction_are_worked_out() {
    let o = vmlab(&[
        "sim", "segment", "--seed", "3", "--solve", "--color", "never",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = flat(&stdout(&o));
    for want in [
        "Part 2",
        "first fit",
        "Compaction:",
        "Copied:",
        "Memory after compaction",
        "external fragmentation",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    let e = vmlab_solved(&["sim", "segment", "--seed", "3", "--policy", "best"]);
    assert_eq!(e["problem"]["allocation"]["fit"], "best");
    let a = &e["solution"]["allocation"];
    // After compaction the segments are packed from 0 with no gap.
    let mut at = 0;
    for b in a["compacted"].as_array().unwrap() {
        assert_eq!(hex(&b["start"]), at);
        at += b["size"].as_u64().unwrap();
    }
    assert_eq!(
        at + a["free_total"].as_u64().unwrap(),
        e["problem"]["physmem"].as_u64().unwrap()
    );
}

#[test]
fn check_grades_own_answers_and_catches_a_wrong_one() {
    for policy in ["first", "best", "worst", "next"] {
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
    let book = |flag: &'static str, value: &'static str| {
        // Each option once: the book's, with one of them replaced.
        let mut v: Vec<&str> = Vec::new();
        let mut i = 2;
        v.extend(&BOOK[..2]);
        while i < BOOK.len() {
            if BOOK[i] != flag {
                v.extend(&BOOK[i..i + 2]);
            }
            i += 2;
        }
        v.extend([flag, value]);
        v
    };
    for (args, expect) in [
        (vec!["sim", "segment", "-a", "12k"], "not a power of two"),
        (book("--heap-base", "33k"), "overlaps the code segment"),
        (book("-B", "1k"), "grows down"),
        (book("-b", "63k"), "ends past physical memory"),
        (book("-l", "5k"), "largest segment"),
        (vec!["sim", "segment", "--policy", "random"], "--policy"),
        (vec!["sim", "segment", "--seg-bits", "3"], "seg-bits"),
        (
            vec!["sim", "segment", "--seg-bits", "1", "--heap-limit", "10"],
            "shares segment 0",
        ),
        (
            vec!["sim", "segment", "-A", "0x400"],
            "outside the address space",
        ),
        (vec!["sim", "segment", "--psize", "lots"], "--physmem"),
        (vec!["sim", "segment", "--valid", "101"], "--valid"),
        (vec!["sim", "segment", "--ops", "201"], "--events"),
    ] {
        let o = vmlab(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            flat(&stderr(&o)).contains(expect),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn json_has_the_problem_and_only_with_solve_the_answers() {
    let args = with(BOOK, &["-A", "100,8192"]);
    let e = vmlab_json(&args);
    assert_eq!(e["simulator"], "segment");
    let segs = e["problem"]["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 3);
    assert_eq!(segs[2]["kind"], "stack");
    assert_eq!(segs[2]["grows_down"], true);
    assert_eq!(
        e["problem"]["addresses"],
        serde_json::json!(["0x64", "0x2000"])
    );
    assert!(e.get("solution").is_none(), "{e}");
    assert!(
        e["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("answer").is_none()),
        "{e}"
    );
    let text = e["problem"].to_string() + &e["questions"].to_string();
    assert!(!text.contains(&(32 * 1024 + 100).to_string()), "{text}");
    assert!(!text.contains(&format!("{:#x}", 32 * 1024 + 100)), "{text}");
    // The params are the flags as given.
    assert_eq!(e["params"]["physmem"], "64k");
    assert_eq!(e["params"]["heap_base"], "34k");
    let e = vmlab_solved(&args);
    let s = &e["solution"];
    assert_eq!(hex(&s["segments"][2]["physical"][0]), 26 * 1024);
    let t = s["translations"].as_array().unwrap();
    assert_eq!(hex(&t[0]["pa"]), 32 * 1024 + 100);
    assert!(t[1]["segment"].is_null() && t[1]["pa"].is_null());
    assert!(s["allocation"]["events"].is_array());
    assert_eq!(e["questions"][1]["answer"], "fault");
}

#[test]
fn question_numbers_line_up_with_the_addresses_and_the_events() {
    let e = vmlab_solved(&["sim", "segment", "--seed", "4", "-n", "7"]);
    let questions = e["questions"].as_array().unwrap();
    let addresses = e["problem"]["addresses"].as_array().unwrap();
    for (i, a) in addresses.iter().enumerate() {
        let va = format!("VA 0x{:04x} ", hex(a));
        assert_eq!(questions[i]["id"], i + 1);
        assert!(questions[i]["prompt"].as_str().unwrap().starts_with(&va));
    }
    // The events table names each allocation's question.
    let o = vmlab(&[
        "sim", "segment", "--seed", "4", "-n", "7", "--width", "100", "--color", "never",
    ]);
    let mut checked = 0;
    for line in stdout(&o).lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        if cells.len() == 6 && cells[1] == "alloc" {
            let id: usize = cells[5].parse().unwrap();
            let prompt = questions[id - 1]["prompt"].as_str().unwrap();
            assert!(
                prompt.starts_with(&format!("Event {}, alloc {} ", cells[0], cells[2])),
                "{line}: {prompt}"
            );
            checked += 1;
        }
    }
    assert!(checked > 2, "{}", stdout(&o));
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
        "--events",
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
fn uniform_addresses_by_default_the_old_mix_on_request_and_old_spellings_work() {
    // Code and stack of 64 bytes each, no heap, in a 1k space: 12.5% of it is valid.
    let valid_share = |extra: &[&str]| {
        let mut args = vec![
            "sim",
            "segment",
            "-l",
            "64",
            "--heap-limit",
            "0",
            "-L",
            "64",
            "-n",
            "2000",
            "--events",
            "0",
        ];
        args.extend(extra);
        let e = vmlab_solved(&args);
        e["solution"]["valid"].as_f64().unwrap() / 2000.0
    };
    let uniform = valid_share(&[]);
    assert!((0.09..0.16).contains(&uniform), "{uniform}");
    let mixed = valid_share(&["--valid", "50"]);
    assert!((0.5..0.62).contains(&mixed), "{mixed}");
    let old = vmlab_json(&[
        "sim",
        "segment",
        "--psize",
        "32k",
        "--numaddrs",
        "3",
        "--ops",
        "2",
    ]);
    assert_eq!(old["problem"]["physmem"], 32 * 1024);
    assert_eq!(old["problem"]["addresses"].as_array().unwrap().len(), 3);
    assert_eq!(
        old["problem"]["allocation"]["events"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn spanish_output_and_spanish_answers() {
    // The book's code and stack, and an empty heap.
    let args = [
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
        "--heap-limit",
        "0",
        "-B",
        "28k",
        "-L",
        "2k",
        "-A",
        "4200,7168",
        "--events",
        "0",
    ];
    let mut es = args.to_vec();
    es.extend(["--lang", "es", "--solve", "--color", "never"]);
    let o = vmlab(&es);
    let out = stdout(&o);
    assert!(
        flat(&out).contains("VIOLACIÓN DE SEGMENTO") && out.contains("→ fallo"),
        "{out}"
    );
    assert!(out.contains("→ ninguna"), "{out}");
    // Whatever the output language, Spanish or English words, accents optional.
    let answers = write_temp(
        "seg-es",
        "1: violacion de segmento\n2: Violación\n3: 0x07ff\n4: ninguna\n5: 0x3800\n",
    );
    for lang in ["en", "es"] {
        let mut check = args.to_vec();
        check.extend(["--lang", lang, "--check", answers.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    }
    let _ = std::fs::remove_file(answers);
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
    let measured = &out[out.find("Measured").unwrap()..];
    let area = |name: &str| -> (u64, u64) {
        let line = measured
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name}: {measured}"));
        let cells: Vec<&str> = line.split_whitespace().collect();
        let hex = |c: &str| u64::from_str_radix(c.trim_start_matches("0x"), 16).unwrap();
        (hex(cells[1]), hex(cells[2]))
    };
    // Read from the kernel's maps: each area is a real range, and the code lies
    // below the heap, the heap below the stack, all in user space.
    let (code, heap, stack) = (area("code"), area("heap"), area("stack"));
    for (start, end) in [code, heap, stack] {
        assert!(start < end && end <= 1 << 57, "{measured}");
        assert_eq!(start % 4096, 0, "{measured}");
    }
    assert!(code.1 <= heap.0 && heap.1 <= stack.0, "{measured}");
}

#[test]
fn a_huge_argument_is_quoted_by_its_first_characters() {
    let long = format!("0x{}", "f".repeat(100_000));
    for flag in ["-A", "-b", "--physmem"] {
        let o = vmlab(&["sim", "segment", flag, &long]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).len() < 400, "{}", &stderr(&o)[..400]);
    }
}

#[test]
fn every_line_fits_80_and_60_columns_in_both_languages() {
    let answers = write_temp("seg-width", "1: 0x10\n2: 3a12 bytes\n3: ninguna\n");
    for lang in ["en", "es"] {
        for width in ["80", "60"] {
            let common = ["--lang", lang, "--width", width, "--color", "never"];
            let runs: Vec<Vec<&str>> = vec![
                vec!["sim", "segment"],
                vec!["sim", "segment", "--solve", "--real", "--seed", "3"],
                vec!["sim", "segment", "--check", answers.to_str().unwrap()],
                vec!["sim", "segment", "-a", "12k"],
                vec!["sim", "segment", "--heap-base", "0", "--code-base", "10"],
                vec!["sim", "segment", "--seg-bits", "1", "--solve", "-n", "12"],
                vec![
                    "sim", "segment", "-a", "1g", "-p", "64g", "--events", "40", "--policy",
                    "worst", "--solve", "--seed", "9",
                ],
            ];
            for mut args in runs {
                args.extend(common);
                let o = vmlab(&args);
                let all = format!("{}{}", stdout(&o), stderr(&o));
                let wide = too_wide(&all, width.parse().unwrap());
                assert!(wide.is_empty(), "{args:?}: {wide:#?}");
            }
        }
    }
    let _ = std::fs::remove_file(answers);
}
