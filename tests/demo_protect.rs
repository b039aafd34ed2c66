//! vm-protect on the real kernel: each forbidden access gets the signal, si_code,
//! si_addr, CPU exception and error code theory predicts, checked here from the typed
//! record, as root and as nobody.

mod common;

use common::*;
use vmlab::demos::protect::{Case, Observation, Probed};
use vmlab::fault::{Fault, Outcome, code, pf, trap};

const BIN: &str = env!("CARGO_BIN_EXE_vm-protect");

fn probe(o: &Observation, case: Case) -> &Probed {
    o.probes
        .iter()
        .find(|p| p.case == case)
        .unwrap_or_else(|| panic!("no case {case:?}"))
}

/// The fault of `case`; fails if the access was not tried or did not fault.
fn fault(o: &Observation, case: Case) -> Fault {
    match probe(o, case).outcome.seen() {
        Some(Outcome::Fault(f)) => *f,
        other => panic!("{case:?} did not fault: {other:?}"),
    }
}

/// The address the child said it would touch.
fn target(o: &Observation, case: Case) -> u64 {
    probe(o, case)
        .target
        .expect("the child reports its address")
        .0
}

/// What every run shows, root or not: the faults of the user half, the general
/// protection fault, the stack, SIGBUS, and the write mprotect allows again.
fn check_user_half(o: &Observation) {
    use code::{SEGV_ACCERR as ACC, SEGV_MAPERR as MAP};
    let segv = libc::SIGSEGV;
    let expect = [
        (Case::ReadOnlyWrite, segv, ACC),
        (Case::ProtNoneRead, segv, ACC),
        (Case::UnmappedRead, segv, MAP),
        (Case::NullRead, segv, MAP),
        (Case::CodeWrite, segv, ACC),
        (Case::DataExec, segv, ACC),
        (Case::KernelHole, segv, MAP),
        (Case::PastEof, libc::SIGBUS, code::BUS_ADRERR),
    ];
    for (case, signal, si_code) in expect {
        let f = fault(o, case);
        assert_eq!((f.signal, f.code), (signal, si_code), "{case:?}: {f:?}");
        assert_eq!(f.addr.0, target(o, case), "{case:?}: si_addr");
        assert_eq!(f.trap, trap::PAGE_FAULT, "{case:?}: a page fault");
        assert!(f.error_code & pf::USER != 0, "{case:?}: from user mode");
    }
    assert_eq!(
        fault(o, Case::NullRead).addr.0,
        0,
        "NULL really is address 0"
    );
    // The CPU's error code says what kind of access it was.
    assert!(fault(o, Case::ReadOnlyWrite).error_code & pf::WRITE != 0);
    assert!(fault(o, Case::DataExec).error_code & pf::INSTR != 0);
    // The kernel's si_code and the CPU's error code are two answers: the unmapped page
    // has no entry (no PROT) and no region (MAPERR); the read-only page has both.
    assert_eq!(fault(o, Case::UnmappedRead).error_code & pf::PROT, 0);
    assert_ne!(fault(o, Case::ReadOnlyWrite).error_code & pf::PROT, 0);
    // A kernel address with nothing mapped is reported as a protection fault anyway.
    assert_eq!(
        fault(o, Case::KernelHole).error_code & (pf::PROT | pf::USER),
        pf::PROT | pf::USER,
        "sanitize_error_code"
    );
    // A general protection fault, not a page fault, and it carries no address.
    let gp = fault(o, Case::NonCanonical);
    assert_eq!(
        (gp.code, gp.trap),
        (code::SI_KERNEL, trap::GENERAL_PROTECTION)
    );
    assert_eq!(gp.addr.0, 0);
    // The overflow is caught on the alternate stack, within 64 KiB of top − limit.
    let so = fault(o, Case::StackOverflow);
    assert_eq!((so.signal, so.code), (libc::SIGSEGV, code::SEGV_MAPERR));
    assert!(so.on_alt_stack, "{so:?}");
    assert!(
        so.addr.0.abs_diff(target(o, Case::StackOverflow)) <= 64 * 1024,
        "{so:?}"
    );
    // Protection is the OS's to change: the same write succeeds after mprotect.
    let back = probe(o, Case::WritableAgain);
    assert_eq!(back.outcome.seen(), Some(&Outcome::NoFault));
    assert_eq!(back.read_back, Some(0x5a));
}

#[test]
fn each_forbidden_access_faults_as_theory_predicts() {
    let (code, e) = run_demo(BIN);
    assert_eq!(code, 0, "{e:#}");
    let o: Observation = observation(&e);
    check_user_half(&o);
    for id in [
        "protect-read-only-write",
        "protect-prot-none-read",
        "protect-unmapped-read",
        "protect-null-read",
        "protect-code-write",
        "protect-data-exec",
        "protect-kernel-hole",
        "protect-kernel-error-code",
        "protect-non-canonical",
        "protect-stack-overflow",
        "protect-past-eof",
        "protect-writable-again",
        "protect-own-memory",
    ] {
        assert_eq!(verdict(&e, id), "holds", "{id}");
    }
    // Protection keys: a real verdict where the CPU has them, else the reason why not.
    let cpu_has_pku = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("flags"))
        .is_some_and(|l| l.split_whitespace().any(|f| f == "pku"));
    if !cpu_has_pku {
        assert_eq!(verdict(&e, "protect-pkey-write"), "unverifiable");
    }
    assert_eq!(e["outcome"]["contradicted"], 0);
}

#[test]
fn as_root_the_kernel_code_and_another_users_memory_are_refused() {
    if skip_unless_root("reading kallsyms and running a reader as another user") {
        return;
    }
    let (_, e) = run_demo(BIN);
    let o: Observation = observation(&e);
    // The kernel's own code, where something certainly is mapped: the same answer as
    // the empty hole, SEGV_MAPERR and PROT in the error code.
    let text = fault(&o, Case::KernelText);
    assert_eq!(text.code, code::SEGV_MAPERR, "{text:?}");
    assert_eq!(text.addr.0, target(&o, Case::KernelText));
    assert!(text.addr.0 >= 0xffff_8000_0000_0000, "a kernel address");
    assert_ne!(text.error_code & pf::PROT, 0, "{text:?}");
    assert_eq!(verdict(&e, "protect-kernel-text"), "holds");
    let u = o
        .other_user
        .seen()
        .expect("root can run a reader as nobody");
    assert_eq!(u.readv_errno, libc::EPERM, "process_vm_readv");
    assert_eq!(u.mem_errno, libc::EACCES, "/proc/<pid>/mem");
    let own = o.own_reads.seen().unwrap();
    assert_eq!((own.readv, own.mem), (Some(0xdd), Some(0xdd)));
    assert_eq!(verdict(&e, "protect-other-user-readv"), "holds");
    assert_eq!(verdict(&e, "protect-other-user-mem"), "holds");
}

#[test]
fn without_root_the_faults_are_the_same() {
    let Some(out) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = experiment_of(&out);
    let o: Observation = observation(&e);
    check_user_half(&o);
    // What needs privilege says so, and is not left out.
    for id in ["protect-other-user-readv", "protect-other-user-mem"] {
        assert_eq!(verdict(&e, id), "unverifiable", "{id}");
    }
    assert!(o.other_user.reason().unwrap().contains("root"));
    let own = o.own_reads.seen().expect("a process may read itself");
    assert_eq!((own.readv, own.mem), (Some(0xdd), Some(0xdd)));
    let (_, privileged) = run_demo(BIN);
    assert_eq!(claim_ids(&e), claim_ids(&privileged));
}
