//! The course vmlab serves, as a map: each chapter of the course notes, each concept
//! it teaches, and the commands that show that concept on this machine (a demo, a
//! simulator, or the inspector). `vmlab course` prints it; the tour opens with the
//! three goals of memory virtualization and the demos that show each.
//!
//! The notes are five chapters in Spanish built on OSTEP (memory virtualization, its
//! goals, address spaces, translation and paging, and processor virtualization, which
//! vmlab leaves out: it is about memory). Every concept here names at least one
//! command, and a test checks that every command named exists.

use serde::Serialize;

use crate::i18n::tr;

/// One of the three goals of memory virtualization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// The program cannot tell its memory is virtual.
    Transparency,
    /// Little time and little space spent on the illusion.
    Efficiency,
    /// No process can touch another's memory, or the kernel's.
    Protection,
}

impl Goal {
    pub const ALL: [Goal; 3] = [Goal::Transparency, Goal::Efficiency, Goal::Protection];

    /// The catalogue key of the goal's name and its `.meaning`.
    pub fn key(self) -> &'static str {
        match self {
            Goal::Transparency => "goal-transparency",
            Goal::Efficiency => "goal-efficiency",
            Goal::Protection => "goal-protection",
        }
    }

    /// The demos that show this goal at work, in tour order.
    pub fn demos(self) -> &'static [&'static str] {
        match self {
            Goal::Transparency => &["segments", "translate", "isolation", "demand", "cow"],
            Goal::Efficiency => &[
                "cow",
                "shared",
                "demand",
                "zeropage",
                "dirty",
                "pagetable-cost",
                "hugepages",
                "tlb",
                "faultcost",
                "fragmentation",
            ],
            Goal::Protection => &["isolation", "cow", "protect"],
        }
    }
}

/// A concept of the notes and the commands that show it; none when it is out of
/// vmlab's scope (the catalogue then says why).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Concept {
    /// The catalogue key of the concept, in the course's words.
    pub key: &'static str,
    /// `vm-<demo>`, `vmlab sim <name>`, or `vmlab <inspector command>`.
    pub shown_by: &'static [&'static str],
}

/// A chapter of the course notes.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Chapter {
    /// The catalogue key of its title.
    pub key: &'static str,
    pub concepts: &'static [Concept],
}

const fn c(key: &'static str, shown_by: &'static [&'static str]) -> Concept {
    Concept { key, shown_by }
}

/// The chapters of the notes, in their order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        key: "course-ch-definition",
        concepts: &[
            c("course-physical-shared", &["vm-isolation", "vm-shared"]),
            c("course-illusion-all-memory", &["vm-demand", "vm-segments"]),
            c("course-four-segments", &["vm-segments", "vmlab maps"]),
            c(
                "course-goal-transparency",
                &["vm-isolation", "vm-translate"],
            ),
            c(
                "course-goal-efficiency",
                &["vm-tlb", "vm-pagetable-cost", "vm-zeropage"],
            ),
            c("course-goal-protection", &["vm-protect", "vm-isolation"]),
            c("course-isolation", &["vm-isolation"]),
        ],
    },
    Chapter {
        key: "course-ch-translation",
        concepts: &[
            c(
                "course-virtual-physical",
                &["vm-translate", "vmlab translate"],
            ),
            c("course-mmu-tables-tlb", &["vm-translate", "vm-tlb"]),
            c("course-base-bounds", &["vmlab sim relocate"]),
            c("course-vpn-offset", &["vm-translate", "vmlab sim paging"]),
            c("course-paging", &["vm-translate", "vmlab pages"]),
            c("course-paging-no-external", &["vm-fragmentation"]),
            c("course-segmentation", &["vmlab sim segment"]),
            c(
                "course-external-fragmentation",
                &["vmlab sim freespace", "vmlab sim segment"],
            ),
            c("course-valid-bit", &["vm-demand", "vmlab sim paging"]),
            c("course-protection-bits", &["vm-protect", "vm-cow"]),
            c("course-dirty-bit", &["vm-dirty"]),
            c("course-tlb", &["vm-tlb", "vmlab sim tlb"]),
            c(
                "course-internal-fragmentation",
                &["vm-fragmentation", "vmlab sim freespace"],
            ),
            c("course-translation-overhead", &["vm-tlb", "vm-faultcost"]),
            c(
                "course-multilevel",
                &["vm-pagetable-cost", "vmlab sim multilevel", "vm-hugepages"],
            ),
            c("course-shared-pages", &["vm-shared", "vm-cow"]),
            c(
                "course-compaction",
                &["vmlab sim segment", "vmlab sim freespace"],
            ),
            c("course-dynamic-allocation", &["vm-demand", "vm-segments"]),
            c("course-replacement", &["vmlab sim policy"]),
        ],
    },
    Chapter {
        key: "course-ch-memory-and-cpu",
        concepts: &[
            c("course-os-loads-program", &["vm-segments", "vm-demand"]),
            c("course-hardware-protection", &["vm-protect"]),
            c("course-same-addresses", &["vm-isolation", "vm-segments"]),
            c(
                "course-mmu-translates",
                &["vm-translate", "vmlab translate"],
            ),
            c("course-fault-isolation", &["vm-isolation"]),
            c("course-kernel-permission", &["vm-protect"]),
            c("course-cpu-virtualization", &[]),
        ],
    },
    Chapter {
        key: "course-ch-goals",
        concepts: &[
            c("course-illusion-resources", &["vm-demand", "vm-shared"]),
            c("course-goals", &["vm-isolation", "vm-tlb", "vm-protect"]),
            c("course-cpu-virtualization", &[]),
        ],
    },
    Chapter {
        key: "course-ch-address-spaces",
        concepts: &[
            c(
                "course-arbitrary-frames",
                &["vm-translate", "vm-fragmentation"],
            ),
            c(
                "course-large-address-space",
                &["vm-demand", "vm-pagetable-cost"],
            ),
            c(
                "course-every-access-translated",
                &["vm-translate", "vm-protect"],
            ),
        ],
    },
];

