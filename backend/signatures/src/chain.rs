//! Chain building (each link's signature verified), CA constraints, and
//! revocation from CRLs.

use chrono::{DateTime, Utc};
use der::Decode;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};

use crate::algorithms::{self, to_der};
use crate::names;
use crate::trust::{Cert, Crl, TrustStore};
use crate::verified;

/// Longest chain accepted (signer included).
const MAX_CHAIN: usize = 10;

/// Extensions this validator understands or may safely ignore when critical.
const KNOWN_CRITICAL: &[&str] = &[
    "2.5.29.14",       // subjectKeyIdentifier
    "2.5.29.15",       // keyUsage
    "2.5.29.17",       // subjectAltName
    "2.5.29.19",       // basicConstraints
    "2.5.29.32",       // certificatePolicies
    "2.5.29.35",       // authorityKeyIdentifier
    "2.5.29.37",       // extKeyUsage
    "1.2.643.100.111", // subjectSignTool
    "1.2.643.100.112", // issuerSignTool
];

fn extension<'a>(cert: &'a Certificate, oid: &str) -> Option<&'a [u8]> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id.to_string() == oid)
        .map(|e| e.extn_value.as_bytes())
}

/// The key usage, `Ok(None)` when absent, `Err` when malformed.
pub fn key_usage(cert: &Certificate) -> Result<Option<KeyUsage>, String> {
    match extension(cert, "2.5.29.15") {
        None => Ok(None),
        Some(bytes) => KeyUsage::from_der(bytes)
            .map(Some)
            .map_err(|e| format!("malformed keyUsage: {e}")),
    }
}

pub fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    extension(cert, "2.5.29.14")
        .and_then(|b| SubjectKeyIdentifier::from_der(b).ok())
        .map(|s| s.0.as_bytes().to_vec())
}

fn unknown_critical(cert: &Certificate) -> Option<String> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.critical && !KNOWN_CRITICAL.contains(&e.extn_id.to_string().as_str()))
        .map(|e| e.extn_id.to_string())
}

/// Whether `issuer` may issue certificates, `below` CA certificates below it.
fn can_issue(issuer: &Cert, below: usize, anchor: bool) -> Result<(), String> {
    let c = &issuer.cert;
    let subject = names::render(&c.tbs_certificate.subject);
    if let Some(oid) = unknown_critical(c) {
        return Err(format!(
            "{subject} has an unsupported critical extension {oid}"
        ));
    }
    match extension(c, "2.5.29.19") {
        Some(bytes) => {
            let bc = BasicConstraints::from_der(bytes)
                .map_err(|e| format!("{subject}: malformed basicConstraints: {e}"))?;
            if !bc.ca {
                return Err(format!("{subject} is not a CA certificate"));
            }
            if let Some(limit) = bc.path_len_constraint
                && below > usize::from(limit)
            {
                return Err(format!(
                    "{subject}: path length constraint {limit} exceeded"
                ));
            }
        }
        // Version 1 roots carry no extensions; only a trust anchor may.
        None if anchor && c.tbs_certificate.extensions.is_none() => {}
        None => return Err(format!("{subject} has no basicConstraints (not a CA)")),
    }
    if let Some(ku) = key_usage(c).map_err(|e| format!("{subject}: {e}"))?
        && !ku.0.contains(KeyUsages::KeyCertSign)
    {
        return Err(format!("{subject} may not sign certificates (keyUsage)"));
    }
    Ok(())
}

/// Verifies that `issuer`'s key signed `cert`, once per process for a pair
/// that verifies (see `verified`).
pub fn verify_link(cert: &Cert, issuer: &Cert) -> Result<(), String> {
    verified::once(&cert.sha256, &issuer.sha256, || {
        verify_signature(&cert.cert, &issuer.cert)
    })
}

fn verify_signature(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    if cert.signature_algorithm != cert.tbs_certificate.signature {
        return Err("signatureAlgorithm differs from the one inside the signed part".to_owned());
    }
    let scheme = algorithms::scheme(&cert.signature_algorithm, None).map_err(|e| e.to_string())?;
    let sig = cert
        .signature
        .as_bytes()
        .ok_or_else(|| "signature bit string".to_owned())?;
    algorithms::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        scheme,
        &to_der(&cert.tbs_certificate),
        sig,
    )
    .map_err(|e| e.to_string())
}

/// A chain from the signer towards an anchor.
pub struct Chain<'a> {
    /// Signer first.
    pub certs: Vec<&'a Cert>,
    /// Whether the last one is a trust anchor.
    pub trusted: bool,
    /// Why the chain stops short, when it does.
    pub problem: Option<String>,
}

