//! Table definitions, one module per table, written in the shape
//! `sea-orm-cli generate entity` produces. They describe the schema that
//! `mezha-migrations` creates; behaviour lives in the repositories, never here.

pub mod one_time_tokens;
pub mod outbox_messages;
pub mod user_roles;
pub mod users;
