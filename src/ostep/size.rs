//! The scripts' `convert(size)`: `16`, `64k`, `32m`, `1g` (either case) to bytes, by
//! Python's `int()` on what precedes the letter. The scripts crash with a traceback
//! on anything else; vmlab says which flag and why.

use super::PyInt;
use crate::error::{Error, InputError, Result};
use crate::tr;

/// `convert(text)` for the flag `flag`: the size in bytes (negative values pass, as
/// in the scripts: `-1` means "draw it").
pub fn convert(flag: &str, text: &str) -> Result<i64> {
    let bad = || {
        Error::Input(InputError::Message(tr!(
            "ostep-bad-size",
            flag = flag,
            value = crate::error::quote(text)
        )))
    };
    let last = text.chars().last().ok_or_else(bad)?;
    let (digits, unit) = match last.to_ascii_lowercase() {
        'k' => (&text[..text.len() - 1], 1i64 << 10),
        'm' => (&text[..text.len() - 1], 1 << 20),
        'g' => (&text[..text.len() - 1], 1 << 30),
        _ => (text, 1),
    };
    let n = PyInt::parse(digits).ok_or_else(bad)?;
    n.to_i64()
        .and_then(|n| n.checked_mul(unit))
        .filter(|n| n.unsigned_abs() < LARGEST)
        .ok_or_else(|| {
            Error::Input(InputError::Message(tr!(
                "ostep-size-too-large",
                flag = flag,
                value = crate::error::quote(text)
            )))
        })
}

/// Sizes from 2^60 bytes on (an exabyte) are refused: past any exercise, and below
/// it every sum and double the scripts compute fits a 64-bit number.
pub const LARGEST: u64 = 1 << 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_as_the_scripts_read_them() {
        for (text, want) in [
            ("16", 16),
            ("1k", 1024),
            ("64K", 65536),
            ("32m", 32 << 20),
            ("1g", 1 << 30),
            ("-1", -1),
            (" 7 ", 7),
            ("1_0k", 10240),
        ] {
            assert_eq!(convert("-a", text).unwrap(), want, "{text}");
        }
        for bad in [
            "",
            "k",
            "0x10",
            "1.5k",
            "10kb",
            "99999999999999999999g",
            "2000000000g",
        ] {
            assert!(convert("-a", bad).is_err(), "{bad}");
        }
    }
}
