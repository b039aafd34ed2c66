//! The inspector's commands: maps, translate, pages, frames, cache and flags, each
//! read from the kernel and printed as a table or as JSON.

use std::io::Write;

use vmlab::cli;
use vmlab::error::{Error, Result};
use vmlab::inspect::{Inspector, MapCounts, PageOptions, Target};
use vmlab::render;

use crate::args::{Cli, Command, FlagArgs};
use crate::print_json;

/// The inspector's commands: a process, the machine's frames, files, flags.
pub(crate) fn inspect(cli: &Cli, out: &mut dyn Write, screen: render::Screen) -> Result<()> {
    match &cli.command {
        Command::Maps {
            pid,
            verify,
            freeze,
        } => maps(out, pid, *verify, *freeze, cli.json, screen)?,
        Command::Translate {
            pid,
            address,
            freeze,
        } => translate(out, pid, address, *freeze, cli.json, screen)?,
        Command::Cache {
            paths,
            summary,
            flags,
        } => {
            let inspector = Inspector::new();
            let opts = vmlab::cache::CacheOptions {
                view: flags.view(),
                filter: flags.filter(&inspector)?,
                runs: !*summary,
            };
            cache(out, &inspector, paths, &opts, cli.json, screen)?;
        }
        Command::Flags { names } => {
            let docs = vmlab::flagdoc::select(names)?;
            match cli.json {
                true => print_json(out, &serde_json::json!({ "flags": docs }))?,
                false => render::render_flag_docs(out, &docs, screen)?,
            }
        }
        Command::Frames {
            range,
            summary,
            flags,
        } => frames(out, range.as_deref(), *summary, flags, cli.json, screen)?,
        Command::Pages {
            pid,
            selection,
            runs,
            present,
            summary,
            map_counts,
            method,
            flags,
            freeze,
        } => {
            let (target, inspector, _frozen) = open(pid, *freeze)?;
            let options = PageOptions {
                runs: *runs,
                present_only: *present,
                summary_only: *summary,
                method: *method,
                view: flags.view(),
                filter: flags.filter(&inspector)?,
                frozen: *freeze,
                populated_only: false,
                map_counts: if *summary && !*map_counts {
                    MapCounts::WhereSharingUnknown
                } else {
                    MapCounts::Every
                },
            };
            // Plan first: a bad range or region name fails before anything is printed.
            let plan = inspector.plan_pages(&target, selection.as_deref())?;
            pages(out, &inspector, &target, &plan, options, cli.json, screen)?;
        }
        _ => unreachable!("handled by run"),
    }
    Ok(())
}

/// `vmlab translate`: one address through the page table, step by step.
fn translate(
    out: &mut dyn Write,
    pid: &str,
    address: &str,
    freeze: bool,
    json: bool,
    screen: render::Screen,
) -> Result<()> {
    let (target, inspector, _frozen) = open(pid, freeze)?;
    let t = inspector.translate(&target, address)?;
    if json {
        return print_json(out, &t);
    }
    notice(&inspector, screen);
    render::render_translation(out, &t, screen).map_err(Error::Output)
}

/// `vmlab maps`: the regions, or with `--verify` each checked against its pages.
fn maps(
    out: &mut dyn Write,
    pid: &str,
    verify: bool,
    freeze: bool,
    json: bool,
    screen: render::Screen,
) -> Result<()> {
    let (target, inspector, _frozen) = open(pid, freeze)?;
    if verify {
        let report = vmlab::verify::verify(&inspector, &target, freeze)?;
        if json {
            return print_json(out, &report);
        }
        notice(&inspector, screen);
        return vmlab::verify::render(out, &report, screen);
    }
    let report = inspector.maps(&target)?;
    if json {
        return print_json(out, &report);
    }
    render::render_maps(out, &report, screen).map_err(Error::Output)
}

/// `vmlab pages`: rows streamed (or the summary alone), then the summary.
fn pages(
    out: &mut dyn Write,
    inspector: &Inspector,
    target: &Target,
    plan: &vmlab::inspect::PagePlan,
    options: PageOptions,
    json: bool,
    screen: render::Screen,
) -> Result<()> {
    let page_size = inspector.paging.page_size;
    let summary_only = options.summary_only;
    let runs = options.runs;
    if json {
        let mut sink = render::JsonPageSink::start(out, target, page_size, &inspector.privilege)?;
        let summary = if summary_only {
            inspector.summarize_pages(target, plan, options)?
        } else {
            inspector.scan_pages(target, plan, options, &mut sink)?
        };
        return sink.finish(&summary, &plan.notes);
    }
    notice(inspector, screen);
    let counts = if summary_only {
        inspector.summarize_pages(target, plan, options)?
    } else {
        let mut sink = render::TablePageSink::new(out, screen, runs, &inspector.paging);
        inspector.scan_pages(target, plan, options, &mut sink)?
    };
    if summary_only {
        render::render_summary_details(out, &counts, screen)?;
        // No page read, no table: its header over a total of 0 says nothing.
        if let Some(table) = counts.by_flags.as_ref().filter(|t| !t.counts.is_empty()) {
            render::render_flag_table(out, table, page_size, screen)?;
        }
    }
    render::render_summary(out, &counts, &plan.notes, screen)
}

