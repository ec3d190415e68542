//! Reading article files into [`Article`] values: the format-neutral input of quote extraction.
//!
//! This module knows about files and text formats only; it knows nothing of quotes, the index or
//! the command line. Each format lives in its own submodule (`plain` for the `date YYYY-MM-DD`
//! plain-text format, `markdown`, `json` for JSON and JSON Lines, `html` with `maintext` for a
//! web page's main text) and produces the same [`Article`], which says where its date came from
//! ([`DateFrom`]); any of them may be compressed with gzip or zstd. Readers run [`isolated`], so
//! that a panic in a third-party parser costs one file.

mod html;
mod json;
mod maintext;
mod markdown;
mod plain;

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use jiff::civil::Date;
pub use json::FieldMap;
pub use plain::{parse_date, parse_plain};

/// One article: where it came from, when it was published, and its paragraphs as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub path: PathBuf,
    /// Line number (1-based) in a JSON Lines file, where each line is an article.
    pub line: Option<usize>,
    pub date: Option<Date>,
    /// Where the date was read.
    pub date_from: Option<DateFrom>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Paragraph texts with soft line wraps joined by a single space and white space normalised
    /// (non-breaking spaces become ordinary spaces). Byte offsets of quotes refer to these.
    pub paragraphs: Vec<String>,
    /// Problems that did not stop the article from being read (e.g. an unparseable date).
    pub warnings: Vec<String>,
}

impl Article {
    /// The article's warnings as messages naming it: `path: warning`, or `path:line: warning`
    /// for an article of a JSON Lines file.
    pub fn located_warnings(&self) -> impl Iterator<Item = String> + '_ {
        let at = match self.line {
            Some(l) => format!("{}:{l}", self.path.display()),
            None => self.path.display().to_string(),
        };
        self.warnings.iter().map(move |w| format!("{at}: {w}"))
    }
}

/// Where an article's date was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFrom {
    /// The `date` line of a plain-text article.
    FirstLine,
    /// Markdown front matter.
    FrontMatter,
    /// A JSON field, by name.
    Field(String),
    /// An HTML `<meta>`, by name or property.
    Meta(String),
    /// JSON-LD `datePublished` in an HTML page.
    JsonLd,
    /// An HTML `<time datetime>`.
    Time,
    /// The file's path.
    Path,
}

impl std::fmt::Display for DateFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateFrom::FirstLine => f.write_str("first line"),
            DateFrom::FrontMatter => f.write_str("front matter"),
            DateFrom::Field(name) => write!(f, "field {name}"),
            DateFrom::Meta(name) => write!(f, "metadata ({name})"),
            DateFrom::JsonLd => f.write_str("JSON-LD datePublished"),
            DateFrom::Time => f.write_str("<time datetime>"),
            DateFrom::Path => f.write_str("path"),
        }
    }
}

/// The articles of one file, and problems that cost some of them (a malformed JSON line).
#[derive(Debug, Clone, Default)]
pub struct Articles {
    /// The format the file was read as.
    pub format: Format,
    pub articles: Vec<Article>,
    pub warnings: Vec<String>,
}

/// Why a file could not be read as articles.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a text file (NUL byte in the first 8 KB)")]
    Binary { path: PathBuf },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The formats quoth reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Plain,
    Markdown,
    Json,
    JsonLines,
    Html,
}

impl Format {
    /// The format named by an extension or format name, or the error naming it; `place` says
    /// where the name was given (` in --ext`), or is empty.
    pub fn parse(name: &str, place: &str) -> Result<Format, String> {
        Format::from_name(name).ok_or_else(|| {
            format!("unknown format '{name}'{place}: use txt, md, json, jsonl or html")
        })
    }

    /// The format named by an extension or format name (`txt`, `md`, `jsonl`, `html`…).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "txt" | "text" | "plain" => Format::Plain,
            "md" | "markdown" => Format::Markdown,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// The format's short name, as `--ext` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "txt",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Html => "html",
        }
    }
}

