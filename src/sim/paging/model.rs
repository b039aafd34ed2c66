//! The model of a linear page table: a problem (the sizes, the table, the addresses)
//! and its solution, with no text. [`solve`] is pure; [`generate`] draws a problem
//! from a seed, and a front end with its own generator (paging-linear-translate.py's)
//! may build a [`Problem`] instead: a [`Geometry`] from [`Geometry::new`], the table
//! as each virtual page's frame, and the addresses.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Config;
use crate::error::Result;
use crate::sim::{Rng, bad_param, power_of_two};
use crate::tr;

/// The most entries a printed page table may have (16 Ki lines is already a lot).
pub const MAX_ENTRIES: u64 = 1 << 14;

/// The sizes of a problem, checked by [`Geometry::new`] (outside vmlab a geometry can
/// only be made there). It serializes as the four sizes: the bit widths and the table
/// size it derives are questions of the exercise, not part of the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Geometry {
    /// Address-space size, bytes (a power of two).
    pub asize: u64,
    /// Physical memory size, bytes (a multiple of the page size).
    pub physmem: u64,
    /// Page size, bytes (a power of two).
    pub page_size: u64,
    /// Bytes per page-table entry: 1, 2, 4 or 8.
    pub pte_size: u64,
}

impl Geometry {
    /// Checks the sizes: powers of two, the address space within physical memory
    /// (every valid page has a frame of its own; there is no swap here), a table of at
    /// most [`MAX_ENTRIES`] entries, entries wide enough for every frame number.
    pub fn new(asize: u64, physmem: u64, page_size: u64, pte_size: u64) -> Result<Geometry> {
        Geometry::checked(asize, physmem, page_size, pte_size, Some(MAX_ENTRIES))
    }

    /// As [`Geometry::new`], with no cap on the table's entries: paging-linear-
    /// translate.py prints tables of any size below 1 GiB (`vmlab ostep`).
    pub fn uncapped(asize: u64, physmem: u64, page_size: u64, pte_size: u64) -> Result<Geometry> {
        Geometry::checked(asize, physmem, page_size, pte_size, None)
    }

    fn checked(
        asize: u64,
        physmem: u64,
        page_size: u64,
        pte_size: u64,
        cap: Option<u64>,
    ) -> Result<Geometry> {
        power_of_two("pagesize", page_size)?;
        power_of_two("asize", asize)?;
        let text = |v: u64| v.to_string();
        if asize < page_size {
            let why = tr!(
                "paging-error-asize-page",
                asize = text(asize),
                page = text(page_size)
            );
            return Err(bad_param("asize", why));
        }
        if physmem == 0 || !physmem.is_multiple_of(page_size) {
            let why = tr!(
                "paging-error-physmem-multiple",
                physmem = text(physmem),
                page = text(page_size)
            );
            return Err(bad_param("physmem", why));
        }
        if asize > physmem {
            let why = tr!(
                "paging-error-asize-physmem",
                asize = text(asize),
                physmem = text(physmem)
            );
            return Err(bad_param("asize", why));
        }
        if ![1, 2, 4, 8].contains(&pte_size) {
            let why = tr!("paging-error-pte-size", size = text(pte_size));
            return Err(bad_param("pte-size", why));
        }
        let g = Geometry {
            asize,
            physmem,
            page_size,
            pte_size,
        };
        if let Some(max) = cap.filter(|&max| g.pages() > max) {
            let why = tr!(
                "paging-error-entries",
                entries = text(g.pages()),
                max = text(max)
            );
            return Err(bad_param("asize", why));
        }
        let pfn_bits = 8 * pte_size as u32 - 1;
        if pfn_bits < 64 && g.frames() - 1 > (1u64 << pfn_bits) - 1 {
            let why = tr!(
                "paging-error-pte-pfn",
                size = text(pte_size),
                bits = pfn_bits,
                frames = text(g.frames())
            );
            return Err(bad_param("pte-size", why));
        }
        Ok(g)
    }

    /// Bits of a virtual address.
    pub fn va_bits(&self) -> u32 {
        self.asize.trailing_zeros()
    }

    /// Bits of the offset inside a page.
    pub fn offset_bits(&self) -> u32 {
        self.page_size.trailing_zeros()
    }

    /// Bits of the virtual page number: the rest.
    pub fn vpn_bits(&self) -> u32 {
        self.va_bits() - self.offset_bits()
    }

    /// Virtual pages: the linear table's entries.
    pub fn pages(&self) -> u64 {
        self.asize / self.page_size
    }

    /// Physical frames.
    pub fn frames(&self) -> u64 {
        self.physmem / self.page_size
    }

    /// The valid bit of an entry: its top bit.
    pub fn valid_bit(&self) -> u64 {
        1u64 << (8 * self.pte_size - 1)
    }

    /// The linear table's size in bytes.
    pub fn table_bytes(&self) -> u64 {
        self.pages() * self.pte_size
    }

