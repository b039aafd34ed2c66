//! vm-faultcost: what a page fault costs.
//!
//! Theory: demand paging is not free. The first access to a page that has no frame yet
//! traps into the kernel (a *page fault*): the CPU saves state and enters the handler,
//! which finds the region, allocates a frame, zeroes it, fills in the page-table entry
//! and returns, and only then is the access retried. That is thousands of instructions
//! where an access to a present page is one (a few nanoseconds, once the TLB knows the
//! page). A *major* fault is worse again: the page has to be read from storage first.
//! Two ways to pay less: `MAP_POPULATE` allocates the frames at mmap time (no trap per
//! page), and a transparent huge page makes one fault map 512 pages at once.
//!
//! What we do, each measurement repeated and the median kept (this is a shared machine):
//! write one byte to each of N fresh pages (demand faults) and time it, then write them
//! again now that they are present (the accesses we compare with: once with no warm-up,
//! then several times over, cached and in the TLB); map N pages with
//! MAP_POPULATE and check they are present before we touch them and that touching them
//! faults no more; write one byte to a 2 MiB-aligned MADV_HUGEPAGE region (one fault for
//! 512 pages, where THP is allowed); and read the pages of a file on disk whose page
//! cache we emptied (fsync, then POSIX_FADV_DONTNEED, confirmed with mincore), which
//! gives one major fault per page. Faults are counted with getrusage (ru_minflt,
//! ru_majflt), presence read from pagemap and smaps, settings from sysfs; claims that
//! need what this machine does not have (THP, a disk-backed directory, eviction) are
//! unverifiable with the reason.

use std::fs::File;
use std::time::{Duration, Instant};

use memmap2::{Advice, Mmap, MmapMut, MmapOptions};

use super::{Lab, PFNS_HIDDEN, exact_size, hex_list, median, prefault_stack, setting, usage_at};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::pagemap::{PageEntry, Pagemap};

/// Fresh pages per measurement (two huge-page sizes' worth of 4 KiB pages).
const PAGES: u64 = 1024;
/// Repetitions of each measurement; the median is what the claims use.
const RUNS: usize = 9;
/// Passes over the present pages for the time of a (cached) access.
const WARM_PASSES: u32 = 8;
/// Pages of the file whose page cache is emptied for the major faults.
const FILE_PAGES: u64 = 16;
/// "Orders of magnitude": a fault must cost at least this many present accesses.
const FAULT_FACTOR: f64 = 100.0;
/// Against a first-pass access (no warm-up): at least one order of magnitude.
const COLD_FACTOR: f64 = 10.0;
/// A major fault waits for storage: at least this many minor faults' worth.
const MAJOR_FACTOR: f64 = 5.0;
/// The cache-line size of x86-64: each page is touched one line further in than the last.
const LINE: u64 = 64;
use super::mem::THP_DIR;

/// What touching some pages took: the wall time and the faults getrusage counted.
#[derive(Clone, Copy, Debug)]
struct Touch {
    time: Duration,
    minor: u64,
    major: u64,
}

impl Touch {
    fn us(&self) -> f64 {
        self.time.as_secs_f64() * 1e6
    }
}

/// This process's (minor, major) page faults so far.
fn faults() -> (u64, u64) {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map(|u| (u.minor_page_faults() as u64, u.major_page_faults() as u64))
        .unwrap_or((0, 0))
}

/// Writes one byte to each of the first `pages` pages of `mem`, `passes` times over,
/// timed, counting faults. Not inlined, so that the warm-up and every measured run
/// execute the same code.
#[inline(never)]
fn write_each(mem: &mut [u8], pages: u64, ps: u64, passes: u32) -> Touch {
    assert!(ps.is_power_of_two() && pages * ps <= mem.len() as u64);
    let base = mem.as_mut_ptr();
    let (minor, major) = faults();
    let start = Instant::now();
    for _ in 0..passes {
        // SAFETY: every address written lies in page i < pages of `mem` (asserted
        // above), which we hold mutably.
        unsafe { stride_loop::<true>(base, pages, ps) };
    }
    let time = start.elapsed();
    let (minor2, major2) = faults();
    Touch {
        time,
        minor: minor2 - minor,
        major: major2 - major,
    }
}

