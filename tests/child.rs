//! Children that crash, hang or panic are reported and reaped, never left behind.
//!
//! `harness = false` (see Cargo.toml): libtest runs tests on threads, and
//! `Child::spawn` refuses to fork a multi-threaded process. So this file is its own
//! `main`, runs its cases in order on the main thread, and panics (exit 101) on the
//! first failure.

use std::path::Path;
use std::time::Duration;

use vmlab::child::{Child, ChildExit};
use vmlab::error::Error;
use vmlab::fault;

fn main() {
    let cases: [(&str, fn()); 8] = [
        (
            "the_probe_reports_an_access_that_does_not_fault",
            probe_no_fault,
        ),
        ("the_probe_reports_signal_code_and_address", probe_fault),
        ("a_crashing_child_is_reported_with_its_signal", crashing),
        ("a_silent_child_is_killed_after_the_timeout", silent),
        ("a_child_that_does_not_exit_is_killed", lingering),
        ("a_panicking_child_exits_101", panicking),
        ("dropping_a_running_child_kills_and_reaps_it", dropped),
        ("a_child_dies_with_its_parent_even_by_sigkill", orphaned),
    ];
    println!("\nrunning {} tests", cases.len());
    for (name, case) in cases {
        case();
        println!("test {name} ... ok");
    }
    let left = children_of_this_process();
    assert!(left.is_empty(), "children left behind: {left:?}");
    println!("\ntest result: ok. {} passed\n", cases.len());
}

/// A pid that has been reaped no longer has a /proc entry (a zombie still has one).
#[track_caller]
fn assert_reaped(pid: i32) {
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "child {pid} was not reaped"
    );
}

fn child_error(result: vmlab::error::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::Child(msg)) => msg,
        other => panic!("expected a child error, got {other:?}"),
    }
}

fn crashing() {
    let mut child = Child::spawn(|_| {
        // Rust's runtime catches SIGSEGV (to report stack overflows); put the default
        // action back so the signal ends the child as a real crash would.
        // SAFETY: SIG_DFL installs no handler; raise has no memory effects.
        unsafe {
            libc::signal(libc::SIGSEGV, libc::SIG_DFL);
            libc::raise(libc::SIGSEGV);
        }
        0
    })
    .unwrap();
    let msg = child_error(child.recv());
    assert!(msg.contains("ended before answering"), "{msg}");
    assert!(msg.contains("SIGSEGV"), "{msg}");
    assert_reaped(child.pid());
}

fn silent() {
    let mut child = Child::spawn(|_| {
        std::thread::sleep(Duration::from_secs(60));
        0
    })
    .unwrap()
    .with_timeout(Duration::from_millis(200));
    let msg = child_error(child.recv());
    assert!(
        msg.contains("sent nothing") && msg.contains("killed"),
        "{msg}"
    );
    assert_reaped(child.pid());
}

fn lingering() {
    let mut child = Child::spawn(|chan| {
        chan.send(&[7]);
        std::thread::sleep(Duration::from_secs(60));
        0
    })
    .unwrap()
    .with_timeout(Duration::from_millis(200));
    assert_eq!(child.recv().unwrap(), [7]);
    let msg = child_error(child.wait());
    assert!(
        msg.contains("did not exit") && msg.contains("killed"),
        "{msg}"
    );
    assert_reaped(child.pid());
}

fn panicking() {
    // The child's panic message would clutter the test output.
    std::panic::set_hook(Box::new(|_| {}));
    let mut child = Child::spawn(|_| panic!("on purpose")).unwrap();
    let how = child.wait().unwrap();
    let _ = std::panic::take_hook();
    assert_eq!(how, ChildExit::Code(101));
    assert_eq!(vmlab::child::describe(how), "it panicked");
    assert_reaped(child.pid());
}

fn dropped() {
    let child = Child::spawn(|_| {
        std::thread::sleep(Duration::from_secs(60));
        0
    })
    .unwrap();
    let pid = child.pid();
    assert!(Path::new(&format!("/proc/{pid}")).exists());
    drop(child);
    assert_reaped(pid);
}

