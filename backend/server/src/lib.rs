//! The `mezha` server: typed configuration ([`config`]), logging
//! ([`telemetry`]) and assembling the application from configuration
//! ([`startup`]). The binary in `main.rs` adds the command line.

pub mod bench;
pub mod config;
pub mod startup;
pub mod telemetry;
