//! The index schema: the only place where field names and tokenizers are defined.
//!
//! One tantivy document per quotation. `index::writer` fills these fields and `search` reads
//! them; the JSON output of `quoth query` uses the same names.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::Index;

use super::manifest::Fnv;
use super::stem::{word_filters, RememberedTerms};
use crate::article::Date;
use std::fmt::Write as _;

/// Field names, shared with the JSON output.
pub const QUOTE: &str = "quote";
pub const QUOTE_KEY: &str = "quote_key";
pub const QUOTE_BUCKET: &str = "quote_bucket";
pub const ID: &str = "id";
pub const SPEAKER: &str = "speaker";
pub const SPEAKER_KEY: &str = "speaker_key";
pub const ROLE: &str = "role";
pub const DATE: &str = "date";
pub const FILE: &str = "file";
pub const LINE: &str = "line";
pub const TITLE: &str = "title";
pub const URL: &str = "url";
pub const PARAGRAPH: &str = "paragraph";
pub const PARAGRAPH_NUMBER: &str = "paragraph_number";
pub const START: &str = "start";
pub const END: &str = "end";

/// The version of what an index on disk means: its schema, analyzers, hashes and encodings
/// (see ARCHITECTURE.md, "What changes an index on disk"). Kept in the index folder
/// (`QuoteIndex`); an index of another format is refused with the advice to rebuild it.
/// 1: before the file existed (dates as tantivy dates). 2: dates as days (`date_days`).
/// 3: the fold key fast only, its bucket indexed (`quote_bucket`).
pub const FORMAT: u32 = 3;

/// Words of this many bytes or more are not indexed (nor searched).
const LONGEST_WORD: usize = 40;

/// Tokenizer names registered on every opened index.
const QUOTE_TOKENIZER: &str = "quote_text";
const SPEAKER_TOKENIZER: &str = "speaker_words";
const KEY_TOKENIZER: &str = "speaker_exact";

/// Handles to the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The quotation, stemmed English words: `tariff` finds `tariffs`.
    pub quote: Field,
    /// Hash of the normalised quotation, to fold the same words republished in several articles:
    /// fast, to fold hits before loading any document and to tell a bucket's quotations apart.
    pub quote_key: Field,
    /// The fold key's bucket (`quote_bucket`), indexed: the copies of a quotation are found
    /// among its bucket's documents, then told apart by `quote_key`.
    pub quote_bucket: Field,
    /// Stable id of one quotation (a hash of file, line and position), for `/api/quote/{id}`.
    pub id: Field,
    /// Speaker name words, lower-cased and without diacritics: `sanchez` finds `Sánchez`.
    pub speaker: Field,
    /// The whole speaker name, lower-cased and folded, for exact matches and counting.
    pub speaker_key: Field,
    pub role: Field,
    /// Article date as days since 1970-01-01 (`date_days`), indexed for ranges and fast for
    /// sorting.
    pub date: Field,
    /// Absolute path of the article; the key that replaces a file's quotes on re-index.
    pub file: Field,
    /// Line of a JSON Lines file holding the article (absent for other formats).
    pub line: Field,
    pub title: Field,
    pub url: Field,
    /// The surrounding paragraph(s), stored for display.
    pub paragraph: Field,
    pub paragraph_number: Field,
    pub start: Field,
    pub end: Field,
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    build_with(RoleWords::Stored)
}

/// How the speaker's role is kept. Roles are shown, never searched (no query reads their
/// words), so they are only stored; indexes of format 3 written before that indexed their
/// words too, and are read as they are (see `fields_of`).
#[derive(Clone, Copy)]
enum RoleWords {
    Stored,
    StoredAndIndexed,
}

