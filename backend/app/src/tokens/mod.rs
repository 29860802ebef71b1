//! Access tokens: the Ed25519 signing keys ([`keys`]) and the JWTs made
//! and checked with them ([`jwt`]).

pub mod jwt;
pub mod keys;
