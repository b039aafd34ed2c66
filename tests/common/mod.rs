//! Helpers shared by the integration tests: run the real `vmlab` binary with a
//! scrubbed environment, and read the kernel directly to check what it printed.
#![allow(dead_code)]

use std::fs::File;
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::PathBuf;
use std::process::{Command, Output};

pub const VMLAB: &str = env!("CARGO_BIN_EXE_vmlab");

/// A `Command` for the vmlab binary with only PATH kept: no NO_COLOR, LANG or
/// terminal surprises from whoever runs the tests.
pub fn vmlab_cmd(args: &[&str]) -> Command {
    let mut c = Command::new(VMLAB);
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

pub fn vmlab(args: &[&str]) -> Output {
    vmlab_cmd(args).output().expect("run vmlab")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs vmlab with `--json` and parses its output, failing loudly if it did not
/// succeed.
pub fn vmlab_json(args: &[&str]) -> serde_json::Value {
    let mut all: Vec<&str> = args.to_vec();
    all.push("--json");
    let o = vmlab(&all);
    assert!(
        o.status.success(),
        "vmlab {all:?} failed: {:?}\n{}",
        o.status,
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("vmlab {all:?} printed invalid JSON ({e}):\n{}", stdout(&o)))
}

pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Prints why a test is skipped; call as `if skip_unless_root("...") { return; }`.
pub fn skip_unless_root(what: &str) -> bool {
    if is_root() {
        return false;
    }
    skipped(&format!(
        "{what} needs root (run the tests with sudo to check it)"
    ));
    true
}

/// Says, where the person running the tests sees it, that a check was skipped and
/// why. The test harness captures `eprintln!` (and shows it only for a failing
/// test), so this writes to the standard error stream itself.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

pub fn page_size() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .unwrap()
        .unwrap() as u64
}

/// This test process's own pagemap entry for `va`, read straight from the kernel.
pub fn own_pagemap_entry(va: u64) -> u64 {
    let f = File::open("/proc/self/pagemap").unwrap();
    let mut b = [0u8; 8];
    f.read_exact_at(&mut b, va / page_size() * 8).unwrap();
    u64::from_ne_bytes(b)
}

pub fn pfn_of(entry: u64) -> u64 {
    entry & ((1 << 55) - 1)
}

/// Parses the hex strings vmlab uses for addresses in JSON.
pub fn hex(v: &serde_json::Value) -> u64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a hex string: {v}"));
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

pub fn my_pid() -> String {
    std::process::id().to_string()
}

/// A forked copy of this test process that sits blocked until dropped: it shares
/// every MAP_SHARED page and, copy-on-write, every private page of the parent.
/// Dropping it kills and reaps it, so no test leaves a zombie behind.
pub struct ForkedChild {
    pub pid: nix::unistd::Pid,
    release: Option<std::os::fd::OwnedFd>,
}

impl ForkedChild {
    /// Forks; the child reads one byte at each address of `touch` (fork does not copy
    /// the page-table entries of shared file mappings, so the child maps such a page
    /// only once it touches it), says it is ready, and blocks.
    pub fn spawn(touch: &[u64]) -> ForkedChild {
        use std::os::fd::AsRawFd;
        // Close-on-exec, so that vmlab processes other tests spawn meanwhile do not
        // inherit (and hold open) these pipes.
        let cloexec = nix::fcntl::OFlag::O_CLOEXEC;
        let (read_end, write_end) = nix::unistd::pipe2(cloexec).unwrap();
        let (ready_read, ready_write) = nix::unistd::pipe2(cloexec).unwrap();
        // SAFETY: the test harness is multi-threaded, so the child may only call
        // async-signal-safe functions: it reads memory, writes and reads a pipe, and
        // leaves with _exit(2). Nothing allocates or takes a lock.
        match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => {
                // close(2) is async-signal-safe; without this the child would hold
                // its own release pipe open and never see EOF on it.
                drop(write_end);
                drop(ready_read);
                let mut sum = 0u8;
                for &va in touch {
                    // SAFETY: every address in `touch` is inside a mapping the parent
                    // owns and had mapped before fork, so it is mapped here too.
                    sum = sum.wrapping_add(unsafe { std::ptr::read_volatile(va as *const u8) });
                }
                let mut b = [sum];
                // SAFETY: write(2), read(2) and _exit(2) are async-signal-safe; the
                // buffer is on our stack.
                unsafe {
                    libc::write(ready_write.as_raw_fd(), b.as_ptr().cast(), 1);
                    libc::read(read_end.as_raw_fd(), b.as_mut_ptr().cast(), 1);
                    libc::_exit(0);
                }
            }
            nix::unistd::ForkResult::Parent { child } => {
                drop(ready_write);
                let mut b = [0u8];
                nix::unistd::read(&ready_read, &mut b).unwrap();
                ForkedChild {
                    pid: child,
                    release: Some(write_end),
                }
            }
        }
    }
}

