//! vm-protect: protection, one forbidden access at a time.
//!
//! Theory: every page-table entry carries protection bits (present, writable,
//! user-accessible, no-execute). On each access the MMU checks them; when the access is
//! not allowed it traps into the kernel, which either fixes the cause (demand paging,
//! copy-on-write) or, when the access is really forbidden, sends the process a signal.
//! So a process cannot touch what is not its own, cannot write its code, cannot run its
//! data, and cannot read the kernel.
//!
//! What we do: each case runs in its own forked child with a SIGSEGV/SIGBUS handler on
//! an alternate signal stack (see [`crate::fault`]). The child sets the case up (maps a
//! page, mprotects it, ...), tells us the address it will touch, and touches it. The
//! handler records the signal, its `si_code` and `si_addr`, and exits; we compare them
//! with what theory predicts. Two cases are not faults: a page made writable again
//! accepts the write, and another user's memory is refused by the kernel's permission
//! check (not by the MMU) with an error code.

use std::io::Read;
use std::num::NonZeroUsize;
use std::os::unix::fs::FileExt;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, mprotect, munmap};
use serde::Serialize;

use super::{Lab, setting};
use crate::child::{Child, describe};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::fault::{self, Outcome, Probe, code, code_name};

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "protect",
        "protection faults: the MMU refuses, the kernel signals",
        "Each page carries protection bits the MMU checks on every access: a forbidden \
         access traps into the kernel, which sends the process SIGSEGV (or SIGBUS) with the \
         reason (si_code) and the address (si_addr).",
    );
    let ps = lab.page_size();
    let min_addr = setting("/proc/sys/vm/mmap_min_addr");
    let mut rows = Vec::new();
    for case in cases(ps) {
        let probe = fault::probe(case.access)?;
        rows.push(judge(&case.name, &case.access_text, &case.expect, probe));
    }
    let mut table = Table::new(&["case", "what the child does"]);
    for r in &rows {
        table.row(vec![r.case.clone(), r.access.clone()]);
    }
    e.show(
        format!(
            "Each case in a child of its own, with a SIGSEGV/SIGBUS handler on an alternate \
             signal stack. vm.mmap_min_addr = {}: no process may map the lowest pages, so a \
             NULL pointer always faults. What each child got is in the claim table below.",
            min_addr.as_deref().unwrap_or("(unreadable)")
        ),
        table,
    );
    e.say(
        "The kernel half of the address space is mapped in every process's page table, \
         but its entries are supervisor-only: a user-mode access there is always reported \
         as SEGV_MAPERR, whether or not the kernel has something at that address, so that \
         faults do not reveal the kernel's layout. An address that is not canonical (its \
         top bits not all copies of the highest address bit: 48 bits with 4-level paging, \
         57 with 5-level) never reaches the page tables: the CPU raises a general \
         protection fault, which carries no address, so the kernel sends SI_KERNEL with si_addr 0.",
    );
    for r in &rows {
        e.claim(Claim::check(
            &r.case,
            &r.expected,
            r.observed.clone(),
            r.holds,
        ));
    }
    e.observe("mmap_min_addr", min_addr);
    e.observe("cases", &rows);

    other_users_memory(&mut e)?;
    protection_keys(&mut e, ps)?;
    Ok(e)
}

/// What theory predicts for one access.
enum Expect {
    /// The access completes; the words the child reports must equal these.
    NoFault { info: Vec<u64> },
    /// A signal with this code, at the address the child reported first (or at the
    /// address given).
    Fault { signal: i32, code: i32, addr: Addr },
}

enum Addr {
    /// The first word the child sent.
    Reported,
    /// A fixed address.
    Exactly(u64),
    /// Within `slack` bytes below or above the first word the child sent, and the
    /// handler ran on the alternate stack.
    NearReportedOnAltStack { slack: u64 },
}

struct Case {
    name: String,
    access_text: String,
    expect: Expect,
    access: Box<dyn FnOnce(&mut crate::child::Channel) -> i32>,
}

/// One row of the table, with its verdict.
#[derive(Serialize)]
struct Row {
    case: String,
    access: String,
    expected: String,
    observed: String,
    signal: Option<i32>,
    si_code: Option<i32>,
    si_addr: Option<String>,
    on_alt_stack: Option<bool>,
    info: Vec<String>,
    holds: bool,
}

