//! HTML articles: the main text of the page (the `<article>` element, else the element with the
//! most paragraph text), with the date from `article:published_time`, `<time datetime>` or
//! JSON-LD `datePublished`, and the title from `og:title` or `<title>`. Parsed with html5ever
//! (through `scraper`), so broken markup is read the way a browser reads it.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use super::{parse_date, Article};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// Parses an HTML article.
pub fn parse(path: &Path, text: &str) -> Article {
    let doc = Html::parse_document(text);
    let mut a = Article { path: path.to_path_buf(), ..Article::default() };
    let meta = |name: &str| {
        let s = sel(&format!("meta[property=\"{name}\"], meta[name=\"{name}\"]"));
        doc.select(&s).find_map(|m| m.value().attr("content")).map(|c| c.trim().to_string())
    };
    a.title = meta("og:title")
        .or_else(|| doc.select(&sel("title")).next().map(|t| words(&t.text().collect::<String>())));
    a.url = meta("og:url").or_else(|| {
        doc.select(&sel("link[rel=\"canonical\"]"))
            .find_map(|l| l.value().attr("href"))
            .map(str::to_string)
    });
    let raw_date = meta("article:published_time")
        .or_else(|| {
            doc.select(&sel("time[datetime]"))
                .find_map(|t| t.value().attr("datetime"))
                .map(str::to_string)
        })
        .or_else(|| json_ld_date(&doc));
    if let Some(d) = raw_date {
        match parse_date(&d).or_else(|| d.get(..10).and_then(parse_date)) {
            Some(date) => a.date = Some(date),
            None => a.warnings.push(format!("invalid date '{d}'; indexed undated")),
        }
    }
    a.paragraphs = main_text(&doc);
    a
}

/// `datePublished` from a JSON-LD script.
fn json_ld_date(doc: &Html) -> Option<String> {
    doc.select(&sel("script[type=\"application/ld+json\"]")).find_map(|s| {
        let v: serde_json::Value = serde_json::from_str(&s.text().collect::<String>()).ok()?;
        let find = |v: &serde_json::Value| {
            v.get("datePublished").and_then(|d| d.as_str()).map(str::to_string)
        };
        find(&v)
            .or_else(|| v.as_array()?.iter().find_map(find))
            .or_else(|| v.get("@graph")?.as_array()?.iter().find_map(find))
    })
}

/// Elements whose text is never the article's.
const SKIP: &[&str] = &[
    "nav",
    "script",
    "style",
    "aside",
    "footer",
    "header",
    "form",
    "noscript",
    "figcaption",
    "button",
    "template",
];

/// The paragraphs of the main text.
fn main_text(doc: &Html) -> Vec<String> {
    let blocks = sel("p, h1, h2, h3, h4, h5, h6, li, blockquote > p");
    let container =
        doc.select(&sel("article")).max_by_key(|a| text_len(a, &blocks)).or_else(|| {
            // The element whose own <p> children hold the most text.
            doc.select(&sel("body, body *")).filter(|e| !skipped(e)).max_by_key(|e| {
                e.children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| c.value().name() == "p")
                    .map(|c| c.text().map(str::len).sum::<usize>())
                    .sum::<usize>()
            })
        });
    let Some(root) = container else { return Vec::new() };
    let mut out = Vec::new();
    for block in root.select(&blocks) {
        if skipped(&block)
            || block.value().name() == "li" && block.select(&sel("p")).next().is_some()
        {
            continue;
        }
        // A <p> inside a <li> or <blockquote> is read once, as itself.
        if block.value().name() != "p" && block.select(&sel("p")).next().is_some() {
            continue;
        }
        let t = words(&block.text().collect::<String>());
        if !t.is_empty() {
            out.push(t);
        }
    }
    out
}

/// Whether an element is, or sits inside, navigation, scripts, asides and the like.
fn skipped(e: &ElementRef) -> bool {
    std::iter::once(*e)
        .chain(e.ancestors().filter_map(ElementRef::wrap))
        .any(|x| SKIP.contains(&x.value().name()))
}

fn text_len(e: &ElementRef, blocks: &Selector) -> usize {
    e.select(blocks).map(|b| b.text().map(str::len).sum::<usize>()).sum()
}

/// White space folded to single spaces.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_articles() {
        let page = r#"<!doctype html><html><head><title>Ignored title</title>
            <meta property="og:title" content="Harbour vote">
            <meta property="article:published_time" content="2023-03-14T23:00:00-05:00">
            <script>var s = "“not a quote,” said nobody";</script></head>
            <body><nav><p>“Menu quote,” said Nav.</p></nav>
            <article><h1>Harbour vote</h1>
            <p>“We will win,” said <a href="/x">Adaeze Okafor</a>, a <b>senator</b>.</p>
            <aside><p>“Related,” said Aside.</p></aside>
            <blockquote><p>“Quoted block,” she added.</p></blockquote>
            <p>Unclosed <i>markup
            </article><footer><p>© Paper</p></footer></body></html>"#;
        let a = parse(Path::new("a.html"), page);
        assert_eq!(a.title.as_deref(), Some("Harbour vote"));
        assert_eq!(a.date, Some("2023-03-15".parse().unwrap()));
        assert_eq!(
            a.paragraphs,
            vec![
                "Harbour vote",
                "“We will win,” said Adaeze Okafor, a senator.",
                "“Quoted block,” she added.",
                "Unclosed markup"
            ]
        );
        // (name, page, expected date, expected paragraphs)
        let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
            ("time element, densest block", "<div><p>Short.</p></div><div id=main><p>One long paragraph here.</p><p>Two.</p></div><time datetime=\"2021-05-05\">May 5</time>", Some("2021-05-05"), &["One long paragraph here.", "Two."]),
            ("json-ld date", "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2022-02-02T10:00:00Z\"}</script><article><p>Text.</p></article>", Some("2022-02-02"), &["Text."]),
            ("no date (negative)", "<article><p>Text.</p></article>", None, &["Text."]),
        ];
        for (name, page, date, want) in cases {
            let a = parse(Path::new("b.html"), page);
            assert_eq!(a.date, date.map(|d| d.parse().unwrap()), "case {name}");
            assert_eq!(a.paragraphs, *want, "case {name}");
        }
    }
}
