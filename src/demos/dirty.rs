//! vm-dirty: the dirty and accessed bits of a page-table entry.
//!
//! Theory: besides the frame number and the protection bits, each page-table entry has
//! two bits the MMU sets by itself. The *accessed* (referenced) bit is set on any access
//! to the page; the OS clears it now and then and looks which pages were used since, to
//! choose what to evict. The *dirty* bit is set on a write; a dirty page of a file must
//! be written back before its frame can be reused, a clean one can just be dropped.
//!
//! Linux does not show the bits themselves, but it shows what it does with them:
//! - smaps `Private_Dirty` / `Shared_Dirty` count the pages of a region whose entry (or
//!   frame) is dirty, and `Referenced` those accessed since `clear_refs` was last
//!   written with 1 (which clears the accessed bits);
//! - kpageflags `DIRTY` marks a page-cache frame the kernel still has to write back;
//!   `msync(MS_SYNC)` writes it and clears the flag (and the entry's dirty bit);
//! - where the kernel has them, soft-dirty (pagemap bit 55, reset by clear_refs 4) and
//!   PAGEMAP_SCAN's `PAGE_IS_WRITTEN` (userfaultfd asynchronous write-protect) tell which
//!   pages were written, one by one.
//!
//! What we do: (a) write some private pages and only read others, each page in a region
//! of its own so that smaps speaks of each page; (b) write one page of a file mapped
//! MAP_SHARED and watch its frame go DIRTY and come back clean after msync; (c) clear
//! the accessed bits, touch a few pages and count the referenced ones; (d) and (e) the
//! per-page written-bit trackers, where this kernel has them. Each table shows the
//! region's protection bits beside each page.

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use memmap2::MmapMut;

use super::{FRAMES_HIDDEN, Lab, minor_faults, pfn_text};
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::frames::flag;
use crate::inspect::PageRow;
use crate::pagemap::PageState;
use crate::space::{AddressSpace, Perms, Usage};

/// Pages in each experiment's region.
const PAGES: usize = 8;
/// The pages of (a), (d) and (e) that are written; the others are only read.
const WRITTEN: [usize; 3] = [0, 3, 5];
/// The pages of (c) touched after the accessed bits are cleared.
const TOUCHED: [usize; 3] = [1, 2, 6];
/// Pages of the file in (b), and the one written through the shared mapping.
const FILE_PAGES: usize = 4;
const FILE_WRITTEN: usize = 1;

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "dirty",
        "dirty and accessed bits",
        "The MMU marks a page-table entry accessed on every use and dirty on a write. Linux \
         shows the marks through smaps (Private_Dirty, Referenced), kpageflags (DIRTY) and \
         msync, which writes a dirty file page back and makes it clean again.",
    );
    private_dirty(lab, &mut e)?;
    shared_file_dirty(lab, &mut e)?;
    accessed(lab, &mut e)?;
    soft_dirty(lab, &mut e)?;
    pagemap_scan::run(lab, &mut e)?;
    Ok(e)
}

fn err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

fn me() -> i32 {
    std::process::id() as i32
}

/// `PAGES` private anonymous pages, each in a region (VMA) of its own, so that smaps
/// reports on every page separately. Neighbouring regions only merge when their flags
/// are equal, so every other page is marked MADV_DONTDUMP (left out of core dumps: a
/// flag with no effect on paging).
fn one_region_per_page(lab: &Lab) -> Result<MmapMut> {
    let ps = lab.page_size() as usize;
    let mut mem = MmapMut::map_anon(PAGES * ps).map_err(err("mmap"))?;
    for p in (1..PAGES).step_by(2) {
        // SAFETY: advice on one page of a mapping we own; it changes no memory.
        let rc =
            unsafe { libc::madvise(mem.as_mut_ptr().add(p * ps).cast(), ps, libc::MADV_DONTDUMP) };
        if rc != 0 {
            return Err(Error::Child(format!(
                "madvise(MADV_DONTDUMP): {}",
                std::io::Error::last_os_error()
            )));
        }
    }
    Ok(mem)
}

/// Each page's region, as smaps shows it now: protection bits and usage.
fn per_page_smaps(lab: &Lab, va: u64, pages: usize) -> Result<Vec<(Perms, Usage)>> {
    let ps = lab.page_size();
    let space = AddressSpace::read(me())?;
    (0..pages as u64)
        .map(|i| {
            let at = va + i * ps;
            let r = space
                .find(VirtAddr(at))
                .ok_or_else(|| Error::Child(format!("no region holds {at:#x}")))?;
            if r.start.0 != at || r.size() != ps {
                return Err(Error::Child(format!(
                    "page {at:#x} is not a region of its own ({:#x}-{:#x}): the kernel \
                     merged the regions",
                    r.start.0, r.end.0
                )));
            }
            let usage = r.usage.ok_or_else(|| {
                Error::Child(format!("smaps has no usage for the region at {at:#x}"))
            })?;
            Ok((r.perms, usage))
        })
        .collect()
}

