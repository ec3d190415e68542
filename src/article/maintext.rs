//! The main text of an HTML page: which part of the page is the article, and its paragraphs.
//!
//! Used by `html`, which parses the page and reads its metadata. The page's body is copied into
//! a flat arena in document order (each element knows where its subtree ends), so that every
//! step below is one pass over the page, without recursion, whatever its nesting:
//! 1. boilerplate is marked: navigation, footers, asides, forms' controls, captions, bylines,
//!    share bars, related-story, newsletter and comment boxes, by tag, role and class or id
//!    words (an element holding the article itself, an `<article>`, `<main>` or `<h1>`, is kept);
//! 2. the rest is cut into blocks at block-level elements and at `<br><br>`: the paragraphs;
//! 3. each block weighs its text outside links when it reads like prose; the main text is found
//!    by walking down from the body into the child that holds most of the weight, for as long as
//!    one child holds nearly all of it;
//! 4. the blocks of that element are the paragraphs, less those that are mostly links.
//!
//! Headings are paragraphs of their own (quote extraction treats them apart), and so are the
//! paragraphs of block quotes and pull quotes.

use scraper::{Html, Node as DomNode};

/// One node of the arena: an element or a run of text, in document order.
struct Node<'a> {
    parent: u32,
    /// One past the index of the last node of this node's subtree.
    end: u32,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Element { name: &'a str, flags: u16 },
    Text(&'a str),
}

const BLOCK: u16 = 1;
const HEADING: u16 = 2;
const BR: u16 = 4;
const LINK: u16 = 8;
/// Boilerplate by its own tag, role or class.
const BOILER: u16 = 16;
/// Holds the article itself: never dropped as boilerplate.
const MARKER: u16 = 32;
/// A pull quote: kept even inside an aside.
const PULL_QUOTE: u16 = 64;

/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "select", "button", "input", "textarea", "option", "map",
];

/// Elements that end the paragraph before them and start a new one.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements that are boilerplate whatever their class.
const BOILER_TAGS: &[&str] = &["nav", "footer", "aside", "figcaption", "dialog", "menu"];

/// Class or id words that mark boilerplate, whole (`share`) or as a word's start
/// (`sharebar`, `related-posts`).
const BOILER_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "author",
    "banner",
    "breadcrumb",
    "byline",
    "caption",
    "comment",
    "consent",
    "cookie",
    "copyright",
    "credit",
    "disclaimer",
    "disqus",
    "footer",
    "menu",
    "meta",
    "modal",
    "nav",
    "newsletter",
    "outbrain",
    "pagination",
    "paywall",
    "popular",
    "popup",
    "promo",
    "rating",
    "recommend",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "social",
    "sponsor",
    "subscri",
    "taboola",
    "tags",
    "teaser-list",
    "toolbar",
    "trending",
    "widget",
];

/// Words that must match whole, since as a start they begin ordinary words (`adapt`, `navy`).
const WHOLE_WORDS: &[&str] = &["ad", "ads", "nav", "meta", "menu", "tags", "credit"];

/// Class or id words of pull quotes.
const PULL_QUOTE_WORDS: &[&str] = &["pullquote", "pull-quote", "pull_quote", "pullout"];

/// The paragraphs of the main text of `doc`.
pub fn main_text(doc: &Html) -> Vec<String> {
    let nodes = arena(doc);
    if nodes.is_empty() {
        return Vec::new();
    }
    let all = weights(&nodes, &blocks(&nodes, &vec![false; nodes.len()]));
    let dropped = mark_boilerplate(&nodes, &all);
    let blocks = blocks(&nodes, &dropped);
    let root = container(&nodes, &blocks);
    let end = nodes[root].end;
    let mut ranges = leads(&nodes, &blocks, root);
    ranges.push(root as u32..end);
    let inside: Vec<Block> =
        blocks.into_iter().filter(|b| ranges.iter().any(|r| r.contains(&b.owner))).collect();
    select(inside)
}

