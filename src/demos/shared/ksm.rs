//! (e) Kernel samepage merging: identical private pages marked MADV_MERGEABLE end up
//! in one read-only frame flagged KSM, and a write splits a private copy off again.
//!
//! KSM is a machine-wide setting, off here (`/sys/kernel/mm/ksm/run = 0`): the demo
//! starts it for a moment, as root, through [`crate::settings`], which journals every
//! original value first and puts it back on every way out (an error, a termination
//! signal; after SIGKILL, the next vmlab run). Runs take turns on the KSM directory.

use std::path::Path;
use std::time::{Duration, Instant};

use memmap2::{MmapMut, MmapOptions};
use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::page::{Page, frame_flags, frames, page_table};
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step};
use crate::frames::flag;
use crate::settings::{Changes, Setting};
use crate::{claim, tr};

const DIR: &str = "/sys/kernel/mm/ksm";
const PAGES: usize = 32;
const FILL: u8 = 0x77;
/// The settings we change, with the values we write, in the order we write them:
/// the tuning first, then `run`, so ksmd starts already tuned.
const KNOBS: [(&str, &str); 3] = [
    ("pages_to_scan", "10000"),
    ("sleep_millisecs", "10"),
    ("run", "1"),
];
/// How long we wait for the merge at most.
const PATIENCE: Duration = Duration::from_secs(5);
/// Full scans by ksmd after which identical pages must have been merged: a page is
/// merged on the second scan that visits it (mm/ksm.c, cmp_and_merge_page: the first
/// only records its checksum, the second finds its twin), and the first scan we count
/// may have started before our pages were reached. Measured here (12 runs, polled
/// every millisecond): every merge was complete by the second full scan.
pub(super) const SCANS_TO_MERGE: u64 = 3;

/// A KSM setting: its file in `/sys/kernel/mm/ksm`, and a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knob {
    pub name: String,
    pub value: String,
}

/// What part (e) saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ksm {
    pub va: VirtAddr,
    pub pages: usize,
    /// The settings the demo wrote, in that order.
    pub set: Vec<Knob>,
    /// The settings it found, and wrote back when done (in that order).
    pub restored: Vec<Knob>,
    /// The settings read back after restoring them.
    pub after: Vec<Knob>,
    /// How long the demo waited for the merge, and how many full scans ksmd had
    /// completed (`full_scans`) before the last look at the pages.
    pub waited_ms: u64,
    pub full_scans: Evidence<u64>,
    /// The pages before KSM ran, when the wait ended, and page 0 after a write.
    pub before: Vec<Page>,
    pub merged: Vec<Page>,
    pub split: Page,
}

/// The current value of each of `names`, or `None` if one cannot be read.
fn read_knobs<'a>(names: impl Iterator<Item = &'a str>) -> Option<Vec<Knob>> {
    names
        .map(|name| {
            let v = std::fs::read_to_string(format!("{DIR}/{name}")).ok()?;
            Some(Knob {
                name: name.to_string(),
                value: v.trim().to_string(),
            })
            .filter(|k| !k.value.is_empty())
        })
        .collect()
}

fn full_scans() -> Option<u64> {
    let v = std::fs::read_to_string(format!("{DIR}/full_scans")).ok()?;
    v.trim().parse().ok()
}

