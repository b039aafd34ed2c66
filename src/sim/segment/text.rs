//! The exercise's text, part 1: the segment registers, one question per address and
//! one per segment edge, the worked translations. Part 2 is in `text_alloc`.

use super::model::{Problem, Solution, Translation};
use super::text_alloc;
use crate::experiment::Table;
use crate::render::human_size;
use crate::sim::params::{hex, hex_width};
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// The exercise for problem `p` and its solution `s`; `one_listed`: the address list
/// given was one number, perhaps meant as a count.
pub fn exercise(p: &Problem, s: &Solution, one_listed: bool) -> Exercise {
    let w = hex_width(p.asize.max(p.physmem));
    let mut e = Exercise {
        problem: problem(p, w),
        ..Exercise::default()
    };
    if one_listed {
        e.problem.push(Block::Note(tr!("sim-one-listed")));
    }
    e.solution.push(Block::Prose(tr!("segment-solution-part1")));
    e.solution.push(Block::Prose(check(p, s, w)));
    for t in &s.translations {
        let prompt = tr!(
            "segment-question",
            va = hex(t.va, w),
            decimal = t.va.to_string()
        );
        let answer = match t.pa {
            Some(pa) => Answer::hex(pa, w),
            None => Answer::word(Word::Fault),
        };
        let id = e.ask(prompt, answer);
        e.solution.push(Block::Step {
            id,
            text: step(p, t, w),
        });
    }
    edges(&mut e, p, s, w);
    share(&mut e, p, s);
    if let (Some(a), Some(solved)) = (&p.allocation, &s.allocation) {
        text_alloc::part(&mut e, p, a, solved, w);
    }
    e
}

fn problem(p: &Problem, w: usize) -> Vec<Block> {
    let va_bits = p.asize.trailing_zeros();
    let mut blocks = vec![
        Block::Prose(tr!(
            "segment-sizes",
            asize = p.asize.to_string(),
            asize_human = human_size(p.asize),
            physmem = p.physmem.to_string(),
            physmem_human = human_size(p.physmem)
        )),
        Block::Prose(tr!(
            "segment-split",
            bits = p.seg_bits,
            va_bits = va_bits,
            offset_bits = va_bits.saturating_sub(p.seg_bits),
            max = p.max_segment().to_string()
        )),
        Block::Table(registers(p, w)),
        Block::Note(tr!("segment-stack-note")),
        Block::Prose(String::new()),
        Block::Prose(tr!("segment-task")),
    ];
    if p.addresses.is_empty() {
        blocks.push(Block::Note(tr!("sim-no-addresses")));
    }
    blocks
}

/// The segment registers, one row per segment, and the unused selector.
fn registers(p: &Problem, w: usize) -> Table {
    let bits = p.seg_bits as usize;
    let mut t = Table::with_columns(vec![
        tr!("segment-col-segment"),
        tr!("segment-col-selector"),
        tr!("segment-col-base"),
        tr!("segment-col-limit"),
        tr!("segment-col-grows"),
    ]);
    for s in &p.segments {
        t.row(vec![
            s.kind.name(),
            format!("{:0bits$b}", s.selector),
            hex(s.base, w),
            s.limit.to_string(),
            if s.grows_down {
                tr!("segment-grows-down")
            } else {
                tr!("segment-grows-up")
            },
        ]);
    }
    let used = |sel: u64| p.segments.iter().any(|s| s.selector == sel);
    for sel in (0..1u64 << p.seg_bits).filter(|&sel| !used(sel)) {
        t.row(vec![
            tr!("segment-unused"),
            format!("{sel:0bits$b}"),
            "–".into(),
            "–".into(),
            "–".into(),
        ]);
    }
    t
}

/// The check before the steps: where each segment lies in physical memory.
fn check(p: &Problem, s: &Solution, w: usize) -> String {
    let extents: Vec<String> = p
        .segments
        .iter()
        .zip(&s.segments)
        .map(|(seg, r)| {
            let (a, b) = r.physical;
            if a == b {
                tr!("segment-extent-empty", segment = seg.kind.name())
            } else {
                tr!(
                    "segment-extent",
                    segment = seg.kind.name(),
                    start = hex(a, w),
                    end = hex(b, w)
                )
            }
        })
        .collect();
    tr!(
        "segment-check",
        end = hex(p.physmem, w),
        extents = extents.join(", ")
    )
}

