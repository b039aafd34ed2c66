//! `--real`: the x86-64 walk indices of real addresses of vmlab, this process's
//! page-table memory (VmPTE), and how it grows when pages are touched in fresh 2 MiB
//! spans (each needs a last-level table of its own, by the simulator's rule).

use nix::sys::mman::{MapFlags, MmapAdvise};

use super::geometry::Geometry;
use crate::addr::{Paging, VirtAddr};
use crate::anon::AnonMap;
use crate::demos::status_bytes;
use crate::error::{Error, Result};
use crate::experiment::Table;
use crate::sim::Block;
use crate::tr;

/// How many fresh 2 MiB spans get one page touched.
const SPANS: u64 = 16;

/// The measured part, and the computed cost of a flat table.
pub fn blocks(simulated: &Geometry) -> Vec<Block> {
    let paging = Paging::detect();
    let mut out = indices(&paging);
    match vmpte(&paging, simulated) {
        Ok(blocks) => out.extend(blocks),
        Err(e) => out.push(Block::Note(tr!(
            "multilevel-real-failed",
            error = e.to_string()
        ))),
    }
    out.push(Block::Prose(tr!(
        "multilevel-real-flat",
        bits = paging.user_bits(),
        log2 = paging.flat_table_entries_log2(),
        pte = crate::addr::PTE_BYTES,
        gib = (paging.flat_table_bytes() >> 30).to_string()
    )));
    out
}

/// The machine's levels, and the indices of a code, a heap and a stack address.
fn indices(paging: &Paging) -> Vec<Block> {
    let ps = paging.page_size;
    let heap = std::hint::black_box(Box::new([1u8; 64]));
    let stack = std::hint::black_box(0u64);
    // (what it is, its column, the address)
    let addrs = [
        (
            tr!("multilevel-real-code"),
            tr!("multilevel-real-col-code"),
            indices as *const () as u64,
        ),
        (
            tr!("multilevel-real-heap"),
            tr!("multilevel-real-col-heap"),
            heap.as_ptr() as u64,
        ),
        (
            tr!("multilevel-real-stack"),
            tr!("multilevel-real-col-stack"),
            &stack as *const u64 as u64,
        ),
    ];
    let levels = paging.walk_indices(VirtAddr(0));
    let names: Vec<&str> = levels.iter().map(|l| l.level).collect();
    let mut out = vec![Block::Prose(tr!(
        "multilevel-real-machine",
        page = ps.to_string(),
        levels = levels.len(),
        names = names.join(" → ")
    ))];
    out.extend(
        addrs
            .iter()
            .map(|(what, _, va)| Block::Item(format!("{what}: {va:#018x}"))),
    );
    let mut columns = vec![
        tr!("multilevel-real-col-level"),
        tr!("multilevel-real-col-bits"),
    ];
    columns.extend(addrs.iter().map(|(_, column, _)| column.clone()));
    let mut table = Table::with_columns(columns);
    let walks: Vec<_> = addrs
        .iter()
        .map(|(_, _, va)| paging.walk_indices(VirtAddr(*va)))
        .collect();
    for (k, l) in levels.iter().enumerate() {
        let mut row = vec![l.level.to_string(), format!("{}-{}", l.high_bit, l.low_bit)];
        row.extend(walks.iter().map(|w| w[k].index.to_string()));
        table.row(row);
    }
    let mut row = vec![
        tr!("multilevel-real-offset"),
        format!("{}-0", paging.page_shift - 1),
    ];
    row.extend(
        addrs
            .iter()
            .map(|(_, _, va)| format!("{:#x}", va & (ps - 1))),
    );
    table.row(row);
    drop(heap);
    out.push(Block::Table(table));
    out
}

/// VmPTE now, and after touching one page in each of [`SPANS`] fresh 2 MiB spans.
fn vmpte(paging: &Paging, simulated: &Geometry) -> Result<Vec<Block>> {
    let ps = paging.page_size;
    let pid = std::process::id() as i32;
    let before = status_bytes(pid, "VmPTE")?;
    let mut out = vec![Block::Prose(tr!(
        "multilevel-real-vmpte",
        kib = (before / 1024).to_string(),
        pages = (before / ps).to_string(),
        page = ps.to_string(),
        simulated = simulated.page_size.to_string()
    ))];
    let pt_span = 512 * ps;
    let len = (SPANS + 1) * pt_span;
    let map = AnonMap::new(len, MapFlags::MAP_NORESERVE)
        .map_err(|e| Error::Child(format!("mmap of {len} bytes: {e}")))?;
    let _ = map.advise(map.addr(), len, MmapAdvise::MADV_NOHUGEPAGE);
    let first = map.addr().div_ceil(pt_span) * pt_span;
    for k in 0..SPANS {
        map.touch(first + k * pt_span, 1);
    }
    let after = status_bytes(pid, "VmPTE")?;
    drop(map);
    let grown = after.saturating_sub(before);
    out.push(Block::Prose(tr!(
        "multilevel-real-grown",
        spans = SPANS,
        kib = (grown / 1024).to_string(),
        pages = (grown / ps).to_string()
    )));
    Ok(out)
}