/// The smaps usage and protection bits of the one region that holds `va`.
fn region_smaps(va: u64) -> Result<(Perms, Usage)> {
    let r = super::region_at(me(), va)?;
    let usage = r
        .usage
        .ok_or_else(|| Error::Child(format!("smaps has no usage for the region at {va:#x}")))?;
    Ok((r.perms, usage))
}

fn kib(bytes: u64) -> String {
    format!("{} kB", bytes / 1024)
}

fn kib_list(values: &[u64]) -> String {
    values
        .iter()
        .map(|v| (v / 1024).to_string())
        .collect::<Vec<_>>()
        .join(",")
        + " kB"
}

fn flags_text(r: &PageRow) -> String {
    r.flags
        .map_or(String::new(), |f| f.names().join(" ").to_lowercase())
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// Writes `clear_refs` of this process: 1 clears the accessed bits, 4 soft-dirty.
fn clear_refs(what: &str) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")?
        .write_all(what.as_bytes())
}

/// (a) Private pages: written ones dirty, read ones clean.
fn private_dirty(lab: &Lab, e: &mut Experiment) -> Result<()> {
    let ps = lab.page_size() as usize;
    let mut mem = one_region_per_page(lab)?;
    let base = mem.as_mut_ptr();
    let mut read_sum = 0u8;
    for p in 0..PAGES {
        // SAFETY: p < PAGES, so the address is inside the mapping, which is read-write.
        unsafe {
            if WRITTEN.contains(&p) {
                std::ptr::write_volatile(base.add(p * ps), 0xD1);
            } else {
                read_sum = read_sum.wrapping_add(std::ptr::read_volatile(base.add(p * ps)));
            }
        }
    }
    std::hint::black_box(read_sum);
    let va = base as u64;
    let rows = lab.pages(me(), va, PAGES)?;
    let smaps = per_page_smaps(lab, va, PAGES)?;
    let mut t = Table::new(&[
        "page",
        "VA",
        "perms",
        "access",
        "PFN",
        "flags",
        "Rss",
        "Private_Dirty",
    ]);
    for (p, (r, (perms, u))) in rows.iter().zip(&smaps).enumerate() {
        t.row(vec![
            p.to_string(),
            format!("{:#x}", r.va.0),
            perms.to_string(),
            if WRITTEN.contains(&p) {
                "written"
            } else {
                "read"
            }
            .into(),
            pfn_text(r),
            flags_text(r),
            kib(u.rss),
            kib(u.private_dirty),
        ]);
    }
    e.show(
        format!(
            "(a) {PAGES} private anonymous pages at {va:#x}, each a region of its own (so smaps \
             speaks of each page). Pages {WRITTEN:?} are written, the others only read (a read \
             of never-written memory maps the shared zero page)."
        ),
        t,
    );
    let dirty: Vec<u64> = smaps.iter().map(|(_, u)| u.private_dirty).collect();
    let expect: Vec<u64> = (0..PAGES)
        .map(|p| if WRITTEN.contains(&p) { ps as u64 } else { 0 })
        .collect();
    let present = rows
        .iter()
        .filter(|r| r.state == PageState::Present)
        .count();
    e.observe("page_size", ps);
    e.observe("private_va", format!("{va:#x}"));
    e.observe("private_written", WRITTEN);
    e.observe("private_dirty_bytes", &dirty);
    e.observe(
        "private_perms",
        smaps.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>(),
    );
    e.observe("private_present", present);
    e.claim(Claim::check(
        "(a) every page is in the page table, read or written",
        &format!("{PAGES} of {PAGES} present"),
        format!("{present} of {PAGES} present"),
        present == PAGES,
    ));
    e.claim(Claim::check(
        "(a) smaps Private_Dirty counts exactly the written private pages",
        &format!(
            "one page ({}) on pages {WRITTEN:?}, 0 elsewhere",
            kib(ps as u64)
        ),
        format!("Private_Dirty per page: {}", kib_list(&dirty)),
        dirty == expect,
    ));
    drop(mem);
    Ok(())
}