impl Drop for ForkedChild {
    fn drop(&mut self) {
        self.release.take();
        let _ = nix::sys::signal::kill(self.pid, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(self.pid, None);
    }
}

/// A memfd of `pages` pages mapped MAP_SHARED into this process, first byte of each
/// page set to `fill`.
pub fn shared_memfd(name: &str, pages: usize, fill: u8) -> memmap2::MmapMut {
    let fd = nix::sys::memfd::memfd_create(name, nix::sys::memfd::MFdFlags::empty()).unwrap();
    let file = File::from(fd);
    file.set_len((pages as u64) * page_size()).unwrap();
    // SAFETY: the file is a fresh memfd that only this test maps and writes.
    let mut map = unsafe { memmap2::MmapMut::map_mut(&file) }.unwrap();
    for p in 0..pages {
        map[p * page_size() as usize] = fill;
    }
    map
}

/// All page rows of a `pages --json` report, in address order.
pub fn page_rows(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["pages"].as_array())
        .flatten()
        .cloned()
        .collect()
}

pub const NOBODY: &str = "65534";

/// A copy of a binary in a directory any user can read, removed on drop (the build
/// directory may sit under a home that `nobody` cannot enter).
pub struct PublicCopy {
    dir: PathBuf,
    pub bin: PathBuf,
}

impl PublicCopy {
    pub fn new(binary: &str) -> PublicCopy {
        // One directory per copy: tests run in parallel, and overwriting a binary
        // that another test is executing fails with ETXTBSY.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("vmlab-unpriv-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = dir.join(std::path::Path::new(binary).file_name().unwrap());
        std::fs::copy(binary, &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        PublicCopy { dir, bin }
    }
}

impl Drop for PublicCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `setpriv` set up to run a command as `nobody`, with no groups or capabilities.
pub fn as_nobody() -> Command {
    let mut c = Command::new("setpriv");
    c.args([
        "--reuid",
        NOBODY,
        "--regid",
        NOBODY,
        "--clear-groups",
        "--inh-caps=-all",
    ]);
    c
}

/// Runs `binary` as an unprivileged user: as `nobody` through setpriv when we are
/// root, or directly when we are not root already. `None` (with the reason printed)
/// when neither is possible.
pub fn run_unprivileged(binary: &str, args: &[&str]) -> Option<Output> {
    if !is_root() {
        let mut c = Command::new(binary);
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        return Some(c.output().unwrap());
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        skipped("setpriv (util-linux) is missing, so root cannot become nobody");
        return None;
    }
    let copy = PublicCopy::new(binary);
    let o = as_nobody()
        .arg(&copy.bin)
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    Some(o)
}

/// A `Command` for a demo binary with `--json` and only PATH kept in the environment.
pub fn demo_cmd(binary: &str) -> Command {
    let mut c = Command::new(binary);
    c.arg("--json")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

/// The experiment a demo printed with `--json`; fails loudly, with what it printed,
/// if that is not JSON.
pub fn experiment_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// Runs a demo binary (see [`demo_cmd`]); returns its exit code and the experiment.
pub fn run_demo(binary: &str) -> (i32, serde_json::Value) {
    let o = demo_cmd(binary).output().unwrap();
    let e = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{binary}: invalid JSON ({e}): {}\n{}",
            stdout(&o),
            stderr(&o)
        )
    });
    (o.status.code().unwrap_or(-1), e)
}

