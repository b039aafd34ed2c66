//! Answers and how a student's answer is matched against them: numbers by value (hex
//! with `0x` or decimal, a trailing `bytes` ignored), words loosely (any case, accents
//! optional, English or Spanish whatever the output language: `fault`, `violación de
//! segmento`, `acierto`, `sí`).

use serde::Serialize;

use crate::tr;

/// A word answer. Its English name is the schema (`--json`); students may write it in
/// either language, in any of the spellings [`Word::spellings`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Word {
    /// A segmentation violation, or an access to an invalid page.
    Fault,
    /// A cache or TLB hit.
    Hit,
    /// A miss that evicts nothing (a free slot was used).
    Miss,
    /// An allocation that finds no hole big enough.
    Fail,
    Yes,
    No,
    /// No such address (an empty segment has no edge).
    None,
    /// The null pointer a failed `malloc` returns.
    Null,
}

impl Word {
    /// The English name, as JSON and the canonical answer have it.
    pub fn name(self) -> &'static str {
        match self {
            Word::Fault => "fault",
            Word::Hit => "hit",
            Word::Miss => "miss",
            Word::Fail => "fail",
            Word::Yes => "yes",
            Word::No => "no",
            Word::None => "none",
            Word::Null => "NULL",
        }
    }

    /// The word in the output language.
    pub fn text(self) -> String {
        match self {
            Word::Fault => tr!("sim-word-fault"),
            Word::Hit => tr!("sim-word-hit"),
            Word::Miss => tr!("sim-word-miss"),
            Word::Fail => tr!("sim-word-fail"),
            Word::Yes => tr!("sim-word-yes"),
            Word::No => tr!("sim-word-no"),
            Word::None => tr!("sim-word-none"),
            Word::Null => tr!("sim-word-null"),
        }
    }

    /// Every accepted spelling, already [`fold`]ed: English and Spanish, whatever the
    /// output language (a student may read the problem in one and answer in the other).
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Word::Fault => &[
                "fault",
                "segfault",
                "seg fault",
                "segmentation fault",
                "segmentation violation",
                "violation",
                "sv",
                "invalid",
                "page fault",
                "fault (invalid)",
                "fallo",
                "violacion",
                "violacion de segmento",
                "fallo de segmento",
                "fallo de segmentacion",
                "fallo de pagina",
                "invalida",
                "invalido",
            ],
            Word::Hit => &["hit", "h", "acierto"],
            Word::Miss => &[
                "miss",
                "m",
                "miss none",
                "fallo",
                "fallo ninguna",
                "fallo sin expulsion",
            ],
            Word::Fail => &[
                "fail", "failed", "none", "no", "null", "falla", "fallo", "no cabe", "nulo",
            ],
            Word::Yes => &["yes", "y", "si", "s"],
            Word::No => &["no", "n"],
            Word::None => &["none", "-", "ninguna", "ninguno", "nada"],
            Word::Null => &[
                "null", "fail", "failed", "failure", "none", "-1", "0", "nulo", "falla", "fallo",
                "ninguno",
            ],
        }
    }
}

/// The answer to a question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// A number, shown in hex with `digits` digits (`0x01ae`) when `digits` is some,
    /// in decimal otherwise; either notation is right.
    Number { value: u64, digits: Option<usize> },
    /// A signed number, in decimal (a saving that may be negative).
    Signed { value: i64 },
    /// A word.
    Word { word: Word },
    /// A miss that evicts `page` (replacement policies, the TLB), shown as `shown`;
    /// with a tie, any page resident and never used again at that access is as right.
    Evict {
        page: u64,
        shown: String,
        #[serde(skip)]
        tie: Option<Tie>,
    },
    /// A hit rate: `hits` of `total`, as a percentage (`45.45%`), a fraction (`5/11`,
    /// `0.4545`) or a percentage rounded to one decimal or less when exact.
    Rate { hits: u64, total: u64 },
}

impl Answer {
    /// A number shown in hex with `digits` digits.
    pub fn hex(value: u64, digits: usize) -> Answer {
        Answer::Number {
            value,
            digits: Some(digits),
        }
    }

    /// A number shown in decimal.
    pub fn dec(value: u64) -> Answer {
        Answer::Number {
            value,
            digits: None,
        }
    }

    pub fn word(word: Word) -> Answer {
        Answer::Word { word }
    }

    /// The answer as the schema and the English output write it.
    pub fn canonical(&self) -> String {
        match self {
            Answer::Number { value, digits } => show_number(*value, *digits),
            Answer::Signed { value } => value.to_string(),
            Answer::Word { word } => word.name().to_string(),
            Answer::Evict { shown, .. } => format!("evict {shown}"),
            Answer::Rate { hits, total } => rate_text(*hits, *total),
        }
    }

    /// The answer in the output language.
    pub fn text(&self) -> String {
        match self {
            Answer::Word { word } => word.text(),
            Answer::Evict { shown, .. } => tr!("sim-answer-evict", page = shown.as_str()),
            _ => self.canonical(),
        }
    }

