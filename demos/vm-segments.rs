//! vm-segments: the address space of a live process, segment by segment.
//! The experiment itself, a lab handout in code, is `src/demos/segments.rs`.

fn main() -> std::process::ExitCode {
    vmlab::cli::demo_main("segments")
}