fn build_with(role_words: RoleWords) -> (Schema, Fields) {
    let mut sb = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record),
        )
    };
    // Positions for phrase searches in quotations; names are matched word by word only.
    let quote =
        sb.add_text_field(QUOTE, text(QUOTE_TOKENIZER, IndexRecordOption::WithFreqsAndPositions));
    // The key is not indexed: one term per quotation, nearly all of them unique, made the
    // term table of every indexing thread large and slow (the key's index cost 7% of an index
    // run). Its bucket is indexed instead: at most 65 536 terms, a few dozen documents each.
    let quote_key = sb.add_u64_field(QUOTE_KEY, NumericOptions::default().set_fast());
    let quote_bucket = sb.add_u64_field(QUOTE_BUCKET, NumericOptions::default().set_indexed());
    // Fast, not indexed: a term per quotation would swell the term dictionary for a lookup
    // that `/api/quote/{id}` makes rarely; a scan of the column answers it in a millisecond.
    let id = sb.add_u64_field(ID, NumericOptions::default().set_stored().set_fast());
    let speaker = sb.add_text_field(SPEAKER, text(SPEAKER_TOKENIZER, IndexRecordOption::Basic));
    let speaker_key = sb.add_text_field(
        SPEAKER_KEY,
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(KEY_TOKENIZER))
            .set_fast(KEY_TOKENIZER),
    );
    // Indexing the role's words cost 1% of an index run for no search.
    let role = match role_words {
        RoleWords::Stored => sb.add_text_field(ROLE, STORED),
        RoleWords::StoredAndIndexed => {
            sb.add_text_field(ROLE, text(SPEAKER_TOKENIZER, IndexRecordOption::Basic))
        }
    };
    // Days, not tantivy's date type: its nanoseconds since 1970 in an i64 hold only the years
    // 1677 to 2262, and news archives reach further back (and typos further forward).
    let date =
        sb.add_i64_field(DATE, NumericOptions::default().set_indexed().set_stored().set_fast());
    let file = sb.add_text_field(FILE, STRING | STORED | FAST);
    let line = sb.add_u64_field(LINE, NumericOptions::default().set_stored());
    // Stored for display only: searches look in quotations, and indexing the title again with
    // every quotation of its article would cost time for nothing.
    let title = sb.add_text_field(TITLE, STORED);
    let url = sb.add_text_field(URL, STORED);
    let paragraph = sb.add_text_field(PARAGRAPH, STORED);
    let number = || NumericOptions::default().set_stored();
    // Fast as well: hits of the same day are ordered by position before any is loaded.
    let paragraph_number = sb.add_u64_field(PARAGRAPH_NUMBER, number().set_fast());
    let start = sb.add_u64_field(START, number().set_fast());
    let end = sb.add_u64_field(END, number());
    let fields = Fields {
        quote,
        quote_key,
        quote_bucket,
        id,
        speaker,
        speaker_key,
        role,
        date,
        file,
        line,
        title,
        url,
        paragraph,
        paragraph_number,
        start,
        end,
    };
    (sb.build(), fields)
}

/// Looks up the field handles of an opened index, failing if it was built by another schema
/// (same field names with other types or options included). The schema of format 3 as first
/// written, with the role's words indexed, is this one for every reader and writer: nothing
/// reads those words, and a writer keeps an index's own schema.
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    if *schema != build().0 && *schema != build_with(RoleWords::StoredAndIndexed).0 {
        return Err(tantivy::TantivyError::SchemaError("another schema".into()));
    }
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        quote: f(QUOTE)?,
        quote_key: f(QUOTE_KEY)?,
        quote_bucket: f(QUOTE_BUCKET)?,
        id: f(ID)?,
        speaker: f(SPEAKER)?,
        speaker_key: f(SPEAKER_KEY)?,
        role: f(ROLE)?,
        date: f(DATE)?,
        file: f(FILE)?,
        line: f(LINE)?,
        title: f(TITLE)?,
        url: f(URL)?,
        paragraph: f(PARAGRAPH)?,
        paragraph_number: f(PARAGRAPH_NUMBER)?,
        start: f(START)?,
        end: f(END)?,
    })
}

/// Registers the tokenizers. Tantivy does not store them in the index, so this runs after
/// every create and open.
pub fn register_tokenizers(index: &Index) {
    let quote = word_filters(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD)),
    );
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let key = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(QUOTE_TOKENIZER, quote);
    index.tokenizers().register(SPEAKER_TOKENIZER, words);
    index.tokenizers().register(KEY_TOKENIZER, key.clone());
    index.fast_field_tokenizer().register(KEY_TOKENIZER, key);
}

/// Makes the quotation analyzer remember the terms it makes (same terms, less time), for an
/// index run: its threads analyse millions of words from a small vocabulary. Searching keeps the
/// plain analyzer, so that no request thread keeps a memory of its own.
pub fn remember_terms(index: &Index) {
    let quote = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RememberedTerms::new(LONGEST_WORD))
        .build();
    index.tokenizers().register(QUOTE_TOKENIZER, quote);
}

/// The analyzer used for speaker names, to turn a `--speaker` value into search terms.
pub fn speaker_analyzer(index: &Index) -> TextAnalyzer {
    index.tokenizers().get(SPEAKER_TOKENIZER).expect("tokenizers are registered on open")
}

