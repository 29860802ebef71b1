//! Russian texts of the message catalogue, by key (`{name}`: a parameter),
//! one module per group of areas.

pub mod accounts;
pub mod certificates;
pub mod common;
pub mod deals;
pub mod engineers;
pub mod orders;
pub mod organisations;

/// The groups' `(key, text)` slices, in the order of [`super::en::TEXTS`].
pub const TEXTS: &[&[(&str, &str)]] = &[
    common::TEXTS,
    accounts::TEXTS,
    orders::TEXTS,
    engineers::TEXTS,
    certificates::TEXTS,
    organisations::TEXTS,
    deals::TEXTS,
];
