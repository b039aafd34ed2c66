//! vm-demand: demand paging: frames on first touch.
//!
//! Theory: `mmap` only reserves a range of *virtual* addresses: the kernel writes down
//! "this range is anonymous memory" (a VMA) and fills no page-table entry. The first
//! access to each page faults; the fault handler then finds a free frame, zeroes it and
//! maps it. So a program can map far more than it will ever use and pay RAM only for the
//! pages it touches, one page fault per page. `MAP_POPULATE` asks for the opposite: take
//! all the faults inside `mmap`, so that later accesses do not fault. And since mapping
//! costs no RAM, the kernel will even map more address space than the machine has RAM,
//! if asked not to reserve swap for it (`MAP_NORESERVE`).
//!
//! What we do: a forked child maps 1 GiB of private anonymous memory while the parent
//! watches its `VmSize`/`VmRSS` (`/proc/<pid>/status`), the region's `Rss` (smaps) and its
//! pagemap; the child then writes one byte to N scattered pages and counts its own page
//! faults (getrusage), and the parent checks that exactly those N pages became present,
//! each with a frame of its own. Then the child maps a small region twice, once plainly
//! and once with `MAP_POPULATE`, and counts the faults of the `mmap` call and of the
//! first writes; last it maps twice the machine's RAM with `MAP_NORESERVE`.

use std::num::NonZeroUsize;

use nix::sys::mman::{MapFlags, MmapAdvise, ProtFlags, madvise, mmap_anonymous, munmap};

use super::{
    Lab, PFNS_HIDDEN, hex_list, meminfo_bytes, minor_faults, prefault_stack, setting, status_bytes,
    write_pages_counting_faults,
};
use crate::child::Child;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment, Table};
use crate::pagemap::Pagemap;

