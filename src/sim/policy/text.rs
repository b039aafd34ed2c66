//! The exercise's text, and the pieces `vmlab sim tlb` shares: how pages are written,
//! the answer for an access, why a miss chose its frame, the run's table.

use std::sync::Arc;

use super::model::{Choice, Policy, Run, Step};
use super::{Drawn, MAX_ASKED, Solved, Source};
use crate::experiment::Table;
use crate::sim::answer::Tie;
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// How pages are written: decimal when small, hex when they come from big addresses.
#[derive(Clone, Copy, Debug)]
pub struct PageFmt {
    pub hex: bool,
}

impl PageFmt {
    pub fn for_pages(pages: &[u64]) -> PageFmt {
        PageFmt {
            hex: pages.iter().any(|&p| p >= 10_000),
        }
    }

    pub fn show(self, p: u64) -> String {
        if self.hex {
            format!("{p:#x}")
        } else {
            p.to_string()
        }
    }
}

/// The exercise for a drawn problem and its runs.
pub fn exercise(d: &Drawn, s: &Solved) -> Exercise {
    let p = &d.problem;
    let fmt = PageFmt::for_pages(&p.refs);
    let mut e = Exercise::default();
    e.problem.push(Block::Prose(if d.belady {
        tr!(
            "policy-belady-intro",
            policy = p.policy.name(),
            small = p.frames,
            big = p.frames + 1
        )
    } else {
        tr!("policy-memory", frames = p.frames, last = p.frames - 1)
    }));
    e.problem.push(Block::Prose(tr!(
        "policy-rule",
        policy = p.policy.name(),
        rule = rule(p.policy, p.clock_bits)
    )));
    e.problem
        .push(Block::Prose(source_text(&d.source, p.refs.len())));
    e.problem.extend(listing(&p.refs, fmt));
    if !p.draws.is_empty() {
        e.problem.push(Block::Prose(tr!("policy-draws")));
        e.problem.extend(listing(&p.draws, PageFmt { hex: false }));
    }
    if d.belady {
        belady(&mut e, &s.runs, fmt);
    } else {
        single(&mut e, &s.runs[0], fmt);
    }
    e
}

/// Numbers as a paragraph, the first [`MAX_ASKED`] of them.
pub fn listing(values: &[u64], fmt: PageFmt) -> Vec<Block> {
    let shown: Vec<String> = values
        .iter()
        .take(MAX_ASKED)
        .map(|&v| fmt.show(v))
        .collect();
    let mut blocks = vec![Block::Prose(shown.join(", "))];
    if values.len() > MAX_ASKED {
        blocks.push(Block::Note(tr!(
            "policy-more",
            count = values.len() - MAX_ASKED
        )));
    }
    blocks
}

fn source_text(source: &Source, count: usize) -> String {
    match source {
        Source::Given { .. } => tr!("policy-source-given", count = count),
        Source::Trace {
            path, page_size, ..
        } => match page_size {
            Some(size) => tr!(
                "policy-source-trace-addresses",
                count = count,
                path = path.as_str(),
                size = size.to_string()
            ),
            None => tr!(
                "policy-source-trace-pages",
                count = count,
                path = path.as_str()
            ),
        },
        Source::Random {
            maxpage, locality, ..
        } => tr!(
            "policy-source-random",
            count = count,
            last = maxpage - 1,
            locality = *locality
        ),
        Source::Belady { .. } => tr!("policy-source-belady", count = count),
    }
}

/// The policy's rule, as the problem states it.
pub fn rule(policy: Policy, clock_bits: u32) -> String {
    match policy {
        Policy::Fifo => tr!("policy-rule-fifo"),
        Policy::Lru => tr!("policy-rule-lru"),
        Policy::Mru => tr!("policy-rule-mru"),
        Policy::Opt => tr!("policy-rule-opt"),
        Policy::Unopt => tr!("policy-rule-unopt"),
        Policy::Rand => tr!("policy-rule-rand"),
        Policy::Clock => tr!(
            "policy-rule-clock",
            bits = clock_bits,
            max = (1u32 << clock_bits) - 1
        ),
    }
}

