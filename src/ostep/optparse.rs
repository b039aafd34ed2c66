//! The scripts' command lines, read as Python's `optparse` reads them: `-s 3`, `-s3`,
//! `--seed=3`, `--seed 3`, a long name shortened to any unique prefix (`--se 3`),
//! flags bundled (`-cs3`), `--` ending the options, the last of a repeated option
//! winning, and integers as optparse's `type='int'` takes them (`0x1f` hex, `0b101`
//! binary, a leading `0` octal, `_` between digits, any size).
//!
//! vmlab adds options of its own to every script: `--check FILE`, and its output
//! flags `--lang L`, `--width N`, `--color WHEN` (matched by their full name only, so
//! that the script's prefixes mean what they do in the script).

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use super::pyint::PyInt;
use crate::error::{Error, InputError, Result};
use crate::tr;

/// One option of a script, as its `parser.add_option(...)` declares it.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub short: Option<char>,
    pub long: Option<&'static str>,
    /// optparse's `dest`: the name the script reads it by (and the metavar, in capitals).
    pub dest: &'static str,
    pub kind: Kind,
    /// The message id of its help text (in the catalogues).
    pub help: &'static str,
}

/// An option as a script's table lists it: `-s`, `--seed` (if it has a long name).
pub const fn opt(
    long: Option<&'static str>,
    short: char,
    dest: &'static str,
    kind: Kind,
    help: &'static str,
) -> Opt {
    Opt {
        short: Some(short),
        long,
        dest,
        kind,
        help,
    }
}

/// The options the address-translation scripts (relocation.py, segmentation.py,
/// paging-linear-translate.py) declare alike; where their defaults differ, the default
/// is the argument.
pub const SEED: Opt = opt(Some("seed"), 's', "seed", Kind::Int(0), "ostep-opt-seed");
pub const ADDRESSES: Opt = opt(
    Some("addresses"),
    'A',
    "addresses",
    Kind::Str("-1"),
    "ostep-opt-addresses",
);

/// `-a`/`--asize`, the address-space size.
pub const fn asize(default: &'static str) -> Opt {
    opt(
        Some("asize"),
        'a',
        "asize",
        Kind::Str(default),
        "ostep-opt-asize",
    )
}

/// `-p`/`--physmem`, the physical memory size.
pub const fn physmem(default: &'static str) -> Opt {
    opt(
        Some("physmem"),
        'p',
        "psize",
        Kind::Str(default),
        "ostep-opt-physmem",
    )
}

/// `-n`, how many addresses; its long name is `--numaddrs`, but `--addresses` in
/// relocation.py.
pub const fn num(long: &'static str) -> Opt {
    opt(Some(long), 'n', "num", Kind::Int(5), "ostep-opt-num")
}

/// What an option holds, and its default.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `type='int'`, with an integer default.
    Int(i64),
    /// `type='string'`, with a string default.
    Str(&'static str),
    /// `action='store_true'`, default False.
    Flag,
}

/// A value read from the command line (or the default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(PyInt),
    Str(String),
    Flag(bool),
}

/// The command line read: every option's value, the arguments that are not options,
/// and vmlab's own options.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    values: BTreeMap<&'static str, Value>,
    given: Vec<&'static str>,
    /// Arguments that are not options (optparse keeps them; the scripts ignore them).
    pub args: Vec<String>,
    /// `--check FILE`.
    pub check: Option<PathBuf>,
    /// `-h` or `--help`.
    pub help: bool,
    /// vmlab's `--width N`, `--color WHEN`, `--wide`, given after the script's name.
    pub screen: ScreenFlags,
}

/// vmlab's layout flags, taken where the script's flags are.
#[derive(Clone, Debug, Default)]
pub struct ScreenFlags {
    pub width: Option<u16>,
    pub color: Option<crate::cli::ColorChoice>,
}

impl Parsed {
    /// The value of `dest`. Panics on a name the script did not declare (a bug).
    pub fn value(&self, dest: &str) -> &Value {
        self.values
            .get(dest)
            .unwrap_or_else(|| panic!("no option {dest}"))
    }

    /// An integer option.
    pub fn int(&self, dest: &str) -> &PyInt {
        match self.value(dest) {
            Value::Int(n) => n,
            other => panic!("{dest} is {other:?}, not an int"),
        }
    }

