//! Memory the demos map for themselves.

use std::ffi::c_void;
use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, MmapAdvise, ProtFlags};

use std::fs::File;

use super::setting;
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

/// Where transparent huge pages are configured.
pub const THP_DIR: &str = "/sys/kernel/mm/transparent_hugepage";

/// The THP settings that decide whether a MADV_HUGEPAGE region gets a huge page.
pub struct ThpSettings {
    /// `enabled`, as the kernel prints it (`always [madvise] never`).
    pub enabled: Option<String>,
    /// The per-size control for the PMD size (`hugepages-2048kB/enabled`), if any.
    pub per_size: Option<(String, String)>,
    pub defrag: Option<String>,
    /// `THP_enabled:` of /proc/self/status (0 after prctl(PR_SET_THP_DISABLE)).
    pub process: Option<String>,
    /// `hpage_pmd_size`: the size one PD entry maps.
    pub pmd_size: Option<u64>,
}

/// The bracketed choice of a sysfs setting: `always [madvise] never` → `madvise`.
pub fn selected(text: &str) -> Option<&str> {
    let start = text.find('[')?;
    let end = text[start..].find(']')? + start;
    Some(&text[start + 1..end])
}

impl ThpSettings {
    pub fn read() -> ThpSettings {
        let pmd_size = setting(&format!("{THP_DIR}/hpage_pmd_size")).and_then(|s| s.parse().ok());
        let per_size = pmd_size.and_then(|size: u64| {
            let path = format!("{THP_DIR}/hugepages-{}kB/enabled", size / 1024);
            setting(&path).map(|v| (path, v))
        });
        let process = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("THP_enabled:").map(|v| v.trim().to_string()))
            });
        ThpSettings {
            enabled: setting(&format!("{THP_DIR}/enabled")),
            per_size,
            defrag: setting(&format!("{THP_DIR}/defrag")),
            process,
            pmd_size,
        }
    }

    /// Why a MADV_HUGEPAGE region of this process cannot get a huge page, if it cannot.
    pub fn forbids(&self) -> Option<String> {
        let Some(enabled) = &self.enabled else {
            return Some(format!(
                "this kernel has no transparent huge pages ({THP_DIR}/enabled does not exist)"
            ));
        };
        if let Some((path, v)) = &self.per_size
            && let Some(choice) = selected(v)
            && choice != "inherit"
        {
            if choice == "never" {
                return Some(format!(
                    "transparent huge pages of this size are off: {path} is '{v}'"
                ));
            }
        } else if selected(enabled) == Some("never") {
            return Some(format!(
                "transparent huge pages are off: {THP_DIR}/enabled is '{enabled}'"
            ));
        }
        if self.process.as_deref() == Some("0") {
            return Some(format!(
                "transparent huge pages are disabled for this process (THP_enabled: 0 in \
                 /proc/self/status, set by prctl(PR_SET_THP_DISABLE)) although {}",
                self.describe()
            ));
        }
        None
    }

    /// The settings in words, for a handout.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{THP_DIR}/enabled is '{}'",
            self.enabled.as_deref().unwrap_or("missing")
        );
        if let Some((path, v)) = &self.per_size {
            s.push_str(&format!(", {path} is '{v}'"));
        }
        s.push_str(&format!(
            ", defrag is '{}'",
            self.defrag.as_deref().unwrap_or("missing")
        ));
        s
    }
}

/// A directory on a filesystem that keeps its pages on storage (tmpfs and ramfs pages
/// cannot be evicted), or the reason there is none.
pub fn disk_dir() -> std::result::Result<std::path::PathBuf, String> {
    const RAMFS_MAGIC: nix::sys::statfs::FsType = nix::sys::statfs::FsType(0x8584_58f6);
    let mut tried = Vec::new();
    let candidates = [
        std::env::temp_dir(),
        "/var/tmp".into(),
        std::env::current_dir().unwrap_or_else(|_| ".".into()),
    ];
    for dir in candidates {
        match nix::sys::statfs::statfs(&dir) {
            Ok(s) => {
                let t = s.filesystem_type();
                if t == nix::sys::statfs::TMPFS_MAGIC || t == RAMFS_MAGIC {
                    tried.push(format!("{} is in RAM (tmpfs/ramfs)", dir.display()));
                } else if nix::unistd::access(&dir, nix::unistd::AccessFlags::W_OK).is_err() {
                    tried.push(format!("{} is not writable", dir.display()));
                } else {
                    return Ok(dir);
                }
            }
            Err(err) => tried.push(format!("{}: {err}", dir.display())),
        }
    }
    Err(format!(
        "no writable directory on a disk-backed filesystem: {}",
        tried.join("; ")
    ))
}

/// A file of `pages` pages of `fill` in `dir`, written and fsync'd (so its pages are
/// clean and may be dropped), with no name (O_TMPFILE) or unlinked at once: nothing is
/// left behind. One write(2) per page: the page cache sizes a new folio by the write
/// that creates it, so each page gets a folio (and a dirty flag) of its own.
pub fn synced_file(dir: &std::path::Path, pages: u64, ps: u64, fill: u8) -> Result<File> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let unnamed = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_TMPFILE)
        .open(dir);
    let mut f = match unnamed {
        Ok(f) => f,
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = dir.join(format!("vmlab-{}-{nanos}", std::process::id()));
            let f = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
            let _ = std::fs::remove_file(&path);
            f
        }
    };
    let page = vec![fill; ps as usize];
    for _ in 0..pages {
        f.write_all(&page)
            .map_err(|e| Error::Child(format!("write: {e}")))?;
    }
    f.sync_all()
        .map_err(|e| Error::Child(format!("fsync: {e}")))?;
    Ok(f)
}
