//! The fault probe: one memory access in a forked child, and what the MMU and the
//! kernel made of it.
//!
//! Protection is enforced by hardware: the MMU refuses an access the page-table entry
//! does not allow and traps into the kernel, which finds no way to satisfy it and sends
//! the process a signal: SIGSEGV for a bad address or a forbidden access, SIGBUS for an
//! address the mapping cannot back. The signal's `siginfo_t` says why (`si_code`:
//! `SEGV_MAPERR` nothing is mapped there, `SEGV_ACCERR` mapped but not allowed,
//! `BUS_ADRERR` no backing page) and where (`si_addr`). On x86-64 the signal frame also
//! carries the CPU's own account: which exception it was (the trap number: 14 a page
//! fault, 13 a general protection fault) and the exception's error code, which for a
//! page fault has one bit per circumstance ([`pf`]).
//!
//! [`probe`] forks a child that installs a SIGSEGV/SIGBUS handler (SA_SIGINFO, running
//! on an alternate signal stack, so that even a stack overflow can be reported) and
//! then runs the caller's access. The handler only stores signal, code, address, trap
//! number, error code and whether it runs on the alternate stack into a page shared
//! with the parent, then `_exit`s. The parent reaps the child and reads the record. An
//! access that does not fault returns normally, and the probe says
//! [`Outcome::NoFault`]: a case cannot pass by accident.
//!
//! Nothing here is text for people: the demo that uses the probe says it in words.

use std::num::NonZeroUsize;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::child::{Channel, Child, ChildExit};
use crate::error::{Error, Result};

/// `si_code` values (include/uapi/asm-generic/siginfo.h); libc has no constants for
/// them on linux-gnu.
pub mod code {
    pub const SEGV_MAPERR: i32 = 1;
    pub const SEGV_ACCERR: i32 = 2;
    pub const SEGV_PKUERR: i32 = 4;
    pub const BUS_ADRERR: i32 = 2;
    /// Sent by the kernel itself, not for a page fault: on x86-64 a general
    /// protection fault (a non-canonical address), for which the CPU reports no address.
    pub const SI_KERNEL: i32 = 0x80;
}

/// x86 exception numbers, as the signal frame's trap number gives them
/// (arch/x86/include/asm/trapnr.h).
pub mod trap {
    /// #GP, general protection: among others, a non-canonical address.
    pub const GENERAL_PROTECTION: u64 = 13;
    /// #PF, page fault: the page-table walk refused the access.
    pub const PAGE_FAULT: u64 = 14;
}

/// The bits of a page fault's error code (arch/x86/include/asm/trap_pf.h).
pub mod pf {
    /// Set: the page was present and the access broke its protection; clear: the
    /// entry was not present.
    pub const PROT: u64 = 1 << 0;
    /// The access was a write.
    pub const WRITE: u64 = 1 << 1;
    /// The access came from user mode.
    pub const USER: u64 = 1 << 2;
    /// The access was an instruction fetch.
    pub const INSTR: u64 = 1 << 4;
    /// A protection key forbade the access.
    pub const PK: u64 = 1 << 5;

    /// The names of the bits set in `error`, lowest first: `PROT|USER`; empty for none.
    pub fn names(error: u64) -> String {
        let named = [
            (PROT, "PROT"),
            (WRITE, "WRITE"),
            (USER, "USER"),
            (INSTR, "INSTR"),
            (PK, "PK"),
        ];
        let set: Vec<&str> = named
            .iter()
            .filter(|(bit, _)| error & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        set.join("|")
    }
}

/// The name of a signal's `si_code`, as in `siginfo.h`.
pub fn code_name(signal: i32, si_code: i32) -> String {
    let name = match (signal, si_code) {
        (libc::SIGSEGV, code::SEGV_MAPERR) => "SEGV_MAPERR",
        (libc::SIGSEGV, code::SEGV_ACCERR) => "SEGV_ACCERR",
        (libc::SIGSEGV, 3) => "SEGV_BNDERR",
        (libc::SIGSEGV, code::SEGV_PKUERR) => "SEGV_PKUERR",
        (libc::SIGBUS, 1) => "BUS_ADRALN",
        (libc::SIGBUS, code::BUS_ADRERR) => "BUS_ADRERR",
        (libc::SIGBUS, 3) => "BUS_OBJERR",
        (_, code::SI_KERNEL) => "SI_KERNEL",
        (_, 0) => "SI_USER",
        _ => return format!("code {si_code}"),
    };
    name.into()
}

/// The name of a signal: `SIGSEGV`.
pub fn signal_name(signal: i32) -> String {
    Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

/// A fault the child's handler recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub signal: i32,
    /// `si_code`: why, in the kernel's words.
    pub code: i32,
    /// `si_addr`: the faulting data address, or for an instruction fetch the
    /// instruction's address.
    pub addr: VirtAddr,
    /// The handler ran on the alternate signal stack.
    pub on_alt_stack: bool,
    /// The CPU exception the kernel reports in the signal frame (`trapno`): see
    /// [`trap`].
    pub trap: u64,
    /// The exception's error code as the kernel reports it in the signal frame
    /// (`err`): for a page fault, the bits of [`pf`].
    pub error_code: u64,
}

impl Fault {
    /// `SIGSEGV SEGV_ACCERR`.
    pub fn kind(&self) -> String {
        format!(
            "{} {}",
            signal_name(self.signal),
            code_name(self.signal, self.code)
        )
    }

