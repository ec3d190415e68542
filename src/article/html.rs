//! HTML articles: the page's metadata (date, title, URL) and its main text (`maintext`).
//!
//! The date comes from the first of: a publication-date `<meta>` (`article:published_time` and
//! the other names in [`DATE_METAS`]), JSON-LD `datePublished`, a `<time datetime>`; the title
//! from `og:title` or `<title>`; the URL from `og:url` or the canonical link. Pages are parsed
//! with html5ever (through `scraper`), so broken markup is read the way a browser reads it, after
//! [`cap_depth`] has bounded the nesting that would make the parser's work grow with its square.
//! When the page's markup gives little text and its JSON-LD carries an `articleBody`, that is the
//! text.

use std::borrow::Cow;
use std::path::Path;

use scraper::{Html, Node};

use super::{maintext, parse_date, plain::split_paragraphs, Article, DateFrom};

/// `<meta>` names and properties holding the publication date, most trusted first.
pub const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publication_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "date",
];

/// Parses an HTML article.
pub fn parse(path: &Path, text: &str) -> Article {
    let text = cap_depth(text);
    let doc = Html::parse_document(&text);
    let head = Head::read(&doc);
    let mut a = Article { path: path.to_path_buf(), ..Article::default() };
    a.title = head.meta("og:title").or(head.title.clone());
    a.url = head.meta("og:url").or(head.canonical.clone());
    let mut candidates: Vec<(String, DateFrom)> = Vec::new();
    for name in DATE_METAS {
        if let Some(v) = head.meta(name) {
            candidates.push((v, DateFrom::Meta((*name).to_string())));
        }
    }
    candidates.extend(head.ld_date.clone().map(|d| (d, DateFrom::JsonLd)));
    candidates.extend(head.time.clone().map(|d| (d, DateFrom::Time)));
    match candidates.iter().find_map(|(d, from)| Some((html_date(d)?, from))) {
        Some((date, from)) => {
            a.date = Some(date);
            a.date_from = Some(from.clone());
        }
        None => {
            if let Some((d, from)) = candidates.first() {
                a.warnings.push(format!("invalid date '{d}' in {from}; indexed undated"));
            }
        }
    }
    a.paragraphs = maintext::main_text(&doc);
    if let Some(body) = &head.ld_body {
        let dom: usize = a.paragraphs.iter().map(String::len).sum();
        if dom * 2 < body.len() {
            a.paragraphs = if body.contains("\n\n") {
                split_paragraphs(body)
            } else {
                body.lines().flat_map(split_paragraphs).collect()
            };
        }
    }
    a
}

/// A date as pages write it: `2023-06-21`, RFC 3339, or a date and time with a space.
fn html_date(d: &str) -> Option<super::Date> {
    let d = d.trim();
    parse_date(d)
        .or_else(|| parse_date(&d.replacen(' ', "T", 1)))
        .or_else(|| d.get(..10).and_then(parse_date))
}

/// What the page says about itself outside its text.
#[derive(Default)]
struct Head {
    /// `<meta>` name or property (lower case) and content, in page order.
    metas: Vec<(String, String)>,
    title: Option<String>,
    canonical: Option<String>,
    /// The first `<time datetime>`, or the first marked as the publication date.
    time: Option<String>,
    ld_date: Option<String>,
    /// The longest JSON-LD `articleBody`.
    ld_body: Option<String>,
}

