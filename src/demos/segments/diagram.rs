//! The address space drawn top down (high addresses first): the regions that hold
//! the items, plus heap and stack, with the gaps between them labelled.

use super::layout::{Item, Segment, label};
use crate::experiment::{Figure, MapRegion};
use crate::render::human_size;
use crate::tr;

/// The drawing of `regions` (lowest first, as recorded), highest first, each
/// labelled with the items it holds and the gap below it.
pub fn draw(regions: &[Segment], items: &[Item]) -> Figure {
    let drawn: Vec<MapRegion> = regions
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| {
            let labels: Vec<String> = items
                .iter()
                .filter(|it| it.region.seen().is_some_and(|x| x.start == r.start))
                .map(|it| label(it.thing))
                .collect();
            MapRegion {
                top: r.end.0,
                bottom: r.start.0,
                label: format!(
                    "{:<12} {} {:>9}  {}",
                    r.kind,
                    r.perms,
                    human_size(r.end.0 - r.start.0),
                    r.name
                ),
                note: (!labels.is_empty()).then(|| format!("← {}", labels.join(", "))),
                gap_below: i.checked_sub(1).map(|below| gap(r, &regions[below])),
            }
        })
        .collect();
    Figure::Map { regions: drawn }
}

/// The gap between region `a` and the region `r` below it: its size, and how many
/// regions the drawing leaves out there.
fn gap(a: &Segment, r: &Segment) -> String {
    let size = a.start.0.saturating_sub(r.end.0);
    let skipped = a.index.saturating_sub(r.index + 1);
    let gap = if size == 0 {
        tr!("segments-diagram-adjacent")
    } else {
        tr!("segments-diagram-gap", size = human_size(size))
    };
    if skipped > 0 {
        tr!("segments-diagram-skipped", gap = gap, count = skipped)
    } else {
        gap
    }
}
