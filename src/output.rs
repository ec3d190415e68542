//! Rendering hits for people and programs: an aligned, optionally coloured text listing, or
//! one JSON object per line. Writes to any `io::Write`; decides nothing about what to show.

use std::io::{self, Write};
use std::path::Path;

use crate::eval::Report;
use crate::search::Hit;

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours and bold matched words.
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const DATE: &str = "\x1b[32m";
const PATH: &str = "\x1b[35m";

/// `path` relative to `base` when it lies under it, for shorter listings.
pub fn relative_to(path: &str, base: Option<&Path>) -> String {
    base.and_then(|b| Path::new(path).strip_prefix(b).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| path.to_string())
}

/// Writes hits as a human listing: date and speaker, the quotation with matched words
/// highlighted, then where it came from.
pub fn write_hits(
    out: &mut dyn Write,
    hits: &[Hit],
    style: Style,
    base: Option<&Path>,
) -> io::Result<()> {
    let paint =
        |code: &str, s: &str| if style.color { format!("{code}{s}{RESET}") } else { s.to_string() };
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
        writeln!(out, "  “{}”", highlight(&h.quote, &h.highlights, style))?;
        writeln!(
            out,
            "  {}",
            paint(PATH, &format!("{}:¶{}", relative_to(&h.file, base), h.paragraph_number))
        )?;
    }
    Ok(())
}

fn highlight(text: &str, ranges: &[std::ops::Range<usize>], style: Style) -> String {
    if !style.color || ranges.is_empty() {
        return text.to_string();
    }
    let mut s = String::with_capacity(text.len() + ranges.len() * 10);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        s.push_str(&text[at..r.start]);
        s.push_str(MATCH);
        s.push_str(&text[r.clone()]);
        s.push_str(RESET);
        at = r.end;
    }
    s.push_str(&text[at..]);
    s
}

/// Writes one JSON object per hit and line.
pub fn write_json_lines(out: &mut dyn Write, hits: &[Hit]) -> io::Result<()> {
    for h in hits {
        serde_json::to_writer(&mut *out, h)?;
        writeln!(out)?;
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
            writeln!(out, "{}: {}{at}: “{}”{who}", p.kind, p.file, p.quote)?;
        }
    }
    Ok(())
}