/// Starts KSM over identical pages, waits for the merge, puts KSM back, and writes one
/// page; or says why it cannot (no KSM, no root, another run holding the lock).
pub(super) fn gather(lab: &Lab) -> Result<Evidence<Ksm>> {
    if !std::path::Path::new(DIR).join("run").exists() {
        return Ok(Evidence::missing(tr!("shared-no-ksm")));
    }
    if !lab.inspector.privilege.pfns_visible {
        return Ok(Evidence::missing(tr!("shared-ksm-needs-root")));
    }
    // Another vmlab run may be in the middle of this same experiment: it would save
    // our settings as "the old ones" (or restore its own under our feet), so the runs
    // take turns on the KSM directory itself.
    let changes = match Changes::take(Path::new(DIR), Duration::from_secs(30)) {
        Ok(Some(changes)) => changes,
        Ok(None) => return Ok(Evidence::missing(tr!("shared-ksm-busy"))),
        Err(e) => {
            let why = tr!("shared-ksm-no-journal", error = e.to_string());
            return Ok(Evidence::missing(why));
        }
    };
    if read_knobs(KNOBS.iter().map(|(k, _)| *k)).is_none() {
        return Ok(Evidence::missing(tr!("shared-ksm-unreadable")));
    }
    let Some(mut mem) = mergeable_pages(lab)? else {
        return Ok(Evidence::missing(tr!("shared-ksm-madvise-refused")));
    };
    let va = mem.as_ptr() as u64;
    let me = std::process::id() as i32;
    let before = lab.snapshot(me, va, PAGES)?;
    let (waited, restored) = with_ksm_running(lab, changes, va)?;
    let after = read_knobs(restored.iter().map(|k| k.name.as_str())).unwrap_or_default();
    mem[0] = FILL + 1;
    let split = super::one(lab.snapshot(me, va, 1)?)?;
    Ok(Evidence::Seen(Ksm {
        va: VirtAddr(va),
        pages: PAGES,
        set: KNOBS
            .iter()
            .map(|(k, v)| Knob {
                name: k.to_string(),
                value: v.to_string(),
            })
            .collect(),
        restored,
        after,
        waited_ms: waited.took.as_millis() as u64,
        full_scans: waited.scans,
        before,
        merged: waited.pages,
        split,
    }))
}

/// [`PAGES`] private pages with the same contents, advised MADV_MERGEABLE; `None` if
/// the kernel refuses the advice.
fn mergeable_pages(lab: &Lab) -> Result<Option<MmapMut>> {
    let len = PAGES * lab.page_size() as usize;
    let mut mem = MmapOptions::new()
        .len(len)
        .map_anon()
        .map_err(|e| Error::Child(format!("mmap: {e}")))?;
    mem.fill(FILL);
    // SAFETY: advice on a mapping we own; it changes no memory.
    let rc = unsafe { libc::madvise(mem.as_mut_ptr().cast(), len, libc::MADV_MERGEABLE) };
    Ok((rc == 0).then_some(mem))
}

/// How the wait for the merge ended.
struct Waited {
    pages: Vec<Page>,
    took: Duration,
    scans: Evidence<u64>,
}

/// Sets [`KNOBS`], waits for the merge, and puts back the settings `changes` found
/// (also on an error, when `changes` drops; on a signal, from the handler). Returns
/// the wait and the settings written back, in that order.
fn with_ksm_running(lab: &Lab, mut changes: Changes, va: u64) -> Result<(Waited, Vec<Knob>)> {
    for (k, v) in KNOBS {
        changes.set(&Path::new(DIR).join(k), v)?;
    }
    crate::hook::hold("ksm");
    let waited = wait_for_merge(lab, va);
    let restored = changes.restore()?;
    Ok((waited?, restored.iter().map(knob).collect()))
}

/// A setting under [`DIR`], by its name there.
fn knob(s: &Setting) -> Knob {
    let name = Path::new(&s.path).file_name().unwrap_or_default();
    Knob {
        name: name.to_string_lossy().into_owned(),
        value: s.value.clone(),
    }
}

