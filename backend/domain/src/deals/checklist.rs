//! What a deal still lacks (docs/deals.md, "Checklist"), who must sign
//! each of its documents ("Signatures"), and the values of its data that
//! have rules: shares and the area.
//!
//! Signers: every participant signs the deal's documents himself, except
//! one who has a representative — his representative signs for him (one
//! signature of the representative counts for himself and every
//! participant he represents). A registration statement is filed for one
//! applicant (a participant other than a representative): it is signed by
//! the applicant's signer and by the employee filing the deal.

use crate::FieldError;
use crate::orders::cadastral::CadastralNumber;
use mezha_api_types::deals::{ChecklistCode, DealDocumentKind, ParticipantRole};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A share of a right, `numerator/denominator` in lowest terms, `0 < n ≤ d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    numerator: u64,
    denominator: u64,
}

/// Largest denominator of a share.
pub const SHARE_MAX_DENOMINATOR: u64 = 1_000_000;

impl Share {
    /// The whole.
    pub const WHOLE: Share = Share {
        numerator: 1,
        denominator: 1,
    };

    /// Parses `1/2` (spaces allowed around the slash); `1` is the whole.
    /// Refusal: `share_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "share_format",
                format!(
                    "a share is a fraction like 1/2, at most 1, with a denominator up to {SHARE_MAX_DENOMINATOR}"
                ),
            )
        };
        let number = |s: &str| -> Result<u64, FieldError> {
            let s = s.trim();
            if s.is_empty() || s.len() > 7 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            s.parse().map_err(|_| invalid())
        };
        let (n, d) = match input.split_once('/') {
            Some((n, d)) => (number(n)?, number(d)?),
            None => (number(input)?, 1),
        };
        if n == 0 || d == 0 || n > d || d > SHARE_MAX_DENOMINATOR {
            return Err(invalid());
        }
        let g = u64::try_from(gcd(n.into(), d.into())).unwrap_or(1);
        Ok(Share {
            numerator: n / g,
            denominator: d / g,
        })
    }

    /// `n/d` in lowest terms (`1/1` for the whole).
    pub fn text(&self) -> String {
        format!("{}/{}", self.numerator, self.denominator)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Whether `shares` add up to exactly one whole.
pub fn whole(shares: &[Share]) -> bool {
    // Sum as a fraction in u128; denominators are at most 10^6 and there
    // are at most 50 shares, but the running denominator is reduced each
    // step, and an overflow simply means "not a whole".
    let mut num: u128 = 0;
    let mut den: u128 = 1;
    for s in shares {
        let (n, d) = (u128::from(s.numerator), u128::from(s.denominator));
        let Some(common) = den.checked_mul(d / gcd(den, d)) else {
            return false;
        };
        let Some(sum) = (num * (common / den)).checked_add(n * (common / d)) else {
            return false;
        };
        let g = gcd(sum, common).max(1);
        num = sum / g;
        den = common / g;
        if num > den {
            return false;
        }
    }
    num == den
}

/// An area in square metres with at most two decimals, kept in
/// hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Area(u64);

/// Largest area accepted, m² (a large land plot: 10 000 km²).
pub const AREA_MAX_SQ_M: u64 = 10_000_000_000;

impl Area {
    /// Parses `54.3`, `54,30` or `1200`. Refusal: `area_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "area_format",
                "an area is a positive number of square metres with at most two decimals, like 54.3",
            )
        };
        let text = input.trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 11
            || fraction.len() > 2
            || !digits(whole)
            || !digits(fraction)
        {
            return Err(invalid());
        }
        let whole: u64 = whole.parse().map_err(|_| invalid())?;
        let fraction: u64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let hundredths = whole * 100 + fraction;
        if hundredths == 0 || whole > AREA_MAX_SQ_M {
            return Err(invalid());
        }
        Ok(Area(hundredths))
    }

    /// The normal spelling: `54.3`, `1200`, `0.05`.
    pub fn text(&self) -> String {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        }
    }
}

/// A participant, as the rules need him.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Participant id.
    pub id: Uuid,
    /// His part.
    pub role: ParticipantRole,
    /// His share (`None`: whole).
    pub share: Option<Share>,
    /// For a representative: whom he signs for.
    pub represents: Option<Uuid>,
}

/// Who signs a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signer {
    /// A participant who signs himself (or as a representative).
    Participant(Uuid),
    /// The employee filing the deal (statements only).
    Employee,
}

/// A document, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Document id.
    pub id: Uuid,
    /// Uploaded document or statement.
    pub kind: DealDocumentKind,
    /// For a statement: the applicant it is filed for.
    pub applicant: Option<Uuid>,
}

