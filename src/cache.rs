//! `vmlab cache PATH...`: which pages of a file are in the page cache, and, as root, the
//! frames that hold them (page-types `-f`, fincore).
//!
//! A file's cached pages are found by mapping it (read-only, shared) and asking
//! `mincore`; `cachestat` (Linux 6.5+) adds how many are dirty or under write-back and
//! how many were evicted. For frames, vmlab maps each run of cached pages into its own
//! page table with MADV_POPULATE_READ (which maps pages already cached and, with
//! MADV_RANDOM, reads nothing ahead), then reads its own pagemap and the frame files.
//! Mapping the file is itself a mapping: each frame's map count includes vmlab's, which
//! is taken off, and MMAP is set on every frame read.
//!
//! The kernel answers `mincore` truthfully on a file only to its owner, to whoever may
//! write it, and to root; to others it says every page is cached. vmlab then reports
//! the counts of `cachestat` alone and says why.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::frames::{CountNeed, FrameInfo, Scratch};
use crate::inspect::{FlagTable, Inspector};
use crate::pageflags::{Filter, View};
use crate::pagemap::{PageEntry, Pagemap};

/// Pages mapped at once: 64 Ki pages (256 MiB of address space, no memory).
const CHUNK: u64 = 64 * 1024;

/// A run of cached pages of a file.
#[derive(Clone, Debug, Serialize)]
pub struct CachedRun {
    /// The first page's index in the file (offset / page size).
    pub index: u64,
    pub pages: u64,
    /// The frame of the first and last page; `None` when frames are hidden.
    #[serde(serialize_with = "crate::json::hex")]
    pub pfn: Option<u64>,
    #[serde(serialize_with = "crate::json::hex")]
    pub last_pfn: Option<u64>,
    /// Page-table entries mapping the frame, vmlab's own left out.
    pub map_count: Option<u64>,
    pub flags: Option<String>,
    pub names: Vec<String>,
    #[serde(skip)]
    word: Option<u64>,
}

/// What `cachestat` says of a whole file.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct CacheStat {
    pub cached: u64,
    pub dirty: u64,
    pub writeback: u64,
    pub evicted: u64,
    pub recently_evicted: u64,
}

/// One file.
#[derive(Clone, Debug, Serialize)]
pub struct FileCache {
    /// The path, exactly when UTF-8, else escaped (see `path_bytes`).
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<Vec<u8>>,
    pub size: u64,
    pub pages: u64,
    /// Cached pages by mincore; `None` when the kernel would not say (see module notes).
    pub cached: Option<u64>,
    /// The kernel's counts (Linux 6.5+); `None` without cachestat.
    pub stat: Option<CacheStat>,
    pub runs: Vec<CachedRun>,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// Totals over every file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CacheSummary {
    pub files: u64,
    pub pages: u64,
    pub cached: u64,
    pub frames_visible: bool,
    pub by_flags: Option<FlagTable>,
}

/// What to read and show.
pub struct CacheOptions {
    pub view: View,
    pub filter: Filter,
    /// Keep the runs of each file (rows); without, counts only.
    pub runs: bool,
}

/// Walks `paths` (directories recursively, symbolic links not followed, other file
/// systems not entered), handing each regular file's report to `visit`.
pub fn walk(
    ins: &Inspector,
    paths: &[PathBuf],
    opts: &CacheOptions,
    mut visit: impl FnMut(&FileCache) -> Result<()>,
) -> Result<CacheSummary> {
    let frames = ins.privilege.pfns_visible;
    let mut s = CacheSummary {
        frames_visible: frames,
        by_flags: ins.privilege.flags_visible().then(|| FlagTable {
            view: opts.view,
            counts: Default::default(),
        }),
        ..CacheSummary::default()
    };
    let mut reader = Reader::new(ins)?;
    for root in paths {
        let meta = std::fs::symlink_metadata(root).map_err(|e| Error::Io {
            path: root.clone(),
            source: e,
        })?;
        let mut stack = vec![root.clone()];
        while let Some(path) = stack.pop() {
            let Ok(m) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if m.is_dir() && m.dev() == meta.dev() {
                if let Ok(entries) = std::fs::read_dir(&path) {
                    let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                    children.sort();
                    stack.extend(children.into_iter().rev());
                }
            } else if m.is_file() {
                let report = reader.file(&path, &m, opts, &mut s)?;
                visit(&report)?;
            }
        }
    }
    Ok(s)
}

/// The buffers and files one walk reuses.
struct Reader<'a> {
    ins: &'a Inspector,
    pagemap: Option<Pagemap>,
    entries: Vec<PageEntry>,
    scratch: Scratch,
    infos: Vec<FrameInfo>,
}

