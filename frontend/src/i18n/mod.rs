//! Every string of the interface, in Russian (default) and English. A
//! catalogue is a struct, so a missing translation does not compile.
//!
//! One layout for every area: a folder whose `mod.rs` declares the area's
//! keys (a struct) and the look-ups by the API's enums and codes, with
//! `ru.rs` and `en.rs` holding the texts (and the language's plurals). This
//! folder is the root area: [`Strings`] holds the shared texts (fields,
//! account pages, errors by code, roles) and a reference to each area's
//! catalogue — `orders`, `engineers`, `certificates`, `notifications`,
//! `organisations`, `clients`, `deals`, `poa`.

pub mod certificates;
pub mod clients;
pub mod contracts;
pub mod deals;
mod en;
pub mod engineers;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod poa;
mod ru;

use mezha_api_types::Role;

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    /// The catalogue of this language.
    pub fn t(self) -> &'static Strings {
        match self {
            Lang::Ru => &ru::RU,
            Lang::En => &en::EN,
        }
    }

    /// BCP 47 code, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Ru }
    }
}

/// All interface strings.
pub struct Strings {
    pub product: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub network_error: &'static str,
    pub unknown_error: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub to_home: &'static str,
    pub switch_language: &'static str,
    pub language_name: &'static str,

    // header
    pub nav_main: &'static str,
    pub chat_badge: &'static str,
    pub notifications_badge: &'static str,
    pub profile_link: &'static str,
    pub acting_as: &'static str,
    pub logout: &'static str,
    pub login_link: &'static str,
    pub register_link: &'static str,

    // home
    pub home_guest_title: &'static str,
    pub home_guest_text: &'static str,
    pub home_user_title: &'static str,
    pub home_user_text: &'static str,

    // fields
    pub email: &'static str,
    pub password: &'static str,
    pub new_password: &'static str,
    pub password_hint: &'static str,
    pub full_name: &'static str,
    pub snils: &'static str,
    pub snils_hint: &'static str,
    pub inn: &'static str,
    pub inn_hint: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub sms_code: &'static str,

    // register
    pub register_title: &'static str,
    pub register_submit: &'static str,
    pub register_done_title: &'static str,
    pub register_done_text: &'static str,
    pub have_account: &'static str,

    // confirm
    pub confirm_title: &'static str,
    pub confirm_progress: &'static str,
    pub confirm_done: &'static str,
    pub confirm_missing_token: &'static str,
    pub resend_link: &'static str,
    pub resend_done: &'static str,

    // login
    pub login_title: &'static str,
    pub login_by_password: &'static str,
    pub login_by_sms: &'static str,
    pub login_by_certificate: &'static str,
    pub login_submit: &'static str,
    pub forgot_password: &'static str,
    pub no_account: &'static str,
    pub session_ended: &'static str,
    pub sms_request: &'static str,
    pub sms_sent_to: &'static str,
    pub sms_verify: &'static str,
    pub sms_resend_in: &'static str,
    pub sms_resend: &'static str,
    pub sms_change_phone: &'static str,
    pub second_factor_title: &'static str,
    pub second_factor_sent_to: &'static str,
    pub second_factor_lost: &'static str,
    pub second_factor_back: &'static str,
    pub second_factor_mailed: &'static str,
    pub second_factor_recovery_title: &'static str,
    pub second_factor_recovered: &'static str,
    pub second_factor_hint: &'static str,
    pub second_factor_on: &'static str,
    pub second_factor_off: &'static str,
    pub second_factor_enable: &'static str,
    pub second_factor_disable: &'static str,
    pub phone_confirmed: &'static str,
    pub phone_unconfirmed: &'static str,
    pub phone_none: &'static str,
    pub phone_new: &'static str,
    pub phone_send_code: &'static str,
    pub phone_confirm: &'static str,

    // role
    pub choose_role_title: &'static str,
    pub choose_role_text: &'static str,
    pub enter_as: &'static str,

    // reset
    pub reset_title: &'static str,
    pub reset_request_text: &'static str,
    pub reset_request_submit: &'static str,
    pub reset_request_done: &'static str,
    pub reset_set_submit: &'static str,
    pub reset_set_done: &'static str,

