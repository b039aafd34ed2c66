//! The accesses: what each probe child does, one function per case. The child sets its
//! case up, sends the address it is about to touch, and touches it; the probe's
//! handler records what the kernel made of it (see [`crate::fault`]).

use std::num::NonZeroUsize;
use std::os::unix::fs::FileExt;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, mprotect, munmap};

use super::{Case, Probed};
use crate::addr::{PagingLevels, VirtAddr};
use crate::child::Channel;
use crate::demos::Lab;
use crate::error::Result;
use crate::experiment::Evidence;
use crate::fault::{self, Outcome};
use crate::tr;

/// What a probe child runs: it returns 0 after an access that did not fault, or one of
/// the codes below when it gave up before accessing.
type Access = Box<dyn FnOnce(&mut Channel) -> i32>;

const RW: ProtFlags = ProtFlags::PROT_READ.union(ProtFlags::PROT_WRITE);
/// The child could not set its case up (an mmap, mprotect or setrlimit failed).
const SETUP_FAILED: i32 = 120;
/// pkey_alloc or pkey_mprotect failed: the kernel refused protection keys.
const NO_KEYS: i32 = 121;
/// The limit the stack overflow case sets, and how far from `top - limit` the fault
/// may land (the kernel keeps a gap below the stack, and the last frame may straddle).
pub(super) const STACK_LIMIT: u64 = 1 << 20;
pub(super) const STACK_SLACK: u64 = 64 * 1024;
/// The byte the writable-again case writes and reads back.
pub(super) const WRITTEN_BACK: u8 = 0x5a;
/// Not canonical with 4- or 5-level paging: bit 63 set, the bits below it clear.
const NON_CANONICAL: u64 = 0x8000_0000_0000_0000;

/// Runs `case` in a probe child, or says why it cannot be tried here.
pub(super) fn probe(lab: &Lab, case: Case) -> Result<Probed> {
    let missing = |reason: String| Probed {
        case,
        target: None,
        read_back: None,
        outcome: Evidence::missing(reason),
    };
    let access = match access(lab, case) {
        Evidence::Seen(a) => a,
        Evidence::Missing(m) => return Ok(missing(m.missing)),
    };
    let p = fault::probe(access)?;
    Ok(match p.outcome {
        Outcome::Exited { code: NO_KEYS } => missing(tr!("protect-pkeys-refused")),
        Outcome::Exited { code: SETUP_FAILED } => missing(tr!("protect-setup-failed")),
        outcome => {
            // Every child sends one word: the byte it read back in the one case that
            // reads, the address it is about to touch in all the others.
            let word = p.info.first().copied();
            let reads = case == Case::WritableAgain;
            Probed {
                case,
                target: word.filter(|_| !reads).map(VirtAddr),
                read_back: word.filter(|_| reads).map(|b| b as u8),
                outcome: Evidence::Seen(outcome),
            }
        }
    })
}

fn access(lab: &Lab, case: Case) -> Evidence<Access> {
    let ps = lab.page_size();
    Evidence::Seen(match case {
        Case::ReadOnlyWrite => Box::new(move |c| read_only_write(c, ps)),
        Case::ProtNoneRead => Box::new(move |c| prot_none_read(c, ps)),
        Case::UnmappedRead => Box::new(move |c| unmapped_read(c, ps)),
        Case::NullRead => Box::new(|c| read_at(c, 0)),
        Case::CodeWrite => Box::new(code_write),
        Case::DataExec => Box::new(move |c| data_exec(c, ps)),
        Case::KernelText => {
            return kernel_text().map(|a| -> Access { Box::new(move |c| read_at(c, a)) });
        }
        Case::KernelHole => {
            let hole = kernel_hole(lab.inspector.paging.levels);
            Box::new(move |c| read_at(c, hole))
        }
        Case::NonCanonical => Box::new(|c| read_at(c, NON_CANONICAL)),
        Case::StackOverflow => Box::new(stack_overflow),
        Case::PastEof => Box::new(move |c| past_eof(c, ps)),
        Case::WritableAgain => Box::new(move |c| writable_again(c, ps)),
        Case::PkeyWrite => {
            return pkeys().map(|()| -> Access { Box::new(move |c| pkey_write(c, ps)) });
        }
    })
}

/// The case's name, for the table.
pub(super) fn name(case: Case) -> String {
    match case {
        Case::ReadOnlyWrite => tr!("protect-case-read-only-write"),
        Case::ProtNoneRead => tr!("protect-case-prot-none-read"),
        Case::UnmappedRead => tr!("protect-case-unmapped-read"),
        Case::NullRead => tr!("protect-case-null-read"),
        Case::CodeWrite => tr!("protect-case-code-write"),
        Case::DataExec => tr!("protect-case-data-exec"),
        Case::KernelText => tr!("protect-case-kernel-text"),
        Case::KernelHole => tr!("protect-case-kernel-hole"),
        Case::NonCanonical => tr!("protect-case-non-canonical"),
        Case::StackOverflow => tr!("protect-case-stack-overflow"),
        Case::PastEof => tr!("protect-case-past-eof"),
        Case::WritableAgain => tr!("protect-case-writable-again"),
        Case::PkeyWrite => tr!("protect-case-pkey-write"),
    }
}

