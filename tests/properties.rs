//! Property tests of the parsers of user input and of kernel words: whatever comes
//! in, they return a value or a clear error, never panic, never hang; and where a
//! value has a meaning, they keep it (a number written in hex reads back as itself).
//! proptest draws the inputs; each property runs a few hundred cases, in seconds.

use proptest::prelude::*;

use vmlab::addr::{self, AddrRange, Paging, PagingLevels, Selection, VirtAddr};
use vmlab::error::InputError;
use vmlab::frames::KpageFlags;
use vmlab::i18n::Lang;
use vmlab::pagemap::{PageEntry, PageState};

const P4: Paging = Paging {
    page_size: 4096,
    page_shift: 12,
    levels: PagingLevels::Four,
};

proptest! {
    /// Any text: a number or an error that says why, never a panic.
    #[test]
    fn numbers_parse_or_say_why(text in "\\PC{0,40}") {
        match addr::parse_number(&text) {
            Ok(_) => {}
            Err(InputError::Malformed { why, .. }) => prop_assert!(!why.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    /// A number written as users write it reads back as itself.
    #[test]
    fn written_numbers_read_back(n in any::<u64>(), k in 0u64..(1 << 50)) {
        prop_assert_eq!(addr::parse_number(&format!("{n:#x}")).unwrap(), n);
        prop_assert_eq!(addr::parse_number(&format!("{n:#X}").replace("0X", "0x")).unwrap(), n);
        prop_assert_eq!(addr::parse_number(&n.to_string()).unwrap(), n);
        prop_assert_eq!(addr::parse_number(&format!("{k}K")).unwrap(), k << 10);
        prop_assert_eq!(addr::parse_number(&format!("{}M", k >> 10)).unwrap(), (k >> 10) << 20);
    }

    /// Any text is a range, a region name or an error; a range of two numbers is read
    /// as written.
    #[test]
    fn selections_parse_or_say_why(text in "[0-9a-fx+\\-KMG_ ]{0,30}|\\PC{0,30}") {
        let _ = addr::parse_selection(&text);
    }

    #[test]
    fn ranges_read_as_written(a in any::<u64>(), b in any::<u64>()) {
        let text = format!("{a:#x}-{b:#x}");
        match addr::parse_selection(&text) {
            Ok(Selection::Range(r)) => {
                prop_assert_eq!(r.start.0, a);
                prop_assert_eq!(r.end.0, b);
            }
            other => prop_assert!(false, "{text}: {other:?}"),
        }
    }

    /// A range the checks accept is page-aligned, not empty, not reversed and inside
    /// user space; any other gets an error naming the problem.
    #[test]
    fn accepted_ranges_are_usable(start in any::<u64>(), len in any::<u64>(), plus in any::<bool>()) {
        let end = start.saturating_add(len);
        let text = if plus { format!("{start:#x}+{len:#x}") } else { format!("{start:#x}-{end:#x}") };
        let range = AddrRange { start: VirtAddr(start), end: VirtAddr(end) };
        if let Ok(r) = addr::validate_range(&text, range, &P4) {
            prop_assert!(r.start < r.end);
            prop_assert!(P4.is_aligned(r.start.0) && P4.is_aligned(r.end.0));
            prop_assert!(r.end.0 <= P4.user_space_end());
        }
    }

    /// Every one of the 2^64 pagemap words decodes: its state agrees with its bits,
    /// and a PFN is shown only when present and visible.
    #[test]
    fn every_pagemap_word_decodes(word in any::<u64>()) {
        let e = PageEntry(word);
        let state = e.state();
        prop_assert_eq!(state == PageState::Present, e.present());
        if state == PageState::Swapped {
            prop_assert!(e.swap_type().is_some() && e.swap_offset().is_some());
        }
        prop_assert_eq!(e.pfn(false), None);
        if !e.present() {
            prop_assert_eq!(e.pfn(true), None);
        }
        let _ = e.bits();
    }

    /// Every kpageflags word names its bits and reads back from the names.
    #[test]
    fn every_kpageflags_word_round_trips(word in any::<u64>()) {
        let f = KpageFlags(word);
        let names = f.names();
        prop_assert_eq!(names.len() as u32, word.count_ones());
        prop_assert_eq!(KpageFlags::from_names(&names), Some(f));
    }

    /// A locale of any shape: a language or none, never a panic.
    #[test]
    fn any_locale_is_a_language_or_none(text in "\\PC{0,20}") {
        let lang = Lang::from_locale(&text);
        if text.to_ascii_lowercase().starts_with("es") && text.get(2..3).is_none_or(|c| "_.@-".contains(c)) {
            prop_assert_eq!(lang, Some(Lang::Es));
        }
    }

    /// An argument of any length is quoted by an error in a line of bounded length.
    #[test]
    fn errors_quote_long_input_short(text in "\\PC{0,3000}") {
        let quoted = vmlab::error::quote(&text);
        prop_assert!(quoted.chars().count() <= 100, "{} chars", quoted.chars().count());
    }

    /// Any answers file: graded or refused with the line that is wrong, never a panic.
    #[test]
    fn any_answers_file_is_graded_or_refused(text in "\\PC{0,400}|([0-9]{1,3}[: ][\\PC]{0,12}\n){0,12}") {
        let sheet = vmlab::sim::make::<vmlab::sim::relocate::RelocateSim>(&vmlab::sim::clap_defaults(), 3, false)
            .expect("the default relocate exercise");
        if let Ok(g) = sheet.grade(&text) {
            prop_assert!(g.right <= g.total);
        }
    }
}

/// A value for a flag, of the kinds people type: numbers, sizes, lists, signs, junk.
fn flag_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..70000).prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| format!("{n:#x}")),
        (
            0u64..64,
            prop::sample::select(vec!["", "k", "K", "m", "g", "t"])
        )
            .prop_map(|(n, s)| format!("{n}{s}")),
        prop::collection::vec(-2i64..300, 0..6).prop_map(|v| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        }),
        Just("-1".to_string()),
        "\\PC{0,12}",
    ]
}

