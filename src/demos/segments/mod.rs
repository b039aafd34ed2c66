//! vm-segments: the address space of a live process, segment by segment.
//!
//! Theory: a process's address space holds its code (Text), initialised globals
//! (Data), zeroed globals (bss), a Heap that grows up from the end of bss, a region
//! for mmap (shared libraries, big allocations, thread stacks), and a Stack that
//! grows down from near the top. Code is read-only and executable; Data, Heap and
//! Stack are writable and not executable. ASLR moves the pieces at every exec. And
//! the code is not copied into memory when the program starts: exec only maps the
//! program file, and each page of code is brought in by a page fault the first time
//! it runs (demand paging).
//!
//! What we do: take the address of one thing of each kind in this very process, find
//! it in /proc/self/maps, and check the order and the permissions ([`layout`]). Then
//! run a fresh copy of this program three times ([`probe`]): each copy says where the
//! kernel put things (ASLR, [`aslr`]), and counts how much of its own code is in its
//! page table, before and after calling a function that has never run ([`text`]).
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the
//! record alone.

pub mod aslr;
mod diagram;
pub mod layout;
pub mod probe;
pub mod text;

use serde::{Deserialize, Serialize};

use super::Lab;
use crate::error::Result;
use crate::experiment::{Claim, Experiment, Step};
use crate::tr;

pub use aslr::Aslr;
pub use layout::{Item, Segment, Thing};
pub use probe::{Layout, PROBE_ENV, Run, answer_probe};
pub use text::TextPages;

/// How many copies of this program are run.
const RUNS: usize = 3;

/// Everything vm-segments saw: this process's layout, and what the copies reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// One thing of each kind in this process, and the region that holds it.
    pub items: Vec<Item>,
    /// The regions the drawing shows: those holding an item, and the heap and stack.
    pub regions: Vec<Segment>,
    /// The ASLR setting the copies ran under.
    pub aslr: Aslr,
    /// What each fresh copy of this program reported.
    pub runs: Vec<Run>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("segments", tr!("segments-title"), tr!("segments-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// Looks at this process's layout, then runs the copies.
pub fn gather(_lab: &Lab) -> Result<Observation> {
    let (items, regions) = layout::gather()?;
    Ok(Observation {
        items,
        regions,
        aslr: aslr::setting(),
        runs: probe::run_copies(RUNS)?,
    })
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    let mut steps = layout::narrate(&o.items);
    steps.push(
        Step::draw(
            tr!("segments-step-diagram"),
            diagram::draw(&o.regions, &o.items),
        )
        .with_terms(&["term-address-space", "term-virtual-address"]),
    );
    steps.push(aslr::narrate(&o.aslr, &o.runs));
    steps.push(text::narrate(&o.runs));
    steps
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let mut claims = layout::judge(&o.items);
    claims.extend(aslr::judge(&o.aslr, &o.runs));
    claims.extend(text::judge(&o.runs));
    claims
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::demos::claimtest::{ClaimTests, assert_contract, claims_of};
    use crate::experiment::Evidence;

    /// What a run on this machine shows (randomize_va_space = 2) when everything goes
    /// as theory says.
    pub(crate) fn holding() -> Observation {
        Observation {
            items: layout::tests::items(),
            regions: layout::tests::regions(),
            aslr: Aslr {
                setting: Evidence::Seen(2),
                no_randomize: false,
            },
            runs: probe::tests::runs(),
        }
    }

    pub(crate) fn claim_tests() -> ClaimTests {
        let b = claims_of(judge, holding());
        let b = layout::tests::cases(b);
        let b = aslr::tests::cases(b);
        text::tests::cases(b).done()
    }

    #[test]
    fn every_claim_can_fail_and_can_lack_evidence() {
        assert_contract("segments", &claim_tests());
    }

    #[test]
    fn the_record_reads_back_from_json() {
        let o = holding();
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    }

    #[test]
    fn narration_has_every_step() {
        let steps = narrate(&holding());
        // items, the bss note, the drawing, ASLR, text on demand
        assert_eq!(steps.len(), 5, "{steps:#?}");
        let Some(crate::experiment::Figure::Map { regions }) = &steps[2].figure else {
            panic!("step 3 draws the address space");
        };
        assert!(regions.iter().any(|r| r.label.contains("[stack]")));
    }
}
