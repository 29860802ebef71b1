//! English texts of the message catalogue: deals.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    (
        "deals.not_found",
        "No such deal, or it is not yours to see.",
    ),
    (
        "deals.changed",
        "The deal changed meanwhile; reload it and try again.",
    ),
    (
        "deals.illegal_step",
        "You cannot `{action}` while the deal is `{status}`.",
    ),
    (
        "deals.documents_full",
        "A deal's documents may take at most {max} bytes together; remove one to add this.",
    ),
    (
        "deals.statements_too_large",
        "The statements ({size} bytes) would take the deal's files over {max} bytes together; remove or shrink a document, then form them again.",
    ),
    (
        "deals.participant_not_found",
        "The deal has no such participant.",
    ),
    ("deals.document_not_found", "The deal has no such document."),
    (
        "deals.already_signed",
        "This signer has signed this document already.",
    ),
    (
        "deals.signature_refused",
        "The signature is {indication}{sub_indication}; only a valid signature of the document's exact bytes with a trusted, unrevoked certificate counts. Nothing was stored.",
    ),
    (
        "deals.signer_not_party",
        "The signature is valid but made with another person's certificate: a participant signs with a certificate naming his SNILS or INN, the organisation through your own certificate. Nothing was stored.",
    ),
    ("deals.registry_off", "No registry gateway is configured."),
    (
        "deals.callback_unsigned",
        "The callback's signature is missing or wrong.",
    ),
    (
        "deals.poa_no_longer_valid",
        "The statements were signed under a power of attorney that no longer lets the package be sent: {reason}. Sign them again under a valid one in a copy of the deal.",
    ),
];
