//! vm-pagetable-cost: what page tables cost.
//!
//! Theory: a page table is itself memory. On x86-64 a table is one 4 KiB page of 512
//! eight-byte entries, so the lowest table (the PT) maps 512 pages = 2 MiB, the table
//! above it (the PD) maps 512 x 2 MiB = 1 GiB, and so on. Memory used densely therefore
//! costs about 1/512 of its size in tables (4 KiB per 2 MiB). Memory used sparsely, one
//! page per 2 MiB, costs a whole table page per page touched: as much as the data. A
//! flat, one-level table would be far worse: user space is 2^47 bytes (with four
//! levels), 2^35 pages of 4 KiB, and 2^35 entries of 8 bytes are 256 GiB, for every
//! process, used or not ([`Paging::flat_table_bytes`]). That is why tables have levels:
//! a level below is only allocated where something is mapped.
//!
//! What we do: read `VmPTE` (the kernel's count of this process's page-table memory) in
//! /proc/self/status around (a) touching every page of 256 MiB and unmapping it, and
//! (b) reserving 64 GiB of address space with MAP_NORESERVE and touching one page per
//! 2 MiB of it. Both regions get MADV_NOHUGEPAGE, so that the kernel maps them with
//! 4 KiB pages whatever the transparent-huge-page setting.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the record
//! alone.

use nix::sys::mman::{MapFlags, MmapAdvise};
use serde::{Deserialize, Serialize};

use super::mem::AnonMap;
use super::{Lab, meminfo_bytes, setting, status_bytes, usage_at};
use crate::addr::{PTE_BYTES, Paging, VirtAddr};
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Experiment, Step, Table};
use crate::{claim, tr};

/// The densely used region.
pub const DENSE: u64 = 256 << 20;
/// The sparsely used region: address space only, reserved with MAP_NORESERVE.
pub const SPARSE: u64 = 64 << 30;
/// Table pages the process may allocate or free for its own needs (its heap and stack
/// growing or shrinking) between two readings of VmPTE, either way of the prediction.
const SLACK_TABLES: u64 = 2;
/// How far the sparse tables-to-data ratio may stray from 1: RssAnon also counts the
/// few heap and stack pages the demo itself touches (a few KiB against 128 MiB here).
const RATIO_TOLERANCE: f64 = 0.05;

/// Everything vm-pagetable-cost saw: the paging geometry, VmPTE and RssAnon around
/// each step of both runs, and the machine's RAM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Page size and levels: the geometry the predictions follow from.
    pub paging: Paging,
    pub slack_tables: u64,
    /// Before anything is mapped.
    pub start: Reading,
    /// (a) Every page of [`DENSE`] bytes; missing if the kernel refused the mapping.
    pub dense: Evidence<Run>,
    /// (b) One page per lowest-level span of [`SPARSE`] bytes of address space;
    /// missing, with the kernel's reason, if it refused the reservation.
    pub sparse: Evidence<Run>,
    /// After both regions are unmapped.
    pub end: Reading,
    /// `MemTotal` of /proc/meminfo.
    pub mem_total: Evidence<u64>,
}

/// Two fields of /proc/self/status read together, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// The process's page-table memory.
    pub vm_pte: u64,
    /// Its resident anonymous memory: the data.
    pub rss_anon: u64,
}

/// One region: mapped, written at a stride, unmapped; VmPTE around each step, and
/// the tables theory predicts for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub va: VirtAddr,
    pub bytes: u64,
    /// Bytes between two written pages: one page (dense) or what one lowest-level
    /// table maps (sparse).
    pub stride: u64,
    /// Pages written.
    pub touches: u64,
    pub before: Reading,
    pub mapped: Reading,
    pub touched: Reading,
    pub unmapped: Reading,
    /// Lowest-level tables the written pages need: one per span holding one.
    pub predicted_tables: u64,
    /// Tables above them that may be needed too (they may exist already, shared
    /// with neighbouring mappings).
    pub upper_tables: u64,
    /// smaps `AnonHugePages` of the region after the writes: 0 if its pages are
    /// 4 KiB, as the predictions assume.
    pub anon_huge: u64,
}

