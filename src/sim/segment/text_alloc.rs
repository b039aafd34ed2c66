//! The exercise's text, part 2: other segments placed and freed under a fit policy,
//! the holes they leave, and compaction.

use super::alloc::{Allocation, Block as Placed, Done, Event, Owner, Solved, holes};
use super::model::{Kind, Problem};
use crate::experiment::Table;
use crate::sim::params::hex;
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// The cells of a memory picture: one character per 1/64 of physical memory.
const CELLS: u64 = 64;
/// Cells per line of the picture, so that it fits [`crate::sim::FIGURE_WIDTH`].
const ROW: u64 = 32;

/// Adds part 2 to `e`: its problem, its questions and its worked solution.
pub fn part(e: &mut Exercise, p: &Problem, a: &Allocation, s: &Solved, w: usize) {
    let first_question = e.questions.len() + 1;
    e.problem.push(Block::Prose(String::new()));
    e.problem.push(Block::Prose(tr!(
        "segment-alloc-intro",
        fit = a.fit.name(),
        rule = a.fit.rule()
    )));
    e.problem.extend(memory(&s.initial, p.physmem, w, true));
    e.problem.push(Block::Prose(tr!("segment-alloc-events")));
    e.problem
        .push(Block::Table(events_table(a, first_question)));
    e.solution.push(Block::Prose(String::new()));
    e.solution.push(Block::Prose(tr!(
        "segment-alloc-rule",
        fit = a.fit.name(),
        rule = a.fit.rule()
    )));
    for (n, done) in s.events.iter().enumerate() {
        event(e, n + 1, done, a, w);
    }
    e.solution.push(Block::Prose(tr!("segment-alloc-after")));
    e.solution.extend(memory(&s.after, p.physmem, w, false));
    totals(e, a, s);
    compaction(e, p, a, s, w);
}

/// A block's name: `P.code` for this process's segments, `s3` for the others.
pub fn name(owner: Owner) -> String {
    match owner {
        Owner::Process(kind) => format!("P.{}", kind.name()),
        Owner::Other(id) => format!("s{id}"),
    }
}

/// The character that stands for a block in the picture.
fn symbol(owner: Owner) -> char {
    const POOL: &[u8] = b"123456789abdefgijkmnopqrtuvwxyz";
    match owner {
        Owner::Process(Kind::Code | Kind::CodeHeap) => 'C',
        Owner::Process(Kind::Heap) => 'H',
        Owner::Process(Kind::Stack) => 'S',
        Owner::Other(id) => POOL[(id.max(1) as usize - 1) % POOL.len()] as char,
    }
}

/// Physical memory drawn (`.` free, a character per block, one per 1/64 of memory,
/// in rows of 32 with the first address of each), with the legend the first time,
/// and as a table.
fn memory(blocks: &[Placed], physmem: u64, w: usize, legend: bool) -> Vec<Block> {
    let cells = CELLS.min(physmem).max(1);
    let line: Vec<char> = (0..cells)
        .map(|c| {
            let mid = ((2 * c + 1) as u128 * physmem as u128 / (2 * cells) as u128) as u64;
            blocks
                .iter()
                .find(|b| b.start <= mid && mid < b.end())
                .map_or('.', |b| symbol(b.owner))
        })
        .collect();
    let rows = line
        .chunks(ROW as usize)
        .enumerate()
        .map(|(r, row)| {
            let start = (r as u128 * ROW as u128 * physmem as u128 / cells as u128) as u64;
            format!("{} |{}|", hex(start, w), row.iter().collect::<String>())
        })
        .collect();
    let mut out = vec![Block::Figure(rows)];
    if legend {
        let bytes = (physmem / cells).to_string();
        out.push(Block::Note(tr!("segment-picture-legend", bytes = bytes)));
    }
    out.push(Block::Table(map(blocks, physmem, w)));
    out
}

