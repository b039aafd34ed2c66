//! `vmlab sim policy`: the real binary, end to end.
mod common;
use common::*;

/// `text` with every run of whitespace (a line wrapped at 92 columns included) as one
/// space, to look for a phrase however the output wrapped it.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `text` to a fresh file under the temp directory and returns its path.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("vmlab-sim-policy-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The canonical answers of an exercise, as an answers file.
fn answers_of(args: &[&str]) -> String {
    let e = vmlab_solved(args);
    e["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| format!("{}: {}\n", q["id"], q["answer"].as_str().unwrap()))
        .collect()
}

#[test]
fn same_seed_same_problem_other_seed_other_problem() {
    let a = vmlab(&["sim", "policy", "--seed", "11", "-p", "lru"]);
    let b = vmlab(&["sim", "policy", "--seed", "11", "-p", "lru"]);
    let c = vmlab(&["sim", "policy", "--seed", "12", "-p", "lru"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert_ne!(stdout(&a), stdout(&c));
    // Without --solve no answer is shown.
    assert!(!stdout(&a).contains("→ "));
}

#[test]
fn solve_shows_the_worked_solution() {
    let o = vmlab(&[
        "sim",
        "policy",
        "-a",
        "1,2,3,4,1,2,5,1,2,3,4,5",
        "-p",
        "fifo",
        "--solve",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Solution"), "{out}");
    assert!(flat(&out).contains("was loaded first"), "{out}");
    assert!(flat(&out).contains("3 hits, 9 misses"), "{out}");
    assert!(out.contains("25.00%"), "{out}");
    assert!(too_wide(&out, 80).is_empty(), "{out}");
}

#[test]
fn generated_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for policy in ["fifo", "lru", "mru", "opt", "unopt", "rand", "clock"] {
        let args = [
            "sim", "policy", "-s", "5", "-p", policy, "-n", "15", "-l", "40",
        ];
        let answers = answers_of(&args);
        let file = temp_file(&format!("{policy}-right"), &answers);
        let mut check = args.to_vec();
        check.extend(["--check", file.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{policy}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stdout(&o).contains("(100%)"), "{}", stdout(&o));

        // Turn the last answer (the hit rate) into a wrong one.
        let mut lines: Vec<String> = answers.lines().map(String::from).collect();
        let last = lines.len() - 1;
        lines[last] = format!("{}: 101%", last + 1);
        let wrong = temp_file(&format!("{policy}-wrong"), &lines.join("\n"));
        let mut check = args.to_vec();
        check.extend(["--check", wrong.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(1), "{policy}: {}", stdout(&o));
        assert!(stdout(&o).contains("wrong"), "{}", stdout(&o));
        let _ = std::fs::remove_file(file);
        let _ = std::fs::remove_file(wrong);
    }
}

#[test]
fn answers_accept_other_spellings() {
    // 1,2,3,4 with 3 frames under FIFO: miss, miss, miss, evict 1.
    let args = ["sim", "policy", "-a", "1,2,3,4", "-p", "FIFO"];
    let file = temp_file(
        "spellings",
        "1: MISS\n2 m\n3: miss\n4: 1\n5: 0\n6: 4\n7: 0%\n",
    );
    let mut check = args.to_vec();
    check.extend(["--check", file.to_str().unwrap()]);
    let o = vmlab(&check);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let _ = std::fs::remove_file(file);
}

#[test]
fn malformed_answers_file_exits_2() {
    let file = temp_file("malformed", "1: miss\nthis is not an answer line\n");
    let o = vmlab(&["sim", "policy", "--check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    let _ = std::fs::remove_file(file);
}

#[test]
fn belady_shows_the_anomaly() {
    let e = vmlab_solved(&["sim", "policy", "--belady"]);
    assert_eq!(e["questions"][0]["answer"], "9");
    assert_eq!(e["questions"][1]["answer"], "10");
    let misses = |e: &serde_json::Value, i: usize| e["solution"]["runs"][i]["misses"].as_u64();
    assert!(misses(&e, 1) > misses(&e, 0));
    assert_eq!(
        u64s(&e["problem"]["refs"]),
        vec![1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
    );
    // LRU on the same string: no anomaly, and the output says why.
    let o = vmlab(&["sim", "policy", "--belady", "-p", "lru", "--solve"]);
    assert!(
        flat(&stdout(&o)).contains("stack algorithm"),
        "{}",
        stdout(&o)
    );
    let e = vmlab_solved(&["sim", "policy", "--belady", "-p", "lru"]);
    assert!(misses(&e, 1) <= misses(&e, 0));
}

#[test]
fn trace_files_hold_pages_or_with_pagesize_addresses() {
    let file = temp_file(
        "trace",
        "# addresses\n0x1000\n0x1fff\n0x2000\n4096\n L 00003008,8\n",
    );
    let f = file.to_str().unwrap();
    let e = vmlab_solved(&["sim", "policy", "-f", f, "-P", "4k", "-C", "2"]);
    assert_eq!(u64s(&e["problem"]["refs"]), vec![1, 1, 2, 1, 3]);
    let run = &e["solution"]["runs"][0];
    assert_eq!(run["hits"], 2);
    assert_eq!(run["misses"], 3);
    // Page numbers, without --pagesize: not masked to page 0.
    let pages = temp_file("pages", "1\n2\n3\n1\n");
    let e = vmlab_solved(&["sim", "policy", "-f", pages.to_str().unwrap(), "-C", "2"]);
    assert_eq!(u64s(&e["problem"]["refs"]), vec![1, 2, 3, 1]);
    // An endless or binary trace is malformed input.
    let o = vmlab(&["sim", "policy", "-f", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let _ = std::fs::remove_file(pages);
    let _ = std::fs::remove_file(file);
}

#[test]
fn json_has_problem_questions_solution_and_steps() {
    let e = vmlab_solved(&["sim", "policy", "-s", "3", "-p", "clock", "-b", "2"]);
    assert_eq!(e["simulator"], "policy");
    assert_eq!(e["seed"], 3);
    assert_eq!(e["params"]["policy"], "clock");
    assert_eq!(e["params"]["clockbits"], 2);
    let steps = e["solution"]["runs"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 10);
    assert!(steps.iter().all(|s| s["after"]["clock"].is_array()));
    // Without --solve: no steps, no answers.
    let e = vmlab_json(&["sim", "policy", "-s", "3", "-p", "clock", "-b", "2"]);
    assert!(e.get("solution").is_none() && e["questions"][0].get("answer").is_none());
    assert_eq!(e["questions"].as_array().unwrap().len(), 13);
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-C", "0"], "cachesize"),
        (vec!["-n", "0"], "--num"),
        (vec!["--numaddrs", "0"], "--num"),
        (vec!["-l", "150"], "percentage"),
        (vec!["-b", "0"], "clockbits"),
        (vec!["-m", "0"], "maxpage"),
        (vec!["-a", "1,two,3"], "'two' is not a number"),
        (vec!["-f", "/nonexistent/trace"], "cannot read"),
        (vec!["-P", "1000", "-f", "/dev/null"], "power of two"),
        (vec!["-p", "lfu"], "lfu"),
    ] {
        let mut all = vec!["sim", "policy"];
        all.extend(&args);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(flat(&stderr(&o)).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn real_is_refused_with_the_reason_and_where_to_look() {
    // The kernel's page replacement cannot be watched access by access: rather than
    // print the simulation alone as if --real had done something, say so (exit 2).
    let o = vmlab(&["sim", "policy", "--real"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("--real"), "{err}");
    assert!(err.contains("no measured part"), "{err}");
    assert!(err.contains("access by access"), "{err}");
    assert!(err.contains("vmlab demo dirty"), "{err}");
    // With other options too, and in JSON mode.
    let o = vmlab(&["sim", "policy", "-s", "3", "-p", "lru", "--real", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn evict_page_answers_are_accepted_as_the_question_words_them() {
    // 1,2,3,4 with 3 frames under FIFO: miss, miss, miss, evict 1.
    let args = ["sim", "policy", "-a", "1,2,3,4", "-p", "FIFO"];
    for spelling in [
        "evict page 1",
        "miss, evict page 1",
        "Evict Page 1",
        "evict 1",
    ] {
        let file = temp_file("evict-page", &format!("4: {spelling}\n"));
        let mut check = args.to_vec();
        check.extend(["--check", file.to_str().unwrap()]);
        let o = vmlab(&check);
        assert!(
            stdout(&o).contains(&format!("  4. right  {spelling}")),
            "{spelling}: {}",
            stdout(&o)
        );
        let _ = std::fs::remove_file(file);
    }
    // The wrong page is still wrong.
    let file = temp_file("evict-page-wrong", "4: evict page 2\n");
    let mut check = args.to_vec();
    check.extend(["--check", file.to_str().unwrap()]);
    let o = vmlab(&check);
    assert!(
        stdout(&o).contains("  4. wrong  evict page 2"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_footer_example_is_generic_and_the_grade_names_its_exercise() {
    let o = vmlab(&["sim", "policy", "--color", "never"]);
    let out = stdout(&o);
    assert!(out.contains("'NUMBER: ANSWER'"), "{out}");
    assert!(!out.contains("0x1a2b"), "{out}");
    // --check without --seed grades against seed 0, and says so first.
    let file = temp_file("against", "1: miss\n");
    let o = vmlab(&["sim", "policy", "--check", file.to_str().unwrap()]);
    assert!(
        stdout(&o).starts_with("graded against: vmlab sim policy --seed 0 (default parameters)\n"),
        "{}",
        stdout(&o)
    );
    let o = vmlab(&[
        "sim",
        "policy",
        "-s",
        "7",
        "-p",
        "lru",
        "--check",
        file.to_str().unwrap(),
    ]);
    assert!(
        flat(&stdout(&o)).starts_with(
            "graded against: vmlab sim policy --seed 7 (parameters other than the defaults: \
             policy=lru)"
        ),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_file(file);
}
