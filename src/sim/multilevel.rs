//! `vmlab sim multilevel`: a two- or three-level page-table walk from a memory dump, and
//! the space it saves against a linear table.
//!
//! The model is OSTEP's paging-multilevel-translate.py, generalised: physical memory of
//! `--physmem` bytes in pages of `--pagesize` bytes, printed as a dump; the page
//! directory's frame number in the PDBR register. An entry is the smallest of 1, 2 or 4
//! bytes that holds a PFN of physical memory plus the valid bit (its top bit); entries
//! are stored most significant byte first, so they read as printed. Each table fills
//! one page, so each level indexes with log2(page size / entry size) bits of the VPN;
//! the top level takes what is left. With the defaults (32-byte pages, 4 KiB of memory,
//! 1-byte entries, a 32 KiB address space) this is exactly OSTEP's homework: 5 bits of
//! page-directory index, 5 of page-table index, 5 of offset.
//!
//! The `--allocated` pages are laid out as a real address space is: a few runs of
//! contiguous pages (code, heap, stack) with holes between, which is where multi-level
//! tables save space.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::json;

use super::legacy::{Exercise, Question};
use super::{Rng, bad_param, power_of_two, size_param};
use crate::error::Result;

/// The largest memory dump printed.
const MAX_PHYSMEM: u64 = 64 << 10;
/// The most addresses one exercise translates.
const MAX_ADDRESSES: u64 = 1000;
/// How many runs of contiguous pages the allocated pages form (code, heap, stack).
const RUNS: u64 = 3;

/// The parameters of `vmlab sim multilevel`.
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Params {
    /// Page size in bytes: a power of two, 8 to 4096. Each table fills one page.
    #[arg(short = 'P', long = "pagesize", default_value = "32")]
    pub pagesize: String,

    /// Physical memory size (the dump): a multiple of the page size, at most 64k.
    #[arg(short = 'p', long = "physmem", default_value = "4k")]
    pub physmem: String,

    /// Levels of the page table: 2 (directory → table) or 3 (directory → middle
    /// directory → table).
    #[arg(short = 'l', long = "levels", default_value_t = 2)]
    pub levels: u32,

    /// Address-space size, a power of two; by default the most the levels can map
    /// (a full top-level directory): 32k with the other defaults, as in OSTEP.
    #[arg(long = "asize")]
    pub asize: Option<String>,

    /// How many virtual pages are allocated (mapped), as OSTEP's -a.
    #[arg(short = 'a', long = "allocated", default_value_t = 64)]
    pub allocated: u64,

    /// How many virtual addresses to translate.
    #[arg(short = 'n', long = "numaddrs", default_value_t = 10)]
    pub numaddrs: u64,

    /// Percentage of the random addresses that fall on allocated pages (the others
    /// fall on unallocated pages and fault), 0 to 100.
    #[arg(short = 'u', long = "valid", default_value_t = 50)]
    pub valid: u64,

    /// Translate these virtual addresses instead of random ones (comma-separated;
    /// `-1` stands for a random address). Overrides --numaddrs.
    #[arg(
        short = 'A',
        long = "addresses",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub addresses: Vec<String>,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

/// The checked sizes of a problem and how a virtual address splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Geometry {
    pub page_size: u64,
    pub physmem: u64,
    pub asize: u64,
    pub levels: u32,
    pub frames: u64,
    /// Bytes per entry (1, 2 or 4).
    pub entry_bytes: u64,
    pub entries_per_page: u64,
    pub offset_bits: u32,
    pub vpn_bits: u32,
    /// Index bits of each level below the top, and of the top level.
    pub index_bits: u32,
    pub top_bits: u32,
}

