//! A package's content: reading the ZIP at intake, and the checks that
//! decide `accepted` or `refused` afterwards (docs/registry-gateway.md,
//! "Checks").

use crate::protocol::{DocumentKind, DocumentSignature, MANIFEST_FILE, Manifest, PACKAGE_FORMAT};
use mezha_signatures::{
    CheckName, CheckResult, Indication, SubIndication, TrustStore, ValidationOptions,
    ValidationReport,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::io::Read;

/// A package taken apart: its manifest and every file of the ZIP by path.
#[derive(Debug, Clone)]
pub struct Contents {
    /// `manifest.json`.
    pub manifest: Manifest,
    /// The other files, by their path in the ZIP.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Reads a package body. Refuses (with a reason for people) a body that is
/// not a ZIP, a ZIP without a readable `manifest.json` of this protocol's
/// format, or one that unpacks to more than `max_unpacked` bytes.
pub fn read(body: &[u8], max_unpacked: usize) -> Result<Contents, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body))
        .map_err(|e| format!("the body is not a readable ZIP archive: {e}"))?;
    let mut files = BTreeMap::new();
    let mut unpacked = 0usize;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("entry {i} of the ZIP cannot be read: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let room = max_unpacked.saturating_sub(unpacked);
        let mut bytes = Vec::new();
        (&mut entry)
            .take(room as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("`{name}` in the ZIP cannot be unpacked: {e}"))?;
        if bytes.len() > room {
            return Err(format!(
                "the package unpacks to more than {max_unpacked} bytes"
            ));
        }
        unpacked += bytes.len();
        files.insert(name, bytes);
    }
    let manifest = files
        .remove(MANIFEST_FILE)
        .ok_or_else(|| format!("the ZIP holds no `{MANIFEST_FILE}`"))?;
    let manifest: Manifest = serde_json::from_slice(&manifest)
        .map_err(|e| format!("`{MANIFEST_FILE}` is not a valid manifest: {e}"))?;
    if manifest.format != PACKAGE_FORMAT {
        return Err(format!(
            "the manifest's format is `{}`, not `{PACKAGE_FORMAT}`",
            manifest.format
        ));
    }
    if manifest.reference.trim().is_empty() {
        return Err("the manifest's reference is empty".to_owned());
    }
    if let Some(url) = &manifest.callback_url {
        let parsed = url::Url::parse(url)
            .map_err(|e| format!("the callback_url `{url}` is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("the callback_url `{url}` is not http(s)"));
        }
    }
    Ok(Contents { manifest, files })
}

/// Checks a package; every reason it must be refused, none when it passes.
///
/// At least one statement; every document present with the SHA-256 the
/// manifest gives; every signature present, naming a known participant, its
/// power of attorney present, and a CMS over its document that validates
/// against `trust`. Without trust anchors (`trust_configured` false) a
/// signature whose only problem is the missing chain passes; a hash or
/// signature-value failure, or a malformed CMS, never does.
pub fn check(contents: &Contents, trust: &TrustStore, trust_configured: bool) -> Vec<String> {
    let manifest = &contents.manifest;
    let mut reasons = Vec::new();
    if !manifest
        .documents
        .iter()
        .any(|d| d.kind == DocumentKind::Statement)
    {
        reasons.push("the package holds no statement".to_owned());
    }
    let participants: HashSet<&str> = manifest
        .participants
        .iter()
        .map(|p| p.key.as_str())
        .collect();
    if participants.len() != manifest.participants.len() {
        reasons.push("two participants have the same key".to_owned());
    }
    for doc in &manifest.documents {
        let Some(bytes) = contents.files.get(&doc.file) else {
            reasons.push(format!("document `{}` is not in the package", doc.file));
            continue;
        };
        let actual = hex(&Sha256::digest(bytes));
        if !actual.eq_ignore_ascii_case(doc.sha256.trim()) {
            reasons.push(format!(
                "document `{}` has SHA-256 {actual}, the manifest says {}",
                doc.file, doc.sha256
            ));
            continue;
        }
        for sig in &doc.signatures {
            let whose = sig.participant.as_deref().unwrap_or("the employee");
            if let Some(key) = &sig.participant
                && !participants.contains(key.as_str())
            {
                reasons.push(format!(
                    "signature `{}` names an unknown participant `{key}`",
                    sig.file
                ));
            }
            if let Some(poa) = &sig.power_of_attorney {
                match contents.files.get(poa) {
                    None => reasons.push(format!(
                        "the power of attorney `{poa}` of signature `{}` is not in the package",
                        sig.file
                    )),
                    Some(xml) => {
                        if let Some(reason) =
                            poa_signature(contents, poa, xml, sig, trust, trust_configured)
                        {
                            reasons.push(reason);
                        }
                    }
                }
            }
            let Some(cms) = contents.files.get(&sig.file) else {
                reasons.push(format!("signature `{}` is not in the package", sig.file));
                continue;
            };
            let report =
                mezha_signatures::validate(bytes, cms, trust, &ValidationOptions::default());
            if !acceptable(&report, trust_configured) {
                reasons.push(format!(
                    "signature `{}` of `{}` by {whose} is not valid: {}",
                    sig.file,
                    doc.file,
                    describe(&report)
                ));
            }
        }
    }
    reasons
}

