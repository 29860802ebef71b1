//! Moderators and accounts (docs/accounts.md, "Moderation"): the user list
//! with its search, blocking with a reason and unblocking. The rules are
//! `mezha_domain::moderation`'s.

use crate::context::{Accounts, Core};
use crate::error::{AppError, body_issues};
use crate::{Actor, paging};
use mezha_api_types::users::{
    BlockInfo, BlockUser, Moderator, UserAction, UserList, UserListQuery, UserSummary,
};
use mezha_api_types::{ErrorCode, Role};
use mezha_domain::moderation::{self as rules, Refusal};
use mezha_store::users::{self, Block, UserFilter, UserRecord};
use std::collections::HashMap;
use uuid::Uuid;

fn refused(refusal: Refusal, action: UserAction) -> AppError {
    match refusal {
        Refusal::NotModerator => AppError::new(ErrorCode::Forbidden, "moderation.moderators_only"),
        Refusal::OwnAccount => AppError::new(ErrorCode::Conflict, "moderation.own_account"),
        Refusal::AlreadyThere => AppError::new(
            ErrorCode::Conflict,
            match action {
                UserAction::Block => "moderation.already_blocked",
                UserAction::Unblock => "moderation.not_blocked",
            },
        ),
    }
}

async fn target(state: &Core, id: Uuid) -> Result<UserRecord, AppError> {
    users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "moderation.no_such_account"))
}

/// Blocks an account: its sessions end at once (every replica), it cannot
/// log in; the reason and the moderator are kept for the user list.
pub async fn block(
    state: &Accounts,
    actor: &Actor,
    id: Uuid,
    body: BlockUser,
) -> Result<(), AppError> {
    actor.require(&[Role::Moderator])?;
    let issues = body_issues(&body);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let user = target(state, id).await?;
    rules::check(
        actor.user_id,
        actor.role,
        id,
        user.blocked_at.is_some(),
        UserAction::Block,
    )
    .map_err(|r| refused(r, UserAction::Block))?;
    let now = state.clock.now();
    let block = Block {
        at: now,
        reason: body
            .reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
        by: actor.user_id,
    };
    users::set_blocked(&state.db, id, Some(block), now).await?;
    state.sessions.delete_all(id).await?;
    Ok(())
}

/// Unblocks an account.
pub async fn unblock(state: &Accounts, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require(&[Role::Moderator])?;
    let user = target(state, id).await?;
    rules::check(
        actor.user_id,
        actor.role,
        id,
        user.blocked_at.is_some(),
        UserAction::Unblock,
    )
    .map_err(|r| refused(r, UserAction::Unblock))?;
    users::set_blocked(&state.db, id, None, state.clock.now()).await?;
    Ok(())
}

/// Accounts, newest first, found by e-mail, name, SNILS, INN or phone,
/// by role and by whether they are blocked (moderators).
pub async fn list(state: &Core, actor: &Actor, q: &UserListQuery) -> Result<UserList, AppError> {
    actor.require(&[Role::Moderator])?;
    let limit = paging::limit(&q.page)?;
    let after = paging::decode(q.page.cursor.as_deref())?;
    let filter = UserFilter {
        text: q.q.clone(),
        role: q.role,
        blocked: q.blocked,
    };
    let (rows, more) = users::list(&state.db, &filter, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |u| (u.created_at, u.id));
    let mut moderators: HashMap<Uuid, Moderator> = HashMap::new();
    for id in rows.iter().filter_map(|u| u.blocked_by) {
        if let std::collections::hash_map::Entry::Vacant(slot) = moderators.entry(id)
            && let Some(m) = users::find_by_id(&state.db, id).await?
        {
            slot.insert(Moderator {
                id,
                name: m.full_name.unwrap_or(m.email),
            });
        }
    }
    let items = rows
        .into_iter()
        .map(|u| summary(actor, u, &moderators))
        .collect();
    Ok(UserList { items, next_cursor })
}

fn summary(actor: &Actor, user: UserRecord, moderators: &HashMap<Uuid, Moderator>) -> UserSummary {
    let blocked = user.blocked_at.map(|at| BlockInfo {
        at,
        reason: user.blocked_reason.clone(),
        by: user.blocked_by.and_then(|id| moderators.get(&id).cloned()),
    });
    UserSummary {
        allowed_actions: rules::actions(actor.user_id, actor.role, user.id, blocked.is_some()),
        id: user.id,
        snils: crate::accounts::formatted_snils(user.snils.as_deref()),
        email: user.email,
        email_confirmed: user.email_confirmed_at.is_some(),
        full_name: user.full_name,
        inn: user.inn,
        phone: user.phone,
        roles: user.roles,
        blocked,
        created_at: user.created_at,
    }
}