    // profile
    pub profile_title: &'static str,
    pub profile_save: &'static str,
    pub profile_saved: &'static str,
    pub profile_roles: &'static str,
    pub email_unconfirmed: &'static str,
    pub profile_stale: &'static str,
    pub avatar_title: &'static str,
    pub avatar_alt: &'static str,
    pub avatar_upload: &'static str,
    pub avatar_remove: &'static str,
    pub avatar_hint: &'static str,
    /// `{}`: the percentage sent so far.
    pub avatar_uploading: &'static str,
    pub avatar_removing: &'static str,

    // sessions
    pub sessions_title: &'static str,
    pub sessions_link: &'static str,
    pub sessions_empty: &'static str,
    pub session_current: &'static str,
    pub session_started: &'static str,
    pub session_seen: &'static str,
    pub session_method_password: &'static str,
    pub session_method_sms: &'static str,
    pub session_method_certificate: &'static str,
    pub session_logout: &'static str,
    pub logout_everywhere: &'static str,

    // navigation sections per acting role
    pub nav_orders: &'static str,
    pub nav_engineers: &'static str,
    pub nav_order_search: &'static str,
    pub nav_employees: &'static str,
    pub nav_deals: &'static str,
    pub nav_clients: &'static str,
    pub nav_certificates: &'static str,

    pub roles: RoleStrings,
    pub orders: &'static orders::OrderStrings,
    pub contracts: &'static contracts::ContractStrings,
    pub engineers: &'static engineers::EngineerStrings,
    pub certs: &'static certificates::CertStrings,
    pub notif: &'static notifications::NotifStrings,
    pub orgs: &'static organisations::OrgStrings,
    pub clients: &'static clients::ClientStrings,
    pub deals: &'static deals::DealStrings,
    pub poa: &'static poa::PoaStrings,
    // problems by code
    pub errors: ErrorStrings,
}

/// Role names.
pub struct RoleStrings {
    pub customer: &'static str,
    pub engineer: &'static str,
    pub employer: &'static str,
    pub org_admin: &'static str,
    pub org_employee: &'static str,
    pub ca_operator: &'static str,
    pub moderator: &'static str,
}

/// Messages for problem and field codes of the API.
pub struct ErrorStrings {
    pub invalid_credentials: &'static str,
    pub email_not_confirmed: &'static str,
    pub account_blocked: &'static str,
    pub email_taken: &'static str,
    pub phone_taken: &'static str,
    pub confirmation_required: &'static str,
    pub wrong_password: &'static str,
    pub phone_not_confirmed: &'static str,
    pub invalid_token: &'static str,
    pub invalid_otp: &'static str,
    pub otp_expired: &'static str,
    pub otp_attempts_exceeded: &'static str,
    pub otp_resend_too_early: &'static str,
    pub rate_limited: &'static str,
    pub validation_failed: &'static str,
    pub precondition_failed: &'static str,
    pub forbidden: &'static str,
    pub too_short: &'static str,
    pub too_long: &'static str,
    pub too_common: &'static str,
    pub invalid_email: &'static str,
    pub snils_format: &'static str,
    pub snils_checksum: &'static str,
    pub inn_format: &'static str,
    pub inn_checksum: &'static str,
    pub inn_not_legal_entity: &'static str,
    pub phone_format: &'static str,
    pub full_name_chars: &'static str,
    pub invalid_url: &'static str,
    pub required: &'static str,
    pub not_found: &'static str,
    pub conflict: &'static str,
    pub payload_too_large: &'static str,
    pub unsupported_media_type: &'static str,
    pub invalid_image: &'static str,
    pub image_too_large: &'static str,
    pub illegal_transition: &'static str,
    pub engineer_profile_incomplete: &'static str,
    pub engineer_blocked: &'static str,
    pub region_not_covered: &'static str,
    pub sole_active_engineer: &'static str,
    pub offers_disabled: &'static str,
    pub not_an_engineer: &'static str,
    pub already_responded: &'static str,
    pub idempotency_key_reused: &'static str,
    pub idempotency_in_progress: &'static str,
    pub cadastral_number_format: &'static str,
    pub unknown_region: &'static str,
    pub deadline_ambiguous: &'static str,
    pub deadline_in_past: &'static str,
    pub out_of_range: &'static str,
    pub not_positive: &'static str,
    pub invalid_csr: &'static str,
    pub csr_subject_mismatch: &'static str,
    pub challenge_expired: &'static str,
    pub certificate_not_accepted: &'static str,
    pub certificate_not_linked: &'static str,
}

