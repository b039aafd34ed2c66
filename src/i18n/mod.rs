//! Message catalogues: every text a person reads, in English and in Spanish.
//!
//! The course vmlab serves is taught in Spanish, from notes built on OSTEP; its
//! students should read vmlab in the notes' words (marco, desplazamiento, fallo de
//! página, copia en escritura). So no user-facing sentence is written in the code:
//! the code names a message (`cow-same-frames`) and the catalogue of the chosen
//! language says it. The catalogues are Project Fluent files (`src/i18n/en/*.ftl`,
//! `src/i18n/es/*.ftl`, one file per area, the same areas in both languages),
//! compiled into the binary, so a vmlab binary needs no files at run time.
//!
//! Fluent gives each language its own plural rules and lets a message carry
//! attributes: a claim is one message whose value is the statement and whose
//! `.theory` attribute is what theory predicts.
//!
//! ```text
//! cow-same-frames = after fork, parent and child map the same frames
//!     .theory = same PFN in both
//! ```
//!
//! The language is chosen once, at start-up, by the binary ([`choose`]): `--lang`,
//! then `VMLAB_LANG`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`); English when
//! none says Spanish. Numbers are passed to messages already formatted where their
//! form matters (hex stays hex in both languages); counts go in as numbers, so that
//! "1 page" and "2 pages" come out right.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::Serialize;

/// A language vmlab speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish (español), in the course notes' terms.
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// `en` or `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language a locale or language name such as `es_AR.UTF-8`, `es` or `en_US`
    /// stands for; `None` for a language vmlab does not speak (or `C`, `POSIX`).
    pub fn from_locale(name: &str) -> Option<Lang> {
        let lang = name
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the environment asks for: `VMLAB_LANG` if it names one vmlab
    /// speaks, else the locale that decides messages (the first set of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG`, as POSIX orders them), else English.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = var("VMLAB_LANG").as_deref().and_then(Lang::from_locale) {
            return l;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .and_then(|locale| Lang::from_locale(&locale))
            .unwrap_or_default()
    }
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// Chooses the language for this process, once: `flag` (from `--lang`) if given,
/// else what the environment says (see [`Lang::from_env`]). Later calls change
/// nothing and return the language already chosen.
pub fn choose(flag: Option<Lang>) -> Lang {
    *CHOSEN.get_or_init(|| flag.unwrap_or_else(|| Lang::from_env(|name| std::env::var(name).ok())))
}

/// The language chosen for this process (English until [`choose`] is called).
pub fn lang() -> Lang {
    CHOSEN.get().copied().unwrap_or_default()
}

// The areas (`AREAS`: one `.ftl` file per area and language, compiled in) and, per
// language, which area defines each message (`INDEX_EN`, `INDEX_ES`): indexed by
// build.rs, so that finding a message's area costs a binary search, not a scan of
// every catalogue at start-up.
include!(concat!(env!("OUT_DIR"), "/catalogue_index.rs"));

/// The catalogue text of `area` in `lang`.
fn sources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    AREAS.iter().map(move |&(area, en, es)| {
        (
            area,
            match lang {
                Lang::En => en,
                Lang::Es => es,
            },
        )
    })
}

type Bundle = FluentBundle<FluentResource>;

/// The index in `AREAS` of the area of `lang` that defines message `message`.
fn area_of(lang: Lang, message: &str) -> Option<usize> {
    let index = match lang {
        Lang::En => INDEX_EN,
        Lang::Es => INDEX_ES,
    };
    let at = index.binary_search_by(|(id, _)| (*id).cmp(message)).ok()?;
    Some(usize::from(index[at].1))
}

/// The bundle of the area that defines message `id` in `lang`, parsed the first time
/// one of its messages is asked for: a command uses a few of the areas, and parsing
/// them all took about as long as a small `vmlab pages` read.
fn bundle_of(lang: Lang, id: &str) -> Option<&'static Bundle> {
    static BUNDLES: [[OnceLock<Bundle>; AREAS.len()]; 2] =
        [const { [const { OnceLock::new() }; AREAS.len()] }; 2];
    let message = id.split_once('.').map_or(id, |(m, _)| m);
    let area = area_of(lang, message)?;
    Some(BUNDLES[lang as usize][area].get_or_init(|| {
        let (_, text) = sources(lang).nth(area).expect("an area of the index");
        let mut bundle = new_bundle(lang);
        // Broken entries are skipped (the tests demand none): their keys show instead.
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
        bundle
    }))
}

fn new_bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: terminals show them as junk.
    bundle.set_use_isolating(false);
    bundle
}

/// Builds the catalogue of `lang`, and the problems found on the way (syntax errors,
/// a message defined twice). The tests demand none; at run time a broken entry is
/// skipped, and its key shows instead of its text.
pub fn build(lang: Lang) -> (Bundle, Vec<String>) {
    let mut bundle = new_bundle(lang);
    let mut problems = Vec::new();
    for (area, text) in sources(lang) {
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, errors)| {
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("{}/{area}.ftl: {e:?}", lang.code())),
            );
            r
        });
        if let Err(errors) = bundle.add_resource(resource) {
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("{}/{area}.ftl: {e:?}", lang.code())),
            );
        }
    }
    (bundle, problems)
}

/// The text of message `id` (or of its attribute, `id.attribute`) in the chosen
/// language, with `args` filled in. A message missing there is taken from English;
/// missing in English too, the key itself is returned, so that nothing is silently
/// blank (the tests check every key used exists in both catalogues).
pub fn tr(id: &str, args: Option<&FluentArgs>) -> String {
    let chosen = lang();
    tr_in(chosen, id, args)
        .or_else(|| tr_in(Lang::En, id, args).filter(|_| chosen != Lang::En))
        .unwrap_or_else(|| id.to_string())
}

/// [`tr`] in a given language, whatever the process chose (for tests and for the
/// glossary, which prints both).
pub fn tr_in(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    format(bundle_of(lang, id)?, id, args)
}

fn format(bundle: &Bundle, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let (message, attribute) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    let message = bundle.get_message(message)?;
    let pattern = match attribute {
        Some(a) => message.get_attribute(a)?.value(),
        None => message.value()?,
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some(text.into_owned())
}

/// Every message id of `lang`'s catalogue, with its attributes (`id`, `id.theory`).
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys = Vec::new();
    for (_, text) in sources(lang) {
        let Ok(resource) = FluentResource::try_new(text.to_string()) else {
            continue;
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.push(m.id.name.to_string());
                for a in &m.attributes {
                    keys.push(format!("{}.{}", m.id.name, a.id.name));
                }
            }
        }
    }
    keys
}

pub use fluent_bundle::FluentArgs as Args;

/// The text of a catalogue message in the chosen language: `tr!("cow-title")`, or
/// with arguments, `tr!("cow-faults", count = 3, addr = format!("{va:#x}"))`.
/// Counts go in as numbers (plurals follow them); anything whose form matters
/// (hex, units) goes in as a string already formatted.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::tr($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $(args.set(stringify!($name), $value);)+
        $crate::i18n::tr($id, Some(&args))
    }};
}

#[cfg(test)]
mod tests;
