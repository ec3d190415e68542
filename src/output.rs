//! Rendering hits for people and programs: an aligned, optionally coloured text listing, or
//! one JSON object per line. Writes to any `io::Write`; decides nothing about what to show.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::eval::Report;
use crate::index::schema;
use crate::search::Hit;

/// Output formats of `quoth query` and `quoth export`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// NDJSON documents for the Quickwit index of `deploy/quickwit/quotes.yaml`.
    Quickwit,
    /// OpenSearch bulk lines (an action, then the document) for the index of
    /// `deploy/opensearch/quotes.json`.
    OpenSearch,
}

/// How to render text output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours and highlighted matched words.
    pub color: bool,
    /// Wrap quotations to this many columns.
    pub width: usize,
    /// Show the whole paragraph under each quotation.
    pub context: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, width: 100, context: false }
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const DATE: &str = "\x1b[32m";
const PATH: &str = "\x1b[35m";

/// `text` safe to print on a terminal: control characters (C0, DEL and C1, where escape
/// sequences start) shown as `\x1b` or `\u{9b}`, so that a quotation or a file name cannot
/// move the cursor, recolour or retitle the terminal. JSON and CSV output stay exact.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    let control = |c: char| c.is_control();
    if !text.contains(control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if (c as u32) < 0x80 && control(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `path` relative to `base` when it lies under it, for shorter listings.
pub fn relative_to(path: &str, base: Option<&Path>) -> String {
    base.and_then(|b| Path::new(path).strip_prefix(b).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| path.to_string())
}

/// Writes hits in `format`.
pub fn write(
    out: &mut dyn Write,
    hits: &[Hit],
    format: Format,
    style: Style,
    base: Option<&Path>,
) -> io::Result<()> {
    match format {
        Format::Table => write_hits(out, hits, style, base),
        Format::Jsonl => write_json_lines(out, hits),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, hits)?;
            writeln!(out)
        }
        Format::Csv => {
            let mut csv = CsvWriter::new(out)?;
            hits.iter().try_for_each(|h| csv.row(h))?;
            csv.finish()
        }
        Format::Quickwit => hits.iter().try_for_each(|h| write_quickwit(out, h)),
        Format::OpenSearch => hits.iter().try_for_each(|h| write_opensearch(out, h)),
    }
}

/// A quotation in the shape that the committed index definitions of the distributed engines
/// declare (`deploy/quickwit/quotes.yaml`, `deploy/opensearch/quotes.json`): one flat object
/// with every field present (null when unknown), the date in RFC 3339 at UTC midnight, and ids
/// (quotation, article, and the key shared by copies of one quotation) as 16 hexadecimal digits.
#[derive(Debug, Serialize)]
pub struct EngineDoc<'a> {
    pub id: &'a str,
    pub quote: &'a str,
    pub speaker: Option<&'a str>,
    pub role: Option<&'a str>,
    pub date: Option<String>,
    pub file: &'a str,
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub article_id: String,
    pub quote_key: String,
}

impl<'a> EngineDoc<'a> {
    pub fn of(h: &'a Hit) -> Self {
        EngineDoc {
            id: &h.id,
            quote: &h.quote,
            speaker: h.speaker.as_deref(),
            role: h.role.as_deref(),
            date: h.date.map(|d| format!("{d}T00:00:00Z")),
            file: &h.file,
            url: h.url.as_deref(),
            title: h.title.as_deref(),
            article_id: schema::article_id(&h.file, h.line),
            quote_key: schema::id_text(schema::quote_key(&h.quote)),
        }
    }
}

/// One NDJSON document for Quickwit's ingest.
pub fn write_quickwit(out: &mut dyn Write, h: &Hit) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &EngineDoc::of(h))?;
    out.write_all(b"\n")
}

/// One quotation for OpenSearch's bulk API: the action line (index under the quotation's id,
/// so that ingesting again replaces rather than duplicates), then the document line.
pub fn write_opensearch(out: &mut dyn Write, h: &Hit) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &serde_json::json!({ "index": { "_id": h.id } }))?;
    out.write_all(b"\n")?;
    write_quickwit(out, h)
}

