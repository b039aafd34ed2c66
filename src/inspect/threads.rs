//! How the scanning threads of `pages --summary` start: each on a CPU of its own, each
//! with a file table of its own. Both were measured on this project's 2-CPU VM, where
//! the kernel's work for a summary is nearly all the time (docs/inspector-performance.md).
//!
//! - Linux places a new thread on its parent's CPU, and with the other CPU idle the two
//!   may share one for many milliseconds before the scheduler's balancing separates
//!   them (still together after 20 ms, while a thread asked onto the idle CPU runs
//!   there within about 0.2 ms). So each started thread moves itself to a CPU the
//!   others are not on, then at once allows every CPU it was allowed before: a nudge
//!   at the start, not a pin; the scheduler stays free to move it.
//! - While threads share one file table, every `read` takes and drops a reference to
//!   its open file (the kernel skips that for a table only one thread uses). A started
//!   thread takes a copy of the table for itself before it opens its files: about 5%
//!   less time for a summary made of tens of thousands of `pread`s.

use nix::sched::{CloneFlags, CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity, unshare};
use nix::unistd::Pid;

/// Which CPUs the started threads go to, read by the thread that starts them.
pub struct Placement {
    allowed: CpuSet,
    /// The CPUs to hand out, the starting thread's own last.
    cpus: Vec<usize>,
}

impl Placement {
    /// The CPUs this thread may run on, its own last; `None` where the kernel does not
    /// say (placement is then the scheduler's alone).
    pub fn here() -> Option<Placement> {
        let allowed = sched_getaffinity(Pid::from_raw(0)).ok()?;
        let mine = sched_getcpu().ok()?;
        let mut cpus: Vec<usize> = (0..CpuSet::count())
            .filter(|&cpu| cpu != mine && allowed.is_set(cpu).unwrap_or(false))
            .collect();
        cpus.push(mine);
        Some(Placement { allowed, cpus })
    }

    /// Called first by the `nth` started thread (0, 1, ...): moves it to the nth CPU
    /// other than the starting thread's, then allows it every CPU again. A refusal (the
    /// process's CPUs changed meanwhile) only leaves the thread where the kernel put it.
    pub fn take(&self, nth: usize) {
        let cpu = self.cpus[nth % self.cpus.len()];
        let mut one = CpuSet::new();
        if one.set(cpu).is_ok() && sched_setaffinity(Pid::from_raw(0), &one).is_ok() {
            let _ = sched_setaffinity(Pid::from_raw(0), &self.allowed);
        }
    }
}

/// Gives the calling thread a file table of its own, a copy of the process's: files it
/// opens afterwards are its alone (their numbers mean nothing to the other threads, so
/// no open file may leave it) and are closed when it ends. Called by a started thread
/// before it opens anything. Where the kernel refuses, the table stays shared, which is
/// only slower.
pub fn own_file_table() {
    let _ = unshare(CloneFlags::CLONE_FILES);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_thread_is_nudged_not_pinned() {
        let Some(placement) = Placement::here() else {
            eprintln!("skipped: this kernel does not say which CPUs the process may use");
            return;
        };
        let allowed = placement.allowed;
        // Every allowed CPU once (this thread's own last: it may have moved since).
        let mut cpus = placement.cpus.clone();
        cpus.sort_unstable();
        cpus.dedup();
        let every: Vec<usize> = (0..CpuSet::count())
            .filter(|&c| allowed.is_set(c).unwrap())
            .collect();
        assert_eq!(cpus, every);
        assert_eq!(placement.cpus.len(), every.len());
        let after = std::thread::scope(|s| {
            s.spawn(|| {
                placement.take(0);
                sched_getaffinity(Pid::from_raw(0)).unwrap()
            })
            .join()
            .unwrap()
        });
        assert_eq!(after, allowed, "the thread must be allowed every CPU again");
    }

    #[test]
    fn a_file_opened_after_own_file_table_is_not_in_the_processs_table() {
        use nix::fcntl::{FcntlArg, fcntl};
        // A number no other test uses: the thread's file, copied to 900 or above.
        let fd = std::thread::spawn(|| {
            own_file_table();
            let f = std::fs::File::open("/proc/self/stat").unwrap();
            fcntl(&f, FcntlArg::F_DUPFD_CLOEXEC(900)).unwrap()
        })
        .join()
        .unwrap();
        assert!(fd >= 900);
        // SAFETY: only asks the kernel about the number; nothing is read or closed.
        let here = fcntl(
            unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) },
            FcntlArg::F_GETFD,
        );
        assert_eq!(
            here,
            Err(nix::errno::Errno::EBADF),
            "fd {fd} is in the process's table"
        );
    }
}
