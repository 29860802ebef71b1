//! Machine-readable powers of attorney (машиночитаемая доверенность, МЧД;
//! docs/power-of-attorney.md): an organisation's employee who signs a
//! deal's documents for the organisation signs with his personal
//! certificate, and the signature is accompanied by an МЧД that the head
//! issued and signed. [`parse`] reads the МЧД's XML; [`check`] says whether
//! it lets this signer do this [`DealPower`] for this organisation today.
//! Pure: the caller checks the head's signature over the XML (the
//! validation engine), passes the date, and reads the signer's SNILS and INN
//! from his certificate.
//!
//! ```text
//! XML ─parse─> PowerOfAttorney ─check(Presentation)─> Ok | PoaRefusal
//!  └─ PoaError (malformed, too large, a part missing or invalid, unsupported)
//! ```
//!
//! # The format read
//!
//! The unified format of the ФНС МЧД registry, `ВерсФорм="EMCHD_1"` (XSD
//! `ON_EMCHD_1_928_00_01_01_01`, namespace `urn://x-artefacts/EMCHD_1`).
//! Elements are matched by local name, so any namespace or prefix is
//! accepted; anything not listed here is skipped. What is read:
//!
//! ```text
//! Доверенность @ВерсФорм = EMCHD_1
//! └ Документ
//!   └ Довер                              (a Передов here: poa_redelegated)
//!     ├ СвДов @НомДовер (UUID) @ВнНомДовер @ДатаВыдДовер @СрокДейст
//!     ├ СвДоверит (one) └ Доверит └ РосОргДовер
//!     │   ├ СвРосОрг @НаимОрг @ИННЮЛ @КПП @ОГРН
//!     │   └ ЛицоБезДов └ [СВЮЛ └] СвФЛ @СНИЛС @ИННФЛ └ СведФЛ └ ФИО @Фамилия @Имя @Отчество
//!     ├ СвУпПред (one) └ Пред └ СведФизЛ @СНИЛС @ИННФЛ └ СведФЛ └ ФИО
//!     └ СвПолн └ МашПолн @КодПолн @НаимПолн [└ ОгрСвПолн]   (one or more)
//! ```
//!
//! Where the sources disagreed or were silent, the most plausible reading
//! was taken:
//! - the issue date is `ДатаВыдДовер` and the last valid day `СрокДейст`
//!   (an `xs:date`), as in the published schema's bindings; some
//!   hand-written generators spell them otherwise and are not followed;
//! - a `ФИО` directly under `СведФизЛ`/`СвФЛ` (without `СведФЛ`) is
//!   accepted too, as some producers write it;
//! - `ОГРН` is optional (the schema's organisation type allows it to be
//!   absent); `КПП` is required;
//! - the head is the first `СвФЛ` under the first `ЛицоБезДов`, also when a
//!   management company (`СВЮЛ`) heads the organisation;
//! - the document must be UTF-8 (the format's encoding), at most
//!   [`MAX_XML_BYTES`], without a DOCTYPE.
//!
//! Not supported, refused with their own codes: redelegation (`Передов`),
//! a principal other than a Russian organisation, several principals, a
//! representative other than a natural person, several representatives.
//! Not checked here: the head's signature (the validation engine), whether
//! the registry has the МЧД as revoked, text powers (`ТекстПолн`; only
//! machine-readable ones count, and a document without any is refused).
//!
//! # Power codes
//!
//! [`DealPower::code`] gives Mezha's own codes, `MEZHA.DEAL.*`. They stand
//! in for the codes of the unified classifier of powers (единый
//! классификатор полномочий, ЕКП) for state registration of rights: the
//! classifier's Rosreestr entries could not be confirmed from the sources
//! at hand, and a wrong "real" code is worse than an honest local one.
//! Switching to the classifier's codes is a change of [`DealPower::code`]
//! and of the МЧД organisations issue.

mod check;
mod error;
mod parse;
pub mod stored;
mod xml;

#[cfg(test)]
mod tests;

pub use check::{PoaRefusal, Presentation, check, in_force, moscow_date};
pub use error::{Part, PoaError};

use crate::full_name::FullName;
use crate::inn::Inn;
use crate::ogrn::Ogrn;
use crate::requisites::Kpp;
use crate::snils::Snils;
use chrono::NaiveDate;
use uuid::Uuid;

/// Largest МЧД accepted, in bytes: 1 MiB. A real one is a few kilobytes.
pub const MAX_XML_BYTES: usize = 1024 * 1024;

