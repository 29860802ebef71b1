//! The consistency checks of a client record (docs/clients.md, "Data
//! checks"): what is reported beside a field on every save without blocking
//! the save.
//!
//! Each rule is a small function of the facts it needs; [`check_client`] runs
//! them all. The rules are independent, so one field may carry several
//! findings (a passport issued at 10 is both `passport_issued_before_14` and,
//! years later, `passport_expired`). A value that is absent or blank is not
//! checked: whether a field is required is not this module's business.

use super::passport::{IssuerCode, PassportNumber, PassportSeries};
use crate::{FieldError, Inn, InnKind, Snils};
use chrono::{Datelike, Days, NaiveDate};

/// The age from which a passport is issued.
const PASSPORT_AGE: i32 = 14;
/// The ages at which a passport must be replaced, in order.
const REPLACEMENT_AGES: [i32; 2] = [20, 45];
/// Days after a replacement birthday within which the holder must apply; the
/// old passport stays valid through the last of them.
const GRACE_DAYS: u64 = 90;

/// What is known of a client, as saved: every field optional, texts as typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientFacts<'a> {
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// SNILS, in any spelling [`Snils::parse`] accepts.
    pub snils: Option<&'a str>,
    /// INN; a person's has 12 digits.
    pub inn: Option<&'a str>,
    /// Passport series (`4506` or `45 06`).
    pub passport_series: Option<&'a str>,
    /// Passport number (6 digits).
    pub passport_number: Option<&'a str>,
    /// The day the passport was issued.
    pub passport_issued_on: Option<NaiveDate>,
    /// The issuing office's code (`770-001` or `770001`); reported under the
    /// field `passport_issuer_code`.
    pub issuer_code: Option<&'a str>,
}

/// One inconsistency of a client record, to be shown beside its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The field it is reported beside, e.g. `passport_issued_on`.
    pub field: &'static str,
    /// Stable snake_case code, e.g. `passport_expired`.
    pub code: &'static str,
    /// Short English explanation for people.
    pub message: String,
}

impl Finding {
    /// A finding with the given field, code and message.
    fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            code,
            message: message.into(),
        }
    }

    /// A value type's refusal reported beside `field`, code and message kept.
    fn refusal(field: &'static str, error: FieldError) -> Self {
        Self::new(field, error.code, error.message)
    }
}

/// Every finding of `facts` as of `today`, in field order: `birth_date`,
/// `snils`, `inn`, `passport_series`, `passport_number`,
/// `passport_issued_on`, `passport_issuer_code`.
///
/// The checks of `passport_issued_on` against the birth date run only when
/// both dates are known.
pub fn check_client(facts: &ClientFacts<'_>, today: NaiveDate) -> Vec<Finding> {
    let ClientFacts {
        birth_date,
        snils,
        inn,
        passport_series,
        passport_number,
        passport_issued_on,
        issuer_code,
    } = *facts;
    let mut out = Vec::new();
    out.extend(birth_date.and_then(|birth| birth_in_future(birth, today)));
    out.extend(present(snils).and_then(snils_check));
    out.extend(present(inn).and_then(inn_check));
    out.extend(present(passport_series).and_then(series_format));
    out.extend(present(passport_number).and_then(number_format));
    if let Some(issued) = passport_issued_on {
        out.extend(issued_in_future(issued, today));
        if let Some(birth) = birth_date {
            out.extend(issued_too_early(birth, issued));
            out.extend(passport_expired(birth, issued, today));
        }
    }
    out.extend(present(issuer_code).and_then(issuer_code_format));
    out
}

/// `value` unless it is blank.
fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// `snils_format` or `snils_checksum`, as [`Snils::parse`] refuses.
fn snils_check(snils: &str) -> Option<Finding> {
    Snils::parse(snils)
        .err()
        .map(|e| Finding::refusal("snils", e))
}