/// Builds the chain greedily: at each step the first candidate issuer (trust
/// anchors, then the store's intermediates, then the CMS's certificates) whose
/// key verifies the current certificate and which may issue it.
pub fn build<'a>(signer: &'a Cert, cms_certs: &'a [Cert], trust: &'a TrustStore) -> Chain<'a> {
    let mut certs = vec![signer];
    while let Some(&current) = certs.last() {
        if trust.is_anchor(current) {
            return Chain {
                certs,
                trusted: true,
                problem: None,
            };
        }
        let subject = names::render(&current.cert.tbs_certificate.subject);
        if certs.len() >= MAX_CHAIN {
            return fail(certs, format!("chain longer than {MAX_CHAIN} certificates"));
        }
        let issuer_der = current.issuer_der();
        if current.subject_der() == issuer_der && verify_link(current, current).is_ok() {
            return fail(
                certs,
                format!("self-signed {subject} is not a trust anchor"),
            );
        }
        let below = certs.len() - 1;
        let mut last_error = None;
        let mut found = None;
        let pool = trust
            .anchors
            .iter()
            .map(|c| (c, true))
            .chain(trust.intermediates.iter().map(|c| (c, false)))
            .chain(cms_certs.iter().map(|c| (c, false)));
        for (cand, anchor) in pool {
            if cand.subject_der() != issuer_der || certs.iter().any(|c| c.der == cand.der) {
                continue;
            }
            let anchor = anchor || trust.is_anchor(cand);
            match verify_link(current, cand).and_then(|()| can_issue(cand, below, anchor)) {
                Ok(()) => {
                    found = Some(cand);
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        match found {
            Some(c) => certs.push(c),
            None => {
                let issuer = names::render(&current.cert.tbs_certificate.issuer);
                let why = match last_error {
                    Some(e) => format!("no known certificate of {issuer} verifies {subject}: {e}"),
                    None => format!("the issuer {issuer} of {subject} is not known"),
                };
                return fail(certs, why);
            }
        }
    }
    fail(certs, "empty chain".to_owned())
}

fn fail<'a>(certs: Vec<&'a Cert>, why: String) -> Chain<'a> {
    Chain {
        certs,
        trusted: false,
        problem: Some(why),
    }
}

/// What the CRLs say about one certificate.
pub enum Revocation {
    /// No CRL of its issuer verified (none known, or all broken).
    NoCrl(String),
    /// A verified CRL of its issuer does not list it.
    Good,
    /// Listed, with the revocation time.
    Revoked(DateTime<Utc>),
}

/// Looks `cert` up in every CRL issued by `issuer` whose signature verifies.
pub fn revocation(cert: &Cert, issuer: &Cert, crls: &[&Crl]) -> Revocation {
    let issuer_name = issuer.subject_der();
    let mut broken = Vec::new();
    let mut verified = 0;
    let serial = cert.cert.tbs_certificate.serial_number.as_bytes();
    let may_sign_crls = match key_usage(&issuer.cert) {
        Ok(Some(ku)) => ku.0.contains(KeyUsages::CRLSign),
        Ok(None) => true,
        Err(_) => false,
    };
    for crl in crls {
        let c = &crl.crl;
        if to_der(&c.tbs_cert_list.issuer) != issuer_name {
            continue;
        }
        let ok = may_sign_crls
            && c.signature_algorithm == c.tbs_cert_list.signature
            && verified::once(&crl.sha256, &issuer.sha256, || {
                algorithms::scheme(&c.signature_algorithm, None).and_then(|s| {
                    algorithms::verify(
                        &issuer.cert.tbs_certificate.subject_public_key_info,
                        s,
                        &to_der(&c.tbs_cert_list),
                        c.signature.as_bytes().unwrap_or_default(),
                    )
                })
            })
            .is_ok();
        if !ok {
            broken.push(names::time(&c.tbs_cert_list.this_update).to_rfc3339());
            continue;
        }
        verified += 1;
        if let Some(entry) = c
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| r.serial_number.as_bytes() == serial)
        {
            return Revocation::Revoked(names::time(&entry.revocation_date));
        }
    }
    if verified > 0 {
        Revocation::Good
    } else if broken.is_empty() {
        Revocation::NoCrl("no CRL of the issuer is known".to_owned())
    } else {
        Revocation::NoCrl(format!(
            "CRLs of the issuer ignored, their signature does not verify (thisUpdate {})",
            broken.join(", ")
        ))
    }
}
