//! Whether a parsed power of attorney lets the signer act now: [`check`].

use super::{DealPower, PowerOfAttorney};
use crate::inn::Inn;
use crate::ogrn::Ogrn;
use crate::snils::Snils;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The circumstances an МЧД is presented in: who signs, for whom, when and
/// to do what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    /// Today in Moscow ([`moscow_date`]): the dates of an МЧД are Moscow
    /// calendar dates.
    pub today: NaiveDate,
    /// The INN of the organisation the employee signs for (its settings).
    pub organisation_inn: Inn,
    /// Its OGRN, compared when both it and the МЧД have one.
    pub organisation_ogrn: Option<Ogrn>,
    /// The SNILS in the signer's certificate (OID 1.2.643.100.3), if any.
    pub signer_snils: Option<Snils>,
    /// The personal INN in the signer's certificate (OID
    /// 1.2.643.3.131.1.1), if any.
    pub signer_inn: Option<Inn>,
    /// What the signature is for.
    pub power: DealPower,
}

/// Why a power of attorney does not let the signer act. Each variant has a
/// stable [`code`](PoaRefusal::code); the message (`Display`) is English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoaRefusal {
    /// It was issued by another organisation: the INN (or both OGRNs)
    /// differ (`poa_other_principal`).
    #[error("the power of attorney was issued by another organisation")]
    OtherPrincipal,
    /// The certificate and the МЧД share no identifier to compare: the
    /// certificate has no SNILS where the МЧД names one, no INN where it
    /// names one (`poa_signer_unidentified`).
    #[error(
        "the signer's certificate names no SNILS or INN that the power of attorney names for the representative"
    )]
    SignerUnidentified,
    /// It names someone else as the representative: a SNILS or INN in both
    /// differs (`poa_other_representative`).
    #[error("the power of attorney was issued to someone else")]
    OtherRepresentative,
    /// Today is before the issue date (`poa_not_yet_valid`).
    #[error("the power of attorney is valid from {from}")]
    NotYetValid {
        /// `ДатаВыдДовер`, the first valid day.
        from: NaiveDate,
    },
    /// Today is after the last valid day (`poa_expired`).
    #[error("the power of attorney expired: its last valid day was {until}")]
    Expired {
        /// `СрокДейст`, the last valid day.
        until: NaiveDate,
    },
    /// No power with the action's code (`poa_power_missing`).
    #[error("the power of attorney does not grant the power {}", .0.code())]
    PowerMissing(DealPower),
    /// The power is there only with restrictions (`ОгрСвПолн`), which Mezha
    /// cannot weigh (`poa_power_restricted`).
    #[error("the power {} is granted only with restrictions, which Mezha cannot check", .0.code())]
    PowerRestricted(DealPower),
}

impl PoaRefusal {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            PoaRefusal::OtherPrincipal => "poa_other_principal",
            PoaRefusal::SignerUnidentified => "poa_signer_unidentified",
            PoaRefusal::OtherRepresentative => "poa_other_representative",
            PoaRefusal::NotYetValid { .. } => "poa_not_yet_valid",
            PoaRefusal::Expired { .. } => "poa_expired",
            PoaRefusal::PowerMissing(_) => "poa_power_missing",
            PoaRefusal::PowerRestricted(_) => "poa_power_restricted",
        }
    }
}

/// Whether `poa` lets the signer of `ctx` do `ctx.power` for
/// `ctx.organisation_inn` today. The checks run in this order, the first
/// failing one answering:
///
/// 1. the principal: the МЧД's INN equals the organisation's, and so do
///    the OGRNs when both are known;
/// 2. the representative: every identifier both the certificate and the
///    МЧД carry (SNILS, INN) is equal, and there is at least one;
/// 3. the dates: `issued_on <= today <= valid_until`, both days included;
/// 4. the power: a `МашПолн` with the action's code and no restrictions.
///
/// Whose the МЧД is comes first, so that nothing about an unrelated МЧД's
/// dates or powers is told. Names are not compared: SNILS and INN identify
/// a person, spellings of a name vary (ё/е, case).
pub fn check(poa: &PowerOfAttorney, ctx: &Presentation) -> Result<(), PoaRefusal> {
    let principal = &poa.principal;
    if principal.inn != ctx.organisation_inn {
        return Err(PoaRefusal::OtherPrincipal);
    }
    if let (Some(theirs), Some(ours)) = (&principal.ogrn, &ctx.organisation_ogrn)
        && theirs != ours
    {
        return Err(PoaRefusal::OtherPrincipal);
    }

    let representative = &poa.representative;
    let snils = match (&ctx.signer_snils, &representative.snils) {
        (Some(signer), Some(named)) => Some(signer == named),
        _ => None,
    };
    let inn = match (&ctx.signer_inn, &representative.inn) {
        (Some(signer), Some(named)) => Some(signer == named),
        _ => None,
    };
    match (snils, inn) {
        (None, None) => return Err(PoaRefusal::SignerUnidentified),
        (Some(false), _) | (_, Some(false)) => return Err(PoaRefusal::OtherRepresentative),
        _ => {}
    }

    in_force(poa, ctx.today, ctx.power)
}

