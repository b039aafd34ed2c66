//! `vmlab ostep paging-multilevel-translate.py` against the script's recorded output.

mod ostep_fixtures;

use ostep_fixtures::{Case, run};

#[test]
fn questions_are_numbered_from_0_and_answer_the_walk() {
    let case = Case::inline(&["-s", "1", "-n", "4"]);
    let asked = run("paging-multilevel-translate.py", &case).unwrap();
    let ids: Vec<usize> = asked.questions.iter().map(|q| q.id).collect();
    assert_eq!(ids, [0, 1, 2, 3]);
    let solved = Case::inline(&["-s", "1", "-n", "4", "-c"]);
    let text = run("paging-multilevel-translate.py", &solved)
        .unwrap()
        .text();
    for q in &asked.questions {
        let answer = q.answer.canonical();
        let shown = match answer.as_str() {
            "fault" => "Fault".to_string(),
            pa => format!("Physical Address {pa}"),
        };
        assert!(text.contains(&shown), "{answer} not in the solution");
    }
}

#[test]
fn too_many_pages_for_memory_is_a_usage_error_not_a_crash() {
    let e = run(
        "paging-multilevel-translate.py",
        &Case::inline(&["-a", "127"]),
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("128"), "{e}");
}
