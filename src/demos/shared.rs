//! vm-shared: sharing frames on purpose.
//!
//! Theory: paging makes sharing cheap. Two page tables can point at one frame, so
//! processes can share memory (MAP_SHARED), files are cached once in RAM and mapped
//! by everyone who opens them, a library's code exists once however many programs
//! use it, and the kernel can even merge identical private pages behind our back
//! (KSM), splitting them again on write.
//!
//! What we do: five small experiments, each comparing two page-table views of what
//! should be one frame.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};

use super::{FRAMES_HIDDEN, Lab, PFNS_HIDDEN, page_table};
use crate::child::Child;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment};
use crate::frames::flag;
use crate::inspect::PageRow;
use crate::space::{AddressSpace, RegionKind};

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "shared",
        "sharing frames on purpose",
        "Two page tables can point at one frame: shared memory, the page cache of a file, a \
         library's code and pages the kernel merges itself (KSM) are each kept once in RAM.",
    );
    shared_anonymous(lab, &mut e)?;
    let file = memfd(lab)?;
    shared_file(lab, &mut e, &file)?;
    private_file(lab, &mut e, &file)?;
    library(lab, &mut e)?;
    ksm::run(lab, &mut e)?;
    Ok(e)
}

fn err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Child(format!("{what}: {e}"))
}

/// (a) MAP_SHARED anonymous memory, written by a child, read by the parent.
fn shared_anonymous(lab: &Lab, e: &mut Experiment) -> Result<()> {
    let len = std::num::NonZeroUsize::new(lab.page_size() as usize).expect("non-zero");
    // SAFETY: a fresh shared anonymous page, used only through `base` below and
    // unmapped at the end of this function.
    let ptr = unsafe {
        nix::sys::mman::mmap_anonymous(
            None,
            len,
            nix::sys::mman::ProtFlags::PROT_READ | nix::sys::mman::ProtFlags::PROT_WRITE,
            nix::sys::mman::MapFlags::MAP_SHARED,
        )
    }
    .map_err(|e| Error::Child(format!("mmap: {e}")))?;
    let base = ptr.as_ptr() as usize;
    // SAFETY: `base` is the page just mapped read-write.
    unsafe { std::ptr::write_volatile(base as *mut u8, 1) };
    let mut child = Child::spawn(move |chan| {
        // SAFETY: the shared page is mapped in the child too (inherited at fork).
        unsafe { std::ptr::write_volatile(base as *mut u8, 0x42) };
        chan.send(&[]);
        chan.recv();
        0
    })?;
    child.recv()?;
    // SAFETY: as above.
    let seen = unsafe { std::ptr::read_volatile(base as *const u8) };
    let me = std::process::id() as i32;
    let va = base as u64;
    let (mine, theirs) = (lab.page(me, va)?, lab.page(child.pid(), va)?);
    child.send(&[])?;
    child.wait()?;
    // SAFETY: unmapping the page mapped above; nothing refers to it any more.
    let _ = unsafe { nix::sys::mman::munmap(ptr, len.get()) };
    e.show(
        format!(
            "(a) A MAP_SHARED anonymous page; the child writes 0x42 into it, and the parent \
             reads {seen:#x}."
        ),
        page_table(&[("parent".into(), &mine), ("child".into(), &theirs)]),
    );
    e.observe("shared_anon_pfns", [mine.pfn, theirs.pfn]);
    e.claim(Claim::check(
        "(a) a shared page written by the child is seen by the parent",
        "parent reads 0x42",
        format!("{seen:#x}"),
        seen == 0x42,
    ));
    same_frame_claim(e, "(a) parent and child map the same frame", &mine, &theirs);
    Ok(())
}

/// A one-page memfd holding a known byte.
fn memfd(lab: &Lab) -> Result<File> {
    let fd = nix::sys::memfd::memfd_create("vmlab-shared", nix::sys::memfd::MFdFlags::empty())
        .map_err(|e| Error::Child(format!("memfd_create: {e}")))?;
    let file = File::from(fd);
    file.set_len(lab.page_size()).map_err(err("ftruncate"))?;
    std::os::unix::fs::FileExt::write_at(&file, &[0x46], 0).map_err(err("write"))?;
    Ok(file)
}

