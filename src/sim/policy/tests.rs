//! The engine against hand-worked strings, and the bounds on time and memory.

use super::model::{Choice, Policy, Problem, Run, simulate};
use super::refs::BELADY;
use super::*;

fn run_with(refs: &[u64], frames: usize, policy: Policy, bits: u32, draws: &[u64]) -> Run {
    simulate(&Problem {
        refs: refs.to_vec(),
        frames,
        policy,
        clock_bits: bits,
        draws: draws.to_vec(),
        rules: Default::default(),
    })
}

fn run(refs: &[u64], frames: usize, policy: Policy) -> Run {
    run_with(refs, frames, policy, 1, &[])
}

fn evicted(r: &Run) -> Vec<Option<u64>> {
    r.steps.iter().map(|s| s.evicted).collect()
}

fn order_after(r: &Run, i: usize) -> Vec<u64> {
    r.steps[i].after.as_ref().unwrap().order.clone()
}

// The textbook string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 with 3 frames:
// FIFO 15 faults, LRU 12, OPT 9 (Silberschatz, worked from the definitions).
const SILB: [u64; 20] = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];

#[test]
fn textbook_string_fifo_lru_opt() {
    assert_eq!(run(&SILB, 3, Policy::Fifo).misses, 15);
    assert_eq!(run(&SILB, 3, Policy::Lru).misses, 12);
    assert_eq!(run(&SILB, 3, Policy::Opt).misses, 9);
    let f = run(&SILB, 3, Policy::Fifo);
    assert_eq!(f.steps[3].evicted, Some(7));
    assert_eq!(f.steps[5].evicted, Some(0));
    assert_eq!(f.steps[6].evicted, Some(1));
    assert_eq!(order_after(&f, 19), vec![7, 0, 1]);
    let o = run(&SILB, 3, Policy::Opt);
    // At access 4 (page 2): 7 is next used at 18, 0 at 5, 1 at 14 → evict 7.
    assert_eq!(o.steps[3].evicted, Some(7));
    assert_eq!(o.compulsory, 6);
}

#[test]
fn belady_classic_string() {
    let a = run(&BELADY, 3, Policy::Fifo);
    let b = run(&BELADY, 4, Policy::Fifo);
    assert_eq!((a.misses, b.misses), (9, 10));
    assert_eq!((a.hits, b.hits), (3, 2));
    assert!(run(&BELADY, 4, Policy::Lru).misses <= run(&BELADY, 3, Policy::Lru).misses);
}

#[test]
fn lru_and_mru_by_hand() {
    let l = run(&[1, 2, 3, 1, 4], 3, Policy::Lru);
    assert_eq!(evicted(&l)[4], Some(2));
    assert_eq!(order_after(&l, 4), vec![3, 1, 4]);
    let m = run(&[1, 2, 3, 1, 4], 3, Policy::Mru);
    assert_eq!(evicted(&m)[4], Some(1));
    let hits: Vec<bool> = m.steps.iter().map(|s| s.hit).collect();
    assert_eq!(hits, vec![false, false, false, true, false]);
}

#[test]
fn opt_ties_are_all_right_answers() {
    // 1 2 3 4 1: at 4, 1 is used next, 2 and 3 never: OPT evicts 2 (loaded first),
    // and 3 is as right an answer; 1 is not.
    let o = run(&[1, 2, 3, 4, 1], 3, Policy::Opt);
    assert_eq!(o.steps[3].evicted, Some(2));
    assert!(matches!(
        o.steps[3].choice,
        Some(Choice::NextUse {
            at: None,
            tie: true
        })
    ));
    let fmt = text::PageFmt { hex: false };
    let answer = text::access_answer(&o, 3, fmt);
    assert!(answer.accepts("evict 2") && answer.accepts("evict 3"));
    assert!(!answer.accepts("evict 1") && !answer.accepts("evict 4"));
    assert!(o.steps[4].hit);
    let u = run(&[1, 2, 3, 4, 1], 3, Policy::Unopt);
    assert_eq!(u.steps[3].evicted, Some(1));
    assert!(!u.steps[4].hit);
    // 1 2 3 4 5 with 2 frames: at 5, the resident 3 and 4 are never used again (both
    // right); 1 and 2, never used again either, were evicted before (not resident).
    let o = run(&[1, 2, 3, 4, 5], 2, Policy::Opt);
    let answer = text::access_answer(&o, 4, fmt);
    assert!(answer.accepts("evict 3") && answer.accepts("evict 4"));
    assert!(!answer.accepts("evict 1") && !answer.accepts("evict 2"));
}

