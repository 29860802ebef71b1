//! What a moderator may do with an account (docs/accounts.md,
//! "Moderation"): block one that is not blocked, unblock one that is;
//! never block himself (a blocked moderator could not undo it).

use crate::Role;
use mezha_api_types::users::UserAction;
use uuid::Uuid;

/// Why a moderation action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller is not acting as a moderator.
    NotModerator,
    /// A moderator may not block himself.
    OwnAccount,
    /// The account is already in the state the action would put it in.
    AlreadyThere,
}

/// The actions `caller`, acting in `role`, may take on the account
/// `target` that is (`blocked`) or is not blocked.
pub fn actions(caller: Uuid, role: Role, target: Uuid, blocked: bool) -> Vec<UserAction> {
    UserAction::ALL
        .iter()
        .copied()
        .filter(|a| check(caller, role, target, blocked, *a).is_ok())
        .collect()
}

/// Whether `action` is allowed, and why not.
pub fn check(
    caller: Uuid,
    role: Role,
    target: Uuid,
    blocked: bool,
    action: UserAction,
) -> Result<(), Refusal> {
    if role != Role::Moderator {
        return Err(Refusal::NotModerator);
    }
    match action {
        UserAction::Block if caller == target => Err(Refusal::OwnAccount),
        UserAction::Block if blocked => Err(Refusal::AlreadyThere),
        UserAction::Unblock if !blocked => Err(Refusal::AlreadyThere),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_what_is_not_blocked_unblock_what_is_never_oneself() {
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let m = Role::Moderator;
        assert_eq!(actions(me, m, other, false), [UserAction::Block]);
        assert_eq!(actions(me, m, other, true), [UserAction::Unblock]);
        assert_eq!(actions(me, m, me, false), Vec::<UserAction>::new());
        assert_eq!(
            check(me, m, me, false, UserAction::Block),
            Err(Refusal::OwnAccount)
        );
        assert_eq!(
            check(me, m, other, true, UserAction::Block),
            Err(Refusal::AlreadyThere)
        );
        for role in Role::ALL.iter().copied().filter(|r| *r != Role::Moderator) {
            assert!(actions(me, role, other, false).is_empty(), "{role:?}");
            assert_eq!(
                check(me, role, other, true, UserAction::Unblock),
                Err(Refusal::NotModerator)
            );
        }
    }
}
