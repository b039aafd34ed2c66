//! vm-hugepages: huge pages: 512 pages in one.
//!
//! Theory: on x86-64 the entry of the second-lowest table (the PD, each entry covering
//! 2 MiB) can point straight at a 2 MiB frame instead of at a page table. The walk then
//! stops one level early and the low 21 bits of the address are the offset in the huge
//! frame. Linux uses this for anonymous memory as *transparent* huge pages (THP): in a
//! 2 MiB-aligned region it is allowed to (always, or after madvise(MADV_HUGEPAGE)), the
//! first fault allocates a whole, naturally aligned 2 MiB frame and maps it with one PD
//! entry, so one fault makes 512 pages present where 4 KiB pages would take 512 faults.
//!
//! What we do: map a 2 MiB-aligned region, madvise(MADV_HUGEPAGE) it, write one byte, and
//! count the faults; then look at its 512 pages in pagemap (present bits, PFNs),
//! kpageflags (THP, COMPOUND_HEAD / COMPOUND_TAIL) and smaps (AnonHugePages, which
//! counts only memory mapped by a PD entry). For contrast, a second 2 MiB region with
//! MADV_NOHUGEPAGE is written page by page. The THP mode is read from
//! /sys/kernel/mm/transparent_hugepage: where it is off, or the kernel declines, the
//! huge-page claims are unverifiable with that reason.

use nix::sys::mman::{MapFlags, MmapAdvise};

use super::mem::AnonMap;
use super::mem::ThpSettings;
use super::{
    FRAMES_HIDDEN, Lab, PFNS_HIDDEN, exact_size, hex_list, minor_faults, prefault_stack,
    status_bytes, usage_at,
};
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::frames::flag;
use crate::inspect::PageRow;
use crate::pagemap::PageState;

const THP_BYTE: u8 = 0x7f;
const MOVED: &str = "the frames moved between two readings of pagemap (compaction or \
                     khugepaged); run again";

