//! vm-isolation: one virtual address, three processes, three frames; and a crash that
//! hurts nobody else.
//!
//! Theory: every process has its own address space, so the same virtual address means
//! different memory in different processes, and no process can reach another's memory
//! through its own addresses (isolation). It follows that a process that fails takes
//! only itself down: its parent and its siblings keep running, their memory intact
//! (fault isolation).
//!
//! What we do: pick an address that nothing uses and fork three children. The first
//! two each map a page exactly there (MAP_FIXED_NOREPLACE) and write a value; then the
//! parent maps a page of its own at the very same address and writes a third value.
//! Each of the three reads its value back after all have written, and the pagemaps show
//! which frame is behind the address in each. The third child, which mapped nothing,
//! then writes to that address: in its address space nothing is there, and the kernel
//! kills it. We check how it died, that the other two still answer over their pipes
//! and still read their values, and that the parent still reads its own.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the
//! record alone.

use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use serde::{Deserialize, Serialize};

use super::Lab;
use super::page::{Page, frames, hex_list, page_table};
use crate::addr::VirtAddr;
use crate::child::{Channel, Child, ChildExit};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Experiment, Step};
use crate::{claim, tr};

/// What each process writes at the one address.
const FIRST_VALUE: u64 = 0x11;
const SECOND_VALUE: u64 = 0x22;
const PARENT_VALUE: u64 = 0x33;
/// What the third child tries to write there.
const CRASH_VALUE: u64 = 0x44;

/// The parent's requests to a child that holds a page: read it and say what is there,
/// or exit.
const READ: u64 = 1;
const EXIT: u64 = 0;
/// A holder's first report: the mmap worked (then the address), or failed (then errno).
const MAPPED: u64 = 1;
const FAILED: u64 = 0;

/// Everything vm-isolation saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The one virtual address.
    pub address: VirtAddr,
    /// The three processes that map a page there: two children and the parent.
    pub holders: Vec<Holder>,
    /// The child that maps nothing there, and then writes there.
    pub crasher: Crasher,
}

/// Which of the processes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    FirstChild,
    SecondChild,
    Parent,
}

/// A process with a page of its own at the address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub who: Who,
    pub pid: i32,
    /// The value it wrote at the address.
    pub value: u64,
    /// What it read there once all three had written; missing when it could not map a
    /// page there (and why).
    pub read_back: Evidence<u64>,
    /// Its page at the address, once all three had written.
    pub page: Page,
    /// Its answer when asked to read again after the third child crashed.
    pub after_crash: Evidence<Reply>,
    /// Its page at the address after the crash.
    pub page_after_crash: Evidence<Page>,
}

/// A child's answer to "read your page".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// It answered, with what it read.
    Value(u64),
    /// It did not answer: it is gone, or its pipe is broken.
    NoAnswer,
}

/// The child that writes where it has nothing mapped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crasher {
    pub pid: i32,
    /// Its pagemap at the address, before it writes there.
    pub page: Page,
    /// How it ended, as waitpid reported it.
    pub ended: Evidence<Ending>,
}

