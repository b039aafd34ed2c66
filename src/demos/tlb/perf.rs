//! A hardware counter of data-TLB read misses (perf_event_open, PERF_TYPE_HW_CACHE,
//! DTLB / READ / MISS), for this thread, user mode only. Where the kernel refuses (no
//! PMU in a VM: ENOENT or EOPNOTSUPP; perf_event_paranoid: EACCES), we keep the errno
//! and say so: counts are never made up.

use std::os::fd::{FromRawFd, OwnedFd};

use serde::{Deserialize, Serialize};

use crate::tr;

/// Whether the counter could be opened, as the observation records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counter {
    /// Open: every point carries its miss count.
    Open,
    /// The kernel refused perf_event_open with `errno` (`ENOENT`, `EACCES` ...);
    /// `paranoid` is kernel.perf_event_paranoid, if readable.
    Refused {
        errno: String,
        paranoid: Option<String>,
    },
}

impl Counter {
    /// Why there are no counts, in the chosen language; `None` when the counter was open.
    pub fn refusal(&self) -> Option<String> {
        let Counter::Refused { errno, paranoid } = self else {
            return None;
        };
        let cause = match errno.as_str() {
            "ENOENT" | "EOPNOTSUPP" | "ENODEV" => tr!("tlb-counter-no-pmu"),
            "EACCES" | "EPERM" => tr!("tlb-counter-restricted"),
            _ => tr!("tlb-counter-other"),
        };
        Some(tr!(
            "tlb-counter-refused",
            errno = errno.as_str(),
            cause = cause,
            paranoid = paranoid.as_deref().unwrap_or("?")
        ))
    }
}

/// The first 64 bytes of `struct perf_event_attr` (PERF_ATTR_SIZE_VER0); the kernel
/// takes the fields it is not given as zero.
#[repr(C)]
#[derive(Default)]
struct PerfEventAttr {
    type_: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    /// disabled (bit 0), ..., exclude_kernel (bit 5), exclude_hv (bit 6).
    flags: u64,
    wakeup_events: u32,
    bp_type: u32,
    config1: u64,
}

const PERF_TYPE_HW_CACHE: u32 = 3;
const PERF_COUNT_HW_CACHE_DTLB: u64 = 3;
const PERF_COUNT_HW_CACHE_OP_READ: u64 = 0;
const PERF_COUNT_HW_CACHE_RESULT_MISS: u64 = 1;
const EXCLUDE_KERNEL: u64 = 1 << 5;
const EXCLUDE_HV: u64 = 1 << 6;
const PERF_FLAG_FD_CLOEXEC: libc::c_ulong = 1 << 3;

/// An open counter of dTLB read misses.
pub struct DtlbMisses {
    fd: OwnedFd,
}

impl DtlbMisses {
    /// Opens the counter for this thread, or says why the kernel refused.
    pub fn open() -> Result<DtlbMisses, Counter> {
        let attr = PerfEventAttr {
            type_: PERF_TYPE_HW_CACHE,
            size: std::mem::size_of::<PerfEventAttr>() as u32,
            config: PERF_COUNT_HW_CACHE_DTLB
                | (PERF_COUNT_HW_CACHE_OP_READ << 8)
                | (PERF_COUNT_HW_CACHE_RESULT_MISS << 16),
            flags: EXCLUDE_KERNEL | EXCLUDE_HV,
            ..PerfEventAttr::default()
        };
        // SAFETY: perf_event_open(2) reads `attr` (a valid, initialised struct whose
        // `size` field tells the kernel its length) and returns a new fd or -1.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_perf_event_open,
                &attr as *const PerfEventAttr,
                0,  // this thread
                -1, // any CPU
                -1, // no group
                PERF_FLAG_FD_CLOEXEC,
            )
        };
        if fd < 0 {
            let errno = match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::ENOENT) => "ENOENT".to_string(),
                Some(libc::EOPNOTSUPP) => "EOPNOTSUPP".into(),
                Some(libc::EACCES) => "EACCES".into(),
                Some(libc::EPERM) => "EPERM".into(),
                Some(libc::ENODEV) => "ENODEV".into(),
                Some(libc::ENOSYS) => "ENOSYS".into(),
                Some(n) => format!("errno {n}"),
                None => "error".into(),
            };
            let paranoid = super::super::setting("/proc/sys/kernel/perf_event_paranoid");
            return Err(Counter::Refused { errno, paranoid });
        }
        // SAFETY: `fd` is a new descriptor that nothing else owns.
        Ok(DtlbMisses {
            fd: unsafe { OwnedFd::from_raw_fd(fd as i32) },
        })
    }

    /// The count so far (the counter runs from open on).
    pub fn read(&self) -> Option<u64> {
        let mut b = [0u8; 8];
        match nix::unistd::read(&self.fd, &mut b) {
            Ok(8) => Some(u64::from_ne_bytes(b)),
            _ => None,
        }
    }
}
