//! The organisation's client base rules (docs/clients.md): the value types of
//! a Russian internal passport and the consistency checks of a client record,
//! which are reported beside its fields without blocking a save.

pub mod checks;
pub mod passport;
pub mod recognition;
pub mod requests;
