//! The inspector: what `vmlab maps`, `vmlab pages` and `vmlab translate` compute.
//!
//! Each command is a function from a process (and an address or range) to a plain data
//! record. The records are `Serialize`, so `--json` and the tables show the same data.
//! `pages` streams: it hands rows to a [`PageSink`] batch by batch, so scanning a range
//! of any size needs one pagemap buffer and no list of all pages.

use std::sync::Arc;

use serde::Serialize;

use crate::addr::{self, AddrRange, LevelIndex, Paging, Pfn, PhysAddr, Selection, VirtAddr};
use crate::error::{Error, InputError, Result};
use crate::frames::{FrameInfo, FrameReader, KpageFlags, flag};
use crate::pagemap::{EntryBits, PageEntry, PageState, Pagemap};
use crate::privilege::Privilege;
use crate::process::ProcessHandle;
use crate::space::{AddressSpace, Region, Usage};

/// A process to inspect, opened once: every file of it is read through `handle`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    pub pid: i32,
    /// Its name from `/proc/<pid>/comm`.
    pub command: String,
    #[serde(skip)]
    pub handle: Arc<ProcessHandle>,
}

impl Target {
    /// Resolves `self` (the inspector's own process) or a numeric pid.
    pub fn resolve(text: &str) -> Result<Target> {
        let pid = if text == "self" {
            std::process::id() as i32
        } else {
            match text.trim().parse::<i32>() {
                Ok(p) if p > 0 => p,
                _ => {
                    return Err(InputError::BadPid {
                        input: text.to_string(),
                    }
                    .into());
                }
            }
        };
        let handle = ProcessHandle::open(pid)?;
        let comm = handle.read("comm")?;
        Ok(Target {
            pid,
            command: String::from_utf8_lossy(&comm).trim_end().to_string(),
            handle: Arc::new(handle),
        })
    }
}

/// Shared state of the inspector: the machine's paging, what we may see, and the
/// open frame files.
pub struct Inspector {
    pub paging: Paging,
    pub privilege: Privilege,
    frames: FrameReader,
}

impl Default for Inspector {
    fn default() -> Self {
        Self::new()
    }
}

impl Inspector {
    pub fn new() -> Inspector {
        let paging = Paging::detect();
        let frames = FrameReader::open();
        let privilege = Privilege::probe(&frames, paging.page_size);
        // Without PFNs there is nothing to look up in the frame files.
        let frames = if privilege.pfns_visible {
            frames
        } else {
            FrameReader::none()
        };
        Inspector {
            paging,
            privilege,
            frames,
        }
    }

    pub fn maps(&self, target: &Target) -> Result<MapsReport> {
        let space = AddressSpace::read_in(&target.handle, true)?;
        Ok(MapsReport {
            target: target.clone(),
            total: space.total(),
            total_size: space.total_size(),
            exe: space.exe.as_ref().map(|p| p.display().to_string()),
            regions: space.regions,
        })
    }

    /// The walk of one virtual address, as a textbook draws it.
    pub fn translate(&self, target: &Target, addr_text: &str) -> Result<Translation> {
        let va = VirtAddr(addr::parse_number(addr_text)?);
        let space = AddressSpace::read_in(&target.handle, false)?;
        let region = space.find(va).cloned();
        // The vsyscall page sits above user space; it has a region but no pagemap entry.
        if region.is_none() {
            addr::check_user_address(addr_text, va.0, &self.paging)?;
        }
        let p = &self.paging;
        let mut t = Translation {
            target: target.clone(),
            address: va,
            page_size: p.page_size,
            offset_bits: p.page_shift,
            vpn: p.vpn(va),
            offset: p.offset(va),
            page_base: p.page_base(va),
            levels: p.walk_indices(va),
            region,
            entry: None,
            pfn: None,
            physical: None,
            frame: None,
            pfn_hidden: !self.privilege.pfns_visible,
        };
        if t.region.is_none() {
            return Ok(t);
        }
        let pm = Pagemap::open_in(&target.handle)?;
        let Some(entry) = pm.entry(t.vpn)? else {
            return Ok(t);
        };
        let mut entry = entry;
        // The frame behind a page can change between reading the pagemap and reading
        // the frame's flags (compaction, KSM, reclaim): read the entry again after,
        // and start over if it moved, so that what we print belongs together.
        for _ in 0..3 {
            t.entry = Some(EntryView::new(entry));
            let Some(pfn) = entry.pfn(self.privilege.pfns_visible) else {
                break;
            };
            t.pfn = Some(pfn);
            t.physical = Some(p.physical(pfn, t.offset));
            t.frame = Some(self.frames.lookup_one(pfn)?);
            match pm.entry(t.vpn)? {
                Some(again) if again != entry => entry = again,
                _ => break,
            }
        }
        Ok(t)
    }

