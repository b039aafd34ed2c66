//! The experiment: the unit every demo produces.
//!
//! A demo states what theory predicts, does the real thing (mmap, write, fork, fault),
//! observes the result through /proc, and records [`Claim`]s. A claim's verdict is
//! computed from what was observed, by the demo's own comparison, never written in:
//! the only constructors are [`Claim::check`] (a boolean computed from observations)
//! and [`Claim::unverifiable`] (with the reason the kernel would not tell).

use std::collections::BTreeMap;

use serde::Serialize;

/// What the kernel said about one claim of theory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum Verdict {
    /// The kernel did what theory predicts.
    Holds,
    /// The kernel did something else. Demos say so loudly.
    Contradicted,
    /// The kernel would not show enough to decide, for the stated reason.
    Unverifiable(String),
}

/// One prediction of theory, what the kernel showed, and the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub statement: String,
    /// What theory predicts, in a few words.
    pub theory: String,
    /// What the kernel showed, in a few words (with the numbers).
    pub kernel: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Claim {
    /// A claim decided by `holds`, which the caller computes from observations.
    pub fn check(statement: &str, theory: &str, kernel: String, holds: bool) -> Claim {
        Claim {
            statement: statement.into(),
            theory: theory.into(),
            kernel,
            verdict: if holds {
                Verdict::Holds
            } else {
                Verdict::Contradicted
            },
        }
    }

    /// A claim the kernel would not let us decide, and why.
    pub fn unverifiable(statement: &str, theory: &str, reason: &str) -> Claim {
        Claim {
            statement: statement.into(),
            theory: theory.into(),
            kernel: "not visible".into(),
            verdict: Verdict::Unverifiable(reason.into()),
        }
    }

    /// `check` when the observation exists, `unverifiable(reason)` when it does not.
    pub fn check_if<T>(
        statement: &str,
        theory: &str,
        observed: Option<T>,
        describe: impl FnOnce(&T) -> (String, bool),
        reason: &str,
    ) -> Claim {
        match observed {
            Some(o) => {
                let (kernel, holds) = describe(&o);
                Claim::check(statement, theory, kernel, holds)
            }
            None => Claim::unverifiable(statement, theory, reason),
        }
    }
}

/// A small table of strings, for a step of the narration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// One step of the handout: a paragraph, and maybe a table or a drawing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Step {
    pub narration: String,
    pub table: Option<Table>,
    /// Preformatted text (a diagram), printed as is.
    pub figure: Option<String>,
}

/// Counts of verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub held: usize,
    pub contradicted: usize,
    pub unverifiable: usize,
}

impl Outcome {
    pub fn add(&mut self, o: Outcome) {
        self.held += o.held;
        self.contradicted += o.contradicted;
        self.unverifiable += o.unverifiable;
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
    /// Short name: `cow`, the demo binary being `vm-cow`.
    pub name: String,
    pub title: String,
    /// What the experiment shows, in one or two sentences.
    pub about: String,
    pub steps: Vec<Step>,
    pub claims: Vec<Claim>,
    /// Raw observations by name (PFNs, addresses, counts), for graders and tests.
    pub observations: BTreeMap<String, serde_json::Value>,
    /// What the kernel hid from this run, if anything (see `privilege`).
    pub notice: Option<String>,
    pub outcome: Outcome,
}

impl Experiment {
    pub fn new(name: &str, title: &str, about: &str) -> Experiment {
        Experiment {
            name: name.into(),
            title: title.into(),
            about: about.into(),
            steps: Vec::new(),
            claims: Vec::new(),
            observations: BTreeMap::new(),
            notice: None,
            outcome: Outcome::default(),
        }
    }

    pub fn say(&mut self, narration: impl Into<String>) {
        self.steps.push(Step {
            narration: narration.into(),
            ..Step::default()
        });
    }

    pub fn show(&mut self, narration: impl Into<String>, table: Table) {
        self.steps.push(Step {
            narration: narration.into(),
            table: Some(table),
            figure: None,
        });
    }

    pub fn draw(&mut self, narration: impl Into<String>, figure: String) {
        self.steps.push(Step {
            narration: narration.into(),
            table: None,
            figure: Some(figure),
        });
    }

    pub fn observe(&mut self, name: &str, value: impl Serialize) {
        let v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        self.observations.insert(name.into(), v);
    }

    pub fn claim(&mut self, claim: Claim) {
        match claim.verdict {
            Verdict::Holds => self.outcome.held += 1,
            Verdict::Contradicted => self.outcome.contradicted += 1,
            Verdict::Unverifiable(_) => self.outcome.unverifiable += 1,
        }
        self.claims.push(claim);
    }

    pub fn exit_code(&self) -> u8 {
        self.outcome.exit_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_observations() {
        let mut e = Experiment::new("t", "T", "about");
        let (a, b) = (0x1a2b3u64, 0x2c4d5u64);
        e.claim(Claim::check(
            "same frame",
            "same PFN",
            format!("{a:#x} vs {b:#x}"),
            a == b,
        ));
        e.claim(Claim::check(
            "offset kept",
            "0x234",
            "0x234".into(),
            0x234 == 0x234,
        ));
        e.claim(Claim::unverifiable("flags", "ZERO_PAGE", "needs root"));
        assert_eq!(e.claims[0].verdict, Verdict::Contradicted);
        assert_eq!(e.claims[1].verdict, Verdict::Holds);
        assert_eq!(
            e.outcome,
            Outcome {
                held: 1,
                contradicted: 1,
                unverifiable: 1
            }
        );
        assert_eq!(e.exit_code(), 1, "a contradiction fails the experiment");
    }

    #[test]
    fn unverifiable_alone_is_success() {
        let mut e = Experiment::new("t", "T", "about");
        e.claim(Claim::check_if(
            "x",
            "y",
            None::<u64>,
            |_| (String::new(), true),
            "why",
        ));
        assert_eq!(e.exit_code(), 0);
        assert_eq!(e.claims[0].verdict, Verdict::Unverifiable("why".into()));
    }

    #[test]
    fn json_shape_is_stable() {
        let c = Claim::unverifiable("s", "t", "r");
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["verdict"], "unverifiable");
        assert_eq!(v["reason"], "r");
        let c = Claim::check("s", "t", "k".into(), true);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["verdict"], "holds");
        assert_eq!(v["kernel"], "k");
    }
}
