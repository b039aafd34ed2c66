//! The glossary: the course's terms in Spanish and English, one line on what each
//! means, and the command that shows it. `vmlab glossary` prints it; the catalogue
//! area `glossary` holds the words, so the demos' legends can use the same ones.

use serde::Serialize;

use crate::i18n::{Lang, tr, tr_in};

/// A term: its catalogue key (`term-frame`) and the command that shows it.
pub struct Term {
    pub key: &'static str,
    pub shown_by: &'static str,
}

/// Every term, in the order of the course.
pub const TERMS: &[Term] = &[
    Term {
        key: "term-address-space",
        shown_by: "vm-segments",
    },
    Term {
        key: "term-virtual-address",
        shown_by: "vm-translate",
    },
    Term {
        key: "term-physical-address",
        shown_by: "vm-translate",
    },
    Term {
        key: "term-page",
        shown_by: "vm-translate",
    },
    Term {
        key: "term-frame",
        shown_by: "vm-translate",
    },
    Term {
        key: "term-offset",
        shown_by: "vm-translate",
    },
    Term {
        key: "term-vpn",
        shown_by: "vmlab sim paging",
    },
    Term {
        key: "term-pfn",
        shown_by: "vmlab pages",
    },
    Term {
        key: "term-page-table",
        shown_by: "vm-pagetable-cost",
    },
    Term {
        key: "term-pte",
        shown_by: "vmlab translate",
    },
    Term {
        key: "term-multilevel",
        shown_by: "vmlab sim multilevel",
    },
    Term {
        key: "term-mmu",
        shown_by: "vm-protect",
    },
    Term {
        key: "term-tlb",
        shown_by: "vm-tlb",
    },
    Term {
        key: "term-tlb-hit",
        shown_by: "vmlab sim tlb",
    },
    Term {
        key: "term-page-fault",
        shown_by: "vm-demand",
    },
    Term {
        key: "term-minor-fault",
        shown_by: "vm-faultcost",
    },
    Term {
        key: "term-valid-bit",
        shown_by: "vm-demand",
    },
    Term {
        key: "term-protection-bits",
        shown_by: "vm-protect",
    },
    Term {
        key: "term-dirty-bit",
        shown_by: "vm-dirty",
    },
    Term {
        key: "term-accessed-bit",
        shown_by: "vm-dirty",
    },
    Term {
        key: "term-copy-on-write",
        shown_by: "vm-cow",
    },
    Term {
        key: "term-demand-paging",
        shown_by: "vm-demand",
    },
    Term {
        key: "term-zero-page",
        shown_by: "vm-zeropage",
    },
    Term {
        key: "term-huge-page",
        shown_by: "vm-hugepages",
    },
    Term {
        key: "term-folio",
        shown_by: "vm-hugepages",
    },
    Term {
        key: "term-map-count",
        shown_by: "vm-cow",
    },
    Term {
        key: "term-rss",
        shown_by: "vmlab maps",
    },
    Term {
        key: "term-pss",
        shown_by: "vm-shared",
    },
    Term {
        key: "term-exclusive",
        shown_by: "vm-cow",
    },
    Term {
        key: "term-shared-page",
        shown_by: "vm-shared",
    },
    Term {
        key: "term-page-cache",
        shown_by: "vm-shared",
    },
    Term {
        key: "term-ksm",
        shown_by: "vm-shared",
    },
    Term {
        key: "term-swap",
        shown_by: "vmlab pages",
    },
    Term {
        key: "term-segmentation",
        shown_by: "vmlab sim segment",
    },
    Term {
        key: "term-segfault",
        shown_by: "vm-protect",
    },
    Term {
        key: "term-si-code",
        shown_by: "vm-protect",
    },
    Term {
        key: "term-base-bounds",
        shown_by: "vmlab sim relocate",
    },
    Term {
        key: "term-internal-fragmentation",
        shown_by: "vmlab sim freespace",
    },
    Term {
        key: "term-external-fragmentation",
        shown_by: "vmlab sim segment",
    },
    Term {
        key: "term-compaction",
        shown_by: "vmlab sim segment",
    },
    Term {
        key: "term-free-list",
        shown_by: "vmlab sim freespace",
    },
    Term {
        key: "term-replacement",
        shown_by: "vmlab sim policy",
    },
    Term {
        key: "term-aslr",
        shown_by: "vm-segments",
    },
    Term {
        key: "term-transparency",
        shown_by: "vm-isolation",
    },
    Term {
        key: "term-efficiency",
        shown_by: "vm-tlb",
    },
    Term {
        key: "term-protection",
        shown_by: "vm-protect",
    },
    Term {
        key: "term-isolation",
        shown_by: "vm-isolation",
    },
];

/// A term as printed and as `--json` gives it.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: &'static str,
    pub es: String,
    pub en: String,
    /// What it means, in the chosen language.
    pub meaning: String,
    pub shown_by: &'static str,
}

/// The glossary, its meanings in the chosen language.
pub fn entries() -> Vec<Entry> {
    TERMS
        .iter()
        .map(|t| Entry {
            id: t.key.strip_prefix("term-").unwrap_or(t.key),
            es: tr_in(Lang::Es, t.key, None).unwrap_or_default(),
            en: tr_in(Lang::En, t.key, None).unwrap_or_default(),
            meaning: tr(&format!("{}.meaning", t.key), None),
            shown_by: t.shown_by,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_has_both_words_and_a_command_that_exists() {
        for e in entries() {
            assert!(!e.es.is_empty() && !e.en.is_empty(), "{}", e.id);
            assert!(!e.meaning.ends_with(".meaning"), "{}", e.id);
            let cmd = e.shown_by;
            let ok = match cmd.strip_prefix("vm-") {
                Some(demo) => crate::demos::find(demo).is_ok(),
                None => cmd.starts_with("vmlab "),
            };
            assert!(ok, "{}: {cmd}", e.id);
        }
    }
}