impl Run {
    /// VmPTE growth from mmap alone, from the writes, and the drop at munmap.
    fn reserve_growth(&self) -> i64 {
        self.mapped.vm_pte as i64 - self.before.vm_pte as i64
    }
    fn touch_growth(&self) -> i64 {
        self.touched.vm_pte as i64 - self.mapped.vm_pte as i64
    }
    fn freed(&self) -> i64 {
        self.touched.vm_pte as i64 - self.unmapped.vm_pte as i64
    }
    fn rss_growth(&self) -> u64 {
        self.touched.rss_anon.saturating_sub(self.mapped.rss_anon)
    }
}

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
    fn new(paging: &Paging) -> Geometry {
        let page = paging.page_size;
        let entries = page / PTE_BYTES;
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
    /// page), and the tables above them, which may or may not exist already. Arithmetic
    /// only: allocating here, between two readings of VmPTE, could itself grow the
    /// page tables.
    fn tables_for(&self, first: u64, last: u64) -> (u64, u64) {
        let spans = |span: u64| last / span - first / span + 1;
        (
            spans(self.pt_span),
            spans(self.pd_span) + spans(self.pdpt_span),
        )
    }
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment(
            "pagetable-cost",
            tr!("pagetable-cost-title"),
            tr!("pagetable-cost-about"),
        )
        .with(narrate(&o), judge(&o), &o))
}

/// Reads VmPTE around the dense run, then the sparse one.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let paging = lab.inspector.paging;
    let g = Geometry::new(&paging);
    // Read smaps once before measuring, so that the heap already has room for the
    // later readings: a heap that grows between two readings of VmPTE may need a page
    // table of its own.
    usage_at(me(), &g as *const Geometry as u64).ok();
    let start = reading()?;
    let dense = measure(&g, DENSE, MapFlags::empty(), g.page)?;
    let sparse = measure(&g, SPARSE, MapFlags::MAP_NORESERVE, g.pt_span)?;
    let end = reading()?;
    let mem_total = Evidence::from_option(meminfo_bytes("MemTotal").ok(), || {
        tr!("pagetable-cost-no-memtotal")
    });
    Ok(Observation {
        paging,
        slack_tables: SLACK_TABLES,
        start,
        dense,
        sparse,
        end,
        mem_total,
    })
}

fn me() -> i32 {
    std::process::id() as i32
}

/// VmPTE and RssAnon of this process, now.
fn reading() -> Result<Reading> {
    Ok(Reading {
        vm_pte: status_bytes(me(), "VmPTE")?,
        rss_anon: status_bytes(me(), "RssAnon")?,
    })
}

/// Maps `bytes` (with `extra` flags), writes one page every `stride` bytes, unmaps, and
/// reads VmPTE around each step. Missing, with the kernel's reason, if it refuses the
/// mapping.
fn measure(g: &Geometry, bytes: u64, extra: MapFlags, stride: u64) -> Result<Evidence<Run>> {
    let before = reading()?;
    let map = match AnonMap::new(bytes, extra) {
        Ok(map) => map,
        Err(err) => return Ok(Evidence::missing(refusal(err, bytes))),
    };
    // 4 KiB pages whatever the THP setting; refused only where THP is compiled out,
    // and then the pages are small anyway (AnonHugePages, read below, tells).
    let _ = map.advise(map.addr(), bytes, MmapAdvise::MADV_NOHUGEPAGE);
    let mapped = reading()?;
    let touches = bytes / stride;
    let last = map.addr() + (touches - 1) * stride;
    let (predicted_tables, upper_tables) = g.tables_for(map.addr(), last);
    for i in 0..touches {
        map.touch(map.addr() + i * stride, 1);
    }
    let touched = reading()?;
    let anon_huge = usage_at(me(), map.addr())?.anon_huge;
    let va = VirtAddr(map.addr());
    drop(map);
    Ok(Evidence::Seen(Run {
        va,
        bytes,
        stride,
        touches,
        before,
        mapped,
        touched,
        unmapped: reading()?,
        predicted_tables,
        upper_tables,
        anon_huge,
    }))
}

