//! Accounts: registration, e-mail confirmation, password reset, profile,
//! staff accounts, blocking; the phone and the second factor in [`phone`].

pub(crate) mod phone;
pub use phone::*;

use crate::context::Accounts;
use crate::error::{AppError, FieldIssues, body_issues, push_issue};
use crate::messaging::Mail;
use crate::passwords::PasswordHasher;
use crate::sessions::check_limit;
use crate::{Actor, ClientInfo};
use chrono::{DateTime, Utc};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::{RegisterRequest, RegisterResponse};
use mezha_api_types::me::{Me, UpdateMe};
use mezha_domain::authz::registration_roles;
use mezha_domain::session::{generate_secret, hash_secret};
use mezha_domain::{Email, FullName, Inn, NewPassword, Phone, Role, Snils};
use mezha_store::tokens::{self, Purpose};
use mezha_store::users::{self, NewUser, ProfileChanges, UserRecord};
use mezha_store::{DatabaseConnection, StoreError};
use uuid::Uuid;

/// What a registration did. Both are answered alike (docs/accounts.md,
/// "Registration and passwords"): whether an address has an account is
/// not told to whoever types it.
#[derive(Debug)]
pub enum Registered {
    /// A new account, its confirmation link on its way.
    New(Box<UserRecord>),
    /// The address already has an account: its owner is told by e-mail.
    Taken {
        /// The address as normalised.
        email: String,
        /// The id answered, which belongs to no account.
        answered_id: Uuid,
    },
}

impl Registered {
    /// The taken address `email`, answered like a new account.
    fn taken(email: &Email) -> Self {
        Self::Taken {
            email: email.as_str().to_owned(),
            answered_id: Uuid::now_v7(),
        }
    }

    /// The answer: alike for a new account and a taken address.
    pub fn answer(&self) -> RegisterResponse {
        let (user_id, email) = match self {
            Self::New(user) => (user.id, user.email.clone()),
            Self::Taken { email, answered_id } => (*answered_id, email.clone()),
        };
        RegisterResponse {
            user_id,
            email,
            email_confirmed: false,
        }
    }
}

/// The answer to a registration whose request created account `id` and
/// stopped before it could answer (an `Idempotency-Key` retry).
pub async fn registered(state: &Accounts, id: Uuid) -> Result<RegisterResponse, AppError> {
    let user = users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))?;
    Ok(RegisterResponse {
        user_id: user.id,
        email: user.email,
        email_confirmed: user.email_confirmed_at.is_some(),
    })
}

/// Runs `mail` after the answer, so that the answer takes as long whether
/// or not a mail goes out; a failure is logged (the person asks again).
fn in_background(
    what: &'static str,
    mail: impl Future<Output = Result<(), AppError>> + Send + 'static,
) {
    tokio::spawn(async move {
        if let Err(e) = mail.await {
            tracing::warn!(error = ?e, "{what} not sent");
        }
    });
}

