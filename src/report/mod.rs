//! `vmlab report`: the demos' records as one self-contained HTML page, to hand in or
//! to show in class.
//!
//! The page is built from the same [`Experiment`] records the terminal prints (steps,
//! tables, drawings, claims, verdicts, reasons), with the machine they were made on
//! ([`Machine`]), an address-space picture of a live process ([`space`]), vm-tlb's
//! curves and vm-faultcost's costs as charts. Everything is in the one file: the style
//! sheet is inline, the drawings are inline SVG, there is no script and nothing to
//! fetch (a Content-Security-Policy says so to the browser, too). It reads and prints
//! without JavaScript; a verdict is coloured and also written out with its mark.
//!
//! | file | what |
//! |---|---|
//! | `machine.rs` | the machine's facts: kernel, CPU, paging, THP mode, privilege |
//! | `markup.rs` | HTML and SVG into a string, every text escaped |
//! | `experiment.rs` | one experiment's section |
//! | `figures.rs` | which drawing for which figure or record |
//! | `space.rs` | an address space, procmap-like: log-scaled regions, gaps cut short |
//! | `bars.rs` | costs as bars on a logarithmic axis |
//! | `output.rs` | the file: checked first, replaced atomically |
//! | `style.css` | the page's style sheet, for the screen and for print |

mod bars;
mod experiment;
mod figures;
pub mod machine;
pub mod markup;
pub mod output;
pub mod space;

pub use experiment::verdict_name;
pub use machine::Machine;
pub use output::Output;

use crate::experiment::{Experiment, Outcome};
use crate::inspect::MapsReport;
use crate::render::Legend;
use crate::space::RegionKind;
use crate::tr;
use markup::Markup;

/// What a report shows.
pub struct Report<'a> {
    pub machine: &'a Machine,
    /// The live process drawn in the address-space picture.
    pub space: &'a MapsReport,
    pub experiments: &'a [Experiment],
}

const STYLE: &str = include_str!("style.css");

