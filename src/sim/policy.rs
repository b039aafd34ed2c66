//! `vmlab sim policy`: page replacement in a memory of C frames under FIFO, LRU, MRU,
//! OPT, UNOPT, RAND or CLOCK (with k use bits), on a random reference string (with
//! optional locality), a given one (`-a`) or a trace file of addresses (`-f`); hits,
//! misses, hit rate, the memory after each access, and Belady's anomaly (`--belady`).
//!
//! As OSTEP's paging-policy.py, without its faults: RAND and CLOCK are answerable by
//! hand (the problem prints the random draws, and CLOCK sweeps a real hand instead of
//! probing frames at random), OPT states its tie rule, an empty reference string is a
//! clear error instead of a division by zero, and `-m` says what it does (pages `0` to
//! `m-1`).
//!
//! The replacement engine ([`simulate`]) is shared with `vmlab sim tlb`.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use super::answer::number;
use super::legacy::{Exercise, Question};
use super::{Rng, bad_param, power_of_two, size_param};
use crate::error::Result;

/// A replacement policy: which resident page to evict when a new one must come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "UPPERCASE")]
pub enum Policy {
    /// First in, first out: evict the page loaded longest ago.
    Fifo,
    /// Least recently used: evict the page whose last use is oldest.
    Lru,
    /// Most recently used: evict the page used last.
    Mru,
    /// Optimal (Belady's MIN): evict the page whose next use is farthest away (never
    /// used again counts as farthest).
    Opt,
    /// The opposite of OPT: evict the page that is needed soonest (the worst choice).
    Unopt,
    /// Random: the victim frame is the next of the printed random draws.
    #[value(alias = "random")]
    Rand,
    /// Clock: a hand sweeps the frames; a frame with a use count above zero loses one
    /// and is skipped, the first with zero is evicted.
    Clock,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::Fifo => "FIFO",
            Policy::Lru => "LRU",
            Policy::Mru => "MRU",
            Policy::Opt => "OPT",
            Policy::Unopt => "UNOPT",
            Policy::Rand => "RAND",
            Policy::Clock => "CLOCK",
        }
    }

    /// The rule, in a sentence, as the problem states it.
    pub fn rule(self, clock_bits: u32) -> String {
        match self {
            Policy::Fifo => "evict the page that was loaded first (a hit changes nothing)".into(),
            Policy::Lru => "evict the page whose last use is the oldest".into(),
            Policy::Mru => "evict the page that was used most recently".into(),
            Policy::Opt => "evict the page whose next use is farthest in the future (a page never \
                 used again is farthest; among several such, the one loaded first)"
                .into(),
            Policy::Unopt => "evict the page whose next use is the soonest (pages never used \
                 again are kept; ties go to the one loaded first)"
                .into(),
            Policy::Rand => "evict the page in the frame given by the next random draw \
                 (the draws are listed below; each eviction uses one)"
                .into(),
            Policy::Clock => format!(
                "a hand points at a frame (frame 0 at the start); each frame has a use count of \
                 {clock_bits} bit{} (0 to {}): a load sets it to 1, a hit adds 1 (up to {}). To \
                 evict, look at the frame under the hand: use count 0 → evict it; otherwise take 1 \
                 off and move the hand to the next frame. After a load into the evicted frame the \
                 hand moves one past it",
                if clock_bits == 1 { "" } else { "s" },
                max_use(clock_bits),
                max_use(clock_bits)
            ),
        }
    }

    /// How the memory is listed after each access: the order that explains the policy.
    pub fn order(self) -> &'static str {
        match self {
            Policy::Fifo => "first in → last in",
            Policy::Lru | Policy::Mru => "least → most recently used",
            Policy::Clock => "by frame, page:use count, > marks the hand",
            _ => "by frame",
        }
    }
}

fn max_use(bits: u32) -> u32 {
    ((1u64 << bits.min(31)) - 1) as u32
}

/// One access of a simulation.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// 1-based position in the reference string.
    pub index: usize,
    pub page: u64,
    pub hit: bool,
    /// The page evicted to make room, if any.
    pub evicted: Option<u64>,
    /// The frame the page is in after the access.
    pub frame: usize,
    /// The resident pages after the access, in the policy's order ([`Policy::order`]).
    pub memory: Vec<u64>,
    /// The frames after the access (`None`: free).
    pub frames: Vec<Option<u64>>,
    /// CLOCK only: the use counts per frame and the hand after the access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses: Option<Vec<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hand: Option<usize>,
    /// Why: the reasoning of this step, as a teacher says it.
    pub why: String,
}

/// A whole simulation.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub policy: Policy,
    pub frames: usize,
    pub steps: Vec<Step>,
    pub hits: usize,
    pub misses: usize,
    /// Misses on a page's first reference (no policy avoids them).
    pub compulsory: usize,
}

impl Run {
    pub fn evictions(&self) -> usize {
        self.steps.iter().filter(|s| s.evicted.is_some()).count()
    }
}

#[derive(Clone, Copy)]
struct Slot {
    page: u64,
    loaded: usize,
    used: usize,
    next_use: Option<usize>,
    uses: u32,
}

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

