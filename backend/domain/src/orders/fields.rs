//! An order's fields: what a customer may save in a draft, and what must be
//! there before it is published.

use super::cadastral::CadastralNumber;
use crate::FieldError;
use chrono::NaiveDate;
use mezha_api_types::orders::{
    CustomerType, DEADLINE_DAYS_MAX, NewOrder, PRICE_MAX, Registration, TITLE_MAX_CHARS, WorkType,
};

/// When the work must be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// By this date.
    Date(NaiveDate),
    /// Within this many days of the contract.
    Days(u32),
}

/// An order's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFields {
    pub title: String,
    /// Without duplicates, in [`WorkType::ALL`] order.
    pub work_types: Vec<WorkType>,
    pub description: Option<String>,
    /// Without duplicates, in the order given.
    pub cadastral_numbers: Vec<CadastralNumber>,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub deadline: Option<Deadline>,
    pub price: Option<i64>,
    pub prepayment_required: bool,
    /// Present exactly when a prepayment is required.
    pub prepayment_percent: Option<u8>,
    pub registration: Registration,
}

pub use crate::error::FieldProblems;

fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks the fields of a draft. `known_region` tells whether a region code
/// exists; `today` is the customer's current date (a deadline date must not
/// be earlier).
pub fn check(
    input: &NewOrder,
    known_region: &dyn Fn(&str) -> bool,
    today: NaiveDate,
) -> Result<OrderFields, FieldProblems> {
    let mut problems = FieldProblems::new();
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        problems.push((
            "title",
            FieldError::new("required", "give the order a title"),
        ));
    } else if title.chars().count() as u64 > TITLE_MAX_CHARS {
        problems.push((
            "title",
            FieldError::new("too_long", format!("at most {TITLE_MAX_CHARS} characters")),
        ));
    }
    let work_types: Vec<WorkType> = WorkType::ALL
        .iter()
        .copied()
        .filter(|w| input.work_types.contains(w))
        .collect();
    let mut cadastral_numbers: Vec<CadastralNumber> = Vec::new();
    for (index, raw) in input.cadastral_numbers.iter().enumerate() {
        match CadastralNumber::parse(raw) {
            Ok(number) if !cadastral_numbers.contains(&number) => cadastral_numbers.push(number),
            Ok(_) => {}
            Err(mut err) => {
                err.message = format!("number {}: {}", index + 1, err.message);
                problems.push(("cadastral_numbers", err));
            }
        }
    }
    let region_code = trimmed(input.region_code.as_deref());
    if let Some(code) = &region_code
        && !known_region(code)
    {
        problems.push((
            "region_code",
            FieldError::new(
                "unknown_region",
                format!("`{code}` is not a region code; see GET /reference"),
            ),
        ));
    }
    let deadline = match (input.deadline_date, input.deadline_days) {
        (Some(_), Some(_)) => {
            problems.push((
                "deadline_date",
                FieldError::new(
                    "deadline_ambiguous",
                    "give the deadline as a date or as days, not both",
                ),
            ));
            None
        }
        (Some(date), None) if date < today => {
            problems.push((
                "deadline_date",
                FieldError::new(
                    "deadline_in_past",
                    format!("the deadline {date} has passed"),
                ),
            ));
            None
        }
        (Some(date), None) => Some(Deadline::Date(date)),
        (None, Some(days)) if days == 0 || days > DEADLINE_DAYS_MAX => {
            problems.push((
                "deadline_days",
                FieldError::new(
                    "out_of_range",
                    format!("from 1 to {DEADLINE_DAYS_MAX} days"),
                ),
            ));
            None
        }
        (None, Some(days)) => Some(Deadline::Days(days)),
        (None, None) => None,
    };
    if let Some(price) = input.price
        && !(1..=PRICE_MAX).contains(&price)
    {
        problems.push((
            "price",
            FieldError::new(
                if price < 1 {
                    "not_positive"
                } else {
                    "out_of_range"
                },
                format!("a price is from 1 to {PRICE_MAX} roubles"),
            ),
        ));
    }
    let prepayment_percent = if input.prepayment_required {
        match input.prepayment_percent {
            Some(p) if (1..=100).contains(&p) => Some(p),
            Some(_) => {
                problems.push((
                    "prepayment_percent",
                    FieldError::new("out_of_range", "from 1 to 100 percent"),
                ));
                None
            }
            None => {
                problems.push((
                    "prepayment_percent",
                    FieldError::new("required", "say what percent is paid in advance"),
                ));
                None
            }
        }
    } else {
        None
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(OrderFields {
        title,
        work_types,
        description: trimmed(input.description.as_deref()),
        cadastral_numbers,
        region_code,
        address: trimmed(input.address.as_deref()),
        deadline,
        price: input.price,
        prepayment_required: input.prepayment_required,
        prepayment_percent,
        registration: input.registration,
    })
}

