//! `--real`: what this machine has instead of segments. Linux on x86-64 gives CS, DS
//! and SS base 0 and no limit; the code, heap and stack are areas of one paged address
//! space, read here from vmlab's own /proc/self/maps.

use crate::experiment::Table;
use crate::render::human_size;
use crate::sim::Block;
use crate::space::{AddressSpace, RegionKind};
use crate::tr;

/// The measured part.
pub fn blocks() -> Vec<Block> {
    let mut out = vec![Block::Prose(tr!("segment-real-intro"))];
    match AddressSpace::read_layout(std::process::id() as i32) {
        Ok(space) => {
            out.push(Block::Table(areas(&space)));
            out.push(Block::Prose(tr!("segment-real-no-limit")));
        }
        Err(e) => out.push(Block::Note(tr!(
            "segment-real-unreadable",
            error = e.to_string()
        ))),
    }
    out.push(Block::Prose(tr!("segment-real-see")));
    out
}

/// The code, heap and stack areas: first and last address, size, how each grows.
fn areas(space: &AddressSpace) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("segment-real-col-area"),
        tr!("segment-real-col-start"),
        tr!("segment-real-col-end"),
        tr!("segment-real-col-size"),
        tr!("segment-real-col-grows"),
    ]);
    t.optional = vec![4];
    for (kind, area, grows) in [
        (
            RegionKind::Text,
            tr!("segment-kind-code"),
            tr!("segment-real-fixed"),
        ),
        (
            RegionKind::Heap,
            tr!("segment-kind-heap"),
            tr!("segment-real-brk"),
        ),
        (
            RegionKind::Stack,
            tr!("segment-kind-stack"),
            tr!("segment-real-down"),
        ),
    ] {
        let regions: Vec<_> = space.regions.iter().filter(|r| r.kind == kind).collect();
        match (regions.first(), regions.last()) {
            (Some(first), Some(last)) => t.row(vec![
                area,
                // Unpadded, so that the table fits 60 columns whole.
                format!("{:#x}", first.start.0),
                format!("{:#x}", last.end.0),
                human_size(last.end.0 - first.start.0),
                grows,
            ]),
            _ => t.row(vec![
                area,
                tr!("segment-real-none"),
                "–".into(),
                "–".into(),
                grows,
            ]),
        }
    }
    t
}
