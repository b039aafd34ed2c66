//! vm-protect: protection faults: the MMU refuses, the kernel signals. (Being built: makes no claim yet.)

use super::Lab;
use crate::error::Result;
use crate::experiment::Experiment;

pub fn run(lab: &Lab) -> Result<Experiment> {
    Ok(lab.experiment(
        "protect",
        "protection faults: the MMU refuses, the kernel signals",
        "memory protection: each forbidden access faults with the signal and code theory predicts.",
    ))
}
