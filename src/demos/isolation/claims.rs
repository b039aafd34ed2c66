//! What vm-isolation decides, from the record alone.

use super::narration::{ending_text, reply_text};
use super::*;

/// The claims, decided from the record alone.
pub fn judge(o: &Observation) -> Vec<Claim> {
    vec![
        own_values(o),
        three_frames(o),
        exclusive(o),
        crash_signal(o),
        siblings_survive(o),
        parent_intact(o),
    ]
}

/// Every holder's evidence, or the reason of the first that is missing.
fn all<T>(hs: &[&Holder], each: impl Fn(&Holder) -> Evidence<T>) -> Evidence<Vec<T>> {
    let mut seen = Vec::new();
    for h in hs {
        match each(h) {
            Evidence::Seen(v) => seen.push(v),
            Evidence::Missing(m) => return Evidence::Missing(m),
        }
    }
    Evidence::Seen(seen)
}

fn holders(o: &Observation) -> Vec<&Holder> {
    o.holders.iter().collect()
}

fn values_theory(hs: &[&Holder]) -> String {
    hex_list(&hs.iter().map(|h| h.value).collect::<Vec<_>>())
}

fn own_values(o: &Observation) -> Claim {
    let hs = holders(o);
    claim!("isolation-own-values", values = values_theory(&hs)).on(
        all(&hs, |h| h.read_back.clone()),
        |read| {
            let holds = hs.iter().zip(&read).all(|(h, v)| h.value == *v);
            (hex_list(&read), holds && read.len() == 3)
        },
    )
}

fn three_frames(o: &Observation) -> Claim {
    let pages: Vec<Page> = o.holders.iter().map(|h| h.page.clone()).collect();
    claim!("isolation-three-frames").on(frames(&pages), |f| {
        let mut distinct: Vec<u64> = f.iter().map(|p| p.0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let seen = hex_list(&f.iter().map(|p| p.0).collect::<Vec<_>>());
        (seen, distinct.len() == 3 && f.len() == 3)
    })
}

fn exclusive(o: &Observation) -> Claim {
    let hs = holders(o);
    let bits = all(&hs, |h| {
        if h.page.present() {
            Evidence::Seen(h.page.exclusive)
        } else {
            Evidence::missing(tr!("reason-page-not-present", va = h.page.va.hex()))
        }
    });
    claim!("isolation-exclusive").on(bits, |bits| {
        let n = bits.iter().filter(|&&b| b).count();
        let seen = tr!(
            "isolation-exclusive-seen",
            exclusive = n,
            total = bits.len()
        );
        (seen, n == 3 && bits.len() == 3)
    })
}

fn crash_signal(o: &Observation) -> Claim {
    claim!("isolation-crash-signal").on(o.crasher.ended.clone(), |e| {
        let holds = e
            == Ending::Killed {
                signal: "SIGSEGV".into(),
            };
        (ending_text(&Evidence::Seen(e)), holds)
    })
}

/// The answers after the crash of `hs`, provided the third child did crash.
fn after_a_crash(o: &Observation, hs: &[&Holder]) -> Evidence<Vec<Reply>> {
    match &o.crasher.ended {
        Evidence::Seen(Ending::Killed { .. }) => all(hs, |h| h.after_crash.clone()),
        Evidence::Seen(Ending::Exited { .. }) => Evidence::missing(tr!("isolation-no-crash")),
        Evidence::Missing(m) => Evidence::Missing(m.clone()),
    }
}

/// Each reply is the holder's own value.
fn replies_hold(hs: &[&Holder], replies: &[Reply]) -> (String, bool) {
    let holds = replies.len() == hs.len()
        && hs
            .iter()
            .zip(replies)
            .all(|(h, r)| *r == Reply::Value(h.value));
    let seen: Vec<String> = replies
        .iter()
        .map(|r| reply_text(&Evidence::Seen(*r)))
        .collect();
    (seen.join(", "), holds)
}

fn siblings_survive(o: &Observation) -> Claim {
    let kids: Vec<&Holder> = o.holders.iter().filter(|h| h.who != Who::Parent).collect();
    claim!("isolation-siblings-survive", values = values_theory(&kids))
        .on(after_a_crash(o, &kids), |r| replies_hold(&kids, &r))
}

fn parent_intact(o: &Observation) -> Claim {
    let parent: Vec<&Holder> = o.holders.iter().filter(|h| h.who == Who::Parent).collect();
    claim!("isolation-parent-intact", value = values_theory(&parent))
        .on(after_a_crash(o, &parent), |r| replies_hold(&parent, &r))
}