/// The analyzer used for quotations, to find which words of a hit to highlight.
pub fn quote_analyzer(index: &Index) -> TextAnalyzer {
    index.tokenizers().get(QUOTE_TOKENIZER).expect("tokenizers are registered on open")
}

/// The bucket of a fold key (`quote_key`): its top 16 bits. Few enough that each indexing
/// thread's term table stays small, many enough that a bucket holds a few dozen quotations per
/// gigabyte of text, whose keys a search of copies reads from the fast column.
pub fn quote_bucket(key: u64) -> u64 {
    key >> 48
}

/// The key under which the same quotation is recognised across articles: a hash of its words,
/// lower-cased, with punctuation and quotation marks ignored (the words joined by one space).
/// The words are hashed as they are found, without assembling the joined text; keys must never
/// change, and a test holds this to the plain definition.
pub fn quote_key(text: &str) -> u64 {
    let mut h = Fnv::default();
    let (mut in_word, mut any) = (false, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII, most of every quotation, a byte at a time without decoding characters.
        let b = bytes[i];
        let c = if b.is_ascii() {
            i += 1;
            if !b.is_ascii_alphanumeric() {
                in_word = false;
                continue;
            }
            None
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            i += c.len_utf8();
            if !c.is_alphanumeric() {
                in_word = false;
                continue;
            }
            Some(c)
        };
        if !in_word && any {
            h.write_byte(b' ');
        }
        (in_word, any) = (true, true);
        match c {
            None => h.write_byte(b.to_ascii_lowercase()),
            Some(c) => {
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    h.write(l.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
    h.finish()
}

/// The id of the quotation at `start` of paragraph `paragraph` in `file` (and JSON Lines `line`).
pub fn quote_id(file: &str, line: Option<usize>, paragraph: usize, start: usize) -> String {
    id_text(quote_id_number(file, line, paragraph, start))
}

/// The number behind a quotation id, as the index keeps it: the hash of the file, line,
/// paragraph and position written out and separated by NUL characters.
pub fn quote_id_number(file: &str, line: Option<usize>, paragraph: usize, start: usize) -> u64 {
    let mut h = Fnv::default();
    let _ = write!(h, "{file}\u{0}{}\u{0}{paragraph}\u{0}{start}", line.unwrap_or(0));
    h.finish()
}

/// The id of the article a quotation comes from (its file, and its line in a JSON Lines file),
/// for engines outside quoth that group quotations by article: 16 hexadecimal digits of the
/// hash of the file and line written out and separated by a NUL character.
pub fn article_id(file: &str, line: Option<u64>) -> String {
    let mut h = Fnv::default();
    let _ = write!(h, "{file}\u{0}{}", line.unwrap_or(0));
    id_text(h.finish())
}

/// A quotation id as users see it: 16 hexadecimal digits.
pub fn id_text(n: u64) -> String {
    format!("{n:016x}")
}

/// A calendar date as the index keeps it: days since 1970-01-01 (negative before), for any
/// year from -9999 to 9999.
pub fn date_days(date: Date) -> i64 {
    date.duration_since(EPOCH).as_secs().div_euclid(86_400)
}

/// The calendar date of a stored day number (`None` outside the years -9999 to 9999).
pub fn date_from_days(days: i64) -> Option<Date> {
    let hours = days.checked_mul(24)?;
    EPOCH.checked_add(jiff::SignedDuration::from_hours(hours)).ok()
}

const EPOCH: Date = Date::constant(1970, 1, 1);

/// The analyzer behind [`fold`], for callers that fold many words and build it once.
pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// One word as the quotation field indexes it (lower-cased, folded, stemmed), for comparing
/// words by their indexed term.
pub fn term_analyzer() -> TextAnalyzer {
    word_filters(TextAnalyzer::builder(RawTokenizer::default()))
}

/// Lower-case without diacritics, as the key tokenizer indexes speaker keys: what a name typed
/// by a user is compared with the keys as.
pub fn fold(s: &str) -> String {
    let mut a = fold_analyzer();
    let mut out = String::new();
    let mut stream = a.token_stream(s);
    while let Some(t) = stream.next() {
        out.push_str(&t.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::TEXT;

    /// The plain definition of `quote_key`: the words joined by one space, then hashed.
    fn quote_key_by_definition(text: &str) -> u64 {
        let mut norm = String::new();
        for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if !norm.is_empty() {
                norm.push(' ');
            }
            norm.extend(w.chars().flat_map(char::to_lowercase));
        }
        super::super::manifest::hash(norm.as_bytes())
    }

    #[test]
    fn quote_key_follows_its_definition() {
        let cases = [
            ("plain words", "We will not raise tariffs"),
            ("case and punctuation", "“We will NOT raise tariffs,” — again!"),
            ("leading and trailing marks", "...tariffs..."),
            ("accents kept, lower-cased", "SÁNCHEZ said Sánchez"),
            ("lower-casing that lengthens", "İstanbul"),
            ("digits and apostrophes", "It’s 2023's plan, 40%"),
            ("other scripts", "東京 Москва"),
            ("only marks", " “ ” , . "),
            ("empty", ""),
        ];
        for (name, text) in cases {
            assert_eq!(quote_key(text), quote_key_by_definition(text), "{name}");
        }
    }

    #[test]
    fn schemas_read() {
        let with_role = |role: TextOptions| {
            let mut sb = Schema::builder();
            for entry in build().0.fields().map(|(_, e)| e.clone()) {
                match entry.name() {
                    ROLE => _ = sb.add_text_field(ROLE, role.clone()),
                    _ => _ = sb.add_field(entry),
                }
            }
            sb.build()
        };
        let cases = [
            ("this version's", build().0, true),
            (
                "format 3 with the role's words indexed",
                build_with(RoleWords::StoredAndIndexed).0,
                true,
            ),
            ("the role's words under another tokenizer", with_role(TEXT | STORED), false),
            ("the role not stored", with_role(TextOptions::default()), false),
            ("a field less", Schema::builder().build(), false),
        ];
        for (name, schema, read) in cases {
            assert_eq!(fields_of(&schema).is_ok(), read, "{name}");
        }
    }

    #[test]
    fn fold_is_the_key_tokenizer() {
        let index = Index::create_in_ram(build().0);
        register_tokenizers(&index);
        let mut key = index.tokenizers().get(KEY_TOKENIZER).unwrap();
        let cases = [
            ("accents and capitals", "Ádaeze OKAFÓR", "adaeze okafor"),
            ("ligature", "Œdipe Brandt", "oedipe brandt"),
            ("already folded (negative)", "ines varga", "ines varga"),
        ];
        for (name, text, want) in cases {
            let mut indexed = String::new();
            let mut stream = key.token_stream(text);
            while let Some(t) = stream.next() {
                indexed.push_str(&t.text);
            }
            assert_eq!(fold(text), want, "{name}");
            assert_eq!(fold(text), indexed, "{name}: as indexed");
        }
    }

    #[test]
    fn dates_as_days() {
        // (name, date, days since 1970-01-01)
        let cases = [
            ("the epoch", "1970-01-01", 0),
            ("a day before", "1969-12-31", -1),
            ("a leap day", "2024-02-29", 19_782),
            ("before tantivy's dates (1677)", "1500-06-01", -171_513),
            ("after tantivy's dates (2262)", "2300-01-01", 120_530),
            ("the last day", "9999-12-31", 2_932_896),
            ("the first day", "-009999-01-01", -4_371_587),
        ];
        for (name, date, days) in cases {
            let date: Date = date.parse().unwrap();
            assert_eq!(date_days(date), days, "{name}");
            assert_eq!(date_from_days(days), Some(date), "{name}: back");
        }
        assert_eq!(date_from_days(2_932_897), None, "after the last day (negative)");
        assert_eq!(date_from_days(i64::MAX), None, "overflow (negative)");
    }

    #[test]
    fn keys_and_ids_never_change() {
        // Indexes on disk hold these numbers: a change would break folding and quotation links
        // of every existing index. (Worked out apart, with FNV-1a over the written-out text.)
        let cases = [
            (
                "quotation key",
                quote_key("“We will not raise tariffs,” she said."),
                15912308064920054532,
            ),
            ("bucket of that key", quote_bucket(15912308064920054532), 56531),
            ("id without line", quote_id_number("/news/a.txt", None, 3, 17), 2169030826776175150),
            (
                "id with line",
                quote_id_number("/news/feed.jsonl", Some(12), 0, 0),
                8849895210209895401,
            ),
            (
                "article id without line",
                u64::from_str_radix(&article_id("/news/a.txt", None), 16).unwrap(),
                crate::index::manifest::hash(b"/news/a.txt\x000"),
            ),
            (
                "article id with line",
                u64::from_str_radix(&article_id("/news/feed.jsonl", Some(12)), 16).unwrap(),
                crate::index::manifest::hash(b"/news/feed.jsonl\x0012"),
            ),
        ];
        for (name, got, want) in cases {
            assert_eq!(got, want, "{name}");
        }
    }
}
