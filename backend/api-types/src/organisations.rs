//! Organisations (docs/organisations.md): a legal entity registered by its
//! head and confirmed by his signature of the platform offer, its members
//! with their rights, the invitations that bring employees in, its settings
//! and the audit log of every membership and rights change.

use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest full name of an organisation.
pub const ORG_FULL_NAME_MAX_CHARS: u64 = 500;
/// Longest short name of an organisation.
pub const ORG_SHORT_NAME_MAX_CHARS: u64 = 200;
/// Longest address.
pub const ORG_ADDRESS_MAX_CHARS: u64 = 500;
/// Longest name or position of the head.
pub const ORG_HEAD_MAX_CHARS: u64 = 300;

wire_enum! {
    /// Where an organisation stands (docs/organisations.md, "Confirmation").
    pub enum OrganisationStatus {
        /// Registered; its head has not signed the platform offer yet. It can
        /// do nothing else.
        Unconfirmed => "unconfirmed",
        /// The head signed the offer: the organisation works.
        Confirmed => "confirmed",
    }
}

wire_enum! {
    /// A right an organisation's admin grants to an employee
    /// (docs/organisations.md, "Rights"). The admin holds every right.
    pub enum OrgRight {
        /// Create deals and collect their data.
        CreateDeals => "create_deals",
        /// Sign on behalf of the organisation (with a power of attorney).
        SignOnBehalf => "sign_on_behalf",
        /// Send deals to the state registry.
        SendToRegistry => "send_to_registry",
        /// See every deal of the organisation, not only his own.
        SeeAllDeals => "see_all_deals",
        /// Add, edit and read the client base.
        ManageClients => "manage_clients",
        /// File certificate applications as the organisation's CA agent.
        CaAgent => "ca_agent",
    }
}

wire_enum! {
    /// A member's place in the organisation.
    pub enum MemberRole {
        /// The head who registered it (`org_admin`): members, rights, settings.
        Admin => "admin",
        /// An employee (`org_employee`) with the rights the admin granted.
        Employee => "employee",
    }
}

wire_enum! {
    /// Where a membership stands (docs/organisations.md, "Employees").
    pub enum MemberStatus {
        /// Accepted the invitation; waits for the admin to activate him.
        Pending => "pending",
        /// Works with the rights granted.
        Active => "active",
        /// Deactivated by the admin: his sessions ended, his history stays.
        Deactivated => "deactivated",
    }
}

wire_enum! {
    /// Something the caller may do with an organisation now.
    pub enum OrganisationAction {
        /// Sign the platform offer (the head of an unconfirmed organisation).
        SignOffer => "sign_offer",
        /// Invite employees by e-mail.
        Invite => "invite",
        /// Activate, deactivate members and set their rights.
        ManageMembers => "manage_members",
        /// Change the settings.
        EditSettings => "edit_settings",
        /// Read the audit log.
        ViewAudit => "view_audit",
        /// Work with the client base.
        ManageClients => "manage_clients",
    }
}

wire_enum! {
    /// Something the admin may do with a member now.
    pub enum MemberAction {
        /// Let a pending or deactivated member work.
        Activate => "activate",
        /// Stop an active or pending member (his sessions end at once).
        Deactivate => "deactivate",
        /// Replace the member's rights.
        SetRights => "set_rights",
    }
}

wire_enum! {
    /// Where an invitation stands.
    pub enum InvitationStatus {
        /// Sent; its link works until it expires.
        Pending => "pending",
        /// Used: the invitee is a member (pending activation).
        Accepted => "accepted",
        /// The link's time ran out unused.
        Expired => "expired",
    }
}

wire_enum! {
    /// What an audit log entry records.
    pub enum AuditKind {
        /// The organisation was registered.
        Registered => "registered",
        /// The head signed the offer: the organisation is confirmed.
        Confirmed => "confirmed",
        /// An employee was invited by e-mail.
        Invited => "invited",
        /// An invitation was accepted (the member waits for activation).
        Joined => "joined",
        /// A member was activated.
        Activated => "activated",
        /// A member was deactivated.
        Deactivated => "deactivated",
        /// A member's rights were changed (`details` has before and after).
        RightsChanged => "rights_changed",
        /// The settings were changed (`details` has before and after).
        SettingsChanged => "settings_changed",
        /// A client's data, passport included, was read (`details` names him).
        ClientRead => "client_read",
        /// A client's data was requested by e-mail (`details` has the address).
        ClientRequested => "client_requested",
        /// A client was added: by hand, or from a request (`details` names him).
        ClientAdded => "client_added",
        /// A power of attorney was uploaded (`details` has its number and
        /// representative).
        PoaUploaded => "poa_uploaded",
        /// The head's signature of a power of attorney was accepted: it is
        /// active.
        PoaSigned => "poa_signed",
        /// A power of attorney was revoked (`details` has the reason).
        PoaRevoked => "poa_revoked",
    }
}

