//! Every route, registered in one place together with its OpenAPI
//! description (utoipa-actix-web collects each `.service(...)`), so the
//! served and committed document cannot miss an endpoint.

pub mod auth;
pub mod dev;
pub mod health;
pub mod me;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::register::register)
        .service(auth::register::confirm_email)
        .service(auth::register::resend_confirmation)
        .service(auth::login::login)
        .service(auth::login::refresh)
        .service(auth::login::logout)
        .service(auth::login::logout_all)
        .service(auth::login::list_sessions)
        .service(auth::otp::request)
        .service(auth::otp::verify)
        .service(auth::password::request_reset)
        .service(auth::password::confirm_reset)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::switch_acting_role)
        .service(users::block)
        .service(users::unblock)
        .service(dev::outbox)
        .service(crate::openapi::openapi_json);
}

/// Routes at the root (`/healthz`, `/readyz`).
pub fn root(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz);
}