    /// A string option.
    pub fn str(&self, dest: &str) -> &str {
        match self.value(dest) {
            Value::Str(s) => s,
            other => panic!("{dest} is {other:?}, not a string"),
        }
    }

    /// A store_true option.
    pub fn flag(&self, dest: &str) -> bool {
        match self.value(dest) {
            Value::Flag(b) => *b,
            other => panic!("{dest} is {other:?}, not a flag"),
        }
    }

    /// Whether `dest` was on the command line.
    pub fn given(&self, dest: &str) -> bool {
        self.given.contains(&dest)
    }
}

/// Reads `args` (what follows the script's name) against `opts`.
pub fn parse(opts: &'static [Opt], args: &[String]) -> Result<Parsed> {
    let mut p = Parsed::default();
    for o in opts {
        let v = match o.kind {
            Kind::Int(d) => Value::Int(PyInt::from(d)),
            Kind::Str(d) => Value::Str(d.to_string()),
            Kind::Flag => Value::Flag(false),
        };
        p.values.insert(o.dest, v);
    }
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            p.args.extend(rest.by_ref().cloned());
        } else if let Some(long) = arg.strip_prefix("--") {
            long_option(opts, &mut p, long, &mut rest)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            short_options(opts, &mut p, &arg[1..], &mut rest)?;
        } else {
            p.args.push(arg.clone());
        }
    }
    Ok(p)
}

fn usage(text: String) -> Error {
    Error::Input(InputError::Message(text))
}

/// `--name`, `--name=value` or `--name value`; vmlab's own by full name.
fn long_option<'a>(
    opts: &'static [Opt],
    p: &mut Parsed,
    text: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<()> {
    let (name, inline) = match text.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (text, None),
    };
    let shown = format!("--{name}");
    let mut value = |needs: bool| -> Result<Option<String>> {
        match (needs, &inline) {
            (true, Some(v)) => Ok(Some(v.clone())),
            (true, None) => rest
                .next()
                .cloned()
                .map(Some)
                .ok_or_else(|| usage(tr!("ostep-option-needs-value", option = shown.as_str()))),
            (false, Some(_)) => Err(usage(tr!(
                "ostep-option-takes-no-value",
                option = shown.as_str()
            ))),
            (false, None) => Ok(None),
        }
    };
    match name {
        "check" => {
            p.check = value(true)?.map(PathBuf::from);
            return Ok(());
        }
        // The language was chosen at start-up (cli::choose_language); here it is only
        // taken off the script's command line.
        "lang" => {
            let v = value(true)?.unwrap_or_default();
            if <crate::i18n::Lang as clap::ValueEnum>::from_str(&v, true).is_err() {
                return Err(usage(tr!(
                    "ostep-bad-lang",
                    value = crate::error::quote(&v)
                )));
            }
            return Ok(());
        }
        "width" => {
            let v = value(true)?.unwrap_or_default();
            let w = v.parse::<u16>().ok().filter(|&w| w >= 40);
            p.screen.width =
                Some(w.ok_or_else(|| {
                    usage(tr!("ostep-bad-width", value = crate::error::quote(&v)))
                })?);
            return Ok(());
        }
        "color" => {
            let v = value(true)?.unwrap_or_default();
            let c = <crate::cli::ColorChoice as clap::ValueEnum>::from_str(&v, true);
            p.screen.color = Some(
                c.map_err(|_| usage(tr!("ostep-bad-color", value = crate::error::quote(&v))))?,
            );
            return Ok(());
        }
        "help" => {
            value(false)?;
            p.help = true;
            return Ok(());
        }
        _ => {}
    }
    let opt = find_long(opts, name)?;
    let v = value(!matches!(opt.kind, Kind::Flag))?;
    store(p, opt, &format!("--{}", opt.long.unwrap_or(name)), v)
}

/// The option whose long name is `name`, or the only one it begins.
fn find_long(opts: &'static [Opt], name: &str) -> Result<&'static Opt> {
    if let Some(o) = opts.iter().find(|o| o.long == Some(name)) {
        return Ok(o);
    }
    let matches: Vec<&Opt> = opts
        .iter()
        .filter(|o| o.long.is_some_and(|l| l.starts_with(name)) && !name.is_empty())
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(usage(tr!(
            "ostep-no-such-option",
            option = format!("--{name}")
        ))),
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|o| format!("--{}", o.long.unwrap_or_default()))
                .collect();
            Err(usage(tr!(
                "ostep-ambiguous-option",
                option = format!("--{name}"),
                candidates = names.join(", ")
            )))
        }
    }
}

