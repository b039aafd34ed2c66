//! The inspector at scale, measured: `cargo bench --bench inspector` (as root to include
//! frame numbers and frame flags, the real work; `scripts/bench-inspector.sh` does it).
//!
//! Targets are children forked at the start, each waiting to be killed:
//! - dense: 256 MiB written, a forked copy of itself (map count 2), and a 64 MiB file
//!   mapped and read (page cache);
//! - clustered: a 64 GiB MAP_NORESERVE region, its first 1% written;
//! - spread: a 64 GiB MAP_NORESERVE region, one page in 100 written;
//! - two processes of about 3,000 and 60,000 regions, for `maps`.
//!
//! On each pages target it times, interleaved (one run of each in turn, `--runs` times;
//! medians shown): `vmlab pages --summary` (PAGEMAP_SCAN), the same `--method pread`
//! and `--map-counts`, a raw-pread baseline written here (page-types' method: pagemap
//! in 64 Ki-entry batches, then one kpageflags pread per present frame), the same on
//! one thread per CPU (page-types' kernel work on the whole machine), tools/mm/page-types when
//! `--page-types PATH` points at a build of it, and the kernel's own walk: one
//! PAGEMAP_SCAN that returns nothing, the floor no reader of the page table can beat.
//! On the maps targets, `vmlab maps` against `pmap -X`. Each vmlab run's peak memory is
//! its maximum resident set (wait4). Options: `--runs N` (default 5), `--page-types PATH`,
//! `--only WORD` (only the targets whose name holds WORD: dense, 1%, regions...).

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::process::Command;
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};
use vmlab::inspect::threads;

const VMLAB: &str = env!("CARGO_BIN_EXE_vmlab");
const GIB: usize = 1 << 30;
const MIB: usize = 1 << 20;

fn main() {
    let Some(options) = Options::parse(std::env::args().skip(1)) else {
        eprintln!(
            "usage: cargo bench --bench inspector -- [--runs N] [--page-types PATH] [--only WORD]"
        );
        std::process::exit(2);
    };
    let (runs, page_types, only) = (options.runs, options.page_types, options.only);
    let ps = page_size();
    let root = nix::unistd::geteuid().is_root();
    println!(
        "vmlab inspector benchmark: {} CPUs, page size {ps}, {}; medians of {runs} interleaved runs",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if root {
            "root (frame numbers and flags included)"
        } else {
            "not root: frame numbers are hidden, so no frame-file reads (run as root for the real cost)"
        }
    );
    match &page_types {
        Some(p) => println!("page-types: {p}"),
        None => println!(
            "page-types: not given (--page-types PATH to compare with a build of tools/mm/page-types.c)"
        ),
    }
    let t = Instant::now();
    let chosen = |shapes: &[(&'static str, Shape)]| -> Vec<Target> {
        shapes
            .iter()
            .filter(|(name, _)| name.contains(only.as_str()))
            .map(|&(name, shape)| Target::start(name, ps, shape))
            .collect()
    };
    let targets = chosen(&[
        ("256 MiB dense + fork + 64 MiB file", Shape::Dense),
        ("64 GiB sparse, first 1% touched", Shape::Clustered),
        ("64 GiB sparse, 1 page in 100 touched", Shape::Spread),
    ]);
    let maps_targets = chosen(&[
        ("3,000 regions", Shape::Regions(1_500)),
        ("60,000 regions", Shape::Regions(30_000)),
    ]);
    println!("targets built in {:.1} s\n", t.elapsed().as_secs_f64());
    for target in &targets {
        pages_table(target, runs, page_types.as_deref(), ps);
    }
    for target in &maps_targets {
        maps_table(target, runs);
    }
    // Last: it reads a large JSON document, and a child's peak memory (wait4) counts
    // what its parent held when it was spawned.
    if let (Some(pt), Some(dense)) = (&page_types, targets.iter().find(|t| t.dense)) {
        agreement(dense, pt, ps);
    }
    println!(
        "ratio: how many times the wall time of vmlab's default read; > 1 means vmlab is \
         faster. floor: vmlab's time over the kernel's own walk. cpu: user + system time \
         of every thread (a busy machine stretches wall times, CPU times much less)."
    );
}

/// The benchmark's options: `--runs N` (default 5), `--page-types PATH`, `--only WORD`
/// (only the targets whose name holds WORD).
struct Options {
    runs: usize,
    page_types: Option<String>,
    only: String,
}

impl Options {
    /// `None` for an option it does not know or a value missing or malformed.
    fn parse(mut args: impl Iterator<Item = String>) -> Option<Options> {
        let mut o = Options {
            runs: 5,
            page_types: None,
            only: String::new(),
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                // What cargo bench passes to every benchmark without a harness.
                "--bench" => {}
                "--runs" => o.runs = args.next()?.parse().ok().filter(|&n| n > 0)?,
                "--page-types" => o.page_types = Some(args.next()?),
                "--only" => o.only = args.next()?,
                _ => return None,
            }
        }
        Some(o)
    }
}