/// Steps 3 and 4 of [`check`] alone: whether a power of attorney whose
/// holder is settled (a signature accepted under it earlier) still lets him
/// do `power` on `today`.
pub fn in_force(
    poa: &PowerOfAttorney,
    today: NaiveDate,
    power: DealPower,
) -> Result<(), PoaRefusal> {
    if today < poa.issued_on {
        return Err(PoaRefusal::NotYetValid {
            from: poa.issued_on,
        });
    }
    if today > poa.valid_until {
        return Err(PoaRefusal::Expired {
            until: poa.valid_until,
        });
    }

    let code = power.code();
    let mut matching = poa.powers.iter().filter(|p| p.code == code).peekable();
    if matching.peek().is_none() {
        return Err(PoaRefusal::PowerMissing(power));
    }
    if matching.all(|p| p.restricted) {
        return Err(PoaRefusal::PowerRestricted(power));
    }
    Ok(())
}

/// The calendar date in Moscow (UTC+3 all year since 2014) at `now`: the
/// `today` of a [`Presentation`].
pub fn moscow_date(now: DateTime<Utc>) -> NaiveDate {
    (now + TimeDelta::hours(3)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poa::{Person, Power, Principal};
    use crate::{FullName, requisites::Kpp};
    use uuid::Uuid;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Valid 2025-03-01..=2026-02-28, for "Квартал-Сервис" to Петрова,
    /// granting SignDocuments, and SignStatements only with restrictions.
    fn poa() -> PowerOfAttorney {
        PowerOfAttorney {
            number: Uuid::nil(),
            internal_number: None,
            issued_on: day(2025, 3, 1),
            valid_until: day(2026, 2, 28),
            principal: Principal {
                name: "ООО «Квартал-Сервис»".to_owned(),
                inn: Inn::parse("7734123457").unwrap(),
                kpp: Kpp::parse("773401001").unwrap(),
                ogrn: Some(Ogrn::parse("1157746123457").unwrap()),
                head: Person {
                    full_name: FullName::parse("Сидоров Алексей Петрович").unwrap(),
                    snils: None,
                    inn: None,
                },
            },
            representative: Person {
                full_name: FullName::parse("Петрова Анна Сергеевна").unwrap(),
                snils: Some(Snils::parse("123-456-789 64").unwrap()),
                inn: Some(Inn::parse("771234567859").unwrap()),
            },
            powers: vec![
                Power {
                    code: DealPower::SignDocuments.code().to_owned(),
                    name: String::new(),
                    restricted: false,
                },
                Power {
                    code: DealPower::SignStatements.code().to_owned(),
                    name: String::new(),
                    restricted: true,
                },
            ],
        }
    }

    /// Петрова signs a document for the principal on a day inside.
    fn ctx() -> Presentation {
        Presentation {
            today: day(2025, 9, 1),
            organisation_inn: Inn::parse("7734123457").unwrap(),
            organisation_ogrn: Some(Ogrn::parse("1157746123457").unwrap()),
            signer_snils: Some(Snils::parse("12345678964").unwrap()),
            signer_inn: Some(Inn::parse("771234567859").unwrap()),
            power: DealPower::SignDocuments,
        }
    }

    #[test]
    fn every_refusal_and_its_edges() {
        let other_snils = Some(Snils::parse("156-789-012 11").unwrap());
        let other_inn = Some(Inn::parse("770312345678").unwrap());
        let cases: Vec<(&str, Presentation, Option<&str>)> = vec![
            ("all in order", ctx(), None),
            // Dates: both ends included, one day outside refused.
            (
                "the first day",
                Presentation {
                    today: day(2025, 3, 1),
                    ..ctx()
                },
                None,
            ),
            (
                "the last day",
                Presentation {
                    today: day(2026, 2, 28),
                    ..ctx()
                },
                None,
            ),
            (
                "the day before",
                Presentation {
                    today: day(2025, 2, 28),
                    ..ctx()
                },
                Some("poa_not_yet_valid"),
            ),
            (
                "the day after",
                Presentation {
                    today: day(2026, 3, 1),
                    ..ctx()
                },
                Some("poa_expired"),
            ),
            // The principal.
            (
                "another INN",
                Presentation {
                    organisation_inn: Inn::parse("7707083893").unwrap(),
                    ..ctx()
                },
                Some("poa_other_principal"),
            ),
            (
                "another OGRN",
                Presentation {
                    organisation_ogrn: Some(Ogrn::parse("1027700132195").unwrap()),
                    ..ctx()
                },
                Some("poa_other_principal"),
            ),
            (
                "no OGRN known",
                Presentation {
                    organisation_ogrn: None,
                    ..ctx()
                },
                None,
            ),
            // The representative.
            (
                "another SNILS",
                Presentation {
                    signer_snils: other_snils.clone(),
                    ..ctx()
                },
                Some("poa_other_representative"),
            ),
            (
                "another INN, same SNILS",
                Presentation {
                    signer_inn: other_inn.clone(),
                    ..ctx()
                },
                Some("poa_other_representative"),
            ),
            (
                "only the SNILS",
                Presentation {
                    signer_inn: None,
                    ..ctx()
                },
                None,
            ),
            (
                "only the INN",
                Presentation {
                    signer_snils: None,
                    ..ctx()
                },
                None,
            ),
            (
                "only another INN",
                Presentation {
                    signer_snils: None,
                    signer_inn: other_inn,
                    ..ctx()
                },
                Some("poa_other_representative"),
            ),
            (
                "no identifier",
                Presentation {
                    signer_snils: None,
                    signer_inn: None,
                    ..ctx()
                },
                Some("poa_signer_unidentified"),
            ),
            // The power.
            (
                "a power not granted",
                Presentation {
                    power: DealPower::SubmitToRegistry,
                    ..ctx()
                },
                Some("poa_power_missing"),
            ),
            (
                "a restricted power",
                Presentation {
                    power: DealPower::SignStatements,
                    ..ctx()
                },
                Some("poa_power_restricted"),
            ),
            // Order: whose it is before when and what.
            (
                "another principal, expired",
                Presentation {
                    organisation_inn: Inn::parse("7707083893").unwrap(),
                    today: day(2030, 1, 1),
                    ..ctx()
                },
                Some("poa_other_principal"),
            ),
            (
                "another representative, not granted",
                Presentation {
                    signer_snils: other_snils,
                    power: DealPower::SubmitToRegistry,
                    ..ctx()
                },
                Some("poa_other_representative"),
            ),
            (
                "expired, not granted",
                Presentation {
                    today: day(2026, 3, 1),
                    power: DealPower::SubmitToRegistry,
                    ..ctx()
                },
                Some("poa_expired"),
            ),
        ];
        for (name, ctx, expected) in cases {
            let got = check(&poa(), &ctx).err().map(|e| e.code());
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn the_representative_with_only_a_snils() {
        let mut poa = poa();
        poa.representative.inn = None;
        assert_eq!(check(&poa, &ctx()), Ok(()));
        let no_snils = Presentation {
            signer_snils: None,
            ..ctx()
        };
        assert_eq!(check(&poa, &no_snils), Err(PoaRefusal::SignerUnidentified));
    }

    #[test]
    fn an_unrestricted_copy_of_a_power_counts() {
        let mut poa = poa();
        poa.powers.push(Power {
            code: DealPower::SignStatements.code().to_owned(),
            name: String::new(),
            restricted: false,
        });
        let statements = Presentation {
            power: DealPower::SignStatements,
            ..ctx()
        };
        assert_eq!(check(&poa, &statements), Ok(()));
    }

    #[test]
    fn refusals_say_what_and_when() {
        let late = Presentation {
            today: day(2026, 3, 1),
            ..ctx()
        };
        let refusal = check(&poa(), &late).unwrap_err();
        assert_eq!(
            refusal,
            PoaRefusal::Expired {
                until: day(2026, 2, 28)
            }
        );
        assert_eq!(
            refusal.to_string(),
            "the power of attorney expired: its last valid day was 2026-02-28"
        );
        let missing = PoaRefusal::PowerMissing(DealPower::SubmitToRegistry);
        assert_eq!(
            missing.to_string(),
            "the power of attorney does not grant the power MEZHA.DEAL.SUBMIT_TO_REGISTRY"
        );
    }

    #[test]
    fn moscow_date_turns_at_21_utc() {
        let at = |s: &str| moscow_date(s.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(at("2025-02-28T20:59:59Z"), day(2025, 2, 28));
        assert_eq!(at("2025-02-28T21:00:00Z"), day(2025, 3, 1));
    }
}
