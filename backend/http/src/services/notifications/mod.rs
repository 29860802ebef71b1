//! Notifications (SPEC §8). Events are written by the stores inside the
//! transactions of the changes they announce; [`worker`] delivers them.

pub mod worker;