/// Times every reader of one pages target and prints its table.
fn pages_table(target: &Target, runs: usize, page_types: Option<&str>, ps: usize) {
    let pid = target.pid.to_string();
    let (addr, len) = target.range;
    let range = format!("{addr:#x}+{len}");
    let vpn = format!("{}+{}", addr / ps, len / ps);
    let mut tools: Vec<Tool<'_>> = vec![
        (
            "vmlab pages --summary".into(),
            Box::new(|| run(VMLAB, &["pages", &pid, &range, "--summary"])),
        ),
        (
            "vmlab pages --summary --method pread".into(),
            Box::new(|| {
                run(
                    VMLAB,
                    &["pages", &pid, &range, "--summary", "--method", "pread"],
                )
            }),
        ),
        (
            "vmlab pages --summary --map-counts".into(),
            Box::new(|| run(VMLAB, &["pages", &pid, &range, "--summary", "--map-counts"])),
        ),
        (
            "raw pread baseline (page-types' method, here)".into(),
            Box::new(|| timed(|| raw_baseline(target.pid, addr, len, ps))),
        ),
        (
            "the same on every CPU (page-types' kernel work)".into(),
            Box::new(|| timed(|| raw_baseline_parallel(target.pid, addr, len, ps))),
        ),
        (
            "frames sorted, on every CPU (the least kernel work)".into(),
            Box::new(|| timed(|| sorted_floor_parallel(target.pid, addr, len, ps))),
        ),
    ];
    if let Some(pt) = page_types {
        let pt = pt.to_string();
        let pid = pid.clone();
        tools.push((
            "page-types -p PID -a RANGE".into(),
            Box::new(move || run(&pt, &["-p", &pid, "-a", &vpn])),
        ));
    }
    tools.push((
        "kernel floor: one PAGEMAP_SCAN returning nothing".into(),
        Box::new(|| timed(|| floor(target.pid, addr, len))),
    ));
    let stats = interleave(&tools, runs);
    println!("{}", target.name);
    header();
    let mine = stats[0].median;
    for ((name, _), s) in tools.iter().zip(&stats) {
        let ratio = if name.starts_with("kernel floor") {
            format!("floor: {:.1}x", mine.as_secs_f64() / s.median.as_secs_f64())
        } else {
            format!("{:.2}", s.median.as_secs_f64() / mine.as_secs_f64())
        };
        line(name, s, &ratio);
    }
    println!();
}

