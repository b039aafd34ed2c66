//! The page-table view the kernel exports: `/proc/<pid>/pagemap`.
//!
//! The file holds one 64-bit entry per virtual page, at file offset `VPN × 8`. Each
//! entry is the kernel's summary of that page's PTE (Documentation/admin-guide/mm/pagemap.rst):
//!
//! ```text
//!   63  page present (in RAM)            58  guard region (MADV_GUARD_INSTALL)
//!   62  page swapped                     57  userfaultfd write-protected
//!   61  file page or shared anonymous    56  page exclusively mapped (by this process)
//!   59-60  zero                          55  soft-dirty (written since clear_refs 4)
//!   54-0   present: PFN (0 without CAP_SYS_ADMIN)
//!          swapped: bits 4-0 swap type, bits 54-5 swap offset
//! ```
//!
//! Reads must be 8-byte aligned multiples of 8. vmlab reads in large batches with
//! `pread` (one syscall per 64 Ki pages, never one per page), and streams: a range of
//! any size is scanned with one fixed buffer.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use serde::Serialize;

use crate::addr::Pfn;
use crate::error::{Error, Result};

const PRESENT: u64 = 1 << 63;
const SWAPPED: u64 = 1 << 62;
const FILE_OR_SHARED: u64 = 1 << 61;
const GUARD: u64 = 1 << 58;
const UFFD_WP: u64 = 1 << 57;
const EXCLUSIVE: u64 = 1 << 56;
const SOFT_DIRTY: u64 = 1 << 55;
const PFN_MASK: u64 = (1 << 55) - 1;
const SWAP_TYPE_MASK: u64 = 0x1f;

/// How many entries one `pread` fetches: 64 Ki entries = 512 KiB, which measured
/// fastest here (KERNEL-NOTES: 64 KiB-1 MiB batches read 100-180 M entries/s).
pub const BATCH_ENTRIES: usize = 64 * 1024;

/// One decoded pagemap entry (the kernel's u64, in native byte order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct PageEntry(pub u64);

impl PageEntry {
    pub fn raw(self) -> u64 {
        self.0
    }

    /// The page is in RAM: the PTE is valid and points at a frame.
    pub fn present(self) -> bool {
        self.0 & PRESENT != 0
    }

    /// Present or swapped: the page has contents somewhere.
    pub fn populated(self) -> bool {
        self.0 & (PRESENT | SWAPPED) != 0
    }

    /// The page was written out to swap; the PTE holds where.
    pub fn swapped(self) -> bool {
        self.0 & SWAPPED != 0
    }

    /// The frame number, exactly as the kernel wrote it. It is 0 both for "no frame"
    /// and for "hidden from you"; use [`PageEntry::pfn`] with the privilege known.
    pub fn raw_pfn(self) -> u64 {
        if self.present() { self.0 & PFN_MASK } else { 0 }
    }

    /// The frame number if the page is present and frame numbers are visible.
    pub fn pfn(self, pfns_visible: bool) -> Option<Pfn> {
        (self.present() && pfns_visible).then_some(Pfn(self.0 & PFN_MASK))
    }

    pub fn swap_type(self) -> Option<u64> {
        self.swapped().then_some(self.0 & SWAP_TYPE_MASK)
    }

    pub fn swap_offset(self) -> Option<u64> {
        self.swapped().then_some((self.0 & PFN_MASK) >> 5)
    }

    /// Written since soft-dirty bits were last cleared (`echo 4 > clear_refs`). Always
    /// 0 on kernels built without CONFIG_MEM_SOFT_DIRTY.
    pub fn soft_dirty(self) -> bool {
        self.0 & SOFT_DIRTY != 0
    }

    /// Mapped by exactly this process (an anonymous page not shared copy-on-write
    /// after fork, or a file page mapped once).
    pub fn exclusive(self) -> bool {
        self.0 & EXCLUSIVE != 0
    }