/// `-c`, `-s3`, `-s 3`, `-cs3`: flags bundled, the first option taking a value
/// takes the rest of the word or else the next argument.
fn short_options<'a>(
    opts: &'static [Opt],
    p: &mut Parsed,
    word: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<()> {
    for (i, c) in word.char_indices() {
        let shown = format!("-{c}");
        if c == 'h' && !opts.iter().any(|o| o.short == Some('h')) {
            p.help = true;
            continue;
        }
        let opt = opts
            .iter()
            .find(|o| o.short == Some(c))
            .ok_or_else(|| usage(tr!("ostep-no-such-option", option = shown.as_str())))?;
        if let Kind::Flag = opt.kind {
            store(p, opt, &shown, None)?;
            continue;
        }
        let tail = &word[i + c.len_utf8()..];
        let value = if tail.is_empty() {
            rest.next()
                .cloned()
                .ok_or_else(|| usage(tr!("ostep-option-needs-value", option = shown.as_str())))?
        } else {
            tail.to_string()
        };
        return store(p, opt, &shown, Some(value));
    }
    Ok(())
}

fn store(p: &mut Parsed, opt: &'static Opt, shown: &str, value: Option<String>) -> Result<()> {
    let v = match (opt.kind, value) {
        (Kind::Flag, _) => Value::Flag(true),
        (Kind::Str(_), Some(v)) => Value::Str(v),
        (Kind::Int(_), Some(v)) => Value::Int(PyInt::parse_optparse(&v).ok_or_else(|| {
            usage(tr!(
                "ostep-bad-integer",
                option = shown,
                value = crate::error::quote(&v)
            ))
        })?),
        (_, None) => unreachable!("a value is read for every option that takes one"),
    };
    p.values.insert(opt.dest, v);
    if !p.given.contains(&opt.dest) {
        p.given.push(opt.dest);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: &[Opt] = &[
        Opt {
            short: Some('s'),
            long: Some("seed"),
            dest: "seed",
            kind: Kind::Int(0),
            help: "",
        },
        Opt {
            short: Some('a'),
            long: Some("asize"),
            dest: "asize",
            kind: Kind::Str("1k"),
            help: "",
        },
        Opt {
            short: Some('A'),
            long: Some("addresses"),
            dest: "addresses",
            kind: Kind::Str("-1"),
            help: "",
        },
        Opt {
            short: Some('c'),
            long: None,
            dest: "solve",
            kind: Kind::Flag,
            help: "",
        },
    ];

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn seed_of(s: &str) -> String {
        parse(OPTS, &args(s)).unwrap().int("seed").to_string()
    }

    #[test]
    fn every_spelling_of_an_option_is_read() {
        for s in [
            "-s 3",
            "-s3",
            "--seed=3",
            "--seed 3",
            "--se 3",
            "--s=3",
            "-cs3",
            "-s 1 -s 3",
        ] {
            assert_eq!(seed_of(s), "3", "{s}");
        }
        let p = parse(OPTS, &args("-c x -- -s 4")).unwrap();
        assert!(p.flag("solve"));
        assert_eq!(p.args, ["x", "-s", "4"]);
        assert_eq!(p.int("seed").to_i64(), Some(0));
        assert!(!p.given("seed") && p.given("solve"));
    }

    #[test]
    fn prefixes_that_fit_two_options_are_refused() {
        assert!(parse(OPTS, &args("--a 2")).is_err());
        assert_eq!(parse(OPTS, &args("--as 2")).unwrap().str("asize"), "2");
        assert_eq!(parse(OPTS, &args("-A -1")).unwrap().str("addresses"), "-1");
    }

    #[test]
    fn a_bad_integer_is_refused() {
        assert!(parse(OPTS, &args("-s 08")).is_err());
    }

    #[test]
    fn vmlab_options_and_help_are_taken_off_the_line() {
        let p = parse(OPTS, &args("--check a.txt --lang es -h")).unwrap();
        assert_eq!(p.check, Some(PathBuf::from("a.txt")));
        assert!(p.help);
        assert!(parse(OPTS, &args("-x")).is_err());
        assert!(parse(OPTS, &args("-s")).is_err());
        assert!(parse(OPTS, &args("-c=1")).is_err() || parse(OPTS, &args("--c=1")).is_err());
    }
}
