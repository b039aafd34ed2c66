//! The claims of vm-protect, decided from the record alone: one per access, one on the
//! error code the kernel reports for kernel addresses, and three on another user's
//! memory.

use super::cases::{STACK_LIMIT, STACK_SLACK, WRITTEN_BACK};
use super::{Case, Observation, Probed, describe, error_text};
use crate::experiment::{Claim, ClaimDraft, Evidence};
use crate::fault::{Fault, Outcome, code, pf, trap};
use crate::{claim, tr};

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let mut claims: Vec<Claim> = Case::ALL.iter().map(|&c| access(o, c)).collect();
    claims.push(kernel_error_code(o));
    claims.push(other_user_readv(o));
    claims.push(other_user_mem(o));
    claims.push(own_memory(o));
    claims
}

/// What theory predicts for one access.
enum Expect {
    /// The access completes and the child reads back this byte.
    NoFault { reads: u8 },
    /// A signal with this code, from this CPU exception, at `at`; and the error code
    /// has at least the bits `bits` (the kind of access: a write, a fetch).
    Fault {
        signal: i32,
        code: i32,
        trap: u64,
        at: At,
        bits: u64,
    },
}

/// Where theory puts `si_addr`.
enum At {
    /// At the address the child reported.
    Reported,
    /// At 0: the CPU gives no address.
    Zero,
    /// Within [`STACK_SLACK`] of the address the child reported, with the handler on
    /// the alternate stack (the only stack left).
    NearOnAltStack,
}

fn expect(case: Case) -> Expect {
    let segv = |code, at, bits| Expect::Fault {
        signal: libc::SIGSEGV,
        code,
        trap: trap::PAGE_FAULT,
        at,
        bits,
    };
    use code::{SEGV_ACCERR as ACC, SEGV_MAPERR as MAP};
    match case {
        Case::ReadOnlyWrite | Case::CodeWrite => segv(ACC, At::Reported, pf::WRITE),
        Case::ProtNoneRead => segv(ACC, At::Reported, 0),
        Case::DataExec => segv(ACC, At::Reported, pf::INSTR),
        Case::UnmappedRead | Case::NullRead | Case::KernelText | Case::KernelHole => {
            segv(MAP, At::Reported, 0)
        }
        Case::NonCanonical => Expect::Fault {
            signal: libc::SIGSEGV,
            code: code::SI_KERNEL,
            trap: trap::GENERAL_PROTECTION,
            at: At::Zero,
            bits: 0,
        },
        Case::StackOverflow => segv(MAP, At::NearOnAltStack, 0),
        Case::PastEof => Expect::Fault {
            signal: libc::SIGBUS,
            code: code::BUS_ADRERR,
            trap: trap::PAGE_FAULT,
            at: At::Reported,
            bits: 0,
        },
        Case::WritableAgain => Expect::NoFault {
            reads: WRITTEN_BACK,
        },
        Case::PkeyWrite => segv(code::SEGV_PKUERR, At::Reported, pf::WRITE),
    }
}

/// The claim of one access: its statement, with where theory expects the fault.
fn draft(case: Case, addr: String) -> ClaimDraft {
    let limit = STACK_LIMIT >> 20;
    let slack = STACK_SLACK >> 10;
    match case {
        Case::ReadOnlyWrite => claim!("protect-read-only-write", addr = addr),
        Case::ProtNoneRead => claim!("protect-prot-none-read", addr = addr),
        Case::UnmappedRead => claim!("protect-unmapped-read", addr = addr),
        Case::NullRead => claim!("protect-null-read", addr = addr),
        Case::CodeWrite => claim!("protect-code-write", addr = addr),
        Case::DataExec => claim!("protect-data-exec", addr = addr),
        Case::KernelText => claim!("protect-kernel-text", addr = addr),
        Case::KernelHole => claim!("protect-kernel-hole", addr = addr),
        Case::NonCanonical => claim!("protect-non-canonical"),
        Case::StackOverflow => {
            claim!(
                "protect-stack-overflow",
                addr = addr,
                mib = limit,
                kib = slack
            )
        }
        Case::PastEof => claim!("protect-past-eof", addr = addr),
        Case::WritableAgain => claim!(
            "protect-writable-again",
            byte = format!("{WRITTEN_BACK:#x}")
        ),
        Case::PkeyWrite => claim!("protect-pkey-write", addr = addr),
    }
}

