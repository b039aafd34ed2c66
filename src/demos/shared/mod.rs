//! vm-shared: sharing frames on purpose.
//!
//! Theory: paging makes sharing cheap. Two page tables can point at one frame, so
//! processes can share memory (MAP_SHARED), files are cached once in RAM and mapped
//! by everyone who opens them, a library's code exists once however many programs
//! use it, and the kernel can even merge identical private pages behind our back
//! (KSM), splitting them again on write.
//!
//! What we do: five small experiments, each comparing two page-table views of what
//! should be one frame, each in a file of its own: (a) shared anonymous memory
//! (`anon`), (b) a file mapped shared by two processes and (c) privately (`file`),
//! (d) the C library's code in two programs (`library`), (e) KSM, started for a moment
//! and put back as it was (`ksm`).
//!
//! The demo in three steps, as every demo: [`gather`] does it and fills an
//! [`Observation`]; [`narrate`] tells it; [`judge`] decides each claim from the record
//! alone. Each part's file holds its own three.

mod anon;
mod file;
mod ksm;
mod library;

use serde::{Deserialize, Serialize};

use super::Lab;
use crate::error::Result;
use crate::experiment::{Claim, Evidence, Experiment, Step};
use crate::tr;

pub use anon::AnonShare;
pub use file::{FileShare, PrivateFile};
pub use ksm::{Knob, Ksm};
pub use library::{Charge, Library};

/// Everything vm-shared saw, part by part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// (a) A MAP_SHARED anonymous page, in a parent and its child.
    pub anon: AnonShare,
    /// (b) One file mapped MAP_SHARED by two processes.
    pub file: FileShare,
    /// (c) The same file mapped MAP_PRIVATE, read and then written.
    pub private: PrivateFile,
    /// (d) libc's code here and in another program.
    pub library: Evidence<Library>,
    /// (e) Identical pages merged by KSM (root only: it starts a kernel thread).
    pub ksm: Evidence<Ksm>,
}

pub fn run(lab: &Lab) -> Result<Experiment> {
    let o = gather(lab)?;
    Ok(lab
        .experiment("shared", tr!("shared-title"), tr!("shared-about"))
        .with(narrate(&o), judge(&o), &o))
}

/// The five parts, one after the other.
pub fn gather(lab: &Lab) -> Result<Observation> {
    let anon = anon::gather(lab)?;
    let memfd = file::memfd(lab)?;
    let file = file::gather_shared(lab, &memfd)?;
    let private = file::gather_private(lab, &memfd)?;
    let library = library::gather(lab)?;
    let ksm = ksm::gather(lab)?;
    Ok(Observation {
        anon,
        file,
        private,
        library,
        ksm,
    })
}

/// The handout's steps, from the record.
pub fn narrate(o: &Observation) -> Vec<Step> {
    vec![
        anon::narrate(&o.anon),
        file::narrate_shared(&o.file),
        file::narrate_private(&o.private),
        library::narrate(&o.library),
        ksm::narrate(&o.ksm),
    ]
}

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    let mut claims = anon::judge(&o.anon);
    claims.extend(file::judge_shared(&o.file));
    claims.extend(file::judge_private(&o.private));
    claims.extend(library::judge(&o.library));
    claims.extend(ksm::judge(&o.ksm));
    claims
}

/// Two single-page views of one frame, in words: `0x53f210 and 0x53f210`.
fn two_frames(a: crate::addr::Pfn, b: crate::addr::Pfn) -> String {
    tr!("shared-two-frames", a = a.to_string(), b = b.to_string())
}

/// The one page of a snapshot taken of one page.
fn one(pages: Vec<super::page::Page>) -> Result<super::page::Page> {
    pages
        .into_iter()
        .next()
        .ok_or_else(|| crate::error::Error::Child("the pagemap returned no page".into()))
}

#[cfg(test)]
pub(crate) mod tests;
