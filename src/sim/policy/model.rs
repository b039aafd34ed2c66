//! The replacement engine, shared with `vmlab sim tlb`: a reference string through a
//! memory of frames under a policy. No text. Memory grows with the string plus the
//! frames (never their product: the memory after each access is kept only for small
//! memories, which a student reads step by step), and each access costs O(log frames).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::clock::Counts;
use crate::sim::answer::NeverAgain;

/// The most frames whose contents are kept after every access (for the solution's
/// table); larger memories keep only what each access did.
pub const SNAPSHOT_FRAMES: usize = 8;

/// A replacement policy: which resident page to evict when a new one must come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
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
    /// The name as the text writes it (`FIFO`).
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
}

/// Whose rules the engine follows where the policies leave a choice. vmlab's, or
/// OSTEP's paging-policy.py's, which its `ostep` front end runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rules")]
pub enum Rules {
    #[default]
    Vmlab,
    /// paging-policy.py's: the resident pages are a list in load order (LRU, MRU: in
    /// use order); OPT's ties (pages never used again) go to the one loaded last;
    /// RAND's draw is a position in that list; CLOCK has no hand: it draws positions
    /// in the list until one has a use count of 0 (taking 1 off each count above 0 it
    /// draws), a miss sets the count to 1 and a hit adds 1 up to `clock_max`. With
    /// `trace`, the memory is kept after every access, whatever its size.
    PagingPolicyPy { clock_max: u32, trace: bool },
}

fn is_vmlab(r: &Rules) -> bool {
    *r == Rules::Vmlab
}

/// A problem: every value decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The pages accessed, in order (access 1 is the first).
    pub refs: Vec<u64>,
    pub frames: usize,
    pub policy: Policy,
    /// CLOCK's use bits (1 to 16).
    pub clock_bits: u32,
    /// RAND's victim frames, one per eviction (taken modulo the frames).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub draws: Vec<u64>,
    /// Whose rules (vmlab's unless a front end says otherwise).
    #[serde(skip_serializing_if = "is_vmlab")]
    pub rules: Rules,
}

/// Why a miss chose its frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Choice {
    /// A free frame was used.
    Free,
    /// FIFO: the victim was loaded at this access (1-based).
    Loaded { at: usize },
    /// LRU, MRU: the victim was last used at this access.
    Used { at: usize },
    /// OPT, UNOPT: the victim's next use (none: never again); `tie` when other resident
    /// pages were never used again either, so that any of them was as right.
    NextUse { at: Option<usize>, tie: bool },
    /// RAND: the n-th draw (1-based) and its value.
    Draw { n: usize, value: u64 },
    /// CLOCK: the hand started at `from` and went round `turns` times.
    Hand { from: usize, turns: u32 },
}

/// One access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub page: u64,
    pub hit: bool,
    /// The page's first reference (a compulsory miss).
    pub first: bool,
    /// The frame the page is in after the access.
    pub frame: usize,
    /// The page evicted to make room, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evicted: Option<u64>,
    /// How the frame was chosen, on a miss.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
    /// The memory after the access (small memories only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Snapshot>,
}

/// The memory after an access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// The page in each frame (none: free).
    pub frames: Vec<Option<u64>>,
    /// The resident pages in the policy's order (FIFO: first loaded first; LRU, MRU:
    /// least recently used first; others: by frame).
    pub order: Vec<u64>,
    /// CLOCK: the use count of each frame and the hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<(Vec<u32>, usize)>,
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
    /// Which pages were resident and never used again at each access (OPT's ties).
    #[serde(skip)]
    pub never_again: Arc<NeverAgain>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    page: u64,
    loaded: usize,
    used: usize,
    next: Option<usize>,
}

/// The engine's state.
struct Engine<'a> {
    problem: &'a Problem,
    slots: Vec<Option<Slot>>,
    frame_of: HashMap<u64, usize>,
    free: BTreeSet<usize>,
    /// Resident frames ordered so that the first is the victim (not RAND, CLOCK).
    order: BTreeSet<(u64, u64, usize)>,
    uses: Counts,
    cap: u32,
    hand: usize,
    draws_used: usize,
    /// The next random draw (RAND's victims; paging-policy.py's CLOCK too).
    draw: &'a mut dyn FnMut() -> u64,
    /// paging-policy.py's list: the resident frames by load time (its rules only).
    by_load: BTreeMap<usize, usize>,
}

