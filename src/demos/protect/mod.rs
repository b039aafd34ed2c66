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
//! handler records the signal, its `si_code` and `si_addr`, and the CPU's exception
//! number and error code from the signal frame; we compare them with what theory
//! predicts. Two cases are not faults: a page made writable again accepts the write,
//! and another user's memory is refused by the kernel's permission check (not by the
//! MMU) with an error code.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the record
//! alone. The accesses are in `cases`, the reads of another user's memory in `users`,
//! the claims in `claims`.

mod cases;
mod claims;
mod users;

use serde::{Deserialize, Serialize};

use super::Lab;
use crate::addr::VirtAddr;
use crate::error::Result;
use crate::experiment::{Evidence, Experiment, Step, Table};
use crate::fault::{self, Outcome, trap};
use crate::tr;

pub use claims::judge;

/// Everything vm-protect saw: what each access got, the settings that explain it, and
/// what another user's process was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// `vm.mmap_min_addr`: the lowest address an ordinary process may map.
    pub mmap_min_addr: Evidence<crate::addr::VirtAddr>,
    /// Whether this kernel hides itself from user-mode page tables (PTI).
    pub isolation: Isolation,
    /// Each access of [`Case::ALL`], in that order.
    pub probes: Vec<Probed>,
    /// A process of another user reading this one's memory (needs root to set up).
    pub other_user: Evidence<OtherUser>,
    /// The same reads of a process's own memory.
    pub own_reads: Evidence<OwnReads>,
}

/// How the kernel half of the address space is kept from user mode here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Isolation {
    /// `/sys/devices/system/cpu/vulnerabilities/meltdown`, in the kernel's words
    /// (`Not affected`, `Mitigation: PTI`, `Vulnerable`).
    pub meltdown: Evidence<String>,
    /// The `pti` flag of `/proc/cpuinfo`: the kernel turned page-table isolation on.
    pub pti: Evidence<bool>,
}

/// One forbidden (or, once, allowed) access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    ReadOnlyWrite,
    ProtNoneRead,
    UnmappedRead,
    NullRead,
    CodeWrite,
    DataExec,
    /// The first byte of the kernel's code (`_text` in `/proc/kallsyms`).
    KernelText,
    /// An address of the kernel half where Linux maps nothing.
    KernelHole,
    NonCanonical,
    StackOverflow,
    PastEof,
    WritableAgain,
    PkeyWrite,
}

impl Case {
    pub const ALL: [Case; 13] = [
        Case::ReadOnlyWrite,
        Case::ProtNoneRead,
        Case::UnmappedRead,
        Case::NullRead,
        Case::CodeWrite,
        Case::DataExec,
        Case::KernelText,
        Case::KernelHole,
        Case::NonCanonical,
        Case::StackOverflow,
        Case::PastEof,
        Case::WritableAgain,
        Case::PkeyWrite,
    ];
}

/// What one child did: what it reported, and what its access got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probed {
    pub case: Case,
    /// The address the child said it was about to touch.
    pub target: Option<VirtAddr>,
    /// The byte the child read back after its access (only [`Case::WritableAgain`]).
    pub read_back: Option<u8>,
    /// What the access got, or why it could not be tried here.
    pub outcome: Evidence<Outcome>,
}

/// A process running as another user tried to read a value in this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherUser {
    /// The reader's user id (`nobody`).
    pub uid: u32,
    /// This (root) process, and the address of the value it tried to read.
    pub pid: i32,
    pub target: VirtAddr,
    /// The errno of process_vm_readv and of the read of `/proc/<pid>/mem`; 0 when the
    /// read worked.
    pub readv_errno: i32,
    pub mem_errno: i32,
}

/// A process reading a value of its own, the same two ways.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnReads {
    /// The value it holds.
    pub value: u64,
    /// What process_vm_readv and `/proc/<pid>/mem` read back (`None`: the read failed).
    pub readv: Option<u64>,
    pub mem: Option<u64>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("protect", tr!("protect-title"), tr!("protect-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Reads the settings, runs every access in a child of its own, then lets another
/// user's process try to read this one.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let mmap_min_addr = Evidence::from_option(
        super::setting("/proc/sys/vm/mmap_min_addr")
            .and_then(|v| v.parse().ok())
            .map(crate::addr::VirtAddr),
        || tr!("protect-min-addr-unreadable"),
    );
    let mut probes = Vec::with_capacity(Case::ALL.len());
    for case in Case::ALL {
        probes.push(cases::probe(lab, case)?);
    }
    let (other_user, own_reads) = users::gather()?;
    Ok(Observation {
        mmap_min_addr,
        isolation: isolation(),
        probes,
        other_user,
        own_reads,
    })
}