/// Writes hits as a human listing: date and speaker, the quotation (wrapped, matched words
/// highlighted), where it came from, and how often it was republished.
pub fn write_hits(
    out: &mut dyn Write,
    hits: &[Hit],
    style: Style,
    base: Option<&Path>,
) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        let s = terminal_text(s);
        if style.color {
            format!("{code}{s}{RESET}")
        } else {
            s.into_owned()
        }
    };
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let date = h.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        let who = match (&h.speaker, &h.role) {
            (Some(s), Some(r)) => format!("{} {}", paint(BOLD, s), paint(DIM, &format!("({r})"))),
            (Some(s), None) => paint(BOLD, s),
            (None, _) => paint(DIM, "(no speaker)"),
        };
        writeln!(out, "{}  {}", paint(DATE, &format!("{date:<10}")), who)?;
        let quoted = format!("“{}”", h.quote);
        // Highlight offsets shift by the opening mark.
        let shift = "“".len();
        let ranges: Vec<_> = h.highlights.iter().map(|r| r.start + shift..r.end + shift).collect();
        for line in wrap(&quoted, style.width.saturating_sub(2).max(20)) {
            writeln!(out, "  {}", highlight(&quoted, line, &ranges, style))?;
        }
        if style.context {
            // Paragraphs are joined by a blank line; each is shown, escaped, on its own lines.
            for (j, part) in h.paragraph.split("\n\n").enumerate() {
                if j > 0 {
                    writeln!(out)?;
                }
                for line in wrap(part, style.width.saturating_sub(4).max(20)) {
                    writeln!(out, "    {}", paint(DIM, &part[line]))?;
                }
            }
        }
        let line = h.line.map_or(String::new(), |l| format!(":{l}"));
        let mut place = format!("{}{line}:¶{}", relative_to(&h.file, base), h.paragraph_number);
        if h.occurrences > 1 {
            let since = h.first_date.map_or(String::new(), |d| format!(", first on {d}"));
            place.push_str(&format!("  (in {} articles{since})", h.occurrences));
        }
        writeln!(out, "  {}", paint(PATH, &place))?;
    }
    Ok(())
}

const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const CYAN: &str = "\x1b[36m";
// With colour, added words are underlined and dropped ones struck through, without marks:
// colour alone would not tell them apart for everyone.
const INSERTED: &str = "\x1b[4;32m";
const DELETED: &str = "\x1b[9;31m";

/// Writes a check: its verdict in one line, then per match the claim against the quotation
/// (word-diff marks `[-dropped-]{+added+}`, coloured on a terminal, readable on a pipe), the
/// similarity, who said it and every article carrying it, and the earliest paragraph.
pub fn write_check(
    out: &mut dyn Write,
    c: &crate::check::Checked,
    style: Style,
    base: Option<&Path>,
) -> io::Result<()> {
    use crate::check::Verdict;
    let paint =
        |code: &str, s: &str| if style.color { format!("{code}{s}{RESET}") } else { s.to_string() };
    let verdict_colour = |v: Verdict| match v {
        Verdict::Verbatim | Verdict::Close => GREEN,
        Verdict::Partial => YELLOW,
        Verdict::DifferentSpeaker | Verdict::NotFound => RED,
    };
    let lead = |line: &str, v: Verdict| match line.split_once(':') {
        Some((head, rest)) => {
            format!("{}:{rest}", paint(&format!("{BOLD}{}", verdict_colour(v)), head))
        }
        None => line.to_string(),
    };
    writeln!(out, "{}", lead(&c.summary, c.verdict))?;
    for (i, m) in c.matches.iter().enumerate() {
        writeln!(out)?;
        if i > 0 {
            let line = format!("{}. {}", i + 1, m.summary);
            writeln!(out, "{}", lead(&line, m.verdict))?;
        }
        let pieces = diff_pieces(m, style.color);
        for line in wrap_pieces(&pieces, style.width.saturating_sub(2).max(20), style.color) {
            writeln!(out, "  {line}")?;
        }
        writeln!(out, "  {}", paint(DIM, &format!("similarity {:.3}", m.similarity)))?;
        for (q, src) in m.quotations.iter().enumerate() {
            let who = src.speaker.as_deref().unwrap_or("(no speaker)");
            let role = src.role.as_deref().map_or(String::new(), |r| format!(" ({r})"));
            let n = src.occurrences;
            let which = if m.quotations.len() > 1 {
                format!("quotation {}: ", q + 1)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {which}{}{}, {n} article{}:",
                paint(BOLD, who),
                paint(DIM, &role),
                if n == 1 { "" } else { "s" }
            )?;
            for a in &src.articles {
                let date = a.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
                let line = a.line.map_or(String::new(), |l| format!(":{l}"));
                let mut place =
                    format!("{}{line}:¶{}", relative_to(&a.file, base), a.paragraph_number);
                if let Some(t) = &a.title {
                    place.push_str(&format!("  {t}"));
                }
                if let Some(u) = &a.url {
                    place.push_str(&format!("  {u}"));
                }
                writeln!(
                    out,
                    "    {}  {}",
                    paint(DATE, &format!("{date:<10}")),
                    paint(PATH, &place)
                )?;
            }
            if (n as usize) > src.articles.len() {
                writeln!(
                    out,
                    "    {}",
                    paint(DIM, &format!("and {} more", n as usize - src.articles.len()))
                )?;
            }
            // Two quotations of one paragraph (split by attribution) show it once.
            if q > 0 && m.quotations[q - 1].paragraph == src.paragraph {
                continue;
            }
            let para = format!("¶ {}", src.paragraph);
            for line in wrap(&para, style.width.saturating_sub(4).max(20)) {
                writeln!(out, "    {}", paint(DIM, &para[line]))?;
            }
        }
    }
    Ok(())
}

