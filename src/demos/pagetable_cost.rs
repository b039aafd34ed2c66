//! vm-pagetable-cost: what page tables cost.
//!
//! Theory: a page table is itself memory. On x86-64 a table is one 4 KiB page of 512
//! eight-byte entries, so the lowest table (the PT) maps 512 pages = 2 MiB, the table
//! above it (the PD) maps 512 x 2 MiB = 1 GiB, and so on. Memory used densely therefore
//! costs about 1/512 of its size in tables (4 KiB per 2 MiB). Memory used sparsely, one
//! page per 2 MiB, costs a whole table page per page touched: as much as the data. A
//! flat, one-level table would be far worse: a 48-bit address space has 2^36 pages of
//! 4 KiB, and 2^36 entries of 8 bytes are 512 GiB, for every process, used or not. That
//! is why tables have levels: a level below is only allocated where something is mapped.
//!
//! What we do: read `VmPTE` (the kernel's count of this process's page-table memory) in
//! /proc/self/status around (a) touching every page of 256 MiB and unmapping it, and
//! (b) reserving 64 GiB of address space with MAP_NORESERVE and touching one page per
//! 2 MiB of it. Both regions get MADV_NOHUGEPAGE, so that the kernel maps them with
//! 4 KiB pages whatever the transparent-huge-page setting.

use nix::sys::mman::{MapFlags, MmapAdvise};

use super::mem::AnonMap;
use super::{Lab, meminfo_bytes, setting, status_bytes, usage_at};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};

/// The densely used region.
const DENSE: u64 = 256 << 20;
/// The sparsely used region: address space only, reserved with MAP_NORESERVE.
const SPARSE: u64 = 64 << 30;
/// Bytes per page-table entry on x86-64 (and every 64-bit MMU Linux supports).
const ENTRY_BYTES: u64 = 8;
/// Table pages the process may allocate or free for its own needs (its heap and stack
/// growing or shrinking) between two readings of VmPTE, either way of the prediction.
const SLACK_TABLES: u64 = 2;

/// The page-table geometry that follows from the page size: entries per table, what
/// one lowest-level table maps, and what one table a level up maps.
struct Geometry {
    page: u64,
    entries: u64,
    pt_span: u64,
    pd_span: u64,
    pdpt_span: u64,
}

impl Geometry {
    fn new(page: u64) -> Geometry {
        let entries = page / ENTRY_BYTES;
        let pt_span = entries * page;
        Geometry {
            page,
            entries,
            pt_span,
            pd_span: entries * pt_span,
            pdpt_span: entries * entries * pt_span,
        }
    }

    /// Tables needed to map pages touched from `first` to `last` at a stride of at most
    /// one lowest-level span: lowest-level tables (one per span holding a touched
    /// page), and the tables above them, which may or may not exist already (they can
    /// be shared with neighbouring mappings). Arithmetic only: allocating here, between
    /// two readings of VmPTE, could itself grow the page tables.
    fn tables_for(&self, first: u64, last: u64) -> (u64, u64) {
        let spans = |span: u64| last / span - first / span + 1;
        (
            spans(self.pt_span),
            spans(self.pd_span) + spans(self.pdpt_span),
        )
    }
}

/// One line of the VmPTE table: the step, VmPTE now, its change, RssAnon now.
fn row(t: &mut Table, what: &str, now: u64, before: u64, rss: u64) {
    t.row(vec![
        what.into(),
        kib(now),
        signed_kib(now as i64 - before as i64),
        kib(rss),
    ]);
}

fn kib(bytes: u64) -> String {
    format!("{} KiB", group(bytes / 1024))
}

