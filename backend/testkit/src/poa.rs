//! Machine-readable powers of attorney (МЧД) for tests: a well-formed
//! EMCHD_1 document, as the ФНС registry keeps it, written from a small
//! [`PoaSample`] (docs/power-of-attorney.md). The head's signature over it
//! is the test's business (mezha-cms-build signs any bytes).
//!
//! The default sample matches the domain's committed one
//! (`backend/domain/src/poa/sample.xml`): "Квартал-Сервис" to Петрова, valid
//! 2025-03-01..=2026-02-28, here with all three Mezha deal powers.

use chrono::NaiveDate;

/// Mezha's power codes (`mezha_domain::poa::DealPower::code`), repeated
/// here because the test kit does not depend on the domain.
pub const SIGN_DOCUMENTS: &str = "MEZHA.DEAL.SIGN_DOCUMENTS";
/// See [`SIGN_DOCUMENTS`].
pub const SIGN_STATEMENTS: &str = "MEZHA.DEAL.SIGN_STATEMENTS";
/// See [`SIGN_DOCUMENTS`].
pub const SUBMIT_TO_REGISTRY: &str = "MEZHA.DEAL.SUBMIT_TO_REGISTRY";

/// A person named in the МЧД: the head or the representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePerson {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    /// `СНИЛС`, written as given (`123-456-789 64` is the format's form).
    pub snils: Option<String>,
    /// `ИННФЛ`, 12 digits.
    pub inn: Option<String>,
    pub position: String,
}

/// What the document says. Values are written as given (escaped), so a test
/// can put a wrong check digit or a bad date in on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoaSample {
    /// `НомДовер`, a UUID.
    pub number: String,
    /// `ВнНомДовер`.
    pub internal_number: String,
    /// `ДатаВыдДовер`.
    pub issued_on: NaiveDate,
    /// `СрокДейст`, the last valid day.
    pub valid_until: NaiveDate,
    pub org_name: String,
    pub org_inn: String,
    pub org_kpp: String,
    /// `ОГРН`; left out when `None`.
    pub org_ogrn: Option<String>,
    pub head: SamplePerson,
    pub representative: SamplePerson,
    /// `КодПолн` of each `МашПолн`, in order.
    pub powers: Vec<String>,
}

impl Default for PoaSample {
    fn default() -> Self {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        PoaSample {
            number: "6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913".to_owned(),
            internal_number: "17/2025".to_owned(),
            issued_on: date(2025, 3, 1),
            valid_until: date(2026, 2, 28),
            org_name: "Общество с ограниченной ответственностью «Квартал-Сервис»".to_owned(),
            org_inn: "7734123457".to_owned(),
            org_kpp: "773401001".to_owned(),
            org_ogrn: Some("1157746123457".to_owned()),
            head: SamplePerson {
                surname: "Сидоров".to_owned(),
                name: "Алексей".to_owned(),
                patronymic: Some("Петрович".to_owned()),
                snils: Some("156-789-012 11".to_owned()),
                inn: Some("770312345678".to_owned()),
                position: "Генеральный директор".to_owned(),
            },
            representative: SamplePerson {
                surname: "Петрова".to_owned(),
                name: "Анна".to_owned(),
                patronymic: Some("Сергеевна".to_owned()),
                snils: Some("123-456-789 64".to_owned()),
                inn: Some("771234567859".to_owned()),
                position: "Специалист по сделкам".to_owned(),
            },
            powers: vec![
                SIGN_DOCUMENTS.to_owned(),
                SIGN_STATEMENTS.to_owned(),
                SUBMIT_TO_REGISTRY.to_owned(),
            ],
        }
    }
}

/// `value` escaped for a double-quoted attribute.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// ` name="value"` when there is a value.
fn attribute(name: &str, value: Option<&str>) -> String {
    value
        .map(|v| format!(" {name}=\"{}\"", escape(v)))
        .unwrap_or_default()
}

/// The `НаимПолн` written beside a code.
fn power_title(code: &str) -> String {
    match code {
        SIGN_DOCUMENTS => {
            "Подписывать документы сделки с недвижимым имуществом от имени организации".to_owned()
        }
        SIGN_STATEMENTS => "Подписывать заявления о государственном кадастровом учёте и (или) государственной регистрации прав".to_owned(),
        SUBMIT_TO_REGISTRY => "Представлять документы на государственную регистрацию прав в орган регистрации прав".to_owned(),
        other => format!("Полномочие {other}"),
    }
}

/// A person element (`СвФЛ` or `СведФизЛ`) with its name.
fn person(element: &str, p: &SamplePerson, indent: &str) -> String {
    format!(
        "{indent}<{element}{}{}{}>\n{indent}  <СведФЛ>\n{indent}    <ФИО{}{}{}/>\n{indent}  </СведФЛ>\n{indent}</{element}>\n",
        attribute("ИННФЛ", p.inn.as_deref()),
        attribute("СНИЛС", p.snils.as_deref()),
        attribute("Должность", Some(&p.position)),
        attribute("Фамилия", Some(&p.surname)),
        attribute("Имя", Some(&p.name)),
        attribute("Отчество", p.patronymic.as_deref()),
    )
}

