//! The geometry of a multi-level page table: how big pages, entries and the address
//! space are, and how a virtual address splits into one index per level and an
//! offset.

use serde::Serialize;

use crate::error::Result;
use crate::sim::{bad_param, power_of_two};
use crate::tr;

/// The largest memory dump printed.
pub const MAX_PHYSMEM: u64 = 64 << 10;

/// The checked sizes of a problem and how a virtual address splits. Made by
/// [`Geometry::new`] (outside vmlab only there), so that its fields agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Geometry {
    pub page_size: u64,
    pub physmem: u64,
    pub asize: u64,
    /// 2 or 3.
    pub levels: u32,
    pub frames: u64,
    /// Bytes per entry (1, 2 or 4): the smallest that holds every PFN below its valid
    /// bit.
    pub entry_bytes: u64,
    pub entries_per_page: u64,
    pub offset_bits: u32,
    pub vpn_bits: u32,
    /// Index bits of each level below the top, and of the top level.
    pub index_bits: u32,
    pub top_bits: u32,
}

impl Geometry {
    /// Checks the sizes: pages of 8 to 4096 bytes (a power of two), 2 or 3 levels,
    /// physical memory a multiple of the page size of at most [`MAX_PHYSMEM`] (a dump
    /// to print), and an address space (by default the most the levels map, a full top
    /// directory) that leaves the top level at least one bit.
    pub fn new(page_size: u64, physmem: u64, levels: u32, asize: Option<u64>) -> Result<Geometry> {
        check_memory(page_size, physmem, levels)?;
        let frames = physmem / page_size;
        // The smallest entry whose low bits hold every PFN, with the valid bit on top.
        let entry_bytes = [1u64, 2, 4]
            .into_iter()
            .find(|b| frames - 1 < 1u64 << (8 * b - 1))
            .unwrap_or(4);
        let entries_per_page = page_size / entry_bytes;
        if entries_per_page < 2 {
            let why = tr!(
                "multilevel-error-entries",
                page = page_size.to_string(),
                bytes = entry_bytes
            );
            return Err(bad_param("pagesize", why));
        }
        let mut g = Geometry {
            page_size,
            physmem,
            asize: 0,
            levels,
            frames,
            entry_bytes,
            entries_per_page,
            offset_bits: page_size.trailing_zeros(),
            vpn_bits: 0,
            index_bits: entries_per_page.trailing_zeros(),
            top_bits: 0,
        };
        let full = g.offset_bits + levels * g.index_bits;
        g.asize = asize.unwrap_or(1u64 << full);
        let va_bits = g.check_asize(full)?;
        let below = g.offset_bits + (levels - 1) * g.index_bits;
        g.vpn_bits = va_bits - g.offset_bits;
        g.top_bits = va_bits - below;
        Ok(g)
    }

    /// The address space's bits, when they leave the top level at least one bit and
    /// the levels map them all (`full` bits at most).
    fn check_asize(&self, full: u32) -> Result<u32> {
        let text = |v: u64| v.to_string();
        power_of_two("asize", self.asize)?;
        let va_bits = self.asize.trailing_zeros();
        let below = self.offset_bits + (self.levels - 1) * self.index_bits;
        if va_bits <= below {
            let why = tr!(
                "multilevel-error-asize-small",
                asize = text(self.asize),
                va_bits = va_bits,
                offset_bits = self.offset_bits,
                index_bits = self.index_bits,
                below = below
            );
            return Err(bad_param("asize", why));
        }
        if va_bits > full {
            let why = tr!(
                "multilevel-error-asize-large",
                asize = text(self.asize),
                va_bits = va_bits,
                levels = self.levels,
                index_bits = self.index_bits,
                entries = text(self.entries_per_page),
                offset_bits = self.offset_bits,
                full = full,
                max = text(1u64 << full)
            );
            return Err(bad_param("asize", why));
        }
        Ok(va_bits)
    }

    /// Bits of a virtual address.
    pub fn va_bits(&self) -> u32 {
        self.offset_bits + self.vpn_bits
    }

    /// The valid bit of an entry: its top bit.
    pub fn valid_bit(&self) -> u64 {
        1u64 << (8 * self.entry_bytes - 1)
    }

    /// The PFN an entry holds: the bits below the valid bit.
    pub fn pfn(&self, entry: u64) -> u64 {
        entry & (self.valid_bit() - 1)
    }

    /// Virtual pages in the address space.
    pub fn vpages(&self) -> u64 {
        self.asize / self.page_size
    }

    /// The index bits of `level` (0 = top).
    pub fn bits_of(&self, level: u32) -> u32 {
        if level == 0 {
            self.top_bits
        } else {
            self.index_bits
        }
    }

    /// The entries of `level`'s tables that an address can reach.
    pub fn reach_of(&self, level: u32) -> u64 {
        1u64 << self.bits_of(level)
    }

    /// The lowest address bit of `level`'s index.
    pub fn low_bit_of(&self, level: u32) -> u32 {
        self.offset_bits + (self.levels - 1 - level) * self.index_bits
    }

    /// The index into `level`'s table for `va`.
    pub fn index(&self, va: u64, level: u32) -> u64 {
        (va >> self.low_bit_of(level)) & ((1u64 << self.bits_of(level)) - 1)
    }

    /// A linear table for the same address space: one entry per virtual page.
    pub fn linear_bytes(&self) -> u64 {
        self.vpages() * self.entry_bytes
    }

    /// What a fresh table holds in every entry: all ones but the valid bit, as OSTEP's
    /// 0x7f (only the valid bit matters).
    pub fn invalid_entry(&self) -> u64 {
        self.valid_bit() - 1
    }
}

/// Pages of 8 to 4096 bytes (a power of two), 2 or 3 levels, physical memory of at
/// least two pages, a multiple of the page size, at most [`MAX_PHYSMEM`].
fn check_memory(page_size: u64, physmem: u64, levels: u32) -> Result<()> {
    let text = |v: u64| v.to_string();
    power_of_two("pagesize", page_size)?;
    if !(8..=4096).contains(&page_size) {
        let why = tr!("multilevel-error-pagesize", page = text(page_size));
        return Err(bad_param("pagesize", why));
    }
    if !(2..=3).contains(&levels) {
        let why = tr!("multilevel-error-levels", levels = levels);
        return Err(bad_param("levels", why));
    }
    if physmem == 0 || !physmem.is_multiple_of(page_size) {
        let why = tr!(
            "multilevel-error-physmem-multiple",
            physmem = text(physmem),
            page = text(page_size)
        );
        return Err(bad_param("physmem", why));
    }
    if physmem > MAX_PHYSMEM {
        let why = tr!(
            "multilevel-error-physmem-large",
            physmem = text(physmem),
            max = text(MAX_PHYSMEM)
        );
        return Err(bad_param("physmem", why));
    }
    if physmem / page_size < 2 {
        return Err(bad_param("physmem", tr!("multilevel-error-one-frame")));
    }
    Ok(())
}