    /// The signal and code are these.
    pub fn is(&self, signal: i32, code: i32) -> bool {
        self.signal == signal && self.code == code
    }
}

/// What one probed access did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The access completed; the child exited normally.
    NoFault,
    /// The handler caught a signal.
    Fault(Fault),
    /// The child exited with this code without faulting: its setup failed (the
    /// code is what the access closure returned).
    Exited { code: i32 },
    /// The child was killed by a signal the handler did not catch.
    Killed { signal: i32 },
}

impl Outcome {
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Outcome::Fault(f) => Some(f),
            _ => None,
        }
    }
}

/// What a probe saw: the words the child sent before its access (addresses it chose,
/// values it read), and the outcome.
#[derive(Clone, Debug)]
pub struct Probe {
    pub info: Vec<u64>,
    pub outcome: Outcome,
}

/// The child's exit code after its handler recorded a fault.
const FAULTED: i32 = 86;
/// Size of the alternate signal stack (well above MINSIGSTKSZ, also with AVX-512 state).
const ALT_STACK_SIZE: usize = 256 * 1024;

/// The record the handler fills, in a page shared with the parent.
#[repr(C)]
struct Record {
    signal: i32,
    code: i32,
    addr: u64,
    on_alt_stack: u64,
    trap: u64,
    error_code: u64,
}

