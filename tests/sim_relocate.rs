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
    let e = vmlab_json(&["sim", "relocate", "--seed", "7", "-n", "8"]);
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
        (vec!["-p", "lots"], "psize"),
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
fn json_has_the_problem_and_solution() {
    let e = vmlab_json(&[
        "sim", "relocate", "--seed", "5", "-b", "0x1000", "-l", "100", "-A", "99,100",
    ]);
    assert_eq!(e["simulator"], "relocate");
    assert_eq!(e["seed"], 5);
    assert_eq!(hex(&e["data"]["base"]), 0x1000);
    assert_eq!(hex(&e["data"]["bounds"]), 100);
    let acc = e["data"]["accesses"].as_array().unwrap();
    assert_eq!(acc.len(), 2);
    assert_eq!(acc[0]["valid"], true);
    assert_eq!(hex(&acc[0]["pa"]), 0x1000 + 99);
    assert_eq!(acc[1]["valid"], false);
    assert_eq!(e["questions"][1]["answer"], "fault");
    assert!(!e["solution"].as_array().unwrap().is_empty());
    // The params say how to make the same exercise again.
    assert_eq!(e["params"]["base"], 0x1000);
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
