//! `vmlab ostep paging-policy.py` against the script's recorded output, CLOCK and
//! RAND (which draw while solving) included.

mod ostep_fixtures;

use ostep_fixtures::{Case, notes, run, script_lines};

#[test]
fn an_address_file_gives_the_same_answers_as_the_list() {
    let dir = std::env::temp_dir().join(format!("vmlab-ostep-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("refs.txt");
    std::fs::write(&file, "1\n2\n3\n4\n1\n2\n5\n1\n2\n3\n4\n5\n").unwrap();
    let path = file.to_string_lossy().into_owned();
    let from_file = run(
        "paging-policy.py",
        &Case::inline(&["-c", "-p", "LRU", "-f", &path]),
    )
    .unwrap();
    let listed = run(
        "paging-policy.py",
        &Case::inline(&["-c", "-p", "LRU", "-a", "1,2,3,4,1,2,5,1,2,3,4,5"]),
    )
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    // The ARG lines name the file or the list; the rest is the same.
    let tail = |r: &vmlab::ostep::Run| script_lines(r)[10..].to_vec();
    assert_eq!(tail(&from_file), tail(&listed));
}

#[test]
fn a_negative_cache_goes_on_as_the_script_does_with_a_note() {
    let got = run(
        "paging-policy.py",
        &Case::inline(&["-c", "-C", "-1", "-a", "1,2,1"]),
    )
    .unwrap();
    assert_eq!(notes(&got).len(), 1);
    assert!(
        script_lines(&got)
            .iter()
            .any(|l| l.contains("hits 1   misses 2"))
    );
}

#[test]
fn opt_ties_accept_any_page_never_used_again() {
    // 1 2 3 then 4: none of 1, 2, 3 is used again; the script evicts 3.
    let got = run(
        "paging-policy.py",
        &Case::inline(&["-p", "OPT", "-a", "1,2,3,4"]),
    )
    .unwrap();
    let q = &got.questions[3];
    assert!(q.accepts("evict 3") && q.accepts("evict 1") && q.accepts("evict 2"));
    assert!(!q.accepts("hit"));
}

#[test]
fn crashes_of_the_script_are_usage_errors() {
    for args in [
        &["-c", "-C", "0"][..],
        &["-c", "-n", "0"],
        &["-c", "-a", "1,x"],
    ] {
        let e = run("paging-policy.py", &Case::inline(args)).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{args:?}");
    }
}
