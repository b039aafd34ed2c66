//! A hardware counter of data-TLB read misses (perf_event_open, PERF_TYPE_HW_CACHE,
//! DTLB / READ / MISS), for this thread, user mode only. Where the kernel refuses (no
//! PMU in a VM: ENOENT or EOPNOTSUPP; perf_event_paranoid: EACCES), we keep the errno
//! and say so: counts are never made up.

use std::os::fd::{FromRawFd, OwnedFd};

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
    pub fn open() -> Result<DtlbMisses, String> {
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
            let err = std::io::Error::last_os_error();
            let name = match err.raw_os_error() {
                Some(libc::ENOENT) => "ENOENT",
                Some(libc::EOPNOTSUPP) => "EOPNOTSUPP",
                Some(libc::EACCES) => "EACCES",
                Some(libc::EPERM) => "EPERM",
                Some(libc::ENODEV) => "ENODEV",
                Some(libc::ENOSYS) => "ENOSYS",
                _ => "error",
            };
            let paranoid = super::super::setting("/proc/sys/kernel/perf_event_paranoid")
                .map_or(String::new(), |p| {
                    format!("; kernel.perf_event_paranoid = {p}")
                });
            let hint = match err.raw_os_error() {
                Some(libc::ENOENT) | Some(libc::EOPNOTSUPP) | Some(libc::ENODEV) => {
                    " (no hardware counter for dTLB misses: typical of a VM without a \
                     virtual PMU)"
                }
                Some(libc::EACCES) | Some(libc::EPERM) => {
                    " (counters are restricted: run as root or lower perf_event_paranoid)"
                }
                _ => "",
            };
            return Err(format!(
                "perf_event_open(PERF_TYPE_HW_CACHE, dTLB read miss) failed: {name}: \
                 {err}{hint}{paranoid}"
            ));
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
