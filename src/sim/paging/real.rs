//! `--real`: a buffer of vmlab's own, some pages written and some never touched,
//! translated by the simulator's rule beside the kernel's own page-table entry
//! (/proc/self/pagemap); then what a linear table would cost on this machine.

use nix::sys::mman::{MapFlags, MmapAdvise};

use crate::addr::{Paging, PagingLevels};
use crate::anon::AnonMap;
use crate::error::{Error, Result};
use crate::experiment::Table;
use crate::pagemap::Pagemap;
use crate::sim::{Block, Rng};
use crate::tr;

/// Pages in the buffer: 0 and 2 are written, 1 and 3 never touched.
const PAGES: u64 = 4;

/// The measured part, and the computed cost of a flat table.
pub fn blocks() -> Vec<Block> {
    let paging = Paging::detect();
    let mut out = match measure(&paging) {
        Ok(blocks) => blocks,
        Err(e) => vec![Block::Note(tr!(
            "paging-real-failed",
            error = e.to_string()
        ))],
    };
    out.push(Block::Prose(flat_table(&paging)));
    out
}

/// What one row of the table found.
enum Frame {
    Present(u64),
    /// Present, but the kernel shows no PFN to this process.
    Hidden,
    Absent,
}

fn measure(paging: &Paging) -> Result<Vec<Block>> {
    let ps = paging.page_size;
    let map = AnonMap::new(PAGES * ps, MapFlags::empty())
        .map_err(|e| Error::Child(format!("mmap of {PAGES} pages: {e}")))?;
    // Small pages whatever the THP setting; refused only where THP is compiled out,
    // and then the pages are small anyway.
    let _ = map.advise(map.addr(), PAGES * ps, MmapAdvise::MADV_NOHUGEPAGE);
    for page in [0, 2] {
        map.touch(map.addr() + page * ps, 0x5a);
    }
    let pagemap = Pagemap::open(std::process::id() as i32)?;
    // Any address inside each page will do; the buffer's own address picks them.
    let mut rng = Rng::new(map.addr());
    let mut table = Table::with_columns(vec![
        tr!("paging-real-col-page"),
        tr!("paging-real-col-va"),
        tr!("paging-real-col-vpn"),
        tr!("paging-real-col-offset"),
        tr!("paging-real-col-pfn"),
        tr!("paging-real-col-pa"),
    ]);
    // Narrow screens drop the offset, then the VPN: both show in the VA.
    table.optional = vec![3, 2];
    let (mut hidden, mut absent) = (false, false);
    for page in 0..PAGES {
        let va = map.addr() + page * ps + rng.below(ps);
        let vpn = va >> paging.page_shift;
        let offset = va & (ps - 1);
        let frame = match pagemap.entry(vpn)? {
            Some(e) if e.present() && e.raw_pfn() != 0 => Frame::Present(e.raw_pfn()),
            Some(e) if e.present() => Frame::Hidden,
            _ => Frame::Absent,
        };
        let (pfn, pa) = match frame {
            Frame::Present(pfn) => (
                format!("{pfn:#x}"),
                format!("{:#x}", (pfn << paging.page_shift) | offset),
            ),
            Frame::Hidden => {
                hidden = true;
                (tr!("paging-real-pfn-hidden"), "-".into())
            }
            Frame::Absent => {
                absent = true;
                (tr!("paging-real-pfn-none"), "-".into())
            }
        };
        table.row(vec![
            page.to_string(),
            format!("{va:#x}"),
            format!("{vpn:#x}"),
            format!("{offset:#x}"),
            pfn,
            pa,
        ]);
    }
    let mut out = vec![
        Block::Prose(tr!(
            "paging-real-buffer",
            pages = PAGES,
            page = ps.to_string(),
            addr = format!("{:#x}", map.addr())
        )),
        Block::Table(table),
    ];
    if absent {
        out.push(Block::Prose(tr!("paging-real-absent")));
    }
    if hidden {
        out.push(Block::Note(tr!("paging-real-hidden")));
    }
    drop(map);
    Ok(out)
}

/// The flat table's cost: the same computation as vm-pagetable-cost and `sim
/// multilevel --real` ([`Paging::flat_table_bytes`]).
fn flat_table(paging: &Paging) -> String {
    let levels = match paging.levels {
        PagingLevels::Four => 4,
        PagingLevels::Five => 5,
    };
    tr!(
        "paging-real-flat",
        bits = paging.user_bits(),
        page = paging.page_size.to_string(),
        pte = crate::addr::PTE_BYTES,
        log2 = paging.flat_table_entries_log2(),
        entries = paging.flat_table_entries().to_string(),
        gib = (paging.flat_table_bytes() >> 30).to_string(),
        levels = levels
    )
}