/// How to read articles: which extensions, and which JSON fields hold what.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Extension (lower case, no dot) -> format.
    pub extensions: Vec<(String, Format)>,
    pub fields: FieldMap,
    /// Decompressed files larger than this are refused.
    pub max_size: u64,
}

/// Extensions read by default.
pub const EXTENSIONS: &[&str] =
    &["txt", "md", "markdown", "json", "jsonl", "ndjson", "html", "htm"];

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            extensions: EXTENSIONS
                .iter()
                .map(|e| (e.to_string(), Format::from_name(e).expect("known")))
                .collect(),
            fields: FieldMap::default(),
            max_size: 32 * 1024 * 1024,
        }
    }
}

/// Compression of a file, from its last extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl ReadOptions {
    /// Restricts or extends the extensions read: `txt`, `md` pick known formats; `text=txt`
    /// reads `.text` files as plain text. An unknown name is an error naming it.
    pub fn with_extensions(mut self, list: &[String]) -> Result<ReadOptions, String> {
        if list.is_empty() {
            return Ok(self);
        }
        let mut exts = Vec::new();
        let items = list.iter().flat_map(|s| s.split(',')).map(str::trim);
        if items.clone().all(str::is_empty) {
            return Err(format!(
                "invalid --ext '{}': it names no extension (e.g. --ext txt,md)",
                list.join(",")
            ));
        }
        for item in items.filter(|s| !s.is_empty()) {
            let (ext, format) = match item.split_once('=') {
                Some((e, f)) => (e, f),
                None => (item, item),
            };
            let format = Format::parse(format, " in --ext")?;
            exts.push((ext.trim_start_matches('.').to_ascii_lowercase(), format));
        }
        self.extensions = exts;
        Ok(self)
    }

    fn format_of(&self, path: &Path) -> Option<(Format, Compression)> {
        // Lossy: a name that is not UTF-8 still has its extension.
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
            (s, Compression::Gzip)
        } else if let Some(s) = name.strip_suffix(".zst") {
            (s, Compression::Zstd)
        } else {
            (name.as_str(), Compression::None)
        };
        let ext = Path::new(stem).extension()?.to_str()?;
        self.extensions.iter().find(|(e, _)| e == ext).map(|(_, f)| (*f, compression))
    }

    /// Whether `path` is a file quoth reads.
    pub fn is_article_path(&self, path: &Path) -> bool {
        self.format_of(path).is_some()
    }
}

/// A file or folder the walk could not enter, or an article path that is no regular file (a
/// named pipe, a device): its path when known, the reason in a word, and the message that names
/// it with the reason.
#[derive(Debug)]
pub struct WalkError {
    pub path: Option<PathBuf>,
    pub reason: &'static str,
    pub message: String,
}

/// A path as text, for keys and messages: as it is when it is UTF-8, else with each byte that
/// is not shown as `\xNN`, so that two names that differ only there stay two (a lossy
/// conversion would make both `caf\u{fffd}.txt`).
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// What a path that is not a regular file or a folder is, for the message that skips it.
fn odd_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    let _ = file_type;
    "not a file or folder"
}

