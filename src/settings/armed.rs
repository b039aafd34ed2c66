//! The signal handler's copy of what to put back: the settings this process has
//! changed and not yet restored, with their original values, the journal's path and
//! the line to print, kept in fixed-size static memory.
//!
//! The handler may not allocate or lock, so it reads only this. Bytes are atomics
//! (no `unsafe` to share them); a slot's bytes are written before it is marked armed
//! (release) and read after it is seen armed (acquire). Every update runs with the
//! caught signals held back on the updating thread ([`crate::signals::held`]) and
//! with [`BUSY`] set, which a handler running on another thread waits out.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

/// At most this many settings changed at once by one process.
pub const SLOTS: usize = 16;
/// Longest path and value kept (paths under /sys and /proc/sys are far shorter).
pub const PATH_MAX: usize = 256;
pub const VALUE_MAX: usize = 512;
/// Longest line printed by the handler.
pub const LINE_MAX: usize = 2048;

/// A byte string of at most `N` bytes that a signal handler may read.
struct Bytes<const N: usize> {
    len: AtomicUsize,
    bytes: [AtomicU8; N],
}

impl<const N: usize> Bytes<N> {
    const fn new() -> Self {
        Bytes {
            len: AtomicUsize::new(0),
            bytes: [const { AtomicU8::new(0) }; N],
        }
    }

    /// Keeps `text`, cut at `N` bytes.
    fn store(&self, text: &[u8]) {
        let n = text.len().min(N);
        for (cell, &b) in self.bytes.iter().zip(&text[..n]) {
            cell.store(b, Ordering::Relaxed);
        }
        self.len.store(n, Ordering::Release);
    }

    /// Copies the bytes into `out`, followed by a NUL (a C string); returns the
    /// length. Async-signal-safe.
    fn load(&self, out: &mut [u8]) -> usize {
        let n = self.len.load(Ordering::Acquire).min(out.len() - 1);
        for (o, cell) in out.iter_mut().zip(&self.bytes[..n]) {
            *o = cell.load(Ordering::Relaxed);
        }
        out[n] = 0;
        n
    }
}

struct Slot {
    armed: AtomicBool,
    path: Bytes<PATH_MAX>,
    value: Bytes<VALUE_MAX>,
}

static SLOT: [Slot; SLOTS] = [const {
    Slot {
        armed: AtomicBool::new(false),
        path: Bytes::new(),
        value: Bytes::new(),
    }
}; SLOTS];
/// Slots used since the table was last empty, in the order they were armed.
static USED: AtomicUsize = AtomicUsize::new(0);
/// The process that armed the slots: a forked child inherits this memory, and must
/// not put back its parent's settings.
static OWNER: AtomicI32 = AtomicI32::new(0);
static JOURNAL: Bytes<PATH_MAX> = Bytes::new();
/// The line to print for each caught signal (see [`crate::signals::CAUGHT`]), and
/// the one added when a setting could not be written back.
static LINES: [Bytes<LINE_MAX>; 4] = [const { Bytes::new() }; 4];
static FAILED: Bytes<LINE_MAX> = Bytes::new();
static BUSY: AtomicBool = AtomicBool::new(false);
/// Set by the first handler to run: a second one (another thread) waits for the
/// first to end the process.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Marks [`BUSY`] for as long as it lives (also through a panic).
struct Busy;

impl Busy {
    fn start() -> Busy {
        BUSY.store(true, Ordering::SeqCst);
        Busy
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.store(false, Ordering::SeqCst);
    }
}

/// Runs an update of the table with the signals held back and [`BUSY`] set.
pub fn update<R>(f: impl FnOnce() -> R) -> R {
    crate::signals::held(|| {
        let _busy = Busy::start();
        f()
    })
}

/// Adds a setting to put back, `path` with `original`; false when the table is full
/// or either is too long. Call inside [`update`].
pub fn arm(path: &str, original: &str) -> bool {
    let used = USED.load(Ordering::Acquire);
    if used == SLOTS || path.len() >= PATH_MAX || original.len() >= VALUE_MAX {
        return false;
    }
    let slot = &SLOT[used];
    slot.path.store(path.as_bytes());
    slot.value.store(original.as_bytes());
    OWNER.store(std::process::id() as i32, Ordering::Release);
    slot.armed.store(true, Ordering::Release);
    USED.store(used + 1, Ordering::Release);
    true
}

/// Takes `path` out of the table (it has been put back). Call inside [`update`].
pub fn disarm(path: &str) {
    let used = USED.load(Ordering::Acquire);
    let mut buf = [0u8; PATH_MAX + 1];
    for slot in &SLOT[..used] {
        let n = slot.path.load(&mut buf);
        if slot.armed.load(Ordering::Acquire) && &buf[..n] == path.as_bytes() {
            slot.armed.store(false, Ordering::Release);
        }
    }
    if SLOT[..used]
        .iter()
        .all(|s| !s.armed.load(Ordering::Acquire))
    {
        USED.store(0, Ordering::Release);
    }
}

/// The journal to remove, and the lines to print, for the settings now armed. Call
/// inside [`update`].
pub fn prepare(journal: &str, lines: [String; 4], failed: &str) {
    JOURNAL.store(journal.as_bytes());
    for (cell, line) in LINES.iter().zip(&lines) {
        cell.store(line.as_bytes());
    }
    FAILED.store(failed.as_bytes());
}