/// (b) The same file mapped MAP_SHARED by a process that opens it on its own.
fn shared_file(lab: &Lab, e: &mut Experiment, file: &File) -> Result<()> {
    // SAFETY: the memfd is ours; the child only reads it.
    let map = unsafe { MmapMut::map_mut(file) }.map_err(err("mmap"))?;
    // Touch it: a mapping gets its page-table entry on first access, not at mmap.
    let _ = std::hint::black_box(map[0]);
    let va = map.as_ptr() as u64;
    let path = format!("/proc/{}/fd/{}", std::process::id(), file.as_raw_fd());
    let len = lab.page_size() as usize;
    let mut child = Child::spawn(move |chan| {
        // The child opens the file by name and maps it itself: nothing of the parent's
        // mapping is inherited, exactly as for an unrelated process.
        let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
        else {
            return 3;
        };
        // SAFETY: a shared mapping of a file nobody truncates while we hold it.
        let Ok(m) = (unsafe { MmapOptions::new().len(len).map(&f) }) else {
            return 4;
        };
        let first = m[0];
        chan.send(&[m.as_ptr() as u64, first as u64]);
        chan.recv();
        0
    })?;
    let reply = child.recv()?;
    let (child_va, child_read) = (reply[0], reply[1]);
    let (mine, theirs) = (
        lab.page(std::process::id() as i32, va)?,
        lab.page(child.pid(), child_va)?,
    );
    child.send(&[])?;
    child.wait()?;
    e.show(
        format!(
            "(b) A file (a memfd) mapped MAP_SHARED here at {va:#x}, and by a child that opens \
             it by name and maps it at {child_va:#x}; the child reads {child_read:#x}."
        ),
        page_table(&[("parent".into(), &mine), ("child".into(), &theirs)]),
    );
    e.observe("shared_file_pfns", [mine.pfn, theirs.pfn]);
    same_frame_claim(
        e,
        "(b) two processes mapping one file share its page-cache frame",
        &mine,
        &theirs,
    );
    e.claim(Claim::check(
        "(b) the page is a file or shared page",
        "file/shared bit set in both",
        format!(
            "{} and {}",
            mine.file_or_shared as u8, theirs.file_or_shared as u8
        ),
        mine.file_or_shared && theirs.file_or_shared,
    ));
    drop(map);
    Ok(())
}

