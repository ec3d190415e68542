//! quoth: turn a folder of news articles into a searchable index of who said what, and when.
//!
//! The library is layered so that dependencies point inward:
//! - [`article`] reads files into plain [`article::Article`] values;
//! - [`quote`] finds quotations and their speakers in an article (pure, no I/O);
//! - [`index`] stores quotations in a tantivy index (the only place field names live);
//! - [`search`] turns a query into hits (data, never printed);
//! - [`check`] checks a claimed quotation against the index: a verdict, a diff, sources;
//! - [`output`] renders hits as text, JSON or CSV;
//! - [`eval`] scores extraction against a gold file;
//! - [`server`] serves searches over HTTP, with caches built on [`bounded`].
//!
//! The binary (`main.rs`, `cli.rs`) only parses arguments and calls into these.

pub mod article;
pub mod bounded;
pub mod check;
pub mod corpus;
pub mod eval;
pub mod index;
pub mod output;
pub mod quote;
pub mod search;
pub mod server;
pub mod stats;
