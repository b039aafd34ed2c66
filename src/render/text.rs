//! Text to a width: how wide a string looks on a terminal, prose wrapped to a width,
//! and a line cut to one. Every renderer uses these, so that nothing vmlab prints is
//! wider than the screen it is printed on.

use unicode_width::UnicodeWidthStr;

/// The columns `text` takes on a terminal: wide characters count two, combining marks
/// none, and ANSI colour sequences (`ESC [ ... m`) nothing.
pub fn display_width(text: &str) -> usize {
    if !text.contains('\x1b') {
        return text.width();
    }
    strip_ansi(text).width()
}

/// `text` without its ANSI colour sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte (a letter).
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Greedy word wrap of `text` into lines of at most `width` columns; a blank line in
/// the text (`\n`) starts a new paragraph. A word wider than the line is cut, so that
/// no line is ever wider than `width`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        // Words are cut at spaces and tabs only: a no-break space (U+00A0) holds two
        // words together, as in a "2: 65536" pair of a list.
        for word in para.split([' ', '\t']).filter(|w| !w.is_empty()) {
            for piece in cut(word, width) {
                let w = piece.width();
                if used > 0 && used + 1 + w > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                if used > 0 {
                    line.push(' ');
                    used += 1;
                }
                line.push_str(&piece);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
}

/// `word` in pieces of at most `width` columns (one piece when it fits).
fn cut(word: &str, width: usize) -> Vec<String> {
    if word.width() <= width {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if piece.width() + w > width && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    pieces.push(piece);
    pieces
}

/// `text` cut to `width` columns, with `…` where it was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if out.width() + w + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("one\ntwo", 80), ["one", "two"]);
        assert_eq!(wrap("", 10), [""]);
        // A no-break space keeps a pair on one line.
        assert_eq!(wrap("1: 5, 2:\u{a0}65536", 10), ["1: 5,", "2:\u{a0}65536"]);
    }

    #[test]
    fn no_line_is_wider_than_asked() {
        let text = "página física /sys/kernel/mm/transparent_hugepage/enabled 日本語のテキスト";
        for width in [5, 8, 13, 20, 60] {
            for line in wrap(text, width) {
                assert!(display_width(&line) <= width, "{width}: {line:?}");
            }
        }
    }

    #[test]
    fn widths_count_columns_not_bytes() {
        assert_eq!(display_width("página"), 6);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("\x1b[1mbold\x1b[0m"), 4);
        assert_eq!(truncate("marco de página", 8), "marco d…");
        assert_eq!(truncate("short", 8), "short");
    }
}
