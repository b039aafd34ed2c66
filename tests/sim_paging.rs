//! `vmlab sim paging` through the real binary.

mod common;
use common::*;

#[test]
fn same_seed_same_problem_and_solve_shows_answers() {
    let a = vmlab(&["sim", "paging", "--seed", "7"]);
    let b = vmlab(&["sim", "paging", "--seed", "7"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("Page table (linear"));
    assert!(!stdout(&a).contains("Solution"));
    let other = vmlab(&["sim", "paging", "--seed", "8"]);
    assert_ne!(stdout(&a), stdout(&other));
    let solved = stdout(&vmlab(&["sim", "paging", "--seed", "7", "--solve"]));
    assert!(
        solved.contains("Solution") && solved.contains("VPN = "),
        "{solved}"
    );
    assert!(solved.contains(" → "), "{solved}");
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    let json = vmlab_solved(&["sim", "paging", "--seed", "3", "-n", "8"]);
    let answers = answers_of(&json);
    let path = write_temp("paging-right", &answers);
    let o = vmlab(&[
        "sim",
        "paging",
        "--seed",
        "3",
        "-n",
        "8",
        "--check",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("12 of 12 right (100%)"),
        "{}",
        stdout(&o)
    );
    // Flip the first translation: a fault becomes an address, an address a fault.
    let q5 = json["questions"][4]["answer"].as_str().unwrap();
    let wrong_answer = if q5 == "fault" { "0x0" } else { "fault" };
    let wrong = answers.replacen(&format!("5: {q5}"), &format!("5: {wrong_answer}"), 1);
    let path2 = write_temp("paging-wrong", &wrong);
    let o = vmlab(&[
        "sim",
        "paging",
        "--seed",
        "3",
        "-n",
        "8",
        "--check",
        path2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("wrong"), "{}", stdout(&o));
    let path3 = write_temp("paging-malformed", "1: 12\nfive: 3\n");
    let o = vmlab(&[
        "sim",
        "paging",
        "--seed",
        "3",
        "--check",
        path3.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    for p in [path, path2, path3] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn json_has_the_problem_and_solution() {
    let j = vmlab_solved(&["sim", "paging", "--seed", "1", "-A", "0x3fff,0,-1"]);
    assert_eq!(j["simulator"], "paging");
    assert_eq!(j["solution"]["geometry"]["vpn_bits"], 2);
    assert_eq!(j["solution"]["table"].as_array().unwrap().len(), 4);
    let t = j["solution"]["translations"].as_array().unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(t[0]["va"], "0x3fff");
    assert_eq!(j["solution"]["table_bytes"], 16);
    // Every translation agrees with the table: PA = PFN * page size + offset.
    for t in t {
        let vpn = t["vpn"].as_u64().unwrap() as usize;
        let entry = &j["solution"]["table"][vpn];
        assert_eq!(entry["valid"], t["valid"]);
        if t["valid"].as_bool().unwrap() {
            let pa = hex(&t["pa"]);
            assert_eq!(
                pa,
                entry["pfn"].as_u64().unwrap() * 4096 + hex(&t["offset"])
            );
        }
    }
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-P", "3000"], "not a power of two"),
        (vec!["-a", "128k"], "larger than physical memory"),
        (vec!["-u", "101"], "percentage"),
        (vec!["--pte-size", "3"], "1, 2, 4 or 8"),
        (vec!["-A", "0x4000"], "outside the address space"),
    ] {
        let mut all = vec!["sim", "paging"];
        all.extend(args.iter());
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

#[test]
fn real_translates_a_buffer_with_pagemap() {
    let o = vmlab(&["sim", "paging", "--real"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Measured on this machine (not simulated)"),
        "{text}"
    );
    assert!(text.contains("/proc/self/pagemap"), "{text}");
    assert!(text.contains("no frame yet"), "{text}");
    // The cost of a linear table is said plainly, as computed rather than measured.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !flat.contains("Measured rule, simulated consequence"),
        "{text}"
    );
    assert!(
        flat.contains("What a linear table would cost here (computed from this machine's"),
        "{text}"
    );
    assert!(flat.contains("GiB for every process"), "{text}");
    // The same flat table as vm-pagetable-cost and sim multilevel --real: one entry
    // per page of user space (2^47 bytes with four levels: 2^35 entries, 256 GiB).
    let p = vmlab::addr::Paging::detect();
    let entries = (1u64 << p.user_bits()) / p.page_size;
    assert!(
        flat.contains(&format!(
            "2^{} = {entries} entries, {} GiB for every process",
            entries.trailing_zeros(),
            (entries * 8) >> 30
        )),
        "{text}"
    );
    if is_root() {
        assert!(!text.contains("hidden"), "{text}");
    }
}

#[test]
fn bare_hex_gets_a_note_and_units_are_accepted() {
    // Seed 1: 16 bytes of page table (question 4), VA 0x3ca5 → 0x0ca5 (question 5).
    let json = vmlab_solved(&["sim", "paging", "--seed", "1"]);
    assert_eq!(json["questions"][3]["answer"], "16");
    assert_eq!(json["questions"][4]["answer"], "0x0ca5");
    let path = write_temp("paging-notation", "4: 16 bytes\n5: ca5\n");
    let o = vmlab(&[
        "sim",
        "paging",
        "--check",
        path.to_str().unwrap(),
        "--seed",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("graded against: vmlab sim paging --seed 1 (default parameters)\n"),
        "{out}"
    );
    assert!(out.contains("  4. right  16 bytes\n"), "{out}");
    assert!(
        out.contains("  5. wrong  ca5 (expected 0x0ca5; write hex numbers with 0x)"),
        "{out}"
    );
    let path2 = write_temp("paging-notation-b", "4: 16 B\n5: 0xca5\n");
    let o = vmlab(&[
        "sim",
        "paging",
        "--check",
        path2.to_str().unwrap(),
        "--seed",
        "1",
        "--json",
    ]);
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        g["against"],
        "vmlab sim paging --seed 1 (default parameters)"
    );
    assert_eq!(g["results"][3]["right"], true);
    assert_eq!(g["results"][4]["right"], true);
    assert!(g["results"][4]["note"].is_null());
    // Without --seed, the grade says it used seed 0.
    let o = vmlab(&["sim", "paging", "--check", path2.to_str().unwrap()]);
    assert!(
        stdout(&o).starts_with("graded against: vmlab sim paging --seed 0 (default parameters)\n"),
        "{}",
        stdout(&o)
    );
    for p in [path, path2] {
        let _ = std::fs::remove_file(p);
    }
}