    /// One page of a process: its entry and, when visible, its frame's count and flags.
    pub fn page(&self, pid: i32, va: VirtAddr) -> Result<PageRow> {
        let mut rows = self.pages(pid, va, 1)?;
        Ok(rows.remove(0))
    }

    /// `count` consecutive pages from the one holding `va`, as the kernel shows them now:
    /// one pagemap read and one frame lookup for all of them. Pages past the end of
    /// the pagemap (none in user space) read as absent.
    pub fn pages(&self, pid: i32, va: VirtAddr, count: usize) -> Result<Vec<PageRow>> {
        let visible = self.privilege.pfns_visible;
        let pm = Pagemap::open(pid)?;
        let first = self.paging.vpn(va);
        let mut entries = vec![PageEntry::default(); count];
        let got = pm.read(first, &mut entries)?;
        entries[got..].fill(PageEntry::default());
        let pfns: Vec<Pfn> = entries.iter().filter_map(|e| e.pfn(visible)).collect();
        let mut frames = self.frames.lookup(&pfns)?.into_iter();
        Ok(entries
            .iter()
            .enumerate()
            .map(|(i, &entry)| {
                let frame = entry
                    .pfn(visible)
                    .map(|_| frames.next().unwrap_or_default());
                let page = VirtAddr((first + i as u64) << self.paging.page_shift);
                PageRow::new(&self.paging, page, entry, frame, visible)
            })
            .collect())
    }

    /// Works out which ranges `pages` will scan: the regions a selection covers and
    /// the unmapped gaps between them. With no selection: every region in user space.
    pub fn plan_pages(&self, target: &Target, selection: Option<&str>) -> Result<PagePlan> {
        let space = AddressSpace::read_in(&target.handle, false)?;
        let user_end = self.paging.user_space_end();
        let mut plan = PagePlan {
            segments: Vec::new(),
            notes: Vec::new(),
        };
        let push_regions = |plan: &mut PagePlan, regions: Vec<&Region>| {
            for r in regions {
                if r.start.0 >= user_end {
                    plan.notes.push(format!(
                        "{} at {} is above user space: the kernel emulates it and pagemap has no entries for it",
                        r.backing, r.start
                    ));
                } else {
                    plan.segments.push(Segment::Region(r.clone()));
                }
            }
        };
        match selection.map(addr::parse_selection).transpose()? {
            None => push_regions(&mut plan, space.regions.iter().collect()),
            Some(Selection::Region(name)) => push_regions(&mut plan, space.select(&name)?),
            Some(Selection::Range(range)) => {
                let text = selection.unwrap_or_default();
                let range = addr::validate_range(text, range, &self.paging)?;
                let mut cursor = range.start;
                for r in &space.regions {
                    let Some(part) = r.range().intersect(&range) else {
                        continue;
                    };
                    if part.start > cursor {
                        plan.segments.push(Segment::Gap(AddrRange {
                            start: cursor,
                            end: part.start,
                        }));
                    }
                    let mut clipped = r.clone();
                    clipped.start = part.start;
                    clipped.end = part.end;
                    plan.segments.push(Segment::Region(clipped));
                    cursor = part.end;
                }
                if cursor < range.end {
                    plan.segments.push(Segment::Gap(AddrRange {
                        start: cursor,
                        end: range.end,
                    }));
                }
            }
        }
        Ok(plan)
    }

