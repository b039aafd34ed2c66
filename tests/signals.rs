//! Whatever ends a run, the system settings it changed go back, and its helpers and
//! children die with it. Real runs of vm-shared, signalled while KSM is on.
//!
//! KSM runs for tens of milliseconds; the debug builds' test hook (`VMLAB_TEST_HOLD`,
//! src/hook.rs) makes the run wait at that moment and say so, so each signal lands
//! inside the window. Release builds have no hook: these tests then say they skip.
//! The tests take turns (a mutex): each compares the KSM settings before and after.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::*;
use vmlab::error::exit;

const SHARED: &str = env!("CARGO_BIN_EXE_vm-shared");
const KNOBS: [&str; 3] = ["run", "pages_to_scan", "sleep_millisecs"];
static KSM: Mutex<()> = Mutex::new(());

fn ksm_settings() -> Vec<String> {
    KNOBS
        .iter()
        .map(|k| {
            let v = std::fs::read_to_string(format!("/sys/kernel/mm/ksm/{k}")).unwrap();
            v.trim().to_string()
        })
        .collect()
}

/// Root, KSM and a debug build (the hook), or a visible skip line.
fn skip(what: &str) -> bool {
    if skip_unless_root(what) {
        return true;
    }
    if !std::path::Path::new("/sys/kernel/mm/ksm/run").exists() {
        eprintln!("skipped: {what}: this kernel has no KSM");
        return true;
    }
    if !cfg!(debug_assertions) {
        eprintln!("skipped: {what}: the test hook exists in debug builds only");
        return true;
    }
    false
}

fn journal_of(pid: i32) -> PathBuf {
    PathBuf::from(format!("/run/vmlab/settings-{pid}.json"))
}

/// `/run/vmlab` goes with its last journal: it is absent, or holds some other's.
fn no_empty_journal_directory() -> bool {
    std::fs::read_dir("/run/vmlab").map_or(true, |mut d| d.next().is_some())
}

/// A run of vm-shared waiting at a hook point, and its stderr, line by line.
struct Held {
    child: Child,
    pid: i32,
    lines: Receiver<String>,
}

impl Held {
    /// Starts vm-shared to wait at `point`, with the signals of `ignore` ignored (as a
    /// shell's background job has SIGINT and SIGQUIT), and waits until it is there.
    fn at(point: &str, ignore: &'static [libc::c_int]) -> Held {
        let mut cmd = demo_cmd(SHARED);
        cmd.env("VMLAB_TEST_HOLD", point)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // SAFETY: between fork and exec only setrlimit and signal, both
        // async-signal-safe system calls: no core file from SIGQUIT, and the
        // dispositions the run should inherit.
        unsafe {
            cmd.pre_exec(move || {
                let none = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &none);
                for &s in ignore {
                    libc::signal(s, libc::SIG_IGN);
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().unwrap();
        let lines = read_lines(child.stderr.take().unwrap());
        let wanted = format!("vmlab-test-hold {point} ");
        // It may wait up to 30 s for its turn at KSM, if another run has it.
        let deadline = Instant::now() + Duration::from_secs(90);
        let pid = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(pid) = line.strip_prefix(&wanted) {
                        break pid.trim().parse().unwrap();
                    }
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("vm-shared never reached {point}: {e}");
                }
            }
        };
        Held { child, pid, lines }
    }

    fn signal(&self, s: libc::c_int) {
        // SAFETY: kill(2) to our own child.
        assert_eq!(unsafe { libc::kill(self.pid, s) }, 0);
    }

    /// Its end, and everything else it wrote on stderr.
    fn end(mut self) -> (ExitStatus, String) {
        let status = wait_for(&mut self.child, Duration::from_secs(30));
        // Until every writer of its stderr is gone (a helper left alive would keep it
        // open: then what came so far).
        let mut rest = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            rest.push(line);
        }
        (status, rest.join("\n"))
    }
}

impl Drop for Held {
    /// A test that failed half-way still ends its run (SIGTERM puts KSM back).
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.signal(libc::SIGTERM);
            let _ = self.child.wait();
        }
    }
}

