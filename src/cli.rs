//! Command-line arguments: clap derive types only, converted into the library's plain
//! configuration in one place ([`Cli::into_command`]).

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use quoth::article::ReadOptions;
use quoth::check::CheckQuery;
use quoth::index::IndexOptions;
use quoth::output::Format;
use quoth::search::{parse_date_bound, DateEnd, Interval, SearchQuery, Sort};
use quoth::server::ServeOptions;
use quoth::stats::SpeakerQuery;

/// Turn a folder of news articles into a searchable index of who said what, and when.
#[derive(Debug, Parser)]
#[command(name = "quoth", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "QUOTH_INDEX", default_value = "index", value_name = "DIR")]
    index: PathBuf,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Index the articles (.txt) under folders or files. Run again to pick up changes: only new
    /// and changed files are read, and quotes of deleted files are removed.
    Index {
        /// Folders or files to index; none refreshes every folder the index holds.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Threads that read and extract articles [default: all cores].
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Memory budget of the index writer (e.g. 256MB, 1GB): the words, columns and stored
        /// quotations of the segments being written, shared by its threads, and the segments a
        /// merge reads. Besides it a run uses about 70 to 120 MB whatever the archive
        /// (extraction, term memories, files read ahead, segments being written out, up to
        /// 30 MB of deletions of changed or removed files until they are committed), 16 bytes
        /// per article file (the files it saw), and on a re-index the last commit's list of
        /// files, about 100 bytes per file. The list of files this run indexed goes to disk
        /// (quoth-run.tmp in the index folder) as it grows.
        #[arg(long, default_value = "256MB", value_name = "SIZE", value_parser = parse_size)]
        memory: u64,
        /// Skip (with a warning) files larger than this. Indexing one file takes up to about
        /// 110 times its size in memory (3.5 GB at 32MB, for a file of thousands of short
        /// quotations; ordinary news text about 40 times), on top of --memory, on each thread.
        #[arg(long, default_value = "32MB", value_name = "SIZE", value_parser = parse_size)]
        max_file_size: u64,
        /// Start from an empty index (also one made by another version of quoth, or damaged).
        #[arg(long)]
        rebuild: bool,
        /// Print nothing but the final summary (no progress bar).
        #[arg(long, short)]
        quiet: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadArgs,
        /// Commit after this many changed files (testing crash safety).
        #[arg(long, hide = true, default_value_t = 0)]
        commit_every: usize,
        /// Commit at least every this many seconds (benchmarks under a profiler, whose slow
        /// clock would otherwise commit ever more often).
        #[arg(long, hide = true, default_value_t = 30, value_name = "SECONDS")]
        commit_interval: u64,
    },
    /// Search the indexed quotations.
    #[command(alias = "search")]
    Query {
        #[command(flatten)]
        filters: Filters,
        /// Order of results [default: relevance; newest first without search words].
        #[arg(long, value_enum)]
        sort: Option<SortArg>,
        /// Show at most this many quotes.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Skip this many quotes first (for paging).
        #[arg(long, default_value_t = 0, value_name = "N")]
        offset: usize,
        /// Print only the number of matching quotes.
        #[arg(long)]
        count: bool,
        /// Show the whole paragraph around each quote.
        #[arg(long)]
        context: bool,
        /// List a quotation republished in several articles once per article.
        #[arg(long)]
        all_occurrences: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        /// Same as --format jsonl: one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Check a claimed quotation: did the speaker really say it? Verdict (verbatim, close,
    /// partial, different-speaker, not-found), word-level diff and sources.
    Check {
        /// The claimed quotation; `-` reads it from standard input. If it holds a pair of
        /// double quotation marks, only the words inside them are checked.
        #[arg(required = true, value_name = "CLAIM")]
        claim: Vec<String>,
        /// Who is claimed to have said it (name words: okafor, "adaeze okafor", okaf*).
        #[arg(long, value_name = "NAME")]
        speaker: Option<String>,
        /// Only quotations dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only quotations dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Only quotations from this day, month or year.
        #[arg(long, value_name = "DATE", conflicts_with_all = ["since", "until"])]
        on: Option<String>,
        /// List at most this many matching quotations (1 to 20).
        #[arg(long, default_value_t = 5, value_name = "N")]
        limit: usize,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Count matching quotes per year, month or day: one line per interval with a bar (undated
    /// quotes counted apart).
    Timeline {
        #[command(flatten)]
        filters: Filters,
        /// Length of the intervals [default: the finest giving at most 60 from the first
        /// matching date to the last].
        #[arg(long, value_enum, value_name = "INTERVAL")]
        by: Option<ByArg>,
        /// Print the timeline as one JSON object (as `quoth serve`'s /api/timeline).
        #[arg(long)]
        json: bool,
    },
    /// Print every matching quote (no limit) as JSON Lines or CSV, or as documents for a
    /// Quickwit or OpenSearch index (deploy/), streaming: memory stays flat at any size.
    Export {
        #[command(flatten)]
        filters: Filters,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
    /// Show what the index holds: articles, quotes, speakers, dates, size, folders.
    Stats {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List speakers by number of quotes, with articles, dates and roles.
    Speakers {
        /// Show this many speakers.
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// Only speakers with a name word starting with this.
        #[arg(long, value_name = "TEXT")]
        prefix: Option<String>,
        /// Only quotes dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only quotes dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the quotes found in articles, without indexing them.
    Extract {
        /// Article files or folders.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Show what quoth reads from articles: format, date and its source, title, URL,
    /// paragraphs and warnings.
    Read {
        /// Article files or folders.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// Print one JSON object per article and line.
        #[arg(long)]
        json: bool,
    },
    /// Serve the search as a JSON API and a web page.
    Serve {
        /// Address to listen on; loopback unless you choose another.
        #[arg(long, default_value = "127.0.0.1:7070", value_name = "ADDR")]
        addr: String,
        /// Searches whose results are kept until the index changes (0: none).
        #[arg(long, default_value_t = 1024, value_name = "N")]
        cache: usize,
    },
    /// Score extraction against a gold file of quotations.
    Eval {
        /// JSON Lines gold file: {"file", "quote", "speaker"} per line.
        gold: PathBuf,
        /// Folder holding the gold articles.
        articles: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// List every miss, false positive and wrong speaker.
        #[arg(long)]
        verbose: bool,
        /// Score only quotations of at least N words, in the gold file and in the predictions
        /// alike (real-news annotations leave out one-word quotations: use 2 there).
        #[arg(long, value_name = "N", default_value_t = 1)]
        min_words: usize,
    },
}

/// How to read article files, shared by `index`, `extract` and `read`.
#[derive(Debug, Args)]
struct ReadArgs {
    /// Extensions to read, comma-separated: restricts the default set (txt,md,json,jsonl,html),
    /// or reads another extension as a known format with EXT=FORMAT (e.g. text=txt).
    #[arg(long, value_name = "LIST")]
    ext: Vec<String>,
    /// Where JSON articles keep a part, PART=FIELD (e.g. text=maintext, date=date_publish);
    /// repeatable.
    #[arg(long, value_name = "PART=FIELD")]
    field: Vec<String>,
}

impl ReadArgs {
    fn into_options(self, max_size: u64) -> Result<ReadOptions> {
        let mut o =
            ReadOptions::default().with_extensions(&self.ext).map_err(anyhow::Error::msg)?;
        for f in &self.field {
            o.fields.map(f).map_err(anyhow::Error::msg)?;
        }
        o.max_size = max_size;
        Ok(o)
    }
}

/// Filters shared by `query`, `timeline` and `export`.
#[derive(Debug, Args)]
struct Filters {
    /// Words to find, ANDed; "phrases", OR, -exclusion and prefix* work (put a leading
    /// -word after `--` or inside one quoted argument: 'tariff -steel').
    #[arg(value_name = "WORDS")]
    words: Vec<String>,
    /// Only quotes by this speaker (name words: okafor, "adaeze okafor", okaf*); repeat to OR.
    #[arg(long, value_name = "NAME")]
    speaker: Vec<String>,
    /// Leave out quotes by this speaker; repeatable.
    #[arg(long, value_name = "NAME")]
    exclude_speaker: Vec<String>,
    /// Only quotes without a known speaker.
    #[arg(long, conflicts_with = "speaker")]
    no_speaker: bool,
    /// Only quotes dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only quotes dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only quotes from this day, month or year.
    #[arg(long, value_name = "DATE", conflicts_with_all = ["since", "until"])]
    on: Option<String>,
    /// Tolerate a typo in each search word.
    #[arg(long)]
    fuzzy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    /// NDJSON for `quickwit index ingest` into deploy/quickwit/quotes.yaml's index.
    Quickwit,
    /// Bulk-API lines (action, document) for deploy/opensearch/quotes.json's index.
    Opensearch,
}

/// A command with its configuration, free of clap types.
#[derive(Debug)]
pub enum Command {
    Index {
        paths: Vec<PathBuf>,
        options: IndexOptions,
        quiet: bool,
        json: bool,
    },
    Query {
        query: SearchQuery,
        format: Format,
        count: bool,
        context: bool,
    },
    Timeline {
        query: SearchQuery,
        by: Option<Interval>,
        json: bool,
    },
    Export {
        query: SearchQuery,
        format: Format,
    },
    /// `stdin`: the claim is read from standard input.
    Check {
        query: CheckQuery,
        stdin: bool,
        json: bool,
    },
    Stats {
        json: bool,
    },
    Speakers {
        query: SpeakerQuery,
        json: bool,
    },
    Extract {
        paths: Vec<PathBuf>,
        read: ReadOptions,
        json: bool,
    },
    Read {
        paths: Vec<PathBuf>,
        read: ReadOptions,
        json: bool,
    },
    Eval {
        gold: PathBuf,
        articles: PathBuf,
        json: bool,
        verbose: bool,
        min_words: usize,
    },
    Serve {
        addr: std::net::SocketAddr,
        options: ServeOptions,
    },
}

/// Global settings.
#[derive(Debug)]
pub struct Config {
    pub index: PathBuf,
    pub color: ColorChoice,
    pub command: Command,
}

impl Cli {
    /// Validates arguments and converts them into the plain configuration.
    pub fn into_config(self) -> Result<Config> {
        let command = match self.command {
            Cmd::Index {
                paths,
                threads,
                memory,
                max_file_size,
                rebuild,
                quiet,
                json,
                read,
                commit_every,
                commit_interval,
            } => {
                if threads == Some(0) {
                    bail!("invalid value '0' for --threads: use at least one thread");
                }
                let defaults = IndexOptions::default();
                let options = IndexOptions {
                    threads: threads.unwrap_or(defaults.threads),
                    memory: usize::try_from(memory).unwrap_or(usize::MAX),
                    max_file_size,
                    rebuild,
                    read: read.into_options(max_file_size)?,
                    commit_every,
                    commit_interval: std::time::Duration::from_secs(commit_interval),
                };
                Command::Index { paths, options, quiet, json }
            }
            Cmd::Query {
                filters,
                sort,
                limit,
                offset,
                count,
                context,
                all_occurrences,
                format,
                json,
            } => {
                if limit == 0 {
                    bail!("invalid value '0' for --limit: show at least one quote");
                }
                let mut query = filters.into_query()?;
                query.limit = limit;
                query.offset = offset;
                query.all_occurrences = all_occurrences;
                query.sort = match sort {
                    None | Some(SortArg::Relevance) => Sort::Relevance,
                    Some(SortArg::Newest) => Sort::Newest,
                    Some(SortArg::Oldest) => Sort::Oldest,
                };
                let format = if json {
                    Format::Jsonl
                } else {
                    match format {
                        FormatArg::Table => Format::Table,
                        FormatArg::Json => Format::Json,
                        FormatArg::Jsonl => Format::Jsonl,
                        FormatArg::Csv => Format::Csv,
                    }
                };
                Command::Query { query, format, count, context }
            }
            Cmd::Timeline { filters, by, json } => {
                let by = by.map(|b| match b {
                    ByArg::Year => Interval::Year,
                    ByArg::Month => Interval::Month,
                    ByArg::Day => Interval::Day,
                });
                Command::Timeline { query: filters.into_query()?, by, json }
            }
            Cmd::Export { filters, format } => {
                let mut query = filters.into_query()?;
                query.all_occurrences = true;
                let format = match format {
                    ExportFormat::Jsonl => Format::Jsonl,
                    ExportFormat::Csv => Format::Csv,
                    ExportFormat::Quickwit => Format::Quickwit,
                    ExportFormat::Opensearch => Format::OpenSearch,
                };
                Command::Export { query, format }
            }
            Cmd::Check { claim, speaker, since, until, on, limit, json } => {
                let (since, until) = date_range(since.as_deref(), until.as_deref(), on.as_deref())?;
                if !(1..=quoth::check::MAX_LIMIT).contains(&limit) {
                    bail!(
                        "invalid value '{limit}' for --limit: list 1 to {} matches",
                        quoth::check::MAX_LIMIT
                    );
                }
                let stdin = claim.len() == 1 && claim[0] == "-";
                let claim = if stdin { String::new() } else { claim.join(" ") };
                Command::Check {
                    query: CheckQuery { claim, speaker, since, until, limit },
                    stdin,
                    json,
                }
            }
            Cmd::Stats { json } => Command::Stats { json },
            Cmd::Speakers { top, prefix, since, until, json } => {
                let (since, until) = date_range(since.as_deref(), until.as_deref(), None)?;
                if top == 0 {
                    bail!("invalid value '0' for --top: show at least one speaker");
                }
                Command::Speakers { query: SpeakerQuery { top, prefix, since, until }, json }
            }
            Cmd::Extract { paths, read, json } => {
                Command::Extract { paths, read: read.into_options(32 * 1024 * 1024)?, json }
            }
            Cmd::Read { paths, read, json } => {
                Command::Read { paths, read: read.into_options(32 * 1024 * 1024)?, json }
            }
            Cmd::Serve { addr, cache } => match addr.parse() {
                Ok(addr) => Command::Serve {
                    addr,
                    options: ServeOptions { cache_entries: cache, ..ServeOptions::default() },
                },
                Err(_) => {
                    bail!("invalid address '{addr}' for --addr: use IP:PORT, e.g. 127.0.0.1:7070")
                }
            },
            Cmd::Eval { gold, articles, json, verbose, min_words } => {
                Command::Eval { gold, articles, json, verbose, min_words }
            }
        };
        Ok(Config { index: self.index, color: self.color, command })
    }
}

impl Filters {
    fn into_query(self) -> Result<SearchQuery> {
        let (since, until) =
            date_range(self.since.as_deref(), self.until.as_deref(), self.on.as_deref())?;
        Ok(SearchQuery {
            text: self.words.join(" "),
            speakers: self.speaker,
            exclude_speakers: self.exclude_speaker,
            no_speaker: self.no_speaker,
            since,
            until,
            fuzzy: self.fuzzy,
            limit: usize::MAX,
            ..SearchQuery::default()
        })
    }
}

type Date = quoth::article::Date;

/// Validates `--since`, `--until` and `--on` into an inclusive range.
fn date_range(
    since: Option<&str>,
    until: Option<&str>,
    on: Option<&str>,
) -> Result<(Option<Date>, Option<Date>)> {
    if let Some(on) = on {
        return Ok((
            date_arg(Some(on), "--on", DateEnd::First)?,
            date_arg(Some(on), "--on", DateEnd::Last)?,
        ));
    }
    quoth::search::date_range(since, until, "--").map_err(anyhow::Error::msg)
}

fn date_arg(value: Option<&str>, flag: &str, end: DateEnd) -> Result<Option<quoth::article::Date>> {
    match value {
        None => Ok(None),
        Some(v) => match parse_date_bound(v, end) {
            Some(d) => Ok(Some(d)),
            None => bail!("invalid date '{v}' for {flag}: use YYYY-MM-DD, YYYY-MM or YYYY"),
        },
    }
}

/// Parses a size such as `512MB`, `1GB`, `64KiB` or a plain number of bytes.
fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("invalid size '{s}': use e.g. 512MB"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return Err(format!("invalid size '{s}': use B, KB, MB or GB")),
    };
    Ok((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let cases: &[(&str, &str, Option<u64>)] = &[
            ("megabytes", "512MB", Some(512_000_000)),
            ("gibibytes", "1GiB", Some(1 << 30)),
            ("bytes", "4096", Some(4096)),
            ("fraction", "1.5GB", Some(1_500_000_000)),
            ("bad unit (negative)", "12parsecs", None),
            ("no number (negative)", "MB", None),
        ];
        for (name, s, want) in cases {
            assert_eq!(parse_size(s).ok(), *want, "case {name}");
        }
    }
}
