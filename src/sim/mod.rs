//! Simulators for what the kernel does not show: base and bounds, segmentation,
//! free-space management, linear and multi-level page tables walked by hand, TLB and
//! page-replacement policies.
//!
//! Every simulator is a [`Simulator`]: its flags (`Options`, whose serde is the
//! exercise's `params`) are checked into a `Config`; a seed draws a `Problem` (every
//! value decided: addresses, registers, operations, reference string); `solve` works
//! it out (a pure function: no strings, no I/O); `exercise` writes the text, as typed
//! [`Block`]s and numbered [`Question`]s with typed [`Answer`]s, through the message
//! catalogues; `real` measures the concept on this machine (`--real`). [`make`] runs
//! the pipeline into a [`Sheet`], which `render::sim` lays out for a screen and
//! `--json` serializes; [`grade::grade`] checks an answers file against it.
//!
//! The same parameters and seed give the same exercise on any machine (the generator
//! is [`Rng`], a fixed algorithm). A front end may build a `Problem` itself (OSTEP's
//! own generator, say) and call `solve` and `exercise` on it.
//!
//! The simulators follow the OSTEP homework programs (relocation.py, segmentation.py,
//! malloc.py, paging-linear-translate.py, paging-multilevel-translate.py,
//! paging-policy.py) in what they ask and what their parameters mean, without their
//! known faults.

use serde::Serialize;

use crate::error::Result;
use crate::tr;

pub mod answer;
pub mod exercise;
pub mod fit;
pub mod grade;
pub mod params;
pub mod rng;

pub mod freespace;
pub mod multilevel;
pub mod paging;
pub mod policy;
pub mod relocate;
pub mod segment;
pub mod tlb;

pub use answer::{Answer, Word};
pub use exercise::{Block, Exercise, FIGURE_WIDTH, Question};
pub use grade::{Grade, Graded};
pub use params::{bad_param, clap_defaults, percent, power_of_two, size_param};
pub use rng::Rng;

/// One simulator of `vmlab sim`.
pub trait Simulator {
    /// Its name after `vmlab sim`.
    const NAME: &'static str;
    /// Its flags; their serde is the exercise's `params`.
    type Options: clap::Args + clap::FromArgMatches + Serialize + Clone + std::fmt::Debug;
    /// The flags checked, sizes parsed.
    type Config;
    /// A problem with every value decided.
    type Problem: Serialize;
    /// The problem worked out.
    type Solution: Serialize;

    /// Checks the flags.
    fn config(options: &Self::Options) -> Result<Self::Config>;
    /// Draws a problem from `seed`.
    fn generate(config: &Self::Config, seed: u64) -> Result<Self::Problem>;
    /// Works the problem out.
    fn solve(config: &Self::Config, problem: &Self::Problem) -> Self::Solution;
    /// The text: problem, questions, worked solution.
    fn exercise(
        config: &Self::Config,
        problem: &Self::Problem,
        solution: &Self::Solution,
    ) -> Exercise;
    /// The part measured on this machine, or an input error saying why there is none.
    fn real(config: &Self::Config) -> Result<Vec<Block>>;
}

/// An exercise made: what is printed, graded, and serialized. The problem and the
/// solution stay typed (not turned into a JSON tree), so that a long run costs its
/// own size once, not again as JSON values.
pub struct Sheet<S: Simulator> {
    pub simulator: &'static str,
    pub seed: u64,
    /// The options given, as serde writes them.
    pub params: serde_json::Value,
    /// The options with no flag given, to name only the ones that differ.
    pub defaults: serde_json::Value,
    pub problem: S::Problem,
    pub solution: S::Solution,
    pub exercise: Exercise,
    /// The measured part (`--real`), if asked for.
    pub real: Option<Vec<Block>>,
}