/// The big mapping: 1 GiB.
const BIG: u64 = 1 << 30;
/// Pages of it the child writes.
const TOUCHED: usize = 32;
/// The small region mapped plainly and with MAP_POPULATE: 1 MiB at 4 KiB pages, less
/// than one 2 MiB huge page, so no huge page can stand in for the base pages.
const SMALL_BYTES: u64 = 1 << 20;
/// How much `VmRSS` may move while the child maps 1 GiB without touching it: the
/// child allocates nothing meanwhile, so anything beyond a few pages would mean the
/// kernel gave the mapping frames. 1 MiB = 1/1024 of the mapping.
const RSS_NOISE: u64 = 1 << 20;
/// Extra faults tolerated over the predicted count (a stack or heap page of the child
/// touched for the first time during the measurement).
const FAULT_SLACK: u64 = 2;

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "demand",
        "demand paging: frames on first touch",
        "mmap reserves addresses, not memory: a page gets a frame at its first access, one \
         page fault per page; MAP_POPULATE takes those faults up front, and MAP_NORESERVE \
         can map more than the machine's RAM.",
    );
    let ps = lab.page_size();
    let big_pages = BIG / ps;
    let small_pages = SMALL_BYTES / ps;
    // Scattered pages of the 1 GiB: one every 32 MiB, each a few pages further into
    // its stretch so that they do not all sit at the same page-table index.
    let stride = big_pages / TOUCHED as u64;
    let touched: Vec<u64> = (0..TOUCHED as u64)
        .map(|i| i * stride + (i * 7) % stride)
        .collect();
    let thp = setting("/sys/kernel/mm/transparent_hugepage/enabled");
    let overcommit = setting("/proc/sys/vm/overcommit_memory");
    let ram = meminfo_bytes("MemTotal")?;
    let swap = meminfo_bytes("SwapTotal").unwrap_or(0);
    // Twice RAM + swap, rounded up to a whole GiB.
    let huge = (2 * (ram + swap)).div_ceil(1 << 30) << 30;

    let child_touched = touched.clone();
    let mut child = Child::spawn(move |chan| child_body(chan, ps, &child_touched))?;
    let cpid = child.pid();
    let hello = child.recv()?;
    let thp_disabled = hello.first() == Some(&1);

    // 1. Map 1 GiB.
    let size_before = status_bytes(cpid, "VmSize")?;
    let rss_before = status_bytes(cpid, "VmRSS")?;
    child.send(&[])?;
    let reply = child.recv()?;
    let base = match reply.as_slice() {
        [1, addr] => *addr,
        [_, errno, ..] => {
            return Err(Error::Child(format!(
                "mmap of 1 GiB failed in the child: {}",
                nix::errno::Errno::from_raw(*errno as i32)
            )));
        }
        _ => return Err(Error::Child("the child sent no address".into())),
    };
    let size_after = status_bytes(cpid, "VmSize")?;
    let rss_after = status_bytes(cpid, "VmRSS")?;
    let region_rss_untouched = region_rss(cpid, base, BIG)?;
    let present_untouched = present_pages(cpid, base, big_pages, ps)?;
    e.show(
        format!(
            "Child {cpid} maps 1 GiB of private anonymous memory at {base:#x}. (It first turned \
             transparent huge pages off for itself with prctl(PR_SET_THP_DISABLE){}, and marks \
             the mapping MADV_NOHUGEPAGE, so that each fault maps one {} KiB page as in the \
             textbook; THP is `{}` here and vm-hugepages shows the other case.)",
            if thp_disabled { "" } else { ", which failed" },
            ps / 1024,
            thp.as_deref().unwrap_or("unknown"),
        ),
        status_table(&[
            ("before mmap", size_before, rss_before, None, None),
            (
                "after mmap",
                size_after,
                rss_after,
                region_rss_untouched,
                Some(present_untouched.len()),
            ),
        ]),
    );

    // 2. Touch N pages.
    child.send(&[])?;
    let reply = child.recv()?;
    let (faults, warmup) = (word(&reply, 0)?, word(&reply, 1)?);
    let rss_touched = status_bytes(cpid, "VmRSS")?;
    let region_rss_touched = region_rss(cpid, base, BIG)?;
    let present_touched = present_pages(cpid, base, big_pages, ps)?;
    let rows = touched
        .iter()
        .map(|&i| lab.page(cpid, base + i * ps))
        .collect::<Result<Vec<_>>>()?;
    let mut t = Table::new(&["page index", "VA", "state", "PFN"]);
    for (i, r) in touched.iter().zip(&rows).take(6) {
        t.row(vec![
            i.to_string(),
            format!("{:#x}", r.va.0),
            r.state.as_str().into(),
            super::pfn_text(r),
        ]);
    }
    t.row(vec![
        format!("... {} more", TOUCHED.saturating_sub(6)),
        String::new(),
        String::new(),
        String::new(),
    ]);
    e.show(
        format!(
            "The child writes one byte to {TOUCHED} pages, one every {} MiB. getrusage counts \
             {faults} minor faults (the same code writing pages it already had: {warmup}). \
             The pagemap of the whole 1 GiB now shows {} present pages; smaps Rss of the \
             region is {}, VmRSS went from {} KiB to {} KiB.",
            (stride * ps) >> 20,
            present_touched.len(),
            kib(region_rss_touched),
            rss_after / 1024,
            rss_touched / 1024,
        ),
        t,
    );

    // 3. Plain mapping vs MAP_POPULATE.
    child.send(&[])?;
    let reply = child.recv()?;
    let (plain, populated) = (word(&reply, 0)?, word(&reply, 1)?);
    let (plain_map_faults, pop_map_faults) = (word(&reply, 2)?, word(&reply, 3)?);
    let plain_present = present_pages(cpid, plain, small_pages, ps)?.len();
    let pop_present = present_pages(cpid, populated, small_pages, ps)?.len();
    child.send(&[])?;
    let reply = child.recv()?;
    let (plain_touch_faults, pop_touch_faults) = (word(&reply, 0)?, word(&reply, 1)?);
    let mut t = Table::new(&[
        "mapping",
        "faults in mmap()",
        "present after mmap",
        "faults writing every page",
    ]);
    for (name, mf, pr, tf) in [
        ("plain", plain_map_faults, plain_present, plain_touch_faults),
        (
            "MAP_POPULATE",
            pop_map_faults,
            pop_present,
            pop_touch_faults,
        ),
    ] {
        t.row(vec![
            name.into(),
            mf.to_string(),
            format!("{pr} of {small_pages}"),
            tf.to_string(),
        ]);
    }
    e.show(
        format!(
            "The child maps {} KiB ({small_pages} pages) twice, plainly and with MAP_POPULATE, \
             then writes every page of both:",
            SMALL_BYTES / 1024
        ),
        t,
    );

    // 4. More than RAM, with MAP_NORESERVE.
    let strict = overcommit.as_deref() == Some("2");
    let as_limit = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_AS)
        .map(|(soft, _)| soft)
        .unwrap_or(libc::RLIM_INFINITY);
    let limited = as_limit != libc::RLIM_INFINITY && as_limit < huge + size_after;
    let noreserve = if strict || limited {
        None
    } else {
        let size_before = status_bytes(cpid, "VmSize")?;
        let rss_before = status_bytes(cpid, "VmRSS")?;
        child.send(&[huge])?;
        let reply = child.recv()?;
        let ok = word(&reply, 0)? == 1;
        let size_after = status_bytes(cpid, "VmSize")?;
        let rss_after = status_bytes(cpid, "VmRSS")?;
        let errno = if ok { 0 } else { word(&reply, 1)? };
        Some(NoReserve {
            ok,
            errno,
            size_growth: size_after.saturating_sub(size_before),
            rss_before,
            rss_after,
        })
    };
    if noreserve.is_none() {
        child.send(&[0])?;
        child.recv()?;
    }
    child.send(&[])?;
    child.wait()?;
    if let Some(n) = &noreserve {
        e.say(format!(
            "The machine has {} MiB of RAM and {} MiB of swap (/proc/meminfo); \
             vm.overcommit_memory is {}. The child maps {} GiB with MAP_NORESERVE: {}.",
            ram >> 20,
            swap >> 20,
            overcommit.as_deref().unwrap_or("unknown"),
            huge >> 30,
            if n.ok {
                format!(
                    "mmap succeeds, VmSize grows by {} GiB, VmRSS goes from {} KiB to {} KiB",
                    n.size_growth >> 30,
                    n.rss_before / 1024,
                    n.rss_after / 1024
                )
            } else {
                format!(
                    "mmap fails with {}",
                    nix::errno::Errno::from_raw(n.errno as i32)
                )
            }
        ));
    }

    let touched_pfns: Option<Vec<u64>> = super::pfns(&rows);
    e.observe("child_pid", cpid);
    e.observe("page_size", ps);
    e.observe("big_bytes", BIG);
    e.observe("big_va", format!("{base:#x}"));
    e.observe("thp_enabled", &thp);
    e.observe("thp_disabled_in_child", thp_disabled);
    e.observe("vm_size_growth", size_after.saturating_sub(size_before));
    e.observe("vm_rss_before_map", rss_before);
    e.observe("vm_rss_after_map", rss_after);
    e.observe("region_rss_untouched", region_rss_untouched);
    e.observe("present_untouched", present_untouched.len());
    e.observe("touched_indices", &touched);
    e.observe("present_indices", &present_touched);
    e.observe("touch_faults", faults);
    e.observe("touch_warmup_faults", warmup);
    e.observe("vm_rss_after_touch", rss_touched);
    e.observe("region_rss_touched", region_rss_touched);
    e.observe("touched_pfns", &touched_pfns);
    e.observe("small_pages", small_pages);
    e.observe("plain_mmap_faults", plain_map_faults);
    e.observe("plain_present_after_mmap", plain_present);
    e.observe("plain_touch_faults", plain_touch_faults);
    e.observe("populate_mmap_faults", pop_map_faults);
    e.observe("populate_present_after_mmap", pop_present);
    e.observe("populate_touch_faults", pop_touch_faults);
    e.observe("overcommit_memory", &overcommit);
    e.observe("ram_bytes", ram);
    e.observe("swap_bytes", swap);
    e.observe("noreserve_bytes", huge);
    e.observe("noreserve_mapped", noreserve.as_ref().map(|n| n.ok));
    e.observe(
        "noreserve_vm_size_growth",
        noreserve.as_ref().map(|n| n.size_growth),
    );

    // Claims.
    let growth = size_after.saturating_sub(size_before);
    e.claim(Claim::check(
        "mapping 1 GiB adds 1 GiB of virtual address space",
        "VmSize grows by 1 GiB",
        format!("VmSize grew by {} KiB", growth / 1024),
        growth == BIG,
    ));
    let rss_moved = rss_after.abs_diff(rss_before);
    e.claim(unless_merged(
        region_rss_untouched.is_some(),
        Claim::check(
            "mapping 1 GiB costs (almost) no RAM",
            "VmRSS moves by less than 1 MiB; the region's Rss is 0",
            format!(
                "VmRSS {} → {} KiB; region Rss {}",
                rss_before / 1024,
                rss_after / 1024,
                kib(region_rss_untouched)
            ),
            rss_moved < RSS_NOISE && region_rss_untouched == Some(0),
        ),
    ));
    e.claim(Claim::check(
        "no page of a new mapping is present before it is touched",
        &format!("0 of {big_pages} pages present in pagemap"),
        format!("{} of {big_pages} present", present_untouched.len()),
        present_untouched.is_empty(),
    ));
    e.claim(Claim::check(
        "touching N pages takes about N page faults",
        &format!("{TOUCHED} minor faults (up to {FAULT_SLACK} more tolerated)"),
        format!("{faults} minor faults"),
        (TOUCHED as u64..=TOUCHED as u64 + FAULT_SLACK).contains(&faults),
    ));
    e.claim(Claim::check(
        "exactly the touched pages become present",
        &format!("the {TOUCHED} touched pages, no other"),
        format!(
            "{} present; same set as touched: {}",
            present_touched.len(),
            if present_touched == touched {
                "yes"
            } else {
                "no"
            }
        ),
        present_touched == touched,
    ));
    e.claim(unless_merged(
        region_rss_touched.is_some(),
        Claim::check(
            "the region's resident size is exactly the touched pages",
            &format!("smaps Rss = {TOUCHED} x {} KiB", ps / 1024),
            format!("Rss {}", kib(region_rss_touched)),
            region_rss_touched == Some(TOUCHED as u64 * ps),
        ),
    ));
    e.claim(Claim::check_if(
        "each touched page got a frame of its own",
        &format!("{TOUCHED} distinct PFNs"),
        touched_pfns.as_ref(),
        |p| {
            let mut d: Vec<u64> = p.to_vec();
            d.sort_unstable();
            d.dedup();
            (
                format!("{} distinct PFNs: {}", d.len(), hex_list(p)),
                d.len() == TOUCHED && !d.contains(&0),
            )
        },
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check(
        "a plain mapping takes its faults when the pages are first written",
        &format!("0 faults in mmap, 0 present, then {small_pages} faults"),
        format!(
            "{plain_map_faults} faults in mmap, {plain_present} present, then \
             {plain_touch_faults} faults"
        ),
        plain_map_faults == 0
            && plain_present == 0
            && (small_pages..=small_pages + FAULT_SLACK).contains(&plain_touch_faults),
    ));
    e.claim(Claim::check(
        "MAP_POPULATE moves the faults into mmap",
        &format!(
            "{small_pages} faults inside mmap, all present when it returns, 0 faults writing them"
        ),
        format!(
            "{pop_map_faults} faults in mmap, {pop_present} present, then {pop_touch_faults} \
             faults"
        ),
        pop_present as u64 == small_pages
            && pop_touch_faults == 0
            && (small_pages..=small_pages + FAULT_SLACK).contains(&pop_map_faults),
    ));
    let statement = "a MAP_NORESERVE mapping larger than RAM succeeds";
    let theory = "mmap of twice RAM + swap succeeds; VmSize grows by it, VmRSS does not";
    match &noreserve {
        Some(n) => e.claim(Claim::check(
            statement,
            theory,
            if n.ok {
                format!(
                    "{} GiB mapped (RAM {} GiB); VmSize +{} GiB, VmRSS {} → {} KiB",
                    huge >> 30,
                    ram >> 30,
                    n.size_growth >> 30,
                    n.rss_before / 1024,
                    n.rss_after / 1024
                )
            } else {
                format!(
                    "mmap failed: {}",
                    nix::errno::Errno::from_raw(n.errno as i32)
                )
            },
            n.ok && n.size_growth == huge && n.rss_after.abs_diff(n.rss_before) < RSS_NOISE,
        )),
        None if strict => e.claim(Claim::unverifiable(
            statement,
            theory,
            "vm.overcommit_memory is 2 (strict accounting): the kernel ignores MAP_NORESERVE \
             and refuses any private writable mapping beyond CommitLimit",
        )),
        None => e.claim(Claim::unverifiable(
            statement,
            theory,
            &format!(
                "the address-space limit (RLIMIT_AS = {as_limit} bytes) is smaller than the \
                 mapping"
            ),
        )),
    }
    Ok(e)
}

