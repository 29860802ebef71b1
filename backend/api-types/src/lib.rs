//! Wire types of the Mezha API (`/api/v1`), shared by the server and the
//! web app; the prose around them is docs/API.md.
//!
//! Everything here is plain data: serde (de)serialisation, `validator` rules
//! that the browser can run before sending, and — behind the `openapi`
//! feature — utoipa schemas. No I/O, no runtime: the crate builds for
//! `wasm32-unknown-unknown` so the Leptos frontend shares these types.
//!
//! Depends only on serde, chrono, uuid, validator (and utoipa behind
//! `openapi`); never on another Mezha crate, a database, an async runtime
//! or a web framework.
//!
//! | module | what it describes |
//! |---|---|
//! | [`acts`] | acts of completed works of an order and their signatures |
//! | [`auth`] | `/auth/*`: registration, logins, refresh, sessions, password reset |
//! | [`certificates`] | certificate applications, certificates, revocation, renewal |
//! | [`chat`] | the order chat's messages |
//! | [`clients`] | an organisation's client base: persons, their data checks, scans, search |
//! | [`common`] | [`Role`] and enums used across the API |
//! | [`contracts`] | contract versions of an order, their terms and signatures |
//! | [`deals`] | deals: object, participants, documents, signatures, statements, the registry's answers |
//! | [`dev`] | the development outbox |
//! | [`engineers`] | engineer profiles, requisites, the engineer list, employers, the SRO import |
//! | [`events`] | live-event names and tickets |
//! | [`health`] | `/healthz`, `/readyz` |
//! | [`invoices`] | invoices of an order, receipts, confirmation of payment |
//! | [`limits`] | size limits shared by the server and the web app's forms |
//! | [`me`] | `/me`: profile and acting role |
//! | [`notifications`] | notification kinds, channels, settings, the list, unread counters |
//! | [`orders`] | orders, history, search, responses, offers, statuses and actions |
//! | [`organisations`] | organisations, their offer, members, rights, invitations, settings and audit log |
//! | [`page`] | [`Page`](page::Page) and [`PageQuery`](page::PageQuery): one page of every list |
//! | [`patch`] | three-state fields of `PATCH` bodies |
//! | [`powers_of_attorney`] | machine-readable powers of attorney (МЧД) in an organisation's settings |
//! | [`problem`] | [`Problem`] (RFC 9457), [`ErrorCode`], [`FieldIssue`] |
//! | [`results`] | deliveries of an order's results, their rejection |
//! | [`reviews`] | the customers' reviews of engineers |
//! | [`signatures`] | the signature validation report |
//! | [`users`] | accounts as moderators list, block and unblock them |
//! | [`webhooks`] | webhooks, their delivery log and payload |

pub mod acts;
pub mod auth;
pub mod certificate_agents;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod common;
pub mod contracts;
pub mod deals;
pub mod dev;
pub mod engineers;
pub mod events;
pub mod health;
pub mod invoices;
pub mod limits;
pub mod me;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod page;
pub mod patch;
pub mod powers_of_attorney;
pub mod problem;
pub mod results;
pub mod reviews;
pub mod signatures;
pub mod users;
pub mod webhooks;

pub use common::Role;
pub use problem::{ErrorCode, FieldIssue, Problem};