/// The diff of a match as pieces of text with their colour: the quotation's words as they are,
/// `[-dropped-]`, `{+added+}`, misspellings `word{~claimed~}`, words an ellipsis stands for
/// `(…words…)`, words outside an excerpt `(words)`, bracketed words as the claim has them
/// (`[the minister] (for ‘she’)`); quotation marks around each quotation.
fn diff_pieces(m: &crate::check::Match, color: bool) -> Vec<(String, &'static str)> {
    use crate::check::{Note, Op};
    // A piece starting with GLUE joins the one before without a space.
    let mut pieces: Vec<(String, &'static str)> = Vec::new();
    let mut current = usize::MAX;
    for r in &m.diff {
        if r.quotation != current {
            if current != usize::MAX {
                pieces.push(("”".into(), ""));
                pieces.push((" + ".into(), ""));
            }
            pieces.push(("“".into(), ""));
            current = r.quotation;
        }
        let claim = r.claim.clone().unwrap_or_default();
        let quote = r.quote.clone().unwrap_or_default();
        let mark = |open: &str, text: &str, close: &str| {
            if color {
                text.to_string()
            } else {
                format!("{open}{text}{close}")
            }
        };
        match (r.op, r.note) {
            (Op::Equal, _) => pieces.push((quote, "")),
            (_, Some(Note::Misspelt)) => {
                pieces.push((quote, ""));
                pieces.push((format!("{GLUE}{{~{claim}~}}"), YELLOW));
            }
            (_, Some(Note::Ellipsis)) => pieces.push((format!("(…{quote}…)"), DIM)),
            (_, Some(Note::Outside)) => pieces.push((format!("({quote})"), DIM)),
            (Op::Replace, Some(Note::Editorial)) => {
                // `[she]` for “she” says nothing more; `[the mayor]` for “she” does.
                let letters = |s: &str| -> String {
                    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
                };
                let same = letters(&claim) == letters(&quote);
                pieces.push((claim, CYAN));
                if !same {
                    pieces.push((format!("(for ‘{quote}’)"), DIM));
                }
            }
            (_, Some(Note::Editorial)) => pieces.push((claim, CYAN)),
            (Op::Insert, _) => pieces.push((mark("{+", &claim, "+}"), INSERTED)),
            (Op::Delete, _) => pieces.push((mark("[-", &quote, "-]"), DELETED)),
            (Op::Replace, _) => {
                pieces.push((mark("[-", &quote, "-]"), DELETED));
                let glue = if color { String::new() } else { GLUE.to_string() };
                pieces.push((format!("{glue}{}", mark("{+", &claim, "+}")), INSERTED));
            }
        }
    }
    if current != usize::MAX {
        pieces.push(("”".into(), ""));
    }
    pieces
}

/// Marks a diff piece that joins the one before it without a space.
const GLUE: char = '\u{1}';

/// Pieces laid out in lines of at most `width` visible characters, breaking at spaces, each
/// piece's colour applied per line; pieces join with a space except around quotation marks.
fn wrap_pieces(pieces: &[(String, &'static str)], width: usize, color: bool) -> Vec<String> {
    let mut words: Vec<(String, &'static str, bool)> = Vec::new(); // (word, colour, space before)
    let mut glue = true;
    for (text, code) in pieces {
        let (text, glued) = match text.strip_prefix(GLUE) {
            Some(rest) => (rest, true),
            None => (text.as_str(), false),
        };
        let first_space = !(glue || glued || text == "”");
        for (k, w) in text.split(' ').filter(|w| !w.is_empty()).enumerate() {
            words.push((w.to_string(), code, k > 0 || first_space));
        }
        glue = text == "“";
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for (w, code, space) in words {
        let visible = w.chars().count();
        if len > 0 && space && len + 1 + visible > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 && space {
            line.push(' ');
            len += 1;
        }
        if code.is_empty() || !color {
            line.push_str(&w);
        } else {
            line.push_str(&format!("{code}{w}{RESET}"));
        }
        len += visible;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Byte ranges of `text` broken into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_space = None;
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            last_space = Some(i);
        }
        count += 1;
        if count > width {
            if let Some(sp) = last_space.filter(|&sp| sp > start) {
                lines.push(start..sp);
                start = sp + 1;
                count = text[start..=i].chars().count();
                last_space = None;
            }
        }
    }
    if start < text.len() || lines.is_empty() {
        lines.push(start..text.len());
    }
    lines
}

/// The part `line` of `text`, with matched ranges painted.
fn highlight(
    text: &str,
    line: std::ops::Range<usize>,
    ranges: &[std::ops::Range<usize>],
    style: Style,
) -> String {
    if !style.color || ranges.is_empty() {
        return terminal_text(&text[line]).into_owned();
    }
    let mut s = String::new();
    let mut at = line.start;
    for r in ranges {
        let (a, b) = (r.start.max(line.start), r.end.min(line.end));
        if a >= b || a < at {
            continue;
        }
        s.push_str(&terminal_text(&text[at..a]));
        s.push_str(MATCH);
        s.push_str(&terminal_text(&text[a..b]));
        s.push_str(RESET);
        at = b;
    }
    s.push_str(&terminal_text(&text[at..line.end]));
    s
}

/// CSV columns, in order; the names match the JSON keys and the index fields.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "quote",
    "speaker",
    "role",
    "date",
    "file",
    "line",
    "title",
    "url",
    "paragraph_number",
    "start",
    "end",
    "score",
    "occurrences",
    "first_date",
    "paragraph",
];

/// Hits as CSV (RFC 4180: CRLF line ends, a field quoted only when it holds a comma, a quotation
/// mark or a line break, quotation marks doubled), written by the `csv` crate. Fields are written
/// as they are: a quotation starting with `=` stays that quotation (CSV is data, not a
/// spreadsheet formula; whoever opens it in a spreadsheet imports it as text).
pub struct CsvWriter<'a> {
    csv: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvWriter<'a> {
    /// A writer to `out` that has written the header row.
    pub fn new(out: &'a mut dyn Write) -> io::Result<CsvWriter<'a>> {
        let csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        let mut w = CsvWriter { csv };
        w.csv.write_record(CSV_COLUMNS).map_err(io_error)?;
        Ok(w)
    }

    /// Writes one hit as a row, in the order of [`CSV_COLUMNS`].
    pub fn row(&mut self, h: &Hit) -> io::Result<()> {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let date = |d: Option<crate::article::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            h.id.clone(),
            h.quote.clone(),
            opt(&h.speaker),
            opt(&h.role),
            date(h.date),
            h.file.clone(),
            h.line.map(|l| l.to_string()).unwrap_or_default(),
            opt(&h.title),
            opt(&h.url),
            h.paragraph_number.to_string(),
            h.start.to_string(),
            h.end.to_string(),
            serde_json::to_string(&h.score).unwrap_or_default(),
            h.occurrences.to_string(),
            date(h.first_date),
            h.paragraph.clone(),
        ];
        self.csv.write_record(&cells).map_err(io_error)
    }

    /// Writes out what is buffered. Call it once the last row is written: dropping the writer
    /// flushes too, but loses a failure to write.
    pub fn finish(mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

/// The `io::Error` inside a CSV writer's error (the only kind a writer of strings meets).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes index statistics, one fact per line.
pub fn write_stats(out: &mut dyn Write, s: &crate::stats::Stats) -> io::Result<()> {
    let date = |d: Option<crate::article::Date>| d.map_or("-".to_string(), |d| d.to_string());
    writeln!(out, "articles      {}", s.articles)?;
    writeln!(out, "quotes        {} ({} undated)", s.quotes, s.undated_quotes)?;
    writeln!(out, "attributed    {} ({:.0}%)", s.attributed, s.attributed_share * 100.0)?;
    writeln!(out, "speakers      {}", s.speakers)?;
    writeln!(out, "dates         {} to {}", date(s.first_date), date(s.last_date))?;
    writeln!(out, "index size    {:.1} MB", s.index_bytes as f64 / 1e6)?;
    for (i, f) in s.folders.iter().enumerate() {
        let f = terminal_text(f);
        writeln!(out, "{}{f}", if i == 0 { "folders       " } else { "              " })?;
    }
    writeln!(out, "last update   {}", s.last_update.as_deref().unwrap_or("-"))
}

/// Writes the speaker list as aligned columns.
pub fn write_speakers(out: &mut dyn Write, list: &[crate::stats::Speaker]) -> io::Result<()> {
    let date = |d: Option<crate::article::Date>| d.map_or("undated".to_string(), |d| d.to_string());
    let width = list.iter().map(|s| s.name.chars().count()).max().unwrap_or(0).max(7);
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>8}  {:<10}  {:<10}  roles",
        "speaker", "quotes", "articles", "first", "last"
    )?;
    for s in list {
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>8}  {:<10}  {:<10}  {}",
            terminal_text(&s.name),
            s.quotes,
            s.articles,
            date(s.first_date),
            date(s.last_date),
            terminal_text(&s.roles.join("; "))
        )?;
    }
    Ok(())
}

