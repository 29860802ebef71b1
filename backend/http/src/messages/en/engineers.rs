//! English texts of the message catalogue: engineers, employment, sro.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // engineers
    (
        "engineers.not_an_engineer",
        "The account is not a cadastral engineer listed as active in the SRO registry.",
    ),
    (
        "engineers.requisites_inherited",
        "Your contracts use your employer's requisites; only the employer can change them.",
    ),
    ("engineers.not_found", "No listed engineer has this id."),
    // employment
    (
        "employment.already_employed",
        "The engineer already has an employer or a pending join request.",
    ),
    (
        "employment.cannot_turn_off",
        "Remove your engineers and decide pending join requests before turning this off.",
    ),
    (
        "employment.not_an_employer",
        "Turn on \"I employ cadastral engineers\" (PUT /me/employer) first.",
    ),
    ("employment.employer_not_found", "No employer has this id."),
    (
        "employment.request_not_found",
        "You have no join request with this id.",
    ),
    (
        "employment.request_decided",
        "The join request is {status}, not requested; only a pending request can be decided.",
    ),
    (
        "employment.engineer_not_found",
        "No cadastral engineer has this e-mail address or SNILS.",
    ),
    (
        "employment.never_logged_in",
        "The engineer has never logged in to the platform; ask him to log in once, or to file a join request.",
    ),
    (
        "employment.not_your_employee",
        "This engineer is not your employee and has no pending request to you.",
    ),
    (
        "employment.status_refused",
        "The employment is {status}; this action needs {needs}.",
    ),
    (
        "employment.changed",
        "The employment is changed meanwhile; this action needs {needs}.",
    ),
    (
        "employment.none",
        "You have no employer and no pending join request.",
    ),
    // sro
    (
        "sro.rejected_one",
        "The registry file was rejected (1 issue); nothing was imported.",
    ),
    (
        "sro.rejected",
        "The registry file was rejected ({count} issues); nothing was imported.",
    ),
    (
        "sro.rejected_truncated",
        "The registry file was rejected ({count} issues); nothing was imported. Only the first issues are listed.",
    ),
    (
        "sro.feed_not_http",
        "The feed {url} is not an http:// or https:// address.",
    ),
    (
        "sro.feed_unreachable",
        "The feed {url} cannot be fetched: {reason}.",
    ),
    ("sro.feed_status", "The feed {url} answered {status}."),
    (
        "sro.feed_too_large",
        "The feed {url} is larger than {max} bytes.",
    ),
    ("sro.feed_broke_off", "The feed {url} broke off: {reason}."),
    (
        "sro.file_too_large",
        "A registry file may be at most {max} bytes; split it.",
    ),
    (
        "sro.unsupported_type",
        "Send the registry file as text/csv or application/json, or {\"url\": …} as application/json.",
    ),
];
