//! The catalogues are complete and consistent: both parse, both hold the same keys,
//! a message takes the same arguments in both languages, and every key the code
//! names exists while every key the catalogues hold is named somewhere.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

#[test]
fn both_catalogues_build_without_problems() {
    for lang in Lang::ALL {
        let (_, problems) = build(lang);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

/// Each area is parsed into a bundle of its own when first used (see `catalogue`), so
/// a message that referred to a message or term of another area would show `{id}`.
/// None refers to any: keep it so, or put both in one area and test it here.
#[test]
fn no_message_refers_to_another() {
    for lang in Lang::ALL {
        let refs: Vec<(String, String)> = variables(lang)
            .into_iter()
            .flat_map(|(key, vars)| vars.into_iter().map(move |v| (key.clone(), v)))
            .filter(|(_, v)| v.starts_with('@') || v.starts_with('-'))
            .collect();
        assert!(refs.is_empty(), "{}: {refs:?}", lang.code());
    }
}

/// build.rs finds each message's area by a scan of the catalogue text; the Fluent
/// parser must find the same messages in the same areas, and the index must be sorted
/// for its binary search.
#[test]
fn the_index_names_the_area_the_parser_finds_each_message_in() {
    for lang in Lang::ALL {
        let mut parsed: Vec<(String, usize)> = Vec::new();
        for (i, (_, text)) in sources(lang).enumerate() {
            let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(r, _)| r);
            parsed.extend(resource.body.iter().filter_map(|e| match e {
                ast::Entry::Message(m) => Some((m.id.name.to_string(), i)),
                _ => None,
            }));
        }
        parsed.sort();
        let index = match lang {
            Lang::En => INDEX_EN,
            Lang::Es => INDEX_ES,
        };
        let indexed: Vec<(String, usize)> = index
            .iter()
            .map(|&(id, area)| (id.to_string(), usize::from(area)))
            .collect();
        assert_eq!(indexed, parsed, "{}", lang.code());
        assert!(
            index.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, once each"
        );
        for (id, area) in parsed {
            assert_eq!(area_of(lang, &id), Some(area), "{id}");
        }
        assert_eq!(area_of(lang, "no-such-message"), None);
    }
}

#[test]
fn both_catalogues_hold_the_same_keys() {
    let en: BTreeSet<String> = keys(Lang::En).into_iter().collect();
    let es: BTreeSet<String> = keys(Lang::Es).into_iter().collect();
    let only_en: Vec<_> = en.difference(&es).collect();
    let only_es: Vec<_> = es.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_es.is_empty(),
        "only in English: {only_en:?}\nonly in Spanish: {only_es:?}"
    );
}

/// Every `$variable` of each message and attribute, by key.
fn variables(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (_, text) in sources(lang) {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(r, _)| r);
        for entry in &resource.body {
            let ast::Entry::Message(m) = entry else {
                continue;
            };
            if let Some(p) = &m.value {
                out.insert(m.id.name.to_string(), pattern_vars(p));
            }
            for a in &m.attributes {
                out.insert(
                    format!("{}.{}", m.id.name, a.id.name),
                    pattern_vars(&a.value),
                );
            }
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut vars = BTreeSet::new();
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, &mut vars);
        }
    }
    vars
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                vars.extend(pattern_vars(&v.value));
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        // References to other messages and terms are collected as `@id` and `-id`.
        ast::InlineExpression::MessageReference { id, .. } => {
            vars.insert(format!("@{}", id.name));
        }
        ast::InlineExpression::TermReference { id, .. } => {
            vars.insert(format!("-{}", id.name));
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn a_message_takes_the_same_arguments_in_both_languages() {
    let (en, es) = (variables(Lang::En), variables(Lang::Es));
    let differ: Vec<_> = en
        .iter()
        .filter(|(k, v)| es.get(*k).is_some_and(|w| w != *v))
        .map(|(k, v)| format!("{k}: en {v:?}, es {:?}", es[k]))
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
}

/// The Rust sources of the crate, as (path, text).
fn sources_of_crate() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["src", "demos"] {
        walk(&root.join(dir), &mut out);
    }
    out
}

