//! The termination signals every vmlab binary catches: SIGINT (Ctrl-C), SIGTERM,
//! SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\).
//!
//! [`install`] runs first thing in every binary ([`crate::cli::start`]). The handler
//! does only async-signal-safe work, plain system calls on memory prepared beforehand
//! (no allocation, no lock, no formatting):
//! 1. in the process that changed them, it writes back every system setting still
//!    changed, from the signal-safe copy [`crate::settings`] keeps, removes the
//!    journal, and writes the line saying so (prepared in the user's language);
//! 2. it puts the signal's default action back and raises the signal again, so vmlab
//!    ends killed by it, as if it had not been caught: the shell shows the usual
//!    128+n (130 for Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT), and a shell loop
//!    running vmlab stops on Ctrl-C (it would go on if vmlab merely exited 130).
//!
//! A signal that was ignored when vmlab started stays ignored: a background job of a
//! non-interactive shell ignores SIGINT and SIGQUIT, `nohup` ignores SIGHUP.
//!
//! Helpers and children do not rely on this handler (it cannot run on SIGKILL): each
//! is started with PR_SET_PDEATHSIG ([`crate::child::die_with_parent`]).

use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};

/// The signals caught, in the order of their numbers.
pub const CAUGHT: [Signal; 4] = [
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGTERM,
];

/// The index of `signal` in [`CAUGHT`].
pub fn index(signal: libc::c_int) -> Option<usize> {
    CAUGHT.iter().position(|s| *s as libc::c_int == signal)
}

/// Catches the signals of [`CAUGHT`] that are not ignored. Call once, before anything
/// that may change a system setting.
pub fn install() {
    for signal in CAUGHT {
        let sig = signal as libc::c_int;
        // SAFETY: sigaction with a null new action only reads the current one into a
        // zeroed struct of the right type.
        let ignored = unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction == libc::SIG_IGN
        };
        if ignored {
            continue;
        }
        // SAFETY: installs `on_termination`, which is async-signal-safe (see there);
        // every caught signal is blocked while it runs, so it never runs nested.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_termination as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            for s in CAUGHT {
                libc::sigaddset(&mut action.sa_mask, s as libc::c_int);
            }
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// Runs `f` with the caught signals held back on this thread: one that arrives
/// meanwhile is handled when `f` returns. For short bookkeeping only (no waits), so
/// the handler never sees it half done.
pub fn held<R>(f: impl FnOnce() -> R) -> R {
    let mut set = SigSet::empty();
    for s in CAUGHT {
        set.add(s);
    }
    let mut old = SigSet::empty();
    let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old)).is_ok();
    let result = f();
    if blocked {
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    }
    result
}

/// The handler: puts back the settings this process changed, then ends the process
/// by the same signal.
extern "C" fn on_termination(signal: libc::c_int) {
    crate::settings::put_back_for_signal(signal);
    die_of(signal);
}

/// Ends the process killed by `signal`: default action back, signal unblocked and
/// raised again. Only async-signal-safe calls.
fn die_of(signal: libc::c_int) -> ! {
    // SAFETY: signal(2), sigemptyset, sigaddset, pthread_sigmask, raise and _exit
    // are async-signal-safe; the set lives on this stack frame.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        libc::raise(signal);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        // Not reached: the unblocked signal ends the process. Should it not, the
        // shell's number for it.
        libc::_exit(128 + signal)
    }
}

/// `SIGTERM` and the like, for messages.
pub fn name(signal: libc::c_int) -> &'static str {
    match Signal::try_from(signal) {
        Ok(s) => s.as_str(),
        Err(_) => "signal",
    }
}