/// Simulates `refs` through `frames` frames under `policy`. `draws` are RAND's victim
/// frames, one per eviction, in `0..frames` (taken modulo `frames`, and 0 when they run
/// out); `clock_bits` is CLOCK's use-count width (1 to 16).
pub fn simulate(
    refs: &[u64],
    frames: usize,
    policy: Policy,
    clock_bits: u32,
    draws: &[u64],
    fmt: PageFmt,
) -> Run {
    let frames = frames.max(1);
    let cap = max_use(clock_bits.clamp(1, 16));
    // next[i]: where refs[i] is referenced again after i.
    let mut next = vec![None; refs.len()];
    let mut seen: HashMap<u64, usize> = HashMap::new();
    for (i, &p) in refs.iter().enumerate().rev() {
        next[i] = seen.insert(p, i);
    }
    let mut slots: Vec<Option<Slot>> = vec![None; frames];
    let mut hand = 0usize;
    let mut ndraw = 0usize;
    let mut steps = Vec::with_capacity(refs.len());
    let (mut hits, mut compulsory) = (0, 0);
    let mut touched = std::collections::HashSet::new();
    let at = |i: Option<usize>| match i {
        Some(i) => format!("access {}", i + 1),
        None => "never".to_string(),
    };
    let p = |x: u64| fmt.show(x);
    for (i, &page) in refs.iter().enumerate() {
        let first = touched.insert(page);
        let found = slots.iter().position(|s| s.is_some_and(|s| s.page == page));
        let (frame, evicted, why);
        if let Some(f) = found {
            hits += 1;
            let s = slots[f].as_mut().expect("found");
            s.used = i;
            s.next_use = next[i];
            let before = s.uses;
            s.uses = (s.uses + 1).min(cap);
            frame = f;
            evicted = None;
            why = match policy {
                Policy::Lru | Policy::Mru => {
                    format!(
                        "{} is in frame {f}: hit; it becomes the most recently used",
                        p(page)
                    )
                }
                Policy::Clock => format!(
                    "{} is in frame {f}: hit; its use count goes {before} → {}",
                    p(page),
                    s.uses
                ),
                Policy::Fifo => format!("{} is in frame {f}: hit (FIFO order unchanged)", p(page)),
                _ => format!("{} is in frame {f}: hit", p(page)),
            };
        } else {
            if first {
                compulsory += 1;
            }
            let kind = if first { "miss (first use)" } else { "miss" };
            if let Some(free) = slots.iter().position(Option::is_none) {
                frame = free;
                evicted = None;
                why = format!("{} is not in memory: {kind}; frame {free} is free", p(page));
            } else {
                let snap: Vec<Slot> = slots.iter().flatten().copied().collect();
                let resident = |f: usize| snap[f];
                let all: Vec<usize> = (0..frames).collect();
                // Big memories: name only the victim, not every frame.
                let shown = |v: usize| if frames <= 8 { all.clone() } else { vec![v] };
                let (victim, reason) = match policy {
                    Policy::Fifo => {
                        let v = *all.iter().min_by_key(|&&f| resident(f).loaded).unwrap();
                        let list = order_text(&shown(v), |f| {
                            format!("{}@{}", p(resident(f).page), resident(f).loaded + 1)
                        });
                        (v, format!("loaded at {list}: FIFO evicts the first loaded"))
                    }
                    Policy::Lru | Policy::Mru => {
                        let v = if policy == Policy::Lru {
                            *all.iter().min_by_key(|&&f| resident(f).used).unwrap()
                        } else {
                            *all.iter().max_by_key(|&&f| resident(f).used).unwrap()
                        };
                        let list = order_text(&shown(v), |f| {
                            format!("{}@{}", p(resident(f).page), resident(f).used + 1)
                        });
                        let which = if policy == Policy::Lru {
                            "LRU evicts the least recently used"
                        } else {
                            "MRU evicts the most recently used"
                        };
                        (v, format!("last used at {list}: {which}"))
                    }
                    Policy::Opt | Policy::Unopt => {
                        // Never used again = farthest; ties go to the earliest loaded.
                        let key = |f: usize| resident(f).next_use.unwrap_or(usize::MAX);
                        let v = if policy == Policy::Opt {
                            *all.iter()
                                .min_by_key(|&&f| (std::cmp::Reverse(key(f)), resident(f).loaded))
                                .unwrap()
                        } else {
                            *all.iter()
                                .min_by_key(|&&f| (key(f), resident(f).loaded))
                                .unwrap()
                        };
                        let list = shown(v)
                            .iter()
                            .map(|&f| {
                                format!("{} {}", p(resident(f).page), at(resident(f).next_use))
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        let ties = all.iter().filter(|&&f| key(f) == key(v)).count();
                        let which = match (policy == Policy::Opt, ties > 1) {
                            (true, false) => "OPT evicts the one needed farthest ahead",
                            (false, false) => "UNOPT evicts the one needed soonest",
                            (true, true) => {
                                "OPT evicts the one needed farthest ahead (a tie: the one loaded first)"
                            }
                            (false, true) => {
                                "UNOPT evicts the one needed soonest (a tie: the one loaded first)"
                            }
                        };
                        (v, format!("next uses: {list}; {which}"))
                    }
                    Policy::Rand => {
                        let d = draws.get(ndraw).copied().unwrap_or(0) % frames as u64;
                        ndraw += 1;
                        (
                            d as usize,
                            format!("random draw #{ndraw} is {d}: evict frame {d}"),
                        )
                    }
                    Policy::Clock => {
                        let mut sweep = Vec::new();
                        loop {
                            let s = slots[hand].as_mut().expect("memory is full");
                            if s.uses == 0 {
                                sweep.push(format!("frame {hand} ({} use 0: evict)", p(s.page)));
                                break;
                            }
                            sweep.push(format!(
                                "frame {hand} ({} use {}→{})",
                                p(s.page),
                                s.uses,
                                s.uses - 1
                            ));
                            s.uses -= 1;
                            hand = (hand + 1) % frames;
                        }
                        let v = hand;
                        hand = (hand + 1) % frames;
                        (v, format!("the hand sweeps {}", sweep.join(", ")))
                    }
                };
                let out = resident(victim).page;
                frame = victim;
                evicted = Some(out);
                why = format!(
                    "{} is not in memory: {kind}; memory is full; {reason} → evict {} from frame {victim}",
                    p(page),
                    p(out)
                );
            }
            slots[frame] = Some(Slot {
                page,
                loaded: i,
                used: i,
                next_use: next[i],
                uses: 1.min(cap),
            });
        }
        let mut resident: Vec<Slot> = slots.iter().flatten().copied().collect();
        match policy {
            Policy::Fifo => resident.sort_by_key(|s| s.loaded),
            Policy::Lru | Policy::Mru => resident.sort_by_key(|s| s.used),
            _ => {}
        }
        let clock = policy == Policy::Clock;
        steps.push(Step {
            index: i + 1,
            page,
            hit: found.is_some(),
            evicted,
            frame,
            memory: resident.iter().map(|s| s.page).collect(),
            frames: slots.iter().map(|s| s.map(|s| s.page)).collect(),
            uses: clock.then(|| slots.iter().map(|s| s.map_or(0, |s| s.uses)).collect()),
            hand: clock.then_some(hand),
            why,
        });
    }
    Run {
        policy,
        frames,
        hits,
        misses: refs.len() - hits,
        compulsory,
        steps,
    }
}

fn order_text(frames: &[usize], f: impl Fn(usize) -> String) -> String {
    frames.iter().map(|&x| f(x)).collect::<Vec<_>>().join(", ")
}

/// The memory after a step, as the solution table prints it.
pub fn memory_text(step: &Step, policy: Policy, fmt: PageFmt) -> String {
    if let (Some(uses), Some(hand)) = (&step.uses, step.hand) {
        let cells: Vec<String> = step
            .frames
            .iter()
            .zip(uses)
            .enumerate()
            .map(|(f, (p, u))| {
                let mark = if f == hand { ">" } else { " " };
                match p {
                    Some(p) => format!("{mark}{}:{u}", fmt.show(*p)),
                    None => format!("{mark}-"),
                }
            })
            .collect();
        return format!("[{} ]", cells.join(""));
    }
    let pages: Vec<String> = match policy {
        Policy::Fifo | Policy::Lru | Policy::Mru => {
            step.memory.iter().map(|&p| fmt.show(p)).collect()
        }
        _ => step
            .frames
            .iter()
            .map(|p| p.map_or("-".to_string(), |p| fmt.show(p)))
            .collect(),
    };
    format!("[{}]", pages.join(" "))
}

/// The hit rate as the canonical answer (`45.45%`) and the other spellings accepted.
pub fn rate_answer(hits: usize, total: usize) -> (String, Vec<String>) {
    if total == 0 {
        return ("undefined".into(), vec!["n/a".into()]);
    }
    let pct = hits as f64 * 100.0 / total as f64;
    let two = format!("{pct:.2}");
    let mut also = vec![
        two.clone(),
        format!("{pct:.1}%"),
        format!("{pct:.1}"),
        format!("{hits}/{total}"),
        format!("{:.4}", pct / 100.0),
        format!("{:.2}", pct / 100.0),
    ];
    if (hits * 100).is_multiple_of(total) {
        let whole = hits * 100 / total;
        also.push(format!("{whole}%"));
        also.push(format!("{whole}"));
    }
    (format!("{two}%"), also)
}

/// The question about one access: `hit`, `miss`, or `evict PAGE` (also accepted:
/// `evict page PAGE`, `miss, evict page PAGE`, and `vpn` for `page`, as the TLB asks).
pub fn access_answer(step: &Step, fmt: PageFmt) -> (String, Vec<String>) {
    match (step.hit, step.evicted) {
        (true, _) => ("hit".into(), vec!["h".into()]),
        (false, None) => ("miss".into(), vec!["m".into(), "miss, none".into()]),
        (false, Some(v)) => {
            let mut also = Vec::new();
            for shown in [fmt.show(v), v.to_string(), format!("{v:#x}")] {
                also.push(shown.clone());
                also.push(format!("evict {shown}"));
                also.push(format!("miss {shown}"));
                also.push(format!("miss, evict {shown}"));
                also.push(format!("miss evict {shown}"));
                also.push(format!("miss, {shown}"));
                // As the question words it ("evict PAGE"; the TLB's "evict VPN").
                for word in ["page", "vpn"] {
                    also.push(format!("evict {word} {shown}"));
                    also.push(format!("miss, evict {word} {shown}"));
                    also.push(format!("miss evict {word} {shown}"));
                }
            }
            (format!("evict {}", fmt.show(v)), also)
        }
    }
}

/// A question with a canonical answer and its alternatives.
pub fn question(id: usize, prompt: String, (answer, also): (String, Vec<String>)) -> Question {
    let also: Vec<&str> = also.iter().map(String::as_str).collect();
    Question::new(id, prompt, answer).or(&also)
}

/// The table of a run, one row per access, as the solution prints it.
pub fn table(run: &Run, fmt: PageFmt, label: &str, after: &str) -> Vec<String> {
    let w = run
        .steps
        .iter()
        .map(|s| fmt.show(s.page).len())
        .max()
        .unwrap_or(1)
        .max(label.len());
    let ew = run
        .steps
        .iter()
        .filter_map(|s| s.evicted.map(|e| fmt.show(e).len()))
        .max()
        .unwrap_or(1)
        .max(7);
    let nw = run.steps.len().to_string().len().max(2);
    let mw = run
        .steps
        .iter()
        .map(|s| memory_text(s, run.policy, fmt).chars().count())
        .max()
        .unwrap_or(0)
        .max(after.chars().count());
    let mut out = vec![format!(
        "{:>nw$}  {:>w$}  {:<6}  {:<ew$}  {:<mw$}  hits/misses",
        "#", label, "result", "evicted", after,
    )];
    let (mut h, mut m) = (0, 0);
    for s in &run.steps {
        if s.hit {
            h += 1
        } else {
            m += 1
        }
        out.push(format!(
            "{:>nw$}  {:>w$}  {:<6}  {:<ew$}  {:<mw$}  {h}/{m}",
            s.index,
            fmt.show(s.page),
            if s.hit { "hit" } else { "miss" },
            s.evicted.map_or("-".to_string(), |e| fmt.show(e)),
            memory_text(s, run.policy, fmt),
        ));
    }
    out.push(format!("(memory listed {})", run.policy.order()));
    out
}

/// The summary lines of a run.
pub fn summary(run: &Run) -> Vec<String> {
    let total = run.hits + run.misses;
    vec![format!(
        "{}, {} frame{}: {} hits, {} misses ({} on first uses, which no policy avoids), hit rate \
         {}/{} = {}",
        run.policy.name(),
        run.frames,
        if run.frames == 1 { "" } else { "s" },
        run.hits,
        run.misses,
        run.compulsory,
        run.hits,
        total,
        rate_answer(run.hits, total).0
    )]
}

/// Random draws for RAND: one per access (enough for any number of evictions).
pub fn draws(rng: &mut Rng, count: usize, frames: usize) -> Vec<u64> {
    (0..count).map(|_| rng.below(frames as u64)).collect()
}

/// A random reference string of `n` pages in `0..pages`: with probability
/// `locality` percent the next page is one of the last `hot` distinct pages used.
pub fn random_refs(rng: &mut Rng, n: usize, pages: u64, locality: u64, hot: usize) -> Vec<u64> {
    let mut refs: Vec<u64> = Vec::with_capacity(n);
    let mut recent: Vec<u64> = Vec::new();
    for _ in 0..n {
        let page = if !recent.is_empty() && rng.chance(locality) {
            recent[rng.below(recent.len() as u64) as usize]
        } else {
            rng.below(pages)
        };
        recent.retain(|&p| p != page);
        recent.push(page);
        if recent.len() > hot.max(1) {
            recent.remove(0);
        }
        refs.push(page);
    }
    refs
}

/// The classic reference string of Belady's anomaly: FIFO misses 9 times with 3
/// frames and 10 times with 4.
pub const BELADY: [u64; 12] = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

/// The most accesses a problem asks about one by one; longer strings (trace files)
/// are asked only for their totals.
pub const MAX_ASKED: usize = 200;

/// The longest trace file simulated (every access is kept, with its memory state).
pub const MAX_TRACE: usize = 1_000_000;

/// The parameters of `vmlab sim policy` (OSTEP's paging-policy.py flags, same letters).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Params {
    /// The pages to access, comma-separated (`1,2,3,4,1`); without it a random string is
    /// generated (OSTEP's `-a -1`).
    #[arg(short = 'a', long, value_name = "PAGES", allow_hyphen_values = true)]
    pub addresses: Option<String>,

    /// A trace file: one address per line (decimal or `0x` hex; valgrind lackey lines
    /// like ` L 04016f60,8` too; `#` comments), each masked to its page number with
    /// --pagesize.
    #[arg(short = 'f', long, value_name = "FILE")]
    pub addressfile: Option<std::path::PathBuf>,

    /// The page size used to turn a trace file's addresses into page numbers (use 1 if
    /// the file already holds page numbers).
    #[arg(short = 'P', long, default_value = "4k")]
    pub pagesize: String,

    /// How many pages to access when generating a random string.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub numaddrs: usize,

    /// The replacement policy.
    #[arg(
        short = 'p',
        long,
        value_enum,
        ignore_case = true,
        default_value = "fifo"
    )]
    pub policy: Policy,

    /// CLOCK: the number of use bits per frame (the use count goes 0 to 2^k-1).
    #[arg(short = 'b', long, default_value_t = 1)]
    pub clockbits: u32,

    /// The memory size, in pages (frames).
    #[arg(short = 'C', long, default_value_t = 3)]
    pub cachesize: usize,

    /// Random strings use pages 0 to maxpage-1.
    #[arg(short = 'm', long, default_value_t = 10)]
    pub maxpage: u64,

    /// Percentage (0-100) of generated accesses that go back to one of the last
    /// cachesize pages used (0: uniformly random, as OSTEP).
    #[arg(short = 'l', long, default_value_t = 0)]
    pub locality: u64,

    /// Belady's anomaly: run the policy with cachesize and cachesize+1 frames on the
    /// same string (without -a/-f, a string on which FIFO shows the anomaly: for 3 frames
    /// the classic 1,2,3,4,1,2,5,1,2,3,4,5, with pages renamed by a non-zero seed).
    #[arg(long)]
    pub belady: bool,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

