//! The model of a multi-level page table: physical memory holding the tables (the
//! dump), the PDBR and the addresses (the [`Problem`]); the walks, the tables found and
//! the space they take (the [`Solution`]), with no text. [`solve`] is pure and reads
//! only what the problem shows, as the student does; [`generate`](super::generate())
//! draws a problem from a seed, and a front end with its own generator
//! (paging-multilevel-translate.py's) may fill a [`Memory`] itself instead.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::geometry::Geometry;

/// Physical memory with page tables in it: the dump and the PDBR. Entries are stored
/// most significant byte first, so that they read as printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memory {
    pub geometry: Geometry,
    /// Every byte of physical memory; bytes past its end read as 0.
    pub bytes: Vec<u8>,
    /// The page directory's frame.
    pub pdbr: u64,
}

/// One level of a walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 0 = the page directory.
    pub level: u32,
    /// The frame of the table read.
    #[serde(serialize_with = "crate::json::hex")]
    pub table: u64,
    pub index: u64,
    #[serde(serialize_with = "crate::json::hex")]
    pub entry_addr: u64,
    #[serde(serialize_with = "crate::json::hex")]
    pub entry: u64,
    pub valid: bool,
}

/// A walk: the steps, then the physical address and the byte there, or a fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Walk {
    #[serde(serialize_with = "crate::json::hex")]
    pub va: u64,
    pub steps: Vec<Step>,
    #[serde(serialize_with = "crate::json::hex")]
    pub pa: Option<u64>,
    pub value: Option<u8>,
}

impl Memory {
    /// Memory filled with `fill`, and an empty page directory in frame `pdbr`.
    pub fn new(geometry: Geometry, fill: impl FnMut() -> u8, pdbr: u64) -> Memory {
        let mut fill = fill;
        let bytes = (0..geometry.physmem).map(|_| fill()).collect();
        let mut m = Memory {
            geometry,
            bytes,
            pdbr,
        };
        m.make_table(pdbr);
        m
    }

    /// Fills the table in `frame` with invalid entries.
    pub fn make_table(&mut self, frame: u64) {
        let g = self.geometry;
        for i in 0..g.entries_per_page {
            self.write_entry(frame, i, g.invalid_entry());
        }
    }

    /// The entry at `index` of the table in `frame`.
    pub fn read_entry(&self, frame: u64, index: u64) -> u64 {
        let g = &self.geometry;
        let at = frame * g.page_size + index * g.entry_bytes;
        (at..at + g.entry_bytes).fold(0u64, |v, a| (v << 8) | self.byte(a).unwrap_or(0) as u64)
    }

    /// The byte at physical address `pa`, if memory reaches it.
    pub fn byte(&self, pa: u64) -> Option<u8> {
        usize::try_from(pa)
            .ok()
            .and_then(|i| self.bytes.get(i))
            .copied()
    }

    fn write_entry(&mut self, frame: u64, index: u64, value: u64) {
        let g = self.geometry;
        let at = (frame * g.page_size + index * g.entry_bytes) as usize;
        for k in 0..g.entry_bytes as usize {
            let shift = 8 * (g.entry_bytes as usize - 1 - k);
            self.bytes[at + k] = (value >> shift) as u8;
        }
    }

    /// Maps virtual page `vpn` to frame `data`, taking a frame from `new_frame` for
    /// each table the walk finds missing. `None` when `new_frame` runs out.
    pub fn map(
        &mut self,
        vpn: u64,
        data: u64,
        mut new_frame: impl FnMut() -> Option<u64>,
    ) -> Option<()> {
        let g = self.geometry;
        let va = vpn << g.offset_bits;
        let mut table = self.pdbr;
        for level in 0..g.levels - 1 {
            let i = g.index(va, level);
            let e = self.read_entry(table, i);
            table = if e & g.valid_bit() != 0 {
                g.pfn(e)
            } else {
                let f = new_frame()?;
                self.make_table(f);
                self.write_entry(table, i, g.valid_bit() | f);
                f
            };
        }
        self.write_entry(table, g.index(va, g.levels - 1), g.valid_bit() | data);
        Some(())
    }