/// A chapter as printed and as `--json` shows it: texts in the chosen language.
#[derive(Clone, Debug, Serialize)]
pub struct ChapterText {
    pub number: usize,
    pub title: String,
    pub concepts: Vec<ConceptText>,
}

/// A concept as printed: what the notes say, and where vmlab shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ConceptText {
    pub id: &'static str,
    pub text: String,
    pub shown_by: &'static [&'static str],
    /// Why vmlab does not show it, when `shown_by` is empty.
    pub out_of_scope: Option<String>,
}

/// The course, in the chosen language.
pub fn chapters() -> Vec<ChapterText> {
    CHAPTERS
        .iter()
        .enumerate()
        .map(|(i, ch)| ChapterText {
            number: i + 1,
            title: tr(ch.key, None),
            concepts: ch
                .concepts
                .iter()
                .map(|c| ConceptText {
                    id: c.key,
                    text: tr(c.key, None),
                    shown_by: c.shown_by,
                    out_of_scope: c
                        .shown_by
                        .is_empty()
                        .then(|| tr(&format!("{}.out-of-scope", c.key), None)),
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_named_exists() {
        let sim = <crate::cli::SimCommand as clap::Subcommand>::augment_subcommands(
            clap::Command::new("sim"),
        );
        let sims: Vec<String> = sim
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for ch in CHAPTERS {
            for c in ch.concepts {
                for cmd in c.shown_by {
                    let ok = if let Some(demo) = cmd.strip_prefix("vm-") {
                        crate::demos::find(demo).is_ok()
                    } else if let Some(sim) = cmd.strip_prefix("vmlab sim ") {
                        sims.iter().any(|s| s == sim)
                    } else {
                        ["vmlab maps", "vmlab pages", "vmlab translate"].contains(cmd)
                    };
                    assert!(ok, "{}: no command {cmd}", c.key);
                }
            }
        }
    }

    #[test]
    fn every_demo_serves_a_goal_and_a_concept() {
        for d in crate::demos::DEMOS {
            assert!(
                Goal::ALL.iter().any(|g| g.demos().contains(&d.name)),
                "vm-{} serves no goal",
                d.name
            );
            let name = format!("vm-{}", d.name);
            assert!(
                CHAPTERS
                    .iter()
                    .flat_map(|ch| ch.concepts)
                    .any(|c| c.shown_by.contains(&name.as_str())),
                "{name} shows no concept of the course"
            );
        }
        for g in Goal::ALL {
            for d in g.demos() {
                assert!(crate::demos::find(d).is_ok(), "{g:?}: no demo {d}");
            }
        }
    }

    #[test]
    fn out_of_scope_concepts_say_why() {
        for ch in chapters() {
            for c in ch.concepts {
                if c.shown_by.is_empty() {
                    let why = c.out_of_scope.unwrap();
                    assert!(!why.ends_with("out-of-scope"), "{}", c.id);
                }
            }
        }
    }
}