/// Registers an account (role `customer`) and mails the confirmation link;
/// an address that has an account gets a notice instead.
/// Every bad field is named at once: the body's own bounds
/// ([`body_issues`]) with the address, password and name rules.
pub async fn register(
    state: &Accounts,
    client: &ClientInfo,
    input: &RegisterRequest,
) -> Result<Registered, AppError> {
    let now = state.clock.now();
    check_limit(
        &state.limiter,
        state.clock.now(),
        "register_ip",
        client.ip_key(),
        &state.settings.limits.register_per_ip,
    )
    .await?;
    let mut errors = body_issues(input);
    let unchecked = |errors: &FieldIssues, field: &str| !errors.contains_key(field);
    let email = unchecked(&errors, "email")
        .then(|| Email::parse(&input.email))
        .and_then(|parsed| parsed.map_err(|e| push_issue(&mut errors, "email", e)).ok());
    let password = unchecked(&errors, "password")
        .then(|| NewPassword::parse(&input.password))
        .and_then(|parsed| {
            parsed
                .map_err(|e| push_issue(&mut errors, "password", e))
                .ok()
        });
    let full_name = match input.full_name.as_deref().map(FullName::parse) {
        _ if !unchecked(&errors, "full_name") => None,
        Some(Ok(name)) => Some(name.as_str().to_owned()),
        Some(Err(e)) => {
            push_issue(&mut errors, "full_name", e);
            None
        }
        None => None,
    };
    let (Some(email), Some(password)) = (email, password) else {
        return Err(AppError::validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    // Hashed whether or not the address is taken, so that both answers
    // take as long.
    let hash = state.hasher.hash(password.expose().to_owned()).await?;
    if let Some(owner) = users::find_by_email(&state.db, email.as_str()).await? {
        let state = state.clone();
        in_background("registration notice", async move {
            send_taken_notice(&state, &owner, now).await
        });
        return Ok(Registered::taken(&email));
    }
    let user = users::create(
        &state.db,
        NewUser {
            email: email.as_str().to_owned(),
            password_hash: Some(hash),
            full_name,
            email_confirmed: false,
            roles: registration_roles(),
        },
        now,
    )
    .await
    .map_err(|e| match e {
        // Registered a moment ago by a concurrent request: answered alike.
        StoreError::Duplicate("email") => None,
        other => Some(other),
    });
    let user = match user {
        Ok(user) => user,
        Err(None) => return Ok(Registered::taken(&email)),
        Err(Some(e)) => return Err(e.into()),
    };
    let (background, record) = (state.clone(), user.clone());
    in_background("confirmation link", async move {
        send_confirmation(&background, &record, now).await
    });
    Ok(Registered::New(Box::new(user)))
}

/// Tells the owner of an address that someone tried to register it.
async fn send_taken_notice(
    state: &Accounts,
    owner: &UserRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !recipient_may_get_mail(state, &owner.email, now).await? {
        return Ok(());
    }
    let base = state.settings.public_url.trim_end_matches('/');
    let body = format!(
        "Здравствуйте!\n\nКто-то (возможно, вы) пытался зарегистрироваться в Меже с этим адресом, \
         но у вас уже есть учётная запись. Войдите: {base}/login — если забыли пароль, \
         нажмите там «Забыли пароль?».\n\
         Если это были не вы, просто удалите это письмо.\n\n\
         Someone (perhaps you) tried to register a Mezha account with this address, which already \
         has one. Log in at the link above; if you forgot the password, choose \"Forgot your password?\" there.\n"
    );
    state
        .mailer
        .send(Mail {
            to: owner.email.clone(),
            subject: "Межа: попытка регистрации / Mezha: registration attempt".into(),
            body,
            html: None,
        })
        .await?;
    Ok(())
}

/// Whether `address` may get one more link or notice now (at most
/// `email_per_recipient` an hour, whoever asks); counts it.
async fn recipient_may_get_mail(
    state: &Accounts,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let limit = &state.settings.limits.email_per_recipient;
    let allowed = state
        .limiter
        .hit("email_to", address, limit, now)
        .await?
        .is_ok();
    if !allowed {
        tracing::info!("mail not sent: the recipient had enough this hour");
    }
    Ok(allowed)
}

async fn issue_token(
    state: &Accounts,
    user_id: Uuid,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let ttl = match purpose {
        Purpose::ConfirmEmail => state.settings.confirm_ttl,
        Purpose::PasswordReset | Purpose::SecondFactorReset => state.settings.reset_ttl,
    };
    tokens::revoke_all(&state.db, user_id, purpose, now).await?;
    let token = generate_secret(&mut rand::rngs::OsRng);
    let expires_at = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(1));
    tokens::create(
        &state.db,
        user_id,
        purpose,
        hash_secret(&token),
        expires_at,
        now,
    )
    .await?;
    Ok(token)
}

fn link(state: &Accounts, page: &str, token: &str) -> String {
    format!(
        "{}/{page}?token={token}",
        state.settings.public_url.trim_end_matches('/')
    )
}

/// Mails `user` a link to the web app's `page` with a new token for
/// `purpose`; `body` writes the mail's text around the link.
async fn mail_link(
    state: &Accounts,
    user: &UserRecord,
    purpose: Purpose,
    now: DateTime<Utc>,
    page: &str,
    subject: &str,
    body: impl FnOnce(&str) -> String,
) -> Result<(), AppError> {
    if !recipient_may_get_mail(state, &user.email, now).await? {
        return Ok(());
    }
    let token = issue_token(state, user.id, purpose, now).await?;
    let body = body(&link(state, page, &token));
    state
        .mailer
        .send(Mail {
            to: user.email.clone(),
            subject: subject.into(),
            body,
            html: None,
        })
        .await?;
    Ok(())
}

/// The account a link by e-mail is asked for, if any: the address is
/// parsed and the caller's IP held to its e-mail limit first.
async fn link_asked_for(
    state: &Accounts,
    client: &ClientInfo,
    email: &str,
) -> Result<Option<UserRecord>, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::field("email", e))?;
    check_limit(
        &state.limiter,
        state.clock.now(),
        "email_ip",
        client.ip_key(),
        &state.settings.limits.email_per_ip,
    )
    .await?;
    Ok(users::find_by_email(&state.db, email.as_str()).await?)
}

