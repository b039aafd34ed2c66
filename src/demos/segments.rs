//! vm-segments: the address space of a live process, segment by segment.
//!
//! Theory: a process's address space holds its code (text), initialised globals
//! (data), zeroed globals (bss), a heap that grows up from the end of bss, a region
//! for mmap (shared libraries, big allocations, thread stacks), and a stack that
//! grows down from near the top. Code is read-only and executable; data, heap and
//! stack are writable and not executable. ASLR moves the pieces at every exec.
//!
//! What we do: take the address of one thing of each kind in this very process,
//! find it in /proc/self/maps, and check the order and the permissions. Then run a
//! copy of this program three times and compare where things land.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Lab;
use crate::addr::VirtAddr;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::render::human_size;
use crate::space::{AddressSpace, Region, RegionKind};

/// An initialised global: it lives in .data.
static INITIALISED: AtomicU64 = AtomicU64::new(0x5eed);
/// A zero-initialised global: it lives in .bss.
static ZEROED: AtomicU64 = AtomicU64::new(0);

/// The environment variable that turns a copy of this program into an address probe.
pub const PROBE_ENV: &str = "VMLAB_ADDRESS_PROBE";
/// How many copies the ASLR check runs.
const RUNS: usize = 3;

/// Something whose address we take, and where the kernel put it.
struct Item {
    what: &'static str,
    addr: u64,
    region: Option<Region>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "segments",
        "text, data, bss, heap, mmap area, stack",
        "Every process sees the same picture: code at the bottom, then data, bss and the heap, \
         the mmap area higher up, and the stack near the top of user space.",
    );
    let small = Box::new([1u8; 64]);
    let large = vec![1u8; 4 << 20];
    let local = std::hint::black_box(7u64);
    let thread_local_addr = std::thread::spawn(|| {
        let x = std::hint::black_box(0u64);
        &x as *const u64 as u64
    })
    .join()
    .map_err(|_| Error::Child("the probe thread panicked".into()))?;
    let (arg_start, env_start) = arg_env_start()?;
    // SAFETY: getauxval only reads the auxiliary vector the kernel gave us.
    let vdso = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) };

    let addrs: [(&'static str, u64); 10] = [
        ("function (text)", run as *const () as u64),
        (
            "initialised global (data)",
            &INITIALISED as *const AtomicU64 as u64,
        ),
        ("zeroed global (bss)", &ZEROED as *const AtomicU64 as u64),
        ("small malloc, 64 B (heap)", small.as_ptr() as u64),
        ("large malloc, 4 MiB (mmap)", large.as_ptr() as u64),
        ("vdso", vdso),
        ("thread's stack variable", thread_local_addr),
        ("stack variable", &local as *const u64 as u64),
        ("argv", arg_start),
        ("environment", env_start),
    ];
    INITIALISED.fetch_add(0, Ordering::Relaxed);
    ZEROED.fetch_add(0, Ordering::Relaxed);
    let space = AddressSpace::read_layout(std::process::id() as i32)?;
    let items: Vec<Item> = addrs
        .iter()
        .map(|&(what, addr)| Item {
            what,
            addr,
            region: space.find(VirtAddr(addr)).cloned(),
        })
        .collect();

    let mut t = Table::new(&["what", "address", "region", "perms", "kind", "backing"]);
    for it in &items {
        let (range, perms, kind, backing) = match &it.region {
            Some(r) => (
                format!("{:x}-{:x}", r.start.0, r.end.0),
                r.perms.to_string(),
                r.kind.name().to_string(),
                r.short_name().to_string(),
            ),
            None => ("none".into(), "-".into(), "-".into(), String::new()),
        };
        t.row(vec![
            it.what.into(),
            format!("{:#x}", it.addr),
            range,
            perms,
            kind,
            backing,
        ]);
    }
    e.show(
        "Addresses of one thing of each kind in this process, and the region of /proc/self/maps \
         that holds each:",
        t,
    );
    let bss_kind = items[2].region.as_ref().map(|r| r.kind);
    if bss_kind == Some(RegionKind::Data) {
        e.say(
            "The zeroed global sits in the data region: bss starts in the last page of the data              segment, and the kernel adds a separate anonymous region only for the part of bss              that does not fit there.",
        );
    }
    e.draw(
        "The address space, top = high addresses (not to scale; gaps labelled):",
        diagram(&space, &items),
    );
    for it in &items {
        e.observe(&it.what.replace(' ', "_"), format!("{:#x}", it.addr));
    }

    let by = |what: &str| {
        items
            .iter()
            .find(|i| i.what.starts_with(what))
            .expect("item")
    };
    let order = [
        "function",
        "initialised",
        "zeroed",
        "small",
        "large",
        "stack variable",
    ];
    let chain: Vec<u64> = order.iter().map(|w| by(w).addr).collect();
    e.claim(Claim::check(
        "text < data < bss < heap < mmap area < stack",
        "addresses rise in that order",
        chain
            .iter()
            .map(|a| format!("{a:#x}"))
            .collect::<Vec<_>>()
            .join(" < "),
        chain.windows(2).all(|w| w[0] < w[1]),
    ));
    let perms = |what: &str| by(what).region.as_ref().map(|r| r.perms);
    let text = perms("function");
    e.claim(Claim::check(
        "code is executable and not writable",
        "r-x",
        text.map_or("no region".into(), |p| p.to_string()),
        text.is_some_and(|p| p.read && p.exec && !p.write),
    ));
    let writable: Vec<(&str, Option<crate::space::Perms>)> =
        ["initialised", "zeroed", "small", "stack variable"]
            .iter()
            .map(|w| (*w, perms(w)))
            .collect();
    e.claim(Claim::check(
        "data, bss, heap and stack are writable and not executable",
        "rw- for all four",
        writable
            .iter()
            .map(|(_, p)| p.map_or("none".into(), |p| p.to_string()))
            .collect::<Vec<_>>()
            .join(" "),
        writable
            .iter()
            .all(|(_, p)| p.is_some_and(|p| p.read && p.write && !p.exec)),
    ));
    let kind = |what: &str| by(what).region.as_ref().map(|r| r.kind);
    e.claim(Claim::check(
        "a large allocation is mapped apart from the brk heap",
        "small malloc in [heap], 4 MiB malloc elsewhere",
        format!(
            "small in {}, large in {}",
            kind("small").map_or("none", |k| k.name()),
            kind("large").map_or("none", |k| k.name())
        ),
        kind("small") == Some(RegionKind::Heap)
            && kind("large").is_some_and(|k| k != RegionKind::Heap),
    ));
    let main_stack = by("stack variable").region.as_ref().map(|r| r.start);
    let thread_stack = by("thread's").region.as_ref().map(|r| r.start);
    e.claim(Claim::check(
        "each thread has its own stack, outside the main stack",
        "different regions",
        format!(
            "main stack in {}, thread's in {}",
            kind("stack variable").map_or("none", |k| k.name()),
            kind("thread's").map_or("none", |k| k.name())
        ),
        main_stack.is_some() && thread_stack.is_some() && main_stack != thread_stack,
    ));
    e.claim(Claim::check(
        "argv and the environment sit in the main stack region",
        "both in [stack]",
        format!(
            "argv in {}, environment in {}",
            kind("argv").map_or("none", |k| k.name()),
            kind("environment").map_or("none", |k| k.name())
        ),
        kind("argv") == Some(RegionKind::Stack) && kind("environment") == Some(RegionKind::Stack),
    ));
    aslr(&mut e)?;
    drop(small);
    drop(large);
    Ok(e)
}