    pub fn uffd_wp(self) -> bool {
        self.0 & UFFD_WP != 0
    }

    pub fn guard(self) -> bool {
        self.0 & GUARD != 0
    }

    /// A page-cache page of a file, or shared anonymous memory (shmem).
    pub fn file_or_shared(self) -> bool {
        self.0 & FILE_OR_SHARED != 0
    }

    /// The page's state in one word: `present`, `swapped` or `absent`.
    pub fn state(self) -> PageState {
        if self.present() {
            PageState::Present
        } else if self.swapped() {
            PageState::Swapped
        } else {
            PageState::Absent
        }
    }

    /// The flag bits as a stable JSON object.
    pub fn bits(self) -> EntryBits {
        EntryBits {
            present: self.present(),
            swapped: self.swapped(),
            file_or_shared: self.file_or_shared(),
            exclusive: self.exclusive(),
            soft_dirty: self.soft_dirty(),
            uffd_wp: self.uffd_wp(),
            guard: self.guard(),
        }
    }
}

/// What the pagemap says of one virtual page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageState {
    /// In RAM: the page-table entry is valid.
    Present,
    /// On the swap device.
    Swapped,
    /// Inside a mapping but never touched (or dropped): demand paging will fill it.
    Absent,
    /// In no mapping at all: touching it faults with SEGV_MAPERR.
    Unmapped,
}

impl PageState {
    pub fn as_str(self) -> &'static str {
        match self {
            PageState::Present => "present",
            PageState::Swapped => "swapped",
            PageState::Absent => "absent",
            PageState::Unmapped => "unmapped",
        }
    }
}

/// The single-bit fields of a pagemap entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EntryBits {
    pub present: bool,
    pub swapped: bool,
    pub file_or_shared: bool,
    pub exclusive: bool,
    pub soft_dirty: bool,
    pub uffd_wp: bool,
    pub guard: bool,
}

/// An open `/proc/<pid>/pagemap`.
pub struct Pagemap {
    file: File,
    pid: i32,
    path: PathBuf,
    /// The process it was opened through, to tell an exit from a zombie or a reused PID.
    process: Option<std::sync::Arc<crate::process::ProcessHandle>>,
}

