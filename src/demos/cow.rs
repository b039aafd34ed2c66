//! vm-cow: fork() and copy-on-write.
//!
//! Theory: fork() gives the child a copy of the parent's address space, but copying
//! every page would be slow and mostly wasted (the child often execs at once). So the
//! kernel copies the page *tables*, marks the private pages read-only in both, and
//! shares the frames. The first write to such a page faults; the kernel then copies
//! that one page into a new frame for the writer. Only written pages are copied.
//!
//! What we do: map N private pages and write each (so each has its own frame), fork,
//! and look at both processes' pagemaps. The child writes K of the N pages (and then
//! again), and we look again and count its page faults. Then the parent writes the
//! same K pages: its entries were write-protected too, so it faults once per page,
//! but nobody else maps those frames any more, so the kernel lets it keep them.
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the
//! record alone.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::page::{Page, agreement, frames, hex_list, labelled, map_counts, page_table};
use super::{Lab, prefault_stack, region_at, write_pages_counting_faults};
use crate::addr::VirtAddr;
use crate::child::{Channel, Child};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Experiment, Step};
use crate::{claim, tr};

/// Pages mapped, and how many of them are written after fork.
const PAGES: usize = 8;
const WRITTEN: usize = 3;
const PARENT_BYTE: u8 = 0xAA;

/// Everything vm-cow saw: the pages of both processes at each moment, the faults
/// each write took, and the region's permissions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub va: VirtAddr,
    pub pages: usize,
    /// The pages written after fork, by the child and then by the parent: 0..written.
    pub written: usize,
    pub child_pid: i32,
    /// The parent's pages after it wrote each one, before fork.
    pub before_fork: Vec<Page>,
    /// Both processes' pages after fork, before anyone writes.
    pub parent_after_fork: Vec<Page>,
    pub child_after_fork: Vec<Page>,
    /// The region's permissions in the parent's `/proc/<pid>/maps` after fork.
    pub perms_after_fork: Evidence<String>,
    /// The child's page faults writing the pages, as reported over the pipe.
    pub child_faults: Evidence<WriteFaults>,
    /// Both processes' pages after the child wrote.
    pub parent_after_child_write: Vec<Page>,
    pub child_after_child_write: Vec<Page>,
    /// The first byte of each of the parent's pages after the child wrote.
    pub parent_bytes: Vec<u8>,
    /// The parent's page faults writing the same pages afterwards.
    pub parent_faults: WriteFaults,
    /// The parent's pages after its own write.
    pub parent_after_own_write: Vec<Page>,
}

