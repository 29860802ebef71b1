//! Orders for cadastral works (docs/orders.md): cadastral numbers, the fields of
//! an order, the state machine, and who may respond or receive offers.

pub mod cadastral;
pub mod eligibility;
pub mod fields;
pub mod machine;
pub mod reminders;
pub mod results;
pub mod tasks;

pub use cadastral::CadastralNumber;
