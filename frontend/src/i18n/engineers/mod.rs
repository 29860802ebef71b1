//! The catalogue's part for engineers, employers and moderation (docs/API.md,
//! docs/employers.md): the engineer profile's tabs, the public engineer search and
//! profile, the Employees tab, the moderation page, and the API codes of
//! these screens.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use super::Strings;
use mezha_api_types::engineers::{EmploymentStatus, SroMemberStatus};

/// Strings of the engineer, employer and moderation screens.
pub struct EngineerStrings {
    pub nav_profile: &'static str,
    pub nav_moderation: &'static str,
    pub account_links: &'static str,
    pub employer_link: &'static str,

    // profile
    pub profile_title: &'static str,
    pub tabs_label: &'static str,
    pub tab_main: &'static str,
    pub tab_requisites: &'static str,
    pub tab_employer: &'static str,
    pub need_engineer: &'static str,
    pub enter_as_engineer: &'static str,
    pub auto_filled: &'static str,
    pub full_name_missing: &'static str,
    pub photo: &'static str,
    pub change_in_account: &'static str,
    pub sro: &'static str,
    pub sro_none: &'static str,
    pub sro_since: &'static str,
    pub sro_number: &'static str,
    pub disciplinary_actions: &'static str,
    pub disciplinary_none: &'static str,
    pub business_form: &'static str,
    pub sole_proprietor: &'static str,
    pub employee: &'static str,
    pub employer: &'static str,
    pub missing_title: &'static str,
    pub complete: &'static str,
    pub m_full_name: &'static str,
    pub m_regions: &'static str,
    pub m_work_types: &'static str,
    pub m_contacts: &'static str,
    pub m_requisites: &'static str,
    pub accept_offers: &'static str,
    pub accept_offers_hint: &'static str,
    pub website: &'static str,
    pub residence: &'static str,
    pub contacts: &'static str,
    pub contact_phone: &'static str,
    pub contact_email: &'static str,
    pub contact_other: &'static str,
    pub experience: &'static str,
    pub experience_label: &'static str,
    pub offers_label: &'static str,
    pub working_hours: &'static str,
    pub education: &'static str,
    pub about: &'static str,
    pub regions: &'static str,
    pub region_add: &'static str,
    pub region_choose: &'static str,
    pub remove: &'static str,
    pub regions_empty: &'static str,
    pub work_types_prices: &'static str,
    pub price_rub: &'static str,
    pub price_on_request: &'static str,
    pub diplomas: &'static str,
    pub work_examples: &'static str,
    pub file: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub stale: &'static str,

    // requisites
    pub requisites_hint: &'static str,
    pub ogrn: &'static str,
    pub ogrn_hint: &'static str,
    pub legal_address: &'static str,
    pub requisites_inherited: &'static str,
    pub requisites_none: &'static str,
    pub recipient: &'static str,
    pub kpp: &'static str,
    pub bank_name: &'static str,
    pub bik: &'static str,
    pub account: &'static str,
    pub correspondent_account: &'static str,

    // the engineer's employer
    pub current_employer: &'static str,
    pub status: &'static str,
    pub basis: &'static str,
    pub basis_date: &'static str,
    pub basis_name: &'static str,
    pub basis_number: &'static str,
    pub basis_file: &'static str,
    pub leave: &'static str,
    pub withdraw: &'static str,
    pub no_employer_yet: &'static str,
    pub add_employer: &'static str,
    pub employer_query: &'static str,
    pub employer_query_hint: &'static str,
    pub find: &'static str,
    pub no_employers: &'static str,
    pub choose: &'static str,
    pub chosen: &'static str,
    pub send_request: &'static str,
    pub request_sent: &'static str,
    pub one_employer: &'static str,

    // employer settings and the Employees tab
    pub employees_title: &'static str,
    pub employer_settings: &'static str,
    pub employer_switch: &'static str,
    pub switch_hint: &'static str,
    pub org_name: &'static str,
    pub org_inn: &'static str,
    pub need_employer: &'static str,
    pub enter_as_employer: &'static str,
    pub customer_or_employer: &'static str,
    pub status_filter: &'static str,
    pub status_current: &'static str,
    pub employees_empty: &'static str,
    pub approve: &'static str,
    pub reject: &'static str,
    pub suspend: &'static str,
    pub resume: &'static str,
    pub remove_employee: &'static str,
    pub add_engineer: &'static str,
    pub engineer_key: &'static str,
    pub engineer_key_hint: &'static str,
    pub add: &'static str,
    pub added: &'static str,
    pub requested_at: &'static str,
    pub employer_requisites: &'static str,