/// Minor faults counted around one round of writes (getrusage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteFaults {
    /// The first write to each page.
    pub first: u64,
    /// The same writes again, at once.
    pub again: u64,
    /// The same writes to fresh pages the writer already owned, first: a warm-up that
    /// takes the faults of the measuring code itself (in a child of fork, its first
    /// run faults its code page in), so that `first` counts only the data pages.
    pub warmup: u64,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("cow", tr!("cow-title"), tr!("cow-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Maps the pages, forks, and lets first the child, then the parent write.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size() as usize;
    let mut mem =
        MmapMut::map_anon(PAGES * ps).map_err(|err| Error::Child(format!("mmap: {err}")))?;
    for p in 0..PAGES {
        mem[p * ps] = PARENT_BYTE;
    }
    let va = mem.as_ptr() as u64;
    let me = std::process::id() as i32;
    let before_fork = lab.snapshot(me, va, PAGES)?;
    let base = mem.as_mut_ptr() as usize;
    let mut child = Child::spawn(move |chan| child_body(chan, base, ps))?;
    child.recv()?; // ready
    let cpid = child.pid();
    let parent_after_fork = lab.snapshot(me, va, PAGES)?;
    let child_after_fork = lab.snapshot(cpid, va, PAGES)?;
    let perms_after_fork = Evidence::from_option(region_at(me, va).ok(), || {
        tr!("cow-region-unreadable", va = VirtAddr(va).hex())
    })
    .map(|r| r.perms.to_string());
    child.send(&[])?; // "write now"
    let child_faults = faults_from(&child.recv()?);
    let parent_after_child_write = lab.snapshot(me, va, PAGES)?;
    let child_after_child_write = lab.snapshot(cpid, va, PAGES)?;
    let parent_bytes = (0..PAGES).map(|p| mem[p * ps]).collect();
    let parent_faults = count_writes(base, ps as u64);
    let parent_after_own_write = lab.snapshot(me, va, PAGES)?;
    child.send(&[])?; // "you may exit"
    child.wait()?;
    Ok(Observation {
        va: VirtAddr(va),
        pages: PAGES,
        written: WRITTEN,
        child_pid: cpid,
        before_fork,
        parent_after_fork,
        child_after_fork,
        perms_after_fork,
        child_faults,
        parent_after_child_write,
        child_after_child_write,
        parent_bytes,
        parent_faults,
        parent_after_own_write,
    })
}

/// The child: say it is ready, wait, write the first [`WRITTEN`] pages (twice), and
/// report the faults.
fn child_body(chan: &mut Channel, base: usize, ps: usize) -> i32 {
    chan.send(&[]);
    chan.recv(); // "write now"
    let f = count_writes(base, ps as u64);
    chan.send(&[f.first, f.again, f.warmup]);
    chan.recv(); // "you may exit"
    0
}

/// Writes the first [`WRITTEN`] pages at `base` twice and counts the faults of each
/// round, after a warm-up round on fresh pages of the writer's own.
///
/// Two other kinds of fault would otherwise land in the count: the first write to
/// each stack page after fork (the stack is copy-on-write too), and the first run of
/// each code page (fork does not copy the page-table entries of file mappings such as
/// the program's text). So touch the stack, then run the very same measuring code
/// once on pages already owned. Plain memory writes and getrusage: fit for a child of
/// fork().
fn count_writes(base: usize, ps: u64) -> WriteFaults {
    prefault_stack();
    let indices: Vec<u64> = (0..WRITTEN as u64).collect();
    let warmup = match MmapMut::map_anon(WRITTEN * ps as usize) {
        Ok(mut own) => {
            own.fill(1);
            write_pages_counting_faults(own.as_mut_ptr() as usize, &indices, ps)
        }
        Err(_) => u64::MAX,
    };
    let first = write_pages_counting_faults(base, &indices, ps);
    let again = write_pages_counting_faults(base, &indices, ps);
    WriteFaults {
        first,
        again,
        warmup,
    }
}

fn faults_from(reply: &[u64]) -> Evidence<WriteFaults> {
    match *reply {
        [first, again, warmup] if warmup != u64::MAX => Evidence::Seen(WriteFaults {
            first,
            again,
            warmup,
        }),
        _ => Evidence::missing(tr!("cow-child-no-report")),
    }
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let mut after_fork = labelled(&tr!("cow-parent"), &o.parent_after_fork);
    after_fork.extend(labelled(&tr!("cow-child"), &o.child_after_fork));
    let mut after_write = labelled(&tr!("cow-parent"), &o.parent_after_child_write);
    after_write.extend(labelled(&tr!("cow-child"), &o.child_after_child_write));
    let perms = o
        .perms_after_fork
        .seen()
        .cloned()
        .unwrap_or_else(|| "?".into());
    let faults = |f: Evidence<&WriteFaults>| {
        f.map(|f| {
            tr!(
                "cow-fault-rounds",
                first = f.first,
                again = f.again,
                warmup = f.warmup
            )
        })
        .seen()
        .cloned()
        .unwrap_or_else(|| tr!("cow-child-no-report"))
    };
    vec![
        Step::show(
            tr!("cow-step-map", pages = o.pages, va = o.va.hex()),
            page_table(&labelled(&tr!("cow-parent"), &o.before_fork)),
        ),
        Step::show(
            tr!("cow-step-fork", child = o.child_pid, perms = perms),
            page_table(&after_fork),
        )
        .with_terms(&["term-copy-on-write", "term-map-count", "term-exclusive"]),
        Step::show(
            tr!(
                "cow-step-child-writes",
                written = o.written,
                pages = o.pages,
                faults = faults(o.child_faults.as_ref())
            ),
            page_table(&after_write),
        ),
        Step::show(
            tr!(
                "cow-step-parent-writes",
                written = o.written,
                faults = faults(Evidence::Seen(&o.parent_faults))
            ),
            page_table(&labelled(&tr!("cow-parent"), &o.parent_after_own_write)),
        ),
    ]
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        same_frames(o),
        not_exclusive(o),
        mapped_twice(o),
        region_writable(o),
        child_write_faults(o),
        second_write_free(o),
        child_copies(o),
        child_copies_exclusive(o),
        parent_keeps_frames(o),
        parent_data(o),
        parent_write_faults(o),
        parent_reuses_frames(o),
    ]
}