/// Whether page-table isolation is on, as the kernel says it.
fn isolation() -> Isolation {
    const MELTDOWN: &str = "/sys/devices/system/cpu/vulnerabilities/meltdown";
    Isolation {
        meltdown: Evidence::from_option(super::setting(MELTDOWN), || {
            tr!("protect-unreadable", path = MELTDOWN)
        }),
        pti: Evidence::from_option(cases::cpu_flags().map(|f| f.iter().any(|f| f == "pti")), {
            || tr!("protect-unreadable", path = "/proc/cpuinfo")
        }),
    }
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let min_addr = o
        .mmap_min_addr
        .seen()
        .map_or_else(|| "?".to_string(), |a| a.0.to_string());
    let mut steps = vec![
        Step::show(
            tr!("protect-step-cases", min_addr = min_addr),
            case_table(o),
        )
        .with_terms(&["term-segfault", "term-si-code", "term-protection-bits"]),
        Step::say(error_code(o)),
        Step::say(kernel_half(&o.isolation)),
        Step::say(tr!("protect-step-non-canonical")),
    ];
    if let Evidence::Seen(u) = &o.other_user {
        steps.push(Step::say(tr!(
            "protect-step-other-user",
            uid = u.uid,
            pid = u.pid,
            addr = u.target.hex()
        )));
    }
    steps
}

/// One row per access: what the child did, and what the signal said.
fn case_table(o: &Observation) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("protect-header-case"),
        tr!("protect-header-does"),
        tr!("protect-header-signal"),
        tr!("protect-header-addr"),
        tr!("protect-header-trap"),
        tr!("protect-header-error"),
    ]);
    for p in &o.probes {
        let (signal, addr, trap, error) = match &p.outcome {
            Evidence::Seen(Outcome::Fault(f)) => (
                f.kind(),
                f.addr.hex(),
                trap_name(f.trap),
                error_text(f.error_code),
            ),
            Evidence::Seen(other) => (describe(other), dash(), dash(), dash()),
            Evidence::Missing(_) => (tr!("protect-not-tried"), dash(), dash(), dash()),
        };
        t.row(vec![
            cases::name(p.case),
            cases::does(p.case),
            signal,
            addr,
            trap,
            error,
        ]);
    }
    t
}

/// The error code beside si_code; where the PROT_NONE read shows the CPU and the
/// kernel disagreeing (no entry, yet an access error), it is pointed out.
fn error_code(o: &Observation) -> String {
    let legend = tr!("protect-step-error-code");
    let prot_none = o.probes.iter().find(|p| p.case == Case::ProtNoneRead);
    match prot_none.and_then(|p| p.outcome.seen()) {
        Some(Outcome::Fault(f))
            if f.error_code & fault::pf::PROT == 0 && f.code == fault::code::SEGV_ACCERR =>
        {
            let error = error_text(f.error_code);
            let example = tr!("protect-step-prot-none", error = error, kind = f.kind());
            format!("{legend} {example}")
        }
        _ => legend,
    }
}

/// An error code with its bits named: `0x7 (PROT|WRITE|USER)`, or just `0x0`.
fn error_text(error: u64) -> String {
    match fault::pf::names(error) {
        bits if bits.is_empty() => format!("{error:#x}"),
        bits => format!("{error:#x} ({bits})"),
    }
}

fn dash() -> String {
    "-".into()
}

/// The exception by name: page fault, general protection fault.
fn trap_name(n: u64) -> String {
    match n {
        trap::PAGE_FAULT => tr!("protect-trap-page-fault"),
        trap::GENERAL_PROTECTION => tr!("protect-trap-general-protection"),
        n => tr!("protect-trap-other", number = n),
    }
}

/// What an access got, in words: `SIGSEGV SEGV_ACCERR at 0x7f... (page fault, error
/// 0x7 (PROT|WRITE|USER))`.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::NoFault => tr!("protect-no-fault"),
        Outcome::Fault(f) => tr!(
            "protect-fault",
            kind = f.kind(),
            addr = f.addr.hex(),
            trap = trap_name(f.trap),
            error = error_text(f.error_code)
        ),
        Outcome::Exited { code } => tr!("protect-child-exited", code = *code),
        Outcome::Killed { signal } => {
            tr!("protect-child-killed", signal = fault::signal_name(*signal))
        }
    }
}

/// How the kernel half is kept from user mode on this machine, as it says.
fn kernel_half(i: &Isolation) -> String {
    let meltdown = match &i.meltdown {
        Evidence::Seen(m) => m.clone(),
        Evidence::Missing(m) => m.missing.clone(),
    };
    let how = match &i.pti {
        Evidence::Seen(true) => tr!("protect-kernel-half-pti", meltdown = meltdown),
        Evidence::Seen(false) => tr!("protect-kernel-half-no-pti", meltdown = meltdown),
        Evidence::Missing(m) => tr!("protect-kernel-half-unknown", reason = m.missing.as_str()),
    };
    format!("{how} {}", tr!("protect-kernel-fault-path"))
}

#[cfg(test)]
pub(crate) mod tests;