/// Whether vmlab and page-types see the same pages: every present page of the dense
/// target listed by both (`page-types -L`, `vmlab pages --present --json`), its frame
/// and its flags in page-types' default view compared; the flags the kernel changes by
/// itself between two reads (referenced, lru, active, idle) are left out.
fn agreement(target: &Target, page_types: &str, ps: usize) {
    use vmlab::pageflags::{View, symbolic};
    let (addr, len) = target.range;
    let pid = target.pid.to_string();
    let vpns = format!("{}+{}", addr / ps, len / ps);
    let out = Command::new(page_types)
        .args(["-p", &pid, "-a", &vpns, "-L", "-N"])
        .output()
        .expect("run page-types");
    let theirs: std::collections::HashMap<u64, (u64, String)> =
        String::from_utf8_lossy(&out.stdout)
            .lines()
            // Its header line (voffset, offset, flags) is not hex: dropped below.
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let hex = |t: &str| u64::from_str_radix(t, 16).ok();
                Some((hex(f.first()?)?, (hex(f.get(1)?)?, f.get(2)?.to_string())))
            })
            .collect();
    let range = format!("{addr:#x}+{len}");
    let doc = Command::new(VMLAB)
        .args(["pages", &pid, &range, "--present", "--json"])
        .output()
        .expect("run vmlab");
    let doc: serde_json::Value = serde_json::from_slice(&doc.stdout).expect("vmlab JSON");
    // Positions of the volatile bits in the symbolic column: R, l, A, i.
    let volatile = |s: &str| -> String {
        let keep: Vec<u32> = vmlab::frames::all_flags().map(|f| f.bit).collect();
        s.chars()
            .zip(keep)
            .map(|(c, b)| if [2, 5, 6, 25].contains(&b) { '_' } else { c })
            .collect()
    };
    let (mut pages, mut pfn_differs, mut flags_differ) = (0, 0, 0);
    for row in doc["segments"].as_array().into_iter().flatten() {
        for r in row["pages"].as_array().into_iter().flatten() {
            pages += 1;
            // JSON gives addresses and frame numbers as hex strings (docs/json.md).
            let hex = |v: &serde_json::Value| {
                v.as_str()
                    .and_then(|t| u64::from_str_radix(t.trim_start_matches("0x"), 16).ok())
            };
            let vpn = hex(&r["vpn"]).unwrap_or(0);
            let Some((pfn, sym)) = theirs.get(&vpn) else {
                pfn_differs += 1;
                continue;
            };
            if hex(&r["pfn"]) != Some(*pfn) {
                pfn_differs += 1;
                continue;
            }
            let names: Vec<String> = serde_json::from_value(r["flags"].clone()).unwrap_or_default();
            let word = vmlab::frames::KpageFlags::from_names(&names).map_or(0, |f| f.0);
            if volatile(&symbolic(View::Default.word(word, 0))) != volatile(sym) {
                flags_differ += 1;
            }
        }
    }
    println!(
        "agreement with page-types on the dense target: {pages} present pages read by vmlab, \
         {} by page-types; frames differ on {pfn_differs}, flags on {flags_differ} \
         (referenced, lru, active and idle left out: the kernel changes them between reads)\n",
        theirs.len()
    );
}

/// `vmlab maps` against `pmap -X` on one target.
fn maps_table(target: &Target, runs: usize) {
    let pid = target.pid.to_string();
    let regions = std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .map(|t| t.lines().count())
        .unwrap_or(0);
    let mut tools: Vec<Tool<'_>> = vec![(
        "vmlab maps".into(),
        Box::new(|| run(VMLAB, &["maps", &pid])),
    )];
    if Command::new("pmap").arg("-V").output().is_ok() {
        tools.push((
            "pmap -X (procps)".into(),
            Box::new(|| run("pmap", &["-X", &pid])),
        ));
    }
    tools.push((
        "kernel floor: reading smaps alone".into(),
        Box::new(|| timed(|| read_smaps(target.pid))),
    ));
    let stats = interleave(&tools, runs);
    println!("maps of {} ({regions} regions now)", target.name);
    header();
    let mine = stats[0].median;
    for ((name, _), s) in tools.iter().zip(&stats) {
        let ratio = if name.starts_with("kernel floor") {
            format!("floor: {:.1}x", mine.as_secs_f64() / s.median.as_secs_f64())
        } else {
            format!("{:.2}", s.median.as_secs_f64() / mine.as_secs_f64())
        };
        line(name, s, &ratio);
    }
    println!();
}

/// A reader to time: its name, and a run of it (wall time, peak memory, CPU time).
type Tool<'a> = (String, Box<dyn Fn() -> Run + 'a>);

/// One run: wall time, peak resident set (KiB) and CPU time, where known.
type Run = (Duration, Option<i64>, Option<Duration>);

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    /// The largest peak resident set of a run, in KiB (commands only).
    max_rss_kib: Option<i64>,
    /// The median CPU time (user + system, every thread): what a loaded machine
    /// changes least.
    cpu: Option<Duration>,
}

/// Runs `f` in this process: its wall time (the value it returns) and the CPU time
/// this process spent meanwhile.
fn timed(f: impl Fn() -> Duration) -> Run {
    let before = self_cpu();
    let wall = f();
    (wall, None, Some(self_cpu().saturating_sub(before)))
}

fn self_cpu() -> Duration {
    // SAFETY: rusage is plain integers and timevals; all-zero is a valid value, and
    // getrusage fills it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid out-param.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    cpu_of(&u)
}

