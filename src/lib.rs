//! vmlab: memory virtualization, observed on the running Linux kernel.
//!
//! Operating-systems courses teach that every process has its own address space, that
//! the MMU translates virtual pages to physical frames through page tables, that fork
//! shares frames copy-on-write. vmlab reads what the kernel actually did, from `/proc`,
//! and shows it beside the theory.
//!
//! Data flows one way: **kernel → readers → model → report → printer**.
//!
//! | module | what it holds |
//! |---|---|
//! | [`addr`] | `VirtAddr`/`PhysAddr`/`Pfn`, the VPN/offset split, the x86-64 walk indices, parsing of addresses, sizes and ranges |
//! | [`anon`] | anonymous memory vmlab maps for itself (demos, simulators' `--real`), unmapped on drop |
//! | [`cache`] | a file's pages in the page cache (mincore, cachestat) and, as root, their frames (`vmlab cache`) |
//! | [`space`] | a process's regions from `/proc/<pid>/smaps`, classified (text, data, bss, heap, stack, libraries ...) with RSS/PSS/swap |
//! | [`pagemap`] | `/proc/<pid>/pagemap` entries decoded, read in large batches and streamed |
//! | [`pageflags`] | flags as tools/mm/page-types views them (default and raw), its symbolic letters, the `--flags` filter |
//! | [`flagdoc`] | every frame flag and pagemap bit explained: meaning and when the kernel sets it (`vmlab flags`) |
//! | [`freeze`] | `--freeze`: the target stopped while it is read, resumed on every way out |
//! | [`frames`] | `/proc/kpagecount` and `/proc/kpageflags`: map counts and named frame flags, batched |
//! | [`process`] | a process opened once (a `/proc/<pid>` directory descriptor), so a reused PID is never read by mistake |
//! | [`privilege`] | what this process may see (PFNs, frame files) and the sentence that says why |
//! | [`inspect`] | the inspector's records: maps, pages (streamed), translate |
//! | [`machine`] | every frame of the machine: kpageflags and kpagecount walked in batches (`vmlab frames`) |
//! | [`verify`] | `maps --verify`: smaps' Rss, Pss and Swap reconciled with pagemap and kpagecount, differences explained |
//! | [`render`] | those records as text for people (`--json` uses serde directly) |
//! | [`report`] | the demos' records as one self-contained HTML page (`vmlab report`) |
//! | [`demos`] | the experiments, one per concept; the `vm-*` binaries and `vmlab tour` run them |
//! | [`course`] | the course notes' chapters and concepts, and the command that shows each |
//! | [`glossary`] | the course's terms in Spanish and English, their meaning, the command that shows each |
//! | [`i18n`] | the message catalogues (English, Spanish) and the choice of language |
//! | [`ostep`] | `vmlab ostep SCRIPT`: the OSTEP homework scripts' flags, seeds and output, answered by [`sim`]'s models |
//! | [`cli`] | what every binary shares: colour, the error line and exit code, a demo's `main` |
//! | [`experiment`] | `Experiment` and `Claim`: theory's prediction, what the kernel did, the verdict |
//! | [`child`] | forked children that talk over pipes, with timeouts, always reaped |
//! | [`fault`] | the fault probe: one access in a child, and the signal, si_code and si_addr it got |
//! | [`settings`] | system settings changed for a moment: journalled first, put back on drop, on a signal, or by the next run |
//! | [`signals`] | the termination signals every binary catches, to put settings back before dying of them |
//! | [`hook`] | test hooks: where a debug build waits when the tests ask, to be signalled at a known moment |
//! | [`error`] | typed errors and the exit codes |
//!
//! The library never prints, except [`cli`], the front door the binaries share (and the
//! signal handler's one prepared line, see [`signals`]).
//!
//! ```no_run
//! use vmlab::inspect::{Inspector, Target};
//!
//! let inspector = Inspector::new();
//! let me = Target::resolve("self")?;
//! let walk = inspector.translate(&me, "0x1000")?;
//! println!("VPN {:#x}, offset {:#x}", walk.vpn, walk.offset);
//! # Ok::<(), vmlab::error::Error>(())
//! ```

pub mod addr;
pub mod anon;
pub mod cache;
pub mod child;
pub mod cli;
pub mod course;
pub mod demos;
pub mod error;
pub mod experiment;
pub mod fault;
pub mod flagdoc;
pub mod frames;
pub mod freeze;
pub mod glossary;
pub mod hook;
pub mod i18n;
pub mod inspect;
pub mod json;
pub mod machine;
pub mod ostep;
pub mod pageflags;
pub mod pagemap;
pub mod privilege;
pub mod process;
pub mod render;
pub mod report;
pub mod settings;
pub mod signals;
pub mod sim;
pub mod space;
pub mod verify;
