//! The page from made-up records, read back with an HTML parser: what the records
//! say is on the page, in the page's structure, and nothing can run or be fetched.

use scraper::{Html, Selector};

use super::*;
use crate::addr::{Paging, PagingLevels, VirtAddr};
use crate::experiment::{Claim, Figure, MapRegion, Step, Table, Verdict};
use crate::inspect::Target;
use crate::privilege::Privilege;
use crate::space::{Perms, Region};

fn claim(id: &str, verdict: Verdict) -> Claim {
    Claim {
        id: id.into(),
        statement: format!("statement of {id} <b>&"),
        theory: "theory".into(),
        kernel: "kernel".into(),
        verdict,
    }
}

fn experiment() -> Experiment {
    let mut e = Experiment::new("t", "a <test> title", "About & more.");
    let mut table = Table::new(&["page", "flags"]);
    table.row(vec!["0x7f00".into(), "uptodate lru".into()]);
    table.legend = vec!["flag-owner-2".into()];
    e.steps = vec![
        Step::show("first\nsecond line".into(), table),
        Step::draw(
            "the map".into(),
            Figure::Map {
                regions: vec![MapRegion {
                    top: 0x2000,
                    bottom: 0x1000,
                    label: "stack   rw-p   4 KiB  [stack]".into(),
                    note: Some("← argv".into()),
                    gap_below: None,
                }],
            },
        ),
    ];
    for c in [
        claim("t-holds", Verdict::Holds),
        claim("t-contradicted", Verdict::Contradicted),
        claim("t-unverifiable", Verdict::Unverifiable("needs root".into())),
        claim("t-again", Verdict::Unverifiable("needs root".into())),
        claim("t-computed", Verdict::Computed),
    ] {
        e.claim(c);
    }
    e
}

fn machine() -> Machine {
    Machine {
        kernel: "Linux 6.18.0 #1 SMP".into(),
        arch: "x86_64".into(),
        cpu: Some("A CPU".into()),
        cpus: 2,
        memory: Some(24 << 30),
        paging: Paging::new(4096, PagingLevels::Four),
        thp_enabled: Some("always [madvise] never".into()),
        thp_defrag: Some("[madvise] never".into()),
        aslr: Some("2".into()),
        privilege: Privilege {
            pfns_visible: false,
            kpagecount: crate::frames::Access::Denied,
            kpageflags: crate::frames::Access::Denied,
            cap_sys_admin: false,
            euid: 1000,
        },
        started: 0,
        vmlab_version: "0.1.0",
    }
}

fn space() -> MapsReport {
    let region = |start: u64, end: u64, kind, backing: &str| Region {
        start: VirtAddr(start),
        end: VirtAddr(end),
        perms: Perms {
            read: true,
            write: false,
            exec: true,
            shared: false,
        },
        kind,
        backing: backing.into(),
        backing_bytes: None,
        offset: 0,
        inode: 0,
        usage: None,
    };
    MapsReport {
        target: Target {
            pid: 42,
            command: "<evil>\u{1b}".into(),
            ..Target::resolve("self").expect("this process")
        },
        exe: None,
        regions: vec![
            region(
                0x1000,
                0x9000,
                RegionKind::Text,
                "/tmp/<script>alert(1)</script>\n",
            ),
            region(
                0x7ff0_0000_0000,
                0x7ff0_0002_1000,
                RegionKind::Stack,
                "[stack]",
            ),
        ],
        total: Default::default(),
        total_size: 0x29000,
    }
}

fn page() -> Html {
    let experiments = [experiment()];
    let (m, s) = (machine(), space());
    let text = html(&Report {
        machine: &m,
        space: &s,
        experiments: &experiments,
    });
    Html::parse_document(&text)
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text().collect()
}

#[test]
fn every_claim_is_a_row_with_its_verdict_in_words() {
    let doc = page();
    let rows = select(&doc, "table.claims tbody tr");
    let seen: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let v = r.value();
            let verdict = select_in(r, "td.verdict");
            (
                v.attr("data-claim").unwrap().to_string(),
                v.attr("data-verdict").unwrap().to_string(),
                verdict,
            )
        })
        .collect();
    let expected = [
        ("t-holds", "holds", "✓ holds"),
        ("t-contradicted", "contradicted", "✗ CONTRADICTED"),
        ("t-unverifiable", "unverifiable", "? unverifiable [1]"),
        ("t-again", "unverifiable", "? unverifiable [1]"),
        ("t-computed", "computed", "= computed"),
    ];
    assert_eq!(seen.len(), expected.len());
    for ((id, v, shown), (eid, ev, eshown)) in seen.iter().zip(expected) {
        assert_eq!((id.as_str(), v.as_str(), shown.as_str()), (eid, ev, eshown));
    }
    let reasons = select(&doc, "ol.reasons li");
    assert_eq!(reasons.len(), 1, "one reason, numbered once");
    assert_eq!(text(&reasons[0]), "needs root");
    assert_eq!(reasons[0].value().attr("id"), Some("t-reason-1"));
    let loud = select(&doc, "p.contradiction");
    assert_eq!(loud.len(), 1);
    assert!(text(&loud[0]).contains("statement of t-contradicted <b>&"));
    assert_eq!(
        select(&doc, "p.outcome.bad").len(),
        2,
        "the demo's and the total"
    );
}

fn select_in(e: &scraper::ElementRef, css: &str) -> String {
    e.select(&Selector::parse(css).unwrap())
        .map(|x| x.text().collect::<String>())
        .collect()
}

#[test]
fn nothing_runs_and_nothing_is_fetched() {
    let doc = page();
    assert!(select(&doc, "script, iframe, object, embed, link, img, form").is_empty());
    for e in select(&doc, "*") {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}");
            if matches!(name, "href" | "src" | "xlink:href" | "action") {
                assert!(value.starts_with('#'), "{name}={value}");
            }
        }
    }
    // The file name and the command hold markup; they stay text.
    let svg = select(&doc, "#space svg.space");
    assert_eq!(svg.len(), 1);
    let drawn = text(&svg[0]);
    assert!(drawn.contains("/tmp/<script>alert(1)</script>␊"), "{drawn}");
    let h2: Vec<String> = select(&doc, "#space h2").iter().map(text).collect();
    assert_eq!(h2, ["The address space of <evil>␛ (pid 42)"]);
}

#[test]
fn the_machine_and_the_steps_are_there() {
    let doc = page();
    let facts: Vec<String> = select(&doc, "#machine td").iter().map(text).collect();
    assert!(
        facts.contains(&"Linux 6.18.0 #1 SMP".to_string()),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|f| f.starts_with("madvise (always [madvise] never)"))
    );
    assert!(
        facts
            .iter()
            .any(|f| f.contains("uid 1000, without CAP_SYS_ADMIN"))
    );
    let steps = select(&doc, "#demo-t ol.steps > li");
    assert_eq!(steps.len(), 2);
    assert_eq!(
        select(&doc, "#demo-t ol.steps > li:first-child p br").len(),
        1
    );
    assert_eq!(select(&doc, "#demo-t td.t").len(), 1, "0x7f00 is one token");
    let legend: Vec<String> = select(&doc, "dl.legend dt").iter().map(text).collect();
    assert_eq!(legend, ["owner_2"]);
    assert_eq!(select(&doc, "#demo-t figure svg.space").len(), 1);
    let nav: Vec<&str> = select(&doc, "nav a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(nav, ["#machine", "#summary", "#space", "#demo-t"]);
    let total: Vec<String> = select(&doc, "#summary tfoot .n").iter().map(text).collect();
    assert_eq!(total, ["1", "1", "2", "1"]);
}
