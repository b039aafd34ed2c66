//! A frame's flags as tools/mm/page-types shows them, and the `--flags` filter.
//!
//! page-types, the kernel's own tool, counts pages by their kpageflags word in one of
//! two views, and vmlab uses the same two so that its counts can be checked against it:
//! - the **default** view hides the kernel-internal bits (32 and up) and the compound
//!   bits of pages that are not hugetlb (a THP's head and tails count as plain pages);
//! - the **raw** view (`--raw`, page-types `-r`) keeps every bit, decodes the
//!   overloaded ones (OWNER_2 on an anonymous page is ANON_EXCLUSIVE; on a slab page
//!   ACTIVE and ERROR are SLUB_FROZEN and SLUB_DEBUG; RECLAIM without WRITEBACK is
//!   READAHEAD), and adds the pagemap bits of the page that maps the frame (FILE, SWAP,
//!   MMAP_EXCLUSIVE, SOFTDIRTY).
//!
//! A filter is page-types' `-b`: `anon,lru` (any of them set), `anon,~swapbacked`
//! (anon set and swapbacked clear), `anon,swapbacked=anon` (the same), `=thp` (exactly
//! that word). Several filters must all hold.

use serde::Serialize;

use crate::error::{InputError, Result};
use crate::frames::{FLAGS, OVERLOADED, all_flags, flag};

const PM_SOFT_DIRTY: u64 = 1 << 55;
const PM_MMAP_EXCLUSIVE: u64 = 1 << 56;
const PM_FILE: u64 = 1 << 61;
const PM_SWAP: u64 = 1 << 62;

/// Bits 32-47: for kernel developers, hidden in the default view.
const HACKERS_BITS: u64 = 0xffff << 32;
const COMPOUND: u64 = (1 << flag::COMPOUND_HEAD) | (1 << flag::COMPOUND_TAIL);

const fn bit(b: u32) -> u64 {
    1 << b
}

/// Which of page-types' views of the flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// page-types' default: well-known bits only.
    #[default]
    Default,
    /// page-types `-r`: every bit, overloaded bits decoded, pagemap bits added.
    Raw,
}

impl View {
    /// The word page-types counts for a frame whose kpageflags are `flags`, mapped by a
    /// pagemap entry `pme` (0 for a frame seen from the frame files alone).
    pub fn word(self, flags: u64, pme: u64) -> u64 {
        match self {
            View::Default => well_known(flags),
            View::Raw => expand_overloaded(flags, pme),
        }
    }
}

fn well_known(mut flags: u64) -> u64 {
    flags &= !HACKERS_BITS;
    if flags & COMPOUND != 0 && flags & bit(flag::HUGE) == 0 {
        flags &= !COMPOUND;
    }
    flags
}

fn expand_overloaded(mut flags: u64, pme: u64) -> u64 {
    let on = |f: u64, b: u32| f & bit(b) != 0;
    if on(flags, flag::ANON) && on(flags, flag::OWNER_2) {
        flags ^= bit(flag::OWNER_2) | bit(47);
    }
    if on(flags, flag::SLAB) {
        if on(flags, flag::ACTIVE) {
            flags ^= bit(flag::ACTIVE) | bit(50);
        }
        if on(flags, flag::ERROR) {
            flags ^= bit(flag::ERROR) | bit(51);
        }
    }
    if flags & (bit(flag::RECLAIM) | bit(flag::WRITEBACK)) == bit(flag::RECLAIM) {
        flags ^= bit(flag::RECLAIM) | bit(48);
    }
    for (pm, b) in [
        (PM_SOFT_DIRTY, flag::SOFTDIRTY),
        (PM_FILE, 61),
        (PM_SWAP, 62),
        (PM_MMAP_EXCLUSIVE, 63),
    ] {
        if pme & pm != 0 {
            flags |= bit(b);
        }
    }
    flags
}

/// page-types' symbolic column: one character per named bit, lowest first, the bit's
/// letter when set and `_` when not.
pub fn symbolic(word: u64) -> String {
    all_flags()
        .map(|f| {
            if word & bit(f.bit) != 0 {
                f.letter
            } else {
                '_'
            }
        })
        .collect()
}

/// The names of the bits set in `word`, as vmlab names them (`ANON`, `ANON_EXCLUSIVE`).
pub fn names(word: u64) -> Vec<String> {
    crate::frames::KpageFlags(word).names()
}

/// One `--flags` condition: the bits of `mask` must equal `bits`, or, when `any` is
/// set, at least one bit of `mask` must be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    pub mask: u64,
    pub bits: u64,
    pub any: bool,
}

/// The `--flags` filters given (all must hold); empty lets every page through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub conditions: Vec<Condition>,
    /// The expressions as typed, for messages.
    pub text: Vec<String>,
}

