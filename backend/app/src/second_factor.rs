//! The optional SMS second factor (docs/accounts.md, "Phone and the second
//! factor"): an account that switched it on gets no session from its
//! password or certificate alone, but a ticket, and an SMS code to its
//! confirmed phone; the ticket and the code together start the session.
//! The code follows the SMS login's rules ([`crate::sms_codes`]); a ticket
//! lives as long as a code and dies with the last wrong attempt. A lost
//! phone is recovered through the e-mail
//! ([`crate::accounts::request_second_factor_recovery`]).

use crate::context::Logins;
use crate::sessions::{admit, check_limit, codes, start_session};
use crate::sms_codes;
use crate::{AppError, ClientInfo};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::{SecondFactorRequired, TokenResponse};
use mezha_domain::session::{generate_secret, hash_secret};
use mezha_store::users::{self, UserRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a login answers: a session, or the second step.
#[derive(Debug)]
pub enum LoginStep {
    /// Logged in.
    Tokens(Box<TokenResponse>),
    /// An SMS code is on its way: send it with the ticket.
    SecondFactor(SecondFactorRequired),
}

/// A ticket's record: whose login, by what first step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Ticket {
    pub user_id: Uuid,
    pub method: String,
}

/// Where a ticket (by its hash) and its code are kept.
fn key(ticket: &str) -> String {
    format!("second-factor:{}", hash_secret(ticket))
}

fn ticket_ttl(state: &Logins) -> std::time::Duration {
    state.settings.otp.ttl
}

fn gone() -> AppError {
    AppError::new(ErrorCode::OtpExpired, "second_factor.ticket_gone")
}

/// The ticket's record, if it is still alive.
pub(crate) async fn ticket(state: &Logins, ticket: &str) -> Result<Option<Ticket>, AppError> {
    match state.kv.get(&key(ticket.trim())).await? {
        Some(raw) => Ok(serde_json::from_str(&raw).ok()),
        None => Ok(None),
    }
}

async fn send_code(
    state: &Logins,
    ticket: &str,
    user: &UserRecord,
    previous: Option<&mezha_store::otp::LoadedChallenge>,
) -> Result<SecondFactorRequired, AppError> {
    let phone = user
        .phone
        .as_deref()
        .filter(|_| user.phone_confirmed_at.is_some())
        .ok_or_else(gone)?;
    sms_codes::send(
        &codes(state),
        &key(ticket),
        previous,
        Some(phone),
        |code, minutes| {
            format!("Межа: код для входа {code}. Действует {minutes} мин. Никому его не сообщайте.")
        },
    )
    .await?;
    let policy = state.settings.otp;
    Ok(SecondFactorRequired {
        ticket: ticket.to_owned(),
        phone: mezha_domain::certificates::owner::masked_phone(phone),
        expires_in: policy.ttl.as_secs(),
        resend_after: policy.resend_after.as_secs(),
    })
}

/// After a first step (`method`: `password`, `certificate`) proved `user`:
/// his session, or — with the second factor on and a confirmed phone — a
/// ticket and a code sent to the phone.
pub async fn after_first_step(
    state: &Logins,
    user: &UserRecord,
    method: &str,
    client: &ClientInfo,
) -> Result<LoginStep, AppError> {
    let confirmed = user.phone.is_some() && user.phone_confirmed_at.is_some();
    if !(user.second_factor_sms && confirmed) {
        let tokens = start_session(state, user, method, client).await?;
        return Ok(LoginStep::Tokens(Box::new(tokens)));
    }
    let ticket = generate_secret(&mut rand::rngs::OsRng);
    let record = serde_json::to_string(&Ticket {
        user_id: user.id,
        method: method.to_owned(),
    })
    .map_err(AppError::internal)?;
    state
        .kv
        .set(&key(&ticket), &record, ticket_ttl(state))
        .await?;
    let required = send_code(state, &ticket, user, None).await?;
    tracing::info!(user_id = %user.id, method, "second factor asked");
    Ok(LoginStep::SecondFactor(required))
}

/// Sends a new code for a living ticket (after the resend pause).
pub async fn resend(state: &Logins, ticket_text: &str) -> Result<SecondFactorRequired, AppError> {
    let ticket_text = ticket_text.trim();
    let found = ticket(state, ticket_text).await?.ok_or_else(gone)?;
    let previous = sms_codes::may_send(&codes(state), &key(ticket_text)).await?;
    let user = users::find_by_id(&state.db, found.user_id)
        .await?
        .ok_or_else(gone)?;
    let required = send_code(state, ticket_text, &user, previous.as_ref()).await?;
    // The ticket lives as long as its newest code.
    let record = serde_json::to_string(&found).map_err(AppError::internal)?;
    state
        .kv
        .set(&key(ticket_text), &record, ticket_ttl(state))
        .await?;
    Ok(required)
}

/// The second step: the ticket and the SMS code start the session. The
/// last wrong code ends the ticket (log in again).
pub async fn verify(
    state: &Logins,
    client: &ClientInfo,
    ticket_text: &str,
    code: &str,
) -> Result<TokenResponse, AppError> {
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_verify_ip",
        client.ip_key(),
        &state.settings.limits.otp_verify_per_ip,
    )
    .await?;
    let ticket_text = ticket_text.trim();
    let found = ticket(state, ticket_text).await?.ok_or_else(gone)?;
    let checked = sms_codes::check(&codes(state), &key(ticket_text), code, gone).await;
    if let Err(err) = checked {
        if err.code() == ErrorCode::OtpAttemptsExceeded {
            state.kv.del(&key(ticket_text)).await?;
        }
        return Err(err);
    }
    state.kv.del(&key(ticket_text)).await?;
    let user = users::find_by_id(&state.db, found.user_id)
        .await?
        .ok_or_else(gone)?;
    admit(&user)?;
    start_session(state, &user, &found.method, client).await
}

/// Ends a ticket (its recovery mail went out).
pub(crate) async fn end(state: &Logins, ticket_text: &str) -> Result<(), AppError> {
    state.kv.del(&key(ticket_text.trim())).await?;
    Ok(())
}
