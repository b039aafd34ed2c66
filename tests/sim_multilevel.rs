//! `vmlab sim multilevel`, run as a user would: reproducible problems, the walks,
//! grading an answers file, bad parameters, JSON and `--real`.

mod common;
use common::*;

#[test]
fn same_seed_same_problem_and_solve_shows_the_walk() {
    let a = vmlab(&["sim", "multilevel", "--seed", "4"]);
    let b = vmlab(&["sim", "multilevel", "--seed", "4"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("PDBR"));
    assert!(stdout(&a).contains("\n  127 0x7f "), "{}", stdout(&a));
    assert!(!stdout(&a).contains(" → "));
    let c = vmlab(&["sim", "multilevel", "--seed", "5"]);
    assert_ne!(stdout(&a), stdout(&c));
    let solved = stdout(&vmlab(&["sim", "multilevel", "--seed", "4", "--solve"]));
    let flat = solved.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("PDE at 0x"), "{solved}");
    assert!(flat.contains("A linear table needs"), "{solved}");
}

#[test]
fn own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for levels in ["2", "3"] {
        let args = ["sim", "multilevel", "--seed", "9", "--levels", levels];
        let json = vmlab_solved(&args);
        let mut answers = canonical(&json);
        let right = write_temp(&format!("ml-right-{levels}"), &file_text(&answers));
        let mut all = args.to_vec();
        all.extend(["--check", right.to_str().unwrap()]);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains("23 of 23 right (100%)"),
            "{}",
            stdout(&o)
        );
        answers[22].1 = "12345".into();
        let wrong = write_temp(&format!("ml-wrong-{levels}"), &file_text(&answers));
        let mut all = args.to_vec();
        all.extend(["--check", wrong.to_str().unwrap()]);
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stdout(&o).contains("22 of 23 right"), "{}", stdout(&o));
        let _ = std::fs::remove_file(right);
        let _ = std::fs::remove_file(wrong);
    }
}