/// What the one write to the MADV_HUGEPAGE region did.
struct HugeResult {
    faults: u64,
    rows: Vec<PageRow>,
    present: usize,
    anon_huge: u64,
    vmpte_growth: i64,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "hugepages",
        "huge pages: 512 pages in one",
        "With transparent huge pages, one write to a 2 MiB-aligned MADV_HUGEPAGE region makes \
         all 2 MiB present in one fault, backed by one naturally aligned 2 MiB frame and \
         mapped by a single entry one level above the page tables.",
    );
    let ps = lab.page_size();
    let thp = ThpSettings::read();
    // Where the kernel does not say, the size a PD entry maps follows from the page size.
    let huge = thp.pmd_size.unwrap_or(ps / 8 * ps);
    let n = (huge / ps) as usize;
    let me = std::process::id() as i32;
    let forbids = thp.forbids();
    e.say(format!(
        "THP settings: {}. One PD entry maps {} = {n} pages of {}.{}",
        thp.describe(),
        exact_size(huge),
        exact_size(ps),
        match &forbids {
            Some(why) => format!(" So no huge page can be expected here: {why}."),
            None => " A MADV_HUGEPAGE region may get huge pages.".into(),
        }
    ));

    // Warm-up: run the counting code once on a page that is already present, so that
    // its own first-run faults (code, stack) are not counted later.
    prefault_stack();
    let scratch = map_aligned(huge, ps)?;
    scratch.0.touch(scratch.1, 1);
    let warmup = write_counting_faults(&scratch.0, scratch.1, 1, ps);
    drop(scratch);

    // The contrast first: 4 KiB pages only.
    let (small_map, b) = map_aligned(huge, ps)?;
    small_map.advise(b, huge, MmapAdvise::MADV_NOHUGEPAGE)?;
    let small_first = write_counting_faults(&small_map, b, 1, ps);
    let small_present = present(&lab.pages(me, b, n)?);
    let small_rest = write_counting_faults(&small_map, b + ps, n - 1, ps);
    let small_all_present = present(&lab.pages(me, b, n)?);
    let small_huge = usage_at(me, b)?.anon_huge;

    // The huge page.
    let (huge_map, a) = map_aligned(huge, ps)?;
    huge_map.advise(a, huge, MmapAdvise::MADV_HUGEPAGE)?;
    let pte_before = status_bytes(me, "VmPTE")?;
    let faults = write_counting_faults(&huge_map, a, 1, ps);
    let pte_after = status_bytes(me, "VmPTE")?;
    let rows = lab.pages(me, a, n)?;
    let anon_huge = usage_at(me, a)?.anon_huge;
    // The frames can change under us (compaction, khugepaged): read them again and
    // keep the second reading only if it agrees.
    let again = lab.pages(me, a, n)?;
    let stable = super::pfns(&rows) == super::pfns(&again);
    let r = HugeResult {
        faults,
        present: present(&rows),
        rows,
        anon_huge,
        vmpte_growth: pte_after as i64 - pte_before as i64,
    };

    let first = &r.rows[0];
    let mut t = Table::new(&["page", "VA", "state", "PFN", "PFN - first", "flags"]);
    let first_pfn = first.pfn.map(|p| p.0);
    for (i, row) in r.rows.iter().enumerate() {
        if i < 3 || i + 2 >= n {
            t.row(vec![
                i.to_string(),
                format!("{:#x}", row.va.0),
                row.state.as_str().into(),
                row.pfn.map_or("hidden".into(), |p| format!("{:#x}", p.0)),
                match (row.pfn, first_pfn) {
                    (Some(p), Some(f)) => format!("+{}", p.0.wrapping_sub(f)),
                    _ => "?".into(),
                },
                row.flags
                    .map_or(String::new(), |f| f.names().join(" ").to_lowercase()),
            ]);
        } else if i == 3 {
            t.row(vec!["...".into(); 6]);
        }
    }
    e.show(
        format!(
            "A {} region at {a:#x} (aligned to {}) with MADV_HUGEPAGE; we write one byte at \
             its start: {} page fault(s) (getrusage; the counting code itself: {warmup}). \
             pagemap now shows {} of {n} pages present; smaps AnonHugePages = {} kB; VmPTE \
             changed by {} KiB.",
            exact_size(huge),
            exact_size(huge),
            r.faults,
            r.present,
            r.anon_huge / 1024,
            r.vmpte_growth / 1024
        ),
        t,
    );
    e.show(
        "The walk of an address in each region: with a huge page the PD entry points at the \
         2 MiB frame, the PT level is skipped, and the offset has 21 bits instead of 12.",
        walk_table(lab, a, b, r.anon_huge >= huge),
    );
    e.say(format!(
        "Contrast: a {} region at {b:#x} with MADV_NOHUGEPAGE. One write: {small_first} \
         fault, {small_present} of {n} pages present. Writing the other {} pages: \
         {small_rest} more faults, {small_all_present} of {n} present; AnonHugePages = {} kB.",
        exact_size(huge),
        n - 1,
        small_huge / 1024
    ));
    if r.vmpte_growth > 0 {
        e.say(format!(
            "VmPTE still grew by {} KiB for the huge page: Linux sets a page table aside \
             (\"deposits\" it) with every huge page, so that splitting it into 4 KiB pages \
             later can never fail for want of memory. The walk skips it; the memory is kept.",
            r.vmpte_growth / 1024
        ));
    }

    let pfns = super::pfns(&r.rows).filter(|_| stable);
    e.observe("page_size", ps);
    e.observe("huge_size", huge);
    e.observe("thp_enabled", &thp.enabled);
    e.observe("thp_defrag", &thp.defrag);
    e.observe("thp_forbidden", &forbids);
    e.observe("huge_va", format!("{a:#x}"));
    e.observe("huge_faults", r.faults);
    e.observe("huge_present", r.present);
    e.observe("huge_anon_huge", r.anon_huge);
    e.observe("huge_vmpte_growth", r.vmpte_growth);
    e.observe("huge_pfns", &pfns);
    e.observe(
        "huge_flags",
        r.rows
            .iter()
            .map(|row| row.flags)
            .collect::<Option<Vec<_>>>(),
    );
    e.observe("warmup_faults", warmup);
    e.observe("small_va", format!("{b:#x}"));
    e.observe("small_first_faults", small_first);
    e.observe("small_present_after_one_write", small_present);
    e.observe("small_rest_faults", small_rest);
    e.observe("small_present_after_all", small_all_present);
    e.observe("small_anon_huge", small_huge);

    // Whether the huge-page claims can be decided, and if not, why.
    let declined = r.present <= 1 && r.anon_huge == 0;
    let why_not: Option<String> = forbids.clone().or_else(|| {
        declined.then(|| {
            format!(
                "the kernel declined to give a huge page although {} (no free {} frame: \
                 memory may be fragmented)",
                thp.describe(),
                exact_size(huge)
            )
        })
    });
    let thp_claim = |statement: &str, theory: &str, kernel: String, holds: bool| match &why_not {
        Some(why) => Claim::unverifiable(statement, theory, why),
        None => Claim::check(statement, theory, kernel, holds),
    };
    let frames_claim = |statement: &str,
                        theory: &str,
                        seen: Option<(String, bool)>,
                        hidden: &str| match (&why_not, seen) {
        (Some(why), _) => Claim::unverifiable(statement, theory, why),
        (None, Some((kernel, holds))) => Claim::check(statement, theory, kernel, holds),
        (None, None) => Claim::unverifiable(statement, theory, hidden),
    };

    e.claim(thp_claim(
        &format!(
            "one write to a {} MADV_HUGEPAGE region makes all {n} pages present",
            exact_size(huge)
        ),
        &format!("{n} of {n} present in pagemap"),
        format!("{} of {n} present", r.present),
        r.present == n,
    ));
    e.claim(thp_claim(
        "it takes one page fault",
        "1 minor fault",
        format!("{} minor fault(s)", r.faults),
        r.faults == 1,
    ));
    let run = pfns.as_ref().map(|p| {
        let head = p[0];
        let consecutive = p.iter().enumerate().all(|(i, &x)| x == head + i as u64);
        (
            format!(
                "first PFN {head:#x} ({}aligned to {n}); {}",
                if head % n as u64 == 0 { "" } else { "not " },
                if consecutive {
                    format!("PFN of page k = first + k for all {n}")
                } else {
                    format!("not consecutive: {}", hex_list(p))
                }
            ),
            consecutive && head.is_multiple_of(n as u64),
        )
    });
    e.claim(frames_claim(
        &format!(
            "the {n} pages are one {} frame: consecutive PFNs from an aligned first one",
            exact_size(huge)
        ),
        &format!("PFN(k) = PFN(0) + k, PFN(0) a multiple of {n}"),
        run,
        if stable { PFNS_HIDDEN } else { MOVED },
    ));
    let flags: Option<Vec<_>> = r.rows.iter().map(|row| row.flags).collect();
    let flags_seen = flags.filter(|_| stable).map(|f| {
        let head = f[0].has(flag::THP) && f[0].has(flag::COMPOUND_HEAD);
        let tails = f[1..]
            .iter()
            .filter(|x| x.has(flag::THP) && x.has(flag::COMPOUND_TAIL))
            .count();
        (
            format!(
                "first: {}; {tails} of {} others THP + COMPOUND_TAIL",
                f[0].names().join(" ").to_lowercase(),
                n - 1
            ),
            head && tails == n - 1,
        )
    });
    e.claim(frames_claim(
        "kpageflags mark one transparent huge page: THP and COMPOUND_HEAD on the first frame",
        "first: THP COMPOUND_HEAD; the rest: THP COMPOUND_TAIL",
        if pfns.is_some() { flags_seen } else { None },
        if pfns.is_none() && !stable {
            MOVED
        } else if lab.inspector.privilege.pfns_visible {
            FRAMES_HIDDEN
        } else {
            PFNS_HIDDEN
        },
    ));
    e.claim(thp_claim(
        "smaps counts the region as AnonHugePages: one PD entry maps it, a page-table level \
         fewer",
        &format!("AnonHugePages {} kB", huge / 1024),
        format!("AnonHugePages {} kB", r.anon_huge / 1024),
        r.anon_huge == huge,
    ));
    let small_total = small_first + small_rest;
    e.claim(Claim::check(
        &format!(
            "without huge pages one write makes one page present, and {} takes {n} faults",
            exact_size(huge)
        ),
        &format!("1 present after one write; {n} faults for {n} pages (+2 tolerance)"),
        format!(
            "{small_present} present after one write; {small_first} + {small_rest} = \
             {small_total} faults; AnonHugePages {} kB",
            small_huge / 1024
        ),
        small_first == 1
            && small_present == 1
            && small_all_present == n
            && (n as u64..=n as u64 + 2).contains(&small_total)
            && small_huge == 0,
    ));
    drop(huge_map);
    drop(small_map);
    Ok(e)
}

