//! Acting-role rules (docs/accounts.md, "Acting role").
//!
//! An account holds one or more roles; after login it picks the *acting*
//! role, which travels in the session and decides what the API allows.

use crate::Role;

/// Why the acting role does not permit an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthzError {
    /// The account asked to act in a role it does not hold.
    #[error("the account does not hold the role {0}")]
    RoleNotHeld(Role),
    /// The action needs another acting role.
    #[error("acting as {acting} is not allowed here; allowed: {}", join(.allowed))]
    ActingRoleNotAllowed {
        /// The session's acting role.
        acting: Role,
        /// The roles that may perform the action.
        allowed: Vec<Role>,
    },
}

/// `Ok` when `acting` is one of `allowed`.
pub fn require_acting_role(acting: Role, allowed: &[Role]) -> Result<(), AuthzError> {
    if allowed.contains(&acting) {
        Ok(())
    } else {
        Err(AuthzError::ActingRoleNotAllowed {
            acting,
            allowed: allowed.to_vec(),
        })
    }
}

/// The acting role an account asked for, when it holds it.
pub fn choose_acting_role(held: &[Role], requested: Role) -> Result<Role, AuthzError> {
    if held.contains(&requested) {
        Ok(requested)
    } else {
        Err(AuthzError::RoleNotHeld(requested))
    }
}

/// The acting role right after login: the first held role in [`Role::ALL`]
/// order (so `customer` wins when held); `None` when no role is held.
pub fn default_acting_role(held: &[Role]) -> Option<Role> {
    Role::ALL.into_iter().find(|r| held.contains(r))
}

/// Roles of a self-registered account: customer only. Other roles come from
/// the SRO registry (engineer), the employer switch, organisation invitations
/// or staff tooling.
pub fn registration_roles() -> Vec<Role> {
    vec![Role::Customer]
}

/// Role names separated by commas, or `none`.
fn join(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "none".to_owned();
    }
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_acting_role_checks_membership() {
        assert_eq!(
            require_acting_role(Role::Customer, &[Role::Customer]),
            Ok(())
        );
        assert_eq!(
            require_acting_role(Role::Engineer, &[Role::Customer, Role::Engineer]),
            Ok(())
        );
        let err =
            require_acting_role(Role::Engineer, &[Role::Customer, Role::Moderator]).unwrap_err();
        assert_eq!(
            err,
            AuthzError::ActingRoleNotAllowed {
                acting: Role::Engineer,
                allowed: vec![Role::Customer, Role::Moderator],
            }
        );
        assert_eq!(
            err.to_string(),
            "acting as engineer is not allowed here; allowed: customer, moderator"
        );
        let none = require_acting_role(Role::Customer, &[]).unwrap_err();
        assert_eq!(
            none.to_string(),
            "acting as customer is not allowed here; allowed: none"
        );
    }

    #[test]
    fn choose_acting_role_needs_the_role_held() {
        let held = [Role::Customer, Role::Engineer];
        assert_eq!(
            choose_acting_role(&held, Role::Engineer),
            Ok(Role::Engineer)
        );
        assert_eq!(
            choose_acting_role(&held, Role::Customer),
            Ok(Role::Customer)
        );
        let err = choose_acting_role(&held, Role::Moderator).unwrap_err();
        assert_eq!(err, AuthzError::RoleNotHeld(Role::Moderator));
        assert_eq!(
            err.to_string(),
            "the account does not hold the role moderator"
        );
        assert_eq!(
            choose_acting_role(&[], Role::Customer),
            Err(AuthzError::RoleNotHeld(Role::Customer))
        );
    }

    #[test]
    fn default_acting_role_follows_role_order() {
        assert_eq!(default_acting_role(&[]), None);
        assert_eq!(
            default_acting_role(&[Role::Engineer, Role::Customer]),
            Some(Role::Customer)
        );
        assert_eq!(
            default_acting_role(&[Role::Moderator, Role::OrgEmployee]),
            Some(Role::OrgEmployee)
        );
        assert_eq!(
            default_acting_role(&[Role::CaOperator]),
            Some(Role::CaOperator)
        );
        assert_eq!(default_acting_role(&Role::ALL), Some(Role::Customer));
    }

    #[test]
    fn self_registration_makes_customers() {
        assert_eq!(registration_roles(), vec![Role::Customer]);
    }

    #[test]
    fn role_is_re_exported() {
        assert_eq!(crate::Role::Customer, mezha_api_types::Role::Customer);
    }
}