/// Writes a timeline, one line per interval: label, count and a bar scaled to the largest
/// count. On a terminal (`style.width` its columns) the bar fills the line in eighths of a
/// block; elsewhere (a pipe, `usize::MAX`) it is drawn with `#` in 80 columns. Undated
/// quotations are counted on a last line of their own.
pub fn write_timeline(
    out: &mut dyn Write,
    t: &crate::search::Timeline,
    style: Style,
) -> io::Result<()> {
    let terminal = style.width != usize::MAX;
    let label_width = t.buckets.iter().map(|b| b.label.len()).max().unwrap_or(0).max(7);
    let most = t.buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let count_width = most.max(t.undated).to_string().len();
    let columns = if terminal { style.width } else { 80 };
    let bar_width = columns.saturating_sub(label_width + count_width + 5).max(10);
    for b in &t.buckets {
        let bar = if terminal {
            bar_blocks(b.count, most, bar_width)
        } else {
            "#".repeat(bar_cells(b.count, most, bar_width, 1))
        };
        let line = format!("{:<label_width$}  {:>count_width$}  {bar}", b.label, b.count);
        writeln!(out, "{}", line.trim_end())?;
    }
    if t.undated > 0 {
        writeln!(out, "{:<label_width$}  {:>count_width$}", "undated", t.undated)?;
    }
    Ok(())
}

