//! CPython's `random` module, as far as the OSTEP scripts use it: `random.seed(n)`
//! for an integer `n` and `random.random()`, bit for bit.
//!
//! CPython's generator is MT19937. `seed(n)` takes the 32-bit words of `abs(n)`,
//! least significant first (one zero word for 0), and hands them to MT19937's
//! `init_by_array`; `random()` takes two 32-bit outputs `a` and `b` and returns
//! `((a >> 5) * 2^26 + (b >> 6)) / 2^53`. `seed(n, version=1)` is the same for an
//! integer. The tests compare with sequences recorded from python3
//! (tests/fixtures/ostep/pyrandom.txt).

use super::optparse::PyInt;

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// The state of Python's `random` module.
#[derive(Clone)]
pub struct PyRandom {
    mt: Box<[u32; N]>,
    index: usize,
}

impl std::fmt::Debug for PyRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PyRandom {{ index: {} }}", self.index)
    }
}

impl PyRandom {
    /// `random.seed(seed)` for a machine integer.
    pub fn new(seed: i64) -> PyRandom {
        PyRandom::seeded(&PyInt::from(seed))
    }

    /// `random.seed(seed)` for any Python integer (seeds may be larger than 64 bits).
    pub fn seeded(seed: &PyInt) -> PyRandom {
        let mut key = seed.magnitude_words();
        if key.is_empty() {
            key.push(0);
        }
        let mut r = PyRandom {
            mt: Box::new([0; N]),
            index: N,
        };
        r.init_by_array(&key);
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    /// Refills the state with the next 624 words.
    fn twist(&mut self) {
        let mt = &mut self.mt;
        for k in 0..N {
            let y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next 32-bit output (`random.getrandbits(32)`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// `random.random()`: a float in [0, 1) with 53 random bits.
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (a as f64 * 67_108_864.0 + b as f64) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `int(n * random.random())`, the scripts' way of drawing below `n` (Python
    /// multiplies as floats and truncates toward zero).
    pub fn below(&mut self, n: f64) -> i64 {
        (n * self.random()) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/ostep/pyrandom.txt");

    /// (seed, words, floats) for each seed recorded.
    fn recorded() -> Vec<(PyInt, Vec<u32>, Vec<f64>)> {
        let mut out = Vec::new();
        let mut lines = FIXTURE.lines().filter(|l| !l.starts_with('#'));
        while let Some(seed) = lines.next() {
            let seed = PyInt::parse(seed.strip_prefix("seed ").unwrap()).unwrap();
            let field = |l: Option<&str>, name: &str| -> Vec<String> {
                let l = l.unwrap().strip_prefix(name).unwrap();
                l.split_whitespace().map(String::from).collect()
            };
            let words = field(lines.next(), "words ");
            let floats = field(lines.next(), "random ");
            out.push((
                seed,
                words.iter().map(|w| w.parse().unwrap()).collect(),
                floats.iter().map(|f| f.parse().unwrap()).collect(),
            ));
        }
        out
    }

    #[test]
    fn the_fixture_has_the_seeds_the_brief_asks_for() {
        let seeds: Vec<String> = recorded().iter().map(|r| r.0.to_string()).collect();
        for s in ["0", "1", "2", "10", "12345", "4294967301", "-7"] {
            assert!(seeds.iter().any(|x| x == s), "seed {s} missing");
        }
    }

    #[test]
    fn words_and_floats_match_cpython_bit_for_bit() {
        for (seed, words, floats) in recorded() {
            let mut r = PyRandom::seeded(&seed);
            let got: Vec<u32> = words.iter().map(|_| r.next_u32()).collect();
            assert_eq!(got, words, "seed {seed}");
            let mut r = PyRandom::seeded(&seed);
            for (k, want) in floats.iter().enumerate() {
                let x = r.random();
                assert_eq!(x.to_bits(), want.to_bits(), "seed {seed}, draw {k}");
            }
        }
    }

    #[test]
    fn a_negative_seed_is_its_absolute_value() {
        let (mut a, mut b) = (PyRandom::new(-7), PyRandom::new(7));
        for _ in 0..10 {
            assert_eq!(a.random().to_bits(), b.random().to_bits());
        }
    }

    #[test]
    fn draws_after_the_first_refills_match_cpython() {
        // random.seed(5); draws 1000 to 1002 (2,000 words: three refills of 624).
        let want: [f64; 3] = [0.8713187027692235, 0.039767712548386625, 0.5888551653281111];
        let mut r = PyRandom::new(5);
        for _ in 0..1000 {
            r.random();
        }
        for w in want {
            assert_eq!(r.random().to_bits(), w.to_bits());
        }
    }
}
