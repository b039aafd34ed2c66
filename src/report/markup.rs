//! Writing HTML and SVG into a string, every piece of text escaped.
//!
//! The report quotes what the kernel and the user gave: file names from
//! `/proc/<pid>/maps` (a file name may hold any byte but `/` and NUL), commands,
//! paths. Each goes through [`escape`]: the five characters markup gives meaning to
//! become entities, and characters that would be invisible or misleading (control
//! characters, Unicode's direction overrides) become visible stand-ins, so that what
//! the page shows is what the kernel said and nothing a name holds can become markup.

/// How a line break in text is written: in HTML prose a `<br>`, elsewhere (SVG text,
/// attribute values) as the other control characters, a visible `␊`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Newline {
    Break,
    Visible,
}

/// `text` escaped for HTML or SVG text and for attribute values (quoted with `"`).
pub fn escape(text: &str, newline: Newline) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if newline == Newline::Break => out.push_str("<br>"),
            '\t' => out.push(' '),
            // C0 controls as Unicode's control pictures (␀ ␁ ... ␟), DEL as ␡.
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7f}' => out.push('␡'),
            // C1 controls and the marks that reorder text on screen (a name could make
            // `gpj.exe` read as `exe.jpg`): shown as the replacement character.
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push('�')
            }
            c => out.push(c),
        }
    }
    out
}

/// A document being written: elements opened and closed in order, text escaped.
#[derive(Debug, Default)]
pub struct Markup {
    buf: String,
}

impl Markup {
    pub fn new() -> Markup {
        Markup::default()
    }

    /// `<tag a="v" ...>`.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Markup {
        self.start_tag(tag, attrs);
        self.buf.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) -> &mut Markup {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// An element with no content: `<tag a="v"/>` (a void element in HTML, an empty one
    /// in SVG).
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Markup {
        self.start_tag(tag, attrs);
        self.buf.push_str("/>");
        self
    }

    /// `<tag a="v">text</tag>`, the text escaped (line breaks become `<br>`).
    pub fn element(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Markup {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag)
    }

    /// An SVG text element: like [`Markup::element`], line breaks shown as `␊`.
    pub fn svg_element(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Markup {
        self.open(tag, attrs);
        self.buf.push_str(&escape(text, Newline::Visible));
        self.close(tag)
    }

    /// Text, escaped; a line break becomes `<br>`.
    pub fn text(&mut self, text: &str) -> &mut Markup {
        self.buf.push_str(&escape(text, Newline::Break));
        self
    }

    /// Markup this module wrote (an SVG drawing), or a constant of the code (the style
    /// sheet): never text from outside.
    pub fn trusted(&mut self, markup: &str) -> &mut Markup {
        self.buf.push_str(markup);
        self
    }

    pub fn finish(self) -> String {
        self.buf
    }

    fn start_tag(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (name, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            self.buf.push_str(&escape(value, Newline::Visible));
            self.buf.push('"');
        }
    }
}

/// A coordinate or length for SVG: one decimal, no trailing `.0`.
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#, Newline::Break),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn invisible_characters_become_visible() {
        assert_eq!(escape("a\nb", Newline::Break), "a<br>b");
        assert_eq!(escape("a\nb", Newline::Visible), "a␊b");
        assert_eq!(escape("\x1b[31m\x7f", Newline::Break), "␛[31m␡");
        assert_eq!(escape("x\u{202e}gpj.exe", Newline::Break), "x�gpj.exe");
        assert_eq!(escape("\u{85}", Newline::Break), "�");
        assert_eq!(escape("café ✓", Newline::Break), "café ✓");
    }

    #[test]
    fn attributes_and_text_are_escaped_in_elements() {
        let mut m = Markup::new();
        m.element("td", &[("title", "a\"b")], "<script>");
        m.empty("rect", &[("x", &num(1.25)), ("y", &num(2.0))]);
        assert_eq!(
            m.finish(),
            "<td title=\"a&quot;b\">&lt;script&gt;</td><rect x=\"1.3\" y=\"2\"/>"
        );
    }
}