/// The claims of (b): statement and theory.
const FILE_CLAIMS: [(&str, &str); 5] = [
    (
        "(b) a write through a MAP_SHARED file mapping makes that page-cache frame DIRTY, \
         and only it",
        "DIRTY on the written page (its folio) only",
    ),
    (
        "(b) smaps counts the written shared page as dirty",
        "Private_Dirty + Shared_Dirty = one page (its folio)",
    ),
    (
        "(b) msync(MS_SYNC) writes the page back and clears DIRTY",
        "no page DIRTY or WRITEBACK after msync, same frames",
    ),
    (
        "(b) after msync the page-table entry is clean too",
        "Private_Dirty + Shared_Dirty = 0",
    ),
    (
        "(b) the next write faults once, so the kernel learns the page is dirty again",
        "1 minor fault after msync (0 for the same write before it)",
    ),
];

/// (b) A shared file page: dirty after a write, clean after msync.
fn shared_file_dirty(lab: &Lab, e: &mut Experiment) -> Result<()> {
    let ps = lab.page_size() as usize;
    let dir = match super::mem::disk_dir() {
        Ok(d) => d,
        Err(reason) => {
            for (s, t) in FILE_CLAIMS {
                e.claim(Claim::unverifiable(s, t, &reason));
            }
            return Ok(());
        }
    };
    let file = super::mem::synced_file(&dir, FILE_PAGES as u64, ps as u64, 0x5A)?;
    // SAFETY: a shared mapping of our own unlinked file; nobody else can truncate it.
    let mut map = unsafe { MmapMut::map_mut(&file) }.map_err(err("mmap"))?;
    let base = map.as_mut_ptr();
    let mut sum = 0u8;
    for p in 0..FILE_PAGES {
        // SAFETY: inside the mapping of FILE_PAGES pages.
        sum = sum.wrapping_add(unsafe { std::ptr::read_volatile(base.add(p * ps)) });
    }
    std::hint::black_box(sum);
    let va = base as u64;
    let target = base.wrapping_add(FILE_WRITTEN * ps) as usize;
    let clean = lab.pages(me(), va, FILE_PAGES)?;
    let (perms, _) = region_smaps(va)?;
    write_counting_faults(target);
    let dirty = lab.pages(me(), va, FILE_PAGES)?;
    let (_, dirty_usage) = region_smaps(va)?;
    // Once more on the page already dirty and writable: the control for the count below.
    let faults_before_msync = write_counting_faults(target);
    map.flush().map_err(err("msync"))?;
    let synced = lab.pages(me(), va, FILE_PAGES)?;
    let (_, synced_usage) = region_smaps(va)?;
    let faults_after_msync = write_counting_faults(target);
    let redirtied = lab.pages(me(), va, FILE_PAGES)?;
    map.flush().map_err(err("msync"))?;
    drop(map);
    drop(file);

    let mut t = Table::new(&[
        "page",
        "perms",
        "PFN",
        "read",
        "written",
        "msync",
        "written again",
    ]);
    for p in 0..FILE_PAGES {
        t.row(vec![
            format!("{p}{}", if p == FILE_WRITTEN { " (written)" } else { "" }),
            perms.to_string(),
            pfn_text(&dirty[p]),
            flags_text(&clean[p]),
            flags_text(&dirty[p]),
            flags_text(&synced[p]),
            flags_text(&redirtied[p]),
        ]);
    }
    e.show(
        format!(
            "(b) A {FILE_PAGES}-page file in {} (written and fsync'd first, so clean), mapped \
             MAP_SHARED at {va:#x} and read. The file was written one page per write(2), so \
             that each page is a folio of its own: the page cache keeps one dirty flag per \
             folio. Then page {FILE_WRITTEN} is written through the \
             mapping, msync(MS_SYNC) is called, and page {FILE_WRITTEN} is written again. The \
             frame flags at each step (smaps dirty: {} after the write, {} after msync; minor \
             faults of a write: {faults_before_msync} before msync, {faults_after_msync} after):",
            dir.display(),
            kib(dirty_usage.private_dirty + dirty_usage.shared_dirty),
            kib(synced_usage.private_dirty + synced_usage.shared_dirty),
        ),
        t,
    );
    let dirty_bits = |rows: &[PageRow]| -> Option<Vec<bool>> {
        rows.iter()
            .map(|r| r.flags.map(|f| f.has(flag::DIRTY)))
            .collect()
    };
    let writeback_bits = |rows: &[PageRow]| -> Option<Vec<bool>> {
        rows.iter()
            .map(|r| r.flags.map(|f| f.has(flag::WRITEBACK)))
            .collect()
    };
    // The page cache keeps one dirty flag per folio. The file was written a page at a
    // time, so each page should be a folio of its own; if the kernel still put the
    // written page in a larger folio, the whole folio is what theory predicts dirty.
    let only_written: Vec<bool> = (0..FILE_PAGES)
        .map(|p| same_folio(&dirty, p, FILE_WRITTEN))
        .collect();
    let folio_pages = only_written.iter().filter(|&&b| b).count() as u64;
    e.observe("file_written_folio_pages", folio_pages);
    let (clean_d, dirty_d, synced_d, again_d) = (
        dirty_bits(&clean),
        dirty_bits(&dirty),
        dirty_bits(&synced),
        dirty_bits(&redirtied),
    );
    let frames = |rows: &[PageRow]| super::pfns(rows);
    e.observe("file_dir", dir.display().to_string());
    e.observe("file_written_page", FILE_WRITTEN);
    e.observe("file_dirty_before_write", &clean_d);
    e.observe("file_dirty_after_write", &dirty_d);
    e.observe("file_dirty_after_msync", &synced_d);
    e.observe("file_dirty_after_rewrite", &again_d);
    e.observe("file_pfns_after_write", frames(&dirty));
    e.observe("file_pfns_after_msync", frames(&synced));
    e.observe(
        "file_smaps_dirty_after_write",
        dirty_usage.private_dirty + dirty_usage.shared_dirty,
    );
    e.observe(
        "file_smaps_dirty_after_msync",
        synced_usage.private_dirty + synced_usage.shared_dirty,
    );
    e.observe("file_faults_before_msync", faults_before_msync);
    e.observe("file_faults_after_msync", faults_after_msync);
    e.observe("file_perms", perms.to_string());

    let bits = |v: &[bool]| {
        v.iter()
            .map(|&b| if b { '1' } else { '0' })
            .collect::<String>()
    };
    e.claim(Claim::check_if(
        FILE_CLAIMS[0].0,
        FILE_CLAIMS[0].1,
        clean_d.as_ref().zip(dirty_d.as_ref()),
        |(c, d)| {
            (
                format!(
                    "DIRTY per page: {} after reading, {} after the write",
                    bits(c),
                    bits(d)
                ),
                c.iter().all(|&x| !x) && **d == only_written,
            )
        },
        FRAMES_HIDDEN,
    ));
    let smaps_dirty = dirty_usage.private_dirty + dirty_usage.shared_dirty;
    e.claim(Claim::check(
        FILE_CLAIMS[1].0,
        FILE_CLAIMS[1].1,
        format!(
            "Private_Dirty {} + Shared_Dirty {}",
            kib(dirty_usage.private_dirty),
            kib(dirty_usage.shared_dirty)
        ),
        smaps_dirty == folio_pages * ps as u64,
    ));
    let same_frames = frames(&dirty).is_some() && frames(&dirty) == frames(&synced);
    e.claim(Claim::check_if(
        FILE_CLAIMS[2].0,
        FILE_CLAIMS[2].1,
        synced_d.as_ref().zip(writeback_bits(&synced)),
        |(s, w)| {
            (
                format!(
                    "DIRTY per page after msync: {}; WRITEBACK: {}; frames {}",
                    bits(s),
                    bits(w),
                    if same_frames { "unchanged" } else { "changed" }
                ),
                s.iter().all(|&x| !x) && w.iter().all(|&x| !x) && same_frames,
            )
        },
        FRAMES_HIDDEN,
    ));
    let synced_dirty = synced_usage.private_dirty + synced_usage.shared_dirty;
    e.claim(Claim::check(
        FILE_CLAIMS[3].0,
        FILE_CLAIMS[3].1,
        format!(
            "Private_Dirty {} + Shared_Dirty {}",
            kib(synced_usage.private_dirty),
            kib(synced_usage.shared_dirty)
        ),
        synced_dirty == 0,
    ));
    e.claim(Claim::check(
        FILE_CLAIMS[4].0,
        FILE_CLAIMS[4].1,
        format!("{faults_after_msync} after msync, {faults_before_msync} before"),
        faults_after_msync == 1 && faults_before_msync == 0,
    ));
    Ok(())
}