/// 131328 → "131,328".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed_kib(delta: i64) -> String {
    if delta < 0 {
        format!("-{}", kib(delta.unsigned_abs()))
    } else {
        format!("+{}", kib(delta as u64))
    }
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes;
    let mut u = 0;
    while v >= 1024 && v.is_multiple_of(1024) && u < UNITS.len() - 1 {
        v /= 1024;
        u += 1;
    }
    format!("{} {}", group(v), UNITS[u])
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "pagetable-cost",
        "what page tables cost",
        "Page tables are memory too: about 1/512 of the memory they map when it is used \
         densely, a whole table page per page when it is used sparsely, and only where \
         something is mapped, which is why tables have levels.",
    );
    let g = Geometry::new(lab.page_size());
    let me = std::process::id() as i32;
    let pte = || status_bytes(me, "VmPTE");
    let rss = || status_bytes(me, "RssAnon");
    e.say(format!(
        "Pages here are {} and a page-table entry is {ENTRY_BYTES} bytes, so one table page \
         holds {} entries: the lowest table maps {} and one table above it maps {}. The \
         kernel counts this process's page-table memory as VmPTE in /proc/self/status.",
        human(g.page),
        g.entries,
        human(g.pt_span),
        human(g.pd_span)
    ));
    let mut steps = Table::new(&["step", "VmPTE", "change", "RssAnon"]);

    // Read smaps once before measuring, so that the heap already has room for the
    // later readings: a heap that grows between two readings of VmPTE may need a page
    // table of its own.
    usage_at(me, &g as *const Geometry as u64).ok();

    // (a) Dense: every page of 256 MiB.
    let start = pte()?;
    row(&mut steps, "start", start, start, rss()?);
    let dense = AnonMap::new(DENSE, MapFlags::empty())
        .map_err(|err| Error::Child(format!("mmap of {}: {err}", human(DENSE))))?;
    dense.advise(dense.addr(), DENSE, MmapAdvise::MADV_NOHUGEPAGE)?;
    let dense_mapped = pte()?;
    let rss_mapped = rss()?;
    row(
        &mut steps,
        &format!("(a) mmap {}", human(DENSE)),
        dense_mapped,
        start,
        rss_mapped,
    );
    let (dense_pt, dense_upper) = g.tables_for(dense.addr(), dense.addr() + DENSE - g.page);
    for i in 0..DENSE / g.page {
        dense.touch(dense.addr() + i * g.page, 1);
    }
    let dense_touched = pte()?;
    let rss_touched = rss()?;
    let dense_huge = usage_at(me, dense.addr())?.anon_huge;
    row(
        &mut steps,
        "(a) write every page",
        dense_touched,
        dense_mapped,
        rss_touched,
    );
    let dense_va = dense.addr();
    drop(dense);
    let dense_freed = pte()?;
    row(&mut steps, "(a) munmap", dense_freed, dense_touched, rss()?);

    // (b) Sparse: one page per 2 MiB of 64 GiB.
    let before = pte()?;
    let sparse = AnonMap::new(SPARSE, MapFlags::MAP_NORESERVE);
    let sparse_result = match &sparse {
        Ok(map) => {
            map.advise(map.addr(), SPARSE, MmapAdvise::MADV_NOHUGEPAGE)?;
            let mapped = pte()?;
            let rss_before = rss()?;
            row(
                &mut steps,
                &format!("(b) mmap {} MAP_NORESERVE", human(SPARSE)),
                mapped,
                before,
                rss_before,
            );
            let touches = SPARSE / g.pt_span;
            let (pt, upper) = g.tables_for(map.addr(), map.addr() + (touches - 1) * g.pt_span);
            for i in 0..touches {
                map.touch(map.addr() + i * g.pt_span, 1);
            }
            let touched = pte()?;
            let rss_after = rss()?;
            let huge = usage_at(me, map.addr())?.anon_huge;
            row(
                &mut steps,
                &format!("(b) write one page per {}", human(g.pt_span)),
                touched,
                mapped,
                rss_after,
            );
            Some(Sparse {
                va: map.addr(),
                before,
                mapped,
                touched,
                rss_growth: rss_after.saturating_sub(rss_before),
                pt,
                upper,
                huge,
            })
        }
        Err(_) => None,
    };
    let sparse_refusal = match &sparse {
        Ok(_) => None,
        Err(err) => Some(refusal(*err)),
    };
    drop(sparse);
    let end = pte()?;
    if let Some(s) = &sparse_result {
        row(&mut steps, "(b) munmap", end, s.touched, rss()?);
    }
    e.show(
        format!(
            "(a) maps {} and writes every page; (b) reserves {} of address space and writes \
             one page in each {}. VmPTE after each step:",
            human(DENSE),
            human(SPARSE),
            human(g.pt_span)
        ),
        steps,
    );

    // What a flat table would cost.
    let va_bits = lab
        .inspector
        .paging
        .walk_indices(crate::addr::VirtAddr(0))
        .len() as u32
        * 9
        + lab.inspector.paging.page_shift;
    let flat_entries = 1u64 << (va_bits - lab.inspector.paging.page_shift);
    let flat_bytes = flat_entries.saturating_mul(ENTRY_BYTES);
    let mem_total = meminfo_bytes("MemTotal").ok();
    e.say(format!(
        "Why levels: a flat table for a {va_bits}-bit address space would need one entry per \
         page, 2^{} entries x {ENTRY_BYTES} bytes = {} for every process, allocated whether \
         or not anything is mapped. With levels, a lower table exists only where something \
         is mapped: this process started with VmPTE = {}. The price is paid by sparse use: \
         (b) needs a lowest-level table for every page it touches, as much memory as a flat \
         table for just those {} would.",
        va_bits - lab.inspector.paging.page_shift,
        human(flat_bytes),
        kib(start),
        human(SPARSE),
    ));

    let dense_growth = dense_touched as i64 - dense_mapped as i64;
    let dense_drop = dense_touched as i64 - dense_freed as i64;
    e.observe("page_size", g.page);
    e.observe("entries_per_table", g.entries);
    e.observe("dense_bytes", DENSE);
    e.observe("dense_va", format!("{dense_va:#x}"));
    e.observe("dense_vmpte_mapped", dense_mapped);
    e.observe("dense_vmpte_growth", dense_growth);
    e.observe("dense_vmpte_freed", dense_drop);
    e.observe("dense_rss_growth", rss_touched.saturating_sub(rss_mapped));
    e.observe("dense_predicted_tables", dense_pt);
    e.observe("dense_upper_tables", dense_upper);
    e.observe("dense_anon_huge", dense_huge);
    e.observe("vmpte_start", start);
    e.observe("vmpte_end", end);
    e.observe("sparse_bytes", SPARSE);
    e.observe("flat_table_bytes", flat_bytes);
    e.observe("va_bits", va_bits);
    e.observe("mem_total", mem_total);
    e.observe("slack_tables", SLACK_TABLES);
    if let Some(s) = &sparse_result {
        e.observe("sparse_va", format!("{:#x}", s.va));
        e.observe(
            "sparse_vmpte_mapped_growth",
            s.mapped as i64 - s.before as i64,
        );
        e.observe("sparse_vmpte_growth", s.touched as i64 - s.mapped as i64);
        e.observe("sparse_rss_growth", s.rss_growth);
        e.observe("sparse_touches", SPARSE / g.pt_span);
        e.observe("sparse_predicted_tables", s.pt);
        e.observe("sparse_upper_tables", s.upper);
        e.observe("sparse_anon_huge", s.huge);
    }

    // 1. Dense: size / 512.
    let page = g.page as i64;
    let within = |growth: i64, low: u64, upper: u64| {
        growth >= low as i64 * page - SLACK_TABLES as i64 * page
            && growth <= (low + upper + SLACK_TABLES) as i64 * page
    };
    e.claim(Claim::check(
        "touching every page of 256 MiB grows the page tables by about 1/512 of it",
        &format!(
            "{} lowest-level tables = {} (size/{}), plus up to {} tables above them, ± {} \
             for the demo's own heap and stack",
            dense_pt,
            kib(dense_pt * g.page),
            g.entries,
            dense_upper,
            SLACK_TABLES
        ),
        format!(
            "VmPTE {} for RssAnon +{}",
            signed_kib(dense_growth),
            kib(rss_touched.saturating_sub(rss_mapped))
        ),
        within(dense_growth, dense_pt, dense_upper) && dense_huge == 0,
    ));
    // 2. munmap frees them.
    e.claim(Claim::check(
        "unmapping the region frees its page tables",
        &format!(
            "VmPTE falls by the {} lowest-level tables (and up to {} above them), ± {}",
            dense_pt, dense_upper, SLACK_TABLES
        ),
        format!("VmPTE {}", signed_kib(-dense_drop)),
        within(dense_drop, dense_pt, dense_upper),
    ));

    // 3-5. Sparse.
    let why = sparse_refusal.as_deref().unwrap_or("");
    let reserve_theory = "VmPTE unchanged by mmap";
    let sparse_theory = match &sparse_result {
        Some(s) => format!(
            "{} lowest-level tables (one per touch) = {}, plus up to {} above them, ± {}",
            group(s.pt),
            kib(s.pt * g.page),
            s.upper,
            SLACK_TABLES
        ),
        None => "one lowest-level table per touch".into(),
    };
    e.claim(Claim::check_if(
        "reserving 64 GiB of address space costs no page tables",
        reserve_theory,
        sparse_result.as_ref(),
        |s| {
            let growth = s.mapped as i64 - s.before as i64;
            (
                format!("VmPTE {}", signed_kib(growth)),
                growth >= 0 && growth <= (SLACK_TABLES * g.page) as i64,
            )
        },
        why,
    ));
    e.claim(Claim::check_if(
        "touching one page per 2 MiB of 64 GiB costs one table page per touch",
        &sparse_theory,
        sparse_result.as_ref(),
        |s| {
            let growth = s.touched as i64 - s.mapped as i64;
            (
                format!(
                    "VmPTE {} = {} table pages for {} touches",
                    signed_kib(growth),
                    group(growth.max(0) as u64 / g.page),
                    group(SPARSE / g.pt_span)
                ),
                within(growth, s.pt, s.upper) && s.huge == 0,
            )
        },
        why,
    ));
    e.claim(Claim::check_if(
        "used that sparsely, the page tables take as much memory as the data",
        "VmPTE growth / RssAnon growth = 1, within 5%",
        sparse_result.as_ref(),
        |s| {
            let growth = s.touched.saturating_sub(s.mapped);
            let ratio = growth as f64 / s.rss_growth.max(1) as f64;
            (
                format!(
                    "tables +{} for data +{}: ratio {ratio:.3}",
                    kib(growth),
                    kib(s.rss_growth)
                ),
                (0.95..=1.05).contains(&ratio),
            )
        },
        why,
    ));

    // 6. Flat table.
    e.claim(Claim::check_if(
        "a flat one-level table for the whole address space would not fit in this machine's \
         RAM",
        &format!(
            "2^{} entries x {ENTRY_BYTES} bytes = {} per process",
            va_bits - lab.inspector.paging.page_shift,
            human(flat_bytes)
        ),
        mem_total,
        |&total| {
            (
                format!(
                    "MemTotal {}; this process's tables: VmPTE {} at the start",
                    kib(total),
                    kib(start)
                ),
                flat_bytes > total && start < flat_bytes,
            )
        },
        "/proc/meminfo has no MemTotal line",
    ));
    Ok(e)
}

struct Sparse {
    va: u64,
    before: u64,
    mapped: u64,
    touched: u64,
    rss_growth: u64,
    pt: u64,
    upper: u64,
    huge: u64,
}

/// Why the kernel refused the 64 GiB reservation, with the settings that decide it.
fn refusal(err: nix::Error) -> String {
    let overcommit = setting("/proc/sys/vm/overcommit_memory").unwrap_or_else(|| "?".into());
    let mut why = format!(
        "the kernel refused to reserve {} of address space ({err}); vm.overcommit_memory = \
         {overcommit}",
        human(SPARSE)
    );
    if overcommit == "2" {
        why.push_str(" (strict accounting ignores MAP_NORESERVE)");
    }
    if let Ok((soft, _)) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_AS)
        && soft != nix::sys::resource::RLIM_INFINITY
    {
        why.push_str(&format!(
            "; the address-space limit (ulimit -v) is {soft} bytes"
        ));
    }
    why
}
