//! `vmlab course`: the notes' chapters and concepts, each with the command that shows
//! it, in both languages, within the width asked for.

mod common;

use common::*;

#[test]
fn every_concept_names_a_command_or_says_why_not() {
    let chapters = vmlab_json(&["course"]);
    let chapters = chapters["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 5, "five chapters of notes");
    for ch in chapters {
        for c in ch["concepts"].as_array().unwrap() {
            let shown = c["shown_by"].as_array().unwrap();
            assert!(!shown.is_empty() || c["out_of_scope"].is_string(), "{c}");
        }
    }
}

#[test]
fn the_course_fits_the_width_in_both_languages() {
    for lang in ["en", "es"] {
        for width in [60usize, 80] {
            let w = width.to_string();
            let o = vmlab(&["course", "--lang", lang, "--width", &w, "--color", "never"]);
            assert_eq!(o.status.code(), Some(0));
            let out = stdout(&o);
            for line in out.lines() {
                let cols = unicode_width::UnicodeWidthStr::width(line);
                assert!(cols <= width, "{lang} {width}: {line:?}");
            }
            let goal = if lang == "es" {
                "transparencia"
            } else {
                "transparency"
            };
            assert!(out.contains(goal), "{out}");
        }
    }
}

#[test]
fn the_glossary_pairs_the_course_terms_in_both_languages() {
    let entries = vmlab_json(&["glossary"]);
    let entries = entries["terms"].as_array().unwrap();
    let frame = entries.iter().find(|e| e["id"] == "frame").unwrap();
    assert!(frame["es"].as_str().unwrap().contains("marco"));
    assert!(frame["en"].as_str().unwrap().contains("frame"));
    for lang in ["en", "es"] {
        let o = vmlab(&[
            "glossary", "--lang", lang, "--width", "60", "--color", "never",
        ]);
        assert_eq!(o.status.code(), Some(0));
        let out = stdout(&o);
        for term in [
            "copia en escritura",
            "fragmentación interna",
            "desplazamiento",
        ] {
            assert!(out.contains(term), "{lang}: no '{term}'");
        }
        for line in out.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 60,
                "{line:?}"
            );
        }
    }
}