fn judge(case: &str, access: &str, expect: &Expect, probe: Probe) -> Row {
    let first = probe.info.first().copied();
    let fault = probe.outcome.fault().copied();
    let (expected, holds) = match expect {
        Expect::NoFault { info } => (
            format!("no fault; reads back {}", hex_words(info)),
            probe.outcome == Outcome::NoFault && probe.info == *info,
        ),
        Expect::Fault { signal, code, addr } => {
            let name = format!("{} {}", signal_name(*signal), code_name(*signal, *code));
            let signal_ok = |f: &fault::Fault| f.signal == *signal && f.code == *code;
            match addr {
                Addr::Reported => (
                    format!(
                        "{name} at {}",
                        first.map_or("?".into(), |a| format!("{a:#x}"))
                    ),
                    fault.is_some_and(|f| signal_ok(&f) && Some(f.addr) == first),
                ),
                Addr::Exactly(a) => (
                    format!("{name} at {a:#x}"),
                    fault.is_some_and(|f| signal_ok(&f) && f.addr == *a),
                ),
                Addr::NearReportedOnAltStack { slack } => (
                    format!(
                        "{name} near {}, handled on the alternate stack",
                        first.map_or("?".into(), |a| format!("{a:#x}"))
                    ),
                    fault.is_some_and(|f| {
                        signal_ok(&f)
                            && f.on_alt_stack
                            && first.is_some_and(|a| f.addr.abs_diff(a) <= *slack)
                    }),
                ),
            }
        }
    };
    let mut observed = probe.outcome.describe();
    if let Some(f) = fault {
        if matches!(
            expect,
            Expect::Fault {
                addr: Addr::NearReportedOnAltStack { .. },
                ..
            }
        ) {
            observed.push_str(if f.on_alt_stack {
                ", on the alternate stack"
            } else {
                ", on the main stack"
            });
        }
    } else if probe.outcome == Outcome::NoFault && !probe.info.is_empty() {
        observed = format!("no fault; reads back {}", hex_words(&probe.info));
    }
    Row {
        case: case.into(),
        access: access.into(),
        expected,
        observed,
        signal: fault.map(|f| f.signal),
        si_code: fault.map(|f| f.code),
        si_addr: fault.map(|f| format!("{:#x}", f.addr)),
        on_alt_stack: fault.map(|f| f.on_alt_stack),
        info: probe.info.iter().map(|w| format!("{w:#x}")).collect(),
        holds,
    }
}

