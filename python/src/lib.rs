//! quoth's Python binding, the extension module `quoth._quoth`: a thin layer over the quoth
//! library, re-exported by the package `quoth` (src/quoth/).
//!
//! Every function converts Python arguments into the library's plain types, runs the library
//! with the GIL released, and converts its results back: hits, summaries and statistics become
//! dicts through their own `serde::Serialize` (the one `quoth ... --json` prints with), so the
//! keys cannot drift from the command line's; dates become `datetime.date`. Errors become
//! `quoth.QuothError` with the message the command line prints; problems that stop nothing
//! become `quoth.QuothWarning` warnings. Nothing here extracts, indexes or searches by itself.

use std::collections::VecDeque;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyString, PyTzInfo};

// Everything the binding uses of the library, in one place.
use quoth::article::{self, Date, Format, ReadOptions};
use quoth::extract::{self, Extracted, Extraction};
use quoth::index::{self, IndexOptions, QuoteIndex};
use quoth::search::{self, Hit, SearchQuery, Sort};
use quoth::stats::{self, SpeakerQuery};

// The exception classes are defined in Python (src/quoth/_errors.py), where an error can be
// both a `QuothError` and a `ValueError`.
pyo3::import_exception!(quoth._errors, QuothError);
pyo3::import_exception!(quoth._errors, InvalidArgumentError);
pyo3::import_exception!(quoth._errors, QuothWarning);

/// How an article given as a string is named: in its quotations' `file` and in messages.
const TEXT_NAME: &str = "<text>";

/// A library error as `QuothError`, with the message the command line prints after `quoth: `.
fn quoth_error(err: anyhow::Error) -> PyErr {
    QuothError::new_err(format!("{err:#}"))
}

/// A bad argument value as `InvalidArgumentError` (a `QuothError` and a `ValueError`).
fn invalid(message: impl Into<String>) -> PyErr {
    InvalidArgumentError::new_err(message.into())
}

/// Emits `message` as a `QuothWarning` (an exception if the warning filters say so).
fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = py.get_type::<QuothWarning>();
    let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
    PyErr::warn(py, category.as_any(), &text, 1)
}

/// A date argument: a `datetime.date` (or `datetime.datetime`, whose day is taken) or a string.
#[derive(FromPyObject)]
enum DateArg {
    Date(Py<PyDate>),
    Text(String),
}

impl DateArg {
    /// The date as text, for the library's parsers (a date object as `YYYY-MM-DD`).
    fn text(&self, py: Python<'_>) -> PyResult<String> {
        match self {
            DateArg::Text(s) => Ok(s.clone()),
            DateArg::Date(d) => d.bind(py).call_method0("isoformat")?.extract::<String>().map(
                // A datetime's isoformat carries its time: the day is the first ten characters.
                |s| s.chars().take(10).collect(),
            ),
        }
    }
}

