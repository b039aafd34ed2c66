//! `vmlab sim paging`: a linear page table: translate virtual addresses with the valid
//! bits of a printed table, and size the table.
//!
//! The model is OSTEP's paging-linear-translate.py: an address space of `--asize`
//! bytes cut into pages of `--pagesize` bytes, one page-table entry per virtual page
//! (`--used` percent of them valid, each valid page in its own physical frame), and
//! `--numaddrs` virtual addresses to translate. An entry is `--pte-size` bytes: its
//! top bit is the valid bit and its low bits the physical frame number (PFN). A valid
//! page translates to `PA = PFN × page size + offset`; an invalid one faults.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::json;

use super::legacy::{Exercise, Question};
use super::{Rng, bad_param, power_of_two, size_param};
use crate::error::Result;

/// The most entries a printed page table may have (16 Ki lines is already a lot).
const MAX_ENTRIES: u64 = 1 << 14;
/// The most addresses one exercise translates.
const MAX_ADDRESSES: u64 = 10_000;

/// The parameters of `vmlab sim paging`.
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Params {
    /// Address-space size: a power of two (`16k`, `1m`, `0x4000`).
    #[arg(short = 'a', long = "asize", default_value = "16k")]
    pub asize: String,

    /// Physical memory size: a multiple of the page size, at least the address-space
    /// size (every valid page gets a frame of its own; there is no swap here).
    #[arg(short = 'p', long = "physmem", default_value = "64k")]
    pub physmem: String,

    /// Page size: a power of two.
    #[arg(short = 'P', long = "pagesize", default_value = "4k")]
    pub pagesize: String,

    /// How many virtual addresses to translate.
    #[arg(short = 'n', long = "numaddrs", default_value_t = 5)]
    pub numaddrs: u64,

    /// Percentage of virtual pages that are valid (mapped), 0 to 100.
    #[arg(short = 'u', long = "used", default_value_t = 50)]
    pub used: u64,

    /// Translate these virtual addresses instead of random ones (comma-separated;
    /// `-1` stands for a random address, as in OSTEP). Overrides --numaddrs.
    #[arg(
        short = 'A',
        long = "addresses",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub addresses: Vec<String>,

    /// Bytes per page-table entry (1, 2, 4 or 8): the entry's top bit is the valid
    /// bit, its low bits the PFN.
    #[arg(long = "pte-size", default_value_t = 4)]
    pub pte_size: u64,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

/// The checked sizes of a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Geometry {
    pub asize: u64,
    pub physmem: u64,
    pub page_size: u64,
    pub pte_size: u64,
    /// Bits of a virtual address, of its VPN, and of its offset.
    pub va_bits: u32,
    pub vpn_bits: u32,
    pub offset_bits: u32,
    pub pages: u64,
    pub frames: u64,
}

impl Geometry {
    /// Checks the sizes and derives the bit widths.
    pub fn new(asize: u64, physmem: u64, page_size: u64, pte_size: u64) -> Result<Geometry> {
        power_of_two("pagesize", page_size)?;
        power_of_two("asize", asize)?;
        if asize < page_size {
            return Err(bad_param(
                "asize",
                format!("{asize} bytes is less than one page of {page_size}"),
            ));
        }
        if physmem == 0 || !physmem.is_multiple_of(page_size) {
            return Err(bad_param(
                "physmem",
                format!("{physmem} is not a (non-zero) multiple of the page size {page_size}"),
            ));
        }
        if asize > physmem {
            return Err(bad_param(
                "asize",
                format!(
                    "the address space ({asize} bytes) is larger than physical memory \
                     ({physmem} bytes): in this simulator every valid page has a frame of \
                     its own and there is no swap; raise --physmem or lower --asize"
                ),
            ));
        }
        if ![1, 2, 4, 8].contains(&pte_size) {
            return Err(bad_param(
                "pte-size",
                format!("{pte_size} is not 1, 2, 4 or 8 bytes"),
            ));
        }
        let pages = asize / page_size;
        if pages > MAX_ENTRIES {
            return Err(bad_param(
                "asize",
                format!(
                    "the table would have {pages} entries to print (at most {MAX_ENTRIES}); \
                     use a larger --pagesize or a smaller --asize"
                ),
            ));
        }
        let frames = physmem / page_size;
        let pfn_bits = 8 * pte_size as u32 - 1;
        if pfn_bits < 64 && frames - 1 > (1u64 << pfn_bits) - 1 {
            return Err(bad_param(
                "pte-size",
                format!(
                    "a {pte_size}-byte entry holds a {pfn_bits}-bit PFN, too small for \
                     {frames} frames; raise --pte-size or lower --physmem"
                ),
            ));
        }
        let va_bits = asize.trailing_zeros();
        let offset_bits = page_size.trailing_zeros();
        Ok(Geometry {
            asize,
            physmem,
            page_size,
            pte_size,
            va_bits,
            vpn_bits: va_bits - offset_bits,
            offset_bits,
            pages,
            frames,
        })
    }

