//! `vmlab`: the inspector. A doorway: parse arguments, call the library, print, and
//! turn errors into one line and an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use vmlab::cli::{self, ColorChoice};
use vmlab::demos;
use vmlab::error::{Error, Result, exit};
use vmlab::inspect::{Inspector, MapCounts, PageOptions, ScanMethod, Target};
use vmlab::render;

const EXAMPLES: &str = "\
Examples:
  vmlab tour                      every demo, with verdicts (sudo shows frames too)
  vmlab demo cow                  one demo: fork() and copy-on-write
  vmlab report -o tour.html       the tour as one HTML page (charts, address space)
  vmlab maps                      regions of vmlab itself
  vmlab maps 4242                 regions of process 4242, with RSS and PSS
  vmlab pages self heap           every page of vmlab's own heap
  vmlab pages 4242 libc --runs    pages of libc, one row per run of alike pages
  vmlab pages 4242 0x7f0000000000+2M --present
  vmlab translate 4242 0x7ffd1234abcd
  sudo vmlab maps 4242 --verify   RSS and PSS from smaps checked page by page
  vmlab pages 4242 --freeze       the process stopped while it is read
  vmlab pages 4242 stack --json | jq .summary
  vmlab pages 4242 --summary      counts of every page, by flags, fast
  vmlab flags anon                what a flag means and when the kernel sets it
  vmlab cache /usr/lib/x86_64-linux-gnu/libc.so.6   its pages in the page cache
  sudo vmlab frames --summary     every frame of the machine, by flags
  sudo vmlab frames 0x1000+64     64 frames: map counts and flags
  vmlab sim paging --seed 7       a page-table exercise (--solve, --check FILE)

Exit codes:
  0  success (for a demo: no claim contradicted)
  1  a demo's claim was contradicted by the kernel
  2  bad input: usage, malformed address or range, no such process, region or demo
  3  the system refused or lacks something: permission denied, process exited
     mid-read, kernel feature missing, a demo's child crashed or hung
  128+n killed by signal n (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT),
     after putting back any system setting a demo had changed (137 SIGKILL:
     the next vmlab run puts them back)

Frame numbers need root: run with sudo to see them.";

