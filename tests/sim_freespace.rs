//! `vmlab sim freespace`: the real binary, end to end.

mod common;
use common::*;

/// `text` with every run of whitespace as one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(args: &[&str], answers: &str) -> std::process::Output {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = write_temp(&format!("freespace-{n}"), answers);
    let mut all = vec!["sim", "freespace"];
    all.extend_from_slice(args);
    all.extend(["--check", path.to_str().unwrap()]);
    let o = vmlab(&all);
    let _ = std::fs::remove_file(&path);
    o
}

#[test]
fn the_same_seed_gives_the_same_problem() {
    let a = vmlab(&["sim", "freespace", "--seed", "5", "-C", "-p", "best"]);
    let b = vmlab(&["sim", "freespace", "--seed", "5", "-C", "-p", "best"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    let c = vmlab(&["sim", "freespace", "--seed", "6", "-C", "-p", "best"]);
    assert_ne!(stdout(&a), stdout(&c));
    assert!(stdout(&a).contains("ptr[0] = Alloc("));
    assert!(!stdout(&a).contains("Solution"));
}

#[test]
fn solve_shows_the_answers_and_the_worked_solution() {
    let o = vmlab(&[
        "sim",
        "freespace",
        "-A",
        "+10,+10,+10,-0,-2,-1",
        "-l",
        "INSERT-FRONT",
        "-C",
        "--solve",
        "--color",
        "never",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = flat(&stdout(&o));
    assert!(s.contains("Solution"));
    // ptr[1] merges with neighbours in memory that are not its list neighbours.
    assert!(
        s.contains("before it 1000:10 (ends at 1010); after it 1020:80 (starts at 1020): merged into 1000:100"),
        "{s}"
    );
    assert!(s.contains("free list: 1000:100"), "{s}");
    assert!(s.contains("memory by address: 1000 free(100)"), "{s}");
    assert!(s.contains("external fragmentation"));
}

#[test]
fn the_pointer_returned_is_after_the_header() {
    let j = vmlab_solved(&["sim", "freespace", "-A", "+1,+8", "-H", "8", "-a", "8"]);
    let steps = j["solution"]["steps"].as_array().unwrap();
    assert_eq!(hex(&steps[0]["alloc"]["ptr"]), 1008);
    assert_eq!(hex(&steps[1]["alloc"]["ptr"]), 1024);
    assert_eq!(j["questions"][0]["answer"], "1008");
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for policy in ["first", "best", "worst", "next"] {
        let args = [
            "--seed", "3", "--policy", policy, "-n", "20", "-C", "-H", "4", "-a", "4",
        ];
        let mut all = vec!["sim", "freespace"];
        all.extend_from_slice(&args);
        let j = vmlab_solved(&all);
        let answers = answers_of(&j);
        let o = check(&args, &answers);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("100%"));
        let first = j["questions"][0]["answer"].as_str().unwrap();
        let wrong = answers.replacen(&format!("1: {first}\n"), "1: 7\n", 1);
        let o = check(&args, &wrong);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stdout(&o).contains("wrong"));
    }
}

#[test]
fn null_is_answered_in_either_language() {
    // 60 bytes, then 50 more do not fit: ptr[1] is NULL.
    let args = ["-A", "+60,+50"];
    let j = vmlab_solved(&["sim", "freespace", "-A", "+60,+50"]);
    assert_eq!(j["questions"][2]["answer"], "NULL");
    let total = j["questions"].as_array().unwrap().len();
    let rest: String = canonical(&j)
        .iter()
        .filter(|(id, _)| *id != 3)
        .map(|(id, a)| format!("{id}: {a}\n"))
        .collect();
    for null in ["NULL", "nulo", "falla", "fail"] {
        for lang in ["en", "es"] {
            let mut with_lang = args.to_vec();
            with_lang.extend(["--lang", lang]);
            let o = check(&with_lang, &format!("{rest}3: {null}\n"));
            assert_eq!(o.status.code(), Some(0), "{null}: {}", stdout(&o));
            assert!(stdout(&o).contains(&format!("{total} ")), "{}", stdout(&o));
        }
    }
}

#[test]
fn a_malformed_answers_file_is_an_input_error() {
    let o = check(&["--seed", "1"], "1: 1000\nthis is not an answer line\n");
    assert_eq!(o.status.code(), Some(2));
    let o = check(&["--seed", "1"], "999: 1000\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no question 999"), "{}", stderr(&o));
    let o = vmlab(&["sim", "freespace", "--check", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["-a", "3"], "power of two"),
        (&["-H", "4", "-a", "8"], "--header-size"),
        (&["-p", "random"], "--policy"),
        (&["-l", "lifo"], "--list-order"),
        (&["-P", "150"], "percentage"),
        (&["-S", "12q"], "not a size"),
        (&["-S", "0"], "--heap-size"),
        (&["-A", "+5,-3"], "ptr[3] does not exist"),
        (&["-A", "+0"], "malloc(0)"),
        (&["-r", "0"], "--range"),
        (&["--num-ops", "10001"], "--num"),
    ];
    for (args, msg) in cases {
        let mut all = vec!["sim", "freespace"];
        all.extend_from_slice(args);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(flat(&stderr(&o)).contains(msg), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn malloc_py_spellings_work() {
    let o = vmlab(&[
        "sim",
        "freespace",
        "-p",
        "BEST",
        "-l",
        "SIZESORT+",
        "-a",
        "-1",
        "-S",
        "100",
        "-b",
        "1000",
        "-n",
        "5",
        "-r",
        "10",
        "-P",
        "50",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("best fit"));
    let old = vmlab_json(&["sim", "freespace", "--num-ops", "7"]);
    assert_eq!(old["problem"]["ops"].as_array().unwrap().len(), 7);
}

#[test]
fn json_has_the_problem_and_only_with_solve_the_answers() {
    let j = vmlab_json(&["sim", "freespace", "--seed", "2", "-C"]);
    assert_eq!(j["simulator"], "freespace");
    assert_eq!(j["params"]["policy"], "first");
    assert_eq!(j["params"]["coalesce"], true);
    assert_eq!(hex(&j["problem"]["allocator"]["base"]), 1000);
    assert_eq!(j["problem"]["ops"].as_array().unwrap().len(), 10);
    assert!(j.get("solution").is_none(), "{j}");
    assert!(
        j["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("answer").is_none()),
        "{j}"
    );
    let s = vmlab_solved(&["sim", "freespace", "--seed", "2", "-C"]);
    let d = &s["solution"];
    assert_eq!(d["steps"].as_array().unwrap().len(), 10);
    assert!(d["steps"][0]["list_after"].is_array());
    assert!(d["fragmentation"]["external_percent"].is_u64());
    // The operations replay the same problem.
    let ops: Vec<String> = s["problem"]["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| match (op.get("alloc"), op.get("free")) {
            (Some(n), _) => format!("+{n}"),
            (_, Some(k)) => format!("-{k}"),
            _ => panic!("{op}"),
        })
        .collect();
    let r = vmlab_solved(&["sim", "freespace", "-C", "-A", &ops.join(",")]);
    assert_eq!(r["questions"], s["questions"]);
}

#[test]
fn question_numbers_are_named_beside_each_operation() {
    let j = vmlab_solved(&["sim", "freespace", "--seed", "4", "-n", "12"]);
    let questions = j["questions"].as_array().unwrap();
    let o = vmlab(&[
        "sim",
        "freespace",
        "--seed",
        "4",
        "-n",
        "12",
        "--width",
        "100",
        "--color",
        "never",
    ]);
    let mut checked = 0;
    for line in stdout(&o).lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let Some(step) = cells.first().and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        let ids = line.rsplit("   ").next().unwrap();
        for id in ids.split(", ") {
            let id: usize = id.trim().parse().unwrap();
            let prompt = questions[id - 1]["prompt"].as_str().unwrap();
            assert!(
                prompt.starts_with(&format!("Step {step},"))
                    || prompt.starts_with(&format!("Step {step}:")),
                "{line}: {prompt}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 12, "{}", stdout(&o));
}

#[test]
fn a_long_run_is_bounded() {
    // 10,000 mallocs: the old simulator kept the list and the memory of every step
    // (2.7 GB, 1 GB of text); now the first 200 steps keep theirs.
    let o = vmlab_cmd(&[
        "sim",
        "freespace",
        "-S",
        "1m",
        "-P",
        "100",
        "-n",
        "10000",
        "--json",
        "--solve",
    ])
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.len() < 20 << 20, "{} bytes", o.stdout.len());
    let o = vmlab(&[
        "sim",
        "freespace",
        "-S",
        "1m",
        "-P",
        "100",
        "-n",
        "10000",
        "--solve",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.len() < 20 << 20, "{} bytes", o.stdout.len());
    assert!(
        stdout(&o).contains("10000 operations"),
        "{}",
        &stdout(&o)[..2000]
    );
}

#[test]
fn real_says_what_is_measured() {
    let o = vmlab(&["sim", "freespace", "--real", "--color", "never"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("simulated, not measured"));
    assert!(s.contains("Measured on this machine"));
    // Three real pointers from this process's malloc, distinct and aligned.
    let pointers: Vec<u64> = s
        .lines()
        .filter(|l| l.contains("= malloc(100)"))
        .filter_map(|l| l.split_whitespace().last())
        .map(|p| u64::from_str_radix(p.trim_start_matches("0x"), 16).unwrap())
        .collect();
    assert_eq!(pointers.len(), 3, "{s}");
    assert!(pointers.iter().all(|p| p % 8 == 0 && *p > 0), "{s}");
    assert!(
        pointers[0] != pointers[1] && pointers[1] != pointers[2],
        "{s}"
    );
}

#[test]
fn a_huge_argument_is_quoted_by_its_first_characters() {
    let long = format!("+{}", "9".repeat(100_000));
    for flag in ["-A", "-S", "-b"] {
        let o = vmlab(&["sim", "freespace", flag, &long]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).len() < 400, "{}", &stderr(&o)[..400]);
    }
}

#[test]
fn every_line_fits_80_and_60_columns_in_both_languages() {
    let answers = write_temp("free-width", "1: 1000\n2: 3a12 bytes\n3: nulo\n");
    for lang in ["en", "es"] {
        for width in ["80", "60"] {
            let common = ["--lang", lang, "--width", width, "--color", "never"];
            let runs: Vec<Vec<&str>> = vec![
                vec!["sim", "freespace"],
                vec![
                    "sim",
                    "freespace",
                    "--solve",
                    "--real",
                    "-C",
                    "-H",
                    "4",
                    "-a",
                    "4",
                ],
                vec!["sim", "freespace", "--check", answers.to_str().unwrap()],
                vec!["sim", "freespace", "-A", "+5,-3"],
                vec![
                    "sim",
                    "freespace",
                    "-S",
                    "1m",
                    "-b",
                    "0x7f0000000000",
                    "-r",
                    "1k",
                    "-n",
                    "60",
                    "-P",
                    "60",
                    "-l",
                    "size-",
                    "--policy",
                    "worst",
                    "-C",
                    "--solve",
                ],
                vec![
                    "sim",
                    "freespace",
                    "-A",
                    "+60,+50,-1,-0,-0",
                    "-p",
                    "next",
                    "--solve",
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