    /// Whether `given` is this answer.
    pub fn accepts(&self, given: &str) -> bool {
        match self {
            Answer::Number { value, .. } => number(without_unit(given)) == Some(*value),
            Answer::Signed { value } => signed(without_unit(given)) == Some(*value),
            Answer::Word { word } => word.spellings().contains(&fold(given).as_str()),
            Answer::Evict { page, tie, .. } => evicted_page(given).is_some_and(|p| {
                p == *page || tie.as_ref().is_some_and(|t| t.pages.contains(t.access, p))
            }),
            Answer::Rate { hits, total } => rate_accepts(*hits, *total, given),
        }
    }

    /// Whether this answer is a number (a bare hex answer to it gets a note).
    pub fn is_number(&self) -> bool {
        matches!(self, Answer::Number { .. } | Answer::Signed { .. })
    }
}

/// A hit rate as the solution writes it: `45.45%`.
fn rate_text(hits: u64, total: u64) -> String {
    match total {
        0 => "-".into(),
        t => format!("{:.2}%", hits as f64 * 100.0 / t as f64),
    }
}

/// Whether `given` is the rate `hits / total`: `45.45%`, `45.5`, `45.45`, `5/11`,
/// `0.4545`, `0.45`; a whole percentage only when the rate is whole.
fn rate_accepts(hits: u64, total: u64, given: &str) -> bool {
    if total == 0 {
        return false;
    }
    let g = fold(given).replace(' ', "");
    if let Some((a, b)) = g.split_once('/') {
        return number(a)
            .zip(number(b))
            .is_some_and(|(a, b)| a * total == b * hits && b > 0);
    }
    let pct = hits as f64 * 100.0 / total as f64;
    let (text, percent) = match g.strip_suffix('%') {
        Some(t) => (t, true),
        None => (g.as_str(), false),
    };
    let Ok(v) = text.parse::<f64>() else {
        return false;
    };
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let close = |value: f64, target: f64, decimals: i32| {
        (value - target).abs() <= 0.5 * 10f64.powi(-decimals) + 1e-9
    };
    let as_percent = decimals >= 1 && close(v, pct, decimals) || decimals == 0 && v == pct;
    let as_fraction = !percent && decimals >= 2 && close(v, pct / 100.0, decimals);
    as_percent || as_fraction
}

/// Which pages were resident and never used again, access by access: OPT's ties.
/// A page is such at access `i` (0-based) when its last use is before `i` and it was
/// not evicted after that before `i`. Two numbers per page, however long the run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NeverAgain {
    /// Each page's last access.
    pub last_use: std::collections::HashMap<u64, usize>,
    /// The access that evicted a page after its last use.
    pub evicted: std::collections::HashMap<u64, usize>,
}

impl NeverAgain {
    /// Whether `page` is resident and never used again when access `i` evicts.
    pub fn contains(&self, i: usize, page: u64) -> bool {
        self.last_use.get(&page).is_some_and(|&l| l < i)
            && self.evicted.get(&page).is_none_or(|&e| e >= i)
    }
}

/// An eviction that tied with others: which access, and the pages never used again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    pub access: usize,
    pub pages: std::sync::Arc<NeverAgain>,
}

fn show_number(value: u64, digits: Option<usize>) -> String {
    match digits {
        Some(d) => format!("0x{value:0d$x}"),
        None => value.to_string(),
    }
}

/// `text` as answers are compared: lower case, accents dropped (`violación` =
/// `violacion`), commas and colons as spaces, runs of spaces as one, a final `.`
/// dropped.
pub fn fold(text: &str) -> String {
    let lower: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            ',' | ':' | ';' => ' ',
            c => c,
        })
        .collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.join(" ").trim_end_matches('.').trim_end().to_string()
}

/// The page a "miss, evict N" answer names: the words around the number may be any
/// of miss, evict, page, vpn and their Spanish (fallo, expulsa, página), or none.
fn evicted_page(given: &str) -> Option<u64> {
    const FILLER: &[&str] = &[
        "miss",
        "m",
        "evict",
        "evicts",
        "evicted",
        "page",
        "vpn",
        "fallo",
        "expulsa",
        "expulsar",
        "expulsada",
        "expulsion",
        "reemplaza",
        "pagina",
        "victima",
        "la",
    ];
    let folded = fold(given);
    let mut rest = folded.split(' ').filter(|w| !FILLER.contains(w));
    let page = number(rest.next()?)?;
    rest.next().is_none().then_some(page)
}

/// A number as students write it: hex with `0x` (`0x3a12`), or decimal (`14`), with
/// `_` separators allowed. `3a12h` is not accepted (ambiguous).
pub fn number(s: &str) -> Option<u64> {
    let s = s.trim().replace('_', "");
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else {
        s.parse().ok()
    }
}

/// A signed number: a [`number`] with an optional `-` (`-32`, `-0x20`).
pub fn signed(s: &str) -> Option<i64> {
    let s = s.trim();
    match s.strip_prefix('-') {
        Some(rest) => number(rest).and_then(|n| i64::try_from(n).ok()).map(|n| -n),
        None => number(s).and_then(|n| i64::try_from(n).ok()),
    }
}