    /// The valid bit of an entry.
    pub fn valid_bit(&self) -> u64 {
        1u64 << (8 * self.pte_size - 1)
    }

    /// Hex digits to print a virtual address, a physical address, an entry.
    fn va_digits(&self) -> usize {
        digits(self.asize - 1)
    }

    fn pa_digits(&self) -> usize {
        digits(self.physmem - 1)
    }

    fn pte_digits(&self) -> usize {
        2 * self.pte_size as usize
    }

    /// The linear table's size in bytes.
    pub fn table_bytes(&self) -> u64 {
        self.pages * self.pte_size
    }
}

/// Hex digits needed for `max`, at least 4.
fn digits(max: u64) -> usize {
    (64 - max.leading_zeros()).div_ceil(4).max(4) as usize
}

/// One entry of the linear page table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub vpn: u64,
    pub valid: bool,
    pub pfn: Option<u64>,
    /// The entry as stored: valid bit on top, PFN below (0 when invalid).
    pub raw: u64,
}

/// A virtual address and what it translates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Translation {
    pub va: u64,
    pub vpn: u64,
    pub offset: u64,
    /// `None`: the page is invalid, the access faults.
    pub pa: Option<u64>,
}

/// A generated problem: the geometry, the table and the addresses.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub geometry: Geometry,
    pub table: Vec<Entry>,
    pub translations: Vec<Translation>,
}

/// Translates `va` through `table` by the definition: VPN = VA / page size, offset =
/// VA mod page size; the entry's valid bit decides; PA = PFN × page size + offset.
pub fn translate(g: &Geometry, table: &[Entry], va: u64) -> Translation {
    let vpn = va >> g.offset_bits;
    let offset = va & (g.page_size - 1);
    let pa = table
        .get(vpn as usize)
        .filter(|e| e.valid)
        .and_then(|e| e.pfn)
        .map(|pfn| (pfn << g.offset_bits) | offset);
    Translation {
        va,
        vpn,
        offset,
        pa,
    }
}

/// Builds the table from the valid page → frame map (`None` = invalid).
pub fn table_from(g: &Geometry, frames: &[Option<u64>]) -> Vec<Entry> {
    frames
        .iter()
        .enumerate()
        .map(|(vpn, pfn)| Entry {
            vpn: vpn as u64,
            valid: pfn.is_some(),
            pfn: *pfn,
            raw: pfn.map_or(0, |p| g.valid_bit() | p),
        })
        .collect()
}

