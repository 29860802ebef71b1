//! The validation of one detached CMS signature, check by check.

use chrono::{DateTime, Utc};
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo as CmsSignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use mezha_api_types::signatures::{
    CheckName, ExpectedSigner, Indication, SubIndication, ValidationReport,
};
use x509_cert::time::Time;

use crate::algorithms::{self, Hash, VerifyError, to_der};
use crate::chain::{self, Revocation};
use crate::expected::expected_mismatch;
use crate::names;
use crate::report::{Checks, certificate_info, signer_info};
use crate::trust::{Cert, Crl, TrustStore};

const ID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const ID_DATA: &str = "1.2.840.113549.1.7.1";
const ATTR_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const ATTR_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const ATTR_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// Largest signature accepted (a CMS with a long chain is ~20 KB).
pub const MAX_SIGNATURE_BYTES: usize = 1 << 20;

/// Options of one validation.
#[derive(Debug, Clone, Default)]
pub struct ValidationOptions {
    /// Who must have signed; `None` skips the check.
    pub expected_signer: Option<ExpectedSigner>,
    /// "Now" for the validity checks; `None` is the current time.
    pub validation_time: Option<DateTime<Utc>>,
    /// The signature is being made now (a document signed on the
    /// platform): its signingTime is only the signer's claim, so it does
    /// not move the revocation check into the past — a certificate revoked
    /// by the validation time fails whatever time the signature claims.
    pub signed_now: bool,
}

/// Validates a detached CMS signature (`signature`, DER or PEM) over the exact
/// `document` bytes against `trust`. Never panics on any input; malformed
/// input yields `TOTAL_FAILED` / `FORMAT_FAILURE`.
///
/// With several SignerInfos, the first that passes (and matches the expected
/// signer) is reported, else the first one.
pub fn validate(
    document: &[u8],
    signature: &[u8],
    trust: &TrustStore,
    options: &ValidationOptions,
) -> ValidationReport {
    let now = options.validation_time.unwrap_or_else(Utc::now);
    let signed_data = match parse(signature) {
        Ok(sd) => sd,
        Err(why) => return format_failure(now, why),
    };
    let cms_certs: Vec<Cert> = signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            cms::cert::CertificateChoices::Certificate(c) => Some(Cert::new(c.clone(), to_der(c))),
            _ => None,
        })
        .collect();
    let cms_crls: Vec<Crl> = signed_data
        .crls
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            cms::revocation::RevocationInfoChoice::Crl(c) => Some(Crl::new(c.clone())),
            _ => None,
        })
        .collect();
    let crls: Vec<&Crl> = trust.crls.iter().chain(cms_crls.iter()).collect();

    let content_type = signed_data.encap_content_info.econtent_type.to_string();
    let attached = signed_data.encap_content_info.econtent.as_ref().map(|any| {
        match any.decode_as::<OctetString>() {
            Ok(o) => o.as_bytes().to_vec(),
            Err(_) => any.value().to_vec(),
        }
    });
    let signers: Vec<&CmsSignerInfo> = signed_data.signer_infos.0.iter().collect();
    if signers.is_empty() {
        return format_failure(now, "the SignedData has no SignerInfo".to_owned());
    }
    if attached.as_ref().is_some_and(|c| c.as_slice() != document) {
        return format_failure(
            now,
            "the signature is not detached and carries content other than the document".to_owned(),
        );
    }
    let ctx = Context {
        document,
        content_type: &content_type,
        cms_certs: &cms_certs,
        crls: &crls,
        trust,
        options,
        now,
    };
    let mut first = None;
    for (i, signer) in signers.iter().enumerate() {
        let mut report = ctx.validate_signer(signer);
        if signers.len() > 1
            && let Some(c) = report.checks.first_mut()
        {
            c.detail = format!("{}; SignerInfo {} of {}", c.detail, i + 1, signers.len());
        }
        if report.indication == Indication::TotalPassed {
            return report;
        }
        first.get_or_insert(report);
    }
    first.unwrap_or_else(|| format_failure(now, "no SignerInfo".to_owned()))
}