impl Filter {
    /// Parses each `--flags` expression.
    pub fn parse(exprs: &[String]) -> Result<Filter> {
        let mut f = Filter::default();
        for e in exprs {
            f.conditions.push(parse_condition(e)?);
            f.text.push(e.clone());
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Whether a page whose view word is `word` passes.
    pub fn accepts(&self, word: u64) -> bool {
        self.conditions.iter().all(|c| {
            if c.any {
                word & c.mask != 0
            } else {
                word & c.mask == c.bits
            }
        })
    }
}

fn parse_condition(expr: &str) -> Result<Condition> {
    let e = expr.trim();
    if let Some(exact) = e.strip_prefix('=') {
        return Ok(Condition {
            mask: u64::MAX,
            bits: parse_names(expr, exact, false)?,
            any: false,
        });
    }
    if let Some((mask, bits)) = e.split_once('=') {
        return Ok(Condition {
            mask: parse_names(expr, mask, false)?,
            bits: parse_names(expr, bits, false)?,
            any: false,
        });
    }
    if e.contains('~') {
        // `a,~b`: a and b are looked at; a must be set and b clear.
        return Ok(Condition {
            mask: parse_names(expr, e, true)?,
            bits: parse_names(expr, e, false)?,
            any: false,
        });
    }
    Ok(Condition {
        mask: parse_names(expr, e, false)?,
        bits: 0,
        any: true,
    })
}

/// The bits named in a comma-separated list; names with `~` count only when
/// `with_negated` (they are part of the mask, not of the bits).
fn parse_names(expr: &str, list: &str, with_negated: bool) -> Result<u64> {
    let mut word = 0;
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name.strip_prefix('~') {
            Some(n) if with_negated => word |= parse_name(expr, n)?,
            Some(_) => {}
            None => word |= parse_name(expr, name)?,
        }
    }
    Ok(word)
}

/// One flag: vmlab's name (`ANON`, any case), page-types' (`anonymous`), an unambiguous
/// start of either, `compound` (head or tail), or a number (`0x1000`).
fn parse_name(expr: &str, name: &str) -> Result<u64> {
    let lower = name.to_ascii_lowercase();
    if lower == "compound" {
        return Ok(COMPOUND);
    }
    if let Some(n) = crate::addr::parse_number(name)
        .ok()
        .filter(|_| name.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Ok(n);
    }
    let all: Vec<_> = FLAGS.iter().chain(OVERLOADED).collect();
    let exact = all
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(&lower) || f.long == lower);
    if let Some(f) = exact {
        return Ok(bit(f.bit));
    }
    let starts: Vec<_> = all
        .iter()
        .filter(|f| f.name.to_ascii_lowercase().starts_with(&lower) || f.long.starts_with(&lower))
        .collect();
    match starts.as_slice() {
        [one] => Ok(bit(one.bit)),
        _ => Err(InputError::BadParameter {
            name: "flags".into(),
            why: crate::tr!(
                "flags-unknown-name",
                expr = expr,
                name = name,
                known = all.iter().map(|f| f.long).collect::<Vec<_>>().join(", ")
            ),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(expr: &str) -> Filter {
        Filter::parse(&[expr.to_string()]).unwrap()
    }

    #[test]
    fn filters_mean_what_page_types_means() {
        let anon = bit(flag::ANON);
        let sb = bit(flag::SWAPBACKED);
        let thp = bit(flag::THP);
        assert!(f("anon,lru").accepts(anon));
        assert!(!f("anon,lru").accepts(sb));
        assert!(f("anon,~swapbacked").accepts(anon));
        assert!(!f("anon,~swapbacked").accepts(anon | sb));
        assert_eq!(
            f("anon,~swapbacked").conditions,
            f("anon,swapbacked=anon").conditions
        );
        assert!(f("=thp").accepts(thp) && !f("=thp").accepts(thp | anon));
        assert!(f("ANON").accepts(anon) && f("anonymous").accepts(anon));
        assert!(f("0x1000").accepts(anon));
        assert!(f("compound").accepts(bit(flag::COMPOUND_TAIL)));
        assert!(Filter::parse(&["nosuchflag".into()]).is_err());
        // `s` starts swapcache, swapbacked, slab ...: ambiguous.
        assert!(Filter::parse(&["s".into()]).is_err());
    }

    #[test]
    fn views_match_page_types() {
        let thp_tail = bit(flag::THP) | bit(flag::COMPOUND_TAIL) | bit(flag::ANON);
        assert_eq!(
            View::Default.word(thp_tail, 0),
            bit(flag::THP) | bit(flag::ANON)
        );
        let huge_tail = bit(flag::HUGE) | bit(flag::COMPOUND_TAIL);
        assert_eq!(View::Default.word(huge_tail, 0), huge_tail);
        let excl = bit(flag::ANON) | bit(flag::OWNER_2) | bit(flag::RESERVED);
        assert_eq!(View::Default.word(excl, 0), bit(flag::ANON));
        assert_eq!(
            View::Raw.word(excl, PM_MMAP_EXCLUSIVE),
            bit(flag::ANON) | bit(47) | bit(flag::RESERVED) | bit(63)
        );
        assert_eq!(names(bit(47)), ["ANON_EXCLUSIVE"]);
        // The symbolic column has one character per named bit.
        let s = symbolic(bit(flag::ANON) | bit(flag::LRU));
        assert_eq!(s.len(), FLAGS.len() + OVERLOADED.len());
        assert_eq!(&s[..13], "_____l______a");
    }
}