/// `vmlab frames`: rows of alike frames streamed (or the summary alone), then totals.
fn frames(
    out: &mut dyn Write,
    range: Option<&str>,
    summary: bool,
    flags: &FlagArgs,
    json: bool,
    screen: render::Screen,
) -> Result<()> {
    let range = match range {
        Some(r) => vmlab::machine::PfnRange::parse(r)?,
        None => vmlab::machine::PfnRange {
            start: 0,
            end: None,
        },
    };
    let (view, filter) = (flags.view(), vmlab::pageflags::Filter::parse(&flags.exprs)?);
    let filter = &filter;
    let machine = vmlab::machine::Machine::open()?;
    machine.check_start(range)?;
    let page_size = vmlab::addr::Paging::detect().page_size;
    let json_err = |e: serde_json::Error| Error::Output(e.into());
    if summary {
        let s = machine.summarize(range, view, filter)?;
        if json {
            return print_json(out, &serde_json::json!({ "summary": s }));
        }
        return render::render_frames_summary(out, &s, true, page_size, screen);
    }
    if json {
        vmlab::json::stream_start(out)?;
        write!(out, "\"rows\":[").map_err(Error::Output)?;
        let mut first = true;
        let s = machine.walk(range, view, filter, |r| {
            let sep = if std::mem::take(&mut first) { "" } else { "," };
            let text = serde_json::to_string(r).map_err(json_err)?;
            write!(out, "{sep}\n{text}").map_err(Error::Output)
        })?;
        let text = serde_json::to_string(&s).map_err(json_err)?;
        return writeln!(out, "\n],\"summary\":{text}}}").map_err(Error::Output);
    }
    render::render_frames_header(out, screen)?;
    let s = machine.walk(range, view, filter, |r| {
        render::render_frame_run(out, r, screen)
    })?;
    render::render_frames_summary(out, &s, false, page_size, screen)
}

/// `vmlab cache`: each file as it is read, then the totals.
fn cache(
    out: &mut dyn Write,
    inspector: &Inspector,
    paths: &[std::path::PathBuf],
    opts: &vmlab::cache::CacheOptions,
    json: bool,
    screen: render::Screen,
) -> Result<()> {
    let json_err = |e: serde_json::Error| Error::Output(e.into());
    let page_size = inspector.paging.page_size;
    // A path that does not exist is refused before anything is printed, so that no
    // table header (or half a JSON document) comes before the error.
    for root in paths {
        std::fs::symlink_metadata(root).map_err(|e| Error::Io {
            path: root.clone(),
            source: e,
        })?;
    }
    if json {
        vmlab::json::stream_start(out)?;
        write!(out, "\"files\":[").map_err(Error::Output)?;
        let mut first = true;
        let s = vmlab::cache::walk(inspector, paths, opts, |f| {
            let sep = if std::mem::take(&mut first) { "" } else { "," };
            let text = serde_json::to_string(f).map_err(json_err)?;
            write!(out, "{sep}\n{text}").map_err(Error::Output)
        })?;
        let text = serde_json::to_string(&s).map_err(json_err)?;
        return writeln!(out, "\n],\"summary\":{text}}}").map_err(Error::Output);
    }
    if opts.runs {
        render::render_cache_header(out, screen)?;
    }
    let s = vmlab::cache::walk(inspector, paths, opts, |f| {
        render::render_file_cache(out, f, opts.runs, screen)
    })?;
    render::render_cache_summary(out, &s, page_size, screen)
}

/// The process `pid` opened for a read, the inspector, and, when `--freeze` asks, the
/// guard that keeps the process stopped until it goes (after the read).
fn open(pid: &str, freeze: bool) -> Result<(Target, Inspector, Option<vmlab::freeze::Frozen>)> {
    let target = Target::resolve(pid)?;
    let inspector = Inspector::new();
    let frozen = freeze
        .then(|| vmlab::freeze::Frozen::stop(&target.handle))
        .transpose()?;
    Ok((target, inspector, frozen))
}

/// Says once, on stderr, what the kernel hides from this user.
fn notice(inspector: &Inspector, screen: vmlab::render::Screen) {
    if let Some(text) = inspector.privilege.notice() {
        cli::notice(&text, screen);
    }
}
