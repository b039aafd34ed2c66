//! The model of base and bounds: a problem (registers and addresses) and its
//! solution, with no text. [`solve`] is pure; [`generate`] draws a problem from a
//! seed, and a front end with its own generator may build a [`Problem`] instead.

use serde::Serialize;

use super::Config;
use crate::error::Result;
use crate::sim::{Rng, bad_param, params::hex};
use crate::tr;

pub use crate::sim::params::Draw;

/// A problem with every value decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Address-space size, bytes.
    pub asize: u64,
    /// Physical memory size, bytes.
    pub physmem: u64,
    #[serde(serialize_with = "crate::json::hex")]
    pub base: u64,
    pub bounds: u64,
    /// The virtual addresses to translate, in order (question 1 is the first).
    #[serde(serialize_with = "crate::json::hex")]
    pub addresses: Vec<u64>,
}

/// One address translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Access {
    #[serde(serialize_with = "crate::json::hex")]
    pub va: u64,
    /// The physical address, or none for a segmentation violation.
    #[serde(serialize_with = "crate::json::hex")]
    pub pa: Option<u64>,
}

/// The problem worked out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Solution {
    /// The first and last valid virtual address; none when bounds is 0.
    #[serde(serialize_with = "crate::json::hex")]
    pub valid_range: Option<(u64, u64)>,
    pub accesses: Vec<Access>,
    /// How many of the accesses are valid.
    pub valid: usize,
}

/// Base-and-bounds translation: `Some(base + va)` when `va < bounds`, `None` (a
/// segmentation violation) otherwise.
pub fn translate(base: u64, bounds: u64, va: u64) -> Option<u64> {
    if va < bounds {
        base.checked_add(va)
    } else {
        None
    }
}

/// Works `p` out.
pub fn solve(p: &Problem) -> Solution {
    let accesses: Vec<Access> = p
        .addresses
        .iter()
        .map(|&va| Access {
            va,
            pa: translate(p.base, p.bounds, va),
        })
        .collect();
    Solution {
        valid_range: (p.bounds > 0).then(|| (0, p.bounds - 1)),
        valid: accesses.iter().filter(|a| a.pa.is_some()).count(),
        accesses,
    }
}

/// Draws what `c` leaves random from `seed`: bounds (a quarter to a half of the
/// address space, as relocation.py), base (anywhere the space fits), addresses.
pub fn generate(c: &Config, seed: u64) -> Result<Problem> {
    let mut rng = Rng::new(seed);
    let bounds = match c.bounds {
        Some(b) if b > c.asize => {
            let why = tr!(
                "relocate-error-bounds",
                bounds = b.to_string(),
                asize = c.asize.to_string()
            );
            return Err(bad_param("limit", why));
        }
        Some(b) => b,
        None => rng.range(c.asize / 4, c.asize / 2),
    };
    let base = match c.base {
        Some(b) if b.checked_add(bounds).is_none_or(|end| end > c.physmem) => {
            let why = tr!(
                "relocate-error-base",
                base = hex(b, 1),
                bounds = bounds.to_string(),
                physmem = c.physmem.to_string()
            );
            return Err(bad_param("base", why));
        }
        Some(b) => b,
        None => rng.range(0, c.physmem - bounds),
    };
    let addresses = c
        .addresses
        .iter()
        .map(|given| given.unwrap_or_else(|| draw(&mut rng, c.draw, c.asize, bounds)))
        .collect();
    Ok(Problem {
        asize: c.asize,
        physmem: c.physmem,
        base,
        bounds,
        addresses,
    })
}