/// Whether pages `a` and `b` of `rows` are in one folio of the page cache: the same page,
/// or both in a compound page, with consecutive frames and no compound head after the
/// lower one. Without frame flags each page counts as a folio of its own.
fn same_folio(rows: &[PageRow], a: usize, b: usize) -> bool {
    if a == b {
        return true;
    }
    let (lo, hi) = (a.min(b), a.max(b));
    let compound = |r: &PageRow| {
        r.flags
            .is_some_and(|f| f.has(flag::COMPOUND_HEAD) || f.has(flag::COMPOUND_TAIL))
    };
    let contiguous = match (rows[lo].pfn, rows[hi].pfn) {
        (Some(x), Some(y)) => y.0.checked_sub(x.0) == Some((hi - lo) as u64),
        _ => false,
    };
    contiguous
        && rows[lo..=hi].iter().all(compound)
        && !rows[lo + 1..=hi]
            .iter()
            .any(|r| r.flags.is_some_and(|f| f.has(flag::COMPOUND_HEAD)))
}

/// Writes one byte at `addr` and returns the minor faults that took. Not inlined, so
/// that every call runs the same instructions (the first call also faults in the code).
#[inline(never)]
fn write_counting_faults(addr: usize) -> u64 {
    let before = minor_faults();
    // SAFETY: callers pass an address inside a mapping this process may write.
    unsafe { std::ptr::write_volatile(addr as *mut u8, 0xD2) };
    minor_faults() - before
}