/// What a draft still lacks before it can be published: at least one work
/// type, the region, the address and the deadline.
pub fn check_publishable(fields: &OrderFields) -> Result<(), FieldProblems> {
    let mut problems = FieldProblems::new();
    if fields.work_types.is_empty() {
        problems.push((
            "work_types",
            FieldError::new("required", "choose at least one work type"),
        ));
    }
    if fields.region_code.is_none() {
        problems.push((
            "region_code",
            FieldError::new("required", "choose the region"),
        ));
    }
    if fields.address.is_none() {
        problems.push((
            "address",
            FieldError::new("required", "give the address down to the street"),
        ));
    }
    if fields.deadline.is_none() {
        problems.push((
            "deadline_date",
            FieldError::new("required", "give the deadline as a date or as days"),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The customer's type (docs/orders.md, "Customer type") from the INN and
/// registration number of his requisites (or his profile's INN when he has
/// none): a 10-digit INN is a legal entity's; a 12-digit INN with an
/// OGRNIP (15 digits) a sole proprietor's; a person otherwise.
pub fn customer_type(inn: Option<&str>, ogrn: Option<&str>) -> CustomerType {
    let ogrn = ogrn
        .and_then(|o| crate::Ogrn::parse(o).ok())
        .map(|o| o.kind());
    match inn.map(str::len) {
        Some(10) => CustomerType::Legal,
        Some(12) if ogrn == Some(crate::OgrnKind::SoleProprietor) => CustomerType::SoleProprietor,
        _ => CustomerType::Person,
    }
}

/// The date by which the work is due, for sorting by urgency: the deadline
/// date, or `days` after `from` (publication; the contract date is not
/// known yet).
pub fn due_date(deadline: Option<Deadline>, from: NaiveDate) -> Option<NaiveDate> {
    match deadline? {
        Deadline::Date(date) => Some(date),
        Deadline::Days(days) => from.checked_add_days(chrono::Days::new(u64::from(days))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn regions(code: &str) -> bool {
        matches!(code, "50" | "77")
    }

    fn complete() -> NewOrder {
        NewOrder {
            title: "  Межевание  ".into(),
            work_types: vec![
                WorkType::MapPlan,
                WorkType::LandPlotFormation,
                WorkType::MapPlan,
            ],
            description: Some("   ".into()),
            cadastral_numbers: vec!["50:23:0040312:118".into(), " 50:23:0040312:118".into()],
            region_code: Some("50".into()),
            address: Some(" г. Раменское, ул. Серова ".into()),
            deadline_date: None,
            deadline_days: Some(30),
            price: Some(25_000),
            prepayment_required: true,
            prepayment_percent: Some(30),
            registration: Registration::Gku,
            attachment_ids: vec![],
        }
    }

    fn codes(problems: &FieldProblems) -> Vec<(&'static str, &'static str)> {
        problems.iter().map(|(f, e)| (*f, e.code)).collect()
    }

    #[test]
    fn normalises_a_complete_order() {
        let fields = check(&complete(), &regions, today()).unwrap();
        assert_eq!(fields.title, "Межевание");
        assert_eq!(
            fields.work_types,
            vec![WorkType::LandPlotFormation, WorkType::MapPlan]
        );
        assert_eq!(fields.description, None);
        assert_eq!(fields.cadastral_numbers.len(), 1);
        assert_eq!(fields.address.as_deref(), Some("г. Раменское, ул. Серова"));
        assert_eq!(fields.deadline, Some(Deadline::Days(30)));
        assert_eq!(check_publishable(&fields), Ok(()));
    }

    #[test]
    fn a_draft_needs_only_a_title() {
        let input = NewOrder {
            title: "t".into(),
            ..NewOrder::default()
        };
        let fields = check(&input, &regions, today()).unwrap();
        let missing = codes(&check_publishable(&fields).unwrap_err());
        assert_eq!(
            missing,
            vec![
                ("work_types", "required"),
                ("region_code", "required"),
                ("address", "required"),
                ("deadline_date", "required"),
            ]
        );
    }

    #[test]
    fn refuses_bad_values() {
        let input = NewOrder {
            title: " ".into(),
            cadastral_numbers: vec!["50:23:1".into()],
            region_code: Some("99".into()),
            deadline_date: Some(today().pred_opt().unwrap()),
            price: Some(-5),
            prepayment_required: true,
            prepayment_percent: Some(0),
            ..complete()
        };
        let input = NewOrder {
            deadline_days: None,
            ..input
        };
        let problems = check(&input, &regions, today()).unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("title", "required"),
                ("cadastral_numbers", "cadastral_number_format"),
                ("region_code", "unknown_region"),
                ("deadline_date", "deadline_in_past"),
                ("price", "not_positive"),
                ("prepayment_percent", "out_of_range"),
            ]
        );
        assert!(problems[1].1.message.starts_with("number 1: "));
    }

    #[test]
    fn deadline_rules() {
        let both = NewOrder {
            deadline_date: Some(today()),
            ..complete()
        };
        assert_eq!(
            codes(&check(&both, &regions, today()).unwrap_err()),
            vec![("deadline_date", "deadline_ambiguous")]
        );
        let today_is_fine = NewOrder {
            deadline_date: Some(today()),
            deadline_days: None,
            ..complete()
        };
        assert_eq!(
            check(&today_is_fine, &regions, today()).unwrap().deadline,
            Some(Deadline::Date(today()))
        );
        for days in [0, DEADLINE_DAYS_MAX + 1] {
            let input = NewOrder {
                deadline_days: Some(days),
                ..complete()
            };
            assert_eq!(
                codes(&check(&input, &regions, today()).unwrap_err()),
                vec![("deadline_days", "out_of_range")]
            );
        }
    }

    #[test]
    fn prepayment_percent_follows_the_switch() {
        let off = NewOrder {
            prepayment_required: false,
            prepayment_percent: Some(50),
            ..complete()
        };
        assert_eq!(
            check(&off, &regions, today()).unwrap().prepayment_percent,
            None
        );
        let missing = NewOrder {
            prepayment_percent: None,
            ..complete()
        };
        assert_eq!(
            codes(&check(&missing, &regions, today()).unwrap_err()),
            vec![("prepayment_percent", "required")]
        );
    }

    #[test]
    fn price_bounds() {
        for (price, ok) in [
            (1, true),
            (PRICE_MAX, true),
            (0, false),
            (PRICE_MAX + 1, false),
        ] {
            let input = NewOrder {
                price: Some(price),
                ..complete()
            };
            assert_eq!(check(&input, &regions, today()).is_ok(), ok, "{price}");
        }
    }

    #[test]
    fn customer_type_from_inn() {
        assert_eq!(customer_type(Some("7707083893"), None), CustomerType::Legal);
        assert_eq!(
            customer_type(Some("7707083893"), Some("1027700132195")),
            CustomerType::Legal
        );
        assert_eq!(
            customer_type(Some("500100732259"), None),
            CustomerType::Person
        );
        assert_eq!(
            customer_type(Some("500100732259"), Some("304500116000157")),
            CustomerType::SoleProprietor
        );
        // A legal entity's OGRN with a person's INN, or a bad check digit,
        // makes no sole proprietor.
        assert_eq!(
            customer_type(Some("500100732259"), Some("1027700132195")),
            CustomerType::Person
        );
        assert_eq!(
            customer_type(Some("500100732259"), Some("304500116000158")),
            CustomerType::Person
        );
        assert_eq!(customer_type(None, None), CustomerType::Person);
    }

    #[test]
    fn due_date_from_date_or_days() {
        assert_eq!(due_date(None, today()), None);
        assert_eq!(
            due_date(Some(Deadline::Days(8)), today()),
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(
            due_date(Some(Deadline::Date(today())), today()),
            Some(today())
        );
    }
}