fn single(e: &mut Exercise, run: &Run, fmt: PageFmt) {
    let asked = run.steps.len() <= MAX_ASKED;
    e.problem.push(Block::Prose(if asked {
        tr!("policy-task")
    } else {
        tr!("policy-task-long", count = run.steps.len())
    }));
    if asked {
        for (i, step) in run.steps.iter().enumerate() {
            let prompt = tr!(
                "policy-question-access",
                n = i + 1,
                page = fmt.show(step.page)
            );
            e.ask(prompt, access_answer(run, i, fmt));
        }
    }
    totals(e, run, "policy");
    if asked {
        e.solution
            .push(Block::Table(table(run, fmt, &tr!("policy-col-page"))));
        e.solution.push(Block::Note(order_note(run.policy)));
        for (i, step) in run.steps.iter().enumerate() {
            let text = why(step, fmt, &tr!("policy-frame"));
            e.solution.push(Block::Step { id: i + 1, text });
        }
    } else {
        e.solution.push(Block::Note(tr!("policy-steps-in-json")));
    }
    e.solution.push(Block::Prose(summary(run)));
}

/// The three totals questions: hits, misses, hit rate.
pub fn totals(e: &mut Exercise, run: &Run, sim: &str) {
    let tlb = sim == "tlb";
    let hits = if tlb {
        tr!("simtlb-question-hits")
    } else {
        tr!("policy-question-hits")
    };
    e.ask(hits, Answer::dec(run.hits as u64));
    let misses = if tlb {
        tr!("simtlb-question-misses")
    } else {
        tr!("policy-question-misses")
    };
    e.ask(misses, Answer::dec(run.misses as u64));
    let rate = if tlb {
        tr!("simtlb-question-rate")
    } else {
        tr!("policy-question-rate")
    };
    let total = run.steps.len() as u64;
    e.ask(
        rate,
        Answer::Rate {
            hits: run.hits as u64,
            total,
        },
    );
}

/// The answer for access `i` (0-based): hit, miss, or evict PAGE (any tied page).
pub fn access_answer(run: &Run, i: usize, fmt: PageFmt) -> Answer {
    let step = &run.steps[i];
    match (step.hit, step.evicted) {
        (true, _) => Answer::word(Word::Hit),
        (false, None) => Answer::word(Word::Miss),
        (false, Some(page)) => {
            let tied = matches!(step.choice, Some(Choice::NextUse { tie: true, .. }));
            Answer::Evict {
                page,
                shown: fmt.show(page),
                tie: tied.then(|| Tie {
                    access: i,
                    pages: Arc::clone(&run.never_again),
                }),
            }
        }
    }
}

/// Why an access did what it did; `slot` names a frame (or a TLB entry).
pub fn why(step: &Step, fmt: PageFmt, slot: &str) -> String {
    let page = fmt.show(step.page);
    let f = step.frame;
    if step.hit {
        return tr!("policy-why-hit", page = page, slot = slot, n = f);
    }
    let miss = if step.first {
        tr!("policy-why-first")
    } else {
        tr!("policy-why-miss")
    };
    let victim = step.evicted.map(|v| fmt.show(v)).unwrap_or_default();
    let reason = match step.choice {
        None | Some(Choice::Free) => {
            return tr!(
                "policy-why-free",
                page = page,
                miss = miss,
                slot = slot,
                n = f
            );
        }
        Some(Choice::Loaded { at }) => {
            tr!("policy-choice-loaded", victim = victim.as_str(), at = at)
        }
        Some(Choice::Used { at }) => tr!("policy-choice-used", victim = victim.as_str(), at = at),
        Some(Choice::NextUse { at: Some(at), .. }) => {
            tr!("policy-choice-next", victim = victim.as_str(), at = at)
        }
        Some(Choice::NextUse {
            at: None,
            tie: true,
        }) => {
            tr!("policy-choice-never-tie", victim = victim.as_str())
        }
        Some(Choice::NextUse {
            at: None,
            tie: false,
        }) => {
            tr!("policy-choice-never", victim = victim.as_str())
        }
        Some(Choice::Draw { n, value }) => tr!(
            "policy-choice-draw",
            n = n,
            value = value.to_string(),
            slot = slot,
            frame = f
        ),
        Some(Choice::Hand { from, turns }) => {
            tr!(
                "policy-choice-hand",
                from = from,
                turns = turns,
                slot = slot,
                frame = f
            )
        }
    };
    tr!(
        "policy-why-evict",
        page = page,
        miss = miss,
        reason = reason,
        victim = victim.as_str(),
        slot = slot,
        n = f
    )
}

