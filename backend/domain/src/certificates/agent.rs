//! Applications an organisation's CA agent files for a client of its base
//! (docs/certificates.md, "Filed by an organisation's CA agent").
//!
//! ```text
//! agent files (client's data complete) ─> submitted ─operator─> approved | rejected
//! approved ─link mailed─> claim: sent ─client claims─> claimed (his account owns it)
//! claim: sent ─time runs out─> expired ─agent resends─> sent
//! claimed ─client consents + CSR + SMS code─> issuing ─> issued
//! ```
//!
//! The agent establishes the person's identity by the original passport
//! in person, so the application needs no scans; it needs every datum the
//! certificate and the issuing take from the client's card. The agent never
//! holds the key: the client claims the application with his own account
//! and issues it as any owner does.

use super::owner::{FieldProblems, OwnerFields};
use crate::{FieldError, Snils};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use mezha_api_types::certificate_agents::{AgentApplicationAction, ClaimStatus};
use mezha_api_types::certificates::{ApplicantKind, ApplicationInput, ApplicationStatus};

/// How long a mailed claim link works.
pub const CLAIM_TTL: Duration = Duration::days(7);

/// The purpose written when the agent gives none.
pub const DEFAULT_PURPOSE: &str = "Подписание документов сделок с недвижимостью";

/// A client's card as the application takes it (the base's field names).
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCard<'a> {
    pub full_name: &'a str,
    pub snils: Option<&'a str>,
    pub inn: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub passport_series: Option<&'a str>,
    pub passport_number: Option<&'a str>,
    pub passport_issuer: Option<&'a str>,
    pub passport_issued_on: Option<NaiveDate>,
}