/// Why the kernel refused to map `bytes`, with the settings that decide it.
fn refusal(err: nix::Error, bytes: u64) -> String {
    use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit};
    let overcommit = setting("/proc/sys/vm/overcommit_memory").unwrap_or_else(|| "?".into());
    let mut why = tr!(
        "pagetable-cost-refused",
        size = size(bytes),
        error = err.to_string(),
        overcommit = overcommit.as_str()
    );
    if overcommit == "2" {
        why.push_str(&tr!("pagetable-cost-refused-strict"));
    }
    if let Ok((soft, _)) = getrlimit(Resource::RLIMIT_AS)
        && soft != RLIM_INFINITY
    {
        why.push_str(&tr!("pagetable-cost-refused-limit", limit = size(soft)));
    }
    why
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let g = Geometry::new(&o.paging);
    let mut steps = vec![
        Step::say(tr!(
            "pagetable-cost-step-geometry",
            page = size(g.page),
            entry = PTE_BYTES,
            entries = g.entries,
            pt_span = size(g.pt_span),
            pd_span = size(g.pd_span)
        ))
        .with_terms(&["term-pte", "term-multilevel"]),
        Step::show(
            tr!(
                "pagetable-cost-step-runs",
                dense = size(DENSE),
                sparse = size(SPARSE),
                span = size(g.pt_span)
            ),
            readings_table(o),
        ),
    ];
    for (part, run) in [("a", &o.dense), ("b", &o.sparse)] {
        if let Some(reason) = run.reason() {
            steps.push(Step::say(tr!(
                "pagetable-cost-step-refused",
                part = part,
                reason = reason
            )));
        }
    }
    steps.push(Step::say(tr!(
        "pagetable-cost-step-levels",
        bits = o.paging.user_bits(),
        log2 = o.paging.flat_table_entries_log2(),
        entry = PTE_BYTES,
        flat = size(o.paging.flat_table_bytes()),
        start = kib(o.start.vm_pte),
        sparse = size(SPARSE),
        sparse_flat = size(SPARSE / g.page * PTE_BYTES)
    )));
    steps
}

/// VmPTE and RssAnon after each step, with the change from the step before.
fn readings_table(o: &Observation) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("pagetable-cost-header-step"),
        "VmPTE".into(),
        tr!("pagetable-cost-header-change"),
        "RssAnon".into(),
    ]);
    let mut rows = vec![(tr!("pagetable-cost-row-start"), o.start)];
    // Dense writes every page; sparse, one page per lowest-level span.
    let writes = |part: &str, r: &Run| {
        if r.stride == o.paging.page_size {
            tr!("pagetable-cost-row-write-all", part = part)
        } else {
            tr!(
                "pagetable-cost-row-write",
                part = part,
                stride = size(r.stride)
            )
        }
    };
    for (part, run) in [("a", &o.dense), ("b", &o.sparse)] {
        if let Some(r) = run.seen() {
            rows.extend([
                (
                    tr!("pagetable-cost-row-mmap", part = part, size = size(r.bytes)),
                    r.mapped,
                ),
                (writes(part, r), r.touched),
                (tr!("pagetable-cost-row-munmap", part = part), r.unmapped),
            ]);
        }
    }
    let mut before = o.start.vm_pte;
    for (what, now) in rows {
        t.row(vec![
            what,
            kib(now.vm_pte),
            signed_kib(now.vm_pte as i64 - before as i64),
            kib(now.rss_anon),
        ]);
        before = now.vm_pte;
    }
    t
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        dense_tables(o),
        munmap_frees(o),
        reserve_free(o),
        sparse_tables(o),
        sparse_as_much_as_data(o),
        flat_table(o),
        flat_exceeds_ram(o),
    ]
}

