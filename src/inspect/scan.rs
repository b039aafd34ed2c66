//! Reading the pages of a plan: where the time of `vmlab pages` goes, so every step
//! here is measured (benches/inspector.rs) against tools/mm/page-types.
//!
//! - PAGEMAP_SCAN (Linux 6.7+) names the populated ranges; pagemap is read in windows
//!   around them, nearby ranges in one window (a syscall costs about what the kernel
//!   takes for 250 entries), and the untouched pages between windows cost nothing.
//!   Where the populated ranges are so dense that the windows cover most of the range,
//!   the rest of that part is read whole: the scan would only add its own walk.
//! - What PAGEMAP_SCAN's categories say is counted without a pagemap read: pages on
//!   the zero page, and whether a huge page-table entry maps a page.
//! - Frames are looked up for many windows at once, PFNs sorted, near ones in one
//!   `pread`; kpagecount is read only where pagemap's exclusive bit does not already
//!   say the map count is 1, and for `--summary` only where that bit cannot say whether
//!   the page is shared (exact counts are `--map-counts`: one more `pread` a frame).
//! - Buffers are allocated once per scan; `--summary` counts entries without making
//!   rows, and runs on every CPU, each thread taking parts of the range in turn.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::summary::PageSummary;
use super::threads::{Placement, own_file_table};
use super::{
    Inspector, MapCounts, PageOptions, PagePlan, PageRow, PageSink, ScanMethod, Segment, Target,
};
use crate::addr::{AddrRange, Paging, Pfn, VirtAddr};
use crate::error::{Error, Result};
use crate::frames::{CountNeed, FrameInfo, FrameReader, KpageFlags, Scratch, shared_by_pagemap};
use crate::pagemap::scan::{
    Masks, PAGE_IS_HUGE, PAGE_IS_PFNZERO, PAGE_IS_PRESENT, PAGE_IS_SWAPPED, PageRegion, VEC_LEN,
};
use crate::pagemap::{BATCH_ENTRIES, PageEntry, PageState, Pagemap};
use crate::space::Region;

/// Holes up to this many pages are read with the ranges around them.
const WINDOW_GAP: u64 = 256;

/// The regions the first PAGEMAP_SCAN call of a region asks for.
const PROBE: usize = 64;

impl Inspector {
    /// Scans the pages of a plan, handing every row (or run of alike pages) to `sink`.
    ///
    /// Two ways to read the page table give the same rows ([`ScanMethod`]): the
    /// PAGEMAP_SCAN ioctl (Linux 6.7+) first asks the kernel which pages are populated
    /// and reads pagemap entries around those alone, so the untouched pages of a huge
    /// sparse region cost nothing; without it, pagemap is read whole, in batches.
    /// Frame files are read only for present pages, batched either way.
    pub fn scan_pages(
        &self,
        target: &Target,
        plan: &PagePlan,
        options: PageOptions,
        sink: &mut dyn PageSink,
    ) -> Result<PageSummary> {
        let mut scanner = Scanner::new(self, target, options, sink)?;
        scanner.plan(plan)?;
        Ok(scanner.finish())
    }

    /// The summary of a plan without rows (`pages --summary`), on as many threads as
    /// there are CPUs: the plan is cut into parts, which the threads take in turn, each
    /// reading through its own pagemap file; the counts are added up. Each started
    /// thread moves to a CPU of its own and takes a file table of its own first
    /// (src/inspect/threads.rs). The kernel work
    /// (the page-table walks behind PAGEMAP_SCAN, pagemap and kpageflags) is what takes
    /// the time, and it runs in parallel under the target's shared mmap lock.
    pub fn summarize_pages(
        &self,
        target: &Target,
        plan: &PagePlan,
        options: PageOptions,
    ) -> Result<PageSummary> {
        let pages = plan.pages(self.paging.page_size);
        let workers = threads_for(pages);
        let parts = plan.split(parts_for(pages, workers), self.paging.page_size);
        let next = AtomicUsize::new(0);
        let options = PageOptions {
            summary_only: true,
            ..options
        };
        let placement = Placement::here();
        let work = |nth: Option<usize>| -> Result<PageSummary> {
            if let Some(nth) = nth {
                if let Some(placement) = &placement {
                    placement.take(nth);
                }
                own_file_table();
            }
            let mut sink = NoRows;
            let mut scanner = Scanner::new(self, target, options.clone(), &mut sink)?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(part) = parts.get(i) else { break };
                scanner.plan(part)?;
            }
            Ok(scanner.finish())
        };
        // This thread is one of the workers: one thread fewer to start.
        let results: Vec<Result<PageSummary>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..workers)
                .map(|i| scope.spawn(move || work(Some(i - 1))))
                .collect();
            // A panic here is an error like one in the other threads, not an abort.
            let mine = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(None)))
                .unwrap_or_else(|_| Err(Error::Child("a scanning thread panicked".into())));
            std::iter::once(mine)
                .chain(handles.into_iter().map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::Child("a scanning thread panicked".into())))
                }))
                .collect()
        });
        let every_count = options.map_counts == MapCounts::Every;
        let mut total = PageSummary::new(&self.privilege, options.view, every_count);
        for r in results {
            total.add(&r?);
        }
        // A region cut between two parts was read by both: count it once.
        total.regions = plan.regions();
        total.settle();
        Ok(total)
    }
}

