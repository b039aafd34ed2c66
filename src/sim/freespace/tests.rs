//! The allocator against hand-worked cases, and its bounds.

use super::heap::{AllocStep, Invalid};
use super::run::{parse_ops, percent_round, run};
use super::*;
use crate::error::{Error, InputError};

fn cfg(fit: Fit, order: Order, coalesce: bool) -> Allocator {
    Allocator {
        base: 1000,
        heap_size: 100,
        header: 0,
        align: 1,
        fit,
        order,
        coalesce,
        rules: Rules::Exact,
    }
}

fn c(addr: u64, size: u64) -> Chunk {
    Chunk { addr, size }
}

fn ops(text: &str) -> Vec<Op> {
    parse_ops(text).unwrap()
}

/// The free list after step `i`.
fn list(r: &Run, i: usize) -> Vec<Chunk> {
    r.steps[i]
        .list_after
        .clone()
        .expect("a short run keeps its lists")
}

fn ptrs(r: &Run) -> Vec<Option<u64>> {
    r.steps
        .iter()
        .filter_map(|s| s.alloc.as_ref().map(|a| a.ptr))
        .collect()
}

#[test]
fn first_fit_splits_from_the_low_end_and_reuses_a_freed_hole() {
    let r = run(cfg(Fit::First, Order::Addr, false), &ops("+10,+20,-0,+5"));
    assert_eq!(ptrs(&r), [Some(1000), Some(1010), Some(1000)]);
    assert_eq!(list(&r, 1), [c(1030, 70)]);
    assert_eq!(list(&r, 2), [c(1000, 10), c(1030, 70)]);
    assert_eq!(list(&r, 3), [c(1005, 5), c(1030, 70)]);
    assert_eq!(r.steps[3].alloc.as_ref().unwrap().searched, 1);
}

/// Free list [1000:10, 1015:20, 1040:30, 1070:30], then a request for 15.
fn holes(fit: Fit) -> AllocStep {
    let r = run(
        cfg(fit, Order::Addr, false),
        &ops("+10,+5,+20,+5,+30,-0,-2,-4,+15"),
    );
    assert_eq!(
        list(&r, 7),
        [c(1000, 10), c(1015, 20), c(1040, 30), c(1070, 30)]
    );
    r.steps[8].alloc.clone().unwrap()
}

#[test]
fn best_worst_and_first_fit_choose_and_count_as_defined() {
    let best = holes(Fit::Best);
    assert_eq!((best.ptr, best.searched), (Some(1015), 4));
    assert_eq!(best.remainder, Some(c(1030, 5)));
    // Two chunks of 30: the first in list order wins.
    let worst = holes(Fit::Worst);
    assert_eq!((worst.ptr, worst.searched), (Some(1040), 4));
    let first = holes(Fit::First);
    assert_eq!((first.ptr, first.searched), (Some(1015), 2));
    assert!(!first.examined[0].1 && first.examined[1].1);
}

#[test]
fn coalescing_merges_neighbours_in_memory_not_in_the_list() {
    let r = run(
        cfg(Fit::First, Order::Front, true),
        &ops("+10,+10,+10,-0,-2,-1"),
    );
    assert_eq!(list(&r, 3), [c(1000, 10), c(1030, 70)]);
    // ptr[2] at 1020 merges with the free 1030:70 after it.
    assert_eq!(list(&r, 4), [c(1020, 80), c(1000, 10)]);
    // ptr[1] at 1010 sits between 1000:10 (last in the list) and 1020:80 (first in
    // the list): both merge. malloc.py, merging list neighbours only, kept two.
    let f = r.steps[5].free.clone().unwrap();
    assert_eq!((f.before, f.after), (Some(c(1000, 10)), Some(c(1020, 80))));
    assert_eq!(list(&r, 5), [c(1000, 100)]);
    // Without coalescing the same run ends with three chunks.
    let r = run(
        cfg(Fit::First, Order::Front, false),
        &ops("+10,+10,+10,-0,-2,-1"),
    );
    assert_eq!(
        list(&r, 5),
        [c(1010, 10), c(1020, 10), c(1000, 10), c(1030, 70)]
    );
}

