//! JSON articles: one object per `.json` file, or one per line of a `.jsonl`/`.ndjson` file.
//! Field names in common use are recognised (news-please, CommonCrawl news and CMS exports), and
//! `--field text=maintext` style mappings name others.

use std::path::Path;

use serde::de;
use serde_json::Value;

use super::{parse_date, plain::split_paragraphs, Article, Articles};

/// Which JSON fields hold the article's parts: each list is tried in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    pub text: Vec<String>,
    pub date: Vec<String>,
    pub title: Vec<String>,
    pub url: Vec<String>,
    pub id: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            text: names(&[
                "text",
                "body",
                "content",
                "article",
                "maintext",
                "article_body",
                "articleBody",
            ]),
            date: names(&[
                "date",
                "published",
                "published_at",
                "publish_date",
                "datetime",
                "date_publish",
                "datePublished",
                "pubdate",
            ]),
            title: names(&["title", "headline"]),
            url: names(&["url", "link"]),
            id: names(&["id", "_id", "guid"]),
        }
    }
}

impl FieldMap {
    /// Whether `key` is one of the fields read.
    fn names(&self, key: &str) -> bool {
        [&self.text, &self.date, &self.title, &self.url, &self.id]
            .iter()
            .any(|list| list.iter().any(|n| n == key))
    }

    /// Puts a `part=field` mapping (`text=maintext`) first in line for that part.
    pub fn map(&mut self, spec: &str) -> Result<(), String> {
        let (part, field) =
            spec.split_once('=').filter(|(_, f)| !f.is_empty()).ok_or_else(|| {
                format!("invalid --field '{spec}': use PART=FIELD, e.g. text=maintext")
            })?;
        let list = match part {
            "text" => &mut self.text,
            "date" => &mut self.date,
            "title" => &mut self.title,
            "url" => &mut self.url,
            "id" => &mut self.id,
            _ => {
                return Err(format!(
                    "invalid --field '{spec}': the part is one of text, date, title, url, id"
                ))
            }
        };
        list.insert(0, field.to_string());
        Ok(())
    }
}

/// Parses a `.json` file holding one article object.
pub fn parse_one(path: &Path, text: &str, fields: &FieldMap) -> Result<Article, String> {
    let v = wanted(text.trim_start_matches('\u{feff}'), fields).map_err(|e| match e {
        Parsed::NotObject => "not a JSON object".to_string(),
        Parsed::Invalid(e) => format!("invalid JSON: {e}"),
    })?;
    article(path, None, &v, fields)
}

/// Why a JSON text gave no article object.
enum Parsed {
    /// Valid so far, but not an object (an array, a number…).
    NotObject,
    Invalid(serde_json::Error),
}

/// The fields of the JSON object in `text` that `fields` names, parsed without building
/// anything else: an array of twenty million numbers, in a field nobody reads or in place of
/// the object, is skipped or refused as it is read (it took 860 MB as a `Value` before being
/// refused as "not a JSON object"). Nested values of the fields read are kept as an empty array
/// or object: none is an article's text, date, title or URL.
fn wanted(text: &str, fields: &FieldMap) -> Result<Value, Parsed> {
    let mut de = serde_json::Deserializer::from_str(text);
    let found = de::DeserializeSeed::deserialize(Wanted(fields), &mut de).map_err(|e| {
        match e.classify() {
            serde_json::error::Category::Data => Parsed::NotObject,
            _ => Parsed::Invalid(e),
        }
    })?;
    de.end().map_err(Parsed::Invalid)?;
    Ok(Value::Object(found))
}

/// Reads an object, keeping the fields `FieldMap` names.
struct Wanted<'f>(&'f FieldMap);

impl<'de> de::DeserializeSeed<'de> for Wanted<'_> {
    type Value = serde_json::Map<String, Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for Wanted<'_> {
    type Value = serde_json::Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.0.names(&key) {
                let value = map.next_value_seed(Flat)?;
                out.insert(key, value);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// Reads a value, keeping strings, numbers, booleans and null, and an array or object as an
/// empty one.
struct Flat;

impl<'de> de::DeserializeSeed<'de> for Flat {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Flat {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Value::Array(Vec::new()))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Value::Object(serde_json::Map::new()))
    }
}

/// Parses a JSON Lines file: each non-blank line is an article; a malformed line or one without
/// text is reported as `file:line` and skipped, and the rest are read.
pub fn parse_lines(path: &Path, text: &str, fields: &FieldMap) -> Articles {
    let mut out = Articles::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let at = format!("{}:{}", path.display(), i + 1);
        match wanted(line, fields) {
            Ok(v) => match article(path, Some(i + 1), &v, fields) {
                Ok(a) => out.articles.push(a),
                Err(e) => out.warnings.push(format!("{at}: {e}; line skipped")),
            },
            Err(Parsed::NotObject) => {
                out.warnings.push(format!("{at}: not a JSON object; line skipped"))
            }
            Err(Parsed::Invalid(e)) => {
                out.warnings.push(format!("{at}: invalid JSON ({e}); line skipped"))
            }
        }
    }
    out
}

fn field<'a>(v: &'a Value, names: &[String]) -> Option<&'a Value> {
    named_field(v, names).map(|(_, x)| x)
}

/// The first of `names` that `v` has (not null), with its name.
fn named_field<'a, 'n>(v: &'a Value, names: &'n [String]) -> Option<(&'n str, &'a Value)> {
    names.iter().find_map(|n| v.get(n).filter(|x| !x.is_null()).map(|x| (n.as_str(), x)))
}

