//! The exercise's text: the heap and the operations, the questions on each step and
//! on the end, a summary table and each step worked out (`explain`), the
//! fragmentation at the end.

use super::Problem;
use super::explain;
use super::heap::{Allocator, Chunk};
use super::run::{MAX_DETAILED, Op, Run, Step};
use crate::experiment::Table;
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// A chunk as the exercise writes it: `address:size`.
pub fn chunk(c: Chunk) -> String {
    format!("{}:{}", c.addr, c.size)
}

/// A list of chunks, in list order.
pub fn chunks(list: &[Chunk]) -> String {
    let items: Vec<String> = list.iter().map(|&c| chunk(c)).collect();
    items.join(" ")
}

/// An operation as malloc.py prints it; `id` is the `ptr[id]` a malloc fills.
pub fn op_text(op: Op, id: usize) -> String {
    match op {
        Op::Alloc(n) => format!("ptr[{id}] = Alloc({n})"),
        Op::Free(k) => format!("Free(ptr[{k}])"),
    }
}

/// Each operation's text, numbering the mallocs' pointers.
fn op_texts(ops: &[Op]) -> Vec<String> {
    let mut ids = 0;
    ops.iter()
        .map(|&op| {
            let t = op_text(op, ids);
            ids += usize::from(matches!(op, Op::Alloc(_)));
            t
        })
        .collect()
}

/// The exercise for problem `p` and its run.
pub fn exercise(p: &Problem, r: &Run) -> Exercise {
    let texts = op_texts(&p.ops);
    let mut e = Exercise {
        problem: problem(&p.allocator),
        ..Exercise::default()
    };
    let mut ops = Table::with_columns(vec![
        tr!("freespace-col-step"),
        tr!("freespace-col-operation"),
        tr!("freespace-col-questions"),
    ]);
    for (n, (s, text)) in r.steps.iter().zip(&texts).take(MAX_DETAILED).enumerate() {
        let asked = ask_step(&mut e, n + 1, s, text);
        let ids: Vec<String> = asked.iter().map(usize::to_string).collect();
        ops.row(vec![(n + 1).to_string(), text.clone(), ids.join(", ")]);
    }
    e.problem.push(Block::Table(ops));
    if p.ops.len() > MAX_DETAILED {
        e.problem.push(Block::Note(tr!(
            "freespace-more",
            shown = MAX_DETAILED,
            total = p.ops.len()
        )));
    }
    e.solution.push(Block::Table(summary(r, &texts)));
    for (n, (s, text)) in r.steps.iter().zip(&texts).take(MAX_DETAILED).enumerate() {
        e.solution.push(Block::Prose(String::new()));
        e.solution.push(Block::Prose(tr!(
            "freespace-step",
            step = n + 1,
            op = text.as_str()
        )));
        e.solution.extend(explain::step(&p.allocator, s));
    }
    end(&mut e, &p.allocator, r);
    e
}

fn problem(a: &Allocator) -> Vec<Block> {
    let align = if a.align == 1 {
        tr!("freespace-align-none")
    } else {
        tr!("freespace-align-bytes", align = a.align.to_string())
    };
    let coalesce = if a.coalesce {
        tr!("freespace-coalesce-on")
    } else {
        tr!("freespace-coalesce-off")
    };
    let start = Chunk {
        addr: a.base,
        size: a.heap_size,
    };
    vec![
        Block::Prose(tr!(
            "freespace-heap",
            size = a.heap_size.to_string(),
            base = a.base.to_string(),
            last = (a.base.saturating_add(a.heap_size).saturating_sub(1)).to_string(),
            header = a.header.to_string(),
            align = align
        )),
        Block::Prose(tr!(
            "freespace-policy",
            fit = a.fit.name(),
            rule = a.fit.rule(),
            order = a.order.name(),
            coalesce = coalesce
        )),
        Block::Item(tr!("freespace-rule-chunk")),
        Block::Item(tr!("freespace-rule-return")),
        Block::Item(tr!("freespace-rule-search")),
        Block::Prose(tr!("freespace-start", list = chunk(start))),
        Block::Note(tr!("freespace-notation")),
        Block::Prose(String::new()),
        Block::Prose(tr!("freespace-ops-head")),
    ]
}

