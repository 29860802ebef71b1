//! Who is acting: the account, its session and the role it acts in. The
//! edge authenticates the caller (a bearer token, a ticket) and hands the
//! use cases this plain value; a use case never sees how it was proven.

use crate::error::AppError;
use mezha_api_types::ErrorCode;
use mezha_domain::Role;
use mezha_domain::authz::{self, AuthzError};
use uuid::Uuid;

/// The authenticated caller of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// Account id.
    pub user_id: Uuid,
    /// Session id.
    pub session_id: Uuid,
    /// The acting role (one the account holds).
    pub role: Role,
}

impl Actor {
    /// `forbidden` unless the acting role is one of `allowed`.
    pub fn require(&self, allowed: &[Role]) -> Result<(), AppError> {
        authz::require_acting_role(self.role, allowed).map_err(forbidden)
    }
}

/// Maps an authorisation refusal to its problem.
pub fn forbidden(err: AuthzError) -> AppError {
    match err {
        AuthzError::RoleNotHeld(role) => AppError::new(
            ErrorCode::RoleNotHeld,
            crate::msg!("accounts.role_not_held", role = role.as_str()),
        ),
        AuthzError::ActingRoleNotAllowed { acting, allowed } => {
            let allowed: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            AppError::new(
                ErrorCode::Forbidden,
                crate::msg!(
                    "accounts.acting_role_not_allowed",
                    acting = acting.as_str(),
                    allowed = if allowed.is_empty() {
                        "none".to_owned()
                    } else {
                        allowed.join(", ")
                    },
                ),
            )
        }
    }
}

/// Facts about the client a request came from (for rate limits and the
/// sessions list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's address, as the edge determined it.
    pub ip: Option<String>,
    /// Its `User-Agent`.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The client address as a rate-limit key (`-` when unknown).
    pub fn ip_key(&self) -> &str {
        self.ip.as_deref().unwrap_or("-")
    }
}