/// The МЧД `spec` describes, as UTF-8 XML in the EMCHD_1 format.
pub fn power_of_attorney_xml(spec: &PoaSample) -> String {
    let file_id = format!(
        "ON_EMCHD_{}_{}",
        spec.issued_on.format("%Y%m%d"),
        spec.number
    );
    let powers: String = spec
        .powers
        .iter()
        .map(|code| {
            format!(
                "        <МашПолн{}{}/>\n",
                attribute("КодПолн", Some(code)),
                attribute("НаимПолн", Some(&power_title(code))),
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Доверенность xmlns="urn://x-artefacts/EMCHD_1" ВерсФорм="EMCHD_1" ПрЭлФорм="00000000"{file_id}>
  <Документ>
    <Довер>
      <СвДов ВидДовер="1" ПрПередов="1"{internal}{number} ДатаВыдДовер="{issued}" СрокДейст="{until}">
        <СведСист>https://m4d.nalog.gov.ru/emchd/check-status?guid={guid}</СведСист>
      </СвДов>
      <СвДоверит ТипДоверит="1">
        <Доверит>
          <РосОргДовер ЕИОУК="0" ЕИОФЛ="1" ЕИОИП="0">
            <СвРосОрг{org_name}{org_inn}{org_kpp}{org_ogrn}/>
            <ЛицоБезДов ПолнЮЛ="1">
{head}            </ЛицоБезДов>
          </РосОргДовер>
        </Доверит>
      </СвДоверит>
      <СвУпПред ТипПред="3">
        <Пред>
{representative}        </Пред>
      </СвУпПред>
      <СвПолн ТипПолн="1" ПрСовмПолн="2">
{powers}      </СвПолн>
    </Довер>
  </Документ>
</Доверенность>
"#,
        file_id = attribute("ИдФайл", Some(&file_id)),
        internal = attribute("ВнНомДовер", Some(&spec.internal_number)),
        number = attribute("НомДовер", Some(&spec.number)),
        issued = spec.issued_on.format("%Y-%m-%d"),
        until = spec.valid_until.format("%Y-%m-%d"),
        guid = escape(&spec.number),
        org_name = attribute("НаимОрг", Some(&spec.org_name)),
        org_inn = attribute("ИННЮЛ", Some(&spec.org_inn)),
        org_kpp = attribute("КПП", Some(&spec.org_kpp)),
        org_ogrn = attribute("ОГРН", spec.org_ogrn.as_deref()),
        head = person("СвФЛ", &spec.head, "              "),
        representative = person("СведФизЛ", &spec.representative, "          "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use mezha_domain::poa::{self, DealPower, Presentation};
    use mezha_domain::{Inn, Snils};

    #[test]
    fn the_default_sample_reads_back() {
        let xml = power_of_attorney_xml(&PoaSample::default());
        let parsed = poa::parse(xml.as_bytes()).unwrap();
        assert_eq!(
            parsed.number.to_string(),
            "6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913"
        );
        assert_eq!(parsed.internal_number.as_deref(), Some("17/2025"));
        assert_eq!(parsed.principal.inn.as_str(), "7734123457");
        assert_eq!(
            parsed.principal.head.full_name.as_str(),
            "Сидоров Алексей Петрович"
        );
        assert_eq!(
            parsed.representative.full_name.as_str(),
            "Петрова Анна Сергеевна"
        );
        assert_eq!(parsed.deal_powers(), DealPower::ALL);
        assert_eq!(parsed.powers[0].name, DealPower::SignDocuments.title());
        let ctx = Presentation {
            today: parsed.valid_until,
            organisation_inn: Inn::parse("7734123457").unwrap(),
            organisation_ogrn: None,
            signer_snils: Some(Snils::parse("123-456-789 64").unwrap()),
            signer_inn: None,
            power: DealPower::SubmitToRegistry,
        };
        assert_eq!(poa::check(&parsed, &ctx), Ok(()));
    }

    #[test]
    fn the_codes_are_the_domains() {
        assert_eq!(
            [SIGN_DOCUMENTS, SIGN_STATEMENTS, SUBMIT_TO_REGISTRY],
            DealPower::ALL.map(DealPower::code)
        );
        for power in DealPower::ALL {
            assert_eq!(power_title(power.code()), power.title());
        }
    }

    #[test]
    fn the_spec_is_written_escaped_and_as_given() {
        let spec = PoaSample {
            org_name: "ООО \"Кавычки\" & <Скобки> 'и' апостроф".to_owned(),
            org_ogrn: None,
            valid_until: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            representative: SamplePerson {
                snils: None,
                patronymic: None,
                ..PoaSample::default().representative
            },
            powers: vec![SIGN_STATEMENTS.to_owned(), "OTHER.CODE".to_owned()],
            ..PoaSample::default()
        };
        let parsed = poa::parse(power_of_attorney_xml(&spec).as_bytes()).unwrap();
        assert_eq!(
            parsed.principal.name,
            "ООО \"Кавычки\" & <Скобки> 'и' апостроф"
        );
        assert_eq!(parsed.principal.ogrn, None);
        assert_eq!(parsed.issued_on, parsed.valid_until);
        assert_eq!(parsed.representative.snils, None);
        assert_eq!(parsed.representative.full_name.as_str(), "Петрова Анна");
        let codes: Vec<_> = parsed.powers.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, [SIGN_STATEMENTS, "OTHER.CODE"]);
        assert_eq!(parsed.deal_powers(), [DealPower::SignStatements]);

        let bad = PoaSample {
            org_inn: "7734123458".to_owned(),
            ..PoaSample::default()
        };
        let error = poa::parse(power_of_attorney_xml(&bad).as_bytes()).unwrap_err();
        assert_eq!(error.code(), "poa_invalid_principal_inn");
    }
}