impl<'a> Reader<'a> {
    fn new(ins: &'a Inspector) -> Result<Reader<'a>> {
        let pagemap = if ins.privilege.pfns_visible {
            Some(Pagemap::open(std::process::id() as i32)?)
        } else {
            None
        };
        Ok(Reader {
            ins,
            pagemap,
            entries: Vec::new(),
            scratch: Scratch::default(),
            infos: Vec::new(),
        })
    }

    fn file(
        &mut self,
        path: &Path,
        meta: &std::fs::Metadata,
        opts: &CacheOptions,
        s: &mut CacheSummary,
    ) -> Result<FileCache> {
        let ps = self.ins.paging.page_size;
        let bytes = path.as_os_str().as_bytes();
        let mut report = FileCache {
            path: crate::space::display_name(bytes),
            path_bytes: std::str::from_utf8(bytes).is_err().then(|| bytes.to_vec()),
            size: meta.len(),
            pages: meta.len().div_ceil(ps),
            cached: None,
            stat: None,
            runs: Vec::new(),
            error: None,
        };
        if let Ok(text) = std::str::from_utf8(bytes) {
            report.path = text.to_string();
        }
        s.files += 1;
        s.pages += report.pages;
        let file = match open_noatime(path) {
            Ok(f) => f,
            Err(e) => {
                report.error = Some(e.to_string());
                return Ok(report);
            }
        };
        report.stat = cachestat(&file, meta.len());
        if !mincore_tells(path, meta) {
            s.cached += report.stat.map_or(0, |c| c.cached);
            return Ok(report);
        }
        let mut cached = 0;
        let mut index = 0;
        while index < report.pages {
            let n = (report.pages - index).min(CHUNK);
            cached += self.chunk(&file, index, n, opts, s, &mut report)?;
            index += n;
        }
        report.cached = Some(cached);
        s.cached += cached;
        Ok(report)
    }

    /// Pages `[index, index + n)` of the file: mapped, asked, read; the number cached.
    fn chunk(
        &mut self,
        file: &File,
        index: u64,
        n: u64,
        opts: &CacheOptions,
        s: &mut CacheSummary,
        report: &mut FileCache,
    ) -> Result<u64> {
        let ps = self.ins.paging.page_size;
        // SAFETY: a read-only shared mapping of a file we opened; vmlab never reads the
        // mapped bytes (only the kernel's answers about them), so a concurrent change or
        // truncation of the file cannot make it read memory it should not.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(index * ps)
                .len((n * ps) as usize)
                .map(file)
        }
        .map_err(|e| Error::Io {
            path: PathBuf::from(&report.path),
            source: e,
        })?;
        let resident = mincore(&map, n as usize, ps)?;
        let count = resident.iter().filter(|&&r| r).count() as u64;
        if count == 0 {
            return Ok(0);
        }
        let frames = self.frames(&map, &resident, ps)?;
        for (i, &r) in resident.iter().enumerate() {
            if !r {
                continue;
            }
            let (entry, info) = frames[i];
            let word = info
                .and_then(|f| f.flags)
                .map(|f| opts.view.word(f.0, entry.raw()));
            if !opts.filter.is_empty() && !word.is_some_and(|w| opts.filter.accepts(w)) {
                continue;
            }
            if let (Some(t), Some(w)) = (s.by_flags.as_mut(), word) {
                *t.counts.entry(w).or_default() += 1;
            }
            if opts.runs {
                let pfn = entry.pfn(self.ins.privilege.pfns_visible).map(|p| p.0);
                let maps = info.and_then(|f| f.map_count).map(|c| c.saturating_sub(1));
                push_run(&mut report.runs, index + i as u64, pfn, maps, word);
            }
        }
        Ok(count)
    }