    /// Scans the pages of a plan, handing every row (or run of alike pages) to `sink`.
    ///
    /// Two ways to read the page table give the same rows ([`ScanMethod`]): the
    /// PAGEMAP_SCAN ioctl (Linux 6.7+) first asks the kernel which pages are populated
    /// (present or swapped) and reads pagemap entries for those alone, so the untouched
    /// pages of a huge sparse region cost nothing; without it, pagemap is read whole, in
    /// batches. Frame files are read only for present pages, batched either way.
    pub fn scan_pages(
        &self,
        target: &Target,
        plan: &PagePlan,
        options: PageOptions,
        sink: &mut dyn PageSink,
    ) -> Result<PageSummary> {
        let pm = Pagemap::open_in(&target.handle)?;
        let p = self.paging;
        let mut summary = PageSummary::new(&self.privilege);
        let mut method = options.method;
        let mut regions_read = 0;
        let mut em = Emitter {
            paging: p,
            pfns_visible: self.privilege.pfns_visible,
            options,
            summary: &mut summary,
            sink,
            run: None,
        };
        for segment in &plan.segments {
            let region = match segment {
                Segment::Gap(gap) => {
                    em.summary.unmapped += gap.len() / p.page_size;
                    if !options.present_only && !options.summary_only {
                        em.sink.gap(*gap)?;
                    }
                    continue;
                }
                Segment::Region(r) => r,
            };
            if !options.summary_only {
                em.sink.region(region)?;
            }
            regions_read += 1;
            if method != ScanMethod::Pread {
                match self.scan_region_populated(&pm, region, &mut em) {
                    Ok(()) => method = ScanMethod::PagemapScan,
                    Err(Error::Unsupported { .. }) if method == ScanMethod::Auto => {
                        // This kernel has no PAGEMAP_SCAN: read pagemap whole from now on.
                        method = ScanMethod::Pread;
                        self.scan_region_whole(&pm, region, &mut em)?;
                    }
                    Err(e) => return Err(e),
                }
            } else {
                self.scan_region_whole(&pm, region, &mut em)?;
            }
            em.end_region()?;
        }
        // Nothing read, no method used: say so rather than name the one asked for.
        summary.method = (regions_read > 0).then_some(method);
        summary.regions = regions_read;
        Ok(summary)
    }

