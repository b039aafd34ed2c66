//! vm-tlb: the TLB, measured.
//! The experiment itself, a lab handout in code, is `src/demos/tlb/`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("tlb")
}