    /// Walks the tables for `va` by the definition.
    pub fn walk(&self, va: u64) -> Walk {
        let g = &self.geometry;
        let mut steps = Vec::new();
        let mut table = self.pdbr;
        for level in 0..g.levels {
            let index = g.index(va, level);
            let entry = self.read_entry(table, index);
            let valid = entry & g.valid_bit() != 0;
            steps.push(Step {
                level,
                table,
                index,
                entry_addr: table * g.page_size + index * g.entry_bytes,
                entry,
                valid,
            });
            if !valid {
                return Walk {
                    va,
                    steps,
                    pa: None,
                    value: None,
                };
            }
            table = g.pfn(entry);
        }
        let pa = table * g.page_size + (va & (g.page_size - 1));
        Walk {
            va,
            steps,
            pa: Some(pa),
            value: self.byte(pa),
        }
    }

    /// The frames holding tables, level by level, as the hardware finds them: the
    /// directory at the PDBR, then every table that a valid entry a walk can reach
    /// points to (in index order); each frame once.
    pub fn tables(&self) -> Vec<Vec<u64>> {
        let g = &self.geometry;
        let mut levels = vec![vec![self.pdbr]];
        let mut seen = BTreeSet::from([self.pdbr]);
        for level in 0..g.levels - 1 {
            let mut next = Vec::new();
            for &table in &levels[level as usize] {
                for index in 0..g.reach_of(level) {
                    let e = self.read_entry(table, index);
                    if e & g.valid_bit() != 0 && seen.insert(g.pfn(e)) {
                        next.push(g.pfn(e));
                    }
                }
            }
            levels.push(next);
        }
        levels
    }

    /// How many valid entries the last-level tables `page_tables` hold: the mapped
    /// virtual pages.
    pub fn mapped_pages(&self, page_tables: &[u64]) -> u64 {
        let g = &self.geometry;
        let reach = g.reach_of(g.levels - 1);
        page_tables
            .iter()
            .map(|&t| {
                (0..reach)
                    .filter(|&i| self.read_entry(t, i) & g.valid_bit() != 0)
                    .count() as u64
            })
            .sum()
    }
}

/// The dump as JSON: the geometry, the PDBR, and each page's bytes as one hex string
/// (`"7f7f9f..."`), as OSTEP prints a page.
impl Serialize for Memory {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pages: Vec<String> = self
            .bytes
            .chunks(self.geometry.page_size as usize)
            .map(|page| page.iter().map(|b| format!("{b:02x}")).collect())
            .collect();
        let mut st = s.serialize_struct("Memory", 3)?;
        st.serialize_field("geometry", &self.geometry)?;
        st.serialize_field("pdbr", &crate::json::Hexed::hexed(&self.pdbr))?;
        st.serialize_field("pages", &pages)?;
        st.end()
    }
}

/// A problem with every value decided: memory and the addresses to translate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub memory: Memory,
    /// The virtual addresses, in order (question N is about the N-th).
    #[serde(serialize_with = "crate::json::hex")]
    pub addresses: Vec<u64>,
}

/// The problem worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Solution {
    pub walks: Vec<Walk>,
    /// The frames holding tables, level by level from the directory.
    #[serde(serialize_with = "crate::json::hex")]
    pub tables: Vec<Vec<u64>>,
    /// How many pages hold tables (the directory included).
    pub table_pages: u64,
    /// How many virtual pages are mapped.
    pub mapped_pages: u64,
    pub multilevel_bytes: u64,
    pub linear_bytes: u64,
    /// Linear minus multi-level: negative when the levels cost more.
    pub saved_bytes: i64,
}

/// Works `p` out: the walks, and the tables found from the PDBR.
pub fn solve(p: &Problem) -> Solution {
    let m = &p.memory;
    let g = &m.geometry;
    let tables = m.tables();
    let table_pages: u64 = tables.iter().map(|l| l.len() as u64).sum();
    let last = tables.last().map(Vec::as_slice).unwrap_or_default();
    let multilevel_bytes = table_pages * g.page_size;
    let linear_bytes = g.linear_bytes();
    Solution {
        walks: p.addresses.iter().map(|&va| m.walk(va)).collect(),
        mapped_pages: m.mapped_pages(last),
        table_pages,
        multilevel_bytes,
        linear_bytes,
        saved_bytes: linear_bytes as i64 - multilevel_bytes as i64,
        tables,
    }
}
