//! Quotation terms with a memory, for index runs: the filters that follow the quotation
//! analyzer's tokenizer (drop overlong words, lower-case, fold to ASCII, English stem) done as
//! one lookup per word, giving exactly the terms of the plain analyzer (`schema::remember_terms`).
//!
//! Newswriting repeats a small vocabulary: most words of a quotation were seen a moment ago, and
//! the Snowball algorithm costs far more than a table lookup. The memory is per thread, so the
//! indexing threads never wait on each other, and bounded. It has two levels because a lookup
//! was bound by memory latency, not work (half its time on loading one bucket of a table of
//! 50,000 words): a small direct-mapped table of short words, which stays in the processor's
//! cache and answers most words, in front of a hash map of every word seen.

use std::cell::RefCell;

use crate::quote::fasthash::FastMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer,
    TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Words kept in the hash map per thread before it starts over.
const REMEMBERED: usize = 200_000;

/// Slots of the direct-mapped table (32 bytes each: 128 KB per thread).
const HOT_SLOTS: usize = 4096;

/// Longest word or term (in bytes) the direct-mapped table holds inline.
const HOT_BYTES: usize = 15;

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::default());
}

/// The filter: terms of the words of a `SimpleTokenizer`, remembered. Words of `limit` bytes or
/// more are dropped, as tantivy's `RemoveLongFilter::limit(limit)` drops them.
#[derive(Clone)]
pub struct RememberedTerms {
    limit: usize,
}

impl RememberedTerms {
    pub fn new(limit: usize) -> Self {
        RememberedTerms { limit }
    }
}

impl TokenFilter for RememberedTerms {
    type Tokenizer<T: Tokenizer> = RememberedTermsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedTermsTokenizer<T> {
        RememberedTermsTokenizer { inner: tokenizer, limit: self.limit, plain: plain_filters() }
    }
}

/// The word filters of the quotation analyzer (lower-case, fold to ASCII, English stem) after
/// `builder`: the one list both the plain analyzer (`schema`) and this memory's misses use.
pub fn word_filters<T: Tokenizer>(builder: TextAnalyzerBuilder<T>) -> TextAnalyzer {
    builder
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Tantivy's own filters on one word, for words not remembered yet.
fn plain_filters() -> TextAnalyzer {
    word_filters(TextAnalyzer::builder(RawTokenizer::default()))
}

#[derive(Clone)]
pub struct RememberedTermsTokenizer<T> {
    inner: T,
    limit: usize,
    plain: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for RememberedTermsTokenizer<T> {
    type TokenStream<'a> = RememberedTermsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedTermsStream {
            tail: self.inner.token_stream(text),
            limit: self.limit,
            plain: &mut self.plain,
        }
    }
}

pub struct RememberedTermsStream<'a, S> {
    tail: S,
    limit: usize,
    plain: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for RememberedTermsStream<'_, S> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            // Dropped, keeping its position, as `RemoveLongFilter` drops it.
            if token.text.len() >= self.limit {
                continue;
            }
            MEMORY.with(|m| m.borrow_mut().rewrite(&mut token.text, self.plain));
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// One thread's memory of words and their terms.
struct Memory {
    /// Short words and their terms, packed (see `pack`); a word of 0 marks an empty slot, as
    /// words are never empty.
    hot: Vec<(u128, u128)>,
    all: FastMap<Box<str>, Box<str>>,
}

impl Default for Memory {
    fn default() -> Self {
        Memory { hot: vec![(0, 0); HOT_SLOTS], all: FastMap::default() }
    }
}

impl Memory {
    /// Replaces `word` by its term.
    fn rewrite(&mut self, word: &mut String, plain: &mut TextAnalyzer) {
        let Some(key) = pack(word) else {
            self.term(word, plain);
            return;
        };
        let slot = slot_of(key);
        let (known, packed) = self.hot[slot];
        if known == key {
            unpack(packed, word);
            return;
        }
        self.term(word, plain);
        if let Some(packed) = pack(word) {
            self.hot[slot] = (key, packed);
        }
    }

