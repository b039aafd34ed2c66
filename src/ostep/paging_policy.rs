//! paging-policy.py: a reference string through a page cache under FIFO, LRU, MRU,
//! OPT, UNOPT, RAND or CLOCK.
//!
//! The string comes from the script's draws (`-m maxpage`, `-n`), from `-a` or from a
//! file (`-f`); the hits, misses and evictions from [`crate::sim::policy`]'s engine
//! under the script's rules ([`Rules::PagingPolicyPy`]: OPT's ties to the page loaded
//! last, RAND's and CLOCK's draws as positions in the list of resident pages, taken
//! from the seeded generator while solving, as the script takes them).
//!
//! The script's lines stay English, as it prints them.

use super::{Kind, Opt, Parsed, PyInt, PyRandom, Run, Script};
use crate::error::{Error, InputError, Result};
use crate::sim::Question;
use crate::sim::policy::text::{PageFmt, access_answer};
use crate::sim::policy::{Policy, Problem, Rules, simulate_with};
use crate::tr;

/// The script, for [`super::SCRIPTS`].
pub const SCRIPT: Script = Script {
    name: "paging-policy.py",
    about: "ostep-policy-about",
    options: OPTIONS,
    run,
};

/// The script's options, in its order.
pub const OPTIONS: &[Opt] = &[
    opt('a', "addresses", "addresses", Kind::Str("-1")),
    opt('f', "addressfile", "addressfile", Kind::Str("")),
    opt('n', "numaddrs", "numaddrs", Kind::Str("10")),
    opt('p', "policy", "policy", Kind::Str("FIFO")),
    opt('b', "clockbits", "clockbits", Kind::Int(2)),
    opt('C', "cachesize", "cachesize", Kind::Str("3")),
    opt('m', "maxpage", "maxpage", Kind::Str("10")),
    opt('s', "seed", "seed", Kind::Str("0")),
    opt('N', "notrace", "notrace", Kind::Flag),
    opt('c', "compute", "solve", Kind::Flag),
];

const fn opt(short: char, long: &'static str, dest: &'static str, kind: Kind) -> Opt {
    Opt {
        short: Some(short),
        long: Some(long),
        dest,
        kind,
        help: help_id(dest),
    }
}

const fn help_id(dest: &str) -> &'static str {
    match dest.as_bytes() {
        b"addresses" => "ostep-policy-help-addresses",
        b"addressfile" => "ostep-policy-help-addressfile",
        b"numaddrs" => "ostep-policy-help-numaddrs",
        b"policy" => "ostep-policy-help-policy",
        b"clockbits" => "ostep-policy-help-clockbits",
        b"cachesize" => "ostep-policy-help-cachesize",
        b"maxpage" => "ostep-policy-help-maxpage",
        b"seed" => "ostep-policy-help-seed",
        b"notrace" => "ostep-policy-help-notrace",
        _ => "ostep-policy-help-solve",
    }
}

/// The most pages a trace may print (accesses times cache size): the trace is kept
/// whole before it is printed.
const MAX_TRACE: usize = 20_000_000;

/// The most pages a string may have.
const MAX_REFS: i64 = 1_000_000;

fn input(text: String) -> Error {
    Error::Input(InputError::Message(text))
}

/// Python's `int(text)` of an option, or the error the script would stop with.
fn int_of(dest: &str, text: &str) -> Result<i64> {
    PyInt::parse(text)
        .and_then(|n| n.to_i64())
        .ok_or_else(|| input(tr!("ostep-policy-not-int", option = dest, value = text)))
}

/// The options the script converts with `int()` once it has printed them.
struct Setup {
    numaddrs: i64,
    cachesize: i64,
    maxpage: i64,
    clockbits: i64,
    policy: String,
}

fn setup(p: &Parsed) -> Result<Setup> {
    Ok(Setup {
        numaddrs: int_of("numaddrs", p.str("numaddrs"))?,
        cachesize: int_of("cachesize", p.str("cachesize"))?,
        maxpage: int_of("maxpage", p.str("maxpage"))?,
        clockbits: p.int("clockbits").to_i64().unwrap_or(i64::MAX),
        policy: p.str("policy").to_string(),
    })
}

