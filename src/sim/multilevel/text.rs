//! The exercise's text: the geometry, the PDBR and the dump; for N addresses,
//! questions 1 to N ask for the physical address (question k is the k-th address),
//! N+1 to 2N for the byte fetched, then three on the tables' size; the worked walks.

use super::Config;
use super::dump::{Layout, figure};
use super::geometry::Geometry;
use super::model::{Memory, Problem, Solution, Walk};
use crate::sim::params::{hex, hex_width};
use crate::sim::{Answer, Block, Exercise, Word};
use crate::tr;

/// How hex numbers are printed: addresses, physical addresses, entries.
struct Digits {
    va: usize,
    pa: usize,
    entry: usize,
}

/// A level's names: its table, its entries, its index.
struct Level {
    table: String,
    entry: &'static str,
    index: &'static str,
}

fn level(g: &Geometry, level: u32) -> Level {
    match (level, g.levels - 1 - level) {
        (0, _) => Level {
            table: tr!("multilevel-table-directory"),
            entry: "PDE",
            index: "PD",
        },
        (_, 0) => Level {
            table: tr!("multilevel-table-page-table"),
            entry: "PTE",
            index: "PT",
        },
        _ => Level {
            table: tr!("multilevel-table-middle"),
            entry: "PMDE",
            index: "PMD",
        },
    }
}

/// The exercise for problem `p` and its solution `s`.
pub fn exercise(c: &Config, p: &Problem, s: &Solution) -> Exercise {
    let g = &p.memory.geometry;
    let d = Digits {
        va: hex_width(g.asize),
        pa: hex_width(g.physmem),
        entry: 2 * g.entry_bytes as usize,
    };
    let mut e = Exercise {
        problem: problem(c, p, &d),
        ..Exercise::default()
    };
    e.solution = rules(g);
    let n = s.walks.len();
    // Question k is the k-th address's physical address, n + k the byte there.
    for w in &s.walks {
        let prompt = tr!("multilevel-question-pa", va = hex(w.va, d.va));
        let answer =
            w.pa.map_or(Answer::word(Word::Fault), |pa| Answer::hex(pa, d.pa));
        let id = e.ask(prompt, answer);
        walk(&mut e.solution, g, w, id, id + n, &d);
    }
    for w in &s.walks {
        let id = e.questions.len() + 1;
        let prompt = tr!(
            "multilevel-question-byte",
            va = hex(w.va, d.va),
            id = id - n
        );
        let answer = w
            .value
            .map_or(Answer::word(Word::Fault), |v| Answer::hex(v.into(), 2));
        e.ask(prompt, answer);
        e.solution.push(Block::Step {
            id,
            text: byte_step(g, w, id - n, &d),
        });
    }
    space(&mut e, g, s);
    e
}

fn problem(c: &Config, p: &Problem, d: &Digits) -> Vec<Block> {
    let m = &p.memory;
    let g = &m.geometry;
    let mut blocks = vec![
        Block::Prose(tr!(
            "multilevel-shape",
            page = g.page_size.to_string(),
            physmem = g.physmem.to_string(),
            frames = g.frames.to_string(),
            asize = g.asize.to_string(),
            va_bits = g.va_bits(),
            levels = g.levels
        )),
        Block::Prose(tr!(
            "multilevel-entry",
            bytes = g.entry_bytes,
            valid_bit = hex(g.valid_bit(), d.entry),
            pfn_bits = 8 * g.entry_bytes - 1
        )),
        Block::Prose(tr!("multilevel-layout")),
    ];
    for l in 0..g.levels {
        let low = g.low_bit_of(l);
        let names = level(g, l);
        blocks.push(Block::Item(tr!(
            "multilevel-layout-index",
            index = names.index,
            table = names.table,
            high = low + g.bits_of(l) - 1,
            low = low
        )));
    }
    blocks.push(Block::Item(tr!(
        "multilevel-layout-offset",
        high = g.offset_bits - 1
    )));
    blocks.push(Block::Prose(tr!(
        "multilevel-pdbr",
        pdbr = m.pdbr.to_string(),
        pdbr_hex = format!("{:#x}", m.pdbr)
    )));
    blocks.push(Block::Prose(String::new()));
    blocks.extend(dump(m));
    blocks.push(Block::Prose(String::new()));
    let n = p.addresses.len();
    blocks.push(Block::Prose(match n {
        0 => tr!("multilevel-task-tables"),
        _ => tr!("multilevel-task", count = n, first = n + 1, last = 2 * n),
    }));
    if n == 0 {
        blocks.push(Block::Note(tr!("sim-no-addresses")));
    }
    if c.one_listed {
        blocks.push(Block::Note(tr!("sim-one-listed")));
    }
    blocks
}

/// The dump: how to read it, and the figure.
fn dump(m: &Memory) -> [Block; 2] {
    let g = &m.geometry;
    let layout = Layout::of(m);
    let (frames, page) = (g.frames.to_string(), g.page_size.to_string());
    let rows = g.page_size / layout.per_row as u64;
    let per_row = layout.per_row;
    let how = if layout.decimal {
        tr!(
            "multilevel-dump-both",
            frames = frames,
            page = page,
            rows = rows,
            per_row = per_row
        )
    } else {
        tr!(
            "multilevel-dump-hex",
            frames = frames,
            page = page,
            rows = rows,
            per_row = per_row
        )
    };
    [Block::Prose(how), Block::Figure(figure(m, &layout))]
}

