//! Building blocks shared by the pages.

pub mod avatar;
pub mod bind;
pub mod chat;
pub mod fields;
pub mod form;
pub mod header;
pub mod html;
pub mod later;
pub mod notifications;
pub mod problem;
pub mod route;
pub mod status;
pub mod upload;
