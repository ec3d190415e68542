//! Markdown articles: YAML front matter (`date`, `title`, `url`, `author`, `source`) and a
//! Markdown body whose text, not its syntax, becomes the paragraphs (emphasis, links, headings
//! and block quotes are reduced to their words; code blocks are dropped).

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{parse_date, Article};

/// Parses a Markdown article.
pub fn parse(path: &Path, text: &str) -> Article {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = front_matter(text);
    let mut a = Article { path: path.to_path_buf(), ..Article::default() };
    for (key, value) in front {
        match key.as_str() {
            "date" | "published" | "pubdate" => match parse_date(value.trim())
                .or_else(|| parse_date(value.get(..10).unwrap_or("")))
            {
                Some(d) => {
                    a.date = Some(d);
                    a.date_from = Some(super::DateFrom::FrontMatter);
                }
                None => a.warnings.push(format!("invalid date '{value}' in the front matter")),
            },
            "title" => a.title = Some(value),
            "url" | "link" => a.url = Some(value),
            _ => {}
        }
    }
    a.paragraphs = paragraphs(body);
    a
}

/// Splits `---` front matter off the body and reads its `key: value` lines. Values may be
/// quoted; nested YAML is ignored (quoth needs only scalars).
fn front_matter(text: &str) -> (Vec<(String, String)>, &str) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (Vec::new(), text);
    };
    let Some(end) = rest.find("\n---").map(|i| i + 1) else {
        return (Vec::new(), text);
    };
    let body_start = rest[end..].find('\n').map_or(rest.len(), |i| end + i + 1);
    let fields = rest[..end]
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
            Some((k.trim().to_ascii_lowercase(), v))
        })
        .collect();
    (fields, &rest[body_start..])
}

/// The text of each paragraph, heading, list item and block-quote paragraph.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let p = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            out.push(p);
        }
        current.clear();
    };
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item) => {
                flush(&mut current, &mut out)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                flush(&mut current, &mut out)
            }
            Event::Text(t) | Event::Code(t) if !in_code => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_articles() {
        let a = parse(
            Path::new("a.md"),
            "---\ntitle: \"Harbour vote\"\ndate: 2023-03-14T09:00:00+02:00\nurl: https://example.org/a\n---\n# A *heading*\n\n“We will win,” said [Adaeze Okafor](https://x), a **senator**.\n\n> “Quoted in a block,” she added.\n\n```\ncode “not a quote”\n```\n",
        );
        assert_eq!(a.title.as_deref(), Some("Harbour vote"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.date, Some("2023-03-14".parse().unwrap()));
        assert_eq!(
            a.paragraphs,
            vec![
                "A heading",
                "“We will win,” said Adaeze Okafor, a senator.",
                "“Quoted in a block,” she added."
            ]
        );
        // (name, input, expected paragraphs)
        let cases: &[(&str, &str, &[&str])] = &[
            ("no front matter", "Just text.", &["Just text."]),
            ("unclosed front matter (negative)", "---\ntitle: x\nBody", &["title: x Body"]),
            ("list items", "- one\n- two", &["one", "two"]),
        ];
        for (name, input, want) in cases {
            assert_eq!(parse(Path::new("b.md"), input).paragraphs, *want, "case {name}");
        }
        let bad = parse(Path::new("c.md"), "---\ndate: someday\n---\nText.");
        assert_eq!(bad.warnings, vec!["invalid date 'someday' in the front matter"]);
    }
}
