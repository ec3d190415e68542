//! Case-insensitive word look-up shared by every rule of extraction: [`WordSet`], a fixed
//! list of lower-case words, and [`with_lowercase`], a word lower-cased without allocating.
//!
//! The lowest layer of `quote`: it knows no word lists of its own and imports nothing from its
//! neighbours. `cues` (speech verbs, pronouns…), `marks`, `text`, `names` and `filter` build
//! their lists on it.

use std::sync::OnceLock;

/// A set of lower-case words, looked up case-insensitively. Extraction asks several of these
/// sets about nearly every token, so a look-up neither allocates nor copies the word: see
/// [`Table`].
pub struct WordSet {
    words: &'static [&'static str],
    table: OnceLock<Table>,
}

/// An open-addressing hash table of a word list, built on first use.
///
/// The hash folds ASCII capitals to lower case as it reads the word, and slots are compared
/// ignoring ASCII case, so `Said` finds `said` without a lower-cased copy; other words are
/// lower-cased with `str::to_lowercase` first, as a `HashSet` of lower-case words would need.
struct Table {
    /// Index + 1 into `words` of the word in each slot, 0 for an empty slot. The length is a
    /// power of two with at most a quarter of the slots used, so a look-up nearly always ends
    /// at its first or second slot.
    slots: Vec<u16>,
    /// The list's words, those that are lower-case (the only ones a lower-cased word can equal).
    words: Vec<&'static str>,
    /// Bits of the hash that pick a slot.
    bits: u32,
    /// Byte lengths of the shortest and longest word: an ASCII word outside them is not in the
    /// set, whatever its case, and needs no hashing.
    min_len: usize,
    max_len: usize,
}

impl Table {
    fn new(list: &'static [&'static str]) -> Table {
        let mut words: Vec<&'static str> = Vec::new();
        for &w in list {
            if w.to_lowercase() == w && !words.contains(&w) {
                words.push(w);
            }
        }
        assert!(words.len() < u16::MAX as usize, "word list too long for u16 slots");
        let bits = (words.len() * 4).next_power_of_two().max(16).trailing_zeros();
        let mut t = Table {
            slots: vec![0; 1 << bits],
            words: Vec::new(),
            bits,
            min_len: words.iter().map(|w| w.len()).min().unwrap_or(0),
            max_len: words.iter().map(|w| w.len()).max().unwrap_or(0),
        };
        for (i, w) in words.iter().enumerate() {
            let mut slot = t.slot(w.as_bytes());
            while t.slots[slot] != 0 {
                slot = (slot + 1) & (t.slots.len() - 1);
            }
            t.slots[slot] = i as u16 + 1;
        }
        t.words = words;
        t
    }

    /// The first slot to look at for `word`, whatever the case of its ASCII letters.
    fn slot(&self, word: &[u8]) -> usize {
        // A few bytes that depend on every byte of a short word (the first and last four or
        // eight, overlapping when the word is shorter), read straight from the word, and its
        // length: collisions of longer words only cost a comparison.
        let n = word.len();
        let (head, tail) = if n >= 8 {
            (read_u64(&word[..8]), read_u64(&word[n - 8..]))
        } else if n >= 4 {
            (read_u32(&word[..4]), read_u32(&word[n - 4..]))
        } else if n > 0 {
            (word[0] as u64 | (word[n / 2] as u64) << 8 | (word[n - 1] as u64) << 16, 0)
        } else {
            (0, 0)
        };
        let h = (fold_ascii_case(head) ^ fold_ascii_case(tail).rotate_left(29) ^ n as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - self.bits)) as usize
    }

    fn contains(&self, word: &[u8]) -> bool {
        let mut slot = self.slot(word);
        loop {
            match self.slots[slot] {
                0 => return false,
                i if self.words[i as usize - 1].as_bytes().eq_ignore_ascii_case(word) => {
                    return true
                }
                _ => slot = (slot + 1) & (self.slots.len() - 1),
            }
        }
    }
}

fn read_u64(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("8 bytes"))
}

fn read_u32(b: &[u8]) -> u64 {
    u32::from_le_bytes(b.try_into().expect("4 bytes")) as u64
}

/// Sets the lower-case bit of every ASCII capital among the eight bytes of `x` (the bytes
/// compared at once: bit 7 of a byte marks it as `A` or above, and not above `Z`).
fn fold_ascii_case(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = x & LOW7;
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f; // 0x80 - b'A' added to each byte
    let past_z = low + 0x2525_2525_2525_2525; // 0x80 - (b'Z' + 1)
    let capitals = from_a & !past_z & !x & HIGH;
    x | (capitals >> 2)
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet { words, table: OnceLock::new() }
    }

    pub fn contains(&self, word: &str) -> bool {
        let t = self.table.get_or_init(|| Table::new(self.words));
        if word.is_ascii() {
            // Lower-casing keeps the length of ASCII words only.
            (t.min_len..=t.max_len).contains(&word.len()) && t.contains(word.as_bytes())
        } else {
            t.contains(word.to_lowercase().as_bytes())
        }
    }
}

/// Calls `f` with `word` lower-cased. Word lists are compared on lower-cased words many times
/// per paragraph, so short ASCII words (nearly all of them) are lower-cased in a buffer on the
/// stack instead of a new `String`; other words go through `str::to_lowercase` as before.
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    const MAX: usize = 32;
    if !word.is_ascii() || word.len() > MAX {
        return f(&word.to_lowercase());
    }
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(word);
    }
    let mut buf = [0u8; MAX];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    // SAFETY: `word` is ASCII (checked above) and lower-casing keeps it so: valid UTF-8.
    // Checking it again cost 0.5% of an index run.
    f(unsafe { std::str::from_utf8_unchecked(lower) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_folding() {
        assert_eq!(
            fold_ascii_case(u64::from_le_bytes(*b"SaId-Z@[")),
            u64::from_le_bytes(*b"said-z@[")
        );
    }

    #[test]
    fn lowercase_words() {
        // (name, word, lower-cased)
        let cases: &[(&str, &str, &str)] = &[
            ("capitals", "SaId", "said"),
            ("already lower (negative)", "said", "said"),
            ("non-ASCII", "ÉCOLE", "école"),
            (
                "longer than the buffer",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ",
                "abcdefghijklmnopqrstuvwxyzabcdefghij",
            ),
        ];
        for (name, word, want) in cases {
            assert_eq!(with_lowercase(word, str::to_string), *want, "case {name}");
        }
    }
}