/// The questions on step `n`; returns their numbers.
fn ask_step(e: &mut Exercise, n: usize, s: &Step, text: &str) -> Vec<usize> {
    let mut asked = Vec::new();
    if let Some(a) = &s.alloc {
        let answer = a.ptr.map_or(Answer::word(Word::Null), Answer::dec);
        asked.push(e.ask(
            tr!("freespace-question-returned", step = n, op = text),
            answer,
        ));
        let prompt = tr!("freespace-question-searched", step = n);
        asked.push(e.ask(prompt, Answer::dec(a.searched as u64)));
    }
    if s.free.is_some() {
        let prompt = tr!("freespace-question-list", step = n, op = text);
        asked.push(e.ask(prompt, Answer::dec(s.list_len as u64)));
    }
    asked
}

/// One row per step: what it needed, searched and returned, and the list after.
fn summary(r: &Run, texts: &[String]) -> Table {
    let mut t = Table::with_columns(vec![
        tr!("freespace-col-step"),
        tr!("freespace-col-operation"),
        tr!("freespace-col-need"),
        tr!("freespace-col-searched"),
        tr!("freespace-col-returns"),
        tr!("freespace-col-list"),
    ]);
    // On a narrow screen the need (worked out in each step below) goes first, then
    // the operation (listed in the problem).
    t.optional = vec![2, 1];
    for (n, (s, text)) in r.steps.iter().zip(texts).take(MAX_DETAILED).enumerate() {
        let (need, searched, returns) = match (&s.alloc, &s.free) {
            (Some(a), _) => (
                a.need.map_or("-".into(), |n| n.to_string()),
                a.searched.to_string(),
                a.ptr.map_or("NULL".into(), |p| p.to_string()),
            ),
            (_, Some(f)) => (
                String::new(),
                String::new(),
                if f.invalid.is_some() { "-1" } else { "0" }.to_string(),
            ),
            _ => Default::default(),
        };
        let list = match &s.list_after {
            Some(l) if l.is_empty() => tr!("freespace-list-empty"),
            Some(l) => chunks(l),
            None => String::new(),
        };
        // Without spaces, the operation is one token the table never cuts.
        let op = text.replace(' ', "");
        t.row(vec![(n + 1).to_string(), op, need, searched, returns, list]);
    }
    t
}

/// The heap at the end, its fragmentation, and the questions on it.
fn end(e: &mut Exercise, a: &Allocator, r: &Run) {
    let f = r.fragmentation;
    e.solution.push(Block::Prose(String::new()));
    e.solution.push(Block::Prose(tr!("freespace-end")));
    e.solution.extend(explain::state(&r.free_list, &r.memory));
    e.solution.push(Block::Item(tr!(
        "freespace-end-free",
        bytes = f.free_bytes.to_string(),
        chunks = f.free_chunks,
        largest = f.largest_free.to_string()
    )));
    e.solution.push(Block::Item(explain::external(&f)));
    let internal = a.header > 0 || a.align > 1;
    if internal {
        e.solution.push(Block::Item(tr!(
            "freespace-end-internal",
            chunks = f.allocated_chunks,
            allocated = f.allocated_bytes.to_string(),
            requested = f.requested_bytes.to_string(),
            internal = f.internal_bytes.to_string()
        )));
    }
    e.ask(
        tr!("freespace-question-end-free"),
        Answer::dec(f.free_bytes),
    );
    e.ask(
        tr!("freespace-question-end-chunks"),
        Answer::dec(f.free_chunks as u64),
    );
    e.ask(
        tr!("freespace-question-end-largest"),
        Answer::dec(f.largest_free),
    );
    // Whole percent: the rounded value, and either neighbour (floor or ceiling).
    let part = (f.free_bytes - f.largest_free) as u128 * 100;
    let whole = f.free_bytes.max(1) as u128;
    let (floor, ceil) = ((part / whole) as u64, part.div_ceil(whole) as u64);
    e.ask_any(
        tr!("freespace-question-end-external"),
        Answer::dec(f.external_percent),
        [Answer::dec(floor), Answer::dec(ceil)],
    );
    if internal {
        e.ask(
            tr!("freespace-question-end-internal"),
            Answer::dec(f.internal_bytes),
        );
    }
}
