//! An experiment as a lab handout: title, what it shows, numbered steps with their
//! tables, the claim table, and a one-line summary; or, brief, its claims alone. A
//! contradiction is said loudly. Everything fits the screen's width.

use std::collections::BTreeSet;
use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement};

use super::table::render_table;
use super::text::{truncate, wrap};
use super::{Palette, Screen, listing_table};
use crate::experiment::{Claim, Experiment, Outcome, Step, Verdict};
use crate::tr;

/// The terms and flags already explained in this run: a tour explains each once, where
/// it first appears.
#[derive(Debug, Default)]
pub struct Legend {
    explained: BTreeSet<String>,
}

impl Legend {
    /// The keys of `keys` not explained yet, now marked explained.
    pub(crate) fn fresh<'a>(&mut self, keys: &'a [String]) -> Vec<&'a str> {
        keys.iter()
            .filter(|k| self.explained.insert(k.to_string()))
            .map(String::as_str)
            .collect()
    }
}

/// Prints an experiment as a handout. (What the run could not see is said once on
/// stderr by the caller, not here.)
pub fn render_experiment(
    out: &mut dyn Write,
    e: &Experiment,
    screen: Screen,
    legend: &mut Legend,
) -> io::Result<()> {
    let palette = screen.palette;
    let title = format!("━━ vm-{}: {} ━━", e.name, e.title);
    for line in wrap(&title, screen.width) {
        writeln!(out, "{}", palette.bold(&line))?;
    }
    for line in wrap(&e.about, screen.width) {
        writeln!(out, "{line}")?;
    }
    for (i, step) in e.steps.iter().enumerate() {
        writeln!(out)?;
        render_step(out, i + 1, step, screen, legend)?;
    }
    writeln!(out)?;
    render_claims(out, e, screen)
}

/// One numbered step: its narration, its table and its legend, its figure.
fn render_step(
    out: &mut dyn Write,
    n: usize,
    step: &Step,
    screen: Screen,
    legend: &mut Legend,
) -> io::Result<()> {
    let palette = screen.palette;
    let mut lines = wrap(&step.narration, screen.width - 4).into_iter();
    if let Some(first) = lines.next() {
        writeln!(out, "{} {first}", palette.bold(&format!("{n:>2}.")))?;
    }
    for line in lines {
        writeln!(out, "    {line}")?;
    }
    if let Some(table) = &step.table {
        render_table(out, table, screen, 3)?;
        render_legend(out, legend.fresh(&table.legend), screen)?;
    }
    render_legend(out, legend.fresh(&step.terms), screen)?;
    if let Some(fig) = &step.figure {
        super::figure::render_figure(out, fig, screen, 4)?;
    }
    Ok(())
}

/// `· name: meaning` lines, dim, for legend keys met for the first time.
fn render_legend(out: &mut dyn Write, keys: Vec<&str>, screen: Screen) -> io::Result<()> {
    for key in keys {
        for (j, line) in wrap(&legend_entry(key), screen.width - 6)
            .into_iter()
            .enumerate()
        {
            let indent = if j == 0 { "    · " } else { "      " };
            writeln!(out, "{}", screen.palette.dim(&format!("{indent}{line}")))?;
        }
    }
    Ok(())
}

/// A legend key as a line: `name: meaning` (see [`legend_parts`]).
fn legend_entry(key: &str) -> String {
    let (name, meaning) = legend_parts(key);
    format!("{name}: {meaning}")
}

/// A legend key's name and meaning: a frame flag (`flag-owner-2`) named as it shows
/// in tables (`owner_2`), a glossary term (`term-pss`) by its name in the chosen
/// language.
pub(crate) fn legend_parts(key: &str) -> (String, String) {
    use crate::i18n::tr;
    match key.strip_prefix("flag-") {
        Some(flag) => (flag.replace('-', "_"), tr(key, None)),
        None => (tr(key, None), tr(&format!("{key}.meaning"), None)),
    }
}

fn verdict_cell(c: &Claim, reasons: &mut Vec<String>, palette: Palette) -> Cell {
    let text = c.verdict.text();
    let cell = match &c.verdict {
        Verdict::Holds => Cell::new(text).fg(comfy_table::Color::Green),
        Verdict::Contradicted => Cell::new(text)
            .fg(comfy_table::Color::Red)
            .add_attribute(comfy_table::Attribute::Bold),
        Verdict::Unverifiable(r) => {
            let n = footnote(reasons, r);
            Cell::new(format!("{text} [{n}]")).fg(comfy_table::Color::Yellow)
        }
        Verdict::Computed => Cell::new(text).fg(comfy_table::Color::Cyan),
    };
    if palette.enabled {
        cell
    } else {
        Cell::new(cell.content())
    }
}