/// Most elements before the main text that belong to it: a headline, a standfirst or lead
/// paragraph set apart from the body. Walking back from the main text and from its parent,
/// each earlier sibling holding one to three paragraphs, not links, is taken, up to three; empty
/// ones (whose content was boilerplate) are passed over; anything else ends the walk.
fn leads(nodes: &[Node], blocks: &[Block], root: usize) -> Vec<std::ops::Range<u32>> {
    let mut out = Vec::new();
    let mut x = root;
    for _ in 0..2 {
        let p = nodes[x].parent;
        if p == u32::MAX {
            break;
        }
        let mut siblings = Vec::new();
        let mut c = p as usize + 1;
        while c < x {
            siblings.push(c);
            c = nodes[c].end.max(c as u32 + 1) as usize;
        }
        let mut taken = 0;
        for &s in siblings.iter().rev() {
            let range = s as u32..nodes[s].end;
            let inner: Vec<&Block> = blocks.iter().filter(|b| range.contains(&b.owner)).collect();
            if inner.is_empty() {
                continue;
            }
            if inner.len() > 3 || inner.iter().any(|b| mostly_links(b)) || taken == 3 {
                break;
            }
            out.push(range);
            taken += 1;
        }
        x = p as usize;
    }
    out
}

/// The paragraphs among the blocks of the main text: not those made mostly of links, nor a
/// heading that only introduces links (`Related stories`), nor the labels after the last
/// paragraph of prose (`Comments`, `Share this`, a date), nor lines that are only a date.
fn select(blocks: Vec<Block>) -> Vec<String> {
    let last_prose = blocks.iter().rposition(|b| weight(b) > 0).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let copyright = b.text.starts_with('©') || b.text.starts_with("Copyright");
        if mostly_links(b) || i > last_prose && !b.quote || date_line(&b.text) || copyright {
            continue;
        }
        if b.heading {
            match blocks[i + 1..].iter().find(|n| !n.heading) {
                Some(next) if !mostly_links(next) => {}
                _ => continue,
            }
        }
        out.push(b.text.clone());
    }
    out
}

/// A short line of digits and separators: a date or time, not text.
fn date_line(t: &str) -> bool {
    t.len() <= 24
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-' | ':' | ' ' | ',' | '|'))
}