/// Generates the problem for `params` and `seed`.
pub fn generate(params: &Params, seed: u64) -> Result<Problem> {
    let g = Geometry::new(
        size_param("asize", &params.asize)?,
        size_param("physmem", &params.physmem)?,
        size_param("pagesize", &params.pagesize)?,
        params.pte_size,
    )?;
    super::percent("used", params.used)?;
    if params.numaddrs > MAX_ADDRESSES {
        return Err(bad_param(
            "numaddrs",
            format!(
                "{} addresses is too many (at most {MAX_ADDRESSES})",
                params.numaddrs
            ),
        ));
    }
    if params.addresses.len() as u64 > MAX_ADDRESSES {
        return Err(bad_param(
            "addresses",
            format!("too many addresses (at most {MAX_ADDRESSES})"),
        ));
    }
    // Parse the given addresses before drawing anything, so errors come first.
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
                    "{text} is outside the address space (0 to {:#x}, --asize {})",
                    g.asize - 1,
                    g.asize
                ),
            ));
        }
        given.push(Some(va));
    }
    let mut rng = Rng::new(seed);
    let valid: Vec<bool> = (0..g.pages).map(|_| rng.chance(params.used)).collect();
    // Distinct frames, drawn at random; there are at least as many frames as pages.
    let mut taken = BTreeSet::new();
    let frames: Vec<Option<u64>> = valid
        .iter()
        .map(|&v| {
            v.then(|| {
                loop {
                    let f = rng.below(g.frames);
                    if taken.insert(f) {
                        break f;
                    }
                }
            })
        })
        .collect();
    let table = table_from(&g, &frames);
    let vas: Vec<u64> = if given.is_empty() {
        (0..params.numaddrs).map(|_| rng.below(g.asize)).collect()
    } else {
        given
            .iter()
            .map(|v| v.unwrap_or_else(|| rng.below(g.asize)))
            .collect()
    };
    let translations = vas.iter().map(|&va| translate(&g, &table, va)).collect();
    Ok(Problem {
        geometry: g,
        table,
        translations,
    })
}

/// The exercise for `params` and `seed`; with `real`, the part measured on this machine.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let p = generate(params, seed)?;
    let mut e = build(&p, params, seed);
    if real {
        e.real = real_part(seed);
    }
    Ok(e)
}