/// The footnote number of `reason`, adding it when new.
fn footnote(reasons: &mut Vec<String>, reason: &str) -> usize {
    match reasons.iter().position(|x| x == reason) {
        Some(n) => n + 1,
        None => {
            reasons.push(reason.to_string());
            reasons.len()
        }
    }
}

fn render_claims(out: &mut dyn Write, e: &Experiment, screen: Screen) -> io::Result<()> {
    let palette = screen.palette;
    let mut t = listing_table(palette);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(screen.width as u16);
    t.set_header(
        [
            tr!("claims-header-claim"),
            tr!("claims-header-theory"),
            tr!("claims-header-kernel"),
            tr!("claims-header-verdict"),
        ]
        .map(Cell::new),
    );
    let mut reasons = Vec::new();
    for c in &e.claims {
        t.add_row(vec![
            Cell::new(&c.statement),
            Cell::new(&c.theory),
            Cell::new(&c.kernel),
            verdict_cell(c, &mut reasons, palette),
        ]);
    }
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    render_reasons(out, &reasons, screen)?;
    if e.outcome.computed > 0 {
        for line in wrap(&tr!("computed-note"), screen.width) {
            writeln!(out, "{}", palette.dim(&line))?;
        }
    }
    for c in e
        .claims
        .iter()
        .filter(|c| c.verdict == Verdict::Contradicted)
    {
        let text = tr!(
            "claims-contradicted",
            statement = c.statement.as_str(),
            theory = c.theory.as_str(),
            kernel = c.kernel.as_str()
        );
        for line in wrap(&text, screen.width) {
            writeln!(out, "{}", palette.warn(&line))?;
        }
    }
    render_summary_line(out, &e.outcome, screen)
}

/// `[1] reason` lines, wrapped, the continuation indented under the text.
fn render_reasons(out: &mut dyn Write, reasons: &[String], screen: Screen) -> io::Result<()> {
    for (i, r) in reasons.iter().enumerate() {
        let mark = format!("[{}] ", i + 1);
        let lines = wrap(r, screen.width - mark.len());
        for (j, line) in lines.iter().enumerate() {
            let lead = if j == 0 {
                mark.clone()
            } else {
                " ".repeat(mark.len())
            };
            writeln!(out, "{}", screen.palette.dim(&format!("{lead}{line}")))?;
        }
    }
    Ok(())
}