/// Whether a VmPTE change of `growth` bytes is `low` tables, plus up to `upper` above
/// them, give or take the slack.
fn within(o: &Observation, growth: i64, low: u64, upper: u64) -> bool {
    let page = o.paging.page_size as i64;
    let slack = o.slack_tables as i64;
    growth >= (low as i64 - slack) * page && growth <= (low + upper) as i64 * page + slack * page
}

/// The lowest-level tables theory predicts for a run, and the tables above them: the
/// run's own count, or from its size when the kernel refused it.
fn predicted(o: &Observation, run: &Evidence<Run>, bytes: u64, stride: u64) -> (u64, u64) {
    let g = Geometry::new(&o.paging);
    match run.seen() {
        Some(r) => (r.predicted_tables, r.upper_tables),
        None => g.tables_for(0, bytes - stride),
    }
}

fn dense_tables(o: &Observation) -> Claim {
    let g = Geometry::new(&o.paging);
    let (tables, upper) = predicted(o, &o.dense, DENSE, g.page);
    claim!(
        "pagetable-cost-dense",
        size = size(DENSE),
        entries = g.entries,
        tables = tables,
        bytes = kib(tables * g.page),
        upper = upper,
        slack = o.slack_tables
    )
    .on(o.dense.clone(), |r| {
        let kernel = tr!(
            "pagetable-cost-dense-seen",
            growth = signed_kib(r.touch_growth()),
            rss = kib(r.rss_growth()),
            huge = kib(r.anon_huge)
        );
        let holds = within(o, r.touch_growth(), tables, upper) && r.anon_huge == 0;
        (kernel, holds)
    })
}

fn munmap_frees(o: &Observation) -> Claim {
    let g = Geometry::new(&o.paging);
    let (tables, upper) = predicted(o, &o.dense, DENSE, g.page);
    claim!(
        "pagetable-cost-munmap",
        tables = tables,
        upper = upper,
        slack = o.slack_tables
    )
    .on(o.dense.clone(), |r| {
        let kernel = tr!("pagetable-cost-vmpte", change = signed_kib(-r.freed()));
        (kernel, within(o, r.freed(), tables, upper))
    })
}

fn reserve_free(o: &Observation) -> Claim {
    let slack = (o.slack_tables * o.paging.page_size) as i64;
    claim!(
        "pagetable-cost-reserve",
        size = size(SPARSE),
        slack = o.slack_tables
    )
    .on(o.sparse.clone(), |r| {
        let growth = r.reserve_growth();
        let kernel = tr!("pagetable-cost-vmpte", change = signed_kib(growth));
        (kernel, (0..=slack).contains(&growth))
    })
}

fn sparse_tables(o: &Observation) -> Claim {
    let g = Geometry::new(&o.paging);
    let (tables, upper) = predicted(o, &o.sparse, SPARSE, g.pt_span);
    claim!(
        "pagetable-cost-sparse",
        span = size(g.pt_span),
        size = size(SPARSE),
        tables = group(tables),
        bytes = kib(tables * g.page),
        upper = upper,
        slack = o.slack_tables
    )
    .on(o.sparse.clone(), |r| {
        let growth = r.touch_growth();
        let kernel = tr!(
            "pagetable-cost-sparse-seen",
            growth = signed_kib(growth),
            pages = group(growth.max(0) as u64 / g.page),
            touches = group(r.touches),
            huge = kib(r.anon_huge)
        );
        (kernel, within(o, growth, tables, upper) && r.anon_huge == 0)
    })
}

