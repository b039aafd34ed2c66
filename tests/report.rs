//! `vmlab report` on the real kernel: the page it writes is read back with an HTML
//! parser (as a browser reads it) and checked against the demos' own records: every
//! claim there with its verdict, the machine as the kernel describes it, a live
//! process's regions at their addresses, the charts; no script, nothing fetched; in
//! English and in Spanish. Bad output paths fail before any demo runs, and a report
//! replaces the old one whole.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use vmlab::i18n::{Lang, tr_in};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn select_in<'a>(e: &ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    e.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &ElementRef) -> String {
    e.text().collect()
}

/// Runs `vmlab report ARGS -o DIR/NAME` and reads the page back.
fn report(dir: &Path, name: &str, args: &[&str]) -> (std::process::Output, Html) {
    let path = dir.join(name);
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["-o", path.to_str().unwrap()]);
    let o = vmlab(&all);
    assert_eq!(o.status.code(), Some(0), "{all:?}: {}", stderr(&o));
    let page = std::fs::read_to_string(&path).unwrap();
    (o, Html::parse_document(&page))
}

/// Nothing on the page can run or be fetched: no script or embedding element, no
/// event handler, links only within the page (or `data:`), no style that loads
/// anything; and a policy that tells the browser so.
fn self_contained(doc: &Html) {
    let active = select(
        doc,
        "script, iframe, frame, object, embed, link, img, form, base",
    );
    assert!(active.is_empty(), "{:?}", active[0].value());
    for e in select(doc, "*") {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "an event handler: {name}={value}");
            if matches!(
                name,
                "href" | "src" | "xlink:href" | "action" | "srcset" | "poster"
            ) {
                assert!(
                    value.starts_with('#') || value.starts_with("data:"),
                    "{name}={value}"
                );
            }
        }
    }
    for style in select(doc, "style") {
        let css = text(&style);
        assert!(!css.contains("url(") && !css.contains("@import"), "{css}");
    }
    let policy = select(doc, "meta[http-equiv=Content-Security-Policy]");
    let policy = policy[0].value().attr("content").unwrap();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
}

/// The machine section names this kernel and this page size.
fn machine_section(doc: &Html, lang: Lang) {
    let cells: Vec<String> = select(doc, "#machine td").iter().map(text).collect();
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    assert!(
        cells.iter().any(|c| c.contains(release.trim())),
        "{cells:?}"
    );
    let page = vmlab::render::human_size(page_size());
    assert!(cells.iter().any(|c| c.contains(&page)), "{cells:?}");
    let heading = tr_in(lang, "report-machine", None).unwrap();
    assert_eq!(
        select(doc, "#machine h2")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        [heading]
    );
}

/// Each experiment of `records` (the demos' `--json`) is a section whose claim rows
/// are its claims, in order, each with its verdict as an attribute and in words (with
/// its mark), each unverifiable one linked to its reason; the summary table counts
/// them.
fn every_claim_with_its_verdict(doc: &Html, records: &[Value], lang: Lang) {
    let word = |v: &str| tr_in(lang, &format!("verdict-{v}"), None).unwrap();
    let mark = |v: &str| match v {
        "holds" => "✓",
        "contradicted" => "✗",
        "unverifiable" => "?",
        _ => "=",
    };
    for e in records {
        let name = e["name"].as_str().unwrap();
        let section = select(doc, &format!("section#demo-{name}"));
        assert_eq!(section.len(), 1, "the section of {name}");
        let rows = select_in(&section[0], "table.claims tbody tr");
        let ids: Vec<&str> = rows
            .iter()
            .map(|r| r.value().attr("data-claim").unwrap())
            .collect();
        assert_eq!(ids, claim_ids(e), "{name}");
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rows {
            let v = r.value().attr("data-verdict").unwrap();
            assert!(
                ["holds", "contradicted", "unverifiable", "computed"].contains(&v),
                "{v}"
            );
            *counts.entry(v).or_default() += 1;
            let cell = text(&select_in(r, "td.verdict")[0]);
            assert!(
                cell.starts_with(&format!("{} {}", mark(v), word(v))),
                "{name}: {cell}"
            );
            if v == "unverifiable" {
                let href = select_in(r, "td.verdict a")[0]
                    .value()
                    .attr("href")
                    .unwrap();
                let reason = select(doc, href);
                assert!(!text(&reason[0]).trim().is_empty(), "{href}");
            }
        }
        let row = select(
            doc,
            &format!("#summary tbody tr:has(a[href='#demo-{name}'])"),
        );
        let shown: Vec<usize> = select_in(&row[0], "td.n")
            .iter()
            .map(|c| text(c).parse().unwrap())
            .collect();
        let count = |v| counts.get(v).copied().unwrap_or(0);
        assert_eq!(
            shown,
            [
                count("holds"),
                count("contradicted"),
                count("unverifiable"),
                count("computed")
            ],
            "{name}"
        );
    }
}

