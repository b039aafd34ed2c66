//! Parameters checked once: sizes as OSTEP writes them (`16k`, `0x4000`), percentages,
//! powers of two, address lists; each error names the flag and says why, in the
//! output language, quoting at most the first characters of what was typed.

use crate::error::{Error, InputError, Result};
use crate::tr;

/// The largest address-space or physical-memory size the simulators accept (256 TiB,
/// the reach of x86-64's four-level paging): keeps every sum far from overflowing.
pub const MAX_SIZE: u64 = 1 << 48;
/// The most addresses one exercise asks about.
pub const MAX_ACCESSES: u64 = 10_000;
/// How much of a typed value an error message quotes.
const QUOTE_CHARS: usize = 40;

/// `text` as an error quotes it: whole when short, else its first characters and `…`
/// (an error about a 100 KB argument stays one line).
pub fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_CHARS {
        return text.to_string();
    }
    let head: String = text.chars().take(QUOTE_CHARS).collect();
    format!("{head}…")
}

/// A parameter error: which flag, and why (already in the output language).
pub fn bad_param(name: &str, why: impl Into<String>) -> Error {
    Error::Input(InputError::BadParameter {
        name: name.to_string(),
        why: why.into(),
    })
}

/// A size parameter as OSTEP writes them: `16k`, `1m`, `32`, `0x4000`.
pub fn size_param(name: &str, text: &str) -> Result<u64> {
    crate::addr::parse_number(text)
        .map_err(|_| bad_param(name, tr!("sim-param-not-a-size", text = quote(text))))
}

/// An optional size parameter: absent or `-1` means "choose at random".
pub fn optional_size(name: &str, text: Option<&str>) -> Result<Option<u64>> {
    match text.map(|s| s.trim()) {
        None | Some("-1") => Ok(None),
        Some(t) => size_param(name, t).map(Some),
    }
}

/// A size parameter that must be positive and at most [`MAX_SIZE`].
pub fn positive_size(name: &str, text: &str) -> Result<u64> {
    let v = size_param(name, text)?;
    if v == 0 {
        return Err(bad_param(name, tr!("sim-param-zero")));
    }
    if v > MAX_SIZE {
        return Err(bad_param(
            name,
            tr!(
                "sim-param-too-large",
                value = v.to_string(),
                max = MAX_SIZE.to_string()
            ),
        ));
    }
    Ok(v)
}

/// An `--addresses` list: `None` entries (`-1`) are to be drawn at random. Every
/// given address must be below `asize`.
pub fn address_list(text: &str, asize: u64) -> Result<Vec<Option<u64>>> {
    let mut out = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad_param("addresses", tr!("sim-param-empty-entry")));
        }
        if out.len() as u64 >= MAX_ACCESSES {
            return Err(too_many("addresses"));
        }
        if item == "-1" {
            out.push(None);
            continue;
        }
        let va = size_param("addresses", item)?;
        if va >= asize {
            let why = tr!(
                "sim-param-outside-space",
                address = quote(item),
                last = (asize - 1).to_string(),
                last_hex = hex(asize - 1, 1)
            );
            return Err(bad_param("addresses", why));
        }
        out.push(Some(va));
    }
    Ok(out)
}

fn too_many(name: &str) -> Error {
    bad_param(
        name,
        tr!("sim-param-too-many", max = MAX_ACCESSES.to_string()),
    )
}

/// How random virtual addresses are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Draw {
    /// Uniform over the address space, as OSTEP's relocation.py and segmentation.py:
    /// the share of valid addresses is about the valid part's share of the space.
    Uniform,
    /// This percentage drawn among the valid addresses, the rest uniform.
    ValidShare(u64),
}

impl Draw {
    /// The draw a `--valid PERCENT` flag asks for: uniform when it is absent.
    pub fn from_valid(valid: Option<u64>) -> Result<Draw> {
        match valid {
            None => Ok(Draw::Uniform),
            Some(p) => {
                percent("valid", p)?;
                Ok(Draw::ValidShare(p))
            }
        }
    }
}

/// Checks a count of accesses (`--num`).
pub fn check_num(num: u64) -> Result<()> {
    if num > MAX_ACCESSES {
        return Err(too_many("num"));
    }
    Ok(())
}

/// Checks that `value` is a percentage (0 to 100).
pub fn percent(name: &str, value: u64) -> Result<()> {
    if value > 100 {
        return Err(bad_param(
            name,
            tr!("sim-param-not-percent", value = value.to_string()),
        ));
    }
    Ok(())
}

/// Checks that `value` is a power of two.
pub fn power_of_two(name: &str, value: u64) -> Result<()> {
    if value == 0 || !value.is_power_of_two() {
        return Err(bad_param(
            name,
            tr!("sim-param-not-power-of-two", value = value.to_string()),
        ));
    }
    Ok(())
}

/// `v` in hex, zero-padded to `width` digits, with `0x`.
pub fn hex(v: u64, width: usize) -> String {
    format!("0x{v:0width$x}")
}

/// How many hex digits the largest address below `size` needs (at least 4).
pub fn hex_width(size: u64) -> usize {
    let digits = (64 - size.saturating_sub(1).leading_zeros() as usize).div_ceil(4);
    digits.max(4)
}

/// A simulator's options as its command line has them with no flag given: the
/// `Default` of every options struct is this, so the defaults are written once, in the
/// clap attributes that `--help` shows.
pub fn clap_defaults<P: clap::Args + clap::FromArgMatches>() -> P {
    let cmd = P::augment_args(clap::Command::new("defaults"));
    let matches = cmd
        .try_get_matches_from(["defaults"])
        .expect("every simulator parameter has a default");
    P::from_arg_matches(&matches).expect("the defaults parse")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_widths() {
        assert_eq!(hex_width(1024), 4);
        assert_eq!(hex_width(1 << 20), 5);
        assert_eq!(hex(0x1ae, 4), "0x01ae");
    }

    #[test]
    fn errors_quote_the_first_characters_only() {
        let long = "9".repeat(100_000);
        let e = size_param("asize", &format!("x{long}"))
            .unwrap_err()
            .to_string();
        assert!(e.len() < 200, "{e}");
        assert!(e.contains('…'), "{e}");
        let e = address_list(&long, 16).unwrap_err().to_string();
        assert!(e.len() < 200, "{}", &e[..200.min(e.len())]);
        assert_eq!(quote("short"), "short");
    }

    #[test]
    fn address_lists_are_bounded_before_they_are_parsed() {
        let many = vec!["1"; MAX_ACCESSES as usize + 1].join(",");
        assert!(address_list(&many, 16).is_err());
        let ok = vec!["1"; MAX_ACCESSES as usize].join(",");
        assert_eq!(address_list(&ok, 16).unwrap().len(), MAX_ACCESSES as usize);
        assert_eq!(address_list("-1,5", 16).unwrap(), vec![None, Some(5)]);
    }
}
