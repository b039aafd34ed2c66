//! (c) The accessed bit: cleared by clear_refs 1, set again by a touch.
//!
//! The MMU sets a page's accessed bit when it walks the page table to load the
//! translation into the TLB. clear_refs clears the bits in the page table but, to stay
//! cheap, leaves the TLB alone: a translation still cached would let a touch go
//! unrecorded (it does, often, here). So after clearing, the demo flushes the TLB for
//! its pages with an mprotect round trip, and every touch then walks the table.

use memmap2::MmapMut;
use serde::{Deserialize, Serialize};

use super::{PAGES, Smaps, TOUCHED, clear_refs, kib, kib_list, marks, one_region_per_page};
use super::{page_list, per_page_smaps};
use crate::addr::VirtAddr;
use crate::demos::Lab;
use crate::demos::page::yes_no;
use crate::error::{Error, Result};
use crate::experiment::{Claim, Evidence, Step, Table};
use crate::{claim, tr};

/// What (c) saw: every page's smaps record at each moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Accessed {
    pub va: VirtAddr,
    /// The pages read after clearing.
    pub touched: Vec<usize>,
    /// After every page was written, before clearing.
    pub before: Evidence<Vec<Smaps>>,
    /// After `echo 1 > /proc/self/clear_refs` and the TLB flush.
    pub cleared: Evidence<Vec<Smaps>>,
    /// After the [`TOUCHED`] pages were read.
    pub after_touch: Evidence<Vec<Smaps>>,
}

/// Writes every page (so each has a frame of its own: the zero page would not count),
/// clears the accessed bits, flushes the TLB, reads the [`TOUCHED`] pages. Missing
/// when clear_refs cannot be written.
pub fn gather(lab: &Lab) -> Result<Evidence<Accessed>> {
    let ps = lab.page_size() as usize;
    let mut mem = one_region_per_page(ps)?;
    for p in 0..PAGES {
        mem[p * ps] = 0xA5;
    }
    let va = mem.as_ptr() as u64;
    let before = per_page_smaps(va, PAGES, ps as u64);
    if let Err(reason) = clear_refs("1") {
        return Ok(Evidence::missing(reason));
    }
    flush_tlb(&mut mem)?;
    let cleared = per_page_smaps(va, PAGES, ps as u64);
    let base = mem.as_ptr();
    let mut sum = 0u8;
    for &p in &TOUCHED {
        // SAFETY: p < PAGES: inside the mapping.
        sum = sum.wrapping_add(unsafe { std::ptr::read_volatile(base.add(p * ps)) });
    }
    std::hint::black_box(sum);
    Ok(Evidence::Seen(Accessed {
        va: VirtAddr(va),
        touched: TOUCHED.to_vec(),
        before,
        cleared,
        after_touch: per_page_smaps(va, PAGES, ps as u64),
    }))
}

/// Makes the CPU forget its cached translations (TLB entries) of `mem`: taking write
/// permission away and giving it back changes every entry, and mprotect flushes the
/// TLB for the range; the accessed bits stay as they are.
fn flush_tlb(mem: &mut MmapMut) -> Result<()> {
    let (ptr, len) = (mem.as_mut_ptr().cast::<libc::c_void>(), mem.len());
    for prot in [libc::PROT_READ, libc::PROT_READ | libc::PROT_WRITE] {
        // SAFETY: the whole mapping `mem` owns; nothing accesses it in between, and it
        // ends read-write as it started.
        if unsafe { libc::mprotect(ptr, len, prot) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(Error::Child(format!("mprotect: {e}")));
        }
    }
    Ok(())
}

pub fn narrate(c: &Accessed) -> Step {
    let mut t = Table::with_columns(vec![
        tr!("pages-header-page"),
        tr!("dirty-header-perms"),
        tr!("dirty-header-touched"),
        tr!("dirty-header-referenced-before"),
        tr!("dirty-header-after-clear-refs"),
        tr!("dirty-header-after-touch"),
    ]);
    let at = |e: &Evidence<Vec<Smaps>>, p: usize, f: fn(&Smaps) -> String| {
        e.seen().and_then(|v| v.get(p)).map_or("?".into(), f)
    };
    for p in 0..PAGES {
        t.row(vec![
            p.to_string(),
            at(&c.before, p, |s| s.perms.clone()),
            yes_no(c.touched.contains(&p)),
            at(&c.before, p, |s| kib(s.referenced)),
            at(&c.cleared, p, |s| kib(s.referenced)),
            at(&c.after_touch, p, |s| kib(s.referenced)),
        ]);
    }
    Step::show(
        tr!(
            "dirty-step-accessed",
            pages = PAGES,
            va = c.va.hex(),
            touched = page_list(&c.touched)
        ),
        t,
    )
}

/// The claims of (c); unverifiable, with the reason, when clear_refs failed.
pub fn judge(accessed: &Evidence<Accessed>, page_size: u64) -> Vec<Claim> {
    let touched = accessed.seen().map_or(TOUCHED.len(), |c| c.touched.len());
    let cleared = claim!("dirty-accessed-cleared");
    let grows = claim!(
        "dirty-accessed-touched",
        count = touched,
        bytes = kib(touched as u64 * page_size)
    );
    let Evidence::Seen(c) = accessed else {
        let why = accessed.reason().unwrap_or_default();
        return vec![cleared.unverifiable(why), grows.unverifiable(why)];
    };
    let referenced = |e: &Evidence<Vec<Smaps>>| {
        e.clone()
            .map(|v| v.iter().map(|s| s.referenced).collect::<Vec<u64>>())
    };
    let before = referenced(&c.before)
        .seen()
        .map_or("?".into(), |b| kib_list(b.clone()));
    let after_clear = referenced(&c.cleared);
    let cleared = cleared.on(after_clear.clone(), |a| {
        let kernel = tr!(
            "dirty-accessed-cleared-seen",
            before = before,
            after = kib_list(a.clone())
        );
        (kernel, a.iter().all(|&r| r == 0))
    });
    let expect: Vec<u64> = marks(&c.touched)
        .iter()
        .map(|&t| if t { page_size } else { 0 })
        .collect();
    let grows = grows.on(after_clear.zip(referenced(&c.after_touch)), |(a, t)| {
        let growth = t.iter().sum::<u64>() as i64 - a.iter().sum::<u64>() as i64;
        let kernel = tr!(
            "dirty-accessed-touched-seen",
            growth = format!("{:+}", growth / 1024),
            list = kib_list(t.clone())
        );
        (kernel, t == expect)
    });
    vec![cleared, grows]
}
