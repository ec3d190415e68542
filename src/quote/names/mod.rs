//! Names in an article's narrative text: finding capitalised name chunks, stripping titles,
//! and resolving every later reference (surname, first name, pronoun, role noun) to one entity.
//!
//! `names` knows nothing of quotations beyond the token stream `text` gives it; `attribute`
//! asks it who a noun phrase refers to at a given position. Inside, dependencies point one way,
//! from the top down:
//! - `entities`: the article's table of people and organisations and reference resolution;
//! - `roles`: role phrases before and after a name, and appositives;
//! - `chunks`: capitalised name chunks of one paragraph, title split off;
//! - `titles`: words of office and role words, what a title means;
//! - `given`: given names and the gender of their bearers, learned from birth records.

mod chunks;
mod entities;
mod given;
mod roles;
mod titles;

pub use chunks::{find_chunks, Chunk, EntityKind};
pub use entities::{is_org_noun, Entities, Pos};
pub use given::is_given_name;
pub use titles::{is_person_role, name_words};
