//! `vmlab sim paging`, run as a user would: reproducible problems, the worked
//! solution, grading an answers file, bad parameters, JSON and `--real`.

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
    assert!(!stdout(&a).contains(" → "));
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
fn translations_follow_the_printed_table() {
    // The addresses of OSTEP's own example (paging-linear-translate.py -s 0), through
    // this seed's table: PA = PFN × 4096 + offset, or a fault on an invalid page.
    let o = vmlab(&[
        "sim",
        "paging",
        "-A",
        "0x3843,0x251f,0x0c80",
        "--solve",
        "--color",
        "never",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = vmlab_solved(&["sim", "paging", "-A", "0x3843,0x251f,0x0c80"]);
    let table = e["problem"]["table"].as_array().unwrap();
    for (k, t) in e["solution"]["translations"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let va = hex(&t["va"]);
        let vpn = va >> 12;
        assert_eq!(hex(&t["vpn"]), vpn);
        let expected = match table[vpn as usize]
            .as_str()
            .map(|_| hex(&table[vpn as usize]))
        {
            Some(pfn) => format!("0x{:04x}", pfn * 4096 + (va & 0xfff)),
            None => "fault".into(),
        };
        assert_eq!(e["questions"][k]["answer"], expected.as_str());
        assert!(
            stdout(&o).contains(&format!("→ {expected}")),
            "{}",
            stdout(&o)
        );
    }
}

#[test]
fn question_numbers_are_the_addresses_numbers() {
    let e = vmlab_solved(&["sim", "paging", "--seed", "4", "-n", "6"]);
    let addresses = e["problem"]["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 6);
    for (i, va) in addresses.iter().enumerate() {
        let q = &e["questions"][i];
        assert_eq!(q["id"], i + 1);
        let hex = format!("0x{:04x}", common::hex(va));
        assert!(q["prompt"].as_str().unwrap().contains(&hex), "{q}");
    }
    // The table's size comes after the addresses: offset bits, VPN bits, entries, bytes.
    let sizes: Vec<&str> = (6..10)
        .map(|i| e["questions"][i]["answer"].as_str().unwrap())
        .collect();
    assert_eq!(sizes, ["12", "2", "4", "16"]);
    assert_eq!(e["questions"].as_array().unwrap().len(), 10);
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    let args = ["sim", "paging", "--seed", "3", "-n", "8"];
    let json = vmlab_solved(&args);
    let mut answers = canonical(&json);
    let right = write_temp("paging-right", &file_text(&answers));
    let mut all = args.to_vec();
    all.extend(["--check", right.to_str().unwrap()]);
    let o = vmlab(&all);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("12 of 12 right (100%)"),
        "{}",
        stdout(&o)
    );
    // Flip the first translation: a fault becomes an address, an address a fault.
    answers[0].1 = if answers[0].1 == "fault" {
        "0x0".into()
    } else {
        "fault".into()
    };
    let wrong = write_temp("paging-wrong", &file_text(&answers));
    let mut all = args.to_vec();
    all.extend(["--check", wrong.to_str().unwrap()]);
    let o = vmlab(&all);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("  1. wrong"), "{}", stdout(&o));
    let bad = write_temp("paging-malformed", "1: 12\nfive: 3\n");
    let o = vmlab(&["sim", "paging", "--check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    for p in [right, wrong, bad] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn json_has_the_problem_and_only_with_solve_the_solution() {
    let args = ["sim", "paging", "--seed", "1", "-A", "0x3fff,0,-1"];
    let j = vmlab_json(&args);
    assert_eq!(j["simulator"], "paging");
    let p = &j["problem"];
    assert_eq!(
        (p["asize"].as_u64(), p["page_size"].as_u64()),
        (Some(16384), Some(4096))
    );
    assert_eq!(p["table"].as_array().unwrap().len(), 4);
    assert_eq!(p["addresses"].as_array().unwrap().len(), 3);
    assert_eq!(p["addresses"][0], "0x3fff");
    // Without --solve no answer: no solution, no answers, no sizes the questions ask.
    assert!(j.get("solution").is_none(), "{j}");
    assert!(
        j["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("answer").is_none())
    );
    let text = j.to_string();
    for answer in [
        "vpn_bits",
        "offset_bits",
        "table_bytes",
        "entries",
        "translations",
    ] {
        assert!(!text.contains(&format!("\"{answer}\"")), "{answer}: {text}");
    }
    // The params are the flags, to make the same exercise again.
    assert_eq!(j["params"]["addresses"], "0x3fff,0,-1");
    assert_eq!(j["params"]["valid"], 50);
    let j = vmlab_solved(&args);
    let s = &j["solution"];
    assert_eq!(
        (s["vpn_bits"].as_u64(), s["table_bytes"].as_u64()),
        (Some(2), Some(16))
    );
    let t = s["translations"].as_array().unwrap();
    assert_eq!(t.len(), 3);
    // Every translation agrees with the table: PA = PFN * page size + offset.
    for t in t {
        let vpn = hex(&t["vpn"]) as usize;
        let entry = &j["problem"]["table"][vpn];
        match entry.as_str().map(|_| hex(entry)) {
            Some(pfn) => assert_eq!(hex(&t["pa"]), pfn * 4096 + t["offset"].as_u64().unwrap()),
            None => assert!(t["pa"].is_null()),
        }
    }
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-P", "3000"], "not a power of two"),
        (vec!["-a", "128k"], "larger than physical memory"),
        (vec!["-u", "101"], "percentage"),
        (vec!["--used", "101"], "--valid"),
        (vec!["--pte-size", "3"], "1, 2, 4 or 8"),
        (vec!["-A", "0x4000"], "outside the address space"),
        (vec!["-A", "1,,2"], "empty entry"),
        (vec!["-p", "lots"], "--physmem"),
        (vec!["--numaddrs", "20000"], "--num"),
        (vec!["-a", "1g", "-p", "1g"], "entries to print"),
    ] {
        let mut all = vec!["sim", "paging"];
        all.extend(args.iter());
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

#[test]
fn old_spellings_still_work_but_are_not_shown() {
    let new = vmlab(&["sim", "paging", "-n", "3", "-u", "100", "--json"]);
    let old = vmlab(&[
        "sim",
        "paging",
        "--numaddrs",
        "3",
        "--used",
        "100",
        "--json",
    ]);
    assert!(old.status.success(), "{}", stderr(&old));
    assert_eq!(new.stdout, old.stdout);
    let help = stdout(&vmlab(&["sim", "paging", "--help"]));
    assert!(help.contains("--num") && help.contains("--valid"), "{help}");
    assert!(
        !help.contains("numaddrs") && !help.contains("--used"),
        "{help}"
    );
}

#[test]
fn spanish_output_and_spanish_answers() {
    let args = ["sim", "paging", "--seed", "1", "-A", "0x3ca5,0x0575"];
    let mut es = args.to_vec();
    es.extend(["--lang", "es", "--solve", "--color", "never"]);
    let out = stdout(&vmlab(&es));
    assert!(out.contains("Tabla de páginas (lineal"), "{out}");
    assert!(
        out.contains("→ fallo") && out.contains("bit de validez 0"),
        "{out}"
    );
    // Seed 1: VA 0x3ca5 is on page 3 (frame 0), VA 0x0575 on the invalid page 0.
    let answers = write_temp(
        "paging-es",
        "1: 0x0ca5\n2: violación de segmento\n3: 12\n4: 2\n5: 4\n6: 16 bytes\n",
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
fn uniform_addresses_find_pages_valid_as_often_as_pages_are() {
    // 25% of 64 pages valid: about a quarter of the addresses are (the homework's
    // question on -u).
    let e = vmlab_solved(&[
        "sim", "paging", "-a", "64k", "-p", "128k", "-P", "1k", "-u", "25", "-n", "5000",
    ]);
    let pages = e["solution"]["valid_pages"].as_f64().unwrap() / 64.0;
    let addresses = e["solution"]["valid"].as_f64().unwrap() / 5000.0;
    assert!((pages - addresses).abs() < 0.04, "{pages} {addresses}");
}

#[test]
fn real_translates_a_buffer_with_pagemap() {
    let o = vmlab(&["sim", "paging", "--real", "--color", "never"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Measured on this machine (not simulated)"),
        "{text}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("/proc/self/pagemap"), "{text}");
    // Pages 1 and 3 were never touched: the kernel has no frame for them.
    assert!(flat.contains("no frame yet"), "{text}");
    assert!(
        flat.contains("What a linear table would cost here (computed from this machine's"),
        "{text}"
    );
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
    } else {
        assert!(text.contains("CAP_SYS_ADMIN"), "{text}");
    }
}

#[test]
fn bare_hex_gets_a_note_and_units_are_accepted() {
    // Seed 1: VA 0x3ca5 → 0x0ca5 (question 1), 16 bytes of page table (question 9).
    let json = vmlab_solved(&["sim", "paging", "--seed", "1"]);
    assert_eq!(json["questions"][0]["answer"], "0x0ca5");
    assert_eq!(json["questions"][8]["answer"], "16");
    let path = write_temp("paging-notation", "9: 16 bytes\n1: ca5\n");
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
    assert!(out.contains("  9. right  16 bytes\n"), "{out}");
    assert!(
        out.contains("  1. wrong  ca5 (expected 0x0ca5; write hex numbers with 0x)"),
        "{out}"
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn every_line_fits_80_and_60_columns_in_both_languages() {
    let answers = write_temp("paging-width", "1: 0x10\n2: 3a12 bytes\n9: 16\n");
    for lang in ["en", "es"] {
        for width in ["80", "60"] {
            let common = ["--lang", lang, "--width", width, "--color", "never"];
            let runs: Vec<Vec<&str>> = vec![
                vec!["sim", "paging"],
                vec!["sim", "paging", "--solve", "--real", "-A", "1,2,0x3fff"],
                vec!["sim", "paging", "--check", answers.to_str().unwrap()],
                vec![
                    "sim", "paging", "-a", "64k", "-p", "1m", "-P", "1k", "--solve",
                ],
                vec![
                    "sim",
                    "paging",
                    "-a",
                    "16m",
                    "-p",
                    "16g",
                    "-P",
                    "1k",
                    "--pte-size",
                    "8",
                ],
                vec!["sim", "paging", "-a", "128k"],
                vec!["sim", "paging", "--pte-size", "1", "-p", "1m"],
                vec!["sim", "paging", "-n", "0", "--solve"],
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