/// The claims of (c).
const ACCESSED_CLAIMS: [(&str, &str); 2] = [
    (
        "(c) clear_refs 1 clears the accessed bits: nothing is referenced",
        "Referenced 0 on every page",
    ),
    (
        "(c) touching k pages makes exactly those k pages referenced",
        "Referenced grows by k pages, on the touched pages only",
    ),
];

/// (c) The accessed bit: cleared by clear_refs 1, set again by a touch.
fn accessed(lab: &Lab, e: &mut Experiment) -> Result<()> {
    let ps = lab.page_size() as usize;
    let mut mem = one_region_per_page(lab)?;
    // Written, so each page has a frame of its own: the zero page would not count.
    for p in 0..PAGES {
        mem[p * ps] = 0xA5;
    }
    let va = mem.as_ptr() as u64;
    let before = per_page_smaps(lab, va, PAGES)?;
    if let Err(err) = clear_refs("1") {
        for (s, t) in ACCESSED_CLAIMS {
            e.claim(Claim::unverifiable(
                s,
                t,
                &format!("writing 1 to /proc/self/clear_refs failed: {err}"),
            ));
        }
        return Ok(());
    }
    let cleared = per_page_smaps(lab, va, PAGES)?;
    flush_tlb(&mut mem)?;
    let base = mem.as_ptr();
    let mut sum = 0u8;
    for &p in &TOUCHED {
        // SAFETY: p < PAGES: inside the mapping.
        sum = sum.wrapping_add(unsafe { std::ptr::read_volatile(base.add(p * ps)) });
    }
    std::hint::black_box(sum);
    let touched = per_page_smaps(lab, va, PAGES)?;
    drop(mem);

    let mut t = Table::new(&[
        "page",
        "perms",
        "touched",
        "Referenced before",
        "after clear_refs 1",
        "after touch",
    ]);
    for p in 0..PAGES {
        t.row(vec![
            p.to_string(),
            before[p].0.to_string(),
            yes_no(TOUCHED.contains(&p)),
            kib(before[p].1.referenced),
            kib(cleared[p].1.referenced),
            kib(touched[p].1.referenced),
        ]);
    }
    e.show(
        format!(
            "(c) {PAGES} written private pages at {va:#x}, each a region of its own. `echo 1 > \
             /proc/self/clear_refs` clears their accessed bits (the TLB is then flushed by an \
             mprotect round trip: the CPU sets an accessed bit only on a page walk, and \
             clear_refs leaves cached translations alone); then pages {TOUCHED:?} are read. \
             smaps Referenced per page:"
        ),
        t,
    );
    let refs = |v: &[(Perms, Usage)]| v.iter().map(|(_, u)| u.referenced).collect::<Vec<_>>();
    let (r_before, r_cleared, r_touched) = (refs(&before), refs(&cleared), refs(&touched));
    e.observe("accessed_touched", TOUCHED);
    e.observe("referenced_before", &r_before);
    e.observe("referenced_after_clear", &r_cleared);
    e.observe("referenced_after_touch", &r_touched);
    e.claim(Claim::check(
        ACCESSED_CLAIMS[0].0,
        ACCESSED_CLAIMS[0].1,
        format!(
            "Referenced per page: {} before, {} after clear_refs",
            kib_list(&r_before),
            kib_list(&r_cleared)
        ),
        r_cleared.iter().all(|&r| r == 0),
    ));
    let expect: Vec<u64> = (0..PAGES)
        .map(|p| if TOUCHED.contains(&p) { ps as u64 } else { 0 })
        .collect();
    let growth = r_touched.iter().sum::<u64>() as i64 - r_cleared.iter().sum::<u64>() as i64;
    e.observe("referenced_growth_bytes", growth);
    e.claim(Claim::check(
        ACCESSED_CLAIMS[1].0,
        &format!(
            "{} more ({} pages: {TOUCHED:?})",
            kib((TOUCHED.len() * ps) as u64),
            TOUCHED.len()
        ),
        format!(
            "{} more; per page: {}",
            if growth < 0 {
                format!("-{}", kib(growth.unsigned_abs()))
            } else {
                kib(growth as u64)
            },
            kib_list(&r_touched)
        ),
        r_touched == expect,
    ));
    Ok(())
}