/// The demos' records, from `vmlab demo NAME --json` (the claims are the same in
/// every run; only verdicts of timing claims may differ between runs).
fn records_of(names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| vmlab_json(&["demo", n])).collect()
}

#[test]
fn a_few_demos_make_a_page_that_says_every_claim_without_a_script() {
    let dir = TempDir::new("vmlab-report-few");
    let names = ["translate", "cow", "protect"];
    let mut args = names.to_vec();
    args.extend(["--lang", "en"]);
    let (o, doc) = report(&dir.0, "few.html", &args);
    for (i, n) in names.iter().enumerate() {
        assert!(
            stderr(&o).contains(&format!("[{}/3] vm-{n}", i + 1)),
            "{}",
            stderr(&o)
        );
    }
    assert!(stdout(&o).starts_with("wrote "), "{}", stdout(&o));
    self_contained(&doc);
    machine_section(&doc, Lang::En);
    every_claim_with_its_verdict(&doc, &records_of(&names), Lang::En);
    assert_eq!(select(&doc, "html[lang=en]").len(), 1);
    // vmlab's own address space, drawn: its stack among the regions.
    let stack = select(&doc, "#space svg.space g.region.k-stack");
    assert_eq!(stack.len(), 1);
    assert!(text(&stack[0]).contains("[stack]"));
    assert!(select(&doc, "#space ul.kinds li").len() >= 5);
}

#[test]
fn the_whole_tour_is_one_page_with_its_charts() {
    let dir = TempDir::new("vmlab-report-tour");
    let (o, doc) = report(&dir.0, "tour.html", &[]);
    let size = std::fs::metadata(dir.0.join("tour.html")).unwrap().len();
    eprintln!("the whole tour's page: {size} bytes");
    assert!(stdout(&o).contains("tour.html"), "{}", stdout(&o));
    self_contained(&doc);
    machine_section(&doc, Lang::En);
    let tour = vmlab_json(&["tour"]);
    let records = tour["experiments"].as_array().unwrap();
    assert_eq!(records.len(), vmlab::demos::DEMOS.len());
    every_claim_with_its_verdict(&doc, records, Lang::En);
    // vm-tlb's curves: four lines on a log axis, with their names.
    let tlb = select(&doc, "#demo-tlb figure svg");
    assert_eq!(tlb.len(), 1);
    let curves = select_in(&tlb[0], "polyline[stroke-width='2']")
        .iter()
        .filter(|p| p.value().attr("points").unwrap().split(' ').count() > 10)
        .count();
    assert_eq!(curves, 4, "four measured curves (the legend's lines aside)");
    assert!(text(&tlb[0]).contains("4 KiB random"));
    // vm-faultcost's costs: one bar or "not measured" per row of its table.
    let bars = select(&doc, "#demo-faultcost svg.bars");
    assert_eq!(bars.len(), 1);
    let drawn = select_in(&bars[0], "rect").len() + text(&bars[0]).matches("not measured").count();
    assert_eq!(drawn, 7);
    // The segments diagram, drawn too.
    assert_eq!(select(&doc, "#demo-segments figure svg.space").len(), 1);
}

#[test]
fn a_report_in_spanish_has_no_english_sentence() {
    let dir = TempDir::new("vmlab-report-es");
    let names = ["segments", "faultcost"];
    let mut args = names.to_vec();
    args.extend(["--lang", "es"]);
    let (_, doc) = report(&dir.0, "es.html", &args);
    assert_eq!(select(&doc, "html[lang=es]").len(), 1);
    self_contained(&doc);
    machine_section(&doc, Lang::Es);
    every_claim_with_its_verdict(&doc, &records_of(&names), Lang::Es);
    // Prose, paragraph by paragraph and cell by cell (the machine's own words, such as
    // the kernel's version string, are quoted as they are).
    let prose: Vec<String> = select(
        &doc,
        "h1, h2, h3, p, li, th, table.claims td, figcaption, svg.bars text",
    )
    .iter()
    .map(text)
    .collect();
    let english: Vec<&String> = prose
        .iter()
        .filter(|p| !english_lines(p).is_empty())
        .collect();
    assert!(
        english.is_empty(),
        "English in the Spanish page: {english:#?}"
    );
    assert!(text(&select(&doc, "#summary h2")[0]).contains("Resumen"));
}