/// Runs the script.
pub fn run(p: &Parsed, out: &mut Run) -> Result<()> {
    for dest in [
        "addresses",
        "addressfile",
        "numaddrs",
        "policy",
        "clockbits",
        "cachesize",
        "maxpage",
        "seed",
        "notrace",
    ] {
        let shown = match p.value(dest) {
            super::optparse::Value::Int(n) => n.to_string(),
            super::optparse::Value::Str(s) => s.clone(),
            super::optparse::Value::Flag(b) => py_bool(*b).to_string(),
        };
        out.say(format!("ARG {dest} {shown}"));
    }
    out.say("");
    let s = setup(p)?;
    let seed = PyInt::parse(p.str("seed")).ok_or_else(|| {
        input(tr!(
            "ostep-policy-not-int",
            option = "seed",
            value = p.str("seed")
        ))
    })?;
    let mut rng = PyRandom::seeded(&seed);
    let refs = references(p, &s, &mut rng)?;
    if p.flag("solve") {
        return solution(out, p, &s, &refs, &mut rng);
    }
    problem(out, &s, &refs);
    // The answers, for --check, where the script could work them out.
    if let Some(policy) = policy_of(&s.policy)
        && s.cachesize != 0
        && !refs.is_empty()
    {
        let (problem, frames) = model_problem(&s, policy, &refs, false);
        let run = simulate_with(&problem, &mut || rng.below(frames as f64) as u64);
        out.questions = questions(&run);
    }
    Ok(())
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// The reference string: from the file, from `-a`, or drawn.
fn references(p: &Parsed, s: &Setup, rng: &mut PyRandom) -> Result<Vec<i64>> {
    let file = p.str("addressfile");
    let refs: Vec<i64> = if !file.is_empty() {
        let text = std::fs::read_to_string(file).map_err(|e| {
            input(tr!(
                "ostep-policy-no-file",
                file = file,
                why = e.to_string()
            ))
        })?;
        text.lines()
            .map(|l| int_of("addressfile", l))
            .collect::<Result<_>>()?
    } else if p.str("addresses") == "-1" {
        if s.numaddrs > MAX_REFS {
            let why = tr!(
                "ostep-policy-too-many",
                num = s.numaddrs.to_string(),
                max = MAX_REFS.to_string()
            );
            return Err(input(why));
        }
        (0..s.numaddrs.max(0))
            .map(|_| rng.below(s.maxpage as f64))
            .collect()
    } else {
        p.str("addresses")
            .split(',')
            .map(|a| int_of("addresses", a))
            .collect::<Result<_>>()?
    };
    if refs.len() as i64 > MAX_REFS {
        let why = tr!(
            "ostep-policy-too-many",
            num = refs.len().to_string(),
            max = MAX_REFS.to_string()
        );
        return Err(input(why));
    }
    Ok(refs)
}

/// Without `-c`: the questions.
fn problem(out: &mut Run, s: &Setup, refs: &[i64]) {
    out.say(format!(
        "Assuming a replacement policy of {}, and a cache of size {} pages,",
        s.policy, s.cachesize
    ));
    out.say("figure out whether each of the following page references hit or miss");
    out.say("in the page cache.");
    out.say("");
    for n in refs {
        out.say(format!("Access: {n}  Hit/Miss?  State of Memory?"));
    }
    out.say("");
}

/// The policy the script names (`FIFO`, exactly), if it knows it.
fn policy_of(name: &str) -> Option<Policy> {
    Some(match name {
        "FIFO" => Policy::Fifo,
        "LRU" => Policy::Lru,
        "MRU" => Policy::Mru,
        "OPT" => Policy::Opt,
        "UNOPT" => Policy::Unopt,
        "RAND" => Policy::Rand,
        "CLOCK" => Policy::Clock,
        _ => return None,
    })
}

/// The engine's problem: pages as the model's numbers (a negative page keeps its
/// bits), and the frames: the cache size, but no more than there are pages.
fn model_problem(s: &Setup, policy: Policy, refs: &[i64], trace: bool) -> (Problem, usize) {
    let distinct: std::collections::HashSet<i64> = refs.iter().copied().collect();
    // A cache that holds every page never replaces one: more frames than pages change
    // nothing (and a negative size never fills, as the script never finds it full).
    let pages = distinct.len().max(1);
    let frames = match usize::try_from(s.cachesize) {
        Ok(size) => size.min(pages),
        Err(_) => pages,
    };
    let problem = Problem {
        refs: refs.iter().map(|&r| r as u64).collect(),
        frames,
        policy,
        clock_bits: 1,
        draws: Vec::new(),
        rules: Rules::PagingPolicyPy {
            clock_max: s.clockbits.clamp(0, u32::MAX as i64) as u32,
            trace,
        },
    };
    (problem, frames)
}

/// With `-c`: the trace and the final counts.
fn solution(out: &mut Run, p: &Parsed, s: &Setup, refs: &[i64], rng: &mut PyRandom) -> Result<()> {
    let notrace = p.flag("notrace");
    if !notrace {
        out.say("Solving...");
        out.say("");
    }
    let Some(policy) = policy_of(&s.policy) else {
        out.say(format!("Policy {} is not yet implemented", s.policy));
        out.exit = 1;
        return Ok(());
    };
    if s.cachesize == 0 && !refs.is_empty() {
        return Err(input(tr!("ostep-policy-cache-zero")));
    }
    if refs.is_empty() {
        return Err(input(tr!("ostep-policy-no-refs")));
    }
    if s.cachesize < 0 {
        out.note(tr!(
            "ostep-policy-cache-negative",
            size = s.cachesize.to_string()
        ));
    }
    let (problem, frames) = model_problem(s, policy, refs, !notrace);
    if !notrace && frames.saturating_mul(refs.len()) > MAX_TRACE {
        let why = tr!("ostep-policy-trace-large", max = MAX_TRACE.to_string());
        return Err(input(why));
    }
    let draws = frames as f64;
    let run = simulate_with(&problem, &mut || rng.below(draws) as u64);
    let (left, right) = match policy {
        Policy::Fifo => ("FirstIn", "Lastin "),
        Policy::Lru | Policy::Mru => ("LRU", "MRU"),
        _ => ("Left ", "Right"),
    };
    out.questions = questions(&run);
    let (mut hits, mut misses) = (0, 0);
    for step in &run.steps {
        if step.hit {
            hits += 1;
        } else {
            misses += 1;
        }
        if notrace {
            continue;
        }
        let memory = step
            .after
            .as_ref()
            .map(|a| list(&a.order))
            .unwrap_or_default();
        let hit = if step.hit { "HIT " } else { "MISS" };
        let line = |victim: &str| {
            format!(
                "Access: {}  {hit} {left} -> {memory:>12} <- {right} Replaced:{victim} [Hits:{hits} Misses:{misses}]",
                step.page as i64
            )
        };
        let victim = step.evicted.map(|v| v as i64);
        out.say(line(&victim.map_or("-".to_string(), |v| v.to_string())));
        // The script's -1 means "no page": evicting page -1 prints as no eviction.
        if victim == Some(-1) {
            out.note(tr!("ostep-policy-minus-one", line = line("-")));
        }
    }
    out.say("");
    let rate = 100.0 * hits as f64 / (hits + misses) as f64;
    out.say(format!(
        "FINALSTATS hits {hits}   misses {misses}   hitrate {}",
        py_fixed2(rate)
    ));
    out.say("");
    Ok(())
}

/// Question `i` (0-based, as the accesses come): hit, miss, or the page evicted (for
/// OPT, any page never used again is as right).
fn questions(run: &crate::sim::policy::Run) -> Vec<Question> {
    let fmt = PageFmt { hex: false };
    (run.steps.iter().enumerate())
        .map(|(i, step)| {
            let page = (step.page as i64).to_string();
            let prompt = tr!("ostep-policy-question", page = page);
            Question::new(i, prompt, access_answer(run, i, fmt))
        })
        .collect()
}

/// Python's `'%.2f' % x`: correctly rounded, ties to even (Rust's formatting rounds
/// the exact binary value the same way).
fn py_fixed2(x: f64) -> String {
    format!("{x:.2}")
}

/// A Python list of pages: `[1, 2, 3]`.
fn list(pages: &[u64]) -> String {
    let items: Vec<String> = pages.iter().map(|&p| (p as i64).to_string()).collect();
    format!("[{}]", items.join(", "))
}
