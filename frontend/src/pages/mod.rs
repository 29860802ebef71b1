//! One module per page.

pub mod certificates;
pub mod choose_role;
pub mod clients;
pub mod confirm_email;
pub mod deals;
pub mod employees;
pub mod engineers;
pub mod home;
pub mod login;
pub mod misc;
pub mod moderation;
pub mod notification_settings;
pub mod orders;
pub mod organisations;
pub mod phone;
pub mod profile;
pub mod register;
pub mod reset_password;
pub mod second_factor;
pub mod sessions;