/// (c) MAP_PRIVATE on the same file: shared until written, then copied.
fn private_file(lab: &Lab, e: &mut Experiment, file: &File) -> Result<()> {
    let me = std::process::id() as i32;
    // SAFETY: both mappings are of our own memfd; nothing truncates it.
    let shared = unsafe { MmapMut::map_mut(file) }.map_err(err("mmap"))?;
    let _ = std::hint::black_box(shared[0]);
    // SAFETY: as above; a private mapping is copy-on-write.
    let mut private = unsafe { MmapOptions::new().map_copy(file) }.map_err(err("mmap"))?;
    let _ = std::hint::black_box(private[0]);
    let (sva, pva) = (shared.as_ptr() as u64, private.as_ptr() as u64);
    let cache = lab.page(me, sva)?;
    let before = lab.page(me, pva)?;
    private[0] = 0x50;
    let after = lab.page(me, pva)?;
    let file_byte = shared[0];
    e.show(
        "(c) The same file mapped MAP_PRIVATE: first only read, then written. The shared \
         mapping shows the page-cache frame.",
        page_table(&[
            ("page cache".into(), &cache),
            ("private, read".into(), &before),
            ("private, written".into(), &after),
        ]),
    );
    e.observe("private_file_pfns", [cache.pfn, before.pfn, after.pfn]);
    same_frame_claim(
        e,
        "(c) a private mapping only read uses the page-cache frame",
        &cache,
        &before,
    );
    e.claim(Claim::check_if(
        "(c) writing a private file page copies it into an anonymous frame",
        "new PFN, flagged ANON",
        after.pfn.zip(cache.pfn).zip(after.flags),
        |((a, c), f)| {
            (
                format!("{a} vs page cache {c}; anon: {}", f.has(flag::ANON) as u8),
                a != c && f.has(flag::ANON),
            )
        },
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check(
        "(c) the file itself is unchanged",
        "file still holds 0x46",
        format!("{file_byte:#x}"),
        file_byte == 0x46,
    ));
    Ok(())
}

/// (d) The C library's code in this process and in another program.
fn library(lab: &Lab, e: &mut Experiment) -> Result<()> {
    let me = std::process::id() as i32;
    let mine = AddressSpace::read(me)?;
    let Some(my_text) = mine
        .regions
        .iter()
        .find(|r| r.kind == RegionKind::LibText && r.short_name().starts_with("libc.so"))
        .cloned()
    else {
        e.claim(Claim::unverifiable(
            "(d) libraries are shared without duplicating data",
            "same frames",
            "this program is not linked with a shared libc.so",
        ));
        return Ok(());
    };
    let mut other = match std::process::Command::new("sleep")
        .arg("30")
        .stdin(std::process::Stdio::null())
        .spawn()
    {
        Ok(c) => KillOnDrop(c),
        Err(err) => {
            e.claim(Claim::unverifiable(
                "(d) libraries are shared without duplicating data",
                "same frames",
                &format!("could not start another program (sleep): {err}"),
            ));
            return Ok(());
        }
    };
    let pid = other.0.id() as i32;
    // Wait until the other program has exec'd and its dynamic loader mapped libc.
    let deadline = Instant::now() + Duration::from_secs(5);
    let their_text = loop {
        let found = AddressSpace::read_layout(pid).ok().and_then(|s| {
            s.regions.into_iter().find(|r| {
                r.backing == my_text.backing && r.perms.exec && r.offset == my_text.offset
            })
        });
        if let Some(r) = found {
            break Some(r);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let Some(their_text) = their_text else {
        e.claim(Claim::unverifiable(
            "(d) libraries are shared without duplicating data",
            "same frames",
            "the other program did not map the same libc",
        ));
        return Ok(());
    };
    // Compare page by page, by position in the file (the two processes load libc at
    // different virtual addresses).
    let ps = lab.page_size();
    let pages = (my_text.size() / ps) as usize;
    let a = lab.pages(me, my_text.start.0, pages)?;
    let b = lab.pages(pid, their_text.start.0, pages)?;
    drop(other.0.kill());
    let both: Vec<(&PageRow, &PageRow)> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.state == crate::pagemap::PageState::Present && y.state == x.state)
        .collect();
    let sample: Vec<(String, &PageRow)> = both
        .iter()
        .take(3)
        .flat_map(|(x, y)| [("vmlab".to_string(), *x), (format!("sleep {pid}"), *y)])
        .collect();
    let usage = my_text.usage.unwrap_or_default();
    e.show(
        format!(
            "(d) The code of {} here ({:#x}) and in `sleep` {pid} ({:#x}): {} of its {pages} \
             pages are present in both. The first three, side by side:",
            my_text.short_name(),
            my_text.start.0,
            their_text.start.0,
            both.len()
        ),
        page_table(&sample),
    );
    let same = both
        .iter()
        .filter(|(x, y)| x.pfn.is_some() && x.pfn == y.pfn)
        .count();
    e.observe("libc_pages_in_both", both.len());
    e.observe("libc_same_frames", same);
    e.observe("libc_text_rss", usage.rss);
    e.observe("libc_text_pss", usage.pss);
    e.claim(Claim::check_if(
        "(d) libc's code is the same frames in both programs",
        "every page present in both: same PFN",
        both.iter().all(|(x, _)| x.pfn.is_some()).then_some(()),
        |_| {
            (
                format!("{same} of {} pages share a frame", both.len()),
                !both.is_empty() && same == both.len(),
            )
        },
        PFNS_HIDDEN,
    ));
    let counts: Option<Vec<u64>> = both.iter().map(|(x, _)| x.map_count).collect();
    e.claim(Claim::check_if(
        "(d) each of those frames is mapped by several processes",
        "map count ≥ 2",
        counts,
        |c| {
            let min = c.iter().min().copied().unwrap_or(0);
            (format!("lowest map count {min}"), !c.is_empty() && min >= 2)
        },
        FRAMES_HIDDEN,
    ));
    e.claim(Claim::check(
        "(d) shared frames are charged in part: PSS < RSS",
        "PSS below RSS for libc's code",
        format!(
            "RSS {}, PSS {}",
            crate::render::human_size(usage.rss),
            crate::render::human_size(usage.pss)
        ),
        usage.pss < usage.rss,
    ));
    Ok(())
}

/// Kills and reaps a helper program when dropped (also on early return).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The claim that two views show one frame: PFNs when visible, else Unverifiable.
fn same_frame_claim(e: &mut Experiment, statement: &str, a: &PageRow, b: &PageRow) {
    e.claim(Claim::check_if(
        statement,
        "same PFN",
        a.pfn.zip(b.pfn),
        |(x, y)| (format!("{x} and {y}"), x == y),
        PFNS_HIDDEN,
    ));
}

/// (e) Kernel samepage merging, started for a moment and restored.
mod ksm {
    use std::sync::atomic::{AtomicBool, Ordering};

    use nix::fcntl::{Flock, FlockArg};

    use super::*;

    const DIR: &str = "/sys/kernel/mm/ksm";
    const PAGES: usize = 32;
    /// The knobs we change, with the values we set.
    const KNOBS: [(&str, &str); 3] = [
        ("pages_to_scan", "10000"),
        ("sleep_millisecs", "10"),
        ("run", "1"),
    ];

    /// The claims of part (e): statement and theory's prediction.
    const CLAIMS: [(&str, &str); 2] = [
        (
            "(e) identical pages end up in one frame flagged KSM",
            "one PFN, KSM flag",
        ),
        (
            "(e) a write to a merged page gives it a private copy",
            "new PFN, not KSM, exclusive",
        ),
    ];

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    extern "C" fn on_signal(_: libc::c_int) {
        // Only record: the demo loop sees it, stops, and the guard restores KSM.
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// Puts every KSM knob back as it was, whatever happens (drop runs on error and
    /// on the early return after Ctrl-C).
    struct Restore(Vec<(String, String)>);

    impl Drop for Restore {
        fn drop(&mut self) {
            // Stop ksmd first, then the tuning knobs: the reverse order of setting.
            for (knob, value) in self.0.iter().rev() {
                let _ = std::fs::write(format!("{DIR}/{knob}"), value);
            }
        }
    }

    /// Waits up to `patience` for an exclusive flock on [`DIR`]; `None` if it never came
    /// or the directory cannot be locked.
    fn ksm_turn(patience: Duration) -> Option<Flock<std::fs::File>> {
        let deadline = Instant::now() + patience;
        let mut dir = std::fs::File::open(DIR).ok()?;
        loop {
            match Flock::lock(dir, FlockArg::LockExclusiveNonblock) {
                Ok(lock) => return Some(lock),
                Err((back, nix::errno::Errno::EWOULDBLOCK)) if Instant::now() < deadline => {
                    dir = back;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(_) => return None,
            }
        }
    }

    pub fn run(lab: &Lab, e: &mut Experiment) -> Result<()> {
        // Both claims are made on every path, so that the claim list (and --json)
        // has the same shape with and without root.
        let unverifiable = |e: &mut Experiment, reason: &str| {
            for (statement, theory) in CLAIMS {
                e.claim(Claim::unverifiable(statement, theory, reason));
            }
        };
        if !std::path::Path::new(DIR).join("run").exists() {
            unverifiable(e, "this kernel has no KSM (/sys/kernel/mm/ksm)");
            return Ok(());
        }
        if !lab.inspector.privilege.pfns_visible {
            unverifiable(
                e,
                "starting KSM and seeing frames needs root; run with sudo",
            );
            return Ok(());
        }
        // Another vmlab run may be in the middle of this same experiment: it would save
        // our settings as "the old ones" (or restore its own under our feet), so the runs
        // take turns, holding an flock on the KSM directory itself (no lock file to
        // leave behind; the kernel drops the lock if the process dies).
        let Some(_turn) = ksm_turn(Duration::from_secs(30)) else {
            unverifiable(
                e,
                "another process held the KSM lock for 30 s (another vmlab run?)",
            );
            return Ok(());
        };
        let saved: Vec<(String, String)> = KNOBS
            .iter()
            .map(|(k, _)| {
                let v = std::fs::read_to_string(format!("{DIR}/{k}")).unwrap_or_default();
                (k.to_string(), v.trim().to_string())
            })
            .collect();
        if saved.iter().any(|(_, v)| v.is_empty()) {
            unverifiable(e, "the KSM settings could not be read");
            return Ok(());
        }
        let ps = lab.page_size() as usize;
        let mut mem = MmapOptions::new()
            .len(PAGES * ps)
            .map_anon()
            .map_err(err("mmap"))?;
        mem.fill(0x77);
        // SAFETY: advice on a mapping we own; it changes no memory.
        let rc =
            unsafe { libc::madvise(mem.as_mut_ptr().cast(), PAGES * ps, libc::MADV_MERGEABLE) };
        if rc != 0 {
            unverifiable(e, "madvise(MADV_MERGEABLE) was refused");
            return Ok(());
        }
        let va = mem.as_ptr() as u64;
        let me = std::process::id() as i32;
        let before = lab.pages(me, va, PAGES)?;

        INTERRUPTED.store(false, Ordering::SeqCst);
        let handler = nix::sys::signal::SigHandler::Handler(on_signal);
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let old_int =
            unsafe { nix::sys::signal::signal(nix::sys::signal::Signal::SIGINT, handler) };
        // SAFETY: as above.
        let old_term =
            unsafe { nix::sys::signal::signal(nix::sys::signal::Signal::SIGTERM, handler) };
        let started = Instant::now();
        // The result is kept until the handlers are back: an error (a refused knob, a
        // failed pagemap read) must not leave Ctrl-C caught for the rest of the run.
        let merged = (|| -> Result<Vec<PageRow>> {
            let _restore = Restore(saved.clone());
            for (k, v) in KNOBS {
                std::fs::write(format!("{DIR}/{k}"), v).map_err(|err| Error::Io {
                    path: format!("{DIR}/{k}").into(),
                    source: err,
                })?;
            }
            let deadline = started + Duration::from_secs(5);
            loop {
                let now = lab.pages(me, va, PAGES)?;
                let all_ksm = now
                    .iter()
                    .all(|r| r.flags.is_some_and(|f| f.has(flag::KSM)));
                if all_ksm || Instant::now() > deadline || INTERRUPTED.load(Ordering::SeqCst) {
                    return Ok(now);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })();
        let took = started.elapsed();
        // SAFETY: putting back the handlers that were there before.
        unsafe {
            if let Ok(h) = old_int {
                let _ = nix::sys::signal::signal(nix::sys::signal::Signal::SIGINT, h);
            }
            if let Ok(h) = old_term {
                let _ = nix::sys::signal::signal(nix::sys::signal::Signal::SIGTERM, h);
            }
        }
        let merged = merged?;
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(Error::Interrupted {
                detail: " (Ctrl-C or SIGTERM); the KSM settings were restored".into(),
            });
        }
        mem[0] = 0x78;
        let split = lab.page(me, va)?;
        let restored: Vec<String> = saved.iter().map(|(k, v)| format!("{k}={v}")).collect();
        e.show(
            format!(
                "(e) {PAGES} private pages with identical contents, marked MADV_MERGEABLE; KSM \
                 started for {} ms, then restored ({}). Then page 0 is written.",
                took.as_millis(),
                restored.join(", ")
            ),
            page_table(&[
                ("page 0 before".into(), &before[0]),
                ("page 1 before".into(), &before[1]),
                ("page 0 merged".into(), &merged[0]),
                ("page 1 merged".into(), &merged[1]),
                ("page 0 written".into(), &split),
            ]),
        );
        let merged_pfns: Option<Vec<u64>> = super::super::pfns(&merged);
        e.observe("ksm_merge_ms", took.as_millis() as u64);
        e.observe("ksm_merged_pfns", &merged_pfns);
        e.observe("ksm_split_pfn", split.pfn);
        let one_frame = merged_pfns
            .as_ref()
            .is_some_and(|p| p.iter().all(|&x| x == p[0]));
        let all_ksm = merged
            .iter()
            .all(|r| r.flags.is_some_and(|f| f.has(flag::KSM)));
        e.claim(Claim::check(
            CLAIMS[0].0,
            CLAIMS[0].1,
            format!(
                "{} distinct frame(s), KSM on {} of {PAGES}, after {} ms",
                merged_pfns.as_ref().map_or(0, |p| {
                    let mut d = p.clone();
                    d.sort_unstable();
                    d.dedup();
                    d.len()
                }),
                merged
                    .iter()
                    .filter(|r| r.flags.is_some_and(|f| f.has(flag::KSM)))
                    .count(),
                took.as_millis()
            ),
            one_frame && all_ksm,
        ));
        e.claim(Claim::check(
            CLAIMS[1].0,
            CLAIMS[1].1,
            format!(
                "{} (merged frame {}), KSM {}",
                super::super::pfn_text(&split),
                super::super::pfn_text(&merged[0]),
                split.flags.is_some_and(|f| f.has(flag::KSM)) as u8
            ),
            split.pfn.is_some()
                && split.pfn != merged[0].pfn
                && !split.flags.is_some_and(|f| f.has(flag::KSM))
                && split.exclusive,
        ));
        Ok(())
    }
}
