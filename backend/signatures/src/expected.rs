//! Whether the signer is the party expected to sign (SNILS, INN, the
//! certificate bound to the account).

use mezha_api_types::signatures::{ExpectedSigner, SignerInfo};

use crate::names;

/// Why the signer is not the expected one, or `None` when it is.
pub(crate) fn expected_mismatch(expected: &ExpectedSigner, info: &SignerInfo) -> Option<String> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let norm_hex = |s: &str| {
        s.chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    if let Some(snils) = given(&expected.snils) {
        let want = names::digits(&snils);
        if info.snils.as_deref().map(names::digits) != Some(want.clone()) {
            return Some(format!(
                "expected SNILS {want}, the certificate has {}",
                info.snils.as_deref().unwrap_or("none")
            ));
        }
    }
    if let Some(inn) = given(&expected.inn) {
        let want = names::digits(&inn);
        let has = [&info.inn, &info.inn_le]
            .iter()
            .any(|v| v.as_deref().map(names::digits).as_deref() == Some(want.as_str()));
        if !has {
            return Some(format!(
                "expected INN {want}, the certificate has another or none"
            ));
        }
    }
    if let Some(fp) = given(&expected.certificate_sha256)
        && norm_hex(&fp) != info.certificate_sha256
    {
        return Some("the signer certificate is not the one bound to the account".to_owned());
    }
    if let Some(serial) = given(&expected.serial_number) {
        let want = norm_hex(&serial);
        let want = want.trim_start_matches('0');
        let want = if want.is_empty() { "0" } else { want };
        if want != info.serial_number {
            return Some(format!(
                "expected serial number {want}, the certificate has {}",
                info.serial_number
            ));
        }
    }
    if let Some(issuer) = given(&expected.issuer)
        && issuer != info.issuer
    {
        return Some(format!(
            "expected issuer {issuer}, the certificate's is {}",
            info.issuer
        ));
    }
    None
}
