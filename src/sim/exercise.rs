//! An exercise as typed blocks: what a simulator says, without a width or a colour in
//! it. `src/render/sim.rs` lays the blocks out for a screen; `--json` serializes them.

use serde::Serialize;

use super::answer::Answer;
use crate::experiment::Table;

/// The widest a [`Block::Figure`] line may be: figures are printed as they are, and
/// must fit the narrowest screen vmlab lays out for (60 columns, with an indent).
pub const FIGURE_WIDTH: usize = 56;

/// One piece of an exercise's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph, wrapped to the screen.
    Prose(String),
    /// An indented item of a list (`•`), wrapped under its own text.
    Item(String),
    /// A step of a worked solution for question `id`: `  3. text`, wrapped under its
    /// text.
    Step { id: usize, text: String },
    /// A line under the step before it (one level of a page-table walk): `     • text`,
    /// indented as the step's text and wrapped under its own.
    Detail(String),
    /// A table, fitted to the screen by `render::table`.
    Table(Table),
    /// Lines drawn to be read as they are (a memory map): at most [`FIGURE_WIDTH`]
    /// columns each.
    Figure(Vec<String>),
    /// A note in a quieter voice (dim), wrapped.
    Note(String),
}

/// One question of an exercise and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    /// 1-based, as the student writes it in an answers file.
    pub id: usize,
    /// The question in the output language.
    pub prompt: String,
    /// The canonical answer.
    pub answer: Answer,
    /// Other answers that are just as right (OPT: every page never used again).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Answer>,
}

impl Question {
    pub fn new(id: usize, prompt: impl Into<String>, answer: Answer) -> Question {
        Question {
            id,
            prompt: prompt.into(),
            answer,
            also: Vec::new(),
        }
    }

    /// Adds answers that are just as right.
    pub fn or(mut self, also: impl IntoIterator<Item = Answer>) -> Question {
        self.also.extend(also);
        self
    }

    /// Whether `given` is a right answer.
    pub fn accepts(&self, given: &str) -> bool {
        std::iter::once(&self.answer)
            .chain(&self.also)
            .any(|a| a.accepts(given))
    }
}

/// An exercise's text: the problem, the questions and the worked solution.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Exercise {
    pub problem: Vec<Block>,
    pub questions: Vec<Question>,
    pub solution: Vec<Block>,
}

impl Exercise {
    /// Asks a question, numbered after the ones already asked; returns its number.
    pub fn ask(&mut self, prompt: impl Into<String>, answer: Answer) -> usize {
        let id = self.questions.len() + 1;
        self.questions.push(Question::new(id, prompt, answer));
        id
    }

    /// Asks a question that other answers fit just as well; returns its number.
    pub fn ask_any(
        &mut self,
        prompt: impl Into<String>,
        answer: Answer,
        also: impl IntoIterator<Item = Answer>,
    ) -> usize {
        let id = self.questions.len() + 1;
        self.questions
            .push(Question::new(id, prompt, answer).or(also));
        id
    }
}
