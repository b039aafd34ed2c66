//! vm-protect on the real kernel: each forbidden access gets the signal, si_code and
//! si_addr theory predicts, checked here from the raw observations.

mod common;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_vm-protect");

fn case<'a>(e: &'a Value, name: &str) -> &'a Value {
    e["observations"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == name)
        .unwrap_or_else(|| panic!("no case '{name}'"))
}

/// Signal number, si_code, and whether si_addr equals the address the child reported.
fn fault_of(c: &Value) -> (i64, i64, bool) {
    let addr = c["si_addr"].as_str().unwrap_or("none");
    let reported = c["info"][0].as_str().unwrap_or("?");
    (
        c["signal"].as_i64().unwrap_or(-1),
        c["si_code"].as_i64().unwrap_or(-1),
        addr == reported,
    )
}

const SIGSEGV: i64 = 11;
const SIGBUS: i64 = 7;
const SEGV_MAPERR: i64 = 1;
const SEGV_ACCERR: i64 = 2;
const BUS_ADRERR: i64 = 2;
const SI_KERNEL: i64 = 0x80;

#[test]
fn each_forbidden_access_faults_as_theory_predicts() {
    let o = std::process::Command::new(BIN)
        .arg("--json")
        .output()
        .unwrap();
    let e = experiment_of(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expect = [
        ("write to a read-only page", SIGSEGV, SEGV_ACCERR),
        ("read a PROT_NONE page", SIGSEGV, SEGV_ACCERR),
        ("touch a page just unmapped", SIGSEGV, SEGV_MAPERR),
        ("dereference NULL", SIGSEGV, SEGV_MAPERR),
        ("write into the program's own code", SIGSEGV, SEGV_ACCERR),
        ("execute a data page (NX)", SIGSEGV, SEGV_ACCERR),
        ("read a kernel address", SIGSEGV, SEGV_MAPERR),
        ("read past the end of a file mapping", SIGBUS, BUS_ADRERR),
    ];
    for (name, signal, code) in expect {
        let c = case(&e, name);
        assert_eq!(fault_of(c), (signal, code, true), "{name}: {c}");
        assert_eq!(c["holds"], true, "{name}");
    }
    // NULL really is address 0; the text page is below the data pages.
    assert_eq!(case(&e, "dereference NULL")["si_addr"], "0x0");
    // A general protection fault carries no address.
    let gp = case(&e, "read a non-canonical address");
    assert_eq!(
        (gp["signal"].as_i64(), gp["si_code"].as_i64()),
        (Some(SIGSEGV), Some(SI_KERNEL))
    );
    assert_eq!(gp["si_addr"], "0x0");
    // The overflow is caught on the alternate stack, within 64 KiB of stack top − limit.
    let so = case(&e, "overflow the stack");
    assert_eq!(so["signal"].as_i64(), Some(SIGSEGV));
    assert_eq!(so["on_alt_stack"], true, "{so}");
    let hex =
        |v: &Value| u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
    assert!(
        hex(&so["si_addr"]).abs_diff(hex(&so["info"][0])) <= 64 * 1024,
        "{so}"
    );
    // Protection is the OS's to change: the same write succeeds after mprotect.
    let back = case(&e, "make the read-only page writable again");
    assert_eq!(back["signal"], Value::Null, "{back}");
    assert_eq!(back["info"][0], "0x5a");
    // And every case's verdict is a holds.
    for c in e["claims"].as_array().unwrap() {
        assert_ne!(c["verdict"], "contradicted", "{c}");
    }
}

#[test]
fn another_users_memory_is_refused() {
    if skip_unless_root("running a reader as another user") {
        return;
    }
    let o = std::process::Command::new(BIN)
        .arg("--json")
        .output()
        .unwrap();
    let e = experiment_of(&o);
    let errnos = &e["observations"]["other_user_errnos"];
    assert_eq!(errnos[0], libc::EPERM as u64, "process_vm_readv: {errnos}");
    assert_eq!(errnos[1], libc::EACCES as u64, "/proc/<pid>/mem: {errnos}");
    assert_eq!(e["observations"]["own_reads"][0], 0xdd);
    assert_eq!(e["observations"]["own_reads"][1], 0xdd);
}

#[test]
fn without_root_the_faults_are_the_same() {
    let Some(o) = run_unprivileged(BIN, &["--json"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    for c in e["observations"]["cases"].as_array().unwrap() {
        assert_eq!(c["holds"], true, "as nobody: {c}");
    }
    let privileged = experiment_of(
        &std::process::Command::new(BIN)
            .arg("--json")
            .output()
            .unwrap(),
    );
    assert_eq!(statements(&e), statements(&privileged));
}
