//! The operations run on two heaps: vmlab's answer and malloc.py's. vmlab's lines are
//! printed; where malloc.py's differ, a marked line gives the script's and why.

use super::{Item, Setup, question};
use crate::ostep::Run;
use crate::sim::freespace::heap::{Chunk, Heap, Invalid};
use crate::sim::freespace::{Allocator, Order, Rules};
use crate::tr;

/// vmlab's heap, and what each `ptr[k]` holds: the pointer, or why it has none.
struct Right {
    heap: Heap,
    ptrs: Vec<Result<u64, Invalid>>,
}

/// malloc.py's heap and its `p`: the chunks of the mallocs that succeeded (their
/// header's address; `-A` never takes them out, so freeing one twice finds it again).
struct Script {
    heap: Heap,
    p: std::collections::BTreeMap<usize, u64>,
    /// Stopped with a KeyError (it prints nothing after).
    crashed: bool,
}

/// Why malloc.py prints another line.
#[derive(Clone)]
enum Why {
    /// `-A` prints the header's address.
    Header,
    /// A failed malloc prints -1 plus the header size.
    FailedHeader,
    /// The rest of a split stays where the chunk was: the list is unsorted.
    Split,
    /// Coalescing merges list neighbours only.
    Neighbours,
    /// A pointer freed twice finds its old address, now another malloc's.
    Stale,
    /// `-A` compares the index with the mallocs that succeeded.
    Skip { ok: usize },
    /// The heaps have differed since this operation.
    Since(String),
}

impl Why {
    fn text(&self, s: &Setup) -> String {
        match self {
            Why::Header => tr!("ostep-malloc-why-header", header = s.header.to_string()),
            Why::FailedHeader => {
                tr!(
                    "ostep-malloc-why-failed-header",
                    header = s.header.to_string()
                )
            }
            Why::Split => tr!("ostep-malloc-why-split"),
            Why::Neighbours => tr!("ostep-malloc-why-neighbours"),
            Why::Stale => tr!("ostep-malloc-why-stale"),
            Why::Skip { ok } => tr!("ostep-malloc-why-skip", ok = *ok),
            Why::Since(op) => tr!("ostep-malloc-why-since", op = op.as_str()),
        }
    }
}

fn dump(list: &[Chunk]) -> String {
    let items: String = (list.iter())
        .map(|c| format!("[ addr:{} sz:{} ]", c.addr, c.size))
        .collect();
    format!("Free List [ Size {} ]: {items}", list.len())
}

/// The line that ends an operation: the list, or the question the script asks.
fn list_line(s: &Setup, list: &[Chunk]) -> String {
    match (s.solve, s.given) {
        (true, _) => dump(list),
        (false, false) => "List? ".into(),
        (false, true) => "List?".into(),
    }
}

fn answer(s: &Setup, value: i64) -> String {
    if s.solve {
        value.to_string()
    } else {
        "?".into()
    }
}

/// Runs `items` on both heaps, printing vmlab's lines and the marked differences;
/// the questions are vmlab's pointers. Returns the lines malloc.py prints (up to
/// where it stops), for the tests that hold them against the script's output.
pub(super) fn replay(out: &mut Run, s: &Setup, items: &[Item]) -> Vec<String> {
    let mut transcript = Vec::new();
    let mut right = Right {
        heap: Heap::new(s.allocator),
        ptrs: Vec::new(),
    };
    let mut script = Script {
        heap: Heap::new(Allocator {
            rules: Rules::MallocPy,
            ..s.allocator
        }),
        p: Default::default(),
        crashed: false,
    };
    let mut since: Option<String> = None;
    for (n, &item) in items.iter().enumerate() {
        let (mine, theirs, why) = match item {
            Item::Alloc { size, request } => alloc(out, s, &mut right, &mut script, size, request),
            Item::Free(k) => free(s, &mut right, &mut script, k, n),
            Item::Skip => {
                let skip = vec!["Invalid Free: Skipping".to_string()];
                (skip.clone(), Some(skip), None)
            }
        };
        for line in &mine {
            out.say(line.clone());
        }
        let Some(theirs) = theirs else {
            continue;
        };
        if script.crashed {
            // Its first and last difference: the script stops here.
            if let Item::Free(k) = item {
                transcript.extend(theirs);
                out.note(tr!("ostep-malloc-crash-keyerror", k = k));
            }
            continue;
        }
        transcript.extend(theirs.iter().cloned());
        if theirs != mine {
            // An allocation's reason is for its first line; a free's for all.
            let alloc = matches!(item, Item::Alloc { .. });
            let why_of = |i: usize| match (&since, &why) {
                (Some(op), _) => Why::Since(op.clone()),
                (None, Some(w)) if i == 0 || !alloc => w.clone(),
                _ => list_why(s),
            };
            notes(out, s, &mine, &theirs, &why_of);
        }
        let differ = right.heap.free != script.heap.free
            || !right.heap.used.keys().eq(script.heap.used.keys());
        if differ && since.is_none() {
            since = mine.first().cloned();
        }
    }
    transcript
}

