//! The catalogue's part for organisations (docs/organisations.md): the
//! organisation's page (registration, the offer and its signature,
//! requisites, settings), its employees and invitations, the audit log,
//! the invitation link's page, and the names of the API's statuses,
//! rights and audit kinds.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use mezha_api_types::organisations::{
    AuditKind, InvitationStatus, MemberRole, MemberStatus, OrgRight, OrganisationStatus,
};

/// Strings of the organisation screens.
pub struct OrgStrings {
    // menu and the organisation's page
    pub nav: &'static str,
    pub title: &'static str,
    pub choose: &'static str,
    pub register_title: &'static str,
    pub register_hint: &'static str,
    pub full_name: &'static str,
    pub short_name: &'static str,
    pub inn: &'static str,
    pub inn_hint: &'static str,
    pub kpp: &'static str,
    pub kpp_hint: &'static str,
    pub ogrn: &'static str,
    pub ogrn_hint: &'static str,
    pub address: &'static str,
    pub head_name: &'static str,
    pub head_position: &'static str,
    pub head_position_hint: &'static str,
    pub register_submit: &'static str,
    pub unconfirmed_hint: &'static str,
    pub offer_title: &'static str,
    pub offer_edition: &'static str,
    pub offer_download: &'static str,
    pub sign_title: &'static str,
    pub sign_hint: &'static str,
    pub signature_file: &'static str,
    pub upload_signature: &'static str,
    pub report: &'static str,
    pub confirmed_now: &'static str,
    pub requisites: &'static str,
    pub head: &'static str,
    pub registered_at: &'static str,
    pub confirmed_at: &'static str,
    pub my_role: &'static str,
    pub my_rights: &'static str,
    pub my_status: &'static str,
    pub pending_hint: &'static str,
    pub deactivated_hint: &'static str,
    pub no_rights: &'static str,
    pub role_admin: &'static str,
    pub role_employee: &'static str,
    pub settings_title: &'static str,
    pub auto_pay_state_fee: &'static str,
    pub notify_by_email: &'static str,
    pub notify_by_sms: &'static str,
    pub settings_save: &'static str,
    pub settings_saved: &'static str,
    pub employees_link: &'static str,
    pub audit_link: &'static str,
    /// Above the role switch: the organisation works in its own role.
    pub switch_hint: &'static str,
    /// A page of the admin without an organisation he manages.
    pub none_managed: &'static str,
    pub to_organisation: &'static str,

    // employees
    pub employees_title: &'static str,
    pub invite_title: &'static str,
    pub invite_email: &'static str,
    pub invite_hint: &'static str,
    pub invite_submit: &'static str,
    pub invited: &'static str,
    pub invitations_title: &'static str,
    pub invitations_empty: &'static str,
    pub sent_at: &'static str,
    pub valid_until: &'static str,
    pub members_title: &'static str,
    pub members_empty: &'static str,
    pub joined_at: &'static str,
    pub activated_at: &'static str,
    pub deactivated_at: &'static str,
    pub activate: &'static str,
    pub deactivate: &'static str,
    pub rights: &'static str,
    pub admin_rights: &'static str,
    pub save_rights: &'static str,
    pub rights_saved: &'static str,
    /// `{}`: the member's status now.
    pub member_now: &'static str,

    // audit log
    pub audit_title: &'static str,
    pub audit_empty: &'static str,
    pub load_more: &'static str,
    pub by: &'static str,
    pub whom: &'static str,
    pub client: &'static str,
    pub platform: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub nothing: &'static str,
    pub yes: &'static str,
    pub no: &'static str,

    // the invitation link's page
    pub inv_title: &'static str,
    pub inv_invites: &'static str,
    pub inv_for: &'static str,
    pub inv_no_token: &'static str,
    pub inv_invalid_title: &'static str,
    pub inv_invalid_text: &'static str,
    pub inv_has_account: &'static str,
    pub inv_log_in: &'static str,
    pub inv_accept: &'static str,
    /// `{}`: the address the caller is signed in with.
    pub inv_other_account: &'static str,
    pub inv_switch_account: &'static str,
    pub inv_register_title: &'static str,
    pub inv_register_hint: &'static str,
    pub inv_send_code: &'static str,
    pub inv_done_title: &'static str,
    pub inv_done_text: &'static str,
    pub inv_done_login: &'static str,

    /// Names of the statuses, roles, rights and audit kinds, in the
    /// order of each enum's `ALL`.
    pub org_statuses: [&'static str; OrganisationStatus::ALL.len()],
    pub member_statuses: [&'static str; MemberStatus::ALL.len()],
    pub invitation_statuses: [&'static str; InvitationStatus::ALL.len()],
    pub right_names: [&'static str; OrgRight::ALL.len()],
    pub audit_kinds: [&'static str; AuditKind::ALL.len()],
    /// The settings' names in the audit log, in the order of the fields
    /// of `OrganisationSettings`.
    pub setting_names: [&'static str; 3],
}

/// The name at the position of `value` in `all`.
fn name<T: PartialEq + Copy>(all: &[T], names: &[&'static str], value: T) -> &'static str {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}

impl OrgStrings {
    pub fn org_status(&self, s: OrganisationStatus) -> &'static str {
        name(OrganisationStatus::ALL, &self.org_statuses, s)
    }

    pub fn member_status(&self, s: MemberStatus) -> &'static str {
        name(MemberStatus::ALL, &self.member_statuses, s)
    }

    pub fn invitation_status(&self, s: InvitationStatus) -> &'static str {
        name(InvitationStatus::ALL, &self.invitation_statuses, s)
    }

    pub fn right(&self, r: OrgRight) -> &'static str {
        name(OrgRight::ALL, &self.right_names, r)
    }

    pub fn audit_kind(&self, k: AuditKind) -> &'static str {
        name(AuditKind::ALL, &self.audit_kinds, k)
    }

    pub fn role(&self, r: MemberRole) -> &'static str {
        match r {
            MemberRole::Admin => self.role_admin,
            MemberRole::Employee => self.role_employee,
        }
    }

    /// A setting's name by its wire name (the audit log's `details`).
    pub fn setting(&self, key: &str) -> Option<&'static str> {
        let i = [
            "auto_pay_state_fee",
            "notify_employees_by_email",
            "notify_employees_by_sms",
        ]
        .iter()
        .position(|k| *k == key)?;
        self.setting_names.get(i).copied()
    }
}