/// Length of a bar of `count` out of `most` in `width` cells of `steps` parts each, in parts:
/// never zero for a count above zero, so that a small count still shows.
fn bar_cells(count: u64, most: u64, width: usize, steps: usize) -> usize {
    if count == 0 || most == 0 {
        return 0;
    }
    let parts = (count as u128 * (width * steps) as u128).div_ceil(most as u128) as usize;
    parts.clamp(1, width * steps)
}

/// A bar of whole blocks and one partial block (eighths), for terminals.
fn bar_blocks(count: u64, most: u64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let parts = bar_cells(count, most, width, 8);
    let mut bar = "█".repeat(parts / 8);
    if parts % 8 > 0 {
        bar.push(EIGHTHS[parts % 8]);
    }
    bar
}

/// Writes one JSON object per item and line.
pub fn write_json_lines<T: serde::Serialize>(out: &mut dyn Write, items: &[T]) -> io::Result<()> {
    for i in items {
        serde_json::to_writer(&mut *out, i)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The JSON object `quoth read --json` prints for one article: where it came from, its
/// format, date and the date's source, title, URL, paragraphs and warnings.
pub fn article_json(
    file: &str,
    format: crate::article::Format,
    a: &crate::article::Article,
) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "line": a.line,
        "format": format.name(),
        "date": a.date.map(|d| d.to_string()),
        "date_from": a.date_from.as_ref().map(|f| f.to_string()),
        "title": a.title,
        "url": a.url,
        "paragraphs": a.paragraphs,
        "warnings": a.warnings,
    })
}

