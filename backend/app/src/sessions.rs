//! Logging in and out: password and SMS-code logins, refresh-token
//! rotation with reuse detection, session listing, logout, acting role.

use crate::Actor;
use crate::AppError;
use crate::ClientInfo;
use crate::actor::forbidden;
use crate::context::Logins;
use crate::paging;
use crate::sms_codes;
use chrono::{DateTime, Utc};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::{OtpRequested, SessionInfo, SessionList, TokenResponse};
use mezha_api_types::me::AccessTokenResponse;
use mezha_api_types::page::PageQuery;
use mezha_domain::authz::{choose_acting_role, default_acting_role};
use mezha_domain::rate_limit::RateLimit;
use mezha_domain::session::{
    RefreshCheck, RefreshState, generate_secret, hash_secret, split_refresh_token,
};
use mezha_domain::{Email, Phone};
use mezha_store::limits::RateLimiter;
use mezha_store::paging::After;
use mezha_store::sessions::SessionRecord;
use mezha_store::users::{self, UserRecord};
use uuid::Uuid;

/// Attempts at a compare-and-swap before giving up on a hot record.
const CAS_ATTEMPTS: usize = 5;

/// Counts a hit against a rate limit; 429 with `Retry-After` when over.
pub async fn check_limit(
    limiter: &RateLimiter,
    now: DateTime<Utc>,
    name: &str,
    subject: &str,
    limit: &RateLimit,
) -> Result<(), AppError> {
    limiter
        .hit(name, subject, limit, now)
        .await?
        .map_err(|limited| {
            AppError::too_many(
                ErrorCode::RateLimited,
                limited.retry_after,
                "sessions.too_many_attempts",
            )
        })
}

fn token_type() -> String {
    "Bearer".into()
}

fn ttl_chrono(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(30))
}

pub(crate) fn admit(user: &UserRecord) -> Result<(), AppError> {
    if user.blocked_at.is_some() {
        return Err(AppError::new(
            ErrorCode::AccountBlocked,
            "sessions.account_blocked",
        ));
    }
    Ok(())
}

/// Starts a session for an admitted account and returns its tokens.
pub(crate) async fn start_session(
    state: &Logins,
    user: &UserRecord,
    method: &str,
    client: &ClientInfo,
) -> Result<TokenResponse, AppError> {
    let user = &crate::sro::on_login(state, user).await?;
    let now = state.clock.now();
    let acting_role = default_acting_role(&user.roles)
        .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "sessions.no_role_yet"))?;
    let secret = generate_secret(&mut rand::rngs::OsRng);
    let record = SessionRecord {
        id: Uuid::now_v7(),
        user_id: user.id,
        acting_role,
        method: method.to_owned(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + ttl_chrono(state.settings.session_ttl),
        user_agent: client.user_agent.clone(),
        ip: client.ip.clone(),
        refresh: RefreshState::new(hash_secret(&secret)),
    };
    state.sessions.create(&record).await?;
    tokens(state, user, &record, &secret)
}

fn tokens(
    state: &Logins,
    user: &UserRecord,
    record: &SessionRecord,
    secret: &str,
) -> Result<TokenResponse, AppError> {
    let access_token =
        state
            .jwt
            .issue(user.id, record.id, record.acting_role, state.clock.now())?;
    Ok(TokenResponse {
        access_token,
        token_type: token_type(),
        expires_in: state.jwt.ttl().as_secs(),
        refresh_token: Some(format!("{}.{secret}", record.id)),
        session_id: record.id,
        roles: user.roles.clone(),
        acting_role: record.acting_role,
    })
}

/// What the SMS codes of logins need (the SMS login's and the second
/// factor's).
pub(crate) fn codes(state: &Logins) -> sms_codes::Codes<'_> {
    sms_codes::Codes {
        otp: &state.otp,
        sms: state.sms.as_ref(),
        policy: state.settings.otp,
        now: state.clock.now(),
    }
}

