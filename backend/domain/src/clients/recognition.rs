//! Reading a passport's main page from the text OCR gave (docs/clients.md,
//! "Passport recognition"): the fields found are proposed for a person to
//! confirm, never saved as they are. OCR text is noisy — stray bars and
//! underscores, a space inside a date, a misread letter in a label — so
//! labels are matched by their stems and values by their shapes.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// What was read; `None` where nothing fitting was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    /// Surname, name and patronymic, in title case.
    pub full_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub birth_place: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    pub passport_issued_on: Option<NaiveDate>,
    pub passport_issuer_code: Option<String>,
    pub passport_issuer: Option<String>,
}

#[allow(clippy::expect_used)] // constant patterns, checked by the tests
fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static SERIES_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:^|\D)(\d{2})\s?(\d{2})\s{0,3}(\d{6})(?:\D|$)"));
static DATE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(\d{2})\s?[.,]\s?(\d{2})\s?[.,]\s?(\d{4})"));
static CODE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{3})\s?[-–—]\s?(\d{3})"));
static WORD: LazyLock<Regex> = LazyLock::new(|| regex(r"[А-ЯЁа-яё][А-ЯЁа-яё\-]*"));

/// A line without OCR's stray marks at its ends.
fn clean(line: &str) -> String {
    line.trim_matches(|c: char| c.is_whitespace() || "|_—–-~'\"`".contains(c))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn date_in(line: &str) -> Option<NaiveDate> {
    let c = DATE.captures(line)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(n(3)?).ok()?, n(2)?, n(1)?)
}

/// The words of `line` after its label (the first word containing
/// `stem`), in upper case as printed.
fn value_after(line: &str, stem: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let at = lower.find(stem)?;
    let rest = &line[at..];
    let rest = rest.split_once(' ').map(|(_, r)| r).unwrap_or("");
    let words: Vec<&str> = WORD
        .find_iter(rest)
        .map(|m| m.as_str())
        .filter(|w| {
            w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The text of `line` after its label (the word containing `stem`), as
/// printed, when there is any.
fn rest_after(line: &str, stem: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let at = lower.find(stem)?;
    let rest = line[at..].split_once(' ').map(|(_, r)| clean(r))?;
    (!rest.is_empty()).then(|| rest.to_uppercase())
}

/// `ПЕТРОВ` → `Петров`, `САЛТЫКОВ-ЩЕДРИН` → `Салтыков-Щедрин`.
fn title(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

/// Reads the fields of a passport's main page from OCR `text`.
pub fn read(text: &str) -> Proposal {
    let lines: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
    let mut p = Proposal::default();
    if let Some(c) = SERIES_NUMBER.captures(text) {
        p.passport_series = Some(format!("{}{}", &c[1], &c[2]));
        p.passport_number = Some(c[3].to_owned());
    }
    if let Some(c) = CODE.captures(text) {
        p.passport_issuer_code = Some(format!("{}-{}", &c[1], &c[2]));
    }
    let (mut surname, mut name, mut patronymic) = (None, None, None);
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_lowercase();
        if lower.contains("выдач") && p.passport_issued_on.is_none() {
            p.passport_issued_on = date_in(line);
        }
        if lower.contains("рожд") {
            if lower.contains("мест") {
                p.birth_place = rest_after(line, "рожд");
            } else if p.birth_date.is_none() {
                // The date after the label (the sex may come first on the line).
                let after = lower.find("рожд").map_or(line.as_str(), |at| &line[at..]);
                p.birth_date = date_in(after);
            }
        }
        if lower.contains("фамил") {
            surname = value_after(line, "фамил");
        } else if lower.starts_with("имя") || lower.contains(" имя ") {
            name = value_after(line, "имя");
        } else if lower.contains("отчеств") {
            patronymic = value_after(line, "отчеств");
        }
        if lower.contains("выдан") && !lower.contains("дата") && p.passport_issuer.is_none()
        {
            let same_line = rest_after(line, "выдан");
            p.passport_issuer = same_line.or_else(|| {
                lines
                    .get(i + 1)
                    .filter(|next| !next.to_lowercase().contains("дата"))
                    .map(|next| next.to_uppercase())
            });
        }
    }
    let parts: Vec<String> = [surname, name, patronymic]
        .into_iter()
        .flatten()
        .map(|part| part.split(' ').map(title).collect::<Vec<_>>().join(" "))
        .collect();
    if !parts.is_empty() {
        p.full_name = Some(parts.join(" "));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// What Tesseract 5 (`-l rus --psm 4`) gave for a generated page.
    const OCR: &str = "32 23 804681\n\
        Ласпорт выдан |\n\
        ОТДЕЛОМ УФМС РОССИИ ПО московской ОБЛ.\n\
        | Дата выдачи 22.03. 2016 Код. подразделения 032-996\n\
        Фамилия ПЕТРОВА\n\
        Имя МАРИЯ _\n\
        Отчество АНДРЕЕВНА\n\
        Пол ЖЕН. Дата рождения 06.09.1993\n\
        \n\
        Место рождения ГОР. ТУЛА\n";

    #[test]
    fn a_noisy_page_is_read_field_by_field() {
        let p = read(OCR);
        assert_eq!(p.full_name.as_deref(), Some("Петрова Мария Андреевна"));
        assert_eq!(p.passport_series.as_deref(), Some("3223"));
        assert_eq!(p.passport_number.as_deref(), Some("804681"));
        assert_eq!(p.passport_issued_on, date(2016, 3, 22));
        assert_eq!(p.passport_issuer_code.as_deref(), Some("032-996"));
        assert_eq!(p.birth_date, date(1993, 9, 6));
        assert_eq!(p.birth_place.as_deref(), Some("ГОР. ТУЛА"));
        assert_eq!(
            p.passport_issuer.as_deref(),
            Some("ОТДЕЛОМ УФМС РОССИИ ПО МОСКОВСКОЙ ОБЛ.")
        );
    }

    #[test]
    fn what_is_not_there_is_not_proposed() {
        assert_eq!(read(""), Proposal::default());
        let p = read("Фамилия ИВАНОВ\nсчёт 40817810099910004312");
        assert_eq!(p.full_name.as_deref(), Some("Иванов"));
        assert_eq!(p.passport_series, None, "20 digits are no passport");
        assert_eq!(p.birth_date, None);
    }

    #[test]
    fn an_impossible_date_is_not_proposed() {
        let p = read("Дата рождения 31.02.1990\nДата выдачи 01.13.2010");
        assert_eq!(p.birth_date, None);
        assert_eq!(p.passport_issued_on, None);
    }

    #[test]
    fn hyphenated_names_and_yo_keep_their_shape() {
        let p = read("Фамилия САЛТЫКОВ-ЩЕДРИН\nИмя ПЁТР\nОтчество ФЁДОРОВИЧ");
        assert_eq!(
            p.full_name.as_deref(),
            Some("Салтыков-Щедрин Пётр Фёдорович")
        );
    }
}