    /// The summary of a plan without rows (`pages --summary`), on as many threads as
    /// there are CPUs: the plan is cut into parts of about equal page counts, each read
    /// through its own pagemap file, and the counts added up. The kernel work (the
    /// page-table walks behind PAGEMAP_SCAN, pagemap and kpageflags) is what takes the
    /// time, and it runs in parallel under the target's shared mmap lock.
    pub fn summarize_pages(
        &self,
        target: &Target,
        plan: &PagePlan,
        method: ScanMethod,
    ) -> Result<PageSummary> {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let parts = plan.split(workers, self.paging.page_size);
        let options = PageOptions {
            summary_only: true,
            method,
            ..PageOptions::default()
        };
        let results: Vec<Result<PageSummary>> = std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .iter()
                .map(|part| {
                    scope.spawn(move || self.scan_pages(target, part, options, &mut NoRows))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::Child("a scanning thread panicked".into())))
                })
                .collect()
        });
        let mut total = PageSummary::new(&self.privilege);
        for r in results {
            total.add(&r?);
        }
        // A region cut between two parts was read by both: count it once.
        total.regions = plan.regions();
        Ok(total)
    }

    /// Every pagemap entry of a region, batch by batch, with one frame lookup a batch.
    fn scan_region_whole(&self, pm: &Pagemap, region: &Region, em: &mut Emitter) -> Result<()> {
        let p = self.paging;
        let mut pfns: Vec<Pfn> = Vec::new();
        pm.scan(
            p.vpn(region.start),
            p.vpn(region.end),
            |first_vpn, batch| {
                self.emit_entries(em, first_vpn, batch, &mut pfns)?;
                Ok(true)
            },
        )
    }

    /// A region through PAGEMAP_SCAN: the kernel names the populated ranges; pagemap is
    /// read for those (and for short holes between them, where one read is cheaper than
    /// two); every other page is a hole whose entry is the same for the whole region.
    fn scan_region_populated(&self, pm: &Pagemap, region: &Region, em: &mut Emitter) -> Result<()> {
        use crate::pagemap::scan::{Masks, PAGE_IS_PRESENT, PAGE_IS_SWAPPED};
        /// Holes shorter than this are read with their neighbours rather than skipped.
        const MERGE_HOLE: u64 = 16;
        let p = self.paging;
        let (start_vpn, end_vpn) = (p.vpn(region.start), p.vpn(region.end));
        let populated = Masks {
            all_of: 0,
            any_of: PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
            returned: PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
        };
        // What pagemap says of a never-touched page of this region (0, or soft-dirty
        // where the region is marked so), read once when the first hole is met.
        let mut hole_entry: Option<PageEntry> = None;
        let mut chunk = Chunk::default();
        // The window of pages to read from pagemap that is being grown.
        let mut window: Option<(u64, u64)> = None;
        let mut cursor = start_vpn;
        let flush_window =
            |chunk: &mut Chunk, window: &mut Option<(u64, u64)>, em: &mut Emitter| -> Result<()> {
                if let Some((from, to)) = window.take() {
                    chunk.read(pm, from, to, |c| self.emit_chunk(em, c))?;
                }
                Ok(())
            };
        pm.scan_regions(region.start.0, region.end.0, populated, |batch| {
            for r in batch {
                let (from, to) = (r.start >> p.page_shift, r.end >> p.page_shift);
                match window.as_mut() {
                    Some((_, w_end)) if from <= *w_end + MERGE_HOLE => *w_end = to,
                    _ => {
                        flush_window(&mut chunk, &mut window, em)?;
                        if from > cursor {
                            let e = hole(pm, &mut hole_entry, cursor)?;
                            chunk.hole(cursor, from - cursor, e, |c| self.emit_chunk(em, c))?;
                        }
                        window = Some((from, to));
                    }
                }
                cursor = window.map_or(to, |(_, w_end)| w_end);
            }
            Ok(true)
        })?;
        flush_window(&mut chunk, &mut window, em)?;
        if cursor < end_vpn {
            let e = hole(pm, &mut hole_entry, cursor)?;
            chunk.hole(cursor, end_vpn - cursor, e, |c| self.emit_chunk(em, c))?;
        }
        self.emit_chunk(em, &mut chunk)
    }

    /// Hands a chunk's pieces to the emitter in address order, after one frame lookup
    /// for all the chunk's present pages; empties the chunk.
    fn emit_chunk(&self, em: &mut Emitter, chunk: &mut Chunk) -> Result<()> {
        let mut pfns: Vec<Pfn> = Vec::new();
        let pieces = std::mem::take(&mut chunk.pieces);
        pfns.extend(
            chunk
                .entries
                .iter()
                .filter_map(|e| e.pfn(self.privilege.pfns_visible)),
        );
        let frames = self.frames.lookup(&pfns)?;
        let mut frames = frames.into_iter();
        for piece in &pieces {
            match *piece {
                Piece::Hole { vpn, pages, entry } => em.hole(vpn, pages, entry)?,
                Piece::Entries { vpn, from, to } => {
                    for (i, &entry) in chunk.entries[from..to].iter().enumerate() {
                        let frame = entry
                            .pfn(self.privilege.pfns_visible)
                            .map(|_| frames.next().unwrap_or_default());
                        em.page(vpn + i as u64, entry, frame)?;
                    }
                }
            }
        }
        chunk.entries.clear();
        chunk.pieces = pieces;
        chunk.pieces.clear();
        Ok(())
    }

    /// Rows for a batch of consecutive entries, with one frame lookup for the batch.
    fn emit_entries(
        &self,
        em: &mut Emitter,
        first_vpn: u64,
        batch: &[PageEntry],
        pfns: &mut Vec<Pfn>,
    ) -> Result<()> {
        pfns.clear();
        pfns.extend(
            batch
                .iter()
                .filter_map(|e| e.pfn(self.privilege.pfns_visible)),
        );
        let frames = self.frames.lookup(pfns)?;
        let mut frames = frames.into_iter();
        for (i, &entry) in batch.iter().enumerate() {
            let frame = entry
                .pfn(self.privilege.pfns_visible)
                .map(|_| frames.next().unwrap_or_default());
            em.page(first_vpn + i as u64, entry, frame)?;
        }
        Ok(())
    }
}

