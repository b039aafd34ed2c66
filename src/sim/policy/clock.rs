//! CLOCK's hand in O(log frames) per eviction, whatever the use counts.
//!
//! The hand stops at the first frame whose use count is 0 when it gets there, taking 1
//! off every count it passes. A frame `f` with count `c` is reached with count 0 on its
//! `c`-th visit, at time `c × frames + distance(hand, f)`: the victim is the frame with
//! the lowest count, the nearest to the hand among those. Every frame loses that lowest
//! count `m` (the hand went round `m` times), and the frames between the hand and the
//! victim one more. A segment tree with lazy addition keeps the counts, so that this
//! costs O(log frames) instead of a sweep of up to frames × 2^bits steps.

/// Use counts per frame: range add, global minimum, first frame at or after a
/// position with a given count.
#[derive(Clone, Debug)]
pub struct Counts {
    n: usize,
    min: Vec<i64>,
    add: Vec<i64>,
}

impl Counts {
    /// `n` frames, every count 0.
    pub fn new(n: usize) -> Counts {
        let size = 4 * n.max(1);
        Counts {
            n: n.max(1),
            min: vec![0; size],
            add: vec![0; size],
        }
    }

    /// Adds `delta` to the counts of frames `lo..hi`.
    pub fn add(&mut self, lo: usize, hi: usize, delta: i64) {
        if lo < hi {
            self.update(1, 0, self.n, lo, hi, delta);
        }
    }

    fn update(&mut self, node: usize, l: usize, r: usize, lo: usize, hi: usize, delta: i64) {
        if hi <= l || r <= lo {
            return;
        }
        if lo <= l && r <= hi {
            self.min[node] += delta;
            self.add[node] += delta;
            return;
        }
        let mid = (l + r) / 2;
        self.update(2 * node, l, mid, lo, hi, delta);
        self.update(2 * node + 1, mid, r, lo, hi, delta);
        self.min[node] = self.add[node] + self.min[2 * node].min(self.min[2 * node + 1]);
    }

    /// The count of frame `f`.
    pub fn get(&self, f: usize) -> u32 {
        let (mut node, mut l, mut r, mut sum) = (1, 0, self.n, 0);
        while r - l > 1 {
            sum += self.add[node];
            let mid = (l + r) / 2;
            if f < mid {
                (node, r) = (2 * node, mid);
            } else {
                (node, l) = (2 * node + 1, mid);
            }
        }
        (sum + self.min[node]) as u32
    }

    /// Sets the count of frame `f`.
    pub fn set(&mut self, f: usize, value: u32) {
        let now = self.get(f) as i64;
        self.add(f, f + 1, value as i64 - now);
    }

    /// The lowest count.
    pub fn lowest(&self) -> u32 {
        self.min[1] as u32
    }

    /// The first frame at or after `from` whose count is `value` (the lowest).
    fn first_with(&self, from: usize, value: i64) -> Option<usize> {
        self.find(1, 0, self.n, from, value, 0)
    }

    fn find(
        &self,
        node: usize,
        l: usize,
        r: usize,
        from: usize,
        value: i64,
        above: i64,
    ) -> Option<usize> {
        if r <= from || above + self.min[node] > value {
            return None;
        }
        if r - l == 1 {
            return Some(l);
        }
        let mid = (l + r) / 2;
        let below = above + self.add[node];
        self.find(2 * node, l, mid, from, value, below)
            .or_else(|| self.find(2 * node + 1, mid, r, from, value, below))
    }

    /// Moves the hand from `hand` to the victim as CLOCK does, taking the counts off;
    /// returns the victim frame and how many full turns the hand made.
    pub fn sweep(&mut self, hand: usize) -> (usize, u32) {
        let m = self.lowest();
        let victim = self
            .first_with(hand, m as i64)
            .or_else(|| self.first_with(0, m as i64))
            .expect("some frame has the lowest count");
        self.add(0, self.n, -(m as i64));
        if victim >= hand {
            self.add(hand, victim, -1);
        } else {
            self.add(hand, self.n, -1);
            self.add(0, victim, -1);
        }
        (victim, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep done one frame at a time, as the definition says.
    fn naive(counts: &mut [u32], mut hand: usize) -> usize {
        loop {
            if counts[hand] == 0 {
                return hand;
            }
            counts[hand] -= 1;
            hand = (hand + 1) % counts.len();
        }
    }

    #[test]
    fn the_tree_sweeps_as_the_hand_does() {
        let mut rng = crate::sim::Rng::new(5);
        for n in [1, 2, 3, 7, 16] {
            let mut plain: Vec<u32> = (0..n).map(|_| rng.below(4) as u32).collect();
            let mut tree = Counts::new(n);
            for (f, &c) in plain.iter().enumerate() {
                tree.set(f, c);
            }
            let mut hand = 0;
            for _ in 0..50 {
                let expected = naive(&mut plain, hand);
                let (victim, _) = tree.sweep(hand);
                assert_eq!(victim, expected);
                let c = rng.below(4) as u32;
                plain[victim] = c;
                tree.set(victim, c);
                assert!((0..n).all(|f| tree.get(f) == plain[f]), "{n}");
                hand = (victim + 1) % n;
            }
        }
    }
}
