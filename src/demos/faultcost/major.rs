//! The major faults: pages of a file on storage, evicted from the page cache, read back.

use std::fs::File;
use std::path::PathBuf;

use memmap2::{Advice, Mmap};
use serde::{Deserialize, Serialize};

use super::touch::{Touch, read_each};
use super::{FILE_PAGES, map_err};
use crate::demos::mem::synced_file;
use crate::error::{Error, Result};
use crate::experiment::Evidence;
use crate::tr;

/// The file whose pages were evicted and read back, and every run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorFile {
    /// The directory of the (unnamed) file: on a disk-backed filesystem.
    pub dir: String,
    pub pages: u64,
    pub runs: Vec<MajorRun>,
}

/// One run: page cache emptied, checked, then every page read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorRun {
    /// Pages still in the page cache just before the reads (mincore): must be 0.
    pub resident: u64,
    pub touch: Touch,
}

/// A file of [`FILE_PAGES`] pages on storage, written and fsync'd, or why there is
/// none.
pub fn prepare(ps: u64) -> Evidence<(PathBuf, File)> {
    let dir = match crate::demos::mem::disk_dir() {
        Ok(d) => d,
        Err(why) => return Evidence::missing(why),
    };
    match synced_file(&dir, FILE_PAGES, ps, 0x3C) {
        Ok(f) => Evidence::Seen((dir, f)),
        Err(e) => Evidence::missing(tr!(
            "faultcost-no-file",
            dir = dir.display().to_string(),
            error = e.to_string()
        )),
    }
}

/// Empties the page cache of `file` (up to three tries), checks with mincore, then
/// reads every page through a fresh mapping: one major fault each.
pub fn major_run(file: &File, ps: u64) -> Result<MajorRun> {
    use nix::fcntl::{PosixFadviseAdvice, posix_fadvise};
    let len = (FILE_PAGES * ps) as i64;
    let mut attempt = 0;
    loop {
        // Clean pages that no one maps are dropped by DONTNEED (fsync'd before, and our
        // mapping of the previous run is gone).
        posix_fadvise(file, 0, len, PosixFadviseAdvice::POSIX_FADV_DONTNEED)
            .map_err(|e| Error::Child(format!("posix_fadvise(DONTNEED): {e}")))?;
        // SAFETY: a read-only shared mapping of our own unnamed file, which nobody else
        // can reach, let alone truncate.
        let map = unsafe { Mmap::map(file) }.map_err(map_err("mmap of the file"))?;
        // No readahead: each fault reads its own page, so each is one major fault.
        map.advise(Advice::Random)
            .map_err(map_err("madvise(MADV_RANDOM)"))?;
        let resident = resident(&map, ps)?;
        attempt += 1;
        if resident > 0 && attempt < 3 {
            continue;
        }
        let touch = read_each(&map, FILE_PAGES, ps);
        return Ok(MajorRun { resident, touch });
    }
}

/// Pages of `map` in the page cache now, by mincore(2).
fn resident(map: &Mmap, ps: u64) -> Result<u64> {
    let pages = map.len().div_ceil(ps as usize);
    let mut vec = vec![0u8; pages];
    // SAFETY: `map` is a live mapping of `map.len()` bytes at a page-aligned address,
    // and `vec` holds one byte for each of its pages, which is what mincore writes.
    let rc = unsafe {
        libc::mincore(
            map.as_ptr() as *mut libc::c_void,
            map.len(),
            vec.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Err(Error::Child(format!(
            "mincore: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(vec.iter().filter(|b| *b & 1 == 1).count() as u64)
}