impl Geometry {
    pub fn new(page_size: u64, physmem: u64, levels: u32, asize: Option<u64>) -> Result<Geometry> {
        power_of_two("pagesize", page_size)?;
        if !(8..=4096).contains(&page_size) {
            return Err(bad_param(
                "pagesize",
                format!("{page_size} bytes: pages of 8 to 4096 bytes make a printable dump"),
            ));
        }
        if !(2..=3).contains(&levels) {
            return Err(bad_param(
                "levels",
                format!("{levels}: this simulator walks 2 or 3 levels"),
            ));
        }
        if physmem == 0 || !physmem.is_multiple_of(page_size) {
            return Err(bad_param(
                "physmem",
                format!("{physmem} is not a (non-zero) multiple of the page size {page_size}"),
            ));
        }
        if physmem > MAX_PHYSMEM {
            return Err(bad_param(
                "physmem",
                format!("{physmem} bytes is too large a dump to print (at most {MAX_PHYSMEM})"),
            ));
        }
        let frames = physmem / page_size;
        if frames < 2 {
            return Err(bad_param(
                "physmem",
                "one page of memory holds no table and data both",
            ));
        }
        // The smallest entry whose low bits hold every PFN, with the valid bit on top.
        let entry_bytes = [1u64, 2, 4]
            .into_iter()
            .find(|b| frames - 1 < 1u64 << (8 * b - 1))
            .unwrap_or(4);
        let entries_per_page = page_size / entry_bytes;
        if entries_per_page < 2 {
            return Err(bad_param(
                "pagesize",
                format!(
                    "a page of {page_size} bytes holds fewer than two {entry_bytes}-byte entries"
                ),
            ));
        }
        let index_bits = entries_per_page.trailing_zeros();
        let offset_bits = page_size.trailing_zeros();
        let full = offset_bits + levels * index_bits;
        let asize = match asize {
            Some(a) => a,
            None => 1u64 << full,
        };
        power_of_two("asize", asize)?;
        let va_bits = asize.trailing_zeros();
        let below = offset_bits + (levels - 1) * index_bits;
        if va_bits <= below {
            return Err(bad_param(
                "asize",
                format!(
                    "{asize} bytes ({va_bits} address bits) leaves no bits for the top level: \
                     {offset_bits} offset bits and {} bits per lower level already take \
                     {below}; use fewer --levels or a larger --asize",
                    index_bits
                ),
            ));
        }
        if va_bits > full {
            return Err(bad_param(
                "asize",
                format!(
                    "{asize} bytes needs {va_bits} address bits, but {levels} levels of \
                     {index_bits}-bit indices (one table per page of {entries_per_page} \
                     entries) and {offset_bits} offset bits map at most {full} (--asize {}); \
                     use more --levels or a larger --pagesize",
                    1u64 << full
                ),
            ));
        }
        Ok(Geometry {
            page_size,
            physmem,
            asize,
            levels,
            frames,
            entry_bytes,
            entries_per_page,
            offset_bits,
            vpn_bits: va_bits - offset_bits,
            index_bits,
            top_bits: va_bits - below,
        })
    }

    pub fn valid_bit(&self) -> u64 {
        1u64 << (8 * self.entry_bytes - 1)
    }

    pub fn vpages(&self) -> u64 {
        self.asize / self.page_size
    }

    /// The index bits of `level` (0 = top).
    pub fn bits_of(&self, level: u32) -> u32 {
        if level == 0 {
            self.top_bits
        } else {
            self.index_bits
        }
    }

    /// The lowest address bit of `level`'s index.
    pub fn low_bit_of(&self, level: u32) -> u32 {
        self.offset_bits + (self.levels - 1 - level) * self.index_bits
    }

    /// The index into `level`'s table for `va`.
    pub fn index(&self, va: u64, level: u32) -> u64 {
        (va >> self.low_bit_of(level)) & ((1u64 << self.bits_of(level)) - 1)
    }

    /// A linear table for the same address space: one entry per virtual page.
    pub fn linear_bytes(&self) -> u64 {
        self.vpages() * self.entry_bytes
    }

    fn invalid_entry(&self) -> u64 {
        // All ones but the valid bit, as OSTEP's 0x7f: only the valid bit matters.
        self.valid_bit() - 1
    }

    fn va_digits(&self) -> usize {
        digits(self.asize - 1)
    }

    fn pa_digits(&self) -> usize {
        digits(self.physmem - 1)
    }
}

fn digits(max: u64) -> usize {
    (64 - max.leading_zeros()).div_ceil(4).max(4) as usize
}

