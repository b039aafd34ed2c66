//! Python integers as the scripts get them: of any size (a seed may be larger than 64
//! bits), read as optparse's `type='int'` reads them, written as `str()` writes them.

/// A Python integer of any size: a sign and the magnitude's 32-bit words, least
/// significant first, without leading zero words (zero has none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PyInt {
    pub negative: bool,
    words: Vec<u32>,
}

impl From<i64> for PyInt {
    fn from(n: i64) -> PyInt {
        let m = n.unsigned_abs();
        let mut words = vec![m as u32, (m >> 32) as u32];
        while words.last() == Some(&0) {
            words.pop();
        }
        PyInt {
            negative: n < 0,
            words,
        }
    }
}

impl PyInt {
    /// `abs(self)` as 32-bit words, least significant first (`random.seed`'s key).
    pub fn magnitude_words(&self) -> Vec<u32> {
        self.words.clone()
    }

    /// The value, when it fits an `i64`.
    pub fn to_i64(&self) -> Option<i64> {
        if self.words.len() > 2 {
            return None;
        }
        let m = self
            .words
            .iter()
            .rev()
            .fold(0u64, |acc, &w| (acc << 32) | w as u64);
        if self.negative {
            0i64.checked_sub_unsigned(m)
        } else {
            i64::try_from(m).ok()
        }
    }

    /// optparse's `type='int'`: `0x` hex, `0b` binary, a leading `0` octal, else
    /// decimal, then Python's `int(text, radix)` (spaces around, a sign, single `_`
    /// between digits). `None` where Python raises ValueError.
    pub fn parse_optparse(text: &str) -> Option<PyInt> {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("0x") {
            PyInt::parse_radix(text, 16)
        } else if let Some(rest) = lower.strip_prefix("0b") {
            PyInt::parse_radix(if rest.is_empty() { "0" } else { &text[2..] }, 2)
        } else if text.starts_with('0') {
            PyInt::parse_radix(text, 8)
        } else {
            PyInt::parse_radix(text, 10)
        }
    }

    /// A decimal integer (`-7`, `4294967301`).
    pub fn parse(text: &str) -> Option<PyInt> {
        PyInt::parse_radix(text, 10)
    }

    /// Python's `int(text, radix)` for radix 2, 8, 10 or 16.
    fn parse_radix(text: &str, radix: u32) -> Option<PyInt> {
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let prefix = match radix {
            16 => "0x",
            8 => "0o",
            2 => "0b",
            _ => "",
        };
        let (digits, prefixed) = match t.get(..2) {
            Some(p) if !prefix.is_empty() && p.eq_ignore_ascii_case(prefix) => (&t[2..], true),
            _ => (t, false),
        };
        let digits = if prefixed {
            digits.strip_prefix('_').unwrap_or(digits)
        } else {
            digits
        };
        if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') {
            return None;
        }
        if digits.contains("__") {
            return None;
        }
        let mut n = PyInt::default();
        for c in digits.chars().filter(|&c| c != '_') {
            n.mul_add(radix, c.to_digit(radix)?);
        }
        n.negative = negative && !n.words.is_empty();
        Some(n)
    }

    /// `self = self * m + a` on the magnitude.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = a as u64;
        for w in &mut self.words {
            let x = *w as u64 * m as u64 + carry;
            *w = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.words.push(carry as u32);
        }
    }

    /// Divides the magnitude by `d`, returning the remainder.
    fn div_rem(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for w in self.words.iter_mut().rev() {
            let x = (rem << 32) | *w as u64;
            *w = (x / d as u64) as u32;
            rem = x % d as u64;
        }
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
        rem as u32
    }
}

/// Decimal, as Python's `str()` writes it.
impl std::fmt::Display for PyInt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = self.clone();
        let mut digits = Vec::new();
        loop {
            digits.push(b'0' + m.div_rem(10) as u8);
            if m.words.is_empty() {
                break;
            }
        }
        if self.negative {
            digits.push(b'-');
        }
        digits.reverse();
        f.write_str(std::str::from_utf8(&digits).expect("ASCII digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_as_optparse_reads_them() {
        for (text, want) in [
            ("0x1f", "31"),
            ("010", "8"),
            ("0b101", "5"),
            ("-7", "-7"),
            ("1_000", "1000"),
            ("0", "0"),
            ("00", "0"),
            ("4294967301", "4294967301"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
        ] {
            assert_eq!(
                PyInt::parse_optparse(text).unwrap().to_string(),
                want,
                "{text}"
            );
        }
        for bad in ["08", "x", "", "1__0", "_1", "-0x5", "1.5"] {
            assert!(PyInt::parse_optparse(bad).is_none(), "{bad}");
        }
    }
}