/// One or several paths: a `str` or `os.PathLike`, or a sequence of them.
#[derive(FromPyObject)]
enum PathsArg {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

impl PathsArg {
    fn into_vec(self) -> Vec<PathBuf> {
        match self {
            PathsArg::One(p) => vec![p],
            PathsArg::Many(v) => v,
        }
    }
}

/// One or several strings: a `str` or a sequence of them.
#[derive(FromPyObject)]
enum StringsArg {
    One(String),
    Many(Vec<String>),
}

impl StringsArg {
    fn into_vec(self) -> Vec<String> {
        match self {
            StringsArg::One(s) => vec![s],
            StringsArg::Many(v) => v,
        }
    }
}

/// A count of at least one, or `InvalidArgumentError` saying what it is for.
fn at_least_one(value: usize, name: &str, what: &str) -> PyResult<usize> {
    if value == 0 {
        return Err(invalid(format!("invalid value '0' for {name}: {what}")));
    }
    Ok(value)
}

/// Threads to run on: `threads`, or all cores when `None`.
fn threads_arg(threads: Option<usize>) -> PyResult<usize> {
    match threads {
        None => Ok(IndexOptions::default().threads),
        Some(n) => at_least_one(n, "threads", "use at least one thread"),
    }
}

/// Inclusive date bounds from `since` and `until`, parsed as the command line parses them.
fn date_range(
    py: Python<'_>,
    since: Option<&DateArg>,
    until: Option<&DateArg>,
) -> PyResult<(Option<Date>, Option<Date>)> {
    let since = since.map(|d| d.text(py)).transpose()?;
    let until = until.map(|d| d.text(py)).transpose()?;
    search::date_range(since.as_deref(), until.as_deref(), "").map_err(invalid)
}

/// Keys whose values are dates (`YYYY-MM-DD` in JSON), made `datetime.date`s.
const DATE_KEYS: &[&str] = &["date", "first_date", "last_date"];
/// Keys whose values are UTC timestamps (RFC 3339 in JSON), made `datetime.datetime`s.
const TIMESTAMP_KEYS: &[&str] = &["last_update"];
/// Keys whose values are `f32`s in Rust: given the value the JSON shows (5.338986 rather than
/// the 5.338985919952393 a plain widening to a Python float gives).
const F32_KEYS: &[&str] = &["score"];

/// `value` (a hit, summary, speaker or statistics) as a Python dict through its `Serialize`
/// implementation, the one `--json` output uses; the values of [`DATE_KEYS`],
/// [`TIMESTAMP_KEYS`] and [`F32_KEYS`] are then made what they stand for.
fn to_python<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let obj = pythonize::pythonize(py, value).map_err(PyErr::from)?;
    fix_values(&obj)?;
    Ok(obj)
}

/// Turns the strings and floats of the keys named above into dates, timestamps and the floats
/// JSON shows, in `obj` if it is a dict.
fn fix_values(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = obj.py();
    let Ok(dict) = obj.cast::<PyDict>() else { return Ok(()) };
    let text = |key: &str| -> PyResult<Option<String>> {
        match dict.get_item(PyString::intern(py, key))? {
            Some(v) if v.is_instance_of::<PyString>() => Ok(Some(v.extract()?)),
            _ => Ok(None),
        }
    };
    for key in DATE_KEYS {
        // Python's dates hold the years 1 to 9999; the index holds -9999 to 9999 (a date of a
        // year before 1 stays its ISO text).
        let date = text(key)?.and_then(|t| t.parse::<Date>().ok()).filter(|d| d.year() >= 1);
        if let Some(d) = date {
            let date = PyDate::new(py, d.year().into(), d.month() as u8, d.day() as u8)?;
            dict.set_item(PyString::intern(py, key), date)?;
        }
    }
    for key in TIMESTAMP_KEYS {
        if let Some(t) = text(key)?.and_then(|t| t.parse::<jiff::Timestamp>().ok()) {
            let t = t.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
            let utc = PyTzInfo::utc(py)?;
            let (y, mo, d) = (t.year().into(), t.month() as u8, t.day() as u8);
            let (h, mi, s) = (t.hour() as u8, t.minute() as u8, t.second() as u8);
            let time = PyDateTime::new(py, y, mo, d, h, mi, s, 0, Some(&utc))?;
            dict.set_item(PyString::intern(py, key), time)?;
        }
    }
    for key in F32_KEYS {
        let key = PyString::intern(py, key);
        if let Some(x) = dict.get_item(&key)?.and_then(|v| v.extract::<f64>().ok()) {
            // Exact: the value was an f32 widened; its shortest form is what JSON prints.
            let shortest: f64 = (x as f32).to_string().parse().unwrap_or(x);
            dict.set_item(key, shortest)?;
        }
    }
    Ok(())
}

