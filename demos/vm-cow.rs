//! vm-cow: fork() shares frames until someone writes.
//! The experiment itself, a lab handout in code, is `src/demos/cow.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("cow")
}