impl Head {
    /// Reads every element once, in the parser's order (no recursion).
    fn read(doc: &Html) -> Head {
        let mut h = Head::default();
        let mut time_marked = false;
        for node in doc.tree.nodes() {
            let Node::Element(e) = node.value() else { continue };
            match e.name() {
                "meta" => {
                    let key = e
                        .attr("property")
                        .or_else(|| e.attr("name"))
                        .or_else(|| e.attr("itemprop"));
                    if let (Some(k), Some(v)) = (key, e.attr("content")) {
                        h.metas.push((k.to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                "title" if h.title.is_none() => {
                    let t: String =
                        node.children().filter_map(|c| c.value().as_text().map(|t| &**t)).collect();
                    let t = super::plain::fold_spaces(&t);
                    if !t.is_empty() {
                        h.title = Some(t);
                    }
                }
                "link"
                    if h.canonical.is_none()
                        && e.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    h.canonical = e.attr("href").map(str::to_string);
                }
                "time" => {
                    if let Some(d) = e.attr("datetime") {
                        let marked = e.attr("pubdate").is_some()
                            || e.attr("itemprop")
                                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
                        if h.time.is_none() || marked && !time_marked {
                            h.time = Some(d.to_string());
                            time_marked = marked;
                        }
                    }
                }
                "script"
                    if e.attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    let t: String =
                        node.children().filter_map(|c| c.value().as_text().map(|t| &**t)).collect();
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(t.trim()) {
                        h.json_ld(&v);
                    }
                }
                _ => {}
            }
        }
        h
    }

    fn meta(&self, name: &str) -> Option<String> {
        self.metas.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone())
    }

    /// `datePublished` and `articleBody` from a JSON-LD value, its arrays and `@graph`, walked
    /// with a stack (a hostile page may nest deeply).
    fn json_ld(&mut self, v: &serde_json::Value) {
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(o) => {
                    if self.ld_date.is_none() {
                        self.ld_date =
                            o.get("datePublished").and_then(|d| d.as_str()).map(str::to_string);
                    }
                    if let Some(b) = o.get("articleBody").and_then(|b| b.as_str()) {
                        if self.ld_body.as_ref().is_none_or(|old| old.len() < b.len()) {
                            self.ld_body = Some(b.to_string());
                        }
                    }
                    stack.extend(o.get("@graph"));
                    stack.extend(o.get("mainEntity"));
                }
                _ => {}
            }
        }
    }
}

/// Deepest nesting of elements passed to the parser. Browsers stop nesting at a depth of 512;
/// articles need far less.
pub const MAX_DEPTH: usize = 256;

/// Elements without content, and elements a parser closes by itself when the next one starts
/// (`<p>`, `<li>`, table cells): they never make the nesting deeper, so they are not counted.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame", "p", "li", "dt", "dd", "option",
    "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt",
    "rp", "image",
];

/// Elements whose content is raw text, not markup.
const RAW: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// The page with the tags that would nest elements deeper than [`MAX_DEPTH`] left out, and the
/// end tags that close them; their text stays where it was.
///
/// html5ever, like the HTML standard it follows, looks through the open elements at each new
/// block (is a `<p>` open to close?), so 100 000 nested `<div>`s cost 5·10⁹ steps. With the
/// nesting bounded, each tag costs at most [`MAX_DEPTH`] steps, here and in the parser: time is
/// linear in the page's size. Pages within the bound are returned as they are, unread past this
/// scan.
pub fn cap_depth(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut dropped = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + off;
        i = start + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |e| name_start + e);
        let name = &html[name_start..name_end];
        let end = tag_end(b, name_end);
        i = end;
        let counted = !UNCOUNTED.iter().any(|u| u.eq_ignore_ascii_case(name));
        let self_closing = end >= 2 && b[end - 2] == b'/';
        let mut drop = false;
        if closing {
            if dropped > 0 && counted {
                dropped -= 1;
                drop = true;
            } else if let Some(k) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                open.truncate(k);
            }
        } else if counted && !self_closing {
            if open.len() >= MAX_DEPTH {
                dropped += 1;
                drop = true;
            } else {
                open.push(name);
            }
            if RAW.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                i = raw_end(html, i, name);
                if !drop {
                    open.pop();
                } else {
                    dropped -= 1;
                }
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..start]);
            copied = end;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
    }
}

/// One past the `>` that ends the tag whose attributes start at `from` (quoted values may hold
/// `>`).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b[from..].iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return from + k + 1,
            None => {}
        }
    }
    b.len()
}