/// Finds the quotations in one article given as a string, and who said them.
///
/// `text` is the article in `format`: "txt" (plain text; a first line `date YYYY-MM-DD` gives
/// its date), "md" (Markdown with YAML front matter), "json" (one article), "jsonl" (one
/// article per line) or "html". `date` (a `datetime.date` or "YYYY-MM-DD") is the article's
/// date, over any date its text gives. Returns one dict per quotation, with the keys of
/// `quoth extract --json` (`file` is "<text>"), dates as `datetime.date`.
///
/// Raises `InvalidArgumentError` for an unknown format or date, `QuothError` for an article
/// that cannot be read (a JSON article without text); warns (`QuothWarning`) of problems that
/// stop nothing, such as an invalid date line.
#[pyfunction(name = "extract")]
#[pyo3(signature = (text, date=None, format="txt"))]
fn extract_text<'py>(
    py: Python<'py>,
    text: String,
    date: Option<DateArg>,
    format: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let format = Format::parse(format, "").map_err(invalid)?;
    let date =
        match date {
            None => None,
            Some(d) => {
                let s = d.text(py)?;
                Some(article::parse_date(&s).ok_or_else(|| {
                    invalid(format!("invalid date '{s}' for date: use YYYY-MM-DD"))
                })?)
            }
        };
    let outcome = py.detach(|| {
        let read = ReadOptions::default();
        let mut file = article::parse_text(Path::new(TEXT_NAME), &text, format, &read)?;
        if date.is_some() {
            file.articles.iter_mut().for_each(|a| a.date = date);
        }
        anyhow::Ok(extract::of_articles(file, TEXT_NAME))
    });
    let (articles, warnings) = match outcome.map_err(quoth_error)? {
        Extracted::File { articles, warnings } => (articles, warnings),
        Extracted::Failed(message) => return Err(QuothError::new_err(message)),
    };
    for w in &warnings {
        warn(py, w)?;
    }
    articles.iter().flatten().map(|h| to_python(py, h)).collect()
}

/// Starts extracting the article files under `paths` (files or folders, a path or a list of
/// them) on `threads` threads (all cores by default), and returns an iterator over their
/// quotations: one dict per quotation, with the keys of `quoth extract --json` (`file` relative
/// to the path it was found under), dates as `datetime.date`.
///
/// Quotations come in the order of the files, as `quoth extract` prints them, each as soon as
/// its file's turn comes; threads work a few files ahead of the iterator and wait for it, so
/// memory stays bounded however many files there are. A missing path raises `QuothError` at
/// once; a file that cannot be read is skipped with a `QuothWarning` naming it.
#[pyfunction(name = "extract_files")]
#[pyo3(signature = (paths, threads=None))]
fn extract_paths(
    py: Python<'_>,
    paths: PathsArg,
    threads: Option<usize>,
) -> PyResult<ExtractIterator> {
    let threads = threads_arg(threads)?;
    let paths = paths.into_vec();
    let run = py
        .detach(|| extract::extract_files(paths, ReadOptions::default(), threads))
        .map_err(quoth_error)?;
    Ok(ExtractIterator {
        state: Mutex::new(Streaming {
            run: Some(run),
            hits: VecDeque::new(),
            warnings: VecDeque::new(),
        }),
    })
}

/// The iterator `extract_files` returns: dicts of quotations, as their files are extracted.
#[pyclass(module = "quoth", frozen)]
struct ExtractIterator {
    state: Mutex<Streaming>,
}

/// What the iterator holds: the running extraction, and the rest of the current file.
struct Streaming {
    run: Option<Extraction>,
    hits: VecDeque<Hit>,
    warnings: VecDeque<String>,
}

/// The next thing the iterator hands out.
enum Step {
    Hit(Box<Hit>),
    Warn(String),
    Done,
}

impl Streaming {
    /// Waits for the next quotation or warning (run with the GIL released).
    fn step(&mut self) -> Step {
        loop {
            if let Some(w) = self.warnings.pop_front() {
                return Step::Warn(w);
            }
            if let Some(h) = self.hits.pop_front() {
                return Step::Hit(Box::new(h));
            }
            match self.run.as_mut().and_then(Iterator::next) {
                None => {
                    // Ends the threads now rather than when Python collects the iterator.
                    self.run = None;
                    return Step::Done;
                }
                Some(Extracted::Failed(message)) => return Step::Warn(message),
                Some(Extracted::File { articles, warnings }) => {
                    self.warnings.extend(warnings);
                    self.hits.extend(articles.into_iter().flatten());
                }
            }
        }
    }
}