/// The pagemap entry of a hole page, read once per region.
fn hole(pm: &Pagemap, cached: &mut Option<PageEntry>, vpn: u64) -> Result<PageEntry> {
    if let Some(e) = *cached {
        return Ok(e);
    }
    let e = pm.entry(vpn)?.unwrap_or(PageEntry(0));
    *cached = Some(e);
    Ok(e)
}

/// Pieces of a region in address order, with the entries read for them, gathered so
/// that the frames of many small populated ranges are looked up together. Holds at
/// most [`crate::pagemap::BATCH_ENTRIES`] entries: memory stays bounded.
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
    /// Pages from `vpn` whose entries are `entries[from..to]`.
    Entries { vpn: u64, from: usize, to: usize },
}

impl Chunk {
    fn hole(
        &mut self,
        vpn: u64,
        pages: u64,
        entry: PageEntry,
        mut flush: impl FnMut(&mut Chunk) -> Result<()>,
    ) -> Result<()> {
        if self.pieces.len() >= crate::pagemap::BATCH_ENTRIES {
            flush(self)?;
        }
        self.pieces.push(Piece::Hole { vpn, pages, entry });
        Ok(())
    }

    /// Reads the entries of pages `[from, to)` into the chunk, flushing it whenever it
    /// is full.
    fn read(
        &mut self,
        pm: &Pagemap,
        mut from: u64,
        to: u64,
        mut flush: impl FnMut(&mut Chunk) -> Result<()>,
    ) -> Result<()> {
        const CAP: usize = crate::pagemap::BATCH_ENTRIES;
        while from < to {
            if self.entries.len() >= CAP || self.pieces.len() >= CAP {
                flush(self)?;
            }
            let n = ((to - from) as usize).min(CAP - self.entries.len());
            let at = self.entries.len();
            self.entries.resize(at + n, PageEntry(0));
            let got = pm.read(from, &mut self.entries[at..])?;
            self.entries.truncate(at + got);
            if got == 0 {
                break;
            }
            self.pieces.push(Piece::Entries {
                vpn: from,
                from: at,
                to: at + got,
            });
            from += got as u64;
        }
        Ok(())
    }
}

/// Turns entries into rows: counts every page into the summary, and hands the rows
/// the options ask for to the sink (each page, or runs of alike pages).
struct Emitter<'a> {
    paging: Paging,
    pfns_visible: bool,
    options: PageOptions,
    summary: &'a mut PageSummary,
    sink: &'a mut dyn PageSink,
    run: Option<PageRow>,
}

