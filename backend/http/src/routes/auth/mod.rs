//! `/auth/*`.

pub mod cert;
pub mod login;
pub mod otp;
pub mod password;
pub mod register;
