//! English texts of the message catalogue: organisations, clients.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // organisations
    (
        "organisations.not_found",
        "No such organisation, or you are not its member.",
    ),
    (
        "organisations.unconfirmed",
        "The organisation is not confirmed yet: its head signs the platform offer first.",
    ),
    (
        "organisations.already_confirmed",
        "The organisation is confirmed already.",
    ),
    (
        "organisations.inactive",
        "Your membership of this organisation is not active.",
    ),
    (
        "organisations.admin_only",
        "Only the organisation's admin may do this.",
    ),
    (
        "organisations.missing_right",
        "You do not have the right \"{right}\" in this organisation.",
    ),
    (
        "organisations.signature_refused",
        "The signature of the offer is not valid: {indication}{sub_indication}.",
    ),
    (
        "organisations.signer_not_head",
        "The offer is signed with a certificate that is neither the organisation's (its INN) nor its head's.",
    ),
    (
        "organisations.poa_changed",
        "The power of attorney was changed meanwhile; read it again.",
    ),
    (
        "organisations.poa_not_found",
        "No such power of attorney in this organisation.",
    ),
    (
        "organisations.poa_duplicate",
        "The organisation keeps a power of attorney numbered {number} already.",
    ),
    (
        "organisations.poa_unsigned",
        "The head has not signed this power of attorney yet.",
    ),
    (
        "organisations.poa_illegal_step",
        "Cannot {action} a power of attorney that is {status}.",
    ),
    (
        "organisations.poa_signature_refused",
        "The signature of the power of attorney is not valid: {indication}{sub_indication}.",
    ),
    (
        "organisations.poa_signer_not_head",
        "The power of attorney is signed with a certificate that is neither the organisation's (its INN) nor its head's.",
    ),
    (
        "organisations.inn_confirmed_elsewhere",
        "Another organisation with this INN is confirmed on the platform.",
    ),
    (
        "organisations.no_such_member",
        "The organisation has no member with this account id.",
    ),
    (
        "organisations.illegal_member_step",
        "Cannot {action} a member who is {status}.",
    ),
    (
        "organisations.member_changed",
        "The member was changed a moment ago; reload and try again.",
    ),
    (
        "organisations.invitation_invalid",
        "The invitation link is unknown, used or expired; ask the organisation's admin for a new one.",
    ),
    (
        "organisations.invitation_log_in",
        "This address has an account: log in and accept the invitation.",
    ),
    (
        "organisations.invitation_other_email",
        "The invitation was sent to another address than your account's.",
    ),
    (
        "organisations.already_member",
        "You are a member of this organisation already.",
    ),
    // clients
    (
        "clients.not_found",
        "No such client in your organisation's base.",
    ),
    (
        "clients.changed",
        "The client was changed a moment ago; reload and try again.",
    ),
    (
        "clients.request_link_invalid",
        "The link is unknown, used or expired; ask the organisation for a new one.",
    ),
    (
        "clients.request_not_submitted",
        "The request is {status}; only a submitted request can be accepted.",
    ),
    (
        "clients.ocr_unavailable",
        "Passport recognition is not available now; fill in the fields by hand.",
    ),
];
