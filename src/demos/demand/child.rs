//! The child of vm-demand: it does one step per message from its parent and reports,
//! so that the parent can read the child's `/proc` files between steps.
//!
//! Every fault count is taken around [`write_pages_counting_faults`], the same code
//! each time, and after a control round of that code on pages the child already owns:
//! the code's own first-run faults (its text, its stack) have then been taken, and a
//! control round that still faults says something else was faulting meanwhile.

use std::num::NonZeroUsize;

use nix::sys::mman::{MapFlags, MmapAdvise, ProtFlags, madvise, mmap_anonymous, munmap};

use super::{BIG, SMALL_BYTES, TOUCHED};
use crate::child::Channel;
use crate::demos::{minor_faults, prefault_stack, write_pages_counting_faults};

const RW: ProtFlags = ProtFlags::PROT_READ.union(ProtFlags::PROT_WRITE);

/// Pages the child owns from the start, for the control rounds.
struct Scratch {
    addr: usize,
    indices: Vec<u64>,
    ps: u64,
}

impl Scratch {
    /// Faults of a round of writes to pages already ours: 0 unless disturbed.
    fn control(&self) -> u64 {
        write_pages_counting_faults(self.addr, &self.indices, self.ps)
    }
}

/// The child's steps, in the parent's order (see [`super::gather`]).
pub(super) fn body(chan: &mut Channel, ps: u64, touched: &[u64]) -> i32 {
    // SAFETY: prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) only sets a flag of this process.
    let thp_off = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } == 0;
    prefault_stack();
    let Ok(addr) = map(TOUCHED as u64 * ps, MapFlags::empty()) else {
        return 1;
    };
    let scratch = Scratch {
        addr,
        indices: (0..TOUCHED as u64).collect(),
        ps,
    };
    // Warm-up: the measuring code runs once, its first-run faults taken here.
    scratch.control();
    chan.send(&[thp_off as u64]);

    chan.recv();
    let Some(big) = map_big(chan) else {
        return 2;
    };
    chan.recv();
    let control = scratch.control();
    let faults = write_pages_counting_faults(big, touched, ps);
    chan.send(&[faults, control]);

    chan.recv();
    let Some((plain, populated)) = map_small(chan) else {
        return 3;
    };
    chan.recv();
    let all: Vec<u64> = (0..SMALL_BYTES / ps).collect();
    let control = scratch.control();
    let plain_writes = write_pages_counting_faults(plain, &all, ps);
    let populated_writes = write_pages_counting_faults(populated, &all, ps);
    chan.send(&[plain_writes, populated_writes, control]);

    let huge = chan.recv().first().copied().unwrap_or(0);
    let noreserve = beyond_ram(chan, huge);

    chan.recv();
    unmap(scratch.addr, TOUCHED as u64 * ps);
    unmap(big, BIG);
    unmap(plain, SMALL_BYTES);
    unmap(populated, SMALL_BYTES);
    if let Some(p) = noreserve {
        unmap(p, huge);
    }
    0
}

/// Maps 1 GiB and reports `[0, address]`, or `[errno]`.
fn map_big(chan: &mut Channel) -> Option<usize> {
    match map(BIG, MapFlags::empty()) {
        Ok(big) => {
            // A second guard against huge pages, which also gives the mapping flags of
            // its own: the kernel then cannot merge it with a neighbouring anonymous
            // mapping (such as the scratch pages) into one region, whose smaps Rss
            // would count the neighbour's pages too.
            advise_nohugepage(big, BIG);
            chan.send(&[0, big as u64]);
            Some(big)
        }
        Err(errno) => {
            chan.send(&[errno as u64]);
            None
        }
    }
}

/// Maps [`SMALL_BYTES`] plainly and with MAP_POPULATE, counting the faults each mmap
/// call takes; reports both addresses and both counts.
fn map_small(chan: &mut Channel) -> Option<(usize, usize)> {
    let before = minor_faults();
    let plain = map(SMALL_BYTES, MapFlags::empty());
    let plain_faults = minor_faults() - before;
    let before = minor_faults();
    let populated = map(SMALL_BYTES, MapFlags::MAP_POPULATE);
    let populated_faults = minor_faults() - before;
    let (Ok(plain), Ok(populated)) = (plain, populated) else {
        return None;
    };
    chan.send(&[
        plain as u64,
        populated as u64,
        plain_faults,
        populated_faults,
    ]);
    Some((plain, populated))
}

/// Asks for `huge` bytes twice: plainly (given back at once if granted), then with
/// MAP_NORESERVE (kept). Reports `[plain errno, noreserve errno, address]`, an errno
/// of 0 meaning success; `huge` = 0 means "skip".
fn beyond_ram(chan: &mut Channel, huge: u64) -> Option<usize> {
    if huge == 0 {
        chan.send(&[]);
        return None;
    }
    let plain = map(huge, MapFlags::empty());
    if let Ok(p) = plain {
        unmap(p, huge);
    }
    let noreserve = map(huge, MapFlags::MAP_NORESERVE);
    let errno = |r: &Result<usize, i32>| r.err().unwrap_or(0) as u64;
    let addr = noreserve.unwrap_or(0) as u64;
    chan.send(&[errno(&plain), errno(&noreserve), addr]);
    noreserve.ok()
}

/// mmap of private anonymous read-write memory; the address, or the errno.
fn map(len: u64, extra: MapFlags) -> Result<usize, i32> {
    let len = NonZeroUsize::new(len as usize).ok_or(libc::EINVAL)?;
    // SAFETY: a fresh anonymous mapping at an address the kernel chooses: it overlaps
    // nothing of ours; it is used only through the address returned.
    unsafe { mmap_anonymous(None, len, RW, MapFlags::MAP_PRIVATE | extra) }
        .map(|p| p.as_ptr() as usize)
        .map_err(|e| e as i32)
}

fn advise_nohugepage(addr: usize, len: u64) {
    if let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) {
        // SAFETY: the range is a mapping made by `map`; the advice changes no contents.
        let _ = unsafe { madvise(p, len as usize, MmapAdvise::MADV_NOHUGEPAGE) };
    }
}

fn unmap(addr: usize, len: u64) {
    if let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) {
        // SAFETY: `addr` and `len` describe a mapping made by `map` and not used after.
        let _ = unsafe { munmap(p, len as usize) };
    }
}
