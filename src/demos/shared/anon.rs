//! (a) Shared anonymous memory: a MAP_SHARED page survives fork as one frame in both
//! processes, so what the child writes the parent reads.

use serde::{Deserialize, Serialize};

use super::{one, two_frames};
use crate::addr::VirtAddr;
use crate::child::Child;
use crate::demos::Lab;
use crate::demos::page::{Page, page_table};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step};
use crate::{claim, tr};

/// The byte the child writes into the shared page.
const CHILD_BYTE: u8 = 0x42;

/// What part (a) saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonShare {
    pub va: VirtAddr,
    pub child_pid: i32,
    /// The byte the child says it wrote and then read back in the shared page.
    pub child_wrote: Evidence<u8>,
    /// The byte the parent read there afterwards.
    pub parent_read: u8,
    /// The page in the parent's and in the child's page table.
    pub parent: Page,
    pub child: Page,
}

/// Maps a shared page, lets a child write it, and reads it back in the parent.
pub(super) fn gather(lab: &Lab) -> Result<AnonShare> {
    let len = std::num::NonZeroUsize::new(lab.page_size() as usize).expect("non-zero");
    use nix::sys::mman::{MapFlags, ProtFlags};
    // SAFETY: a fresh shared anonymous page, used only through `base` below and
    // unmapped at the end of this function.
    let ptr = unsafe {
        nix::sys::mman::mmap_anonymous(
            None,
            len,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_SHARED,
        )
    }
    .map_err(|e| Error::Child(format!("mmap: {e}")))?;
    let base = ptr.as_ptr() as usize;
    // SAFETY: `base` is the page just mapped read-write.
    unsafe { std::ptr::write_volatile(base as *mut u8, 1) };
    let mut child = Child::spawn(move |chan| {
        // SAFETY: the shared page is mapped in the child too (inherited at fork).
        let seen = unsafe {
            std::ptr::write_volatile(base as *mut u8, CHILD_BYTE);
            std::ptr::read_volatile(base as *const u8)
        };
        chan.send(&[seen as u64]);
        chan.recv();
        0
    })?;
    let reply = child.recv()?;
    crate::hook::hold("anon");
    // SAFETY: as above.
    let parent_read = unsafe { std::ptr::read_volatile(base as *const u8) };
    let me = std::process::id() as i32;
    let va = base as u64;
    let parent = one(lab.snapshot(me, va, 1)?)?;
    let child_page = one(lab.snapshot(child.pid(), va, 1)?)?;
    child.send(&[])?;
    child.wait()?;
    // SAFETY: unmapping the page mapped above; nothing refers to it any more.
    let _ = unsafe { nix::sys::mman::munmap(ptr, len.get()) };
    Ok(AnonShare {
        va: VirtAddr(va),
        child_pid: child.pid(),
        child_wrote: Evidence::from_option(reply.first().map(|&b| b as u8), || {
            tr!("shared-child-no-report")
        }),
        parent_read,
        parent,
        child: child_page,
    })
}

pub(super) fn narrate(a: &AnonShare) -> Step {
    Step::show(
        tr!(
            "shared-step-anon",
            va = a.va.hex(),
            child = a.child_pid,
            byte = format!("{CHILD_BYTE:#x}"),
            read = format!("{:#x}", a.parent_read)
        ),
        page_table(&[
            (tr!("shared-parent"), &a.parent),
            (tr!("shared-child"), &a.child),
        ]),
    )
}

pub(super) fn judge(a: &AnonShare) -> Vec<Claim> {
    let seen = claim!("shared-anon-seen", byte = format!("{CHILD_BYTE:#x}")).on(
        a.child_wrote.clone(),
        |wrote| {
            let text = tr!(
                "shared-anon-seen-kernel",
                wrote = format!("{wrote:#x}"),
                read = format!("{:#x}", a.parent_read)
            );
            (text, wrote == CHILD_BYTE && a.parent_read == wrote)
        },
    );
    let same = claim!("shared-anon-same-frame")
        .on(a.parent.frame().zip(a.child.frame()), |(p, c)| {
            (two_frames(p, c), p == c)
        });
    vec![seen, same]
}