/// Parses `-a`: comma (or space) separated page numbers.
pub fn parse_list(name: &str, text: &str) -> Result<Vec<u64>> {
    let items: Vec<&str> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        return Err(bad_param(name, "the list is empty"));
    }
    items
        .iter()
        .map(|s| {
            number(s).ok_or_else(|| {
                bad_param(
                    name,
                    format!("'{s}' is not a number (write 12 or 0xc, comma-separated)"),
                )
            })
        })
        .collect()
}

/// Parses a trace: one address per line, or valgrind lackey lines; returns page numbers.
pub fn parse_trace(text: &str, page_size: u64) -> Result<Vec<u64>> {
    let shift = page_size.trailing_zeros();
    let mut pages = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("==") {
            continue;
        }
        let bad = || {
            bad_param(
                "addressfile",
                format!(
                    "line {}: '{line}' is not an address (one per line: 4096, 0x1000, or a \
                     lackey line like 'L 04016f60,8')",
                    n + 1
                ),
            )
        };
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        let addr = if matches!(first, "I" | "L" | "S" | "M") {
            let hex = words.next().ok_or_else(bad)?;
            let hex = hex.split(',').next().unwrap_or_default();
            u64::from_str_radix(hex, 16).map_err(|_| bad())?
        } else if words.next().is_none() {
            number(first).ok_or_else(bad)?
        } else {
            return Err(bad());
        };
        pages.push(addr >> shift);
    }
    if pages.is_empty() {
        return Err(bad_param("addressfile", "the trace has no addresses"));
    }
    if pages.len() > MAX_TRACE {
        return Err(bad_param(
            "addressfile",
            format!(
                "the trace has {} addresses; at most {MAX_TRACE} are simulated (cut it with head)",
                pages.len()
            ),
        ));
    }
    Ok(pages)
}