/// Why the lists differ when nothing else explains it.
fn list_why(s: &Setup) -> Why {
    if s.allocator.coalesce && s.allocator.order != Order::Addr {
        Why::Neighbours
    } else {
        Why::Split
    }
}

/// One marked line per line the script prints otherwise (or one for all of them when
/// it prints another number of lines).
fn notes(out: &mut Run, s: &Setup, mine: &[String], theirs: &[String], why: &dyn Fn(usize) -> Why) {
    if mine.len() != theirs.len() {
        let said = theirs.join(" | ");
        let why = why(0).text(s);
        out.note(tr!("ostep-malloc-says", line = said, why = why));
        return;
    }
    for (i, (m, t)) in mine.iter().zip(theirs).enumerate() {
        if m != t {
            let why = why(i).text(s);
            out.note(tr!("ostep-malloc-says", line = t.as_str(), why = why));
        }
    }
}

type Lines = (Vec<String>, Option<Vec<String>>, Option<Why>);

fn alloc(
    out: &mut Run,
    s: &Setup,
    right: &mut Right,
    script: &mut Script,
    size: i64,
    request: u64,
) -> Lines {
    let k = right.ptrs.len();
    let a = right.heap.malloc(k, request);
    right.ptrs.push(a.ptr.ok_or(Invalid::MallocFailed));
    out.questions.push(question(k, size, a.ptr));
    let head = format!("ptr[{k}] = Alloc({size}) returned");
    let ptr = a.ptr.map_or(-1, |p| p as i64);
    let mine_first = match s.solve {
        true => format!("{head} {} (searched {} elements)", ptr, a.searched),
        false => format!("{head} ?"),
    };
    let mine = vec![mine_first, list_line(s, &right.heap.free), String::new()];
    if script.crashed {
        return (mine, None, None);
    }
    let b = script.heap.malloc(k, request);
    let chunk = b.chosen.map(|c| c.addr as i64);
    if let Some(c) = chunk {
        script.p.insert(k, c as u64);
    }
    // The script prints the chunk's address plus the header (-1 plus it on failure),
    // and with -A the chunk's address.
    let shown = match (s.given, chunk) {
        (true, c) => c.unwrap_or(-1),
        (false, c) => c.unwrap_or(-1) + s.header as i64,
    };
    let theirs_first = match s.solve {
        true => format!("{head} {shown} (searched {} elements)", b.searched),
        false => format!("{head} ?"),
    };
    let why = match (a.ptr, chunk) {
        (None, None) => Why::FailedHeader,
        _ if chunk.map(|c| c + s.header as i64) == Some(ptr) => Why::Header,
        _ => list_why(s),
    };
    let theirs = vec![theirs_first, list_line(s, &script.heap.free), String::new()];
    (mine, Some(theirs), Some(why))
}

fn free(s: &Setup, right: &mut Right, script: &mut Script, k: usize, n: usize) -> Lines {
    let (ptr, why) = match right.ptrs[k] {
        Ok(p) => (Some(p), None),
        Err(why) => (None, Some(why)),
    };
    let f = right.heap.free(k, ptr, why);
    if f.invalid.is_none() {
        right.ptrs[k] = Err(Invalid::DoubleFree { step: n + 1 });
    }
    let rc = if f.invalid.is_some() { -1 } else { 0 };
    let head = format!("Free(ptr[{k}])");
    let list = list_line(s, &right.heap.free);
    let mine = vec![
        head.clone(),
        format!("returned {}", answer(s, rc)),
        list,
        String::new(),
    ];
    if script.crashed {
        return (mine, None, None);
    }
    if s.given && k >= script.p.len() {
        let ok = script.p.len();
        return (
            mine,
            Some(vec!["Invalid Free: Skipping".into()]),
            Some(Why::Skip { ok }),
        );
    }
    let Some(&chunk) = script.p.get(&k) else {
        // A KeyError, once it has printed the operation.
        script.crashed = true;
        return (mine, Some(vec![head]), None);
    };
    if !s.given {
        script.p.remove(&k);
    }
    let g = script.heap.free(k, Some(chunk + s.header), None);
    let their_rc = if g.invalid.is_some() { -1 } else { 0 };
    let why = (their_rc != rc).then_some(Why::Stale);
    let theirs = vec![
        head,
        format!("returned {}", answer(s, their_rc)),
        list_line(s, &script.heap.free),
        String::new(),
    ];
    (mine, Some(theirs), why)
}