/// See memory virtualization on the running kernel: regions, pages, frames.
#[derive(Parser, Debug)]
#[command(name = "vmlab", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print JSON (stable field names, the same data as the table) instead of a table:
    /// one object with a schema_version; addresses, VPNs and PFNs as hex strings.
    #[arg(long, global = true, help_heading = "Output")]
    json: bool,

    /// When to colour the output. `auto` colours a terminal unless NO_COLOR is set or
    /// TERM is `dumb`.
    #[arg(long, global = true, help_heading = "Output", value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Lay the output out for N columns. Default: COLUMNS, else the terminal's
    /// width, else 80.
    #[arg(long, global = true, help_heading = "Output", value_name = "N", value_parser = clap::value_parser!(u16).range(40..))]
    width: Option<u16>,

    /// The language of the output: `en` or `es`. Default: VMLAB_LANG, else the locale
    /// (LC_ALL, LC_MESSAGES, LANG: any es_* is Spanish), else English.
    #[arg(long, global = true, help_heading = "Output", value_enum)]
    lang: Option<vmlab::i18n::Lang>,

    /// Keep every column of wide tables, even past the width.
    #[arg(long, global = true, help_heading = "Output")]
    wide: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every demo in order: each claim of theory tested on this kernel, with a
    /// verdict, and a summary table at the end.
    #[command(
        after_help = "Examples:\n  vmlab tour                  every demo, narrated, with the verdicts\n  sudo vmlab tour             the same, with frame numbers and flags\n  vmlab tour --brief          the claims and verdicts only\n  vmlab tour --lang es        in Spanish\n  vmlab tour --json | jq .totals"
    )]
    Tour {
        /// The claims and their verdicts only, one line each: no narration, no tables.
        #[arg(long)]
        brief: bool,

        /// On a terminal, wait for Enter between demos (a teacher at a projector); `q`
        /// and Enter stops the tour there.
        #[arg(long)]
        pause: bool,
    },

    /// Run the tour (or the demos named) and write one self-contained HTML page: the
    /// machine, each demo's steps, claims and verdicts, a picture of a live process's
    /// address space, the TLB curves and the fault costs as charts. No script, nothing
    /// fetched: open it in any browser, hand it in, print it.
    #[command(
        after_help = "Examples:\n  vmlab report -o tour.html           the whole tour as one page\n  sudo vmlab report -o tour.html      the same, with frame numbers and flags\n  vmlab report cow tlb -o r.html      two demos\n  vmlab report --lang es -o informe.html\n  vmlab report translate --pid 4242 -o r.html   with process 4242's address space\n  scripts/report-screenshot.sh tour.html tour.png"
    )]
    Report {
        /// The demos to run, in the order given (default: every demo, as the tour).
        #[arg(value_name = "DEMO")]
        demos: Vec<String>,

        /// The HTML file to write (its name must end in .html). Checked before any demo
        /// runs; an existing file is replaced whole.
        #[arg(
            short = 'o',
            long = "output",
            value_name = "FILE.html",
            required = true
        )]
        output: std::path::PathBuf,

        /// The process whose address space is drawn (default: vmlab itself).
        #[arg(long, value_name = "PID")]
        pid: Option<String>,
    },

    /// The course notes, chapter by chapter: each concept and the demo, simulator or
    /// inspector command that shows it on this machine.
    #[command(
        after_help = "Examples:\n  vmlab course                every concept of the notes and its command\n  vmlab course --lang es --width 60"
    )]
    Course,

    /// The course's terms in Spanish and English: what each means and the command
    /// that shows it.
    #[command(
        after_help = "Examples:\n  vmlab glossary              Spanish and English terms, their meaning\n  vmlab glossary --json | jq '.terms[] | select(.id == \"frame\")'"
    )]
    Glossary,

    /// List the demos.
    #[command(after_help = "Examples:\n  vmlab demos\n  vmlab demos --json")]
    Demos,

    /// Run one demo (`cow`, `vm-cow`, ...); the same as running its binary.
    #[command(
        after_help = "Examples:\n  vmlab demo cow              fork() and copy-on-write\n  sudo vmlab demo zeropage    with the frame numbers\n  vmlab demo tlb --plot tlb.svg\n  vmlab demo dirty --json | jq '.claims[] | {id, verdict}'"
    )]
    Demo {
        /// The demo's name, from `vmlab demos`.
        name: String,

        #[command(flatten)]
        options: cli::OptionArgs,
    },

    /// The regions of a process's address space: range, size, permissions, kind
    /// (text, data, heap, stack, library ...), RSS, PSS, swap and backing file.
    #[command(
        after_help = "Examples:\n  vmlab maps                  vmlab's own regions\n  vmlab maps 4242             the regions of process 4242\n  vmlab maps 4242 --json"
    )]
    Maps {
        /// Process id, or `self` for vmlab itself.
        #[arg(default_value = "self")]
        pid: String,

        /// Check each region's RSS, PSS and swap from smaps against its pages (pagemap,
        /// kpagecount: PSS is the sum of page size / map count) and explain every
        /// difference. PSS needs root.
        #[arg(long)]
        verify: bool,

        /// Stop the process (SIGSTOP) while it is read, and resume it after, also on
        /// Ctrl-C or an error: one still moment. Not for vmlab itself.
        #[arg(long)]
        freeze: bool,
    },

    /// The pages of a process, one row per page: present or not, frame number (PFN),
    /// physical address, map count, exclusive, soft-dirty, frame flags.
    #[command(
        after_help = "Examples:\n  vmlab pages self heap                  every page of vmlab's heap\n  vmlab pages 4242 libc --runs           runs of alike pages of libc\n  vmlab pages 4242 0x7f0000000000+2M --present\n  vmlab pages 4242 --summary             counts of every page, fast\n  sudo vmlab pages 4242 --summary --map-counts   and pages by map count\n  sudo vmlab pages 4242 stack            with frames, map counts, flags"
    )]
    Pages {
        /// Process id, or `self`.
        pid: String,

        /// What to show: a range `START-END` or `START+LEN` (page-aligned, e.g.
        /// 0x7f0000000000+2M), one address (its page), or a region name (`heap`,
        /// `stack`, `[vdso]`, `text`, `bss`, a library such as `libc`). Default: every
        /// region.
        selection: Option<String>,

        /// One row per run of alike consecutive pages (same state, bits, flags, and
        /// contiguous frames) instead of one per page.
        #[arg(long)]
        runs: bool,

        /// Show present pages only.
        #[arg(long)]
        present: bool,

        /// No rows: only the counts (present, swapped, exclusive, shared, zero page,
        /// huge, soft-dirty) and page-types' table of pages by flags. Fast on ranges of
        /// any size.
        #[arg(long, conflicts_with_all = ["runs", "present"])]
        summary: bool,

        /// With --summary: also how many pages have each map count (as root), read from
        /// /proc/kpagecount: one more read for each shared page. Rows always show the
        /// map count.
        #[arg(long, requires = "summary")]
        map_counts: bool,

        /// How to read the page table: `pagemap-scan` asks the kernel (Linux 6.7+) for
        /// the populated pages and skips the rest; `pread` reads every entry; `auto`
        /// uses the first where it exists. Both give the same rows.
        #[arg(long, value_enum, default_value_t = ScanMethod::Auto)]
        method: ScanMethod,

        #[command(flatten)]
        flags: FlagArgs,

        /// Stop the process (SIGSTOP) while it is read, and resume it after, also on
        /// Ctrl-C or an error: one still moment (without it, entries that change while
        /// being read are read again and counted). Not for vmlab itself.
        #[arg(long)]
        freeze: bool,
    },

    /// What every frame of the machine holds, from /proc/kpageflags and
    /// /proc/kpagecount (page-types without -p): runs of alike frames with their map
    /// count and flags, or with --summary page-types' table of frames by flags. Root
    /// only: the kernel lets no one else read those files.
    #[command(
        after_help = "Examples:\n  sudo vmlab frames --summary            every frame of the machine, by flags\n  sudo vmlab frames 0x100000+4096        4096 frames, in runs of alike ones\n  sudo vmlab frames --summary --flags thp\n  sudo vmlab frames --json | jq .summary"
    )]
    Frames {
        /// Frames to read: `N`, `N-M` (M excluded), `N+COUNT` or `N-` (to the last
        /// frame); decimal or 0x hex. Default: every frame.
        range: Option<String>,

        /// No rows: the table of frames by flag combination, read on every CPU (flags
        /// only, as page-types reads).
        #[arg(long)]
        summary: bool,

        #[command(flatten)]
        flags: FlagArgs,
    },

    /// The page cache of files: which pages of each are cached (mincore, cachestat)
    /// and, as root, the frames that hold them, with map counts and flags (page-types
    /// -f, fincore). Directories are walked (links not followed, other file systems
    /// not entered).
    #[command(
        after_help = "Examples:\n  vmlab cache /usr/lib/x86_64-linux-gnu/libc.so.6\n  sudo vmlab cache /etc --summary        every file of a tree\n  sudo vmlab cache big.dat --flags dirty   its dirty cached pages"
    )]
    Cache {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,

        /// No rows: each file's count, and the totals.
        #[arg(long)]
        summary: bool,

        #[command(flatten)]
        flags: FlagArgs,
    },

    /// Every frame flag (/proc/kpageflags) and pagemap bit: what it means and when the
    /// kernel sets it, in the words the tables use (page-types -d, -h), with
    /// page-types' names and letters and its raw view's decoded bits.
    #[command(
        after_help = "Examples:\n  vmlab flags                   every flag and pagemap bit\n  vmlab flags anon owner_2      two of them\n  vmlab flags --lang es --json"
    )]
    Flags {
        /// Only these (vmlab's names such as ANON, or page-types' such as anonymous).
        names: Vec<String>,
    },

    /// Simulators for what the kernel does not show (base and bounds, segmentation,
    /// free lists, page tables walked by hand, TLB and replacement policies): a problem
    /// from a seed, its worked solution (--solve), and grading (--check).
    #[command(
        after_help = "Examples:\n  vmlab sim paging --seed 7              a page-table exercise\n  vmlab sim paging --seed 7 --solve      its worked solution\n  vmlab sim paging --seed 7 --check answers.txt\n  vmlab sim policy -p lru -C 3 -A 1,2,3,4,1,2,5 --solve\n  vmlab sim segment --seed 3 --solve     segments, holes, compaction\n  vmlab sim freespace -C -A +10,+20,-0,+5 --solve"
    )]
    Sim {
        #[command(subcommand)]
        sim: Box<cli::SimCommand>,
    },

    /// A drop-in for the OSTEP homework simulators (relocation.py, segmentation.py,
    /// malloc.py, paging-linear-translate.py, paging-multilevel-translate.py,
    /// paging-policy.py): the same flags, the same problem for the same seed, the same
    /// output; the answers from vmlab's simulators, with a marked line where the script
    /// is wrong. `-h` after the script's name gives its flags; `--check FILE` grades.
    #[command(
        disable_help_flag = true,
        after_help = "Examples:\n  vmlab ostep relocation.py -s 3 -c       as python3 ./relocation.py -s 3 -c\n  vmlab ostep segmentation -s 1 -A 10,600 -c\n  vmlab ostep relocation.py -h            the script's flags\n  vmlab ostep relocation.py -s 3 --check answers.txt"
    )]
    Ostep {
        /// The script: relocation.py, segmentation.py, malloc.py,
        /// paging-linear-translate.py, paging-multilevel-translate.py, paging-policy.py
        /// (`.py` optional).
        #[arg(allow_hyphen_values = true)]
        script: String,

        /// The script's own flags, as the script takes them.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "FLAGS"
        )]
        args: Vec<String>,
    },

    /// Shell completions for vmlab: `vmlab completions bash > ~/.local/share/bash-completion/completions/vmlab`.
    #[command(
        after_help = "Examples:\n  vmlab completions bash > ~/.local/share/bash-completion/completions/vmlab\n  vmlab completions zsh > ~/.zfunc/_vmlab\n  vmlab completions fish > ~/.config/fish/completions/vmlab.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },

    /// The manual page of vmlab (roff): `vmlab man | man -l -`; with --dir, one page
    /// per command written into that folder (vmlab.1, vmlab-tour.1, ...).
    #[command(
        after_help = "Examples:\n  vmlab man | man -l -\n  vmlab man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// Write every page into this folder instead of printing vmlab.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },

    /// Translate one virtual address step by step: region, VPN and offset, page-walk
    /// indices, pagemap entry, frame, physical address, frame map count and flags.
    #[command(
        after_help = "Examples:\n  vmlab translate self 0x7ffd1234abcd\n  sudo vmlab translate 4242 0x55d0c0de1000   with the frame\n  vmlab translate 4242 0x401000 --json"
    )]
    Translate {
        /// Process id, or `self`.
        pid: String,
        /// The virtual address: hex with 0x (0x7ffd1234abcd) or decimal.
        address: String,

        /// Stop the process (SIGSTOP) while it is read, and resume it after.
        #[arg(long)]
        freeze: bool,
    },
}

