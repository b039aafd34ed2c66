//! An experiment as a lab handout: title, what it shows, numbered steps with their
//! tables, the claim table, and a one-line summary. A contradiction is said loudly.

use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement};

use super::{Palette, listing_table};
use crate::experiment::{Experiment, Outcome, Verdict};
use crate::tr;

/// Width that narration is wrapped to.
const WIDTH: usize = 92;
/// The claim table's width: the narration's and a little more, within 100 columns.
const CLAIM_TABLE_WIDTH: u16 = 100;

/// Prints an experiment as a handout. `notice`: print what this run cannot see (a tour
/// prints it once for all demos instead).
pub fn render_experiment(
    out: &mut dyn Write,
    e: &Experiment,
    palette: Palette,
    notice: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        palette.bold(&format!("━━ vm-{}: {} ━━", e.name, e.title))
    )?;
    for line in wrap(&e.about, WIDTH) {
        writeln!(out, "{line}")?;
    }
    if let Some(n) = e.notice.as_ref().filter(|_| notice) {
        writeln!(out, "{}", palette.warn(&tr!("note", text = n.as_str())))?;
    }
    for (i, step) in e.steps.iter().enumerate() {
        writeln!(out)?;
        let mut lines = wrap(&step.narration, WIDTH - 4).into_iter();
        if let Some(first) = lines.next() {
            writeln!(out, "{} {first}", palette.bold(&format!("{:>2}.", i + 1)))?;
        }
        for line in lines {
            writeln!(out, "    {line}")?;
        }
        if let Some(table) = &step.table {
            let mut t = listing_table(palette);
            t.set_header(table.columns.iter().map(Cell::new));
            for row in &table.rows {
                t.add_row(row.iter().map(Cell::new));
            }
            for line in t.lines() {
                writeln!(out, "   {}", line.trim_end())?;
            }
        }
        if let Some(fig) = &step.figure {
            for line in fig.lines() {
                writeln!(out, "    {line}")?;
            }
        }
    }
    writeln!(out)?;
    render_claims(out, e, palette)
}

fn render_claims(out: &mut dyn Write, e: &Experiment, palette: Palette) -> io::Result<()> {
    let mut t = listing_table(palette);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    // Fits a 100-column terminal; the narration above wraps at WIDTH.
    t.set_width(CLAIM_TABLE_WIDTH);
    t.set_header(
        [
            tr!("claims-header-claim"),
            tr!("claims-header-theory"),
            tr!("claims-header-kernel"),
            tr!("claims-header-verdict"),
        ]
        .map(Cell::new),
    );
    let mut reasons: Vec<&str> = Vec::new();
    for c in &e.claims {
        let text = c.verdict.text();
        let verdict = match &c.verdict {
            Verdict::Holds => Cell::new(text).fg(comfy_table::Color::Green),
            Verdict::Contradicted => Cell::new(text)
                .fg(comfy_table::Color::Red)
                .add_attribute(comfy_table::Attribute::Bold),
            Verdict::Unverifiable(r) => {
                let n = match reasons.iter().position(|x| x == r) {
                    Some(n) => n,
                    None => {
                        reasons.push(r);
                        reasons.len() - 1
                    }
                };
                Cell::new(format!("{text} [{}]", n + 1)).fg(comfy_table::Color::Yellow)
            }
            Verdict::Computed => Cell::new(text).fg(comfy_table::Color::Cyan),
        };
        let verdict = if palette.enabled {
            verdict
        } else {
            Cell::new(verdict.content())
        };
        t.add_row(vec![
            Cell::new(&c.statement),
            Cell::new(&c.theory),
            Cell::new(&c.kernel),
            verdict,
        ]);
    }
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    for (i, r) in reasons.iter().enumerate() {
        writeln!(out, "{}", palette.dim(&format!("[{}] {r}", i + 1)))?;
    }
    if e.outcome.computed > 0 {
        writeln!(out, "{}", palette.dim(&tr!("computed-note")))?;
    }
    for c in e
        .claims
        .iter()
        .filter(|c| c.verdict == Verdict::Contradicted)
    {
        writeln!(
            out,
            "{}",
            palette.warn(&tr!(
                "claims-contradicted",
                statement = c.statement.as_str(),
                theory = c.theory.as_str(),
                kernel = c.kernel.as_str()
            ))
        )?;
    }
    writeln!(out, "{}", summary_line(&e.outcome, palette))
}

/// `8 claims: 6 hold, 0 contradicted, 1 unverifiable, 1 computed`.
pub fn summary_line(o: &Outcome, palette: Palette) -> String {
    let text = tr!(
        "claims-summary",
        total = o.total(),
        held = o.held,
        contradicted = o.contradicted,
        unverifiable = o.unverifiable,
        computed = o.computed
    );
    if o.contradicted > 0 {
        palette.warn(&text)
    } else {
        palette.good(&text)
    }
}

/// The table at the end of `vmlab tour`: one row per demo, and the totals.
pub fn render_tour_summary(
    out: &mut dyn Write,
    experiments: &[Experiment],
    palette: Palette,
) -> io::Result<()> {
    let mut t = listing_table(palette);
    t.set_header(
        [
            tr!("tour-header-demo"),
            tr!("tour-header-title"),
            tr!("tour-header-hold"),
            tr!("tour-header-contradicted"),
            tr!("tour-header-unverifiable"),
            tr!("tour-header-computed"),
        ]
        .map(Cell::new),
    );
    let mut total = Outcome::default();
    for e in experiments {
        total.add(e.outcome);
        t.add_row(vec![
            Cell::new(format!("vm-{}", e.name)),
            Cell::new(&e.title),
            Cell::new(e.outcome.held),
            Cell::new(e.outcome.contradicted),
            Cell::new(e.outcome.unverifiable),
            Cell::new(e.outcome.computed),
        ]);
    }
    super::right(&mut t, &[2, 3, 4, 5]);
    writeln!(out, "{}", palette.bold(&tr!("tour-summary")))?;
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{}", summary_line(&total, palette))
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Claim, Experiment};

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("one\ntwo", 80), ["one", "two"]);
    }

    #[test]
    fn contradictions_are_loud_and_reasons_numbered() {
        let mut e = Experiment::new("t", "Title", "About.");
        e.claim(Claim::check(
            "same frame",
            "same PFN",
            "0x1 vs 0x2".into(),
            1 == 2,
        ));
        e.claim(Claim::unverifiable("count", "2", "needs root"));
        e.claim(Claim::unverifiable("flags", "KSM", "needs root"));
        let mut computed = Claim::check("size", "2^36 x 8", "512 GiB".into(), true);
        computed.verdict = Verdict::Computed;
        e.claim(computed);
        let mut out = Vec::new();
        render_experiment(&mut out, &e, Palette { enabled: false }, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("CONTRADICTED"), "{text}");
        assert!(
            text.contains("!! the kernel contradicted theory: same frame"),
            "{text}"
        );
        assert_eq!(text.matches("[1] needs root").count(), 1, "{text}");
        assert!(
            text.contains("4 claims: 0 hold, 1 contradicted, 2 unverifiable, 1 computed"),
            "{text}"
        );
        assert!(text.contains("computed: theory's arithmetic"), "{text}");
    }
}
