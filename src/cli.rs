//! Command-line arguments: clap derive types only, converted into the library's plain
//! configuration in one place ([`Cli::into_command`]).

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand, ValueEnum};

use quoth::search::{parse_date_bound, DateEnd, SearchQuery};

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
    /// Index the articles (.txt) under folders or files; re-indexing replaces a file's quotes.
    Index {
        /// Folders or files to index.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Search the indexed quotations.
    #[command(alias = "search")]
    Query {
        /// Words to find, ANDed; "phrases", OR, -exclusion and prefix* work (put a leading
        /// -word after `--` or inside one quoted argument: 'tariff -steel').
        #[arg(value_name = "WORDS")]
        words: Vec<String>,
        /// Only quotes by this speaker (any name word: okafor, "adaeze okafor"); repeat to OR.
        #[arg(long, value_name = "NAME")]
        speaker: Vec<String>,
        /// Only quotes dated on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only quotes dated on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Show at most this many quotes.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Print the quotes found in articles, without indexing them.
    Extract {
        /// Article files or folders.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
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
    },
}

/// A command with its configuration, free of clap types.
#[derive(Debug)]
pub enum Command {
    Index { paths: Vec<PathBuf> },
    Query { query: SearchQuery, json: bool },
    Extract { paths: Vec<PathBuf>, json: bool },
    Eval { gold: PathBuf, articles: PathBuf, json: bool, verbose: bool },
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
            Cmd::Index { paths } => Command::Index { paths },
            Cmd::Query { words, speaker, since, until, limit, json } => {
                let since = date_arg(since.as_deref(), "--since", DateEnd::First)?;
                let until = date_arg(until.as_deref(), "--until", DateEnd::Last)?;
                if let (Some(s), Some(u)) = (since, until) {
                    if s > u {
                        bail!("--since {s} is after --until {u}");
                    }
                }
                if limit == 0 {
                    bail!("invalid value '0' for --limit: show at least one quote");
                }
                let query =
                    SearchQuery { text: words.join(" "), speakers: speaker, since, until, limit };
                Command::Query { query, json }
            }
            Cmd::Extract { paths, json } => Command::Extract { paths, json },
            Cmd::Eval { gold, articles, json, verbose } => {
                Command::Eval { gold, articles, json, verbose }
            }
        };
        Ok(Config { index: self.index, color: self.color, command })
    }
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
