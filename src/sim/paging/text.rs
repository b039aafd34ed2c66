//! The exercise's text: the sizes and the printed table; one question per address
//! (question N is the N-th address), then the table's size; the worked solution.

use super::model::{Geometry, Problem, Solution, Translation};
use crate::render::human_size;
use crate::sim::params::{hex, hex_width};
use crate::sim::{Answer, Block, Exercise, FIGURE_WIDTH, Word};
use crate::tr;

/// How many hex digits each kind of number is printed with.
struct Digits {
    va: usize,
    pa: usize,
    entry: usize,
}

impl Digits {
    fn of(g: &Geometry) -> Digits {
        Digits {
            va: hex_width(g.asize),
            pa: hex_width(g.physmem),
            entry: 2 * g.pte_size as usize,
        }
    }
}

/// The exercise for problem `p` and its solution `s`.
pub fn exercise(p: &Problem, s: &Solution) -> Exercise {
    let g = &p.geometry;
    let d = Digits::of(g);
    let mut e = Exercise {
        problem: problem(p, &d),
        ..Exercise::default()
    };
    e.solution.push(Block::Prose(tr!(
        "paging-rule",
        shift = g.offset_bits(),
        mask = format!("{:#x}", g.page_size - 1)
    )));
    for t in &s.translations {
        let prompt = tr!(
            "paging-question-va",
            va = hex(t.va, d.va),
            decimal = t.va.to_string()
        );
        let answer = match t.pa {
            Some(pa) => Answer::hex(pa, d.pa),
            None => Answer::word(Word::Fault),
        };
        let id = e.ask(prompt, answer);
        e.solution.push(Block::Step {
            id,
            text: step(g, t, &d),
        });
    }
    sizes(&mut e, g);
    e.solution.extend(closing(p, s));
    e
}

fn problem(p: &Problem, d: &Digits) -> Vec<Block> {
    let g = &p.geometry;
    let mut blocks = vec![
        Block::Prose(tr!(
            "paging-sizes",
            asize = g.asize.to_string(),
            asize_human = human_size(g.asize),
            physmem = g.physmem.to_string(),
            physmem_human = human_size(g.physmem),
            page = g.page_size.to_string(),
            page_human = human_size(g.page_size)
        )),
        Block::Prose(tr!(
            "paging-entry-format",
            bytes = g.pte_size,
            valid_bit = hex(g.valid_bit(), d.entry)
        )),
        Block::Prose(String::new()),
        Block::Prose(tr!(
            "paging-table",
            entries = g.pages(),
            last = (g.pages() - 1).to_string()
        )),
        Block::Figure(table_figure(p, d)),
        Block::Prose(String::new()),
        Block::Prose(tr!("paging-task")),
    ];
    if p.addresses.is_empty() {
        blocks.push(Block::Note(tr!("sim-no-addresses")));
    }
    blocks
}

/// The table as printed: `[VPN] entry`, one per line up to 32 entries, else as many
/// to a line as fit in a figure (row by row: VPN 0, 1, 2 on the first line).
fn table_figure(p: &Problem, d: &Digits) -> Vec<String> {
    let g = &p.geometry;
    let vpn_width = (p.table.len().max(1) - 1).to_string().len();
    let cell_width = vpn_width + 2 + 1 + 2 + d.entry;
    const GAP: usize = 3;
    let per_line = if p.table.len() <= 32 {
        1
    } else {
        ((FIGURE_WIDTH + GAP) / (cell_width + GAP)).max(1)
    };
    p.table
        .chunks(per_line)
        .enumerate()
        .map(|(row, chunk)| {
            let cells: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(i, &pfn)| {
                    let vpn = row * per_line + i;
                    format!("[{vpn:>vpn_width$}] {}", hex(g.entry(pfn), d.entry))
                })
                .collect();
            cells.join(&" ".repeat(GAP))
        })
        .collect()
}

/// One address worked out.
fn step(g: &Geometry, t: &Translation, d: &Digits) -> String {
    let split = tr!(
        "paging-step-split",
        va = hex(t.va, d.va),
        shift = g.offset_bits(),
        vpn = t.vpn.to_string(),
        offset = format!("{:#x}", t.offset)
    );
    let entry = hex(t.entry, d.entry);
    let rest = match t.pa {
        Some(pa) => {
            let pfn = pa >> g.offset_bits();
            tr!(
                "paging-step-valid",
                vpn = t.vpn.to_string(),
                entry = entry,
                pfn = format!("{pfn:#x}"),
                pfn_decimal = pfn.to_string(),
                page = format!("{:#x}", g.page_size),
                offset = format!("{:#x}", t.offset),
                pa = hex(pa, d.pa),
                pa_decimal = pa.to_string()
            )
        }
        None => tr!("paging-step-fault", vpn = t.vpn.to_string(), entry = entry),
    };
    format!("{split} {rest}")
}

/// The questions on the table's size, after the addresses, with their steps.
fn sizes(e: &mut Exercise, g: &Geometry) {
    let (offset, vpn, va) = (g.offset_bits(), g.vpn_bits(), g.va_bits());
    let id = e.ask(
        tr!("paging-question-offset-bits"),
        Answer::dec(offset.into()),
    );
    let text = tr!(
        "paging-step-offset-bits",
        page = g.page_size.to_string(),
        bits = offset,
        mask = format!("{:#x}", g.page_size - 1)
    );
    e.solution.push(Block::Step { id, text });
    let id = e.ask(tr!("paging-question-vpn-bits"), Answer::dec(vpn.into()));
    let text = tr!(
        "paging-step-vpn-bits",
        asize = g.asize.to_string(),
        va_bits = va,
        offset_bits = offset,
        vpn_bits = vpn
    );
    e.solution.push(Block::Step { id, text });
    let id = e.ask(tr!("paging-question-entries"), Answer::dec(g.pages()));
    let text = tr!(
        "paging-step-entries",
        vpn_bits = vpn,
        entries = g.pages().to_string()
    );
    e.solution.push(Block::Step { id, text });
    let id = e.ask(
        tr!("paging-question-bytes", bytes = g.pte_size),
        Answer::dec(g.table_bytes()),
    );
    let text = tr!(
        "paging-step-bytes",
        entries = g.pages().to_string(),
        bytes = g.pte_size,
        total = g.table_bytes().to_string()
    );
    e.solution.push(Block::Step { id, text });
}

/// The share of valid addresses, and the waste multi-level tables avoid.
fn closing(p: &Problem, s: &Solution) -> Vec<Block> {
    let g = &p.geometry;
    let mut blocks = vec![Block::Prose(String::new())];
    if !s.translations.is_empty() {
        let expected = s.valid_pages as f64 * 100.0 / g.pages() as f64;
        blocks.push(Block::Prose(tr!(
            "paging-share",
            valid = s.valid,
            total = s.translations.len(),
            valid_pages = s.valid_pages,
            pages = g.pages().to_string(),
            expected = format!("{expected:.0}%")
        )));
    }
    blocks.push(Block::Prose(tr!(
        "paging-waste",
        bytes = g.table_bytes().to_string()
    )));
    blocks
}
