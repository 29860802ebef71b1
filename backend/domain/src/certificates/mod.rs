//! The certification authority's rules (SPEC §5): the application state
//! machine and the owner's data.

pub mod machine;
pub mod owner;