impl Pagemap {
    /// Opens the pagemap of `pid`. Whether frame numbers are visible is fixed by the
    /// credentials of this open (KERNEL-NOTES), so open it after dropping privileges,
    /// not before, if you want to see what an unprivileged user sees.
    pub fn open(pid: i32) -> Result<Pagemap> {
        let path = PathBuf::from(format!("/proc/{pid}/pagemap"));
        let file = File::open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound && !crate::error::process_gone(pid) {
                // The process is there but the file is not: a kernel built without it.
                Error::Unsupported {
                    what: "/proc/<pid>/pagemap".into(),
                    why: "the kernel was built without CONFIG_PROC_PAGE_MONITOR".into(),
                }
            } else {
                Error::from_proc_io(pid, &path, e)
            }
        })?;
        Ok(Pagemap {
            file,
            pid,
            path,
            process: None,
        })
    }

    /// Opens the pagemap of the process `handle` names: of that process, never of a
    /// later one given the same PID.
    pub fn open_in(handle: &std::sync::Arc<crate::process::ProcessHandle>) -> Result<Pagemap> {
        let file = handle.open_file("pagemap")?;
        Ok(Pagemap {
            file,
            pid: handle.pid,
            path: handle.path("pagemap"),
            process: Some(handle.clone()),
        })
    }

    /// The error for a read that found the process gone.
    fn gone(&self) -> Option<Error> {
        match &self.process {
            Some(h) => h.gone_error(&self.path.display().to_string()),
            None => crate::error::process_gone(self.pid).then(|| Error::ProcessExited {
                pid: self.pid,
                what: self.path.display().to_string(),
            }),
        }
    }

    /// Reads the entries of pages `first_vpn ..` into `out`, as many as fit, and returns
    /// how many the kernel gave (fewer at the end of the pagemap, which stops at the
    /// top of user space). The kernel writes straight into `out`: no buffer is
    /// allocated, so a scan that reuses `out` allocates nothing per read.
    pub fn read(&self, first_vpn: u64, out: &mut [PageEntry]) -> Result<usize> {
        // SAFETY: PageEntry is a transparent u64, so `out` is `8 × len` initialised
        // bytes, and any bytes the kernel writes there are a valid PageEntry.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), out.len() * 8) };
        self.read_bytes(first_vpn, bytes)
    }

    /// Reads one entry. `None` where the pagemap has no entry (above user space).
    pub fn entry(&self, vpn: u64) -> Result<Option<PageEntry>> {
        let mut one = [PageEntry(0)];
        Ok((self.read(vpn, &mut one)? == 1).then_some(one[0]))
    }

    fn read_bytes(&self, first_vpn: u64, buf: &mut [u8]) -> Result<usize> {
        let Some(mut offset) = first_vpn.checked_mul(8) else {
            return Ok(0);
        };
        let mut filled = 0;
        while filled < buf.len() {
            match self.file.read_at(&mut buf[filled..], offset) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    offset += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(match &self.process {
                        Some(h) => h.explain("pagemap", e),
                        None => Error::from_proc_io(self.pid, &self.path, e),
                    });
                }
            }
        }
        // The kernel only returns whole entries; if the process died mid-read the
        // file reads as empty, which the caller sees as a short read.
        if filled == 0
            && let Some(e) = self.gone()
        {
            return Err(e);
        }
        Ok(filled / 8)
    }

    /// Streams the entries of pages `[start_vpn, end_vpn)` to `visit` in batches of at
    /// most [`BATCH_ENTRIES`], reusing one buffer: memory stays bounded whatever the
    /// range. `visit` gets the VPN of the batch's first entry and the batch, and can
    /// stop the scan by returning `false`. Pages past the end of the pagemap are not
    /// visited.
    pub fn scan(
        &self,
        start_vpn: u64,
        end_vpn: u64,
        mut visit: impl FnMut(u64, &[PageEntry]) -> Result<bool>,
    ) -> Result<()> {
        let len = BATCH_ENTRIES.min(end_vpn.saturating_sub(start_vpn) as usize);
        let mut buf = vec![PageEntry(0); len];
        let mut vpn = start_vpn;
        while vpn < end_vpn {
            let want = ((end_vpn - vpn) as usize).min(buf.len());
            let got = self.read(vpn, &mut buf[..want])?;
            if got == 0 || !visit(vpn, &buf[..got])? {
                break;
            }
            vpn += got as u64;
        }
        Ok(())
    }
}

/// The PAGEMAP_SCAN ioctl on `/proc/<pid>/pagemap` (Linux 6.7+,
/// include/uapi/linux/fs.h): the kernel itself lists the regions of a range whose pages
/// have given categories (present, written, the zero page ...), without a read of every
/// entry. libc has no binding, so the structures and numbers are copied here.
pub mod scan {
    /// `_IOWR('f', 16, struct pm_scan_arg)`.
    pub const PAGEMAP_SCAN: libc::c_ulong = 0xC060_6610;

    /// Regions the kernel may return per ioctl (24 bytes each): few calls on a sparse
    /// range, bounded memory on any.
    pub const VEC_LEN: usize = 4096;

    /// Categories of a page (`PAGE_IS_*`), for the masks of [`Masks`] and
    /// [`PageRegion::categories`].
    pub const PAGE_IS_WPALLOWED: u64 = 1 << 0;
    /// Written since userfaultfd asynchronous write-protection was set on it; only
    /// meaningful in a range registered for it.
    pub const PAGE_IS_WRITTEN: u64 = 1 << 1;
    pub const PAGE_IS_FILE: u64 = 1 << 2;
    pub const PAGE_IS_PRESENT: u64 = 1 << 3;
    pub const PAGE_IS_SWAPPED: u64 = 1 << 4;
    /// Maps the shared zero page (or the huge zero page).
    pub const PAGE_IS_PFNZERO: u64 = 1 << 5;
    pub const PAGE_IS_HUGE: u64 = 1 << 6;
    pub const PAGE_IS_SOFT_DIRTY: u64 = 1 << 7;