/// Makes the CPU forget its cached translations (TLB entries) of `mem`.
///
/// x86 sets a page's accessed bit only when it walks the page table, on a TLB miss.
/// clear_refs clears the bits in the page table but, to stay cheap, does not flush the
/// TLB: a translation still cached would let a touch go unrecorded (it does, often,
/// here). Taking write permission away and giving it back changes every entry, and
/// mprotect flushes the TLB for the range; the accessed bits stay as they are.
fn flush_tlb(mem: &mut MmapMut) -> Result<()> {
    let (ptr, len) = (mem.as_mut_ptr().cast::<libc::c_void>(), mem.len());
    for prot in [libc::PROT_READ, libc::PROT_READ | libc::PROT_WRITE] {
        // SAFETY: the whole mapping `mem` owns; nothing accesses it in between, and it
        // ends read-write as it started.
        if unsafe { libc::mprotect(ptr, len, prot) } != 0 {
            return Err(Error::Child(format!(
                "mprotect: {}",
                std::io::Error::last_os_error()
            )));
        }
    }
    Ok(())
}

/// (d) Soft-dirty: pagemap bit 55, reset by clear_refs 4.
fn soft_dirty(lab: &Lab, e: &mut Experiment) -> Result<()> {
    const STATEMENT: &str = "(d) soft-dirty (pagemap bit 55) marks exactly the written pages";
    let theory = format!("bit 55 set on pages {WRITTEN:?} only, after clear_refs 4");
    let ps = lab.page_size() as usize;
    let (config, config_text) = super::kernel_config("CONFIG_MEM_SOFT_DIRTY");
    let mut mem = MmapMut::map_anon(PAGES * ps).map_err(err("mmap"))?;
    mem.fill(1);
    let va = mem.as_ptr() as u64;
    let cleared = clear_refs("4");
    for &p in &WRITTEN {
        mem[p * ps] = 2;
    }
    let rows = lab.pages(me(), va, PAGES)?;
    let (perms, _) = region_smaps(va)?;
    drop(mem);
    let bits: Vec<bool> = rows.iter().map(|r| r.soft_dirty).collect();
    let any = bits.iter().any(|&b| b);
    let bit_text: String = bits.iter().map(|&b| if b { '1' } else { '0' }).collect();
    let mut t = Table::new(&[
        "page",
        "perms",
        "written after clear_refs 4",
        "soft-dirty (bit 55)",
    ]);
    for (p, &b) in bits.iter().enumerate() {
        t.row(vec![
            p.to_string(),
            perms.to_string(),
            yes_no(WRITTEN.contains(&p)),
            yes_no(b),
        ]);
    }
    e.show(
        format!(
            "(d) Soft-dirty: {PAGES} private pages written, `echo 4 > /proc/self/clear_refs`, \
             then pages {WRITTEN:?} written again. The kernel's configuration: {config_text}."
        ),
        t,
    );
    e.observe("soft_dirty_config", config);
    e.observe("soft_dirty_bits", &bits);
    let claim = match (&cleared, config, any) {
        (Err(err), _, _) => Claim::unverifiable(
            STATEMENT,
            &theory,
            &format!("writing 4 to /proc/self/clear_refs failed: {err}"),
        ),
        (Ok(()), Some(true), _) | (Ok(()), None, true) | (Ok(()), Some(false), true) => {
            let expect: Vec<bool> = (0..PAGES).map(|p| WRITTEN.contains(&p)).collect();
            Claim::check(
                STATEMENT,
                &theory,
                format!("bit 55 per page: {bit_text} ({config_text})"),
                bits == expect,
            )
        }
        (Ok(()), Some(false), false) => Claim::unverifiable(
            STATEMENT,
            &theory,
            &format!(
                "this kernel is built without soft-dirty ({config_text}); bit 55 stayed 0 on \
                 every page, written or not"
            ),
        ),
        (Ok(()), None, false) => Claim::unverifiable(
            STATEMENT,
            &theory,
            &format!(
                "{config_text}, and bit 55 stayed 0 even on the written pages: this kernel \
                 seems to lack soft-dirty"
            ),
        ),
    };
    e.observe("soft_dirty_supported", config == Some(true) || any);
    e.claim(claim);
    Ok(())
}

