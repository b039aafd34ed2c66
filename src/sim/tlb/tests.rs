//! The TLB against hand-worked cases, and its bounds.

use super::*;

fn answers(o: &Options) -> Vec<String> {
    let s = crate::sim::make::<TlbSim>(o, 0, false).unwrap();
    s.exercise
        .questions
        .iter()
        .map(|q| q.answer.canonical())
        .collect()
}

fn options(addresses: &str, entries: usize, policy: TlbPolicy) -> Options {
    Options {
        addresses: Some(addresses.into()),
        entries,
        policy,
        ..Options::default()
    }
}

#[test]
fn ostep_array_walk_is_miss_hit_hit() {
    // OSTEP's TLB chapter: an array of 10 4-byte ints at 100 with 16-byte pages:
    // m h h m h h h m h h → 7 hits of 10, 70%.
    let addrs: Vec<String> = (0..10).map(|i| (100 + 4 * i).to_string()).collect();
    let mut o = options(&addrs.join(","), 4, TlbPolicy::Lru);
    o.asize = "256".into();
    o.pagesize = "16".into();
    let a = answers(&o);
    let vpns: Vec<&str> = a.iter().step_by(2).take(10).map(String::as_str).collect();
    assert_eq!(vpns, ["6", "6", "6", "7", "7", "7", "7", "8", "8", "8"]);
    let results: Vec<&str> = a
        .iter()
        .skip(1)
        .step_by(2)
        .take(10)
        .map(String::as_str)
        .collect();
    assert_eq!(
        results,
        [
            "miss", "hit", "hit", "miss", "hit", "hit", "hit", "miss", "hit", "hit"
        ]
    );
    assert_eq!(&a[20..], ["7", "3", "70.00%"]);
}

#[test]
fn replacement_by_hand() {
    // 1 KiB pages, 2 entries: VPNs 0 1 0 2 1.
    let list = "0x0010,0x0400,0x03ff,0x0800,0x0401";
    let a = answers(&options(list, 2, TlbPolicy::Lru));
    assert_eq!(a[4..6], ["0", "hit"]);
    assert_eq!(a[6..10], ["2", "evict 1", "1", "evict 0"]);
    let a = answers(&options(list, 2, TlbPolicy::Fifo));
    assert_eq!(a[6..10], ["2", "evict 0", "1", "hit"]);
    let a = answers(&options(list, 2, TlbPolicy::Opt));
    assert_eq!(a[7], "evict 0");
    assert_eq!(a[10..], ["2", "3", "40.00%"]);
}

#[test]
fn bad_options_are_errors() {
    let bad = |f: &dyn Fn(&mut Options)| {
        let mut o = Options::default();
        f(&mut o);
        assert!(Config::new(&o).is_err(), "{o:?}");
    };
    bad(&|o| o.entries = 0);
    bad(&|o| o.entries = MAX_ENTRIES + 1);
    bad(&|o| o.pagesize = "1000".into());
    bad(&|o| o.asize = "12k".into());
    bad(&|o| o.pagesize = "32k".into());
    bad(&|o| o.locality = 200);
    bad(&|o| o.num = 0);
    bad(&|o| o.addresses = Some("0x4000".into()));
    assert!(Config::new(&options("0x3fff", 1, TlbPolicy::Lru)).is_ok());
}

#[test]
fn every_policy_grades_its_own_answers() {
    for policy in [
        TlbPolicy::Fifo,
        TlbPolicy::Lru,
        TlbPolicy::Random,
        TlbPolicy::Opt,
    ] {
        let o = Options {
            policy,
            ..Options::default()
        };
        let a = crate::sim::make::<TlbSim>(&o, 7, false).unwrap();
        let b = crate::sim::make::<TlbSim>(&o, 7, false).unwrap();
        assert_eq!(a.exercise, b.exercise);
        let text: String = a
            .exercise
            .questions
            .iter()
            .map(|q| format!("{}: {}\n", q.id, q.answer.canonical()))
            .collect();
        let g = a.grade(&text).unwrap();
        assert_eq!(g.right, g.total);
    }
}