/// How an address splits and where an entry is, before the walks.
fn rules(g: &Geometry) -> Vec<Block> {
    vec![
        Block::Prose(tr!(
            "multilevel-split",
            offset_bits = g.offset_bits,
            page = g.page_size.to_string(),
            entry = g.entry_bytes,
            entries = g.entries_per_page.to_string(),
            index_bits = g.index_bits,
            top_bits = g.top_bits,
            vpn_bits = g.vpn_bits
        )),
        Block::Prose(tr!(
            "multilevel-entry-address",
            page = g.page_size.to_string(),
            entry = g.entry_bytes
        )),
    ]
}

/// Walk `w`, question `id`: the indices, one line per level, the physical address.
fn walk(out: &mut Vec<Block>, g: &Geometry, w: &Walk, id: usize, byte_id: usize, d: &Digits) {
    let indices: Vec<String> = (0..g.levels)
        .map(|l| {
            let index = format!("{:#04x}", g.index(w.va, l));
            tr!(
                "multilevel-walk-index",
                name = level(g, l).index,
                index = index
            )
        })
        .collect();
    let text = tr!(
        "multilevel-walk-head",
        va = hex(w.va, d.va),
        indices = indices.join(", "),
        offset = format!("{:#x}", w.va & (g.page_size - 1))
    );
    out.push(Block::Step { id, text });
    for s in &w.steps {
        let names = level(g, s.level);
        let page = s.table.to_string();
        let page_hex = format!("{:#x}", s.table);
        let addr = hex(s.entry_addr, d.pa);
        let entry = hex(s.entry, d.entry);
        let (table, name) = (names.table, names.entry);
        out.push(Block::Detail(if s.valid {
            let next = next_table(g, s.level, g.pfn(s.entry));
            let pfn = format!("{:#x}", g.pfn(s.entry));
            tr!(
                "multilevel-walk-valid",
                table = table,
                page = page,
                page_hex = page_hex,
                entry = name,
                addr = addr,
                value = entry,
                pfn = pfn,
                next = next
            )
        } else {
            tr!(
                "multilevel-walk-invalid",
                table = table,
                page = page,
                page_hex = page_hex,
                entry = name,
                addr = addr,
                value = entry
            )
        }));
    }
    if let (Some(pa), Some(v)) = (w.pa, w.value) {
        out.push(Block::Detail(tr!(
            "multilevel-walk-pa",
            pfn = format!("{:#x}", pa / g.page_size),
            page = g.page_size.to_string(),
            offset = format!("{:#x}", pa % g.page_size),
            pa = hex(pa, d.pa),
            id = byte_id,
            value = format!("{v:#04x}")
        )));
    }
}

/// Where a valid entry of `level` points: the next table, or the data's frame.
fn next_table(g: &Geometry, level: u32, pfn: u64) -> String {
    let (page, page_hex) = (pfn.to_string(), format!("{pfn:#x}"));
    match g.levels - 1 - level {
        0 => tr!("multilevel-next-data", page = page, page_hex = page_hex),
        1 => tr!(
            "multilevel-next-page-table",
            page = page,
            page_hex = page_hex
        ),
        _ => tr!("multilevel-next-middle", page = page, page_hex = page_hex),
    }
}

/// The byte question's step: where the byte is, or that the walk faulted.
fn byte_step(g: &Geometry, w: &Walk, pa_id: usize, d: &Digits) -> String {
    match (w.pa, w.value) {
        (Some(pa), Some(v)) => tr!(
            "multilevel-step-byte",
            pa = hex(pa, d.pa),
            id = pa_id,
            page = (pa / g.page_size).to_string(),
            offset = format!("{:#x}", pa % g.page_size),
            value = format!("{v:#04x}")
        ),
        _ => tr!(
            "multilevel-step-byte-fault",
            va = hex(w.va, d.va),
            id = pa_id
        ),
    }
}

/// The three questions on the tables' size, with their steps.
fn space(e: &mut Exercise, g: &Geometry, s: &Solution) {
    let frames: Vec<String> = s.tables.iter().flatten().map(u64::to_string).collect();
    let id = e.ask(
        tr!("multilevel-question-table-pages"),
        Answer::dec(s.table_pages),
    );
    let text = tr!(
        "multilevel-step-tables",
        count = s.table_pages,
        frames = frames.join(", "),
        page = g.page_size.to_string(),
        bytes = s.multilevel_bytes.to_string()
    );
    e.solution.push(Block::Step { id, text });
    let prompt = tr!("multilevel-question-linear", entry = g.entry_bytes);
    let id = e.ask(prompt, Answer::dec(s.linear_bytes));
    let text = tr!(
        "multilevel-step-linear",
        vpn_bits = g.vpn_bits,
        vpages = g.vpages().to_string(),
        entry = g.entry_bytes,
        bytes = s.linear_bytes.to_string()
    );
    e.solution.push(Block::Step { id, text });
    let id = e.ask(
        tr!("multilevel-question-saved"),
        Answer::Signed {
            value: s.saved_bytes,
        },
    );
    let (linear, multilevel) = (s.linear_bytes.to_string(), s.multilevel_bytes.to_string());
    let saved = s.saved_bytes.to_string();
    let text = if s.saved_bytes >= 0 {
        tr!(
            "multilevel-step-saved",
            linear = linear,
            multilevel = multilevel,
            saved = saved,
            mapped = s.mapped_pages.to_string(),
            vpages = g.vpages().to_string()
        )
    } else {
        tr!(
            "multilevel-step-saved-negative",
            linear = linear,
            multilevel = multilevel,
            saved = saved
        )
    };
    e.solution.push(Block::Step { id, text });
}