struct NoReserve {
    ok: bool,
    errno: u64,
    size_growth: u64,
    rss_before: u64,
    rss_after: u64,
}

/// The child: waits for each "go", does one step, reports, and unmaps all at the end.
fn child_body(chan: &mut crate::child::Channel, ps: u64, touched: &[u64]) -> i32 {
    // SAFETY: prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) only sets a flag of this process.
    let thp_off = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } == 0;
    prefault_stack();
    let rw = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    let private = MapFlags::MAP_PRIVATE;
    // Warm-up: the very code that measures, run on pages the child already owns, so that
    // its own code and data pages are faulted in before the measured run.
    let Ok(scratch) = map(TOUCHED as u64 * ps, rw, private) else {
        return 1;
    };
    let scratch_idx: Vec<u64> = (0..TOUCHED as u64).collect();
    write_pages_counting_faults(scratch, &scratch_idx, ps);
    chan.send(&[thp_off as u64]);

    chan.recv();
    let big = match map(BIG, rw, private) {
        Ok(p) => p,
        Err(errno) => {
            chan.send(&[0, errno as u64]);
            return 2;
        }
    };
    // A second guard against huge pages, which also gives the mapping flags of its own:
    // the kernel then cannot merge it with a neighbouring anonymous mapping (such as
    // `scratch`) into one region, whose smaps Rss would count the neighbour's pages too.
    advise_nohugepage(big, BIG);
    chan.send(&[1, big as u64]);

    chan.recv();
    let warmup = write_pages_counting_faults(scratch, &scratch_idx, ps);
    let faults = write_pages_counting_faults(big, touched, ps);
    chan.send(&[faults, warmup]);

    chan.recv();
    let small = SMALL_BYTES;
    let before = minor_faults();
    let plain = map(small, rw, private);
    let plain_faults = minor_faults() - before;
    let before = minor_faults();
    let populated = map(small, rw, private | MapFlags::MAP_POPULATE);
    let pop_faults = minor_faults() - before;
    let (Ok(plain), Ok(populated)) = (plain, populated) else {
        return 3;
    };
    chan.send(&[plain as u64, populated as u64, plain_faults, pop_faults]);

    chan.recv();
    let all: Vec<u64> = (0..small / ps).collect();
    let plain_touch = write_pages_counting_faults(plain, &all, ps);
    let pop_touch = write_pages_counting_faults(populated, &all, ps);
    chan.send(&[plain_touch, pop_touch]);

    let huge = chan.recv().first().copied().unwrap_or(0);
    let mut noreserve = None;
    if huge > 0 {
        match map(huge, rw, private | MapFlags::MAP_NORESERVE) {
            Ok(p) => {
                noreserve = Some(p);
                chan.send(&[1]);
            }
            Err(errno) => chan.send(&[0, errno as u64]),
        }
    } else {
        chan.send(&[]);
    }

    chan.recv();
    unmap(scratch, TOUCHED as u64 * ps);
    unmap(big, BIG);
    unmap(plain, small);
    unmap(populated, small);
    if let Some(p) = noreserve {
        unmap(p, huge);
    }
    0
}