/// Makes `S`'s exercise for `options` and `seed`; with `real`, measures too.
pub fn make<S: Simulator>(options: &S::Options, seed: u64, real: bool) -> Result<Sheet<S>> {
    let config = S::config(options)?;
    let problem = S::generate(&config, seed)?;
    let solution = S::solve(&config, &problem);
    let exercise = S::exercise(&config, &problem, &solution);
    let real = if real { Some(S::real(&config)?) } else { None };
    Ok(Sheet {
        simulator: S::NAME,
        seed,
        params: json(options),
        defaults: json(&clap_defaults::<S::Options>()),
        problem,
        solution,
        exercise,
        real,
    })
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("simulator options serialize")
}

/// What `--json` prints of a sheet: the answers and the solution only with `solve`.
#[derive(Serialize)]
pub struct SheetJson<'a, P: Serialize, Q: Serialize> {
    pub simulator: &'a str,
    pub seed: u64,
    pub params: &'a serde_json::Value,
    pub problem: &'a P,
    pub questions: Vec<QuestionJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solution: Option<&'a Q>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real: Option<&'a [Block]>,
}

/// A question as `--json` prints it; `answer` (English, the schema), `answer_text`
/// (the output language) and `accepted` only with `--solve`.
#[derive(Serialize)]
pub struct QuestionJson<'a> {
    pub id: usize,
    pub prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Vec<String>>,
}

impl<S: Simulator> Sheet<S> {
    /// The JSON view: without the answers unless `solve`.
    pub fn json(&self, solve: bool) -> SheetJson<'_, S::Problem, S::Solution> {
        let questions = self
            .exercise
            .questions
            .iter()
            .map(|q| QuestionJson {
                id: q.id,
                prompt: &q.prompt,
                answer: solve.then(|| q.answer.canonical()),
                answer_text: solve.then(|| q.answer.text()),
                accepted: (solve && !q.also.is_empty())
                    .then(|| q.also.iter().map(Answer::canonical).collect()),
            })
            .collect();
        SheetJson {
            simulator: self.simulator,
            seed: self.seed,
            params: &self.params,
            problem: &self.problem,
            questions,
            solution: solve.then_some(&self.solution),
            real: self.real.as_deref(),
        }
    }

    /// The exercise as a command line, for the first line of a grade:
    /// `vmlab sim paging --seed 0 (default parameters)`, naming only the parameters
    /// that differ from the defaults.
    pub fn against(&self) -> String {
        against(self.simulator, self.seed, &self.params, &self.defaults)
    }

    /// Grades an answers file's text against this sheet's questions.
    pub fn grade(&self, answers: &str) -> Result<Grade> {
        grade::grade(
            self.simulator,
            self.seed,
            self.against(),
            &self.exercise.questions,
            answers,
        )
    }
}

/// `vmlab sim NAME --seed SEED`, and which parameters differ from `defaults`.
pub fn against(
    name: &str,
    seed: u64,
    params: &serde_json::Value,
    defaults: &serde_json::Value,
) -> String {
    let head = format!("vmlab sim {name} --seed {seed}");
    let listed: Vec<String> = params
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| defaults.get(k.as_str()) != Some(*v))
        .map(|(k, v)| format!("{}={}", k.replace('_', "-"), params::quote(&show(v))))
        .collect();
    if listed.is_empty() {
        tr!("sim-against-defaults", command = head)
    } else {
        tr!(
            "sim-against-params",
            command = head,
            params = listed.join(", ")
        )
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".into(),
        serde_json::Value::Array(a) => a.iter().map(show).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grade_names_only_the_parameters_that_differ() {
        let defaults = serde_json::json!({"pagesize": "4k", "num": 10, "addresses": null});
        let same = defaults.clone();
        assert_eq!(
            against("test", 1, &same, &defaults),
            "vmlab sim test --seed 1 (default parameters)"
        );
        let params = serde_json::json!({"pagesize": "4k", "num": 5, "addresses": "1,2"});
        assert_eq!(
            against("test", 1, &params, &defaults),
            "vmlab sim test --seed 1 (parameters other than the defaults: addresses=1,2, num=5)"
        );
    }
}