    /// Replaces `word` by its term from the hash map, or made and remembered. A word found
    /// is copied over in place: no allocation (one per word cost 3% of an index run).
    fn term(&mut self, word: &mut String, plain: &mut TextAnalyzer) {
        if let Some(term) = self.all.get(word.as_str()) {
            word.clear();
            word.push_str(term);
            return;
        }
        let term: Box<str> = {
            let mut stream = plain.token_stream(word);
            if stream.advance() {
                stream.token().text.as_str().into()
            } else {
                "".into()
            }
        };
        if self.all.len() >= REMEMBERED {
            self.all.clear();
        }
        let known: Box<str> = word.as_str().into();
        word.clear();
        word.push_str(&term);
        self.all.insert(known, term);
    }
}

/// A word of at most `HOT_BYTES` bytes as one number: its bytes, zeros, and its length in the
/// last byte (so that no two words share a number and no word packs to 0).
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > HOT_BYTES {
        return None;
    }
    let mut b = [0u8; 16];
    b[..bytes.len()].copy_from_slice(bytes);
    b[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(b))
}

/// Writes a packed term into `out`.
fn unpack(packed: u128, out: &mut String) {
    let b = packed.to_le_bytes();
    let len = usize::from(b[15]);
    // SAFETY: the bytes were packed from a whole `str` (`pack`), so the first `len` are valid
    // UTF-8 (checking them again cost 60 instructions a word, 0.8% of an index run). All 16
    // are copied, as one move rather than a call to copy `len` bytes, into room for 16; only
    // `len` become the string.
    unsafe {
        let v = out.as_mut_vec();
        v.clear();
        v.reserve(b.len());
        std::ptr::copy_nonoverlapping(b.as_ptr(), v.as_mut_ptr(), b.len());
        v.set_len(len);
    }
}

/// The direct-mapped slot of a packed word: a multiplicative hash of both halves.
fn slot_of(key: u128) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - HOT_SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    use super::*;

    type Terms = Vec<(String, usize, usize, usize)>;

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Terms {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn plain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(12))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build()
    }

    fn remembered() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(RememberedTerms::new(12)).build()
    }

    #[test]
    fn same_terms_offsets_and_positions_as_tantivys_filters() {
        let (mut ours, mut theirs) = (remembered(), plain());
        let texts = [
            ("words and stems", "Tariffs are taxes; the tariff taxed running runners"),
            ("capitals apart from lower case", "Tariffs TARIFFS tariffs TaRiFfS"),
            ("folded letters", "Sánchez façade naïve Œuvre Straße ÆTHER"),
            ("lower-casing that lengthens", "İstanbul İİİİİİİİ"),
            ("a term longer than its word", "ßßßßßßßß ßßßßß"),
            ("words dropped as too long keep positions", "short abcdefghijklm tail"),
            ("the length limit itself", "abcdefghijk abcdefghijkl"),
            ("long words kept in the hash map only", "constitutionally unconstitutional"),
            ("digits and scripts", "2023 COVID19 東京 Москва"),
            ("no words", " ,.; "),
            ("empty", ""),
        ];
        // Twice, so that the second pass answers from memory.
        for pass in 0..2 {
            for (name, text) in texts {
                assert_eq!(terms(&mut ours, text), terms(&mut theirs, text), "{name}, pass {pass}");
            }
        }
        assert_eq!(terms(&mut ours, "Tariffs")[0].0, "tariff");
    }

    #[test]
    fn colliding_slots_answer_their_own_words() {
        // More distinct words than slots: every slot is taken over several times.
        let words: Vec<String> = (0..3 * HOT_SLOTS).map(|i| format!("w{i}ing")).collect();
        let text = words.join(" ");
        let (mut ours, mut theirs) = (remembered(), plain());
        for pass in 0..2 {
            assert!(terms(&mut ours, &text) == terms(&mut theirs, &text), "pass {pass}");
        }
    }

    #[test]
    fn packing_keeps_words_apart() {
        let cases = [
            ("a word and its prefix", "ab", "abc"),
            ("a trailing zero byte", "ab", "ab\0"),
            ("same bytes, other order", "ab", "ba"),
        ];
        for (name, a, b) in cases {
            assert_ne!(pack(a), pack(b), "{name}");
        }
        assert_eq!(pack(""), None, "empty");
        assert_eq!(pack("sixteen bytes!!!"), None, "too long");
        let mut out = String::new();
        unpack(pack("fifteen bytes!!").unwrap(), &mut out);
        assert_eq!(out, "fifteen bytes!!", "round trip");
    }
}
