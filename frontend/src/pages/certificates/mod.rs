//! The certification authority in the web app (docs/certificates.md, "In the web app"): the owner's
//! cabinet (certificates and applications), an application with its wizard,
//! review and issuing in the browser, the operators' queue, and signing and
//! checking documents.

pub mod application;
pub mod cabinet;
pub mod claim;
pub mod sign;

use crate::components::html::{Html, status_badge};
use crate::format;
use crate::state::t;
use mezha_api_types::certificates::{
    ApplicantKind, ApplicationStatus, CertificateApplication, CertificateStatus, RevocationReason,
};

/// The name of an application status.
pub fn app_status(s: ApplicationStatus) -> &'static str {
    let c = t().certs;
    match s {
        ApplicationStatus::Draft => c.st_draft,
        ApplicationStatus::Submitted => c.st_submitted,
        ApplicationStatus::Approved => c.st_approved,
        ApplicationStatus::Rejected => c.st_rejected,
        ApplicationStatus::Issuing => c.st_issuing,
        ApplicationStatus::Issued => c.st_issued,
        ApplicationStatus::Revoked => c.st_revoked,
        ApplicationStatus::Expired => c.st_expired,
    }
}

/// The name of a certificate status.
pub fn cert_status(s: CertificateStatus) -> &'static str {
    let c = t().certs;
    match s {
        CertificateStatus::Valid => c.cert_valid,
        CertificateStatus::Revoked => c.st_revoked,
        CertificateStatus::Expired => c.st_expired,
    }
}

/// The name of an applicant kind.
pub fn kind_name(k: ApplicantKind) -> &'static str {
    let c = t().certs;
    match k {
        ApplicantKind::Individual => c.kind_individual,
        ApplicantKind::SoleProprietor => c.kind_sole_proprietor,
        ApplicantKind::LegalEntity => c.kind_legal_entity,
    }
}

/// The name of a revocation reason.
pub fn reason_name(r: RevocationReason) -> &'static str {
    let c = t().certs;
    match r {
        RevocationReason::Unspecified => c.reason_unspecified,
        RevocationReason::KeyCompromise => c.reason_key_compromise,
        RevocationReason::AffiliationChanged => c.reason_affiliation_changed,
        RevocationReason::Superseded => c.reason_superseded,
        RevocationReason::CessationOfOperation => c.reason_cessation,
    }
}

/// Applications as list rows, each a link to its page.
pub fn application_rows(items: &[CertificateApplication]) -> String {
    let c = t().certs;
    let mut h = Html::new();
    for app in items {
        let id = app.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("application-row")),
                ("data-application-id", Some(&id)),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        status_badge(&mut h, app.status.as_str(), app_status(app.status));
        h.close("div");
        let name = app.full_name.as_deref().unwrap_or(c.no_name);
        h.el(
            "a",
            &[
                ("class", Some("order-title")),
                ("href", Some(&format!("/certificate-applications/{id}"))),
            ],
            &format!("{} — {name}", c.application),
        );
        h.open("div", &[("class", Some("order-meta"))]);
        h.el("span", &[], kind_name(app.kind));
        let when = app.submitted_at.unwrap_or(app.created_at);
        h.el("span", &[], &format::time(when));
        h.close("div").close("li");
    }
    h.finish()
}
