//! The model's unit tests: geometry, walks by hand, generated problems.

use std::collections::BTreeSet;

use super::*;
use crate::error::Error;

/// OSTEP's geometry: 32-byte pages, 128 frames, 1-byte entries, 32 KiB space.
fn ostep() -> Geometry {
    Geometry::new(32, 4096, 2, None).unwrap()
}

fn config(o: Options) -> Config {
    Config::new(&o).unwrap()
}

#[test]
fn default_geometry_is_ostep() {
    let g = ostep();
    assert_eq!(g.asize, 32 << 10);
    assert_eq!((g.entry_bytes, g.entries_per_page), (1, 32));
    assert_eq!((g.offset_bits, g.index_bits, g.top_bits), (5, 5, 5));
    assert_eq!(g.linear_bytes(), 1024);
    // Page directory index bits 14-10, page table index bits 9-5, offset 4-0.
    assert_eq!((g.low_bit_of(0), g.low_bit_of(1)), (10, 5));
    assert_eq!(config(Options::default()).geometry, g);
    // 0x611c = 110 0001 0001 1100: PD 0x18, PT 0x08, offset 0x1c.
    assert_eq!(
        (g.index(0x611c, 0), g.index(0x611c, 1), 0x611c & 31),
        (0x18, 0x08, 0x1c)
    );
}

#[test]
fn entry_size_grows_with_memory_and_three_levels_split() {
    let g = Geometry::new(32, 8192, 3, None).unwrap();
    // 256 frames need 8 PFN bits + the valid bit: 2-byte entries, 16 per page.
    assert_eq!(
        (g.entry_bytes, g.entries_per_page, g.index_bits),
        (2, 16, 4)
    );
    assert_eq!(g.asize, 1 << (5 + 12));
    assert_eq!(
        (g.low_bit_of(0), g.low_bit_of(1), g.low_bit_of(2)),
        (13, 9, 5)
    );
    // A smaller address space leaves the top level fewer bits.
    let g = Geometry::new(32, 4096, 3, Some(1 << 16)).unwrap();
    assert_eq!((g.top_bits, g.index_bits), (1, 5));
}

/// A hand-built memory: directory in frame 2, one page table in frame 5 mapping
/// VPN 0x21 (PD 1, PT 1) to frame 9; every other byte 0.
fn hand_built() -> Memory {
    let mut m = Memory::new(ostep(), || 0, 2);
    let mut frames = vec![5];
    m.map(0x21, 9, || frames.pop()).unwrap();
    m.bytes[9 * 32 + 0x1f] = 0xab;
    m
}

#[test]
fn walk_by_hand() {
    let m = hand_built();
    assert_eq!(m.tables(), vec![vec![2], vec![5]]);
    assert_eq!(m.read_entry(2, 1), 0x85);
    assert_eq!(m.read_entry(2, 0), 0x7f);
    assert_eq!(m.read_entry(5, 1), 0x89);
    // The last byte of the mapped page: VA = 0x21 << 5 | 0x1f = 0x43f.
    let w = m.walk(0x43f);
    assert_eq!((w.pa, w.value), (Some(9 * 32 + 0x1f), Some(0xab)));
    assert_eq!(w.steps.len(), 2);
    assert_eq!(w.steps[0].entry_addr, 2 * 32 + 1);
    // The first byte of the next page: its PDE is valid, its PTE is not.
    let w = m.walk(0x440);
    assert_eq!((w.pa, w.steps.len()), (None, 2));
    assert!(w.steps[0].valid && !w.steps[1].valid);
    // A page under an invalid PDE faults at the directory.
    let w = m.walk(0x7fff);
    assert_eq!((w.pa, w.steps.len()), (None, 1));
}

#[test]
fn a_front_end_builds_a_problem_from_a_dump_and_solves_it() {
    let p = Problem {
        memory: hand_built(),
        addresses: vec![0x43f, 0x440],
    };
    let s = solve(&p);
    assert_eq!(s.walks[0].value, Some(0xab));
    assert_eq!(s.walks[1].pa, None);
    assert_eq!((s.table_pages, s.mapped_pages), (2, 1));
    assert_eq!(
        (s.multilevel_bytes, s.linear_bytes, s.saved_bytes),
        (64, 1024, 960)
    );
    // A dump shorter than the geometry says (a front end's mistake) reads as zeros.
    let mut short = p.clone();
    short.memory.bytes.truncate(40);
    assert_eq!(solve(&short).walks[0].pa, None);
}

#[test]
fn multi_byte_entries_are_big_endian() {
    let g = Geometry::new(32, 8192, 2, Some(1 << 12)).unwrap();
    let mut m = Memory::new(g, || 0, 0x100 - 1);
    let mut frames = vec![0x80];
    m.map(0, 0xc3, || frames.pop()).unwrap();
    let pd = 0xff * 32;
    assert_eq!(&m.bytes[pd..pd + 2], &[0x80, 0x80]);
    assert_eq!(&m.bytes[0x80 * 32..0x80 * 32 + 2], &[0x80, 0xc3]);
    assert_eq!(m.walk(0x1f).pa, Some(0xc3 * 32 + 0x1f));
}

