//! What several demos need of memory and the machine: the THP settings, a directory
//! on a disk, a file whose pages are clean. (Anonymous mappings are [`crate::anon`].)

use serde::{Deserialize, Serialize};

use std::fs::File;

use super::setting;
use crate::error::{Error, Result};
use crate::tr;

pub use crate::anon::AnonMap;

/// Where transparent huge pages are configured.
pub const THP_DIR: &str = "/sys/kernel/mm/transparent_hugepage";

/// The settings that decide whether a MADV_HUGEPAGE region may get a huge page, as
/// the kernel printed them (`always [madvise] never`); `None` where a file is missing.
/// vm-hugepages, vm-faultcost, vm-tlb and vm-fragmentation all carry them in their
/// records and word them the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThpSettings {
    /// `/sys/kernel/mm/transparent_hugepage/enabled`.
    pub enabled: Option<String>,
    /// The switch of the PMD size alone (`hugepages-2048kB/enabled`), if the kernel
    /// has per-size switches.
    pub per_size: Option<PerSize>,
    /// `defrag`: whether a fault may stall to compact memory for a huge frame.
    pub defrag: Option<String>,
    /// `THP_enabled:` of /proc/self/status: `0` after prctl(PR_SET_THP_DISABLE).
    pub process: Option<String>,
    /// `hpage_pmd_size`: the bytes one PD entry maps.
    pub pmd_size: Option<u64>,
}

/// A per-size switch: its file and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerSize {
    pub path: String,
    pub value: String,
}

/// The bracketed choice of a sysfs setting: `always [madvise] never` → `madvise`.
pub fn selected(text: &str) -> Option<&str> {
    let start = text.find('[')?;
    let end = text[start..].find(']')? + start;
    Some(&text[start + 1..end])
}

impl ThpSettings {
    /// The settings now, for this process.
    pub fn read() -> ThpSettings {
        let pmd_size = setting(&format!("{THP_DIR}/hpage_pmd_size")).and_then(|s| s.parse().ok());
        let per_size = pmd_size.and_then(|size: u64| {
            let path = format!("{THP_DIR}/hugepages-{}kB/enabled", size / 1024);
            setting(&path).map(|value| PerSize { path, value })
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

    /// Why a MADV_HUGEPAGE region of this process cannot get a huge page, if the
    /// settings say it cannot.
    pub fn forbids(&self) -> Option<String> {
        let Some(enabled) = &self.enabled else {
            return Some(tr!("thp-absent", dir = THP_DIR));
        };
        // A per-size switch other than `inherit` overrides the global one.
        let (path, value) = match &self.per_size {
            Some(p) if selected(&p.value).is_some_and(|c| c != "inherit") => {
                (p.path.clone(), p.value.as_str())
            }
            _ => (format!("{THP_DIR}/enabled"), enabled.as_str()),
        };
        if selected(value) == Some("never") {
            return Some(tr!("thp-off", path = path, value = value));
        }
        (self.process.as_deref() == Some("0"))
            .then(|| tr!("thp-process-off", settings = self.describe()))
    }

    /// The settings in words, for a handout.
    pub fn describe(&self) -> String {
        let missing = || tr!("thp-file-missing");
        let per_size = self.per_size.as_ref().map_or(String::new(), |p| {
            tr!(
                "thp-per-size",
                path = p.path.as_str(),
                value = p.value.as_str()
            )
        });
        tr!(
            "thp-settings",
            dir = THP_DIR,
            enabled = self.enabled.clone().unwrap_or_else(missing),
            per_size = per_size,
            defrag = self.defrag.clone().unwrap_or_else(missing)
        )
    }
}

/// A directory on a filesystem that keeps its pages on storage (tmpfs and ramfs pages
/// cannot be evicted), or the reason there is none.
pub fn disk_dir() -> std::result::Result<std::path::PathBuf, String> {
    use nix::sys::statfs::{FsType, TMPFS_MAGIC, statfs};
    const RAMFS_MAGIC: FsType = FsType(0x8584_58f6);
    let mut tried = Vec::new();
    let candidates = [
        std::env::temp_dir(),
        "/var/tmp".into(),
        std::env::current_dir().unwrap_or_else(|_| ".".into()),
    ];
    for dir in candidates {
        let shown = dir.display().to_string();
        match statfs(&dir) {
            Ok(s) if [TMPFS_MAGIC, RAMFS_MAGIC].contains(&s.filesystem_type()) => {
                tried.push(tr!("disk-dir-in-ram", dir = shown))
            }
            Ok(_) if nix::unistd::access(&dir, nix::unistd::AccessFlags::W_OK).is_err() => {
                tried.push(tr!("disk-dir-not-writable", dir = shown))
            }
            Ok(_) => return Ok(dir),
            Err(e) => tried.push(tr!("disk-dir-error", dir = shown, error = e.to_string())),
        }
    }
    Err(tr!("disk-dir-none", tried = tried.join("; ")))
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