    /// `struct pm_scan_arg`.
    #[repr(C)]
    #[derive(Debug, Default)]
    pub struct PmScanArg {
        /// Must be `size_of::<PmScanArg>()` (96), or the kernel answers EINVAL.
        pub size: u64,
        pub flags: u64,
        pub start: u64,
        pub end: u64,
        /// Where the kernel stopped: `end`, or earlier when `vec` filled up.
        pub walk_end: u64,
        pub vec: u64,
        pub vec_len: u64,
        pub max_pages: u64,
        pub category_inverted: u64,
        pub category_mask: u64,
        pub category_anyof_mask: u64,
        pub return_mask: u64,
    }

    const _: () = assert!(std::mem::size_of::<PmScanArg>() == 96);

    /// `struct page_region`: pages `[start, end)`, all with the same `categories`
    /// (those of the return mask only).
    #[repr(C)]
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct PageRegion {
        pub start: u64,
        pub end: u64,
        pub categories: u64,
    }

    /// Which pages a scan reports, and which of their categories.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct Masks {
        /// A page is reported only if it has every one of these categories.
        pub all_of: u64,
        /// ... and at least one of these (0: no such condition).
        pub any_of: u64,
        /// The categories each region carries back.
        pub returned: u64,
    }

    /// For each of `pages` pages of `page_size` bytes from `start`: does one of
    /// `regions` hold it with `category`?
    pub fn pages_with(
        regions: &[PageRegion],
        start: u64,
        pages: usize,
        page_size: u64,
        category: u64,
    ) -> Vec<bool> {
        let end = start + pages as u64 * page_size;
        let mut out = vec![false; pages];
        for r in regions.iter().filter(|r| r.categories & category != 0) {
            for a in (r.start.max(start)..r.end.min(end)).step_by(page_size as usize) {
                out[((a - start) / page_size) as usize] = true;
            }
        }
        out
    }
}

impl Pagemap {
    /// The regions of `[start, end)` (`start` page-aligned) whose pages match `masks`,
    /// from the PAGEMAP_SCAN ioctl. Adjacent pages with equal categories come back as
    /// one region. [`Error::Unsupported`] when this kernel has no PAGEMAP_SCAN.
    pub fn page_regions(
        &self,
        start: u64,
        end: u64,
        masks: scan::Masks,
    ) -> Result<Vec<scan::PageRegion>> {
        let mut found: Vec<scan::PageRegion> = Vec::new();
        self.scan_regions(start, end, masks, |batch| {
            for r in batch {
                // A region cut where the kernel's vector filled up continues in the
                // next batch.
                match found.last_mut() {
                    Some(last) if last.end == r.start && last.categories == r.categories => {
                        last.end = r.end
                    }
                    _ => found.push(*r),
                }
            }
            Ok(true)
        })?;
        Ok(found)
    }

    /// Streams the PAGEMAP_SCAN regions of `[start, end)` to `visit`, one ioctl's worth
    /// (at most [`scan::VEC_LEN`] regions) at a time, in address order: memory stays
    /// bounded whatever the range. A region may be split across two batches. `visit`
    /// stops the walk by returning `false`.
    pub fn scan_regions(
        &self,
        start: u64,
        end: u64,
        masks: scan::Masks,
        visit: impl FnMut(&[scan::PageRegion]) -> Result<bool>,
    ) -> Result<()> {
        self.scan_regions_by(start, end, masks, scan::VEC_LEN, visit)
    }

