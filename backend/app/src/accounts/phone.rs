//! The caller's phone number, confirmed by an SMS code before it is
//! saved, and the optional SMS second factor with its recovery by e-mail
//! (docs/accounts.md, "Phone and the second factor").

use super::{account, in_background, invalid_link, mail_link};
use crate::context::Accounts;
use crate::error::{AppError, body_issues, push_issue};
use crate::sessions::check_limit;
use crate::{Actor, ClientInfo};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::OtpRequested;
use mezha_api_types::me::SecondFactorSettings;
use mezha_domain::Phone;
use mezha_domain::session::hash_secret;
use mezha_store::StoreError;
use mezha_store::tokens::{self, Purpose};
use mezha_store::users::{self, ProfileChanges, UserRecord};
use uuid::Uuid;

/// The SMS codes confirming a phone number.
pub(crate) fn phone_codes(state: &Accounts) -> crate::sms_codes::Codes<'_> {
    crate::sms_codes::Codes {
        otp: &state.otp,
        sms: state.sms.as_ref(),
        policy: state.settings.otp,
        now: state.clock.now(),
    }
}

/// Where the code confirming `phone` for `user` is kept.
fn phone_code_key(user: Uuid, phone: &str) -> String {
    format!("phone:{user}:{phone}")
}

/// Texts a code to `phone` so that the caller can confirm it as his
/// number (docs/accounts.md, "Phone and the second factor"); the number
/// is saved by [`confirm_phone`]. The same limits as the SMS login's.
pub async fn request_phone_code(
    state: &Accounts,
    actor: &Actor,
    client: &ClientInfo,
    phone: &str,
) -> Result<OtpRequested, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
    let phone = phone.as_str();
    account(state, actor.user_id).await?;
    text_phone_code(state, client, phone, &phone_code_key(actor.user_id, phone)).await
}

/// Texts a code confirming `phone` (E.164), kept under `key` for the check
/// that follows, with the SMS login's limits (per IP, per phone, the resend
/// pause): the confirmation of one's number, and of an invitee's.
pub(crate) async fn text_phone_code(
    state: &Accounts,
    client: &ClientInfo,
    phone: &str,
    key: &str,
) -> Result<OtpRequested, AppError> {
    let limits = &state.settings.limits;
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_ip",
        client.ip_key(),
        &limits.otp_request_per_ip,
    )
    .await?;
    let codes = phone_codes(state);
    let previous = crate::sms_codes::may_send(&codes, key).await?;
    check_limit(
        &state.limiter,
        state.clock.now(),
        "otp_phone",
        phone,
        &limits.otp_request_per_phone,
    )
    .await?;
    crate::sms_codes::send(&codes, key, previous.as_ref(), Some(phone), |code, minutes| {
        format!(
            "Межа: код подтверждения номера {code}. Действует {minutes} мин. Никому его не сообщайте."
        )
    })
    .await?;
    let policy = state.settings.otp;
    Ok(OtpRequested {
        phone: phone.to_owned(),
        expires_in: policy.ttl.as_secs(),
        resend_after: policy.resend_after.as_secs(),
    })
}

/// Saves `phone` as the caller's confirmed number once `code` (sent by
/// [`request_phone_code`]) is right; `409 conflict` when another account
/// has the number.
pub async fn confirm_phone(
    state: &Accounts,
    actor: &Actor,
    phone: &str,
    code: &str,
) -> Result<UserRecord, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
    let phone = phone.as_str();
    let key = phone_code_key(actor.user_id, phone);
    crate::sms_codes::check(&phone_codes(state), &key, code, || {
        AppError::new(ErrorCode::OtpExpired, "otp.no_code_for_phone")
    })
    .await?;
    if let Some(other) = users::find_by_phone(&state.db, phone).await?
        && other.id != actor.user_id
    {
        return Err(StoreError::Duplicate("phone").into());
    }
    let changes = ProfileChanges {
        phone: Some(Some(phone.to_owned())),
        ..ProfileChanges::default()
    };
    let updated =
        users::update_profile(&state.db, actor.user_id, None, changes, state.clock.now()).await?;
    tracing::info!(user_id = %actor.user_id, "phone confirmed");
    Ok(updated)
}

