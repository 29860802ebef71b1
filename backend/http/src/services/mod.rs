//! Application services: the steps of each use case (load, apply a domain
//! rule, persist, notify). They know nothing of actix; handlers call them.

pub mod accounts;
pub mod cert_login;
pub mod certificates;
pub mod chat;
pub mod employment;
pub mod engineers;
pub mod events;
pub mod messaging;
pub mod notifications;
pub mod orders;
pub mod passwords;
pub mod pki;
pub mod sessions;
pub mod sro;
pub mod webhooks;