/// Reads one byte of each of the first `pages` pages of `mem`, timed, counting faults.
#[inline(never)]
fn read_each(mem: &[u8], pages: u64, ps: u64) -> Touch {
    assert!(ps.is_power_of_two() && pages * ps <= mem.len() as u64);
    let (minor, major) = faults();
    let start = Instant::now();
    // SAFETY: every address read lies in page i < pages of `mem` (asserted above);
    // nothing is written.
    unsafe { stride_loop::<false>(mem.as_ptr().cast_mut(), pages, ps) };
    let time = start.elapsed();
    let (minor2, major2) = faults();
    Touch {
        time,
        minor: minor2 - minor,
        major: major2 - major,
    }
}

/// One byte written (`WRITE`) or read in each page `base + i * stride` for `i < count`
/// (`stride` a power of two, the page size), at offset `i * LINE` modulo the page: one
/// cache line further in each page, so that the accesses do not all fall into the same
/// cache set (a page-sized stride would make every access a cache miss, and we want to
/// time the page, not the cache's associativity).
///
/// On x86-64 the loop is four instructions of assembly, so that what is timed is the
/// accesses and not the loop: a debug build would otherwise spend tens of nanoseconds
/// per page on bounds and overflow checks, and a present access costs about one.
///
/// # Safety
/// Every address touched must lie in memory of this process that may be read (and,
/// with `WRITE`, written), which no Rust reference aliases while we write.
#[inline(always)]
unsafe fn stride_loop<const WRITE: bool>(base: *mut u8, count: u64, stride: u64) {
    if count == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the caller guarantees every address is valid; the loop touches only
    // those, keeps no stack, and clobbers only the registers named here.
    unsafe {
        if WRITE {
            std::arch::asm!(
                "2:",
                "mov byte ptr [{p} + {o}], 1",
                "add {p}, {s}",
                "add {o}, {l}",
                "and {o}, {m}",
                "dec {n}",
                "jnz 2b",
                p = inout(reg) base => _,
                n = inout(reg) count => _,
                o = inout(reg) 0u64 => _,
                s = in(reg) stride,
                l = in(reg) LINE,
                m = in(reg) stride - 1,
                options(nostack),
            );
        } else {
            std::arch::asm!(
                "2:",
                "movzx {t:e}, byte ptr [{p} + {o}]",
                "add {p}, {s}",
                "add {o}, {l}",
                "and {o}, {m}",
                "dec {n}",
                "jnz 2b",
                p = inout(reg) base => _,
                n = inout(reg) count => _,
                o = inout(reg) 0u64 => _,
                s = in(reg) stride,
                l = in(reg) LINE,
                m = in(reg) stride - 1,
                t = out(reg) _,
                options(nostack, readonly),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for i in 0..count as usize {
        // SAFETY: the caller guarantees every address is valid.
        unsafe {
            let offset = (i * LINE as usize) & (stride as usize - 1);
            let p = base.add(i * stride as usize + offset);
            if WRITE {
                std::ptr::write_volatile(p, 1);
            } else {
                std::ptr::read_volatile(p);
            }
        }
    }
}

fn map_err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

/// Present pages among `count` pages from `va` of this process, from pagemap, and
/// their PFNs when visible.
fn present_pages(lab: &Lab, va: u64, count: u64) -> Result<(u64, Option<Vec<u64>>)> {
    let ps = lab.page_size();
    let pm = Pagemap::open(std::process::id() as i32)?;
    let mut entries = vec![PageEntry(0); count as usize];
    let got = pm.read(va / ps, &mut entries)?;
    let entries = &entries[..got];
    let present = entries.iter().filter(|e| e.present()).count() as u64;
    let visible = lab.inspector.privilege.pfns_visible;
    let pfns = entries
        .iter()
        .map(|e| e.pfn(visible).map(|p| p.0))
        .collect::<Option<Vec<u64>>>()
        .filter(|p| p.len() as u64 == count);
    Ok((present, pfns))
}

/// One run of the 4 KiB measurements: demand faults, then the same pages present.
struct SmallRun {
    demand: Touch,
    /// The first write after the faults, with no warm-up: since each page's line was
    /// last touched, the kernel has zeroed the later pages (4 MiB in all).
    cold: Touch,
    /// `WARM_PASSES` more writes: present pages, cached, in the TLB.
    present: Touch,
}

fn small_run(ps: u64) -> Result<SmallRun> {
    let mut mem = MmapOptions::new()
        .len((PAGES * ps) as usize)
        .map_anon()
        .map_err(map_err("mmap"))?;
    // 4 KiB pages only, whatever the THP mode: this is the one-fault-per-page case.
    mem.advise(Advice::NoHugePage)
        .map_err(map_err("madvise(MADV_NOHUGEPAGE)"))?;
    let demand = write_each(&mut mem, PAGES, ps, 1);
    let cold = write_each(&mut mem, PAGES, ps, 1);
    let present = write_each(&mut mem, PAGES, ps, WARM_PASSES);
    Ok(SmallRun {
        demand,
        cold,
        present,
    })
}

/// One run of MAP_POPULATE: the mmap call, pages present before any touch, the touch.
struct PopulateRun {
    mmap: Duration,
    present_before: u64,
    touch: Touch,
}

fn populate_run(lab: &Lab, ps: u64) -> Result<PopulateRun> {
    let start = Instant::now();
    let mut mem = MmapOptions::new()
        .len((PAGES * ps) as usize)
        .populate()
        .map_anon()
        .map_err(map_err("mmap(MAP_POPULATE)"))?;
    let mmap = start.elapsed();
    let (present_before, _) = present_pages(lab, mem.as_ptr() as u64, PAGES)?;
    let touch = write_each(&mut mem, PAGES, ps, 1);
    Ok(PopulateRun {
        mmap,
        present_before,
        touch,
    })
}

/// One write to a fresh 2 MiB-aligned MADV_HUGEPAGE region.
struct HugeRun {
    touch: Touch,
    present: u64,
    pfns: Option<Vec<u64>>,
    /// smaps AnonHugePages of the region.
    anon_huge: u64,
}

impl HugeRun {
    /// Whether the kernel gave a huge page: more made present than the page written.
    fn given(&self) -> bool {
        self.present > 1 || self.anon_huge > 0
    }
}

/// `forbidden`: THP is off here, so a kernel without THP refusing MADV_HUGEPAGE
/// (EINVAL) is expected and the region is simply written with small pages.
fn huge_run(lab: &Lab, huge: u64, ps: u64, forbidden: bool) -> Result<HugeRun> {
    let mut mem = MmapOptions::new()
        .len((2 * huge) as usize)
        .map_anon()
        .map_err(map_err("mmap"))?;
    let base = mem.as_ptr() as u64;
    let offset = (base.next_multiple_of(huge) - base) as usize;
    if let Err(err) = mem.advise_range(Advice::HugePage, offset, huge as usize)
        && !forbidden
    {
        return Err(map_err("madvise(MADV_HUGEPAGE)")(err));
    }
    let region = &mut mem[offset..offset + huge as usize];
    let touch = write_each(region, 1, ps, 1);
    let va = base + offset as u64;
    let (present, pfns) = present_pages(lab, va, huge / ps)?;
    let anon_huge = usage_at(std::process::id() as i32, va)?.anon_huge;
    Ok(HugeRun {
        touch,
        present,
        pfns,
        anon_huge,
    })
}

/// Pages of `map` in the page cache now, by mincore(2).
fn resident(map: &Mmap, ps: u64) -> Result<u64> {
    let pages = map.len().div_ceil(ps as usize);
    let mut vec = vec![0u8; pages];
    // SAFETY: `map` is a live mapping of `map.len()` bytes at a page-aligned address,
    // and `vec` holds one byte for each of its pages, which is what mincore writes.
    let rc = unsafe {
        libc::mincore(
            map.as_ptr() as *mut libc::c_void,
            map.len(),
            vec.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Err(Error::Child(format!(
            "mincore: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(vec.iter().filter(|b| *b & 1 == 1).count() as u64)
}

/// One run of the major faults: page cache emptied, confirmed, then every page read.
struct MajorRun {
    /// Pages still in the page cache just before the reads (mincore): must be 0.
    resident: u64,
    touch: Touch,
}

fn major_run(file: &File, ps: u64) -> Result<MajorRun> {
    use nix::fcntl::{PosixFadviseAdvice, posix_fadvise};
    let len = (FILE_PAGES * ps) as i64;
    let mut attempt = 0;
    loop {
        // Clean pages that no one maps are dropped by DONTNEED (fsync'd before, and our
        // mapping of the previous run is gone).
        posix_fadvise(file, 0, len, PosixFadviseAdvice::POSIX_FADV_DONTNEED)
            .map_err(|e| Error::Child(format!("posix_fadvise(DONTNEED): {e}")))?;
        // SAFETY: a read-only shared mapping of our own unnamed file, which nobody else
        // can reach, let alone truncate.
        let map = unsafe { Mmap::map(file) }.map_err(map_err("mmap of the file"))?;
        // No readahead: each fault reads its own page, so each is one major fault.
        map.advise(Advice::Random)
            .map_err(map_err("madvise(MADV_RANDOM)"))?;
        let resident = resident(&map, ps)?;
        attempt += 1;
        if resident > 0 && attempt < 3 {
            continue;
        }
        let touch = read_each(&map, FILE_PAGES, ps);
        return Ok(MajorRun { resident, touch });
    }
}

/// Every run of every measurement.
struct Runs {
    small: Vec<SmallRun>,
    populate: Vec<PopulateRun>,
    huge: Vec<HugeRun>,
    major: std::result::Result<Vec<MajorRun>, String>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "faultcost",
        "what a page fault costs",
        "A page fault (the first touch of a fresh page) costs the kernel's work of a \
         trap, a frame allocation and zeroing: orders of magnitude more than an access to \
         a present page. MAP_POPULATE pays it up front without the traps; a huge page pays \
         it once for 512 pages; a major fault adds a read from storage.",
    );
    let ps = lab.page_size();
    let huge = setting(&format!("{THP_DIR}/hpage_pmd_size"))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(ps / 8 * ps);
    let n = huge / ps;
    let thp_forbids = super::mem::ThpSettings::read().forbids();

    // Warm-up: run the measuring code once on present memory, so that its own
    // first-run faults (code pages, stack, the vDSO clock) are not counted later.
    prefault_stack();
    let mut scratch = MmapMut::map_anon(ps as usize).map_err(map_err("mmap"))?;
    write_each(&mut scratch, 1, ps, 1);
    write_each(&mut scratch, 1, ps, 1);
    read_each(&scratch, 1, ps);
    drop(scratch);

    let file = super::mem::disk_dir().and_then(|dir| {
        super::mem::synced_file(&dir, FILE_PAGES, ps, 0x3C)
            .map(|f| (dir, f))
            .map_err(|err| err.to_string())
    });
    let mut runs = Runs {
        small: Vec::new(),
        populate: Vec::new(),
        huge: Vec::new(),
        major: Ok(Vec::new()),
    };
    for _ in 0..RUNS {
        runs.small.push(small_run(ps)?);
        runs.populate.push(populate_run(lab, ps)?);
        runs.huge
            .push(huge_run(lab, huge, ps, thp_forbids.is_some())?);
        if let (Ok((_, f)), Ok(major)) = (&file, &mut runs.major) {
            major.push(major_run(f, ps)?);
        }
    }
    if let Err(why) = &file {
        runs.major = Err(why.clone());
    }
    let file_dir = file.as_ref().ok().map(|(d, _)| d.display().to_string());
    drop(file);
    report(lab, &mut e, &runs, huge, n, thp_forbids, file_dir);
    Ok(e)
}

fn report(
    lab: &Lab,
    e: &mut Experiment,
    runs: &Runs,
    huge: u64,
    n: u64,
    thp_forbids: Option<String>,
    file_dir: Option<String>,
) {
    let ps = lab.page_size();
    // Per run, then the median over the runs.
    let per = |t: &Touch, count: u64| t.us() / count.max(1) as f64;
    let small = |f: &dyn Fn(&SmallRun) -> f64| runs.small.iter().map(f).collect::<Vec<_>>();
    let fault_runs = small(&|r| per(&r.demand, r.demand.minor));
    let access_runs = small(&|r| 1000.0 * per(&r.present, PAGES * WARM_PASSES as u64));
    let cold_runs = small(&|r| 1000.0 * per(&r.cold, PAGES));
    let fault_us = median(&fault_runs);
    let demand_page_us = median(&small(&|r| per(&r.demand, PAGES)));
    let access_ns = median(&access_runs);
    let cold_ns = median(&cold_runs);
    let populate_runs: Vec<f64> = runs
        .populate
        .iter()
        .map(|r| r.mmap.as_secs_f64() * 1e6)
        .collect();
    let populate_page_us = median(&populate_runs) / PAGES as f64;
    let populated_touch_ns = 1000.0
        * median(
            &runs
                .populate
                .iter()
                .map(|r| per(&r.touch, PAGES))
                .collect::<Vec<_>>(),
        );
    // The runs where the kernel gave a huge page (it may decline one: fragmentation).
    let given: Vec<&HugeRun> = runs.huge.iter().filter(|r| r.given()).collect();
    let huge_runs: Vec<f64> = given.iter().map(|r| r.touch.us()).collect();
    let huge_fault_us = median(&huge_runs);
    let major_runs: Option<Vec<f64>> = runs.major.as_ref().ok().map(|m| {
        m.iter()
            .map(|r| per(&r.touch, r.touch.major))
            .collect::<Vec<_>>()
    });
    let major_fault_us = major_runs.as_deref().map(median);
    let ratio = fault_us * 1000.0 / access_ns;
    let cold_ratio = fault_us * 1000.0 / cold_ns;
    let access_us = access_ns / 1000.0;
    let x = |us: f64| format!("{:.0}x", us / access_us);

    let mut t = Table::new(&[
        "what",
        "pages",
        "faults (minor/major)",
        "µs per page",
        "µs per fault",
        "vs present access",
    ]);
    let s0 = &runs.small[0];
    t.row(vec![
        format!("write to present pages (cached; {WARM_PASSES} passes)"),
        PAGES.to_string(),
        format!("{}/{}", s0.present.minor, s0.present.major),
        format!("{access_us:.4}"),
        "-".into(),
        "1x".into(),
    ]);
    t.row(vec![
        "write to present pages (first pass, no warm-up)".into(),
        PAGES.to_string(),
        format!("{}/{}", s0.cold.minor, s0.cold.major),
        format!("{:.4}", cold_ns / 1000.0),
        "-".into(),
        x(cold_ns / 1000.0),
    ]);
    t.row(vec![
        "write to fresh pages (demand faults)".into(),
        PAGES.to_string(),
        format!("{}/{}", s0.demand.minor, s0.demand.major),
        format!("{demand_page_us:.3}"),
        format!("{fault_us:.3}"),
        x(fault_us),
    ]);
    let p0 = &runs.populate[0];
    t.row(vec![
        "mmap(MAP_POPULATE) itself".into(),
        PAGES.to_string(),
        "-".into(),
        format!("{populate_page_us:.3}"),
        "-".into(),
        x(populate_page_us),
    ]);
    t.row(vec![
        "write to MAP_POPULATE'd pages".into(),
        PAGES.to_string(),
        format!("{}/{}", p0.touch.minor, p0.touch.major),
        format!("{:.4}", populated_touch_ns / 1000.0),
        "-".into(),
        x(populated_touch_ns / 1000.0),
    ]);
    let h0 = given.first().copied().unwrap_or(&runs.huge[0]);
    t.row(vec![
        format!("write to a fresh {} THP region", exact_size(huge)),
        format!("{} present", h0.present),
        format!("{}/{}", h0.touch.minor, h0.touch.major),
        format!("{:.4}", huge_fault_us / n as f64),
        format!("{huge_fault_us:.1}"),
        x(huge_fault_us),
    ]);
    match (&runs.major, major_fault_us) {
        (Ok(m), Some(us)) if !m.is_empty() => t.row(vec![
            "read evicted file pages (major faults)".into(),
            FILE_PAGES.to_string(),
            format!("{}/{}", m[0].touch.minor, m[0].touch.major),
            format!(
                "{:.2}",
                median(
                    &m.iter()
                        .map(|r| per(&r.touch, FILE_PAGES))
                        .collect::<Vec<_>>()
                )
            ),
            format!("{us:.2}"),
            x(us),
        ]),
        _ => t.row(vec![
            "read evicted file pages (major faults)".into(),
            FILE_PAGES.to_string(),
            "-".into(),
            "-".into(),
            "-".into(),
            "not measured".into(),
        ]),
    }
    e.show(
        format!(
            "Each time is the median of {RUNS} runs (the faults are the first run's, from \
             getrusage). One byte is written (or read) per page of {ps} bytes, one cache line \
             further in each page, so the time per page is one access plus, where the page \
             was not present, its fault. The present pages are the same {PAGES} pages \
             written again: first once with no warm-up (since each page's line was last \
             touched the kernel has zeroed all the later pages), then {WARM_PASSES} times \
             more (cached, in the TLB)."
        ),
        t,
    );
    e.say(format!(
        "A demand fault took {fault_us:.3} µs; a write to a present, cached page \
         {access_ns:.2} ns ({cold_ns:.1} ns on the first pass, no warm-up): the fault \
         costs {ratio:.0} cached accesses, or {cold_ratio:.0} first-pass ones. MAP_POPULATE did the \
         allocation in the mmap call at {populate_page_us:.3} µs per page, with no trap per \
         page; the writes after it took {populated_touch_ns:.1} ns per page, without a fault. The huge \
         page's one fault took {huge_fault_us:.1} µs: it allocates and zeroes {} at once.",
        exact_size(huge)
    ));

    let file_text = match (&runs.major, &file_dir) {
        (Ok(m), Some(dir)) => format!(
            "The file: {FILE_PAGES} pages in {dir} (an unnamed O_TMPFILE file), written and \
             fsync'd, then POSIX_FADV_DONTNEED before each run; mincore counted {} of its \
             pages still cached just before the reads (per run); MADV_RANDOM turns readahead \
             off, so each page is read by its own fault.",
            list(&m.iter().map(|r| r.resident).collect::<Vec<_>>())
        ),
        (Err(why), _) => format!("No major faults measured: {why}."),
        _ => String::new(),
    };
    if !file_text.is_empty() {
        e.say(file_text);
    }

    // Observations, every run, for tests and graders.
    let counts = |f: &dyn Fn(&SmallRun) -> u64| runs.small.iter().map(f).collect::<Vec<_>>();
    e.observe("page_size", ps);
    e.observe("pages", PAGES);
    e.observe("runs", RUNS);
    e.observe("warm_passes", WARM_PASSES);
    e.observe("demand_faults", counts(&|r| r.demand.minor));
    e.observe("demand_us", small(&|r| r.demand.us()));
    e.observe("cold_faults", counts(&|r| r.cold.minor));
    e.observe("cold_us", small(&|r| r.cold.us()));
    e.observe("present_faults", counts(&|r| r.present.minor));
    e.observe("present_us", small(&|r| r.present.us()));
    e.observe("fault_us", fault_us);
    e.observe("demand_page_us", demand_page_us);
    e.observe("access_ns", access_ns);
    e.observe("cold_access_ns", cold_ns);
    e.observe("fault_to_access_ratio", ratio);
    e.observe("fault_to_cold_access_ratio", cold_ratio);
    e.observe("populate_mmap_us", &populate_runs);
    e.observe(
        "populate_present_before_touch",
        runs.populate
            .iter()
            .map(|r| r.present_before)
            .collect::<Vec<_>>(),
    );
    e.observe(
        "populate_touch_faults",
        runs.populate
            .iter()
            .map(|r| r.touch.minor)
            .collect::<Vec<_>>(),
    );
    e.observe(
        "populate_touch_us",
        runs.populate
            .iter()
            .map(|r| r.touch.us())
            .collect::<Vec<_>>(),
    );
    e.observe("populate_page_us", populate_page_us);
    e.observe("huge_size", huge);
    e.observe("thp_forbidden", &thp_forbids);
    e.observe(
        "huge_faults",
        runs.huge.iter().map(|r| r.touch.minor).collect::<Vec<_>>(),
    );
    e.observe(
        "huge_present",
        runs.huge.iter().map(|r| r.present).collect::<Vec<_>>(),
    );
    e.observe(
        "huge_us",
        runs.huge.iter().map(|r| r.touch.us()).collect::<Vec<_>>(),
    );
    e.observe("huge_fault_us", huge_fault_us);
    e.observe(
        "huge_anon_huge",
        runs.huge.iter().map(|r| r.anon_huge).collect::<Vec<_>>(),
    );
    e.observe(
        "huge_given",
        runs.huge.iter().map(|r| r.given()).collect::<Vec<_>>(),
    );
    e.observe("huge_pfns", &h0.pfns);
    e.observe("file_dir", &file_dir);
    e.observe("file_pages", FILE_PAGES);
    match &runs.major {
        Ok(m) => {
            e.observe(
                "major_resident_before",
                m.iter().map(|r| r.resident).collect::<Vec<_>>(),
            );
            e.observe(
                "major_faults",
                m.iter().map(|r| r.touch.major).collect::<Vec<_>>(),
            );
            e.observe(
                "major_minor_faults",
                m.iter().map(|r| r.touch.minor).collect::<Vec<_>>(),
            );
            e.observe(
                "major_us",
                m.iter().map(|r| r.touch.us()).collect::<Vec<_>>(),
            );
            e.observe("major_fault_us", major_fault_us);
            e.observe("major_unavailable", None::<String>);
        }
        Err(why) => e.observe("major_unavailable", why),
    }

    // 1. One fault per fresh page.
    let demand = counts(&|r| r.demand.minor);
    let again = counts(&|r| r.cold.minor + r.present.minor);
    e.claim(Claim::check(
        &format!("writing {PAGES} fresh pages takes one page fault per page"),
        &format!("{PAGES} minor faults per run (+2 tolerance), none on the writes after"),
        format!(
            "{} faults per run; writes after: {}",
            list(&demand),
            list(&again)
        ),
        demand.iter().all(|&f| (PAGES..=PAGES + 2).contains(&f)) && again.iter().all(|&f| f == 0),
    ));
    // 2. MAP_POPULATE: present at once, no faults after.
    let before: Vec<u64> = runs.populate.iter().map(|r| r.present_before).collect();
    let after: Vec<u64> = runs.populate.iter().map(|r| r.touch.minor).collect();
    e.claim(Claim::check(
        "with MAP_POPULATE the pages are present before the first touch, and touching them \
         faults no more",
        &format!("{PAGES} of {PAGES} present after mmap (pagemap); 0 faults on the writes"),
        format!(
            "present after mmap: {}; faults on the writes: {}",
            list(&before),
            list(&after)
        ),
        before.iter().all(|&p| p == PAGES) && after.iter().all(|&f| f == 0),
    ));
    // 3. Orders of magnitude.
    e.claim(Claim::check(
        "a page fault costs orders of magnitude more than an access to a present page",
        &format!("fault ≥ {FAULT_FACTOR:.0} x cached access (medians of {RUNS} runs)"),
        format!(
            "fault {fault_us:.3} µs, access {access_ns:.2} ns: {ratio:.0} x (runs: faults \
             {} µs; accesses {} ns)",
            floats(&fault_runs, 3),
            floats(&access_runs, 2),
        ),
        ratio.is_finite() && ratio >= FAULT_FACTOR,
    ));
    // 4. Even against an access with no warm-up.
    e.claim(Claim::check(
        "a page fault costs an order of magnitude more even than a write to a present page \
         with no warm-up",
        &format!("fault ≥ {COLD_FACTOR:.0} x first-pass access (medians of {RUNS} runs)"),
        format!(
            "fault {fault_us:.3} µs, first-pass access {cold_ns:.1} ns: {cold_ratio:.0} x \
             (runs: {} ns)",
            floats(&cold_runs, 1),
        ),
        cold_ratio.is_finite() && cold_ratio >= COLD_FACTOR,
    ));
    // 5. One fault for 512 pages.
    let huge_faults: Vec<u64> = given.iter().map(|r| r.touch.minor).collect();
    let huge_present: Vec<u64> = given.iter().map(|r| r.present).collect();
    let huge_anon: Vec<u64> = given.iter().map(|r| r.anon_huge / 1024).collect();
    let declined = given.is_empty();
    let why_not = thp_forbids.clone().or_else(|| {
        declined.then(|| {
            format!(
                "the kernel declined to give a huge page in all {RUNS} runs although \
                 {THP_DIR}/enabled is '{}' (no free {} frame: memory may be fragmented)",
                setting(&format!("{THP_DIR}/enabled")).unwrap_or_default(),
                exact_size(huge)
            )
        })
    });
    let small_per_huge = demand.iter().map(|&f| f * n / PAGES).collect::<Vec<_>>();
    let statement = format!(
        "a huge page replaces {n} faults by one: one write makes a {} region present",
        exact_size(huge)
    );
    let theory = format!(
        "1 fault, {n} of {n} present, AnonHugePages {} kB (4 KiB pages: {n} faults)",
        huge / 1024
    );
    e.claim(match &why_not {
        Some(why) => Claim::unverifiable(&statement, &theory, why),
        None => Claim::check(
            &statement,
            &theory,
            format!(
                "huge page in {} of {RUNS} runs; their faults {}; present {}; AnonHugePages \
                 {} kB; 4 KiB pages: {} faults per {}",
                given.len(),
                list(&huge_faults),
                list(&huge_present),
                list(&huge_anon),
                list(&small_per_huge),
                exact_size(huge)
            ),
            huge_faults.iter().all(|&f| f == 1)
                && huge_present.iter().all(|&p| p == n)
                && huge_anon.iter().all(|&a| a == huge / 1024)
                && small_per_huge.iter().all(|&f| (n..=n + 2).contains(&f)),
        ),
    });
    // 6. One frame.
    let statement = format!(
        "the {n} pages of that one fault are one {} frame: consecutive PFNs",
        exact_size(huge)
    );
    let theory = format!("PFN(k) = PFN(0) + k, PFN(0) a multiple of {n}");
    e.claim(match (&why_not, &h0.pfns) {
        (Some(why), _) => Claim::unverifiable(&statement, &theory, why),
        (None, None) => Claim::unverifiable(&statement, &theory, PFNS_HIDDEN),
        (None, Some(p)) => {
            let first = p[0];
            let run = p.iter().enumerate().all(|(i, &x)| x == first + i as u64);
            Claim::check(
                &statement,
                &theory,
                if run {
                    format!("first PFN {first:#x}, PFN(k) = first + k for all {n}")
                } else {
                    format!("not one run: {}", hex_list(p))
                },
                run && first % n == 0,
            )
        }
    });
    // 7. One huge fault is cheaper than the small faults it replaces.
    let small_total_us = fault_us * n as f64;
    let statement = format!(
        "the one huge-page fault takes less time than the {n} faults of 4 KiB pages it \
         replaces"
    );
    let theory = format!("1 huge fault < {n} x one 4 KiB fault (medians)");
    e.claim(match &why_not {
        Some(why) => Claim::unverifiable(&statement, &theory, why),
        None => Claim::check(
            &statement,
            &theory,
            format!(
                "{huge_fault_us:.1} µs vs {n} x {fault_us:.3} = {small_total_us:.1} µs \
                 (runs: {} µs)",
                floats(&huge_runs, 1)
            ),
            huge_fault_us < small_total_us,
        ),
    });
    // 8. and 9. Major faults.
    let statement_major = "reading a file page that is not in the page cache is a major \
                           fault, one per page";
    let theory_major = format!(
        "0 of {FILE_PAGES} pages cached (mincore) before; {FILE_PAGES} major faults per run"
    );
    let statement_cost = "a major fault costs more than a minor one: it waits for storage";
    let theory_cost = format!("major fault ≥ {MAJOR_FACTOR:.0} x minor fault (medians)");
    match &runs.major {
        Err(why) => {
            e.claim(Claim::unverifiable(statement_major, &theory_major, why));
            e.claim(Claim::unverifiable(statement_cost, &theory_cost, why));
        }
        Ok(m) => {
            let resident: Vec<u64> = m.iter().map(|r| r.resident).collect();
            let majors: Vec<u64> = m.iter().map(|r| r.touch.major).collect();
            if resident.iter().any(|&r| r > 0) {
                let why = format!(
                    "the kernel kept file pages cached after fsync and POSIX_FADV_DONTNEED \
                     (mincore: {} of {FILE_PAGES} resident per run), so eviction could not \
                     be confirmed",
                    list(&resident)
                );
                e.claim(Claim::unverifiable(statement_major, &theory_major, &why));
                e.claim(Claim::unverifiable(statement_cost, &theory_cost, &why));
            } else {
                e.claim(Claim::check(
                    statement_major,
                    &theory_major,
                    format!(
                        "cached before: {}; major faults per run: {}",
                        list(&resident),
                        list(&majors)
                    ),
                    majors.iter().all(|&f| f == FILE_PAGES),
                ));
                let major_us = major_fault_us.unwrap_or(f64::NAN);
                e.claim(Claim::check(
                    statement_cost,
                    &theory_cost,
                    format!(
                        "major {major_us:.2} µs vs minor {fault_us:.3} µs: {:.0} x (runs: {} \
                         µs per major fault)",
                        major_us / fault_us,
                        floats(major_runs.as_deref().unwrap_or_default(), 2)
                    ),
                    major_us.is_finite() && major_us >= MAJOR_FACTOR * fault_us,
                ));
            }
        }
    }
}

fn list(values: &[u64]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn floats(values: &[f64], digits: usize) -> String {
    values
        .iter()
        .map(|v| format!("{v:.digits$}"))
        .collect::<Vec<_>>()
        .join(", ")
}