#[test]
fn generated_problems_map_their_pages_to_distinct_frames() {
    for levels in [2, 3] {
        let c = config(Options {
            levels,
            ..Options::default()
        });
        let p = generate(&c, 7).unwrap();
        let s = solve(&p);
        assert_eq!(s.mapped_pages, 64);
        // Every virtual page walked: 64 map, each to a frame of its own that holds
        // no table.
        let g = &p.memory.geometry;
        let data: Vec<u64> = (0..g.vpages())
            .filter_map(|vpn| p.memory.walk(vpn << g.offset_bits).pa)
            .map(|pa| pa / g.page_size)
            .collect();
        let tables: BTreeSet<u64> = s.tables.iter().flatten().copied().collect();
        let distinct: BTreeSet<u64> = data.iter().copied().collect();
        assert_eq!((data.len(), distinct.len()), (64, 64));
        assert!(distinct.is_disjoint(&tables));
        assert_eq!(tables.len() as u64, s.table_pages);
        let e = text::exercise(&c, &p, &s);
        assert_eq!(e.questions.len(), 2 * 10 + 3);
    }
}

#[test]
fn valid_shares_zero_and_hundred() {
    for (valid, faults) in [(0, true), (100, false)] {
        let c = config(Options {
            valid: Some(valid),
            ..Options::default()
        });
        let s = solve(&generate(&c, 11).unwrap());
        assert!(s.walks.iter().all(|w| w.pa.is_none() == faults));
    }
    // Nothing allocated: every address faults, no division anywhere.
    let c = config(Options {
        allocated: 0,
        ..Options::default()
    });
    let p = generate(&c, 1).unwrap();
    let s = solve(&p);
    assert!(s.walks.iter().all(|w| w.pa.is_none()));
    assert_eq!(s.tables, vec![vec![p.memory.pdbr], vec![]]);
    assert_eq!(s.table_pages, 1);
}

#[test]
fn addresses_are_drawn_as_the_script_draws_them_by_default() {
    // Half on allocated pages, half uniform over the address space (where 64 of 1024
    // pages are allocated): about 50% + 50% × 1/16 valid.
    let share = |valid: Option<u64>| {
        let c = config(Options {
            num: 10_000,
            valid,
            ..Options::default()
        });
        let s = solve(&generate(&c, 3).unwrap());
        s.walks.iter().filter(|w| w.pa.is_some()).count() as f64 / 10_000.0
    };
    let script = share(None);
    assert!((0.50..0.56).contains(&script), "{script}");
    // -u 25: a quarter on allocated pages, the rest on unallocated ones.
    let quarter = share(Some(25));
    assert!((0.23..0.27).contains(&quarter), "{quarter}");
}

#[test]
fn huge_sparse_address_spaces_draw_addresses_quickly() {
    // 4 KiB pages, 16 frames, 1-byte entries: 12 index bits per level, a 2^48-byte
    // space with 3 levels; unallocated pages are found without scanning 2^36 of them.
    let c = config(Options {
        pagesize: "4k".into(),
        physmem: "64k".into(),
        levels: 3,
        allocated: 3,
        valid: Some(0),
        num: 1000,
        ..Options::default()
    });
    let s = solve(&generate(&c, 2).unwrap());
    assert!(s.walks.iter().all(|w| w.pa.is_none()));
    assert_eq!(c.geometry.asize, 1 << 48);
}

#[test]
fn space_saved_is_signed() {
    let c = config(Options::default());
    let s = solve(&generate(&c, 3).unwrap());
    assert_eq!(s.saved_bytes, 1024 - 32 * s.table_pages as i64);
    // Dense use of a tiny space: the directory is pure overhead.
    let c = config(Options {
        asize: Some("2k".into()),
        allocated: 64,
        ..Options::default()
    });
    let p = generate(&c, 3).unwrap();
    let s = solve(&p);
    let e = text::exercise(&c, &p, &s);
    let last = e.questions.last().unwrap();
    assert_eq!(last.answer.canonical(), "-32");
    assert!(last.accepts("-32"));
}

#[test]
fn same_seed_same_problem() {
    let c = config(Options::default());
    assert_eq!(generate(&c, 5).unwrap(), generate(&c, 5).unwrap());
    assert_ne!(generate(&c, 5).unwrap(), generate(&c, 6).unwrap());
}

#[test]
fn bad_parameters_are_errors() {
    let o = Options::default;
    let bad = [
        Options {
            pagesize: "48".into(),
            ..o()
        },
        Options { levels: 4, ..o() },
        Options {
            asize: Some("64k".into()),
            ..o()
        },
        Options {
            asize: Some("512".into()),
            ..o()
        },
        Options {
            physmem: "1m".into(),
            ..o()
        },
        Options {
            allocated: 2000,
            ..o()
        },
        Options {
            valid: Some(150),
            ..o()
        },
        Options {
            addresses: Some("0x8000".into()),
            ..o()
        },
    ];
    for options in bad {
        match Config::new(&options) {
            Err(Error::Input(_)) => {}
            other => panic!("{options:?}: {other:?}"),
        }
    }
    // Too many pages for the frames: found while mapping them.
    let c = config(Options {
        allocated: 126,
        ..o()
    });
    assert!(matches!(generate(&c, 0), Err(Error::Input(_))));
}
