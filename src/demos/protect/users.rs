//! Another user's memory: refused not by the MMU but by the kernel's ptrace access
//! check, which guards both ways one process can read another's memory
//! (process_vm_readv and `/proc/<pid>/mem`).

use std::os::unix::fs::FileExt;

use super::{OtherUser, OwnReads};
use crate::addr::VirtAddr;
use crate::child::{Child, describe};
use crate::error::{Error, Result};
use crate::experiment::Evidence;
use crate::tr;

/// The value a process keeps to read back its own memory.
const OWN_VALUE: u64 = 0x0dd;
/// The value in this (root) process that the other user's process tries to read.
const SECRET: u64 = 0x5ec2e7;
/// The reader could not become `nobody`.
const SETUP_FAILED: i32 = 120;

/// As root: a child becomes `nobody` and tries to read this process, then itself.
/// Without root, another user cannot be set up: this process reads itself.
pub(super) fn gather() -> Result<(Evidence<OtherUser>, Evidence<OwnReads>)> {
    if !nix::unistd::geteuid().is_root() {
        let own = own_reads(std::process::id() as i32);
        return Ok((Evidence::missing(tr!("protect-needs-root-user")), own));
    }
    let Ok(Some(nobody)) = nix::unistd::User::from_name("nobody") else {
        let why = tr!("protect-no-nobody");
        return Ok((Evidence::missing(why.clone()), Evidence::missing(why)));
    };
    let secret: u64 = std::hint::black_box(SECRET);
    let target = &secret as *const u64 as u64;
    let me = std::process::id() as i32;
    let mut child = Child::spawn(move |chan| {
        // Root's supplementary groups go too (as `setpriv --clear-groups` does), so the
        // reader is an ordinary 'nobody' process and not one still in root's groups.
        if nix::unistd::setgroups(&[]).is_err()
            || nix::unistd::setgid(nobody.gid).is_err()
            || nix::unistd::setuid(nobody.uid).is_err()
            // The change of user cleared the request to die with the parent.
            || !chan.die_with_parent()
        {
            return SETUP_FAILED;
        }
        // Dropping privileges makes a process non-dumpable, which would hide even its
        // own /proc files from it; make it dumpable again, as a normal process is.
        // SAFETY: prctl with integer arguments.
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0) };
        let (readv_errno, _) = vm_read(me, target);
        let (mem_errno, _) = mem_read(me, target);
        let own = own_reads(std::process::id() as i32);
        let word = |v: Option<u64>| v.unwrap_or(u64::MAX);
        let (readv, mem) = own.seen().map_or((None, None), |o| (o.readv, o.mem));
        chan.send(&[
            readv_errno as u64,
            mem_errno as u64,
            word(readv),
            word(mem),
            u64::from(nobody.uid.as_raw()),
        ]);
        0
    })?;
    let words = child.recv()?;
    let how = child.wait()?;
    let [readv_errno, mem_errno, readv, mem, uid] = words[..] else {
        return Err(Error::Child(format!(
            "the reader running as 'nobody' did not report ({})",
            describe(how)
        )));
    };
    let read = |v: u64| Some(v).filter(|&v| v != u64::MAX);
    let other = OtherUser {
        uid: uid as u32,
        pid: me,
        target: VirtAddr(target),
        readv_errno: readv_errno as i32,
        mem_errno: mem_errno as i32,
    };
    let own = OwnReads {
        value: OWN_VALUE,
        readv: read(readv),
        mem: read(mem),
    };
    Ok((Evidence::Seen(other), Evidence::Seen(own)))
}

/// Process `pid` (this very process) reads a value of its own both ways.
fn own_reads(pid: i32) -> Evidence<OwnReads> {
    let own: u64 = std::hint::black_box(OWN_VALUE);
    let addr = &own as *const u64 as u64;
    let (readv, mem) = (vm_read(pid, addr).1, mem_read(pid, addr).1);
    std::hint::black_box(&own);
    Evidence::Seen(OwnReads {
        value: OWN_VALUE,
        readv,
        mem,
    })
}

/// process_vm_readv of 8 bytes: (errno or 0, the value read).
fn vm_read(pid: i32, addr: u64) -> (i32, Option<u64>) {
    let mut value = 0u64;
    let local = libc::iovec {
        iov_base: (&mut value as *mut u64).cast(),
        iov_len: 8,
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: 8,
    };
    // SAFETY: `local` points at `value`, 8 writable bytes; the kernel checks `remote`.
    let n = unsafe { libc::process_vm_readv(pid, &local, 1, &remote, 1, 0) };
    if n == 8 {
        (0, Some(value))
    } else {
        (nix::errno::Errno::last_raw(), None)
    }
}

/// A read of 8 bytes through /proc/<pid>/mem: (errno or 0, the value read).
fn mem_read(pid: i32, addr: u64) -> (i32, Option<u64>) {
    let file = match std::fs::File::open(format!("/proc/{pid}/mem")) {
        Ok(f) => f,
        Err(e) => return (e.raw_os_error().unwrap_or(-1), None),
    };
    let mut buf = [0u8; 8];
    match file.read_exact_at(&mut buf, addr) {
        Ok(()) => (0, Some(u64::from_ne_bytes(buf))),
        Err(e) => (e.raw_os_error().unwrap_or(-1), None),
    }
}
