//! Internal fragmentation of small mappings: mmap hands out whole pages, so a 1-byte
//! mapping costs a page of memory, and one byte past a page boundary costs a second.

use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, ProtFlags};
use serde::{Deserialize, Serialize};

use super::{Observation, size};
use crate::addr::VirtAddr;
use crate::demos::mem::AnonMap;
use crate::demos::region_at;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::{claim, tr};

const BYTE: u8 = 0x5a;

/// What smaps said of one mapping (one VMA) at one moment, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Smaps {
    /// `Size`: the mapping's length, as the kernel rounded it.
    pub size: u64,
    /// `Rss`: how much of it is in RAM.
    pub rss: u64,
    /// `AnonHugePages`: how much of that is mapped by huge pages.
    pub anon_huge: u64,
}

/// A mapping of `requested` bytes, seen fresh, after its first byte was written, and
/// after its last byte was written too (for 1 byte, the same byte).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SmallMapping {
    pub va: VirtAddr,
    /// The length passed to mmap.
    pub requested: u64,
    pub untouched: Evidence<Smaps>,
    pub first_written: Evidence<Smaps>,
    pub both_written: Evidence<Smaps>,
}

/// The smaps entry of the mapping that starts at `va` in this process, or why there
/// is none.
pub(super) fn smaps_at(va: u64) -> Evidence<Smaps> {
    let me = std::process::id() as i32;
    let seen = region_at(me, va)
        .ok()
        .filter(|r| r.start.0 == va)
        .and_then(|r| {
            let u = r.usage.as_ref()?;
            Some(Smaps {
                size: r.size(),
                rss: u.rss,
                anon_huge: u.anon_huge,
            })
        });
    Evidence::from_option(seen, || {
        tr!("fragmentation-smaps-missing", va = VirtAddr(va).hex())
    })
}

/// Maps `requested` bytes between two inaccessible guard pages, so that the kernel
/// cannot merge the mapping with a neighbour and smaps shows it alone; reads smaps
/// fresh, after writing its first byte, and after writing its last.
pub(super) fn gather(ps: u64, requested: u64) -> Result<SmallMapping> {
    let pages = requested.div_ceil(ps) + 2;
    let reserved = AnonMap::new(pages * ps, MapFlags::MAP_NORESERVE)
        .map_err(|e| Error::Child(format!("mmap of {pages} pages: {e}")))?;
    let va = reserved.addr() + ps;
    protect_none(&reserved, pages * ps)?;
    map_fixed(va, requested)?;
    let untouched = smaps_at(va);
    reserved.touch(va, BYTE);
    let first_written = smaps_at(va);
    reserved.touch(va + requested - 1, BYTE);
    let both_written = smaps_at(va);
    Ok(SmallMapping {
        va: VirtAddr(va),
        requested,
        untouched,
        first_written,
        both_written,
    })
}

/// Makes the whole reservation inaccessible (PROT_NONE): the guards around the mapping.
fn protect_none(reserved: &AnonMap, len: u64) -> Result<()> {
    let ptr = NonNull::new(reserved.addr() as *mut std::ffi::c_void)
        .ok_or_else(|| Error::Child("mmap returned a null pointer".into()))?;
    // SAFETY: the range is exactly the mapping `reserved` made; no Rust reference
    // points into it, and nothing reads or writes it until `map_fixed` maps it again.
    unsafe { nix::sys::mman::mprotect(ptr, len as usize, ProtFlags::PROT_NONE) }
        .map_err(|e| Error::Child(format!("mprotect: {e}")))
}

/// mmap(`va`, `len`, read-write, private anonymous, MAP_FIXED): the mapping we measure.
fn map_fixed(va: u64, len: u64) -> Result<()> {
    let (Some(addr), Some(length)) = (
        NonZeroUsize::new(va as usize),
        NonZeroUsize::new(len as usize),
    ) else {
        return Err(Error::Child(format!("mmap({va:#x}, {len})")));
    };
    // SAFETY: [va, va + len) lies inside a reservation of ours (its guard pages on
    // both sides), which nothing else uses; MAP_FIXED replaces only those pages, and
    // the reservation's drop unmaps them with it.
    unsafe {
        nix::sys::mman::mmap_anonymous(
            Some(addr),
            length,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_PRIVATE | MapFlags::MAP_FIXED,
        )
    }
    .map(|_| ())
    .map_err(|e| Error::Child(format!("mmap({va:#x}, {len}, MAP_FIXED): {e}")))
}

/// The table of the small mappings: what smaps showed at each moment.
pub(super) fn narrate(o: &Observation) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("fragmentation-col-mapping"),
        tr!("fragmentation-col-va"),
        tr!("fragmentation-col-size"),
        tr!("fragmentation-col-rss-fresh"),
        tr!("fragmentation-col-rss-first"),
        tr!("fragmentation-col-rss-both"),
        tr!("fragmentation-col-unused"),
    ]);
    for m in [&o.one_byte, &o.past_boundary] {
        let rss = |s: &Evidence<Smaps>| s.seen().map_or("?".into(), |s| size(s.rss));
        t.row(vec![
            format!("mmap({})", m.requested),
            m.va.hex(),
            m.both_written.seen().map_or("?".into(), |s| size(s.size)),
            rss(&m.untouched),
            rss(&m.first_written),
            rss(&m.both_written),
            m.both_written
                .seen()
                .map_or("?".into(), |s| size(s.rss.saturating_sub(m.requested))),
        ]);
    }
    Step::show(
        tr!(
            "fragmentation-step-small",
            page = size(o.page_size),
            boundary = o.past_boundary.requested
        ),
        t,
    )
}

/// A 1-byte mapping is a whole page in the address space and, once written, in RAM.
pub(super) fn one_byte(m: &SmallMapping, ps: u64) -> Claim {
    let seen = m.untouched.clone().zip(m.first_written.clone());
    claim!("fragmentation-one-byte", page = size(ps)).on(seen, |(fresh, written)| {
        let holds = fresh.size == ps && fresh.rss == 0 && written.rss == ps;
        let kernel = tr!(
            "fragmentation-one-byte-seen",
            size = size(fresh.size),
            fresh = size(fresh.rss),
            written = size(written.rss),
            unused = size(written.rss.saturating_sub(m.requested))
        );
        (kernel, holds)
    })
}

/// One byte past a page boundary costs a second page, but only once it is written.
pub(super) fn past_boundary(m: &SmallMapping, ps: u64) -> Claim {
    let seen = m
        .untouched
        .clone()
        .zip(m.first_written.clone())
        .zip(m.both_written.clone());
    claim!(
        "fragmentation-page-boundary",
        bytes = m.requested,
        page = size(ps),
        pages = size(2 * ps)
    )
    .on(seen, |((fresh, first), both)| {
        let holds = fresh.size == 2 * ps && fresh.rss == 0 && first.rss == ps && both.rss == 2 * ps;
        let kernel = tr!(
            "fragmentation-small-seen",
            size = size(fresh.size),
            fresh = size(fresh.rss),
            first = size(first.rss),
            both = size(both.rss),
            unused = size(both.rss.saturating_sub(m.requested))
        );
        (kernel, holds)
    })
}