/// Flag filtering and views, shared by `pages`, `frames` and `cache`.
#[derive(clap::Args, Debug, Clone)]
struct FlagArgs {
    /// Only pages whose frame flags match EXPR, as page-types -b: `anon,lru` (any set),
    /// `anon,~swapbacked` (anon set, swapbacked clear), `=thp` (exactly thp). Names are
    /// vmlab's (ANON) or page-types' (anonymous), any case; repeat to require several.
    /// Needs root (the flags come from /proc/kpageflags).
    #[arg(long = "flags", value_name = "EXPR")]
    exprs: Vec<String>,

    /// page-types' raw view (-r): kernel-internal bits kept, overloaded bits decoded
    /// (OWNER_2 as ANON_EXCLUSIVE), pagemap bits added (FILE, SWAP, MMAP_EXCLUSIVE).
    #[arg(long)]
    raw: bool,
}

impl FlagArgs {
    fn view(&self) -> vmlab::pageflags::View {
        if self.raw {
            vmlab::pageflags::View::Raw
        } else {
            vmlab::pageflags::View::Default
        }
    }

    /// The filter; an error when one is given but the flags cannot be read.
    fn filter(&self, inspector: &Inspector) -> Result<vmlab::pageflags::Filter> {
        let f = vmlab::pageflags::Filter::parse(&self.exprs)?;
        if !f.is_empty() && !inspector.privilege.flags_visible() {
            return Err(Error::NeedsPrivilege {
                what: vmlab::tr!("flags-needs-root"),
            });
        }
        Ok(f)
    }
}

