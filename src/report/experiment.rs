//! One experiment as a section of the page: the same record the terminal prints (its
//! steps with their tables, terms and drawings, its claims with verdicts and reasons, the
//! note on computed claims, the summary line), laid out as HTML. A verdict is coloured
//! and also written out with its mark (✓ ✗ ? =), so that it reads in black and white.

use crate::experiment::{Claim, Experiment, Step, Table, Verdict};
use crate::render::{Legend, legend_parts, mark};
use crate::tr;

use super::figures;
use super::markup::Markup;

/// The name a verdict has in the page's attributes and classes (as in `--json`).
pub fn verdict_name(v: &Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::Contradicted => "contradicted",
        Verdict::Unverifiable(_) => "unverifiable",
        Verdict::Computed => "computed",
    }
}

/// The section of experiment `e`. `legend` holds the terms already explained in the
/// page (each is explained once, under the first table that uses it); `page` is the
/// page size, for drawings of address spaces.
pub fn section(m: &mut Markup, e: &Experiment, legend: &mut Legend, page: u64) {
    let id = format!("demo-{}", e.name);
    m.open("section", &[("class", "experiment"), ("id", &id)]);
    m.element("h2", &[], &format!("vm-{}: {}", e.name, e.title));
    m.element("p", &[("class", "about")], &e.about);
    m.open("ol", &[("class", "steps")]);
    for step in &e.steps {
        m.open("li", &[]);
        self::step(m, e, step, legend, page);
        m.close("li");
    }
    m.close("ol");
    if let Some((caption, drawing)) = figures::from_record(e) {
        figure(m, Some(&caption), drawing);
    }
    claims(m, e);
    m.close("section");
}

fn step(m: &mut Markup, e: &Experiment, step: &Step, legend: &mut Legend, page: u64) {
    m.element("p", &[], &step.narration);
    if let Some(t) = &step.table {
        table(m, t);
        explain(m, legend.fresh(&t.legend));
    }
    explain(m, legend.fresh(&step.terms));
    if let Some(f) = &step.figure {
        // The narration just above says what it shows: no caption repeats it.
        figure(m, None, figures::of_step(e, f, &step.narration, page));
    }
}

/// The flags and terms met here for the first time in the page, each with what it
/// means.
fn explain(m: &mut Markup, keys: Vec<&str>) {
    if keys.is_empty() {
        return;
    }
    m.open("dl", &[("class", "legend")]);
    for key in keys {
        let (name, meaning) = legend_parts(key);
        m.element("dt", &[], &name);
        m.element("dd", &[], &meaning);
    }
    m.close("dl");
}

/// A drawing in a `<figure>`, or the reason it could not be drawn.
fn figure(m: &mut Markup, caption: Option<&str>, drawing: Result<String, String>) {
    m.open("figure", &[]);
    match drawing {
        Ok(svg) => {
            m.trusted(&svg);
        }
        Err(why) => {
            m.element(
                "p",
                &[("class", "missing")],
                &tr!("report-chart-failed", why = why),
            );
        }
    }
    if let Some(caption) = caption {
        m.element("figcaption", &[], caption);
    }
    m.close("figure");
}

/// A step's table. Cells that are one token (an address, a frame number, a count)
/// are set in a fixed-width font and never broken; cells of words wrap.
fn table(m: &mut Markup, t: &Table) {
    m.open("div", &[("class", "scroll")]);
    m.open("table", &[("class", "data")]);
    m.open("thead", &[]).open("tr", &[]);
    for c in &t.columns {
        m.element("th", &[("scope", "col")], c);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for row in &t.rows {
        m.open("tr", &[]);
        for cell in row {
            let token = !cell.trim().contains(char::is_whitespace);
            let attrs: &[(&str, &str)] = if token { &[("class", "t")] } else { &[] };
            m.element("td", attrs, cell);
        }
        m.close("tr");
    }
    m.close("tbody").close("table").close("div");
}

/// The claims: a table with one row per claim, the reasons of the unverifiable ones
/// as numbered notes under it, the note on computed claims, each contradiction said
/// again in words, and the summary line.
fn claims(m: &mut Markup, e: &Experiment) {
    m.element("h3", &[], &tr!("report-claims"));
    m.open("div", &[("class", "scroll")]);
    m.open("table", &[("class", "claims")]);
    m.open("thead", &[]).open("tr", &[]);
    for key in [
        tr!("claims-header-claim"),
        tr!("claims-header-theory"),
        tr!("claims-header-kernel"),
        tr!("claims-header-verdict"),
    ] {
        m.element("th", &[("scope", "col")], &key);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    let mut reasons: Vec<&str> = Vec::new();
    for c in &e.claims {
        claim_row(m, e, c, &mut reasons);
    }
    m.close("tbody").close("table").close("div");
    if !reasons.is_empty() {
        m.open("ol", &[("class", "reasons")]);
        for (i, r) in reasons.iter().enumerate() {
            let id = format!("{}-reason-{}", e.name, i + 1);
            m.element("li", &[("id", &id)], r);
        }
        m.close("ol");
    }
    if e.outcome.computed > 0 {
        m.element("p", &[("class", "note")], &tr!("computed-note"));
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
        m.element("p", &[("class", "contradiction")], &text);
    }
    outcome_line(m, &e.outcome);
}

fn claim_row<'a>(m: &mut Markup, e: &Experiment, c: &'a Claim, reasons: &mut Vec<&'a str>) {
    let name = verdict_name(&c.verdict);
    let row_id = format!("claim-{}", c.id);
    m.open(
        "tr",
        &[
            ("id", &row_id),
            ("data-claim", &c.id),
            ("data-verdict", name),
        ],
    );
    m.element("td", &[], &c.statement);
    m.element("td", &[], &c.theory);
    m.element("td", &[], &c.kernel);
    let class = format!("verdict v-{name}");
    m.open("td", &[("class", &class)]);
    m.text(&format!("{} {}", mark(&c.verdict), c.verdict.text()));
    if let Verdict::Unverifiable(reason) = &c.verdict {
        let n = match reasons.iter().position(|r| r == reason) {
            Some(i) => i + 1,
            None => {
                reasons.push(reason);
                reasons.len()
            }
        };
        let href = format!("#{}-reason-{n}", e.name);
        m.text(" ");
        m.element("a", &[("href", &href)], &format!("[{n}]"));
    }
    m.close("td").close("tr");
}

/// `8 claims: 6 hold, 0 contradicted, ...`, marked bad when something was contradicted.
pub fn outcome_line(m: &mut Markup, o: &crate::experiment::Outcome) {
    let text = tr!(
        "claims-summary",
        total = o.total(),
        held = o.held,
        contradicted = o.contradicted,
        unverifiable = o.unverifiable,
        computed = o.computed
    );
    let class = if o.contradicted > 0 {
        "outcome bad"
    } else {
        "outcome ok"
    };
    m.element("p", &[("class", class)], &text);
}