/// `va` in binary, the selector bits apart: `01|0000100000`.
fn binary(va: u64, va_bits: u32, sel_bits: u32) -> String {
    let s = format!("{va:0width$b}", width = va_bits as usize);
    let (a, b) = s.split_at((sel_bits as usize).min(s.len()));
    format!("{a}|{b}")
}

/// One address worked out.
fn step(p: &Problem, t: &Translation, w: usize) -> String {
    let va_bits = p.asize.trailing_zeros();
    let head = tr!(
        "segment-step-head",
        va = hex(t.va, w),
        binary = binary(t.va, va_bits, p.seg_bits),
        selector = format!("{:0b$b}", t.selector, b = p.seg_bits as usize)
    );
    let Some(s) = t.segment.map(|i| &p.segments[i]) else {
        return tr!("segment-step-unused", head = head);
    };
    let (segment, offset, decimal) = (s.kind.name(), hex(t.offset, w), t.offset.to_string());
    let limit = s.limit.to_string();
    let below = t
        .negative_offset
        .map_or(0, |n| n.unsigned_abs())
        .to_string();
    let max = p.max_segment().to_string();
    match (s.grows_down, t.pa) {
        (false, Some(pa)) => tr!(
            "segment-step-up-valid",
            head = head,
            segment = segment,
            offset = offset,
            decimal = decimal,
            limit = limit,
            base = hex(s.base, w),
            pa = hex(pa, w)
        ),
        (false, None) => tr!(
            "segment-step-up-fault",
            head = head,
            segment = segment,
            offset = offset,
            decimal = decimal,
            limit = limit
        ),
        (true, Some(pa)) => tr!(
            "segment-step-down-valid",
            head = head,
            segment = segment,
            offset = offset,
            decimal = decimal,
            max = max,
            below = below,
            limit = limit,
            base = hex(s.base, w),
            pa = hex(pa, w)
        ),
        (true, None) => tr!(
            "segment-step-down-fault",
            head = head,
            segment = segment,
            offset = offset,
            decimal = decimal,
            max = max,
            below = below,
            limit = limit
        ),
    }
}

/// One question per segment: its highest valid address (its lowest, for the stack).
fn edges(e: &mut Exercise, p: &Problem, s: &Solution, w: usize) {
    let max = p.max_segment();
    for (seg, reach) in p.segments.iter().zip(&s.segments) {
        let segment = seg.kind.name();
        let (prompt, edge) = if seg.grows_down {
            (
                tr!("segment-question-lowest", segment = segment.as_str()),
                reach.valid.map(|r| r.0),
            )
        } else {
            (
                tr!("segment-question-highest", segment = segment.as_str()),
                reach.valid.map(|r| r.1),
            )
        };
        let answer = edge.map_or(Answer::word(Word::None), |a| Answer::hex(a, w));
        let slot = seg.selector.saturating_mul(max);
        let text = match edge {
            None => tr!("segment-edge-none", segment = segment.as_str()),
            Some(a) if seg.grows_down => tr!(
                "segment-edge-down",
                segment = segment.as_str(),
                edge = hex(a, w),
                max = max.to_string(),
                top = hex(slot.saturating_add(max), w),
                limit = seg.limit.to_string()
            ),
            Some(a) => tr!(
                "segment-edge-up",
                segment = segment.as_str(),
                edge = hex(a, w),
                slot = hex(slot, w),
                limit = seg.limit.to_string()
            ),
        };
        let id = e.ask(prompt, answer);
        e.solution.push(Block::Step { id, text });
    }
}

/// The share of valid addresses, and what a uniform draw leads to expect.
fn share(e: &mut Exercise, p: &Problem, s: &Solution) {
    if s.translations.is_empty() {
        return;
    }
    let valid: f64 = s
        .segments
        .iter()
        .filter_map(|r| r.valid.map(|(lo, hi)| (hi - lo) as f64 + 1.0))
        .sum();
    let expected = valid * 100.0 / p.asize.max(1) as f64;
    e.solution.push(Block::Prose(tr!(
        "segment-share",
        valid = s.valid,
        total = s.translations.len(),
        expected = format!("{expected:.0}%")
    )));
}