/// Names of the tables, top first.
fn level_names(levels: u32) -> &'static [(&'static str, &'static str)] {
    if levels == 2 {
        &[("page directory", "PDE"), ("page table", "PTE")]
    } else {
        &[
            ("page directory", "PDE"),
            ("middle directory", "PMDE"),
            ("page table", "PTE"),
        ]
    }
}

/// Physical memory with its page tables.
#[derive(Clone, Debug, Serialize)]
pub struct Memory {
    pub geometry: Geometry,
    pub bytes: Vec<u8>,
    /// The page directory's frame number.
    pub pdbr: u64,
    /// Frames holding page tables (directory included), in the order they were made.
    pub table_frames: Vec<u64>,
    /// Allocated virtual pages and their frames.
    pub mapped: Vec<(u64, u64)>,
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
            table_frames: Vec::new(),
            mapped: Vec::new(),
        };
        m.make_table(pdbr);
        m
    }

    fn make_table(&mut self, frame: u64) {
        let g = self.geometry;
        for i in 0..g.entries_per_page {
            self.write_entry(frame, i, g.invalid_entry());
        }
        self.table_frames.push(frame);
    }

    pub fn read_entry(&self, frame: u64, index: u64) -> u64 {
        let g = &self.geometry;
        let at = (frame * g.page_size + index * g.entry_bytes) as usize;
        self.bytes[at..at + g.entry_bytes as usize]
            .iter()
            .fold(0u64, |v, &b| (v << 8) | b as u64)
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
                e & (g.valid_bit() - 1)
            } else {
                let f = new_frame()?;
                self.make_table(f);
                self.write_entry(table, i, g.valid_bit() | f);
                f
            };
        }
        self.write_entry(table, g.index(va, g.levels - 1), g.valid_bit() | data);
        self.mapped.push((vpn, data));
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
            let pfn = entry & (g.valid_bit() - 1);
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
            table = pfn;
        }
        let pa = table * g.page_size + (va & (g.page_size - 1));
        Walk {
            va,
            steps,
            pa: Some(pa),
            value: Some(self.bytes[pa as usize]),
        }
    }
}

/// One level of a walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 0 = the page directory.
    pub level: u32,
    /// The frame of the table read.
    pub table: u64,
    pub index: u64,
    pub entry_addr: u64,
    pub entry: u64,
    pub valid: bool,
}

/// A walk: the steps, then the physical address and the byte there, or a fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Walk {
    pub va: u64,
    pub steps: Vec<Step>,
    pub pa: Option<u64>,
    pub value: Option<u8>,
}

/// A generated problem.
#[derive(Clone, Debug)]
pub struct Problem {
    pub memory: Memory,
    pub walks: Vec<Walk>,
}