fn format_failure(now: DateTime<Utc>, why: String) -> ValidationReport {
    let mut checks = Checks::default();
    checks.fail(
        CheckName::Format,
        why,
        Indication::TotalFailed,
        SubIndication::FormatFailure,
    );
    checks.finish(now, None, None, None, None, Vec::new())
}

/// The DER of a signature given as PEM or as DER (as it is).
pub fn signature_der(signature: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    let trimmed = signature.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN ") {
        let (_label, bytes) = der::pem::decode_vec(trimmed.trim_ascii_end())
            .map_err(|e| format!("not a valid PEM signature: {e}"))?;
        Ok(std::borrow::Cow::Owned(bytes))
    } else {
        Ok(std::borrow::Cow::Borrowed(signature))
    }
}

/// PEM or DER → SignedData.
fn parse(signature: &[u8]) -> Result<SignedData, String> {
    if signature.is_empty() {
        return Err("the signature is empty".to_owned());
    }
    if signature.len() > MAX_SIGNATURE_BYTES {
        return Err(format!(
            "the signature is larger than {MAX_SIGNATURE_BYTES} bytes"
        ));
    }
    let der = signature_der(signature)?;
    let ci = ContentInfo::from_der(&der).map_err(|e| format!("not a DER CMS ContentInfo: {e}"))?;
    if ci.content_type.to_string() != ID_SIGNED_DATA {
        return Err(format!(
            "the content type is {}, not SignedData",
            ci.content_type
        ));
    }
    ci.content
        .decode_as::<SignedData>()
        .map_err(|e| format!("malformed SignedData: {e}"))
}

struct Context<'a> {
    document: &'a [u8],
    content_type: &'a str,
    cms_certs: &'a [Cert],
    crls: &'a [&'a Crl],
    trust: &'a TrustStore,
    options: &'a ValidationOptions,
    now: DateTime<Utc>,
}

/// The single value of a signed attribute: `Ok(None)` when absent, `Err` when
/// repeated or with several values (RFC 5652 §11).
fn single_attr<'s>(signer: &'s CmsSignerInfo, oid: &str) -> Result<Option<&'s der::Any>, String> {
    let Some(attrs) = signer.signed_attrs.as_ref() else {
        return Ok(None);
    };
    let mut found = attrs.iter().filter(|a| a.oid.to_string() == oid);
    let Some(attr) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() || attr.values.len() != 1 {
        return Err(format!(
            "signed attribute {oid} must occur once with one value"
        ));
    }
    Ok(attr.values.iter().next())
}

