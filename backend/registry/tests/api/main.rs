//! The stand-in registry over real HTTP: `start` on 127.0.0.1:0, reqwest as
//! the client, a small receiver for the callbacks. One binary, a module per
//! part of docs/registry-gateway.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod checks;
mod faults;
mod flow;
mod helpers;
mod idempotency;
mod limits;