/// Password login: a session, or the second step when the account asks
/// for the SMS second factor ([`crate::second_factor`]).
pub async fn login(
    state: &Logins,
    client: &ClientInfo,
    email: &str,
    password: &str,
) -> Result<crate::second_factor::LoginStep, AppError> {
    let ip = client.ip_key();
    check_limit(
        &state.limiter,
        state.clock.now(),
        "login_ip",
        ip,
        &state.settings.limits.login_per_ip,
    )
    .await?;
    let email = Email::parse(email).ok();
    let key = email
        .as_ref()
        .map_or_else(|| "-".to_owned(), |e| e.as_str().to_owned());
    // Wrong passwords (docs/accounts.md, "Rate limits"): too many for this
    // address from this client refuse that pair only; many from anywhere
    // make every login of the address wait, but never refuse its owner.
    let limits = &state.settings.limits;
    let now = state.clock.now();
    let pair = format!("{key}|{ip}");
    let pair_limit = &limits.login_failures_per_pair;
    if state
        .limiter
        .count("login_fail", &pair, pair_limit, now)
        .await?
        >= u64::from(pair_limit.max)
    {
        return Err(AppError::too_many(
            ErrorCode::RateLimited,
            pair_limit.window(now).retry_after,
            "sessions.too_many_attempts",
        ));
    }
    let slowdown = &limits.login_slowdown;
    let failures = state
        .limiter
        .peek("login_slow", &key, slowdown, now)
        .await?;
    let pause = mezha_domain::rate_limit::login_pause(failures, slowdown.max);
    if !pause.is_zero() {
        tokio::time::sleep(pause).await;
    }
    let user = match &email {
        Some(email) => users::find_by_email(&state.db, email.as_str()).await?,
        None => None,
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = state.hasher.verify(password.to_owned(), hash).await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => {
            // Counted only: the refusal and the pause come with the next try.
            let _ = state
                .limiter
                .hit("login_fail", &pair, pair_limit, now)
                .await?;
            state
                .limiter
                .tally("login_slow", &key, slowdown, now)
                .await?;
            return Err(AppError::new(
                ErrorCode::InvalidCredentials,
                "sessions.invalid_credentials",
            ));
        }
    };
    admit(&user)?;
    if user.email_confirmed_at.is_none() {
        return Err(AppError::new(
            ErrorCode::EmailNotConfirmed,
            "sessions.email_not_confirmed",
        ));
    }
    crate::second_factor::after_first_step(state, &user, "password", client).await
}

/// Sends an SMS login code. Answers the same whether or not an account
/// uses the number: for an unknown number a challenge is stored but no
/// SMS is sent, so timing rules and answers do not reveal accounts.
pub async fn request_otp(
    state: &Logins,
    client: &ClientInfo,
    phone: &str,
) -> Result<OtpRequested, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
    let phone = phone.as_str();
    let policy = state.settings.otp;
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_ip",
        client.ip_key(),
        &state.settings.limits.otp_request_per_ip,
    )
    .await?;
    let codes = codes(state);
    let previous = sms_codes::may_send(&codes, phone).await?;
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_phone",
        phone,
        &state.settings.limits.otp_request_per_phone,
    )
    .await?;
    // Only a confirmed number logs in (docs/accounts.md, "Phone").
    let user = users::find_by_phone(&state.db, phone)
        .await?
        .filter(|u| u.blocked_at.is_none() && u.phone_confirmed_at.is_some());
    sms_codes::send(
        &codes,
        phone,
        previous.as_ref(),
        user.as_ref().map(|_| phone),
        |code, minutes| {
            format!("Межа: код для входа {code}. Действует {minutes} мин. Никому его не сообщайте.")
        },
    )
    .await?;
    if let Some(user) = user {
        tracing::info!(user_id = %user.id, "sms login code sent");
    }
    Ok(OtpRequested {
        phone: phone.to_owned(),
        expires_in: policy.ttl.as_secs(),
        resend_after: policy.resend_after.as_secs(),
    })
}

/// Checks an SMS code and logs in.
pub async fn verify_otp(
    state: &Logins,
    client: &ClientInfo,
    phone: &str,
    code: &str,
) -> Result<TokenResponse, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
    let phone = phone.as_str();
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_verify_ip",
        client.ip_key(),
        &state.settings.limits.otp_verify_per_ip,
    )
    .await?;
    sms_codes::check(&codes(state), phone, code, || {
        AppError::new(ErrorCode::OtpExpired, "otp.no_code_for_phone")
    })
    .await?;
    let user = users::find_by_phone(&state.db, phone)
        .await?
        .filter(|u| u.phone_confirmed_at.is_some())
        .ok_or_else(|| AppError::new(ErrorCode::InvalidOtp, "otp.wrong_code"))?;
    admit(&user)?;
    start_session(state, &user, "sms", client).await
}