/// Parses `words` as the flags of simulator `S` and makes its exercise: an error or
/// an exercise, never a panic.
fn try_simulator<S: vmlab::sim::Simulator>(words: &[String], seed: u64) {
    use clap::{Args, FromArgMatches};
    let cmd = S::Options::augment_args(clap::Command::new("sim").no_binary_name(true));
    let Ok(matches) = cmd.try_get_matches_from(words) else {
        return;
    };
    let Ok(options) = S::Options::from_arg_matches(&matches) else {
        return;
    };
    if let Ok(sheet) = vmlab::sim::make::<S>(&options, seed, false) {
        let _ = serde_json::to_string(&sheet.json(true));
    }
}

/// The long flags of `S`, with whether each takes a value.
fn flags_of<S: vmlab::sim::Simulator>() -> Vec<(String, bool)> {
    use clap::Args;
    let cmd = S::Options::augment_args(clap::Command::new("sim"));
    cmd.get_arguments()
        .filter_map(|a| {
            let takes = a.get_num_args().is_some_and(|n| n.takes_values());
            a.get_long().map(|l| (format!("--{l}"), takes))
        })
        .filter(|(l, _)| l != "--addressfile")
        .collect()
}

fn words_for(flags: &[(String, bool)], picks: &[(usize, String)]) -> Vec<String> {
    let mut words = Vec::new();
    for (i, value) in picks {
        let (flag, takes) = &flags[i % flags.len()];
        words.push(flag.clone());
        if *takes {
            words.push(value.clone());
        }
    }
    words
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any flags with any values, for every simulator: an error that names the
    /// parameter, or an exercise, never a panic.
    #[test]
    fn any_simulator_parameters_make_an_exercise_or_an_error(
        picks in prop::collection::vec((any::<usize>(), flag_value()), 0..5),
        seed in any::<u64>(),
    ) {
        use vmlab::sim::*;
        try_simulator::<relocate::RelocateSim>(&words_for(&flags_of::<relocate::RelocateSim>(), &picks), seed);
        try_simulator::<segment::SegmentSim>(&words_for(&flags_of::<segment::SegmentSim>(), &picks), seed);
        try_simulator::<freespace::FreespaceSim>(&words_for(&flags_of::<freespace::FreespaceSim>(), &picks), seed);
        try_simulator::<paging::PagingSim>(&words_for(&flags_of::<paging::PagingSim>(), &picks), seed);
        try_simulator::<multilevel::MultilevelSim>(&words_for(&flags_of::<multilevel::MultilevelSim>(), &picks), seed);
        try_simulator::<tlb::TlbSim>(&words_for(&flags_of::<tlb::TlbSim>(), &picks), seed);
        try_simulator::<policy::PolicySim>(&words_for(&flags_of::<policy::PolicySim>(), &picks), seed);
    }
}

proptest! {
    /// A trace file of any text: page numbers or an error naming the line.
    #[test]
    fn any_trace_reads_or_says_which_line(text in "\\PC{0,300}|([ LSM]{0,2}[0-9a-fx,]{0,12}\n){0,20}") {
        use vmlab::sim::policy::refs::{TraceUnit, parse_trace};
        let _ = parse_trace(&text, TraceUnit::Pages, 4096);
        let _ = parse_trace(&text, TraceUnit::Addresses(4096), 4096);
    }

    /// maps/smaps text with any bytes in the names (newlines, invalid UTF-8, trailing
    /// spaces): parsed, or a clear error; a name survives as bytes.
    #[test]
    fn maps_lines_with_any_names_parse(
        name in prop::collection::vec(any::<u8>(), 0..40),
        start in 0u64..(1 << 46),
        pages in 1u64..64,
        junk in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let start = start & !0xfff;
        let end = start + pages * 4096;
        let mut line = format!("{start:x}-{end:x} rw-p 00000000 08:01 1234 ").into_bytes();
        let clean: Vec<u8> = name.iter().copied().filter(|&b| b != b'\n' && b != 0).collect();
        line.extend_from_slice(&clean);
        line.push(b'\n');
        if let Ok(space) = vmlab::space::AddressSpace::parse(1, &line, None) {
            prop_assert_eq!(space.regions.len(), 1);
        }
        let _ = vmlab::space::AddressSpace::parse(1, &junk, None);
    }

    /// A process selector of any text: a process, or an error saying what was expected.
    #[test]
    fn any_pid_selector_resolves_or_says_why(text in "\\PC{0,12}|-?[0-9]{1,12}") {
        let _ = vmlab::inspect::Target::resolve(&text);
    }
}