/// The object's data, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectData<'a> {
    /// Cadastral number.
    pub cadastral_number: Option<&'a str>,
    /// Address.
    pub address: Option<&'a str>,
    /// Whether the kind of object is set.
    pub has_type: bool,
    /// Area.
    pub area: Option<&'a str>,
}

/// Something missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    /// What.
    pub code: ChecklistCode,
    /// The participant concerned.
    pub participant: Option<Uuid>,
    /// The document concerned.
    pub document: Option<Uuid>,
    /// Whether the missing signature is the employee's.
    pub employee: bool,
}

impl Missing {
    fn plain(code: ChecklistCode) -> Self {
        Missing {
            code,
            participant: None,
            document: None,
            employee: false,
        }
    }
}

/// Who signs for `participant`: his representative if he has one (the
/// first added), else himself. `None` when he is unknown.
pub fn signer_for(participants: &[Participant], participant: Uuid) -> Option<Uuid> {
    let p = participants.iter().find(|p| p.id == participant)?;
    if p.role == ParticipantRole::Representative {
        return Some(p.id);
    }
    Some(
        participants
            .iter()
            .find(|r| r.role == ParticipantRole::Representative && r.represents == Some(p.id))
            .map_or(p.id, |r| r.id),
    )
}

/// The participants who sign themselves: representatives, and everyone
/// without a representative, in the order given.
pub fn signing_participants(participants: &[Participant]) -> Vec<Uuid> {
    participants
        .iter()
        .filter(|p| signer_for(participants, p.id) == Some(p.id))
        .map(|p| p.id)
        .collect()
}

/// The applicants: every participant but the representatives, in the
/// order given. Each gets a registration statement.
pub fn applicants(participants: &[Participant]) -> Vec<Uuid> {
    participants
        .iter()
        .filter(|p| p.role != ParticipantRole::Representative)
        .map(|p| p.id)
        .collect()
}

/// Who must sign `document`.
pub fn required_signers(participants: &[Participant], document: &Document) -> Vec<Signer> {
    match (document.kind, document.applicant) {
        (DealDocumentKind::Statement, Some(applicant)) => {
            let mut signers: Vec<Signer> = signer_for(participants, applicant)
                .map(Signer::Participant)
                .into_iter()
                .collect();
            signers.push(Signer::Employee);
            signers
        }
        _ => signing_participants(participants)
            .into_iter()
            .map(Signer::Participant)
            .collect(),
    }
}