/// `POST /organisations`: register a legal entity (the caller is its head).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Общество с ограниченной ответственностью «Агентство недвижимости „Квартал“»",
    "short_name": "ООО «АН „Квартал“»", "inn": "7707083893", "kpp": "770701001",
    "ogrn": "1027700132195", "address": "г. Москва, ул. Тверская, д. 1",
    "head_name": "Сидоров Алексей Петрович", "head_position": "Генеральный директор"
})))]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// Full name as in the state register (ЕГРЮЛ).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORG_FULL_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub full_name: String,
    /// Short name.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORG_SHORT_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub short_name: String,
    /// INN of the legal entity: 10 digits with the check digit.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: String,
    /// KPP: 9 characters (4 digits, 2 digits or capital Latin letters, 3 digits).
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub kpp: String,
    /// OGRN: 13 digits with the check digit.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub ogrn: String,
    /// Legal address.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORG_ADDRESS_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub address: String,
    /// The head's full name (ФИО).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORG_HEAD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub head_name: String,
    /// The head's position.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORG_HEAD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub head_position: String,
}

/// An organisation's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "auto_pay_state_fee": false, "notify_employees_by_email": true, "notify_employees_by_sms": false
})))]
#[serde(deny_unknown_fields)]
pub struct OrganisationSettings {
    /// Pay the state fee of a deal automatically, without showing its UIN.
    pub auto_pay_state_fee: bool,
    /// New members are told of their deals' events by e-mail.
    pub notify_employees_by_email: bool,
    /// New members are told of their deals' events by SMS.
    pub notify_employees_by_sms: bool,
}

impl Default for OrganisationSettings {
    fn default() -> Self {
        OrganisationSettings {
            auto_pay_state_fee: false,
            notify_employees_by_email: true,
            notify_employees_by_sms: false,
        }
    }
}

/// An organisation as its members see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    /// Its id.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Short name.
    pub short_name: String,
    /// INN (10 digits).
    pub inn: String,
    /// KPP.
    pub kpp: String,
    /// OGRN (13 digits).
    pub ogrn: String,
    /// Legal address.
    pub address: String,
    /// The head's full name.
    pub head_name: String,
    /// The head's position.
    pub head_position: String,
    /// The head's account (the admin).
    pub head_id: Uuid,
    /// Confirmed by the offer signature or not yet.
    pub status: OrganisationStatus,
    /// When the head signed the offer.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Its settings.
    pub settings: OrganisationSettings,
    /// The caller's place in it.
    pub my_role: MemberRole,
    /// The caller's membership status.
    pub my_status: MemberStatus,
    /// The rights the caller holds in it (every right for the admin).
    pub my_rights: Vec<OrgRight>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<OrganisationAction>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

/// `GET /organisations`: the organisations the caller belongs to, in any
/// membership status (`my_status`; only an active member may act).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationList {
    /// The caller's organisations, oldest membership first.
    pub organisations: Vec<Organisation>,
}

/// `GET /organisations/{id}/offer`: the platform offer the head signs,
/// filled in with the organisation's requisites. The signature is a
/// detached CMS over the UTF-8 bytes of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    /// Edition of the offer's text.
    pub edition: String,
    /// The text to sign (its UTF-8 bytes are what the signature covers).
    pub text: String,
    /// SHA-256 of those bytes, lower-case hex.
    pub sha256: String,
}

/// `POST /organisations/{id}/confirm`: the head's detached CMS signature
/// of the offer's bytes, base64 DER or PEM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmOrganisation {
    /// The signature (base64 of DER, or PEM).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = crate::contracts::SIGNATURE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60000))]
    pub signature: String,
}

