//! (d) A library's code exists once in RAM: the C library's code pages in this program
//! and in another (`sleep`) are the same frames, and smaps charges each process only
//! its share of them (PSS below RSS).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::addr::VirtAddr;
use crate::demos::page::{Page, frames, map_counts, page_table};
use crate::demos::{Lab, usage_at};
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Step};
use crate::space::{AddressSpace, Region, RegionKind};
use crate::{claim, tr};

/// What part (d) saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// The library file (`libc.so.6`).
    pub name: String,
    /// Where this program and the other one (`sleep`, pid `other_pid`) map its code.
    pub here_at: VirtAddr,
    pub other_pid: i32,
    pub there_at: VirtAddr,
    /// Pages of the code region.
    pub pages: usize,
    /// The pages present in both processes, side by side (same offset in the file).
    pub here: Vec<Page>,
    pub there: Vec<Page>,
    /// What smaps charges this process for the code region, read while the other
    /// program runs.
    pub charge: Evidence<Charge>,
}

/// A region's resident size and its proportional share (smaps Rss and Pss), in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub rss: u64,
    pub pss: u64,
}

/// Kills and reaps a helper program when dropped (also on early return).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sleep`, waits for it to map libc, and reads both processes' code pages.
pub(super) fn gather(lab: &Lab) -> Result<Evidence<Library>> {
    let me = std::process::id() as i32;
    let Some(mine) = libc_text(&AddressSpace::read(me)?) else {
        return Ok(Evidence::missing(tr!("shared-no-shared-libc")));
    };
    let mut sleep = std::process::Command::new("sleep");
    sleep.arg("30").stdin(std::process::Stdio::null());
    // Killed on drop; and should this process be killed first, it dies with us.
    let other = match crate::child::die_with_parent(&mut sleep).spawn() {
        Ok(c) => KillOnDrop(c),
        Err(e) => {
            let why = tr!("shared-no-other-program", error = e.to_string());
            return Ok(Evidence::missing(why));
        }
    };
    let pid = other.0.id() as i32;
    let Some(theirs) = wait_for_same_code(pid, &mine) else {
        return Ok(Evidence::missing(tr!("shared-other-no-libc")));
    };
    crate::hook::hold("library");
    // Compare page by page, by position in the file (the two processes load libc at
    // different virtual addresses).
    let pages = (mine.size() / lab.page_size()) as usize;
    let a = lab.snapshot(me, mine.start.0, pages)?;
    let b = lab.snapshot(pid, theirs.start.0, pages)?;
    let charge = Evidence::from_option(usage_at(me, mine.start.0).ok(), || {
        tr!("shared-smaps-unreadable")
    })
    .map(|u| Charge {
        rss: u.rss,
        pss: u.pss,
    });
    drop(other);
    let (here, there) = a
        .into_iter()
        .zip(b)
        .filter(|(x, y)| x.present() && y.present())
        .unzip();
    Ok(Evidence::Seen(Library {
        name: mine.short_name().to_string(),
        here_at: mine.start,
        other_pid: pid,
        there_at: theirs.start,
        pages,
        here,
        there,
        charge,
    }))
}

/// The executable region of libc.so in an address space, with its smaps usage.
fn libc_text(space: &AddressSpace) -> Option<Region> {
    space
        .regions
        .iter()
        .find(|r| r.kind == RegionKind::LibText && r.short_name().starts_with("libc.so"))
        .cloned()
}

/// Waits until process `pid` has mapped the same code (same file, same offset) as
/// `mine` and has gone to sleep; up to 5 s.
///
/// Mapped is not enough: the dynamic loader maps libc before the program runs any of
/// it, and a code page enters a page table only when it is first run (or read). Once
/// `sleep` sleeps, it has run its start-up code through libc.
fn wait_for_same_code(pid: i32, mine: &Region) -> Option<Region> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found = AddressSpace::read_layout(pid).ok().and_then(|s| {
            s.regions
                .into_iter()
                .find(|r| r.backing == mine.backing && r.perms.exec && r.offset == mine.offset)
        });
        if found.is_some() && sleeping(pid) || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Process `pid` is asleep (state `S` in /proc/<pid>/stat).
fn sleeping(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the command name, which is in parentheses and may hold spaces.
    stat.rfind(')')
        .and_then(|at| stat[at + 1..].split_whitespace().next())
        == Some("S")
}

pub(super) fn narrate(l: &Evidence<Library>) -> Step {
    let l = match l {
        Evidence::Seen(l) => l,
        Evidence::Missing(m) => {
            return Step::say(tr!(
                "shared-step-library-missing",
                reason = m.missing.as_str()
            ));
        }
    };
    let (me, them) = (tr!("shared-this-program"), format!("sleep {}", l.other_pid));
    let sample: Vec<(String, &Page)> = l
        .here
        .iter()
        .zip(&l.there)
        .take(3)
        .flat_map(|(x, y)| [(me.clone(), x), (them.clone(), y)])
        .collect();
    Step::show(
        tr!(
            "shared-step-library",
            name = l.name.as_str(),
            here = l.here_at.hex(),
            pid = l.other_pid,
            there = l.there_at.hex(),
            both = l.here.len(),
            pages = l.pages
        ),
        page_table(&sample),
    )
    .with_terms(&["term-shared-page", "term-rss", "term-pss"])
}

pub(super) fn judge(l: &Evidence<Library>) -> Vec<Claim> {
    // The pages both processes have in memory; none at all is nothing to compare.
    let pairs = l.as_ref().map(|l| (&l.here, &l.there));
    let pairs = match pairs {
        Evidence::Seen((here, _)) if here.is_empty() => {
            Evidence::missing(tr!("shared-libc-none-in-both"))
        }
        other => other,
    };
    let frames_of = pairs.clone().map(|(a, b)| frames(a).zip(frames(b)));
    let same = claim!("shared-libc-same-frames").on(flatten(frames_of), |(a, b)| {
        let equal = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        let text = tr!("shared-libc-same-kernel", same = equal, total = a.len());
        (text, equal == a.len())
    });
    let counts = pairs.map(|(a, _)| map_counts(a));
    let mapped = claim!("shared-libc-map-count").on(flatten(counts), |c| {
        let min = c.iter().min().copied().unwrap_or(0);
        (tr!("shared-libc-lowest-count", min = min), min >= 2)
    });
    let charge = flatten(l.as_ref().map(|l| l.charge.clone()));
    let pss = claim!("shared-libc-pss").on(charge, |c| {
        let text = tr!(
            "shared-libc-charge",
            rss = crate::render::human_size(c.rss),
            pss = crate::render::human_size(c.pss)
        );
        (text, c.pss < c.rss)
    });
    vec![same, mapped, pss]
}

/// Evidence of evidence: seen only when both are.
fn flatten<T>(e: Evidence<Evidence<T>>) -> Evidence<T> {
    match e {
        Evidence::Seen(inner) => inner,
        Evidence::Missing(m) => Evidence::Missing(m),
    }
}