fn main() -> ExitCode {
    // vm-segments runs copies of this program to see where ASLR puts things.
    demos::segments::answer_probe();
    cli::choose_language();
    cli::start();
    if let Err(code) = cli::require_stdout() {
        return code;
    }
    match cli::parse_or_exit::<Cli>() {
        Ok(args) => cli::finish(run(args)),
        Err(code) => code,
    }
}

fn run(cli: Cli) -> Result<u8> {
    let screen = cli::screen(cli.color, cli.width, cli.wide);
    if let Some(code) = run_experiments(&cli, screen)? {
        return Ok(code);
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match &cli.command {
        Command::Completions { .. }
        | Command::Man { .. }
        | Command::Course
        | Command::Glossary
        | Command::Demos => listing(&cli, &mut out, screen)?,
        _ => inspect(&cli, &mut out, screen)?,
    }
    out.flush().map_err(Error::Output)?;
    Ok(exit::OK)
}

/// The commands that run experiments or exercises and write as they go (the tour, a
/// demo, a simulator, an OSTEP script, the report): their exit code; `None` for the
/// others.
fn run_experiments(cli: &Cli, screen: render::Screen) -> Result<Option<u8>> {
    let opts = cli::RunOptions {
        json: cli.json,
        screen,
        tour: false,
        brief: false,
        pause: false,
    };
    let code = match &cli.command {
        Command::Tour { brief, pause } => {
            let all: Vec<&demos::Demo> = demos::DEMOS.iter().collect();
            let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
            if *pause && !interactive {
                let warning = vmlab::tr!("tour-pause-needs-terminal");
                eprintln!("{}", screen.palette.warn(&warning));
            }
            let opts = cli::RunOptions {
                tour: true,
                brief: *brief,
                pause: *pause && interactive,
                ..opts
            };
            cli::run_demos(&all, &demos::Lab::new(), opts)?
        }
        Command::Demo { name, options } => {
            let demo = demos::find(name)?;
            let lab = demos::Lab::with_options(options.clone().for_demo(demo)?);
            cli::run_demos(&[demo], &lab, opts)?
        }
        Command::Sim { sim } => cli::run_sim(sim, cli.json, screen)?,
        // The flags after `ostep` are the script's; `vmlab ostep --help` is ostep's.
        Command::Ostep { script, .. } if script == "--help" || script == "-h" => ostep_help()?,
        Command::Ostep { script, args } => cli::run_ostep(script, args, screen)?,
        Command::Report {
            demos: names,
            output,
            pid,
        } => {
            if cli.json {
                let refused = vmlab::tr!("report-json-refused");
                return Err(vmlab::error::InputError::Message(refused).into());
            }
            let list: Vec<&demos::Demo> = if names.is_empty() {
                demos::DEMOS.iter().collect()
            } else {
                names
                    .iter()
                    .map(|n| demos::find(n))
                    .collect::<Result<_>>()?
            };
            let options = cli::ReportOptions {
                output: output.clone(),
                pid: pid.clone(),
            };
            cli::run_report(&list, &options, screen)?
        }
        _ => return Ok(None),
    };
    Ok(Some(code))
}

/// `vmlab ostep --help`: the help of the `ostep` subcommand itself.
fn ostep_help() -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let help = cmd
        .find_subcommand_mut("ostep")
        .expect("ostep is a subcommand")
        .render_long_help();
    print!("{help}");
    io::stdout()
        .flush()
        .map(|_| exit::OK)
        .map_err(Error::Output)
}

