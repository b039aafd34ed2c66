//! Fit policies: which free chunk (a hole) an allocation takes. One enum for every
//! allocator the simulators have: whole segments placed in physical memory
//! (`vmlab sim segment`) and a heap's free list (`vmlab sim freespace`).
//!
//! A search walks the free chunks in list order (for segments, holes in address
//! order) from a starting position, wrapping round. First and next fit stop at the
//! first chunk that fits; best and worst fit look at every chunk and take the
//! smallest or largest that fits, the first of equals in list order.

use serde::Serialize;

use crate::tr;

/// Where an allocation goes among the free chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// The first chunk that fits, from the head of the list.
    #[value(alias = "firstfit", alias = "first-fit")]
    First,
    /// The smallest chunk that fits (the first of equals).
    #[value(alias = "bestfit", alias = "best-fit")]
    Best,
    /// The largest chunk (the first of equals), if it fits.
    #[value(alias = "worstfit", alias = "worst-fit")]
    Worst,
    /// First fit, starting where the last search stopped and wrapping round.
    #[value(alias = "nextfit", alias = "next-fit")]
    Next,
}

/// What a search did: the chunks looked at, in the order looked at (their positions
/// in the list, and whether each fits), and the one chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    pub looked: Vec<(usize, bool)>,
    pub chosen: Option<usize>,
}

impl Fit {
    /// The policy's name in the output language ("first fit").
    pub fn name(self) -> String {
        match self {
            Fit::First => tr!("sim-fit-first"),
            Fit::Best => tr!("sim-fit-best"),
            Fit::Worst => tr!("sim-fit-worst"),
            Fit::Next => tr!("sim-fit-next"),
        }
    }

    /// The policy's rule in a phrase, in the output language.
    pub fn rule(self) -> String {
        match self {
            Fit::First => tr!("sim-fit-first-rule"),
            Fit::Best => tr!("sim-fit-best-rule"),
            Fit::Worst => tr!("sim-fit-worst-rule"),
            Fit::Next => tr!("sim-fit-next-rule"),
        }
    }

    /// Searches `sizes` (the free chunks' sizes in list order) for one of at least
    /// `need` bytes, starting at position `start` (only next fit starts elsewhere than
    /// 0) and wrapping round. A `need` of `None` (a size that overflowed) fits nowhere,
    /// and every chunk is looked at.
    pub fn search(self, sizes: &[u64], start: usize, need: Option<u64>) -> Search {
        let n = sizes.len();
        let start = if n == 0 { 0 } else { start % n };
        let mut looked = Vec::new();
        let mut chosen: Option<usize> = None;
        for i in (start..n).chain(0..start) {
            let fits = need.is_some_and(|need| sizes[i] >= need);
            looked.push((i, fits));
            if !fits {
                continue;
            }
            let better = match self {
                Fit::First | Fit::Next => {
                    chosen = Some(i);
                    break;
                }
                // Strictly smaller or larger: the first of equals stays.
                Fit::Best => chosen.is_none_or(|c| sizes[i] < sizes[c]),
                Fit::Worst => chosen.is_none_or(|c| sizes[i] > sizes[c]),
            };
            if better {
                chosen = Some(i);
            }
        }
        Search { looked, chosen }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_policy_chooses_as_defined_and_ties_go_to_the_first() {
        let sizes = [300, 100, 400];
        let chosen = |f: Fit, need| f.search(&sizes, 0, Some(need)).chosen;
        assert_eq!(chosen(Fit::First, 100), Some(0));
        assert_eq!(chosen(Fit::Best, 100), Some(1));
        assert_eq!(chosen(Fit::Worst, 100), Some(2));
        assert_eq!(chosen(Fit::Best, 350), Some(2));
        assert_eq!(chosen(Fit::First, 401), None);
        let ties = [100, 100];
        assert_eq!(Fit::Best.search(&ties, 0, Some(50)).chosen, Some(0));
        assert_eq!(Fit::Worst.search(&ties, 0, Some(50)).chosen, Some(0));
    }

    #[test]
    fn searches_count_what_they_look_at_and_next_fit_wraps() {
        let sizes = [10, 50, 5];
        let first = Fit::First.search(&sizes, 0, Some(20));
        assert_eq!(first.looked, [(0, false), (1, true)]);
        let best = Fit::Best.search(&sizes, 0, Some(20));
        assert_eq!(best.looked.len(), 3);
        let next = Fit::Next.search(&sizes, 2, Some(8));
        assert_eq!(
            (next.looked.clone(), next.chosen),
            (vec![(2, false), (0, true)], Some(0))
        );
        assert_eq!(Fit::Worst.search(&sizes, 0, None).chosen, None);
        assert!(Fit::First.search(&[], 0, Some(1)).looked.is_empty());
    }
}