fn same_frames(o: &Observation) -> Claim {
    let pair = frames(&o.parent_after_fork).zip(frames(&o.child_after_fork));
    claim!("cow-same-frames").on(pair, |(p, c)| (agreement(&p, &c), p == c))
}

fn not_exclusive(o: &Observation) -> Claim {
    let both: Vec<&Page> = o
        .parent_after_fork
        .iter()
        .chain(&o.child_after_fork)
        .collect();
    let evidence = if both.len() == 2 * o.pages && both.iter().all(|p| p.present()) {
        Evidence::Seen(both.iter().filter(|p| p.exclusive).count())
    } else {
        Evidence::missing(tr!("cow-pages-missing"))
    };
    claim!("cow-not-exclusive").on(evidence, |n| {
        (
            tr!("cow-exclusive-count", exclusive = n, total = both.len()),
            n == 0,
        )
    })
}

fn mapped_twice(o: &Observation) -> Claim {
    claim!("cow-map-count").on(map_counts(&o.parent_after_fork), |c| {
        let twos = c.iter().filter(|&&n| n == 2).count();
        (
            tr!("cow-map-count-seen", twos = twos, total = c.len()),
            twos == c.len(),
        )
    })
}

fn region_writable(o: &Observation) -> Claim {
    let evidence = o.perms_after_fork.clone().zip(o.child_faults.clone());
    claim!("cow-region-writable", written = o.written).on(evidence, |(perms, f)| {
        let holds = perms.starts_with("rw") && f.first == o.written as u64;
        (
            tr!(
                "cow-region-writable-seen",
                perms = perms.as_str(),
                faults = f.first
            ),
            holds,
        )
    })
}

fn child_write_faults(o: &Observation) -> Claim {
    claim!("cow-write-faults", written = o.written).on(o.child_faults.clone(), |f| {
        let holds = f.first == o.written as u64;
        (
            tr!("cow-write-faults-seen", first = f.first, warmup = f.warmup),
            holds,
        )
    })
}

fn second_write_free(o: &Observation) -> Claim {
    claim!("cow-second-write-free").on(o.child_faults.clone(), |f| {
        (tr!("cow-second-write-seen", again = f.again), f.again == 0)
    })
}

/// Indices where two lists of frames differ.
fn moved(old: &[crate::addr::Pfn], new: &[crate::addr::Pfn]) -> Vec<usize> {
    (0..old.len().min(new.len()))
        .filter(|&i| old[i] != new[i])
        .collect()
}

fn child_copies(o: &Observation) -> Claim {
    let pair = frames(&o.before_fork).zip(frames(&o.child_after_child_write));
    claim!(
        "cow-child-copies",
        written = o.written,
        kept = o.pages - o.written
    )
    .on(pair, |(old, new)| {
        let changed = moved(&old, &new);
        let holds = changed == (0..o.written).collect::<Vec<_>>();
        (
            tr!("cow-moved-pages", pages = format!("{changed:?}")),
            holds,
        )
    })
}