/// How many threads read a summary of `pages` pages: one per CPU (at most 8), but one
/// alone where starting another costs about what it would save (a thread starts in
/// about 0.2 ms; the kernel reads a present page's entry and flags in about 0.5 µs).
fn threads_for(pages: u64) -> usize {
    if pages < SMALL_PLAN {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// A plan of fewer pages is read by one thread.
const SMALL_PLAN: u64 = 4096;

/// How many parts the threads take in turn. Many more than threads (64 each), so that
/// they end together: the last part taken is the only wait, and a part holding all the
/// populated pages of a range does not leave the others idle. Small parts cost nothing
/// more in the kernel: measured, a part's frames read right after its pagemap entries
/// find their `struct page`s still in cache. At most 4096, so that a huge sparse range
/// is not scanned in tiny calls; parts of at most 64 Ki pages below that.
fn parts_for(pages: u64, workers: usize) -> usize {
    (pages / 65_536).clamp(workers as u64 * 64, 4096) as usize
}

/// A sink for scans whose summary alone is wanted.
struct NoRows;

impl PageSink for NoRows {
    fn region(&mut self, _: &Region) -> Result<()> {
        Ok(())
    }
    fn gap(&mut self, _: AddrRange) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, _: &PageRow) -> Result<()> {
        Ok(())
    }
}

/// One scan: the open pagemap, the buffers it reuses, and what it has counted.
struct Scanner<'a, 's> {
    ins: &'a Inspector,
    pm: Pagemap,
    em: Emitter<'s>,
    chunk: Chunk,
    scratch: Scratch,
    pfns: Vec<Pfn>,
    /// The pagemap entry of each of `pfns`.
    pfn_entries: Vec<PageEntry>,
    frames: Vec<FrameInfo>,
    /// kpageflags and kpagecount, opened for this scan alone.
    reader: FrameReader,
    /// The method asked for; after a fall-back, `Pread`.
    method: ScanMethod,
    /// What a region's never-touched page reads as, once per region.
    hole_entry: Option<PageEntry>,
    /// The zero page's frame information, looked up once.
    zero: Option<Option<FrameInfo>>,
    /// Read each window's entries again after its frames, to catch pages that moved.
    recheck: bool,
    again: Vec<PageEntry>,
}

impl<'a, 's> Scanner<'a, 's> {
    fn new(
        ins: &'a Inspector,
        target: &Target,
        options: PageOptions,
        sink: &'s mut dyn PageSink,
    ) -> Result<Self> {
        let every_count = options.map_counts == MapCounts::Every;
        let mut summary = PageSummary::new(&ins.privilege, options.view, every_count);
        let recheck = !options.frozen && !options.summary_only && ins.privilege.pfns_visible;
        if recheck {
            summary.moved = Some(0);
        }
        Ok(Scanner {
            ins,
            pm: Pagemap::open_in(&target.handle)?,
            method: options.method,
            em: Emitter {
                paging: ins.paging,
                pfns_visible: ins.privilege.pfns_visible,
                options,
                summary,
                sink,
                run: None,
            },
            chunk: Chunk::default(),
            scratch: Scratch::default(),
            pfns: Vec::new(),
            pfn_entries: Vec::new(),
            frames: Vec::new(),
            reader: ins.frames.reopen()?,
            hole_entry: None,
            zero: None,
            recheck,
            again: Vec::new(),
        })
    }

    fn finish(mut self) -> PageSummary {
        let s = &mut self.em.summary;
        s.settle();
        // Nothing read, no method used: say so rather than name the one asked for.
        s.method = (s.regions > 0).then_some(match self.method {
            ScanMethod::Auto => ScanMethod::PagemapScan,
            m => m,
        });
        self.em.summary
    }

    fn plan(&mut self, plan: &PagePlan) -> Result<()> {
        let p = self.ins.paging;
        for segment in &plan.segments {
            let region = match segment {
                Segment::Gap(gap) => {
                    self.em
                        .summary
                        .count_many(PageEntry(0), gap.len() / p.page_size, true);
                    let o = &self.em.options;
                    if !o.present_only && !o.summary_only && !o.populated_only {
                        self.em.sink.gap(*gap)?;
                    }
                    continue;
                }
                Segment::Region(r) => r,
            };
            if !self.em.options.summary_only {
                self.em.sink.region(region)?;
            }
            self.em.summary.regions += 1;
            self.hole_entry = None;
            let (start, end) = (p.vpn(region.start), p.vpn(region.end));
            if self.method == ScanMethod::Pread {
                self.whole(start, end)?;
            } else {
                match self.populated(region) {
                    Ok(()) => {}
                    Err(Error::Unsupported { .. }) if self.method == ScanMethod::Auto => {
                        // This kernel has no PAGEMAP_SCAN: read pagemap whole from now on.
                        self.method = ScanMethod::Pread;
                        self.whole(start, end)?;
                    }
                    Err(e) => return Err(e),
                }
            }
            self.flush()?;
            self.em.end_region()?;
        }
        Ok(())
    }

    /// Pages `[from, to)`, every entry read.
    fn whole(&mut self, from: u64, to: u64) -> Result<()> {
        self.read(from, to, None)
    }

    /// A region through PAGEMAP_SCAN (see the module's notes).
    fn populated(&mut self, region: &Region) -> Result<()> {
        let p = self.ins.paging;
        let end = p.vpn(region.end);
        let masks = Masks {
            all_of: 0,
            any_of: PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
            returned: PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_PFNZERO | PAGE_IS_HUGE,
        };
        let mut walk = Walk {
            cursor: p.vpn(region.start),
            window: None,
        };
        let mut batch = Vec::new();
        // A first, small call: enough to tell a sparse range from a dense one.
        let mut asked = PROBE;
        let mut from = region.start.0;
        loop {
            batch.clear();
            self.pm
                .scan_regions_by(from, region.end.0, masks, asked, |b| {
                    batch.extend_from_slice(b);
                    Ok(false)
                })?;
            let (windows, read) = self.take_batch(&batch, &mut walk)?;
            if batch.len() < asked {
                break;
            }
            let span = match (batch.first(), batch.last()) {
                (Some(a), Some(b)) => (b.end - a.start) >> p.page_shift,
                _ => 0,
            };
            // Measured here: a pread costs about 1.5 µs, an entry read 8 ns, the scan's
            // walk 3 ns a page. Where the windows would cost more than reading the rest
            // whole minus the walk saved (populated pages closer than about one in
            // 300), read it whole; not where a huge mapping is (only the scan says so).
            let dense = 1500 * windows + 8 * read > 5 * span;
            if self.em.options.summary_only && dense && walk.window.is_some_and(|w| !w.2) {
                // The holes up to the open window are counted already (each when the
                // window after it opened): read on from the window's start.
                let (w_from, _, _) = walk.window.take().expect("checked above");
                self.em.summary.huge_unknown = true;
                return self.read(w_from, end, None);
            }
            from = batch.last().map_or(region.end.0, |r| r.end);
            asked = VEC_LEN;
        }
        self.close_window(&mut walk)?;
        self.gap_to(walk.cursor, end)
    }

    /// Grows windows over one batch of PAGEMAP_SCAN regions, reading each window that
    /// closes. What the batch's windows cost: how many preads, how many entries.
    fn take_batch(&mut self, batch: &[PageRegion], walk: &mut Walk) -> Result<(u64, u64)> {
        let shift = self.ins.paging.page_shift;
        let (mut windows, mut read) = (0u64, 0u64);
        for r in batch {
            let (from, to) = (r.start >> shift, r.end >> shift);
            let huge = r.categories & PAGE_IS_HUGE != 0;
            let zero = r.categories & PAGE_IS_PFNZERO != 0 && !huge;
            if self.em.options.summary_only && zero {
                self.close_window(walk)?;
                self.gap_to(walk.cursor, from)?;
                self.chunk.pieces.push(Piece::Zero {
                    vpn: from,
                    pages: to - from,
                });
                walk.cursor = to;
                continue;
            }
            match walk.window.as_mut() {
                Some((w_from, w_to, w_huge))
                    if from <= *w_to + WINDOW_GAP
                        && *w_huge == huge
                        && to - *w_from <= BATCH_ENTRIES as u64 =>
                {
                    read += to.saturating_sub(*w_to);
                    *w_to = to
                }
                _ => {
                    self.close_window(walk)?;
                    self.gap_to(walk.cursor, from)?;
                    walk.window = Some((from, to, huge));
                    windows += 1;
                    read += to - from;
                }
            }
        }
        Ok((windows, read))
    }

    /// Reads the window being grown, if any, and moves the cursor past it.
    fn close_window(&mut self, walk: &mut Walk) -> Result<()> {
        if let Some((from, to, huge)) = walk.window.take() {
            self.read(from, to, Some(huge))?;
            walk.cursor = to;
        }
        Ok(())
    }

    /// The never-touched pages `[from, to)`, if any.
    fn gap_to(&mut self, from: u64, to: u64) -> Result<()> {
        if to <= from {
            return Ok(());
        }
        let entry = match self.hole_entry {
            Some(e) => e,
            None => {
                let e = self.pm.entry(from)?.unwrap_or(PageEntry(0));
                self.hole_entry = Some(e);
                e
            }
        };
        if self.chunk.pieces.len() >= BATCH_ENTRIES {
            self.flush()?;
        }
        self.chunk.pieces.push(Piece::Hole {
            vpn: from,
            pages: to - from,
            entry,
        });
        Ok(())
    }

    /// Reads the entries of pages `[from, to)` into the chunk, flushing it when full.
    fn read(&mut self, mut from: u64, to: u64, huge: Option<bool>) -> Result<()> {
        while from < to {
            if self.chunk.entries.len() >= BATCH_ENTRIES || self.chunk.pieces.len() >= BATCH_ENTRIES
            {
                self.flush()?;
            }
            let at = self.chunk.entries.len();
            let n = ((to - from) as usize).min(BATCH_ENTRIES - at);
            self.chunk.entries.resize(at + n, PageEntry(0));
            let got = self.pm.read(from, &mut self.chunk.entries[at..])?;
            self.chunk.entries.truncate(at + got);
            if got == 0 {
                break;
            }
            self.chunk.pieces.push(Piece::Entries {
                vpn: from,
                from: at,
                to: at + got,
                huge,
            });
            from += got as u64;
        }
        Ok(())
    }

    /// Looks up the frames of the chunk's present pages at once, then hands its pieces
    /// to the emitter in address order, and empties it.
    fn flush(&mut self) -> Result<()> {
        self.lookup()?;
        if self.recheck && !self.pfns.is_empty() && self.read_again()? {
            // Some frames changed under us: look up the frames now in the entries.
            self.lookup()?;
        }
        let mut next_frame = 0;
        let pieces = std::mem::take(&mut self.chunk.pieces);
        for piece in &pieces {
            match *piece {
                Piece::Hole { vpn, pages, entry } => self.em.hole(vpn, pages, entry)?,
                Piece::Zero { vpn, pages } => {
                    let zero = self.zero_frame(vpn)?;
                    if self.em.passes(PageEntry(1 << 63), zero) {
                        self.em.summary.count_zero_pages(pages, zero);
                    }
                }
                Piece::Entries {
                    vpn,
                    from,
                    to,
                    huge,
                } => self.entries(vpn, from..to, huge, &mut next_frame)?,
            }
        }
        self.chunk.pieces = pieces;
        self.chunk.pieces.clear();
        self.chunk.entries.clear();
        Ok(())
    }

    /// Hands on the pages whose entries are `self.chunk.entries[at]`, from page `vpn`;
    /// `next_frame` is the index in `self.frames` of the next present page's frame.
    fn entries(
        &mut self,
        vpn: u64,
        at: std::ops::Range<usize>,
        huge: Option<bool>,
        next_frame: &mut usize,
    ) -> Result<()> {
        let visible = self.ins.privilege.pfns_visible;
        let o = &self.em.options;
        // Without rows of absent pages to make, those are only counted: eight entries
        // at a time over the millions of a sparse range, not a call for each.
        let skip_absent = o.summary_only || o.present_only || o.populated_only;
        let entries = &self.chunk.entries[at];
        let (mut i, mut absent) = (0, 0);
        while i < entries.len() {
            if skip_absent {
                let n = absent_run(&entries[i..]);
                absent += n as u64;
                i += n;
                if i == entries.len() {
                    break;
                }
            }
            let entry = entries[i];
            let frame = entry.pfn(visible).map(|_| {
                *next_frame += 1;
                self.frames[*next_frame - 1]
            });
            self.em.page(vpn + i as u64, entry, frame, huge)?;
            i += 1;
        }
        if absent > 0 && self.em.options.filter.is_empty() {
            self.em.summary.count_many(PageEntry(0), absent, false);
        }
        Ok(())
    }

    /// Looks up the frames of the chunk's present pages.
    fn lookup(&mut self) -> Result<()> {
        let visible = self.ins.privilege.pfns_visible;
        self.pfns.clear();
        self.pfn_entries.clear();
        for e in &self.chunk.entries {
            if let Some(pfn) = e.pfn(visible) {
                self.pfns.push(pfn);
                self.pfn_entries.push(*e);
            }
        }
        let entries = &self.pfn_entries;
        let every_count = self.em.options.map_counts == MapCounts::Every;
        self.reader.lookup_into(
            &self.pfns,
            &mut self.frames,
            &mut self.scratch,
            |i, flags| count_need(entries[i], flags, every_count),
        )
    }

    /// Reads the entries of the chunk again, after their frames were read: where one
    /// changed (the process ran: a write copied a page, reclaim or compaction moved it),
    /// the new entry replaces the old and the page is counted as moved. Whether any did.
    fn read_again(&mut self) -> Result<bool> {
        let mut moved = 0;
        for piece in &self.chunk.pieces {
            let Piece::Entries { vpn, from, to, .. } = *piece else {
                continue;
            };
            let old = &mut self.chunk.entries[from..to];
            if !old.iter().any(|e| e.present()) {
                continue;
            }
            self.again.clear();
            self.again.resize(to - from, PageEntry(0));
            let got = self.pm.read(vpn, &mut self.again)?;
            for (o, n) in old.iter_mut().zip(&self.again[..got]) {
                if o != n {
                    moved += o.present() as u64;
                    *o = *n;
                }
            }
        }
        if let Some(m) = self.em.summary.moved.as_mut() {
            *m += moved;
        }
        Ok(moved > 0)
    }

    /// The zero page's frame information, found once, from the entry of page `vpn`
    /// (which PAGEMAP_SCAN said maps it).
    fn zero_frame(&mut self, vpn: u64) -> Result<Option<FrameInfo>> {
        if let Some(z) = self.zero {
            return Ok(z);
        }
        let visible = self.ins.privilege.pfns_visible;
        let z = match self.pm.entry(vpn)?.and_then(|e| e.pfn(visible)) {
            Some(pfn) => Some(self.reader.lookup_one(pfn)?),
            None => None,
        };
        self.zero = Some(z);
        Ok(z)
    }
}

/// How many entries at the start of `entries` are neither present nor swapped.
fn absent_run(entries: &[PageEntry]) -> usize {
    let mut n = 0;
    for eight in entries.chunks_exact(8) {
        if eight.iter().any(|e| e.populated()) {
            break;
        }
        n += 8;
    }
    n + entries[n..].iter().take_while(|e| !e.populated()).count()
}

/// Whether a lookup reads the map count of a page with `entry` and frame `flags`: not
/// where pagemap already says it is 1, and, unless `every_count` is asked, not where
/// pagemap already says whether the page is shared (all a summary counts without it).
fn count_need(entry: PageEntry, flags: Option<KpageFlags>, every_count: bool) -> CountNeed {
    let shared =
        flags.and_then(|f| shared_by_pagemap(f, entry.exclusive(), entry.file_or_shared()));
    match shared {
        Some(false) => CountNeed::Known(1),
        Some(true) if !every_count => CountNeed::Skip,
        _ => CountNeed::Read,
    }
}

/// Where a region's PAGEMAP_SCAN walk is: the first page not yet handed on, and the
/// window being grown (its pages `[from, to)`, and whether a huge entry maps them).
struct Walk {
    cursor: u64,
    window: Option<(u64, u64, bool)>,
}

/// Pieces of the scan in address order, with the entries read for them, gathered so
/// that the frames of many small windows are looked up together. Holds at most
/// [`BATCH_ENTRIES`] entries: memory stays bounded.
#[derive(Default)]
struct Chunk {
    entries: Vec<PageEntry>,
    pieces: Vec<Piece>,
}

enum Piece {
    /// `pages` pages from `vpn`, all with the hole entry `entry`.
    Hole {
        vpn: u64,
        pages: u64,
        entry: PageEntry,
    },
    /// Pages from `vpn` whose entries are `entries[from..to]`; `huge` is whether a huge
    /// page-table entry maps them, when PAGEMAP_SCAN said.
    Entries {
        vpn: u64,
        from: usize,
        to: usize,
        huge: Option<bool>,
    },
    /// `pages` pages from `vpn` on the zero page (summaries only: no entries read).
    Zero { vpn: u64, pages: u64 },
}

/// Turns entries into counts and rows: counts every page into the summary, and hands
/// the rows the options ask for to the sink (each page, or runs of alike pages).
struct Emitter<'s> {
    paging: Paging,
    pfns_visible: bool,
    options: PageOptions,
    summary: PageSummary,
    sink: &'s mut dyn PageSink,
    run: Option<PageRow>,
}