#[test]
fn header_and_alignment_shift_the_pointer_and_round_the_chunk() {
    let mut k = cfg(Fit::First, Order::Addr, false);
    k.heap_size = 64;
    k.header = 8;
    k.align = 8;
    let r = run(k, &ops("+1,+8,+9,+1"));
    // Chunks 16, 16, 24 at 1000, 1016, 1032; the user gets the byte after the header.
    assert_eq!(ptrs(&r), [Some(1008), Some(1024), Some(1040), None]);
    assert_eq!(r.steps[2].alloc.as_ref().unwrap().need, Some(24));
    assert_eq!(r.steps[3].alloc.as_ref().unwrap().searched, 1);
    let f = r.fragmentation;
    assert_eq!(
        (f.free_bytes, f.largest_free, f.external_percent),
        (8, 8, 0)
    );
    assert_eq!(
        (f.allocated_bytes, f.requested_bytes, f.internal_bytes),
        (56, 18, 38)
    );
    // Freeing takes the header off the pointer to find the chunk.
    let r = run(k, &ops("+1,-0"));
    let f = r.steps[1].free.clone().unwrap();
    assert_eq!((f.ptr, f.chunk), (Some(1008), Some(c(1000, 16))));
}

#[test]
fn next_fit_starts_where_the_last_search_stopped_and_wraps() {
    let r = run(
        cfg(Fit::Next, Order::Addr, false),
        &ops("+10,+10,+10,-0,+5"),
    );
    let a = r.steps[4].alloc.clone().unwrap();
    assert_eq!((a.ptr, a.searched), (Some(1030), 1));
    let r = run(
        cfg(Fit::First, Order::Addr, false),
        &ops("+10,+10,+10,-0,+5"),
    );
    assert_eq!(r.steps[4].alloc.as_ref().unwrap().ptr, Some(1000));
    // Wrapping: the rover is in 1095:5, too small; back to the head.
    let r = run(
        cfg(Fit::Next, Order::Addr, false),
        &ops("+40,+40,-0,+15,+10"),
    );
    assert_eq!(r.steps[3].alloc.as_ref().unwrap().ptr, Some(1080));
    let a = r.steps[4].alloc.clone().unwrap();
    assert_eq!((a.ptr, a.searched), (Some(1000), 2));
    assert_eq!(a.examined[0], (c(1095, 5), false));
}

#[test]
fn next_fit_follows_its_chunk_into_a_merge() {
    // The rover sits in 1030:70; freeing 1020:10 merges it into 1020:80, where the
    // next search starts (first fit would take the hole at 1000).
    let r = run(
        cfg(Fit::Next, Order::Addr, true),
        &ops("+10,+10,+10,-0,-2,+5"),
    );
    assert_eq!(list(&r, 4), [c(1000, 10), c(1020, 80)]);
    let a = r.steps[5].alloc.clone().unwrap();
    assert_eq!((a.ptr, a.searched), (Some(1020), 1));
}

#[test]
fn a_size_sorted_list_stays_sorted_after_a_split() {
    let r = run(
        cfg(Fit::First, Order::SizeUp, false),
        &ops("+10,+10,+10,-0,-1,+65"),
    );
    assert_eq!(list(&r, 4), [c(1000, 10), c(1010, 10), c(1030, 70)]);
    assert_eq!(list(&r, 5), [c(1095, 5), c(1000, 10), c(1010, 10)]);
    let r = run(
        cfg(Fit::First, Order::SizeDown, false),
        &ops("+10,+20,-0,-1"),
    );
    assert_eq!(list(&r, 3), [c(1030, 70), c(1010, 20), c(1000, 10)]);
    let r = run(cfg(Fit::First, Order::Back, false), &ops("+10,+20,-1,-0"));
    assert_eq!(list(&r, 3), [c(1030, 70), c(1010, 20), c(1000, 10)]);
}

