//! Orders for cadastral works (SPEC §2): cadastral numbers, the fields of
//! an order, the state machine, and who may respond or receive offers.

pub mod cadastral;
pub mod eligibility;
pub mod fields;
pub mod machine;

pub use cadastral::CadastralNumber;
