//! Every route, registered in one place together with its OpenAPI
//! description (utoipa-actix-web collects each `.service(...)`), so the
//! served and committed document cannot miss an endpoint.

pub mod acts;
pub mod auth;
pub mod avatars;
pub mod certificate_agents;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod contracts;
pub mod deals;
pub mod dev;
pub mod employers;
pub mod engineers;
pub mod events;
pub mod files;
pub mod health;
pub mod invoices;
pub mod me;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod pki;
pub mod powers_of_attorney;
pub mod reference;
pub mod results;
pub mod reviews;
pub mod signatures;
pub mod sro;
pub mod users;
pub mod versioned;
pub mod webhooks;

use mezha_api_types::page::PageQuery;
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

/// Query of a list with no filters of its own: only the page (its route's
/// `params` list `PageQuery`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageOnly {
    #[serde(flatten)]
    pub page: PageQuery,
}

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
        .service(auth::cert::challenge)
        .service(auth::cert::verify)
        .service(auth::otp::request)
        .service(auth::otp::verify)
        .service(auth::password::request_reset)
        .service(auth::password::confirm_reset)
        .service(auth::second_factor::verify)
        .service(auth::second_factor::resend)
        .service(auth::second_factor::recover)
        .service(auth::second_factor::confirm_recovery)
        .service(me::get_me)
        .service(me::my_tasks)
        .service(me::update_me)
        .service(me::switch_acting_role)
        .service(me::request_phone_code)
        .service(me::confirm_phone)
        .service(me::set_second_factor)
        .service(avatars::put_avatar)
        .service(avatars::delete_avatar)
        .service(avatars::user_avatar)
        .service(users::list)
        .service(users::block)
        .service(users::unblock)
        .service(reference::reference)
        .service(files::upload)
        .service(files::download)
        .service(orders::create_order)
        .service(orders::list_orders)
        .service(orders::search_orders)
        .service(orders::get_order)
        .service(orders::update_order)
        .service(orders::delete_order)
        .service(orders::publish_order)
        .service(orders::cancel_order)
        .service(orders::order_history)
        .service(orders::export_order)
        .service(orders::create_response)
        .service(orders::list_responses)
        .service(orders::withdraw_response)
        .service(orders::select_response)
        .service(orders::create_offer)
        .service(orders::list_offers)
        .service(orders::accept_offer)
        .service(orders::decline_offer)
        .service(contracts::create_contract)
        .service(contracts::list_contracts)
        .service(contracts::get_contract)
        .service(contracts::contract_document)
        .service(contracts::sign_contract)
        .service(contracts::decline_contract)
        .service(acts::create_act)
        .service(acts::list_acts)
        .service(acts::get_act)
        .service(acts::act_document)
        .service(acts::sign_act)
        .service(acts::decline_act)
        .service(invoices::send_invoice)
        .service(invoices::list_invoices)
        .service(invoices::get_invoice)
        .service(invoices::mark_paid)
        .service(invoices::confirm_payment)
        .service(results::deliver_results)
        .service(results::send_registration_outcome)
        .service(results::list_results)
        .service(results::get_result)
        .service(results::accept_results)
        .service(results::reject_results)
        .service(reviews::review_order)
        .service(reviews::engineer_reviews)
        .service(organisations::create_organisation)
        .service(organisations::my_organisations)
        .service(organisations::get_organisation)
        .service(organisations::organisation_offer)
        .service(organisations::confirm_organisation)
        .service(organisations::organisation_settings)
        .service(organisations::list_members)
        .service(organisations::activate_member)
        .service(organisations::deactivate_member)
        .service(organisations::set_member_rights)
        .service(organisations::create_invitation)
        .service(organisations::list_invitations)
        .service(organisations::organisation_audit)
        .service(powers_of_attorney::upload_power_of_attorney)
        .service(powers_of_attorney::list_powers_of_attorney)
        .service(powers_of_attorney::get_power_of_attorney)
        .service(powers_of_attorney::power_of_attorney_xml)
        .service(powers_of_attorney::power_of_attorney_signature)
        .service(powers_of_attorney::sign_power_of_attorney)
        .service(powers_of_attorney::revoke_power_of_attorney)
        .service(organisations::preview_invitation)
        .service(organisations::invitation_phone_code)
        .service(organisations::accept_invitation)
        .service(clients::recognise_passport)
        .service(clients::create_client)
        .service(clients::list_clients)
        .service(clients::get_client)
        .service(clients::update_client)
        .service(certificate_agents::file_certificate_application)
        .service(certificate_agents::list_client_certificate_applications)
        .service(certificate_agents::resend_certificate_claim_link)
        .service(clients::create_client_request)
        .service(clients::list_client_requests)
        .service(clients::preview_client_request)
        .service(clients::upload_client_scan)
        .service(clients::submit_client_data)
        .service(clients::recognise_through_link)
        .service(clients::get_client_request)
        .service(clients::accept_client_request)
        .service(deals::create_deal)
        .service(deals::list_deals)
        .service(deals::get_deal)
        .service(deals::update_deal)
        .service(deals::delete_deal)
        .service(deals::deal_history)
        .service(deals::copy_deal)
        .service(deals::add_participant)
        .service(deals::update_participant)
        .service(deals::remove_participant)
        .service(deals::upload_document)
        .service(deals::remove_document)
        .service(deals::document_file)
        .service(deals::sign_document)
        .service(deals::form_statements)
        .service(deals::send_deal)
        .service(deals::pay_fee)
        .service(deals::registry_status)
        .service(deals::registry_callback)
        .service(signatures::validate)
        .service(dev::outbox)
        .service(crate::openapi::openapi_json);

    // Engineers, employers and the SRO registry (docs/API.md, docs/employers.md).
    cfg.service(engineers::get_profile)
        .service(engineers::put_profile)
        .service(engineers::get_requisites)
        .service(engineers::put_requisites)
        .service(engineers::list)
        .service(engineers::details)
        .service(employers::get_settings)
        .service(employers::put_settings)
        .service(employers::search)
        .service(employers::request_to_join)
        .service(employers::employees)
        .service(employers::add_employee)
        .service(employers::approve)
        .service(employers::reject)
        .service(employers::suspend)
        .service(employers::resume)
        .service(employers::remove)
        .service(employers::my_employment)
        .service(employers::leave)
        .service(sro::import);

    // The certification authority (docs/certificates.md).
    cfg.service(certificates::create_application)
        .service(certificates::list_applications)
        .service(certificates::get_application)
        .service(certificates::update_application)
        .service(certificates::submit_application)
        .service(certificates::approve_application)
        .service(certificates::reject_application)
        .service(certificates::issue_code)
        .service(certificates::issue_certificate)
        .service(certificate_agents::preview_certificate_claim)
        .service(certificate_agents::accept_certificate_claim)
        .service(certificates::application_form)
        .service(certificates::list_certificates)
        .service(certificates::get_certificate)
        .service(certificates::revoke_certificate)
        .service(certificates::renew_certificate)
        .service(pki::ca_pem)
        .service(pki::crl);

    // Notifications (docs/notifications.md).
    cfg.service(notifications::get_settings)
        .service(notifications::put_settings)
        .service(notifications::list)
        .service(notifications::read_all)
        .service(notifications::unread_counts)
        .service(notifications::read);

    // Webhooks for integrators (docs/webhooks.md).
    cfg.service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::remove)
        .service(webhooks::deliveries);

    // The order chat (docs/chat.md).
    cfg.service(chat::read)
        .service(chat::threads)
        .service(chat::list)
        .service(chat::send);

    // Live events (docs/notifications.md, "Live events (SSE)").
    cfg.service(events::create_ticket).service(events::events);
}

/// Routes at the root (`/healthz`, `/readyz`, `/metrics`).
pub fn root(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics);
}