/// Article files under `root`, recursively, skipping hidden files and folders (but not a hidden
/// root given explicitly). Errors (unreadable folders, broken links, link loops) are returned
/// as messages, not fatal.
pub fn walk<'a>(
    root: &Path,
    opts: &'a ReadOptions,
) -> impl Iterator<Item = std::result::Result<PathBuf, WalkError>> + 'a {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(move |entry| match entry {
            Ok(e)
                if e.file_type().is_file()
                    && (e.depth() == 0 || opts.is_article_path(e.path())) =>
            {
                Some(Ok(e.into_path()))
            }
            // A named pipe would make a reader wait for ever; a device may never end. An
            // article path (or a path named directly) that is one is reported, not read.
            Ok(e)
                if !e.file_type().is_file()
                    && !e.file_type().is_dir()
                    && (e.depth() == 0 || opts.is_article_path(e.path())) =>
            {
                let kind = odd_kind(e.file_type());
                Some(Err(WalkError {
                    message: format!(
                        "{}: not a regular file ({kind}); skipped",
                        path_text(e.path())
                    ),
                    path: Some(e.into_path()),
                    reason: "not a regular file",
                }))
            }
            Ok(_) => None,
            Err(err) => {
                let path = err.path().map(|p| p.display().to_string()).unwrap_or_default();
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    err.io_error().map_or(err.to_string(), |e| e.to_string())
                };
                Some(Err(WalkError {
                    path: err.path().map(Path::to_path_buf),
                    reason: "unreadable",
                    message: format!("{path}: {reason}"),
                }))
            }
        })
}

/// Reads every article of one file.
pub fn read_articles(path: &Path, opts: &ReadOptions) -> Result<Articles, ArticleError> {
    let bytes = std::fs::read(path)
        .map_err(|source| ArticleError::Io { path: path.to_path_buf(), source })?;
    parse_file(path, &bytes, opts)
}

/// Parses the bytes of a file (compressed or not) into its articles. Binary files are an error;
/// invalid UTF-8 is decoded with replacement characters and a warning, so one bad byte does not
/// hide a whole article. The date, when the file's own metadata has none, comes from its path.
pub fn parse_file(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Articles, ArticleError> {
    let (format, compression) = opts.format_of(path).unwrap_or((Format::Plain, Compression::None));
    let invalid = |message: String| ArticleError::Invalid { path: path.to_path_buf(), message };
    let decompressed;
    let bytes = match compression {
        Compression::None => bytes,
        Compression::Gzip => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(bytes)
                .take(opts.max_size + 1)
                .read_to_end(&mut out)
                .map_err(|e| invalid(format!("cannot decompress gzip: {e}")))?;
            decompressed = out;
            &decompressed
        }
        Compression::Zstd => {
            let mut out = Vec::new();
            zstd::stream::read::Decoder::new(bytes)
                .and_then(|d| d.take(opts.max_size + 1).read_to_end(&mut out))
                .map_err(|e| invalid(format!("cannot decompress zstd: {e}")))?;
            decompressed = out;
            &decompressed
        }
    };
    if bytes.len() as u64 > opts.max_size {
        return Err(invalid(format!("decompressed size is over the {} byte limit", opts.max_size)));
    }
    if is_binary(bytes) {
        return Err(ArticleError::Binary { path: path.to_path_buf() });
    }
    let (text, lossy) = match std::str::from_utf8(bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), None),
        Err(_) if format == Format::Html => {
            // Saved pages often keep their legacy encoding, declared in the page itself.
            let encoding = declared_encoding(bytes).unwrap_or(encoding_rs::WINDOWS_1252);
            let (t, _, bad) = encoding.decode(bytes);
            let note = format!("not UTF-8, decoded as {}", encoding.name());
            (t, Some(if bad { format!("{note} with replacement characters") } else { note }))
        }
        Err(_) => (
            String::from_utf8_lossy(bytes),
            Some("invalid UTF-8, decoded with replacement characters".to_string()),
        ),
    };
    let mut out = parse_text(path, &text, format, opts)?;
    if let Some(note) = &lossy {
        for a in &mut out.articles {
            a.warnings.push(note.clone());
        }
    }
    Ok(out)
}

/// The longest title kept, in characters; a longer one is cut.
pub const MAX_TITLE: usize = 300;
/// The longest URL kept, in bytes; a longer one is dropped.
pub const MAX_URL: usize = 2048;