fn hex_words(words: &[u64]) -> String {
    words
        .iter()
        .map(|w| format!("{w:#x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn signal_name(signal: i32) -> String {
    nix::sys::signal::Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

/// Maps `pages` anonymous pages with `prot`, in the child (the mapping dies with it).
fn map_anon(pages: u64, ps: u64, prot: ProtFlags) -> Option<u64> {
    let len = NonZeroUsize::new((pages * ps) as usize)?;
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

const RW: ProtFlags = ProtFlags::PROT_READ.union(ProtFlags::PROT_WRITE);
/// The child could not set its case up (an mmap or mprotect failed).
const SETUP_FAILED: i32 = 120;

fn cases(ps: u64) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |name: &str,
                   access: &str,
                   expect: Expect,
                   body: Box<dyn FnOnce(&mut crate::child::Channel) -> i32>| {
        cases.push(Case {
            name: name.into(),
            access_text: access.into(),
            expect,
            access: body,
        })
    };
    let segv = |code, addr| Expect::Fault {
        signal: libc::SIGSEGV,
        code,
        addr,
    };

    add(
        "write to a read-only page",
        "mmap rw, write, mprotect PROT_READ, write",
        segv(code::SEGV_ACCERR, Addr::Reported),
        Box::new(move |chan| {
            let Some(page) = map_anon(1, ps, RW) else {
                return SETUP_FAILED;
            };
            // SAFETY (both): the page was just mapped read-write by this child.
            unsafe { fault::write_byte(page, 1) };
            if !set_prot(page, ps, ProtFlags::PROT_READ) {
                return SETUP_FAILED;
            }
            let target = page + 0x10;
            chan.send(&[target]);
            // SAFETY: faulting is the point; the page holds nothing of Rust's.
            unsafe { fault::write_byte(target, 2) };
            0
        }),
    );
    add(
        "read a PROT_NONE page",
        "mmap PROT_NONE, read",
        segv(code::SEGV_ACCERR, Addr::Reported),
        Box::new(move |chan| {
            let Some(page) = map_anon(1, ps, ProtFlags::PROT_NONE) else {
                return SETUP_FAILED;
            };
            let target = page + 0x20;
            chan.send(&[target]);
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(target) };
            0
        }),
    );
    add(
        "touch a page just unmapped",
        "mmap, munmap, read",
        segv(code::SEGV_MAPERR, Addr::Reported),
        Box::new(move |chan| {
            let Some(page) = map_anon(1, ps, RW) else {
                return SETUP_FAILED;
            };
            let target = page + 0x30;
            chan.send(&[target]);
            let ptr = std::ptr::NonNull::new(page as *mut std::ffi::c_void).expect("mapped");
            // SAFETY: the page is this child's and nothing refers to it.
            if unsafe { munmap(ptr, ps as usize) }.is_err() {
                return SETUP_FAILED;
            }
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(target) };
            0
        }),
    );
    add(
        "dereference NULL",
        "read address 0",
        segv(code::SEGV_MAPERR, Addr::Exactly(0)),
        Box::new(|chan| {
            chan.send(&[0]);
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(0) };
            0
        }),
    );
    add(
        "write into the program's own code",
        "write a byte of a function",
        segv(code::SEGV_ACCERR, Addr::Reported),
        Box::new(|chan| {
            let target = stack_top as *const () as usize as u64;
            chan.send(&[target]);
            // SAFETY: we write back the byte that is there, so if the write were
            // allowed the code would be unchanged.
            unsafe { fault::write_byte(target, fault::read_byte(target)) };
            0
        }),
    );
    add(
        "execute a data page (NX)",
        "call into an rw- page holding `ret`",
        segv(code::SEGV_ACCERR, Addr::Reported),
        Box::new(move |chan| {
            let Some(page) = map_anon(1, ps, RW) else {
                return SETUP_FAILED;
            };
            const RET: u8 = 0xc3;
            // SAFETY: the page was just mapped read-write by this child.
            unsafe { fault::write_byte(page, RET) };
            chan.send(&[page]);
            // SAFETY: the page holds `ret`: if it could run, the call would return.
            unsafe { fault::call(page) };
            0
        }),
    );
    const KERNEL_ADDR: u64 = 0xffff_ffff_8000_0000;
    add(
        "read a kernel address",
        "read 0xffffffff80000000",
        segv(code::SEGV_MAPERR, Addr::Exactly(KERNEL_ADDR)),
        Box::new(|chan| {
            chan.send(&[KERNEL_ADDR]);
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(KERNEL_ADDR) };
            0
        }),
    );
    const NON_CANONICAL: u64 = 0x8000_0000_0000_0000;
    add(
        "read a non-canonical address",
        "read 0x8000000000000000",
        segv(code::SI_KERNEL, Addr::Exactly(0)),
        Box::new(|chan| {
            chan.send(&[NON_CANONICAL]);
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(NON_CANONICAL) };
            0
        }),
    );
    const STACK_LIMIT: u64 = 1 << 20;
    add(
        "overflow the stack",
        "recurse past RLIMIT_STACK = 1 MiB",
        segv(
            code::SEGV_MAPERR,
            Addr::NearReportedOnAltStack { slack: 64 * 1024 },
        ),
        Box::new(|chan| {
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
            // The kernel refuses to grow the stack beyond the limit: the first access
            // below `top - limit` faults.
            chan.send(&[top - STACK_LIMIT]);
            std::hint::black_box(recurse(0));
            0
        }),
    );
    add(
        "read past the end of a file mapping",
        "map 2 pages of a 1-page memfd, read page 2",
        Expect::Fault {
            signal: libc::SIGBUS,
            code: code::BUS_ADRERR,
            addr: Addr::Reported,
        },
        Box::new(move |chan| {
            let Some(target) = map_short_file(ps) else {
                return SETUP_FAILED;
            };
            chan.send(&[target]);
            // SAFETY: a read; faulting is the point.
            unsafe { fault::read_byte(target) };
            0
        }),
    );
    add(
        "make the read-only page writable again",
        "mprotect PROT_READ, then PROT_READ|PROT_WRITE, write 0x5a, read",
        Expect::NoFault { info: vec![0x5a] },
        Box::new(move |chan| {
            let Some(page) = map_anon(1, ps, RW) else {
                return SETUP_FAILED;
            };
            if !set_prot(page, ps, ProtFlags::PROT_READ) || !set_prot(page, ps, RW) {
                return SETUP_FAILED;
            }
            // SAFETY: the page is read-write again; a fault would be the finding.
            let seen = unsafe {
                fault::write_byte(page, 0x5a);
                fault::read_byte(page)
            };
            chan.send(&[seen as u64]);
            0
        }),
    );
    cases
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