/// mmap of anonymous memory; the address, or the errno.
fn map(len: u64, prot: ProtFlags, flags: MapFlags) -> std::result::Result<usize, i32> {
    let len = NonZeroUsize::new(len as usize).ok_or(libc::EINVAL)?;
    // SAFETY: a fresh anonymous mapping at an address the kernel chooses: it overlaps
    // nothing of ours; it is used only through the address returned.
    unsafe { mmap_anonymous(None, len, prot, flags) }
        .map(|p| p.as_ptr() as usize)
        .map_err(|e| e as i32)
}

fn advise_nohugepage(addr: usize, len: u64) {
    if let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) {
        // SAFETY: the range is a mapping made by `map`; the advice changes no contents.
        let _ = unsafe { madvise(p, len as usize, MmapAdvise::MADV_NOHUGEPAGE) };
    }
}

/// The smaps Rss of the region of process `pid` that starts at `start`, if that region
/// is exactly `len` bytes long (`None` if the kernel merged it with a neighbour, in
/// which case its Rss would not be the mapping's alone).
pub(crate) fn region_rss(pid: i32, start: u64, len: u64) -> Result<Option<u64>> {
    let region = super::region_at(pid, start)?;
    let exact = region.start.0 == start && region.size() == len;
    Ok(exact.then(|| region.usage.map(|u| u.rss)).flatten())
}