fn child_copies_exclusive(o: &Observation) -> Claim {
    let pages = &o.child_after_child_write;
    let evidence = if pages.len() == o.pages && pages.iter().all(|p| p.present()) {
        Evidence::Seen(pages.iter().map(|p| p.exclusive).collect::<Vec<bool>>())
    } else {
        Evidence::missing(tr!("cow-pages-missing"))
    };
    claim!("cow-child-exclusive", written = o.written).on(evidence, |excl| {
        let expect: Vec<bool> = (0..o.pages).map(|i| i < o.written).collect();
        let (y, n) = (tr!("yes-short"), tr!("no-short"));
        let shown: String = excl
            .iter()
            .map(|&x| if x { y.as_str() } else { n.as_str() })
            .collect();
        (tr!("cow-exclusive-bits", bits = shown), excl == expect)
    })
}

fn parent_keeps_frames(o: &Observation) -> Claim {
    let pair = frames(&o.before_fork).zip(frames(&o.parent_after_child_write));
    claim!("cow-parent-keeps-frames").on(pair, |(b, a)| (agreement(&b, &a), b == a))
}

fn parent_data(o: &Observation) -> Claim {
    let evidence =
        Evidence::from_option(Some(&o.parent_bytes).filter(|b| b.len() == o.pages), || {
            tr!("cow-pages-missing")
        });
    claim!("cow-parent-data", byte = format!("{PARENT_BYTE:#x}")).on(evidence, |bytes| {
        let values: Vec<u64> = bytes.iter().map(|&b| b as u64).collect();
        let holds = bytes.iter().all(|&b| b == PARENT_BYTE);
        (tr!("cow-parent-reads", values = hex_list(&values)), holds)
    })
}

fn parent_write_faults(o: &Observation) -> Claim {
    let f = o.parent_faults;
    let evidence = Evidence::from_option(Some(f).filter(|f| f.warmup != u64::MAX), || {
        tr!("cow-parent-no-warmup")
    });
    claim!("cow-parent-write-faults", written = o.written).on(evidence, |f| {
        let holds = f.first == o.written as u64 && f.again == 0;
        let seen = tr!(
            "cow-fault-rounds-short",
            first = f.first,
            again = f.again,
            warmup = f.warmup
        );
        (seen, holds)
    })
}