/// What the deal lacks: first its data (object, participants, shares,
/// documents), then each required signature not given, document by
/// document in the order given. `signed` holds the (document, signer)
/// pairs with an accepted signature.
pub fn checklist(
    object: &ObjectData<'_>,
    participants: &[Participant],
    documents: &[Document],
    signed: &[(Uuid, Signer)],
) -> Vec<Missing> {
    let mut missing = Vec::new();
    let filled = |v: Option<&str>| v.is_some_and(|s| !s.trim().is_empty());
    let object_ok = object
        .cadastral_number
        .is_some_and(|c| CadastralNumber::parse(c).is_ok())
        && filled(object.address)
        && object.has_type
        && object.area.is_some_and(|a| Area::parse(a).is_ok());
    if !object_ok {
        missing.push(Missing::plain(ChecklistCode::ObjectIncomplete));
    }
    if applicants(participants).is_empty() {
        missing.push(Missing::plain(ChecklistCode::NoParticipants));
    }
    for p in participants {
        let represents_someone = p.represents.is_some_and(|r| {
            participants
                .iter()
                .any(|o| o.id == r && o.role != ParticipantRole::Representative)
        });
        if p.role == ParticipantRole::Representative && !represents_someone {
            missing.push(Missing {
                participant: Some(p.id),
                ..Missing::plain(ChecklistCode::RepresentsNobody)
            });
        }
    }
    let mut by_role: BTreeMap<&'static str, Vec<Share>> = BTreeMap::new();
    let mut shared_roles = Vec::new();
    for p in participants.iter().filter(|p| {
        !matches!(
            p.role,
            ParticipantRole::Representative | ParticipantRole::Pledgee
        )
    }) {
        by_role
            .entry(p.role.as_str())
            .or_default()
            .push(p.share.unwrap_or(Share::WHOLE));
        if p.share.is_some() && !shared_roles.contains(&p.role.as_str()) {
            shared_roles.push(p.role.as_str());
        }
    }
    // Roles whose shares were given must add up to one whole.
    if shared_roles
        .iter()
        .any(|role| by_role.get(role).is_some_and(|shares| !whole(shares)))
    {
        missing.push(Missing::plain(ChecklistCode::SharesNotWhole));
    }
    if !documents
        .iter()
        .any(|d| d.kind == DealDocumentKind::Document)
    {
        missing.push(Missing::plain(ChecklistCode::NoDocuments));
    }
    for document in documents {
        for signer in required_signers(participants, document) {
            if !signed.contains(&(document.id, signer)) {
                missing.push(Missing {
                    code: ChecklistCode::SignatureMissing,
                    participant: match signer {
                        Signer::Participant(id) => Some(id),
                        Signer::Employee => None,
                    },
                    document: Some(document.id),
                    employee: signer == Signer::Employee,
                });
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParticipantRole as R;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn p(n: u128, role: R, share: Option<&str>, represents: Option<u128>) -> Participant {
        Participant {
            id: id(n),
            role,
            share: share.map(|s| Share::parse(s).expect("share")),
            represents: represents.map(id),
        }
    }

    fn doc(n: u128) -> Document {
        Document {
            id: id(n),
            kind: DealDocumentKind::Document,
            applicant: None,
        }
    }

    fn statement(n: u128, applicant: u128) -> Document {
        Document {
            id: id(n),
            kind: DealDocumentKind::Statement,
            applicant: Some(id(applicant)),
        }
    }

    fn object() -> ObjectData<'static> {
        ObjectData {
            cadastral_number: Some("77:01:0004012:1234"),
            address: Some("г. Москва, ул. Тверская, д. 1"),
            has_type: true,
            area: Some("54.3"),
        }
    }

    #[test]
    fn shares_parse_reduce_and_refuse() {
        let cases: [(&str, Option<&str>); 12] = [
            ("1/2", Some("1/2")),
            ("2/4", Some("1/2")),
            (" 3 / 9 ", Some("1/3")),
            ("1", Some("1/1")),
            ("5/5", Some("1/1")),
            ("0/2", None),
            ("3/2", None),
            ("1/0", None),
            ("1/1000001", None),
            ("a/b", None),
            ("-1/2", None),
            ("", None),
        ];
        for (input, expected) in cases {
            let got = Share::parse(input).map(|s| s.text()).ok();
            assert_eq!(got.as_deref(), expected, "{input:?}");
        }
        assert_eq!(
            Share::parse("1/2/3").map_err(|e| e.code),
            Err("share_format")
        );
    }

    #[test]
    fn shares_add_up_exactly() {
        let s = |t: &str| Share::parse(t).expect("share");
        assert!(whole(&[s("1/2"), s("1/2")]));
        assert!(whole(&[s("1/3"), s("1/3"), s("1/3")]));
        assert!(whole(&[s("1/999999"), s("999998/999999")]));
        assert!(!whole(&[s("1/3"), s("1/3")]));
        assert!(!whole(&[s("1/2"), s("1/2"), s("1/1000000")]));
        assert!(whole(&[Share::WHOLE]));
        assert!(!whole(&[]));
        // Many large coprime denominators neither overflow nor pass.
        let many: Vec<Share> = [999_983u64, 999_979, 999_961, 999_959, 999_953, 999_931]
            .iter()
            .map(|d| s(&format!("1/{d}")))
            .collect();
        assert!(!whole(&many));
    }

    #[test]
    fn areas_parse_and_print() {
        let cases: [(&str, Option<&str>); 11] = [
            ("54.3", Some("54.3")),
            ("54,30", Some("54.3")),
            ("1200", Some("1200")),
            ("0.05", Some("0.05")),
            (" 7.25 ", Some("7.25")),
            ("0", None),
            ("0.00", None),
            ("1.234", None),
            ("-3", None),
            (".5", None),
            ("10000000001", None),
        ];
        for (input, expected) in cases {
            let got = Area::parse(input).map(|a| a.text()).ok();
            assert_eq!(got.as_deref(), expected, "{input:?}");
        }
        assert_eq!(Area::parse("x").map_err(|e| e.code), Err("area_format"));
    }

    #[test]
    fn a_representative_signs_for_whom_he_represents() {
        let ps = [
            p(1, R::Seller, None, None),
            p(2, R::Buyer, None, None),
            p(3, R::Representative, None, Some(1)),
        ];
        assert_eq!(signer_for(&ps, id(1)), Some(id(3)));
        assert_eq!(signer_for(&ps, id(2)), Some(id(2)));
        assert_eq!(signer_for(&ps, id(3)), Some(id(3)));
        assert_eq!(signer_for(&ps, id(9)), None);
        assert_eq!(signing_participants(&ps), vec![id(2), id(3)]);
        assert_eq!(applicants(&ps), vec![id(1), id(2)]);
        assert_eq!(
            required_signers(&ps, &doc(10)),
            vec![Signer::Participant(id(2)), Signer::Participant(id(3))]
        );
        assert_eq!(
            required_signers(&ps, &statement(11, 1)),
            vec![Signer::Participant(id(3)), Signer::Employee]
        );
        assert_eq!(
            required_signers(&ps, &statement(12, 2)),
            vec![Signer::Participant(id(2)), Signer::Employee]
        );
    }

    #[test]
    fn an_empty_draft_lacks_everything_but_signatures() {
        let codes: Vec<ChecklistCode> = checklist(&ObjectData::default(), &[], &[], &[])
            .into_iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(
            codes,
            vec![
                ChecklistCode::ObjectIncomplete,
                ChecklistCode::NoParticipants,
                ChecklistCode::NoDocuments
            ]
        );
    }

    #[test]
    fn each_object_field_is_needed() {
        let full = object();
        assert!(
            checklist(
                &full,
                &[p(1, R::Seller, None, None)],
                &[doc(5)],
                &[(id(5), Signer::Participant(id(1)))]
            )
            .is_empty()
        );
        let broken = [
            ObjectData {
                cadastral_number: None,
                ..object()
            },
            ObjectData {
                cadastral_number: Some("77:01"),
                ..object()
            },
            ObjectData {
                address: Some("  "),
                ..object()
            },
            ObjectData {
                has_type: false,
                ..object()
            },
            ObjectData {
                area: Some("0"),
                ..object()
            },
        ];
        for o in broken {
            let codes: Vec<_> = checklist(&o, &[], &[], &[])
                .into_iter()
                .map(|m| m.code)
                .collect();
            assert_eq!(codes[0], ChecklistCode::ObjectIncomplete, "{o:?}");
        }
    }

    #[test]
    fn every_missing_signature_is_named() {
        let ps = [p(1, R::Seller, None, None), p(2, R::Buyer, None, None)];
        let docs = [doc(10), statement(11, 2)];
        let missing = checklist(
            &object(),
            &ps,
            &docs,
            &[(id(10), Signer::Participant(id(1)))],
        );
        let got: Vec<(Option<Uuid>, Option<Uuid>, bool)> = missing
            .iter()
            .map(|m| {
                assert_eq!(m.code, ChecklistCode::SignatureMissing);
                (m.document, m.participant, m.employee)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(id(10)), Some(id(2)), false),
                (Some(id(11)), Some(id(2)), false),
                (Some(id(11)), None, true),
            ]
        );
    }

    #[test]
    fn shares_and_representatives_are_checked() {
        let codes = |ps: &[Participant]| -> Vec<ChecklistCode> {
            checklist(&object(), ps, &[doc(9)], &[])
                .into_iter()
                .map(|m| m.code)
                .filter(|c| *c != ChecklistCode::SignatureMissing)
                .collect()
        };
        assert!(
            codes(&[
                p(1, R::Seller, None, None),
                p(2, R::Buyer, Some("1/2"), None),
                p(3, R::Buyer, Some("1/2"), None)
            ])
            .is_empty()
        );
        assert_eq!(
            codes(&[
                p(2, R::Buyer, Some("1/2"), None),
                p(3, R::Buyer, Some("1/3"), None)
            ]),
            vec![ChecklistCode::SharesNotWhole]
        );
        // Shares given for one of two buyers: the other holds the whole, too much.
        assert_eq!(
            codes(&[
                p(2, R::Buyer, Some("1/2"), None),
                p(3, R::Buyer, None, None)
            ]),
            vec![ChecklistCode::SharesNotWhole]
        );
        // Two pledgees need no shares.
        assert!(
            codes(&[
                p(1, R::Pledgor, None, None),
                p(2, R::Pledgee, None, None),
                p(3, R::Pledgee, None, None)
            ])
            .is_empty()
        );
        assert_eq!(
            codes(&[
                p(1, R::Seller, None, None),
                p(4, R::Representative, None, None)
            ]),
            vec![ChecklistCode::RepresentsNobody]
        );
        assert_eq!(
            codes(&[
                p(4, R::Representative, None, Some(5)),
                p(5, R::Representative, None, Some(4))
            ]),
            vec![
                ChecklistCode::NoParticipants,
                ChecklistCode::RepresentsNobody,
                ChecklistCode::RepresentsNobody
            ]
        );
    }
}
