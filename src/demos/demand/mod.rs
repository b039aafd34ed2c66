//! vm-demand: demand paging: frames on first touch.
//!
//! Theory: `mmap` only reserves a range of *virtual* addresses: the kernel writes down
//! "this range is anonymous memory" (a VMA) and fills no page-table entry. The first
//! access to each page faults; the fault handler then finds a free frame, zeroes it and
//! maps it. So a program can map far more than it will ever use and pay RAM only for the
//! pages it touches, one page fault per page. `MAP_POPULATE` asks for the opposite: take
//! all the faults inside `mmap`, so that later accesses do not fault. And since mapping
//! costs no RAM, the kernel will even map more address space than the machine has RAM,
//! if asked not to reserve memory for it (`MAP_NORESERVE`); without that flag, its
//! default overcommit heuristic refuses such a mapping.
//!
//! What we do, in a forked child the parent watches through `/proc/<pid>`:
//! 1. map 1 GiB (`map_big`): `VmSize`, the region's smaps `Rss`, its pagemap;
//! 2. write one byte to N scattered pages, counting the child's page faults
//!    (getrusage), and see which pages became present, on which frames
//!    (`touch_pages`);
//! 3. map a small region plainly and with `MAP_POPULATE`, counting the faults of the
//!    `mmap` call and of the first writes (`small_mappings`);
//! 4. map twice the machine's RAM, without and with `MAP_NORESERVE`
//!    (`beyond_ram`).
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the
//! record alone. The child's side of the conversation is in `child.rs`.

mod child;
mod claims;
mod narration;
#[cfg(test)]
pub(crate) mod tests;

use serde::{Deserialize, Serialize};

use super::page::Page;
use super::{Lab, meminfo_bytes, setting, status_bytes};
use crate::addr::VirtAddr;
use crate::child::Child;
use crate::error::{Error, Result};
use crate::experiment::{Evidence, Experiment};
use crate::pagemap::Pagemap;
use crate::tr;

pub use claims::judge;
pub use narration::narrate;

/// The big mapping: 1 GiB.
const BIG: u64 = 1 << 30;
/// Pages of it the child writes.
const TOUCHED: usize = 32;
/// The small region mapped plainly and with MAP_POPULATE: 1 MiB at 4 KiB pages, less
/// than one 2 MiB huge page, so no huge page can stand in for the base pages.
const SMALL_BYTES: u64 = 1 << 20;
/// Where the kernel's overcommit policy is set.
const OVERCOMMIT: &str = "/proc/sys/vm/overcommit_memory";
const THP_ENABLED: &str = "/sys/kernel/mm/transparent_hugepage/enabled";

/// Everything vm-demand saw, step by step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub child_pid: i32,
    pub page_size: u64,
    /// The machine's THP setting, and whether the child turned THP off for itself
    /// (prctl(PR_SET_THP_DISABLE)), so that each fault maps one base page.
    pub thp_enabled: Evidence<String>,
    pub thp_disabled_in_child: bool,
    pub map: MapStep,
    pub touch: TouchStep,
    pub small: SmallStep,
    pub beyond_ram: BeyondRamStep,
}

/// `VmSize` and `VmRSS` of the child (`/proc/<pid>/status`), in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub vm_size: u64,
    pub vm_rss: u64,
}

/// Step 1: the 1 GiB mapping, before anything touches it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapStep {
    pub va: VirtAddr,
    pub bytes: u64,
    pub pages: u64,
    pub before: Status,
    pub after: Status,
    /// smaps `Rss` of the mapping (missing when the kernel merged it with a neighbour).
    pub region_rss: Evidence<u64>,
    /// Indices of its present pages, from the pagemap.
    pub present: Evidence<Vec<u64>>,
}

/// Minor page faults of one round of writes, as the child counted them (getrusage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// The measured writes.
    pub measured: u64,
    /// The very same code, run just before on pages the child already owned: it
    /// should take no fault, and if it does, something else was faulting meanwhile
    /// and the measured count cannot be trusted.
    pub control: u64,
}