/// The page's `<html>` element and everything in it but skipped elements and the head, in
/// document order. ego-tree's traversal is iterative, so depth costs no stack.
fn arena(doc: &Html) -> Vec<Node<'_>> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                if skipping.is_some() {
                    continue;
                }
                match n.value() {
                    DomNode::Element(e) => {
                        let name = e.name();
                        if SKIPPED.contains(&name) || hidden(e) {
                            skipping = Some(n.id());
                            continue;
                        }
                        let parent = open.last().copied().unwrap_or(u32::MAX);
                        open.push(nodes.len() as u32);
                        nodes.push(Node {
                            parent,
                            end: 0,
                            kind: Kind::Element { name, flags: flags(e) },
                        });
                    }
                    DomNode::Text(t) => {
                        if let Some(&parent) = open.last() {
                            let at = nodes.len() as u32;
                            nodes.push(Node { parent, end: at + 1, kind: Kind::Text(t) });
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(n) => {
                if skipping == Some(n.id()) {
                    skipping = None;
                } else if skipping.is_none() && n.value().is_element() {
                    if let Some(i) = open.pop() {
                        nodes[i as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
    }
    nodes
}

/// Elements a browser does not show.
fn hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

fn flags(e: &scraper::node::Element) -> u16 {
    let name = e.name();
    let mut f = 0;
    if BLOCKS.contains(&name) {
        f |= BLOCK;
    }
    if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
        f |= HEADING | BLOCK;
    }
    if name == "br" {
        f |= BR;
    }
    if name == "a" {
        f |= LINK;
    }
    if matches!(name, "article" | "main" | "h1")
        || e.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
    {
        f |= MARKER;
    }
    let words = || {
        e.attr("class")
            .into_iter()
            .chain(e.id())
            .chain(e.attr("role"))
            .flat_map(|s| s.split(|c: char| c.is_ascii_whitespace()))
            .filter(|w| !w.is_empty())
            .map(|w| {
                // Most class words are lower case already: no copy for them.
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    std::borrow::Cow::Owned(w.to_ascii_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(w)
                }
            })
    };
    if words().any(|w| PULL_QUOTE_WORDS.iter().any(|p| w.contains(p))) {
        f |= PULL_QUOTE;
    } else if BOILER_TAGS.contains(&name) || words().any(|w| boiler_word(&w)) {
        f |= BOILER;
    }
    f
}

/// Whether a class, id or role word names boilerplate: `share-bar`, `relatedStories`, but not
/// `shadow` or `header-image`.
fn boiler_word(w: &str) -> bool {
    if matches!(w, "navigation" | "complementary" | "contentinfo" | "banner") {
        return true;
    }
    w.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).any(|part| {
        BOILER_WORDS.iter().any(|b| {
            if WHOLE_WORDS.contains(b) {
                part == *b
            } else {
                part.starts_with(b)
            }
        })
    })
}

/// Which nodes are dropped: boilerplate elements and everything in them, except elements that
/// hold the article (their boilerplate class is the page's layout, not their content).
fn mark_boilerplate(nodes: &[Node], weights: &[u64]) -> Vec<bool> {
    let page = weights[0] as f64;
    let mut marker = vec![false; nodes.len()];
    for i in (0..nodes.len()).rev() {
        if let Kind::Element { flags, .. } = nodes[i].kind {
            marker[i] |= flags & MARKER != 0;
        }
        let p = nodes[i].parent;
        if marker[i] && p != u32::MAX {
            marker[p as usize] = true;
        }
    }
    let mut dropped = vec![false; nodes.len()];
    for i in 0..nodes.len() {
        let p = nodes[i].parent;
        let inherited = p != u32::MAX && dropped[p as usize];
        let own = match nodes[i].kind {
            Kind::Element { name, flags } => {
                flags & BOILER != 0
                    && !marker[i]
                    && (name == "figcaption" || (weights[i] as f64) < BOILER_SHARE * page)
                    && !matches!(name, "html" | "body")
                    && flags & PULL_QUOTE == 0
            }
            Kind::Text(_) => false,
        };
        dropped[i] = inherited || own;
    }
    dropped
}

/// A paragraph of the page.
struct Block {
    /// The innermost block-level element around it: where it belongs.
    owner: u32,
    text: String,
    /// Characters of its text inside links.
    link_chars: usize,
    heading: bool,
    /// Inside a block quote or a pull quote.
    quote: bool,
}

/// An open block-level element: its index, its end, whether it is a heading, whether it is or
/// sits in a quotation.
type Open = (u32, u32, bool, bool);

/// Cuts the kept nodes into paragraphs, in document order.
fn blocks(nodes: &[Node], dropped: &[bool]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur = Current::default();
    // Open block-level elements, and the ends of open links.
    let mut open_blocks: Vec<Open> = Vec::new();
    let mut open_links: Vec<u32> = Vec::new();
    let mut i = 0usize;
    while i < nodes.len() {
        let at = i as u32;
        while open_blocks.last().is_some_and(|b| b.1 <= at) {
            cur.flush(&mut out, &open_blocks);
            open_blocks.pop();
        }
        while open_links.last().is_some_and(|&e| e <= at) {
            open_links.pop();
        }
        let n = &nodes[i];
        if dropped[i] {
            i = n.end.max(at + 1) as usize;
            continue;
        }
        match n.kind {
            Kind::Text(t) => cur.push(t, !open_links.is_empty()),
            Kind::Element { flags, name } => {
                if flags & BR != 0 {
                    cur.line_break(&mut out, &open_blocks);
                } else if flags & BLOCK != 0 {
                    cur.flush(&mut out, &open_blocks);
                    let quote = flags & PULL_QUOTE != 0
                        || name == "blockquote"
                        || open_blocks.last().is_some_and(|b| b.3);
                    open_blocks.push((at, n.end, flags & HEADING != 0, quote));
                } else if flags & LINK != 0 {
                    open_links.push(n.end);
                }
            }
        }
        i += 1;
    }
    while !open_blocks.is_empty() {
        cur.flush(&mut out, &open_blocks);
        open_blocks.pop();
    }
    cur.flush(&mut out, &open_blocks);
    out
}

/// The paragraph being gathered.
#[derive(Default)]
struct Current {
    text: String,
    link_chars: usize,
    /// Where the text stood at the last `<br>`, when nothing but spaces followed it.
    last_br: Option<usize>,
}

impl Current {
    fn push(&mut self, t: &str, in_link: bool) {
        if in_link {
            self.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
        }
        if !t.trim().is_empty() {
            self.last_br = None;
        }
        self.text.push_str(t);
    }

    /// One `<br>` is a line break inside the paragraph; two in a row end it.
    fn line_break(&mut self, out: &mut Vec<Block>, open: &[Open]) {
        if self.last_br.is_some() {
            self.flush(out, open);
        } else {
            self.text.push(' ');
            self.last_br = Some(self.text.len());
        }
    }

    /// Ends the paragraph, which belongs to the innermost open block (a heading, if that is one).
    fn flush(&mut self, out: &mut Vec<Block>, open: &[Open]) {
        self.last_br = None;
        let text = super::plain::fold_spaces(&self.text);
        self.text.clear();
        let link_chars = std::mem::take(&mut self.link_chars);
        if text.is_empty() {
            return;
        }
        let (owner, heading, quote) = open.last().map_or((0, false, false), |b| (b.0, b.2, b.3));
        out.push(Block { owner, text, link_chars, heading, quote });
    }
}

/// How much a block says that it is article text: its characters outside links, when it reads
/// like prose (long enough, with punctuation); nothing for headings, menus and labels.
fn weight(b: &Block) -> u64 {
    if b.heading {
        return 0;
    }
    let chars = b.text.chars().count();
    let own = chars.saturating_sub(b.link_chars);
    let prose = b.text.contains(['.', ',', '!', '?', ';', ':', '。', '，']);
    if own >= 25 && prose {
        own as u64
    } else {
        0
    }
}

/// Share of a block's characters in links above which it is a menu or a list of links.
const LINK_SHARE: f64 = 0.35;

/// Share of the page's weight above which an element with a boilerplate class is the page's
/// layout (`<div class="entry share">` around the article), not boilerplate.
const BOILER_SHARE: f64 = 0.5;

/// Blocks made mostly of link text: menus, lists of other stories.
fn mostly_links(b: &Block) -> bool {
    let chars = b.text.chars().filter(|c| !c.is_whitespace()).count();
    b.link_chars as f64 > chars as f64 * LINK_SHARE
}

/// The weight of the blocks of each element's subtree.
fn weights(nodes: &[Node], blocks: &[Block]) -> Vec<u64> {
    let mut weights = vec![0u64; nodes.len()];
    for b in blocks {
        weights[b.owner as usize] += weight(b);
    }
    for i in (1..nodes.len()).rev() {
        let p = nodes[i].parent;
        if p != u32::MAX {
            weights[p as usize] += weights[i];
        }
    }
    weights
}

/// Share of its parent's weight a child must hold to be the main text instead of its parent.
const DOMINANT: f64 = 0.8;

/// The element holding the main text: from the root, down into the child holding nearly all of
/// its weight, for as long as there is one.
fn container(nodes: &[Node], blocks: &[Block]) -> usize {
    let weights = weights(nodes, blocks);
    let mut path = Vec::new();
    let mut cur = 0usize;
    loop {
        let total = weights[cur];
        if total == 0 {
            return cur;
        }
        // The children of `cur`: each next one starts where the previous subtree ends.
        let mut best = None;
        let mut c = cur + 1;
        while c < nodes[cur].end as usize {
            if best.is_none_or(|b: usize| weights[c] > weights[b]) {
                best = Some(c);
            }
            c = nodes[c].end.max(c as u32 + 1) as usize;
        }
        match best {
            Some(b) if weights[b] as f64 >= DOMINANT * total as f64 => {
                path.push(cur);
                cur = b
            }
            _ => {
                // Within an `<article>`, the whole of it: its headline and standfirst too.
                let article = path
                    .iter()
                    .rev()
                    .find(|&&a| matches!(nodes[a].kind, Kind::Element { name: "article", .. }));
                return article.copied().unwrap_or(cur);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boiler_words() {
        // (name, class or id word, boilerplate?)
        let cases: &[(&str, &str, bool)] = &[
            ("share bar", "share-bar", true),
            ("related stories", "relatedstories", true),
            ("newsletter box", "newsletter-signup", true),
            ("comments", "comments", true),
            ("ad slot", "ad-slot", true),
            ("byline", "article__byline", true),
            ("role navigation", "navigation", true),
            ("shadow (negative)", "shadow", false),
            ("adapt (negative)", "adaptive", false),
            ("navy (negative)", "navy", false),
            ("article body (negative)", "article-body", false),
            ("header image (negative)", "header-image", false),
        ];
        for (name, w, want) in cases {
            assert_eq!(boiler_word(w), *want, "case {name}");
        }
    }
}
