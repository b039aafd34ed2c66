//! vm-fragmentation: internal fragmentation costs whole pages; no external fragmentation.
//! The experiment itself, a lab handout in code, is `src/demos/fragmentation/`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("fragmentation")
}
