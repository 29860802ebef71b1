//! Access tokens and the authorisation guard.

pub mod cookie;
pub mod guard;
pub mod jwt;
pub mod keys;

pub use guard::Auth;