/// The literal first argument of every call of the macros that take a key.
fn keys_named_in_code() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in sources_of_crate() {
        // Doc comments show example keys; only code counts.
        let text: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect();
        for mac in ["tr!(", "claim!("] {
            for (at, _) in text.match_indices(mac) {
                // `include_str!(` is not `tr!(`.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = text[at + mac.len()..].trim_start();
                if let Some(lit) = rest.strip_prefix('"') {
                    let key = lit.split('"').next().unwrap_or("");
                    let is_key = key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.".contains(c));
                    if is_key && !key.is_empty() {
                        found.push((path.clone(), key.to_string()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_key_the_code_names_exists_in_both_catalogues() {
    for lang in Lang::ALL {
        let known: BTreeSet<String> = keys(lang).into_iter().collect();
        let missing: Vec<_> = keys_named_in_code()
            .into_iter()
            .filter(|(_, k)| !known.contains(k))
            .collect();
        assert!(missing.is_empty(), "{}: {missing:#?}", lang.code());
    }
}

#[test]
fn every_message_is_used_somewhere() {
    // A message counts as used when the code names it, or one of its attributes, as
    // a string literal (the macros, and registries such as the demo list), or when
    // another message refers to it.
    let code: String = sources_of_crate().into_iter().map(|(_, t)| t).collect();
    let catalogue: String = sources(Lang::En).map(|(_, t)| t).collect();
    let unused: Vec<String> = keys(Lang::En)
        .into_iter()
        .filter(|k| !k.contains('.'))
        .filter(|k| {
            let quoted = format!("\"{k}\"");
            let attribute = format!("\"{k}.");
            let referenced = format!("{{ {k}");
            !code.contains(&quoted)
                && !code.contains(&attribute)
                && !catalogue.contains(&referenced)
        })
        .collect();
    assert!(unused.is_empty(), "messages nothing uses: {unused:#?}");
}

#[test]
fn the_environment_chooses_the_language() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(Lang::from_env(env(&[])), Lang::En);
    assert_eq!(Lang::from_env(env(&[("LANG", "es_AR.UTF-8")])), Lang::Es);
    assert_eq!(
        Lang::from_env(env(&[("LANG", "es_ES.UTF-8"), ("LC_ALL", "C")])),
        Lang::En
    );
    assert_eq!(
        Lang::from_env(env(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "es_MX")])),
        Lang::Es
    );
    assert_eq!(
        Lang::from_env(env(&[("LC_ALL", ""), ("LANG", "es")])),
        Lang::Es
    );
    assert_eq!(
        Lang::from_env(env(&[("VMLAB_LANG", "es"), ("LANG", "en_GB")])),
        Lang::Es
    );
    assert_eq!(
        Lang::from_env(env(&[("VMLAB_LANG", "en"), ("LANG", "es_CL")])),
        Lang::En
    );
    // A language vmlab does not speak is passed over, not an error.
    assert_eq!(
        Lang::from_env(env(&[("VMLAB_LANG", "fr"), ("LANG", "es_UY")])),
        Lang::Es
    );
}

#[test]
fn plurals_follow_each_language() {
    let mut args = Args::new();
    args.set("count", 1);
    assert_eq!(tr_in(Lang::En, "pages", Some(&args)).unwrap(), "1 page");
    assert_eq!(tr_in(Lang::Es, "pages", Some(&args)).unwrap(), "1 página");
    args.set("count", 3);
    assert_eq!(tr_in(Lang::En, "pages", Some(&args)).unwrap(), "3 pages");
    assert_eq!(tr_in(Lang::Es, "pages", Some(&args)).unwrap(), "3 páginas");
}
