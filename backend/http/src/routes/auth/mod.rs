//! `/auth/*`.

pub mod cert;
pub mod login;
pub mod otp;
pub mod password;
pub mod register;
pub mod second_factor;

use actix_web::HttpResponse;
use mezha_api_types::auth::Accepted;

/// 202 for a request to e-mail a link: what happens if an account
/// qualifies, and nothing about whether one does.
fn link_on_its_way(message: &str) -> HttpResponse {
    HttpResponse::Accepted().json(Accepted {
        message: message.into(),
    })
}
