//! The experiment: the unit every demo produces.
//!
//! A demo works in three steps, each a function of its own:
//!
//! 1. **gather**: do the real thing (mmap, write, fork, fault) and fill a typed
//!    observation record: frames, counts, timings, and for each piece of evidence
//!    the kernel would not show, why ([`Evidence`]);
//! 2. **narrate**: the steps of the handout, read from that record;
//! 3. **judge**: the [`Claim`]s, a pure function of that record.
//!
//! Because judging is pure, every claim is unit-tested with a record that
//! contradicts it and one with its evidence missing (see `demos::claimtest`). A
//! claim's verdict cannot be written in: a [`ClaimDraft`] (from [`claim!`](crate::claim))
//! becomes a claim only by [`ClaimDraft::decide`] (a boolean computed from what was
//! observed), [`ClaimDraft::on`], [`ClaimDraft::unverifiable`], or
//! [`ClaimDraft::computed`] (theory's arithmetic, shown apart: it is not the kernel's
//! word).

use serde::{Deserialize, Serialize};

use crate::i18n::{self, Args};
use crate::tr;

/// The version of the JSON shape of experiments and tours: the one every vmlab JSON
/// document carries (see [`crate::json`]).
pub use crate::json::SCHEMA_VERSION;

/// What the kernel said about one claim of theory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum Verdict {
    /// The kernel could have shown otherwise, and did what theory predicts.
    Holds,
    /// The kernel did something else. Demos say so loudly.
    Contradicted,
    /// The kernel would not show enough to decide, for the stated reason.
    Unverifiable(String),
    /// Theory's arithmetic, worked out by vmlab: shown beside the kernel's verdicts,
    /// never counted as one.
    Computed,
}

impl Verdict {
    /// The verdict in the chosen language, as tables print it.
    pub fn text(&self) -> String {
        match self {
            Verdict::Holds => tr!("verdict-holds"),
            Verdict::Contradicted => tr!("verdict-contradicted"),
            Verdict::Unverifiable(_) => tr!("verdict-unverifiable"),
            Verdict::Computed => tr!("verdict-computed"),
        }
    }
}

/// One prediction of theory, what the kernel showed, and the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Stable name of the claim (`cow-same-frames`): its catalogue key, the same in
    /// every language, for tests, graders and `--json` readers.
    pub id: String,
    pub statement: String,
    /// What theory predicts, in a few words.
    pub theory: String,
    /// What the kernel showed, in a few words with the numbers; for a computed claim,
    /// the arithmetic.
    pub kernel: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// A claim stated but not yet decided. Make one with [`claim!`](crate::claim).
#[must_use = "a claim needs a verdict: decide, on, unverifiable or computed"]
#[derive(Clone, Debug)]
pub struct ClaimDraft {
    id: &'static str,
    statement: String,
    theory: String,
}

impl ClaimDraft {
    /// The claim `id` of the catalogue: its text is the statement, its `.theory`
    /// attribute the prediction, both filled in with `args`.
    pub fn new(id: &'static str, args: Option<&Args>) -> ClaimDraft {
        ClaimDraft {
            id,
            statement: i18n::tr(id, args),
            theory: i18n::tr(&format!("{id}.theory"), args),
        }
    }

    fn verdict(self, kernel: String, verdict: Verdict) -> Claim {
        Claim {
            id: self.id.to_string(),
            statement: self.statement,
            theory: self.theory,
            kernel,
            verdict,
        }
    }

    /// Decided by `holds`, which the caller computes from what the kernel showed
    /// (`kernel`, in words).
    pub fn decide(self, kernel: String, holds: bool) -> Claim {
        let verdict = if holds {
            Verdict::Holds
        } else {
            Verdict::Contradicted
        };
        self.verdict(kernel, verdict)
    }