    /// An entry as stored: the valid bit on top and the PFN below, or 0 when invalid.
    pub fn entry(&self, pfn: Option<u64>) -> u64 {
        pfn.map_or(0, |p| self.valid_bit() | p)
    }
}

/// A problem with every value decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub geometry: Geometry,
    /// The linear page table: entry `[vpn]` holds the frame of virtual page `vpn`, or
    /// none when the page is invalid (not mapped).
    pub table: Vec<Option<u64>>,
    /// The virtual addresses to translate, in order (question 1 is the first).
    pub addresses: Vec<u64>,
}

/// One address translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Translation {
    pub va: u64,
    pub vpn: u64,
    pub offset: u64,
    /// The entry `[vpn]` as stored (0 when the table has no such entry).
    pub entry: u64,
    /// The physical address, or none: the page is invalid and the access faults.
    pub pa: Option<u64>,
}

/// The problem worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Solution {
    pub va_bits: u32,
    pub offset_bits: u32,
    pub vpn_bits: u32,
    /// The linear table's entries: one per virtual page.
    pub entries: u64,
    pub table_bytes: u64,
    /// How many pages of the table are valid.
    pub valid_pages: usize,
    pub translations: Vec<Translation>,
    /// How many of the addresses translate (do not fault).
    pub valid: usize,
}

/// Translates `va` through `table` by the definition: VPN = VA / page size, offset =
/// VA mod page size; the entry's valid bit decides; PA = PFN × page size + offset.
pub fn translate(g: &Geometry, table: &[Option<u64>], va: u64) -> Translation {
    let vpn = va >> g.offset_bits();
    let offset = va & (g.page_size - 1);
    let pfn = table.get(vpn as usize).copied().flatten();
    Translation {
        va,
        vpn,
        offset,
        entry: g.entry(pfn),
        pa: pfn.map(|pfn| (pfn << g.offset_bits()) | offset),
    }
}

/// Works `p` out.
pub fn solve(p: &Problem) -> Solution {
    let g = &p.geometry;
    let translations: Vec<Translation> = p
        .addresses
        .iter()
        .map(|&va| translate(g, &p.table, va))
        .collect();
    Solution {
        va_bits: g.va_bits(),
        offset_bits: g.offset_bits(),
        vpn_bits: g.vpn_bits(),
        entries: g.pages(),
        table_bytes: g.table_bytes(),
        valid_pages: p.table.iter().filter(|e| e.is_some()).count(),
        valid: translations.iter().filter(|t| t.pa.is_some()).count(),
        translations,
    }
}

