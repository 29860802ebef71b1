//! The certification authority's rules (docs/certificates.md): the application state
//! machine and the owner's data.

pub mod agent;
pub mod machine;
pub mod owner;