/// The commands that list what vmlab holds: completions, man pages, the course, the
/// glossary, the demos.
fn listing(cli: &Cli, out: &mut dyn Write, screen: render::Screen) -> Result<()> {
    match &cli.command {
        Command::Completions { shell } => {
            // clap_complete panics when its writer fails (a closed pipe): generate into
            // memory, then write, so that a failed write is an ordinary error.
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "vmlab", &mut script);
            out.write_all(&script).map_err(Error::Output)?;
        }
        Command::Man { dir } => man(out, dir.as_deref())?,
        Command::Course => {
            let chapters = vmlab::course::chapters();
            if cli.json {
                print_json(out, &serde_json::json!({ "chapters": chapters }))?;
            } else {
                render::render_course(out, &chapters, screen).map_err(Error::Output)?;
            }
        }
        Command::Glossary => {
            let entries = vmlab::glossary::entries();
            if cli.json {
                print_json(out, &serde_json::json!({ "terms": entries }))?;
            } else {
                render::render_glossary(out, &entries, screen).map_err(Error::Output)?;
            }
        }
        Command::Demos if cli.json => {
            let list: Vec<serde_json::Value> = demos::DEMOS
                .iter()
                .map(|d| serde_json::json!({"name": d.name, "binary": format!("vm-{}", d.name), "summary": d.summary()}))
                .collect();
            print_json(out, &serde_json::json!({ "demos": list }))?;
        }
        Command::Demos => print_demo_list(out, screen)?,
        _ => unreachable!("run hands only the listings here"),
    }
    Ok(())
}

