//! Building blocks shared by the pages.

pub mod form;
pub mod header;
pub mod status;