fn validate(p: &Params) -> Result<u64> {
    if p.cachesize == 0 || p.cachesize > 4096 {
        return Err(bad_param(
            "cachesize",
            format!("{} frames: memory needs 1 to 4096 frames", p.cachesize),
        ));
    }
    if !(1..=16).contains(&p.clockbits) {
        return Err(bad_param(
            "clockbits",
            format!("{}: CLOCK needs 1 to 16 use bits", p.clockbits),
        ));
    }
    super::percent("locality", p.locality)?;
    if p.maxpage == 0 {
        return Err(bad_param(
            "maxpage",
            "pages are 0 to maxpage-1: it must be at least 1",
        ));
    }
    if p.addresses.is_none() && p.addressfile.is_none() && !(1..=100_000).contains(&p.numaddrs) {
        return Err(bad_param(
            "numaddrs",
            format!("{} accesses: generate 1 to 100000", p.numaddrs),
        ));
    }
    if p.addresses.is_some() && p.addressfile.is_some() {
        return Err(bad_param("addressfile", "give either -a or -f, not both"));
    }
    let page_size = size_param("pagesize", &p.pagesize)?;
    power_of_two("pagesize", page_size)?;
    Ok(page_size)
}

/// Why `vmlab sim policy --real` is refused.
fn no_real() -> crate::error::Error {
    bad_param(
        "real",
        "page replacement has no measured part: the kernel's replacement (its active and \
         inactive LRU lists) cannot be watched access by access from user space, so there \
         is nothing to set beside the simulation; `vmlab demo dirty` shows the accessed bits \
         the kernel's LRU uses to choose what to evict",
    )
}