    /// Decided by `judge` when the evidence was seen; unverifiable, with the reason
    /// it is missing, when not.
    pub fn on<T>(self, evidence: Evidence<T>, judge: impl FnOnce(T) -> (String, bool)) -> Claim {
        match evidence {
            Evidence::Seen(seen) => {
                let (kernel, holds) = judge(seen);
                self.decide(kernel, holds)
            }
            Evidence::Missing(m) => self.unverifiable(m.missing),
        }
    }

    /// The kernel would not let us decide, for `reason`.
    pub fn unverifiable(self, reason: impl Into<String>) -> Claim {
        self.verdict(
            tr!("kernel-not-visible"),
            Verdict::Unverifiable(reason.into()),
        )
    }

    /// Theory's arithmetic (`result`), shown as computed, not as the kernel's word.
    pub fn computed(self, result: String) -> Claim {
        self.verdict(result, Verdict::Computed)
    }
}

/// States claim `id` of the catalogue, its arguments filled in:
/// `claim!("cow-split", written = 3, kept = 5).on(evidence, |(old, new)| ...)`.
#[macro_export]
macro_rules! claim {
    ($id:literal) => {
        $crate::experiment::ClaimDraft::new($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $(args.set(stringify!($name), $value);)+
        $crate::experiment::ClaimDraft::new($id, Some(&args))
    }};
}

/// A piece of evidence: what the kernel showed, or why it would not.
///
/// In JSON a seen value is the value itself; a missing one is
/// `{"missing": "the reason"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Evidence<T> {
    Missing(Missing),
    Seen(T),
}

/// Why a piece of evidence is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub missing: String,
}

impl<T> Evidence<T> {
    pub fn missing(reason: impl Into<String>) -> Evidence<T> {
        Evidence::Missing(Missing {
            missing: reason.into(),
        })
    }

    /// `Seen` for `Some`, missing for `reason` otherwise.
    pub fn from_option(value: Option<T>, reason: impl FnOnce() -> String) -> Evidence<T> {
        match value {
            Some(v) => Evidence::Seen(v),
            None => Evidence::missing(reason()),
        }
    }

    pub fn as_ref(&self) -> Evidence<&T> {
        match self {
            Evidence::Seen(v) => Evidence::Seen(v),
            Evidence::Missing(m) => Evidence::Missing(m.clone()),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Evidence<U> {
        match self {
            Evidence::Seen(v) => Evidence::Seen(f(v)),
            Evidence::Missing(m) => Evidence::Missing(m),
        }
    }

    /// Both pieces, or the reason the first missing one is missing.
    pub fn zip<U>(self, other: Evidence<U>) -> Evidence<(T, U)> {
        match (self, other) {
            (Evidence::Seen(a), Evidence::Seen(b)) => Evidence::Seen((a, b)),
            (Evidence::Missing(m), _) | (_, Evidence::Missing(m)) => Evidence::Missing(m),
        }
    }

    pub fn seen(&self) -> Option<&T> {
        match self {
            Evidence::Seen(v) => Some(v),
            Evidence::Missing(_) => None,
        }
    }

    /// The reason, when missing.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Evidence::Seen(_) => None,
            Evidence::Missing(m) => Some(&m.missing),
        }
    }
}

/// A small table of strings, for a step of the narration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Catalogue keys of the terms and flags its cells use (`flag-owner-2`): a run
    /// explains each under the first table that shows it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legend: Vec<String>,
    /// Columns that may be left out, least important first, when the table is wider
    /// than the screen (`--wide` keeps them).
    #[serde(skip)]
    pub optional: Vec<usize>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            legend: Vec::new(),
            optional: Vec::new(),
        }
    }

    /// A table whose column names are already translated.
    pub fn with_columns(columns: Vec<String>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            legend: Vec::new(),
            optional: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// One step of the handout: a paragraph, and maybe a table or a drawing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Step {
    pub narration: String,
    pub table: Option<Table>,
    /// A drawing, laid out by the renderer to the screen's width.
    pub figure: Option<Figure>,
    /// Glossary keys of the terms its narration uses (`term-pss`): a run explains
    /// each under the first step that uses it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

/// A drawing in a step. The demo says what to draw; `render` lays it out to the
/// screen's width (nothing else formats to a width).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// An address space, top down: regions with the gaps between them.
    Map { regions: Vec<MapRegion> },
    /// Curves over a logarithmic x axis (one column per point).
    Chart(Chart),
}