async fn send_confirmation(
    state: &Accounts,
    user: &UserRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let hours = state.settings.confirm_ttl.as_secs() / 3600;
    mail_link(
        state,
        user,
        Purpose::ConfirmEmail,
        now,
        "confirm-email",
        "Межа: подтверждение адреса / Mezha: confirm your e-mail",
        |link| {
            format!(
                "Здравствуйте!\n\nПодтвердите адрес электронной почты для входа в Межу:\n{link}\n\nСсылка действует {hours} ч. \
                 Если вы не регистрировались, просто удалите это письмо.\n\n\
                 Confirm your e-mail address for Mezha: the link above is valid for {hours} h.\n"
            )
        },
    )
    .await
}

/// Mails a new confirmation link if the address belongs to an unconfirmed
/// account; silent otherwise.
pub async fn resend_confirmation(
    state: &Accounts,
    client: &ClientInfo,
    email: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    if let Some(user) = link_asked_for(state, client, email).await?
        && user.email_confirmed_at.is_none()
        && user.blocked_at.is_none()
    {
        let state = state.clone();
        in_background("confirmation link", async move {
            send_confirmation(&state, &user, now).await
        });
    }
    Ok(())
}

/// Confirms the e-mail address named by a link token.
pub async fn confirm_email(state: &Accounts, token: &str) -> Result<UserRecord, AppError> {
    let now = state.clock.now();
    let user_id = tokens::consume(&state.db, Purpose::ConfirmEmail, &hash_secret(token), now)
        .await?
        .ok_or_else(invalid_link)?;
    Ok(users::confirm_email(&state.db, user_id, now).await?)
}

fn invalid_link() -> AppError {
    AppError::new(ErrorCode::InvalidToken, "accounts.link_invalid")
}

/// Mails a password-reset link if an active account has this address;
/// silent otherwise.
pub async fn request_password_reset(
    state: &Accounts,
    client: &ClientInfo,
    email: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let Some(user) = link_asked_for(state, client, email).await? else {
        return Ok(());
    };
    if user.blocked_at.is_some() {
        return Ok(());
    }
    let state = state.clone();
    in_background("password-reset link", async move {
        send_reset(&state, &user, now).await
    });
    Ok(())
}

async fn send_reset(
    state: &Accounts,
    user: &UserRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let minutes = state.settings.reset_ttl.as_secs() / 60;
    mail_link(
        state,
        user,
        Purpose::PasswordReset,
        now,
        "reset-password",
        "Межа: сброс пароля / Mezha: password reset",
        |link| {
            format!(
                "Здравствуйте!\n\nЧтобы задать новый пароль для входа в Межу, откройте ссылку:\n{link}\n\nСсылка действует {minutes} мин. \
                 Если вы не запрашивали сброс пароля, просто удалите это письмо: пароль останется прежним.\n\n\
                 To set a new Mezha password, open the link above (valid for {minutes} min).\n"
            )
        },
    )
    .await
}

/// Sets a new password from a reset link and ends every session.
pub async fn confirm_password_reset(
    state: &Accounts,
    token: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let password =
        NewPassword::parse(new_password).map_err(|e| AppError::field("new_password", e))?;
    let user_id = tokens::consume(&state.db, Purpose::PasswordReset, &hash_secret(token), now)
        .await?
        .ok_or_else(invalid_link)?;
    let hash = state.hasher.hash(password.expose().to_owned()).await?;
    users::set_password(&state.db, user_id, hash, now).await?;
    let user = users::find_by_id(&state.db, user_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if user.email_confirmed_at.is_none() {
        // Following the link proved the mailbox is theirs.
        users::confirm_email(&state.db, user_id, now).await?;
    }
    state.sessions.delete_all(user_id).await?;
    Ok(())
}

/// A stored SNILS (11 digits) as people read it, `NNN-NNN-NNN NN`.
pub(crate) fn formatted_snils(stored: Option<&str>) -> Option<String> {
    stored
        .and_then(|s| Snils::parse(s).ok())
        .map(|s| s.formatted())
}

/// The caller's profile as `actor` acts.
pub fn view(user: UserRecord, acting_role: Role) -> Me {
    Me {
        id: user.id,
        snils: formatted_snils(user.snils.as_deref()),
        email: user.email,
        email_confirmed: user.email_confirmed_at.is_some(),
        full_name: user.full_name,
        inn: user.inn,
        phone_confirmed: user.phone.is_some() && user.phone_confirmed_at.is_some(),
        second_factor: user.second_factor_sms,
        phone: user.phone,
        avatar_url: user.avatar_id.map(|v| crate::avatars::url(user.id, v)),
        roles: user.roles,
        acting_role,
        version: user.version,
        created_at: user.created_at,
        updated_at: user.updated_at,
    }
}

/// The caller's profile.
pub async fn me(state: &Accounts, actor: &Actor) -> Result<Me, AppError> {
    let user = account(state, actor.user_id).await?;
    Ok(view(user, actor.role))
}

/// The caller's account.
pub(crate) async fn account(state: &Accounts, user_id: Uuid) -> Result<UserRecord, AppError> {
    users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))
}