#[test]
fn bad_output_is_refused_before_any_demo_runs() {
    let dir = TempDir::new("vmlab-report-refused");
    std::fs::create_dir(dir.0.join("dir.html")).unwrap();
    let p = |name: &str| dir.0.join(name).to_str().unwrap().to_string();
    let cases: [(Vec<String>, i32, &str); 7] = [
        (vec!["-o".into(), p("r.txt")], 2, "must end in .html"),
        (vec!["-o".into(), p("dir.html")], 2, "is a directory"),
        (vec!["-o".into(), p("missing/r.html")], 3, "missing/r.html"),
        (
            vec!["-o".into(), "/proc/vmlab-report.html".into()],
            3,
            "/proc",
        ),
        (vec!["nosuch".into(), "-o".into(), p("r.html")], 2, "nosuch"),
        (
            vec!["--pid".into(), "999999999".into(), "-o".into(), p("r.html")],
            2,
            "999999999",
        ),
        (vec!["--json".into(), "-o".into(), p("r.html")], 2, "--json"),
    ];
    for (args, code, said) in cases {
        let mut all = vec!["report"];
        all.extend(args.iter().map(String::as_str));
        let o = vmlab(&all);
        assert_eq!(o.status.code(), Some(code), "{all:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with("error: ") && err.contains(said),
            "{all:?}: {err}"
        );
        assert!(!err.contains("[1/"), "a demo ran first: {err}");
    }
    let o = vmlab(&["report"]);
    assert_eq!(o.status.code(), Some(2), "no -o: {}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["dir.html"], "nothing written");
}

#[test]
fn a_report_replaces_the_old_one_whole() {
    let dir = TempDir::new("vmlab-report-replace");
    let path = dir.0.join("r.html");
    std::fs::write(&path, "an old report").unwrap();
    report(&dir.0, "r.html", &["translate"]);
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page:.100}");
    assert!(page.trim_end().ends_with("</html>"));
    let left: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["r.html"], "no temp file beside it");
}

#[test]
fn another_process_is_drawn_and_its_file_names_stay_text() {
    let dir = TempDir::new("vmlab-report-pid");
    // A file name may hold any byte but `/` and NUL.
    let name = "<img src=x onerror=alert(1)> &amp; \u{202e}gpj.sh";
    let file = dir.0.join(name);
    std::fs::write(&file, vec![7u8; 8192]).unwrap();
    let f = std::fs::File::open(&file).unwrap();
    // SAFETY: a read-only private mapping of a file this test made and does not change.
    let map = unsafe { memmap2::Mmap::map(&f) }.unwrap();
    let start = map.as_ptr() as u64;
    let me = std::process::id().to_string();
    let (_, doc) = report(&dir.0, "pid.html", &["translate", "--pid", &me]);
    self_contained(&doc);
    let title = text(&select(&doc, "#space h2")[0]);
    assert!(title.contains(&format!("(pid {me})")), "{title}");
    let regions = select(&doc, "#space svg.space g.region");
    let mine: Vec<_> = regions
        .iter()
        .filter(|g| text(g).contains("<img src=x onerror=alert(1)> &amp; "))
        .collect();
    assert_eq!(mine.len(), 1, "the mapped file, once");
    let drawn = text(mine[0]);
    let range = format!("{start:#x}-{:#x}", start + 8192);
    assert!(drawn.contains(&range), "at its addresses, {range}: {drawn}");
    assert!(
        drawn.contains("�gpj.sh"),
        "the direction override shown: {drawn}"
    );
    drop(map);
}

#[test]
fn without_root_the_page_says_what_was_hidden_and_keeps_every_claim() {
    let dir = TempDir::new("vmlab-report-unpriv");
    // The page is written by nobody: the directory must let it.
    std::fs::set_permissions(&dir.0, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let path = dir.0.join("nobody.html");
    let args = ["report", "cow", "-o", path.to_str().unwrap()];
    let Some(o) = run_unprivileged(VMLAB, &args) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Html::parse_document(&std::fs::read_to_string(&path).unwrap());
    self_contained(&doc);
    let facts: Vec<String> = select(&doc, "#machine td").iter().map(text).collect();
    assert!(
        facts
            .iter()
            .any(|f| f.contains("without CAP_SYS_ADMIN: frame numbers hidden")),
        "{facts:?}"
    );
    let records = records_of(&["cow"]);
    every_claim_with_its_verdict(&doc, &records, Lang::En);
    let unverifiable = select(&doc, "#demo-cow tr[data-verdict=unverifiable]");
    assert!(
        !unverifiable.is_empty(),
        "frame claims cannot be decided without root"
    );
}
