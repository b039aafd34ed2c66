//! Every bad input gets one clear line on stderr and a documented exit code, never a
//! panic: 2 for input the user can fix, 3 for what the system refused or lacks.

mod common;

use std::process::Command;

use common::*;

/// Runs vmlab, expects exit `code` and an `error:` line containing `needle`.
#[track_caller]
fn fails(args: &[&str], code: i32, needle: &str) {
    let o = vmlab(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "vmlab {args:?}: {err}");
    assert!(err.starts_with("error: "), "vmlab {args:?}: {err}");
    assert!(
        err.contains(needle),
        "vmlab {args:?}: expected '{needle}' in: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        o.stdout.is_empty(),
        "nothing on stdout before an input error"
    );
}

#[test]
fn pids_that_do_not_exist_or_are_not_pids() {
    let pid_max: i64 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let absent = (pid_max + 1).to_string();
    fails(
        &["maps", &absent],
        2,
        &format!("no process with pid {absent}"),
    );
    fails(&["pages", &absent], 2, "no process with pid");
    fails(&["translate", &absent, "0x1000"], 2, "no process with pid");
    fails(&["maps", "abc"], 2, "'abc' is not a process id");
    fails(&["maps", "0"], 2, "'0' is not a process id");
    fails(&["maps", "99999999999"], 2, "is not a process id");
}

#[test]
fn a_process_that_already_exited() {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id().to_string();
    child.wait().unwrap();
    fails(&["maps", &pid], 2, "no process with pid");
}

#[test]
fn a_zombie_has_no_memory_left() {
    let child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    // Wait until it has exited but leave it unreaped: a zombie.
    while !std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .contains("State:\tZ")
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    for cmd in ["maps", "pages"] {
        fails(
            &[cmd, &pid.to_string()],
            3,
            "is a zombie: it has exited and its parent has not reaped it",
        );
    }
    let mut child = child;
    child.wait().unwrap();
}

#[test]
fn a_process_that_exits_while_being_read() {
    // Open its pagemap, then let it die: the next read must say so, not return zeros.
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    let pid = child.id() as i32;
    let pm = vmlab::pagemap::Pagemap::open(pid).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    match pm.entry(0x400) {
        Err(vmlab::error::Error::ProcessExited { pid: p, .. }) => assert_eq!(p, pid),
        other => panic!("expected ProcessExited, got {other:?}"),
    }
}

#[test]
fn malformed_addresses() {
    fails(&["translate", "self", "0xzz"], 2, "not a valid address");
    fails(
        &["translate", "self", "7ffd1234"],
        2,
        "did you mean 0x7ffd1234?",
    );
    fails(&["translate", "self", "12Q"], 2, "unknown size suffix");
    fails(
        &["translate", "self", "0x1ffffffffffffffff"],
        2,
        "does not fit in 64 bits",
    );
    fails(&["pages", "self", "0x1000-0xzz"], 2, "not a valid address");
}

#[test]
fn bad_ranges() {
    fails(&["pages", "self", "0x2000-0x1000"], 2, "is reversed");
    fails(&["pages", "self", "0x1000-0x1000"], 2, "is empty");
    fails(&["pages", "self", "0x1000+0"], 2, "is empty");
    fails(
        &["pages", "self", "0x1001-0x2000"],
        2,
        "not page-aligned (pages are 4096 bytes); the pages that cover it are 0x1000-0x2000",
    );
    fails(&["pages", "self", "0x1000+100"], 2, "not page-aligned");
}

#[test]
fn addresses_outside_user_space() {
    fails(
        &["translate", "self", "0xffff800000000000"],
        2,
        "outside user space",
    );
    fails(
        &["pages", "self", "0x7ffffffff000+4K"],
        2,
        "outside user space",
    );
    // A range larger than the whole address space.
    fails(
        &["pages", "self", "0-0xffffffffffffffff"],
        2,
        "outside user space",
    );
    fails(&["pages", "self", "0+256T"], 2, "outside user space");
}