impl Context<'_> {
    fn validate_signer(&self, signer: &CmsSignerInfo) -> ValidationReport {
        let mut checks = Checks::default();
        let digest_oid = signer.digest_alg.oid.to_string();
        let hash = Hash::from_oid(&digest_oid);
        let digest_name = Some(hash.map_or(digest_oid.clone(), |h| h.name().to_owned()));
        let sig_alg_name = Some(
            algorithms::scheme(&signer.signature_algorithm, hash)
                .map_or_else(|_| signer.signature_algorithm.oid.to_string(), |s| s.name()),
        );

        // --- structure and signed attributes
        let attrs = (|| {
            let ct = single_attr(signer, ATTR_CONTENT_TYPE)?
                .map(|v| v.decode_as::<ObjectIdentifier>().map(|o| o.to_string()))
                .transpose()
                .map_err(|e| format!("contentType attribute: {e}"))?;
            let md = single_attr(signer, ATTR_MESSAGE_DIGEST)?
                .map(|v| v.decode_as::<OctetString>().map(|o| o.as_bytes().to_vec()))
                .transpose()
                .map_err(|e| format!("messageDigest attribute: {e}"))?;
            let st = single_attr(signer, ATTR_SIGNING_TIME)?
                .map(|v| {
                    v.to_der()
                        .and_then(|d| Time::from_der(&d))
                        .map(|t| names::time(&t))
                })
                .transpose()
                .map_err(|e| format!("signingTime attribute: {e}"))?;
            if signer.signed_attrs.is_some() && (ct.is_none() || md.is_none()) {
                return Err("signed attributes without contentType or messageDigest".to_owned());
            }
            Ok((ct, md, st))
        })();
        let (content_type, message_digest, signing_time) = match attrs {
            Ok(a) => a,
            Err(why) => {
                checks.fail(
                    CheckName::Format,
                    why,
                    Indication::TotalFailed,
                    SubIndication::FormatFailure,
                );
                return checks.finish(self.now, None, None, sig_alg_name, digest_name, Vec::new());
            }
        };
        checks.pass(CheckName::Format, "detached CMS SignedData".to_owned());

        match &content_type {
            Some(ct) if ct == ID_DATA && self.content_type == ID_DATA => {
                checks.pass(CheckName::ContentType, "id-data".to_owned());
            }
            Some(ct) => checks.fail(
                CheckName::ContentType,
                format!(
                    "contentType {ct} / eContentType {} (expected id-data)",
                    self.content_type
                ),
                Indication::TotalFailed,
                SubIndication::FormatFailure,
            ),
            None => checks.skip(CheckName::ContentType, "no signed attributes".to_owned()),
        }

        // --- message digest
        let Some(hash) = hash else {
            checks.indeterminate(
                CheckName::MessageDigest,
                format!("unsupported digest algorithm {digest_oid}"),
                SubIndication::CryptoConstraintsFailure,
            );
            return self.after_digest(
                checks,
                signer,
                None,
                signing_time,
                sig_alg_name,
                digest_name,
            );
        };
        match &message_digest {
            Some(md) => {
                let actual = hash.digest(self.document);
                if &actual == md {
                    checks.pass(
                        CheckName::MessageDigest,
                        format!("{} of the document matches messageDigest", hash.name()),
                    );
                } else {
                    checks.fail(
                        CheckName::MessageDigest,
                        format!(
                            "{} of the document is {}, messageDigest is {}",
                            hash.name(),
                            names::hex(&actual),
                            names::hex(md)
                        ),
                        Indication::TotalFailed,
                        SubIndication::HashFailure,
                    );
                }
            }
            None => checks.pass(
                CheckName::MessageDigest,
                "no signed attributes: the signature covers the document itself".to_owned(),
            ),
        }
        self.after_digest(
            checks,
            signer,
            Some(hash),
            signing_time,
            sig_alg_name,
            digest_name,
        )
    }

    fn find_signer_cert(&self, signer: &CmsSignerInfo) -> Option<&Cert> {
        let pool = self
            .cms_certs
            .iter()
            .chain(self.trust.intermediates.iter())
            .chain(self.trust.anchors.iter());
        let mut pool = pool;
        match &signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                let issuer = to_der(&ias.issuer);
                pool.find(|c| {
                    c.cert.tbs_certificate.serial_number == ias.serial_number
                        && c.issuer_der() == issuer
                })
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                pool.find(|c| chain::subject_key_id(&c.cert).as_deref() == Some(ski.0.as_bytes()))
            }
        }
    }

    fn after_digest(
        &self,
        mut checks: Checks,
        signer: &CmsSignerInfo,
        hash: Option<Hash>,
        signing_time: Option<DateTime<Utc>>,
        sig_alg_name: Option<String>,
        digest_name: Option<String>,
    ) -> ValidationReport {
        // --- signer certificate
        let Some(cert) = self.find_signer_cert(signer) else {
            checks.indeterminate(
                CheckName::SigningCertificate,
                "no certificate matching the signer identifier".to_owned(),
                SubIndication::NoSigningCertificateFound,
            );
            return checks.finish(
                self.now,
                None,
                signing_time,
                sig_alg_name,
                digest_name,
                Vec::new(),
            );
        };
        let info = signer_info(cert);
        checks.pass(CheckName::SigningCertificate, info.subject.clone());

        // --- signature value
        let signed_message = match &signer.signed_attrs {
            // The signature covers the DER of the attributes as a SET OF
            // (tag 0x31), not the [0] IMPLICIT form they travel in.
            Some(attrs) => attrs.to_der().map_err(|e| e.to_string()),
            None => Ok(self.document.to_vec()),
        };
        let result = hash
            .ok_or_else(|| VerifyError::Unsupported("unsupported digest algorithm".to_owned()))
            .and_then(|h| algorithms::scheme(&signer.signature_algorithm, Some(h)))
            .and_then(|scheme| {
                let msg = signed_message.clone().map_err(VerifyError::Invalid)?;
                algorithms::verify(
                    &cert.cert.tbs_certificate.subject_public_key_info,
                    scheme,
                    &msg,
                    signer.signature.as_bytes(),
                )
                .map(|()| scheme)
            });
        match result {
            Ok(scheme) => checks.pass(
                CheckName::SignatureValue,
                format!("{} signature verifies with the signer's key", scheme.name()),
            ),
            Err(VerifyError::Unsupported(why)) => checks.indeterminate(
                CheckName::SignatureValue,
                why,
                SubIndication::CryptoConstraintsFailure,
            ),
            Err(VerifyError::Invalid(why)) => checks.fail(
                CheckName::SignatureValue,
                why,
                Indication::TotalFailed,
                SubIndication::SigCryptoFailure,
            ),
        }

        // --- chain
        let chain = chain::build(cert, self.cms_certs, self.trust);
        match (&chain.problem, chain.trusted) {
            (None, true) => checks.pass(
                CheckName::CertificateChain,
                format!(
                    "{} certificate(s) up to the trust anchor {}",
                    chain.certs.len(),
                    chain
                        .certs
                        .last()
                        .map(|c| names::render(&c.cert.tbs_certificate.subject))
                        .unwrap_or_default()
                ),
            ),
            (problem, _) => checks.indeterminate(
                CheckName::CertificateChain,
                problem
                    .clone()
                    .unwrap_or_else(|| "no trusted chain".to_owned()),
                SubIndication::NoCertificateChainFound,
            ),
        }

        self.validity(&mut checks, &chain.certs, signing_time);
        self.revocation(&mut checks, &chain.certs, signing_time);

        // --- key usage
        match chain::key_usage(&cert.cert) {
            Ok(None) => checks.pass(CheckName::KeyUsage, "no keyUsage extension".to_owned()),
            Ok(Some(ku)) if ku.digital_signature() || ku.non_repudiation() => checks.pass(
                CheckName::KeyUsage,
                "keyUsage allows digitalSignature or nonRepudiation".to_owned(),
            ),
            Ok(Some(_)) => checks.fail(
                CheckName::KeyUsage,
                "keyUsage allows neither digitalSignature nor nonRepudiation".to_owned(),
                Indication::TotalFailed,
                SubIndication::KeyUsageFailure,
            ),
            Err(why) => checks.fail(
                CheckName::KeyUsage,
                why,
                Indication::TotalFailed,
                SubIndication::FormatFailure,
            ),
        }

        // --- expected signer
        match &self.options.expected_signer {
            None => checks.skip(
                CheckName::ExpectedSigner,
                "no expected signer given".to_owned(),
            ),
            Some(expected) => match expected_mismatch(expected, &info) {
                None => checks.pass(
                    CheckName::ExpectedSigner,
                    "the signer is the expected party".to_owned(),
                ),
                Some(why) => checks.fail(
                    CheckName::ExpectedSigner,
                    why,
                    Indication::TotalFailed,
                    SubIndication::SignerMismatch,
                ),
            },
        }

        let chain_info = chain
            .certs
            .iter()
            .enumerate()
            .map(|(i, c)| certificate_info(c, chain.trusted && i + 1 == chain.certs.len()))
            .collect();
        checks.finish(
            self.now,
            Some(info),
            signing_time,
            sig_alg_name,
            digest_name,
            chain_info,
        )
    }

    fn validity(&self, checks: &mut Checks, certs: &[&Cert], signing_time: Option<DateTime<Utc>>) {
        let bounds = |c: &Cert| {
            let v = &c.cert.tbs_certificate.validity;
            (names::time(&v.not_before), names::time(&v.not_after))
        };
        let subject = |c: &Cert| names::render(&c.cert.tbs_certificate.subject);
        match signing_time {
            None => checks.skip(
                CheckName::ValidityAtSigningTime,
                "no signingTime attribute".to_owned(),
            ),
            Some(t) => {
                let expired = certs.iter().find(|c| t > bounds(c).1);
                let early = certs.iter().find(|c| t < bounds(c).0);
                if let Some(c) = expired {
                    checks.fail(
                        CheckName::ValidityAtSigningTime,
                        format!(
                            "signed at {t}, after {} expired at {}",
                            subject(c),
                            bounds(c).1
                        ),
                        Indication::TotalFailed,
                        SubIndication::Expired,
                    );
                } else if let Some(c) = early {
                    checks.fail(
                        CheckName::ValidityAtSigningTime,
                        format!(
                            "signed at {t}, before {} became valid at {}",
                            subject(c),
                            bounds(c).0
                        ),
                        Indication::TotalFailed,
                        SubIndication::NotYetValid,
                    );
                } else {
                    checks.pass(
                        CheckName::ValidityAtSigningTime,
                        format!("every certificate was valid at {t}"),
                    );
                }
            }
        }
        let now = self.now;
        if let Some(c) = certs.iter().find(|c| now < bounds(c).0) {
            checks.fail(
                CheckName::ValidityNow,
                format!("{} is valid only from {}", subject(c), bounds(c).0),
                Indication::TotalFailed,
                SubIndication::NotYetValid,
            );
        } else if let Some(c) = certs.iter().find(|c| now > bounds(c).1) {
            checks.indeterminate(
                CheckName::ValidityNow,
                format!(
                    "{} expired at {}; nothing but the signer's claim proves the signing time",
                    subject(c),
                    bounds(c).1
                ),
                SubIndication::OutOfBoundsNoPoe,
            );
        } else {
            checks.pass(
                CheckName::ValidityNow,
                format!("every certificate is valid at {now}"),
            );
        }
    }

    fn revocation(
        &self,
        checks: &mut Checks,
        certs: &[&Cert],
        signing_time: Option<DateTime<Utc>>,
    ) {
        let at = match signing_time {
            Some(claimed) if !self.options.signed_now => claimed,
            _ => self.now,
        };
        let mut notes = Vec::new();
        for pair in certs.windows(2) {
            let (cert, issuer) = (pair[0], pair[1]);
            let subject = names::render(&cert.cert.tbs_certificate.subject);
            match chain::revocation(cert, issuer, self.crls) {
                Revocation::Revoked(when) if when <= at => {
                    checks.fail(
                        CheckName::Revocation,
                        format!("{subject} was revoked at {when}, signing time {at}"),
                        Indication::TotalFailed,
                        SubIndication::Revoked,
                    );
                    return;
                }
                Revocation::Revoked(when) => notes.push(format!(
                    "{subject}: revoked at {when}, after the signing time {at}"
                )),
                Revocation::Good => notes.push(format!("{subject}: not revoked")),
                Revocation::NoCrl(why) => notes.push(format!("{subject}: {why}")),
            }
        }
        if notes.is_empty() {
            checks.skip(
                CheckName::Revocation,
                "no certificate with a known issuer".to_owned(),
            );
        } else {
            checks.pass(CheckName::Revocation, notes.join("; "));
        }
    }
}
