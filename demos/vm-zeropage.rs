//! vm-zeropage: the zero page: many pages, one frame.
//! The experiment itself, a lab handout in code, is `src/demos/zeropage.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("zeropage")
}