/// `PUT /organisations/{id}/settings`.
pub type UpdateOrganisationSettings = OrganisationSettings;

/// A member of an organisation as its admin sees him.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    /// The member's account.
    pub user_id: Uuid,
    /// Full name.
    pub full_name: Option<String>,
    /// E-mail.
    pub email: String,
    /// Confirmed phone.
    pub phone: Option<String>,
    /// Admin or employee.
    pub role: MemberRole,
    /// Where the membership stands.
    pub status: MemberStatus,
    /// Rights granted (every right for the admin).
    pub rights: Vec<OrgRight>,
    /// When he joined.
    pub joined_at: DateTime<Utc>,
    /// When he was last activated.
    pub activated_at: Option<DateTime<Utc>>,
    /// When he was deactivated (while deactivated).
    pub deactivated_at: Option<DateTime<Utc>>,
    /// What the caller may do with this member now.
    pub allowed_actions: Vec<MemberAction>,
}

crate::page::page_schema! {
    /// A page of members.
    MemberList = Page<Member> {
        items: "Members of this page, in the order they joined.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `PUT /organisations/{id}/members/{user_id}/rights`: the member's rights
/// (replacing what he had).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"rights": ["create_deals", "manage_clients"]})))]
#[serde(deny_unknown_fields)]
pub struct MemberRights {
    /// The rights, each at most once.
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub rights: Vec<OrgRight>,
}

/// `POST /organisations/{id}/invitations`: invite an employee by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "manager@kvartal.example"})))]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// Where the invitation link goes.
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
}

/// An invitation as the admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// Its id.
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// Where the link was sent.
    pub email: String,
    /// Where it stands.
    pub status: InvitationStatus,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
    /// Who accepted it.
    pub accepted_by: Option<Uuid>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of invitations.
    InvitationList = Page<Invitation> {
        items: "Invitations of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// Longest invitation token.
pub const INVITATION_TOKEN_MAX_CHARS: u64 = 128;

/// `POST /invitations/preview`: the token of an invitation link (the
/// secret stays out of URLs and logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationToken {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = INVITATION_TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
}

/// `POST /invitations/preview`: what the link invites to, for the page the
/// invitee opens (no account needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    /// The organisation's short name.
    pub organisation: String,
    /// Its full name.
    pub full_name: String,
    /// Its legal address.
    pub address: String,
    /// Its INN.
    pub inn: String,
    /// The address the invitation was sent to (the account's e-mail).
    pub email: String,
    /// Whether an account with this e-mail exists: log in and accept, or
    /// register here.
    pub account_exists: bool,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
}

/// `POST /invitations/phone-code`: text a code to the phone the new
/// account will have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationPhone {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = INVITATION_TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    /// The phone number.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: String,
}

/// `POST /invitations/accept`. With a session (the account whose e-mail
/// was invited) only the token is needed; without one it registers the
/// account: name, password, and the phone with the code texted to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = INVITATION_TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    /// Full name of the new account.
    #[cfg_attr(feature = "validate", validate(length(max = 300)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    #[serde(default)]
    pub full_name: Option<String>,
    /// Password of the new account.
    #[cfg_attr(feature = "validate", validate(length(max = 1024)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    #[serde(default)]
    pub password: Option<String>,
    /// Phone of the new account.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    #[serde(default)]
    pub phone: Option<String>,
    /// The code texted to that phone.
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    #[serde(default)]
    pub code: Option<String>,
}

/// The answer of `POST /invitations/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationAccepted {
    /// The organisation joined.
    pub organisation_id: Uuid,
    /// The member's account (new or existing).
    pub user_id: Uuid,
    /// `pending`: the admin activates him next.
    pub status: MemberStatus,
}

/// One entry of an organisation's audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its id.
    pub id: Uuid,
    /// What happened.
    pub kind: AuditKind,
    /// Who did it (`null` for the platform).
    pub actor_id: Option<Uuid>,
    /// His name then.
    pub actor_name: Option<String>,
    /// Whom it concerns (a member), if anyone.
    pub subject_id: Option<Uuid>,
    /// That member's name.
    pub subject_name: Option<String>,
    /// What changed (e.g. `{"before": [...], "after": [...]}`, the invited e-mail).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of the audit log.
    AuditLog = Page<AuditEntry> {
        items: "Entries of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}