/// `8 claims: 6 hold, 0 contradicted, 1 unverifiable, 1 computed`, wrapped to the
/// screen, green or (when something was contradicted) yellow.
pub fn render_summary_line(out: &mut dyn Write, o: &Outcome, screen: Screen) -> io::Result<()> {
    let text = tr!(
        "claims-summary",
        total = o.total(),
        held = o.held,
        contradicted = o.contradicted,
        unverifiable = o.unverifiable,
        computed = o.computed
    );
    for line in wrap(&text, screen.width) {
        let line = if o.contradicted > 0 {
            screen.palette.warn(&line)
        } else {
            screen.palette.good(&line)
        };
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The mark of a verdict in brief output: ✓ holds, ✗ contradicted, ? unverifiable,
/// = computed.
pub(crate) fn mark(v: &Verdict) -> &'static str {
    match v {
        Verdict::Holds => "✓",
        Verdict::Contradicted => "✗",
        Verdict::Unverifiable(_) => "?",
        Verdict::Computed => "=",
    }
}

/// The key to the marks of brief output, printed once above them.
pub fn render_brief_key(out: &mut dyn Write, screen: Screen) -> io::Result<()> {
    for line in wrap(&tr!("brief-key"), screen.width) {
        writeln!(out, "{}", screen.palette.dim(&line))?;
    }
    Ok(())
}

/// An experiment in brief: one line per claim, its verdict's mark and its statement,
/// cut to the width; the demo's name in a left column of `name_width` on its first
/// line. The reasons of unverifiable claims are footnotes numbered across the run, in
/// `reasons`, printed by [`render_brief_reasons`].
pub fn render_brief(
    out: &mut dyn Write,
    e: &Experiment,
    screen: Screen,
    name_width: usize,
    reasons: &mut Vec<String>,
) -> io::Result<()> {
    let palette = screen.palette;
    for (i, c) in e.claims.iter().enumerate() {
        let name = if i == 0 { e.name.as_str() } else { "" };
        let note = match &c.verdict {
            Verdict::Unverifiable(r) => format!(" [{}]", footnote(reasons, r)),
            _ => String::new(),
        };
        let room = screen
            .width
            .saturating_sub(name_width + 3 + note.chars().count());
        let text = format!(
            "{} {}{note}",
            mark(&c.verdict),
            truncate(&c.statement, room)
        );
        let text = match c.verdict {
            Verdict::Contradicted => palette.warn(&text),
            Verdict::Holds => text,
            _ => palette.dim(&text),
        };
        writeln!(
            out,
            "{} {text}",
            palette.bold(&format!("{name:<name_width$}"))
        )?;
    }
    Ok(())
}

/// The footnotes of a brief run: each reason's first sentence, wrapped like a demo's
/// (the rest, marked `…`, is in the full tour): enough to know why a claim could not
/// be decided, in one screenful.
pub fn render_brief_reasons(
    out: &mut dyn Write,
    reasons: &[String],
    screen: Screen,
) -> io::Result<()> {
    let firsts: Vec<String> = reasons.iter().map(|r| first_sentence(r)).collect();
    render_reasons(out, &firsts, screen)
}

/// `text` up to its first `. ` or `; `, with ` …` when something was left.
fn first_sentence(text: &str) -> String {
    let end = [". ", "; "].iter().filter_map(|sep| text.find(sep)).min();
    match end {
        Some(at) => format!("{} …", &text[..at]),
        None => text.to_string(),
    }
}

/// The table at the end of `vmlab tour`: one row per demo, and the totals.
pub fn render_tour_summary(
    out: &mut dyn Write,
    experiments: &[Experiment],
    screen: Screen,
) -> io::Result<()> {
    let palette = screen.palette;
    let mut t = listing_table(palette);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(screen.width as u16);
    // The verdicts' marks head their columns (a key line says which is which): their
    // names, long in Spanish, would leave the titles a few letters wide at 80 columns.
    t.set_header(
        [
            tr!("tour-header-demo"),
            tr!("tour-header-title"),
            "✓".to_string(),
            "✗".to_string(),
            "?".to_string(),
            "=".to_string(),
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
    let demo_width = experiments
        .iter()
        .map(|e| e.name.len() + 3)
        .max()
        .unwrap_or(4);
    if let Some(col) = t.column_mut(0) {
        let at_least = comfy_table::Width::Fixed((demo_width + 2) as u16);
        col.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(at_least));
    }
    writeln!(out, "{}", palette.bold(&tr!("tour-summary")))?;
    for line in wrap(&tr!("tour-summary-key"), screen.width) {
        writeln!(out, "{}", palette.dim(&line))?;
    }
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    render_summary_line(out, &total, screen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Claim, Experiment};
    use crate::render::text::display_width;

    fn claim(statement: &str, theory: &str, kernel: &str, verdict: Verdict) -> Claim {
        Claim {
            id: statement.replace(' ', "-"),
            statement: statement.into(),
            theory: theory.into(),
            kernel: kernel.into(),
            verdict,
        }
    }

    fn sample() -> Experiment {
        let mut e = Experiment::new("t", "Title", "About.");
        let root = || Verdict::Unverifiable("needs root".into());
        e.claim(claim(
            "same frame",
            "same PFN",
            "0x1 vs 0x2",
            Verdict::Contradicted,
        ));
        e.claim(claim("count", "2", "not visible", root()));
        e.claim(claim("flags", "KSM", "not visible", root()));
        e.claim(claim("size", "2^35 x 8", "256 GiB", Verdict::Computed));
        e
    }

    fn screen(width: usize) -> Screen {
        Screen::new(Palette { enabled: false }, width)
    }

    #[test]
    fn contradictions_are_loud_and_reasons_numbered() {
        let mut out = Vec::new();
        render_experiment(&mut out, &sample(), screen(100), &mut Legend::default()).unwrap();
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

    #[test]
    fn every_line_fits_the_width() {
        let mut e = sample();
        e.about = "word ".repeat(60);
        let mut t = crate::experiment::Table::new(&["page", "VA", "flags"]);
        t.row(vec![
            "parent 0".into(),
            "0x7f0000000000".into(),
            "uptodate lru mmap anon swapbacked owner_2".into(),
        ]);
        t.legend = vec!["flag-owner-2".into()];
        e.steps.push(Step::show("a step ".repeat(30), t));
        for width in [60, 80] {
            let mut out = Vec::new();
            render_experiment(&mut out, &e, screen(width), &mut Legend::default()).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("owner_2: on an anonymous page"), "{text}");
            for line in text.lines() {
                assert!(display_width(line) <= width, "{width}: {line:?}");
            }
        }
    }

    #[test]
    fn a_legend_explains_each_key_once() {
        let mut legend = Legend::default();
        let keys = vec!["flag-anon".to_string(), "flag-lru".to_string()];
        assert_eq!(legend.fresh(&keys), ["flag-anon", "flag-lru"]);
        assert!(legend.fresh(&keys).is_empty());
    }

    #[test]
    fn brief_is_one_line_per_claim() {
        let mut out = Vec::new();
        let mut reasons = Vec::new();
        render_brief(&mut out, &sample(), screen(60), 14, &mut reasons).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.starts_with("t              ✗ same frame"), "{text}");
        assert!(text.contains("               ? count [1]"), "{text}");
        assert_eq!(reasons, ["needs root"]);
    }
}
