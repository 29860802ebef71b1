//! Reading whole documents: the committed sample, every part missing or
//! wrong, the unsupported kinds, and inputs that are not documents at all.

use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A realistic МЧД: "Квартал-Сервис" to Петрова, 2025-03-01..=2026-02-28,
/// granting SignDocuments and SignStatements.
const SAMPLE: &str = include_str!("sample.xml");

/// The sample with `from` (which must occur in it) replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    assert!(SAMPLE.contains(from), "the sample has no {from:?}");
    SAMPLE.replacen(from, to, 1)
}

fn code(xml: &str) -> &'static str {
    parse(xml.as_bytes()).unwrap_err().code()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn reads_the_sample() {
    let poa = parse(SAMPLE.as_bytes()).unwrap();
    assert_eq!(
        poa.number.to_string(),
        "6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913"
    );
    assert_eq!(poa.internal_number.as_deref(), Some("17/2025"));
    assert_eq!(poa.issued_on, day(2025, 3, 1));
    assert_eq!(poa.valid_until, day(2026, 2, 28));

    let principal = &poa.principal;
    assert_eq!(
        principal.name,
        "Общество с ограниченной ответственностью «Квартал-Сервис»"
    );
    assert_eq!(principal.inn.as_str(), "7734123457");
    assert_eq!(principal.kpp.as_str(), "773401001");
    assert_eq!(principal.ogrn.as_ref().unwrap().as_str(), "1157746123457");
    assert_eq!(
        principal.head.full_name.as_str(),
        "Сидоров Алексей Петрович"
    );
    assert_eq!(
        principal.head.snils.as_ref().unwrap().digits(),
        "15678901211"
    );
    assert_eq!(
        principal.head.inn.as_ref().unwrap().as_str(),
        "770312345678"
    );

    let representative = &poa.representative;
    assert_eq!(representative.full_name.as_str(), "Петрова Анна Сергеевна");
    assert_eq!(
        representative.snils.as_ref().unwrap().digits(),
        "12345678964"
    );
    assert_eq!(
        representative.inn.as_ref().unwrap().as_str(),
        "771234567859"
    );

    let codes: Vec<&str> = poa.powers.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        ["MEZHA.DEAL.SIGN_DOCUMENTS", "MEZHA.DEAL.SIGN_STATEMENTS"]
    );
    assert_eq!(poa.powers[0].name, DealPower::SignDocuments.title());
    assert!(poa.powers.iter().all(|p| !p.restricted));
    assert_eq!(
        poa.deal_powers(),
        [DealPower::SignDocuments, DealPower::SignStatements]
    );
}

#[test]
fn the_sample_passes_the_check_for_its_signer() {
    let poa = parse(SAMPLE.as_bytes()).unwrap();
    let ctx = Presentation {
        today: day(2025, 9, 1),
        organisation_inn: Inn::parse("7734123457").unwrap(),
        organisation_ogrn: Some(Ogrn::parse("1157746123457").unwrap()),
        signer_snils: Some(Snils::parse("12345678964").unwrap()),
        signer_inn: None,
        power: DealPower::SignStatements,
    };
    assert_eq!(check(&poa, &ctx), Ok(()));
    let submit = Presentation {
        power: DealPower::SubmitToRegistry,
        ..ctx
    };
    assert_eq!(
        check(&poa, &submit),
        Err(PoaRefusal::PowerMissing(DealPower::SubmitToRegistry))
    );
}