impl ExtractIterator {
    /// The state, locked. Only ever called with the GIL released, so that a thread waiting
    /// here never holds the GIL that the holder needs to finish.
    fn lock(&self) -> MutexGuard<'_, Streaming> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl ExtractIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        loop {
            match py.detach(|| self.lock().step()) {
                Step::Hit(h) => return to_python(py, &*h).map(Some),
                Step::Warn(message) => warn(py, &message)?,
                Step::Done => return Ok(None),
            }
        }
    }

    /// Stops the extraction: its threads end after the files they hold, and the iterator is
    /// exhausted. Breaking out of a loop needs no `close()`: the threads also end when the
    /// iterator is garbage-collected.
    fn close(&self, py: Python<'_>) {
        py.detach(|| {
            let mut state = self.lock();
            state.run = None;
            state.hits.clear();
            state.warnings.clear();
        })
    }
}

/// A quote index on disk, as `quoth index` makes it and `quoth query` searches it.
///
/// `Index(path)` opens the index at `path` when it is first used; `add()` creates it there
/// when there is none yet (in an empty or new folder). One `Index` may be used from several
/// Python threads at once: searches run in parallel, with the GIL released. Each call sees the
/// index as last committed, by this process or another.
#[pyclass(name = "Index", module = "quoth", frozen)]
struct PyIndex {
    path: PathBuf,
    opened: Mutex<Option<Arc<QuoteIndex>>>,
}

impl PyIndex {
    /// The index, opened on first use (created when `create` and there is none), with a reader
    /// that sees the last commit. Only called with the GIL released.
    fn open(&self, create: bool) -> anyhow::Result<Arc<QuoteIndex>> {
        let lock = || self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        // Reloaded outside the lock: concurrent calls wait for each other only to open it.
        let known = lock().clone();
        if let Some(idx) = known {
            idx.reader.reload()?;
            return Ok(idx);
        }
        let mut opened = lock();
        if let Some(idx) = opened.as_ref() {
            return Ok(Arc::clone(idx));
        }
        let idx = if create {
            QuoteIndex::open_or_create(&self.path)?
        } else {
            QuoteIndex::open(&self.path)?
        };
        let idx = Arc::new(idx);
        *opened = Some(Arc::clone(&idx));
        Ok(idx)
    }

    /// The search query of `search` and `count`.
    fn query(
        py: Python<'_>,
        words: Option<StringsArg>,
        speaker: Option<StringsArg>,
        since: Option<&DateArg>,
        until: Option<&DateArg>,
    ) -> PyResult<SearchQuery> {
        let (since, until) = date_range(py, since, until)?;
        Ok(SearchQuery {
            text: words.map(StringsArg::into_vec).unwrap_or_default().join(" "),
            speakers: speaker.map(StringsArg::into_vec).unwrap_or_default(),
            since,
            until,
            ..SearchQuery::default()
        })
    }
}

#[pymethods]
impl PyIndex {
    #[new]
    fn new(path: PathBuf) -> Self {
        PyIndex { path, opened: Mutex::new(None) }
    }