/// Cuts an overlong title and drops an overlong URL, with a warning: each quotation of the
/// article carries them, and a title of half a megabyte in a file of thousands of quotations
/// cost gigabytes.
fn cap_metadata(a: &mut Article) {
    if let Some(t) = &mut a.title {
        if let Some((at, _)) = t.char_indices().nth(MAX_TITLE) {
            t.truncate(at);
            t.push('…');
            a.warnings.push(format!("title longer than {MAX_TITLE} characters, cut"));
        }
    }
    if a.url.as_ref().is_some_and(|u| u.len() > MAX_URL) {
        a.url = None;
        a.warnings.push(format!("URL longer than {MAX_URL} bytes, dropped"));
    }
}

/// Parses the text of a file, or of an article given as a string (the Python binding's
/// `extract`), in `format`. The date, when the text's own metadata has none, comes from `path`.
pub fn parse_text(
    path: &Path,
    text: &str,
    format: Format,
    opts: &ReadOptions,
) -> Result<Articles, ArticleError> {
    let invalid = |message: String| ArticleError::Invalid { path: path.to_path_buf(), message };
    let single = |a: Article| Articles { format, articles: vec![a], warnings: Vec::new() };
    // Every reader runs isolated: a panic in a parser (html5ever, pulldown-cmark...) on one
    // hostile file is that file's error, not the end of an index run.
    let read = isolated(|| match format {
        Format::Plain => Ok(single(parse_plain(path, text))),
        Format::Markdown => Ok(single(markdown::parse(path, text))),
        Format::Json => json::parse_one(path, text, &opts.fields).map(single),
        Format::JsonLines => Ok(json::parse_lines(path, text, &opts.fields)),
        Format::Html => Ok(single(html::parse(path, text))),
    });
    let mut out = match read {
        Ok(r) => r.map_err(invalid)?,
        Err(panic) => {
            return Err(invalid(format!("the {} reader failed ({panic}); skipped", format.name())))
        }
    };
    out.format = format;
    let path_date = date_from_path(path);
    for a in &mut out.articles {
        cap_metadata(a);
        if a.date.is_none() && path_date.is_some() {
            a.date = path_date;
            a.date_from = Some(DateFrom::Path);
        }
    }
    Ok(out)
}

/// The encoding a page declares in a `<meta>` of its first 4 KB (`<meta charset=...>` or the
/// `http-equiv` form), when encoding_rs knows it. Other tags' `charset` (a script's) is not the
/// page's.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = head[from..].windows(5).position(|w| w == b"<meta") {
        let start = from + at;
        let end = head[start..].iter().position(|&c| c == b'>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(k) = tag.windows(8).position(|w| w == b"charset=") {
            let label: Vec<u8> = tag[k + 8..]
                .iter()
                .skip_while(|c| matches!(c, b'"' | b'\'' | b' '))
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
                .copied()
                .collect();
            if let Some(e) = encoding_rs::Encoding::for_label(&label) {
                return Some(e);
            }
        }
        from = end;
    }
    None
}

thread_local! {
    /// Set while a reader runs under [`isolated`]: its panic is reported as the file's error.
    static ISOLATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a reader built on third-party parsers so that a panic inside it costs one file, not the
/// run: the panic's message comes back as an error. [`quiet_panics`] keeps such panics off
/// stderr, where the file's own one-line error says it all.
pub fn isolated<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    ISOLATED.with(|i| i.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    ISOLATED.with(|i| i.set(false));
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        // One line, whatever the message: it is reported as the file's error.
        format!("panic: {}", msg.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// Installs a panic hook that stays silent for panics caught by [`isolated`] and prints others
/// as before. For binaries; tests keep the default hook.
pub fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !ISOLATED.with(|i| i.get()) {
            default(info);
        }
    }));
}

/// Reads one article file (the first article of a JSON Lines file).
pub fn read_article(path: &Path) -> Result<Article, ArticleError> {
    let mut all = read_articles(path, &ReadOptions::default())?;
    if all.articles.is_empty() {
        return Err(ArticleError::Invalid {
            path: path.to_path_buf(),
            message: "no article in this file".into(),
        });
    }
    Ok(all.articles.swap_remove(0))
}