/// Switches the SMS second factor on or off (docs/accounts.md, "Phone and
/// the second factor"), proven by the account's password (`422` on
/// `password` otherwise); on needs a confirmed phone (`409
/// phone_not_confirmed`).
pub async fn set_second_factor(
    state: &Accounts,
    actor: &Actor,
    input: &SecondFactorSettings,
) -> Result<UserRecord, AppError> {
    let mut errors = body_issues(input);
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let user = account(state, actor.user_id).await?;
    let ok = state
        .hasher
        .verify(input.password.clone(), user.password_hash.clone())
        .await?;
    if !ok {
        push_issue(
            &mut errors,
            "password",
            mezha_domain::FieldError::new("wrong_password", "the password is not right"),
        );
        return Err(AppError::validation(errors));
    }
    if input.enabled && (user.phone.is_none() || user.phone_confirmed_at.is_none()) {
        return Err(AppError::new(
            ErrorCode::PhoneNotConfirmed,
            "accounts.second_factor_needs_phone",
        ));
    }
    if user.second_factor_sms == input.enabled {
        return Ok(user);
    }
    let changes = ProfileChanges {
        second_factor_sms: Some(input.enabled),
        ..ProfileChanges::default()
    };
    let updated =
        users::update_profile(&state.db, actor.user_id, None, changes, state.clock.now()).await?;
    tracing::info!(user_id = %actor.user_id, enabled = input.enabled, "second factor switched");
    Ok(updated)
}

/// A lost phone (docs/accounts.md, "Phone and the second factor"): the
/// second step of a login offers to mail the account a link that switches
/// the second factor off. The ticket proves the first step (password or
/// certificate); the mail proves the mailbox. The ticket ends here.
pub async fn request_second_factor_recovery(
    state: &Accounts,
    logins: &crate::context::Logins,
    ticket: &str,
) -> Result<(), AppError> {
    let found = crate::second_factor::ticket(logins, ticket)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::OtpExpired, "second_factor.ticket_gone"))?;
    crate::second_factor::end(logins, ticket).await?;
    let user = account(state, found.user_id).await?;
    let now = state.clock.now();
    let state = state.clone();
    in_background("second-factor recovery link", async move {
        let minutes = state.settings.reset_ttl.as_secs() / 60;
        mail_link(
            &state,
            &user,
            Purpose::SecondFactorReset,
            now,
            "second-factor-recovery",
            "Межа: вход без телефона / Mezha: log in without your phone",
            |link| {
                format!(
                    "Здравствуйте!\n\nКто-то, знающий ваш пароль, входит в Межу и сообщил, что телефон для кодов утерян. \
                     Чтобы отключить вход по коду из SMS и удалить номер из профиля, откройте ссылку:\n{link}\n\n\
                     Ссылка действует {minutes} мин. Если это были не вы, смените пароль: второй фактор останется включённым.\n\n\
                     To switch the SMS second factor off (the phone is lost), open the link above (valid for {minutes} min).\n"
                )
            },
        )
        .await
    });
    Ok(())
}

/// Follows a recovery link: the SMS second factor is switched off and the
/// lost number removed; every session ends. Log in with the password.
pub async fn confirm_second_factor_recovery(state: &Accounts, token: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let user_id = tokens::consume(
        &state.db,
        Purpose::SecondFactorReset,
        &hash_secret(token),
        now,
    )
    .await?
    .ok_or_else(invalid_link)?;
    let changes = ProfileChanges {
        phone: Some(None),
        second_factor_sms: Some(false),
        ..ProfileChanges::default()
    };
    users::update_profile(&state.db, user_id, None, changes, now).await?;
    state.sessions.delete_all(user_id).await?;
    tracing::info!(%user_id, "second factor switched off by e-mail");
    Ok(())
}
