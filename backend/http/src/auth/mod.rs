//! The authorisation guard ([`Auth`]) and the refresh-token cookie; the
//! access tokens themselves are the application's (`mezha_app::tokens`).

pub mod cookie;
pub mod guard;

pub use guard::Auth;