/// Step 2: one byte written to each of `TOUCHED` scattered pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TouchStep {
    /// The page indices written, from the start of the mapping.
    pub indices: Vec<u64>,
    /// Pages between two consecutive written pages, roughly.
    pub stride_pages: u64,
    pub faults: Faults,
    pub status: Status,
    pub region_rss: Evidence<u64>,
    pub present: Evidence<Vec<u64>>,
    /// The written pages, one snapshot each.
    pub pages: Vec<Page>,
}

/// Step 3: the same small mapping, plainly and with MAP_POPULATE.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmallStep {
    pub bytes: u64,
    pub pages: u64,
    pub plain: SmallMapping,
    pub populated: SmallMapping,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmallMapping {
    /// Minor faults taken by the mmap call itself.
    pub mmap_faults: u64,
    /// How many of its pages were present when mmap returned.
    pub present_after_mmap: Evidence<u64>,
    /// Then a write to every page.
    pub writes: Faults,
}

/// Step 4: a mapping of twice RAM + swap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeyondRamStep {
    pub ram: u64,
    pub swap: u64,
    /// `vm.overcommit_memory`: 0 heuristic, 1 always, 2 strict.
    pub overcommit: Evidence<String>,
    /// Twice RAM + swap, rounded up to a whole GiB.
    pub bytes: u64,
    /// What the kernel did, unless the demo could not ask (strict accounting, or an
    /// address-space limit).
    pub attempt: Evidence<BeyondRam>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeyondRam {
    /// A plain private writable mapping of that size (unmapped at once if granted).
    pub plain: MapResult,
    /// The same with MAP_NORESERVE, kept while the parent looks.
    pub noreserve: MapResult,
    pub vm_size_growth: u64,
    /// smaps `Rss` of the MAP_NORESERVE mapping.
    pub region_rss: Evidence<u64>,
}

/// What mmap answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum MapResult {
    Mapped,
    /// Refused, with the errno's name (`ENOMEM`).
    Refused {
        errno: String,
    },
}

impl MapResult {
    /// From the errno the child reported, 0 meaning success.
    fn from_errno(errno: u64) -> MapResult {
        match errno {
            0 => MapResult::Mapped,
            e => MapResult::Refused {
                errno: format!("{:?}", nix::errno::Errno::from_raw(e as i32)),
            },
        }
    }