/// (e) PAGEMAP_SCAN's PAGE_IS_WRITTEN, in a range under userfaultfd asynchronous
/// write-protection. libc has no userfaultfd bindings: the structures and numbers are
/// those of include/uapi/linux/userfaultfd.h (Linux 6.7+); the scan is
/// [`crate::pagemap::scan`].
mod pagemap_scan {
    use super::*;
    use crate::pagemap::Pagemap;
    use crate::pagemap::scan::{Masks, PAGE_IS_WRITTEN, pages_with};

    const STATEMENT: &str = "(e) PAGEMAP_SCAN reports PAGE_IS_WRITTEN on exactly the written pages";

    const UFFD_USER_MODE_ONLY: libc::c_int = 1;
    const UFFD_API: u64 = 0xAA;
    const UFFD_FEATURE_WP_ASYNC: u64 = 1 << 15;
    const UFFDIO_REGISTER_MODE_WP: u64 = 1 << 1;
    const UFFDIO_WRITEPROTECT_MODE_WP: u64 = 1 << 0;
    /// _IOWR(0xAA, 0x3F, struct uffdio_api): 24 bytes.
    const UFFDIO_API: libc::c_ulong = 0xC018_AA3F;
    /// _IOWR(0xAA, 0x00, struct uffdio_register): 32 bytes.
    const UFFDIO_REGISTER: libc::c_ulong = 0xC020_AA00;
    /// _IOWR(0xAA, 0x06, struct uffdio_writeprotect): 24 bytes.
    const UFFDIO_WRITEPROTECT: libc::c_ulong = 0xC018_AA06;
    #[repr(C)]
    #[derive(Default)]
    struct UffdioApi {
        api: u64,
        features: u64,
        ioctls: u64,
    }

    #[repr(C)]
    #[derive(Default)]
    struct UffdioRegister {
        start: u64,
        len: u64,
        mode: u64,
        ioctls: u64,
    }

    #[repr(C)]
    #[derive(Default)]
    struct UffdioWriteprotect {
        start: u64,
        len: u64,
        mode: u64,
    }

    /// Calls `ioctl(fd, request, arg)`; the error names what was asked.
    fn ioctl<T>(fd: i32, request: libc::c_ulong, arg: &mut T, what: &str) -> Result<i64, String> {
        // SAFETY: `arg` is a #[repr(C)] struct of the size encoded in `request`, which
        // the kernel reads and writes only within those bytes.
        let rc = unsafe { libc::ioctl(fd, request, arg as *mut T) };
        if rc < 0 {
            Err(format!("{what}: {}", std::io::Error::last_os_error()))
        } else {
            Ok(rc as i64)
        }
    }