fn parse_opt<T>(
    value: Option<Option<String>>,
    field: &str,
    errors: &mut FieldIssues,
    parse: impl Fn(&str) -> Result<T, mezha_domain::FieldError>,
    store: impl Fn(T) -> String,
) -> Option<Option<String>> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) if text.trim().is_empty() => Some(None),
        Some(Some(text)) => match parse(&text) {
            Ok(v) => Some(Some(store(v))),
            Err(e) => {
                push_issue(errors, field, e);
                None
            }
        },
    }
}

/// Changes the caller's profile; `expected_version` comes from `If-Match`.
pub async fn update_me(
    state: &Accounts,
    actor: &Actor,
    expected_version: Option<i64>,
    patch: UpdateMe,
) -> Result<Me, AppError> {
    let user = update_profile(state, actor.user_id, expected_version, patch).await?;
    Ok(view(user, actor.role))
}

async fn update_profile(
    state: &Accounts,
    user_id: Uuid,
    expected_version: Option<i64>,
    patch: UpdateMe,
) -> Result<UserRecord, AppError> {
    let now = state.clock.now();
    let mut errors = crate::error::body_issues(&patch);
    let changes = ProfileChanges {
        full_name: parse_opt(
            patch.full_name,
            "full_name",
            &mut errors,
            FullName::parse,
            |v| v.as_str().to_owned(),
        ),
        snils: parse_opt(patch.snils, "snils", &mut errors, Snils::parse, |v| {
            v.digits().to_owned()
        }),
        inn: parse_opt(patch.inn, "inn", &mut errors, Inn::parse, |v| {
            v.as_str().to_owned()
        }),
        phone: parse_opt(patch.phone, "phone", &mut errors, Phone::parse, |v| {
            v.as_str().to_owned()
        }),
        avatar_id: None,
        email: match patch.email.as_deref().map(Email::parse) {
            None => None,
            Some(Ok(email)) => Some(email.as_str().to_owned()),
            Some(Err(e)) => {
                push_issue(&mut errors, "email", e);
                None
            }
        },
        second_factor_sms: None,
    };
    let current = account(state, user_id).await?;
    let mut changes = changes;
    match &changes.phone {
        // Repeating the saved number changes nothing.
        Some(Some(phone)) if current.phone.as_deref() == Some(phone.as_str()) => {
            changes.phone = None;
        }
        // A new number is saved by its confirmation (docs/accounts.md,
        // "Phone and the second factor").
        Some(Some(_)) => push_issue(
            &mut errors,
            "phone",
            mezha_domain::FieldError::new(
                "confirmation_required",
                "a new number is saved once confirmed by an SMS code: POST /me/phone",
            ),
        ),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(StoreError::VersionMismatch.into());
    }
    if changes.email.as_deref() == Some(current.email.as_str()) {
        changes.email = None;
    }
    if let Some(email) = &changes.email
        && users::find_by_email(&state.db, email).await?.is_some()
    {
        return Err(StoreError::Duplicate("email").into());
    }
    if changes.is_empty() {
        return Ok(current);
    }
    let email_changed = changes.email.is_some();
    let updated =
        users::update_profile(&state.db, user_id, Some(current.version), changes, now).await?;
    if email_changed {
        send_confirmation(state, &updated, now).await?;
    }
    Ok(updated)
}

/// Creates (or completes) a staff account: confirmed e-mail, a password,
/// and the given role. Used by `mezha staff create`.
pub async fn create_staff(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    email: &str,
    password: &str,
    role: Role,
    now: DateTime<Utc>,
) -> anyhow::Result<UserRecord> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("e-mail: {e}"))?;
    let password = NewPassword::parse(password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let hash = hasher.hash(password.expose().to_owned()).await?;
    let user = match users::find_by_email(db, email.as_str()).await? {
        Some(user) => {
            users::set_password(db, user.id, hash, now).await?;
            if user.email_confirmed_at.is_none() {
                users::confirm_email(db, user.id, now).await?;
            }
            user
        }
        None => {
            users::create(
                db,
                NewUser {
                    email: email.as_str().to_owned(),
                    password_hash: Some(hash),
                    full_name: None,
                    email_confirmed: true,
                    roles: vec![],
                },
                now,
            )
            .await?
        }
    };
    users::grant_role(db, user.id, role, now).await?;
    users::find_by_id(db, user.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("account vanished"))
}
