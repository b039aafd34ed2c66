//! `vmlab sim tlb`: the real binary, end to end.
mod common;
use common::*;

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("vmlab-sim-tlb-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn same_seed_same_problem() {
    let a = vmlab(&["sim", "tlb", "-s", "4"]);
    let b = vmlab(&["sim", "tlb", "-s", "4"]);
    let c = vmlab(&["sim", "tlb", "-s", "5"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert_ne!(stdout(&a), stdout(&c));
    assert!(stdout(&a).contains("VA 0x"), "{}", stdout(&a));
}

#[test]
fn solve_splits_addresses_and_explains() {
    // OSTEP's array walk: 10 ints at 100, 16-byte pages: m h h m h h h m h h.
    let addrs: Vec<String> = (0..10).map(|i| (100 + 4 * i).to_string()).collect();
    let list = addrs.join(",");
    let o = vmlab(&[
        "sim", "tlb", "-a", "256", "-P", "16", "-A", &list, "--solve",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("VPN = address >> 4"), "{out}");
    assert!(out.contains("7 hits, 3 misses"), "{out}");
    assert!(out.contains("70.00%"), "{out}");
}

#[test]
fn generated_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for policy in ["fifo", "lru", "random", "opt"] {
        let args = ["sim", "tlb", "-s", "9", "-p", policy, "-e", "3", "-n", "16"];
        let e = vmlab_solved(&args);
        let answers: String = e["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| format!("{}: {}\n", q["id"], q["answer"].as_str().unwrap()))
            .collect();
        let right = temp_file(&format!("{policy}-right"), &answers);
        let mut check = args.to_vec();
        check.extend(["--check", right.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(0), "{policy}: {}", stdout(&o));

        // A wrong VPN for the first address.
        let vpn: u64 = e["questions"][0]["answer"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let wrong_text = answers.replacen(&format!("1: {vpn}\n"), &format!("1: {}\n", vpn + 1), 1);
        let wrong = temp_file(&format!("{policy}-wrong"), &wrong_text);
        let mut check = args.to_vec();
        check.extend(["--check", wrong.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(1), "{policy}: {}", stdout(&o));
        let g = {
            let mut j = check.clone();
            j.push("--json");
            serde_json::from_slice::<serde_json::Value>(&vmlab(&j).stdout).unwrap()
        };
        assert_eq!(g["results"][0]["right"], false);
        assert_eq!(
            g["right"].as_u64().unwrap() + 1,
            g["total"].as_u64().unwrap()
        );
        let _ = std::fs::remove_file(right);
        let _ = std::fs::remove_file(wrong);
    }
}

#[test]
fn json_has_the_structure() {
    let e = vmlab_solved(&["sim", "tlb", "-s", "1", "-p", "random"]);
    assert_eq!(e["simulator"], "tlb");
    assert_eq!(e["params"]["policy"], "random");
    let d = &e["problem"];
    assert_eq!(d["frames"], 4);
    assert_eq!(d["page_size"], 1024);
    assert_eq!(d["addresses"].as_array().unwrap().len(), 12);
    assert_eq!(d["draws"].as_array().unwrap().len(), 12);
    let vpns = u64s(&d["refs"]);
    for (a, v) in d["addresses"].as_array().unwrap().iter().zip(&vpns) {
        assert_eq!(a.as_u64().unwrap() / 1024, *v);
    }
    assert_eq!(e["solution"]["steps"].as_array().unwrap().len(), 12);
    // Two questions per address and three totals.
    assert_eq!(e["questions"].as_array().unwrap().len(), 12 * 2 + 3);
    assert!(e.get("real").is_none());
}

#[test]
fn real_points_to_the_measurement() {
    let o = vmlab(&["sim", "tlb", "--real"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Measured on this machine"), "{out}");
    assert!(out.replace('\n', " ").contains("vmlab demo tlb"), "{out}");
    assert!(out.contains("simulated"), "{out}");
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-e", "0"], "entries"),
        (vec!["-P", "1000"], "power of two"),
        (vec!["-a", "1k", "-P", "4k"], "does not fit"),
        (vec!["-l", "101"], "percentage"),
        (vec!["-A", "0x4000"], "outside the address space"),
        (vec!["-A", "0x10,zz"], "not a number"),
        (vec!["-p", "clock"], "clock"),
    ] {
        let mut all = vec!["sim", "tlb"];
        all.extend(&args);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn evict_vpn_answers_are_accepted_as_the_question_words_them() {
    // Seed 1 (default parameters): question 22 is "evict 0", question 24 "evict 1".
    let e = vmlab_solved(&["sim", "tlb", "-s", "1"]);
    assert_eq!(e["questions"][21]["answer"], "evict 0");
    assert_eq!(e["questions"][23]["answer"], "evict 1");
    let file = temp_file("evict-vpn", "22: evict VPN 0\n24: miss, evict page 1\n");
    let o = vmlab(&["sim", "tlb", "-s", "1", "--check", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(
        out.starts_with("graded against: vmlab sim tlb --seed 1 (default parameters)"),
        "{out}"
    );
    assert!(out.contains(" 22. right  evict VPN 0"), "{out}");
    assert!(out.contains(" 24. right  miss, evict page 1"), "{out}");
    assert!(out.contains("2 of 27 right"), "{out}");
    let _ = std::fs::remove_file(file);
}
