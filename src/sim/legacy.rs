//! Transitional: the simulators not yet ported to typed exercises keep working
//! through this adapter. Their exercise is lines of text, shown as a
//! [`Block::Legacy`]; their answers are text, graded as [`Answer::Legacy`].

use serde::Serialize;

use super::{Answer, Block, Simulator};
use crate::error::Result;

/// One question of a legacy exercise and its canonical answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: usize,
    pub prompt: String,
    pub answer: String,
    pub also: Vec<String>,
}

impl Question {
    pub fn new(id: usize, prompt: impl Into<String>, answer: impl Into<String>) -> Question {
        Question {
            id,
            prompt: prompt.into(),
            answer: answer.into(),
            also: Vec::new(),
        }
    }

    /// Adds accepted alternative spellings.
    pub fn or(mut self, also: &[&str]) -> Question {
        self.also.extend(also.iter().map(|s| s.to_string()));
        self
    }

    /// Whether `given` is a right answer.
    pub fn accepts(&self, given: &str) -> bool {
        self.typed().accepts(given)
    }

    /// The typed question.
    pub fn typed(&self) -> super::Question {
        super::Question::new(
            self.id,
            self.prompt.clone(),
            Answer::Legacy {
                text: self.answer.clone(),
                also: self.also.clone(),
            },
        )
    }
}

/// A legacy exercise: lines of text.
#[derive(Clone, Debug, Serialize)]
pub struct Exercise {
    pub simulator: String,
    pub seed: u64,
    pub params: serde_json::Value,
    pub problem: Vec<String>,
    pub questions: Vec<Question>,
    pub solution: Vec<String>,
    pub real: Vec<String>,
    pub data: serde_json::Value,
}

impl Exercise {
    /// The typed exercise: each part one legacy block.
    pub fn typed(&self) -> super::Exercise {
        super::Exercise {
            problem: vec![Block::Legacy(self.problem.clone())],
            questions: self.questions.iter().map(Question::typed).collect(),
            solution: vec![Block::Legacy(self.solution.clone())],
        }
    }
}

/// Grades `answers` against a legacy exercise (for the legacy unit tests).
pub fn grade(e: &Exercise, answers: &str) -> Result<super::Grade> {
    let questions: Vec<super::Question> = e.questions.iter().map(Question::typed).collect();
    super::grade::grade(&e.simulator, e.seed, String::new(), &questions, answers)
}

/// A legacy exercise as a problem: it holds its answers, so it serializes as
/// nothing (the legacy `data` is the solution's JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Made {
    #[serde(skip)]
    pub exercise: Exercise,
}

/// A legacy simulator as a [`Simulator`]: its `exercise(params, seed, real)`
/// function does it all.
macro_rules! legacy {
    ($ty:ident, $name:literal, $module:ident) => {
        #[doc = concat!("`vmlab sim ", $name, "`, through the legacy adapter.")]
        pub struct $ty;

        impl Simulator for $ty {
            const NAME: &'static str = $name;
            type Options = super::$module::Params;
            type Config = super::$module::Params;
            type Problem = Made;
            type Solution = serde_json::Value;

            fn config(options: &Self::Options) -> Result<Self::Config> {
                Ok(options.clone())
            }

            fn generate(config: &Self::Config, seed: u64) -> Result<Made> {
                super::$module::exercise(config, seed, false).map(|exercise| Made { exercise })
            }

            fn solve(_: &Self::Config, made: &Made) -> serde_json::Value {
                // The parameters as drawn (the legacy params) go with the solution.
                let mut data = made.exercise.data.clone();
                if let Some(map) = data.as_object_mut() {
                    map.insert("legacy_params".into(), made.exercise.params.clone());
                }
                data
            }

            fn exercise(_: &Self::Config, made: &Made, _: &serde_json::Value) -> super::Exercise {
                made.exercise.typed()
            }

            fn real(config: &Self::Config) -> Result<Vec<Block>> {
                let e = super::$module::exercise(config, 0, true)?;
                Ok(vec![Block::Legacy(e.real)])
            }
        }
    };
}

legacy!(Segment, "segment", segment);
legacy!(Freespace, "freespace", freespace);

/// The width legacy simulators lay their lines out for.
pub const WIDTH: usize = 92;

/// Whether `line` is a row of a table or a memory map, which wrapping would break: it
/// has a `|` beside a space (a column rule or the edge of a map, not the `00|0110b` of
/// a split address), box-drawing characters, or a run of two or more spaces between
/// words (an aligned column) after its indentation.
pub fn is_tabular(line: &str) -> bool {
    line.contains(" |")
        || line.contains("| ")
        || line.chars().any(|c| ('\u{2500}'..='\u{259f}').contains(&c))
        || line.trim().contains("  ")
}

/// `line` wrapped at word boundaries to [`WIDTH`] columns, the continuation lines
/// indented as the line plus two spaces; a line that fits, or a table row or memory map
/// ([`is_tabular`]), is left as it is.
pub fn wrap(line: &str) -> Vec<String> {
    if line.chars().count() <= WIDTH || is_tabular(line) {
        return vec![line.to_string()];
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    wrap_with(line, &format!("{indent}  "), WIDTH)
}

/// `line` wrapped at its words to `width` columns, continuation lines starting with
/// `cont`; a word longer than the width stays whole on a line of its own.
fn wrap_with(line: &str, cont: &str, width: usize) -> Vec<String> {
    let body = line.trim_start();
    let mut lines = vec![line[..line.len() - body.len()].to_string()];
    let mut fresh = true;
    for word in body.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !fresh && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("{cont}{word}"));
        } else {
            if !fresh {
                last.push(' ');
            }
            last.push_str(word);
        }
        fresh = false;
    }
    lines
}
