//! The claims of vm-protect against records that contradict them or lack evidence.

use super::*;
use crate::demos::claimtest::{Builder, ClaimTests, assert_contract, claims_of};
use crate::fault::{Fault, code, pf};

const SEGV: i32 = libc::SIGSEGV;

fn fault(signal: i32, code: i32, addr: u64, trap: u64, error_code: u64) -> Outcome {
    Outcome::Fault(Fault {
        signal,
        code,
        addr: VirtAddr(addr),
        on_alt_stack: true,
        trap,
        error_code,
    })
}

/// A page fault's SIGSEGV at `addr`, the child having said it would touch `addr`.
fn segv(case: Case, code: i32, addr: u64, error_code: u64) -> Probed {
    probed(
        case,
        addr,
        fault(SEGV, code, addr, trap::PAGE_FAULT, error_code),
    )
}

fn probed(case: Case, target: u64, outcome: Outcome) -> Probed {
    Probed {
        case,
        target: Some(VirtAddr(target)),
        read_back: None,
        outcome: Evidence::Seen(outcome),
    }
}

/// What a run as root on this project's machine shows (x86-64, 4-level paging, no
/// PTI), with a protection-keys CPU added so that the last case holds too.
fn holding() -> Observation {
    use code::{SEGV_ACCERR as ACC, SEGV_MAPERR as MAP};
    let (user, prot_user) = (pf::USER, pf::PROT | pf::USER);
    let write = pf::PROT | pf::WRITE | pf::USER;
    let stack_top = 0x7ffc_b4e6_0000;
    let probes = vec![
        segv(Case::ReadOnlyWrite, ACC, 0x7f92_f225_7010, write),
        segv(Case::ProtNoneRead, ACC, 0x7f92_f225_7020, user),
        segv(Case::UnmappedRead, MAP, 0x7f92_f225_7030, user),
        segv(Case::NullRead, MAP, 0, user),
        segv(Case::CodeWrite, ACC, 0x55ed_fa8f_7fe0, write),
        segv(Case::DataExec, ACC, 0x7f92_f225_7000, prot_user | pf::INSTR),
        segv(Case::KernelText, MAP, 0xffff_ffff_8100_0000, prot_user),
        segv(Case::KernelHole, MAP, 0xffff_8000_0000_0000, prot_user),
        probed(
            Case::NonCanonical,
            0x8000_0000_0000_0000,
            fault(SEGV, code::SI_KERNEL, 0, trap::GENERAL_PROTECTION, 0),
        ),
        probed(
            Case::StackOverflow,
            stack_top,
            fault(
                SEGV,
                MAP,
                stack_top - 0x408,
                trap::PAGE_FAULT,
                pf::WRITE | user,
            ),
        ),
        probed(
            Case::PastEof,
            0x7f92_f225_7000,
            fault(libc::SIGBUS, code::BUS_ADRERR, 0x7f92_f225_7000, 14, user),
        ),
        Probed {
            case: Case::WritableAgain,
            target: None,
            read_back: Some(0x5a),
            outcome: Evidence::Seen(Outcome::NoFault),
        },
        segv(
            Case::PkeyWrite,
            code::SEGV_PKUERR,
            0x7f92_f225_7000,
            pf::PK | write,
        ),
    ];
    Observation {
        mmap_min_addr: Evidence::Seen(crate::addr::VirtAddr(4096)),
        isolation: Isolation {
            meltdown: Evidence::Seen("Not affected".into()),
            pti: Evidence::Seen(false),
        },
        probes,
        other_user: Evidence::Seen(OtherUser {
            uid: 65534,
            pid: 2536,
            target: VirtAddr(0x7ffc_b4f5_9cb8),
            readv_errno: libc::EPERM,
            mem_errno: libc::EACCES,
        }),
        own_reads: Evidence::Seen(OwnReads {
            value: 0xdd,
            readv: Some(0xdd),
            mem: Some(0xdd),
        }),
    }
}

fn probe(o: &mut Observation, case: Case) -> &mut Probed {
    o.probes.iter_mut().find(|p| p.case == case).unwrap()
}

/// The fault of `case`, to change one field of it.
fn fault_of(o: &mut Observation, case: Case) -> &mut Fault {
    match &mut probe(o, case).outcome {
        Evidence::Seen(Outcome::Fault(f)) => f,
        _ => panic!("{case:?} faults in the holding record"),
    }
}

/// The access could not be tried (a setup failure, no kernel symbols, no keys).
fn untried(case: Case) -> impl FnOnce(&mut Observation) {
    move |o| probe(o, case).outcome = Evidence::missing("not tried here")
}

fn code_is(case: Case, code: i32) -> impl FnOnce(&mut Observation) {
    move |o| fault_of(o, case).code = code
}