/// One line per demo binary, its summary wrapped under itself so that the list fits
/// the screen's width (the summaries are longer than 60 or 80 columns).
fn print_demo_list(out: &mut dyn Write, screen: render::Screen) -> Result<()> {
    let width = demos::DEMOS.iter().map(|d| d.name.len()).max().unwrap_or(0) + 3;
    let indent = width + 2;
    let text_width = screen.width.saturating_sub(indent).max(20);
    for d in demos::DEMOS {
        let binary = format!("vm-{}", d.name);
        let lines = render::text::wrap(&d.summary(), text_width);
        for (i, line) in lines.iter().enumerate() {
            let head = if i == 0 { binary.as_str() } else { "" };
            writeln!(out, "{head:<width$}  {line}").map_err(Error::Output)?;
        }
    }
    Ok(())
}

/// The inspector's commands: a process, the machine's frames, files, flags.
fn inspect(cli: &Cli, out: &mut dyn Write, screen: render::Screen) -> Result<()> {
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
            let target = Target::resolve(pid)?;
            let inspector = Inspector::new();
            let _frozen = freeze_if(*freeze, &target)?;
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
    let target = Target::resolve(pid)?;
    let inspector = Inspector::new();
    let _frozen = freeze_if(freeze, &target)?;
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
    let target = Target::resolve(pid)?;
    let inspector = Inspector::new();
    let _frozen = freeze_if(freeze, &target)?;
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
    let counts = {
        let mut sink = render::TablePageSink::new(out, screen, runs, &inspector.paging);
        if summary_only {
            inspector.summarize_pages(target, plan, options)?
        } else {
            inspector.scan_pages(target, plan, options, &mut sink)?
        }
    };
    if summary_only {
        render::render_summary_details(out, &counts, screen)?;
        if let Some(table) = &counts.by_flags {
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

/// Stops the target for the read when `--freeze` asks; it resumes when the guard goes.
fn freeze_if(freeze: bool, target: &Target) -> Result<Option<vmlab::freeze::Frozen>> {
    freeze
        .then(|| vmlab::freeze::Frozen::stop(&target.handle))
        .transpose()
}

/// The manual: `vmlab.1` on `out`, or every command's page into `dir`.
fn man(out: &mut dyn Write, dir: Option<&std::path::Path>) -> Result<()> {
    let cmd = <Cli as clap::CommandFactory>::command();
    match dir {
        None => clap_mangen::Man::new(cmd)
            .render(out)
            .map_err(Error::Output),
        Some(dir) => clap_mangen::generate_to(cmd, dir).map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            why: e.to_string(),
        }),
    }
}

/// `value` as a top-level JSON document, with its `schema_version` (see vmlab::json).
fn print_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    vmlab::json::write(out, value)
}

/// Says once, on stderr, what the kernel hides from this user.
fn notice(inspector: &Inspector, screen: vmlab::render::Screen) {
    if let Some(text) = inspector.privilege.notice() {
        cli::notice(&text, screen);
    }
}