fn article(
    path: &Path,
    line: Option<usize>,
    v: &Value,
    fields: &FieldMap,
) -> Result<Article, String> {
    if !v.is_object() {
        return Err("not a JSON object".to_string());
    }
    let text = field(v, &fields.text)
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| format!("no text field (looked for {})", fields.text.join(", ")))?;
    let mut a = Article { path: path.to_path_buf(), line, ..Article::default() };
    // Articles whose text keeps single newlines between paragraphs get one paragraph per line.
    a.paragraphs = if text.contains("\n\n") {
        split_paragraphs(text)
    } else {
        text.lines().flat_map(split_paragraphs).collect()
    };
    a.title = field(v, &fields.title).and_then(Value::as_str).map(str::to_string);
    a.url = field(v, &fields.url).and_then(Value::as_str).map(str::to_string);
    if let Some((name, d)) = named_field(v, &fields.date) {
        match json_date(d) {
            Some(date) => {
                a.date = Some(date);
                a.date_from = Some(super::DateFrom::Field(name.to_string()));
            }
            None => a.warnings.push(format!("invalid date {d}; indexed undated")),
        }
    }
    Ok(a)
}

/// A date from a string (`2023-06-21`, RFC 3339, `2023-06-21 10:00:00`) or Unix seconds.
fn json_date(v: &Value) -> Option<super::Date> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            parse_date(s)
                .or_else(|| parse_date(&s.replacen(' ', "T", 1)))
                .or_else(|| s.get(..10).and_then(parse_date))
        }
        Value::Number(n) => {
            let ts = jiff::Timestamp::from_second(n.as_i64()?).ok()?;
            Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_fields() {
        let f = FieldMap::default();
        // (name, json, expected date, expected first paragraph)
        let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
            (
                "text and date",
                r#"{"text": "One.\n\nTwo.", "date": "2023-06-21"}"#,
                Some("2023-06-21"),
                Some("One."),
            ),
            (
                "body and timestamp",
                r#"{"body": "One.", "published_at": "2023-06-21T23:30:00-05:00"}"#,
                Some("2023-06-22"),
                Some("One."),
            ),
            (
                "space separated time",
                r#"{"content": "One.", "publish_date": "2023-06-21 10:00:00"}"#,
                Some("2023-06-21"),
                Some("One."),
            ),
            (
                "unix seconds",
                r#"{"article": "One.", "datetime": 1687305600}"#,
                Some("2023-06-21"),
                Some("One."),
            ),
            ("lines as paragraphs", r#"{"text": "One.\nTwo."}"#, None, Some("One.")),
            (
                "fields nobody reads are skipped",
                r#"{"junk": [[1, {"a": 2}], 3], "text": "One.", "more": {"b": [true]}}"#,
                None,
                Some("One."),
            ),
            ("text that is no string (negative)", r#"{"text": ["One."]}"#, None, None),
            ("no text (negative)", r#"{"title": "x"}"#, None, None),
            ("not an object (negative)", r#"[1, 2]"#, None, None),
        ];
        for (name, json, date, first) in cases {
            let got = parse_one(Path::new("a.json"), json, &f);
            match first {
                Some(p) => {
                    let a = got.unwrap_or_else(|e| panic!("case {name}: {e}"));
                    assert_eq!(a.paragraphs[0], *p, "case {name}");
                    assert_eq!(a.date, date.map(|d| d.parse().unwrap()), "case {name}");
                }
                None => assert!(got.is_err(), "case {name}"),
            }
        }
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let f = FieldMap::default();
        let numbers = format!("[{}1]", "1,".repeat(100_000));
        // (name, json, error)
        let cases: &[(&str, &str, &str)] = &[
            ("an array", &numbers, "not a JSON object"),
            ("a number", "42", "not a JSON object"),
            ("broken", "{\"text\": ", "invalid JSON: EOF while parsing a value at line 1 column 9"),
            ("trailing text", "{\"text\": \"a\"} x", "invalid JSON: trailing characters at line 1 column 15"),
            ("no text", "{\"body\": 3}", "no text field (looked for text, body, content, article, maintext, article_body, articleBody)"),
        ];
        for (name, json, want) in cases {
            assert_eq!(parse_one(Path::new("a.json"), json, &f).unwrap_err(), *want, "case {name}");
        }
    }

    #[test]
    fn mapping_and_lines() {
        let mut f = FieldMap::default();
        f.map("text=maintext").unwrap();
        f.map("date=date_publish").unwrap();
        assert!(f.map("colour=x").is_err());
        assert!(f.map("text").is_err());
        let lines = "{\"maintext\": \"A.\", \"date_publish\": \"2020-01-02\", \"text\": \"ignored\"}\nnot json\n\n{\"title\": \"no text\"}\n{\"maintext\": \"B.\", \"date_publish\": \"soon\"}\n";
        let out = parse_lines(Path::new("a.jsonl"), lines, &f);
        let firsts: Vec<(&str, Option<usize>)> =
            out.articles.iter().map(|a| (a.paragraphs[0].as_str(), a.line)).collect();
        assert_eq!(firsts, vec![("A.", Some(1)), ("B.", Some(5))]);
        assert_eq!(out.warnings.len(), 2);
        assert!(out.warnings[0].starts_with("a.jsonl:2: invalid JSON"), "{:?}", out.warnings);
        assert!(out.warnings[1].starts_with("a.jsonl:4: no text field"), "{:?}", out.warnings);
        assert_eq!(out.articles[1].warnings, vec!["invalid date \"soon\"; indexed undated"]);
    }
}