/// Reads the pages until all are merged, ksmd has scanned enough to have merged them,
/// or [`PATIENCE`] runs out.
///
/// The count of full scans is read before each look at the pages, so that the scans
/// it counts were over before the pages were seen: a page still apart after
/// [`SCANS_TO_MERGE`] of them is the kernel's doing, not our timing.
fn wait_for_merge(lab: &Lab, va: u64) -> Result<Waited> {
    let me = std::process::id() as i32;
    let started = Instant::now();
    let first = full_scans();
    loop {
        let scans = Evidence::from_option(first.zip(full_scans()).map(|(a, b)| b - a), || {
            tr!("shared-ksm-scans-unreadable")
        });
        let pages = lab.snapshot(me, va, PAGES)?;
        let all_ksm = pages
            .iter()
            .all(|p| p.flags.is_some_and(|f| f.has(flag::KSM)));
        // Past twice the scans needed, more waiting would show nothing new.
        let enough = scans.seen().is_some_and(|&n| n >= 2 * SCANS_TO_MERGE);
        let over = started.elapsed() > PATIENCE;
        if all_ksm || enough || over {
            return Ok(Waited {
                pages,
                took: started.elapsed(),
                scans,
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `2 full scans`, with its plural; or that the count is unknown.
fn scans_text(scans: Option<u64>) -> String {
    match scans {
        Some(n) => tr!("shared-ksm-scans", count = n),
        None => tr!("shared-ksm-scans-unknown"),
    }
}

fn knob_list(knobs: &[Knob]) -> String {
    let list: Vec<String> = knobs
        .iter()
        .map(|k| format!("{}={}", k.name, k.value))
        .collect();
    list.join(", ")
}

pub(super) fn narrate(k: &Evidence<Ksm>) -> Step {
    let k = match k {
        Evidence::Seen(k) => k,
        Evidence::Missing(m) => {
            return Step::say(tr!("shared-step-ksm-missing", reason = m.missing.as_str()));
        }
    };
    let scans = scans_text(k.full_scans.seen().copied());
    let label = |what: &str, i: usize| tr!("shared-ksm-row", what = what, page = i);
    let (before, merged, written) = (
        tr!("shared-ksm-before"),
        tr!("shared-ksm-merged-row"),
        tr!("shared-ksm-written"),
    );
    // Pages 0 and 1 before and after the merge, and page 0 after the write.
    let mut rows: Vec<(String, &Page)> = Vec::new();
    for (what, pages) in [(&before, &k.before), (&merged, &k.merged)] {
        rows.extend(
            pages
                .iter()
                .take(2)
                .enumerate()
                .map(|(i, p)| (label(what, i), p)),
        );
    }
    rows.push((label(&written, 0), &k.split));
    Step::show(
        tr!(
            "shared-step-ksm",
            pages = k.pages,
            va = k.va.hex(),
            set = knob_list(&k.set),
            ms = k.waited_ms,
            scans = scans,
            restored = knob_list(&k.restored),
            after = knob_list(&k.after)
        ),
        page_table(&rows),
    )
}

pub(super) fn judge(k: &Evidence<Ksm>) -> Vec<Claim> {
    vec![merged(k), split(k)]
}

/// One frame flagged KSM for every page, when ksmd had the time; unverifiable when it
/// did not get to scan enough.
fn merged(k: &Evidence<Ksm>) -> Claim {
    let draft = claim!("shared-ksm-merged", pages = PAGES);
    let k = match k {
        Evidence::Seen(k) => k,
        Evidence::Missing(m) => return draft.unverifiable(m.missing.clone()),
    };
    let evidence = frames(&k.merged).zip(frame_flags(&k.merged));
    let scans = k.full_scans.seen().copied();
    let evidence = match evidence {
        Evidence::Seen((f, fl)) => {
            let one = f.iter().all(|&x| x == f[0]);
            let all_ksm = fl.iter().all(|x| x.has(flag::KSM));
            let had_time = scans.is_some_and(|n| n >= SCANS_TO_MERGE);
            if one && all_ksm || had_time {
                Evidence::Seen((f, fl))
            } else {
                let why = tr!(
                    "shared-ksm-too-few-scans",
                    scans = scans_text(scans),
                    ms = k.waited_ms,
                    needed = SCANS_TO_MERGE
                );
                Evidence::missing(why)
            }
        }
        Evidence::Missing(m) => Evidence::Missing(m),
    };
    draft.on(evidence, |(f, fl)| {
        let mut distinct = f.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let ksm = fl.iter().filter(|x| x.has(flag::KSM)).count();
        let text = tr!(
            "shared-ksm-merged-kernel",
            frames = distinct.len(),
            ksm = ksm,
            pages = f.len(),
            ms = k.waited_ms
        );
        (text, distinct.len() == 1 && ksm == f.len())
    })
}

/// The written page has a new frame of its own, not KSM.
fn split(k: &Evidence<Ksm>) -> Claim {
    let draft = claim!("shared-ksm-split");
    let k = match k {
        Evidence::Seen(k) => k,
        Evidence::Missing(m) => return draft.unverifiable(m.missing.clone()),
    };
    let merged = k
        .merged
        .first()
        .map_or_else(|| Evidence::missing(tr!("shared-page-absent")), Page::frame);
    let evidence = k.split.frame().zip(merged).zip(k.split.frame_flags());
    draft.on(evidence, |((new, old), flags)| {
        let ksm = flags.has(flag::KSM);
        let text = tr!(
            "shared-ksm-split-kernel",
            new = new.to_string(),
            old = old.to_string(),
            ksm = crate::demos::page::yes_no(ksm),
            exclusive = crate::demos::page::yes_no(k.split.exclusive)
        );
        (text, new != old && !ksm && k.split.exclusive)
    })
}