    /// A userfaultfd with asynchronous write-protect on `len` bytes at `start`, all of
    /// it write-protected now. Err: why the kernel would not.
    fn protect(start: u64, len: u64) -> std::result::Result<OwnedFd, String> {
        // User-mode faults only: allowed to unprivileged processes even when
        // vm.unprivileged_userfaultfd is 0 (we never want kernel-mode faults here).
        // SAFETY: a plain system call with integer arguments.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_userfaultfd,
                libc::O_CLOEXEC | libc::O_NONBLOCK | UFFD_USER_MODE_ONLY,
            )
        };
        if fd < 0 {
            return Err(format!(
                "userfaultfd(UFFD_USER_MODE_ONLY) failed: {} (vm.unprivileged_userfaultfd = {})",
                std::io::Error::last_os_error(),
                super::super::setting("/proc/sys/vm/unprivileged_userfaultfd")
                    .unwrap_or_else(|| "?".into())
            ));
        }
        // SAFETY: the kernel just gave us this descriptor; nothing else owns it.
        let owned = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        let raw = owned.as_raw_fd();
        let mut api = UffdioApi {
            api: UFFD_API,
            features: UFFD_FEATURE_WP_ASYNC,
            ioctls: 0,
        };
        ioctl(
            raw,
            UFFDIO_API,
            &mut api,
            "UFFDIO_API with UFFD_FEATURE_WP_ASYNC",
        )
        .map_err(|e| {
            format!(
                "{e}: this kernel's userfaultfd has no asynchronous write-protect (Linux < 6.7)"
            )
        })?;
        let mut reg = UffdioRegister {
            start,
            len,
            mode: UFFDIO_REGISTER_MODE_WP,
            ioctls: 0,
        };
        ioctl(
            raw,
            UFFDIO_REGISTER,
            &mut reg,
            "UFFDIO_REGISTER (write-protect mode)",
        )?;
        let mut wp = UffdioWriteprotect {
            start,
            len,
            mode: UFFDIO_WRITEPROTECT_MODE_WP,
        };
        ioctl(raw, UFFDIO_WRITEPROTECT, &mut wp, "UFFDIO_WRITEPROTECT")?;
        Ok(owned)
    }

    /// Pages of `[start, start + pages * ps)` that PAGEMAP_SCAN reports written.
    fn written(start: u64, pages: usize, ps: u64) -> std::result::Result<Vec<bool>, String> {
        let masks = Masks {
            all_of: PAGE_IS_WRITTEN,
            returned: PAGE_IS_WRITTEN,
            ..Masks::default()
        };
        let regions = Pagemap::open(me())
            .and_then(|pm| pm.page_regions(start, start + pages as u64 * ps, masks))
            .map_err(|e| e.to_string())?;
        Ok(pages_with(&regions, start, pages, ps, PAGE_IS_WRITTEN))
    }

    pub fn run(lab: &Lab, e: &mut Experiment) -> Result<()> {
        let theory = format!("WRITTEN on pages {WRITTEN:?} only; none before the writes");
        let ps = lab.page_size();
        let mut mem = MmapMut::map_anon(PAGES * ps as usize).map_err(err("mmap"))?;
        mem.fill(1);
        let va = mem.as_ptr() as u64;
        let len = PAGES as u64 * ps;
        let uffd = match protect(va, len) {
            Ok(fd) => fd,
            Err(reason) => {
                e.claim(Claim::unverifiable(STATEMENT, &theory, &reason));
                return Ok(());
            }
        };
        let outcome = (|| -> std::result::Result<_, String> {
            let before = written(va, PAGES, ps)?;
            let protected = lab.pages(me(), va, PAGES).map_err(|e| e.to_string())?;
            for &p in &WRITTEN {
                mem[p * ps as usize] = 2;
            }
            let after = written(va, PAGES, ps)?;
            let rows = lab.pages(me(), va, PAGES).map_err(|e| e.to_string())?;
            Ok((before, after, protected, rows))
        })();
        drop(uffd);
        let (perms, _) = region_smaps(va)?;
        drop(mem);
        let (before, after, protected, rows) = match outcome {
            Ok(v) => v,
            Err(reason) => {
                e.claim(Claim::unverifiable(STATEMENT, &theory, &reason));
                return Ok(());
            }
        };
        let mut t = Table::new(&[
            "page",
            "perms",
            "written",
            "WRITTEN before",
            "WRITTEN after",
            "uffd-wp before",
            "uffd-wp after",
        ]);
        for p in 0..PAGES {
            t.row(vec![
                p.to_string(),
                perms.to_string(),
                yes_no(WRITTEN.contains(&p)),
                yes_no(before[p]),
                yes_no(after[p]),
                yes_no(protected[p].uffd_wp),
                yes_no(rows[p].uffd_wp),
            ]);
        }
        e.show(
            format!(
                "(e) {PAGES} written private pages at {va:#x}, registered with userfaultfd in \
                 asynchronous write-protect mode and write-protected (pagemap bit 57, uffd-wp); \
                 then pages {WRITTEN:?} are written. The kernel lifts the protection of each \
                 page written, and PAGEMAP_SCAN reports it as PAGE_IS_WRITTEN:"
            ),
            t,
        );
        let text = |v: &[bool]| {
            v.iter()
                .map(|&b| if b { '1' } else { '0' })
                .collect::<String>()
        };
        e.observe("scan_written_before", &before);
        e.observe("scan_written_after", &after);
        e.observe(
            "scan_uffd_wp_after",
            rows.iter().map(|r| r.uffd_wp).collect::<Vec<_>>(),
        );
        let expect: Vec<bool> = (0..PAGES).map(|p| WRITTEN.contains(&p)).collect();
        e.claim(Claim::check(
            STATEMENT,
            &theory,
            format!(
                "WRITTEN per page: {} before, {} after",
                text(&before),
                text(&after)
            ),
            before.iter().all(|&b| !b) && after == expect,
        ));
        Ok(())
    }
}