/// `inn_format` or `inn_checksum`, as [`Inn::parse`] refuses; a valid
/// 10-digit (legal entity's) INN is `inn_not_personal`.
fn inn_check(inn: &str) -> Option<Finding> {
    match Inn::parse(inn) {
        Err(e) => Some(Finding::refusal("inn", e)),
        Ok(inn) if inn.kind() == InnKind::LegalEntity => Some(Finding::new(
            "inn",
            "inn_not_personal",
            "this is a legal entity's INN; a person's INN has 12 digits",
        )),
        Ok(_) => None,
    }
}

/// `passport_series_format`.
fn series_format(series: &str) -> Option<Finding> {
    PassportSeries::parse(series)
        .err()
        .map(|e| Finding::refusal("passport_series", e))
}

/// `passport_number_format`.
fn number_format(number: &str) -> Option<Finding> {
    PassportNumber::parse(number)
        .err()
        .map(|e| Finding::refusal("passport_number", e))
}

/// `issuer_code_format`, beside `passport_issuer_code`.
fn issuer_code_format(code: &str) -> Option<Finding> {
    IssuerCode::parse(code)
        .err()
        .map(|e| Finding::refusal("passport_issuer_code", e))
}

/// `birth_date_in_future`: born after `today`.
fn birth_in_future(birth: NaiveDate, today: NaiveDate) -> Option<Finding> {
    (birth > today).then(|| {
        Finding::new(
            "birth_date",
            "birth_date_in_future",
            "the birth date is in the future",
        )
    })
}

/// `passport_issued_in_future`: issued after `today`.
fn issued_in_future(issued: NaiveDate, today: NaiveDate) -> Option<Finding> {
    (issued > today).then(|| {
        Finding::new(
            "passport_issued_on",
            "passport_issued_in_future",
            "the passport issue date is in the future",
        )
    })
}

/// `passport_issued_before_birth` when issued before the birth date, else
/// `passport_issued_before_14` when issued before the 14th birthday (issued
/// on it is fine).
fn issued_too_early(birth: NaiveDate, issued: NaiveDate) -> Option<Finding> {
    if issued < birth {
        return Some(Finding::new(
            "passport_issued_on",
            "passport_issued_before_birth",
            "the passport issue date is before the birth date",
        ));
    }
    let fourteenth = nth_birthday(birth, PASSPORT_AGE)?;
    (issued < fourteenth).then(|| {
        Finding::new(
            "passport_issued_on",
            "passport_issued_before_14",
            format!("a passport is issued from the age of 14; the 14th birthday is {fourteenth}"),
        )
    })
}

/// `passport_expired`: the passport was issued before the 20th (or 45th)
/// birthday and `today` is more than [`GRACE_DAYS`] days after it. The
/// earliest missed replacement is reported, since the passport has been
/// invalid since then.
fn passport_expired(birth: NaiveDate, issued: NaiveDate, today: NaiveDate) -> Option<Finding> {
    REPLACEMENT_AGES.into_iter().find_map(|age| {
        let birthday = nth_birthday(birth, age)?;
        let due_by = birthday.checked_add_days(Days::new(GRACE_DAYS))?;
        (issued < birthday && today > due_by).then(|| {
            Finding::new(
                "passport_issued_on",
                "passport_expired",
                format!(
                    "the passport had to be replaced at {age}; the replacement was due by {due_by}"
                ),
            )
        })
    })
}

