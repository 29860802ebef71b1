//! Wire types of the Mezha API (`/api/v1`).
//!
//! Everything here is plain data: serde (de)serialisation, `validator` rules
//! that the browser can run before sending, and — behind the `openapi`
//! feature — utoipa schemas. No I/O, no runtime: the crate builds for
//! `wasm32-unknown-unknown` so the Leptos frontend shares these types.

pub mod auth;
pub mod certificates;
pub mod chat;
pub mod common;
pub mod dev;
pub mod engineers;
pub mod events;
pub mod health;
pub mod limits;
pub mod me;
pub mod notifications;
pub mod orders;
pub mod patch;
pub mod problem;
pub mod signatures;
pub mod webhooks;

pub use common::Role;
pub use problem::{ErrorCode, FieldIssue, Problem};