#[test]
fn tolerates_what_it_does_not_read() {
    for (what, xml) in [
        (
            "no XML declaration",
            SAMPLE.replacen(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "", 1),
        ),
        ("a byte-order mark", format!("\u{feff}{SAMPLE}")),
        (
            "a namespace prefix",
            SAMPLE
                .replace("<Доверенность xmlns=", "<m:Доверенность xmlns:m=")
                .replace("</Доверенность>", "</m:Доверенность>"),
        ),
        (
            "no namespace",
            edited(r#"xmlns="urn://x-artefacts/EMCHD_1" "#, ""),
        ),
        (
            "unknown elements and attributes",
            edited(
                "<СвПолн ",
                "<Новое Поле=\"1\"><Глубже/></Новое><СвПолн Ещё=\"да\" ",
            ),
        ),
        ("no OGRN", edited(r#" ОГРН="1157746123457""#, "")),
        ("no internal number", edited(r#" ВнНомДовер="17/2025""#, "")),
        (
            "a ФИО without СведФЛ",
            edited(
                r#"<СведФЛ Пол="2" ДатаРожд="1990-11-03">
              <ФИО Фамилия="Петрова" Имя="Анна" Отчество="Сергеевна"/>
            </СведФЛ>"#,
                r#"<ФИО Фамилия="Петрова" Имя="Анна"/>"#,
            ),
        ),
        (
            "a management company as the head",
            edited(
                "<ЛицоБезДов ПолнЮЛ=\"1\">",
                "<ЛицоБезДов ПолнЮЛ=\"1\"><СВЮЛ><СвЮЛЕИО НаимОрг=\"УК\"/>",
            )
            .replacen("</ЛицоБезДов>", "</СВЮЛ></ЛицоБезДов>", 1),
        ),
        (
            "only the SNILS",
            edited(r#"<СведФизЛ ИННФЛ="771234567859""#, "<СведФизЛ"),
        ),
        ("only the INN", edited(r#" СНИЛС="123-456-789 64""#, "")),
        (
            "a power without a name",
            edited(
                r#" НаимПолн="Подписывать документы сделки с недвижимым имуществом от имени организации""#,
                "",
            ),
        ),
        (
            "a one-day power of attorney",
            edited(r#"СрокДейст="2026-02-28""#, r#"СрокДейст="2025-03-01""#),
        ),
    ] {
        assert!(
            parse(xml.as_bytes()).is_ok(),
            "{what}: {:?}",
            parse(xml.as_bytes())
        );
    }
    let restricted = edited(
        r#"от имени организации"/>"#,
        r#"от имени организации"><ОгрСвПолн ИдОгр="1" КодОгр="X" НаимОгр="Сумма"><ТексЗначОгр>1</ТексЗначОгр></ОгрСвПолн></МашПолн>"#,
    );
    let poa = parse(restricted.as_bytes()).unwrap();
    assert!(poa.powers[0].restricted);
    assert_eq!(poa.deal_powers(), [DealPower::SignStatements]);
}

#[test]
fn every_missing_part_is_named() {
    let cases = [
        (
            "poa_missing_document",
            edited("<Довер>", "<Иное>").replacen("</Довер>", "</Иное>", 1),
        ),
        (
            "poa_missing_number",
            edited(r#" НомДовер="6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913""#, ""),
        ),
        (
            "poa_missing_number",
            edited(
                r#"НомДовер="6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913""#,
                r#"НомДовер="  ""#,
            ),
        ),
        (
            "poa_missing_issued_on",
            edited(r#" ДатаВыдДовер="2025-03-01""#, ""),
        ),
        (
            "poa_missing_valid_until",
            edited(r#" СрокДейст="2026-02-28""#, ""),
        ),
        (
            "poa_missing_principal",
            edited("<Доверит>", "<Иное>").replacen("</Доверит>", "</Иное>", 1),
        ),
        (
            "poa_missing_principal",
            edited("<СвРосОрг ", "<ИнойОрг ").replacen("</СвРосОрг>", "</ИнойОрг>", 1),
        ),
        (
            "poa_missing_principal_name",
            edited(
                " НаимОрг=\"Общество с ограниченной ответственностью «Квартал-Сервис»\"",
                "",
            ),
        ),
        (
            "poa_missing_principal_inn",
            edited(r#" ИННЮЛ="7734123457""#, ""),
        ),
        (
            "poa_missing_principal_kpp",
            edited(r#" КПП="773401001""#, ""),
        ),
        (
            "poa_missing_head",
            edited("<ЛицоБезДов ", "<Иное ").replacen("</ЛицоБезДов>", "</Иное>", 1),
        ),
        (
            "poa_missing_head_name",
            edited(
                r#"<ФИО Фамилия="Сидоров" Имя="Алексей" Отчество="Петрович"/>"#,
                "",
            ),
        ),
        ("poa_missing_head_name", edited(r#" Имя="Алексей""#, "")),
        (
            "poa_missing_representative",
            edited("<СвУпПред ", "<Иное ").replacen("</СвУпПред>", "</Иное>", 1),
        ),
        (
            "poa_missing_representative",
            edited("<Пред>", "<Иное>")
                .replacen("</Пред>", "</Иное>", 1)
                .replacen("<Иное>", "<Пред/><Иное>", 1),
        ),
        (
            "poa_missing_representative_name",
            edited(r#" Фамилия="Петрова""#, ""),
        ),
        (
            "poa_missing_representative_id",
            edited(r#" ИННФЛ="771234567859" СНИЛС="123-456-789 64""#, ""),
        ),
        (
            "poa_missing_powers",
            edited("<СвПолн ", "<Иное ").replacen("</СвПолн>", "</Иное>", 1),
        ),
        (
            "poa_missing_powers",
            edited("<МашПолн ", "<!-- <МашПолн ").replacen(
                "</СвПолн>",
                "--><ТекстПолн>Подписывать всё</ТекстПолн></СвПолн>",
                1,
            ),
        ),
        (
            "poa_missing_power_code",
            edited(r#" КодПолн="MEZHA.DEAL.SIGN_STATEMENTS""#, ""),
        ),
    ];
    for (expected, xml) in &cases {
        assert_eq!(code(xml), *expected, "{xml}");
    }
}

#[test]
fn every_invalid_value_is_named() {
    let cases = [
        (
            "poa_invalid_number",
            "НомДовер=\"6f0e2a4c-3b1d-4c8e-9a57-2d41c0b8e913\"",
            "НомДовер=\"17/2025\"",
        ),
        (
            "poa_invalid_issued_on",
            r#"ДатаВыдДовер="2025-03-01""#,
            r#"ДатаВыдДовер="01.03.2025""#,
        ),
        (
            "poa_invalid_valid_until",
            r#"СрокДейст="2026-02-28""#,
            r#"СрокДейст="2026-02-30""#,
        ),
        (
            "poa_invalid_period",
            r#"СрокДейст="2026-02-28""#,
            r#"СрокДейст="2025-02-28""#,
        ),
        (
            "poa_invalid_principal_inn",
            r#"ИННЮЛ="7734123457""#,
            r#"ИННЮЛ="7734123458""#,
        ),
        (
            "poa_invalid_principal_inn",
            r#"ИННЮЛ="7734123457""#,
            r#"ИННЮЛ="771234567859""#,
        ),
        (
            "poa_invalid_principal_kpp",
            r#"КПП="773401001""#,
            r#"КПП="7734""#,
        ),
        (
            "poa_invalid_principal_ogrn",
            r#"ОГРН="1157746123457""#,
            r#"ОГРН="1157746123458""#,
        ),
        (
            "poa_invalid_principal_ogrn",
            r#"ОГРН="1157746123457""#,
            r#"ОГРН="304500116000157""#,
        ),
        (
            "poa_invalid_head_snils",
            r#"СНИЛС="156-789-012 11""#,
            r#"СНИЛС="156-789-012 12""#,
        ),
        (
            "poa_invalid_head_inn",
            r#"ИННФЛ="770312345678""#,
            r#"ИННФЛ="770312345679""#,
        ),
        (
            "poa_invalid_head_name",
            r#"Имя="Алексей""#,
            r#"Имя="Алексей2""#,
        ),
        (
            "poa_invalid_representative_snils",
            r#"СНИЛС="123-456-789 64""#,
            r#"СНИЛС="12345""#,
        ),
        (
            "poa_invalid_representative_inn",
            r#"ИННФЛ="771234567859""#,
            r#"ИННФЛ="771234567858""#,
        ),
        (
            "poa_invalid_representative_inn",
            r#"ИННФЛ="771234567859""#,
            r#"ИННФЛ="7734123457""#,
        ),
        (
            "poa_invalid_representative_name",
            r#"Фамилия="Петрова""#,
            r#"Фамилия="&lt;b&gt;""#,
        ),
    ];
    for (expected, from, to) in cases {
        assert_eq!(code(&edited(from, to)), expected, "{from} -> {to}");
    }
}

#[test]
fn refuses_other_documents_and_kinds() {
    let cases = [
        ("poa_not_emchd", "<Файл ВерсФорм=\"5.01\"/>".to_owned()),
        (
            "poa_unsupported_format",
            edited(r#"ВерсФорм="EMCHD_1""#, r#"ВерсФорм="002""#),
        ),
        (
            "poa_unsupported_format",
            edited(r#" ВерсФорм="EMCHD_1""#, ""),
        ),
        ("poa_redelegated", edited("<Довер>", "<Передов/><Довер>")),
        (
            "poa_principal_not_organisation",
            edited("<РосОргДовер ", "<ИПДовер ").replacen("</РосОргДовер>", "</ИПДовер>", 1),
        ),
        (
            "poa_several_principals",
            edited("<СвУпПред ", "<СвДоверит/><СвУпПред "),
        ),
        (
            "poa_representative_not_person",
            edited("<СведФизЛ ", "<СведОрг ").replacen("</СведФизЛ>", "</СведОрг>", 1),
        ),
        (
            "poa_several_representatives",
            edited("<СвПолн ", "<СвУпПред ТипПред=\"3\"/><СвПолн "),
        ),
        (
            "poa_missing_document",
            "<Доверенность ВерсФорм=\"EMCHD_1\"/>".to_owned(),
        ),
    ];
    for (expected, xml) in &cases {
        assert_eq!(code(xml), *expected, "{xml}");
    }
}

#[test]
fn the_size_is_bounded() {
    let mut padded = SAMPLE.as_bytes().to_vec();
    padded.resize(MAX_XML_BYTES, b' ');
    assert!(parse(&padded).is_ok(), "exactly the limit is read");
    padded.push(b' ');
    assert_eq!(
        parse(&padded).unwrap_err(),
        PoaError::TooLarge {
            bytes: MAX_XML_BYTES + 1
        }
    );
}

#[test]
fn garbage_is_refused_without_panicking() {
    for bad in [
        &b""[..],
        b"   ",
        b"\xff\xfe<\x00",
        b"\xd0",
        b"<",
        b"<?xml version=\"1.0\"?>",
        b"not xml at all",
        b"<\xd0\x94\xd0",
        b"<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x/>",
        b"<![CDATA[x]]>",
        b"\0\0\0\0",
    ] {
        let error = parse(bad).unwrap_err();
        assert_eq!(error.code(), "poa_malformed", "{bad:?}");
    }
}

#[test]
fn every_truncation_of_the_sample_is_refused() {
    let bytes = SAMPLE.trim_end().as_bytes();
    for end in 0..bytes.len() {
        assert!(parse(&bytes[..end]).is_err(), "cut at byte {end}");
    }
    assert!(parse(bytes).is_ok());
}

#[test]
fn mangled_samples_never_panic() {
    // Deterministic mutations of the sample: flipped, dropped and
    // duplicated bytes. Each must come back as Ok or a PoaError; the test
    // fails only by panicking.
    let mut rng = StdRng::seed_from_u64(17);
    let original = SAMPLE.as_bytes();
    for _ in 0..3000 {
        let mut bytes = original.to_vec();
        for _ in 0..rng.gen_range(1..6) {
            let at = rng.gen_range(0..bytes.len());
            match rng.gen_range(0..3) {
                0 => bytes[at] = rng.r#gen(),
                1 => {
                    bytes.remove(at);
                }
                _ => {
                    let byte = bytes[at];
                    bytes.insert(at, byte);
                }
            }
        }
        let _ = parse(&bytes);
    }
}
