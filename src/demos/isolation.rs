//! vm-isolation: one virtual address, two processes, two frames.
//!
//! Theory: every process has its own address space (transparency), so the same
//! virtual address means different memory in different processes, and no process
//! can reach another's memory through its own addresses (isolation).
//!
//! What we do: pick an address that nothing uses, then let two child processes each
//! map a page exactly there (MAP_FIXED_NOREPLACE) and write different values. Each
//! reads its own value back after the other has written; the pagemaps show two
//! different frames behind the one address.

use std::num::NonZeroUsize;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};

use super::{Lab, PFNS_HIDDEN, page_table};
use crate::child::{Channel, Child};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment};

const VALUE_A: u64 = 0x11;
const VALUE_B: u64 = 0x22;

/// The child: map a page at `addr`, write `value`, report; on request read back and
/// report; then write `value + 0x20` and report; wait to be released.
fn child_body(chan: &mut Channel, addr: usize, len: NonZeroUsize, value: u64) -> i32 {
    // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping: it fails with
    // EEXIST instead, so no memory of this process is clobbered.
    let got = unsafe {
        mmap_anonymous(
            NonZeroUsize::new(addr),
            len,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_PRIVATE | MapFlags::MAP_FIXED_NOREPLACE,
        )
    };
    let Ok(ptr) = got else {
        chan.send(&[0]);
        return 3;
    };
    let p = ptr.as_ptr().cast::<u64>();
    // SAFETY: p points at the page this child just mapped, read-write.
    unsafe { std::ptr::write_volatile(p, value) };
    chan.send(&[ptr.as_ptr() as u64]);
    chan.recv(); // "read back"
    // SAFETY: as above.
    let now = unsafe { std::ptr::read_volatile(p) };
    chan.send(&[now]);
    chan.recv(); // "exit"
    0
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "isolation",
        "same virtual address, different memory",
        "Each process has its own page table, so one virtual address can map different \
         frames in different processes, and a write in one cannot change the other.",
    );
    // An address free in this process (and so in children forked now): map a page,
    // note where the kernel put it, unmap it.
    let len = NonZeroUsize::new(lab.page_size() as usize).expect("non-zero");
    // SAFETY: a fresh anonymous mapping, unmapped right after; nothing else uses it.
    let addr = unsafe {
        let p = mmap_anonymous(None, len, ProtFlags::PROT_NONE, MapFlags::MAP_PRIVATE)
            .map_err(|err| Error::Child(format!("mmap: {err}")))?;
        munmap(p, len.get()).map_err(|err| Error::Child(format!("munmap: {err}")))?;
        p.as_ptr() as usize
    };
    let mut a = Child::spawn(move |chan| child_body(chan, addr, len, VALUE_A))?;
    let got_a = a.recv()?;
    let mut b = Child::spawn(move |chan| child_body(chan, addr, len, VALUE_B))?;
    let got_b = b.recv()?;
    let (pa, pb) = (a.pid(), b.pid());
    let row_a = lab.page(pa, addr as u64)?;
    let row_b = lab.page(pb, addr as u64)?;
    let row_parent = lab.page(std::process::id() as i32, addr as u64)?;
    e.show(
        format!(
            "Children {pa} and {pb} each map a page at {addr:#x}; {pa} writes {VALUE_A:#x}, then \
             {pb} writes {VALUE_B:#x}. Their pagemaps at that address (and ours, the parent's):"
        ),
        page_table(&[
            (format!("child {pa}"), &row_a),
            (format!("child {pb}"), &row_b),
            ("parent".into(), &row_parent),
        ]),
    );
    a.send(&[])?;
    let read_a = a.recv()?.first().copied().unwrap_or(0);
    b.send(&[])?;
    let read_b = b.recv()?.first().copied().unwrap_or(0);
    a.send(&[])?;
    b.send(&[])?;
    a.wait()?;
    b.wait()?;
    e.say(format!(
        "Each child reads its page back: {pa} reads {read_a:#x}, {pb} reads {read_b:#x}."
    ));

    e.observe("address", format!("{addr:#x}"));
    e.observe("pfn_a", row_a.pfn);
    e.observe("pfn_b", row_b.pfn);
    e.observe("read_a", read_a);
    e.observe("read_b", read_b);

    let mapped_there = |got: &[u64]| got.first() == Some(&(addr as u64));
    e.claim(Claim::check(
        "both processes use the same virtual address",
        &format!("both pages at {addr:#x}"),
        format!(
            "{pa}: {}, {pb}: {}",
            got_a.first().map_or("failed".into(), |v| format!("{v:#x}")),
            got_b.first().map_or("failed".into(), |v| format!("{v:#x}"))
        ),
        mapped_there(&got_a) && mapped_there(&got_b),
    ));
    e.claim(Claim::check(
        "each process reads its own value after the other wrote",
        &format!("{VALUE_A:#x} and {VALUE_B:#x}"),
        format!("{read_a:#x} and {read_b:#x}"),
        read_a == VALUE_A && read_b == VALUE_B,
    ));
    e.claim(Claim::check_if(
        "the one address maps two different frames",
        "PFN in A ≠ PFN in B",
        row_a.pfn.zip(row_b.pfn),
        |(x, y)| (format!("{x} and {y}"), x != y),
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check(
        "each frame belongs to one process",
        "exclusive = yes in both",
        format!(
            "exclusive: {} and {}",
            row_a.exclusive as u8, row_b.exclusive as u8
        ),
        row_a.exclusive && row_b.exclusive,
    ));
    let parent_region = crate::space::AddressSpace::read_layout(std::process::id() as i32)?
        .find(crate::addr::VirtAddr(addr as u64))
        .map(|r| r.kind.name());
    e.claim(Claim::check(
        "a third process has nothing there",
        "no region of the parent contains it",
        format!("parent: {}", parent_region.unwrap_or("no region")),
        parent_region.is_none() && row_parent.state != crate::pagemap::PageState::Present,
    ));
    Ok(e)
}