fn sparse_as_much_as_data(o: &Observation) -> Claim {
    let tolerance = format!("{:.0}", RATIO_TOLERANCE * 100.0);
    claim!("pagetable-cost-as-data", tolerance = tolerance).on(o.sparse.clone(), |r| {
        let growth = r.touch_growth().max(0) as u64;
        let ratio = growth as f64 / r.rss_growth().max(1) as f64;
        let kernel = tr!(
            "pagetable-cost-as-data-seen",
            tables = kib(growth),
            data = kib(r.rss_growth()),
            ratio = format!("{ratio:.3}")
        );
        (kernel, (ratio - 1.0).abs() <= RATIO_TOLERANCE)
    })
}

/// Theory's arithmetic: the flat table's size, the same function `sim paging --real`
/// and `sim multilevel --real` print.
fn flat_table(o: &Observation) -> Claim {
    let p = &o.paging;
    claim!(
        "pagetable-cost-flat",
        bits = p.user_bits(),
        page = size(p.page_size),
        log2 = p.flat_table_entries_log2()
    )
    .computed(tr!(
        "pagetable-cost-flat-arithmetic",
        log2 = p.flat_table_entries_log2(),
        entry = PTE_BYTES,
        flat = size(p.flat_table_bytes())
    ))
}

/// The flat table against the RAM the kernel reports: that comparison the kernel
/// decides (a machine with more RAM than the table would contradict it).
fn flat_exceeds_ram(o: &Observation) -> Claim {
    let flat = o.paging.flat_table_bytes();
    claim!("pagetable-cost-flat-ram", flat = size(flat)).on(o.mem_total.clone(), |total| {
        let times = flat as f64 / total.max(1) as f64;
        let kernel = tr!(
            "pagetable-cost-flat-ram-seen",
            total = kib(total),
            times = format!("{times:.1}")
        );
        (kernel, flat > total)
    })
}

/// A size in KiB, digits grouped: `131 328 KiB` (a no-break space groups the thousands,
/// which reads the same in English and in Spanish, unlike a comma or a point).
fn kib(bytes: u64) -> String {
    format!("{} KiB", group(bytes / 1024))
}

fn signed_kib(delta: i64) -> String {
    if delta < 0 {
        format!("-{}", kib(delta.unsigned_abs()))
    } else {
        format!("+{}", kib(delta as u64))
    }
}