/// Why the head's signature of a power of attorney fails, if it does:
/// absent from the manifest or the package, or not a valid CMS over the
/// XML's bytes.
fn poa_signature(
    contents: &Contents,
    poa: &str,
    xml: &[u8],
    sig: &DocumentSignature,
    trust: &TrustStore,
    trust_configured: bool,
) -> Option<String> {
    let Some(path) = &sig.power_of_attorney_signature else {
        return Some(format!(
            "the power of attorney `{poa}` of signature `{}` comes without the head's signature",
            sig.file
        ));
    };
    let Some(cms) = contents.files.get(path) else {
        return Some(format!(
            "the signature `{path}` of the power of attorney `{poa}` is not in the package"
        ));
    };
    let report = mezha_signatures::validate(xml, cms, trust, &ValidationOptions::default());
    (!acceptable(&report, trust_configured)).then(|| {
        format!(
            "the head's signature `{path}` of the power of attorney `{poa}` is not valid: {}",
            describe(&report)
        )
    })
}

/// Whether a validation report lets a signature pass: `TOTAL_PASSED`, or,
/// without trust anchors, a report whose only problem is the chain (every
/// failed-or-undecided check is the chain or the revocation that needs it,
/// and the structure, the digest and the signature value passed).
pub fn acceptable(report: &ValidationReport, trust_configured: bool) -> bool {
    if report.is_signed() {
        return true;
    }
    if trust_configured
        || report.indication != Indication::Indeterminate
        || report.sub_indication != Some(SubIndication::NoCertificateChainFound)
    {
        return false;
    }
    let passed = |name: CheckName| {
        report
            .checks
            .iter()
            .any(|c| c.name == name && c.result == CheckResult::Passed)
    };
    let only_the_chain = report.checks.iter().all(|c| match c.result {
        CheckResult::Passed | CheckResult::Skipped => true,
        CheckResult::Failed => false,
        CheckResult::Indeterminate => {
            matches!(c.name, CheckName::CertificateChain | CheckName::Revocation)
        }
    });
    only_the_chain
        && passed(CheckName::Format)
        && passed(CheckName::MessageDigest)
        && passed(CheckName::SignatureValue)
}

/// The indication and the first check that did not pass, for the reason.
fn describe(report: &ValidationReport) -> String {
    let sub = report
        .sub_indication
        .map(|s| format!("/{}", s.as_str()))
        .unwrap_or_default();
    let why = report
        .checks
        .iter()
        .find(|c| matches!(c.result, CheckResult::Failed | CheckResult::Indeterminate))
        .map(|c| format!(" ({}: {})", c.name.as_str(), c.detail))
        .unwrap_or_default();
    format!("{}{sub}{why}", report.indication.as_str())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