/// What the child does, for the table.
pub(super) fn does(case: Case) -> String {
    match case {
        Case::ReadOnlyWrite => tr!("protect-does-read-only-write"),
        Case::ProtNoneRead => tr!("protect-does-prot-none-read"),
        Case::UnmappedRead => tr!("protect-does-unmapped-read"),
        Case::NullRead => tr!("protect-does-null-read"),
        Case::CodeWrite => tr!("protect-does-code-write"),
        Case::DataExec => tr!("protect-does-data-exec"),
        Case::KernelText => tr!("protect-does-kernel-text"),
        Case::KernelHole => tr!("protect-does-kernel-hole"),
        Case::NonCanonical => tr!("protect-does-non-canonical"),
        Case::StackOverflow => tr!("protect-does-stack-overflow", mib = STACK_LIMIT >> 20),
        Case::PastEof => tr!("protect-does-past-eof"),
        Case::WritableAgain => tr!(
            "protect-does-writable-again",
            byte = format!("{WRITTEN_BACK:#x}")
        ),
        Case::PkeyWrite => tr!("protect-does-pkey-write"),
    }
}

// The children. Each sends the address it will touch, then touches it; only plain
// memory accesses and system calls, as befits a child of fork().

fn read_only_write(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, RW) else {
        return SETUP_FAILED;
    };
    // SAFETY: the page was just mapped read-write by this child.
    unsafe { fault::write_byte(page, 1) };
    if !set_prot(page, ps, ProtFlags::PROT_READ) {
        return SETUP_FAILED;
    }
    let target = page + 0x10;
    chan.send(&[target]);
    // SAFETY: faulting is the point; the page holds nothing of Rust's.
    unsafe { fault::write_byte(target, 2) };
    0
}

fn prot_none_read(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, ProtFlags::PROT_NONE) else {
        return SETUP_FAILED;
    };
    read_at(chan, page + 0x20)
}

fn unmapped_read(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, RW) else {
        return SETUP_FAILED;
    };
    let ptr = std::ptr::NonNull::new(page as *mut std::ffi::c_void).expect("mapped");
    // SAFETY: the page is this child's and nothing refers to it.
    if unsafe { munmap(ptr, ps as usize) }.is_err() {
        return SETUP_FAILED;
    }
    read_at(chan, page + 0x30)
}

/// Sends `addr`, then reads a byte there.
fn read_at(chan: &mut Channel, addr: u64) -> i32 {
    chan.send(&[addr]);
    // SAFETY: a read; faulting is the point.
    unsafe { fault::read_byte(addr) };
    0
}

fn code_write(chan: &mut Channel) -> i32 {
    let target = read_at as *const () as usize as u64;
    chan.send(&[target]);
    // SAFETY: we write back the byte that is there, so if the write were allowed the
    // code would be unchanged.
    unsafe { fault::write_byte(target, fault::read_byte(target)) };
    0
}

fn data_exec(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, RW) else {
        return SETUP_FAILED;
    };
    const RET: u8 = 0xc3;
    // SAFETY: the page was just mapped read-write by this child.
    unsafe { fault::write_byte(page, RET) };
    chan.send(&[page]);
    // SAFETY: the page holds `ret`: if it could run, the call would return.
    unsafe { fault::call(page) };
    0
}

fn stack_overflow(chan: &mut Channel) -> i32 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let Some(top) = stack_top() else {
        return SETUP_FAILED;
    };
    let Ok((_, hard)) = getrlimit(Resource::RLIMIT_STACK) else {
        return SETUP_FAILED;
    };
    if setrlimit(Resource::RLIMIT_STACK, STACK_LIMIT, hard.max(STACK_LIMIT)).is_err() {
        return SETUP_FAILED;
    }
    // The kernel refuses to grow the stack beyond the limit: the first access below
    // `top - limit` faults.
    chan.send(&[top - STACK_LIMIT]);
    std::hint::black_box(recurse(0));
    0
}

fn past_eof(chan: &mut Channel, ps: u64) -> i32 {
    let Some(target) = map_short_file(ps) else {
        return SETUP_FAILED;
    };
    read_at(chan, target)
}

fn writable_again(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, RW) else {
        return SETUP_FAILED;
    };
    if !set_prot(page, ps, ProtFlags::PROT_READ) || !set_prot(page, ps, RW) {
        return SETUP_FAILED;
    }
    // SAFETY: the page is read-write again; a fault would be the finding.
    let seen = unsafe {
        fault::write_byte(page, WRITTEN_BACK);
        fault::read_byte(page)
    };
    chan.send(&[seen as u64]);
    0
}