#[test]
fn failures_and_invalid_frees_change_nothing() {
    let r = run(cfg(Fit::Best, Order::Addr, true), &ops("+60,+50,-1,-0,-0"));
    let a = r.steps[1].alloc.clone().unwrap();
    assert_eq!((a.ptr, a.searched), (None, 1));
    assert!(r.steps[2].free.as_ref().unwrap().invalid == Some(Invalid::MallocFailed));
    assert_eq!(list(&r, 2), [c(1060, 40)]);
    assert_eq!(list(&r, 3), [c(1000, 100)]);
    let f = r.steps[4].free.clone().unwrap();
    assert_eq!(f.invalid, Some(Invalid::DoubleFree { step: 4 }));
    assert_eq!(list(&r, 4), [c(1000, 100)]);
}

#[test]
fn a_full_heap_has_no_fragmentation_and_searches_nothing() {
    let mut k = cfg(Fit::First, Order::Addr, true);
    k.heap_size = 10;
    let r = run(k, &ops("+10,+1"));
    assert!(list(&r, 0).is_empty());
    let a = r.steps[1].alloc.clone().unwrap();
    assert_eq!((a.ptr, a.searched), (None, 0));
    let f = r.fragmentation;
    assert_eq!((f.free_bytes, f.external_percent), (0, 0));
    assert_eq!(percent_round(1, 3), 33);
    assert_eq!(percent_round(2, 3), 67);
    assert_eq!(percent_round(1, 8), 13);
}

#[test]
fn huge_requests_fail_without_overflow() {
    let mut k = cfg(Fit::Worst, Order::Addr, false);
    k.header = 8;
    k.align = 8;
    let r = run(k, &ops("+0xffffffffffffffff,+0xfffffffffffffff1"));
    for s in &r.steps {
        let a = s.alloc.as_ref().unwrap();
        assert_eq!((a.need, a.ptr, a.searched), (None, None, 1));
    }
}

fn param_error(o: &Options) -> String {
    match Config::new(o) {
        Err(Error::Input(InputError::BadParameter { name, why })) => format!("{name}: {why}"),
        other => panic!("{o:?}: {other:?}"),
    }
}

#[test]
fn bad_parameters_are_clear_errors() {
    let with = |f: &dyn Fn(&mut Options)| {
        let mut o = Options::default();
        f(&mut o);
        param_error(&o)
    };
    assert!(with(&|o| o.align = "3".into()).contains("power of two"));
    assert!(
        with(&|o| {
            o.header_size = "4".into();
            o.align = "8".into();
        })
        .starts_with("header-size")
    );
    assert!(
        with(&|o| {
            o.base = "1001".into();
            o.align = "8".into();
        })
        .starts_with("base")
    );
    assert!(with(&|o| o.heap_size = "0".into()).starts_with("heap-size"));
    assert!(with(&|o| o.base = u64::MAX.to_string()).contains("past the end"));
    assert!(with(&|o| o.header_size = "100".into()).contains("no room"));
    assert!(with(&|o| o.percent_alloc = 101).contains("percentage"));
    assert!(with(&|o| o.range = "0".into()).starts_with("range"));
    assert!(with(&|o| o.num = 1 << 40).starts_with("num"));
    assert!(with(&|o| o.heap_size = "12q".into()).contains("not a size"));
    for bad in ["+", "10", "+0", "-0", "+4,-1", "+4,-x", "+4,,-0"] {
        let e = with(&|o| o.ops = Some(bad.into()));
        assert!(e.starts_with("ops"), "{bad}: {e}");
    }
    let many = vec!["+1"; MAX_OPS as usize + 1].join(",");
    assert!(with(&|o| o.ops = Some(many.clone())).starts_with("ops"));
    let huge = format!("+{}", "9".repeat(100_000));
    assert!(with(&|o| o.ops = Some(huge.clone())).len() < 300);
    for minus_one in ["-1", "0"] {
        let o = Options {
            align: minus_one.into(),
            ..Options::default()
        };
        assert_eq!(Config::new(&o).unwrap().allocator.align, 1);
    }
}

