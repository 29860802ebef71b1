//! English texts of the message catalogue: accounts, sessions, otp, events.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // accounts
    (
        "accounts.email_taken",
        "This e-mail address belongs to another account.",
    ),
    (
        "accounts.phone_taken",
        "This phone number belongs to another account.",
    ),
    ("accounts.gone", "The account no longer exists."),
    (
        "accounts.second_factor_needs_phone",
        "Confirm a phone number first: the codes go to it.",
    ),
    (
        "second_factor.ticket_gone",
        "The login has expired or ended; log in again.",
    ),
    (
        "accounts.link_invalid",
        "The link is unknown, already used or expired; request a new one.",
    ),
    (
        "accounts.role_not_held",
        "the account does not hold the role {role}",
    ),
    (
        "accounts.acting_role_not_allowed",
        "acting as {acting} is not allowed here; allowed: {allowed}",
    ),
    // moderation
    ("moderation.moderators_only", "Only moderators may do this."),
    (
        "moderation.own_account",
        "A moderator cannot block his own account.",
    ),
    (
        "moderation.already_blocked",
        "The account is already blocked.",
    ),
    ("moderation.not_blocked", "The account is not blocked."),
    ("moderation.no_such_account", "No account has this id."),
    // sessions
    (
        "sessions.too_many_attempts",
        "Too many attempts; try again later.",
    ),
    (
        "sessions.account_blocked",
        "The account is blocked by a moderator.",
    ),
    ("sessions.no_role_yet", "The account holds no role yet."),
    ("sessions.no_role", "The account holds no role."),
    (
        "sessions.invalid_credentials",
        "The e-mail or the password is wrong.",
    ),
    (
        "sessions.email_not_confirmed",
        "Confirm your e-mail address with the link we sent before logging in.",
    ),
    (
        "sessions.refresh_token_missing",
        "Send `refresh_token`, or the cookie with `X-Token-Transport: cookie`.",
    ),
    (
        "sessions.refresh_token_invalid",
        "The refresh token is not valid; log in again.",
    ),
    (
        "sessions.refresh_token_superseded",
        "A concurrent refresh replaced this token a moment ago; retry with the newer one.",
    ),
    (
        "sessions.refresh_token_reused",
        "This refresh token was already used; the session is revoked. Log in again.",
    ),
    (
        "sessions.access_token_expired",
        "The access token has expired; refresh it.",
    ),
    (
        "sessions.access_token_invalid",
        "The access token is not valid.",
    ),
    (
        "sessions.role_changed",
        "The session now acts in another role than this access token says; refresh it.",
    ),
    ("sessions.ended", "This session has ended; log in again."),
    ("sessions.not_found", "You have no session with this id."),
    (
        "sessions.challenge_expired",
        "This challenge is unknown, used or expired; ask for a new one.",
    ),
    (
        "sessions.signature_not_accepted",
        "The signature of the challenge is {indication}{sub_indication}; only a valid signature with a trusted, unrevoked certificate logs in.",
    ),
    (
        "sessions.certificate_not_linked",
        "No account is bound to this certificate.",
    ),
    // otp
    ("otp.mismatch", "Wrong code; {left} attempts left."),
    ("otp.wrong_code", "Wrong code; request a new one."),
    (
        "otp.attempts_exceeded",
        "Too many wrong codes; request a new one.",
    ),
    (
        "otp.resend_in",
        "A new code can be requested in {seconds} s.",
    ),
    (
        "otp.just_sent",
        "A code was just sent; wait before requesting another.",
    ),
    (
        "otp.no_code_for_phone",
        "There is no valid code for this number; request a new one.",
    ),
    (
        "otp.no_code_for_application",
        "There is no valid code for this application; request a new one.",
    ),
    // events
    (
        "events.ticket_invalid",
        "The ticket is not valid, was used or has expired; ask for a new one.",
    ),
    (
        "events.last_event_id_invalid",
        "Last-Event-ID is not an event id this stream sent.",
    ),
];
