//! The catalogue's part for machine-readable powers of attorney (МЧД,
//! docs/power-of-attorney.md): the organisation's section (the list, the
//! upload, the head's signature, the revocation), the mark of a deal's
//! signature made under one, and the refusals by their `poa_*` codes.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use mezha_api_types::powers_of_attorney::{DealPowerKind, PoaStatus};

/// Strings of the powers of attorney.
pub struct PoaStrings {
    pub title: &'static str,
    /// One of them, without a number of the organisation's.
    pub title_one: &'static str,
    pub hint: &'static str,
    pub empty: &'static str,
    pub upload_title: &'static str,
    pub upload_file: &'static str,
    /// `{}`: the largest file accepted.
    pub upload_hint: &'static str,
    pub upload_submit: &'static str,
    pub no_file: &'static str,
    pub uploaded: &'static str,
    /// `{}`: the number the organisation gave it (`ВнНомДовер`).
    pub numbered: &'static str,
    /// `{}`: the representative's name.
    pub for_whom: &'static str,
    pub registry_number: &'static str,
    pub representative: &'static str,
    pub snils: &'static str,
    pub inn: &'static str,
    pub validity: &'static str,
    /// `{0}` the first valid day, `{1}` the last.
    pub valid_range: &'static str,
    pub powers: &'static str,
    pub restricted: &'static str,
    pub issued_by: &'static str,
    pub signed: &'static str,
    pub revoked: &'static str,
    pub sign: &'static str,
    pub sign_title: &'static str,
    pub sign_hint: &'static str,
    pub signature_file: &'static str,
    pub upload_signature: &'static str,
    pub signed_now: &'static str,
    pub revoked_now: &'static str,
    pub report: &'static str,
    pub revoke: &'static str,
    pub revoke_reason: &'static str,
    pub revoke_hint: &'static str,
    pub revoke_submit: &'static str,
    pub cancel: &'static str,
    pub download_xml: &'static str,
    pub download_signature: &'static str,
    /// A deal's signature: `{}` the number the organisation gave it.
    pub deal_under_numbered: &'static str,
    /// A deal's signature: `{}` the day it was issued.
    pub deal_under_issued: &'static str,
    /// A deal's signature under one not loaded.
    pub deal_under: &'static str,
    /// In the order of [`PoaStatus::ALL`].
    pub statuses: [&'static str; PoaStatus::ALL.len()],
    /// In the order of [`DealPowerKind::ALL`].
    pub deal_powers: [&'static str; DealPowerKind::ALL.len()],
    /// What `poa_missing_<part>` and `poa_invalid_<part>` say: `{}` the part.
    pub missing: &'static str,
    pub invalid: &'static str,
    /// The parts of the document, in the order of [`PARTS`].
    pub parts: [&'static str; PARTS.len()],
    pub errors: PoaErrors,
}

/// The `<part>` of `poa_missing_<part>` and `poa_invalid_<part>`.
pub const PARTS: [&str; 20] = [
    "document",
    "number",
    "issued_on",
    "valid_until",
    "principal",
    "principal_name",
    "principal_inn",
    "principal_kpp",
    "principal_ogrn",
    "head",
    "head_name",
    "head_snils",
    "head_inn",
    "representative",
    "representative_name",
    "representative_id",
    "representative_snils",
    "representative_inn",
    "powers",
    "power_code",
];

/// The refusals with a text of their own.
pub struct PoaErrors {
    pub too_large: &'static str,
    pub malformed: &'static str,
    pub not_emchd: &'static str,
    pub unsupported_format: &'static str,
    pub redelegated: &'static str,
    pub principal_not_organisation: &'static str,
    pub several_principals: &'static str,
    pub representative_not_person: &'static str,
    pub several_representatives: &'static str,
    pub invalid_period: &'static str,
    pub other_principal: &'static str,
    pub other_representative: &'static str,
    pub signer_unidentified: &'static str,
    pub not_yet_valid: &'static str,
    pub expired: &'static str,
    pub power_missing: &'static str,
    pub power_restricted: &'static str,
    pub required: &'static str,
}

fn named<T: PartialEq>(all: &[T], names: &[&'static str], value: T) -> &'static str {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}

impl PoaStrings {
    pub fn status(&self, s: PoaStatus) -> &'static str {
        named(PoaStatus::ALL, &self.statuses, s)
    }

    pub fn deal_power(&self, p: DealPowerKind) -> &'static str {
        named(DealPowerKind::ALL, &self.deal_powers, p)
    }

    /// The name of a power by its code (`КодПолн`), when it is one of
    /// Mezha's deal powers.
    pub fn power_by_code(&self, code: &str) -> Option<&'static str> {
        let kind = match code {
            "MEZHA.DEAL.SIGN_DOCUMENTS" => DealPowerKind::SignDocuments,
            "MEZHA.DEAL.SIGN_STATEMENTS" => DealPowerKind::SignStatements,
            "MEZHA.DEAL.SUBMIT_TO_REGISTRY" => DealPowerKind::SubmitToRegistry,
            _ => return None,
        };
        Some(self.deal_power(kind))
    }

    /// The message of a `poa_*` code with a fixed text.
    pub fn error(&self, code: &str) -> Option<&'static str> {
        let e = &self.errors;
        Some(match code.strip_prefix("poa_")? {
            "too_large" => e.too_large,
            "malformed" => e.malformed,
            "not_emchd" => e.not_emchd,
            "unsupported_format" => e.unsupported_format,
            "redelegated" => e.redelegated,
            "principal_not_organisation" => e.principal_not_organisation,
            "several_principals" => e.several_principals,
            "representative_not_person" => e.representative_not_person,
            "several_representatives" => e.several_representatives,
            "invalid_period" => e.invalid_period,
            "other_principal" => e.other_principal,
            "other_representative" => e.other_representative,
            "signer_unidentified" => e.signer_unidentified,
            "not_yet_valid" => e.not_yet_valid,
            "expired" => e.expired,
            "power_missing" => e.power_missing,
            "power_restricted" => e.power_restricted,
            "required" => e.required,
            _ => return None,
        })
    }

    /// The message of any `poa_*` code: [`Self::error`], or a part of the
    /// document missing or wrong, named.
    pub fn refusal(&self, code: &str) -> Option<String> {
        if let Some(text) = self.error(code) {
            return Some(text.to_owned());
        }
        let (template, part) = if let Some(part) = code.strip_prefix("poa_missing_") {
            (self.missing, part)
        } else {
            (self.invalid, code.strip_prefix("poa_invalid_")?)
        };
        let name = PARTS
            .iter()
            .position(|p| *p == part)
            .and_then(|i| self.parts.get(i))?;
        Some(template.replace("{}", name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_words_in_both_languages() {
        for strings in [&RU, &EN] {
            for part in PARTS {
                for prefix in ["poa_missing_", "poa_invalid_"] {
                    let text = strings.refusal(&format!("{prefix}{part}")).unwrap();
                    assert!(!text.contains("{}") && !text.contains('_'), "{text}");
                }
            }
            assert!(strings.refusal("poa_invalid_period").is_some());
            assert!(strings.refusal("poa_required").is_some());
            assert_eq!(strings.refusal("poa_missing_nothing"), None);
            assert_eq!(strings.error("not_poa"), None);
        }
    }
}
