//! vm-cow: fork() and copy-on-write.
//!
//! Theory: fork() gives the child a copy of the parent's address space, but copying
//! every page would be slow and mostly wasted (the child often execs at once). So the
//! kernel copies the page *tables*, marks the private pages read-only in both, and
//! shares the frames. The first write to such a page faults; the kernel then copies
//! that one page into a new frame for the writer. Only written pages are copied.
//!
//! What we do: map N private pages and write each (so each has its own frame), fork,
//! and look at both processes' pagemaps; then the child writes K of the N pages and
//! we look again, and count the child's page faults.

use memmap2::MmapMut;

use super::{
    FRAMES_HIDDEN, Lab, PFNS_HIDDEN, agreement, hex_list, labelled, map_counts, minor_faults,
    page_table, pfns, prefault_stack,
};
use crate::child::Child;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Experiment};

/// Pages mapped, and how many of them the child writes.
const PAGES: usize = 8;
const WRITTEN: usize = 3;
const PARENT_BYTE: u8 = 0xAA;
const CHILD_BYTE: u8 = 0xCC;

pub fn run(lab: &Lab) -> Result<Experiment> {
    let mut e = lab.experiment(
        "cow",
        "fork() shares frames until someone writes",
        "After fork, parent and child map the same physical frames, read-only; the first write \
         to a page gives the writer a private copy of that page alone.",
    );
    let ps = lab.page_size() as usize;
    let mut mem =
        MmapMut::map_anon(PAGES * ps).map_err(|err| Error::Child(format!("mmap: {err}")))?;
    for p in 0..PAGES {
        mem[p * ps] = PARENT_BYTE;
    }
    let va = mem.as_ptr() as u64;
    let me = std::process::id() as i32;
    let before = lab.pages(me, va, PAGES)?;
    e.show(
        format!(
            "The parent maps {PAGES} private anonymous pages at {va:#x} and writes each, so each \
             has a frame of its own (exclusive, map count 1)."
        ),
        page_table(&labelled("parent", &before)),
    );

    let base = mem.as_mut_ptr() as usize;
    let mut child = Child::spawn(move |chan| {
        chan.send(&[]);
        chan.recv(); // "write now"
        // Count only the copy-on-write faults of the data pages. Two other kinds of
        // fault would otherwise land in the count: the first write to each stack page
        // (the stack is copy-on-write too), and the first run of each code page (fork
        // does not copy the page-table entries of file mappings such as the program's
        // text; the child faults them in as it goes). So touch the stack, then run the
        // very same measuring code once on pages the child already owns.
        prefault_stack();
        let Ok(mut scratch) = MmapMut::map_anon(WRITTEN * ps) else {
            return 1;
        };
        scratch.fill(1);
        let warmup = write_pages_counting_faults(scratch.as_mut_ptr() as usize, ps);
        let faults = write_pages_counting_faults(base, ps);
        chan.send(&[faults, warmup]);
        chan.recv(); // "you may exit"
        0
    })?;
    child.recv()?;
    let cpid = child.pid();
    let parent_shared = lab.pages(me, va, PAGES)?;
    let child_shared = lab.pages(cpid, va, PAGES)?;
    let mut rows = labelled("parent", &parent_shared);
    rows.extend(labelled("child", &child_shared));
    e.show(
        format!("fork(): child {cpid} has the same addresses. Before anyone writes:"),
        page_table(&rows),
    );

    child.send(&[])?;
    let reply = child.recv()?;
    let child_faults = reply.first().copied().unwrap_or(0);
    let warmup_faults = reply.get(1).copied().unwrap_or(0);
    let parent_after = lab.pages(me, va, PAGES)?;
    let child_after = lab.pages(cpid, va, PAGES)?;
    let parent_bytes: Vec<u8> = (0..PAGES).map(|p| mem[p * ps]).collect();
    child.send(&[])?;
    child.wait()?;
    let mut rows = labelled("parent", &parent_after);
    rows.extend(labelled("child", &child_after));
    e.show(
        format!(
            "The child writes the first {WRITTEN} of the {PAGES} pages ({child_faults} page \
             faults, from getrusage; the same writes to pages it already owned: \
             {warmup_faults}). Now:"
        ),
        page_table(&rows),
    );

    e.observe("va", format!("{va:#x}"));
    e.observe("child_pid", cpid);
    e.observe("pages", PAGES);
    e.observe("written", WRITTEN);
    e.observe("parent_pfns_before_fork", pfns(&before));
    e.observe("parent_pfns_after_fork", pfns(&parent_shared));
    e.observe("child_pfns_after_fork", pfns(&child_shared));
    e.observe("parent_pfns_after_write", pfns(&parent_after));
    e.observe("child_pfns_after_write", pfns(&child_after));
    e.observe("map_counts_after_fork", map_counts(&parent_shared));
    e.observe("child_minor_faults", child_faults);
    e.observe("child_warmup_faults", warmup_faults);

    // 1. Same frames after fork.
    let shared_pairs = pfns(&parent_shared).zip(pfns(&child_shared));
    e.claim(Claim::check_if(
        "after fork, parent and child map the same frames",
        "same PFN in both",
        shared_pairs.as_ref(),
        |(p, c)| (agreement(p, c), p == c),
        PFNS_HIDDEN,
    ));
    // 2. Exclusive bit cleared: visible without privilege.
    let excl_after_fork = parent_shared
        .iter()
        .chain(&child_shared)
        .filter(|r| r.exclusive)
        .count();
    e.claim(Claim::check(
        "after fork, no shared page is exclusively mapped",
        "exclusive = no, in both",
        format!("{excl_after_fork} of {} pages exclusive", 2 * PAGES),
        excl_after_fork == 0,
    ));
    // 3. Map count 2.
    e.claim(Claim::check_if(
        "each shared frame is mapped twice",
        "map count 2",
        map_counts(&parent_shared),
        |c| {
            let twos = c.iter().filter(|&&n| n == 2).count();
            (
                format!("{twos} of {} frames have map count 2", c.len()),
                twos == c.len(),
            )
        },
        FRAMES_HIDDEN,
    ));
    // 4. The child's written pages got new frames; the others are still shared.
    let split = pfns(&before).zip(pfns(&child_after));
    e.claim(Claim::check_if(
        "the child's write gives it new frames, only for the written pages",
        &format!("{WRITTEN} new PFNs, {} unchanged", PAGES - WRITTEN),
        split.as_ref(),
        |(old, new)| {
            let changed: Vec<usize> = (0..PAGES).filter(|&i| old[i] != new[i]).collect();
            (
                format!("pages {changed:?} moved to new frames"),
                changed == (0..WRITTEN).collect::<Vec<_>>(),
            )
        },
        PFNS_HIDDEN,
    ));
    // 5. Without PFNs the exclusive bit tells the same story.
    let excl: Vec<bool> = child_after.iter().map(|r| r.exclusive).collect();
    let expect: Vec<bool> = (0..PAGES).map(|i| i < WRITTEN).collect();
    e.claim(Claim::check(
        "the child's copies are its own; the unwritten pages are still shared",
        &format!("exclusive for the {WRITTEN} written pages only"),
        format!(
            "exclusive: {}",
            excl.iter()
                .map(|&x| if x { "y" } else { "n" })
                .collect::<String>()
        ),
        excl == expect,
    ));
    // 6. The parent kept its frames and data.
    e.claim(Claim::check_if(
        "the parent keeps its frames",
        "parent PFNs unchanged by the child's write",
        pfns(&before).zip(pfns(&parent_after)).as_ref(),
        |(b, a)| (agreement(b, a), b == a),
        PFNS_HIDDEN,
    ));
    e.claim(Claim::check(
        "the parent's data is unchanged",
        &format!("every page still holds {PARENT_BYTE:#x}"),
        format!(
            "parent reads {}",
            hex_list(&parent_bytes.iter().map(|&b| b as u64).collect::<Vec<_>>())
        ),
        parent_bytes.iter().all(|&b| b == PARENT_BYTE),
    ));
    // 7. One fault per copied page.
    e.claim(Claim::check(
        "copying happens on write faults, one per written page",
        &format!("{WRITTEN} minor faults"),
        format!("{child_faults} minor faults in the child"),
        child_faults as usize == WRITTEN,
    ));
    drop(mem);
    Ok(e)
}

/// Writes [`CHILD_BYTE`] to the first [`WRITTEN`] pages at `base` and returns the minor
/// faults that took. Not inlined, so that the warm-up run and the measured run execute
/// the same instructions.
#[inline(never)]
fn write_pages_counting_faults(base: usize, page_size: usize) -> u64 {
    let before = minor_faults();
    for p in 0..WRITTEN {
        // SAFETY: callers pass a mapping of at least WRITTEN pages that this
        // (single-threaded) process may write.
        unsafe { std::ptr::write_volatile((base + p * page_size) as *mut u8, CHILD_BYTE) };
    }
    minor_faults() - before
}
