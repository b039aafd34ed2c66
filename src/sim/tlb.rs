//! `vmlab sim tlb`: a fully associative TLB of N entries under FIFO, LRU, random or
//! optimal replacement. The student splits each virtual address into its virtual page
//! number (VPN) and offset, then decides hit or miss, and on a miss with the TLB full
//! which entry is replaced; then the hits, misses and hit rate.
//!
//! The replacement itself is the engine of `vmlab sim policy` ([`super::policy`]): a
//! TLB is a cache of translations, replaced by the same rules as pages in memory.
//! `--real` points to `vm-tlb`, which measures the real TLB of this machine.

use serde::Serialize;
use serde_json::json;

use super::legacy::Exercise;
use super::policy::{self, PageFmt, Policy};
use super::{Rng, bad_param, power_of_two, size_param};
use crate::error::Result;

/// The TLB's replacement policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "UPPERCASE")]
pub enum TlbPolicy {
    /// Replace the entry filled longest ago.
    Fifo,
    /// Replace the least recently used entry.
    Lru,
    /// Replace the entry named by the next printed random draw.
    #[value(alias = "rand")]
    Random,
    /// Replace the entry whose page is needed farthest in the future (Belady's MIN).
    #[value(alias = "optimal")]
    Opt,
}

impl TlbPolicy {
    fn rule(self) -> &'static str {
        match self {
            TlbPolicy::Fifo => "replace the entry that was filled first (a hit changes nothing)",
            TlbPolicy::Lru => "replace the entry whose last use is the oldest",
            TlbPolicy::Random => {
                "replace the entry given by the next random draw (listed below; each \
                 replacement uses one)"
            }
            TlbPolicy::Opt => {
                "replace the entry whose VPN is needed farthest in the future (never again is \
                 farthest; among several such, the one filled first)"
            }
        }
    }

    fn engine(self) -> Policy {
        match self {
            TlbPolicy::Fifo => Policy::Fifo,
            TlbPolicy::Lru => Policy::Lru,
            TlbPolicy::Random => Policy::Rand,
            TlbPolicy::Opt => Policy::Opt,
        }
    }
}

/// The parameters of `vmlab sim tlb` (letters as OSTEP's paging simulators: `-a`
/// address-space size, `-P` page size, `-n` accesses, `-A` given addresses).
#[derive(clap::Args, Clone, Debug, Serialize)]
pub struct Params {
    /// The number of TLB entries (fully associative).
    #[arg(short = 'e', long, default_value_t = 4)]
    pub entries: usize,

    /// The replacement policy.
    #[arg(
        short = 'p',
        long,
        value_enum,
        ignore_case = true,
        default_value = "lru"
    )]
    pub policy: TlbPolicy,

    /// The size of the virtual address space (`16k`, `1m`, `0x10000`).
    #[arg(short = 'a', long, default_value = "16k")]
    pub asize: String,

    /// The page size (a power of two).
    #[arg(short = 'P', long, default_value = "1k")]
    pub pagesize: String,

    /// How many virtual addresses to generate.
    #[arg(short = 'n', long, default_value_t = 12)]
    pub numaccesses: usize,

    /// The virtual addresses to access, comma-separated (`0x3a12,0x0040,...`), instead of
    /// random ones.
    #[arg(short = 'A', long, value_name = "ADDRS")]
    pub addresses: Option<String>,

    /// Percentage (0-100) of generated accesses that go back to a page among the last
    /// entries+2 pages used (a program's locality); the others go to any page.
    #[arg(short = 'l', long, default_value_t = 40)]
    pub locality: u64,
}

impl Default for Params {
    fn default() -> Params {
        super::clap_defaults()
    }
}

struct Shape {
    asize: u64,
    page: u64,
    pages: u64,
}

fn validate(p: &Params) -> Result<Shape> {
    if p.entries == 0 || p.entries > 4096 {
        return Err(bad_param(
            "entries",
            format!("{} entries: a TLB has 1 to 4096 entries", p.entries),
        ));
    }
    super::percent("locality", p.locality)?;
    if p.addresses.is_none() && !(1..=10_000).contains(&p.numaccesses) {
        return Err(bad_param(
            "numaccesses",
            format!("{} accesses: generate 1 to 10000", p.numaccesses),
        ));
    }
    let asize = size_param("asize", &p.asize)?;
    power_of_two("asize", asize)?;
    let page = size_param("pagesize", &p.pagesize)?;
    power_of_two("pagesize", page)?;
    if page > asize {
        return Err(bad_param(
            "pagesize",
            format!("a page of {page} bytes does not fit in an address space of {asize} bytes"),
        ));
    }
    Ok(Shape {
        asize,
        page,
        pages: asize / page,
    })
}

