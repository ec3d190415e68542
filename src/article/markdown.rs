//! Markdown articles: YAML front matter (`date`, `published` or `pubDate`, `title`, `url` or
//! `link`) and a Markdown body whose text, not its syntax, becomes the paragraphs (emphasis,
//! links, headings and block quotes are reduced to their words; code blocks are dropped).
//!
//! The front matter is read by a YAML parser (`yaml-rust2`), as static-site generators write
//! it: quoted values, multi-line strings (`|`, `>`), lists and nested maps (skipped: only
//! top-level scalars say anything quoth keeps), dates with or without a time. Front matter
//! that is not valid YAML is still read line by line as `key: value`, as it always was, with a
//! warning naming the line where the YAML breaks: a hand-written `title: Vote: yes` loses
//! nothing.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use yaml_rust2::parser::{Event as YamlEvent, Parser as YamlParser};
use yaml_rust2::scanner::TScalarStyle;

use super::{parse_date, Article};

/// Parses a Markdown article.
pub fn parse(path: &Path, text: &str) -> Article {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let mut a = Article { path: path.to_path_buf(), ..Article::default() };
    let fields = match front.map(yaml_fields) {
        None => Vec::new(),
        Some(Ok(fields)) => fields,
        Some(Err(e)) => {
            // The block starts on the file's second line, after the opening `---`.
            let line = e.marker().line() + 1;
            a.warnings.push(format!(
                "invalid YAML in the front matter at line {line} ({}); read line by line",
                e.info()
            ));
            front.map(line_fields).unwrap_or_default()
        }
    };
    for (key, value) in fields {
        match key.as_str() {
            "date" | "published" | "pubdate" => match parse_date(value.trim())
                .or_else(|| parse_date(value.trim().get(..10).unwrap_or("")))
            {
                Some(d) => {
                    a.date = Some(d);
                    a.date_from = Some(super::DateFrom::FrontMatter);
                }
                None => a.warnings.push(format!("invalid date '{value}' in the front matter")),
            },
            // A title written over several lines (`|`, `>`) is shown on one.
            "title" if value.contains('\n') => {
                a.title = Some(value.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            "title" => a.title = Some(value.trim().to_string()),
            "url" | "link" => a.url = Some(value.trim().to_string()),
            _ => {}
        }
    }
    a.paragraphs = paragraphs(body);
    a
}

/// Splits `---` front matter off the body: the lines between the opening `---` and the next
/// line starting `---`, and the rest. Without a closing line there is no front matter.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (None, text);
    };
    let Some(end) = rest.find("\n---").map(|i| i + 1) else {
        return (None, text);
    };
    let body_start = rest[end..].find('\n').map_or(rest.len(), |i| end + i + 1);
    (Some(&rest[..end]), &rest[body_start..])
}

