//! Building the report: the list of checks, the final indication, and the
//! signer and chain descriptions.

use chrono::{DateTime, Utc};
use mezha_api_types::signatures::{
    CertificateInfo, Check, CheckName, CheckResult, Indication, SignerInfo, SubIndication,
    ValidationReport,
};

use crate::algorithms;
use crate::names;
use crate::trust::Cert;

/// The checks so far and the verdict each failed one implies.
#[derive(Default)]
pub(crate) struct Checks {
    checks: Vec<Check>,
    verdicts: Vec<(Indication, SubIndication)>,
}

impl Checks {
    fn push(&mut self, name: CheckName, result: CheckResult, detail: String) {
        self.checks.push(Check {
            name,
            result,
            detail,
        });
    }

    pub fn pass(&mut self, name: CheckName, detail: String) {
        self.push(name, CheckResult::Passed, detail);
    }

    pub fn skip(&mut self, name: CheckName, detail: String) {
        self.push(name, CheckResult::Skipped, detail);
    }

    pub fn fail(
        &mut self,
        name: CheckName,
        detail: String,
        indication: Indication,
        sub: SubIndication,
    ) {
        self.push(name, CheckResult::Failed, detail);
        self.verdicts.push((indication, sub));
    }

    pub fn indeterminate(&mut self, name: CheckName, detail: String, sub: SubIndication) {
        self.push(name, CheckResult::Indeterminate, detail);
        self.verdicts.push((Indication::Indeterminate, sub));
    }

    /// The report: `TOTAL_FAILED` if any check proved the signature wrong
    /// (the first such check names the sub-indication), else `INDETERMINATE`
    /// if any could not decide, else `TOTAL_PASSED`.
    pub fn finish(
        self,
        validation_time: DateTime<Utc>,
        signer: Option<SignerInfo>,
        signing_time: Option<DateTime<Utc>>,
        signature_algorithm: Option<String>,
        digest_algorithm: Option<String>,
        chain: Vec<CertificateInfo>,
    ) -> ValidationReport {
        let verdict = self
            .verdicts
            .iter()
            .find(|(i, _)| *i == Indication::TotalFailed)
            .or_else(|| self.verdicts.first())
            .copied();
        let (indication, sub_indication) = match verdict {
            Some((i, s)) => (i, Some(s)),
            None => (Indication::TotalPassed, None),
        };
        ValidationReport {
            indication,
            sub_indication,
            signer,
            signing_time,
            validation_time,
            signature_algorithm,
            digest_algorithm,
            chain,
            checks: self.checks,
        }
    }
}

/// The signer as the report shows it.
pub(crate) fn signer_info(cert: &Cert) -> SignerInfo {
    let tbs = &cert.cert.tbs_certificate;
    SignerInfo {
        subject: names::render(&tbs.subject),
        common_name: names::attribute(&tbs.subject, names::OID_CN),
        snils: names::attribute(&tbs.subject, names::OID_SNILS),
        inn: names::attribute(&tbs.subject, names::OID_INN),
        inn_le: names::attribute(&tbs.subject, names::OID_INNLE),
        serial_number: names::serial_hex(tbs.serial_number.as_bytes()),
        issuer: names::render(&tbs.issuer),
        certificate_sha256: names::hex(&cert.sha256),
    }
}

/// One chain element as the report shows it.
pub(crate) fn certificate_info(cert: &Cert, trust_anchor: bool) -> CertificateInfo {
    let tbs = &cert.cert.tbs_certificate;
    let (public_key_algorithm, public_key_parameters) =
        algorithms::describe_key(&tbs.subject_public_key_info);
    let signature_algorithm = algorithms::scheme(&cert.cert.signature_algorithm, None).map_or_else(
        |_| cert.cert.signature_algorithm.oid.to_string(),
        |s| s.name(),
    );
    CertificateInfo {
        subject: names::render(&tbs.subject),
        issuer: names::render(&tbs.issuer),
        serial_number: names::serial_hex(tbs.serial_number.as_bytes()),
        not_before: names::time(&tbs.validity.not_before),
        not_after: names::time(&tbs.validity.not_after),
        certificate_sha256: names::hex(&cert.sha256),
        public_key_algorithm,
        public_key_parameters,
        signature_algorithm,
        trust_anchor,
    }
}