/// Generates the problem for `params` and `seed`.
pub fn generate(params: &Params, seed: u64) -> Result<Problem> {
    let asize = match &params.asize {
        Some(a) => Some(size_param("asize", a)?),
        None => None,
    };
    let g = Geometry::new(
        size_param("pagesize", &params.pagesize)?,
        size_param("physmem", &params.physmem)?,
        params.levels,
        asize,
    )?;
    super::percent("valid", params.valid)?;
    if params.allocated > g.vpages() {
        return Err(bad_param(
            "allocated",
            format!(
                "{} pages do not fit in an address space of {} pages",
                params.allocated,
                g.vpages()
            ),
        ));
    }
    if params.numaddrs > MAX_ADDRESSES || params.addresses.len() as u64 > MAX_ADDRESSES {
        return Err(bad_param(
            "numaddrs",
            format!("too many addresses (at most {MAX_ADDRESSES})"),
        ));
    }
    let mut given: Vec<Option<u64>> = Vec::new();
    for text in &params.addresses {
        let text = text.trim();
        if text == "-1" {
            given.push(None);
            continue;
        }
        let va = size_param("addresses", text)?;
        if va >= g.asize {
            return Err(bad_param(
                "addresses",
                format!(
                    "{text} is outside the address space (0 to {:#x})",
                    g.asize - 1
                ),
            ));
        }
        given.push(Some(va));
    }

    let mut rng = Rng::new(seed);
    let pdbr = rng.below(g.frames);
    let mut memory = Memory::new(g, || rng.below(256) as u8, pdbr);
    // Free frames in a random order; tables and data take them from the end.
    let mut free: Vec<u64> = (0..g.frames).filter(|&f| f != pdbr).collect();
    rng.shuffle(&mut free);
    // The allocated pages: RUNS runs of contiguous pages at random places.
    let mut chosen = BTreeSet::new();
    let mut order = Vec::new();
    let mut left = params.allocated;
    for r in 0..RUNS {
        let len = left / (RUNS - r);
        left -= len;
        let mut vpn = rng.below(g.vpages());
        let mut added = 0;
        while added < len {
            if chosen.insert(vpn) {
                order.push(vpn);
                added += 1;
            }
            vpn = (vpn + 1) % g.vpages();
        }
    }
    let out_of_memory = || {
        bad_param(
            "allocated",
            format!(
                "{} pages and their tables need more than the {} frames of physical \
                 memory; lower --allocated or raise --physmem",
                params.allocated, g.frames
            ),
        )
    };
    for &vpn in &order {
        let data = free.pop().ok_or_else(out_of_memory)?;
        memory
            .map(vpn, data, || free.pop())
            .ok_or_else(out_of_memory)?;
    }
    let unallocated = g.vpages() - chosen.len() as u64;
    let random_va = |rng: &mut Rng| {
        let offset = rng.below(g.page_size);
        let on_allocated = unallocated == 0 || (!order.is_empty() && rng.chance(params.valid));
        let vpn = if on_allocated && !order.is_empty() {
            order[rng.below(order.len() as u64) as usize]
        } else {
            // The k-th unallocated page.
            let mut k = rng.below(unallocated);
            let mut vpn = 0;
            loop {
                if !chosen.contains(&vpn) {
                    if k == 0 {
                        break vpn;
                    }
                    k -= 1;
                }
                vpn += 1;
            }
        };
        (vpn << g.offset_bits) | offset
    };
    let vas: Vec<u64> = if given.is_empty() {
        (0..params.numaddrs).map(|_| random_va(&mut rng)).collect()
    } else {
        given
            .iter()
            .map(|v| v.unwrap_or_else(|| random_va(&mut rng)))
            .collect()
    };
    let walks = vas.iter().map(|&va| memory.walk(va)).collect();
    Ok(Problem { memory, walks })
}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let p = generate(params, seed)?;
    let mut e = build(&p, params, seed);
    if real {
        e.real = real_part(&p);
    }
    Ok(e)
}

/// The bit layout of a virtual address, top first: `PD 14-10 | PT 9-5 | offset 4-0`.
fn layout(g: &Geometry) -> String {
    let names = level_names(g.levels);
    let mut parts: Vec<String> = (0..g.levels)
        .map(|l| {
            let lo = g.low_bit_of(l);
            format!(
                "{} index: bits {}-{}",
                names[l as usize].0,
                lo + g.bits_of(l) - 1,
                lo
            )
        })
        .collect();
    parts.push(format!("offset: bits {}-0", g.offset_bits - 1));
    parts.join(" | ")
}