impl Emitter<'_> {
    fn page(&mut self, vpn: u64, entry: PageEntry, frame: Option<FrameInfo>) -> Result<()> {
        let va = VirtAddr(vpn << self.paging.page_shift);
        let row = PageRow::new(&self.paging, va, entry, frame, self.pfns_visible);
        self.summary.count(&row, frame);
        self.emit(row)
    }

    /// `pages` untouched pages from `vpn`, all with `entry`: counted at once, and as
    /// rows only when rows of absent pages are wanted.
    fn hole(&mut self, vpn: u64, pages: u64, entry: PageEntry) -> Result<()> {
        let va = VirtAddr(vpn << self.paging.page_shift);
        let mut row = PageRow::new(&self.paging, va, entry, None, self.pfns_visible);
        self.summary.count_many(&row, pages);
        if self.options.summary_only || self.options.present_only {
            return Ok(());
        }
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
        if self.options.summary_only
            || (self.options.present_only && row.state != PageState::Present)
        {
            return Ok(());
        }
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

/// What `vmlab maps` shows.
#[derive(Clone, Debug, Serialize)]
pub struct MapsReport {
    pub target: Target,
    pub exe: Option<String>,
    pub regions: Vec<Region>,
    pub total: Usage,
    pub total_size: u64,
}

/// A pagemap entry, decoded for display.
#[derive(Clone, Debug, Serialize)]
pub struct EntryView {
    /// The 64-bit entry as the kernel gave it, in hex.
    pub raw: String,
    pub state: PageState,
    pub bits: EntryBits,
    pub swap_type: Option<u64>,
    pub swap_offset: Option<u64>,
}

impl EntryView {
    fn new(e: PageEntry) -> EntryView {
        EntryView {
            raw: format!("0x{:016x}", e.raw()),
            state: e.state(),
            bits: e.bits(),
            swap_type: e.swap_type(),
            swap_offset: e.swap_offset(),
        }
    }
}

/// What `vmlab translate` shows: every step from virtual to physical.
#[derive(Clone, Debug, Serialize)]
pub struct Translation {
    pub target: Target,
    pub address: VirtAddr,
    pub page_size: u64,
    pub offset_bits: u32,
    pub vpn: u64,
    pub offset: u64,
    pub page_base: VirtAddr,
    pub levels: Vec<LevelIndex>,
    /// The region holding the address; `None` when no mapping does (a fault).
    pub region: Option<Region>,
    pub entry: Option<EntryView>,
    pub pfn: Option<Pfn>,
    pub physical: Option<PhysAddr>,
    pub frame: Option<FrameInfo>,
    pub pfn_hidden: bool,
}

/// What `pages` will scan, in address order.
#[derive(Clone, Debug)]
pub struct PagePlan {
    pub segments: Vec<Segment>,
    /// Things left out, with the reason.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum Segment {
    /// A region (clipped to the requested range).
    Region(Region),
    /// Addresses in no region.
    Gap(AddrRange),
}

#[derive(Clone, Copy, Debug, Default)]
pub struct PageOptions {
    /// One row per run of alike consecutive pages.
    pub runs: bool,
    /// Only present pages.
    pub present_only: bool,
    /// No rows: the summary alone.
    pub summary_only: bool,
    /// How to read the page table.
    pub method: ScanMethod,
}

/// How `pages` reads a process's page table. Both give the same rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ScanMethod {
    /// PAGEMAP_SCAN where the kernel has it, else pread.
    #[default]
    Auto,
    /// The PAGEMAP_SCAN ioctl (Linux 6.7+): skip what was never touched.
    PagemapScan,
    /// Batched pread of every pagemap entry.
    Pread,
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

impl PagePlan {
    /// How many regions the plan reads.
    pub fn regions(&self) -> u64 {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Region(_)))
            .count() as u64
    }

    /// Cuts the plan into at most `parts` plans of about equal page counts (regions
    /// are cut at page boundaries), in address order. Notes stay with the first part.
    pub fn split(&self, parts: usize, page_size: u64) -> Vec<PagePlan> {
        let pages = |seg: &Segment| match seg {
            Segment::Region(r) => r.size() / page_size,
            Segment::Gap(g) => g.len() / page_size,
        };
        let total: u64 = self.segments.iter().map(pages).sum();
        let share = total.div_ceil(parts.max(1) as u64).max(1);
        let mut out: Vec<PagePlan> = Vec::new();
        let mut current = PagePlan {
            segments: Vec::new(),
            notes: self.notes.clone(),
        };
        let mut room = share;
        for seg in &self.segments {
            let mut seg = seg.clone();
            loop {
                let n = pages(&seg);
                if n <= room {
                    room -= n;
                    current.segments.push(seg);
                    break;
                }
                // Cut: the first `room` pages stay in this part.
                let cut = |start: VirtAddr| VirtAddr(start.0 + room * page_size);
                let (head, tail) = match seg {
                    Segment::Region(ref r) => {
                        let (mut a, mut b) = (r.clone(), r.clone());
                        a.end = cut(r.start);
                        b.start = a.end;
                        (Segment::Region(a), Segment::Region(b))
                    }
                    Segment::Gap(g) => {
                        let mid = cut(g.start);
                        (
                            Segment::Gap(AddrRange {
                                start: g.start,
                                end: mid,
                            }),
                            Segment::Gap(AddrRange {
                                start: mid,
                                end: g.end,
                            }),
                        )
                    }
                };
                if room > 0 {
                    current.segments.push(head);
                }
                out.push(std::mem::replace(
                    &mut current,
                    PagePlan {
                        segments: Vec::new(),
                        notes: Vec::new(),
                    },
                ));
                room = share;
                seg = tail;
            }
        }
        if !current.segments.is_empty() || out.is_empty() {
            out.push(current);
        }
        out
    }
}