/// The application's field named by the client's card field.
fn card_field(application_field: &'static str) -> &'static str {
    match application_field {
        "passport_issued_by" => "passport_issuer",
        other => other,
    }
}

/// The owner's data of an application filed for the client of `card`: an
/// individual's, every value parsed as an applicant's own would be. Each
/// missing datum the certificate or the issuing needs is `required`, each
/// bad one named with its code — under the card's field names, so the agent
/// knows what to fix in the base.
pub fn application_fields(
    card: &ClientCard<'_>,
    purpose: Option<&str>,
    today: NaiveDate,
) -> Result<OwnerFields, FieldProblems> {
    let owned = |v: Option<&str>| v.map(str::to_owned);
    let input = ApplicationInput {
        kind: Some(ApplicantKind::Individual),
        full_name: Some(card.full_name.to_owned()),
        snils: owned(card.snils),
        inn: owned(card.inn),
        email: owned(card.email),
        phone: owned(card.phone),
        passport_series: owned(card.passport_series),
        passport_number: owned(card.passport_number),
        passport_issued_by: owned(card.passport_issuer),
        passport_issued_on: card.passport_issued_on,
        purpose: Some(
            purpose
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .unwrap_or(DEFAULT_PURPOSE)
                .to_owned(),
        ),
        ..ApplicationInput::default()
    };
    let rename = |list: FieldProblems| -> FieldProblems {
        list.into_iter()
            .map(|(field, error)| (card_field(field), error))
            .collect()
    };
    let fields = OwnerFields::default()
        .merge(&input, today)
        .map_err(rename)?;
    let missing: FieldProblems = [
        ("full_name", fields.full_name.is_some()),
        ("snils", fields.snils.is_some()),
        ("email", fields.email.is_some()),
        ("phone", fields.phone.is_some()),
        ("passport_series", fields.passport_series.is_some()),
        ("passport_number", fields.passport_number.is_some()),
        ("passport_issuer", fields.passport_issued_by.is_some()),
        ("passport_issued_on", fields.passport_issued_on.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| !present)
    .map(|(field, _)| {
        (
            field,
            FieldError::new(
                "required",
                "the client's card needs this to file a certificate application",
            ),
        )
    })
    .collect();
    if missing.is_empty() {
        Ok(fields)
    } else {
        Err(missing)
    }
}

/// Where the claim of an application stands at `now`.
pub fn claim_status(
    claim_expires_at: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClaimStatus {
    match (claimed_at, claim_expires_at) {
        (Some(_), _) => ClaimStatus::Claimed,
        (None, None) => ClaimStatus::NotSent,
        (None, Some(end)) if now >= end => ClaimStatus::Expired,
        (None, Some(_)) => ClaimStatus::Sent,
    }
}

/// Whether the mailed link still lets the client claim the application.
pub fn link_works(status: ApplicationStatus, claim: ClaimStatus) -> bool {
    status == ApplicationStatus::Approved && claim == ClaimStatus::Sent
}

/// What the agent may do with an application he (or a colleague) filed.
pub fn agent_actions(status: ApplicationStatus, claim: ClaimStatus) -> Vec<AgentApplicationAction> {
    let resend = status == ApplicationStatus::Approved
        && matches!(
            claim,
            ClaimStatus::NotSent | ClaimStatus::Sent | ClaimStatus::Expired
        );
    if resend {
        vec![AgentApplicationAction::ResendLink]
    } else {
        Vec::new()
    }
}

/// Whether an application is under way, so that another one for the same
/// client would be a duplicate: submitted, approved (claimed or not) or
/// being signed. A rejected, issued, revoked or expired one is not.
pub fn under_way(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Submitted | ApplicationStatus::Approved | ApplicationStatus::Issuing
    )
}

/// Whether an account may claim an application for the person with
/// `application_snils`: one whose profile names another SNILS is another
/// person (an account without a SNILS may claim).
pub fn may_claim(account_snils: Option<&str>, application_snils: Option<&str>) -> bool {
    let digits = |s: &str| Snils::parse(s).map(|s| s.digits().to_owned()).ok();
    match (
        account_snils.and_then(digits),
        application_snils.and_then(digits),
    ) {
        (Some(mine), Some(theirs)) => mine == theirs,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 13).unwrap()
    }

    fn complete() -> ClientCard<'static> {
        ClientCard {
            full_name: "Петров  Пётр Петрович",
            snils: Some("112-233-445 95"),
            inn: Some("500100732259"),
            email: Some("petrov@example.ru"),
            phone: Some("+7 912 345-67-89"),
            passport_series: Some("4506"),
            passport_number: Some("123456"),
            passport_issuer: Some("ОВД района Арбат"),
            passport_issued_on: NaiveDate::from_ymd_opt(2010, 5, 4),
        }
    }

    #[test]
    fn a_complete_card_becomes_an_individuals_data() {
        let f = application_fields(&complete(), None, today()).unwrap();
        assert_eq!(f.kind(), ApplicantKind::Individual);
        assert_eq!(f.full_name.as_deref(), Some("Петров Пётр Петрович"));
        assert_eq!(f.snils.as_deref(), Some("11223344595"));
        assert_eq!(f.inn.as_deref(), Some("500100732259"));
        assert_eq!(f.phone.as_deref(), Some("+79123456789"));
        assert_eq!(f.passport_issued_by.as_deref(), Some("ОВД района Арбат"));
        assert_eq!(f.purpose.as_deref(), Some(DEFAULT_PURPOSE));
        assert_eq!(f.position, None);
        let f = application_fields(&complete(), Some(" Ипотека "), today()).unwrap();
        assert_eq!(f.purpose.as_deref(), Some("Ипотека"));
        // The INN is optional for a person.
        let card = ClientCard {
            inn: None,
            ..complete()
        };
        assert_eq!(application_fields(&card, None, today()).unwrap().inn, None);
    }

    #[test]
    fn missing_data_is_named_by_the_cards_fields() {
        let card = ClientCard {
            full_name: "Петров Пётр",
            ..ClientCard::default()
        };
        let fields: Vec<&str> = application_fields(&card, None, today())
            .unwrap_err()
            .into_iter()
            .map(|(f, e)| {
                assert_eq!(e.code, "required");
                f
            })
            .collect();
        assert_eq!(
            fields,
            [
                "snils",
                "email",
                "phone",
                "passport_series",
                "passport_number",
                "passport_issuer",
                "passport_issued_on"
            ]
        );
    }

    #[test]
    fn bad_data_is_named_with_its_code() {
        let card = ClientCard {
            snils: Some("112-233-445 96"),
            inn: Some("7707083893"),
            ..complete()
        };
        let problems = application_fields(&card, None, today()).unwrap_err();
        let got: Vec<(&str, &str)> = problems.iter().map(|(f, e)| (*f, e.code)).collect();
        assert_eq!(
            got,
            [("snils", "snils_checksum"), ("inn", "inn_not_personal")]
        );
    }

    #[test]
    fn the_claim_follows_the_facts_and_the_clock() {
        let now = DateTime::parse_from_rfc3339("2026-12-13T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let s = Duration::seconds(1);
        assert_eq!(claim_status(None, None, now), ClaimStatus::NotSent);
        assert_eq!(claim_status(Some(now + s), None, now), ClaimStatus::Sent);
        assert_eq!(claim_status(Some(now), None, now), ClaimStatus::Expired);
        assert_eq!(
            claim_status(Some(now - s), Some(now - s), now),
            ClaimStatus::Claimed
        );
        use ApplicationStatus as S;
        assert!(link_works(S::Approved, ClaimStatus::Sent));
        for claim in [
            ClaimStatus::NotSent,
            ClaimStatus::Expired,
            ClaimStatus::Claimed,
        ] {
            assert!(!link_works(S::Approved, claim));
        }
        for status in S::ALL.iter().filter(|s| **s != S::Approved) {
            assert!(!link_works(*status, ClaimStatus::Sent));
            assert!(agent_actions(*status, ClaimStatus::Sent).is_empty());
        }
        for claim in [
            ClaimStatus::NotSent,
            ClaimStatus::Sent,
            ClaimStatus::Expired,
        ] {
            assert_eq!(
                agent_actions(S::Approved, claim),
                [AgentApplicationAction::ResendLink]
            );
        }
        assert!(agent_actions(S::Approved, ClaimStatus::Claimed).is_empty());
    }

    #[test]
    fn only_an_open_application_blocks_another() {
        use ApplicationStatus as S;
        let open: Vec<S> = S::ALL.iter().copied().filter(|s| under_way(*s)).collect();
        assert_eq!(open, [S::Submitted, S::Approved, S::Issuing]);
    }

    #[test]
    fn an_account_of_another_person_may_not_claim() {
        assert!(may_claim(None, Some("11223344595")));
        assert!(may_claim(Some("112-233-445 95"), Some("11223344595")));
        assert!(!may_claim(Some("08765430300"), Some("11223344595")));
    }
}