fn pkey_write(chan: &mut Channel, ps: u64) -> i32 {
    let Some(page) = map_anon(ps, RW) else {
        return SETUP_FAILED;
    };
    const PKEY_DISABLE_WRITE: libc::c_long = 2;
    // SAFETY: plain system calls with integer arguments on our own page.
    let key = unsafe { libc::syscall(libc::SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE) };
    if key < 0 {
        return NO_KEYS;
    }
    let prot = (libc::PROT_READ | libc::PROT_WRITE) as libc::c_long;
    // SAFETY: as above.
    if unsafe { libc::syscall(libc::SYS_pkey_mprotect, page, ps, prot, key) } != 0 {
        return NO_KEYS;
    }
    chan.send(&[page]);
    // SAFETY: the page is ours; faulting is the point.
    unsafe { fault::write_byte(page, 1) };
    0
}

// Helpers of the children, and what the parent reads to set the cases up.

/// Maps one anonymous page with `prot`, in the child (the mapping dies with it).
fn map_anon(ps: u64, prot: ProtFlags) -> Option<u64> {
    let len = NonZeroUsize::new(ps as usize)?;
    // SAFETY: a fresh private mapping; only the probe child uses it.
    unsafe { mmap_anonymous(None, len, prot, MapFlags::MAP_PRIVATE) }
        .ok()
        .map(|p| p.as_ptr() as u64)
}

fn set_prot(addr: u64, ps: u64, prot: ProtFlags) -> bool {
    let Some(ptr) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) else {
        return false;
    };
    // SAFETY: `addr` is a page this child mapped; nothing else refers to it.
    unsafe { mprotect(ptr, ps as usize, prot) }.is_ok()
}

/// The end of this process's `[stack]` region, from /proc/self/maps.
fn stack_top() -> Option<u64> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let line = maps.lines().find(|l| l.ends_with("[stack]"))?;
    let range = line.split_whitespace().next()?;
    let end = range.split('-').nth(1)?;
    u64::from_str_radix(end, 16).ok()
}

/// Recurses until the stack runs out. Each frame holds a page-sized buffer the
/// optimizer cannot remove.
#[allow(unconditional_recursion)]
#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let frame = [depth as u8; 4096];
    std::hint::black_box(&frame);
    recurse(depth + 1) + u64::from(frame[depth as usize % 4096])
}

/// A 1-page memfd mapped over 2 pages: returns the address of the second page, which
/// the file cannot back.
fn map_short_file(ps: u64) -> Option<u64> {
    let fd =
        nix::sys::memfd::memfd_create("vmlab-protect", nix::sys::memfd::MFdFlags::empty()).ok()?;
    let file = std::fs::File::from(fd);
    file.set_len(ps).ok()?;
    file.write_at(&[1], 0).ok()?;
    let len = NonZeroUsize::new((2 * ps) as usize)?;
    // SAFETY: a fresh shared mapping of our own memfd, used only by this child.
    let base = unsafe {
        nix::sys::mman::mmap(
            None,
            len,
            ProtFlags::PROT_READ,
            MapFlags::MAP_SHARED,
            &file,
            0,
        )
    }
    .ok()?;
    Some(base.as_ptr() as u64 + ps)
}

/// The address of the kernel's first byte of code, `_text` in /proc/kallsyms. The
/// kernel shows symbol addresses only to whom `kernel.kptr_restrict` allows (root,
/// usually); to others every address reads 0.
fn kernel_text() -> Evidence<u64> {
    let text = std::fs::read_to_string("/proc/kallsyms").unwrap_or_default();
    let addr = text.lines().find_map(|l| {
        let mut f = l.split_whitespace();
        let (addr, _kind, name) = (f.next()?, f.next()?, f.next()?);
        (name == "_text").then(|| u64::from_str_radix(addr, 16).ok())?
    });
    Evidence::from_option(addr.filter(|&a| a != 0), || tr!("protect-kallsyms-hidden"))
}

/// An address of the kernel half where Linux maps nothing: the start of the hole it
/// leaves at the bottom of the kernel half (8 TiB with 4-level paging, 4 PiB with 5:
/// Documentation/arch/x86/x86_64/mm.rst), reserved for a hypervisor.
fn kernel_hole(levels: PagingLevels) -> u64 {
    match levels {
        PagingLevels::Four => 0xffff_8000_0000_0000,
        PagingLevels::Five => 0xff00_0000_0000_0000,
    }
}

/// The CPU flags of /proc/cpuinfo (those of the first CPU), as the kernel lists them.
pub(super) fn cpu_flags() -> Option<Vec<String>> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("flags"))?;
    let flags = line.split_once(':')?.1;
    Some(flags.split_whitespace().map(str::to_string).collect())
}

/// Whether this CPU has protection keys, as the kernel lists its flags.
fn pkeys() -> Evidence<()> {
    match cpu_flags() {
        Some(f) if f.iter().any(|f| f == "pku") => Evidence::Seen(()),
        Some(_) => Evidence::missing(tr!("protect-no-pku")),
        None => Evidence::missing(tr!("protect-unreadable", path = "/proc/cpuinfo")),
    }
}