/// Another user's memory: refused by the kernel's ptrace access check.
fn other_users_memory(e: &mut Experiment) -> Result<()> {
    const CLAIMS: [(&str, &str); 3] = [
        (
            "another user's memory cannot be read with process_vm_readv",
            "EPERM",
        ),
        ("nor through /proc/<pid>/mem", "EACCES"),
        (
            "the same reads of the process's own memory work",
            "both read the value back",
        ),
    ];
    let unverifiable = |e: &mut Experiment, why: &str| {
        for (statement, theory) in CLAIMS {
            e.claim(Claim::unverifiable(statement, theory, why));
        }
    };
    if !nix::unistd::geteuid().is_root() {
        for (statement, theory) in &CLAIMS[..2] {
            e.claim(Claim::unverifiable(
                statement,
                theory,
                "running a process as another user needs root; run with sudo",
            ));
        }
        // This process is unprivileged already: its own memory is still its own.
        let own: u64 = std::hint::black_box(0x0dd);
        let own_addr = &own as *const u64 as u64;
        let me = std::process::id() as i32;
        let (vm, mem) = (vm_read(me, own_addr).1, mem_read(me, own_addr).1);
        e.claim(Claim::check(
            CLAIMS[2].0,
            CLAIMS[2].1,
            format!(
                "process_vm_readv read {}, /proc/self/mem read {}",
                vm.map_or("nothing".into(), |v| format!("{v:#x}")),
                mem.map_or("nothing".into(), |v| format!("{v:#x}"))
            ),
            vm == Some(0x0dd) && mem == Some(0x0dd),
        ));
        return Ok(());
    }
    let Ok(Some(nobody)) = nix::unistd::User::from_name("nobody") else {
        unverifiable(e, "this system has no user 'nobody' to run the reader as");
        return Ok(());
    };
    // A value in our (root's) memory that the other user's process tries to read.
    let secret: u64 = std::hint::black_box(0x5ec2e7);
    let secret_addr = &secret as *const u64 as u64;
    let me = std::process::id() as i32;
    let mut child = Child::spawn(move |chan| {
        let own: u64 = std::hint::black_box(0x0dd);
        let own_addr = &own as *const u64 as u64;
        // Root's supplementary groups go too (as `setpriv --clear-groups` does), so the
        // reader is an ordinary 'nobody' process and not one still in root's groups.
        if nix::unistd::setgroups(&[]).is_err()
            || nix::unistd::setgid(nobody.gid).is_err()
            || nix::unistd::setuid(nobody.uid).is_err()
        {
            return SETUP_FAILED;
        }
        // Dropping privileges makes a process non-dumpable, which would hide even its
        // own /proc files from it; make it dumpable again, as a normal process is.
        // SAFETY: prctl with integer arguments.
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0) };
        let (theirs_vm, _) = vm_read(me, secret_addr);
        let (theirs_mem, _) = mem_read(me, secret_addr);
        let (_, own_vm) = vm_read(std::process::id() as i32, own_addr);
        let (_, own_mem) = mem_read(std::process::id() as i32, own_addr);
        chan.send(&[
            theirs_vm as u64,
            theirs_mem as u64,
            own_vm.unwrap_or(u64::MAX),
            own_mem.unwrap_or(u64::MAX),
            u64::from(nobody.uid.as_raw()),
        ]);
        0
    })?;
    let words = child.recv()?;
    let how = child.wait()?;
    if words.len() < 5 {
        return Err(Error::Child(format!(
            "the reader running as 'nobody' did not report ({})",
            describe(how)
        )));
    }
    let errno_name = |n: u64| {
        if n == 0 {
            "no error: the read worked".to_string()
        } else {
            nix::errno::Errno::from_raw(n as i32).to_string()
        }
    };
    e.say(format!(
        "A child drops to user nobody (uid {}) and tries to read a value in this process \
         (pid {me}, root) at {secret_addr:#x}, then a value of its own.",
        words[4]
    ));
    e.claim(Claim::check(
        CLAIMS[0].0,
        CLAIMS[0].1,
        errno_name(words[0]),
        words[0] == libc::EPERM as u64,
    ));
    e.claim(Claim::check(
        CLAIMS[1].0,
        CLAIMS[1].1,
        errno_name(words[1]),
        words[1] == libc::EACCES as u64,
    ));
    e.claim(Claim::check(
        CLAIMS[2].0,
        CLAIMS[2].1,
        format!(
            "process_vm_readv read {:#x}, /proc/self/mem read {:#x}",
            words[2], words[3]
        ),
        words[2] == 0x0dd && words[3] == 0x0dd,
    ));
    e.observe("other_user_errnos", [words[0], words[1]]);
    e.observe("own_reads", [words[2], words[3]]);
    Ok(())
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