/// The exercise text, questions and worked solution of a problem.
pub fn build(p: &Problem, params: &Params, seed: u64) -> Exercise {
    let m = &p.memory;
    let g = &m.geometry;
    let names = level_names(g.levels);
    let (vw, pw) = (g.va_digits(), g.pa_digits());
    let ew = 2 * g.entry_bytes as usize;
    let mut problem = vec![
        format!(
            "Pages of {} bytes; physical memory {} bytes = {} frames; address space {} bytes \
             ({} bits); a {}-level page table, each table one page.",
            g.page_size,
            g.physmem,
            g.frames,
            g.asize,
            g.offset_bits + g.vpn_bits,
            g.levels
        ),
        format!(
            "Entries are {} byte{} (most significant byte first): top bit (0x{:0ew$x}) = \
             valid, low {} bits = PFN.",
            g.entry_bytes,
            if g.entry_bytes == 1 { "" } else { "s" },
            g.valid_bit(),
            8 * g.entry_bytes - 1
        ),
        format!("Virtual address: {}", layout(g)),
        format!(
            "PDBR (the page directory's frame): {} (0x{:x})",
            m.pdbr, m.pdbr
        ),
        String::new(),
        "Physical memory (page: bytes in hex):".into(),
    ];
    let per_line = g.page_size.min(32) as usize;
    for frame in 0..g.frames {
        let start = (frame * g.page_size) as usize;
        let page = &m.bytes[start..start + g.page_size as usize];
        for (k, chunk) in page.chunks(per_line).enumerate() {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let label = if k == 0 {
                format!("page {frame:>4} (0x{frame:02x}):")
            } else {
                format!("  +0x{:<10x}", k * per_line)
            };
            problem.push(format!("  {label} {}", hex.join(" ")));
        }
    }
    problem.push(String::new());
    problem.push(
        "Virtual addresses to translate (physical address and the byte there, or fault):".into(),
    );
    for (i, w) in p.walks.iter().enumerate() {
        problem.push(format!("  VA {:>2}: 0x{:0vw$x}", i + 1, w.va));
    }

    let fault_words = [
        "invalid",
        "segfault",
        "seg fault",
        "segmentation fault",
        "page fault",
    ];
    let mut questions = Vec::new();
    for w in &p.walks {
        let id = questions.len() + 1;
        let q = Question::new(
            id,
            format!("VA 0x{:0vw$x}: physical address, or fault?", w.va),
            match w.pa {
                Some(pa) => format!("0x{pa:0pw$x}"),
                None => "fault".into(),
            },
        );
        questions.push(if w.pa.is_none() {
            q.or(&fault_words)
        } else {
            q
        });
        let id = questions.len() + 1;
        let q = Question::new(
            id,
            format!("VA 0x{:0vw$x}: the byte fetched (hex), or fault?", w.va),
            match w.value {
                Some(v) => format!("0x{v:02x}"),
                None => "fault".into(),
            },
        );
        questions.push(if w.value.is_none() {
            q.or(&fault_words)
        } else {
            q
        });
    }
    let table_pages = m.table_frames.len() as u64;
    let ml_bytes = table_pages * g.page_size;
    let linear = g.linear_bytes();
    let saved = linear as i64 - ml_bytes as i64;
    let n = questions.len();
    questions.push(Question::new(
        n + 1,
        "How many pages hold page tables (the directory included)?",
        table_pages.to_string(),
    ));
    questions.push(Question::new(
        n + 2,
        format!(
            "How many bytes would a linear page table take for this address space \
             ({}-byte entries)?",
            g.entry_bytes
        ),
        linear.to_string(),
    ));
    questions.push(Question::new(
        n + 3,
        "How many bytes does the multi-level table save against it (negative if it costs more)?",
        saved.to_string(),
    ));

    let mut solution = vec![
        format!(
            "Split: {} offset bits (pages of {}); each table is one page of {} / {} = {} \
             entries, so {} index bits per level; the top level takes the remaining {} of \
             the {} VPN bits.",
            g.offset_bits,
            g.page_size,
            g.page_size,
            g.entry_bytes,
            g.entries_per_page,
            g.index_bits,
            g.top_bits,
            g.vpn_bits
        ),
        format!(
            "An entry at index i of the table in frame F is at byte F × {} + i × {}.",
            g.page_size, g.entry_bytes
        ),
    ];
    for w in &p.walks {
        solution.push(String::new());
        let all: Vec<String> = (0..g.levels)
            .map(|l| {
                format!(
                    "{} index 0x{:x}",
                    names[l as usize].1.trim_end_matches('E'),
                    g.index(w.va, l)
                )
            })
            .collect();
        solution.push(format!(
            "VA 0x{:0vw$x}: {}, offset 0x{:x}",
            w.va,
            all.join(", "),
            w.va & (g.page_size - 1)
        ));
        for s in &w.steps {
            let (table_name, entry_name) = names[s.level as usize];
            let head = format!(
                "  {table_name} in page {} (0x{:x}): {entry_name} at 0x{:x} = 0x{:0ew$x}",
                s.table, s.table, s.entry_addr, s.entry
            );
            if !s.valid {
                solution.push(format!(
                    "{head}: valid bit 0 → fault (nothing is mapped there; the other bits do \
                     not matter)"
                ));
            } else {
                let pfn = s.entry & (g.valid_bit() - 1);
                let next = if s.level + 1 < g.levels {
                    format!(
                        "the {} is in page {pfn} (0x{pfn:x})",
                        names[s.level as usize + 1].0
                    )
                } else {
                    format!("the data is in frame {pfn} (0x{pfn:x})")
                };
                solution.push(format!("{head}: valid, PFN 0x{pfn:x}: {next}"));
            }
        }
        if let (Some(pa), Some(v), Some(last)) = (w.pa, w.value, w.steps.last()) {
            let pfn = last.entry & (g.valid_bit() - 1);
            solution.push(format!(
                "  PA = 0x{pfn:x} × {} + 0x{:x} = 0x{pa:0pw$x}; the byte at page {pfn}, \
                 offset 0x{:x}, is 0x{v:02x}",
                g.page_size,
                w.va & (g.page_size - 1),
                w.va & (g.page_size - 1)
            ));
        }
    }
    solution.push(String::new());
    let frames: Vec<String> = m.table_frames.iter().map(|f| f.to_string()).collect();
    solution.push(format!(
        "Table pages: following every valid entry from the PDBR finds {} page{} of tables \
         (frames {}): {} × {} = {} bytes.",
        table_pages,
        if table_pages == 1 { "" } else { "s" },
        frames.join(", "),
        table_pages,
        g.page_size,
        ml_bytes
    ));
    solution.push(format!(
        "A linear table needs an entry for every one of the 2^{} = {} virtual pages, used or \
         not: {} × {} = {} bytes.",
        g.vpn_bits,
        g.vpages(),
        g.vpages(),
        g.entry_bytes,
        linear
    ));
    solution.push(if saved >= 0 {
        format!(
            "Saved: {linear} - {ml_bytes} = {saved} bytes: {} of {} virtual pages are used, \
             and unused regions cost no lower-level table.",
            m.mapped.len(),
            g.vpages()
        )
    } else {
        format!(
            "Saved: {linear} - {ml_bytes} = {saved}: here the multi-level table costs more, \
             as it does when the address space is used densely (the directory is overhead)."
        )
    });

    let walks: Vec<serde_json::Value> = p
        .walks
        .iter()
        .map(|w| {
            json!({
                "va": format!("0x{:x}", w.va),
                "indices": (0..g.levels).map(|l| g.index(w.va, l)).collect::<Vec<_>>(),
                "offset": format!("0x{:x}", w.va & (g.page_size - 1)),
                "steps": w.steps.iter().map(|s| json!({
                    "level": s.level,
                    "table_frame": s.table,
                    "index": s.index,
                    "entry_address": format!("0x{:x}", s.entry_addr),
                    "entry": format!("0x{:x}", s.entry),
                    "valid": s.valid,
                })).collect::<Vec<_>>(),
                "fault": w.pa.is_none(),
                "pa": w.pa.map(|pa| format!("0x{pa:x}")),
                "value": w.value.map(|v| format!("0x{v:02x}")),
            })
        })
        .collect();
    let memory: Vec<String> = m
        .bytes
        .chunks(g.page_size as usize)
        .map(|page| page.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    Exercise {
        simulator: "multilevel".into(),
        seed,
        params: serde_json::to_value(params).unwrap_or_default(),
        problem,
        questions,
        solution,
        real: Vec::new(),
        data: json!({
            "geometry": g,
            "pdbr": m.pdbr,
            "memory": memory,
            "table_frames": m.table_frames,
            "mapped": m.mapped.iter().map(|(v, f)| json!({"vpn": v, "pfn": f})).collect::<Vec<_>>(),
            "walks": walks,
            "table_pages": table_pages,
            "multilevel_bytes": ml_bytes,
            "linear_bytes": linear,
            "saved_bytes": saved,
        }),
    }
}

/// `--real`: the x86-64 walk indices of real addresses, this process's page-table
/// memory (VmPTE), and how it grows when pages are touched in fresh 2 MiB spans.
fn real_part(p: &Problem) -> Vec<String> {
    match real_lines(p) {
        Ok(lines) => lines,
        Err(e) => vec![format!("Could not measure on this machine: {e}")],
    }
}

fn real_lines(p: &Problem) -> Result<Vec<String>> {
    use crate::addr::{Paging, VirtAddr};
    use crate::anon::AnonMap;
    use crate::demos::status_bytes;
    use nix::sys::mman::{MapFlags, MmapAdvise};

    let paging = Paging::detect();
    let ps = paging.page_size;
    let pid = std::process::id() as i32;
    let heap = std::hint::black_box(Box::new([1u8; 64]));
    let stack = std::hint::black_box(0u64);
    let code = real_lines as *const () as u64;
    let addrs = [
        ("code (this function)", code),
        ("heap (a Box)", heap.as_ptr() as u64),
        ("stack (a local)", &stack as *const u64 as u64),
    ];
    let walk0 = paging.walk_indices(VirtAddr(0));
    let mut lines = vec![format!(
        "This machine: pages of {ps} bytes, {} levels of 512-entry tables ({}), 8-byte \
         entries, 9 index bits per level.",
        walk0.len(),
        walk0
            .iter()
            .map(|l| l.level)
            .collect::<Vec<_>>()
            .join(" → ")
    )];
    let header: Vec<String> = walk0
        .iter()
        .map(|l| format!("{:>4} {:>2}-{:<2}", l.level, l.high_bit, l.low_bit))
        .collect();
    lines.push(format!(
        "  {:<22} {:<18}  {}  offset",
        "address of",
        "VA",
        header.join("  ")
    ));
    for (what, va) in addrs {
        let idx: Vec<String> = paging
            .walk_indices(VirtAddr(va))
            .iter()
            .map(|l| format!("{:>10}", l.index))
            .collect();
        lines.push(format!(
            "  {what:<22} 0x{va:016x}  {}  0x{:x}",
            idx.join("  "),
            va & (ps - 1)
        ));
    }
    drop(heap);

    let before = status_bytes(pid, "VmPTE")?;
    lines.push(format!(
        "VmPTE (this process's page-table memory, measured): {} KiB = {} table pages of \
         {ps} bytes. The simulated problem above has {} table pages of {} bytes.",
        before / 1024,
        before / ps,
        p.memory.table_frames.len(),
        p.memory.geometry.page_size
    ));
    // Touch one page in each of SPANS fresh 2 MiB spans (each needs its own lowest-level
    // table, by the simulator's rule) and measure VmPTE again.
    const SPANS: u64 = 16;
    let pt_span = 512 * ps;
    let len = (SPANS + 1) * pt_span;
    let map = AnonMap::new(len, MapFlags::MAP_NORESERVE)
        .map_err(|e| crate::error::Error::Child(format!("mmap of {len} bytes: {e}")))?;
    let _ = map.advise(map.addr(), len, MmapAdvise::MADV_NOHUGEPAGE);
    let first = map.addr().div_ceil(pt_span) * pt_span;
    for k in 0..SPANS {
        map.touch(first + k * pt_span, 1);
    }
    let after = status_bytes(pid, "VmPTE")?;
    drop(map);
    let grown = after.saturating_sub(before) / ps;
    lines.push(format!(
        "Touching one page in each of {SPANS} fresh 2 MiB spans: the simulator's rule \
         predicts {SPANS} new page tables (one per span) plus at most 2 directories above \
         them where missing; measured: VmPTE grew by {} KiB = {grown} table pages.",
        after.saturating_sub(before) / 1024
    ));
    lines.push(format!(
        "A linear table for the same {}-bit user address space would be 2^{} entries × {} \
         bytes = {} GiB, used or not (computed, not measured).",
        paging.user_bits(),
        paging.flat_table_entries_log2(),
        crate::addr::PTE_BYTES,
        paging.flat_table_bytes() >> 30
    ));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OSTEP's geometry: 32-byte pages, 128 frames, 1-byte entries, 32 KiB space.
    fn ostep() -> Geometry {
        Geometry::new(32, 4096, 2, None).unwrap()
    }

    #[test]
    fn default_geometry_is_ostep() {
        let g = ostep();
        assert_eq!(g.asize, 32 << 10);
        assert_eq!((g.entry_bytes, g.entries_per_page), (1, 32));
        assert_eq!((g.offset_bits, g.index_bits, g.top_bits), (5, 5, 5));
        assert_eq!(g.linear_bytes(), 1024);
        assert_eq!(
            layout(&g),
            "page directory index: bits 14-10 | page table index: bits 9-5 | offset: bits 4-0"
        );
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
        assert_eq!(m.table_frames, vec![2, 5]);
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
    fn generated_problems_walk_to_their_mapped_frames() {
        for levels in [2, 3] {
            let params = Params {
                levels,
                ..Params::default()
            };
            let p = generate(&params, 7).unwrap();
            assert_eq!(p.memory.mapped.len(), 64);
            for &(vpn, frame) in &p.memory.mapped {
                let w = p.memory.walk(vpn << p.memory.geometry.offset_bits);
                assert_eq!(w.pa, Some(frame * p.memory.geometry.page_size));
            }
            let frames: BTreeSet<u64> = p
                .memory
                .mapped
                .iter()
                .map(|m| m.1)
                .chain(p.memory.table_frames.iter().copied())
                .collect();
            assert_eq!(frames.len(), 64 + p.memory.table_frames.len());
            let e = build(&p, &params, 7);
            assert_eq!(e.questions.len(), 2 * 10 + 3);
        }
    }

    #[test]
    fn valid_percentages_zero_and_hundred() {
        for (valid, faults) in [(0, true), (100, false)] {
            let params = Params {
                valid,
                ..Params::default()
            };
            let p = generate(&params, 11).unwrap();
            assert!(p.walks.iter().all(|w| w.pa.is_none() == faults));
        }
        // Nothing allocated: every address faults, no division anywhere.
        let params = Params {
            allocated: 0,
            ..Params::default()
        };
        let p = generate(&params, 1).unwrap();
        assert!(p.walks.iter().all(|w| w.pa.is_none()));
        assert_eq!(p.memory.table_frames.len(), 1);
    }

    #[test]
    fn space_saved_is_signed() {
        let params = Params::default();
        let p = generate(&params, 3).unwrap();
        let e = build(&p, &params, 3);
        let tp = p.memory.table_frames.len() as i64;
        let q = &e.questions[e.questions.len() - 1];
        assert_eq!(q.answer, (1024 - 32 * tp).to_string());
        // Dense use of a tiny space: the directory is pure overhead.
        let params = Params {
            asize: Some("2k".into()),
            allocated: 64,
            ..Params::default()
        };
        let p = generate(&params, 3).unwrap();
        let e = build(&p, &params, 3);
        assert_eq!(e.questions.last().unwrap().answer, "-32");
        assert!(e.questions.last().unwrap().accepts("-32"));
    }

    #[test]
    fn same_seed_same_problem() {
        let params = Params::default();
        let a = build(&generate(&params, 5).unwrap(), &params, 5);
        let b = build(&generate(&params, 5).unwrap(), &params, 5);
        assert_eq!((a.problem, a.questions), (b.problem, b.questions));
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = [
            Params {
                pagesize: "48".into(),
                ..Params::default()
            },
            Params {
                levels: 4,
                ..Params::default()
            },
            Params {
                asize: Some("64k".into()),
                ..Params::default()
            },
            Params {
                asize: Some("512".into()),
                ..Params::default()
            },
            Params {
                physmem: "1m".into(),
                ..Params::default()
            },
            Params {
                allocated: 126,
                ..Params::default()
            },
            Params {
                allocated: 2000,
                ..Params::default()
            },
            Params {
                valid: 150,
                ..Params::default()
            },
            Params {
                addresses: vec!["0x8000".into()],
                ..Params::default()
            },
        ];
        for params in bad {
            match generate(&params, 0) {
                Err(crate::error::Error::Input(_)) => {}
                other => panic!("{params:?}: {:?}", other.map(|p| p.walks)),
            }
        }
    }
}