/// A parent, itself a forked copy of this test, starts a child that never reads its
/// pipe (so it cannot notice its parent is gone), and is killed with SIGKILL: the
/// child must die with it, not linger adopted. As subreaper, this test adopts it.
fn orphaned() {
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) only changes who adopts our orphans.
    assert_eq!(
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) },
        0
    );
    let (from_parent, to_test) = nix::unistd::pipe().unwrap();
    // SAFETY: this test binary has one thread (no harness), so the forked parent may
    // run ordinary code; it never returns from this branch.
    match unsafe { nix::unistd::fork() }.unwrap() {
        nix::unistd::ForkResult::Child => {
            let child = Child::spawn(|_| {
                std::thread::sleep(Duration::from_secs(60));
                0
            })
            .unwrap();
            let _ = nix::unistd::write(&to_test, &child.pid().to_ne_bytes());
            // Not dropped: dropping would kill and reap it.
            std::mem::forget(child);
            std::thread::sleep(Duration::from_secs(60));
            // SAFETY: leaving the forked copy without running the test's code.
            unsafe { libc::_exit(0) }
        }
        nix::unistd::ForkResult::Parent { child: parent } => {
            let mut word = [0u8; 4];
            nix::unistd::read(&from_parent, &mut word).unwrap();
            let grandchild = nix::unistd::Pid::from_raw(i32::from_ne_bytes(word));
            nix::sys::signal::kill(parent, nix::sys::signal::Signal::SIGKILL).unwrap();
            waitpid(parent, None).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            let how = loop {
                // ECHILD until the kernel has handed it to us.
                match waitpid(grandchild, Some(WaitPidFlag::WNOHANG)) {
                    Ok(WaitStatus::Signaled(_, s, _)) => break Some(s),
                    Ok(WaitStatus::Exited(..)) => break None,
                    _ if std::time::Instant::now() > deadline => {
                        let _ =
                            nix::sys::signal::kill(grandchild, nix::sys::signal::Signal::SIGKILL);
                        let _ = waitpid(grandchild, None);
                        break None;
                    }
                    _ => std::thread::sleep(Duration::from_millis(10)),
                }
            };
            assert_eq!(
                how,
                Some(nix::sys::signal::Signal::SIGKILL),
                "the child outlived its parent"
            );
        }
    }
}

fn children_of_this_process() -> Vec<i32> {
    let me = std::process::id() as i32;
    procfs::process::all_processes()
        .map(|all| {
            all.filter_map(|p| p.ok()?.stat().ok())
                .filter(|s| s.ppid == me)
                .map(|s| s.pid)
                .collect()
        })
        .unwrap_or_default()
}

fn probe_no_fault() {
    let probe = fault::probe(|chan| {
        let value = 7u8;
        let addr = &value as *const u8 as u64;
        // SAFETY: reading a local of this child.
        let seen = unsafe { fault::read_byte(addr) };
        chan.send(&[u64::from(seen)]);
        0
    })
    .unwrap();
    assert_eq!(probe.outcome, fault::Outcome::NoFault);
    assert_eq!(probe.info, [7]);
}

fn probe_fault() {
    let probe = fault::probe(|chan| {
        let len = std::num::NonZeroUsize::new(4096).unwrap();
        // SAFETY: a fresh read-only mapping of this child.
        let ptr = unsafe {
            nix::sys::mman::mmap_anonymous(
                None,
                len,
                nix::sys::mman::ProtFlags::PROT_READ,
                nix::sys::mman::MapFlags::MAP_PRIVATE,
            )
        }
        .unwrap();
        let addr = ptr.as_ptr() as u64 + 8;
        chan.send(&[addr]);
        // SAFETY: writing a read-only page of our own: faulting is the point.
        unsafe { fault::write_byte(addr, 1) };
        0
    })
    .unwrap();
    let f = probe.outcome.fault().copied().expect("a fault");
    assert_eq!(
        (f.signal, f.code),
        (libc::SIGSEGV, fault::code::SEGV_ACCERR)
    );
    assert_eq!(Some(f.addr.0), probe.info.first().copied());
    assert!(f.on_alt_stack, "the handler runs on the alternate stack");
    assert_eq!(f.kind(), "SIGSEGV SEGV_ACCERR");
    // The signal frame's account of it: a page fault, a user-mode write to a page that
    // was never touched, so has no page-table entry yet (PROT clear).
    assert_eq!(f.trap, fault::trap::PAGE_FAULT);
    let (prot, write, user) = (fault::pf::PROT, fault::pf::WRITE, fault::pf::USER);
    assert_eq!(f.error_code & (prot | write | user), write | user, "{f:?}");
}