#[test]
fn question_numbers_are_the_addresses_numbers() {
    let e = vmlab_solved(&["sim", "multilevel", "--seed", "2", "-n", "4"]);
    let addresses = e["problem"]["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 4);
    let q = e["questions"].as_array().unwrap();
    assert_eq!(q.len(), 2 * 4 + 3);
    for (i, va) in addresses.iter().enumerate() {
        let hex = format!("VA 0x{:04x}", common::hex(va));
        // Question i+1: the physical address; question 4+i+1: the byte, naming i+1.
        assert!(
            q[i]["prompt"].as_str().unwrap().starts_with(&hex),
            "{}",
            q[i]
        );
        let byte = q[4 + i]["prompt"].as_str().unwrap();
        assert!(
            byte.starts_with(&format!("{hex} (question {})", i + 1)),
            "{byte}"
        );
        let walk = &e["solution"]["walks"][i];
        match walk["pa"].as_str().map(|_| common::hex(&walk["pa"])) {
            Some(pa) => {
                assert_eq!(q[i]["answer"], format!("0x{pa:04x}"));
                let value = walk["value"].as_u64().unwrap();
                assert_eq!(q[4 + i]["answer"], format!("0x{value:02x}"));
            }
            None => assert_eq!(
                (&q[i]["answer"], &q[4 + i]["answer"]),
                (&"fault".into(), &"fault".into())
            ),
        }
    }
}

#[test]
fn json_walks_agree_with_the_dump() {
    let j = vmlab_solved(&["sim", "multilevel", "--seed", "2"]);
    let m = &j["problem"]["memory"];
    assert_eq!(m["geometry"]["entry_bytes"], 1);
    assert_eq!(m["pages"].as_array().unwrap().len(), 128);
    let pdbr = hex(&m["pdbr"]);
    let byte = |frame: u64, i: u64| {
        let page = m["pages"][frame as usize].as_str().unwrap();
        u64::from_str_radix(&page[2 * i as usize..2 * i as usize + 2], 16).unwrap()
    };
    let s = &j["solution"];
    for w in s["walks"].as_array().unwrap() {
        let va = hex(&w["va"]);
        let pde = byte(pdbr, (va >> 10) & 31);
        if pde & 0x80 == 0 {
            assert!(w["pa"].is_null());
            continue;
        }
        let pte = byte(pde & 0x7f, (va >> 5) & 31);
        if pte & 0x80 == 0 {
            assert!(w["pa"].is_null());
            continue;
        }
        assert_eq!(hex(&w["pa"]), (pte & 0x7f) * 32 + (va & 31));
        assert_eq!(w["value"].as_u64().unwrap(), byte(pte & 0x7f, va & 31));
    }
    let saved = s["saved_bytes"].as_i64().unwrap();
    let linear = s["linear_bytes"].as_i64().unwrap();
    assert_eq!(linear, 1024);
    assert_eq!(saved, linear - 32 * s["table_pages"].as_i64().unwrap());
    // Without --solve: the dump and the addresses, no walk and no answer.
    let j = vmlab_json(&["sim", "multilevel", "--seed", "2"]);
    assert!(j.get("solution").is_none());
    assert!(
        j["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q.get("answer").is_none())
    );
    assert!(!j.to_string().contains("\"walks\""));
    assert_eq!(j["params"]["valid"], serde_json::Value::Null);
}

#[test]
fn the_dump_shows_every_byte_of_the_json() {
    let out = stdout(&vmlab(&[
        "sim",
        "multilevel",
        "--seed",
        "6",
        "--color",
        "never",
    ]));
    let j = vmlab_json(&["sim", "multilevel", "--seed", "6"]);
    let pages = j["problem"]["memory"]["pages"].as_array().unwrap();
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("+0 +1"))
        .skip(1)
        .take(2 * pages.len())
        .collect();
    let last16 = |row: &str| -> String {
        let words: Vec<&str> = row.split_whitespace().collect();
        words[words.len() - 16..].concat()
    };
    for (k, page) in pages.iter().enumerate() {
        let shown = last16(rows[2 * k]) + &last16(rows[2 * k + 1]);
        assert_eq!(shown, page.as_str().unwrap(), "page {k}");
        let label = format!("{k} 0x{k:02x} ");
        assert!(
            rows[2 * k].trim_start().starts_with(&label),
            "{}",
            rows[2 * k]
        );
        assert!(
            rows[2 * k + 1].trim_start().starts_with("+0x10 "),
            "{}",
            rows[2 * k + 1]
        );
    }
}

#[test]
fn addresses_are_drawn_as_the_script_draws_them_unless_a_share_is_asked() {
    let valid_share = |extra: &[&str]| {
        let mut args = vec!["sim", "multilevel", "-n", "2000", "--seed", "3"];
        args.extend(extra);
        let e = vmlab_solved(&args);
        let walks = e["solution"]["walks"].as_array().unwrap();
        walks.iter().filter(|w| !w["pa"].is_null()).count() as f64 / 2000.0
    };
    // Half on allocated pages, half anywhere (64 of 1024 pages allocated).
    let script = valid_share(&[]);
    assert!((0.49..0.57).contains(&script), "{script}");
    // -u 30: that share on allocated pages, the rest on unallocated ones.
    let thirty = valid_share(&["-u", "30"]);
    assert!((0.27..0.33).contains(&thirty), "{thirty}");
}

#[test]
fn bad_parameters_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["-P", "48"], "not a power of two"),
        (vec!["--levels", "5"], "2 or 3 levels"),
        (vec!["--asize", "64k"], "use more --levels"),
        (vec!["-a", "126"], "lower --allocated"),
        (vec!["-a", "2000"], "do not fit"),
        (vec!["-u", "101"], "percentage"),
        (vec!["-p", "1m"], "too large a dump"),
        (vec!["-A", "0x8000"], "outside the address space"),
        (vec!["--numaddrs", "20000"], "--num"),
    ] {
        let mut all = vec!["sim", "multilevel"];
        all.extend(args.iter());
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{all:?}: {}", stderr(&o));
    }
}

#[test]
fn one_listed_address_says_how_to_ask_for_a_count() {
    // The script's --addresses is a count; here it is a list, and the problem says so.
    let out = stdout(&vmlab(&["sim", "multilevel", "--addresses", "10"]));
    assert!(out.contains("to ask for N random ones, use -n N"), "{out}");
    let out = stdout(&vmlab(&["sim", "multilevel", "--addresses", "10,20"]));
    assert!(!out.contains("use -n N"), "{out}");
}