/// A NUL byte in the first 8 KB marks a binary file, as git and ripgrep judge it. (Searched
/// with vector instructions: a byte-by-byte loop over the first 8 KB of every file cost 3% of
/// an index run's instructions.)
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// A date written in a path: `2023/06/21/slug.html`, `2023-06-21-slug.txt`, `20230621`.
pub fn date_from_path(path: &Path) -> Option<Date> {
    let s = path.to_string_lossy();
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i16> {
        let part = s.get(from..from + n)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    for i in 0..b.len() {
        // Only where a number starts: not inside a longer run of digits.
        if i > 0 && b[i - 1].is_ascii_digit() || !b[i].is_ascii_digit() {
            continue;
        }
        let Some(y) = digits(i, 4).filter(|y| (1900..=2100).contains(y)) else { continue };
        let sep = b.get(i + 4).copied();
        let (m, d, end) = match sep {
            Some(b'/' | b'-' | b'_' | b'.') if b.get(i + 7) == sep.as_ref() => {
                (digits(i + 5, 2), digits(i + 8, 2), i + 10)
            }
            _ => (digits(i + 4, 2), digits(i + 6, 2), i + 8),
        };
        if b.get(end).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        if let (Some(m), Some(d)) = (m, d) {
            if let Ok(date) = Date::new(y, m as i8, d as i8) {
                return Some(date);
            }
        }
    }
    None
}

/// Article files under a path named on the command line, each with its name relative to that
/// path (a file named directly is its own file name), and the problems met while walking.
pub type FilesUnder = (Vec<(PathBuf, String)>, Vec<String>);

/// Lists the article files under `root` (see [`FilesUnder`]); a missing `root` is an error.
pub fn files_under(root: &Path, opts: &ReadOptions) -> anyhow::Result<FilesUnder> {
    must_exist(std::slice::from_ref(&root))?;
    let (mut files, mut warnings) = (Vec::new(), Vec::new());
    for entry in walk(root, opts) {
        match entry {
            Ok(p) => {
                let rel = relative_name(root, &p);
                files.push((p, rel));
            }
            Err(e) => warnings.push(e.message),
        }
    }
    Ok((files, warnings))
}

/// The name of `path`, found under `root`, relative to it; a file given as the root itself is
/// named by its file name.
pub fn relative_name(root: &Path, path: &Path) -> String {
    if path == root {
        return path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    }
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// Fails on the first of `paths` that does not exist, naming it.
pub fn must_exist(paths: &[impl AsRef<Path>]) -> anyhow::Result<()> {
    match paths.iter().map(AsRef::as_ref).find(|p| !p.exists()) {
        Some(missing) => anyhow::bail!("{}: no such file or folder", missing.display()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_lists() {
        let list = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // (name, --ext values, extensions read or the error)
        type Case<'a> = (&'a str, &'a [&'a str], Result<&'a [&'a str], &'a str>);
        let cases: &[Case] = &[
            ("two known", &["md,txt"], Ok(&["md", "txt"])),
            ("another name", &["text=txt", ".md=MD"], Ok(&["text", "md"])),
            (
                "unknown format (negative)",
                &["x=doc"],
                Err("unknown format 'doc' in --ext: use txt, md, json, jsonl or html"),
            ),
            (
                "empty (negative)",
                &[""],
                Err("invalid --ext '': it names no extension (e.g. --ext txt,md)"),
            ),
            (
                "commas (negative)",
                &[",", " "],
                Err("invalid --ext ',, ': it names no extension (e.g. --ext txt,md)"),
            ),
        ];
        for (name, ext, want) in cases {
            let got = ReadOptions::default().with_extensions(&list(ext));
            let got = got.map(|o| o.extensions.into_iter().map(|(e, _)| e).collect::<Vec<_>>());
            let want = want.map(list).map_err(str::to_string);
            assert_eq!(got, want, "case {name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_as_text() {
        use std::os::unix::ffi::OsStrExt;
        // (name, bytes, text)
        let cases: &[(&str, &[u8], &str)] = &[
            ("UTF-8 as it is (negative)", "/news/café.txt".as_bytes(), "/news/café.txt"),
            ("Latin-1 é", b"/news/caf\xe9.txt", "/news/caf\\xe9.txt"),
            ("Latin-1 è stays apart", b"/news/caf\xe8.txt", "/news/caf\\xe8.txt"),
            ("a cut UTF-8 sequence", b"/news/\xc3.txt", "/news/\\xc3.txt"),
        ];
        for (name, bytes, want) in cases {
            let path = Path::new(std::ffi::OsStr::from_bytes(bytes));
            assert_eq!(path_text(path), *want, "case {name}");
        }
    }

    #[test]
    fn binary_is_a_nul_byte_in_the_first_8_kb() {
        let with_nul_at = |i: usize, len: usize| {
            let mut b = vec![b'a'; len];
            b[i] = 0;
            b
        };
        // (name, bytes, binary)
        let cases: Vec<(&str, Vec<u8>, bool)> = vec![
            ("a NUL first", with_nul_at(0, 100), true),
            ("a NUL in the last byte looked at", with_nul_at(8191, 9000), true),
            ("a NUL just past 8 KB (negative)", with_nul_at(8192, 9000), false),
            ("text only (negative)", b"date 2024-01-02\n\nplain words".to_vec(), false),
            ("UTF-8 without NUL (negative)", "“Quoted,” said Ádaeze.".as_bytes().to_vec(), false),
            ("empty (negative)", Vec::new(), false),
        ];
        for (name, bytes, binary) in cases {
            assert_eq!(is_binary(&bytes), binary, "{name}");
        }
    }

    /// A panic inside a reader costs one file: it comes back as that reader's error, and the
    /// thread is no longer marked as isolated afterwards.
    #[test]
    fn panics_are_isolated() {
        type Reader = Box<dyn FnOnce() -> usize>;
        // (name, reader, expected result)
        let cases: Vec<(&str, Reader, Result<usize, String>)> = vec![
            (
                "str panic",
                Box::new(|| panic!("tree builder lost its place")),
                Err("panic: tree builder lost its place".into()),
            ),
            (
                "formatted panic",
                Box::new(|| panic!("node {} out of range", 7)),
                Err("panic: node 7 out of range".into()),
            ),
            (
                "message on several lines",
                Box::new(|| panic!("stack:\n  frame one")),
                Err("panic: stack: frame one".into()),
            ),
            ("no panic (negative)", Box::new(|| 42), Ok(42)),
        ];
        for (name, reader, want) in cases {
            assert_eq!(isolated(reader), want, "case {name}");
            assert!(!ISOLATED.with(|i| i.get()), "case {name}: still marked");
        }
    }

    #[test]
    fn declared_encodings() {
        // (name, page start, expected encoding)
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("meta charset", b"<html><head><meta charset=\"iso-8859-2\">", Some("ISO-8859-2")),
            (
                "http-equiv",
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"/>",
                Some("GBK"),
            ),
            (
                "a script's charset is not the page's",
                b"<script src=\"a.js\" charset=\"utf-8\"></script><meta charset='windows-1250'>",
                Some("windows-1250"),
            ),
            ("unknown label (negative)", b"<meta charset=\"klingon\">", None),
            ("none (negative)", b"<html><body>", None),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(declared_encoding(bytes).map(|e| e.name()), *want, "case {name}");
        }
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>\x93Caf\xe9,\x94 said Ana.</p></body></html>";
        let read = parse_file(Path::new("a.html"), page, &ReadOptions::default()).unwrap();
        assert_eq!(read.articles[0].paragraphs, vec!["“Café,” said Ana."]);
        assert_eq!(read.articles[0].warnings, vec!["not UTF-8, decoded as windows-1252"]);
    }
}