/// The exercise text, questions and worked solution of a problem.
pub fn build(p: &Problem, params: &Params, seed: u64) -> Exercise {
    let g = &p.geometry;
    let (vw, pw, ew) = (g.va_digits(), g.pa_digits(), g.pte_digits());
    let mut problem = vec![
        format!(
            "Address space {} bytes, physical memory {} bytes, pages of {} bytes.",
            g.asize, g.physmem, g.page_size
        ),
        format!(
            "Page-table entries are {} bytes: the top bit (0x{:0ew$x}) is the valid bit, \
             the low bits are the PFN.",
            g.pte_size,
            g.valid_bit()
        ),
        String::new(),
        format!(
            "Page table (linear, {} entries, VPN 0 to {}):",
            g.pages,
            g.pages - 1
        ),
    ];
    let cell = |e: &Entry| format!("[{:>5}] 0x{:0ew$x}", e.vpn, e.raw);
    let per_line = if g.pages > 32 { 4 } else { 1 };
    for chunk in p.table.chunks(per_line) {
        let cells: Vec<String> = chunk.iter().map(cell).collect();
        problem.push(format!("  {}", cells.join("    ")));
    }
    problem.push(String::new());
    problem.push("Virtual addresses to translate (to a physical address, or fault):".into());
    for (i, t) in p.translations.iter().enumerate() {
        problem.push(format!("  VA {:>2}: 0x{:0vw$x} ({})", i + 1, t.va, t.va));
    }

    let mut questions = vec![
        Question::new(
            1,
            "How many bits of a virtual address are the offset?",
            g.offset_bits.to_string(),
        ),
        Question::new(
            2,
            "How many bits of a virtual address are the VPN?",
            g.vpn_bits.to_string(),
        ),
        Question::new(
            3,
            "How many entries does the linear page table have?",
            g.pages.to_string(),
        ),
        Question::new(
            4,
            format!(
                "How many bytes does the page table take ({}-byte entries)?",
                g.pte_size
            ),
            g.table_bytes().to_string(),
        ),
    ];
    for t in &p.translations {
        let id = questions.len() + 1;
        let q = Question::new(
            id,
            format!("VA 0x{:0vw$x}: physical address, or fault?", t.va),
            match t.pa {
                Some(pa) => format!("0x{pa:0pw$x}"),
                None => "fault".into(),
            },
        );
        let q = if t.pa.is_none() {
            q.or(&[
                "invalid",
                "segfault",
                "seg fault",
                "segmentation fault",
                "page fault",
                "fault (invalid)",
            ])
        } else {
            q
        };
        questions.push(q);
    }

    let mut solution = vec![
        format!(
            "The offset picks a byte inside a page: page size {} = 2^{}, so {} offset bits \
             (mask 0x{:x}).",
            g.page_size,
            g.offset_bits,
            g.offset_bits,
            g.page_size - 1
        ),
        format!(
            "A virtual address has log2({}) = {} bits; the VPN is the rest: {} - {} = {} bits.",
            g.asize, g.va_bits, g.va_bits, g.offset_bits, g.vpn_bits
        ),
        format!(
            "A linear table has one entry per virtual page: 2^{} = {} entries, \
             × {} bytes = {} bytes.",
            g.vpn_bits,
            g.pages,
            g.pte_size,
            g.table_bytes()
        ),
        String::new(),
        "Each address: VPN = VA >> offset bits, offset = VA & mask; read entry [VPN]; if its \
         valid bit is 0 the access faults, else PA = PFN × page size + offset."
            .into(),
    ];
    for t in &p.translations {
        let e = &p.table[t.vpn as usize];
        solution.push(format!(
            "  VA 0x{:0vw$x}: VPN = 0x{:x} >> {} = {} (0x{:x}), offset = 0x{:x}",
            t.va, t.va, g.offset_bits, t.vpn, t.vpn, t.offset
        ));
        match (t.pa, e.pfn) {
            (Some(pa), Some(pfn)) => {
                solution.push(format!(
                    "      entry [{}] = 0x{:0ew$x}: valid bit 1, PFN 0x{:x} ({})",
                    t.vpn, e.raw, pfn, pfn
                ));
                solution.push(format!(
                    "      PA = 0x{:x} × 0x{:x} + 0x{:x} = 0x{:0pw$x} ({})",
                    pfn, g.page_size, t.offset, pa, pa
                ));
            }
            _ => {
                solution.push(format!(
                    "      entry [{}] = 0x{:0ew$x}: valid bit 0 → fault (the page is not \
                     mapped; the OS raises a segmentation fault)",
                    t.vpn, e.raw
                ));
            }
        }
    }
    let valid = p.table.iter().filter(|e| e.valid).count();
    solution.push(String::new());
    solution.push(format!(
        "{valid} of {} pages are valid; the table still takes {} bytes, for invalid pages \
         too: that waste is what multi-level tables avoid (vmlab sim multilevel).",
        g.pages,
        g.table_bytes()
    ));

    let translations: Vec<serde_json::Value> = p
        .translations
        .iter()
        .map(|t| {
            json!({
                "va": format!("0x{:x}", t.va),
                "vpn": t.vpn,
                "offset": format!("0x{:x}", t.offset),
                "valid": t.pa.is_some(),
                "pa": t.pa.map(|pa| format!("0x{pa:x}")),
            })
        })
        .collect();
    let table: Vec<serde_json::Value> = p
        .table
        .iter()
        .map(|e| {
            json!({
                "vpn": e.vpn,
                "valid": e.valid,
                "pfn": e.pfn,
                "pte": format!("0x{:x}", e.raw),
            })
        })
        .collect();
    Exercise {
        simulator: "paging".into(),
        seed,
        params: serde_json::to_value(params).unwrap_or_default(),
        problem,
        questions,
        solution,
        real: Vec::new(),
        data: json!({
            "geometry": g,
            "table_bytes": g.table_bytes(),
            "valid_pages": valid,
            "table": table,
            "translations": translations,
        }),
    }
}

/// `--real`: a buffer of vmlab's own, some pages written and some never touched,
/// translated with the kernel's pagemap beside the simulator's rule.
fn real_part(seed: u64) -> Vec<String> {
    match real_lines(seed) {
        Ok(lines) => lines,
        Err(e) => vec![format!("Could not measure on this machine: {e}")],
    }
}

