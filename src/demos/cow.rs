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
    page_table, pfns,
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
        let faults_before = minor_faults();
        for p in 0..WRITTEN {
            // SAFETY: page p lies inside the mapping the child inherited from the
            // parent; the child is single-threaded and the only writer here.
            unsafe { std::ptr::write_volatile((base + p * ps) as *mut u8, CHILD_BYTE) };
        }
        let faults = minor_faults() - faults_before;
        chan.send(&[faults]);
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
             faults, from getrusage). Now:"
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