#[test]
fn spanish_output_and_spanish_answers() {
    let args = ["sim", "multilevel", "--seed", "9", "-n", "3"];
    let mut es = args.to_vec();
    es.extend(["--lang", "es", "--solve", "--color", "never"]);
    let out = stdout(&vmlab(&es));
    assert!(out.contains("directorio de páginas"), "{out}");
    let e = vmlab_solved(&args);
    // Faults written in Spanish, numbers as they are.
    let answers: String = canonical(&e)
        .iter()
        .map(|(i, a)| {
            let a = if a == "fault" { "fallo de página" } else { a };
            format!("{i}: {a}\n")
        })
        .collect();
    assert!(answers.contains("fallo"), "{answers}");
    let file = write_temp("ml-es", &answers);
    for lang in ["en", "es"] {
        let mut check = args.to_vec();
        check.extend(["--lang", lang, "--check", file.to_str().unwrap()]);
        let o = vmlab(&check);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn real_shows_indices_and_vmpte() {
    let o = vmlab(&["sim", "multilevel", "--real", "--color", "never"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Measured on this machine (not simulated)"),
        "{text}"
    );
    assert!(text.contains("VmPTE"), "{text}");
    // The table of indices: the last level is PT, bits 20-12 with 4 KiB pages.
    let p = vmlab::addr::Paging::detect();
    let pt = format!("PT {}-{}", p.page_shift + 8, p.page_shift);
    let rows: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(rows.iter().any(|r| r.starts_with(&pt)), "{text}");
    // Sizes in KiB, as everywhere else in vmlab (/proc's "kB" are KiB).
    assert!(!text.contains(" kB"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("KiB = "), "{text}");
    assert!(flat.contains("VmPTE grew by "), "{text}");
    // The same flat table as vm-pagetable-cost and sim paging --real.
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
fn every_line_fits_80_and_60_columns_in_both_languages() {
    let answers = write_temp("ml-width", "1: 0x10\n2: 3a12 bytes\n23: -32\n");
    for lang in ["en", "es"] {
        for width in ["80", "60"] {
            let common = ["--lang", lang, "--width", width, "--color", "never"];
            let runs: Vec<Vec<&str>> = vec![
                vec!["sim", "multilevel"],
                vec!["sim", "multilevel", "--solve", "--real", "-l", "3"],
                vec!["sim", "multilevel", "--check", answers.to_str().unwrap()],
                vec![
                    "sim",
                    "multilevel",
                    "-P",
                    "8",
                    "-p",
                    "64k",
                    "-l",
                    "3",
                    "-a",
                    "8",
                    "--solve",
                ],
                vec![
                    "sim",
                    "multilevel",
                    "-P",
                    "4096",
                    "-p",
                    "64k",
                    "-a",
                    "3",
                    "--solve",
                ],
                vec![
                    "sim",
                    "multilevel",
                    "-P",
                    "128",
                    "-p",
                    "64k",
                    "-l",
                    "3",
                    "--solve",
                ],
                vec!["sim", "multilevel", "--asize", "64k"],
                vec!["sim", "multilevel", "--asize", "512"],
                vec!["sim", "multilevel", "-A", "10", "-n", "0"],
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
fn every_simulator_fits_80_and_60_columns_in_both_languages() {
    for sim in common::SIMS {
        for (lang, width) in [("en", 80usize), ("es", 60), ("en", 60), ("es", 80)] {
            let w = width.to_string();
            let args = [
                "sim", sim, "--seed", "1", "--solve", "--color", "never", "--lang", lang,
                "--width", &w,
            ];
            let o = vmlab(&args);
            assert!(o.status.success(), "{sim}: {}", stderr(&o));
            for l in stdout(&o).lines() {
                let cols = unicode_width::UnicodeWidthStr::width(l);
                assert!(
                    cols <= width,
                    "{sim} {lang} at {width}: {cols} columns: {l}"
                );
            }
        }
    }
    // The memory dump of multilevel: two rows of 16 bytes per page of 32.
    let o = vmlab(&["sim", "multilevel", "--seed", "1", "--color", "never"]);
    let rows: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.len() == 18
                && words[1].starts_with("0x")
                && words[2..].iter().all(|w| w.len() == 2)
        })
        .map(String::from)
        .collect();
    assert_eq!(rows.len(), 128);
}