pub(crate) fn claim_tests() -> ClaimTests {
    let accesses = access_cases(claims_of(judge, holding()));
    accesses
        .case(
            "protect-kernel-error-code",
            // An unsanitized error code: the CPU's own "not present" for the hole.
            |o| fault_of(o, Case::KernelHole).error_code = pf::USER,
            untried(Case::KernelHole),
        )
        .case(
            "protect-other-user-readv",
            |o| set_other(o, |u| u.readv_errno = 0),
            no_other_user,
        )
        .case(
            "protect-other-user-mem",
            |o| set_other(o, |u| u.mem_errno = libc::ENOENT),
            no_other_user,
        )
        .case(
            "protect-own-memory",
            |o| {
                if let Evidence::Seen(r) = &mut o.own_reads {
                    r.mem = None;
                }
            },
            |o| o.own_reads = Evidence::missing("no user nobody"),
        )
        .done()
}

/// One case per access: a different signal, code, address or error code; or the
/// access not tried.
fn access_cases(b: Builder<Observation>) -> Builder<Observation> {
    use code::{SEGV_ACCERR as ACC, SEGV_MAPERR as MAP};
    b.case(
        "protect-read-only-write",
        |o| fault_of(o, Case::ReadOnlyWrite).error_code = pf::PROT | pf::USER,
        untried(Case::ReadOnlyWrite),
    )
    .case(
        "protect-prot-none-read",
        code_is(Case::ProtNoneRead, MAP),
        untried(Case::ProtNoneRead),
    )
    .case(
        "protect-unmapped-read",
        |o| probe(o, Case::UnmappedRead).outcome = Evidence::Seen(Outcome::NoFault),
        untried(Case::UnmappedRead),
    )
    .case(
        "protect-null-read",
        |o| fault_of(o, Case::NullRead).addr = VirtAddr(0x1000),
        untried(Case::NullRead),
    )
    .case(
        "protect-code-write",
        code_is(Case::CodeWrite, MAP),
        untried(Case::CodeWrite),
    )
    .case(
        "protect-data-exec",
        |o| fault_of(o, Case::DataExec).error_code = pf::PROT | pf::USER,
        untried(Case::DataExec),
    )
    .case(
        "protect-kernel-text",
        code_is(Case::KernelText, ACC),
        untried(Case::KernelText),
    )
    .case(
        "protect-kernel-hole",
        code_is(Case::KernelHole, ACC),
        untried(Case::KernelHole),
    )
    .case(
        "protect-non-canonical",
        |o| fault_of(o, Case::NonCanonical).trap = trap::PAGE_FAULT,
        untried(Case::NonCanonical),
    )
    .case(
        "protect-stack-overflow",
        |o| fault_of(o, Case::StackOverflow).on_alt_stack = false,
        untried(Case::StackOverflow),
    )
    .case(
        "protect-past-eof",
        |o| fault_of(o, Case::PastEof).signal = SEGV,
        untried(Case::PastEof),
    )
    .case(
        "protect-writable-again",
        |o| probe(o, Case::WritableAgain).read_back = Some(0),
        untried(Case::WritableAgain),
    )
    .case(
        "protect-pkey-write",
        code_is(Case::PkeyWrite, ACC),
        untried(Case::PkeyWrite),
    )
}

fn set_other(o: &mut Observation, change: impl FnOnce(&mut OtherUser)) {
    if let Evidence::Seen(u) = &mut o.other_user {
        change(u);
    }
}

fn no_other_user(o: &mut Observation) {
    o.other_user = Evidence::missing("running a process as another user needs root");
}

#[test]
fn every_claim_can_fail_and_can_lack_evidence() {
    assert_contract("protect", &claim_tests());
}

#[test]
fn the_record_reads_back_from_json() {
    let o = holding();
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["probes"][0]["case"], "read-only-write");
    assert_eq!(json["probes"][0]["outcome"]["outcome"], "fault");
    assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
}

#[test]
fn the_kernel_error_code_claim_also_reads_the_kernel_text_when_seen() {
    let mut o = holding();
    fault_of(&mut o, Case::KernelText).error_code = pf::USER;
    let claims = judge(&o);
    let c = claims
        .iter()
        .find(|c| c.id == "protect-kernel-error-code")
        .unwrap();
    assert_eq!(c.verdict, crate::experiment::Verdict::Contradicted);
    // Without the kernel text (as nobody), the hole and the user page decide alone.
    untried(Case::KernelText)(&mut o);
    let claims = judge(&o);
    let c = claims
        .iter()
        .find(|c| c.id == "protect-kernel-error-code")
        .unwrap();
    assert_eq!(c.verdict, crate::experiment::Verdict::Holds);
}

#[test]
fn narration_says_what_this_machine_does_about_pti() {
    let mut o = holding();
    let text = |o: &Observation| narrate(o)[2].narration.clone();
    assert!(
        text(&o).contains("without page-table isolation"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("Not affected"), "{}", text(&o));
    o.isolation = Isolation {
        meltdown: Evidence::Seen("Mitigation: PTI".into()),
        pti: Evidence::Seen(true),
    };
    assert!(
        text(&o).contains("runs with page-table isolation"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("Mitigation: PTI"), "{}", text(&o));
    // The PROT_NONE page is pointed out only when it shows the two disagreeing.
    assert!(narrate(&o)[1].narration.contains("0x4 (USER)"));
    fault_of(&mut o, Case::ProtNoneRead).error_code = pf::PROT | pf::USER;
    assert!(!narrate(&o)[1].narration.contains("PROT_NONE"));
}