/// A power of attorney as Mezha reads it: whose, to whom, when, what for.
/// Every identifier in it has passed its check digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerOfAttorney {
    /// The registry number (`НомДовер`).
    pub number: Uuid,
    /// The principal's own number for it (`ВнНомДовер`), if given.
    pub internal_number: Option<String>,
    /// The day it was issued (`ДатаВыдДовер`), its first valid day.
    pub issued_on: NaiveDate,
    /// Its last valid day (`СрокДейст`), never before `issued_on`.
    pub valid_until: NaiveDate,
    /// The organisation that gives the powers.
    pub principal: Principal,
    /// The employee who receives them.
    pub representative: Person,
    /// The machine-readable powers, at least one, in document order.
    pub powers: Vec<Power>,
}

/// The principal: a Russian organisation and its head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `НаимОрг`, inner whitespace collapsed.
    pub name: String,
    /// `ИННЮЛ`, a legal entity's (10 digits).
    pub inn: Inn,
    /// `КПП`.
    pub kpp: Kpp,
    /// `ОГРН`, a legal entity's (13 digits), if given.
    pub ogrn: Option<Ogrn>,
    /// The person who acts for it without a power of attorney and issued
    /// this one (`ЛицоБезДов`).
    pub head: Person,
}

/// A natural person named in the МЧД.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// `Фамилия Имя Отчество`.
    pub full_name: FullName,
    /// `СНИЛС`, if given.
    pub snils: Option<Snils>,
    /// `ИННФЛ` (12 digits), if given. A representative has at least one of
    /// the two.
    pub inn: Option<Inn>,
}

/// One machine-readable power (`МашПолн`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Power {
    /// `КодПолн`.
    pub code: String,
    /// `НаимПолн`; empty when the document gives none.
    pub name: String,
    /// Whether it carries restrictions (`ОгрСвПолн`). Mezha cannot weigh
    /// them, so [`check`] does not count a restricted power.
    pub restricted: bool,
}

/// What an employee does in a deal on the organisation's behalf that needs
/// a power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DealPower {
    /// Sign the deal's documents (contracts, acts) for the organisation.
    SignDocuments,
    /// Sign the registration statements for the organisation.
    SignStatements,
    /// Send the signed package to the state registry.
    SubmitToRegistry,
}

impl DealPower {
    /// Every deal power.
    pub const ALL: [DealPower; 3] = [
        DealPower::SignDocuments,
        DealPower::SignStatements,
        DealPower::SubmitToRegistry,
    ];

    /// The `КодПолн` that grants it: Mezha's codes, standing in for the
    /// classifier's (see the module docs).
    pub fn code(self) -> &'static str {
        match self {
            DealPower::SignDocuments => "MEZHA.DEAL.SIGN_DOCUMENTS",
            DealPower::SignStatements => "MEZHA.DEAL.SIGN_STATEMENTS",
            DealPower::SubmitToRegistry => "MEZHA.DEAL.SUBMIT_TO_REGISTRY",
        }
    }

    /// The `НаимПолн` to write beside the code when issuing an МЧД.
    pub fn title(self) -> &'static str {
        match self {
            DealPower::SignDocuments => {
                "Подписывать документы сделки с недвижимым имуществом от имени организации"
            }
            DealPower::SignStatements => {
                "Подписывать заявления о государственном кадастровом учёте и (или) государственной регистрации прав"
            }
            DealPower::SubmitToRegistry => {
                "Представлять документы на государственную регистрацию прав в орган регистрации прав"
            }
        }
    }

    /// The deal power a code grants, if it is one of Mezha's.
    pub fn from_code(code: &str) -> Option<DealPower> {
        DealPower::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl PowerOfAttorney {
    /// The deal powers it grants without restrictions, in [`DealPower::ALL`]
    /// order: what an employee holding it may do.
    pub fn deal_powers(&self) -> Vec<DealPower> {
        DealPower::granted(self.powers.iter().map(|p| (p.code.as_str(), p.restricted)))
    }
}

impl DealPower {
    /// The deal powers that powers given as `(КодПолн, restricted)` grant
    /// without restrictions, in [`DealPower::ALL`] order.
    pub fn granted<'a>(powers: impl Iterator<Item = (&'a str, bool)> + Clone) -> Vec<DealPower> {
        DealPower::ALL
            .into_iter()
            .filter(|power| {
                powers
                    .clone()
                    .any(|(code, restricted)| code == power.code() && !restricted)
            })
            .collect()
    }
}

/// Reads an EMCHD_1 document (UTF-8 bytes, a BOM allowed). Never panics:
/// anything that is not a power of attorney Mezha can use is a
/// [`PoaError`] — over [`MAX_XML_BYTES`] (`poa_too_large`), not well-formed
/// (`poa_malformed`), another document or format, an unsupported kind, a
/// required part missing (`poa_missing_<part>`) or invalid
/// (`poa_invalid_<part>`: check digits, dates, UUID), or a period that ends
/// before it starts (`poa_invalid_period`).
pub fn parse(xml: &[u8]) -> Result<PowerOfAttorney, PoaError> {
    parse::parse(xml)
}