/// Draws what `c` leaves random from `seed`: which pages are valid (each with the
/// chance `--valid`, as paging-linear-translate.py's `-u`), a distinct random frame for
/// each valid page, and the addresses, uniform over the address space as the script
/// draws them.
pub fn generate(c: &Config, seed: u64) -> Problem {
    let g = c.geometry;
    let mut rng = Rng::new(seed);
    let valid: Vec<bool> = (0..g.pages()).map(|_| rng.chance(c.valid)).collect();
    // Distinct frames; there are at least as many frames as pages, so this ends.
    let mut taken = BTreeSet::new();
    let table = valid
        .iter()
        .map(|&v| {
            v.then(|| {
                loop {
                    let f = rng.below(g.frames());
                    if taken.insert(f) {
                        break f;
                    }
                }
            })
        })
        .collect();
    let addresses = c
        .addresses
        .iter()
        .map(|given| given.unwrap_or_else(|| rng.below(g.asize)))
        .collect();
    Problem {
        geometry: g,
        table,
        addresses,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Options;
    use super::*;
    use crate::error::Error;

    /// The classic: 16 KiB address space, 4 KiB pages, 64 KiB of RAM; pages 0 and 3
    /// valid in frames 0xc and 0x5.
    fn classic() -> (Geometry, Vec<Option<u64>>) {
        let g = Geometry::new(16 << 10, 64 << 10, 4 << 10, 4).unwrap();
        (g, vec![Some(0xc), None, None, Some(0x5)])
    }

    fn config(o: Options) -> Result<Config> {
        Config::new(&o)
    }

    #[test]
    fn geometry_from_the_definitions() {
        let (g, _) = classic();
        assert_eq!((g.va_bits(), g.vpn_bits(), g.offset_bits()), (14, 2, 12));
        assert_eq!((g.pages(), g.frames(), g.table_bytes()), (4, 16, 16));
        assert_eq!(g.entry(Some(0xc)), 0x8000_000c);
        assert_eq!(g.entry(None), 0);
        // 32-bit space, 4 KiB pages, 4-byte entries: the textbook 4 MiB table (not
        // printed, so only the arithmetic).
        assert_eq!((1u64 << 32) / 4096 * 4, 4 << 20);
    }

    #[test]
    fn translations_by_hand() {
        let (g, t) = classic();
        // First byte of page 0.
        assert_eq!(translate(&g, &t, 0).pa, Some(0xc000));
        // Last byte of valid page 0, then the first byte of invalid page 1.
        assert_eq!(translate(&g, &t, 0x0fff).pa, Some(0xcfff));
        let first_invalid = translate(&g, &t, 0x1000);
        assert_eq!((first_invalid.vpn, first_invalid.pa), (1, None));
        // Last byte of invalid page 2, first byte of valid page 3.
        assert_eq!(translate(&g, &t, 0x2fff).pa, None);
        assert_eq!(translate(&g, &t, 0x3000).pa, Some(0x5000));
        // The last address of the address space.
        let last = translate(&g, &t, 0x3fff);
        assert_eq!((last.vpn, last.offset, last.pa), (3, 0xfff, Some(0x5fff)));
        assert_eq!(last.entry, 0x8000_0005);
        assert_eq!(translate(&g, &t, 0x3229).pa, Some(0x5229));
        // Past the table (a front end's mistake): a fault, not a panic.
        assert_eq!(translate(&g, &t, 0x4000).pa, None);
    }

    #[test]
    fn a_hand_built_problem_is_solved_as_a_front_end_would_build_it() {
        let (g, table) = classic();
        let p = Problem {
            geometry: g,
            table,
            addresses: vec![0x3229, 0x1000],
        };
        let s = solve(&p);
        assert_eq!(
            (s.offset_bits, s.vpn_bits, s.entries, s.table_bytes),
            (12, 2, 4, 16)
        );
        assert_eq!(s.translations[0].pa, Some(0x5229));
        assert_eq!(s.translations[1].pa, None);
        assert_eq!((s.valid_pages, s.valid), (2, 1));
    }

    #[test]
    fn zero_and_full_usage_need_no_division() {
        for (valid, pages) in [(0, 0), (100, 4)] {
            let c = config(Options {
                valid,
                ..Options::default()
            })
            .unwrap();
            let s = solve(&generate(&c, 3));
            assert_eq!(s.valid_pages, pages);
            if valid == 0 {
                assert!(s.translations.iter().all(|t| t.pa.is_none()));
            }
        }
    }

    #[test]
    fn frames_are_distinct_and_inside_memory() {
        let c = config(Options {
            asize: "64k".into(),
            physmem: "64k".into(),
            pagesize: "1k".into(),
            valid: 100,
            ..Options::default()
        })
        .unwrap();
        let p = generate(&c, 9);
        let frames: BTreeSet<u64> = p.table.iter().flatten().copied().collect();
        assert_eq!(frames.len(), 64);
        assert!(frames.iter().all(|&f| f < 64));
    }

    #[test]
    fn same_seed_same_problem_and_addresses_uniform() {
        let c = config(Options::default()).unwrap();
        assert_eq!(generate(&c, 42), generate(&c, 42));
        assert_ne!(generate(&c, 42), generate(&c, 43));
        // Uniform over the address space: the share of valid addresses is about the
        // share of valid pages (the homework's question on -u).
        let c = config(Options {
            asize: "64k".into(),
            pagesize: "1k".into(),
            physmem: "128k".into(),
            valid: 25,
            num: 10_000,
            ..Options::default()
        })
        .unwrap();
        let s = solve(&generate(&c, 5));
        let pages = s.valid_pages as f64 / 64.0;
        let addresses = s.valid as f64 / 10_000.0;
        assert!((addresses - pages).abs() < 0.03, "{addresses} vs {pages}");
    }

    #[test]
    fn given_addresses_are_used_and_checked() {
        let c = config(Options {
            addresses: Some("0x3fff,-1,0".into()),
            ..Options::default()
        })
        .unwrap();
        let p = generate(&c, 1);
        assert_eq!(p.addresses.len(), 3);
        assert_eq!((p.addresses[0], p.addresses[2]), (0x3fff, 0));
        assert!(
            config(Options {
                addresses: Some("0x4000".into()),
                ..Options::default()
            })
            .is_err()
        );
    }

    #[test]
    fn bad_parameters_are_errors() {
        let o = Options::default;
        let bad = [
            Options {
                pagesize: "3000".into(),
                ..o()
            },
            Options {
                asize: "128k".into(),
                ..o()
            },
            Options {
                asize: "12k".into(),
                ..o()
            },
            Options {
                physmem: "10000".into(),
                ..o()
            },
            Options { valid: 101, ..o() },
            Options { pte_size: 3, ..o() },
            Options {
                pte_size: 1,
                physmem: "1m".into(),
                ..o()
            },
            Options {
                asize: "1g".into(),
                physmem: "1g".into(),
                ..o()
            },
            Options {
                asize: "lots".into(),
                ..o()
            },
            Options {
                num: crate::sim::params::MAX_ACCESSES + 1,
                ..o()
            },
        ];
        for options in bad {
            match config(options.clone()) {
                Err(Error::Input(_)) => {}
                other => panic!("{options:?}: {other:?}"),
            }
        }
    }
}