/// Receives the rows of a page scan as they are made.
pub trait PageSink {
    fn region(&mut self, region: &Region) -> Result<()>;
    fn gap(&mut self, gap: AddrRange) -> Result<()>;
    fn row(&mut self, row: &PageRow) -> Result<()>;
}

/// One page, or a run of alike consecutive pages (`pages > 1`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageRow {
    pub va: VirtAddr,
    pub vpn: u64,
    pub pages: u64,
    pub state: PageState,
    /// The frame of the first page; `None` when absent, swapped, or hidden.
    pub pfn: Option<Pfn>,
    /// The frame of the last page of a run.
    pub last_pfn: Option<Pfn>,
    pub pa: Option<PhysAddr>,
    pub map_count: Option<u64>,
    pub exclusive: bool,
    pub soft_dirty: bool,
    pub file_or_shared: bool,
    pub uffd_wp: bool,
    pub swap_type: Option<u64>,
    pub swap_offset: Option<u64>,
    pub flags: Option<KpageFlags>,
    #[serde(skip)]
    page_size: u64,
}

impl PageRow {
    fn new(
        p: &Paging,
        va: VirtAddr,
        e: PageEntry,
        frame: Option<FrameInfo>,
        pfns_visible: bool,
    ) -> PageRow {
        let pfn = e.pfn(pfns_visible);
        PageRow {
            va,
            vpn: p.vpn(va),
            pages: 1,
            state: e.state(),
            pfn,
            last_pfn: pfn,
            pa: pfn.map(|f| p.physical(f, 0)),
            map_count: frame.and_then(|f| f.map_count),
            exclusive: e.exclusive(),
            soft_dirty: e.soft_dirty(),
            file_or_shared: e.file_or_shared(),
            uffd_wp: e.uffd_wp(),
            swap_type: e.swap_type(),
            swap_offset: e.swap_offset(),
            flags: frame.and_then(|f| f.flags),
            page_size: p.page_size,
        }
    }

    /// The first address after this row.
    pub fn end(&self) -> VirtAddr {
        VirtAddr(self.va.0 + self.pages * self.page_size)
    }

    /// Appends `next` to this run if it is alike: same state, bits, map count and
    /// flags, and its frame is the same as (the zero page) or follows the last one
    /// (physically contiguous, as in a huge page).
    fn extend(&mut self, next: &PageRow) -> bool {
        let frames_continue = match (self.last_pfn, next.pfn) {
            (None, None) => true,
            (Some(last), Some(n)) => {
                let step = if self.pages == 1 {
                    None
                } else {
                    self.pfn.map(|f| last.0 != f.0)
                };
                match step {
                    None => n.0 == last.0 || n.0 == last.0 + 1,
                    Some(true) => n.0 == last.0 + 1,
                    Some(false) => n.0 == last.0,
                }
            }
            _ => false,
        };
        let alike = next.va == self.end()
            && frames_continue
            && next.state == self.state
            && next.map_count == self.map_count
            && next.exclusive == self.exclusive
            && next.soft_dirty == self.soft_dirty
            && next.file_or_shared == self.file_or_shared
            && next.uffd_wp == self.uffd_wp
            && next.swap_type == self.swap_type
            && next.swap_offset.is_none()
            && next.flags == self.flags;
        if alike {
            self.pages += next.pages;
            self.last_pfn = next.last_pfn;
        }
        alike
    }
}