fn parent_reuses_frames(o: &Observation) -> Claim {
    let pair = frames(&o.before_fork).zip(frames(&o.parent_after_own_write));
    claim!("cow-parent-reuses").on(pair, |(b, a)| (agreement(&b, &a), b == a))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::addr::Pfn;
    use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
    use crate::pagemap::PageState;

    fn page(i: usize, pfn: u64, count: u64, exclusive: bool) -> Page {
        Page {
            va: VirtAddr(0x7f00_0000_0000 + i as u64 * 4096),
            state: PageState::Present,
            pfn: Some(Pfn(pfn)),
            map_count: Some(count),
            exclusive,
            file_or_shared: false,
            flags: None,
        }
    }

    /// What a run as root shows when everything goes as theory says.
    fn holding() -> Observation {
        let own = |i| page(i, 0x1000 + i as u64, 1, true);
        let shared = |i| page(i, 0x1000 + i as u64, 2, false);
        let after_child: Vec<Page> = (0..PAGES)
            .map(|i| {
                if i < WRITTEN {
                    page(i, 0x2000 + i as u64, 1, true)
                } else {
                    shared(i)
                }
            })
            .collect();
        let parent_after: Vec<Page> = (0..PAGES)
            .map(|i| if i < WRITTEN { own(i) } else { shared(i) })
            .collect();
        Observation {
            va: VirtAddr(0x7f00_0000_0000),
            pages: PAGES,
            written: WRITTEN,
            child_pid: 4242,
            before_fork: (0..PAGES).map(own).collect(),
            parent_after_fork: (0..PAGES).map(shared).collect(),
            child_after_fork: (0..PAGES).map(shared).collect(),
            perms_after_fork: Evidence::Seen("rw-p".into()),
            child_faults: Evidence::Seen(WriteFaults {
                first: 3,
                again: 0,
                warmup: 0,
            }),
            parent_after_child_write: parent_after.clone(),
            child_after_child_write: after_child,
            parent_bytes: vec![PARENT_BYTE; PAGES],
            parent_faults: WriteFaults {
                first: 3,
                again: 0,
                warmup: 0,
            },
            parent_after_own_write: parent_after,
        }
    }

    /// Hides every frame number, as an unprivileged run sees it.
    fn hide_frames(pages: &mut [Page]) {
        for p in pages {
            p.pfn = None;
            p.map_count = None;
        }
    }

    fn no_report(o: &mut Observation) {
        o.child_faults = Evidence::missing("the child did not report");
    }

    pub(crate) fn claim_tests() -> ClaimTests {
        claims_of(judge, holding())
            .case(
                "cow-same-frames",
                |o| o.child_after_fork[4].pfn = Some(Pfn(0x9999)),
                |o| hide_frames(&mut o.child_after_fork),
            )
            .case(
                "cow-not-exclusive",
                |o| o.child_after_fork[0].exclusive = true,
                |o| o.child_after_fork[1].state = PageState::Absent,
            )
            .case(
                "cow-map-count",
                |o| o.parent_after_fork[2].map_count = Some(1),
                |o| hide_frames(&mut o.parent_after_fork),
            )
            .case(
                "cow-region-writable",
                |o| o.perms_after_fork = Evidence::Seen("r--p".into()),
                |o| o.perms_after_fork = Evidence::missing("maps unreadable"),
            )
            .case(
                "cow-write-faults",
                |o| {
                    o.child_faults = Evidence::Seen(WriteFaults {
                        first: 0,
                        again: 0,
                        warmup: 0,
                    })
                },
                no_report,
            )
            .case(
                "cow-second-write-free",
                |o| {
                    o.child_faults = Evidence::Seen(WriteFaults {
                        first: 3,
                        again: 3,
                        warmup: 0,
                    })
                },
                no_report,
            )
            .case(
                "cow-child-copies",
                |o| o.child_after_child_write[5].pfn = Some(Pfn(0x3005)),
                |o| hide_frames(&mut o.child_after_child_write),
            )
            .case(
                "cow-child-exclusive",
                |o| o.child_after_child_write[6].exclusive = true,
                |o| o.child_after_child_write.truncate(2),
            )
            .case(
                "cow-parent-keeps-frames",
                |o| o.parent_after_child_write[0].pfn = Some(Pfn(0x2000)),
                |o| hide_frames(&mut o.parent_after_child_write),
            )
            .case(
                "cow-parent-data",
                |o| o.parent_bytes[1] = 1,
                |o| o.parent_bytes.clear(),
            )
            .case(
                "cow-parent-write-faults",
                |o| o.parent_faults.first = 0,
                |o| o.parent_faults.warmup = u64::MAX,
            )
            .case(
                "cow-parent-reuses",
                |o| o.parent_after_own_write[1].pfn = Some(Pfn(0x4001)),
                |o| hide_frames(&mut o.parent_after_own_write),
            )
            .done()
    }

    #[test]
    fn every_claim_can_fail_and_can_lack_evidence() {
        assert_contract("cow", &claim_tests());
    }

    #[test]
    fn the_record_reads_back_from_json() {
        let o = holding();
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    }

    #[test]
    fn narration_tells_the_faults() {
        let steps = narrate(&holding());
        assert_eq!(steps.len(), 4);
        assert!(steps[2].narration.contains("3"), "{}", steps[2].narration);
        assert!(
            steps[1].narration.contains("rw-p"),
            "{}",
            steps[1].narration
        );
    }
}
