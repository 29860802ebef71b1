//! `/users`: accounts as moderators see and moderate them.

use crate::common::Role;
#[cfg(feature = "validate")]
use crate::limits::BLOCK_REASON_MAX_CHARS;
use crate::page::PageQuery;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::wire_enum! {
    /// What a moderator may do with an account now.
    pub enum UserAction {
        /// `POST /users/{id}/block`.
        Block => "block",
        /// `POST /users/{id}/unblock`.
        Unblock => "unblock",
    }
}

/// Who blocked an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderator {
    /// Account id.
    pub id: Uuid,
    /// Full name, or the e-mail address when there is none.
    pub name: String,
}

/// Why and since when an account is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockInfo {
    /// When it was blocked.
    pub at: DateTime<Utc>,
    /// The moderator's reason; `null` for blocks made before reasons were kept.
    pub reason: Option<String>,
    /// Who blocked it; `null` when not known (blocked before this was kept).
    pub by: Option<Moderator>,
}

/// An account in the moderators' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Account id.
    pub id: Uuid,
    /// E-mail address.
    pub email: String,
    /// Whether the e-mail address is confirmed.
    pub email_confirmed: bool,
    /// Full name.
    pub full_name: Option<String>,
    /// SNILS, formatted `NNN-NNN-NNN NN`.
    pub snils: Option<String>,
    /// INN.
    pub inn: Option<String>,
    /// Phone number in E.164.
    pub phone: Option<String>,
    /// Roles the account holds.
    pub roles: Vec<Role>,
    /// Set while the account is blocked.
    pub blocked: Option<BlockInfo>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<UserAction>,
}

crate::page::page_schema! {
    /// A page of accounts.
    UserList = Page<UserSummary> {
        items: "Accounts of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `GET /users`: accounts, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserListQuery {
    /// Text in the e-mail address or the full name (any case), or the
    /// digits of a SNILS, an INN or a phone number (separators ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only accounts holding this role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Only blocked (`true`) or only not blocked (`false`) accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}

/// `POST /users/{id}/block`: why (the body may be left out, as before
/// reasons were kept; the web app always asks for one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlockUser {
    /// The reason, shown to moderators (1–500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = BLOCK_REASON_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: Option<String>,
}
