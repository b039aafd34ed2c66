//! The text of `/proc/<pid>/maps` and `smaps`, parsed as bytes.
//!
//! A region's line is `start-end perms offset dev inode name`; smaps follows each with
//! `Key: value kB` lines. The name is whatever the kernel prints, and a file name is
//! any bytes but `/` and NUL: not always UTF-8, it may end in spaces, and the kernel
//! writes a newline in it as `\012`. So names are read as bytes, to the end of the
//! line, with their trailing spaces, and the newline escape is undone. The text is
//! read a line at a time, so a process with 60,000 regions does not need its whole
//! smaps (70 MB) in memory.

use std::io::BufRead;

use super::{Perms, Usage};

/// One line of maps (and its smaps counters), before classification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRegion {
    pub start: u64,
    pub end: u64,
    pub perms: Perms,
    pub offset: u64,
    pub inode: u64,
    /// The name's bytes as the file means them (`\012` turned back into a newline).
    pub name: Vec<u8>,
    pub usage: Option<Usage>,
}

/// Why parsing stopped.
#[derive(Debug)]
pub enum Failure {
    Io(std::io::Error),
    Bad(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

/// Every region of maps or smaps text, in order.
pub fn parse_lines(mut text: impl BufRead) -> Result<Vec<RawRegion>, Failure> {
    let mut out: Vec<RawRegion> = Vec::new();
    let mut line = Vec::with_capacity(512);
    loop {
        line.clear();
        if text.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        if line[0].is_ascii_hexdigit() && !line[0].is_ascii_uppercase() {
            out.push(header(&line).ok_or_else(|| bad_line(&line))?);
        } else if let Some(last) = out.last_mut() {
            counter(&line, last.usage.get_or_insert_with(Usage::default));
        } else {
            return Err(bad_line(&line));
        }
    }
    Ok(out)
}

fn bad_line(line: &[u8]) -> Failure {
    Failure::Bad(format!("unexpected line: {}", display_name(line)))
}

/// `Key:   123 kB` into `usage`, in bytes; lines of other shapes (`VmFlags: rd wr`,
/// `THPeligible: 0`) are of no use here and skipped.
fn counter(line: &[u8], usage: &mut Usage) {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return;
    };
    let rest = &line[colon + 1..];
    let Some(kb) = rest.strip_suffix(b" kB") else {
        return;
    };
    if let Some(n) = number(trim(kb), 10) {
        usage.set(&line[..colon], n * 1024);
    }
}

/// The header line of a region.
fn header(line: &[u8]) -> Option<RawRegion> {
    let mut rest = line;
    let mut field = || -> Option<&[u8]> {
        let end = rest.iter().position(|&b| b == b' ')?;
        let f = &rest[..end];
        rest = &rest[end + 1..];
        Some(f)
    };
    let range = field()?;
    let perms = Perms::parse(field()?)?;
    let offset = number(field()?, 16)?;
    let _device = field()?;
    let inode = match rest.iter().position(|&b| b == b' ') {
        Some(end) => {
            let n = number(&rest[..end], 10)?;
            rest = &rest[end..];
            n
        }
        None => {
            let n = number(rest, 10)?;
            rest = &[];
            n
        }
    };
    let dash = range.iter().position(|&b| b == b'-')?;
    // The name starts after the padding; its own trailing spaces are kept.
    let first = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
    Some(RawRegion {
        start: number(&range[..dash], 16)?,
        end: number(&range[dash + 1..], 16)?,
        perms,
        offset,
        inode,
        name: unescape(&rest[first..]),
        usage: None,
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    &b[start..]
}

fn number(text: &[u8], radix: u32) -> Option<u64> {
    if text.is_empty() || text.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in text {
        let d = (b as char).to_digit(radix)? as u64;
        n = n.checked_mul(radix as u64)?.checked_add(d)?;
    }
    Some(n)
}

/// The kernel writes a newline in a name as `\012` (seq_file_path); undo that.
fn unescape(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    let mut i = 0;
    while i < name.len() {
        if name[i..].starts_with(b"\\012") {
            out.push(b'\n');
            i += 4;
        } else {
            out.push(name[i]);
            i += 1;
        }
    }
    out
}

/// A name as text for a table: UTF-8 stays as it is, except that control characters
/// (a newline, a tab) and bytes that are not UTF-8 are written as escapes (`\n`,
/// `\t`, `\xff`) and a backslash as `\\`, so every name fits one line and no two names
/// look alike; a name that ends in spaces is quoted, so the spaces show.
pub fn display_name(name: &[u8]) -> String {
    let mut out = String::with_capacity(name.len());
    for chunk in name.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if out.ends_with(' ') {
        out = format!("\"{out}\"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_bytes_and_trailing_spaces() {
        let text: &[u8] = b"7f00-7f01 r--p 00000000 fe:00 12 /tmp/a\xffb\n\
            7f01-7f02 r--p 00000000 fe:00 13                          /tmp/line\\012two\n\
            7f02-7f03 r--p 00000000 fe:00 14 /tmp/trailing  \n\
            7f03-7f04 rw-p 00000000 00:00 0 \n\
            7f04-7f05 rw-p 00000000 00:00 0\n";
        let r = parse_lines(text).unwrap();
        assert_eq!(r[0].name, b"/tmp/a\xffb");
        assert_eq!(r[1].name, b"/tmp/line\ntwo");
        assert_eq!(r[2].name, b"/tmp/trailing  ");
        assert!(r[3].name.is_empty() && r[4].name.is_empty());
        assert_eq!((r[1].start, r[1].end, r[1].inode), (0x7f01, 0x7f02, 13));
        assert_eq!(display_name(&r[0].name), "/tmp/a\\xffb");
        assert_eq!(display_name(&r[1].name), "/tmp/line\\ntwo");
        assert_eq!(display_name(&r[2].name), "\"/tmp/trailing  \"");
    }

    #[test]
    fn smaps_counters_are_bytes() {
        let text: &[u8] = b"7f00-7f02 rw-p 00000000 00:00 0 \n\
            Size:                  8 kB\n\
            Rss:                   4 kB\n\
            Pss:                   2 kB\n\
            VmFlags: rd wr mr mw me ac\n";
        let r = parse_lines(text).unwrap();
        let u = r[0].usage.unwrap();
        assert_eq!((u.rss, u.pss, u.swap), (4096, 2048, 0));
        assert!(matches!(
            parse_lines(&b"garbage line\n"[..]),
            Err(Failure::Bad(_))
        ));
    }
}
