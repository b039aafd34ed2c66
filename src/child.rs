//! Child processes for experiments: fork, talk over pipes, always reap.
//!
//! A demo forks a child to have a second address space to compare with its own. The
//! parent and the child exchange small messages (lists of u64: addresses, values,
//! fault counts) over two pipes, so the parent can inspect the child's pagemap at
//! exactly the right moments ("child: I have written; parent: look now").
//!
//! Rules this module enforces:
//! - fork only while the process has one thread ([`Child::spawn`] checks
//!   `/proc/self/status`), so the child may run ordinary Rust code (allocate, format)
//!   until it leaves with `_exit`; it never returns into the parent's code;
//! - every wait has a timeout: a child that hangs is killed and reported;
//! - dropping a [`Child`] kills it if it still runs and reaps it: no zombies;
//! - a child dies with its parent, however the parent ends (SIGKILL included): it
//!   asks the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG), as every
//!   program vmlab starts does ([`die_with_parent`]).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::error::{Error, Result};

/// How long a parent waits for a child's message or exit before killing it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The child's end of the conversation.
pub struct Channel {
    tx: File,
    rx: File,
    parent: Pid,
}

impl Channel {
    /// Asks again to die with the parent: a change of user or group (setuid) clears
    /// that request. False if the parent is already gone.
    pub fn die_with_parent(&self) -> bool {
        dies_with(self.parent)
    }

    /// Sends a message to the parent.
    pub fn send(&mut self, words: &[u64]) {
        // A failed write means the parent is gone; the child then just exits.
        let _ = write_message(&mut self.tx, words);
    }

    /// Waits for the parent's next message (empty if the parent went away).
    pub fn recv(&mut self) -> Vec<u64> {
        read_message(&mut self.rx).unwrap_or_default()
    }
}

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildExit {
    Code(i32),
    Signal(Signal),
}

/// The parent's handle on a forked child.
pub struct Child {
    pid: Pid,
    tx: File,
    rx: File,
    timeout: Duration,
    reaped: bool,
}

