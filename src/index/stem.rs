//! English stemming with a memory of the words already stemmed: the last filter of the
//! quotation analyzer while indexing (`schema::remember_stems`), giving exactly tantivy's
//! `Stemmer` output.
//!
//! Newswriting repeats a small vocabulary: most words of a quotation were seen a moment ago, and
//! the Snowball algorithm costs far more than a table lookup (about a tenth of indexing time on
//! two cores before this memory). The memory is per thread, so the indexing threads never wait
//! on each other, and bounded: it starts over when full.

use std::cell::RefCell;

use crate::quote::fasthash::FastMap;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Words remembered per thread before the memory starts over.
const REMEMBERED: usize = 200_000;

thread_local! {
    static STEMS: RefCell<FastMap<String, String>> = RefCell::new(FastMap::default());
}

/// The filter: English stems, remembered.
#[derive(Clone, Default)]
pub struct RememberingStemmer;

impl TokenFilter for RememberingStemmer {
    type Tokenizer<T: Tokenizer> = RememberingStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberingStemmerTokenizer<T> {
        let stem_one = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        RememberingStemmerTokenizer { inner: tokenizer, stem_one }
    }
}

#[derive(Clone)]
pub struct RememberingStemmerTokenizer<T> {
    inner: T,
    /// tantivy's stemmer on one word, for words not remembered yet.
    stem_one: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for RememberingStemmerTokenizer<T> {
    type TokenStream<'a> = RememberingStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStemmerStream {
            tail: self.inner.token_stream(text),
            stem_one: &mut self.stem_one,
        }
    }
}

pub struct RememberingStemmerStream<'a, S> {
    tail: S,
    stem_one: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for RememberingStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with(|stems| {
            let mut stems = stems.borrow_mut();
            if let Some(stem) = stems.get(&token.text) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = {
                let mut stream = self.stem_one.token_stream(&token.text);
                if stream.advance() {
                    stream.token().text.clone()
                } else {
                    String::new()
                }
            };
            if stems.len() >= REMEMBERED {
                stems.clear();
            }
            stems.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};

    use super::*;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn same_stems_and_offsets_as_tantivys_stemmer() {
        let build = |remember: bool| {
            let b = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
            if remember {
                b.filter(RememberingStemmer).build()
            } else {
                b.filter(Stemmer::new(Language::English)).build()
            }
        };
        let (mut ours, mut theirs) = (build(true), build(false));
        // Twice, so that the second pass answers from memory; the empty text has no words.
        for text in ["Tariffs are taxes; the tariff taxed running runners", "Tariffs ran", ""] {
            for pass in 0..2 {
                assert_eq!(words(&mut ours, text), words(&mut theirs, text), "{text} {pass}");
            }
        }
        assert_eq!(words(&mut ours, "tariffs")[0].0, "tariff");
    }
}