// Set in the child before the handler is installed; read only by the handler.
static RECORD: AtomicPtr<Record> = AtomicPtr::new(std::ptr::null_mut());
static ALT_STACK_LOW: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_fault(
    signal: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // Only async-signal-safe work: plain stores, then _exit.
    let marker = 0u8;
    let here = &marker as *const u8 as usize;
    let low = ALT_STACK_LOW.load(Ordering::Relaxed);
    let record = RECORD.load(Ordering::Relaxed);
    // SAFETY: the kernel passes a valid siginfo_t and ucontext_t to an SA_SIGINFO
    // handler; `record` points at the shared page mapped before the handler was
    // installed.
    unsafe {
        if !record.is_null() {
            let regs = &(*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs;
            (*record).code = (*info).si_code;
            (*record).addr = (*info).si_addr() as u64;
            (*record).on_alt_stack = u64::from(here >= low && here < low + ALT_STACK_SIZE);
            // The kernel's sigcontext: `trapno` and `err` (arch/x86/kernel/signal_64.c
            // copies them from the thread's trap_nr and error_code).
            (*record).trap = regs[libc::REG_TRAPNO as usize] as u64;
            (*record).error_code = regs[libc::REG_ERR as usize] as u64;
            // Written last: the parent takes a non-zero signal as "record complete".
            std::ptr::write_volatile(&mut (*record).signal, signal);
        }
        libc::_exit(FAULTED)
    }
}

/// Runs `access` in a forked child with the fault handler installed, and reports what
/// happened. `access` may send messages to the parent (the address it is about to
/// touch, a value it read); they are returned, concatenated, in [`Probe::info`]. It
/// returns the child's exit code when the access completes (0), or another code if it
/// gives up before accessing (its setup failed).
pub fn probe(access: impl FnOnce(&mut Channel) -> i32) -> Result<Probe> {
    // The kernel rounds the length up to a whole page.
    let len = NonZeroUsize::new(std::mem::size_of::<Record>()).expect("non-zero");
    // SAFETY: a fresh shared anonymous mapping, unmapped below; the child inherits it.
    let shared = unsafe {
        mmap_anonymous(
            None,
            len,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_SHARED,
        )
    }
    .map_err(|e| Error::Child(format!("mmap of the fault record: {e}")))?;
    let result = run_probe(shared.cast(), access);
    // SAFETY: unmapping the page mapped above; the child is reaped, nothing uses it.
    let _ = unsafe { munmap(shared, len.get()) };
    result
}

fn run_probe(record: NonNull<Record>, access: impl FnOnce(&mut Channel) -> i32) -> Result<Probe> {
    let mut child = Child::spawn(move |chan| {
        if install_handler(record).is_err() {
            return 125;
        }
        access(chan)
    })?;
    let how = child.wait()?;
    let info = child.drain().concat();
    // SAFETY: the child has exited (reaped above), so nothing writes the record now.
    let seen = unsafe { std::ptr::read_volatile(record.as_ptr()) };
    let outcome = match how {
        ChildExit::Code(FAULTED) if seen.signal != 0 => Outcome::Fault(Fault {
            signal: seen.signal,
            code: seen.code,
            addr: VirtAddr(seen.addr),
            on_alt_stack: seen.on_alt_stack != 0,
            trap: seen.trap,
            error_code: seen.error_code,
        }),
        ChildExit::Code(0) => Outcome::NoFault,
        ChildExit::Code(code) => Outcome::Exited { code },
        ChildExit::Signal(signal) => Outcome::Killed {
            signal: signal as i32,
        },
    };
    Ok(Probe { info, outcome })
}

/// In the child: an alternate signal stack and the handler for SIGSEGV and SIGBUS.
fn install_handler(record: NonNull<Record>) -> nix::Result<()> {
    let size = NonZeroUsize::new(ALT_STACK_SIZE).expect("non-zero");
    // SAFETY: a fresh private mapping for the signal stack; it lives until _exit.
    let stack = unsafe {
        mmap_anonymous(
            None,
            size,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_PRIVATE | MapFlags::MAP_STACK,
        )
    }?;
    ALT_STACK_LOW.store(stack.as_ptr() as usize, Ordering::Relaxed);
    RECORD.store(record.as_ptr(), Ordering::Relaxed);
    let alt = libc::stack_t {
        ss_sp: stack.as_ptr(),
        ss_flags: 0,
        ss_size: ALT_STACK_SIZE,
    };
    // SAFETY: `alt` describes the mapping above, which stays mapped.
    if unsafe { libc::sigaltstack(&alt, std::ptr::null_mut()) } != 0 {
        return Err(nix::errno::Errno::last());
    }
    let action = SigAction::new(
        SigHandler::SigAction(on_fault),
        SaFlags::SA_ONSTACK | SaFlags::SA_NODEFER,
        SigSet::empty(),
    );
    for signal in [Signal::SIGSEGV, Signal::SIGBUS] {
        // SAFETY: the handler only stores to the shared record and calls _exit, both
        // async-signal-safe. It replaces Rust's own SIGSEGV handler, in the child only.
        unsafe { sigaction(signal, &action) }?;
    }
    Ok(())
}

// The accesses themselves. They are written in assembly so that the compiler neither
// removes them nor assumes anything about them (a null or dangling pointer dereference
// in Rust would be undefined behaviour; a `mov` from address 0 is just an instruction
// the MMU refuses).

/// Reads one byte at `addr`.
///
/// # Safety
/// `addr` may be any address, and the read may fault: call this only in a probe child.
#[cfg(target_arch = "x86_64")]
pub unsafe fn read_byte(addr: u64) -> u8 {
    let value: u8;
    // SAFETY: the caller accepts a fault; a read changes no memory.
    unsafe {
        std::arch::asm!("mov {v}, byte ptr [{a}]", a = in(reg) addr, v = out(reg_byte) value,
            options(nostack, readonly, preserves_flags));
    }
    value
}

/// Writes one byte at `addr`.
///
/// # Safety
/// `addr` may be any address, and the write may fault or change memory Rust uses:
/// call this only in a probe child, with a value that leaves memory as the child needs.
#[cfg(target_arch = "x86_64")]
pub unsafe fn write_byte(addr: u64, value: u8) {
    // SAFETY: the caller's contract.
    unsafe {
        std::arch::asm!("mov byte ptr [{a}], {v}", a = in(reg) addr, v = in(reg_byte) value,
            options(nostack, preserves_flags));
    }
}

/// Calls the code at `addr` (which should be a `ret` instruction).
///
/// # Safety
/// The instruction fetch may fault; if it does not, `addr` must hold code that returns
/// at once. Call this only in a probe child.
#[cfg(target_arch = "x86_64")]
pub unsafe fn call(addr: u64) {
    // SAFETY: the caller's contract.
    unsafe {
        std::arch::asm!("call {a}", a = in(reg) addr, clobber_abi("C"));
    }
}
