//! Deals (docs/deals.md): an organisation's electronic registration of a
//! real-estate deal — its state machine ([`machine`]) and what it lacks
//! before its statements may be formed, who signs what, its shares and
//! area ([`checklist`]), the registry's answers and the retries of its
//! gateway ([`registry`]).

pub mod checklist;
pub mod machine;
pub mod registry;
