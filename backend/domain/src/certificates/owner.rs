//! The owner's data on an application (docs/API.md, "Certificates"): parsed and normalised
//! with the shared value types, what `submit` requires, and whether a
//! certificate request's subject names the same person.

use crate::{Email, FieldError, FullName, Inn, InnKind, Phone, Snils};
use chrono::NaiveDate;
use mezha_api_types::certificates::{ApplicantKind, ApplicationInput};

pub use crate::error::FieldProblems;

/// The owner's data, each present value valid and normalised (SNILS as 11
/// digits, phone as E.164, whitespace collapsed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerFields {
    pub kind: Option<ApplicantKind>,
    pub full_name: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    pub passport_issued_by: Option<String>,
    pub passport_issued_on: Option<NaiveDate>,
    pub position: Option<String>,
    pub purpose: Option<String>,
}

/// Whitespace collapsed; `None` for an empty text (a PATCH clears with "").
fn text(value: &str) -> Option<String> {
    let t = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn digits(value: &str, len: usize, code: &'static str, what: &str) -> Result<String, FieldError> {
    let d: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if d.len() == len && d.bytes().all(|b| b.is_ascii_digit()) {
        Ok(d)
    } else {
        Err(FieldError::new(code, format!("{what} has {len} digits")))
    }
}

impl OwnerFields {
    /// Applies `input` over `self` (a PATCH; for a new application start
    /// from the default): absent fields are kept, empty strings clear,
    /// values are parsed. `today` bounds the passport issue date.
    pub fn merge(
        mut self,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> Result<Self, FieldProblems> {
        let mut problems = FieldProblems::new();
        let mut set = |slot: &mut Option<String>,
                       field: &'static str,
                       value: &Option<String>,
                       parse: &dyn Fn(&str) -> Result<String, FieldError>| {
            if let Some(v) = value {
                match text(v) {
                    None => *slot = None,
                    Some(t) => match parse(&t) {
                        Ok(p) => *slot = Some(p),
                        Err(e) => problems.push((field, e)),
                    },
                }
            }
        };
        let plain = |t: &str| Ok(t.to_owned());
        set(&mut self.full_name, "full_name", &input.full_name, &|t| {
            FullName::parse(t).map(|n| n.as_str().to_owned())
        });
        set(&mut self.snils, "snils", &input.snils, &|t| {
            Snils::parse(t).map(|s| s.digits().to_owned())
        });
        set(&mut self.inn, "inn", &input.inn, &|t| {
            let inn = Inn::parse(t)?;
            if inn.kind() == InnKind::Person {
                Ok(inn.as_str().to_owned())
            } else {
                Err(FieldError::new(
                    "inn_not_personal",
                    "the owner's own INN has 12 digits; the organisation's comes from the employer",
                ))
            }
        });
        set(&mut self.email, "email", &input.email, &|t| {
            Email::parse(t).map(|e| e.as_str().to_owned())
        });
        set(&mut self.phone, "phone", &input.phone, &|t| {
            Phone::parse(t).map(|p| p.as_str().to_owned())
        });
        set(
            &mut self.passport_series,
            "passport_series",
            &input.passport_series,
            &|t| digits(t, 4, "passport_series_format", "a passport series"),
        );
        set(
            &mut self.passport_number,
            "passport_number",
            &input.passport_number,
            &|t| digits(t, 6, "passport_number_format", "a passport number"),
        );
        set(
            &mut self.passport_issued_by,
            "passport_issued_by",
            &input.passport_issued_by,
            &plain,
        );
        set(&mut self.position, "position", &input.position, &plain);
        set(&mut self.purpose, "purpose", &input.purpose, &plain);
        if let Some(date) = input.passport_issued_on {
            if date > today {
                problems.push((
                    "passport_issued_on",
                    FieldError::new("in_future", "the issue date is in the future"),
                ));
            } else {
                self.passport_issued_on = Some(date);
            }
        }
        if let Some(kind) = input.kind {
            self.kind = Some(kind);
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The kind, `individual` when not chosen.
    pub fn kind(&self) -> ApplicantKind {
        self.kind.unwrap_or(ApplicantKind::Individual)
    }
}

/// What an application holds beside the owner's fields, for [`check_submittable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attachments {
    /// The organisation is known (legal entities).
    pub organisation: bool,
    pub passport_scan: bool,
    pub snils_scan: bool,
    pub form_scan: bool,
}

/// Whether the application may be submitted: every field the certificate
/// and the review need. Refusals are `required` for each missing field.
pub fn check_submittable(f: &OwnerFields, a: &Attachments) -> Result<(), FieldProblems> {
    let kind = f.kind();
    let mut missing: Vec<&'static str> = Vec::new();
    let mut need = |present: bool, field: &'static str| {
        if !present {
            missing.push(field);
        }
    };
    need(f.full_name.is_some(), "full_name");
    need(f.snils.is_some(), "snils");
    need(
        f.inn.is_some() || kind != ApplicantKind::SoleProprietor,
        "inn",
    );
    need(f.email.is_some(), "email");
    need(f.phone.is_some(), "phone");
    need(f.passport_series.is_some(), "passport_series");
    need(f.passport_number.is_some(), "passport_number");
    need(f.passport_issued_by.is_some(), "passport_issued_by");
    need(f.passport_issued_on.is_some(), "passport_issued_on");
    need(f.purpose.is_some(), "purpose");
    need(
        f.position.is_some() || kind != ApplicantKind::LegalEntity,
        "position",
    );
    need(
        a.organisation || kind != ApplicantKind::LegalEntity,
        "organisation",
    );
    need(a.passport_scan, "passport_scan_id");
    need(a.snils_scan, "snils_scan_id");
    need(a.form_scan, "form_scan_id");
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing
            .into_iter()
            .map(|field| {
                let message = if field == "organisation" {
                    "a certificate for a legal entity needs an employer (organisation) on the account"
                } else {
                    "required to submit the application"
                };
                (field, FieldError::new("required", message))
            })
            .collect())
    }
}