/// One random virtual address.
fn draw(rng: &mut Rng, how: Draw, asize: u64, bounds: u64) -> u64 {
    match how {
        Draw::ValidShare(p) if bounds > 0 && rng.chance(p) => rng.below(bounds),
        _ => rng.below(asize),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Options;
    use super::*;
    use crate::error::{Error, InputError};

    fn config(asize: &str, physmem: &str, base: &str, limit: &str, addrs: &str) -> Result<Config> {
        Config::new(&Options {
            asize: asize.into(),
            physmem: physmem.into(),
            base: Some(base.into()),
            limit: Some(limit.into()),
            addresses: Some(addrs.into()),
            ..Options::default()
        })
    }

    fn problem(c: Result<Config>, seed: u64) -> Result<Problem> {
        generate(&c?, seed)
    }

    #[test]
    fn translation_from_the_definition() {
        // Base 0x3000, bounds 100: VA 0 → 0x3000, the last valid VA 99 → 0x3063,
        // the first invalid VA 100 faults.
        assert_eq!(translate(0x3000, 100, 0), Some(0x3000));
        assert_eq!(translate(0x3000, 100, 99), Some(0x3063));
        assert_eq!(translate(0x3000, 100, 100), None);
        assert_eq!(translate(0x3000, 0, 0), None);
    }

    #[test]
    fn a_hand_written_problem_has_the_known_answers() {
        // OSTEP chapter 15's example: base 16 KB, bounds 4 KB (asize 16k, physmem 64k).
        let p = problem(config("16k", "64k", "16k", "4k", "0,4095,4096,1000,15k"), 0).unwrap();
        let pas: Vec<Option<u64>> = solve(&p).accesses.iter().map(|a| a.pa).collect();
        assert_eq!(pas, [Some(0x4000), Some(0x4fff), None, Some(0x43e8), None]);
        // The same problem built by hand, as a front end would: no seed involved.
        let by_hand = Problem {
            asize: 16 << 10,
            physmem: 64 << 10,
            base: 16 << 10,
            bounds: 4 << 10,
            addresses: vec![0, 4095, 4096, 1000, 15 << 10],
        };
        assert_eq!(by_hand, p);
    }

    #[test]
    fn same_seed_same_problem_and_random_values_fit() {
        let c = Config::new(&Options::default()).unwrap();
        for seed in 0..200 {
            let a = generate(&c, seed).unwrap();
            assert_eq!(a, generate(&c, seed).unwrap());
            assert!(a.bounds >= 256 && a.bounds <= 512);
            assert!(a.base + a.bounds <= a.physmem);
            assert!(a.addresses.iter().all(|&v| v < a.asize));
        }
        assert_ne!(generate(&c, 1).unwrap(), generate(&c, 2).unwrap());
    }

    #[test]
    fn uniform_addresses_give_the_books_valid_share() {
        // OSTEP's homework: bounds 100 of a 1k address space → about 10% valid.
        let share = |valid: Option<u64>| {
            let c = Config::new(&Options {
                limit: Some("100".into()),
                num: 10_000,
                valid,
                ..Options::default()
            })
            .unwrap();
            let s = solve(&generate(&c, 3).unwrap());
            s.valid as f64 / s.accesses.len() as f64
        };
        let uniform = share(None);
        assert!((0.08..0.12).contains(&uniform), "{uniform}");
        // The half-valid mix, on request: 50% + 50% × 10%.
        let mixed = share(Some(50));
        assert!((0.52..0.58).contains(&mixed), "{mixed}");
    }

    fn bad(c: Result<Config>) -> String {
        match problem(c, 0) {
            Err(Error::Input(InputError::BadParameter { name, why })) => format!("{name}: {why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_parameters_are_clear_errors() {
        assert!(bad(config("32k", "16k", "0", "10", "1")).contains("larger than physical memory"));
        assert!(bad(config("1k", "16k", "0", "2k", "1")).contains("larger than the address space"));
        assert!(bad(config("1k", "16k", "16000", "1k", "1")).contains("ends past physical memory"));
        assert!(
            bad(config("1k", "16k", "0", "10", "1,2000")).contains("outside the address space")
        );
        assert!(bad(config("0", "16k", "0", "10", "1")).contains("more than 0"));
        assert!(bad(config("1k", "lots", "0", "10", "1")).starts_with("physmem"));
        assert!(bad(config("1k", "16k", "0", "10", "1,,2")).contains("empty entry"));
        assert!(bad(config("1k", "0xffffffffffffffff", "0", "10", "1")).contains("too large"));
        let many = Config::new(&Options {
            num: crate::sim::params::MAX_ACCESSES + 1,
            ..Options::default()
        });
        assert!(bad(many).starts_with("num"));
    }

    #[test]
    fn minus_one_means_random_as_in_relocation_py() {
        let a = problem(config("1k", "16k", "-1", "-1", "-1,5"), 3).unwrap();
        assert_eq!(a.addresses.len(), 2);
        assert_eq!(a.addresses[1], 5);
    }
}