/// The signal handler's part: writes back every armed setting, last armed first,
/// removes the journal if all went back, and prints the prepared line. Does nothing
/// in a process that armed nothing (a forked child included). Async-signal-safe:
/// atomics, a bounded wait with nanosleep, and open/write/close/unlink on stack
/// buffers.
pub fn put_back_for_signal(signal: libc::c_int) {
    if ENDING.swap(true, Ordering::AcqRel) {
        // Another thread is already putting back and will end the process.
        loop {
            // SAFETY: pause(2) is async-signal-safe.
            unsafe { libc::pause() };
        }
    }
    // SAFETY: getpid(2) is async-signal-safe.
    if OWNER.load(Ordering::Acquire) != unsafe { libc::getpid() } {
        return;
    }
    wait_while_busy();
    let used = USED.load(Ordering::Acquire);
    let (mut any, mut all_back) = (false, true);
    for slot in SLOT[..used].iter().rev() {
        if slot.armed.load(Ordering::Acquire) {
            any = true;
            all_back &= write_back(slot);
        }
    }
    if !any {
        return;
    }
    let mut buf = [0u8; LINE_MAX + 2];
    if all_back {
        remove_journal(&mut buf[..PATH_MAX + 1]);
    }
    if let Some(i) = crate::signals::index(signal) {
        print_line(&LINES[i], &mut buf);
    }
    if !all_back {
        print_line(&FAILED, &mut buf);
    }
}

/// Removes the journal, and its directory if that leaves it empty (rmdir(2) fails
/// otherwise). `buf` is scratch space for the C strings.
fn remove_journal(buf: &mut [u8]) {
    let n = JOURNAL.load(buf);
    if n == 0 {
        return;
    }
    // SAFETY: unlink(2) of a NUL-terminated path on our stack.
    unsafe { libc::unlink(buf.as_ptr().cast()) };
    // The directory: the path up to its last slash.
    if let Some(slash) = buf[..n].iter().rposition(|&b| b == b'/').filter(|&i| i > 0) {
        buf[slash] = 0;
        // SAFETY: rmdir(2) of a NUL-terminated path on our stack.
        unsafe { libc::rmdir(buf.as_ptr().cast()) };
    }
}

/// Waits, at most about 2 s, while another thread updates the table (this thread
/// cannot be the one updating: it holds the signals back meanwhile).
fn wait_while_busy() {
    let tick = libc::timespec {
        tv_sec: 0,
        tv_nsec: Duration::from_millis(1).as_nanos() as libc::c_long,
    };
    for _ in 0..2000 {
        if !BUSY.load(Ordering::Acquire) {
            return;
        }
        // SAFETY: nanosleep(2) is async-signal-safe; `tick` is on our stack.
        unsafe { libc::nanosleep(&tick, std::ptr::null_mut()) };
    }
}

/// Writes a slot's original value back to its file; true if all of it was written.
fn write_back(slot: &Slot) -> bool {
    let mut path = [0u8; PATH_MAX + 1];
    let mut value = [0u8; VALUE_MAX + 1];
    slot.path.load(&mut path);
    let n = slot.value.load(&mut value);
    // SAFETY: open/write/close(2) are async-signal-safe; both buffers are on our
    // stack, the path NUL-terminated, and `n` bytes of `value` are initialised.
    unsafe {
        let fd = libc::open(
            path.as_ptr().cast(),
            libc::O_WRONLY | libc::O_TRUNC | libc::O_CLOEXEC,
        );
        if fd < 0 {
            return false;
        }
        let written = libc::write(fd, value.as_ptr().cast(), n);
        libc::close(fd);
        written == n as isize
    }
}

/// Writes `line` and a newline to stderr.
fn print_line<const N: usize>(line: &Bytes<N>, buf: &mut [u8]) {
    let room = buf.len() - 1;
    let n = line.load(&mut buf[..room]);
    if n == 0 {
        return;
    }
    buf[n] = b'\n';
    // SAFETY: write(2) to stderr from our stack buffer, n + 1 bytes initialised.
    unsafe { libc::write(libc::STDERR_FILENO, buf.as_ptr().cast(), n + 1) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handler's part, run directly on files of our own (no signal, no /sys):
    /// armed values go back, disarmed ones do not, the journal goes.
    #[test]
    fn the_handler_writes_back_what_is_armed_and_removes_the_journal() {
        let dir = std::env::temp_dir().join(format!("vmlab-armed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b, journal) = (dir.join("a"), dir.join("b"), dir.join("journal"));
        for f in [&a, &b, &journal] {
            std::fs::write(f, "changed").unwrap();
        }
        let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
        update(|| {
            assert!(arm(&s(&a), "1"));
            assert!(arm(&s(&b), "2"));
            disarm(&s(&b));
            // No lines: the test's output stays quiet.
            prepare(&s(&journal), Default::default(), "");
        });
        put_back_for_signal(libc::SIGTERM);
        let a_now = std::fs::read_to_string(&a).unwrap();
        let b_now = std::fs::read_to_string(&b).unwrap();
        let journal_left = journal.exists();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(a_now, "1");
        assert_eq!(b_now, "changed", "a disarmed setting is left alone");
        assert!(!journal_left, "the journal is removed once all went back");
        assert!(
            !arm(&"x".repeat(PATH_MAX), "1"),
            "too long a path is refused"
        );
    }
}
