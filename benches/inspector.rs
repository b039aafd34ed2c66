//! The inspector at scale, measured: `cargo bench --bench inspector` (as root to include
//! frame numbers and frame flags, the real work; `scripts/bench-inspector.sh` does it).
//!
//! The target is a child forked at the start. It maps a 64 GiB MAP_NORESERVE region and
//! writes 1% of its pages, once spread evenly (every 100th page: the worst case, one
//! populated range per touched page) and once clustered (5 pages at the start of every 2 MiB), plus a
//! dense 1 GiB region written whole. Then, in this one run, it times:
//! - `vmlab pages PID RANGE --summary` with PAGEMAP_SCAN (the default) and with pread;
//! - a naive baseline doing the same count with one pread per pagemap entry (and one per
//!   frame-file word, as tools/mm/page-types does);
//! - `vmlab maps PID` against `pmap -X PID` (procps), for the maps view.
//!
//! Each time is the median of several runs; each vmlab run's peak memory is its maximum
//! resident set (wait4). Ratios are against the baseline measured here, now. Options:
//! `--quick` (the naive baseline over the first 1 GiB only, scaled: says so), `--runs N`.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::process::Command;
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};

const VMLAB: &str = env!("CARGO_BIN_EXE_vmlab");
const GIB: usize = 1 << 30;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let ps = page_size();
    let root = nix::unistd::geteuid().is_root();
    println!(
        "vmlab inspector benchmark: {} CPUs, page size {ps}, {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if root {
            "root (frame numbers, map counts and flags included)"
        } else {
            "not root: frame numbers are hidden, so no frame-file reads (run as root for the real cost)"
        }
    );

    print!(
        "building the target process: 64 GiB sparse (1% every 100th page), 64 GiB clustered \
         (5 pages per 2 MiB), 1 GiB dense ... "
    );
    let t = Instant::now();
    let target = Target::start(ps);
    println!("{:.1} s", t.elapsed().as_secs_f64());

    let pid = target.pid.to_string();
    let mut table: Vec<(String, Stats, Option<f64>)> = Vec::new();
    for (name, (addr, len)) in [
        ("64 GiB, 1% spread", target.spread),
        ("64 GiB, 1% clustered", target.clustered),
        ("1 GiB dense", target.dense),
    ] {
        let range = format!("{addr:#x}+{len}");
        let scan = time_cmd(runs, VMLAB, &["pages", &pid, &range, "--summary"]);
        let pread = time_cmd(
            runs,
            VMLAB,
            &["pages", &pid, &range, "--summary", "--method", "pread"],
        );
        let (naive, scaled) = naive_summary(target.pid, addr, len, ps, root, quick);
        let naive_note = if scaled { " (1 GiB, x64)" } else { "" };
        table.push((format!("{name}: vmlab pages --summary"), scan, None));
        table.push((
            format!("{name}: vmlab pages --summary --method pread"),
            pread,
            Some(pread.median.as_secs_f64() / scan.median.as_secs_f64()),
        ));
        table.push((
            format!("{name}: naive, one pread per entry{naive_note}"),
            Stats::once(naive),
            Some(naive.as_secs_f64() / scan.median.as_secs_f64()),
        ));
    }
    let maps = time_cmd(runs, VMLAB, &["maps", &pid]);
    let pmap = if Command::new("pmap").arg("-V").output().is_ok() {
        Some(time_cmd(runs, "pmap", &["-X", &pid]))
    } else {
        None
    };

    println!(
        "\n{:<70} {:>10} {:>12} {:>9}",
        "what", "median", "peak memory", "ratio"
    );
    for (what, s, ratio) in &table {
        row(what, s, *ratio, "x the time of vmlab's default");
    }
    row("vmlab maps", &maps, None, "");
    match pmap {
        Some(p) => row(
            "pmap -X (procps)",
            &p,
            Some(p.median.as_secs_f64() / maps.median.as_secs_f64()),
            "x the time of vmlab maps",
        ),
        None => println!("pmap -X: not installed (procps)"),
    }
    println!(
        "\nmedians of {runs} runs each (naive: one run); peak memory is the child's maximum resident set."
    );
    if quick {
        println!("(1 GiB, x64): --quick measured the naive count on the first GiB and scaled it.");
    }
}

/// The process whose memory is inspected: a forked child that maps and writes the
/// regions, reports their addresses, and waits to be killed. A separate process keeps
/// this one small, so that each vmlab run's peak memory is its own.
struct Target {
    pid: i32,
    spread: (usize, usize),
    clustered: (usize, usize),
    dense: (usize, usize),
}