/// Where the kernel put things in one run of the probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    text: u64,
    stack: u64,
    mmap: u64,
    brk: u64,
    /// Distance from the end of the program's last segment to the start of the heap.
    brk_gap: u64,
}

/// Runs this program again, three times, as an address probe, and compares the
/// layouts with what the ASLR setting predicts.
fn aslr(e: &mut Experiment) -> Result<()> {
    let setting = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space")
        .ok()
        .and_then(|s| s.trim().parse::<u8>().ok());
    // setarch -R (personality ADDR_NO_RANDOMIZE) turns ASLR off for one process tree.
    // SAFETY: personality(0xffffffff) only queries the current persona.
    let persona = unsafe { libc::personality(0xffff_ffff) };
    let no_randomize = persona != -1 && persona & libc::ADDR_NO_RANDOMIZE != 0;
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let out = std::process::Command::new("/proc/self/exe")
            .env(PROBE_ENV, "1")
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|err| Error::Child(format!("running a copy of this program: {err}")))?;
        let words: Vec<u64> = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|w| u64::from_str_radix(w.trim_start_matches("0x"), 16).ok())
            .collect();
        let [text, stack, mmap, brk, brk_gap] = words[..] else {
            return Err(Error::Child(format!(
                "the address probe printed {:?}",
                String::from_utf8_lossy(&out.stdout)
            )));
        };
        runs.push(Layout {
            text,
            stack,
            mmap,
            brk,
            brk_gap,
        });
    }
    let mut t = Table::new(&[
        "run",
        "text",
        "stack",
        "mmap area",
        "heap (brk)",
        "heap − end of bss",
    ]);
    for (i, r) in runs.iter().enumerate() {
        t.row(vec![
            format!("{}", i + 1),
            format!("{:#x}", r.text),
            format!("{:#x}", r.stack),
            format!("{:#x}", r.mmap),
            format!("{:#x}", r.brk),
            human_size(r.brk_gap),
        ]);
    }
    let effective = if no_randomize { Some(0) } else { setting };
    e.show(
        format!(
            "ASLR: kernel.randomize_va_space = {}{}. The same program, started {RUNS} times:",
            setting.map_or("unknown".into(), |s| s.to_string()),
            if no_randomize {
                ", but this process runs with ADDR_NO_RANDOMIZE (setarch -R), so ASLR is off for it"
            } else {
                ""
            }
        ),
        t,
    );
    e.observe("randomize_va_space", setting);
    e.observe("addr_no_randomize", no_randomize);
    let all_same = |f: fn(&Layout) -> u64| runs.iter().all(|r| f(r) == f(&runs[0]));
    let fields = |f: fn(&Layout) -> u64| {
        runs.iter()
            .map(|r| format!("{:#x}", f(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match effective {
        Some(0) => e.claim(Claim::check(
            "with ASLR off, every run gets the same layout",
            "same text, stack, mmap and heap addresses",
            format!("stacks {}", fields(|r| r.stack)),
            all_same(|r| r.text)
                && all_same(|r| r.stack)
                && all_same(|r| r.mmap)
                && all_same(|r| r.brk),
        )),
        Some(n) => {
            e.claim(Claim::check(
                "with ASLR on, the stack and the mmap area move at every run",
                "different addresses in each run",
                format!(
                    "stacks {}; mmap {}",
                    fields(|r| r.stack),
                    fields(|r| r.mmap)
                ),
                !all_same(|r| r.stack) && !all_same(|r| r.mmap),
            ));
            if n >= 2 {
                e.claim(Claim::check(
                    "with full ASLR (2), the heap starts at a random distance from the program",
                    "different gaps",
                    runs.iter()
                        .map(|r| human_size(r.brk_gap))
                        .collect::<Vec<_>>()
                        .join(", "),
                    !all_same(|r| r.brk_gap),
                ));
            }
        }
        None => e.claim(Claim::unverifiable(
            "ASLR follows kernel.randomize_va_space",
            "depends on the setting",
            "/proc/sys/kernel/randomize_va_space could not be read",
        )),
    }
    Ok(())
}

/// If this process was started as an address probe, prints its layout and exits.
/// Every vmlab binary calls this first thing in `main`.
pub fn answer_probe() {
    if std::env::var_os(PROBE_ENV).is_none() {
        return;
    }
    let local = std::hint::black_box(0u64);
    let stack = &local as *const u64 as u64;
    let len = std::num::NonZeroUsize::new(4096).expect("non-zero");
    // SAFETY: a fresh anonymous mapping whose address we only print; never accessed.
    let mmap = unsafe {
        nix::sys::mman::mmap_anonymous(
            None,
            len,
            nix::sys::mman::ProtFlags::PROT_NONE,
            nix::sys::mman::MapFlags::MAP_PRIVATE,
        )
    }
    .map(|p| p.as_ptr() as u64)
    .unwrap_or(0);
    let brk = stat_field(47).unwrap_or(0);
    let program_end = AddressSpace::read_layout(std::process::id() as i32)
        .ok()
        .and_then(|s| {
            s.regions
                .iter()
                .filter(|r| {
                    matches!(
                        r.kind,
                        RegionKind::Text | RegionKind::Rodata | RegionKind::Data | RegionKind::Bss
                    )
                })
                .map(|r| r.end.0)
                .max()
        })
        .unwrap_or(brk);
    println!(
        "{:#x} {stack:#x} {mmap:#x} {brk:#x} {:#x}",
        answer_probe as *const () as u64,
        brk.saturating_sub(program_end)
    );
    std::process::exit(0);
}

/// Field `n` (1-based, as in proc_pid_stat(5)) of /proc/self/stat.
fn stat_field(n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may contain spaces, start at field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(n - 3)?.parse().ok()
}

/// Where the kernel put argv and the environment (fields 48 and 50 of stat).
fn arg_env_start() -> Result<(u64, u64)> {
    stat_field(48).zip(stat_field(50)).ok_or_else(|| {
        Error::Child("could not read arg_start/env_start from /proc/self/stat".into())
    })
}

/// A vertical drawing of the regions that hold our items, plus heap and stack, top
/// down, with the gaps between them labelled.
fn diagram(space: &AddressSpace, items: &[Item]) -> String {
    let wanted = |r: &Region| {
        items
            .iter()
            .any(|i| i.region.as_ref().is_some_and(|x| x.start == r.start))
            || matches!(r.kind, RegionKind::Heap | RegionKind::Stack)
    };
    let drawn: Vec<(usize, &Region)> = space
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| wanted(r))
        .collect();
    let mut out = String::new();
    let mut above: Option<(usize, &Region)> = None;
    for &(idx, r) in drawn.iter().rev() {
        if let Some((above_idx, a)) = above {
            let skipped = above_idx - idx - 1;
            let gap = a.start.0 - r.end.0;
            out.push_str(&format!(
                "{:16} ┆ {}{}\n",
                "",
                if gap == 0 {
                    "adjacent".to_string()
                } else {
                    format!("{} gap", human_size(gap))
                },
                if skipped > 0 {
                    format!(
                        ", {skipped} other region{}",
                        if skipped == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
            ));
        }
        let labels: Vec<&str> = items
            .iter()
            .filter(|i| i.region.as_ref().is_some_and(|x| x.start == r.start))
            .map(|i| i.what)
            .collect();
        let name = format!(
            "{:<12} {} {:>9}  {}",
            r.kind.name(),
            r.perms,
            human_size(r.size()),
            r.short_name()
        );
        out.push_str(&format!("{:016x} ┌{}┐\n", r.end.0, "─".repeat(52)));
        out.push_str(&format!(
            "{:16} │ {:<50} │{}\n",
            "",
            truncate(&name, 50),
            if labels.is_empty() {
                String::new()
            } else {
                format!(" ← {}", labels.join(", "))
            }
        ));
        out.push_str(&format!("{:016x} └{}┘\n", r.start.0, "─".repeat(52)));
        above = Some((idx, r));
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
