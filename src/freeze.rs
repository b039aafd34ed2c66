//! `--freeze`: the target is stopped (SIGSTOP) while vmlab reads it, so that what is
//! printed is one moment of it, and resumed (SIGCONT) on every way out: the end of the
//! read, an error, a panic (the guard's Drop), Ctrl-C or a termination signal (a
//! handler that resumes the target, then lets the signal end vmlab as it would have).
//! A process that was stopped already is left stopped. vmlab never stops itself.

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::unistd::Pid;

use crate::error::{Error, InputError, Result};
use crate::process::ProcessHandle;

/// The pid the signal handler must resume; 0 when none is frozen.
static FROZEN: AtomicI32 = AtomicI32::new(0);

/// Signals that end vmlab: each must resume the target first.
const ENDINGS: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

/// A stopped target; dropping it resumes the target.
pub struct Frozen {
    pid: i32,
    resume: bool,
    previous: Vec<(Signal, SigAction)>,
}

extern "C" fn resume_and_die(sig: libc::c_int) {
    let pid = FROZEN.swap(0, Ordering::SeqCst);
    // SAFETY: kill, signal and raise are async-signal-safe; the handler then ends the
    // process the way the signal would have.
    unsafe {
        if pid > 0 {
            libc::kill(pid, libc::SIGCONT);
        }
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

impl Frozen {
    /// Stops the process `handle` names and waits until it is stopped.
    pub fn stop(handle: &ProcessHandle) -> Result<Frozen> {
        if handle.pid == std::process::id() as i32 {
            return Err(InputError::BadParameter {
                name: "freeze".into(),
                why: crate::tr!("freeze-self"),
            }
            .into());
        }
        let was_stopped = matches!(handle.stat()?.state, 'T' | 't');
        let action = SigAction::new(
            SigHandler::Handler(resume_and_die),
            SaFlags::SA_RESETHAND,
            SigSet::empty(),
        );
        let mut previous = Vec::new();
        for sig in ENDINGS {
            // SAFETY: the handler only calls async-signal-safe functions.
            if let Ok(old) = unsafe { signal::sigaction(sig, &action) } {
                previous.push((sig, old));
            }
        }
        let frozen = Frozen {
            pid: handle.pid,
            resume: !was_stopped,
            previous,
        };
        if was_stopped {
            return Ok(frozen);
        }
        FROZEN.store(handle.pid, Ordering::SeqCst);
        signal::kill(Pid::from_raw(handle.pid), Signal::SIGSTOP).map_err(|e| {
            Error::from_proc_io(handle.pid, &handle.path(""), std::io::Error::from(e))
        })?;
        // Stopping takes effect when the target next runs: wait for it, bounded.
        for _ in 0..2000 {
            if matches!(handle.stat()?.state, 'T' | 't') {
                return Ok(frozen);
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        Err(Error::Unsupported {
            what: "--freeze".into(),
            why: crate::tr!("freeze-did-not-stop", pid = handle.pid),
        })
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        FROZEN.store(0, Ordering::SeqCst);
        if self.resume {
            let _ = signal::kill(Pid::from_raw(self.pid), Signal::SIGCONT);
        }
        for (sig, old) in self.previous.drain(..) {
            // SAFETY: putting back the handler that was there before.
            let _ = unsafe { signal::sigaction(sig, &old) };
        }
    }
}
