//! vmlab's command line: every subcommand, its flags and their help.

use clap::{Parser, Subcommand};

use vmlab::cli::{self, ColorChoice};
use vmlab::error::{Error, Result};
use vmlab::inspect::{Inspector, ScanMethod};

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
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Print JSON (stable field names, the same data as the table) instead of a table:
    /// one object with a schema_version; addresses, VPNs and PFNs as hex strings.
    #[arg(long, global = true, help_heading = "Output")]
    pub(crate) json: bool,

    /// When to colour the output. `auto` colours a terminal unless NO_COLOR is set or
    /// TERM is `dumb`.
    #[arg(long, global = true, help_heading = "Output", value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,

    /// Lay the output out for N columns. Default: COLUMNS, else the terminal's
    /// width, else 80.
    #[arg(long, global = true, help_heading = "Output", value_name = "N", value_parser = clap::value_parser!(u16).range(40..))]
    pub(crate) width: Option<u16>,

    /// The language of the output: `en` or `es`. Default: VMLAB_LANG, else the locale
    /// (LC_ALL, LC_MESSAGES, LANG: any es_* is Spanish), else English.
    #[arg(long, global = true, help_heading = "Output", value_enum)]
    pub(crate) lang: Option<vmlab::i18n::Lang>,

    /// Keep every column of wide tables, even past the width.
    #[arg(long, global = true, help_heading = "Output")]
    pub(crate) wide: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
        // clap skips `requires` when a flag that conflicts with --summary is given
        // (clap-rs/clap#4520): --runs and --present are refused by name too.
        #[arg(long, requires = "summary", conflicts_with_all = ["runs", "present"])]
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
pub(crate) struct FlagArgs {
    /// Only pages whose frame flags match EXPR, as page-types -b: `anon,lru` (any set),
    /// `anon,~swapbacked` (anon set, swapbacked clear), `=thp` (exactly thp). Names are
    /// vmlab's (ANON) or page-types' (anonymous), any case; repeat to require several.
    /// Needs root (the flags come from /proc/kpageflags).
    #[arg(long = "flags", value_name = "EXPR")]
    pub(crate) exprs: Vec<String>,

    /// page-types' raw view (-r): kernel-internal bits kept, overloaded bits decoded
    /// (OWNER_2 as ANON_EXCLUSIVE), pagemap bits added (FILE, SWAP, MMAP_EXCLUSIVE).
    #[arg(long)]
    pub(crate) raw: bool,
}

impl FlagArgs {
    pub(crate) fn view(&self) -> vmlab::pageflags::View {
        if self.raw {
            vmlab::pageflags::View::Raw
        } else {
            vmlab::pageflags::View::Default
        }
    }

    /// The filter; an error when one is given but the flags cannot be read.
    pub(crate) fn filter(&self, inspector: &Inspector) -> Result<vmlab::pageflags::Filter> {
        let f = vmlab::pageflags::Filter::parse(&self.exprs)?;
        if !f.is_empty() && !inspector.privilege.flags_visible() {
            return Err(Error::NeedsPrivilege {
                what: vmlab::tr!("flags-needs-root"),
            });
        }
        Ok(f)
    }
}
