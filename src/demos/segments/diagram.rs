//! The address space drawn top down (high addresses first): the regions that hold
//! the items, plus heap and stack, with the gaps between them labelled.

use super::layout::{Item, Segment, label};
use crate::render::human_size;
use crate::tr;

/// Width of a region's box, inside the borders.
const BOX: usize = 52;

/// The drawing of `regions` (lowest first, as recorded), each labelled with the items
/// it holds.
pub fn draw(regions: &[Segment], items: &[Item]) -> String {
    let mut out = String::new();
    let mut above: Option<&Segment> = None;
    for r in regions.iter().rev() {
        if let Some(a) = above {
            out.push_str(&format!("{:16} ┆ {}\n", "", gap(a, r)));
        }
        let labels: Vec<String> = items
            .iter()
            .filter(|i| i.region.seen().is_some_and(|x| x.start == r.start))
            .map(|i| label(i.thing))
            .collect();
        let name = format!(
            "{:<12} {} {:>9}  {}",
            r.kind,
            r.perms,
            human_size(r.end.0 - r.start.0),
            r.name
        );
        let arrow = if labels.is_empty() {
            String::new()
        } else {
            format!(" ← {}", labels.join(", "))
        };
        out.push_str(&format!("{:016x} ┌{}┐\n", r.end.0, "─".repeat(BOX)));
        out.push_str(&format!(
            "{:16} │ {:<w$} │{arrow}\n",
            "",
            truncate(&name, BOX - 2),
            w = BOX - 2
        ));
        out.push_str(&format!("{:016x} └{}┘\n", r.start.0, "─".repeat(BOX)));
        above = Some(r);
    }
    out
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

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
