//! (b) A file mapped MAP_SHARED by two processes uses one page-cache frame; (c) the
//! same file mapped MAP_PRIVATE uses that frame until written, and the write goes to
//! an anonymous copy, never to the file.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;

use memmap2::{MmapMut, MmapOptions};
use serde::{Deserialize, Serialize};

use super::{one, two_frames};
use crate::child::Child;
use crate::demos::Lab;
use crate::demos::page::{Page, page_table};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step};
use crate::frames::flag;
use crate::{claim, tr};

/// The byte the file holds, and the byte written through the private mapping.
const FILE_BYTE: u8 = 0x46;
const PRIVATE_BYTE: u8 = 0x50;

/// What part (b) saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileShare {
    pub child_pid: i32,
    /// The byte the child read through its own mapping.
    pub child_read: u8,
    /// The file's page in this process's page table and in the child's.
    pub parent: Page,
    pub child: Page,
}

/// What part (c) saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateFile {
    /// The file's page through a MAP_SHARED mapping: the page-cache frame.
    pub cache: Page,
    /// The MAP_PRIVATE mapping's page after a read, then after a write.
    pub read: Page,
    pub written: Page,
    /// The file's first byte, read with pread(2) after the private write.
    pub file_byte: Evidence<u8>,
}

fn err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

/// A one-page memfd holding [`FILE_BYTE`].
pub(super) fn memfd(lab: &Lab) -> Result<File> {
    let fd = nix::sys::memfd::memfd_create("vmlab-shared", nix::sys::memfd::MFdFlags::empty())
        .map_err(|e| Error::Child(format!("memfd_create: {e}")))?;
    let file = File::from(fd);
    file.set_len(lab.page_size()).map_err(err("ftruncate"))?;
    file.write_at(&[FILE_BYTE], 0).map_err(err("write"))?;
    Ok(file)
}

/// Maps the file here, and in a child that opens it by name and maps it itself.
pub(super) fn gather_shared(lab: &Lab, file: &File) -> Result<FileShare> {
    // SAFETY: the memfd is ours; the child only reads it.
    let map = unsafe { MmapMut::map_mut(file) }.map_err(err("mmap"))?;
    // Touch it: a mapping gets its page-table entry on first access, not at mmap.
    let _ = std::hint::black_box(map[0]);
    let va = map.as_ptr() as u64;
    let path = format!("/proc/{}/fd/{}", std::process::id(), file.as_raw_fd());
    let len = lab.page_size() as usize;
    let mut child = Child::spawn(move |chan| {
        // The child opens the file by name and maps it itself: nothing of the parent's
        // mapping is inherited, exactly as for an unrelated process.
        let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
        else {
            return 3;
        };
        // SAFETY: a shared mapping of a file nobody truncates while we hold it.
        let Ok(m) = (unsafe { MmapOptions::new().len(len).map(&f) }) else {
            return 4;
        };
        chan.send(&[m.as_ptr() as u64, m[0] as u64]);
        chan.recv();
        0
    })?;
    let reply = child.recv()?;
    let [child_va, child_read] = reply[..] else {
        return Err(Error::Child("the child did not report its mapping".into()));
    };
    let parent = one(lab.snapshot(std::process::id() as i32, va, 1)?)?;
    let child_page = one(lab.snapshot(child.pid(), child_va, 1)?)?;
    child.send(&[])?;
    child.wait()?;
    Ok(FileShare {
        child_pid: child.pid(),
        child_read: child_read as u8,
        parent,
        child: child_page,
    })
}

/// Maps the file shared and private, reads the private page, then writes it.
pub(super) fn gather_private(lab: &Lab, file: &File) -> Result<PrivateFile> {
    let me = std::process::id() as i32;
    // SAFETY: both mappings are of our own memfd; nothing truncates it.
    let shared = unsafe { MmapMut::map_mut(file) }.map_err(err("mmap"))?;
    let _ = std::hint::black_box(shared[0]);
    // SAFETY: as above; a private mapping is copy-on-write.
    let mut private = unsafe { MmapOptions::new().map_copy(file) }.map_err(err("mmap"))?;
    let _ = std::hint::black_box(private[0]);
    let (sva, pva) = (shared.as_ptr() as u64, private.as_ptr() as u64);
    let cache = one(lab.snapshot(me, sva, 1)?)?;
    let read = one(lab.snapshot(me, pva, 1)?)?;
    private[0] = PRIVATE_BYTE;
    let written = one(lab.snapshot(me, pva, 1)?)?;
    let mut byte = [0u8];
    let file_byte = Evidence::from_option(file.read_at(&mut byte, 0).ok().map(|_| byte[0]), || {
        tr!("shared-file-unreadable")
    });
    Ok(PrivateFile {
        cache,
        read,
        written,
        file_byte,
    })
}

pub(super) fn narrate_shared(f: &FileShare) -> Step {
    Step::show(
        tr!(
            "shared-step-file",
            va = f.parent.va.hex(),
            child = f.child_pid,
            child_va = f.child.va.hex(),
            read = format!("{:#x}", f.child_read)
        ),
        page_table(&[
            (tr!("shared-parent"), &f.parent),
            (tr!("shared-child"), &f.child),
        ]),
    )
}

pub(super) fn narrate_private(p: &PrivateFile) -> Step {
    Step::show(
        tr!("shared-step-private", byte = format!("{PRIVATE_BYTE:#x}")),
        page_table(&[
            (tr!("shared-page-cache"), &p.cache),
            (tr!("shared-private-read"), &p.read),
            (tr!("shared-private-written"), &p.written),
        ]),
    )
}

pub(super) fn judge_shared(f: &FileShare) -> Vec<Claim> {
    let same = claim!("shared-file-same-frame")
        .on(f.parent.frame().zip(f.child.frame()), |(p, c)| {
            (two_frames(p, c), p == c)
        });
    let both_present = if f.parent.present() && f.child.present() {
        Evidence::Seen((f.parent.file_or_shared, f.child.file_or_shared))
    } else {
        Evidence::missing(tr!("shared-page-absent"))
    };
    let bit = claim!("shared-file-bit").on(both_present, |(p, c)| {
        let text = tr!(
            "shared-file-bit-kernel",
            parent = crate::demos::page::yes_no(p),
            child = crate::demos::page::yes_no(c)
        );
        (text, p && c)
    });
    vec![same, bit]
}

pub(super) fn judge_private(p: &PrivateFile) -> Vec<Claim> {
    let read = claim!("shared-private-read-cache")
        .on(p.cache.frame().zip(p.read.frame()), |(c, r)| {
            (two_frames(c, r), c == r)
        });
    let evidence = p
        .written
        .frame()
        .zip(p.cache.frame())
        .zip(p.written.frame_flags());
    let copy = claim!("shared-private-write-copies").on(evidence, |((w, c), flags)| {
        let anon = flags.has(flag::ANON);
        let text = tr!(
            "shared-private-copy-kernel",
            written = w.to_string(),
            cache = c.to_string(),
            anon = crate::demos::page::yes_no(anon)
        );
        (text, w != c && anon)
    });
    let file = claim!("shared-file-unchanged", byte = format!("{FILE_BYTE:#x}")).on(
        p.file_byte.clone(),
        |b| {
            let text = tr!("shared-file-holds", byte = format!("{b:#x}"));
            (text, b == FILE_BYTE)
        },
    );
    vec![read, copy, file]
}