fn cpu_of(u: &libc::rusage) -> Duration {
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Runs each tool once per round, `runs` rounds, so that a slow moment of the machine
/// falls on every tool alike; the median of each.
fn interleave(tools: &[Tool<'_>], runs: usize) -> Vec<Stats> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); tools.len()];
    let mut cpus: Vec<Vec<Duration>> = vec![Vec::new(); tools.len()];
    let mut rss: Vec<Option<i64>> = vec![None; tools.len()];
    for _ in 0..runs {
        for (i, (_, f)) in tools.iter().enumerate() {
            let (d, r, c) = f();
            times[i].push(d);
            cpus[i].extend(c);
            if let Some(r) = r {
                rss[i] = Some(rss[i].unwrap_or(0).max(r));
            }
        }
    }
    let median = |mut t: Vec<Duration>| {
        t.sort();
        t.get(t.len() / 2).copied()
    };
    times
        .into_iter()
        .zip(cpus)
        .zip(rss)
        .map(|((t, c), r)| Stats {
            median: median(t).unwrap_or_default(),
            max_rss_kib: r,
            cpu: median(c),
        })
        .collect()
}

fn header() {
    println!(
        "  {:<52} {:>10} {:>10} {:>11} {:>12}",
        "reader", "median", "cpu", "peak mem", "ratio"
    );
}

fn line(what: &str, s: &Stats, ratio: &str) {
    let ms = s.median.as_secs_f64() * 1e3;
    let mem = s
        .max_rss_kib
        .map_or("-".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    let cpu = s.cpu.map_or("-".to_string(), |c| {
        format!("{:.1} ms", c.as_secs_f64() * 1e3)
    });
    println!("  {what:<52} {ms:>7.1} ms {cpu:>10} {mem:>11} {ratio:>12}");
}

/// Runs `program args`, output discarded; the wall time and the peak RSS (wait4).
fn run(program: &str, args: &[&str]) -> Run {
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
    // SAFETY: rusage is plain integers and timevals; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child; `status` and `usage` are valid out-params.
    let rc = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = start.elapsed();
    assert!(
        rc > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{program} {args:?} failed (status {status})"
    );
    (took, Some(usage.ru_maxrss), Some(cpu_of(&usage)))
}

/// page-types' method, written here: pagemap in 64 Ki-entry batches, then for each
/// present page one pread of kpageflags (page-types reads kpagecount only with -l -M).
fn raw_baseline(pid: i32, addr: usize, len: usize, ps: usize) -> Duration {
    let start = Instant::now();
    raw_slice(pid, (addr / ps) as u64, (len / ps) as u64);
    start.elapsed()
}

/// [`raw_baseline`] on every CPU: the range cut in as many slices as there are CPUs,
/// one thread each, each with its own open files. The kernel's work for page-types'
/// answer spread over the whole machine: what no reader of that answer can beat by
/// much here, whatever it does in user space.
fn raw_baseline_parallel(pid: i32, addr: usize, len: usize, ps: usize) -> Duration {
    on_every_cpu(pid, addr, len, ps, raw_slice)
}

/// `read(pid, first page, pages)` on one slice of the range per CPU, a thread each:
/// the wall time of them all.
fn on_every_cpu(pid: i32, addr: usize, len: usize, ps: usize, read: fn(i32, u64, u64)) -> Duration {
    let start = Instant::now();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let (first, pages) = ((addr / ps) as u64, (len / ps) as u64);
    let slice = pages.div_ceil(cpus);
    // Started as vmlab starts its threads: each on a CPU and a file table of its own.
    let placement = threads::Placement::here();
    let placement = &placement;
    std::thread::scope(|s| {
        for k in 0..cpus {
            let from = first + k * slice;
            let n = slice.min((first + pages).saturating_sub(from));
            s.spawn(move || {
                if let Some(p) = placement {
                    p.take(k as usize);
                }
                threads::own_file_table();
                read(pid, from, n)
            });
        }
    });
    start.elapsed()
}

/// The least kernel work for the same answer, as vmlab asks for it: on one thread per
/// CPU, each slice's pagemap in 64 Ki-entry batches, then its frames' kpageflags in PFN
/// order, frames at most 4 apart in one pread (sorted frames cost the kernel less:
/// their `struct page`s are read in memory order). No user-space work beyond that.
fn sorted_floor_parallel(pid: i32, addr: usize, len: usize, ps: usize) -> Duration {
    on_every_cpu(pid, addr, len, ps, sorted_slice)
}

fn sorted_slice(pid: i32, first: u64, pages: u64) {
    let Ok(flags) = File::open("/proc/kpageflags") else {
        return;
    };
    let mut words = vec![0u8; 5 * 8];
    let mut pfns = Vec::new();
    present_frames(pid, first, pages, |batch| {
        pfns.clear();
        pfns.extend(batch);
        pfns.sort_unstable();
        let mut i = 0;
        while i < pfns.len() {
            let mut j = i + 1;
            while j < pfns.len() && pfns[j] <= pfns[j - 1] + 4 && pfns[j] - pfns[i] < 4096 {
                j += 1;
            }
            let span = (pfns[j - 1] - pfns[i] + 1) as usize;
            if words.len() < span * 8 {
                words.resize(span * 8, 0);
            }
            let _ = flags.read_at(&mut words[..span * 8], pfns[i] * 8);
            i = j;
        }
    });
    std::hint::black_box(&words);
}

/// Pages `[first, first + pages)` read as page-types reads them.
fn raw_slice(pid: i32, first: u64, pages: u64) {
    let flags = File::open("/proc/kpageflags").ok();
    let mut word = [0u8; 8];
    let mut seen = 0u64;
    present_frames(pid, first, pages, |batch| {
        for pfn in batch {
            if let Some(f) = &flags {
                let _ = f.read_at(&mut word, pfn * 8);
                seen ^= u64::from_ne_bytes(word);
            }
        }
    });
    std::hint::black_box(seen);
}

/// Reads the pagemap of pages `[first, first + pages)` in 64 Ki-entry batches, as
/// page-types does, and hands `each` the frame numbers of each batch's present pages.
fn present_frames(
    pid: i32,
    first: u64,
    pages: u64,
    mut each: impl FnMut(&mut dyn Iterator<Item = u64>),
) {
    let pagemap = File::open(format!("/proc/{pid}/pagemap")).expect("open pagemap");
    let mut buf = vec![0u8; 64 * 1024 * 8];
    let mut vpn = first;
    while vpn < first + pages {
        let n = ((first + pages - vpn) as usize).min(64 * 1024);
        let got = pagemap
            .read_at(&mut buf[..n * 8], vpn * 8)
            .expect("pread pagemap")
            / 8;
        if got == 0 {
            break;
        }
        let mut frames = buf[..got * 8].chunks_exact(8).filter_map(|e| {
            let e = u64::from_ne_bytes(e.try_into().expect("8 bytes"));
            let pfn = e & ((1 << 55) - 1);
            (e >> 63 == 1 && pfn != 0).then_some(pfn)
        });
        each(&mut frames);
        vpn += got as u64;
    }
}

/// The kernel's own walk of the range: PAGEMAP_SCAN asked for pages both present and
/// swapped, which none is, so it walks every page table and returns nothing.
fn floor(pid: i32, addr: usize, len: usize) -> Duration {
    use vmlab::pagemap::scan::{Masks, PAGE_IS_PRESENT, PAGE_IS_SWAPPED};
    let start = Instant::now();
    let pm = vmlab::pagemap::Pagemap::open(pid).expect("open pagemap");
    let masks = Masks {
        all_of: PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
        any_of: 0,
        returned: PAGE_IS_PRESENT,
    };
    let mut found = 0;
    pm.scan_regions(addr as u64, (addr + len) as u64, masks, |b| {
        found += b.len();
        Ok(true)
    })
    .expect("PAGEMAP_SCAN");
    assert_eq!(found, 0);
    start.elapsed()
}

/// Reading `/proc/<pid>/smaps` to the end: the kernel's work for any maps view.
fn read_smaps(pid: i32) -> Duration {
    use std::io::Read;
    let start = Instant::now();
    let mut f = File::open(format!("/proc/{pid}/smaps")).expect("open smaps");
    let mut buf = vec![0u8; 256 * 1024];
    while f.read(&mut buf).expect("read smaps") > 0 {}
    start.elapsed()
}

#[derive(Clone, Copy)]
enum Shape {
    Dense,
    Clustered,
    Spread,
    /// About twice this many regions: each of N mappings split in two by mprotect.
    Regions(usize),
}

/// A process whose memory is inspected: a forked child that builds its memory, reports
/// the range to read, and waits to be killed. A separate process keeps this one small.
struct Target {
    name: &'static str,
    pid: i32,
    /// Grandchildren (the dense target's fork), killed with it.
    others: Vec<i32>,
    range: (usize, usize),
    /// The dense target, on which vmlab's pages are compared with page-types'.
    dense: bool,
}

impl Target {
    fn start(name: &'static str, ps: usize, shape: Shape) -> Target {
        use std::io::{Read, Write};
        let (r, w) = nix::unistd::pipe().expect("pipe");
        // SAFETY: this benchmark is single-threaded (no test harness), so the child may
        // run ordinary code; it never returns: it sleeps until killed, or leaves with
        // _exit if it panics.
        match unsafe { nix::unistd::fork() }.expect("fork") {
            nix::unistd::ForkResult::Child => {
                drop(r);
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    let (addr, len, other, keep) = build(shape, ps);
                    let mut out = File::from(w);
                    for v in [addr as u64, len as u64, other as u64] {
                        out.write_all(&v.to_ne_bytes()).expect("report");
                    }
                    drop(out);
                    std::hint::black_box(&keep);
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
                let (addr, len, other) = (next(), next(), next());
                Target {
                    name,
                    pid: child.as_raw(),
                    others: if other > 0 {
                        vec![other as i32]
                    } else {
                        vec![]
                    },
                    range: (addr, len),
                    dense: matches!(shape, Shape::Dense),
                }
            }
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        for &pid in self.others.iter().chain([&self.pid]) {
            let pid = nix::unistd::Pid::from_raw(pid);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        }
        let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(self.pid), None);
    }
}

/// Builds a target's memory in the child: the range to read, the pid of a grandchild
/// (0 if none), and what must stay mapped.
fn build(shape: Shape, ps: usize) -> (usize, usize, i32, Vec<MmapMut>) {
    match shape {
        Shape::Dense => {
            let mut dense = MmapOptions::new().len(256 * MIB).map_anon().expect("mmap");
            for p in (0..256 * MIB).step_by(ps) {
                dense[p] = 1;
            }
            let path = std::env::temp_dir().join(format!("vmlab-bench-{}", std::process::id()));
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .expect("bench file");
            file.set_len(64 * MIB as u64).expect("size the file");
            let _ = std::fs::remove_file(&path);
            // SAFETY: the file is ours and already unlinked: nobody else changes it.
            let mut map = unsafe { MmapMut::map_mut(&file) }.expect("map the file");
            for p in (0..64 * MIB).step_by(ps) {
                map[p] = 1;
            }
            // SAFETY: single-threaded here (the benchmark forked us before any thread);
            // the grandchild only sleeps.
            let other = match unsafe { nix::unistd::fork() }.expect("fork") {
                nix::unistd::ForkResult::Child => loop {
                    std::thread::sleep(Duration::from_secs(3600));
                },
                nix::unistd::ForkResult::Parent { child } => child.as_raw(),
            };
            // The range covers both mappings and whatever lies between them.
            let (a, b) = (dense.as_ptr() as usize, map.as_ptr() as usize);
            let (lo, hi) = (a.min(b), (a + 256 * MIB).max(b + 64 * MIB));
            (lo, hi - lo, other, vec![dense, map])
        }
        Shape::Clustered => {
            let m = sparse(64 * GIB, ps, |p, n| p < n / 100);
            (m.as_ptr() as usize, 64 * GIB, 0, vec![m])
        }
        Shape::Spread => {
            let m = sparse(64 * GIB, ps, |p, _| p % 100 == 0);
            (m.as_ptr() as usize, 64 * GIB, 0, vec![m])
        }
        Shape::Regions(n) => {
            let mut keep = Vec::new();
            for i in 0..n {
                let mut m = MmapOptions::new().len(2 * ps).map_anon().expect("mmap");
                m[0] = 1;
                let prot = if i % 2 == 0 {
                    libc::PROT_NONE
                } else {
                    libc::PROT_READ
                };
                // SAFETY: the second page of our own fresh mapping.
                unsafe { libc::mprotect(m.as_mut_ptr().add(ps).cast(), ps, prot) };
                keep.push(m);
            }
            (0, 0, 0, keep)
        }
    }
}

/// A MAP_NORESERVE anonymous mapping of `len` bytes with the pages `touch` picks written.
fn sparse(len: usize, ps: usize, touch: impl Fn(usize, usize) -> bool) -> MmapMut {
    let mut map = MmapOptions::new()
        .len(len)
        .no_reserve_swap()
        .map_anon()
        .expect("mmap 64 GiB MAP_NORESERVE");
    let n = len / ps;
    for p in (0..n).filter(|&p| touch(p, n)) {
        map[p * ps] = 1;
    }
    map
}

fn page_size() -> usize {
    nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .unwrap_or(4096) as usize
}