fn read_lines(from: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_for(child: &mut Child, patience: Duration) -> ExitStatus {
    let deadline = Instant::now() + patience;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the run did not end within {patience:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn each_termination_signal_puts_ksm_back_and_ends_the_run_by_it() {
    if skip("signalling a run while KSM is on") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let cases = [
        (libc::SIGINT, "SIGINT", 130),
        (libc::SIGTERM, "SIGTERM", 143),
        (libc::SIGHUP, "SIGHUP", 129),
        (libc::SIGQUIT, "SIGQUIT", 131),
    ];
    for (signal, name, shell_status) in cases {
        let before = ksm_settings();
        let run = Held::at("ksm", &[]);
        let during = ksm_settings();
        assert_eq!(during[0], "1", "{name}: KSM is on while the run waits");
        assert!(journal_of(run.pid).exists(), "{name}: journalled first");
        let pid = run.pid;
        run.signal(signal);
        let (status, stderr) = run.end();
        assert_eq!(
            status.signal(),
            Some(signal),
            "{name}: {status:?}\n{stderr}"
        );
        assert_eq!(exit::killed_by(signal), shell_status, "{name}");
        assert_eq!(ksm_settings(), before, "{name}: every KSM setting is back");
        assert!(!journal_of(pid).exists(), "{name}: the journal is gone");
        assert!(
            no_empty_journal_directory(),
            "{name}: /run/vmlab left empty"
        );
        assert!(
            stderr.contains(&format!("interrupted by {name}"))
                && stderr.contains(&format!("/sys/kernel/mm/ksm/run={}", before[0])),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn the_shell_sees_143_after_sigterm() {
    if skip("SIGTERM through a shell") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let mut shell = Command::new("sh")
        .args(["-c", "\"$0\" --json >/dev/null; echo \"status $?\"", SHARED])
        .env("VMLAB_TEST_HOLD", "ksm")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = read_lines(shell.stderr.take().unwrap());
    let pid: i32 = loop {
        let line = lines.recv_timeout(Duration::from_secs(90)).unwrap();
        if let Some(pid) = line.strip_prefix("vmlab-test-hold ksm ") {
            break pid.trim().parse().unwrap();
        }
    };
    // SAFETY: kill(2) to the vm-shared the shell started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = wait_for(&mut shell, Duration::from_secs(30));
    let mut out = String::new();
    std::io::Read::read_to_string(&mut shell.stdout.take().unwrap(), &mut out).unwrap();
    assert!(status.success());
    assert_eq!(out.trim(), "status 143");
    assert_eq!(ksm_settings(), before);
}

#[test]
fn sigkill_leaves_a_journal_that_the_next_run_repairs_and_reports() {
    if skip("SIGKILL while KSM is on") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let run = Held::at("ksm", &[]);
    let pid = run.pid;
    run.signal(libc::SIGKILL);
    let (status, _) = run.end();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    // Nothing could run: KSM stays on, and the journal holds what it was.
    assert_eq!(ksm_settings()[0], "1", "KSM is left on by SIGKILL");
    let journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(journal_of(pid)).unwrap()).unwrap();
    for (knob, was) in KNOBS.iter().zip(&before) {
        let entry = journal["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == format!("/sys/kernel/mm/ksm/{knob}"))
            .unwrap_or_else(|| panic!("{knob} is not in the journal: {journal}"));
        assert_eq!(entry["original"], was.as_str(), "{knob}");
    }
    // Without root a run cannot put them back: it says so, and how.
    if let Some(o) = run_unprivileged(VMLAB, &["demos"]) {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains(&format!("(pid {pid})")) && err.contains("as root"),
            "{err}"
        );
        assert_eq!(ksm_settings()[0], "1", "nobody cannot change KSM");
    }
    // Any vmlab binary run as root, starting, puts them back and says so.
    let o = vmlab(&["demos"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("vm-shared, pid {pid}")) && err.contains("back as they were"),
        "{err}"
    );
    assert_eq!(ksm_settings(), before, "the next run put KSM back");
    assert!(!journal_of(pid).exists());
    assert!(no_empty_journal_directory());
    let again = vmlab(&["demos"]);
    assert_eq!(stderr(&again), "", "repaired once, then silent");
}

#[test]
fn a_live_runs_journal_is_left_alone() {
    if skip("a second run while KSM is on") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let run = Held::at("ksm", &[]);
    let o = vmlab(&["demos"]);
    assert_eq!(stderr(&o), "", "nothing to repair: its writer runs");
    assert_eq!(ksm_settings()[0], "1", "KSM still on, for the live run");
    assert!(journal_of(run.pid).exists());
    run.signal(libc::SIGTERM);
    let (status, _) = run.end();
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    assert_eq!(ksm_settings(), before);
}

/// The files process `pid` has open, as their paths.
fn open_files(pid: u32) -> Vec<PathBuf> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .collect()
}

#[test]
fn a_run_waiting_for_its_turn_repairs_a_killed_run_before_reading_the_settings() {
    if skip("two runs at KSM, the first killed") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    let first = Held::at("ksm", &[]);
    let second = demo_cmd(SHARED)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The second run waits for its turn once it has the KSM directory open to lock it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !open_files(second.id()).contains(&PathBuf::from("/sys/kernel/mm/ksm")) {
        assert!(Instant::now() < deadline, "the second run never waited");
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = first.pid;
    first.signal(libc::SIGKILL);
    first.end();
    let o = second.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = experiment_of(&o);
    let ksm: vmlab::demos::shared::Ksm =
        serde_json::from_value(e["observation"]["ksm"].clone()).unwrap();
    let mut found: Vec<(String, String)> = ksm
        .restored
        .iter()
        .map(|k| (k.name.clone(), k.value.clone()))
        .collect();
    found.sort();
    let mut was: Vec<(String, String)> = KNOBS
        .iter()
        .map(|k| k.to_string())
        .zip(before.clone())
        .collect();
    was.sort();
    assert_eq!(found, was, "the second run read the true originals");
    assert!(
        stderr(&o).contains(&format!("pid {killed})")),
        "{}",
        stderr(&o)
    );
    assert_eq!(ksm_settings(), before);
    assert!(!journal_of(killed).exists());
}

/// `SigIgn` or `SigCgt` of process `pid`: the signals it ignores, or catches.
fn signal_mask(pid: i32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find_map(|l| l.strip_prefix(field)).unwrap();
    u64::from_str_radix(line.trim(), 16).unwrap()
}

fn bit(signal: libc::c_int) -> u64 {
    1 << (signal - 1)
}

#[test]
fn signals_ignored_at_start_stay_ignored() {
    if skip("a background run while KSM is on") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    let before = ksm_settings();
    // As a background job of a non-interactive shell starts.
    let run = Held::at("ksm", &[libc::SIGINT, libc::SIGQUIT]);
    let (ignored, caught) = (
        signal_mask(run.pid, "SigIgn:"),
        signal_mask(run.pid, "SigCgt:"),
    );
    assert_eq!(
        ignored & (bit(libc::SIGINT) | bit(libc::SIGQUIT)),
        bit(libc::SIGINT) | bit(libc::SIGQUIT)
    );
    assert_eq!(
        caught & (bit(libc::SIGTERM) | bit(libc::SIGHUP)),
        bit(libc::SIGTERM) | bit(libc::SIGHUP)
    );
    run.signal(libc::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(ksm_settings()[0], "1", "SIGINT changed nothing");
    assert!(journal_of(run.pid).exists(), "the run goes on");
    run.signal(libc::SIGTERM);
    let (status, _) = run.end();
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    assert_eq!(ksm_settings(), before);
}

/// Pids whose parent is `parent`, with their command names.
fn children_of(parent: i32) -> Vec<(i32, String)> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: i32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let name = stat[stat.find('(')? + 1..stat.rfind(')')?].to_string();
            let ppid: i32 = stat[stat.rfind(')')? + 2..]
                .split(' ')
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == parent).then_some((pid, name))
        })
        .collect()
}

#[test]
fn helpers_and_children_die_with_vmlab_even_by_sigkill() {
    if skip("killing a run with helpers") {
        return;
    }
    let _turn = KSM.lock().unwrap_or_else(|p| p.into_inner());
    // Orphans of our descendants are handed to us: seen, and reaped here.
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) only changes who adopts our orphans.
    assert_eq!(
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) },
        0
    );
    // The `sleep` vm-shared starts, killed by the kernel when vm-shared dies; and the
    // child it forks, which also ends by itself when its pipe closes (tests/child.rs
    // checks a forked child that does not read its pipe).
    for (point, expected) in [("library", "sleep"), ("anon", "vm-shared")] {
        let run = Held::at(point, &[]);
        let helpers = children_of(run.pid);
        assert!(
            helpers.iter().any(|(_, name)| name == expected),
            "{point}: {helpers:?}"
        );
        run.signal(libc::SIGKILL);
        run.end();
        for (pid, name) in helpers {
            let how = reap_adopted(pid, Duration::from_secs(5));
            assert!(how.is_some(), "{point}: {name} {pid} outlived vm-shared");
            if name == "sleep" {
                assert_eq!(how, Some(Ended::Killed(libc::SIGKILL)), "{name} {pid}");
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Killed(i32),
    Exited(i32),
}

/// Waits for an orphan handed to us to end, reaps it, and says how it ended; `None` if
/// it still runs after `patience` (it is then killed).
fn reap_adopted(pid: i32, patience: Duration) -> Option<Ended> {
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    let pid = nix::unistd::Pid::from_raw(pid);
    let deadline = Instant::now() + patience;
    loop {
        // ECHILD until the kernel has handed it to us.
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Signaled(_, s, _)) => return Some(Ended::Killed(s as i32)),
            Ok(WaitStatus::Exited(_, code)) => return Some(Ended::Exited(code)),
            _ => {}
        }
        if Instant::now() > deadline {
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            let _ = waitpid(pid, None);
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
