//! vm-translate: a virtual address is a page number and an offset.
//! The experiment itself, a lab handout in code, is `src/demos/translate.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("translate")
}