/// The `age`-th birthday of a person born on `birth`. A 29 February birthday
/// falls on 1 March in a year without one. `None` beyond chrono's range.
fn nth_birthday(birth: NaiveDate, age: i32) -> Option<NaiveDate> {
    let year = birth.year().checked_add(age)?;
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day()).or_else(|| {
        if birth.month() == 2 && birth.day() == 29 {
            NaiveDate::from_ymd_opt(year, 3, 1)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The (field, code) pairs of `check_client`.
    fn codes(facts: &ClientFacts<'_>, today: &str) -> Vec<(&'static str, &'static str)> {
        check_client(facts, d(today))
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect()
    }

    /// The (field, code) pairs for a passport issued on `issued` to a person
    /// born on `birth`, as of `today`.
    fn dates(birth: &str, issued: &str, today: &str) -> Vec<(&'static str, &'static str)> {
        let facts = ClientFacts {
            birth_date: Some(d(birth)),
            passport_issued_on: Some(d(issued)),
            ..ClientFacts::default()
        };
        codes(&facts, today)
    }

    const ISSUED_ON: &str = "passport_issued_on";

    #[test]
    fn nothing_known_nothing_found() {
        assert_eq!(
            check_client(&ClientFacts::default(), d("2025-06-10")),
            vec![]
        );
    }

    #[test]
    fn a_consistent_record_has_no_findings() {
        let facts = ClientFacts {
            birth_date: Some(d("1985-04-12")),
            snils: Some("112-233-445 95"),
            inn: Some("500100732259"),
            passport_series: Some("45 06"),
            passport_number: Some("123456"),
            passport_issued_on: Some(d("2030-04-12")),
            issuer_code: Some("770001"),
        };
        assert_eq!(codes(&facts, "2031-01-01"), vec![]);
    }

    #[test]
    fn snils() {
        for (snils, expected) in [
            ("112-233-445 95", None),
            ("11223344595", None),
            ("11223344594", Some("snils_checksum")),
            ("112-233-445", Some("snils_format")),
            ("СНИЛС", Some("snils_format")),
            ("", None),
            ("   ", None),
        ] {
            let facts = ClientFacts {
                snils: Some(snils),
                ..ClientFacts::default()
            };
            let want: Vec<_> = expected.map(|c| ("snils", c)).into_iter().collect();
            assert_eq!(codes(&facts, "2025-06-10"), want, "{snils:?}");
        }
    }

    #[test]
    fn inn() {
        for (inn, expected) in [
            ("500100732259", None),
            (" 773370857141 ", None),
            ("7707083893", Some("inn_not_personal")),
            ("500100732258", Some("inn_checksum")),
            ("7707083894", Some("inn_checksum")),
            ("50010073225", Some("inn_format")),
            ("5001 00732259", Some("inn_format")),
            ("", None),
        ] {
            let facts = ClientFacts {
                inn: Some(inn),
                ..ClientFacts::default()
            };
            let want: Vec<_> = expected.map(|c| ("inn", c)).into_iter().collect();
            assert_eq!(codes(&facts, "2025-06-10"), want, "{inn:?}");
        }
    }

    #[test]
    fn passport_formats() {
        // (series, number, issuer code, expected findings)
        for (series, number, issuer, expected) in [
            ("4506", "123456", "770-001", vec![]),
            ("45 06", "000001", "770001", vec![]),
            (
                "450",
                "123456",
                "770-001",
                vec![("passport_series", "passport_series_format")],
            ),
            (
                "45-06",
                "123456",
                "770-001",
                vec![("passport_series", "passport_series_format")],
            ),
            (
                "4506",
                "12345",
                "770-001",
                vec![("passport_number", "passport_number_format")],
            ),
            (
                "4506",
                "123 456",
                "770-001",
                vec![("passport_number", "passport_number_format")],
            ),
            (
                "4506",
                "123456",
                "770 001",
                vec![("passport_issuer_code", "issuer_code_format")],
            ),
            (
                "4506",
                "123456",
                "77-0001",
                vec![("passport_issuer_code", "issuer_code_format")],
            ),
            (
                "45",
                "1",
                "7",
                vec![
                    ("passport_series", "passport_series_format"),
                    ("passport_number", "passport_number_format"),
                    ("passport_issuer_code", "issuer_code_format"),
                ],
            ),
            ("", " ", "", vec![]),
        ] {
            let facts = ClientFacts {
                passport_series: Some(series),
                passport_number: Some(number),
                issuer_code: Some(issuer),
                ..ClientFacts::default()
            };
            assert_eq!(
                codes(&facts, "2025-06-10"),
                expected,
                "{series:?} {number:?} {issuer:?}"
            );
        }
    }

    #[test]
    fn format_findings_keep_the_value_types_messages() {
        let facts = ClientFacts {
            passport_number: Some("12"),
            ..ClientFacts::default()
        };
        let found = check_client(&facts, d("2025-06-10"));
        assert_eq!(
            found,
            vec![Finding::new(
                "passport_number",
                "passport_number_format",
                PassportNumber::parse("12").unwrap_err().message,
            )]
        );
    }

    #[test]
    fn birth_date_in_future() {
        for (birth, expected) in [
            ("2025-06-09", vec![]),
            ("2025-06-10", vec![]),
            ("2025-06-11", vec![("birth_date", "birth_date_in_future")]),
            ("2090-01-01", vec![("birth_date", "birth_date_in_future")]),
        ] {
            let facts = ClientFacts {
                birth_date: Some(d(birth)),
                ..ClientFacts::default()
            };
            assert_eq!(codes(&facts, "2025-06-10"), expected, "{birth}");
        }
    }

    #[test]
    fn passport_issued_in_future() {
        for (issued, expected) in [
            ("2025-06-09", vec![]),
            ("2025-06-10", vec![]),
            ("2025-06-11", vec![(ISSUED_ON, "passport_issued_in_future")]),
        ] {
            let facts = ClientFacts {
                passport_issued_on: Some(d(issued)),
                ..ClientFacts::default()
            };
            assert_eq!(codes(&facts, "2025-06-10"), expected, "{issued}");
        }
        // With a birth date too (issued at 30, still valid).
        assert_eq!(
            dates("1995-06-10", "2025-06-11", "2025-06-10"),
            vec![(ISSUED_ON, "passport_issued_in_future")]
        );
    }

    #[test]
    fn passport_issued_before_14_or_before_birth() {
        // Today is well within the validity of a passport issued at 14, so
        // no expiry finding mixes in.
        let today = "2019-01-01";
        for (birth, issued, expected) in [
            // 14th birthday 2014-05-15.
            (
                "2000-05-15",
                "2014-05-14",
                Some("passport_issued_before_14"),
            ),
            ("2000-05-15", "2014-05-15", None),
            ("2000-05-15", "2014-05-16", None),
            // The day of birth is before 14; the day before it is before birth.
            (
                "2000-05-15",
                "2000-05-15",
                Some("passport_issued_before_14"),
            ),
            (
                "2000-05-15",
                "2000-05-14",
                Some("passport_issued_before_birth"),
            ),
            (
                "2000-05-15",
                "1990-01-01",
                Some("passport_issued_before_birth"),
            ),
            // Born 29 February: the 14th birthday (2018, not leap) is 1 March.
            (
                "2004-02-29",
                "2018-02-28",
                Some("passport_issued_before_14"),
            ),
            ("2004-02-29", "2018-03-01", None),
            ("2004-02-29", "2018-03-02", None),
            // Born 28 February / 1 March: their own days.
            (
                "2004-02-28",
                "2018-02-27",
                Some("passport_issued_before_14"),
            ),
            ("2004-02-28", "2018-02-28", None),
            (
                "2004-03-01",
                "2018-02-28",
                Some("passport_issued_before_14"),
            ),
            ("2004-03-01", "2018-03-01", None),
        ] {
            let want: Vec<_> = expected.map(|c| (ISSUED_ON, c)).into_iter().collect();
            assert_eq!(dates(birth, issued, today), want, "{birth} {issued}");
        }
    }

    #[test]
    fn before_14_message_names_the_birthday() {
        let found = check_client(
            &ClientFacts {
                birth_date: Some(d("2004-02-29")),
                passport_issued_on: Some(d("2018-02-28")),
                ..ClientFacts::default()
            },
            d("2018-06-01"),
        );
        assert_eq!(
            found[0].message,
            "a passport is issued from the age of 14; the 14th birthday is 2018-03-01"
        );
    }

    #[test]
    fn passport_expired_at_20() {
        // Born 2000-05-15: 20th birthday 2020-05-15, due by 2020-08-13.
        let birth = "2000-05-15";
        for (issued, today, expired) in [
            // Issued at 14: day 89, 90 (still grace) and 91 after the birthday.
            ("2014-05-20", "2020-08-12", false),
            ("2014-05-20", "2020-08-13", false),
            ("2014-05-20", "2020-08-14", true),
            ("2014-05-20", "2020-05-15", false),
            ("2014-05-20", "2035-01-01", true),
            // Issued the day before / of / after the 20th birthday.
            ("2020-05-14", "2020-08-14", true),
            ("2020-05-15", "2020-08-14", false),
            ("2020-05-16", "2020-08-14", false),
            ("2020-05-15", "2045-05-15", false),
        ] {
            let want = if expired {
                vec![(ISSUED_ON, "passport_expired")]
            } else {
                vec![]
            };
            assert_eq!(dates(birth, issued, today), want, "{issued} {today}");
        }
    }

    #[test]
    fn passport_expired_at_45() {
        // Born 1970-03-10: 45th birthday 2015-03-10, due by 2015-06-08.
        let birth = "1970-03-10";
        for (issued, today, expired) in [
            // Issued at 20: day 89, 90 (still grace) and 91 after the birthday.
            ("1990-04-01", "2015-06-07", false),
            ("1990-04-01", "2015-06-08", false),
            ("1990-04-01", "2015-06-09", true),
            ("1990-04-01", "2015-03-10", false),
            // Issued the day before / of / after the 45th birthday.
            ("2015-03-09", "2015-06-09", true),
            ("2015-03-10", "2015-06-09", false),
            ("2015-03-11", "2015-06-09", false),
            // Issued at 45 or later: valid for good.
            ("2015-03-10", "2070-01-01", false),
            ("2030-01-01", "2070-01-01", false),
        ] {
            let want = if expired {
                vec![(ISSUED_ON, "passport_expired")]
            } else {
                vec![]
            };
            assert_eq!(dates(birth, issued, today), want, "{issued} {today}");
        }
    }

    #[test]
    fn passport_expired_born_29_february() {
        for (birth, issued, today, expired) in [
            // 20th birthday in a leap year: 2020-02-29, due by 2020-05-29.
            ("2000-02-29", "2014-03-01", "2020-05-28", false),
            ("2000-02-29", "2014-03-01", "2020-05-29", false),
            ("2000-02-29", "2014-03-01", "2020-05-30", true),
            ("2000-02-29", "2020-02-28", "2020-05-30", true),
            ("2000-02-29", "2020-02-29", "2020-05-30", false),
            // 45th birthday in a common year: 2017-03-01, due by 2017-05-30.
            ("1972-02-29", "1992-03-01", "2017-05-29", false),
            ("1972-02-29", "1992-03-01", "2017-05-30", false),
            ("1972-02-29", "1992-03-01", "2017-05-31", true),
            ("1972-02-29", "2017-02-28", "2017-05-31", true),
            ("1972-02-29", "2017-03-01", "2017-05-31", false),
            ("1972-02-29", "2017-03-02", "2017-05-31", false),
            // 20th birthday in 2100, a common year: 2100-03-01, due by 2100-05-30.
            ("2080-02-29", "2094-03-01", "2100-05-30", false),
            ("2080-02-29", "2094-03-01", "2100-05-31", true),
            ("2080-02-29", "2100-02-28", "2100-05-31", true),
            ("2080-02-29", "2100-03-01", "2100-05-31", false),
        ] {
            let want = if expired {
                vec![(ISSUED_ON, "passport_expired")]
            } else {
                vec![]
            };
            assert_eq!(
                dates(birth, issued, today),
                want,
                "{birth} {issued} {today}"
            );
        }
    }

    #[test]
    fn expired_message_names_the_earliest_missed_replacement() {
        let at = |issued: &str, today: &str| {
            check_client(
                &ClientFacts {
                    birth_date: Some(d("1970-03-10")),
                    passport_issued_on: Some(d(issued)),
                    ..ClientFacts::default()
                },
                d(today),
            )
        };
        let expired = |message: &str| vec![Finding::new(ISSUED_ON, "passport_expired", message)];
        // Issued at 16, never replaced: overdue since the 20th.
        assert_eq!(
            at("1986-04-01", "2020-01-01"),
            expired("the passport had to be replaced at 20; the replacement was due by 1990-06-08")
        );
        assert_eq!(
            at("1991-01-01", "2020-01-01"),
            expired("the passport had to be replaced at 45; the replacement was due by 2015-06-08")
        );
    }

    #[test]
    fn issue_date_findings_combine() {
        // Issued at 10 and never replaced: too early and expired.
        assert_eq!(
            dates("2000-05-15", "2010-05-15", "2025-06-10"),
            vec![
                (ISSUED_ON, "passport_issued_before_14"),
                (ISSUED_ON, "passport_expired"),
            ]
        );
        // Born in the future, passport issued today: before birth too.
        assert_eq!(
            dates("2025-06-11", "2025-06-10", "2025-06-10"),
            vec![
                ("birth_date", "birth_date_in_future"),
                (ISSUED_ON, "passport_issued_before_birth"),
            ]
        );
    }

    #[test]
    fn findings_come_in_field_order() {
        let facts = ClientFacts {
            birth_date: Some(d("2030-01-01")),
            snils: Some("11223344594"),
            inn: Some("7707083893"),
            passport_series: Some("4"),
            passport_number: Some("4"),
            passport_issued_on: Some(d("2029-01-01")),
            issuer_code: Some("4"),
        };
        assert_eq!(
            codes(&facts, "2025-06-10"),
            vec![
                ("birth_date", "birth_date_in_future"),
                ("snils", "snils_checksum"),
                ("inn", "inn_not_personal"),
                ("passport_series", "passport_series_format"),
                ("passport_number", "passport_number_format"),
                (ISSUED_ON, "passport_issued_in_future"),
                (ISSUED_ON, "passport_issued_before_birth"),
                ("passport_issuer_code", "issuer_code_format"),
            ]
        );
    }

    #[test]
    fn nth_birthday_handles_29_february() {
        for (birth, age, birthday) in [
            ("2000-05-15", 14, Some("2014-05-15")),
            ("2000-02-29", 14, Some("2014-03-01")),
            ("2000-02-29", 20, Some("2020-02-29")),
            ("2080-02-29", 20, Some("2100-03-01")),
            ("2000-02-29", 45, Some("2045-03-01")),
            ("2000-02-28", 45, Some("2045-02-28")),
            ("2000-03-01", 45, Some("2045-03-01")),
        ] {
            assert_eq!(
                nth_birthday(d(birth), age),
                birthday.map(d),
                "{birth} {age}"
            );
        }
        assert_eq!(nth_birthday(NaiveDate::MAX, 14), None);
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for (birth, issued, today) in [
            (NaiveDate::MAX, NaiveDate::MIN, NaiveDate::MAX),
            (NaiveDate::MIN, NaiveDate::MIN, NaiveDate::MAX),
            (NaiveDate::MAX, NaiveDate::MAX, NaiveDate::MIN),
            (NaiveDate::MIN, NaiveDate::MAX, NaiveDate::MIN),
        ] {
            let facts = ClientFacts {
                birth_date: Some(birth),
                passport_issued_on: Some(issued),
                ..ClientFacts::default()
            };
            let _ = check_client(&facts, today);
        }
        // Born near the end of chrono's range: the 20th birthday exists but
        // not the 45th; nothing is reported and nothing panics.
        let late = NaiveDate::MAX.with_day(1).unwrap();
        let birth = late.with_year(late.year() - 30).unwrap();
        assert_eq!(
            check_client(
                &ClientFacts {
                    birth_date: Some(birth),
                    passport_issued_on: Some(birth.with_year(birth.year() + 25).unwrap()),
                    ..ClientFacts::default()
                },
                NaiveDate::MAX,
            ),
            vec![]
        );
    }
}