/// The exercise for `params` and `seed`. `real` is an input error: the kernel's page
/// replacement cannot be watched one access at a time, so there is no measured part.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    if real {
        return Err(no_real());
    }
    let page_size = validate(params)?;
    let mut rng = Rng::new(seed);
    let frames = params.cachesize;
    // OSTEP's `-a -1` means "generate".
    let given = params.addresses.as_deref().filter(|a| a.trim() != "-1");
    let (refs, source) = if let Some(list) = given {
        (parse_list("addresses", list)?, "given".to_string())
    } else if let Some(path) = &params.addressfile {
        let text = std::fs::read_to_string(path).map_err(|e| {
            bad_param(
                "addressfile",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        (
            parse_trace(&text, page_size)?,
            format!(
                "trace {} (addresses masked to pages of {page_size} bytes)",
                path.display()
            ),
        )
    } else if params.belady {
        belady_search(&mut rng, params, seed)
    } else {
        (
            random_refs(
                &mut rng,
                params.numaddrs,
                params.maxpage,
                params.locality,
                frames,
            ),
            format!(
                "random: pages 0 to {}, {}% locality",
                params.maxpage - 1,
                params.locality
            ),
        )
    };
    let rolls = if params.policy == Policy::Rand {
        draws(&mut rng, refs.len(), frames + usize::from(params.belady))
    } else {
        Vec::new()
    };
    let fmt = PageFmt::for_pages(&refs);
    if params.belady {
        return Ok(belady_exercise(params, seed, refs, source, rolls, fmt));
    }
    let run = simulate(&refs, frames, params.policy, params.clockbits, &rolls, fmt);
    let mut problem = vec![format!(
        "Memory holds {frames} page{} (frames 0 to {}), empty at the start; a page goes into \
         the lowest-numbered free frame while there is one.",
        if frames == 1 { "" } else { "s" },
        frames - 1
    )];
    problem.extend(prose(&format!(
        "Policy {}: on a miss with memory full, {}.",
        params.policy.name(),
        params.policy.rule(params.clockbits)
    )));
    problem.push(format!(
        "Reference string ({} accesses, {source}):",
        refs.len()
    ));
    problem.extend(wrap_refs(&refs[..refs.len().min(MAX_ASKED)], fmt));
    if refs.len() > MAX_ASKED {
        problem.push(format!("  ... and {} more", refs.len() - MAX_ASKED));
    }
    if !rolls.is_empty() {
        problem.push("Random draws (victim frame for the 1st, 2nd, ... eviction):".into());
        let shown = &rolls[..rolls.len().min(MAX_ASKED)];
        problem.extend(wrap(&shown.iter().map(u64::to_string).collect::<Vec<_>>()));
        if rolls.len() > shown.len() {
            problem.push(format!("  ... and {} more", rolls.len() - shown.len()));
        }
    }
    let asked = refs.len() <= MAX_ASKED;
    if asked {
        problem.push(
            "For each access: is it a hit, a miss into a free frame, or a miss that evicts a \
             page (which)? Then the totals."
                .into(),
        );
    } else {
        problem.push(format!(
            "The string is long ({} accesses): only the totals are asked.",
            refs.len()
        ));
    }
    let mut questions = Vec::new();
    if asked {
        for s in &run.steps {
            questions.push(question(
                questions.len() + 1,
                format!(
                    "access {} (page {}): hit, miss, or evict PAGE?",
                    s.index,
                    fmt.show(s.page)
                ),
                access_answer(s, fmt),
            ));
        }
    }
    let total = refs.len();
    questions.push(question(
        questions.len() + 1,
        "how many hits?".into(),
        (run.hits.to_string(), vec![]),
    ));
    questions.push(question(
        questions.len() + 1,
        "how many misses?".into(),
        (run.misses.to_string(), vec![]),
    ));
    questions.push(question(
        questions.len() + 1,
        "hit rate (hits / accesses, in %)?".into(),
        rate_answer(run.hits, total),
    ));
    let mut solution = table(&run, fmt, "page", "memory after");
    solution.push(String::new());
    solution.push("Step by step:".into());
    for s in &run.steps {
        solution.push(format!("{:>4}. {}", s.index, s.why));
    }
    solution.push(String::new());
    solution.extend(summary(&run));
    let data = json!({
        "references": refs,
        "source": source,
        "frames": frames,
        "policy": params.policy,
        "clock_bits": params.clockbits,
        "random_draws": rolls,
        "run": run,
        "hit_rate": if total == 0 { 0.0 } else { run.hits as f64 / total as f64 },
    });
    Ok(Exercise {
        simulator: "policy".into(),
        seed,
        params: serde_json::to_value(params).unwrap_or_default(),
        problem,
        questions,
        solution,
        real: Vec::new(),
        data,
    })
}

/// The string of Belady's anomaly for `c` frames: `1..=c+1`, `1..c`, `c+2`, `1..=c+2`
/// (for 3 frames the classic `1,2,3,4,1,2,5,1,2,3,4,5`). FIFO misses once more with
/// `c+1` frames than with `c`, for every `c` from 3 on.
pub fn belady_string(c: u64) -> Vec<u64> {
    (1..=c + 1)
        .chain(1..c)
        .chain([c + 2])
        .chain(1..=c + 2)
        .collect()
}

/// Without `-a`/`-f`: the anomaly string for cachesize frames, its pages relabelled by
/// the seed (seed 0 keeps the textbook labels) within 0 to maxpage-1 when they fit.
fn belady_search(rng: &mut Rng, params: &Params, seed: u64) -> (Vec<u64>, String) {
    let c = params.cachesize as u64;
    let refs = belady_string(c);
    if seed == 0 {
        return (refs, "Belady's string for this memory size".into());
    }
    let pool = params.maxpage.max(c + 2);
    let mut labels: Vec<u64> = (0..pool).collect();
    rng.shuffle(&mut labels);
    let refs = refs.iter().map(|&p| labels[(p - 1) as usize]).collect();
    (
        refs,
        format!(
            "Belady's string for this memory size, pages renamed from the seed (0 to {})",
            pool - 1
        ),
    )
}

fn belady_exercise(
    params: &Params,
    seed: u64,
    refs: Vec<u64>,
    source: String,
    rolls: Vec<u64>,
    fmt: PageFmt,
) -> Exercise {
    let c = params.cachesize;
    let pol = params.policy;
    let small = simulate(&refs, c, pol, params.clockbits, &rolls, fmt);
    let big = simulate(&refs, c + 1, pol, params.clockbits, &rolls, fmt);
    let anomaly = big.misses > small.misses;
    let mut problem = prose(&format!(
        "Belady's anomaly: run {} on the same reference string with {c} and with {} frames \
         (empty at the start, lowest free frame first).",
        pol.name(),
        c + 1
    ));
    problem.extend(prose(&format!(
        "{}: on a miss with memory full, {}.",
        pol.name(),
        pol.rule(params.clockbits)
    )));
    problem.push(format!(
        "Reference string ({} accesses, {source}):",
        refs.len()
    ));
    problem.extend(wrap_refs(&refs, fmt));
    if !rolls.is_empty() {
        problem.push("Random draws (victim frame, taken modulo the number of frames):".into());
        problem.extend(wrap(&rolls.iter().map(u64::to_string).collect::<Vec<_>>()));
    }
    problem.push("Does the bigger memory miss more often?".into());
    let yes_no = |b: bool| {
        if b {
            ("yes".to_string(), vec!["y".to_string(), "true".to_string()])
        } else {
            ("no".to_string(), vec!["n".to_string(), "false".to_string()])
        }
    };
    let questions = vec![
        question(
            1,
            format!("misses with {c} frames?"),
            (small.misses.to_string(), vec![]),
        ),
        question(
            2,
            format!("misses with {} frames?", c + 1),
            (big.misses.to_string(), vec![]),
        ),
        question(
            3,
            format!(
                "does {} with {} frames miss more than with {c} (yes/no)?",
                pol.name(),
                c + 1
            ),
            yes_no(anomaly),
        ),
    ];
    let mut solution = vec![format!("With {c} frames:")];
    solution.extend(table(&small, fmt, "page", "memory after"));
    solution.push(String::new());
    solution.push(format!("With {} frames:", c + 1));
    solution.extend(table(&big, fmt, "page", "memory after"));
    solution.push(String::new());
    solution.extend(summary(&small));
    solution.extend(summary(&big));
    let verdict = if anomaly {
        format!(
            "Anomaly: one more frame gives {} more miss{} ({} → {}). {} is not a stack \
             algorithm: the pages it holds with {} frames are not always a superset of those \
             it holds with {c}.",
            big.misses - small.misses,
            if big.misses - small.misses == 1 {
                ""
            } else {
                "es"
            },
            small.misses,
            big.misses,
            pol.name(),
            c + 1
        )
    } else {
        format!(
            "No anomaly on this string: {} frames miss {} times, {c} frames {} times.{}",
            c + 1,
            big.misses,
            small.misses,
            if matches!(pol, Policy::Lru | Policy::Opt | Policy::Mru) {
                format!(
                    " {} is a stack algorithm: more frames never miss more, on any string.",
                    pol.name()
                )
            } else {
                String::new()
            }
        )
    };
    solution.extend(prose(&verdict));
    let data = json!({
        "references": refs,
        "source": source,
        "policy": pol,
        "random_draws": rolls,
        "small": small,
        "big": big,
        "anomaly": anomaly,
    });
    Exercise {
        simulator: "policy".into(),
        seed,
        params: serde_json::to_value(params).unwrap_or_default(),
        problem,
        questions,
        solution,
        real: Vec::new(),
        data,
    }
}

/// Wraps prose at [`super::legacy::WIDTH`] columns, continuation lines indented by two spaces.
pub fn prose(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.trim().is_empty()
            && last.chars().count() + 1 + word.chars().count() > super::legacy::WIDTH
        {
            lines.push(format!("  {word}"));
        } else {
            if !last.trim().is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The reference string in lines of at most 20 pages.
pub fn wrap_refs(refs: &[u64], fmt: PageFmt) -> Vec<String> {
    wrap(&refs.iter().map(|&p| fmt.show(p)).collect::<Vec<_>>())
}

fn wrap(items: &[String]) -> Vec<String> {
    items
        .chunks(20)
        .map(|c| {
            let mut s = String::from("  ");
            let _ = write!(s, "{}", c.join(", "));
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: PageFmt = PageFmt { hex: false };

    fn run(refs: &[u64], frames: usize, policy: Policy) -> Run {
        simulate(refs, frames, policy, 1, &[], D)
    }

    fn hits(r: &Run) -> Vec<bool> {
        r.steps.iter().map(|s| s.hit).collect()
    }

    fn evicted(r: &Run) -> Vec<Option<u64>> {
        r.steps.iter().map(|s| s.evicted).collect()
    }

    // The textbook string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 with 3 frames:
    // FIFO 15 faults, LRU 12, OPT 9 (Silberschatz, worked from the definitions).
    const SILB: [u64; 20] = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];

    #[test]
    fn textbook_string_fifo_lru_opt() {
        assert_eq!(run(&SILB, 3, Policy::Fifo).misses, 15);
        assert_eq!(run(&SILB, 3, Policy::Lru).misses, 12);
        assert_eq!(run(&SILB, 3, Policy::Opt).misses, 9);
        let f = run(&SILB, 3, Policy::Fifo);
        // 2 evicts 7 (first in), 3 evicts 0, 0 evicts 1.
        assert_eq!(f.steps[3].evicted, Some(7));
        assert_eq!(f.steps[5].evicted, Some(0));
        assert_eq!(f.steps[6].evicted, Some(1));
        assert_eq!(f.steps[19].memory, vec![7, 0, 1]);
        let o = run(&SILB, 3, Policy::Opt);
        // At access 4 (page 2): 7 is next used at 18, 0 at 5, 1 at 14 → evict 7.
        assert_eq!(o.steps[3].evicted, Some(7));
        assert_eq!(o.compulsory, 6);
    }

    #[test]
    fn belady_classic_string() {
        let a = run(&BELADY, 3, Policy::Fifo);
        let b = run(&BELADY, 4, Policy::Fifo);
        assert_eq!((a.misses, b.misses), (9, 10));
        assert_eq!((a.hits, b.hits), (3, 2));
        // LRU is a stack algorithm: no anomaly.
        assert!(run(&BELADY, 4, Policy::Lru).misses <= run(&BELADY, 3, Policy::Lru).misses);
    }

    #[test]
    fn lru_and_mru_by_hand() {
        // 1 2 3 1 4: LRU evicts 2 (1 was used at 4), MRU evicts 1 (used last).
        let l = run(&[1, 2, 3, 1, 4], 3, Policy::Lru);
        assert_eq!(evicted(&l)[4], Some(2));
        assert_eq!(l.steps[4].memory, vec![3, 1, 4]);
        let m = run(&[1, 2, 3, 1, 4], 3, Policy::Mru);
        assert_eq!(evicted(&m)[4], Some(1));
        assert_eq!(hits(&m), vec![false, false, false, true, false]);
    }

    #[test]
    fn opt_ties_go_to_the_first_loaded_and_unopt_evicts_the_soonest() {
        // 1 2 3 4 1: at 4, 1 is used next, 2 and 3 never: OPT evicts 2 (loaded first).
        let o = run(&[1, 2, 3, 4, 1], 3, Policy::Opt);
        assert_eq!(o.steps[3].evicted, Some(2));
        assert!(o.steps[4].hit);
        let u = run(&[1, 2, 3, 4, 1], 3, Policy::Unopt);
        assert_eq!(u.steps[3].evicted, Some(1));
        assert!(!u.steps[4].hit);
    }

    #[test]
    fn rand_uses_the_printed_draws() {
        let r = simulate(&[1, 2, 3, 4, 5], 3, Policy::Rand, 1, &[2, 0], D);
        // 4 replaces frame 2 (page 3), 5 replaces frame 0 (page 1).
        assert_eq!(evicted(&r), vec![None, None, None, Some(3), Some(1)]);
        assert_eq!(r.steps[4].frames, vec![Some(5), Some(2), Some(4)]);
    }

    #[test]
    fn clock_one_bit_is_second_chance() {
        // 3 frames, 1 2 3 then 4: all use 1, the hand clears 0,1,2, wraps, evicts frame 0.
        let c = run(&[1, 2, 3, 4, 2, 5], 3, Policy::Clock);
        assert_eq!(c.steps[3].evicted, Some(1));
        assert_eq!(c.steps[3].hand, Some(1));
        assert_eq!(c.steps[3].uses, Some(vec![1, 0, 0]));
        // 2 hits (use 0 → 1); 5: hand at frame 1 (page 2, use 1 → 0), frame 2 (page 3,
        // use 0) → evict 3.
        assert!(c.steps[4].hit);
        assert_eq!(c.steps[5].evicted, Some(3));
        assert_eq!(c.steps[5].hand, Some(0));
        // Two bits: a hit raises the count to 2, so that page survives two sweeps.
        let c2 = simulate(&[1, 2, 1, 3, 4], 2, Policy::Clock, 2, &[], D);
        assert_eq!(c2.steps[3].evicted, Some(2));
        assert_eq!(c2.steps[4].evicted, Some(1));
    }

    #[test]
    fn one_frame_and_all_hits() {
        let r = run(&[5, 5, 5], 1, Policy::Lru);
        assert_eq!((r.hits, r.misses, r.compulsory), (2, 1, 1));
        let r = run(&[9, 8], 1, Policy::Fifo);
        assert_eq!(evicted(&r), vec![None, Some(9)]);
    }

    #[test]
    fn rates_and_answers() {
        let (a, also) = rate_answer(5, 11);
        assert_eq!(a, "45.45%");
        assert!(also.contains(&"5/11".to_string()) && also.contains(&"45.5".to_string()));
        let (a, also) = rate_answer(1, 2);
        assert_eq!(a, "50.00%");
        assert!(also.contains(&"50".to_string()));
        assert_eq!(rate_answer(0, 0).0, "undefined");
    }

    #[test]
    fn traces_parse_addresses_and_lackey_lines() {
        let t = "# comment\n0x1000\n8191\n==123== lackey\nI  04016f60,3\n L 1ffefffd88,8\n";
        assert_eq!(
            parse_trace(t, 4096).unwrap(),
            vec![1, 1, 0x4016, 0x1ffefffd88 >> 12]
        );
        assert!(parse_trace("0x10 0x20\n", 4096).is_err());
        assert!(parse_trace("# nothing\n", 4096).is_err());
        assert!(parse_trace("zz\n", 4096).is_err());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = |f: &dyn Fn(&mut Params)| {
            let mut p = Params::default();
            f(&mut p);
            assert!(exercise(&p, 0, false).is_err());
        };
        bad(&|p| p.cachesize = 0);
        bad(&|p| p.numaddrs = 0);
        bad(&|p| p.locality = 101);
        bad(&|p| p.clockbits = 0);
        bad(&|p| p.maxpage = 0);
        bad(&|p| p.pagesize = "3000".into());
        bad(&|p| p.addresses = Some("1,x".into()));
        bad(&|p| p.addresses = Some(",".into()));
    }

    #[test]
    fn generated_exercises_are_reproducible_and_self_consistent() {
        for policy in [
            Policy::Fifo,
            Policy::Lru,
            Policy::Mru,
            Policy::Opt,
            Policy::Unopt,
            Policy::Rand,
            Policy::Clock,
        ] {
            let p = Params {
                policy,
                locality: 50,
                ..Params::default()
            };
            let a = exercise(&p, 42, false).unwrap();
            let b = exercise(&p, 42, false).unwrap();
            assert_eq!(a.problem, b.problem);
            assert_eq!(a.questions, b.questions);
            let answers: String = a
                .questions
                .iter()
                .map(|q| format!("{}: {}\n", q.id, q.answer))
                .collect();
            let g = super::super::legacy::grade(&a, &answers).unwrap();
            assert_eq!(g.right, g.total);
        }
    }

    #[test]
    fn belady_mode_finds_an_anomaly() {
        let p = Params {
            belady: true,
            ..Params::default()
        };
        let e = exercise(&p, 0, false).unwrap();
        assert_eq!(e.questions[2].answer, "yes");
        let small: u64 = e.questions[0].answer.parse().unwrap();
        let big: u64 = e.questions[1].answer.parse().unwrap();
        assert!(big > small);
        let p = Params {
            belady: true,
            addresses: Some("1,2,3,4,1,2,5,1,2,3,4,5".into()),
            ..Params::default()
        };
        let e = exercise(&p, 0, false).unwrap();
        assert_eq!(
            (
                e.questions[0].answer.as_str(),
                e.questions[1].answer.as_str()
            ),
            ("9", "10")
        );
        // Other seeds rename the pages; other sizes use the longer string.
        for (seed, c) in [(5, 3), (9, 4), (2, 6)] {
            let p = Params {
                belady: true,
                cachesize: c,
                ..Params::default()
            };
            let e = exercise(&p, seed, false).unwrap();
            assert_eq!(e.questions[2].answer, "yes", "seed {seed}, {c} frames");
        }
    }

    #[test]
    fn belady_family_misses_once_more_with_one_more_frame() {
        for c in 3..10 {
            let r = belady_string(c as u64);
            let (a, b) = (run(&r, c, Policy::Fifo), run(&r, c + 1, Policy::Fifo));
            assert_eq!(b.misses, a.misses + 1, "{c} frames");
        }
        assert_eq!(belady_string(3), BELADY.to_vec());
    }
}
