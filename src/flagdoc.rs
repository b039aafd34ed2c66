//! `vmlab flags`: every kpageflags bit, page-types' raw-view bits and every pagemap bit,
//! what it means and when the kernel sets it, in the words the tables use (the same
//! catalogue messages: `flag-dirty` and its `.when`).

use serde::Serialize;

use crate::error::{InputError, Result};
use crate::frames::{FLAGS, FlagInfo, OVERLOADED};

/// Where a bit lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// /proc/kpageflags, kernel ABI (include/uapi/linux/kernel-page-flags.h) or
    /// kernel-internal (bits 32 and up, named by page-types).
    Kpageflags,
    /// page-types' raw view (-r): an overloaded bit decoded, or a pagemap bit added.
    RawView,
    /// A bit of a `/proc/<pid>/pagemap` entry.
    Pagemap,
}

/// One bit, explained.
#[derive(Clone, Debug, Serialize)]
pub struct FlagDoc {
    pub source: Source,
    /// The bit, or for the PFN field its lowest bit.
    pub bit: u32,
    /// The bits it spans, as `0-54` (pagemap's PFN), else the bit.
    pub bits: String,
    pub name: String,
    /// page-types' name and letter, where it has one.
    pub page_types: Option<String>,
    pub letter: Option<char>,
    pub meaning: String,
    pub when: String,
}

const PAGEMAP: [(u32, &str, &str, &str); 8] = [
    (63, "63", "PRESENT", "pagemap-bit-present"),
    (62, "62", "SWAPPED", "pagemap-bit-swapped"),
    (61, "61", "FILE_OR_SHARED", "pagemap-bit-file"),
    (58, "58", "GUARD", "pagemap-bit-guard"),
    (57, "57", "UFFD_WP", "pagemap-bit-uffd-wp"),
    (56, "56", "EXCLUSIVE", "pagemap-bit-exclusive"),
    (55, "55", "SOFT_DIRTY", "pagemap-bit-soft-dirty"),
    (0, "0-54", "PFN", "pagemap-bit-pfn"),
];

fn of_flag(f: &FlagInfo, source: Source) -> FlagDoc {
    FlagDoc {
        source,
        bit: f.bit,
        bits: f.bit.to_string(),
        name: f.name.to_string(),
        page_types: Some(f.long.to_string()),
        letter: Some(f.letter),
        meaning: crate::i18n::tr(f.key, None),
        when: crate::i18n::tr(&format!("{}.when", f.key), None),
    }
}

/// Every bit, kpageflags first (lowest bit first), then the raw view's, then pagemap's.
pub fn all() -> Vec<FlagDoc> {
    let mut out: Vec<FlagDoc> = FLAGS
        .iter()
        .map(|f| of_flag(f, Source::Kpageflags))
        .collect();
    out.extend(OVERLOADED.iter().map(|f| of_flag(f, Source::RawView)));
    out.extend(PAGEMAP.iter().map(|&(bit, bits, name, key)| FlagDoc {
        source: Source::Pagemap,
        bit,
        bits: bits.to_string(),
        name: name.to_string(),
        page_types: None,
        letter: None,
        meaning: crate::i18n::tr(key, None),
        when: crate::i18n::tr(&format!("{key}.when"), None),
    }));
    out
}

/// The bits `names` ask for (vmlab's or page-types' names, any case); all without names.
pub fn select(names: &[String]) -> Result<Vec<FlagDoc>> {
    let all = all();
    if names.is_empty() {
        return Ok(all);
    }
    let mut out = Vec::new();
    for n in names {
        let lower = n.to_ascii_lowercase();
        let found: Vec<FlagDoc> = all
            .iter()
            .filter(|d| {
                d.name.eq_ignore_ascii_case(&lower) || d.page_types.as_deref() == Some(&lower)
            })
            .cloned()
            .collect();
        if found.is_empty() {
            let known: Vec<String> = all.iter().map(|d| d.name.to_ascii_lowercase()).collect();
            // The names are `vmlab flags`' positional arguments, not a --flags option,
            // so the message names no option.
            return Err(InputError::Message(crate::tr!(
                "flagdoc-unknown",
                name = n.as_str(),
                known = known.join(", ")
            ))
            .into());
        }
        out.extend(found);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bit_is_explained_in_both_languages() {
        for lang in crate::i18n::Lang::ALL {
            for f in FLAGS.iter().chain(OVERLOADED) {
                for key in [f.key.to_string(), format!("{}.when", f.key)] {
                    assert!(
                        crate::i18n::tr_in(lang, &key, None).is_some(),
                        "{key} in {lang:?}"
                    );
                }
            }
            for (_, _, _, key) in PAGEMAP {
                assert!(crate::i18n::tr_in(lang, &format!("{key}.when"), None).is_some());
            }
        }
        assert_eq!(all().len(), FLAGS.len() + OVERLOADED.len() + PAGEMAP.len());
        assert_eq!(select(&["anonymous".into()]).unwrap()[0].name, "ANON");
        let err = select(&["nope".into()]).unwrap_err().to_string();
        assert!(err.contains("'nope'") && !err.contains("--flags"), "{err}");
    }
}