fn real_lines(seed: u64) -> Result<Vec<String>> {
    use crate::addr::{Paging, PagingLevels};
    use crate::anon::AnonMap;
    use crate::pagemap::Pagemap;
    use nix::sys::mman::{MapFlags, MmapAdvise};

    const PAGES: u64 = 4;
    let paging = Paging::detect();
    let ps = paging.page_size;
    let map = AnonMap::new(PAGES * ps, MapFlags::empty())
        .map_err(|e| crate::error::Error::Child(format!("mmap of {PAGES} pages: {e}")))?;
    // Small pages whatever the THP setting; refused only where THP is compiled out,
    // and then the pages are small anyway.
    let _ = map.advise(map.addr(), PAGES * ps, MmapAdvise::MADV_NOHUGEPAGE);
    for page in [0, 2] {
        map.touch(map.addr() + page * ps, 0x5a);
    }
    let pagemap = Pagemap::open(std::process::id() as i32)?;
    let mut rng = Rng::new(seed);
    let mut lines = vec![
        format!(
            "A buffer of vmlab's own: {PAGES} pages of {ps} bytes at 0x{:x}; pages 0 and 2 \
             written, pages 1 and 3 never touched. Each row: an address in it, split by the \
             simulator's rule, and the kernel's page-table entry for it (/proc/self/pagemap).",
            map.addr()
        ),
        format!(
            "  {:<18}  {:<13}  {:<6}  {:<8}  {:<10}  {}",
            "VA", "VPN", "offset", "present", "PFN", "PA = PFN × page size + offset"
        ),
    ];
    let mut hidden = false;
    for page in 0..PAGES {
        let va = map.addr() + page * ps + rng.below(ps);
        let vpn = va >> paging.page_shift;
        let offset = va & (ps - 1);
        let entry = pagemap.entry(vpn)?;
        let (present, pfn, pa) = match entry {
            Some(e) if e.present() && e.raw_pfn() != 0 => {
                let pfn = e.raw_pfn();
                (
                    "yes",
                    format!("0x{pfn:x}"),
                    format!("0x{:x}", (pfn << paging.page_shift) | offset),
                )
            }
            Some(e) if e.present() => {
                hidden = true;
                ("yes", "hidden".into(), "(PFN hidden)".into())
            }
            _ => (
                "no",
                "-".into(),
                "no frame yet: an access would fault, and the kernel would give one".into(),
            ),
        };
        lines.push(format!(
            "  0x{va:016x}  0x{vpn:<11x}  0x{offset:<4x}  {present:<8}  {pfn:<10}  {pa}"
        ));
    }
    if hidden {
        lines.push(
            "  The kernel hides frame numbers from processes without CAP_SYS_ADMIN; run \
             with sudo to see them (vmlab never prints a fake 0)."
                .into(),
        );
    }
    let name = match paging.levels {
        PagingLevels::Four => "4",
        PagingLevels::Five => "5",
    };
    lines.push(format!(
        "What a linear table would cost here (computed from this machine's page size and \
         address width, not measured): user space is 2^{} bytes in pages of {ps} bytes, \
         so one {}-byte entry per page makes 2^{} = {} entries, {} GiB for every \
         process. That is why x86-64 walks a {name}-level table instead (vmlab sim \
         multilevel --real).",
        paging.user_bits(),
        crate::addr::PTE_BYTES,
        paging.flat_table_entries_log2(),
        paging.flat_table_entries(),
        paging.flat_table_bytes() >> 30
    ));
    drop(map);
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic: 16 KiB address space, 4 KiB pages, 64 KiB of RAM; pages 0 and 3
    /// valid in frames 0xc and 0x5.
    fn classic() -> (Geometry, Vec<Entry>) {
        let g = Geometry::new(16 << 10, 64 << 10, 4 << 10, 4).unwrap();
        let t = table_from(&g, &[Some(0xc), None, None, Some(0x5)]);
        (g, t)
    }

    #[test]
    fn geometry_from_the_definitions() {
        let (g, t) = classic();
        assert_eq!((g.va_bits, g.vpn_bits, g.offset_bits), (14, 2, 12));
        assert_eq!((g.pages, g.frames, g.table_bytes()), (4, 16, 16));
        assert_eq!(t[0].raw, 0x8000_000c);
        assert_eq!(t[1].raw, 0);
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
        assert_eq!(translate(&g, &t, 0x3229).pa, Some(0x5229));
    }

    #[test]
    fn zero_and_full_usage_need_no_division() {
        for (used, valid) in [(0, 0), (100, 4)] {
            let params = Params {
                used,
                ..Params::default()
            };
            let p = generate(&params, 3).unwrap();
            assert_eq!(p.table.iter().filter(|e| e.valid).count(), valid);
            let e = build(&p, &params, 3);
            if used == 0 {
                assert!(e.questions[4..].iter().all(|q| q.answer == "fault"));
            }
        }
    }

    #[test]
    fn frames_are_distinct_and_inside_memory() {
        let params = Params {
            asize: "64k".into(),
            physmem: "64k".into(),
            pagesize: "1k".into(),
            used: 100,
            ..Params::default()
        };
        let p = generate(&params, 9).unwrap();
        let frames: BTreeSet<u64> = p.table.iter().filter_map(|e| e.pfn).collect();
        assert_eq!(frames.len(), 64);
        assert!(frames.iter().all(|&f| f < 64));
    }

    #[test]
    fn same_seed_same_problem() {
        let params = Params::default();
        let a = build(&generate(&params, 42).unwrap(), &params, 42);
        let b = build(&generate(&params, 42).unwrap(), &params, 42);
        assert_eq!(a.problem, b.problem);
        assert_eq!(a.questions, b.questions);
        let c = build(&generate(&params, 43).unwrap(), &params, 43);
        assert_ne!(a.problem, c.problem);
    }

    #[test]
    fn given_addresses_are_used_and_checked() {
        let params = Params {
            addresses: vec!["0x3fff".into(), "-1".into(), "0".into()],
            ..Params::default()
        };
        let p = generate(&params, 1).unwrap();
        assert_eq!(p.translations.len(), 3);
        assert_eq!(p.translations[0].va, 0x3fff);
        assert_eq!(p.translations[2].va, 0);
        let params = Params {
            addresses: vec!["0x4000".into()],
            ..Params::default()
        };
        assert!(generate(&params, 1).is_err());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = [
            Params {
                pagesize: "3000".into(),
                ..Params::default()
            },
            Params {
                asize: "128k".into(),
                ..Params::default()
            },
            Params {
                asize: "12k".into(),
                ..Params::default()
            },
            Params {
                physmem: "10000".into(),
                ..Params::default()
            },
            Params {
                used: 101,
                ..Params::default()
            },
            Params {
                pte_size: 3,
                ..Params::default()
            },
            Params {
                pte_size: 1,
                physmem: "1m".into(),
                ..Params::default()
            },
            Params {
                asize: "1g".into(),
                physmem: "1g".into(),
                ..Params::default()
            },
            Params {
                asize: "lots".into(),
                ..Params::default()
            },
        ];
        for params in bad {
            match generate(&params, 0) {
                Err(crate::error::Error::Input(_)) => {}
                other => panic!("{params:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_solution_explains_faults_and_translations() {
        let (g, table) = classic();
        let translations = vec![translate(&g, &table, 0x3229), translate(&g, &table, 0x1000)];
        let p = Problem {
            geometry: g,
            table,
            translations,
        };
        let e = build(&p, &Params::default(), 0);
        assert_eq!(e.questions[4].answer, "0x5229");
        assert!(e.questions[4].accepts("21033"));
        assert!(e.questions[5].accepts("segfault"));
        let text = e.solution.join("\n");
        assert!(text.contains("valid bit 0 → fault"), "{text}");
        assert!(
            text.contains("PA = 0x5 × 0x1000 + 0x229 = 0x5229"),
            "{text}"
        );
    }
}