/// The exercise for `params` and `seed`; with `real`, where the real TLB is measured.
pub fn exercise(params: &Params, seed: u64, real: bool) -> Result<Exercise> {
    let shape = validate(params)?;
    let mut rng = Rng::new(seed);
    let entries = params.entries;
    let addrs: Vec<u64> = match &params.addresses {
        Some(list) => {
            let addrs = policy::parse_list("addresses", list)?;
            if let Some(a) = addrs.iter().find(|&&a| a >= shape.asize) {
                return Err(bad_param(
                    "addresses",
                    format!(
                        "{a:#x} is outside the address space (0 to {:#x})",
                        shape.asize - 1
                    ),
                ));
            }
            addrs
        }
        None => {
            let pages = policy::random_refs(
                &mut rng,
                params.numaccesses,
                shape.pages,
                params.locality,
                entries + 2,
            );
            pages
                .iter()
                .map(|&vpn| vpn * shape.page + rng.below(shape.page))
                .collect()
        }
    };
    let vpns: Vec<u64> = addrs.iter().map(|a| a / shape.page).collect();
    let pol = params.policy.engine();
    let draws = if pol == Policy::Rand {
        policy::draws(&mut rng, vpns.len(), entries)
    } else {
        Vec::new()
    };
    // VPNs are written in decimal (as OSTEP's solutions), addresses in hex.
    let fmt = PageFmt { hex: false };
    let run = policy::simulate(&vpns, entries, pol, 1, &draws, fmt);
    let offset_bits = shape.page.trailing_zeros();
    let vpn_bits = shape.pages.trailing_zeros();
    let aw = (shape.asize - 1).max(1).ilog2() / 4 + 1;
    let hexa = |a: u64| format!("0x{a:0w$x}", w = aw as usize);
    let mut problem = policy::prose(&format!(
        "Address space {} bytes, pages of {} bytes: {} pages, so a virtual address is a {}-bit \
         VPN and a {}-bit offset.",
        shape.asize, shape.page, shape.pages, vpn_bits, offset_bits
    ));
    problem.extend(policy::prose(&format!(
        "The TLB holds {entries} translation{} (fully associative), empty at the start; a miss \
         walks the page table and fills a free entry (the lowest-numbered), or replaces one.",
        if entries == 1 { "" } else { "s" }
    )));
    problem.extend(policy::prose(&format!(
        "Policy {}: on a miss with the TLB full, {}.",
        pol.name(),
        params.policy.rule()
    )));
    problem.push(format!("Virtual addresses ({}):", addrs.len()));
    let list: Vec<String> = addrs.iter().map(|&a| hexa(a)).collect();
    for chunk in list.chunks(8) {
        problem.push(format!("  {}", chunk.join("  ")));
    }
    if !draws.is_empty() {
        problem.push("Random draws (entry replaced at the 1st, 2nd, ... replacement):".into());
        let d: Vec<String> = draws.iter().map(u64::to_string).collect();
        for chunk in d.chunks(20) {
            problem.push(format!("  {}", chunk.join(", ")));
        }
    }
    let asked = addrs.len() <= policy::MAX_ASKED;
    if asked {
        problem.push(
            "For each address: its VPN, then hit, miss (into a free entry), or the VPN whose \
             entry it replaces. Then the totals."
                .into(),
        );
    }
    let mut questions = Vec::new();
    if asked {
        for (s, &a) in run.steps.iter().zip(&addrs) {
            let vpn = s.page;
            questions.push(policy::question(
                questions.len() + 1,
                format!("VA {}: VPN?", hexa(a)),
                (vpn.to_string(), vec![format!("{vpn:#x}")]),
            ));
            questions.push(policy::question(
                questions.len() + 1,
                format!("VA {}: hit, miss, or evict VPN?", hexa(a)),
                policy::access_answer(s, fmt),
            ));
        }
    }
    let total = addrs.len();
    questions.push(policy::question(
        questions.len() + 1,
        "how many TLB hits?".into(),
        (run.hits.to_string(), vec![]),
    ));
    questions.push(policy::question(
        questions.len() + 1,
        "how many TLB misses?".into(),
        (run.misses.to_string(), vec![]),
    ));
    questions.push(policy::question(
        questions.len() + 1,
        "TLB hit rate (in %)?".into(),
        policy::rate_answer(run.hits, total),
    ));

    let mut solution = vec![format!(
        "VPN = address >> {offset_bits} (address / {}), offset = address & {:#x}.",
        shape.page,
        shape.page - 1
    )];
    let table = policy::table(&run, fmt, "VPN", "TLB after");
    let vaw = hexa(0).len();
    // The engine's table, with the address and offset in front of each row.
    solution.push(format!("{:<vaw$}  {:>8}  {}", "VA", "offset", table[0]));
    for (row, &a) in table[1..].iter().zip(&addrs) {
        solution.push(format!("{}  {:>8}", hexa(a), format!("{:#x}", a % shape.page)) + "  " + row);
    }
    solution.push(format!(
        "(TLB listed {})",
        match params.policy {
            TlbPolicy::Fifo => "first filled → last filled",
            TlbPolicy::Lru => "least → most recently used",
            _ => "by entry, - for a free one",
        }
    ));
    solution.push(String::new());
    solution.push("Step by step:".into());
    for (s, &a) in run.steps.iter().zip(&addrs) {
        solution.push(format!(
            "{:>4}. {} → VPN {}: {}",
            s.index,
            hexa(a),
            s.page,
            s.why
                .replace("is not in memory", "is not in the TLB")
                .replace("memory is full", "the TLB is full")
                .replace("in frame", "in entry")
                .replace("from frame", "from entry")
                .replace("evict frame", "replace entry")
                .replace("frame ", "entry ")
        ));
    }
    solution.push(String::new());
    solution.push(format!(
        "TLB of {entries} entries, {}: {} hits, {} misses ({} on first touches of a page, which \
         no TLB avoids), hit rate {}/{} = {}",
        pol.name(),
        run.hits,
        run.misses,
        run.compulsory,
        run.hits,
        total,
        policy::rate_answer(run.hits, total).0
    ));
    let data = json!({
        "asize": shape.asize,
        "page_size": shape.page,
        "entries": entries,
        "policy": params.policy,
        "addresses": addrs.iter().map(|&a| format!("{a:#x}")).collect::<Vec<_>>(),
        "vpns": vpns,
        "random_draws": draws,
        "run": run,
        "hit_rate": run.hits as f64 / total.max(1) as f64,
    });
    Ok(Exercise {
        simulator: "tlb".into(),
        seed,
        params: serde_json::to_value(params).unwrap_or_default(),
        problem,
        questions,
        solution,
        real: if real { real_part() } else { Vec::new() },
        data,
    })
}

