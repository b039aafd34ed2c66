//! Memory vmlab maps for itself, for the demos and for the simulators' `--real`
//! parts: a private anonymous mapping that is unmapped on drop, on every path.

use std::ffi::c_void;
use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, MmapAdvise, ProtFlags};

use crate::error::{Error, Result};

/// A private anonymous mapping, unmapped on drop (also on error paths).
pub struct AnonMap {
    ptr: NonNull<c_void>,
    len: usize,
}

impl AnonMap {
    /// Maps `len` bytes of private anonymous read-write memory.
    pub fn new(len: u64, extra: MapFlags) -> std::result::Result<AnonMap, nix::Error> {
        let size = NonZeroUsize::new(len as usize).ok_or(nix::Error::EINVAL)?;
        // SAFETY: a fresh anonymous mapping at an address the kernel chooses: it
        // overlaps nothing of ours. It is unmapped only by `drop`.
        let ptr = unsafe {
            nix::sys::mman::mmap_anonymous(
                None,
                size,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_PRIVATE | extra,
            )
        }?;
        Ok(AnonMap {
            ptr,
            len: len as usize,
        })
    }

    pub fn addr(&self) -> u64 {
        self.ptr.as_ptr() as u64
    }

    /// madvise on `[addr, addr + len)`, which must lie inside this mapping.
    pub fn advise(&self, addr: u64, len: u64, advice: MmapAdvise) -> Result<()> {
        let inside = addr >= self.addr() && addr + len <= self.addr() + self.len as u64;
        let ptr = NonNull::new(addr as *mut c_void)
            .filter(|_| inside)
            .ok_or_else(|| {
                Error::Child(format!("madvise({addr:#x}, {len}) outside the mapping"))
            })?;
        // SAFETY: the range lies inside this mapping (checked above); advice changes
        // how the kernel backs it, never what it holds.
        unsafe { nix::sys::mman::madvise(ptr, len as usize, advice) }
            .map_err(|e| Error::Child(format!("madvise({advice:?}) at {addr:#x}: {e}")))
    }

    /// Writes one byte at `addr`, which must lie inside this mapping.
    pub fn touch(&self, addr: u64, byte: u8) {
        assert!(addr >= self.addr() && addr < self.addr() + self.len as u64);
        // SAFETY: `addr` is inside this read-write mapping (asserted above), which only
        // this process uses and which no Rust reference points into.
        unsafe { std::ptr::write_volatile(addr as *mut u8, byte) };
    }
}

impl Drop for AnonMap {
    fn drop(&mut self) {
        // SAFETY: the mapping was made by `new` and nothing refers to it any more.
        let _ = unsafe { nix::sys::mman::munmap(self.ptr, self.len) };
    }
}