    /// The folder of the index.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    fn __repr__(&self) -> String {
        format!("quoth.Index({:?})", self.path.display().to_string())
    }

    /// Indexes the articles under `paths` (a file or folder, or a list of them), as
    /// `quoth index` does: the index remembers its folders, and `add()` without paths refreshes
    /// all of them. A re-run reads only changed files and removes the quotations of deleted
    /// ones. `threads` read and extract articles (all cores by default).
    ///
    /// Returns the summary of `quoth index --json` as a dict: files new, changed, unchanged,
    /// removed and failed, quotations added and removed, and `warnings`, one line per problem
    /// (a file that could not be read is counted as failed and named there, never raised).
    /// Raises `QuothError` for a missing path or an index another process is updating.
    #[pyo3(signature = (paths=None, *, threads=None))]
    fn add<'py>(
        &self,
        py: Python<'py>,
        paths: Option<PathsArg>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = IndexOptions { threads: threads_arg(threads)?, ..IndexOptions::default() };
        let paths = paths.map(PathsArg::into_vec).unwrap_or_default();
        let summary = py
            .detach(|| {
                article::must_exist(&paths)?;
                let idx = self.open(true)?;
                let summary = index::index_paths(&idx, &paths, &options, &|_| {})?;
                idx.reader.reload()?;
                anyhow::Ok(summary)
            })
            .map_err(quoth_error)?;
        to_python(py, &summary)
    }

    /// Searches the quotations, as `quoth query` does, and returns the best `limit` after
    /// skipping `offset`: one dict per quotation with the keys of `quoth query --json`, dates
    /// as `datetime.date`.
    ///
    /// `words` (a string or a list of them) are ANDed and stemmed; "phrases", OR, -exclusion and
    /// prefix* work. `speaker` (a name or a list of names, any of which may match) matches whole
    /// name words, any case or accent. `since` and `until` (inclusive) are `datetime.date`s or
    /// strings "YYYY-MM-DD", "YYYY-MM" or "YYYY". `sort` is "relevance" (newest first without
    /// words), "newest" or "oldest". A quotation republished by several articles is one row,
    /// with `occurrences` and `first_date`.
    #[pyo3(signature = (words=None, speaker=None, since=None, until=None, limit=20, *, offset=0, sort="relevance"))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        words: Option<StringsArg>,
        speaker: Option<StringsArg>,
        since: Option<DateArg>,
        until: Option<DateArg>,
        limit: usize,
        offset: usize,
        sort: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let mut query = Self::query(py, words, speaker, since.as_ref(), until.as_ref())?;
        query.limit = at_least_one(limit, "limit", "show at least one quote")?;
        query.offset = offset;
        query.sort = match sort {
            "relevance" => Sort::Relevance,
            "newest" => Sort::Newest,
            "oldest" => Sort::Oldest,
            other => {
                return Err(invalid(format!(
                    "invalid sort '{other}': use relevance, newest or oldest"
                )))
            }
        };
        let result =
            py.detach(|| search::search(&*self.open(false)?, &query)).map_err(quoth_error)?;
        for w in &result.warnings {
            warn(py, w)?;
        }
        result.hits.iter().map(|h| to_python(py, h)).collect()
    }

    /// The number of quotations matching the same arguments as `search`, every occurrence of
    /// a republished quotation counted (as `quoth query --count`).
    #[pyo3(signature = (words=None, speaker=None, since=None, until=None))]
    fn count(
        &self,
        py: Python<'_>,
        words: Option<StringsArg>,
        speaker: Option<StringsArg>,
        since: Option<DateArg>,
        until: Option<DateArg>,
    ) -> PyResult<usize> {
        let query = Self::query(py, words, speaker, since.as_ref(), until.as_ref())?;
        let (n, warnings) =
            py.detach(|| search::count(&*self.open(false)?, &query)).map_err(quoth_error)?;
        for w in &warnings {
            warn(py, w)?;
        }
        Ok(n)
    }

    /// The `top` speakers by number of quotations, as `quoth speakers --json` lists them: dicts
    /// with `name`, `quotes`, `articles`, `first_date`, `last_date`, `roles` and `variants`
    /// (other spellings merged into the name). `prefix` keeps names with a word starting with
    /// it; `since` and `until` count only quotations in that period.
    #[pyo3(signature = (top=20, prefix=None, since=None, until=None))]
    fn speakers<'py>(
        &self,
        py: Python<'py>,
        top: usize,
        prefix: Option<String>,
        since: Option<DateArg>,
        until: Option<DateArg>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let top = at_least_one(top, "top", "show at least one speaker")?;
        let (since, until) = date_range(py, since.as_ref(), until.as_ref())?;
        let query = SpeakerQuery { top, prefix, since, until };
        let list =
            py.detach(|| stats::speakers(&*self.open(false)?, &query)).map_err(quoth_error)?;
        list.iter().map(|s| to_python(py, s)).collect()
    }

    /// What the index holds, as `quoth stats --json`: articles, quotes, attributed quotes and
    /// their share, speakers, first and last date (`datetime.date`), undated quotes, index size
    /// in bytes, folders, and the last update (a UTC `datetime.datetime`).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = py.detach(|| stats::stats(&*self.open(false)?)).map_err(quoth_error)?;
        to_python(py, &s)
    }
}

/// quoth: who said what, and when. Quotations and their speakers from news articles, and a
/// searchable index of them, in Python.
#[pymodule]
fn _quoth(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(extract_text, m)?)?;
    m.add_function(wrap_pyfunction!(extract_paths, m)?)?;
    m.add_class::<ExtractIterator>()?;
    m.add_class::<PyIndex>()?;
    Ok(())
}