/// `--real`: where this machine's TLB is measured, and what the CPU says of its size.
fn real_part() -> Vec<String> {
    let mut out = vec![
        "The TLB above is simulated. The real one is measured by vm-tlb: run `sudo vmlab demo \
         tlb` (or `vm-tlb`): it times one access per page over a growing number of pages and \
         finds where the time per access jumps, beside the TLB sizes CPUID reports."
            .to_string(),
    ];
    match std::fs::read_to_string("/proc/cpuinfo") {
        Ok(text) => {
            match text
                .lines()
                .find(|l| l.starts_with("TLB size"))
                .and_then(|l| l.split_once(':'))
            {
                Some((_, v)) => out.push(format!(
                    "This CPU reports (/proc/cpuinfo, not measured): TLB size {}.",
                    v.trim()
                )),
                None => out.push(
                    "/proc/cpuinfo gives no TLB size on this CPU; vm-tlb decodes CPUID for it."
                        .into(),
                ),
            }
        }
        Err(e) => out.push(format!("/proc/cpuinfo could not be read ({e}).")),
    }
    out.push(
        "A real TLB is set-associative with several levels and a pseudo-LRU policy, and the \
         kernel flushes or tags it on a context switch: the simulator's fully associative \
         TLB is the textbook model."
            .into(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(addresses: &str, entries: usize, policy: TlbPolicy) -> Params {
        Params {
            addresses: Some(addresses.into()),
            entries,
            policy,
            ..Params::default()
        }
    }

    fn answers(e: &Exercise) -> Vec<String> {
        e.questions.iter().map(|q| q.answer.clone()).collect()
    }

    #[test]
    fn ostep_array_walk_is_miss_hit_hit() {
        // OSTEP's TLB chapter: an array of 10 4-byte ints at 100 with 16-byte pages:
        // m h h m h h h m h h → 7 hits of 10, 70%.
        let addrs: Vec<String> = (0..10).map(|i| (100 + 4 * i).to_string()).collect();
        let mut p = params(&addrs.join(","), 4, TlbPolicy::Lru);
        p.asize = "256".into();
        p.pagesize = "16".into();
        let e = exercise(&p, 0, false).unwrap();
        let a = answers(&e);
        let vpns: Vec<&str> = a.iter().step_by(2).take(10).map(String::as_str).collect();
        assert_eq!(vpns, ["6", "6", "6", "7", "7", "7", "7", "8", "8", "8"]);
        let results: Vec<&str> = a
            .iter()
            .skip(1)
            .step_by(2)
            .take(10)
            .map(String::as_str)
            .collect();
        assert_eq!(
            results,
            [
                "miss", "hit", "hit", "miss", "hit", "hit", "hit", "miss", "hit", "hit"
            ]
        );
        assert_eq!(&a[20..], ["7", "3", "70.00%"]);
    }

    #[test]
    fn replacement_by_hand() {
        // 1 KiB pages, 2 entries: VPNs 0 1 0 2 1.
        let list = "0x0010,0x0400,0x03ff,0x0800,0x0401";
        // LRU: 2 replaces 1 (0 was used at access 3), then 1 replaces 0.
        let e = exercise(&params(list, 2, TlbPolicy::Lru), 0, false).unwrap();
        let a = answers(&e);
        assert_eq!(a[4..6], ["0", "hit"]); // 0x3ff: the last byte of page 0
        assert_eq!(a[6..10], ["2", "evict 1", "1", "evict 0"]);
        // FIFO: 2 replaces 0 (filled first); then 1 hits.
        let e = exercise(&params(list, 2, TlbPolicy::Fifo), 0, false).unwrap();
        let a = answers(&e);
        assert_eq!(a[6..10], ["2", "evict 0", "1", "hit"]);
        // OPT: at 2, VPN 1 is needed next and 0 never → replace 0.
        let e = exercise(&params(list, 2, TlbPolicy::Opt), 0, false).unwrap();
        assert_eq!(answers(&e)[7], "evict 0");
        assert_eq!(answers(&e)[10..], ["2", "3", "40.00%"]);
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = |f: &dyn Fn(&mut Params)| {
            let mut p = Params::default();
            f(&mut p);
            assert!(exercise(&p, 0, false).is_err());
        };
        bad(&|p| p.entries = 0);
        bad(&|p| p.pagesize = "1000".into());
        bad(&|p| p.asize = "12k".into());
        bad(&|p| p.pagesize = "32k".into());
        bad(&|p| p.locality = 200);
        bad(&|p| p.numaccesses = 0);
        // 0x4000 is the first address past a 16 KiB space; 0x3fff the last inside.
        bad(&|p| p.addresses = Some("0x4000".into()));
        assert!(exercise(&params("0x3fff", 1, TlbPolicy::Lru), 0, false).is_ok());
    }

    #[test]
    fn random_is_reproducible_and_grades_itself() {
        for policy in [
            TlbPolicy::Fifo,
            TlbPolicy::Lru,
            TlbPolicy::Random,
            TlbPolicy::Opt,
        ] {
            let p = Params {
                policy,
                ..Params::default()
            };
            let a = exercise(&p, 7, false).unwrap();
            let b = exercise(&p, 7, false).unwrap();
            assert_eq!(a.problem, b.problem);
            let text: String = a
                .questions
                .iter()
                .map(|q| format!("{}: {}\n", q.id, q.answer))
                .collect();
            let g = super::super::legacy::grade(&a, &text).unwrap();
            assert_eq!(g.right, g.total);
        }
    }
}