#[test]
fn malloc_py_spellings_parse() {
    use clap::ValueEnum;
    assert_eq!(Fit::from_str("BEST", true), Ok(Fit::Best));
    assert_eq!(Fit::from_str("first-fit", true), Ok(Fit::First));
    assert!(Fit::from_str("random", true).is_err());
    assert_eq!(Order::from_str("SIZESORT-", true), Ok(Order::SizeDown));
    assert_eq!(Order::from_str("INSERT-FRONT", true), Ok(Order::Front));
    assert_eq!(Order::from_str("size+", true), Ok(Order::SizeUp));
    assert!(Order::from_str("lifo", true).is_err());
}

fn problem(o: &Options, seed: u64) -> Problem {
    generate(&Config::new(o).unwrap(), seed)
}

#[test]
fn random_runs_are_reproducible_and_never_hang() {
    let o = Options {
        coalesce: true,
        ..Options::default()
    };
    assert_eq!(problem(&o, 42), problem(&o, 42));
    assert_ne!(problem(&o, 42), problem(&o, 43));
    // 0% and 100% mallocs: no division, no endless loop.
    for percent in [0, 100] {
        let o = Options {
            percent_alloc: percent,
            num: 20,
            ..Options::default()
        };
        let ops = problem(&o, 7).ops;
        assert_eq!(ops.len(), 20);
        if percent == 0 {
            assert!(ops.iter().step_by(2).all(|op| matches!(op, Op::Alloc(_))));
            assert!(
                ops.iter()
                    .skip(1)
                    .step_by(2)
                    .all(|op| matches!(op, Op::Free(_)))
            );
        } else {
            assert!(ops.iter().all(|op| matches!(op, Op::Alloc(_))));
        }
    }
}

#[test]
fn the_own_answers_score_full_marks_and_a_wrong_one_is_caught() {
    for policy in [Fit::First, Fit::Best, Fit::Worst, Fit::Next] {
        let o = Options {
            policy,
            header_size: "4".into(),
            align: "4".into(),
            coalesce: true,
            num: 30,
            ..Options::default()
        };
        let sheet = crate::sim::make::<FreespaceSim>(&o, 9, false).unwrap();
        let questions = &sheet.exercise.questions;
        let answers: String = questions
            .iter()
            .map(|q| format!("{}: {}\n", q.id, q.answer.canonical()))
            .collect();
        let g = sheet.grade(&answers).unwrap();
        assert_eq!(g.right, g.total);
        let first = questions[0].answer.canonical();
        let wrong = answers.replacen(&format!("1: {first}\n"), "1: 1\n", 1);
        assert_eq!(sheet.grade(&wrong).unwrap().right, g.total - 1);
    }
}

#[test]
fn the_run_replays_from_its_ops_text() {
    let o = Options {
        num: 25,
        ..Options::default()
    };
    let p = problem(&o, 11);
    assert_eq!(parse_ops(&super::run::ops_text(&p.ops)).unwrap(), p.ops);
    assert_eq!(solve(&p).steps.len(), 25);
}

#[test]
fn a_long_run_keeps_lists_for_its_first_steps_only() {
    // 10,000 mallocs of a byte: the list and memory of each step would be 10,000 ×
    // 10,000 chunks; only the first steps keep theirs.
    let o = Options {
        heap_size: "1m".into(),
        percent_alloc: 100,
        num: MAX_OPS,
        ..Options::default()
    };
    let r = solve(&problem(&o, 1));
    assert_eq!(r.steps.len(), MAX_OPS as usize);
    let kept = r.steps.iter().filter(|s| s.memory_after.is_some()).count();
    assert_eq!(kept, super::run::MAX_DETAILED);
    assert!(
        r.steps
            .iter()
            .skip(super::run::MAX_DETAILED)
            .all(|s| s.list_after.is_none()
                && s.alloc.as_ref().is_some_and(|a| a.examined.is_empty()))
    );
    assert_eq!(r.memory.len(), MAX_OPS as usize + 1);
    let sheet = crate::sim::make::<FreespaceSim>(&o, 1, false).unwrap();
    // Two questions on each of the first steps, and four on the end.
    assert_eq!(
        sheet.exercise.questions.len(),
        2 * super::run::MAX_DETAILED + 4
    );
}