/// Rotates a refresh token. Presenting an already rotated token ends the
/// whole session (it was stolen, or replayed).
pub async fn refresh(state: &Logins, token: &str) -> Result<TokenResponse, AppError> {
    let invalid = || {
        AppError::new(
            ErrorCode::InvalidRefreshToken,
            "sessions.refresh_token_invalid",
        )
    };
    let (sid, secret) = split_refresh_token(token).ok_or_else(invalid)?;
    let sid: Uuid = sid.parse().map_err(|_| invalid())?;
    let presented = hash_secret(secret);
    for _ in 0..CAS_ATTEMPTS {
        let now = state.clock.now();
        let Some(loaded) = state.sessions.get(sid).await? else {
            return Err(invalid());
        };
        let record = &loaded.record;
        if record.expires_at <= now {
            state.sessions.delete(record.user_id, sid).await?;
            return Err(invalid());
        }
        match record
            .refresh
            .classify(&presented, now, state.settings.refresh_grace)
        {
            RefreshCheck::Unknown => return Err(invalid()),
            RefreshCheck::Superseded => {
                return Err(AppError::new(
                    ErrorCode::RefreshTokenSuperseded,
                    "sessions.refresh_token_superseded",
                ));
            }
            RefreshCheck::Reused => {
                state.sessions.delete(record.user_id, sid).await?;
                tracing::warn!(session_id = %sid, user_id = %record.user_id, "refresh token reused; session revoked");
                return Err(AppError::new(
                    ErrorCode::RefreshTokenReused,
                    "sessions.refresh_token_reused",
                ));
            }
            RefreshCheck::Current => {}
        }
        let Some(user) = users::find_by_id(&state.db, record.user_id).await? else {
            state.sessions.delete(record.user_id, sid).await?;
            return Err(invalid());
        };
        if user.blocked_at.is_some() {
            state.sessions.delete(user.id, sid).await?;
            return Err(AppError::new(
                ErrorCode::AccountBlocked,
                "sessions.account_blocked",
            ));
        }
        let secret = generate_secret(&mut rand::rngs::OsRng);
        let mut updated = record.clone();
        updated.refresh.rotate(hash_secret(&secret), now);
        updated.last_seen_at = now;
        updated.expires_at = now + ttl_chrono(state.settings.session_ttl);
        if !user.roles.contains(&updated.acting_role) {
            updated.acting_role = default_acting_role(&user.roles)
                .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "sessions.no_role"))?;
        }
        if state.sessions.replace(&loaded, &updated).await? {
            return tokens(state, &user, &updated, &secret);
        }
    }
    Err(AppError::internal(anyhow::anyhow!(
        "session record kept changing during refresh"
    )))
}

/// Ends the caller's session, or another session of the same account.
pub async fn logout(
    state: &Logins,
    auth: &Actor,
    session_id: Option<Uuid>,
) -> Result<(), AppError> {
    let target = session_id.unwrap_or(auth.session_id);
    match state.sessions.get(target).await? {
        Some(loaded) if loaded.record.user_id == auth.user_id => {
            state.sessions.delete(auth.user_id, target).await?;
            Ok(())
        }
        _ => Err(AppError::new(ErrorCode::NotFound, "sessions.not_found")),
    }
}

/// Ends every session of the caller's account.
pub async fn logout_all(state: &Logins, auth: &Actor) -> Result<(), AppError> {
    state.sessions.delete_all(auth.user_id).await?;
    Ok(())
}

/// A page of the caller's live sessions, newest first; the cursor is the
/// start and id of the last session of the page before.
pub async fn list(state: &Logins, auth: &Actor, page: &PageQuery) -> Result<SessionList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = state
        .sessions
        .page(auth.user_id, state.clock.now(), limit, after)
        .await?;
    let next_cursor = paging::next_cursor(more, &rows, |s| (s.created_at, s.id));
    let items = rows
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == auth.session_id,
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            method: s.method,
            user_agent: s.user_agent,
            ip: s.ip,
            acting_role: s.acting_role,
        })
        .collect();
    Ok(SessionList { items, next_cursor })
}

/// Switches the session's acting role; returns an access token carrying it.
pub async fn switch_role(
    state: &Logins,
    auth: &Actor,
    requested: mezha_domain::Role,
) -> Result<AccessTokenResponse, AppError> {
    let user = users::find_by_id(&state.db, auth.user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))?;
    let role = choose_acting_role(&user.roles, requested).map_err(forbidden)?;
    for _ in 0..CAS_ATTEMPTS {
        let Some(loaded) = state.sessions.get(auth.session_id).await? else {
            return Err(AppError::new(ErrorCode::SessionRevoked, "sessions.ended"));
        };
        let mut updated = loaded.record.clone();
        updated.acting_role = role;
        updated.last_seen_at = state.clock.now();
        if state.sessions.replace(&loaded, &updated).await? {
            let access_token =
                state
                    .jwt
                    .issue(user.id, auth.session_id, role, state.clock.now())?;
            return Ok(AccessTokenResponse {
                access_token,
                token_type: token_type(),
                expires_in: state.jwt.ttl().as_secs(),
                acting_role: role,
            });
        }
    }
    Err(AppError::internal(anyhow::anyhow!(
        "session record kept changing during role switch"
    )))
}