/// What a certificate request's subject says about its owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestSubject {
    /// commonName.
    pub common_name: Option<String>,
    /// SNILS (OID 1.2.643.100.3).
    pub snils: Option<String>,
    /// INN (OID 1.2.643.3.131.1.1).
    pub inn: Option<String>,
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('ё', "е")
    };
    norm(a) == norm(b)
}

fn only_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The fields where the request's subject differs from the approved
/// application, with the reason: `full_name` (CN), `snils` (required in the
/// request), `inn` (when the request carries one, it must be the
/// application's). Names compare case-insensitively, `ё` = `е`.
pub fn subject_mismatches(app: &OwnerFields, csr: &RequestSubject) -> FieldProblems {
    let mut out = FieldProblems::new();
    let differ = |what: &str| {
        FieldError::new(
            "csr_subject_mismatch",
            format!("the request's {what} differs from the application's"),
        )
    };
    match (&app.full_name, &csr.common_name) {
        (Some(a), Some(c)) if same_name(a, c) => {}
        _ => out.push(("full_name", differ("CN (full name)"))),
    }
    match (&app.snils, &csr.snils) {
        (Some(a), Some(c)) if *a == only_digits(c) => {}
        _ => out.push(("snils", differ("SNILS (1.2.643.100.3)"))),
    }
    if let Some(c) = &csr.inn {
        let c = only_digits(c);
        // A 12-digit INN is sometimes written with leading zeros.
        let c = c.trim_start_matches("00");
        if app.inn.as_deref() != Some(c) {
            out.push(("inn", differ("INN (1.2.643.3.131.1.1)")));
        }
    }
    out
}