fn unmap(addr: usize, len: u64) {
    if let Some(p) = std::ptr::NonNull::new(addr as *mut std::ffi::c_void) {
        // SAFETY: `addr` and `len` describe a mapping made by `map` and not used after.
        let _ = unsafe { munmap(p, len as usize) };
    }
}

/// Indices (from `base`) of the present pages among `count` pages of process `pid`,
/// read from its pagemap in batches.
fn present_pages(pid: i32, base: u64, count: u64, ps: u64) -> Result<Vec<u64>> {
    let pm = Pagemap::open(pid)?;
    let first = base / ps;
    let mut present = Vec::new();
    pm.scan(first, first + count, |vpn, batch| {
        for (k, entry) in batch.iter().enumerate() {
            if entry.present() {
                present.push(vpn + k as u64 - first);
            }
        }
        Ok(true)
    })?;
    Ok(present)
}

fn word(reply: &[u64], i: usize) -> Result<u64> {
    reply
        .get(i)
        .copied()
        .ok_or_else(|| Error::Child(format!("the child's reply {reply:?} is too short")))
}

/// Why a claim on a mapping's smaps Rss cannot be decided.
pub(crate) const MERGED: &str = "the kernel merged the mapping with a neighbouring region, \
     so smaps cannot give the mapping's Rss alone";

/// `claim`, or Unverifiable([`MERGED`]) when the mapping's own Rss is not `known`.
pub(crate) fn unless_merged(known: bool, claim: Claim) -> Claim {
    if known {
        claim
    } else {
        Claim::unverifiable(&claim.statement, &claim.theory, MERGED)
    }
}

/// A size in KiB, or why smaps cannot give the mapping's own.
pub(crate) fn kib(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) => format!("{} KiB", b / 1024),
        None => "unknown (merged with a neighbouring region)".into(),
    }
}

type StatusRow<'a> = (&'a str, u64, u64, Option<u64>, Option<usize>);

fn status_table(rows: &[StatusRow]) -> Table {
    let mut t = Table::new(&[
        "when",
        "VmSize",
        "VmRSS",
        "region Rss (smaps)",
        "present pages (pagemap)",
    ]);
    for (when, size, rss, region, present) in rows {
        t.row(vec![
            when.to_string(),
            format!("{} KiB", size / 1024),
            format!("{} KiB", rss / 1024),
            if present.is_some() {
                kib(*region)
            } else {
                "-".into()
            },
            present.map_or("-".into(), |p| p.to_string()),
        ]);
    }
    t
}
