//! vm-demand: demand paging: frames on first touch. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "demand",
        "demand paging: frames on first touch",
        "demand paging: memory is mapped at once but given frames only when touched.",
    ))
}
