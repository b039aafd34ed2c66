//! (b) A shared file page: dirty after a write, clean after msync.
//!
//! The page cache keeps one dirty flag per folio (kpageflags DIRTY). A write through a
//! MAP_SHARED mapping sets it (and the entry's dirty bit, which smaps counts);
//! msync(MS_SYNC) writes the page back, clears both and write-protects the entry, so
//! that the next write faults and the kernel learns the page is dirty again.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::{Smaps, bits, err, flags_text, kib, me, region_smaps};
use crate::addr::VirtAddr;
use crate::demos::page::{Page, frame_flags, frame_text, frames};
use crate::demos::{Lab, minor_faults};
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::frames::{KpageFlags, flag};
use crate::{claim, tr};

/// Pages of the file, and the one written through the shared mapping.
const FILE_PAGES: usize = 4;
const FILE_WRITTEN: usize = 1;

/// What (b) saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFile {
    /// The directory that held the file (unnamed or unlinked at once).
    pub dir: String,
    pub va: VirtAddr,
    /// The page written through the mapping.
    pub written: usize,
    /// The mapping's protection bits (`rw-s`).
    pub perms: Evidence<String>,
    /// The file's pages after reading each once.
    pub clean: Vec<Page>,
    /// After the write.
    pub dirty: Vec<Page>,
    /// After msync(MS_SYNC).
    pub synced: Vec<Page>,
    /// After writing the same page again.
    pub redirtied: Vec<Page>,
    /// The region's smaps after the write, and after msync.
    pub smaps_after_write: Evidence<Smaps>,
    pub smaps_after_msync: Evidence<Smaps>,
    /// Minor faults of one more write before msync (a control: the page is already
    /// dirty and writable), and of the first write after it.
    pub faults_before_msync: u64,
    pub faults_after_msync: u64,
}

/// Maps a clean file, reads it, writes one page, msyncs, writes again; looks at each
/// step. Missing when no directory on a disk-backed filesystem is writable.
pub fn gather(lab: &Lab) -> Result<Evidence<SharedFile>> {
    let ps = lab.page_size();
    let dir = match crate::demos::mem::disk_dir() {
        Ok(d) => d,
        Err(reason) => return Ok(Evidence::missing(reason)),
    };
    let file = crate::demos::mem::synced_file(&dir, FILE_PAGES as u64, ps, 0x5A)?;
    // SAFETY: a shared mapping of our own unnamed (or unlinked) file; nobody else can
    // truncate it.
    let map = unsafe { MmapMut::map_mut(&file) }.map_err(err("mmap"))?;
    let sum: u8 = (0..FILE_PAGES).fold(0, |s, p| s.wrapping_add(map[p * ps as usize]));
    std::hint::black_box(sum);
    let va = map.as_ptr() as u64;
    let target = va as usize + FILE_WRITTEN * ps as usize;
    let look = || lab.snapshot(me(), va, FILE_PAGES);
    let clean = look()?;
    write_counting_faults(target);
    let (dirty, smaps_after_write) = (look()?, region_smaps(va));
    let faults_before_msync = write_counting_faults(target);
    map.flush().map_err(err("msync"))?;
    let (synced, smaps_after_msync) = (look()?, region_smaps(va));
    let faults_after_msync = write_counting_faults(target);
    let redirtied = look()?;
    map.flush().map_err(err("msync"))?;
    Ok(Evidence::Seen(SharedFile {
        dir: dir.display().to_string(),
        va: VirtAddr(va),
        written: FILE_WRITTEN,
        perms: region_smaps(va).map(|s| s.perms),
        clean,
        dirty,
        synced,
        redirtied,
        smaps_after_write,
        smaps_after_msync,
        faults_before_msync,
        faults_after_msync,
    }))
}

/// Writes one byte at `addr` and returns the minor faults that took. Not inlined, so
/// that every call runs the same instructions (the first call also faults in the code).
#[inline(never)]
fn write_counting_faults(addr: usize) -> u64 {
    let before = minor_faults();
    // SAFETY: callers pass an address inside a shared mapping this process may write.
    unsafe { std::ptr::write_volatile(addr as *mut u8, 0xD2) };
    minor_faults() - before
}

pub fn narrate(f: &SharedFile) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("dirty-header-perms"),
        tr!("pages-header-pfn"),
        tr!("dirty-header-after-read"),
        tr!("dirty-header-after-write"),
        tr!("dirty-header-after-msync"),
        tr!("dirty-header-after-rewrite"),
    ]);
    let perms = f.perms.seen().cloned().unwrap_or_else(|| "?".into());
    for p in 0..f.dirty.len() {
        let label = if p == f.written {
            tr!("dirty-written-page", page = p)
        } else {
            p.to_string()
        };
        let at = |pages: &[Page]| pages.get(p).map(flags_text).unwrap_or_default();
        t.row(vec![
            label,
            perms.clone(),
            frame_text(&f.dirty[p]),
            at(&f.clean),
            at(&f.dirty),
            at(&f.synced),
            at(&f.redirtied),
        ]);
    }
    let smaps = |s: &Evidence<Smaps>| s.seen().map_or("?".into(), |s| kib(s.dirty()));
    Step::show(
        tr!(
            "dirty-step-file",
            pages = f.dirty.len(),
            dir = f.dir.as_str(),
            va = f.va.hex(),
            page = f.written,
            dirty_after_write = smaps(&f.smaps_after_write),
            dirty_after_msync = smaps(&f.smaps_after_msync),
            before = f.faults_before_msync,
            after = f.faults_after_msync
        ),
        t,
    )
}