/// Only inline styles and `data:` images; no script, no connection, no frame, no form.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The whole page.
pub fn html(r: &Report) -> String {
    let mut m = Markup::new();
    m.trusted("<!DOCTYPE html>\n");
    m.open("html", &[("lang", crate::i18n::lang().code())]);
    m.open("head", &[]);
    m.empty("meta", &[("charset", "utf-8")]);
    m.empty(
        "meta",
        &[
            ("http-equiv", "Content-Security-Policy"),
            ("content", POLICY),
        ],
    );
    m.empty(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    let generator = format!("vmlab {}", r.machine.vmlab_version);
    m.empty("meta", &[("name", "generator"), ("content", &generator)]);
    m.element("title", &[], &title(r));
    m.open("style", &[]).trusted(STYLE).close("style");
    m.close("head");
    m.open("body", &[]);
    header(&mut m, r);
    contents(&mut m, r);
    m.open("main", &[]);
    machine(&mut m, r.machine);
    summary(&mut m, r.experiments);
    address_space(&mut m, r);
    let mut legend = Legend::default();
    for e in r.experiments {
        experiment::section(&mut m, e, &mut legend, r.machine.paging.page_size);
    }
    m.close("main");
    m.element(
        "footer",
        &[],
        &tr!("report-footer", version = r.machine.vmlab_version),
    );
    m.close("body").close("html");
    m.trusted("\n");
    m.finish()
}

/// The counts of every experiment, added up.
pub fn totals(experiments: &[Experiment]) -> Outcome {
    let mut total = Outcome::default();
    for e in experiments {
        total.add(e.outcome);
    }
    total
}

fn title(r: &Report) -> String {
    tr!(
        "report-title",
        date = machine::utc(r.machine.started),
        count = r.experiments.len()
    )
}

fn header(m: &mut Markup, r: &Report) {
    m.open("header", &[]);
    m.element("h1", &[], &title(r));
    m.element("p", &[("class", "intro")], &tr!("report-intro"));
    m.element("p", &[("class", "key")], &tr!("brief-key"));
    m.close("header");
}

/// The table of contents: the sections, then every demo.
fn contents(m: &mut Markup, r: &Report) {
    let contents = tr!("report-contents");
    m.open("nav", &[("aria-label", &contents)]);
    m.element("h2", &[], &contents);
    m.open("ol", &[]);
    let entry = |m: &mut Markup, href: &str, text: &str| {
        m.open("li", &[])
            .element("a", &[("href", href)], text)
            .close("li");
    };
    entry(m, "#machine", &tr!("report-machine"));
    entry(m, "#summary", &tr!("report-summary"));
    entry(m, "#space", &space_title(r.space));
    for e in r.experiments {
        let href = format!("#demo-{}", e.name);
        entry(m, &href, &format!("vm-{}: {}", e.name, e.title));
    }
    m.close("ol").close("nav");
}

fn machine(m: &mut Markup, machine: &Machine) {
    m.open("section", &[("id", "machine")]);
    m.element("h2", &[], &tr!("report-machine"));
    m.open("table", &[("class", "facts")]).open("tbody", &[]);
    for (what, value) in machine.facts() {
        m.open("tr", &[]);
        m.element("th", &[("scope", "row")], &what);
        m.element("td", &[], &value);
        m.close("tr");
    }
    m.close("tbody").close("table").close("section");
}

/// One row per demo with its counts, a row of totals, and the summary line.
fn summary(m: &mut Markup, experiments: &[Experiment]) {
    m.open("section", &[("id", "summary")]);
    m.element("h2", &[], &tr!("report-summary"));
    m.open("div", &[("class", "scroll")]);
    m.open("table", &[("class", "summary")])
        .open("thead", &[])
        .open("tr", &[]);
    for h in [
        tr!("tour-header-demo"),
        tr!("tour-header-title"),
        tr!("tour-header-hold"),
        tr!("tour-header-contradicted"),
        tr!("tour-header-unverifiable"),
        tr!("tour-header-computed"),
    ] {
        m.element("th", &[("scope", "col")], &h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for e in experiments {
        let bad: &[(&str, &str)] = if e.outcome.contradicted > 0 {
            &[("class", "bad")]
        } else {
            &[]
        };
        m.open("tr", bad).open("td", &[]);
        let href = format!("#demo-{}", e.name);
        m.element("a", &[("href", &href)], &format!("vm-{}", e.name));
        m.close("td").element("td", &[], &e.title);
        counts(m, &e.outcome, "td");
        m.close("tr");
    }
    let total = totals(experiments);
    m.close("tbody").open("tfoot", &[]).open("tr", &[]);
    m.element(
        "th",
        &[("scope", "row"), ("colspan", "2")],
        &tr!("report-total"),
    );
    counts(m, &total, "th");
    m.close("tr").close("tfoot").close("table").close("div");
    experiment::outcome_line(m, &total);
    m.close("section");
}

fn counts(m: &mut Markup, o: &Outcome, cell: &str) {
    for n in [o.held, o.contradicted, o.unverifiable, o.computed] {
        m.element(cell, &[("class", "n")], &n.to_string());
    }
}

fn space_title(space: &MapsReport) -> String {
    tr!(
        "report-space-title",
        command = space.target.command.as_str(),
        pid = space.target.pid
    )
}

/// The live process's address space, drawn, with a key to the colours.
fn address_space(m: &mut Markup, r: &Report) {
    let s = r.space;
    let title = space_title(s);
    m.open("section", &[("id", "space")]);
    m.element("h2", &[], &title);
    m.element(
        "p",
        &[],
        &tr!(
            "report-space-about",
            pid = s.target.pid,
            count = s.regions.len(),
            size = crate::render::human_size(s.total_size)
        ),
    );
    let bands = space::bands_of_regions(&s.regions, &r.machine.paging);
    m.open("figure", &[]);
    m.trusted(&space::draw(&bands, r.machine.paging.page_size, &title));
    m.close("figure");
    let mut kinds: Vec<RegionKind> = Vec::new();
    for region in &s.regions {
        if !kinds.contains(&region.kind) {
            kinds.push(region.kind);
        }
    }
    m.open("ul", &[("class", "kinds")]);
    for k in kinds {
        let class = format!("swatch k-{}", k.name());
        m.open("li", &[]).element("span", &[("class", &class)], "");
        m.element("b", &[], k.name());
        m.text(&format!(" {}", kind_meaning(k)));
        m.close("li");
    }
    m.close("ul").close("section");
}

/// What a region kind is, in the chosen language.
fn kind_meaning(k: RegionKind) -> String {
    match k {
        RegionKind::Text => tr!("report-kind-text"),
        RegionKind::Rodata => tr!("report-kind-rodata"),
        RegionKind::Data => tr!("report-kind-data"),
        RegionKind::Bss => tr!("report-kind-bss"),
        RegionKind::Heap => tr!("report-kind-heap"),
        RegionKind::Stack => tr!("report-kind-stack"),
        RegionKind::ThreadStack => tr!("report-kind-thread-stack"),
        RegionKind::LibText => tr!("report-kind-lib-text"),
        RegionKind::LibData => tr!("report-kind-lib-data"),
        RegionKind::File => tr!("report-kind-file"),
        RegionKind::Shm => tr!("report-kind-shm"),
        RegionKind::Anon => tr!("report-kind-anon"),
        RegionKind::Guard => tr!("report-kind-guard"),
        RegionKind::Vdso => tr!("report-kind-vdso"),
        RegionKind::Vvar => tr!("report-kind-vvar"),
        RegionKind::Vsyscall => tr!("report-kind-vsyscall"),
        RegionKind::Other => tr!("report-kind-other"),
    }
}

#[cfg(test)]
mod tests;
