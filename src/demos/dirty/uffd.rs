//! A userfaultfd in asynchronous write-protect mode, for (e).
//!
//! libc has no userfaultfd bindings: the structures and numbers are those of
//! include/uapi/linux/userfaultfd.h (Linux 6.7+ for UFFD_FEATURE_WP_ASYNC). In that
//! mode a write to a protected page does not stop the writer: the kernel lifts the
//! protection of that page by itself, and PAGEMAP_SCAN then reports it written.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::tr;

const UFFD_USER_MODE_ONLY: libc::c_int = 1;
const UFFD_API: u64 = 0xAA;
const UFFD_FEATURE_WP_ASYNC: u64 = 1 << 15;
const UFFDIO_REGISTER_MODE_WP: u64 = 1 << 1;
const UFFDIO_WRITEPROTECT_MODE_WP: u64 = 1 << 0;
/// _IOWR(0xAA, 0x3F, struct uffdio_api): 24 bytes.
const UFFDIO_API: libc::c_ulong = 0xC018_AA3F;
/// _IOWR(0xAA, 0x00, struct uffdio_register): 32 bytes.
const UFFDIO_REGISTER: libc::c_ulong = 0xC020_AA00;
/// _IOWR(0xAA, 0x06, struct uffdio_writeprotect): 24 bytes.
const UFFDIO_WRITEPROTECT: libc::c_ulong = 0xC018_AA06;

#[repr(C)]
struct UffdioApi {
    api: u64,
    features: u64,
    ioctls: u64,
}

#[repr(C)]
struct UffdioRegister {
    start: u64,
    len: u64,
    mode: u64,
    ioctls: u64,
}

#[repr(C)]
struct UffdioWriteprotect {
    start: u64,
    len: u64,
    mode: u64,
}

/// Calls `ioctl(fd, request, arg)`; Err: the kernel's error, in words.
fn ioctl<T>(fd: i32, request: libc::c_ulong, arg: &mut T) -> Result<(), String> {
    // SAFETY: `arg` is a #[repr(C)] struct of the size encoded in `request`, which the
    // kernel reads and writes only within those bytes.
    let rc = unsafe { libc::ioctl(fd, request, arg as *mut T) };
    if rc < 0 {
        Err(std::io::Error::last_os_error().to_string())
    } else {
        Ok(())
    }
}

/// Err for a failed ioctl named `name`.
fn failed(name: &str) -> impl FnOnce(String) -> String + '_ {
    move |error| tr!("dirty-uffd-ioctl-failed", ioctl = name, error = error)
}

/// A userfaultfd with asynchronous write-protect on `len` bytes at `start`, all of it
/// write-protected now. Err: why the kernel would not, as a reason for the claims.
pub fn protect(start: u64, len: u64) -> Result<OwnedFd, String> {
    let fd = open()?;
    let raw = fd.as_raw_fd();
    let mut api = UffdioApi {
        api: UFFD_API,
        features: UFFD_FEATURE_WP_ASYNC,
        ioctls: 0,
    };
    ioctl(raw, UFFDIO_API, &mut api).map_err(|error| tr!("dirty-uffd-no-async", error = error))?;
    let mut reg = UffdioRegister {
        start,
        len,
        mode: UFFDIO_REGISTER_MODE_WP,
        ioctls: 0,
    };
    ioctl(raw, UFFDIO_REGISTER, &mut reg).map_err(failed("UFFDIO_REGISTER"))?;
    let mut wp = UffdioWriteprotect {
        start,
        len,
        mode: UFFDIO_WRITEPROTECT_MODE_WP,
    };
    ioctl(raw, UFFDIO_WRITEPROTECT, &mut wp).map_err(failed("UFFDIO_WRITEPROTECT"))?;
    Ok(fd)
}

/// A new userfaultfd for user-mode faults only: allowed to unprivileged processes even
/// when vm.unprivileged_userfaultfd is 0 (we never want kernel-mode faults here).
fn open() -> Result<OwnedFd, String> {
    // SAFETY: a plain system call with integer arguments.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_userfaultfd,
            libc::O_CLOEXEC | libc::O_NONBLOCK | UFFD_USER_MODE_ONLY,
        )
    };
    if fd < 0 {
        // The error first: reading the setting may change errno.
        let error = std::io::Error::last_os_error().to_string();
        let setting = crate::demos::setting("/proc/sys/vm/unprivileged_userfaultfd");
        return Err(tr!(
            "dirty-uffd-refused",
            error = error,
            setting = setting.unwrap_or_else(|| "?".into())
        ));
    }
    // SAFETY: the kernel just gave us this descriptor; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}