    pub fn mapped(&self) -> bool {
        *self == MapResult::Mapped
    }
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("demand", tr!("demand-title"), tr!("demand-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Forks the child and walks it through the four steps, looking at it after each.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let ps = lab.page_size();
    let (indices, stride_pages) = touched_indices(BIG / ps);
    let for_child = indices.clone();
    let mut child = Child::spawn(move |chan| child::body(chan, ps, &for_child))?;
    let thp_disabled_in_child = child.recv()?.first() == Some(&1);
    let map = map_big(&mut child, ps)?;
    let touch = touch_pages(lab, &mut child, &map, indices, stride_pages)?;
    let small = small_mappings(&mut child, ps)?;
    let beyond_ram = beyond_ram(&mut child)?;
    child.send(&[])?; // "unmap everything and exit"
    child.wait()?;
    Ok(Observation {
        child_pid: child.pid(),
        page_size: ps,
        thp_enabled: read_setting(THP_ENABLED),
        thp_disabled_in_child,
        map,
        touch,
        small,
        beyond_ram,
    })
}

/// `TOUCHED` scattered page indices of a mapping of `pages` pages: one in each equal
/// stretch, each a few pages further into its stretch, so that they do not all sit at
/// the same page-table index. Also the stretch's length.
fn touched_indices(pages: u64) -> (Vec<u64>, u64) {
    let stride = pages / TOUCHED as u64;
    let indices = (0..TOUCHED as u64)
        .map(|i| i * stride + (i * 7) % stride)
        .collect();
    (indices, stride)
}

/// Step 1: the child maps 1 GiB; we compare its status before and after, and look
/// at the region's Rss and pagemap.
fn map_big(child: &mut Child, ps: u64) -> Result<MapStep> {
    let pid = child.pid();
    let before = status(pid)?;
    child.send(&[])?; // "map"
    let reply = child.recv()?;
    let va = match reply.as_slice() {
        [0, addr] => *addr,
        [errno, ..] => {
            return Err(Error::Child(format!(
                "mmap of 1 GiB failed in the child: {}",
                nix::errno::Errno::from_raw(*errno as i32)
            )));
        }
        _ => return Err(Error::Child("the child sent no address".into())),
    };
    Ok(MapStep {
        va: VirtAddr(va),
        bytes: BIG,
        pages: BIG / ps,
        before,
        after: status(pid)?,
        region_rss: region_rss(pid, va, BIG),
        present: present_pages(pid, va, BIG / ps, ps),
    })
}

/// Step 2: the child writes one byte to each chosen page and reports its faults; we
/// look at which pages are present and at the frames of the written ones.
fn touch_pages(
    lab: &Lab,
    child: &mut Child,
    map: &MapStep,
    indices: Vec<u64>,
    stride_pages: u64,
) -> Result<TouchStep> {
    let (pid, va, ps) = (child.pid(), map.va.0, lab.page_size());
    child.send(&[])?; // "write"
    let reply = child.recv()?;
    let faults = Faults {
        measured: word(&reply, 0)?,
        control: word(&reply, 1)?,
    };
    let mut pages = Vec::with_capacity(indices.len());
    for &i in &indices {
        pages.extend(lab.snapshot(pid, va + i * ps, 1)?);
    }
    Ok(TouchStep {
        stride_pages,
        faults,
        status: status(pid)?,
        region_rss: region_rss(pid, va, map.bytes),
        present: present_pages(pid, va, map.pages, ps),
        pages,
        indices,
    })
}

/// Step 3: the child maps [`SMALL_BYTES`] twice, plainly and with MAP_POPULATE,
/// counting the faults of each mmap call; we count the present pages of each; then
/// the child writes every page of both and counts again.
fn small_mappings(child: &mut Child, ps: u64) -> Result<SmallStep> {
    let pid = child.pid();
    let pages = SMALL_BYTES / ps;
    child.send(&[])?; // "map the small regions"
    let reply = child.recv()?;
    let (plain_va, populated_va) = (word(&reply, 0)?, word(&reply, 1)?);
    let (plain_mmap, populated_mmap) = (word(&reply, 2)?, word(&reply, 3)?);
    let count = |va| present_pages(pid, va, pages, ps).map(|p| p.len() as u64);
    let (plain_present, populated_present) = (count(plain_va), count(populated_va));
    child.send(&[])?; // "write them"
    let reply = child.recv()?;
    let control = word(&reply, 2)?;
    let writes = |i| -> Result<Faults> {
        Ok(Faults {
            measured: word(&reply, i)?,
            control,
        })
    };
    Ok(SmallStep {
        bytes: SMALL_BYTES,
        pages,
        plain: SmallMapping {
            mmap_faults: plain_mmap,
            present_after_mmap: plain_present,
            writes: writes(0)?,
        },
        populated: SmallMapping {
            mmap_faults: populated_mmap,
            present_after_mmap: populated_present,
            writes: writes(1)?,
        },
    })
}

/// Step 4: unless strict accounting or an address-space limit rules it out, the child
/// asks for twice RAM + swap, plainly and then with MAP_NORESERVE; we watch VmSize
/// and the region's Rss.
fn beyond_ram(child: &mut Child) -> Result<BeyondRamStep> {
    let pid = child.pid();
    let (ram, swap) = (meminfo_bytes("MemTotal")?, meminfo_bytes("SwapTotal")?);
    let bytes = (2 * (ram + swap)).div_ceil(1 << 30) << 30;
    let overcommit = read_setting(OVERCOMMIT);
    let before = status(pid)?;
    let attempt = match cannot_ask(&overcommit, bytes + before.vm_size) {
        Some(reason) => {
            child.send(&[0])?; // "skip it"
            child.recv()?;
            Evidence::missing(reason)
        }
        None => {
            child.send(&[bytes])?;
            let reply = child.recv()?;
            let noreserve = MapResult::from_errno(word(&reply, 1)?);
            let region_rss = match noreserve {
                MapResult::Mapped => region_rss(pid, word(&reply, 2)?, bytes),
                MapResult::Refused { .. } => Evidence::missing(tr!("demand-not-mapped")),
            };
            Evidence::Seen(BeyondRam {
                plain: MapResult::from_errno(word(&reply, 0)?),
                noreserve,
                vm_size_growth: status(pid)?.vm_size.saturating_sub(before.vm_size),
                region_rss,
            })
        }
    };
    Ok(BeyondRamStep {
        ram,
        swap,
        overcommit,
        bytes,
        attempt,
    })
}

/// Why the child cannot meaningfully ask for `total` bytes of address space, if it
/// cannot: strict accounting ignores MAP_NORESERVE, and RLIMIT_AS would refuse it
/// whatever the kernel's memory policy.
fn cannot_ask(overcommit: &Evidence<String>, total: u64) -> Option<String> {
    if overcommit.seen().map(String::as_str) == Some("2") {
        return Some(tr!("demand-strict-overcommit"));
    }
    let (limit, _) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_AS)
        .unwrap_or((libc::RLIM_INFINITY, libc::RLIM_INFINITY));
    (limit != libc::RLIM_INFINITY && limit < total)
        .then(|| tr!("demand-address-limit", limit = limit.to_string()))
}

fn status(pid: i32) -> Result<Status> {
    Ok(Status {
        vm_size: status_bytes(pid, "VmSize")?,
        vm_rss: status_bytes(pid, "VmRSS")?,
    })
}

fn read_setting(path: &str) -> Evidence<String> {
    Evidence::from_option(setting(path), || {
        tr!("demand-setting-unreadable", path = path)
    })
}

/// The smaps Rss of the region of process `pid` that starts at `start`, if that
/// region is exactly `len` bytes long: if the kernel merged the mapping with a
/// neighbour, the region's Rss would count the neighbour's pages too.
///
/// vm-zeropage uses it too (its reasons are in the demand catalogue area).
pub(crate) fn region_rss(pid: i32, start: u64, len: u64) -> Evidence<u64> {
    let region = match super::region_at(pid, start) {
        Ok(r) => r,
        Err(e) => return Evidence::missing(tr!("demand-smaps-unreadable", error = e.to_string())),
    };
    let exact = region.start.0 == start && region.size() == len;
    match region.usage {
        Some(u) if exact => Evidence::Seen(u.rss),
        _ => Evidence::missing(tr!("demand-region-merged")),
    }
}

/// Indices (from `base`) of the present pages among `count` pages of process `pid`,
/// read from its pagemap in batches.
fn present_pages(pid: i32, base: u64, count: u64, ps: u64) -> Evidence<Vec<u64>> {
    let first = base / ps;
    let mut present = Vec::new();
    let scanned = Pagemap::open(pid).and_then(|pm| {
        pm.scan(first, first + count, |vpn, batch| {
            for (k, entry) in batch.iter().enumerate() {
                if entry.present() {
                    present.push(vpn + k as u64 - first);
                }
            }
            Ok(true)
        })
    });
    match scanned {
        Ok(()) => Evidence::Seen(present),
        Err(e) => Evidence::missing(tr!("demand-pagemap-unreadable", error = e.to_string())),
    }
}

/// Word `i` of a message from the child.
fn word(reply: &[u64], i: usize) -> Result<u64> {
    reply
        .get(i)
        .copied()
        .ok_or_else(|| Error::Child(format!("the child's reply {reply:?} is too short")))
}