/// `next[i]`: where `refs[i]` is referenced again after `i`.
fn next_uses(refs: &[u64]) -> Vec<Option<usize>> {
    let mut next = vec![None; refs.len()];
    let mut seen: HashMap<u64, usize> = HashMap::new();
    for (i, &p) in refs.iter().enumerate().rev() {
        next[i] = seen.insert(p, i);
    }
    next
}

/// Simulates `p`, RAND's victims from `p.draws` (0 when they run out).
pub fn simulate(p: &Problem) -> Run {
    let mut given = p.draws.iter().copied();
    simulate_with(p, &mut || given.next().unwrap_or(0))
}

/// Simulates `p`, taking each random draw from `draw` when it is needed: a script that
/// draws while it solves (paging-policy.py's RAND and CLOCK) draws as many as it uses.
pub fn simulate_with(p: &Problem, draw: &mut dyn FnMut() -> u64) -> Run {
    let frames = p.frames.max(1);
    let cap = match p.rules {
        Rules::Vmlab => ((1u64 << p.clock_bits.clamp(1, 16)) - 1) as u32,
        Rules::PagingPolicyPy { clock_max, .. } => clock_max,
    };
    let snapshots = match p.rules {
        Rules::Vmlab => frames <= SNAPSHOT_FRAMES,
        Rules::PagingPolicyPy { trace, .. } => trace,
    };
    let next = next_uses(&p.refs);
    let mut e = Engine {
        problem: p,
        slots: vec![None; frames],
        frame_of: HashMap::new(),
        free: (0..frames).collect(),
        order: BTreeSet::new(),
        uses: Counts::new(frames),
        cap,
        hand: 0,
        draws_used: 0,
        draw,
        by_load: BTreeMap::new(),
    };
    let mut never = NeverAgain::default();
    let mut steps = Vec::with_capacity(p.refs.len());
    for (i, &page) in p.refs.iter().enumerate() {
        let first = !never.last_use.contains_key(&page);
        never.last_use.insert(page, i);
        let mut step = match e.frame_of.get(&page).copied() {
            Some(f) => e.hit(f, i, next[i]),
            None => e.miss(page, i, next[i], &mut never),
        };
        step.first = first;
        if snapshots {
            step.after = Some(e.snapshot());
        }
        steps.push(step);
    }
    let hits = steps.iter().filter(|s| s.hit).count();
    Run {
        policy: p.policy,
        frames,
        hits,
        misses: steps.len() - hits,
        compulsory: steps.iter().filter(|s| s.first).count(),
        steps,
        never_again: Arc::new(never),
    }
}

