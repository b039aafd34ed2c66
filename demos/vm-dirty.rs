//! vm-dirty: dirty and accessed bits.
//! The experiment itself, a lab handout in code, is `src/demos/dirty.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("dirty")
}