/// One region of a [`Figure::Map`], highest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MapRegion {
    /// Its end (exclusive) and start addresses.
    #[serde(serialize_with = "crate::json::hex")]
    pub top: u64,
    #[serde(serialize_with = "crate::json::hex")]
    pub bottom: u64,
    /// What it is, in a few words (`stack rw-p 456 KiB [stack]`).
    pub label: String,
    /// What lives there (`← a stack variable, argv`), if anything.
    pub note: Option<String>,
    /// The gap between it and the region below (`8.0 GiB unmapped`), if any.
    pub gap_below: Option<String>,
}

/// A [`Figure::Chart`]: curves of (x, y) points sharing the same x values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub curves: Vec<Curve>,
    /// Rows of the plot area.
    pub height: usize,
    pub x_label: String,
    /// The unit of y, under the y axis (`ns`).
    pub y_unit: String,
}

/// One curve of a [`Chart`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    pub label: String,
    pub symbol: char,
    pub points: Vec<(u64, f64)>,
}

impl Step {
    /// A paragraph.
    pub fn say(narration: String) -> Step {
        Step {
            narration,
            ..Step::default()
        }
    }

    /// A paragraph and a table.
    pub fn show(narration: String, table: Table) -> Step {
        Step {
            narration,
            table: Some(table),
            ..Step::default()
        }
    }

    /// A paragraph and a drawing.
    pub fn draw(narration: String, figure: Figure) -> Step {
        Step {
            narration,
            figure: Some(figure),
            ..Step::default()
        }
    }

    /// The same step, with the glossary terms (`term-pss`) it uses explained where a
    /// run first meets them.
    pub fn with_terms(mut self, keys: &[&str]) -> Step {
        self.terms = keys.iter().map(|k| k.to_string()).collect();
        self
    }
}

/// Counts of verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub held: usize,
    pub contradicted: usize,
    pub unverifiable: usize,
    pub computed: usize,
}

impl Outcome {
    pub fn add(&mut self, o: Outcome) {
        self.held += o.held;
        self.contradicted += o.contradicted;
        self.unverifiable += o.unverifiable;
        self.computed += o.computed;
    }

    pub fn count(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Holds => self.held += 1,
            Verdict::Contradicted => self.contradicted += 1,
            Verdict::Unverifiable(_) => self.unverifiable += 1,
            Verdict::Computed => self.computed += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.held + self.contradicted + self.unverifiable + self.computed
    }

    /// 0 when nothing was contradicted, 1 when the kernel contradicted a claim.
    pub fn exit_code(&self) -> u8 {
        if self.contradicted > 0 {
            crate::error::exit::CONTRADICTED
        } else {
            crate::error::exit::OK
        }
    }
}

/// A demo's record: what it did, what it saw, what it concludes.
#[derive(Clone, Debug, Serialize)]
pub struct Experiment {
    pub schema_version: u32,
    /// Short name: `cow`, the demo binary being `vm-cow`.
    pub name: String,
    pub title: String,
    /// What the experiment shows, in one or two sentences.
    pub about: String,
    pub steps: Vec<Step>,
    pub claims: Vec<Claim>,
    /// The demo's typed observation record, as JSON: everything the claims were
    /// judged from, for graders and tests (`demos::<name>::Observation`).
    pub observation: serde_json::Value,
    /// What the kernel hid from this run, if anything (see `privilege`).
    pub notice: Option<String>,
    pub outcome: Outcome,
}