    /// For each page of `map`, its entry in vmlab's pagemap and its frame, after the
    /// cached pages were mapped; empty entries when frames are hidden.
    fn frames(
        &mut self,
        map: &memmap2::Mmap,
        resident: &[bool],
        ps: u64,
    ) -> Result<Vec<(PageEntry, Option<FrameInfo>)>> {
        let n = resident.len();
        let Some(pm) = &self.pagemap else {
            return Ok(vec![(PageEntry(0), None); n]);
        };
        let base = map.as_ptr() as usize;
        // SAFETY: advice on our own mapping; MADV_RANDOM keeps the faults below from
        // reading ahead, MADV_POPULATE_READ maps pages (an error, never a signal, for a
        // page beyond the end of a file truncated meanwhile).
        unsafe { libc::madvise(base as *mut _, n * ps as usize, libc::MADV_RANDOM) };
        let mut i = 0;
        while i < n {
            if !resident[i] {
                i += 1;
                continue;
            }
            let j = (i..n).find(|&k| !resident[k]).unwrap_or(n);
            // SAFETY: as above, pages [i, j) of our own mapping.
            unsafe {
                libc::madvise(
                    (base + i * ps as usize) as *mut _,
                    (j - i) * ps as usize,
                    libc::MADV_POPULATE_READ,
                )
            };
            i = j;
        }
        self.entries.clear();
        self.entries.resize(n, PageEntry(0));
        let got = pm.read(base as u64 / ps, &mut self.entries)?;
        self.entries.truncate(got);
        let pfns: Vec<crate::addr::Pfn> = self.entries.iter().filter_map(|e| e.pfn(true)).collect();
        self.ins
            .frames
            .lookup_into(&pfns, &mut self.infos, &mut self.scratch, |_, _| {
                CountNeed::Read
            })?;
        let mut next = 0;
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            let e = self.entries.get(k).copied().unwrap_or_default();
            let info = e.pfn(true).map(|_| {
                next += 1;
                self.infos[next - 1]
            });
            out.push((e, info));
        }
        Ok(out)
    }
}

/// Adds a page to the last run if it continues it (next index, next frame, same count
/// and flags), else starts a run.
fn push_run(
    runs: &mut Vec<CachedRun>,
    index: u64,
    pfn: Option<u64>,
    maps: Option<u64>,
    word: Option<u64>,
) {
    if let Some(r) = runs.last_mut() {
        let frames_go_on = match (r.last_pfn, pfn) {
            (Some(l), Some(p)) => p == l + 1,
            (None, None) => true,
            _ => false,
        };
        if r.index + r.pages == index && frames_go_on && r.map_count == maps && r.word == word {
            r.pages += 1;
            r.last_pfn = pfn;
            return;
        }
    }
    runs.push(CachedRun {
        index,
        pages: 1,
        pfn,
        last_pfn: pfn,
        map_count: maps,
        flags: word.map(|w| format!("0x{w:016x}")),
        names: word.map(crate::pageflags::names).unwrap_or_default(),
        word,
    });
}

fn open_noatime(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let open = |flags| {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(flags)
            .open(path)
    };
    // O_NOATIME is for the file's owner (and root); others open it plainly.
    open(libc::O_NOATIME | libc::O_NOFOLLOW).or_else(|_| open(libc::O_NOFOLLOW))
}

/// Whether the kernel's mincore tells the truth about this file to us: to its owner,
/// to whoever may write it, and to root (mm/mincore.c, can_do_mincore).
fn mincore_tells(path: &Path, meta: &std::fs::Metadata) -> bool {
    let me = nix::unistd::geteuid();
    me.is_root()
        || me.as_raw() == meta.uid()
        || nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

/// Which of the `n` pages of `map` are in the page cache.
fn mincore(map: &memmap2::Mmap, n: usize, ps: u64) -> Result<Vec<bool>> {
    let mut vec = vec![0u8; n];
    // SAFETY: `map` is our mapping of `n` pages (the last may be partial: mincore
    // counts whole pages); `vec` has room for one byte per page.
    let rc = unsafe { libc::mincore(map.as_ptr() as *mut _, n * ps as usize, vec.as_mut_ptr()) };
    if rc != 0 {
        return Err(Error::Io {
            path: "mincore".into(),
            source: std::io::Error::last_os_error(),
        });
    }
    Ok(vec.into_iter().map(|b| b & 1 == 1).collect())
}

/// cachestat's number: new system calls share one number on every architecture since
/// Linux 5.1 (451 from Linux 6.5; libc 0.2 names it on some targets only).
const SYS_CACHESTAT: libc::c_long = 451;

/// `cachestat` over the whole file; `None` where the kernel has no such call (< 6.5).
fn cachestat(file: &File, len: u64) -> Option<CacheStat> {
    #[repr(C)]
    struct Range {
        off: u64,
        len: u64,
    }
    let range = Range { off: 0, len };
    let mut out = [0u64; 5];
    // SAFETY: cachestat(fd, &range, &out, 0) reads `range` and writes five u64s to
    // `out`, both ours and alive for the call (include/uapi/linux/mman.h).
    let rc = unsafe {
        libc::syscall(
            SYS_CACHESTAT,
            file.as_raw_fd(),
            &range as *const Range,
            out.as_mut_ptr(),
            0,
        )
    };
    (rc == 0).then_some(CacheStat {
        cached: out[0],
        dirty: out[1],
        writeback: out[2],
        evicted: out[3],
        recently_evicted: out[4],
    })
}