/// `given` without a trailing unit word (`16 bytes`, `16 byte`, `0x10 B` → the number);
/// the unit must be a word of its own (`0x1b` is a number, not `0x1` bytes), and it is
/// only dropped, never converted (no `KiB`).
pub fn without_unit(given: &str) -> &str {
    let given = given.trim();
    match given.rsplit_once(char::is_whitespace) {
        Some((n, unit))
            if ["bytes", "byte", "b"]
                .iter()
                .any(|u| unit.eq_ignore_ascii_case(u)) =>
        {
            n.trim_end()
        }
        _ => given,
    }
}

/// A wrong answer that is a hex number written without `0x` (`a369`) where a number
/// is expected reads as a word: the note says it is the notation that is wrong.
pub fn bare_hex(answer: &Answer, given: &str) -> bool {
    let bare = without_unit(given).replace('_', "");
    answer.is_number()
        && !bare.is_empty()
        && bare.chars().all(|c| c.is_ascii_hexdigit())
        && number(&bare).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value_with_units_dropped_not_converted() {
        let a = Answer::hex(0x3a12, 4);
        assert_eq!(a.canonical(), "0x3a12");
        for right in ["14866", "0x3A12", "0x3a12 B", "14866 bytes", "1_4866"] {
            assert!(a.accepts(right), "{right}");
        }
        for wrong in ["0x3a13", "3a12", "0x3a12B", "14866 KiB", "bytes", ""] {
            assert!(!a.accepts(wrong), "{wrong}");
        }
        assert_eq!(Answer::dec(14).canonical(), "14");
        assert!(Answer::dec(14).accepts("0xe"));
        assert!(!Answer::dec(14).accepts("14 bytes bytes"));
    }

    #[test]
    fn words_match_loosely_in_both_languages_accents_optional() {
        let fault = Answer::word(Word::Fault);
        for right in [
            "fault",
            "SegFault",
            " violación de segmento ",
            "violacion de segmento",
            "Violación.",
            "fallo de página",
        ] {
            assert!(fault.accepts(right), "{right}");
        }
        assert!(!fault.accepts("fault B"));
        assert!(Answer::word(Word::Hit).accepts("Acierto"));
        assert!(Answer::word(Word::Yes).accepts("Sí"));
        assert!(Answer::word(Word::Yes).accepts("si"));
        assert!(!Answer::word(Word::No).accepts("sí"));
        assert!(Answer::word(Word::Miss).accepts("fallo"));
        assert!(
            Answer::word(Word::Null).accepts("NULL") && Answer::word(Word::Null).accepts("nulo")
        );
        assert_eq!(Answer::word(Word::Null).canonical(), "NULL");
        assert!(Answer::word(Word::None).accepts("ninguna"));
    }

    #[test]
    fn evictions_name_the_page_in_any_of_the_usual_words() {
        let a = Answer::Evict {
            page: 3,
            shown: "3".into(),
            tie: None,
        };
        assert_eq!(a.canonical(), "evict 3");
        for right in [
            "evict 3",
            "3",
            "miss, evict 3",
            "miss evict page 0x3",
            "fallo, expulsa la página 3",
            "Expulsa 3",
        ] {
            assert!(a.accepts(right), "{right}");
        }
        for wrong in ["evict 4", "hit", "miss", "evict 3 4", "evict"] {
            assert!(!a.accepts(wrong), "{wrong}");
        }
    }

    #[test]
    fn rates_in_the_usual_forms() {
        let r = Answer::Rate { hits: 5, total: 11 };
        assert_eq!(r.canonical(), "45.45%");
        for right in [
            "45.45%", "45.45", "45.5%", "45.5", "5/11", "0.4545", "0.45", "10/22",
        ] {
            assert!(r.accepts(right), "{right}");
        }
        for wrong in ["45%", "46", "45.4", "0.5", "4/11", "x"] {
            assert!(!r.accepts(wrong), "{wrong}");
        }
        let half = Answer::Rate { hits: 1, total: 2 };
        assert!(half.accepts("50") && half.accepts("50%") && half.accepts("50.00%"));
    }

    #[test]
    fn signed_numbers_take_a_minus() {
        let a = Answer::Signed { value: -32 };
        assert_eq!(a.canonical(), "-32");
        for right in ["-32", " -32 bytes", "-0x20"] {
            assert!(a.accepts(right), "{right}");
        }
        for wrong in ["32", "--32", "- 32x", ""] {
            assert!(!a.accepts(wrong), "{wrong}");
        }
        assert!(Answer::Signed { value: 96 }.accepts("96"));
        assert!(bare_hex(&a, "ffe0"));
    }

    #[test]
    fn bare_hex_is_noticed_only_where_a_number_is_expected() {
        let a = Answer::hex(0x3a12, 4);
        assert!(bare_hex(&a, "3a12"));
        assert!(bare_hex(&a, "fade bytes"));
        assert!(!bare_hex(&a, "0x3a12"));
        assert!(!bare_hex(&a, "15"));
        assert!(!bare_hex(&Answer::word(Word::Fault), "fade"));
    }
}