impl Experiment {
    pub fn new(name: &str, title: impl Into<String>, about: impl Into<String>) -> Experiment {
        Experiment {
            schema_version: SCHEMA_VERSION,
            name: name.into(),
            title: title.into(),
            about: about.into(),
            steps: Vec::new(),
            claims: Vec::new(),
            observation: serde_json::Value::Null,
            notice: None,
            outcome: Outcome::default(),
        }
    }

    /// The experiment's steps, claims and the record they come from.
    pub fn with(
        mut self,
        steps: Vec<Step>,
        claims: Vec<Claim>,
        observation: &impl Serialize,
    ) -> Experiment {
        self.steps = steps;
        for c in claims {
            self.claim(c);
        }
        self.observation = serde_json::to_value(observation).unwrap_or(serde_json::Value::Null);
        self
    }

    pub fn claim(&mut self, claim: Claim) {
        self.outcome.count(&claim.verdict);
        self.claims.push(claim);
    }

    pub fn exit_code(&self) -> u8 {
        self.outcome.exit_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(id: &'static str) -> ClaimDraft {
        ClaimDraft {
            id,
            statement: id.into(),
            theory: "t".into(),
        }
    }

    #[test]
    fn verdicts_follow_observations() {
        let (a, b) = (0x1a2b3u64, 0x2c4d5u64);
        let claims = vec![
            draft("same").decide(format!("{a:#x} vs {b:#x}"), a == b),
            draft("offset").on(Evidence::Seen(0x234u64), |o| {
                (format!("{o:#x}"), o == 0x234)
            }),
            draft("flags").on(Evidence::<u64>::missing("needs root"), |_| {
                (String::new(), true)
            }),
            draft("size").computed("2^36 × 8 B = 512 GiB".into()),
        ];
        let e = Experiment::new("t", "T", "about").with(Vec::new(), claims, &());
        assert_eq!(e.claims[0].verdict, Verdict::Contradicted);
        assert_eq!(e.claims[1].verdict, Verdict::Holds);
        assert_eq!(
            e.claims[2].verdict,
            Verdict::Unverifiable("needs root".into())
        );
        assert_eq!(e.claims[3].verdict, Verdict::Computed);
        assert_eq!(
            e.outcome,
            Outcome {
                held: 1,
                contradicted: 1,
                unverifiable: 1,
                computed: 1
            }
        );
        assert_eq!(e.exit_code(), 1, "a contradiction fails the experiment");
    }

    #[test]
    fn computed_and_unverifiable_alone_are_success() {
        let mut o = Outcome::default();
        o.count(&Verdict::Computed);
        o.count(&Verdict::Unverifiable("why".into()));
        assert_eq!(o.exit_code(), 0);
    }

    #[test]
    fn json_shape_is_stable() {
        let c = draft("s").unverifiable("r");
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["id"], "s");
        assert_eq!(v["verdict"], "unverifiable");
        assert_eq!(v["reason"], "r");
        let v = serde_json::to_value(draft("s").decide("k".into(), true)).unwrap();
        assert_eq!(v["verdict"], "holds");
        assert_eq!(v["kernel"], "k");
        let v = serde_json::to_value(draft("s").computed("1 + 1 = 2".into())).unwrap();
        assert_eq!(v["verdict"], "computed");
    }

    #[test]
    fn evidence_reads_back_from_json() {
        let seen: Evidence<Vec<u64>> = Evidence::Seen(vec![1, 2]);
        let missing: Evidence<Vec<u64>> = Evidence::missing("hidden");
        let (s, m) = (
            serde_json::to_value(&seen).unwrap(),
            serde_json::to_value(&missing).unwrap(),
        );
        assert_eq!(s, serde_json::json!([1, 2]));
        assert_eq!(m, serde_json::json!({"missing": "hidden"}));
        assert_eq!(
            serde_json::from_value::<Evidence<Vec<u64>>>(s).unwrap(),
            seen
        );
        assert_eq!(
            serde_json::from_value::<Evidence<Vec<u64>>>(m).unwrap(),
            missing
        );
        assert_eq!(seen.clone().zip(missing.clone()).reason(), Some("hidden"));
    }
}