/// 131328 → `131 328`, grouped by a no-break space.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// A size in its largest whole unit: `256 MiB`, `64 GiB`, `4 KiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = bytes;
    let mut u = 0;
    while v >= 1024 && v.is_multiple_of(1024) && u < UNITS.len() - 1 {
        v /= 1024;
        u += 1;
    }
    format!("{} {}", group(v), UNITS[u])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::addr::PagingLevels;
    use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};

    const KIB: u64 = 1024;

    fn reading(vm_pte_kib: u64, rss_kib: u64) -> Reading {
        Reading {
            vm_pte: vm_pte_kib * KIB,
            rss_anon: rss_kib * KIB,
        }
    }

    /// What a run shows on this machine (measured: dense +512 KiB, sparse +131 328 KiB
    /// = 32 768 PTE pages + 64 PMD pages).
    fn holding() -> Observation {
        Observation {
            paging: Paging::new(4096, PagingLevels::Four),
            slack_tables: SLACK_TABLES,
            start: reading(60, 680),
            dense: Evidence::Seen(Run {
                va: VirtAddr(0x7fff_e000_0000),
                bytes: DENSE,
                stride: 4096,
                touches: DENSE / 4096,
                before: reading(60, 680),
                mapped: reading(60, 680),
                touched: reading(572, 262_824),
                unmapped: reading(60, 692),
                predicted_tables: 128,
                upper_tables: 2,
                anon_huge: 0,
            }),
            sparse: Evidence::Seen(Run {
                va: VirtAddr(0x7ff0_0000_0000),
                bytes: SPARSE,
                stride: 2 << 20,
                touches: 32_768,
                before: reading(60, 692),
                mapped: reading(60, 692),
                touched: reading(131_388, 131_764),
                unmapped: reading(60, 696),
                predicted_tables: 32_768,
                upper_tables: 66,
                anon_huge: 0,
            }),
            end: reading(60, 696),
            mem_total: Evidence::Seen(24_683_584 * KIB),
        }
    }

    fn dense(o: &mut Observation) -> &mut Run {
        match &mut o.dense {
            Evidence::Seen(r) => r,
            Evidence::Missing(_) => unreachable!("the holding record has a dense run"),
        }
    }

    fn sparse(o: &mut Observation) -> &mut Run {
        match &mut o.sparse {
            Evidence::Seen(r) => r,
            Evidence::Missing(_) => unreachable!("the holding record has a sparse run"),
        }
    }

    fn refuse_dense(o: &mut Observation) {
        o.dense = Evidence::missing("the kernel refused to map 256 MiB");
    }

    fn refuse_sparse(o: &mut Observation) {
        o.sparse = Evidence::missing("vm.overcommit_memory = 2");
    }

    pub(crate) fn claim_tests() -> ClaimTests {
        claims_of(judge, holding())
            .case(
                "pagetable-cost-dense",
                // A huge page would have cost one PD entry instead of a table.
                |o| dense(o).anon_huge = 2048 * KIB,
                refuse_dense,
            )
            .case(
                "pagetable-cost-munmap",
                |o| dense(o).unmapped = reading(572, 692),
                refuse_dense,
            )
            .case(
                "pagetable-cost-reserve",
                |o| sparse(o).mapped = reading(60 + 4 * 128, 692),
                refuse_sparse,
            )
            .case(
                "pagetable-cost-sparse",
                |o| sparse(o).touched = reading(60 + 256 + 264, 131_764),
                refuse_sparse,
            )
            .case(
                "pagetable-cost-as-data",
                |o| sparse(o).touched.rss_anon = 2 * 131_764 * KIB,
                refuse_sparse,
            )
            .computed("pagetable-cost-flat")
            .case(
                "pagetable-cost-flat-ram",
                |o| o.mem_total = Evidence::Seen(512 << 30),
                |o| o.mem_total = Evidence::missing("no MemTotal"),
            )
            .done()
    }

    #[test]
    fn every_claim_can_fail_and_can_lack_evidence() {
        assert_contract("pagetable-cost", &claim_tests());
    }

    #[test]
    fn the_record_reads_back_from_json() {
        let o = holding();
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    }

    #[test]
    fn the_flat_table_is_the_shared_arithmetic() {
        let claims = judge(&holding());
        let flat = claims
            .iter()
            .find(|c| c.id == "pagetable-cost-flat")
            .unwrap();
        assert_eq!(flat.kernel, "2^35 entries × 8 bytes = 256 GiB per process");
        assert!(flat.theory.contains("2^35"), "{}", flat.theory);
    }

    #[test]
    fn tables_for_a_span_and_what_lies_above() {
        let g = Geometry::new(&Paging::new(4096, PagingLevels::Four));
        // 256 MiB aligned to 2 MiB: 128 PTs, under one PD and one PDPT.
        assert_eq!(g.tables_for(1 << 30, (1 << 30) + DENSE - 4096), (128, 2));
        // Not aligned: one PT more.
        assert_eq!(g.tables_for(4096, 4096 + DENSE - 4096).0, 129);
        // 64 GiB at one touch per 2 MiB: 32 768 PTs, 64 PDs, one PDPT.
        assert_eq!(g.tables_for(0, SPARSE - (2 << 20)), (32_768, 65));
    }

    #[test]
    fn narration_shows_every_reading() {
        let steps = narrate(&holding());
        let table = steps[1].table.as_ref().unwrap();
        assert_eq!(table.rows.len(), 7);
        assert_eq!(table.rows[5][2], "+131\u{a0}328 KiB");
        let mut refused = holding();
        refuse_sparse(&mut refused);
        let steps = narrate(&refused);
        assert_eq!(steps[1].table.as_ref().unwrap().rows.len(), 4);
        assert!(steps[2].narration.contains("overcommit"), "{steps:?}");
    }
}