/// The memory map: blocks and holes in address order.
fn map(blocks: &[Placed], physmem: u64, w: usize) -> Table {
    let mut rows: Vec<(u64, u64, String)> = blocks
        .iter()
        .filter(|b| b.size > 0)
        .map(|b| (b.start, b.end(), name(b.owner)))
        .chain(
            holes(blocks, physmem)
                .into_iter()
                .map(|(s, e)| (s, e, tr!("segment-free"))),
        )
        .collect();
    rows.sort_by_key(|r| r.0);
    let mut t = Table::with_columns(vec![
        tr!("segment-col-start"),
        tr!("segment-col-end"),
        tr!("segment-col-bytes"),
        tr!("segment-col-contents"),
    ]);
    for (s, e, what) in rows {
        t.row(vec![hex(s, w), hex(e - 1, w), (e - s).to_string(), what]);
    }
    t
}

/// The events, each with the question that asks about it.
fn events_table(a: &Allocation, first_question: usize) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("segment-col-event"),
        tr!("segment-col-operation"),
        tr!("segment-col-question"),
    ]);
    let mut question = first_question;
    for (n, ev) in a.events.iter().enumerate() {
        let (op, asked) = match *ev {
            Event::Alloc { id, size } => {
                question += 1;
                let op = tr!(
                    "segment-op-alloc",
                    name = name(Owner::Other(id)),
                    size = size.to_string()
                );
                (op, (question - 1).to_string())
            }
            Event::Free { id } => (
                tr!("segment-op-free", name = name(Owner::Other(id))),
                String::new(),
            ),
        };
        t.row(vec![(n + 1).to_string(), op, asked]);
    }
    t
}

fn holes_text(h: &[(u64, u64)], w: usize) -> String {
    if h.is_empty() {
        return tr!("segment-holes-none");
    }
    let each: Vec<String> = h
        .iter()
        .map(|(s, e)| {
            tr!(
                "segment-hole",
                start = hex(*s, w),
                size = (e - s).to_string()
            )
        })
        .collect();
    each.join(", ")
}

/// One event: an allocation is a question and a step; a free, a line.
fn event(e: &mut Exercise, n: usize, done: &Done, a: &Allocation, w: usize) {
    match done {
        Done::Alloc {
            id,
            size,
            holes: h,
            chosen,
            start,
        } => {
            let who = name(Owner::Other(*id));
            let prompt = tr!(
                "segment-question-alloc",
                event = n,
                name = who.as_str(),
                size = size.to_string()
            );
            let answer = start.map_or(Answer::word(Word::Fail), |s| Answer::hex(s, w));
            let id = e.ask(prompt, answer);
            let holes = holes_text(h, w);
            let free: u64 = h.iter().map(|(s, e)| e - s).sum();
            let largest = h.iter().map(|(s, e)| e - s).max().unwrap_or(0);
            let (size_s, free_s, largest_s) =
                (size.to_string(), free.to_string(), largest.to_string());
            let text = match chosen {
                Some(c) => tr!(
                    "segment-step-alloc",
                    name = who.as_str(),
                    size = size_s,
                    holes = holes,
                    fit = a.fit.name(),
                    start = hex(h[*c].0, w),
                    hole = (h[*c].1 - h[*c].0).to_string(),
                    last = hex(h[*c].0 + size - 1, w)
                ),
                None if free >= *size => tr!(
                    "segment-step-alloc-fragmented",
                    name = who.as_str(),
                    size = size_s,
                    holes = holes,
                    largest = largest_s,
                    free = free_s
                ),
                None => tr!(
                    "segment-step-alloc-full",
                    name = who.as_str(),
                    size = size_s,
                    holes = holes,
                    largest = largest_s,
                    free = free_s
                ),
            };
            e.solution.push(Block::Step { id, text });
        }
        Done::Free { id, freed } => {
            let who = name(Owner::Other(*id));
            let text = match freed {
                Some(b) => tr!(
                    "segment-step-free",
                    name = who,
                    start = hex(b.start, w),
                    last = hex(b.end() - 1, w),
                    size = b.size.to_string()
                ),
                None => tr!("segment-step-free-nothing", name = who),
            };
            e.solution.push(Block::Item(text));
        }
    }
}