impl Strings {
    /// The message for an API code, if the catalogue has one.
    pub fn error(&self, code: &str) -> Option<&'static str> {
        let e = &self.errors;
        Some(match code {
            "invalid_credentials" => e.invalid_credentials,
            "email_not_confirmed" => e.email_not_confirmed,
            "account_blocked" => e.account_blocked,
            "email_taken" => e.email_taken,
            "phone_taken" => e.phone_taken,
            "confirmation_required" => e.confirmation_required,
            "wrong_password" => e.wrong_password,
            "phone_not_confirmed" => e.phone_not_confirmed,
            "invalid_token" => e.invalid_token,
            "invalid_otp" => e.invalid_otp,
            "otp_expired" => e.otp_expired,
            "otp_attempts_exceeded" => e.otp_attempts_exceeded,
            "otp_resend_too_early" => e.otp_resend_too_early,
            "rate_limited" => e.rate_limited,
            "validation_failed" => e.validation_failed,
            "precondition_failed" => e.precondition_failed,
            "forbidden" | "role_not_held" => e.forbidden,
            "too_short" => e.too_short,
            "too_long" => e.too_long,
            "too_common" => e.too_common,
            "invalid_email" => e.invalid_email,
            "snils_format" => e.snils_format,
            "snils_checksum" => e.snils_checksum,
            "inn_format" => e.inn_format,
            "inn_checksum" => e.inn_checksum,
            "inn_not_legal_entity" => e.inn_not_legal_entity,
            "phone_format" => e.phone_format,
            "full_name_chars" => e.full_name_chars,
            "invalid_url" => e.invalid_url,
            "required" => e.required,
            "not_found" => e.not_found,
            "conflict" => e.conflict,
            "payload_too_large" => e.payload_too_large,
            "unsupported_media_type" => e.unsupported_media_type,
            "invalid_image" => e.invalid_image,
            "image_too_large" => e.image_too_large,
            "illegal_transition" => e.illegal_transition,
            "engineer_profile_incomplete" => e.engineer_profile_incomplete,
            "engineer_blocked" => e.engineer_blocked,
            "region_not_covered" => e.region_not_covered,
            "sole_active_engineer" => e.sole_active_engineer,
            "offers_disabled" => e.offers_disabled,
            "not_an_engineer" => e.not_an_engineer,
            "already_responded" => e.already_responded,
            "idempotency_key_reused" => e.idempotency_key_reused,
            "idempotency_in_progress" => e.idempotency_in_progress,
            "cadastral_number_format" => e.cadastral_number_format,
            "unknown_region" => e.unknown_region,
            "deadline_ambiguous" => e.deadline_ambiguous,
            "deadline_in_past" => e.deadline_in_past,
            "out_of_range" => e.out_of_range,
            "not_positive" => e.not_positive,
            "invalid_csr" => e.invalid_csr,
            "csr_subject_mismatch" => e.csr_subject_mismatch,
            "challenge_expired" => e.challenge_expired,
            "certificate_not_accepted" => e.certificate_not_accepted,
            "certificate_not_linked" => e.certificate_not_linked,
            _ => {
                return self
                    .engineers
                    .error(code)
                    .or_else(|| self.certs.error(code))
                    .or_else(|| self.deals.error(code))
                    .or_else(|| self.poa.error(code));
            }
        })
    }

    /// The name of a role ("enter as …").
    pub fn role(&self, role: Role) -> &'static str {
        let r = &self.roles;
        match role {
            Role::Customer => r.customer,
            Role::Engineer => r.engineer,
            Role::Employer => r.employer,
            Role::OrgAdmin => r.org_admin,
            Role::OrgEmployee => r.org_employee,
            Role::CaOperator => r.ca_operator,
            Role::Moderator => r.moderator,
        }
    }
}