/// The run, one row per access: page, result, evicted, memory after, hits/misses.
pub fn table(run: &Run, fmt: PageFmt, label: &str) -> Table {
    let snap = run.steps.first().is_some_and(|s| s.after.is_some());
    let mut columns = vec![
        "#".to_string(),
        label.to_string(),
        tr!("policy-col-result"),
        tr!("policy-col-evicted"),
    ];
    if snap {
        columns.push(tr!("policy-col-after"));
    }
    columns.push(tr!("policy-col-tally"));
    let mut t = Table::with_columns(columns);
    let (mut h, mut m) = (0, 0);
    for (i, s) in run.steps.iter().enumerate() {
        if s.hit {
            h += 1
        } else {
            m += 1
        }
        let result = if s.hit {
            Word::Hit.text()
        } else {
            Word::Miss.text()
        };
        let mut row = vec![(i + 1).to_string(), fmt.show(s.page), result];
        row.push(s.evicted.map_or("-".to_string(), |e| fmt.show(e)));
        if let Some(after) = &s.after {
            row.push(memory_text(after, run.policy, fmt));
        }
        row.push(format!("{h}/{m}"));
        t.row(row);
    }
    t
}

/// The memory after a step: in the policy's order, CLOCK with use counts and hand.
fn memory_text(after: &super::model::Snapshot, policy: Policy, fmt: PageFmt) -> String {
    if let Some((uses, hand)) = &after.clock {
        let cells: Vec<String> = after
            .frames
            .iter()
            .zip(uses)
            .enumerate()
            .map(|(f, (p, u))| {
                let mark = if f == *hand { ">" } else { "" };
                p.map_or(format!("{mark}-"), |p| format!("{mark}{}:{u}", fmt.show(p)))
            })
            .collect();
        return format!("[{}]", cells.join(","));
    }
    let pages: Vec<String> = match policy {
        Policy::Fifo | Policy::Lru | Policy::Mru => {
            after.order.iter().map(|&p| fmt.show(p)).collect()
        }
        _ => after
            .frames
            .iter()
            .map(|p| p.map_or("-".into(), |p| fmt.show(p)))
            .collect(),
    };
    format!("[{}]", pages.join(","))
}

/// How the memory column lists pages.
pub fn order_note(policy: Policy) -> String {
    match policy {
        Policy::Fifo => tr!("policy-order-fifo"),
        Policy::Lru | Policy::Mru => tr!("policy-order-lru"),
        Policy::Clock => tr!("policy-order-clock"),
        _ => tr!("policy-order-frames"),
    }
}

/// A run's totals in a sentence.
pub fn summary(run: &Run) -> String {
    let total = run.steps.len() as u64;
    tr!(
        "policy-summary",
        policy = run.policy.name(),
        frames = run.frames,
        hits = run.hits,
        misses = run.misses,
        compulsory = run.compulsory,
        rate = Answer::Rate {
            hits: run.hits as u64,
            total
        }
        .canonical()
    )
}

fn belady(e: &mut Exercise, runs: &[Run], fmt: PageFmt) {
    let (small, big) = (&runs[0], &runs[1]);
    let anomaly = big.misses > small.misses;
    e.problem.push(Block::Prose(tr!("policy-belady-task")));
    e.ask(
        tr!("policy-belady-q-misses", frames = small.frames),
        Answer::dec(small.misses as u64),
    );
    e.ask(
        tr!("policy-belady-q-misses", frames = big.frames),
        Answer::dec(big.misses as u64),
    );
    let q = tr!(
        "policy-belady-q-more",
        policy = small.policy.name(),
        big = big.frames,
        small = small.frames
    );
    e.ask(q, Answer::word(if anomaly { Word::Yes } else { Word::No }));
    for run in runs {
        e.solution
            .push(Block::Prose(tr!("policy-belady-with", frames = run.frames)));
        e.solution
            .push(Block::Table(table(run, fmt, &tr!("policy-col-page"))));
    }
    e.solution.push(Block::Note(order_note(small.policy)));
    e.solution.push(Block::Prose(summary(small)));
    e.solution.push(Block::Prose(summary(big)));
    let stack = matches!(small.policy, Policy::Lru | Policy::Opt | Policy::Mru);
    let verdict = match (anomaly, stack) {
        (true, _) => tr!(
            "policy-belady-anomaly",
            more = big.misses - small.misses,
            small = small.misses,
            big = big.misses,
            policy = small.policy.name()
        ),
        (false, true) => tr!("policy-belady-none-stack", policy = small.policy.name()),
        (false, false) => tr!("policy-belady-none"),
    };
    e.solution.push(Block::Prose(verdict));
}