/// The free bytes, the largest hole, and whether the request fits.
fn totals(e: &mut Exercise, a: &Allocation, s: &Solved) {
    let sizes: Vec<String> = s
        .holes_after
        .iter()
        .map(|(b, e)| (e - b).to_string())
        .collect();
    let sum = if sizes.is_empty() {
        tr!("segment-nothing-free")
    } else {
        sizes.join(" + ")
    };
    let id = e.ask(tr!("segment-question-free"), Answer::dec(s.free_total));
    let text = tr!(
        "segment-step-free-total",
        sum = sum,
        total = s.free_total.to_string()
    );
    e.solution.push(Block::Step { id, text });
    let id = e.ask(tr!("segment-question-largest"), Answer::dec(s.largest_hole));
    let text = tr!("segment-step-largest", largest = s.largest_hole.to_string());
    e.solution.push(Block::Step { id, text });
    let (Some(r), Some(fits)) = (a.request, s.fits_without_compaction) else {
        return;
    };
    let prompt = tr!("segment-question-fits", size = r.to_string());
    let id = e.ask(
        prompt,
        Answer::word(if fits { Word::Yes } else { Word::No }),
    );
    let (size, largest) = (r.to_string(), s.largest_hole.to_string());
    let text = if fits {
        tr!("segment-step-fits", size = size, largest = largest)
    } else {
        tr!(
            "segment-step-fits-not",
            size = size,
            largest = largest,
            free = s.free_total.to_string()
        )
    };
    e.solution.push(Block::Step { id, text });
}

/// Compaction: what moves, the bytes copied, the registers rewritten, where the
/// request goes.
fn compaction(e: &mut Exercise, p: &Problem, a: &Allocation, s: &Solved, w: usize) {
    let id = e.ask(tr!("segment-question-copied"), Answer::dec(s.bytes_copied));
    let moves: Vec<String> = s
        .after
        .iter()
        .zip(&s.compacted)
        .map(|(b, c)| {
            if b.start == c.start {
                tr!(
                    "segment-move-stays",
                    name = name(b.owner),
                    start = hex(b.start, w)
                )
            } else {
                tr!(
                    "segment-move",
                    name = name(b.owner),
                    from = hex(b.start, w),
                    to = hex(c.start, w),
                    size = b.size.to_string()
                )
            }
        })
        .collect();
    let moves = if moves.is_empty() {
        tr!("segment-move-nothing")
    } else {
        moves.join("; ")
    };
    let text = tr!(
        "segment-step-compaction",
        moves = moves,
        copied = s.bytes_copied.to_string()
    );
    e.solution.push(Block::Step { id, text });
    let registers: Vec<String> = s
        .compacted
        .iter()
        .filter_map(|b| match b.owner {
            Owner::Process(Kind::Stack) => Some(tr!(
                "segment-register-stack",
                name = name(b.owner),
                base = hex(b.end(), w)
            )),
            Owner::Process(_) => Some(tr!(
                "segment-register",
                name = name(b.owner),
                base = hex(b.start, w)
            )),
            Owner::Other(_) => None,
        })
        .collect();
    if !registers.is_empty() {
        let text = tr!(
            "segment-registers-rewritten",
            registers = registers.join(", ")
        );
        e.solution.push(Block::Prose(text));
    }
    e.solution
        .push(Block::Prose(tr!("segment-alloc-compacted")));
    e.solution.extend(memory(&s.compacted, p.physmem, w, false));
    if let (Some(r), Some(start)) = (a.request, s.request_start) {
        let prompt = tr!("segment-question-after", size = r.to_string());
        let id = e.ask(prompt, Answer::hex(start, w));
        let text = tr!(
            "segment-step-after",
            free = p.physmem.saturating_sub(start).to_string(),
            start = hex(start, w),
            size = r.to_string()
        );
        e.solution.push(Block::Step { id, text });
    }
}
