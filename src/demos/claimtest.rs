//! The contract every claim of every demo keeps, checked by unit tests: fed a record
//! where the kernel did otherwise, the claim says `contradicted`; fed a record where
//! its evidence is missing, it says `unverifiable`; and theory's arithmetic is always
//! `computed`, never a kernel verdict. A claim that can only hold is a claim that
//! proves nothing.
//!
//! Each demo describes its cases once (`claim_tests` in its module):
//!
//! ```ignore
//! claims_of(judge, holding_record())
//!     .case("cow-same-frames", |o| o.child_after_fork[0].pfn = Some(Pfn(9)), |o| hide_frames(o))
//!     .computed("translate-book-example")
//!     .done()
//! ```
//!
//! and `demos::tests` checks every demo of [`super::DEMOS`] against the contract, so a
//! claim added without its cases fails the build's tests.

use std::collections::BTreeSet;

use crate::experiment::{Claim, Verdict};

/// One claim's two failing records, judged.
pub struct Case {
    pub id: &'static str,
    /// The claims judged from a record that contradicts claim `id`.
    pub contradicted: Vec<Claim>,
    /// The claims judged from a record where claim `id`'s evidence is missing.
    pub missing: Vec<Claim>,
}

/// A demo's claims judged from a record where everything holds, and its cases.
pub struct ClaimTests {
    pub holding: Vec<Claim>,
    pub cases: Vec<Case>,
    /// The claims that are theory's arithmetic.
    pub computed: Vec<&'static str>,
}

/// Builds a demo's [`ClaimTests`] from its judge and a record where every claim holds.
pub struct Builder<O> {
    judge: fn(&O) -> Vec<Claim>,
    holding: O,
    tests: ClaimTests,
}

/// Starts the cases of `judge`, from `holding`, a record where every claim holds.
pub fn claims_of<O: Clone>(judge: fn(&O) -> Vec<Claim>, holding: O) -> Builder<O> {
    let tests = ClaimTests {
        holding: judge(&holding),
        cases: Vec::new(),
        computed: Vec::new(),
    };
    Builder {
        judge,
        holding,
        tests,
    }
}

impl<O: Clone> Builder<O> {
    /// Claim `id`: `contradict` changes the holding record into one where the kernel
    /// did otherwise; `hide` into one where the claim's evidence is missing.
    pub fn case(
        mut self,
        id: &'static str,
        contradict: impl FnOnce(&mut O),
        hide: impl FnOnce(&mut O),
    ) -> Self {
        let mut c = self.holding.clone();
        contradict(&mut c);
        let mut m = self.holding.clone();
        hide(&mut m);
        self.tests.cases.push(Case {
            id,
            contradicted: (self.judge)(&c),
            missing: (self.judge)(&m),
        });
        self
    }

    /// Claim `id` is theory's arithmetic: `computed` whatever the record.
    pub fn computed(mut self, id: &'static str) -> Self {
        self.tests.computed.push(id);
        self
    }

    pub fn done(self) -> ClaimTests {
        self.tests
    }
}

fn verdict_of<'a>(claims: &'a [Claim], id: &str) -> Option<&'a Verdict> {
    claims.iter().find(|c| c.id == id).map(|c| &c.verdict)
}

fn ids(claims: &[Claim]) -> Vec<&str> {
    claims.iter().map(|c| c.id.as_str()).collect()
}

/// What breaks the contract in `t`, in words; empty when nothing does.
pub fn problems(demo: &str, t: &ClaimTests) -> Vec<String> {
    let mut out = Vec::new();
    let all = ids(&t.holding);
    let unique: BTreeSet<&str> = all.iter().copied().collect();
    if unique.len() != all.len() || unique.contains("") {
        out.push(format!(
            "{demo}: claim ids must be unique and non-empty: {all:?}"
        ));
    }
    for c in &t.holding {
        let computed = t.computed.contains(&c.id.as_str());
        match (&c.verdict, computed) {
            (Verdict::Holds, false) | (Verdict::Computed, true) => {}
            (v, _) => out.push(format!(
                "{demo}: {} is {v:?} on the holding record (declared computed: {computed})",
                c.id
            )),
        }
        if c.statement == c.id || c.theory.ends_with(".theory") {
            out.push(format!(
                "{demo}: {} has no text (or no .theory) in the catalogue",
                c.id
            ));
        }
    }
    for id in &unique {
        let cases = t.cases.iter().filter(|c| c.id == *id).count();
        let computed = t.computed.contains(id);
        if cases != usize::from(!computed) {
            out.push(format!(
                "{demo}: {id} has {cases} cases (a kernel claim needs one, a computed one none)"
            ));
        }
    }
    for case in &t.cases {
        out.extend(case_problems(demo, case, &all, &t.computed));
    }
    out
}

fn case_problems(demo: &str, case: &Case, all: &[&str], computed: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let id = case.id;
    for (what, claims) in [
        ("contradicting", &case.contradicted),
        ("missing", &case.missing),
    ] {
        if ids(claims) != all {
            out.push(format!(
                "{demo}: the {what} record of {id} changes which claims are made: {:?}",
                ids(claims)
            ));
        }
        for c in computed {
            if verdict_of(claims, c) != Some(&Verdict::Computed) {
                out.push(format!(
                    "{demo}: computed claim {c} is not computed on {id}'s {what} record"
                ));
            }
        }
    }
    match verdict_of(&case.contradicted, id) {
        Some(Verdict::Contradicted) => {}
        v => out.push(format!("{demo}: {id} on its contradicting record is {v:?}")),
    }
    match verdict_of(&case.missing, id) {
        Some(Verdict::Unverifiable(_)) => {}
        v => out.push(format!("{demo}: {id} with its evidence missing is {v:?}")),
    }
    out
}

/// Fails, listing every problem, unless `t` keeps the contract.
#[track_caller]
pub fn assert_contract(demo: &str, t: &ClaimTests) {
    let p = problems(demo, t);
    assert!(p.is_empty(), "{}", p.join("\n"));
}