#[test]
fn rand_uses_the_printed_draws() {
    let r = run_with(&[1, 2, 3, 4, 5], 3, Policy::Rand, 1, &[2, 0]);
    assert_eq!(evicted(&r), vec![None, None, None, Some(3), Some(1)]);
    assert_eq!(
        r.steps[4].after.as_ref().unwrap().frames,
        vec![Some(5), Some(2), Some(4)]
    );
}

#[test]
fn clock_one_bit_is_second_chance() {
    let c = run(&[1, 2, 3, 4, 2, 5], 3, Policy::Clock);
    assert_eq!(c.steps[3].evicted, Some(1));
    let clock = |i: usize| c.steps[i].after.as_ref().unwrap().clock.clone().unwrap();
    assert_eq!(clock(3), (vec![1, 0, 0], 1));
    assert!(c.steps[4].hit);
    assert_eq!(c.steps[5].evicted, Some(3));
    assert_eq!(clock(5).1, 0);
    let c2 = run_with(&[1, 2, 1, 3, 4], 2, Policy::Clock, 2, &[]);
    assert_eq!(c2.steps[3].evicted, Some(2));
    assert_eq!(c2.steps[4].evicted, Some(1));
}

#[test]
fn one_frame_and_all_hits() {
    let r = run(&[5, 5, 5], 1, Policy::Lru);
    assert_eq!((r.hits, r.misses, r.compulsory), (2, 1, 1));
    let r = run(&[9, 8], 1, Policy::Fifo);
    assert_eq!(evicted(&r), vec![None, Some(9)]);
}

#[test]
fn bad_options_are_errors() {
    let bad = |f: &dyn Fn(&mut Options)| {
        let mut o = Options::default();
        f(&mut o);
        assert!(Config::new(&o).is_err(), "{o:?}");
    };
    bad(&|o| o.cachesize = 0);
    bad(&|o| o.cachesize = MAX_FRAMES + 1);
    bad(&|o| o.num = 0);
    bad(&|o| o.num = MAX_REFS + 1);
    bad(&|o| o.locality = 101);
    bad(&|o| o.clockbits = 0);
    bad(&|o| o.maxpage = 0);
    bad(&|o| o.pagesize = Some("3000".into()));
    bad(&|o| o.addresses = Some("1,x".into()));
    bad(&|o| o.addresses = Some(",".into()));
}

#[test]
fn generated_exercises_are_reproducible_and_self_consistent() {
    for policy in [
        Policy::Fifo,
        Policy::Lru,
        Policy::Mru,
        Policy::Opt,
        Policy::Unopt,
        Policy::Rand,
        Policy::Clock,
    ] {
        let o = Options {
            policy,
            locality: 50,
            ..Options::default()
        };
        let a = crate::sim::make::<PolicySim>(&o, 42, false).unwrap();
        let b = crate::sim::make::<PolicySim>(&o, 42, false).unwrap();
        assert_eq!(a.exercise, b.exercise);
        let answers: String = a
            .exercise
            .questions
            .iter()
            .map(|q| format!("{}: {}\n", q.id, q.answer.canonical()))
            .collect();
        let g = a.grade(&answers).unwrap();
        assert_eq!(g.right, g.total);
    }
}

#[test]
fn belady_mode_finds_an_anomaly() {
    for (seed, c) in [(0, 3), (5, 3), (9, 4), (2, 6)] {
        let o = Options {
            belady: true,
            cachesize: c,
            ..Options::default()
        };
        let s = crate::sim::make::<PolicySim>(&o, seed, false).unwrap();
        assert_eq!(
            s.exercise.questions[2].answer,
            crate::sim::Answer::word(crate::sim::Word::Yes)
        );
    }
}

#[test]
fn a_long_string_with_a_big_memory_is_fast_for_every_policy() {
    // 100,000 accesses through 4,096 frames: the engine's work is O(log frames) per
    // access (a debug build, so the bound is loose).
    let mut rng = Rng::new(1);
    let refs = refs::random_refs(&mut rng, 100_000, 20_000, 30, 4096);
    let draws = refs::draws(&mut rng, refs.len(), 4096);
    for policy in [
        Policy::Fifo,
        Policy::Lru,
        Policy::Mru,
        Policy::Opt,
        Policy::Unopt,
        Policy::Rand,
        Policy::Clock,
    ] {
        let start = std::time::Instant::now();
        let r = run_with(&refs, 4096, policy, 16, &draws);
        assert_eq!(r.hits + r.misses, 100_000);
        assert!(r.steps.iter().all(|s| s.after.is_none()));
        let took = start.elapsed();
        assert!(took.as_secs() < 10, "{policy:?}: {took:?}");
    }
}