    /// [`Pagemap::scan_regions`], at most `vec_len` regions an ioctl (a first, small
    /// call says how dense a range is before the rest is walked).
    pub fn scan_regions_by(
        &self,
        start: u64,
        end: u64,
        masks: scan::Masks,
        vec_len: usize,
        mut visit: impl FnMut(&[scan::PageRegion]) -> Result<bool>,
    ) -> Result<()> {
        use scan::{PAGEMAP_SCAN, PageRegion, PmScanArg};
        use std::os::fd::AsRawFd;
        #[allow(non_snake_case)]
        let VEC_LEN = vec_len.max(1);
        let mut vec = vec![PageRegion::default(); VEC_LEN];
        let mut from = start;
        while from < end {
            let mut arg = PmScanArg {
                size: std::mem::size_of::<PmScanArg>() as u64,
                start: from,
                end,
                vec: vec.as_mut_ptr() as u64,
                vec_len: VEC_LEN as u64,
                category_mask: masks.all_of,
                category_anyof_mask: masks.any_of,
                return_mask: masks.returned,
                ..PmScanArg::default()
            };
            // SAFETY: `arg` is a pm_scan_arg of the size the kernel checks; `vec` points
            // at a buffer with room for `vec_len` regions; both outlive the call, and the
            // kernel writes nothing else.
            let n = unsafe { libc::ioctl(self.file.as_raw_fd(), PAGEMAP_SCAN, &mut arg) };
            if n < 0 {
                let err = std::io::Error::last_os_error();
                return Err(match err.raw_os_error() {
                    Some(libc::ENOTTY) | Some(libc::EINVAL) => Error::Unsupported {
                        what: format!("PAGEMAP_SCAN on {}", self.path.display()),
                        why: format!("this kernel has no PAGEMAP_SCAN (Linux 6.7+): {err}"),
                    },
                    _ => Error::from_proc_io(self.pid, &self.path, err),
                });
            }
            let n = (n as usize).min(VEC_LEN);
            // When the vector fills up, the kernel's `walk_end` can lie inside the last
            // region it returned, and the next call then reports that region's tail
            // again: clip what was already reported, so no page is counted twice.
            let mut fresh = 0;
            for i in 0..n {
                let mut r = vec[i];
                r.start = r.start.max(from);
                if r.start < r.end {
                    vec[fresh] = r;
                    fresh += 1;
                }
            }
            if !visit(&vec[..fresh])? {
                break;
            }
            // A full vector means the kernel may have stopped early: go on from where it
            // says it stopped, or from the end of what it reported if that is further.
            // `walk_end` alone is not trusted to say "done" (KERNEL-NOTES).
            let reported_end = vec[..fresh].last().map_or(from, |r| r.end);
            let next = arg.walk_end.max(reported_end);
            if n < VEC_LEN || next <= from {
                break;
            }
            from = next;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_bit() {
        let e = PageEntry(PRESENT | EXCLUSIVE | SOFT_DIRTY | 0x1a2b3);
        assert!(e.present() && e.exclusive() && e.soft_dirty());
        assert!(!e.swapped() && !e.file_or_shared() && !e.uffd_wp() && !e.guard());
        assert_eq!(e.pfn(true), Some(Pfn(0x1a2b3)));
        assert_eq!(e.pfn(false), None);
        assert_eq!(e.state(), PageState::Present);
        assert_eq!(e.swap_type(), None);

        let f = PageEntry(PRESENT | FILE_OR_SHARED | UFFD_WP | GUARD);
        assert!(f.file_or_shared() && f.uffd_wp() && f.guard() && !f.exclusive());

        // Swap entry: type 3 in bits 0-4, offset 0x1234 in bits 5-54.
        let s = PageEntry(SWAPPED | (0x1234 << 5) | 3);
        assert_eq!(s.state(), PageState::Swapped);
        assert_eq!(s.swap_type(), Some(3));
        assert_eq!(s.swap_offset(), Some(0x1234));
        assert_eq!(s.raw_pfn(), 0, "a swapped page has no frame");
        assert_eq!(s.pfn(true), None);

        assert_eq!(PageEntry(0).state(), PageState::Absent);
        // Bits 59-60 are zero and must not leak into the PFN.
        assert_eq!(PageEntry(PRESENT | (1 << 54)).raw_pfn(), 1 << 54);
    }

    #[test]
    fn bits_match_accessors() {
        let e = PageEntry(PRESENT | FILE_OR_SHARED | EXCLUSIVE);
        let b = e.bits();
        assert!(b.present && b.file_or_shared && b.exclusive);
        assert!(!b.swapped && !b.soft_dirty && !b.uffd_wp && !b.guard);
    }

    #[test]
    fn reads_own_stack_page() {
        let local = std::hint::black_box([1u8; 64]);
        let va = local.as_ptr() as u64;
        let pm = Pagemap::open(std::process::id() as i32).unwrap();
        let e = pm.entry(va / 4096).unwrap().unwrap();
        assert!(
            e.present(),
            "a stack page just written is present: {:#x}",
            e.0
        );
        assert!(e.exclusive(), "a private stack page is mapped only by us");
        // Above user space the pagemap has no entries at all.
        assert_eq!(pm.entry(0xffff_ffff_ff60_0000 / 4096).unwrap(), None);
    }

    #[test]
    fn scan_batches_cover_the_range_once() {
        let pm = Pagemap::open(std::process::id() as i32).unwrap();
        let (start, end) = (0x1000u64, 0x1000 + 3 * BATCH_ENTRIES as u64 + 17);
        let mut seen = 0u64;
        let mut next = start;
        pm.scan(start, end, |first, batch| {
            assert_eq!(first, next);
            next += batch.len() as u64;
            seen += batch.len() as u64;
            Ok(true)
        })
        .unwrap();
        assert_eq!(seen, end - start);
    }

    #[test]
    fn page_regions_see_a_written_page_and_the_zero_page() {
        use scan::*;
        let ps = 4096u64;
        let mut mem = vec![0u8; 4 * ps as usize];
        // Page-aligned: the scan's start must be.
        let start = (mem.as_ptr() as u64).div_ceil(ps) * ps;
        let at = (start - mem.as_ptr() as u64) as usize;
        // SAFETY: `at + ps` is inside `mem`, which is ours.
        unsafe { std::ptr::write_volatile(mem.as_mut_ptr().add(at), 7) };
        let pm = Pagemap::open(std::process::id() as i32).unwrap();
        let masks = Masks {
            any_of: PAGE_IS_PRESENT,
            returned: PAGE_IS_PRESENT | PAGE_IS_PFNZERO,
            ..Masks::default()
        };
        let regions = pm.page_regions(start, start + ps, masks).unwrap();
        assert_eq!(
            regions,
            [PageRegion {
                start,
                end: start + ps,
                categories: PAGE_IS_PRESENT
            }],
            "a page just written is present and not the zero page"
        );
        assert_eq!(pages_with(&regions, start, 1, ps, PAGE_IS_PRESENT), [true]);
        assert_eq!(pages_with(&regions, start, 1, ps, PAGE_IS_PFNZERO), [false]);
        std::hint::black_box(&mem);
    }

    #[test]
    fn pages_with_clips_regions_to_the_range() {
        use scan::*;
        let r = [
            PageRegion {
                start: 0x0000,
                end: 0x3000,
                categories: PAGE_IS_PFNZERO,
            },
            PageRegion {
                start: 0x4000,
                end: 0x6000,
                categories: PAGE_IS_PRESENT,
            },
        ];
        assert_eq!(
            pages_with(&r, 0x2000, 3, 0x1000, PAGE_IS_PFNZERO),
            [true, false, false]
        );
        assert_eq!(
            pages_with(&r, 0x2000, 3, 0x1000, PAGE_IS_PRESENT),
            [false, false, true]
        );
    }
}
