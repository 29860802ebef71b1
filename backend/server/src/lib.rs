//! The `mezha` server: typed configuration ([`config`]), logging
//! ([`telemetry`]) and assembling the application from configuration
//! ([`startup`]). The binary in `main.rs` adds the command line (`serve`,
//! `migrate`, `staff create`, `sro import`, `bench`); the HTTP test suite
//! is `tests/api` (every test on SQLite and on PostgreSQL + Redis,
//! docs/adr/0004-sqlite-and-postgresql.md).
//!
//! The only crate that knows every other: it wires `mezha-store`,
//! `mezha-app`, `mezha-http` and `mezha-signatures` together from
//! configuration. Holds no handlers and no use cases.
//!
//! | module | what it does |
//! |---|---|
//! | [`bench`] | `mezha bench`: login costs and the order search under load against raw SQL (docs/benchmarks.md) |
//! | [`config`] | defaults, TOML file, `MEZHA_*` environment variables; checked at start |
//! | [`startup`] | database, key-value store, bus, CA, trust store, workers, the HTTP server |
//! | [`telemetry`] | logging to stderr as text or JSON lines |

pub mod bench;
pub mod config;
pub mod startup;
pub mod telemetry;