impl Target {
    fn start(ps: usize) -> Target {
        use std::io::{Read, Write};
        let (r, w) = nix::unistd::pipe().expect("pipe");
        // SAFETY: this benchmark is single-threaded (no test harness), so the child may
        // run ordinary code; it never returns: it sleeps until killed, or leaves with
        // _exit if it panics.
        match unsafe { nix::unistd::fork() }.expect("fork") {
            nix::unistd::ForkResult::Child => {
                drop(r);
                // A panic here must not unwind out of this arm into the parent's code
                // (the child would then run the benchmark too): it ends the child.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    let spread = sparse(64 * GIB, ps, |p| p % 100 == 0);
                    let clustered = sparse(64 * GIB, ps, |p| p % 512 < 5);
                    let mut dense = MmapOptions::new().len(GIB).map_anon().expect("mmap 1 GiB");
                    for p in (0..GIB).step_by(ps) {
                        dense[p] = 1;
                    }
                    let words = [
                        spread.as_ptr() as u64,
                        clustered.as_ptr() as u64,
                        dense.as_ptr() as u64,
                    ];
                    let mut out = File::from(w);
                    for w in words {
                        out.write_all(&w.to_ne_bytes()).expect("report");
                    }
                    drop(out);
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }));
                // SAFETY: _exit ends the child without running the parent's atexit
                // handlers or flushing the stdio buffers it inherited.
                unsafe { libc::_exit(101) }
            }
            nix::unistd::ForkResult::Parent { child } => {
                drop(w);
                let mut input = File::from(r);
                let mut word = [0u8; 8];
                let mut next = || {
                    input
                        .read_exact(&mut word)
                        .expect("the target did not report");
                    u64::from_ne_bytes(word) as usize
                };
                let (a, b, c) = (next(), next(), next());
                Target {
                    pid: child.as_raw(),
                    spread: (a, 64 * GIB),
                    clustered: (b, 64 * GIB),
                    dense: (c, GIB),
                }
            }
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.pid);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(pid, None);
    }
}

/// A MAP_NORESERVE anonymous mapping of `len` bytes with the pages `touch` picks written.
fn sparse(len: usize, ps: usize, touch: impl Fn(usize) -> bool) -> MmapMut {
    let mut map = MmapOptions::new()
        .len(len)
        .no_reserve_swap()
        .map_anon()
        .expect("mmap 64 GiB MAP_NORESERVE");
    for p in (0..len / ps).filter(|&p| touch(p)) {
        map[p * ps] = 1;
    }
    map
}

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    /// The largest peak resident set of a run, in KiB.
    max_rss_kib: Option<i64>,
}

impl Stats {
    fn once(d: Duration) -> Stats {
        Stats {
            median: d,
            max_rss_kib: None,
        }
    }
}

fn row(what: &str, s: &Stats, ratio: Option<f64>, meaning: &str) {
    let ms = s.median.as_secs_f64() * 1e3;
    let mem = s
        .max_rss_kib
        .map_or("-".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    let r = ratio.map_or(String::new(), |r| format!("{r:.1} {meaning}"));
    println!("{what:<70} {ms:>7.1} ms {mem:>12} {r}");
}

/// Runs `program args` `runs` times, discarding output; the median wall time and the
/// largest peak RSS of the runs (from wait4).
fn time_cmd(runs: usize, program: &str, args: &[&str]) -> Stats {
    let mut times = Vec::new();
    let mut max_rss = 0i64;
    for _ in 0..runs {
        let start = Instant::now();
        // Reaped below with wait4, which also gives the child's peak memory.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        let mut status = 0;
        let mut usage: libc::rusage = unsafe_zeroed_rusage();
        // SAFETY: waiting for our own child; `status` and `usage` are valid out-params.
        let rc = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        let took = start.elapsed();
        assert!(
            rc > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "{program} {args:?} failed (status {status})"
        );
        times.push(took);
        max_rss = max_rss.max(usage.ru_maxrss);
    }
    times.sort();
    Stats {
        median: times[times.len() / 2],
        max_rss_kib: Some(max_rss),
    }
}

fn unsafe_zeroed_rusage() -> libc::rusage {
    // SAFETY: rusage is plain integers and timevals; all-zero is a valid value.
    unsafe { std::mem::zeroed() }
}

/// The same counts as `pages --summary`, the naive way: one pread per pagemap entry,
/// and for each present page (as root) one pread of kpagecount and one of kpageflags.
/// Returns the time, and whether it was measured on the first GiB and scaled.
fn naive_summary(
    pid: i32,
    addr: usize,
    map_len: usize,
    ps: usize,
    root: bool,
    quick: bool,
) -> (Duration, bool) {
    let pagemap = File::open(format!("/proc/{pid}/pagemap")).expect("open pagemap");
    let count = File::open("/proc/kpagecount").ok().filter(|_| root);
    let flags = File::open("/proc/kpageflags").ok().filter(|_| root);
    let scaled = quick && map_len > GIB;
    let len = if scaled { GIB } else { map_len };
    let base = (addr / ps) as u64;
    let mut word = [0u8; 8];
    let (mut present, mut exclusive, mut shared) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    for vpn in base..base + (len / ps) as u64 {
        pagemap
            .read_exact_at(&mut word, vpn * 8)
            .expect("pread pagemap");
        let e = u64::from_ne_bytes(word);
        if e & (1 << 63) == 0 {
            continue;
        }
        present += 1;
        exclusive += (e >> 56) & 1;
        let pfn = e & ((1 << 55) - 1);
        if let (Some(c), Some(f)) = (&count, &flags) {
            c.read_exact_at(&mut word, pfn * 8)
                .expect("pread kpagecount");
            shared += (u64::from_ne_bytes(word) >= 2) as u64;
            f.read_exact_at(&mut word, pfn * 8)
                .expect("pread kpageflags");
        }
    }
    let took = start.elapsed();
    std::hint::black_box((present, exclusive, shared));
    if scaled {
        (took * (map_len / len) as u32, true)
    } else {
        (took, false)
    }
}

fn page_size() -> usize {
    nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .unwrap_or(4096) as usize
}
