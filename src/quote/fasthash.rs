//! A small, fast hasher for the entity tables of extraction.
//!
//! The standard library's SipHash resists collision attacks, which costs time on every short
//! word looked up; extraction hashes a few words per token, and its tables are filled from the
//! article being read, so a plain multiply-and-rotate hash is enough. The hash is the same on
//! every run, which nothing relies on: iteration order of these tables never reaches output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Mixes each 8-byte word into the state with a rotation, an exclusive or and a multiplication
/// by an odd constant with well-spread bits (from the fractional part of the golden ratio).
#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    state: u64,
}

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps "ab" and "ab\0" apart.
            self.mix(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(i as u64);
    }

    fn write_u32(&mut self, i: u32) {
        self.mix(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        // The low bits pick the bucket: fold the well-mixed high bits into them.
        self.state ^ (self.state >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash + ?Sized>(x: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(x)
    }

    #[test]
    fn distinct_words_hash_apart() {
        let words = ["", "a", "b", "ab", "ba", "a\0", "said", "says", "senator", "senators"];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash(*a), hash(*b), "{a:?} {b:?}");
            }
        }
        assert_eq!(hash("okafor"), hash(&"okafor".to_string()));
    }

    #[test]
    fn tables_work() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("w{i}"), i);
        }
        assert!((0..1000).all(|i| m[&format!("w{i}")] == i));
        assert!(!m.contains_key("w1000"));
    }
}
