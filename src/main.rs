//! The `quoth` binary: parse arguments, call the library, print the error once, return the exit
//! code (0 results, 1 no results, 2 error, 3 indexed with some files skipped; for `check`, 0
//! verbatim or close, 1 otherwise).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, ColorChoice, Command, Config};
use quoth::article;
use quoth::eval;
use quoth::extract::{self, Extracted};
use quoth::index::{self, QuoteIndex};
use quoth::output::{self, Format, Style};
use quoth::search;

/// mimalloc: extraction and indexing allocate many small strings from several threads, where
/// glibc's allocator cost about a tenth of indexing time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            match quoth::index::explain_damage(&err) {
                Some(told) => warn(told),
                None => warn(format!("{err:#}")),
            }
            ExitCode::from(2)
        }
    }
}

/// Prints a warning or error on stderr, one line, with control characters escaped: messages
/// name files, and a file name may hold a terminal's escape sequences.
fn warn(message: impl std::fmt::Display) {
    eprintln!("quoth: {}", output::terminal_text(&message.to_string()));
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run() -> Result<ExitCode> {
    article::quiet_panics();
    let config = match Cli::try_parse() {
        Ok(cli) => cli.into_config()?,
        Err(e) => {
            // --help and --version are not errors; usage errors exit 2 like every other error.
            let code = if e.use_stderr() { 2 } else { 0 };
            e.print()?;
            return Ok(ExitCode::from(code));
        }
    };
    let color = use_color(config.color);
    // Wrap to the terminal's width on a terminal only, so that pipes get one line per quote.
    let width = match console::Term::stdout().size_checked() {
        Some((_, cols)) if io::stdout().is_terminal() => cols as usize,
        _ => usize::MAX,
    };
    let style = Style { color, width, context: false };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = match config.command {
        Command::Index { ref paths, ref options, quiet, json } => {
            run_index(&config, paths, options, quiet, json, &mut out)?
        }
        Command::Query { ref query, format, count, context } => {
            let style = Style { context, ..style };
            run_query(&config, query, format, count, style, &mut out)?
        }
        Command::Timeline { ref query, by, json } => {
            run_timeline(&config, query, by, json, style, &mut out)?
        }
        Command::Export { ref query, format } => run_export(&config, query, format, &mut out)?,
        Command::Check { ref query, stdin, json } => {
            run_check(&config, query, stdin, json, style, &mut out)?
        }
        Command::Stats { json } => run_stats(&config, json, &mut out)?,
        Command::Speakers { ref query, json } => run_speakers(&config, query, json, &mut out)?,
        Command::Extract { ref paths, ref read, json } => {
            run_extract(paths, read, json, style, &mut out)?
        }
        Command::Read { ref paths, ref read, json } => run_read(paths, read, json, &mut out)?,
        Command::Serve { addr, options } => run_serve(&config, addr, options)?,
        Command::Eval { ref gold, ref articles, json, verbose, min_words } => {
            run_eval(gold, articles, json, verbose, min_words, &mut out)?
        }
    };
    out.flush()?;
    Ok(code)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn run_index(
    config: &Config,
    paths: &[PathBuf],
    options: &index::IndexOptions,
    quiet: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    article::must_exist(paths)?;
    let idx = match options.rebuild {
        true => QuoteIndex::open_for_rebuild(&config.index)?,
        false => QuoteIndex::open_or_create(&config.index)?,
    };
    let bar = (!quiet && io::stderr().is_terminal()).then(progress_bar);
    let report = |p: index::Progress| {
        if let Some(b) = &bar {
            b.set_position(p.files as u64);
            b.set_message(format!("{:.1} MB, {} quotes", p.bytes as f64 / 1e6, p.quotes));
        }
    };
    let summary = index::index_paths(&idx, paths, options, &report);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = summary?;
    for w in &summary.warnings {
        warn(w);
    }
    if json {
        serde_json::to_writer(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", summary_line(&summary))?;
    }
    Ok(ExitCode::from(if summary.failed > 0 { 3 } else { 0 }))
}

/// A spinner-style bar: the number of files is not known until the walk ends.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} files ({per_sec}) {msg} [{elapsed}]",
        )
        .expect("valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The one-line summary of an index run.
fn summary_line(s: &index::Summary) -> String {
    let failed = if s.failed == 0 {
        "0 failed".to_string()
    } else {
        let reasons: Vec<String> =
            s.failed_reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        format!("{} failed ({})", s.failed, reasons.join(", "))
    };
    format!(
        "indexed {} files: {} new, {} changed, {} unchanged, {} removed, {failed}; {} without a date; {} quotes added{}, {} removed; {:.2}s, {:.1} MB/s",
        s.files(),
        s.new,
        s.changed,
        s.unchanged,
        s.removed,
        s.undated,
        s.quotes_added,
        if s.quotes_added == 0 {
            String::new()
        } else {
            format!(" ({:.0}% attributed)", s.attributed_share() * 100.0)
        },
        s.quotes_removed,
        s.elapsed_secs,
        s.mb_per_sec(),
    )
}

fn run_query(
    config: &Config,
    query: &search::SearchQuery,
    format: Format,
    count: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let idx = QuoteIndex::open(&config.index)?;
    if count {
        let (n, warnings) = search::count(&idx, query)?;
        warnings.iter().for_each(warn);
        writeln!(out, "{n}")?;
        return Ok(exit_for(n > 0));
    }
    let result = search::search(&idx, query)?;
    for w in &result.warnings {
        warn(w);
    }
    if result.hits.is_empty() {
        suggest_speakers(&idx, query)?;
    }
    let cwd = std::env::current_dir().ok();
    output::write(out, &result.hits, format, style, cwd.as_deref())?;
    Ok(exit_for(!result.hits.is_empty()))
}

/// For a speaker who has no quotes at all, names the nearest known speakers on stderr.
fn suggest_speakers(idx: &QuoteIndex, query: &search::SearchQuery) -> Result<()> {
    for name in &query.speakers {
        let alone = search::SearchQuery { speakers: vec![name.clone()], ..Default::default() };
        if search::count(idx, &alone)?.0 > 0 {
            continue;
        }
        let near = search::suggest_speakers(idx, name)?;
        if near.is_empty() {
            warn(format!("no quotes by '{name}'"));
        } else {
            let list: Vec<String> = near.iter().map(|(n, c)| format!("{n} ({c})")).collect();
            warn(format!("no quotes by '{name}'; did you mean: {}?", list.join(", ")));
        }
    }
    Ok(())
}

/// `quoth timeline`: matches per interval, as bars or JSON; 0 when something matches.
fn run_timeline(
    config: &Config,
    query: &search::SearchQuery,
    by: Option<search::Interval>,
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let idx = QuoteIndex::open(&config.index)?;
    let timeline = search::timeline(&idx, query, by)?;
    if json {
        serde_json::to_writer(&mut *out, &timeline)?;
        writeln!(out)?;
    } else {
        output::write_timeline(out, &timeline, style)?;
    }
    if timeline.total == 0 {
        suggest_speakers(&idx, query)?;
    }
    Ok(exit_for(timeline.total > 0))
}

fn run_export(
    config: &Config,
    query: &search::SearchQuery,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let idx = QuoteIndex::open(&config.index)?;
    let mut n = 0usize;
    let warnings = if format == Format::Csv {
        let mut csv = output::CsvWriter::new(out)?;
        let warnings = search::for_each_match(&idx, query, &mut |hit| {
            n += 1;
            Ok(csv.row(&hit)?)
        })?;
        csv.finish()?;
        warnings
    } else {
        search::for_each_match(&idx, query, &mut |hit| {
            n += 1;
            match format {
                Format::Quickwit => output::write_quickwit(out, &hit)?,
                Format::OpenSearch => output::write_opensearch(out, &hit)?,
                _ => output::write_json_lines(out, std::slice::from_ref(&hit))?,
            }
            Ok(())
        })?
    };
    warnings.iter().for_each(warn);
    Ok(exit_for(n > 0))
}

/// Longest claim read from standard input.
const MAX_CLAIM_BYTES: u64 = 1 << 20;

fn run_check(
    config: &Config,
    query: &quoth::check::CheckQuery,
    stdin: bool,
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let mut query = query.clone();
    if stdin {
        let mut bytes = Vec::new();
        io::Read::read_to_end(
            &mut io::Read::take(io::stdin().lock(), MAX_CLAIM_BYTES + 1),
            &mut bytes,
        )
        .context("cannot read the claim from standard input")?;
        if bytes.len() as u64 > MAX_CLAIM_BYTES {
            anyhow::bail!("the claim on standard input is longer than 1 MB");
        }
        query.claim = String::from_utf8_lossy(&bytes).into_owned();
    }
    let idx = QuoteIndex::open(&config.index)?;
    let checked = quoth::check::check_claim(&idx, &query)?;
    if !checked.verdict.confirmed() {
        if let Some(name) = &query.speaker {
            let by = search::SearchQuery { speakers: vec![name.clone()], ..Default::default() };
            suggest_speakers(&idx, &by)?;
        }
    }
    if json {
        serde_json::to_writer(&mut *out, &checked)?;
        writeln!(out)?;
    } else {
        let cwd = std::env::current_dir().ok();
        output::write_check(out, &checked, style, cwd.as_deref())?;
    }
    // 0: the claim stands (verbatim or close); 1: it does not, or only in part.
    Ok(exit_for(checked.verdict.confirmed()))
}

fn run_serve(
    config: &Config,
    addr: std::net::SocketAddr,
    options: quoth::server::ServeOptions,
) -> Result<ExitCode> {
    let idx = std::sync::Arc::new(QuoteIndex::open_watching(&config.index)?);
    let mut options = options;
    options.limits.max_connections = connection_cap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        eprintln!("quoth: listening on http://{}", listener.local_addr()?);
        quoth::server::serve(idx, options, listener).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Connections `quoth serve` keeps open at once: as many as its open-file limit allows (raised
/// to the hard limit first), less a reserve for the index's files and the process's own. At
/// the cap the oldest idle connection is closed for a new one (`server::Limits`), so that the
/// process never runs out of descriptors and cannot accept a healthy client.
fn connection_cap() -> usize {
    #[cfg(target_os = "linux")]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: reads the limit into a valid rlimit.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            let want = lim.rlim_max.min(65_536);
            if lim.rlim_cur < want {
                let raised = libc::rlimit { rlim_cur: want, rlim_max: lim.rlim_max };
                // SAFETY: sets the soft limit to at most the hard one, from a valid rlimit.
                if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                    lim.rlim_cur = want;
                }
            }
            return (lim.rlim_cur as usize).saturating_sub(256).clamp(16, 16_384);
        }
    }
    512
}

fn run_stats(config: &Config, json: bool, out: &mut dyn Write) -> Result<ExitCode> {
    let idx = QuoteIndex::open(&config.index)?;
    let s = quoth::stats::stats(&idx)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &s)?;
        writeln!(out)?;
    } else {
        output::write_stats(out, &s)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_speakers(
    config: &Config,
    query: &quoth::stats::SpeakerQuery,
    json: bool,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let idx = QuoteIndex::open(&config.index)?;
    let list = quoth::stats::speakers(&idx, query)?;
    if json {
        output::write_json_lines(out, &list)?;
    } else {
        output::write_speakers(out, &list)?;
    }
    Ok(exit_for(!list.is_empty()))
}

fn exit_for(found: bool) -> ExitCode {
    if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_extract(
    paths: &[PathBuf],
    read: &article::ReadOptions,
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let mut found = false;
    let mut failed = false;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    for outcome in extract::extract_files(paths.to_vec(), read.clone(), threads)? {
        let (articles, warnings) = match outcome {
            Extracted::Failed(message) => {
                warn(message);
                failed = true;
                continue;
            }
            Extracted::File { articles, warnings } => (articles, warnings),
        };
        warnings.iter().for_each(warn);
        for hits in articles.iter().filter(|h| !h.is_empty()) {
            if json {
                output::write_json_lines(out, hits)?;
            } else {
                if found {
                    writeln!(out)?;
                }
                output::write_hits(out, hits, style, None)?;
            }
            found = true;
        }
    }
    Ok(if failed && !found { ExitCode::from(2) } else { exit_for(found) })
}

/// `quoth read`: what quoth reads from each article. Exit 0 when an article was read, 1 when
/// none was, 2 when files failed and none was read.
fn run_read(
    paths: &[PathBuf],
    read: &article::ReadOptions,
    json: bool,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (mut found, mut failed) = (false, false);
    for root in paths {
        let (files, warnings) = article::files_under(root, read)?;
        for w in warnings {
            warn(w);
            failed = true;
        }
        for (path, _) in files {
            let file = match article::read_articles(&path, read) {
                Ok(f) => f,
                Err(e) => {
                    warn(e);
                    failed = true;
                    continue;
                }
            };
            file.warnings.iter().for_each(warn);
            let name = path.display().to_string();
            for a in &file.articles {
                if json {
                    serde_json::to_writer(&mut *out, &output::article_json(&name, file.format, a))?;
                    writeln!(out)?;
                } else {
                    if found {
                        writeln!(out)?;
                    }
                    output::write_article(out, &name, file.format, a)?;
                }
                found = true;
            }
        }
    }
    Ok(if failed && !found { ExitCode::from(2) } else { exit_for(found) })
}

fn run_eval(
    gold: &Path,
    dir: &Path,
    json: bool,
    verbose: bool,
    min_words: usize,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let report = eval::evaluate(gold, dir, min_words)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        output::write_report(out, &report, verbose)?;
    }
    Ok(ExitCode::SUCCESS)
}