/// A phone number with all but the country code and the last four digits
/// hidden (`+7******4567`).
pub fn masked_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 6 {
        return phone.to_owned();
    }
    let keep_head = 2;
    let keep_tail = 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i >= chars.len() - keep_tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn full_input() -> ApplicationInput {
        ApplicationInput {
            kind: Some(ApplicantKind::Individual),
            full_name: Some("  Иванов   Иван Иванович ".into()),
            snils: Some("112-233-445 95".into()),
            inn: Some("500100732259".into()),
            email: Some("ivan@example.com".into()),
            phone: Some("+7 (912) 345-67-89".into()),
            passport_series: Some("45 08".into()),
            passport_number: Some("123456".into()),
            passport_issued_by: Some("ОВД района Арбат г. Москвы".into()),
            passport_issued_on: NaiveDate::from_ymd_opt(2010, 5, 4),
            position: None,
            purpose: Some("Подписание договоров".into()),
            passport_scan_id: None,
            snils_scan_id: None,
            form_scan_id: None,
        }
    }

    fn all_attached() -> Attachments {
        Attachments {
            organisation: false,
            passport_scan: true,
            snils_scan: true,
            form_scan: true,
        }
    }

    #[test]
    fn valid_input_is_normalised() {
        let f = OwnerFields::default()
            .merge(&full_input(), today())
            .unwrap();
        assert_eq!(f.full_name.as_deref(), Some("Иванов Иван Иванович"));
        assert_eq!(f.snils.as_deref(), Some("11223344595"));
        assert_eq!(f.phone.as_deref(), Some("+79123456789"));
        assert_eq!(f.passport_series.as_deref(), Some("4508"));
        assert_eq!(f.kind(), ApplicantKind::Individual);
        assert_eq!(check_submittable(&f, &all_attached()), Ok(()));
    }

    #[test]
    fn each_bad_field_is_named() {
        let input = ApplicationInput {
            full_name: Some("R2-D2".into()),
            snils: Some("112-233-445 96".into()),
            inn: Some("7707083893".into()),
            email: Some("not an email".into()),
            phone: Some("12".into()),
            passport_series: Some("45".into()),
            passport_number: Some("12345a".into()),
            passport_issued_on: NaiveDate::from_ymd_opt(2030, 1, 1),
            ..ApplicationInput::default()
        };
        let problems = OwnerFields::default().merge(&input, today()).unwrap_err();
        let fields: Vec<(&str, &str)> = problems.iter().map(|(f, e)| (*f, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("full_name", "full_name_chars"),
                ("snils", "snils_checksum"),
                ("inn", "inn_not_personal"),
                ("email", fields[3].1),
                ("phone", fields[4].1),
                ("passport_series", "passport_series_format"),
                ("passport_number", "passport_number_format"),
                ("passport_issued_on", "in_future"),
            ]
        );
    }

    #[test]
    fn patch_keeps_absent_and_clears_empty() {
        let f = OwnerFields::default()
            .merge(&full_input(), today())
            .unwrap();
        let patch = ApplicationInput {
            purpose: Some("".into()),
            email: Some("new@example.com".into()),
            ..ApplicationInput::default()
        };
        let g = f.clone().merge(&patch, today()).unwrap();
        assert_eq!(g.purpose, None);
        assert_eq!(g.email.as_deref(), Some("new@example.com"));
        assert_eq!(g.full_name, f.full_name);
        assert_eq!(g.snils, f.snils);
    }

    #[test]
    fn submit_needs_every_required_field() {
        let problems =
            check_submittable(&OwnerFields::default(), &Attachments::default()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![
                "full_name",
                "snils",
                "email",
                "phone",
                "passport_series",
                "passport_number",
                "passport_issued_by",
                "passport_issued_on",
                "purpose",
                "passport_scan_id",
                "snils_scan_id",
                "form_scan_id",
            ]
        );
        assert!(problems.iter().all(|(_, e)| e.code == "required"));
    }

    #[test]
    fn legal_entities_need_organisation_and_position_sole_proprietors_inn() {
        let mut f = OwnerFields::default()
            .merge(&full_input(), today())
            .unwrap();
        f.kind = Some(ApplicantKind::LegalEntity);
        let fields: Vec<&str> = check_submittable(&f, &all_attached())
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["position", "organisation"]);
        f.position = Some("Директор".into());
        let with_org = Attachments {
            organisation: true,
            ..all_attached()
        };
        assert_eq!(check_submittable(&f, &with_org), Ok(()));

        f.kind = Some(ApplicantKind::SoleProprietor);
        f.inn = None;
        let fields: Vec<&str> = check_submittable(&f, &all_attached())
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["inn"]);
    }

    #[test]
    fn request_subject_must_name_the_owner() {
        let f = OwnerFields::default()
            .merge(&full_input(), today())
            .unwrap();
        let good = RequestSubject {
            common_name: Some("иванов иван  иванович".into()),
            snils: Some("11223344595".into()),
            inn: Some("00500100732259".into()),
        };
        assert!(subject_mismatches(&f, &good).is_empty());
        let no_inn = RequestSubject {
            inn: None,
            ..good.clone()
        };
        assert!(subject_mismatches(&f, &no_inn).is_empty());

        let fields = |s: &RequestSubject| -> Vec<&str> {
            subject_mismatches(&f, s).iter().map(|(f, _)| *f).collect()
        };
        let wrong_name = RequestSubject {
            common_name: Some("Петров Пётр".into()),
            ..good.clone()
        };
        assert_eq!(fields(&wrong_name), vec!["full_name"]);
        let no_snils = RequestSubject {
            snils: None,
            ..good.clone()
        };
        assert_eq!(fields(&no_snils), vec!["snils"]);
        let wrong_inn = RequestSubject {
            inn: Some("7707083893".into()),
            ..good.clone()
        };
        assert_eq!(fields(&wrong_inn), vec!["inn"]);
        assert_eq!(
            fields(&RequestSubject::default()),
            vec!["full_name", "snils"]
        );
    }

    #[test]
    fn phones_are_masked() {
        assert_eq!(masked_phone("+79123456789"), "+7******6789");
        assert_eq!(masked_phone("+7912"), "+7912");
    }
}