/// How a child ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// It returned from its body: the write did not fault.
    Exited { code: i32 },
    /// A signal ended it (`SIGSEGV`).
    Killed { signal: String },
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("isolation", tr!("isolation-title"), tr!("isolation-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Forks the three children, maps the parent's page, reads back, crashes the third
/// child, and asks the others again.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let len = NonZeroUsize::new(lab.page_size() as usize).expect("non-zero page size");
    let addr = free_address(len)?;
    // Every child is forked before the parent maps its page: a child forked later
    // would inherit that page (copy-on-write) and find the address taken.
    let (mut first, first_at) = spawn_holder(addr, len, FIRST_VALUE)?;
    let (mut second, second_at) = spawn_holder(addr, len, SECOND_VALUE)?;
    let mut crasher = Child::spawn(move |chan| crasher_body(chan, addr))?;
    crasher.recv()?; // ready
    let own = OwnPage::map(addr, len, PARENT_VALUE);
    let me = std::process::id() as i32;
    let mut holders = vec![
        holder(lab, Who::FirstChild, &mut first, first_at, addr)?,
        holder(lab, Who::SecondChild, &mut second, second_at, addr)?,
        parent_holder(lab, me, &own, addr)?,
    ];
    let crasher_page = page_of(lab, crasher.pid(), addr)?;
    let ended = crash(&mut crasher);
    ask_again(lab, &mut holders[0], &mut first, addr);
    ask_again(lab, &mut holders[1], &mut second, addr);
    holders[2].after_crash = holders[2].read_back.clone().map(|_| own_reply(&own));
    holders[2].page_after_crash = Evidence::Seen(page_of(lab, me, addr)?);
    release(first);
    release(second);
    drop(own);
    Ok(Observation {
        address: VirtAddr(addr as u64),
        holders,
        crasher: Crasher {
            pid: crasher.pid(),
            page: crasher_page,
            ended,
        },
    })
}

/// An address free in this process, and so in the children forked from it now: map a
/// page, note where the kernel put it, unmap it.
fn free_address(len: NonZeroUsize) -> Result<usize> {
    // SAFETY: a fresh anonymous mapping, unmapped at once; nothing else uses it.
    unsafe {
        let p = mmap_anonymous(None, len, ProtFlags::PROT_NONE, MapFlags::MAP_PRIVATE)
            .map_err(|err| Error::Child(format!("mmap: {err}")))?;
        munmap(p, len.get()).map_err(|err| Error::Child(format!("munmap: {err}")))?;
        Ok(p.as_ptr() as usize)
    }
}

/// Maps a page exactly at `addr`, or fails with EEXIST if anything is there already:
/// MAP_FIXED_NOREPLACE never replaces a mapping, so no memory is clobbered.
fn map_exactly(addr: usize, len: NonZeroUsize) -> std::result::Result<NonNull<u64>, i32> {
    // SAFETY: see above: the kernel either maps a fresh page at `addr` or refuses.
    let got = unsafe {
        mmap_anonymous(
            NonZeroUsize::new(addr),
            len,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_PRIVATE | MapFlags::MAP_FIXED_NOREPLACE,
        )
    };
    match got {
        // An old kernel without MAP_FIXED_NOREPLACE treats it as a hint.
        Ok(p) if p.as_ptr() as usize != addr => {
            // SAFETY: the mapping the kernel just made elsewhere, used by nobody.
            let _ = unsafe { munmap(p, len.get()) };
            Err(libc::EEXIST)
        }
        Ok(p) => Ok(p.cast()),
        Err(e) => Err(e as i32),
    }
}

/// The parent's own page at the address, unmapped when dropped.
struct OwnPage {
    ptr: NonNull<u64>,
    len: usize,
}

impl OwnPage {
    fn map(addr: usize, len: NonZeroUsize, value: u64) -> std::result::Result<OwnPage, i32> {
        let ptr = map_exactly(addr, len)?;
        // SAFETY: ptr is the page just mapped, read-write, used by this thread only.
        unsafe { std::ptr::write_volatile(ptr.as_ptr(), value) };
        Ok(OwnPage {
            ptr,
            len: len.get(),
        })
    }

    fn read(&self) -> u64 {
        // SAFETY: as in `map`: the page stays mapped until this value is dropped.
        unsafe { std::ptr::read_volatile(self.ptr.as_ptr()) }
    }
}

impl Drop for OwnPage {
    fn drop(&mut self) {
        // SAFETY: the page this value mapped; nothing refers to it after the drop.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}

/// Forks a child that maps a page at `addr` and writes `value` there; returns it with
/// where its page is, or the errno of its failed mmap.
fn spawn_holder(
    addr: usize,
    len: NonZeroUsize,
    value: u64,
) -> Result<(Child, std::result::Result<VirtAddr, i32>)> {
    let mut child = Child::spawn(move |chan| holder_body(chan, addr, len, value))?;
    let at = match child.recv()?[..] {
        [MAPPED, at] => Ok(VirtAddr(at)),
        [FAILED, errno] => Err(errno as i32),
        ref other => return Err(Error::Child(format!("a child reported {other:?}"))),
    };
    Ok((child, at))
}

/// The child that holds a page: map it, write, report; then read it back each time the
/// parent asks, until told to exit. Plain memory accesses and syscalls only.
fn holder_body(chan: &mut Channel, addr: usize, len: NonZeroUsize, value: u64) -> i32 {
    let page = match map_exactly(addr, len) {
        Ok(p) => p,
        Err(errno) => {
            chan.send(&[FAILED, errno as u64]);
            chan.recv(); // "exit": the parent never asks a child without a page to read
            return 3;
        }
    };
    // SAFETY: the page this child just mapped, read-write.
    unsafe { std::ptr::write_volatile(page.as_ptr(), value) };
    chan.send(&[MAPPED, page.as_ptr() as u64]);
    while chan.recv().first() == Some(&READ) {
        // SAFETY: as above; the page stays mapped until the child exits.
        let now = unsafe { std::ptr::read_volatile(page.as_ptr()) };
        chan.send(&[now]);
    }
    0
}

/// The child that maps nothing: say it is ready, wait, then write where it has nothing.
fn crasher_body(chan: &mut Channel, addr: usize) -> i32 {
    chan.send(&[]);
    chan.recv(); // "write now"
    // With core_pattern "core" a crash leaves a core file in the working directory;
    // a process that is not dumpable leaves none.
    // SAFETY: prctl(PR_SET_DUMPABLE) only changes this process's dumpable flag.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    // SAFETY: this write is meant to fault. The child was forked before anyone mapped a
    // page at `addr` in the parent, and has mapped nothing itself, so nothing of its own
    // is there; were something there, it would be this child's alone, and it exits next.
    unsafe { std::ptr::write_volatile(addr as *mut u64, CRASH_VALUE) };
    chan.send(&[CRASH_VALUE]); // "I am still here"
    0
}

/// One process's page at `addr`, read now.
fn page_of(lab: &Lab, pid: i32, addr: usize) -> Result<Page> {
    Ok(lab.snapshot(pid, addr as u64, 1)?.remove(0))
}

/// Why a process has no page of its own at the address.
fn no_page(pid: i32, errno: i32) -> String {
    let error = format!("{:?}", nix::errno::Errno::from_raw(errno));
    tr!("isolation-map-failed", pid = pid, error = error)
}

/// A child holder once all three have written: its page, and what it reads.
fn holder(
    lab: &Lab,
    who: Who,
    child: &mut Child,
    at: std::result::Result<VirtAddr, i32>,
    addr: usize,
) -> Result<Holder> {
    let pid = child.pid();
    let page = page_of(lab, pid, addr)?;
    let read_back = match at {
        Ok(_) => {
            child.send(&[READ])?;
            Evidence::Seen(*child.recv()?.first().unwrap_or(&0))
        }
        Err(errno) => Evidence::missing(no_page(pid, errno)),
    };
    Ok(Holder {
        who,
        pid,
        value: value_of(who),
        read_back,
        page,
        after_crash: Evidence::missing(tr!("isolation-not-asked")),
        page_after_crash: Evidence::missing(tr!("isolation-not-asked")),
    })
}

/// The parent as a holder: its own page and what it reads there.
fn parent_holder(
    lab: &Lab,
    me: i32,
    own: &std::result::Result<OwnPage, i32>,
    addr: usize,
) -> Result<Holder> {
    let read_back = match own {
        Ok(p) => Evidence::Seen(p.read()),
        Err(errno) => Evidence::missing(no_page(me, *errno)),
    };
    Ok(Holder {
        who: Who::Parent,
        pid: me,
        value: PARENT_VALUE,
        read_back,
        page: page_of(lab, me, addr)?,
        after_crash: Evidence::missing(tr!("isolation-not-asked")),
        page_after_crash: Evidence::missing(tr!("isolation-not-asked")),
    })
}

fn value_of(who: Who) -> u64 {
    match who {
        Who::FirstChild => FIRST_VALUE,
        Who::SecondChild => SECOND_VALUE,
        Who::Parent => PARENT_VALUE,
    }
}

fn own_reply(own: &std::result::Result<OwnPage, i32>) -> Reply {
    own.as_ref()
        .map_or(Reply::NoAnswer, |p| Reply::Value(p.read()))
}

/// Tells the third child to write, and waits for the kernel's word on how it ended.
fn crash(crasher: &mut Child) -> Evidence<Ending> {
    if crasher.send(&[]).is_err() {
        return Evidence::missing(tr!("isolation-crasher-gone"));
    }
    match crasher.wait() {
        Ok(ChildExit::Signal(s)) => Evidence::Seen(Ending::Killed {
            signal: s.as_str().to_string(),
        }),
        Ok(ChildExit::Code(code)) => Evidence::Seen(Ending::Exited { code }),
        Err(_) => Evidence::missing(tr!("isolation-crasher-gone")),
    }
}

/// After the crash: asks a child holder to read its page again over its pipe. A child
/// that does not answer is recorded as such: that is what the claim is about.
fn ask_again(lab: &Lab, h: &mut Holder, child: &mut Child, addr: usize) {
    if h.read_back.seen().is_none() {
        return;
    }
    let answer = child
        .send(&[READ])
        .and_then(|()| child.recv())
        .ok()
        .and_then(|words| words.first().copied());
    h.after_crash = Evidence::Seen(answer.map_or(Reply::NoAnswer, Reply::Value));
    h.page_after_crash = Evidence::from_option(page_of(lab, h.pid, addr).ok(), || {
        tr!("isolation-page-unreadable", pid = h.pid)
    });
}

/// Tells a child holder to exit, and reaps it.
fn release(mut child: Child) {
    let _ = child.send(&[EXIT]);
    let _ = child.wait();
}

mod claims;
mod narration;
#[cfg(test)]
pub(crate) mod tests;

pub use claims::judge;
pub use narration::narrate;