/// Counts over every page scanned (also those `--present` hides).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PageSummary {
    /// Pages inside regions.
    pub pages: u64,
    pub present: u64,
    pub swapped: u64,
    /// Mapped but not in RAM nor swap: never touched, or dropped.
    pub absent: u64,
    /// Pages of the range that lie in no region.
    pub unmapped: u64,
    /// Present pages marked exclusively mapped (pagemap bit 56).
    pub exclusive: u64,
    /// Present pages whose frame has a map count of 2 or more; `None` without
    /// /proc/kpagecount.
    pub shared: Option<u64>,
    pub soft_dirty: u64,
    pub file_or_shared: u64,
    /// Present pages on the shared zero page; `None` without /proc/kpageflags.
    pub zero_page: Option<u64>,
    /// Present pages in a transparent or hugetlb huge page; `None` without kpageflags.
    pub huge: Option<u64>,
    /// How many present pages have each map count (`{"1": 5120, "2": 12}`); `None`
    /// without /proc/kpagecount.
    pub map_counts: Option<std::collections::BTreeMap<u64, u64>>,
    /// How the page table was read: `pagemap-scan` or `pread`; `None` when no region
    /// was in the range, so nothing was read.
    pub method: Option<ScanMethod>,
    /// How many regions (or parts of regions) of the range were read.
    pub regions: u64,
}

impl PageSummary {
    fn new(privilege: &Privilege) -> PageSummary {
        let counts =
            privilege.pfns_visible && privilege.kpagecount == crate::frames::Access::Readable;
        let flags =
            privilege.pfns_visible && privilege.kpageflags == crate::frames::Access::Readable;
        PageSummary {
            shared: counts.then_some(0),
            zero_page: flags.then_some(0),
            huge: flags.then_some(0),
            map_counts: counts.then(std::collections::BTreeMap::new),
            ..PageSummary::default()
        }
    }

    /// Adds the counts of another part of the same scan.
    fn add(&mut self, other: &PageSummary) {
        let add = |a: &mut Option<u64>, b: Option<u64>| {
            if let (Some(x), Some(y)) = (a.as_mut(), b) {
                *x += y;
            }
        };
        self.pages += other.pages;
        self.present += other.present;
        self.swapped += other.swapped;
        self.absent += other.absent;
        self.unmapped += other.unmapped;
        self.exclusive += other.exclusive;
        self.soft_dirty += other.soft_dirty;
        self.file_or_shared += other.file_or_shared;
        add(&mut self.shared, other.shared);
        add(&mut self.zero_page, other.zero_page);
        add(&mut self.huge, other.huge);
        if let (Some(mine), Some(theirs)) = (self.map_counts.as_mut(), &other.map_counts) {
            for (count, pages) in theirs {
                *mine.entry(*count).or_default() += pages;
            }
        }
        // The method of the whole is what any part used; a part that fell back to
        // pread makes the whole a pread scan; a part of gaps only used none.
        self.method = match (self.method, other.method) {
            (Some(ScanMethod::Pread), _) | (_, Some(ScanMethod::Pread)) => Some(ScanMethod::Pread),
            (mine, theirs) => mine.or(theirs),
        };
        self.regions += other.regions;
    }

    /// Counts `pages` pages alike to `row`, which is not present (a hole).
    fn count_many(&mut self, row: &PageRow, pages: u64) {
        debug_assert_ne!(row.state, PageState::Present);
        self.pages += pages;
        match row.state {
            PageState::Swapped => self.swapped += pages,
            PageState::Unmapped => self.unmapped += pages,
            _ => self.absent += pages,
        }
    }

    fn count(&mut self, row: &PageRow, frame: Option<FrameInfo>) {
        self.pages += 1;
        match row.state {
            PageState::Present => self.present += 1,
            PageState::Swapped => self.swapped += 1,
            PageState::Absent => self.absent += 1,
            PageState::Unmapped => self.unmapped += 1,
        }
        if row.state != PageState::Present {
            return;
        }
        self.exclusive += row.exclusive as u64;
        self.soft_dirty += row.soft_dirty as u64;
        self.file_or_shared += row.file_or_shared as u64;
        let frame = frame.unwrap_or_default();
        if let (Some(n), Some(count)) = (self.shared.as_mut(), frame.map_count) {
            *n += (count >= 2) as u64;
        }
        if let (Some(counts), Some(count)) = (self.map_counts.as_mut(), frame.map_count) {
            *counts.entry(count).or_default() += 1;
        }
        if let Some(flags) = frame.flags {
            if let Some(z) = self.zero_page.as_mut() {
                *z += flags.has(flag::ZERO_PAGE) as u64;
            }
            if let Some(h) = self.huge.as_mut() {
                *h += (flags.has(flag::THP) || flags.has(flag::HUGE)) as u64;
            }
        }
    }
}