impl Child {
    /// Forks a child that runs `body` and exits with the code it returns (101 if it
    /// panics). Fails if this process has more than one thread.
    pub fn spawn(body: impl FnOnce(&mut Channel) -> i32) -> Result<Child> {
        let threads = thread_count();
        if threads != 1 {
            return Err(Error::Child(format!(
                "refusing to fork: this process has {threads} threads, and a child forked from a threaded process may deadlock"
            )));
        }
        let (to_child_r, to_child_w) = pipe()?;
        let (to_parent_r, to_parent_w) = pipe()?;
        let parent = nix::unistd::getpid();
        // Buffered output would be duplicated into the child and printed twice.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        // SAFETY: the process is single-threaded (checked above), so the child
        // inherits no lock held by another thread and may run ordinary code. It never
        // returns from this function: it leaves through `_exit`.
        match unsafe { nix::unistd::fork() }.map_err(|e| Error::Child(format!("fork: {e}")))? {
            nix::unistd::ForkResult::Child => {
                if !dies_with(parent) {
                    // SAFETY: as below.
                    unsafe { libc::_exit(EXIT_ORPHANED) }
                }
                drop(to_child_w);
                drop(to_parent_r);
                let mut chan = Channel {
                    tx: File::from(to_parent_w),
                    rx: File::from(to_child_r),
                    parent,
                };
                let code =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&mut chan)))
                        .unwrap_or(101);
                drop(chan);
                // SAFETY: _exit ends the child without running the parent's atexit
                // handlers or flushing its inherited stdio buffers.
                unsafe { libc::_exit(code) }
            }
            nix::unistd::ForkResult::Parent { child } => Ok(Child {
                pid: child,
                tx: File::from(to_child_w),
                rx: File::from(to_parent_r),
                timeout: DEFAULT_TIMEOUT,
                reaped: false,
            }),
        }
    }

    /// How long [`Child::recv`] and [`Child::wait`] wait before killing the child.
    pub fn with_timeout(mut self, timeout: Duration) -> Child {
        self.timeout = timeout;
        self
    }

    pub fn pid(&self) -> i32 {
        self.pid.as_raw()
    }

    pub fn send(&mut self, words: &[u64]) -> Result<()> {
        write_message(&mut self.tx, words)
            .map_err(|e| Error::Child(format!("child {} stopped listening: {e}", self.pid)))
    }

    /// Waits for the child's next message; kills the child after the timeout.
    pub fn recv(&mut self) -> Result<Vec<u64>> {
        let deadline = Instant::now() + self.timeout;
        let ready = poll_readable(&self.rx, deadline);
        if !ready {
            self.kill_and_reap();
            return Err(Error::Child(format!(
                "child {} sent nothing for {} s; it was killed",
                self.pid,
                self.timeout.as_secs()
            )));
        }
        match read_message(&mut self.rx) {
            Ok(words) => Ok(words),
            Err(_) => {
                let how = self.wait()?;
                Err(Error::Child(format!(
                    "child {} ended before answering ({})",
                    self.pid,
                    describe(how)
                )))
            }
        }
    }

    /// Waits for the child to exit (killing it after the timeout) and reaps it.
    pub fn wait(&mut self) -> Result<ChildExit> {
        let deadline = Instant::now() + self.timeout;
        loop {
            match waitpid(self.pid, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(_, code)) => {
                    self.reaped = true;
                    return Ok(ChildExit::Code(code));
                }
                Ok(WaitStatus::Signaled(_, sig, _)) => {
                    self.reaped = true;
                    return Ok(ChildExit::Signal(sig));
                }
                Ok(_) => {}
                Err(e) => return Err(Error::Child(format!("waitpid {}: {e}", self.pid))),
            }
            if Instant::now() >= deadline {
                self.kill_and_reap();
                return Err(Error::Child(format!(
                    "child {} did not exit within {} s; it was killed",
                    self.pid,
                    self.timeout.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Every message the child sent and nobody received yet, read until the child's end
    /// of the pipe closes. Call it after [`Child::wait`]: an exited child cannot block it.
    pub fn drain(&mut self) -> Vec<Vec<u64>> {
        std::iter::from_fn(|| read_message(&mut self.rx).ok()).collect()
    }

    fn kill_and_reap(&mut self) {
        if !self.reaped {
            let _ = kill(self.pid, Signal::SIGKILL);
            let _ = waitpid(self.pid, None);
            self.reaped = true;
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.kill_and_reap();
    }
}

/// The exit code of a child whose parent was gone before it could ask to die with it.
const EXIT_ORPHANED: i32 = 125;

/// Asks the kernel to kill this process (SIGKILL) when its parent dies, and checks the
/// parent, `parent`, had not already died. Only async-signal-safe calls (prctl,
/// getppid): fit for a child of fork() and for `pre_exec`.
fn dies_with(parent: Pid) -> bool {
    // SAFETY: prctl(PR_SET_PDEATHSIG) changes only which signal this process gets
    // when its parent thread ends.
    let asked = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) } == 0;
    // Had the parent died before the prctl, we would have been adopted already.
    asked && nix::unistd::getppid() == parent
}

/// Makes the program `command` starts die with this process, however this process
/// ends (PR_SET_PDEATHSIG, kept across exec): a helper is never left behind.
pub fn die_with_parent(command: &mut std::process::Command) -> &mut std::process::Command {
    use std::os::unix::process::CommandExt;
    let parent = nix::unistd::getpid();
    // SAFETY: the closure runs in the forked child before exec and calls only
    // async-signal-safe functions (prctl, getppid).
    unsafe {
        command.pre_exec(move || {
            if dies_with(parent) {
                Ok(())
            } else {
                // No allocation after fork: an error made from a number.
                Err(std::io::Error::from_raw_os_error(libc::ESRCH))
            }
        })
    }
}

/// Words of how a child ended, for messages.
pub fn describe(how: ChildExit) -> String {
    match how {
        ChildExit::Code(0) => "exited normally".into(),
        ChildExit::Code(101) => "it panicked".into(),
        ChildExit::Code(c) => format!("exit code {c}"),
        ChildExit::Signal(s) => format!("killed by {s}"),
    }
}

fn thread_count() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn pipe() -> Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| Error::Child(format!("pipe: {e}")))
}

/// A message: its length in words, then the words, all native-endian u64.
fn write_message(w: &mut File, words: &[u64]) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(8 * (words.len() + 1));
    bytes.extend_from_slice(&(words.len() as u64).to_ne_bytes());
    for w in words {
        bytes.extend_from_slice(&w.to_ne_bytes());
    }
    w.write_all(&bytes)
}

fn read_message(r: &mut File) -> std::io::Result<Vec<u64>> {
    let mut word = [0u8; 8];
    r.read_exact(&mut word)?;
    let n = u64::from_ne_bytes(word) as usize;
    if n > 1 << 20 {
        return Err(std::io::Error::other("message too long"));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        r.read_exact(&mut word)?;
        out.push(u64::from_ne_bytes(word));
    }
    Ok(out)
}

/// True when `f` has data (or EOF) before `deadline`.
fn poll_readable(f: &File, deadline: Instant) -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ms = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(f.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::from(ms)) {
            Ok(0) if left.is_zero() => return false,
            Ok(0) => continue,
            Ok(_) => return true,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    // Forking from the multi-threaded unit-test harness is exactly what `spawn`
    // refuses; children that crash, hang or panic are tested from a single-threaded
    // test binary instead (tests/child.rs, harness = false).
    use super::*;

    #[test]
    fn refuses_to_fork_a_threaded_process() {
        let keep = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(200)));
        match Child::spawn(|_| 0) {
            Err(Error::Child(msg)) => assert!(msg.contains("threads"), "{msg}"),
            Ok(_) => panic!("forked a threaded process"),
            Err(e) => panic!("{e}"),
        }
        keep.join().unwrap();
    }

    #[test]
    fn messages_round_trip() {
        let (r, w) = pipe().unwrap();
        let (mut r, mut w) = (File::from(r), File::from(w));
        write_message(&mut w, &[1, 0xdead_beef, u64::MAX]).unwrap();
        write_message(&mut w, &[]).unwrap();
        assert_eq!(read_message(&mut r).unwrap(), [1, 0xdead_beef, u64::MAX]);
        assert_eq!(read_message(&mut r).unwrap(), Vec::<u64>::new());
    }
}
