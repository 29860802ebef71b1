//! English texts of the message catalogue: certificates, pki.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // certificates
    (
        "certificates.application_not_found",
        "No application has this id.",
    ),
    (
        "certificates.forbidden_action",
        "You may not `{action}` this application in your acting role.",
    ),
    (
        "certificates.illegal_transition",
        "`{action}` is not possible while the application is `{status}`; allowed now: {allowed}.",
    ),
    (
        "certificates.illegal_transition_none",
        "`{action}` is not possible while the application is `{status}`; allowed now: nothing.",
    ),
    (
        "certificates.staff_cannot_apply",
        "Staff roles do not apply for certificates; switch to your own role.",
    ),
    (
        "certificates.agent_application_under_way",
        "An application for this client is already under way ({id}, `{status}`); file another once it is decided or issued.",
    ),
    (
        "certificates.claim_link_invalid",
        "The link is unknown, already used, expired or replaced by a newer one; ask the organisation to send it again.",
    ),
    (
        "certificates.claim_other_person",
        "Your profile names another person's SNILS: claim the application with the account of the person it is for.",
    ),
    (
        "certificates.application_changed",
        "The application changed meanwhile; reload it.",
    ),
    (
        "certificates.no_phone",
        "The application has no phone number.",
    ),
    (
        "certificates.csr_not_pem",
        "The CSR is not valid PEM: {reason}.",
    ),
    (
        "certificates.csr_wrong_pem_label",
        "Expected a CERTIFICATE REQUEST PEM block, got {label}.",
    ),
    (
        "certificates.csr_encoding",
        "The CSR is neither PEM nor base64 of DER.",
    ),
    (
        "certificates.csr_not_pkcs10",
        "The CSR is not a PKCS#10 request: {reason}.",
    ),
    (
        "certificates.csr_not_reencodable",
        "The CSR cannot be re-encoded: {reason}.",
    ),
    (
        "certificates.csr_signature_bits",
        "The CSR's signature is not whole bytes.",
    ),
    (
        "certificates.csr_signature_invalid",
        "The CSR's signature does not verify: {reason}.",
    ),
    (
        "certificates.rsa_key_too_short",
        "RSA keys must have at least 2048 bits.",
    ),
    (
        "certificates.subject_mismatch",
        "The request's subject differs from the approved application in: {fields}.",
    ),
    ("certificates.not_found", "No certificate has this id."),
    (
        "certificates.illegal_action",
        "`{action}` is not possible while the certificate is `{status}`.",
    ),
    (
        "certificates.revoke_forbidden",
        "Only the owner or a certification-centre operator may revoke a certificate.",
    ),
    (
        "certificates.renew_forbidden",
        "Only the owner renews his certificate.",
    ),
    (
        "certificates.unknown_format",
        "Unknown format `{format}`; use pem or der.",
    ),
    // pki
    (
        "pki.not_configured",
        "The certification authority is not configured.",
    ),
];