#[test]
fn region_names_that_match_nothing_or_several_things() {
    fails(&["pages", "self", "nosuchlib"], 2, "no region of process");
    fails(&["pages", "self", "nosuchlib"], 2, "[heap]");
    let _a = shared_memfd("vmlab-ambiguous-1", 1, 1);
    let _b = shared_memfd("vmlab-ambiguous-2", 1, 1);
    fails(
        &["pages", &my_pid(), "memfd:vmlab-ambiguous"],
        2,
        "names several regions",
    );
}

#[test]
fn usage_errors_come_from_clap_with_exit_2() {
    let o = vmlab(&["maps", "--color", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[possible values: auto, always, never]"));
    let o = vmlab(&["translate", "self"]);
    assert_eq!(o.status.code(), Some(2));
    let o = vmlab(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = vmlab(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Exit codes:"));
}

#[test]
fn kernel_threads_have_no_address_space() {
    // PF_KTHREAD is bit 21 of the flags field (the 9th) of /proc/<pid>/stat.
    let kthread = std::fs::read_dir("/proc").unwrap().flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let after_comm = &stat[stat.rfind(')')? + 2..];
        let flags: u64 = after_comm.split(' ').nth(6)?.parse().ok()?;
        (flags & 0x0020_0000 != 0).then_some(pid)
    });
    let Some(pid) = kthread else {
        skipped("no kernel thread is visible in this pid namespace");
        return;
    };
    fails(&["maps", &pid.to_string()], 2, "is a kernel thread");
}

#[test]
fn a_process_whose_pagemap_is_denied() {
    // Find a process this user may not inspect: PID 1 is refused even to root in
    // some sandboxes, and always to an unprivileged user that does not own it.
    let denied = std::fs::File::open("/proc/1/smaps")
        .err()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if !denied {
        skipped("this user may read /proc/1/smaps, so there is no denial to test");
        return;
    }
    fails(&["maps", "1"], 3, "permission denied reading /proc/1/smaps");
    fails(&["pages", "1"], 3, "permission denied");
}

/// Output that cannot be written is an error (exit 3), for `--help` too; a closed
/// pipe (`| head`) is not.
#[test]
fn unwritable_output_is_exit_3() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [&["--help"][..], &["demos"], &["sim", "paging", "--help"]] {
        let o = vmlab_cmd(args).stdout(full()).output().unwrap();
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("No space left"), "{}", stderr(&o));
    }
    let o = vmlab_cmd(&["--version"]).stdout(full()).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    let vm = env!("CARGO_BIN_EXE_vm-cow");
    let o = std::process::Command::new(vm)
        .arg("--help")
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    // A closed standard output (the shell's >&-).
    let script = format!("exec '{VMLAB}' demos >&-");
    let o = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("Bad file descriptor"), "{}", stderr(&o));
    // Sent to /dev/null on purpose: fine.
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    let o = vmlab_cmd(&["demos"]).stdout(null).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_huge_argument_is_quoted_by_its_first_characters() {
    let huge = "9".repeat(100_000);
    let o = vmlab(&["pages", "self", &huge]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.len() < 400, "{} bytes of error", err.len());
    assert!(err.contains("(100000 bytes)"), "{err}");
}

#[test]
fn a_mistyped_demo_name_gets_a_suggestion_in_either_language() {
    let o = vmlab(&["demo", "cwo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean 'cow'?"), "{}", stderr(&o));
    let o = vmlab(&["demo", "cwo", "--lang", "es"]);
    assert!(
        stderr(&o).contains("¿quisiste decir 'cow'?"),
        "{}",
        stderr(&o)
    );
    let o = vmlab_cmd(&["pages", "self", "0x"])
        .env("LANG", "es_AR.UTF-8")
        .output()
        .unwrap();
    assert!(stderr(&o).contains("después de 0x"), "{}", stderr(&o));
}