/// The claims of (b); all unverifiable, with the reason, when there was no file.
pub fn judge(file: &Evidence<SharedFile>, page_size: u64) -> Vec<Claim> {
    let Evidence::Seen(f) = file else {
        let why = file.reason().unwrap_or_default();
        return vec![
            claim!("dirty-file-dirty").unverifiable(why),
            claim!("dirty-file-smaps").unverifiable(why),
            claim!("dirty-file-msync").unverifiable(why),
            claim!("dirty-file-pte-clean").unverifiable(why),
            claim!("dirty-file-refault").unverifiable(why),
        ];
    };
    vec![
        dirty_flag(f),
        smaps_dirty(f, page_size),
        msync_cleans(f),
        pte_clean(f),
        refault(f),
    ]
}

/// DIRTY bit of each page's frame, or why the flags are hidden.
fn dirty_bits(pages: &[Page]) -> Evidence<Vec<bool>> {
    frame_flags(pages).map(|f| f.iter().map(|f| f.has(flag::DIRTY)).collect())
}

/// For each page: is it in the written page's folio (the unit the page cache keeps one
/// dirty flag for)?
fn written_folio(f: &SharedFile) -> Vec<bool> {
    (0..f.dirty.len())
        .map(|p| same_folio(&f.dirty, p, f.written))
        .collect()
}

fn dirty_flag(f: &SharedFile) -> Claim {
    let evidence = dirty_bits(&f.clean).zip(dirty_bits(&f.dirty));
    claim!("dirty-file-dirty").on(evidence, |(clean, dirty)| {
        let kernel = tr!(
            "dirty-file-dirty-seen",
            clean = bits(&clean),
            dirty = bits(&dirty)
        );
        (kernel, !clean.contains(&true) && dirty == written_folio(f))
    })
}

fn smaps_dirty(f: &SharedFile, page_size: u64) -> Claim {
    let folio_pages = written_folio(f).iter().filter(|&&b| b).count() as u64;
    claim!("dirty-file-smaps").on(f.smaps_after_write.clone(), |s| {
        let kernel = tr!(
            "dirty-smaps-dirty-seen",
            private = kib(s.private_dirty),
            shared = kib(s.shared_dirty)
        );
        (kernel, s.dirty() == folio_pages * page_size)
    })
}

fn msync_cleans(f: &SharedFile) -> Claim {
    let writeback =
        |fl: Vec<KpageFlags>| -> Vec<bool> { fl.iter().map(|x| x.has(flag::WRITEBACK)).collect() };
    let evidence = dirty_bits(&f.synced)
        .zip(frame_flags(&f.synced).map(writeback))
        .zip(frames(&f.dirty).zip(frames(&f.synced)));
    claim!("dirty-file-msync").on(evidence, |((dirty, wb), (before, after))| {
        let same = before == after;
        let kernel = tr!(
            "dirty-file-msync-seen",
            dirty = bits(&dirty),
            writeback = bits(&wb),
            frames = if same { "same" } else { "moved" }
        );
        (
            kernel,
            !dirty.contains(&true) && !wb.contains(&true) && same,
        )
    })
}

fn pte_clean(f: &SharedFile) -> Claim {
    claim!("dirty-file-pte-clean").on(f.smaps_after_msync.clone(), |s| {
        let kernel = tr!(
            "dirty-smaps-dirty-seen",
            private = kib(s.private_dirty),
            shared = kib(s.shared_dirty)
        );
        (kernel, s.dirty() == 0)
    })
}

fn refault(f: &SharedFile) -> Claim {
    let (before, after) = (f.faults_before_msync, f.faults_after_msync);
    claim!("dirty-file-refault").decide(
        tr!("dirty-file-refault-seen", before = before, after = after),
        after == 1 && before == 0,
    )
}

/// Whether pages `a` and `b` of `pages` are in one folio of the page cache: the same
/// page, or both in a compound page, with consecutive frames and no compound head after
/// the lower one. Without frame flags each page counts as a folio of its own.
fn same_folio(pages: &[Page], a: usize, b: usize) -> bool {
    if a == b {
        return true;
    }
    let (lo, hi) = (a.min(b), a.max(b));
    let has = |p: &Page, bit| p.flags.is_some_and(|f| f.has(bit));
    let compound = |p: &Page| has(p, flag::COMPOUND_HEAD) || has(p, flag::COMPOUND_TAIL);
    let contiguous = match (pages[lo].pfn, pages[hi].pfn) {
        (Some(x), Some(y)) => y.0.checked_sub(x.0) == Some((hi - lo) as u64),
        _ => false,
    };
    contiguous
        && pages[lo..=hi].iter().all(compound)
        && !pages[lo + 1..=hi]
            .iter()
            .any(|p| has(p, flag::COMPOUND_HEAD))
}