/// Writes what `quoth read` found in one article, for people: a header of facts, then the
/// numbered paragraphs (the numbers are the `¶` of quotations).
pub fn write_article(
    out: &mut dyn Write,
    file: &str,
    format: crate::article::Format,
    a: &crate::article::Article,
) -> io::Result<()> {
    let line = a.line.map_or(String::new(), |l| format!(":{l}"));
    writeln!(out, "{file}{line}")?;
    writeln!(out, "  format  {}", format.name())?;
    let date = match (a.date, &a.date_from) {
        (Some(d), Some(from)) => format!("{d} (from {from})"),
        (Some(d), None) => d.to_string(),
        (None, _) => "none".to_string(),
    };
    writeln!(out, "  date    {date}")?;
    writeln!(out, "  title   {}", a.title.as_deref().unwrap_or("-"))?;
    writeln!(out, "  url     {}", a.url.as_deref().unwrap_or("-"))?;
    for w in &a.warnings {
        writeln!(out, "  warning {w}")?;
    }
    for (i, p) in a.paragraphs.iter().enumerate() {
        writeln!(out, "  ¶{:<3} {p}", i + 1)?;
    }
    Ok(())
}

/// Writes an evaluation report as a short table.
pub fn write_report(out: &mut dyn Write, r: &Report, verbose: bool) -> io::Result<()> {
    let row = |name: &str, p: &crate::eval::Prf| {
        format!(
            "{name:<22} P {:.3}  R {:.3}  F1 {:.3}   ({} of {} predicted, {} gold)",
            p.precision, p.recall, p.f1, p.true_positives, p.predicted, p.gold
        )
    };
    writeln!(out, "{} articles", r.files)?;
    writeln!(out, "{}", row("extraction", &r.extraction))?;
    writeln!(out, "{}", row("exact text", &r.exact))?;
    writeln!(
        out,
        "{:<22} {:.3}   ({} of {} matched quotes with a known speaker)",
        "attribution accuracy", r.attribution_accuracy, r.attribution_correct, r.attribution_total
    )?;
    writeln!(out, "{}", row("end to end", &r.end_to_end))?;
    writeln!(out, "{:<22} {} of {}", "negatives returned", r.negatives_returned, r.negatives)?;
    if verbose {
        for p in &r.problems {
            let at = p.paragraph.map_or(String::new(), |n| format!(":¶{n}"));
            let who = match (&p.expected, &p.got) {
                (e, g) if p.kind == "wrong speaker" => format!(" expected {e:?}, got {g:?}"),
                (Some(e), _) if p.kind == "missed" => format!(" by {e:?}"),
                (_, Some(g)) => format!(" (as {g:?})"),
                _ => String::new(),
            };
            let (file, quote) = (terminal_text(&p.file), terminal_text(&p.quote));
            writeln!(out, "{}: {file}{at}: “{quote}”{who}", p.kind)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping() {
        // (name, text, width, expected lines)
        let cases: &[(&str, &str, usize, &[&str])] = &[
            ("fits", "a short line", 20, &["a short line"]),
            ("breaks at spaces", "one two three four", 9, &["one two", "three", "four"]),
            ("long word stays whole", "abcdefghijkl xy", 5, &["abcdefghijkl", "xy"]),
            ("empty", "", 10, &[""]),
        ];
        for (name, text, width, want) in cases {
            let got: Vec<&str> = wrap(text, *width).into_iter().map(|r| &text[r]).collect();
            assert_eq!(got, *want, "case {name}");
        }
    }

    #[test]
    fn terminal_text_escapes_controls() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "plain text (negative)",
                "We stay, “Okafor” said — ça va",
                "We stay, “Okafor” said — ça va",
            ),
            ("escape sequence", "a\u{1b}[2Jb", "a\\x1b[2Jb"),
            ("bell and newline", "a\u{7}\nb", "a\\x07\\x0ab"),
            ("delete", "a\u{7f}", "a\\x7f"),
            ("C1 control sequence introducer", "a\u{9b}31m", "a\\u{9b}31m"),
        ];
        for (name, text, want) in cases {
            assert_eq!(terminal_text(text), *want, "case {name}");
        }
    }

    /// A hit whose every optional field is set, for CSV rows.
    fn hit(quote: &str) -> Hit {
        Hit {
            id: "q1".into(),
            quote: quote.into(),
            speaker: Some("Ines Varga".into()),
            role: None,
            date: Some("2023-06-21".parse().unwrap()),
            file: "a.md".into(),
            line: None,
            title: Some("Harbour".into()),
            url: None,
            paragraph: "p".into(),
            paragraph_number: 2,
            start: 0,
            end: 3,
            score: 1.5,
            occurrences: 1,
            first_date: None,
            rule: None,
            highlights: Vec::new(),
        }
    }

    #[test]
    fn bars() {
        // (name, count, most, width, steps, expected parts)
        let cases: &[(&str, u64, u64, usize, usize, usize)] = &[
            ("largest fills the width", 40, 40, 20, 1, 20),
            ("half", 20, 40, 20, 1, 10),
            ("a small count still shows", 1, 1000, 20, 1, 1),
            ("zero shows nothing (negative)", 0, 40, 20, 1, 0),
            ("nothing at all (negative)", 0, 0, 20, 1, 0),
            ("eighths", 3, 8, 1, 8, 3),
            ("rounded up, never over", 39, 40, 20, 8, 156),
        ];
        for (name, count, most, width, steps, want) in cases {
            assert_eq!(bar_cells(*count, *most, *width, *steps), *want, "case {name}");
        }
        assert_eq!(bar_blocks(3, 8, 1), "▍");
        assert_eq!(bar_blocks(8, 8, 2), "██");
        assert_eq!(bar_blocks(0, 8, 2), "");
    }

    #[test]
    fn timelines() {
        use crate::search::{Bucket, Interval, Timeline};
        let bucket = |label: &str, since: &str, until: &str, count| Bucket {
            label: label.to_string(),
            since: since.parse().unwrap(),
            until: until.parse().unwrap(),
            count,
        };
        let t = Timeline {
            by: Interval::Year,
            total: 7,
            undated: 2,
            buckets: vec![
                bucket("2023", "2023-01-01", "2023-12-31", 4),
                bucket("2024", "2024-01-01", "2024-12-31", 0),
                bucket("2025", "2025-01-01", "2025-12-31", 1),
            ],
        };
        // (name, columns of the terminal or usize::MAX for a pipe, expected text)
        let wide = "#".repeat(67);
        let piped =
            format!("2023     4  {wide}\n2024     0\n2025     1  {}\nundated  2\n", "#".repeat(17));
        let cases: Vec<(&str, usize, String)> = vec![
            ("pipe: # within 80 columns", usize::MAX, piped),
            (
                "terminal: blocks in its width",
                30,
                "2023     4  █████████████████\n2024     0\n2025     1  ████▎\nundated  2\n".into(),
            ),
        ];
        for (name, width, want) in cases {
            let mut out = Vec::new();
            write_timeline(&mut out, &t, Style { width, ..Style::default() }).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "case {name}");
        }
    }

    #[test]
    fn csv_rows() {
        let header = CSV_COLUMNS.join(",") + "\r\n";
        // (name, quotation, the quotation's cell as written)
        let cases: &[(&str, &str, &str)] = &[
            ("plain stays bare", "abc", "abc"),
            ("comma quoted", "a,b", "\"a,b\""),
            ("quote doubled", "say \"hi\"", "\"say \"\"hi\"\"\""),
            ("newline quoted", "a\nb", "\"a\nb\""),
            ("carriage return quoted", "a\rb", "\"a\rb\""),
            ("leading = kept as data", "=SUM(A1)", "=SUM(A1)"),
            ("semicolon not quoted (negative)", "a;b", "a;b"),
            ("curly quotes not quoted (negative)", "“hi”", "“hi”"),
            ("empty", "", ""),
        ];
        for (name, quote, cell) in cases {
            let mut out = Vec::new();
            let mut w = CsvWriter::new(&mut out).unwrap();
            w.row(&hit(quote)).unwrap();
            w.finish().unwrap();
            let want = format!(
                "{header}q1,{cell},Ines Varga,,2023-06-21,a.md,,Harbour,,2,0,3,1.5,1,,p\r\n"
            );
            assert_eq!(String::from_utf8(out).unwrap(), want, "case {name}");
        }
    }

    #[test]
    fn csv_of_no_hits_is_the_header() {
        let mut out = Vec::new();
        write(&mut out, &[], Format::Csv, Style::default(), None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), CSV_COLUMNS.join(",") + "\r\n");
    }
}
