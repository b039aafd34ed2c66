//! `vmlab sim multilevel` through the real binary.

mod common;
use common::*;

#[test]
fn same_seed_same_problem_and_solve_shows_the_walk() {
    let a = vmlab(&["sim", "multilevel", "--seed", "4"]);
    let b = vmlab(&["sim", "multilevel", "--seed", "4"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("PDBR"));
    assert!(stdout(&a).contains("page  127 (0x7f):"), "{}", stdout(&a));
    let solved = stdout(&vmlab(&["sim", "multilevel", "--seed", "4", "--solve"]));
    assert!(solved.contains("PDE at 0x"), "{solved}");
    assert!(solved.contains("A linear table needs"), "{solved}");
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for levels in ["2", "3"] {
        let args = ["sim", "multilevel", "--seed", "9", "--levels", levels];
        let json = vmlab_solved(&args);
        let answers = answers_of(&json);
        let path = write_temp(&format!("ml-right-{levels}"), &answers);
        let mut all = args.to_vec();
        all.extend(["--check", path.to_str().unwrap()]);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains("23 of 23 right (100%)"),
            "{}",
            stdout(&o)
        );
        let last = json["questions"][22]["answer"].as_str().unwrap();
        let wrong = answers.replacen(&format!("23: {last}\n"), "23: 12345\n", 1);
        let path2 = write_temp(&format!("ml-wrong-{levels}"), &wrong);
        let mut all = args.to_vec();
        all.extend(["--check", path2.to_str().unwrap()]);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stdout(&o).contains("22 of 23 right"), "{}", stdout(&o));
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(path2);
    }
}

#[test]
fn json_walks_agree_with_the_dump() {
    let j = vmlab_solved(&["sim", "multilevel", "--seed", "2"]);
    let d = &j["solution"];
    assert_eq!(d["geometry"]["entry_bytes"], 1);
    assert_eq!(d["memory"].as_array().unwrap().len(), 128);
    let pdbr = d["pdbr"].as_u64().unwrap();
    let byte = |frame: u64, i: u64| {
        let page = d["memory"][frame as usize].as_str().unwrap();
        u64::from_str_radix(&page[2 * i as usize..2 * i as usize + 2], 16).unwrap()
    };
    for w in d["walks"].as_array().unwrap() {
        let va = hex(&w["va"]);
        let pde = byte(pdbr, (va >> 10) & 31);
        if pde & 0x80 == 0 {
            assert_eq!(w["fault"], true);
            continue;
        }
        let pte = byte(pde & 0x7f, (va >> 5) & 31);
        if pte & 0x80 == 0 {
            assert_eq!(w["fault"], true);
            continue;
        }
        assert_eq!(hex(&w["pa"]), (pte & 0x7f) * 32 + (va & 31));
        assert_eq!(hex(&w["value"]), byte(pte & 0x7f, va & 31));
    }
    let saved = d["saved_bytes"].as_i64().unwrap();
    let linear = d["linear_bytes"].as_i64().unwrap();
    assert_eq!(linear, 1024);
    assert_eq!(saved, linear - 32 * d["table_pages"].as_i64().unwrap());
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-P", "48"], "not a power of two"),
        (vec!["--levels", "5"], "2 or 3 levels"),
        (vec!["--asize", "64k"], "use more --levels"),
        (vec!["-a", "126"], "lower --allocated"),
        (vec!["-u", "101"], "percentage"),
        (vec!["-p", "1m"], "too large a dump"),
    ] {
        let mut all = vec!["sim", "multilevel"];
        all.extend(args.iter());
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

#[test]
fn real_shows_indices_and_vmpte() {
    let o = vmlab(&["sim", "multilevel", "--real"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Measured on this machine (not simulated)"),
        "{text}"
    );
    assert!(text.contains("VmPTE"), "{text}");
    assert!(text.contains("PT 20-12"), "{text}");
    // Sizes in KiB, as everywhere else in vmlab (/proc's "kB" are KiB).
    assert!(!text.contains(" kB"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("KiB = "), "{text}");
    assert!(flat.contains("VmPTE grew by "), "{text}");
    // The same flat table as vm-pagetable-cost and sim paging --real.
    let p = vmlab::addr::Paging::detect();
    let entries = (1u64 << p.user_bits()) / p.page_size;
    assert!(
        flat.contains(&format!(
            "2^{} entries × 8 bytes = {} GiB",
            entries.trailing_zeros(),
            (entries * 8) >> 30
        )),
        "{text}"
    );
}

#[test]
fn every_simulator_wraps_prose_at_92_columns_but_not_tables() {
    for sim in [
        "relocate",
        "segment",
        "freespace",
        "paging",
        "multilevel",
        "tlb",
        "policy",
    ] {
        let o = vmlab(&["sim", sim, "--seed", "1", "--solve", "--color", "never"]);
        assert!(o.status.success(), "{sim}: {}", stderr(&o));
        for l in stdout(&o).lines() {
            let tabular =
                l.trim().contains("  ") || l.contains(" |") || l.contains("| ") || l.contains('━');
            assert!(
                l.chars().count() <= 92 || tabular,
                "{sim}: {} columns: {l}",
                l.chars().count()
            );
        }
    }
    // The memory dump of multilevel: one row per page, each whole (32 bytes).
    let o = vmlab(&["sim", "multilevel", "--seed", "1", "--color", "never"]);
    let rows: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.starts_with("  page "))
        .map(String::from)
        .collect();
    assert_eq!(rows.len(), 128);
    for r in &rows {
        let bytes = r.split_once("): ").expect("page row").1;
        assert_eq!(bytes.split(' ').count(), 32, "{r}");
    }
}
