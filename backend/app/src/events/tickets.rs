//! One-use tickets for `GET /events?ticket=`: a browser's `EventSource`
//! cannot send an `Authorization` header, and an access token in a URL
//! ends up in proxy and server logs and in the browser history, valid for
//! its whole lifetime. A ticket is worth one connection, within a minute,
//! and only while the session that asked for it is alive.
//!
//! Kept in the key-value store under the SHA-256 of the ticket (so keys do
//! not reveal tickets) as `user|session|expires_at_ms`; redeeming swaps the
//! value for `used` atomically, so two connections cannot share one.

use crate::Actor;
use crate::AppError;
use crate::context::Tickets;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mezha_api_types::ErrorCode;
use mezha_api_types::events::EventTicket;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

fn key(ticket: &str) -> String {
    format!(
        "events-ticket:{}",
        URL_SAFE_NO_PAD.encode(Sha256::digest(ticket.as_bytes()))
    )
}

fn refused() -> AppError {
    AppError::new(ErrorCode::Unauthenticated, "events.ticket_invalid")
}

/// `POST /events/ticket`.
pub async fn issue(state: &Tickets, auth: &Actor) -> Result<EventTicket, AppError> {
    let mut bytes = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let ticket = URL_SAFE_NO_PAD.encode(bytes);
    let ttl = state.settings.events_ticket_ttl;
    let expires_at =
        state.clock.now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::minutes(1));
    let value = format!(
        "{}|{}|{}",
        auth.user_id,
        auth.session_id,
        expires_at.timestamp_millis()
    );
    // The key outlives the ticket a little; the expiry inside decides.
    state
        .kv
        .set(&key(&ticket), &value, ttl + Duration::from_secs(60))
        .await?;
    Ok(EventTicket {
        ticket,
        expires_in: ttl.as_secs(),
    })
}

/// The user and session a ticket was issued to, consuming it; 401 when it
/// is unknown, used, expired, or its session has ended.
pub async fn redeem(state: &Tickets, ticket: &str) -> Result<(Uuid, Uuid), AppError> {
    if ticket.is_empty() || ticket.len() > 128 {
        return Err(refused());
    }
    let key = key(ticket);
    let value = state.kv.get(&key).await?.ok_or_else(refused)?;
    if value == "used"
        || !state
            .kv
            .compare_and_swap(&key, &value, "used", Duration::from_secs(120))
            .await?
    {
        return Err(refused());
    }
    let mut parts = value.split('|');
    let (Some(user), Some(session), Some(expires), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    let (Ok(user), Ok(session), Ok(expires)) = (
        user.parse::<Uuid>(),
        session.parse::<Uuid>(),
        expires.parse::<i64>(),
    ) else {
        return Err(refused());
    };
    let now = state.clock.now();
    if now.timestamp_millis() >= expires {
        return Err(refused());
    }
    if !session_alive(state, user, session).await? {
        return Err(AppError::new(ErrorCode::SessionRevoked, "sessions.ended"));
    }
    Ok((user, session))
}

/// Whether `session` of `user` is still alive (not logged out, revoked or
/// expired).
pub async fn session_alive(state: &Tickets, user: Uuid, session: Uuid) -> Result<bool, AppError> {
    let now = state.clock.now();
    Ok(match state.sessions.get(session).await? {
        Some(loaded) => loaded.record.user_id == user && loaded.record.expires_at > now,
        None => false,
    })
}