/// Where the raw text of a `<script>` (or the like) opened before `from` ends: at its end tag.
fn raw_end(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut k = from;
    while let Some(off) = html[k..].find("</") {
        let at = k + off + 2;
        if b.len() >= at + name.len()
            && b[at..at + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return at + name.len();
        }
        k = at;
    }
    b.len()
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
            <p>Unclosed <i>markup, still read.
            </article><footer><p>© Paper</p></footer></body></html>"#;
        let a = parse(Path::new("a.html"), page);
        assert_eq!(a.title.as_deref(), Some("Harbour vote"));
        assert_eq!(a.date, Some("2023-03-15".parse().unwrap()));
        assert_eq!(a.date_from, Some(DateFrom::Meta("article:published_time".into())));
        assert_eq!(
            a.paragraphs,
            vec![
                "Harbour vote",
                "“We will win,” said Adaeze Okafor, a senator.",
                "“Quoted block,” she added.",
                "Unclosed markup, still read."
            ]
        );
    }

    #[test]
    fn dates_and_their_sources() {
        // (name, page, expected date, expected source)
        let cases: &[(&str, &str, Option<&str>, Option<DateFrom>)] = &[
            ("time element", "<p>Text here.</p><time datetime=\"2021-05-05\">May 5</time>", Some("2021-05-05"), Some(DateFrom::Time)),
            ("marked time element wins", "<time datetime=\"2021-05-01\">x</time><time pubdate datetime=\"2021-05-05\">y</time>", Some("2021-05-05"), Some(DateFrom::Time)),
            ("json-ld date", "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2022-02-02T10:00:00Z\"}</script><article><p>Text.</p></article>", Some("2022-02-02"), Some(DateFrom::JsonLd)),
            ("json-ld graph", "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebPage\"},{\"datePublished\":\"2022-03-03\"}]}</script>", Some("2022-03-03"), Some(DateFrom::JsonLd)),
            ("meta before json-ld", "<meta name=\"pubdate\" content=\"2020-01-01 10:00:00\"><script type=\"application/ld+json\">{\"datePublished\":\"2022-02-02\"}</script>", Some("2020-01-01"), Some(DateFrom::Meta("pubdate".into()))),
            ("invalid meta, valid time", "<meta property=\"article:published_time\" content=\"soon\"><time datetime=\"2021-05-05\">x</time>", Some("2021-05-05"), Some(DateFrom::Time)),
            ("no date (negative)", "<article><p>Text.</p></article>", None, None),
        ];
        for (name, page, date, from) in cases {
            let a = parse(Path::new("b.html"), page);
            assert_eq!(a.date, date.map(|d| d.parse().unwrap()), "case {name}");
            assert_eq!(&a.date_from, from, "case {name}");
        }
        let a = parse(Path::new("c.html"), "<meta name=\"date\" content=\"someday\"><p>Text.</p>");
        assert_eq!(a.warnings, vec!["invalid date 'someday' in metadata (date); indexed undated"]);
    }

    /// A page of the Veldmoor Courier (invented) around `body`, with the site's navigation,
    /// a most-read list and a footer.
    fn page(head: &str, body: &str) -> String {
        format!(
            r#"<!doctype html><html><head><title>Veldmoor Courier</title>{head}</head><body>
            <header class="site-header"><a href="/">Veldmoor Courier</a>
              <ul class="menu"><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></header>
            <div class="layout">{body}
              <div class="sidebar"><h3>Most read</h3><ul>
                <li><a href="/a">Ferry timetable changes again, and commuters are furious about it</a></li>
                <li><a href="/b">Council approves the new skate park after a two-year wait</a></li></ul></div>
            </div>
            <footer><p>© 2024 Veldmoor Courier. All rights reserved.</p></footer></body></html>"#
        )
    }

    /// Invented pages in the layouts saved web pages come in: what must be read, what not.
    #[test]
    fn main_text_layouts() {
        let story = "<p>“The quay floods every winter, and every winter we wait,” said Ines Varga, who runs the chandlery by the east steps.</p>\
            <p>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies and three rejected designs.</p>";
        // (name, page, paragraphs that must be read, in order; text that must not be)
        let cases: Vec<(&str, String, Vec<&str>, Vec<&str>)> = vec![
            (
                "article with related stories, share bar and newsletter box",
                page("", &format!(r#"<main><article><h1>Flood wall approved</h1>
                    <div class="share-bar"><a href="/s">Share on Fediverse</a> <span>Copy link</span></div>
                    <p class="byline">By Tomasz Eriksen, harbour correspondent</p>
                    {story}
                    <div class="related-stories"><h2>Read more</h2><p><a href="/c">Dredging the channel: a history of promises that never quite came true</a></p>
                      <p>Ten years of arguments, summed up by our readers in one long and winding letter.</p></div>
                    <div class="newsletter-signup"><p>Get the Courier in your inbox every morning, it is free and always will be.</p></div>
                    </article></main>"#)),
                vec!["Flood wall approved", "“The quay floods every winter, and every winter we wait,” said Ines Varga, who runs the chandlery by the east steps.", "The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies and three rejected designs."],
                vec!["Share on Fediverse", "Tomasz Eriksen", "Read more", "Dredging the channel", "summed up by our readers", "in your inbox", "Most read", "Ferry timetable", "All rights reserved", "News"],
            ),
            (
                "captions out, block quote and pull quote kept",
                page("", &format!(r#"<article><h1>Flood wall approved</h1>
                    <figure><img src="wall.jpg"><figcaption>The east quay under water in January. Photo: Lena Moor</figcaption></figure>
                    {story}
                    <blockquote><p>“We have waited long enough for this wall,” the mayor wrote to the council.</p></blockquote>
                    <aside class="pullquote"><p>“Every winter we wait”</p></aside>
                    <p class="wp-caption-text">A caption outside a figure, written by the photo desk.</p>
                    </article>"#)),
                vec!["“We have waited long enough for this wall,” the mayor wrote to the council.", "“Every winter we wait”"],
                vec!["Photo: Lena Moor", "written by the photo desk"],
            ),
            (
                "headings apart from the body text",
                page("", r#"<div class="story"><h1>Flood wall approved</h1><h2>A vote after eleven years</h2>
                    <p>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.</p>
                    <h3>What happens next</h3><p>Work starts in the spring, said the council, if the weather allows it.</p></div>"#),
                vec!["Flood wall approved", "A vote after eleven years", "The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "What happens next", "Work starts in the spring, said the council, if the weather allows it."],
                vec![],
            ),
            (
                "text in divs without paragraphs",
                page("", r#"<div id="content"><div class="headline">Flood wall approved</div>
                    <div>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.</div>
                    <div>“The quay floods every winter,” said Ines Varga, who runs the chandlery.</div>
                    <div>Work starts in the spring, said the council, if the weather allows it.</div></div>"#),
                vec!["The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "“The quay floods every winter,” said Ines Varga, who runs the chandlery.", "Work starts in the spring, said the council, if the weather allows it."],
                vec!["Most read"],
            ),
            (
                "paragraphs separated by <br><br>",
                page("", r#"<td class="text">The harbour council voted on Tuesday to fund a flood wall,
                    after eleven years of studies.<br><br>“The quay floods every winter,” said Ines Varga,<br>who runs the chandlery.
                    <br> <br>Work starts in the spring, said the council, if the weather allows it.</td>"#),
                vec!["The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "“The quay floods every winter,” said Ines Varga, who runs the chandlery.", "Work starts in the spring, said the council, if the weather allows it."],
                vec![],
            ),
            (
                "live blog",
                page("", r#"<div class="live-blog"><h1>Storm over Veldmoor: live</h1>
                    <div class="live-post"><time datetime="2024-01-12T09:02">09:02</time><p>The ferry has stopped running, and the harbour master has closed the east quay.</p></div>
                    <div class="live-post"><time datetime="2024-01-12T09:40">09:40</time><p>“Stay away from the sea wall today,” said Chief Fire Officer Rhian Okoro.</p></div>
                    <div class="live-post"><time datetime="2024-01-12T10:15">10:15</time><p>Power is out in the old town, the grid operator said, for some three hundred homes.</p></div>
                    </div>"#),
                vec!["Storm over Veldmoor: live", "The ferry has stopped running, and the harbour master has closed the east quay.", "“Stay away from the sea wall today,” said Chief Fire Officer Rhian Okoro.", "Power is out in the old town, the grid operator said, for some three hundred homes."],
                vec!["09:02", "Ferry timetable"],
            ),
            (
                "AMP version",
                r#"<!doctype html><html amp><head><title>Flood wall</title><style amp-custom>p{}</style></head><body>
                    <amp-sidebar id="nav"><a href="/">Home</a><a href="/news">News and more news</a></amp-sidebar>
                    <article><h1>Flood wall approved</h1><amp-img src="wall.jpg" layout="responsive"></amp-img>
                    <p>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.</p>
                    <p>“The quay floods every winter,” said Ines Varga, who runs the chandlery.</p>
                    <amp-social-share type="email"></amp-social-share></article></body></html>"#.to_string(),
                vec!["Flood wall approved", "The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "“The quay floods every winter,” said Ines Varga, who runs the chandlery."],
                vec!["News and more news"],
            ),
            (
                "print version",
                r#"<html><head><title>Print</title></head><body onload="print()">
                    <p class="print-header">Veldmoor Courier - printed from courier.example</p>
                    <h1>Flood wall approved</h1>
                    <p>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.</p>
                    <p>“The quay floods every winter,” said Ines Varga, who runs the chandlery.</p>
                    <p>Work starts in the spring, said the council, if the weather allows it.</p></body></html>"#.to_string(),
                vec!["Flood wall approved", "The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "Work starts in the spring, said the council, if the weather allows it."],
                vec![],
            ),
            (
                "paywalled teaser",
                page("", r#"<article><h1>Flood wall approved</h1>
                    <p>The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.</p>
                    <div class="paywall"><h2>Subscribe to keep reading</h2><p>Subscribers read every story, and support local journalism in Veldmoor.</p>
                    <a href="/subscribe">Subscribe now</a></div></article>"#),
                vec!["Flood wall approved", "The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies."],
                vec!["Subscribe to keep reading", "support local journalism"],
            ),
            (
                "JSON-LD articleBody as the only text",
                page(r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Flood wall approved",
                    "articleBody":"The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.\n“The quay floods every winter,” said Ines Varga, who runs the chandlery."}</script>"#,
                    r#"<div id="app"><p>Loading…</p></div>"#),
                vec!["The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies.", "“The quay floods every winter,” said Ines Varga, who runs the chandlery."],
                vec!["Loading", "Most read"],
            ),
            (
                "JSON-LD articleBody not used when the page has the text (negative)",
                page(r#"<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"A short summary."}</script>"#,
                    &format!("<article>{story}</article>")),
                vec!["The harbour council voted on Tuesday to fund a flood wall, after eleven years of studies and three rejected designs."],
                vec!["A short summary."],
            ),
        ];
        for (name, html, want, unwanted) in &cases {
            let got = parse(Path::new("p.html"), html).paragraphs;
            let mut from = 0;
            for w in want {
                match got[from..].iter().position(|p| p == w) {
                    Some(k) => from += k + 1,
                    None => {
                        panic!("case {name}: paragraph {w:?} missing or out of order in {got:#?}")
                    }
                }
            }
            for u in unwanted {
                assert!(!got.iter().any(|p| p.contains(u)), "case {name}: {u:?} read in {got:#?}");
            }
        }
    }

    /// Depth of the deepest element of a parsed page, counted with a stack, not recursion.
    fn dom_depth(doc: &Html) -> usize {
        let (mut depth, mut deepest) = (0usize, 0usize);
        for edge in doc.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(_) => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ego_tree::iter::Edge::Close(_) => depth -= 1,
            }
        }
        deepest
    }

    /// Deep nesting is cut at the bound before the parser sees it (so the parser's scans of its
    /// open elements stay short), the text survives, and pages within the bound are untouched.
    #[test]
    fn nesting_is_bounded() {
        let deep = |open: &str, close: &str, n: usize| {
            format!(
                "<html><body>{}<p>“Deep,” said Ana Ruiz.</p>{}<p>After.</p></body></html>",
                open.repeat(n),
                close.repeat(n)
            )
        };
        // (name, page, at most this deep after the cap)
        let cases: Vec<(&str, String, usize)> = vec![
            ("100 000 divs", deep("<div>", "</div>", 100_000), MAX_DEPTH + 8),
            ("unclosed divs", "<div>x".repeat(50_000), MAX_DEPTH + 8),
            ("spans with attributes", deep("<span class='a>b'>", "</span>", 20_000), MAX_DEPTH + 8),
            (
                "script holding tags",
                format!("<script>{}</script><p>x</p>", "<div>".repeat(1000)),
                8,
            ),
        ];
        for (name, page, bound) in &cases {
            let capped = cap_depth(page);
            let doc = Html::parse_document(&capped);
            assert!(dom_depth(&doc) <= *bound, "case {name}: depth {}", dom_depth(&doc));
        }
        let a = parse(Path::new("deep.html"), &cases[0].1);
        assert_eq!(a.paragraphs, vec!["“Deep,” said Ana Ruiz.", "After."]);
        // Without the cap, the parser builds the whole depth: the bound above is the cap's work.
        assert!(dom_depth(&Html::parse_document(&deep("<div>", "</div>", 2_000))) > 2_000);
        // Within the bound, the page is passed on as it is (negative case).
        let shallow = deep("<div>", "</div>", 100);
        assert!(matches!(cap_depth(&shallow), Cow::Borrowed(_)));
    }
}