/// The demo's typed observation record (`vmlab::demos::<name>::Observation`), read
/// back from the experiment's JSON; fails loudly if it does not fit the type.
pub fn observation<T: serde::de::DeserializeOwned>(e: &serde_json::Value) -> T {
    serde_json::from_value(e["observation"].clone())
        .unwrap_or_else(|err| panic!("the observation does not read back ({err}): {e:#}"))
}

/// The verdict of the claim whose id is `id` (`holds`, `contradicted`, ...).
pub fn verdict<'a>(e: &'a serde_json::Value, id: &str) -> &'a str {
    e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["verdict"].as_str())
        .unwrap_or_else(|| panic!("no claim {id}: {:#}", e["claims"]))
}

/// The ids of the experiment's claims, in order.
pub fn claim_ids(e: &serde_json::Value) -> Vec<String> {
    e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A JSON array of unsigned numbers.
pub fn u64s(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

/// Writes `text` to a file in the temp directory named for `name` and this process.
pub fn write_temp(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("vmlab-{name}-{}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The canonical answers of a `vmlab sim --json` exercise: (question id, answer).
pub fn canonical(e: &serde_json::Value) -> Vec<(u64, String)> {
    e["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["id"].as_u64().unwrap(),
                q["answer"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Answers as an answers file: `ID: ANSWER` lines.
pub fn file_text(answers: &[(u64, String)]) -> String {
    answers.iter().map(|(i, a)| format!("{i}: {a}\n")).collect()
}

/// The canonical answers of a `vmlab sim --json` exercise, as an answers file.
pub fn answers_of(e: &serde_json::Value) -> String {
    file_text(&canonical(e))
}

/// Runs vmlab with `--json --solve` (the JSON with the answers and the solution) and
/// parses its output.
pub fn vmlab_solved(args: &[&str]) -> serde_json::Value {
    let mut all: Vec<&str> = args.to_vec();
    all.push("--solve");
    vmlab_json(&all)
}

/// Every line of `text` that is wider than `width` columns (Unicode display width).
pub fn too_wide(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    text.lines()
        .filter(|l| l.width() > width)
        .map(|l| format!("{} cols: {l}", l.width()))
        .collect()
}

/// A directory of its own under the temp directory, removed with everything in it
/// when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// English words that are not Spanish words: two of them on one line of Spanish
/// output mean an English sentence slipped through.
pub const ENGLISH_ONLY: [&str; 30] = [
    "the", "and", "of", "is", "are", "with", "which", "this", "from", "each", "its", "when", "has",
    "have", "was", "were", "would", "will", "into", "than", "then", "there", "their", "they",
    "does", "that", "only", "every", "after", "before",
];

/// The lines of `out` that read as English.
pub fn english_lines(out: &str) -> Vec<&str> {
    out.lines()
        // A kernel configuration line is quoted as the kernel wrote it.
        .filter(|l| !l.contains("CONFIG_"))
        .filter(|l| {
            let words = l
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
            words.filter(|w| ENGLISH_ONLY.contains(w)).count() >= 2
        })
        .collect()
}

/// The simulators `vmlab sim` runs, in the course's order.
pub const SIMS: &[&str] = &[
    "relocate",
    "segment",
    "freespace",
    "paging",
    "multilevel",
    "tlb",
    "policy",
];
