//! Why a power of attorney could not be read: [`PoaError`], and [`Part`],
//! the place in the document a missing or invalid value belongs to.

use super::MAX_XML_BYTES;
use crate::FieldError;
use chrono::NaiveDate;

macro_rules! parts {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $path:literal;)*) => {
        /// A value Mezha reads from an МЧД: its name in error codes and
        /// where it lives in the EMCHD_1 document.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Part {
            $($(#[$doc])* $variant,)*
        }

        impl Part {
            /// Every part, in the order the document is read.
            pub const ALL: &'static [Part] = &[$(Part::$variant,)*];

            /// The snake_case name, e.g. `principal_inn`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Part::$variant => $name,)*
                }
            }

            /// Where it lives, e.g. `СвРосОрг/@ИННЮЛ`.
            pub fn path(self) -> &'static str {
                match self {
                    $(Part::$variant => $path,)*
                }
            }

            /// The code of [`PoaError::Missing`] for it: `poa_missing_<name>`.
            pub fn missing_code(self) -> &'static str {
                match self {
                    $(Part::$variant => concat!("poa_missing_", $name),)*
                }
            }

            /// The code of [`PoaError::Invalid`] for it: `poa_invalid_<name>`.
            pub fn invalid_code(self) -> &'static str {
                match self {
                    $(Part::$variant => concat!("poa_invalid_", $name),)*
                }
            }
        }
    };
}

parts! {
    /// The body of the power of attorney.
    Document => "document", "Документ/Довер";
    /// Its number in the registry, a UUID.
    Number => "number", "СвДов/@НомДовер";
    /// The date it was issued.
    IssuedOn => "issued_on", "СвДов/@ДатаВыдДовер";
    /// The last date it is valid.
    ValidUntil => "valid_until", "СвДов/@СрокДейст";
    /// The principal, a Russian organisation.
    Principal => "principal", "СвДоверит/Доверит/РосОргДовер/СвРосОрг";
    /// The organisation's name.
    PrincipalName => "principal_name", "СвРосОрг/@НаимОрг";
    /// The organisation's INN (10 digits).
    PrincipalInn => "principal_inn", "СвРосОрг/@ИННЮЛ";
    /// The organisation's KPP.
    PrincipalKpp => "principal_kpp", "СвРосОрг/@КПП";
    /// The organisation's OGRN (13 digits).
    PrincipalOgrn => "principal_ogrn", "СвРосОрг/@ОГРН";
    /// The person who acts for it without a power of attorney: the head.
    Head => "head", "РосОргДовер/ЛицоБезДов//СвФЛ";
    /// The head's full name.
    HeadName => "head_name", "СвФЛ/СведФЛ/ФИО";
    /// The head's SNILS.
    HeadSnils => "head_snils", "СвФЛ/@СНИЛС";
    /// The head's INN (12 digits).
    HeadInn => "head_inn", "СвФЛ/@ИННФЛ";
    /// The representative, a natural person.
    Representative => "representative", "СвУпПред/Пред/СведФизЛ";
    /// The representative's full name.
    RepresentativeName => "representative_name", "СведФизЛ/СведФЛ/ФИО";
    /// Something to recognise the representative by: SNILS or INN.
    RepresentativeId => "representative_id", "СведФизЛ/@СНИЛС, @ИННФЛ";
    /// The representative's SNILS.
    RepresentativeSnils => "representative_snils", "СведФизЛ/@СНИЛС";
    /// The representative's INN (12 digits).
    RepresentativeInn => "representative_inn", "СведФизЛ/@ИННФЛ";
    /// The machine-readable powers.
    Powers => "powers", "СвПолн/МашПолн";
    /// A power's code.
    PowerCode => "power_code", "МашПолн/@КодПолн";
}