/// Maps `2 * huge` bytes and returns the mapping with the first `huge`-aligned address
/// inside it (a whole `huge` region fits after it).
fn map_aligned(huge: u64, page: u64) -> Result<(AnonMap, u64)> {
    if !huge.is_power_of_two() || huge < page {
        return Err(Error::Child(format!("odd huge-page size {huge}")));
    }
    let map = AnonMap::new(2 * huge, MapFlags::empty())
        .map_err(|err| Error::Child(format!("mmap of {}: {err}", exact_size(2 * huge))))?;
    let aligned = map.addr().next_multiple_of(huge);
    Ok((map, aligned))
}

/// Writes one byte to each of `count` pages from `start` and returns the minor faults
/// that took. Not inlined, so that the warm-up and the measured runs execute the same
/// code.
#[inline(never)]
fn write_counting_faults(map: &AnonMap, start: u64, count: usize, page: u64) -> u64 {
    let before = minor_faults();
    for i in 0..count as u64 {
        map.touch(start + i * page, THP_BYTE);
    }
    minor_faults().saturating_sub(before)
}

fn present(rows: &[PageRow]) -> usize {
    rows.iter()
        .filter(|r| r.state == PageState::Present)
        .count()
}

/// The walk of an address in the 4 KiB region and in the huge one, level by level.
fn walk_table(lab: &Lab, huge_va: u64, small_va: u64, is_huge: bool) -> Table {
    let paging = &lab.inspector.paging;
    let small = paging.walk_indices(VirtAddr(small_va));
    let big = paging.walk_indices(VirtAddr(huge_va));
    let mut t = Table::new(&["level", "address bits", "4 KiB page", "huge page"]);
    for (s, h) in small.iter().zip(&big) {
        let last = s.level == "PT";
        t.row(vec![
            s.level.into(),
            format!("{}-{}", s.high_bit, s.low_bit),
            format!("entry {}", s.index),
            if last && is_huge {
                "skipped: the PD entry maps the frame".into()
            } else {
                format!("entry {}", h.index)
            },
        ]);
    }
    let shift = paging.page_shift;
    let huge_bits = shift + 9;
    t.row(vec![
        "offset".into(),
        format!("{}-0 / {}-0", shift - 1, huge_bits - 1),
        format!("{:#x} ({shift} bits)", small_va & ((1 << shift) - 1)),
        if is_huge {
            format!("{:#x} ({huge_bits} bits)", huge_va & ((1 << huge_bits) - 1))
        } else {
            format!("{:#x} ({shift} bits)", huge_va & ((1 << shift) - 1))
        },
    ]);
    t
}