/// The top-level `key: scalar` pairs of a YAML front matter, keys in lower case, in their
/// order. Read from the parser's events rather than a loaded document: values that are lists or
/// maps are skipped without being built, and aliases are never expanded (a few lines of
/// nested aliases would otherwise grow into gigabytes). A null (`key:`, `~`) is no value.
fn yaml_fields(block: &str) -> Result<Vec<(String, String)>, yaml_rust2::ScanError> {
    let mut parser = YamlParser::new_from_str(block);
    let mut fields = Vec::new();
    // Nesting of maps and lists; the front matter's own map is depth 1.
    let mut depth = 0usize;
    let mut top_is_map = false;
    // Nodes met directly in the top map: even ones are keys, odd ones values.
    let mut nodes = 0usize;
    let mut key: Option<String> = None;
    loop {
        let (event, _) = parser.next_token()?;
        let in_top_map = depth == 1 && top_is_map;
        match event {
            YamlEvent::StreamEnd => break,
            YamlEvent::Scalar(value, style, ..) if in_top_map => {
                if nodes % 2 == 0 {
                    key = Some(value.to_ascii_lowercase());
                } else if let Some(k) = key.take() {
                    let null = style == TScalarStyle::Plain
                        && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                    if !null {
                        fields.push((k, value));
                    }
                }
                nodes += 1;
            }
            YamlEvent::Alias(_) if in_top_map => {
                // An alias as key names nothing quoth reads; as value, it is not expanded.
                key = None;
                nodes += 1;
            }
            YamlEvent::MappingStart(..) | YamlEvent::SequenceStart(..) => {
                if depth == 0 {
                    top_is_map = matches!(event, YamlEvent::MappingStart(..));
                } else if in_top_map {
                    // A list or map as key or value: neither key nor value quoth reads.
                    key = None;
                    nodes += 1;
                }
                depth += 1;
            }
            YamlEvent::MappingEnd | YamlEvent::SequenceEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(fields)
}

/// The `key: value` lines of front matter that is not valid YAML, each value without the
/// quotation marks around it: how quoth read every front matter before it used a parser.
fn line_fields(block: &str) -> Vec<(String, String)> {
    block
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
            Some((k.trim().to_ascii_lowercase(), v))
        })
        .collect()
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

    /// Title, date, URL and warnings read from `---` front matter over a one-line body.
    fn front(yaml: &str) -> (Option<String>, Option<String>, Option<String>, Vec<String>) {
        let a = parse(Path::new("f.md"), &format!("---\n{yaml}---\nBody.\n"));
        assert_eq!(a.paragraphs, vec!["Body."], "front matter {yaml:?} left the body");
        (a.title, a.date.map(|d| d.to_string()), a.url, a.warnings)
    }

    #[test]
    fn front_matter_as_yaml() {
        let s = |v: &str| Some(v.to_string());
        // (name, front matter, title, date, url)
        type Case = (&'static str, &'static str, Option<String>, Option<String>, Option<String>);
        let cases: &[Case] = &[
            ("bare values", "title: Vote\ndate: 2023-06-02\n", s("Vote"), s("2023-06-02"), None),
            ("double quoted", "title: \"Vote: yes\"\n", s("Vote: yes"), None, None),
            ("single quoted, quote doubled", "title: 'It''s on'\n", s("It's on"), None, None),
            ("escape in double quotes", "title: \"A\\tB\"\n", s("A\tB"), None, None),
            ("literal block", "title: |\n  Harbour\n  vote\n", s("Harbour vote"), None, None),
            ("folded block", "title: >\n  Harbour\n  vote\n", s("Harbour vote"), None, None),
            ("date with offset", "date: 2023-06-02T10:00:00+02:00\n", None, s("2023-06-02"), None),
            (
                "date and time with a space",
                "date: 2023-06-02 10:00:00 +0200\n",
                None,
                s("2023-06-02"),
                None,
            ),
            ("quoted date", "date: \"2023-06-02\"\n", None, s("2023-06-02"), None),
            ("published", "published: 2023-06-02\n", None, s("2023-06-02"), None),
            ("pubDate in camel case", "pubDate: 2023-06-02\n", None, s("2023-06-02"), None),
            ("link", "link: https://x.example/a\n", None, None, s("https://x.example/a")),
            (
                "url with a comment",
                "url: https://x.example/a # shared\n",
                None,
                None,
                s("https://x.example/a"),
            ),
            (
                "lists skipped",
                "tags: [a, b]\nauthors:\n  - Ines Varga\n  - Tomás Sánchez\ntitle: T\n",
                s("T"),
                None,
                None,
            ),
            ("number as title", "title: 1984\n", s("1984"), None, None),
            ("nested title not the title (negative)", "meta:\n  title: Inner\n", None, None, None),
            ("title in a list not the title (negative)", "- title: Inner\n", None, None, None),
            ("empty date is no date (negative)", "date:\ntitle: ~\n", None, None, None),
            ("alias not expanded (negative)", "a: &x Vote\ntitle: *x\n", None, None, None),
            ("key case folded", "Title: Vote\n", s("Vote"), None, None),
            ("comment only", "# nothing here\n", None, None, None),
        ];
        for (name, yaml, title, date, url) in cases {
            let got = front(yaml);
            assert_eq!((&got.0, &got.1, &got.2), (title, date, url), "case {name}");
            assert!(got.3.is_empty(), "case {name}: {:?}", got.3);
        }
    }

    #[test]
    fn invalid_yaml_is_read_line_by_line_with_a_warning() {
        // (name, front matter, title read, warning)
        let cases: &[(&str, &str, Option<&str>, &str)] = &[
            (
                "colon in a bare value",
                "date: 2023-06-02\ntitle: Vote: yes\n",
                Some("Vote: yes"),
                "invalid YAML in the front matter at line 3 (mapping values are not allowed in this context); read line by line",
            ),
            (
                "unclosed quote, the line it opens on",
                "title: \"Vote\n",
                Some("Vote"),
                "invalid YAML in the front matter at line 2 (while scanning a quoted scalar, found unexpected end of stream); read line by line",
            ),
            (
                "tab indentation",
                "title: Vote\nmeta:\n\tkey: v\n",
                Some("Vote"),
                "invalid YAML in the front matter at line 4 (",
            ),
        ];
        for (name, yaml, title, warning) in cases {
            let (got_title, _, _, warnings) = front(yaml);
            assert_eq!(got_title.as_deref(), *title, "case {name}");
            assert_eq!(warnings.len(), 1, "case {name}: {warnings:?}");
            assert!(warnings[0].starts_with(warning), "case {name}: {warnings:?}");
        }
        // The warning names the file when reported.
        let a = parse(Path::new("dir/f.md"), "---\ntitle: a: b\n---\nBody.\n");
        let located: Vec<String> = a.located_warnings().collect();
        assert!(located[0].starts_with("dir/f.md: invalid YAML in the front matter at line 2"));
    }

    #[test]
    fn hostile_front_matter_stays_small() {
        // Nine levels of nine aliases: expanded, a billion strings.
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        yaml.push_str("title: Still read\n");
        assert_eq!(front(&yaml).0.as_deref(), Some("Still read"));
    }
}