/// Memory protection keys, where the CPU and kernel have them.
fn protection_keys(e: &mut Experiment, ps: u64) -> Result<()> {
    const STATEMENT: &str = "a page whose protection key forbids writes faults on write";
    const THEORY: &str = "SIGSEGV SEGV_PKUERR";
    let cpu_has_pku = std::fs::File::open("/proc/cpuinfo")
        .and_then(|mut f| {
            let mut s = String::new();
            f.read_to_string(&mut s).map(|_| s)
        })
        .map(|s| {
            s.lines()
                .find(|l| l.starts_with("flags"))
                .is_some_and(|l| l.split_whitespace().any(|f| f == "pku"))
        })
        .unwrap_or(false);
    if !cpu_has_pku {
        e.claim(Claim::unverifiable(
            STATEMENT,
            THEORY,
            "this CPU has no protection keys (no pku flag in /proc/cpuinfo)",
        ));
        return Ok(());
    }
    /// The child's exit code when pkey_alloc fails: the kernel refused keys.
    const NO_KEYS: i32 = 121;
    let probe = fault::probe(move |chan| {
        let Some(page) = map_anon(1, ps, RW) else {
            return SETUP_FAILED;
        };
        const PKEY_DISABLE_WRITE: libc::c_long = 2;
        // SAFETY: plain system calls with integer arguments on our own page.
        let key = unsafe { libc::syscall(libc::SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE) };
        if key < 0 {
            return NO_KEYS;
        }
        // SAFETY: as above.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_pkey_mprotect,
                page,
                ps,
                (libc::PROT_READ | libc::PROT_WRITE) as libc::c_long,
                key,
            )
        };
        if rc != 0 {
            return NO_KEYS;
        }
        chan.send(&[page]);
        // SAFETY: the page is ours; faulting is the point.
        unsafe { fault::write_byte(page, 1) };
        0
    })?;
    match probe.outcome {
        Outcome::Ended(crate::child::ChildExit::Code(NO_KEYS)) => {
            e.claim(Claim::unverifiable(
                STATEMENT,
                THEORY,
                "the kernel refused pkey_alloc/pkey_mprotect (protection keys disabled?)",
            ));
        }
        outcome => {
            let ok = outcome.fault().is_some_and(|f| {
                f.signal == libc::SIGSEGV
                    && f.code == code::SEGV_PKUERR
                    && Some(f.addr) == probe.info.first().copied()
            });
            e.claim(Claim::check(STATEMENT, THEORY, outcome.describe(), ok));
        }
    }
    Ok(())
}