impl Emitter<'_> {
    /// Whether `--flags` lets a page through.
    fn passes(&self, entry: PageEntry, frame: Option<FrameInfo>) -> bool {
        let f = &self.options.filter;
        if f.is_empty() {
            return true;
        }
        let flags = match (entry.state(), frame.and_then(|f| f.flags)) {
            (PageState::Present, Some(fl)) => fl.0,
            (PageState::Swapped, _) => 0,
            _ => return false,
        };
        f.accepts(self.options.view.word(flags, entry.raw()))
    }

    fn page(
        &mut self,
        vpn: u64,
        entry: PageEntry,
        frame: Option<FrameInfo>,
        huge: Option<bool>,
    ) -> Result<()> {
        if !self.passes(entry, frame) {
            return Ok(());
        }
        self.summary.count(entry, frame, huge);
        let o = &self.options;
        if o.summary_only
            || (o.present_only && !entry.present())
            || (o.populated_only && !entry.populated())
        {
            return Ok(());
        }
        let va = VirtAddr(vpn << self.paging.page_shift);
        let row = PageRow::new(&self.paging, va, entry, frame, self.pfns_visible);
        self.emit(row)
    }

    /// `pages` untouched pages from `vpn`, all with `entry`: counted at once, and as
    /// rows only when rows of absent pages are wanted.
    fn hole(&mut self, vpn: u64, pages: u64, entry: PageEntry) -> Result<()> {
        if !self.passes(entry, None) {
            return Ok(());
        }
        self.summary.count_many(entry, pages, false);
        if self.options.summary_only || self.options.present_only || self.options.populated_only {
            return Ok(());
        }
        let va = VirtAddr(vpn << self.paging.page_shift);
        let mut row = PageRow::new(&self.paging, va, entry, None, self.pfns_visible);
        if self.options.runs {
            row.pages = pages;
            return self.emit(row);
        }
        for i in 0..pages {
            let va = VirtAddr((vpn + i) << self.paging.page_shift);
            self.emit(PageRow::new(
                &self.paging,
                va,
                entry,
                None,
                self.pfns_visible,
            ))?;
        }
        Ok(())
    }

    fn emit(&mut self, row: PageRow) -> Result<()> {
        if !self.options.runs {
            return self.sink.row(&row);
        }
        match self.run.as_mut() {
            Some(cur) => {
                if cur.extend(&row) {
                    return Ok(());
                }
                let done = std::mem::replace(cur, row);
                self.sink.row(&done)
            }
            None => {
                self.run = Some(row);
                Ok(())
            }
        }
    }

    fn end_region(&mut self) -> Result<()> {
        match self.run.take() {
            Some(last) => self.sink.row(&last),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::flag;

    #[test]
    fn a_summary_reads_only_the_map_counts_pagemap_cannot_give() {
        let small = Some(KpageFlags(1 << flag::MMAP | 1 << flag::ANON));
        let large = Some(KpageFlags(
            1 << flag::MMAP | 1 << flag::ANON | 1 << flag::COMPOUND_TAIL,
        ));
        let (mapped_once, shared) = (PageEntry(1 << 63 | 1 << 56), PageEntry(1 << 63));
        for every in [false, true] {
            assert_eq!(count_need(mapped_once, small, every), CountNeed::Known(1));
            assert_eq!(count_need(shared, large, every), CountNeed::Read);
            assert_eq!(count_need(shared, None, every), CountNeed::Read);
        }
        assert_eq!(count_need(shared, small, false), CountNeed::Skip);
        assert_eq!(count_need(shared, small, true), CountNeed::Read);
    }
}