/// Why a document was not accepted as a power of attorney. Each variant has
/// a stable [`code`](PoaError::code); the message (`Display`) is English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoaError {
    /// Larger than [`MAX_XML_BYTES`] (`poa_too_large`).
    #[error("the power of attorney is {bytes} bytes; at most {MAX_XML_BYTES} are accepted")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not UTF-8, or not one well-formed XML document (`poa_malformed`).
    #[error("the power of attorney is not well-formed XML: {0}")]
    Malformed(String),
    /// Well-formed XML whose root is not `Доверенность` (`poa_not_emchd`).
    #[error("this is not a power of attorney: the root element is <{0}>, not <Доверенность>")]
    NotPowerOfAttorney(String),
    /// `ВерсФорм` is not `EMCHD_1` (`poa_unsupported_format`).
    #[error(
        "only the unified format EMCHD_1 is read; this document's ВерсФорм is {}",
        found.as_deref().unwrap_or("missing")
    )]
    UnsupportedFormat {
        /// The `ВерсФорм` found, if any.
        found: Option<String>,
    },
    /// A power of attorney issued by redelegation (`Передов`), which Mezha
    /// does not follow back to the original (`poa_redelegated`).
    #[error("a power of attorney issued by redelegation (передоверие) is not accepted")]
    Redelegated,
    /// The principal is not a Russian organisation (a sole proprietor, a
    /// person, a foreign organisation) (`poa_principal_not_organisation`).
    #[error("the principal is not a Russian organisation (РосОргДовер)")]
    PrincipalNotOrganisation,
    /// More than one principal (`poa_several_principals`).
    #[error("the power of attorney has several principals; one is accepted")]
    SeveralPrincipals,
    /// The representative is not a natural person (an organisation, a
    /// branch, a sole proprietor) (`poa_representative_not_person`).
    #[error("the representative is not a natural person (СведФизЛ)")]
    RepresentativeNotPerson,
    /// More than one representative (`poa_several_representatives`).
    #[error("the power of attorney has several representatives; one is accepted")]
    SeveralRepresentatives,
    /// A required part is absent or blank (`poa_missing_<part>`, see
    /// [`Part::missing_code`]).
    #[error("the power of attorney has no {} ({})", .0.name(), .0.path())]
    Missing(Part),
    /// A part is there but wrong: a bad UUID or date, an INN, OGRN or SNILS
    /// whose check digits fail, a name with digits (`poa_invalid_<part>`,
    /// see [`Part::invalid_code`]); the [`FieldError`] says why.
    #[error("the {} ({}) is invalid: {}", .0.name(), .0.path(), .1.message)]
    Invalid(Part, FieldError),
    /// It ends before it is issued (`poa_invalid_period`).
    #[error("the power of attorney ends ({valid_until}) before it is issued ({issued_on})")]
    EndsBeforeIssue {
        /// `ДатаВыдДовер`.
        issued_on: NaiveDate,
        /// `СрокДейст`.
        valid_until: NaiveDate,
    },
}

impl PoaError {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            PoaError::TooLarge { .. } => "poa_too_large",
            PoaError::Malformed(_) => "poa_malformed",
            PoaError::NotPowerOfAttorney(_) => "poa_not_emchd",
            PoaError::UnsupportedFormat { .. } => "poa_unsupported_format",
            PoaError::Redelegated => "poa_redelegated",
            PoaError::PrincipalNotOrganisation => "poa_principal_not_organisation",
            PoaError::SeveralPrincipals => "poa_several_principals",
            PoaError::RepresentativeNotPerson => "poa_representative_not_person",
            PoaError::SeveralRepresentatives => "poa_several_representatives",
            PoaError::Missing(part) => part.missing_code(),
            PoaError::Invalid(part, _) => part.invalid_code(),
            PoaError::EndsBeforeIssue { .. } => "poa_invalid_period",
        }
    }

    /// The part of the document at fault, for a missing or invalid value.
    pub fn part(&self) -> Option<Part> {
        match self {
            PoaError::Missing(part) | PoaError::Invalid(part, _) => Some(*part),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_distinct_and_snake_case() {
        let mut codes: Vec<&str> = vec![
            PoaError::TooLarge { bytes: 0 }.code(),
            PoaError::Malformed(String::new()).code(),
            PoaError::NotPowerOfAttorney(String::new()).code(),
            PoaError::UnsupportedFormat { found: None }.code(),
            PoaError::Redelegated.code(),
            PoaError::PrincipalNotOrganisation.code(),
            PoaError::SeveralPrincipals.code(),
            PoaError::RepresentativeNotPerson.code(),
            PoaError::SeveralRepresentatives.code(),
            PoaError::EndsBeforeIssue {
                issued_on: NaiveDate::MIN,
                valid_until: NaiveDate::MIN,
            }
            .code(),
        ];
        codes.extend(Part::ALL.iter().map(|p| p.missing_code()));
        codes.extend(Part::ALL.iter().map(|p| p.invalid_code()));
        let distinct: HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        for code in codes {
            assert!(code.starts_with("poa_"), "{code}");
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
    }

    #[test]
    fn messages_name_the_part() {
        assert_eq!(PoaError::Missing(Part::Number).code(), "poa_missing_number");
        assert_eq!(
            PoaError::Missing(Part::Number).to_string(),
            "the power of attorney has no number (СвДов/@НомДовер)"
        );
        let invalid = PoaError::Invalid(
            Part::PrincipalInn,
            FieldError::new("inn_checksum", "INN check digits do not match"),
        );
        assert_eq!(invalid.code(), "poa_invalid_principal_inn");
        assert_eq!(invalid.part(), Some(Part::PrincipalInn));
        assert!(invalid.to_string().contains("check digits"));
        assert_eq!(PoaError::Redelegated.part(), None);
    }
}
