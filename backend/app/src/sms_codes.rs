//! One-time SMS codes (docs/accounts.md, "SMS codes"), the one mechanism
//! behind the SMS login, the confirmation of a phone number, the second
//! factor and the issuing of a certificate: a code is valid for the
//! policy's `ttl`, a new one may be sent only `resend_after` the last, and
//! `max_attempts` wrong codes spend it. Each use keeps its codes under its
//! own key (the phone for the login, `phone:{account}:{phone}`,
//! `second-factor:{ticket}`, `cert-issue:{application}`).

use crate::AppError;
use crate::messaging::SmsProvider;
use chrono::{DateTime, Utc};
use mezha_api_types::ErrorCode;
use mezha_domain::otp::{OtpChallenge, OtpError, OtpPolicy, generate_code};
use mezha_store::otp::{LoadedChallenge, OtpStore};

/// How often a check retries when a concurrent one changed the record.
const CAS_ATTEMPTS: usize = 5;

/// What sending and checking codes need.
pub struct Codes<'a> {
    /// Where pending codes are kept.
    pub otp: &'a OtpStore,
    /// Who sends the texts.
    pub sms: &'a dyn SmsProvider,
    /// Length, validity, resend pause, attempts.
    pub policy: OtpPolicy,
    /// Now.
    pub now: DateTime<Utc>,
}

/// A code may be sent for `key` now: the pending one (to be replaced), or
/// `429 otp_resend_too_early` with how long to wait.
pub async fn may_send(codes: &Codes<'_>, key: &str) -> Result<Option<LoadedChallenge>, AppError> {
    let previous = codes.otp.get(key).await?;
    if let Some(wait) = previous
        .as_ref()
        .and_then(|p| p.challenge.resend_wait(&codes.policy, codes.now))
    {
        return Err(AppError::too_many(
            ErrorCode::OtpResendTooEarly,
            wait,
            crate::msg!("otp.resend_in", seconds = wait.as_secs()),
        ));
    }
    Ok(previous)
}

/// Issues a fresh code for `key` in place of `previous` ([`may_send`]) and
/// texts it to `phone` — `text` makes the message of the code and its
/// validity in minutes. With no phone, the code is kept but sent nowhere
/// (an SMS login for a number without an account answers alike).
pub async fn send(
    codes: &Codes<'_>,
    key: &str,
    previous: Option<&LoadedChallenge>,
    phone: Option<&str>,
    text: impl FnOnce(&str, u64) -> String,
) -> Result<(), AppError> {
    let code = generate_code(&mut rand::rngs::OsRng, codes.policy.code_length);
    let challenge = OtpChallenge::issue(key, &code, codes.now);
    if !codes.otp.put(key, previous, &challenge).await? {
        return Err(AppError::too_many(
            ErrorCode::OtpResendTooEarly,
            codes.policy.resend_after,
            "otp.just_sent",
        ));
    }
    if let Some(phone) = phone {
        let minutes = codes.policy.ttl.as_secs() / 60;
        codes.sms.send(phone, &text(&code, minutes)).await?;
    }
    Ok(())
}

/// Checks `code` for `key`; a right code is spent. No pending code is the
/// error `expired` makes; a wrong one `401 invalid_otp` (with the attempts
/// left), the last wrong one `otp_attempts_exceeded`.
pub async fn check(
    codes: &Codes<'_>,
    key: &str,
    code: &str,
    expired: impl Fn() -> AppError,
) -> Result<(), AppError> {
    let mut outcome = None;
    for _ in 0..CAS_ATTEMPTS {
        let Some(loaded) = codes.otp.get(key).await? else {
            return Err(expired());
        };
        let mut challenge = loaded.challenge.clone();
        let result = challenge.check(&codes.policy, key, code.trim(), codes.now);
        if challenge == loaded.challenge || codes.otp.put(key, Some(&loaded), &challenge).await? {
            outcome = Some(result);
            break;
        }
    }
    match outcome {
        None => Err(AppError::internal(anyhow::anyhow!(
            "SMS code record kept changing"
        ))),
        Some(Ok(())) => {
            codes.otp.delete(key).await?;
            Ok(())
        }
        Some(Err(OtpError::Expired)) => Err(expired()),
        Some(Err(OtpError::AttemptsExceeded)) => Err(AppError::new(
            ErrorCode::OtpAttemptsExceeded,
            "otp.attempts_exceeded",
        )),
        Some(Err(OtpError::Mismatch { remaining })) => Err(AppError::new(
            ErrorCode::InvalidOtp,
            crate::msg!("otp.mismatch", left = remaining),
        )),
    }
}
