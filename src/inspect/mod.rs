//! The inspector: what `vmlab maps`, `vmlab pages` and `vmlab translate` compute.
//!
//! Each command is a function from a process (and an address or range) to a plain data
//! record. The records are `Serialize`, so `--json` and the tables show the same data.
//! `pages` streams: it hands rows to a [`PageSink`] batch by batch, so scanning a range
//! of any size needs one pagemap buffer and no list of all pages.

use std::sync::Arc;

mod scan;
mod summary;
pub mod threads;

pub use summary::{FlagTable, PageSummary};

use serde::Serialize;

use crate::addr::{self, AddrRange, LevelIndex, Paging, Pfn, PhysAddr, Selection, VirtAddr};
use crate::error::{InputError, Result};
use crate::frames::{FrameInfo, FrameReader, KpageFlags};
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
    pub(crate) frames: FrameReader,
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
                    plan.notes.push(crate::tr!(
                        "pages-above-user-space",
                        name = r.backing.as_str(),
                        addr = r.start.to_string()
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
    #[serde(serialize_with = "crate::json::hex")]
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

#[derive(Clone, Debug, Default)]
pub struct PageOptions {
    /// One row per run of alike consecutive pages.
    pub runs: bool,
    /// Only present pages.
    pub present_only: bool,
    /// Only present and swapped pages: no rows of never-touched ones.
    pub populated_only: bool,
    /// No rows: the summary alone.
    pub summary_only: bool,
    /// How to read the page table.
    pub method: ScanMethod,
    /// page-types' view of the flags, for the flag table and `--flags`.
    pub view: crate::pageflags::View,
    /// `--flags`: only the pages whose flags match are counted and shown.
    pub filter: crate::pageflags::Filter,
    /// The target is stopped for the read (`--freeze`): no entry can change, so none
    /// is read again.
    pub frozen: bool,
    /// Which map counts are read from kpagecount.
    pub map_counts: MapCounts,
}

/// Which map counts a scan reads from kpagecount: one `pread` more for each frame whose
/// count pagemap does not give.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapCounts {
    /// Every page's: rows show them, `--map-counts` counts pages by them, and
    /// `maps --verify` adds up Pss from them.
    #[default]
    Every,
    /// Only where pagemap's exclusive bit cannot tell whether the page is shared: all
    /// that a summary's shared count needs.
    WhereSharingUnknown,
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

impl PagePlan {
    /// How many pages the plan covers, gaps included.
    pub fn pages(&self, page_size: u64) -> u64 {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Region(r) => r.size() / page_size,
                Segment::Gap(g) => g.len() / page_size,
            })
            .sum()
    }

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
    #[serde(serialize_with = "crate::json::hex")]
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
    pub(crate) fn new(
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

    /// The size of one of its pages.
    pub fn page_size(&self) -> u64 {
        self.page_size
    }

    /// The first address after this row.
    pub fn end(&self) -> VirtAddr {
        VirtAddr(self.va.0 + self.pages * self.page_size)
    }

    /// Appends `next` to this run if it is alike: same state, bits, map count and
    /// flags, and its frame is the same as (the zero page) or follows the last one
    /// (physically contiguous, as in a huge page).
    pub(crate) fn extend(&mut self, next: &PageRow) -> bool {
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