impl Engine<'_> {
    /// The key that orders `s` in frame `f` (the smallest is the victim).
    fn key(&self, s: &Slot, f: usize) -> (u64, u64, usize) {
        let next = s.next.map_or(u64::MAX, |n| n as u64);
        match self.problem.policy {
            Policy::Fifo => (s.loaded as u64, 0, f),
            Policy::Lru => (s.used as u64, 0, f),
            Policy::Mru => (u64::MAX - s.used as u64, 0, f),
            // Never used again is farthest; ties go to the one loaded first (in
            // paging-policy.py, last).
            Policy::Opt if self.script() => (u64::MAX - next, u64::MAX - s.loaded as u64, f),
            Policy::Opt => (u64::MAX - next, s.loaded as u64, f),
            Policy::Unopt => (next, s.loaded as u64, f),
            Policy::Rand | Policy::Clock => (0, 0, f),
        }
    }

    fn script(&self) -> bool {
        self.problem.rules != Rules::Vmlab
    }

    fn ordered(&self) -> bool {
        !matches!(self.problem.policy, Policy::Rand | Policy::Clock)
    }

    fn place(&mut self, f: usize, slot: Slot) {
        if self.ordered() {
            self.order.insert(self.key(&slot, f));
        }
        if self.script() {
            self.by_load.insert(slot.loaded, f);
        }
        self.frame_of.insert(slot.page, f);
        self.slots[f] = Some(slot);
    }

    fn remove(&mut self, f: usize) -> Slot {
        let slot = self.slots[f].take().expect("a resident frame");
        if self.ordered() {
            self.order.remove(&self.key(&slot, f));
        }
        if self.script() {
            self.by_load.remove(&slot.loaded);
        }
        self.frame_of.remove(&slot.page);
        slot
    }

    fn hit(&mut self, f: usize, i: usize, next: Option<usize>) -> Step {
        let mut slot = self.remove(f);
        slot.used = i;
        slot.next = next;
        let page = slot.page;
        self.place(f, slot);
        let now = self.uses.get(f);
        self.uses.set(f, (now + 1).min(self.cap));
        Step {
            page,
            hit: true,
            first: false,
            frame: f,
            evicted: None,
            choice: None,
            after: None,
        }
    }

    fn miss(&mut self, page: u64, i: usize, next: Option<usize>, never: &mut NeverAgain) -> Step {
        let (frame, evicted, choice) = match self.free.pop_first() {
            Some(f) => (f, None, Choice::Free),
            None => {
                let (f, choice) = self.victim();
                let out = self.remove(f);
                if out.next.is_none() {
                    // Its last eviction: from here on it is out of OPT's ties.
                    never.evicted.insert(out.page, i);
                }
                (f, Some(out.page), choice)
            }
        };
        let slot = Slot {
            page,
            loaded: i,
            used: i,
            next,
        };
        self.place(frame, slot);
        // paging-policy.py sets a page's count to 1 when it comes in, whatever the cap.
        let first = if self.script() { 1 } else { 1.min(self.cap) };
        self.uses.set(frame, first);
        if self.problem.policy == Policy::Clock && evicted.is_some() {
            self.hand = (frame + 1) % self.slots.len();
        }
        Step {
            page,
            hit: false,
            first: false,
            frame,
            evicted,
            choice: Some(choice),
            after: None,
        }
    }

    /// The frame to evict from a full memory, and why.
    fn victim(&mut self) -> (usize, Choice) {
        let frames = self.slots.len();
        match self.problem.policy {
            Policy::Rand if self.script() => {
                let value = (self.draw)();
                self.draws_used += 1;
                let (n, f) = (self.draws_used, self.by_load_order(value));
                (f, Choice::Draw { n, value })
            }
            Policy::Clock if self.script() => self.probe(),
            Policy::Rand => {
                let value = (self.draw)();
                self.draws_used += 1;
                let f = (value % frames as u64) as usize;
                let n = self.draws_used;
                (f, Choice::Draw { n, value })
            }
            Policy::Clock => {
                let from = self.hand;
                let (f, turns) = self.uses.sweep(from);
                (f, Choice::Hand { from, turns })
            }
            policy => {
                let &(_, _, f) = self.order.first().expect("memory is full");
                let s = self.slots[f].expect("resident");
                let choice = match policy {
                    Policy::Fifo => Choice::Loaded { at: s.loaded + 1 },
                    Policy::Lru | Policy::Mru => Choice::Used { at: s.used + 1 },
                    _ => Choice::NextUse {
                        at: s.next.map(|n| n + 1),
                        tie: s.next.is_none() && self.other_never_used(s.page),
                    },
                };
                (f, choice)
            }
        }
    }

    /// The frame of the `k`-th resident page in load order (as paging-policy.py lists
    /// them); past the end, the last.
    fn by_load_order(&self, k: u64) -> usize {
        let k = (k as usize).min(self.by_load.len() - 1);
        *self.by_load.values().nth(k).expect("memory is full")
    }

    /// paging-policy.py's CLOCK: draw a position in the list; a page whose count is
    /// above 0 loses 1, the first drawn at 0 is the victim.
    fn probe(&mut self) -> (usize, Choice) {
        loop {
            let value = (self.draw)();
            self.draws_used += 1;
            let f = self.by_load_order(value);
            match self.uses.get(f) {
                0 => {
                    let n = self.draws_used;
                    return (f, Choice::Draw { n, value });
                }
                c => self.uses.set(f, c - 1),
            }
        }
    }

    /// Whether a resident page other than `page` is never used after access `i`: OPT
    /// keeps them last in its order, so the second never-used page, if any, is next.
    fn other_never_used(&self, page: u64) -> bool {
        self.order
            .iter()
            .take(2)
            .any(|&(_, _, f)| self.slots[f].is_some_and(|s| s.page != page && s.next.is_none()))
    }

    fn snapshot(&self) -> Snapshot {
        let mut resident: Vec<Slot> = self.slots.iter().flatten().copied().collect();
        match self.problem.policy {
            Policy::Lru | Policy::Mru => resident.sort_by_key(|s| s.used),
            Policy::Fifo => resident.sort_by_key(|s| s.loaded),
            _ if self.script() => resident.sort_by_key(|s| s.loaded),
            _ => {}
        }
        let clock = (self.problem.policy == Policy::Clock).then(|| {
            let uses = (0..self.slots.len())
                .map(|f| {
                    if self.slots[f].is_some() {
                        self.uses.get(f)
                    } else {
                        0
                    }
                })
                .collect();
            (uses, self.hand)
        });
        Snapshot {
            frames: self.slots.iter().map(|s| s.map(|s| s.page)).collect(),
            order: resident.iter().map(|s| s.page).collect(),
            clock,
        }
    }
}
