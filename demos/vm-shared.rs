//! vm-shared: sharing frames on purpose: shared memory, files, libraries, KSM.
//! The experiment itself, a lab handout in code, is `src/demos/shared.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("shared")
}
