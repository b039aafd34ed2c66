//! `vmlab sim freespace`: the real binary, end to end.

mod common;
use common::*;

fn check(args: &[&str], answers: &str) -> std::process::Output {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("vmlab-freespace-{}-{n}.txt", std::process::id()));
    std::fs::write(&path, answers).unwrap();
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
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("Solution"));
    // ptr[1] merges with neighbours in memory that are not its list neighbours.
    assert!(s.contains("merged into [ addr:1000 sz:100 ]"), "{s}");
    assert!(s.contains("Free List [ Size 1 ]: [ addr:1000 sz:100 ]"));
    assert!(s.contains("Memory by address:"));
    assert!(s.contains("external fragmentation"));
}

#[test]
fn the_pointer_returned_is_after_the_header() {
    let j = vmlab_solved(&["sim", "freespace", "-A", "+1,+8", "-H", "8", "-a", "8"]);
    let steps = j["solution"]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["alloc"]["ptr"], 1008);
    assert_eq!(steps[1]["alloc"]["ptr"], 1024);
    assert_eq!(j["questions"][0]["answer"], "1008");
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for policy in ["first", "best", "worst", "next"] {
        let args = [
            "--seed", "3", "-p", policy, "-n", "20", "-C", "-H", "4", "-a", "4",
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
fn a_malformed_answers_file_is_an_input_error() {
    let o = check(&["--seed", "1"], "1: 1000\nthis is not an answer line\n");
    assert_eq!(o.status.code(), Some(2));
    let o = check(&["--seed", "1"], "999: 1000\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no question 999"), "{}", stderr(&o));
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["-a", "3"], "power of two"),
        (&["-H", "4", "-a", "8"], "--header-size"),
        (&["-p", "random"], "not a policy"),
        (&["-l", "lifo"], "not a list order"),
        (&["-P", "150"], "percentage"),
        (&["-S", "12q"], "not a size"),
        (&["-S", "0"], "--heap-size"),
        (&["-A", "+5,-3"], "ptr[3] does not exist"),
        (&["-A", "+0"], "malloc(0)"),
        (&["-r", "0"], "--range"),
    ];
    for (args, msg) in cases {
        let mut all = vec!["sim", "freespace"];
        all.extend_from_slice(args);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{args:?}: {}", stderr(&o));
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
}

#[test]
fn json_has_the_problem_and_the_solution() {
    let j = vmlab_solved(&["sim", "freespace", "--seed", "2", "-C"]);
    assert_eq!(j["simulator"], "freespace");
    assert_eq!(j["seed"], 2);
    assert_eq!(j["params"]["policy"], "first");
    assert_eq!(j["params"]["coalesce"], true);
    let d = &j["solution"];
    assert_eq!(d["config"]["base"], 1000);
    assert_eq!(d["steps"].as_array().unwrap().len(), 10);
    assert!(d["steps"][0]["free_list"].is_array());
    assert!(d["final"]["fragmentation"]["external_percent"].is_u64());
    // The ops replay the same problem.
    let ops = j["solution"]["legacy_params"]["ops"].as_str().unwrap();
    let r = vmlab_solved(&["sim", "freespace", "-C", "-A", ops]);
    assert_eq!(r["questions"], j["questions"]);
}

#[test]
fn real_says_what_is_measured() {
    let o = vmlab(&["sim", "freespace", "--real"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("simulated, not measured"));
    assert!(s.contains("Measured on this machine"));
}
