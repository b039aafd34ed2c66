//! `vmlab sim relocate`, run as a user would: reproducible problems, the worked
//! solution, grading an answers file, bad parameters, JSON and `--real`.

mod common;
use common::*;

#[test]
fn same_seed_same_problem() {
    let a = vmlab(&["sim", "relocate", "--seed", "42", "--color", "never"]);
    let b = vmlab(&["sim", "relocate", "--seed", "42", "--color", "never"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    let c = vmlab(&["sim", "relocate", "--seed", "43", "--color", "never"]);
    assert_ne!(stdout(&a), stdout(&c));
    assert!(stdout(&a).contains("base") && stdout(&a).contains("bounds"));
}

#[test]
fn solve_shows_the_known_answers() {
    // OSTEP chapter 15: base 16 KB, bounds 4 KB.
    let o = vmlab(&[
        "sim",
        "relocate",
        "-a",
        "16k",
        "-p",
        "64k",
        "-b",
        "16k",
        "-l",
        "4k",
        "-A",
        "0,4095,4096",
        "--solve",
        "--color",
        "never",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("→ 0x4000"), "{out}");
    assert!(out.contains("→ 0x4fff"), "{out}");
    assert!(out.contains("→ fault"), "{out}");
    assert!(out.contains("SEGMENTATION VIOLATION"), "{out}");
    assert!(out.contains("paging"), "{out}");
}

#[test]
fn check_grades_own_answers_and_catches_a_wrong_one() {
    let e = vmlab_solved(&["sim", "relocate", "--seed", "7", "-n", "8"]);
    let mut answers = canonical(&e);
    assert_eq!(answers.len(), 8);
    let right = write_temp("reloc-right", &file_text(&answers));
    let o = vmlab(&[
        "sim",
        "relocate",
        "--seed",
        "7",
        "-n",
        "8",
        "--check",
        right.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("8 of 8 right"), "{}", stdout(&o));
    // Flip the first answer: a fault becomes an address, an address becomes a fault.
    answers[0].1 = if answers[0].1 == "fault" {
        "0x0".into()
    } else {
        "fault".into()
    };
    let wrong = write_temp("reloc-wrong", &file_text(&answers));
    let o = vmlab(&[
        "sim",
        "relocate",
        "--seed",
        "7",
        "-n",
        "8",
        "--check",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("wrong"), "{}", stdout(&o));
    let bad = write_temp("reloc-bad", "1 0x10\nthis is not an answer line\n");
    let o = vmlab(&[
        "sim",
        "relocate",
        "--seed",
        "7",
        "--check",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    for p in [right, wrong, bad] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, expect) in [
        (
            vec!["-a", "32k", "-p", "16k"],
            "larger than physical memory",
        ),
        (vec!["-l", "2k"], "larger than the address space"),
        (
            vec!["-b", "16000", "-l", "1000"],
            "ends past physical memory",
        ),
        (vec!["-A", "0x10,5000"], "outside the address space"),
        (vec!["-p", "lots"], "--physmem"),
        (vec!["--psize", "lots"], "--physmem"),
        (vec!["-a", "0"], "more than 0"),
    ] {
        let mut all = vec!["sim", "relocate"];
        all.extend(args.iter());
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{all:?}: {}", stderr(&o));
    }
}

#[test]
fn json_has_the_problem_and_with_solve_the_solution() {
    let args = [
        "sim", "relocate", "--seed", "5", "-b", "0x1000", "-l", "100", "-A", "99,100",
    ];
    let e = vmlab_json(&args);
    assert_eq!(e["simulator"], "relocate");
    assert_eq!(e["seed"], 5);
    assert_eq!(e["problem"]["base"], "0x1000");
    assert_eq!(e["problem"]["bounds"], 100);
    assert_eq!(
        e["problem"]["addresses"],
        serde_json::json!(["0x63", "0x64"])
    );
    // Without --solve, no answer anywhere.
    assert!(e.get("solution").is_none(), "{e}");
    assert!(e["questions"][1].get("answer").is_none(), "{e}");
    let text = e.to_string();
    assert!(!text.contains(&(0x1000 + 99).to_string()), "{text}");
    assert!(!text.contains(&format!("{:#x}", 0x1000 + 99)), "{text}");
    // The params are the flags as given, to make the same exercise again.
    assert_eq!(e["params"]["base"], "0x1000");
    assert_eq!(e["params"]["limit"], "100");
    let e = vmlab_solved(&args);
    let acc = e["solution"]["accesses"].as_array().unwrap();
    assert_eq!(acc.len(), 2);
    assert_eq!(hex(&acc[0]["pa"]), 0x1000 + 99);
    assert!(acc[1]["pa"].is_null());
    assert_eq!(e["questions"][1]["answer"], "fault");
    assert_eq!(e["questions"][0]["answer"], "0x1063");
}

#[test]
fn spanish_output_and_spanish_answers() {
    let args = [
        "sim", "relocate", "-b", "0x1000", "-l", "100", "-A", "99,100,5",
    ];
    let mut es = args.to_vec();
    es.extend(["--lang", "es", "--solve", "--color", "never"]);
    let o = vmlab(&es);
    let out = stdout(&o);
    assert!(
        out.contains("VIOLACIÓN DE SEGMENTO") && out.contains("→ fallo"),
        "{out}"
    );
    // Whatever the output language, Spanish or English words, accents optional.
    let answers = write_temp("reloc-es", "1: 0x1063\n2: violacion de segmento\n3: 4101\n");
    for lang in ["en", "es"] {
        let mut check = args.to_vec();
        check.extend(["--lang", lang, "--check", answers.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    }
    let _ = std::fs::remove_file(answers);
}

#[test]
fn uniform_addresses_by_default_the_half_valid_mix_on_request() {
    let valid_share = |extra: &[&str]| {
        let mut args = vec!["sim", "relocate", "-l", "100", "-n", "2000"];
        args.extend(extra);
        let e = vmlab_solved(&args);
        e["solution"]["valid"].as_f64().unwrap() / 2000.0
    };
    let uniform = valid_share(&[]);
    assert!((0.07..0.13).contains(&uniform), "{uniform}");
    let mixed = valid_share(&["--valid", "50"]);
    assert!((0.5..0.6).contains(&mixed), "{mixed}");
}

#[test]
fn binary_huge_and_endless_answers_files_are_malformed_input() {
    let binary = std::env::temp_dir().join(format!("vmlab-reloc-bin-{}", std::process::id()));
    std::fs::write(&binary, b"1: 0x10\n\x00\xff\xfe").unwrap();
    let huge = write_temp("reloc-huge", &"# padding\n".repeat(200_000));
    for file in [
        binary.to_str().unwrap(),
        huge.to_str().unwrap(),
        "/dev/zero",
    ] {
        let o = vmlab(&["sim", "relocate", "--check", file]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
        assert!(stderr(&o).len() < 300, "{}", stderr(&o));
    }
    for p in [binary, huge] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn a_huge_argument_is_quoted_by_its_first_characters() {
    let long = format!("0x{}", "f".repeat(100_000));
    let o = vmlab(&["sim", "relocate", "-A", &long]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).len() < 400, "{}", &stderr(&o)[..400]);
}

#[test]
fn every_line_fits_80_and_60_columns_in_both_languages() {
    let answers = write_temp("reloc-width", "1: 0x10\n2: 3a12 bytes\n");
    for lang in ["en", "es"] {
        for width in ["80", "60"] {
            let common = ["--lang", lang, "--width", width, "--color", "never"];
            let runs: Vec<Vec<&str>> = vec![
                vec!["sim", "relocate"],
                vec!["sim", "relocate", "--solve", "--real", "-A", "1,2,3"],
                vec!["sim", "relocate", "--check", answers.to_str().unwrap()],
                vec!["sim", "relocate", "-a", "32k"],
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

#[test]
fn real_part_is_measured_and_says_so() {
    let o = vmlab(&["sim", "relocate", "--real", "--color", "never"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Measured on this machine (not simulated)"),
        "{out}"
    );
    assert!(out.contains("simulated, not measured"), "{out}");
    if cfg!(target_arch = "x86_64") {
        assert!(out.contains("FS base"), "{out}");
    }
}