    // search and public profile
    pub search_title: &'static str,
    pub any_region: &'static str,
    pub work_type: &'static str,
    pub any_work: &'static str,
    pub rating_min: &'static str,
    pub any_rating: &'static str,
    pub experience_min: &'static str,
    pub accepts_only: &'static str,
    pub sort_rating: &'static str,
    pub sort_completed: &'static str,
    pub sort_experience: &'static str,
    pub search_empty: &'static str,
    pub rating: &'static str,
    pub no_rating: &'static str,
    pub reviews: &'static str,
    pub completed: &'static str,
    pub successful: &'static str,
    pub on_time: &'static str,
    /// `on_time` of an engineer with no order to count.
    pub no_on_time: &'static str,
    pub accepts: &'static str,
    pub not_accepts: &'static str,
    pub back_to_search: &'static str,
    pub offer_banner: &'static str,
    pub back_to_order: &'static str,
    pub offer_this: &'static str,
    pub offer_section: &'static str,
    pub offer_order: &'static str,
    pub offer_no_orders: &'static str,
    pub offer_find: &'static str,

    // moderation
    pub moderation_title: &'static str,
    pub need_moderator: &'static str,
    pub moderator_actions: &'static str,
    pub customer: &'static str,
    pub sro_title: &'static str,
    pub sro_url: &'static str,
    pub import_url: &'static str,
    pub sro_file: &'static str,
    pub import_file: &'static str,
    pub report_title: &'static str,
    pub report: [&'static str; 9],
    pub users_title: &'static str,
    pub users_search: &'static str,
    pub users_role: &'static str,
    pub users_any_role: &'static str,
    pub users_blocked_filter: &'static str,
    pub users_all: &'static str,
    pub users_only_blocked: &'static str,
    pub users_not_blocked: &'static str,
    pub users_find: &'static str,
    pub users_empty: &'static str,
    pub users_more: &'static str,
    pub users_registered: &'static str,
    pub users_unconfirmed: &'static str,
    pub users_blocked_tag: &'static str,
    pub users_blocked_since: &'static str,
    pub users_blocked_by: &'static str,
    pub users_reason: &'static str,
    pub users_block_who: &'static str,
    pub users_cancel: &'static str,
    pub block_reason: &'static str,
    pub block: &'static str,
    pub unblock: &'static str,
    pub blocked: &'static str,
    pub unblocked: &'static str,

    /// "12 лет" / "12 years".
    pub years: fn(u32) -> String,
    pub employment_statuses: [&'static str; 5],
    pub sro_statuses: [&'static str; 3],

    // API codes of these screens
    pub already_employed: &'static str,
    pub requisites_inherited_error: &'static str,
    pub engineer_never_logged_in: &'static str,
    pub feed_unavailable: &'static str,
    pub duplicate: &'static str,
    pub bik_format: &'static str,
    pub account_format: &'static str,
    pub account_checksum: &'static str,
    pub kpp_format: &'static str,
    pub ogrn_format: &'static str,
    pub ogrn_checksum: &'static str,
    pub ogrn_inn_mismatch: &'static str,
    pub unknown_file: &'static str,
    pub one_of: &'static str,
    pub bad_file: &'static str,
}

impl EngineerStrings {
    /// The message for an API code of these screens.
    pub fn error(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "already_employed" => self.already_employed,
            "requisites_inherited" => self.requisites_inherited_error,
            "engineer_never_logged_in" => self.engineer_never_logged_in,
            "feed_unavailable" => self.feed_unavailable,
            "duplicate" => self.duplicate,
            "bik_format" => self.bik_format,
            "account_format" => self.account_format,
            "account_checksum" => self.account_checksum,
            "kpp_format" => self.kpp_format,
            "ogrn_format" => self.ogrn_format,
            "ogrn_checksum" => self.ogrn_checksum,
            "ogrn_inn_mismatch" => self.ogrn_inn_mismatch,
            "unknown_file" => self.unknown_file,
            "one_of" => self.one_of,
            "invalid_body" | "malformed_json" | "bad_request" => self.bad_file,
            _ => return None,
        })
    }

    /// A required field's name (`missing_fields`).
    pub fn missing(&self, field: &str) -> &'static str {
        match field {
            "full_name" => self.m_full_name,
            "regions" => self.m_regions,
            "work_types" => self.m_work_types,
            "contacts" => self.m_contacts,
            _ => self.m_requisites,
        }
    }
}

impl Strings {
    /// Where an employment stands, in words.
    pub fn employment_status(&self, status: EmploymentStatus) -> &'static str {
        let s = &self.engineers.employment_statuses;
        s[match status {
            EmploymentStatus::Requested => 0,
            EmploymentStatus::Active => 1,
            EmploymentStatus::Rejected => 2,
            EmploymentStatus::Suspended => 3,
            EmploymentStatus::Removed => 4,
        }]
    }

    /// An SRO membership status.
    pub fn sro_status(&self, status: SroMemberStatus) -> &'static str {
        let s = &self.engineers.sro_statuses;
        s[match status {
            SroMemberStatus::Active => 0,
            SroMemberStatus::Suspended => 1,
            SroMemberStatus::Excluded => 2,
        }]
    }
}