fn access(o: &Observation, case: Case) -> Claim {
    let probe = o.probes.iter().find(|p| p.case == case);
    let target = probe.and_then(|p| p.target);
    // Where the address is not known, the kernel's code is still `_text` by name.
    let unknown = if case == Case::KernelText {
        "_text"
    } else {
        "?"
    };
    let draft = draft(case, target.map_or(unknown.into(), |a| a.hex()));
    let Some(probe) = probe else {
        return draft.unverifiable(tr!("protect-case-missing"));
    };
    draft.on(probe.outcome.clone(), |outcome| {
        let seen = match (outcome, probe.read_back) {
            (Outcome::NoFault, Some(b)) => {
                tr!("protect-no-fault-reads", byte = format!("{b:#x}"))
            }
            _ => describe(&outcome),
        };
        (seen, meets(&expect(case), probe, &outcome))
    })
}

/// Whether `outcome` is what `e` predicts of the access `p`.
fn meets(e: &Expect, p: &Probed, outcome: &Outcome) -> bool {
    let first = p.target.map(|a| a.0);
    match (e, outcome) {
        (Expect::NoFault { reads }, Outcome::NoFault) => p.read_back == Some(*reads),
        (
            Expect::Fault {
                signal,
                code,
                trap,
                at,
                bits,
            },
            Outcome::Fault(f),
        ) => {
            let addr_ok = match at {
                At::Reported => Some(f.addr.0) == first,
                At::Zero => f.addr.0 == 0,
                At::NearOnAltStack => {
                    f.on_alt_stack && first.is_some_and(|a| f.addr.0.abs_diff(a) <= STACK_SLACK)
                }
            };
            f.is(*signal, *code) && f.trap == *trap && f.error_code & bits == *bits && addr_ok
        }
        _ => false,
    }
}

/// The fault one access got, or why there is none to look at.
fn fault_of(o: &Observation, case: Case) -> Evidence<Fault> {
    match o.probes.iter().find(|p| p.case == case).map(|p| &p.outcome) {
        Some(Evidence::Seen(Outcome::Fault(f))) => Evidence::Seen(*f),
        Some(Evidence::Seen(other)) => Evidence::missing(tr!(
            "protect-no-fault-to-read",
            case = super::cases::name(case),
            outcome = describe(other)
        )),
        Some(Evidence::Missing(m)) => Evidence::Missing(m.clone()),
        None => Evidence::missing(tr!("protect-case-missing")),
    }
}

/// The kernel reports every user-mode fault on a kernel address as a protection
/// fault (sanitize_error_code), where nothing is mapped as where the kernel's code
/// is; a user address with nothing mapped shows the CPU's own "not present".
fn kernel_error_code(o: &Observation) -> Claim {
    let both = fault_of(o, Case::KernelHole).zip(fault_of(o, Case::UnmappedRead));
    let text = fault_of(o, Case::KernelText);
    claim!("protect-kernel-error-code").on(both, |(hole, user)| {
        let bits = |f: &Fault| error_text(f.error_code);
        let prot_user = |f: &Fault| f.error_code & (pf::PROT | pf::USER) == pf::PROT | pf::USER;
        let text_ok = text.seen().is_none_or(prot_user);
        let holds = prot_user(&hole) && user.error_code & pf::PROT == 0 && text_ok;
        let seen = tr!(
            "protect-kernel-error-code-seen",
            hole = bits(&hole),
            text = text.seen().map_or_else(|| tr!("protect-not-tried"), bits),
            user = bits(&user)
        );
        (seen, holds)
    })
}

/// An errno by name (`EPERM`), or that the read worked.
fn errno_name(n: i32) -> String {
    if n == 0 {
        tr!("protect-read-worked")
    } else {
        format!("{:?}", nix::errno::Errno::from_raw(n))
    }
}

fn other_user_readv(o: &Observation) -> Claim {
    claim!("protect-other-user-readv").on(o.other_user.clone(), |u| {
        (errno_name(u.readv_errno), u.readv_errno == libc::EPERM)
    })
}

fn other_user_mem(o: &Observation) -> Claim {
    claim!("protect-other-user-mem").on(o.other_user.clone(), |u| {
        (errno_name(u.mem_errno), u.mem_errno == libc::EACCES)
    })
}

fn own_memory(o: &Observation) -> Claim {
    claim!("protect-own-memory").on(o.own_reads.clone(), |r| {
        let shown =
            |v: Option<u64>| v.map_or_else(|| tr!("protect-read-nothing"), |v| format!("{v:#x}"));
        let seen = tr!(
            "protect-own-memory-seen",
            readv = shown(r.readv),
            mem = shown(r.mem)
        );
        (seen, r.readv == Some(r.value) && r.mem == Some(r.value))
    })
}
