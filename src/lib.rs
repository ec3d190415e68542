//! quoth: turn a folder of news articles into a searchable index of who said what, and when.
//!
//! The library is layered; each module uses only those listed after it (ARCHITECTURE.md draws
//! the layers, and `tests/architecture.rs` checks every path against them):
//! - [`server`] serves searches over HTTP, with caches built on [`bounded`];
//! - [`output`] renders hits, stats and reports as text, JSON Lines or CSV;
//! - [`profile`] is a speaker's page as data, built on [`stats`] and [`search`];
//! - [`stats`] aggregates the whole index (what it holds, who is quoted);
//! - [`extract`] makes the hits of articles without an index (`quoth extract`, the Python
//!   package), in parallel and streamed;
//! - [`search`] turns a query into hits (data, never printed);
//! - [`index`] stores quotations in a tantivy index (the only place field names live);
//! - [`eval`] scores extraction against a gold file;
//! - [`quote`] finds quotations and their speakers in an article (pure, no I/O);
//! - [`article`] reads files into plain [`article::Article`] values;
//! - [`bounded`] is a map bounded in entries and bytes, knowing nothing of what it holds.
//!
//! The binary (`main.rs`, `cli.rs`) only parses arguments, calls into these and prints.
//! Development tools (the corpus generator) live outside, under `tools/`.

pub mod article;
pub mod bounded;
pub mod check;
pub mod eval;
pub mod extract;
pub mod index;
pub mod output;
pub mod profile;
pub mod quote;
pub mod search;
pub mod server;
pub mod stats;
