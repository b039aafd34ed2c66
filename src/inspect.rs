//! The inspector: what `vmlab maps`, `vmlab pages` and `vmlab translate` compute.
//!
//! Each command is a function from a process (and an address or range) to a plain data
//! record. The records are `Serialize`, so `--json` and the tables show the same data.
//! `pages` streams: it hands rows to a [`PageSink`] batch by batch, so scanning a range
//! of any size needs one pagemap buffer and no list of all pages.

use std::path::Path;

use serde::Serialize;

use crate::addr::{self, AddrRange, LevelIndex, Paging, Pfn, PhysAddr, Selection, VirtAddr};
use crate::error::{Error, InputError, Result};
use crate::frames::{FrameInfo, FrameReader, KpageFlags, flag};
use crate::pagemap::{EntryBits, PageEntry, PageState, Pagemap};
use crate::privilege::Privilege;
use crate::space::{AddressSpace, Region, Usage};

/// A process to inspect, checked to exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    pub pid: i32,
    /// Its name from `/proc/<pid>/comm`.
    pub command: String,
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
        let comm = format!("/proc/{pid}/comm");
        match std::fs::read_to_string(&comm) {
            Ok(c) => Ok(Target {
                pid,
                command: c.trim_end().to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NoSuchProcess { pid }),
            Err(e) => Err(Error::from_proc_io(pid, Path::new(&comm), e)),
        }
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
        let space = AddressSpace::read(target.pid)?;
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
        let space = AddressSpace::read_layout(target.pid)?;
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
        let pm = Pagemap::open(target.pid)?;
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
        let visible = self.privilege.pfns_visible;
        let pm = Pagemap::open(pid)?;
        let entry = pm.entry(self.paging.vpn(va))?.unwrap_or_default();
        let frame = match entry.pfn(visible) {
            Some(pfn) => Some(self.frames.lookup_one(pfn)?),
            None => None,
        };
        Ok(PageRow::new(
            &self.paging,
            self.paging.page_base(va),
            entry,
            frame,
            visible,
        ))
    }

    /// Works out which ranges `pages` will scan: the regions a selection covers and
    /// the unmapped gaps between them. With no selection: every region in user space.
    pub fn plan_pages(&self, target: &Target, selection: Option<&str>) -> Result<PagePlan> {
        let space = AddressSpace::read_layout(target.pid)?;
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
    pub fn scan_pages(
        &self,
        target: &Target,
        plan: &PagePlan,
        options: PageOptions,
        sink: &mut dyn PageSink,
    ) -> Result<PageSummary> {
        let pm = Pagemap::open(target.pid)?;
        let p = self.paging;
        let mut summary = PageSummary::new(&self.privilege);
        for segment in &plan.segments {
            let region = match segment {
                Segment::Gap(gap) => {
                    summary.unmapped += gap.len() / p.page_size;
                    if !options.present_only {
                        sink.gap(*gap)?;
                    }
                    continue;
                }
                Segment::Region(r) => r,
            };
            sink.region(region)?;
            let mut run: Option<PageRow> = None;
            let mut pfns: Vec<Pfn> = Vec::new();
            pm.scan(
                p.vpn(region.start),
                p.vpn(region.end),
                |first_vpn, batch| {
                    // One batched frame lookup for all present pages of this batch.
                    pfns.clear();
                    pfns.extend(
                        batch
                            .iter()
                            .filter_map(|e| e.pfn(self.privilege.pfns_visible)),
                    );
                    let frames = self.frames.lookup(&pfns)?;
                    let mut frames = frames.into_iter();
                    for (i, &entry) in batch.iter().enumerate() {
                        let va = VirtAddr((first_vpn + i as u64) << p.page_shift);
                        let frame = entry
                            .pfn(self.privilege.pfns_visible)
                            .map(|_| frames.next().unwrap_or_default());
                        let row = PageRow::new(&p, va, entry, frame, self.privilege.pfns_visible);
                        summary.count(&row, frame);
                        if options.present_only && row.state != PageState::Present {
                            continue;
                        }
                        if !options.runs {
                            sink.row(&row)?;
                        } else if let Some(cur) = run.as_mut() {
                            if !cur.extend(&row) {
                                sink.row(cur)?;
                                *cur = row;
                            }
                        } else {
                            run = Some(row);
                        }
                    }
                    Ok(true)
                },
            )?;
            if let Some(last) = run.take() {
                sink.row(&last)?;
            }
        }
        Ok(summary)
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
            self.pages += 1;
            self.last_pfn = next.pfn;
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
            ..PageSummary::default()
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
