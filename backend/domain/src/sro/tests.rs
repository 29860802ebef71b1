//! Tests of the SRO registry import.

use super::csv_file::detect_delimiter;
use super::rows::Collector;
use super::*;

// Valid SNILS (see snils.rs tests).
const S1: &str = "112-233-445 95";
const S2: &str = "12345678964";
const S3: &str = "100-582-052 99";
const S4: &str = "05023431600";

fn snils(s: &str) -> Snils {
    Snils::parse(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn csv(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
    parse(text.as_bytes(), Format::Csv)
}

fn json(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
    parse(text.as_bytes(), Format::Json)
}

fn issues(result: Result<Vec<RegistryEntry>, ImportErrors>) -> Vec<ImportIssue> {
    result.unwrap_err().issues
}

fn issue(line: usize, field: Option<&str>, message: &str) -> ImportIssue {
    ImportIssue {
        line,
        field: field.map(str::to_owned),
        code: IssueCode::Invalid,
        message: message.to_owned(),
    }
}

fn entry(s: &str, status: SroStatus) -> RegistryEntry {
    RegistryEntry {
        snils: snils(s),
        full_name: "Иванов Иван Иванович".to_owned(),
        sro_name: "Ассоциация «Кадастровые инженеры»".to_owned(),
        registry_number: Some("123".to_owned()),
        status,
        status_date: Some(date(2024, 1, 1)),
        disciplinary_actions: None,
    }
}

#[test]
fn status_parses_english_and_russian() {
    use SroStatus::*;
    for (input, want) in [
        ("active", Active),
        ("ACTIVE", Active),
        (" Suspended ", Suspended),
        ("excluded", Excluded),
        ("действует", Active),
        ("Действует", Active),
        ("ПРИОСТАНОВЛЕН", Suspended),
        ("исключен", Excluded),
        ("Исключён", Excluded),
    ] {
        assert_eq!(input.parse::<SroStatus>().unwrap(), want, "{input:?}");
    }
    for bad in ["", "activ", "member", "действующий"] {
        assert_eq!(bad.parse::<SroStatus>().unwrap_err().code, "sro_status");
    }
    assert_eq!(Active.as_str(), "active");
    assert_eq!(Suspended.to_string(), "suspended");
    assert_eq!(Excluded.as_str(), "excluded");
    assert!(Active.is_active() && !Suspended.is_active() && !Excluded.is_active());
    assert_eq!(serde_json::to_string(&Excluded).unwrap(), "\"excluded\"");
}

#[test]
fn detects_the_format() {
    assert_eq!(detect_format(b"[]"), Format::Json);
    assert_eq!(detect_format(b"  \n{\"entries\":[]}"), Format::Json);
    assert_eq!(detect_format(b"\xEF\xBB\xBF [ ]"), Format::Json);
    assert_eq!(detect_format(b"snils,full_name"), Format::Csv);
    assert_eq!(detect_format(b"\xEF\xBB\xBFsnils;status"), Format::Csv);
    assert_eq!(detect_format(b""), Format::Csv);
    assert_eq!(detect_format(b"\xff\xfe"), Format::Csv);
}

#[test]
fn parses_comma_csv() {
    let file = "snils,full_name,sro_name,registry_number,status,status_date\n\
                    112-233-445 95,Иванов  Иван Иванович,Ассоциация «Кадастровые инженеры»,123,active,2024-01-01\n\
                    12345678964,Петрова Анна,СРО КИ,,suspended,\n";
    let entries = csv(file).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], entry(S1, SroStatus::Active));
    assert_eq!(entries[1].snils, snils(S2));
    assert_eq!(entries[1].full_name, "Петрова Анна");
    assert_eq!(entries[1].registry_number, None);
    assert_eq!(entries[1].status, SroStatus::Suspended);
    assert_eq!(entries[1].status_date, None);
}

#[test]
fn parses_semicolon_csv_with_bom_crlf_and_any_column_order() {
    let file = "\u{feff}Status;SNILS;Full_Name;Comment;SRO_Name\r\n\
                    действует;112-233-445 95;Иванов Иван Иванович;any text, with commas;СРО «Север»\r\n\
                    Приостановлен;12345678964;Петрова Анна;;СРО «Юг»\r\n\
                    ИСКЛЮЧЁН;100-582-052 99;Сидоров Пётр;;СРО «Юг»\r\n";
    let entries = csv(file).unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].snils, snils(S1));
    assert_eq!(entries[0].status, SroStatus::Active);
    assert_eq!(entries[0].sro_name, "СРО «Север»");
    assert_eq!(entries[1].status, SroStatus::Suspended);
    assert_eq!(entries[2].status, SroStatus::Excluded);
    assert_eq!(entries[2].full_name, "Сидоров Пётр");
}

#[test]
fn quoted_fields_may_hold_the_delimiter_quotes_and_newlines() {
    let file = "snils;full_name;sro_name;status\n\
                    112-233-445 95;Иванов Иван;\"Ассоциация \"\"СРО; КИ\"\"\";active\n\
                    12345678964;Петрова Анна;\"Союз\nкадастровых инженеров\";active\n\
                    100-582-052 99;Сидоров Пётр;СРО;bogus\n";
    let err = csv(file).unwrap_err();
    // The quoted newline is inside the row of line 3, so the bad row
    // starts on line 5.
    assert_eq!(err.issues.len(), 1);
    assert_eq!(err.issues[0].line, 5);
    assert_eq!(err.issues[0].field.as_deref(), Some("status"));

    let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,\"Иванов, Иван\",\"Ассоциация \"\"СРО, КИ\"\"\",active\n";
    let entries = csv(file);
    // A comma is not allowed in a full name: the row is refused.
    assert_eq!(issues(entries)[0].field.as_deref(), Some("full_name"));

    let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,Иванов Иван,\"Ассоциация \"\"СРО, КИ\"\"\",active\n\
                    12345678964,Петрова Анна,\"Союз\nкадастровых  инженеров\",active\n";
    let entries = csv(file).unwrap();
    assert_eq!(entries[0].sro_name, "Ассоциация \"СРО, КИ\"");
    assert_eq!(entries[1].sro_name, "Союз кадастровых инженеров");
}

#[test]
fn semicolon_header_with_quoted_commas_is_still_semicolon() {
    assert_eq!(detect_delimiter("\"a,b,c\";snils;status"), b';');
    assert_eq!(detect_delimiter("snils,full_name;x"), b',');
    assert_eq!(detect_delimiter("\n\nsnils;full_name\n1,2,3,4"), b';');
}

#[test]
fn empty_and_header_only_files_give_no_entries() {
    for file in [
        "",
        "  \n\r\n",
        "\u{feff}",
        "snils,full_name,sro_name,status\n",
        "snils;full_name;sro_name;status;status_date",
        "snils;full_name;sro_name;status\n;;;\n\n",
    ] {
        assert_eq!(csv(file).unwrap(), vec![], "{file:?}");
    }
    for file in ["", "[]", "\u{feff}[ ]", "{\"entries\": []}", " \n "] {
        assert_eq!(json(file).unwrap(), vec![], "{file:?}");
    }
}

#[test]
fn blank_rows_are_skipped_and_lines_still_count() {
    let file = "snils;full_name;sro_name;status\n\n;;;\n112-233-445 95;Иванов Иван;СРО;unknown\n";
    assert_eq!(
        issues(csv(file)),
        vec![issue(
            4,
            Some("status"),
            "the status is one of active, suspended, excluded \
                 (or действует, приостановлен, исключен)"
        )]
    );
}

#[test]
fn a_missing_column_is_one_issue_naming_it() {
    let file = "snils,full_name,status,registry_number\n112-233-445 95,Иванов Иван,active,1\n";
    assert_eq!(
        issues(csv(file)),
        vec![issue(
            1,
            Some("sro"),
            "the required column sro (or sro_name) is missing"
        )]
    );
    let all = issues(csv("a,b\n1,2\n"));
    let fields: Vec<_> = all.iter().filter_map(|i| i.field.as_deref()).collect();
    assert_eq!(fields, ["snils", "full_name", "sro", "status"]);
    let twice = issues(csv("snils,full_name,sro_name,status,SNILS\n"));
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].field.as_deref(), Some("snils"));
    assert_eq!(twice[0].message, "the column snils appears twice");
    // A column and its earlier name are the same column.
    let both = issues(csv("snils,full_name,sro,status,sro_name\n"));
    assert_eq!(
        both,
        vec![issue(
            1,
            Some("sro_name"),
            "the columns sro and sro_name are the same column; keep one"
        )]
    );
}

#[test]
fn reports_bad_values_with_line_and_field() {
    let file = "snils,full_name,sro_name,registry_number,status,status_date\n\
                    112-233-445 94,Иванов Иван,СРО,1,active,2024-01-01\n\
                    12345678964,,СРО,1,active,2024-02-30\n\
                    100-582-052 99,Сидоров Пётр,СРО,1,,01.02.2024\n\
                    not a snils,Сидоров Пётр,,1,active,2024/01/01\n\
                    05023431600,Сидоров Пётр,СРО\n";
    let got: Vec<_> = issues(csv(file))
        .into_iter()
        .map(|i| (i.line, i.field))
        .collect();
    let s = |f: &str| Some(f.to_owned());
    assert_eq!(
        got,
        vec![
            (2, s("snils")),
            (3, s("full_name")),
            (3, s("status_date")),
            (4, s("status")),
            (5, s("snils")),
            (5, s("sro_name")),
            (5, s("status_date")),
            (6, None),
        ]
    );
    let err = csv(file).unwrap_err();
    assert_eq!(err.issues[0].message, "SNILS check digits do not match");
    assert_eq!(err.issues[1].message, "required");
    assert_eq!(
        err.issues[7].message,
        "the row has 3 fields, the header has 6"
    );
    assert!(!err.truncated);
}

#[test]
fn accepts_both_date_spellings_and_trailing_empty_fields() {
    let file = "snils;full_name;sro_name;status;status_date\n\
                    112-233-445 95;Иванов Иван;СРО;active;01.02.2024;;\n\
                    12345678964;Петрова Анна;СРО;active;2024-02-29\n";
    let entries = csv(file).unwrap();
    assert_eq!(entries[0].status_date, Some(date(2024, 2, 1)));
    assert_eq!(entries[1].status_date, Some(date(2024, 2, 29)));
    let extra = issues(csv("snils;full_name;sro_name;status\n\
                                112-233-445 95;Иванов Иван;СРО;active;x\n"));
    assert_eq!(extra[0].line, 2);
    assert_eq!(extra[0].message, "the row has 5 fields, the header has 4");
}

#[test]
fn a_duplicate_snils_is_an_issue_on_the_second_line() {
    let file = "snils,full_name,sro_name,status\n\
                    112-233-445 95,Иванов Иван,СРО,active\n\
                    12345678964,Петрова Анна,СРО,active\n\
                    11223344595,Иванов Иван,СРО,excluded\n";
    assert_eq!(
        issues(csv(file)),
        vec![issue(
            4,
            Some("snils"),
            "SNILS 112-233-445 95 is already listed on line 2"
        )]
    );
}

#[test]
fn not_utf8_is_one_issue() {
    let mut file = b"snils;full_name;sro_name;status\n112-233-445 95;".to_vec();
    file.extend_from_slice(&[0xc8, 0xe2, 0xe0, 0xed]); // «Иван» in Windows-1251
    file.extend_from_slice(b";x;active\n");
    let got = issues(parse(&file, Format::Csv));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].line, 2);
    assert!(got[0].message.contains("UTF-8"));
}

#[test]
fn stops_after_max_issues() {
    let mut file = String::from("snils,full_name,sro_name,status\n");
    for _ in 0..150 {
        file.push_str("112-233-445 95,Иванов Иван,СРО,bogus\n");
    }
    let err = csv(&file).unwrap_err();
    assert_eq!(err.issues.len(), MAX_ISSUES);
    assert!(err.truncated);
    assert_eq!(err.issues[99].line, 101);
    let text = err.to_string();
    assert!(text.starts_with(
            "the SRO registry file was rejected: 100 issues (only the first 100 are listed)\n  line 2, status: "
        ));
}

#[test]
fn more_than_max_rows_is_an_issue() {
    // A real file of a million rows is slow to build in a unit test;
    // drive the row counter the parsers share instead.
    let mut c = Collector::default();
    for line in 1..=MAX_ROWS {
        assert!(c.count_row(line));
    }
    assert!(!c.count_row(MAX_ROWS + 1));
    let err = c.finish().unwrap_err();
    assert_eq!(err.issues.len(), 1);
    assert_eq!(err.issues[0].line, MAX_ROWS + 1);
    assert!(err.issues[0].message.contains("more than 1000000 rows"));
}

#[test]
fn parses_json_array_and_wrapped_object() {
    let array = r#"[
            {"snils": "112-233-445 95", "full_name": "Иванов Иван Иванович",
             "sro_name": "Ассоциация «Кадастровые инженеры»", "registry_number": "123",
             "status": "active", "status_date": "2024-01-01", "extra": {"ignored": true}},
            {"snils": "12345678964", "full_name": "Петрова Анна", "sro_name": "СРО",
             "registry_number": null, "status": "Исключен"}
        ]"#;
    let entries = json(array).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], entry(S1, SroStatus::Active));
    assert_eq!(entries[1].status, SroStatus::Excluded);
    assert_eq!(entries[1].registry_number, None);

    let wrapped = format!("\u{feff}{{\"generated_at\": \"2024-06-01\", \"entries\": {array}}}");
    assert_eq!(parse(wrapped.as_bytes(), Format::Json).unwrap(), entries);
    assert_eq!(
        parse(wrapped.as_bytes(), detect_format(wrapped.as_bytes())).unwrap(),
        entries
    );
}

#[test]
fn json_entries_are_numbered_from_one() {
    let file = r#"{"entries": [
            {"snils": "112-233-445 95", "full_name": "Иванов Иван", "sro_name": "СРО", "status": "active"},
            {"snils": 12345678964, "full_name": "Петрова Анна", "sro_name": "СРО", "status": "active"},
            "not an object",
            {"snils": "11223344595", "full_name": "Иванов Иван", "sro_name": "СРО", "status": "active"},
            {"full_name": "Сидоров Пётр", "sro_name": "СРО", "status": "unknown"}
        ]}"#;
    let got: Vec<_> = issues(json(file))
        .into_iter()
        .map(|i| (i.line, i.field, i.message))
        .collect();
    let s = |f: &str| Some(f.to_owned());
    assert_eq!(got[0], (2, s("snils"), "must be a string".to_owned()));
    assert_eq!(got[1], (3, None, "an entry is a JSON object".to_owned()));
    assert_eq!(
        got[2],
        (
            4,
            s("snils"),
            "SNILS 112-233-445 95 is already listed on line 1".to_owned()
        )
    );
    assert_eq!(got[3], (5, s("snils"), "required".to_owned()));
    assert_eq!(got[4].0, 5);
    assert_eq!(got[4].1, s("status"));
    assert_eq!(got.len(), 5);
}

#[test]
fn json_garbage_is_a_file_issue() {
    for bad in [
        "[",
        "[{\"snils\": }]",
        "{\"entries\": 5}",
        "{\"entries\": [], \"entries\": []}",
        "[] []",
        "null",
        "42",
        "\"entries\"",
        "snils,status",
        "[1, 2",
    ] {
        let err = json(bad).unwrap_err();
        assert!(err.issues.iter().any(|i| i.line == 0), "{bad:?}: {err:?}");
    }
    let missing = issues(json("{\"items\": []}"));
    assert_eq!(
        missing,
        vec![issue(
            0,
            Some("engineers"),
            "the object has no \"engineers\" array (or \"entries\", its earlier name)"
        )]
    );
    assert!(json("{\"engineers\": [], \"engineers\": []}").is_err());
    let err = json("[{\"snils\": \"x\"} oops").unwrap_err();
    assert!(
        err.issues
            .last()
            .unwrap()
            .message
            .starts_with("not valid JSON")
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    let alphabet = b"0123456789-; ,\"\n\r\t[]{}:snilstatuc_\\\xEF\xBB\xBF\xFF\xD0\xB8";
    let mut rng = StdRng::seed_from_u64(7);
    let header = b"snils;full_name;sro_name;status;status_date\n";
    let mut inputs: Vec<Vec<u8>> = vec![
        b"\xEF\xBB".to_vec(),
        b"\"".to_vec(),
        b"snils;\"".to_vec(),
        b"[{\"snils\": \"\xFF\"}]".to_vec(),
        b"snils,full_name,sro_name,status\n\"unterminated,".to_vec(),
        b"{\"entries\": [{}, [], null, 1e999999]}".to_vec(),
    ];
    for i in 0..600 {
        let len = rng.gen_range(0..200);
        let mut bytes: Vec<u8> = if i % 3 == 0 {
            header.to_vec()
        } else {
            Vec::new()
        };
        for _ in 0..len {
            bytes.push(if i % 2 == 0 {
                rng.r#gen()
            } else {
                alphabet[rng.gen_range(0..alphabet.len())]
            });
        }
        inputs.push(bytes);
    }
    for bytes in &inputs {
        for format in [Format::Csv, Format::Json, detect_format(bytes)] {
            if let Err(e) = parse(bytes, format) {
                assert!(!e.issues.is_empty());
                let _ = e.to_string();
            }
        }
    }
}

#[test]
fn fixtures_parse() {
    for (csv_file, json_file) in [
        (
            &include_bytes!("../../tests/fixtures/sro/registry.csv")[..],
            &include_bytes!("../../tests/fixtures/sro/registry.json")[..],
        ),
        (
            &include_bytes!("../../tests/fixtures/sro/registry-earlier.csv")[..],
            &include_bytes!("../../tests/fixtures/sro/registry-earlier.json")[..],
        ),
    ] {
        assert_eq!(detect_format(csv_file), Format::Csv);
        assert_eq!(detect_format(json_file), Format::Json);
        let from_csv = parse(csv_file, Format::Csv).unwrap();
        let from_json = parse(json_file, Format::Json).unwrap();
        assert_eq!(from_csv.len(), 3);
        assert_eq!(from_csv, from_json);
    }
}

fn stored(entries: &[RegistryEntry]) -> HashMap<String, StoredEntry> {
    entries
        .iter()
        .map(|e| (e.snils.digits().to_owned(), e.to_stored(None)))
        .collect()
}

fn apply(current: &mut HashMap<String, StoredEntry>, plan: &ImportPlan) {
    for e in &plan.upserts {
        let key = e.snils.digits().to_owned();
        let written = e.to_stored(current.get(&key));
        current.insert(key, written);
    }
}

#[test]
fn plan_sorts_new_changed_and_unchanged() {
    use SroStatus::*;
    let current = stored(&[
        entry(S1, Active),    // stays the same
        entry(S2, Active),    // becomes suspended
        entry(S3, Suspended), // becomes active again
        entry(S4, Excluded),  // only the date changes; absent below
    ]);
    let mut renamed = entry(S1, Active);
    renamed.sro_name = "Другая СРО".to_owned();
    let new_active = entry("70020162101", Active);
    let new_excluded = entry("82098123300", Excluded);
    let mut still_excluded = entry(S4, Excluded);
    still_excluded.status_date = Some(date(2025, 5, 5));

    let p = plan(
        &current,
        vec![
            entry(S1, Active),
            entry(S2, Suspended),
            entry(S3, Active),
            new_active.clone(),
            new_excluded.clone(),
            still_excluded.clone(),
        ],
    );
    assert_eq!(p.unchanged, 1);
    assert_eq!(
        p.upserts,
        vec![
            entry(S2, Suspended),
            entry(S3, Active),
            new_active.clone(),
            new_excluded,
            still_excluded,
        ]
    );
    assert_eq!(p.became_active, vec![snils(S3), new_active.snils.clone()]);
    assert_eq!(p.became_inactive, vec![snils(S2)]);
    assert!(!p.is_noop());

    // Any changed field is an upsert; no status change, no transition.
    let p = plan(&current, vec![renamed.clone()]);
    assert_eq!(p.upserts, vec![renamed]);
    assert!(p.became_active.is_empty() && p.became_inactive.is_empty());
    assert_eq!(p.unchanged, 0);

    // Excluded after suspended: not active before or after.
    let p = plan(&current, vec![entry(S3, Excluded)]);
    assert_eq!(p.upserts.len(), 1);
    assert!(p.became_active.is_empty() && p.became_inactive.is_empty());
}

#[test]
fn entries_absent_from_the_file_are_left_alone() {
    let current = stored(&[entry(S1, SroStatus::Active), entry(S2, SroStatus::Active)]);
    let p = plan(&current, vec![entry(S1, SroStatus::Active)]);
    assert_eq!(
        p,
        ImportPlan {
            unchanged: 1,
            ..ImportPlan::default()
        }
    );
    assert!(p.is_noop());
    assert!(plan(&current, vec![]).is_noop());
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    for file in [
        &include_bytes!("../../tests/fixtures/sro/registry.csv")[..],
        &include_bytes!("../../tests/fixtures/sro/registry-earlier.csv")[..],
    ] {
        let mut current = stored(&[entry(S2, SroStatus::Active)]);
        let first = plan(&current, parse(file, Format::Csv).unwrap());
        assert!(!first.upserts.is_empty());
        apply(&mut current, &first);
        let second = plan(&current, parse(file, Format::Csv).unwrap());
        assert!(second.is_noop(), "{second:?}");
        assert_eq!(second.unchanged, 3);
        assert!(second.became_active.is_empty() && second.became_inactive.is_empty());
    }
}

#[test]
fn plan_keeps_the_last_of_repeated_snils() {
    use SroStatus::*;
    let p = plan(
        &HashMap::new(),
        vec![entry(S1, Active), entry(S2, Active), entry(S1, Excluded)],
    );
    assert_eq!(p.upserts, vec![entry(S2, Active), entry(S1, Excluded)]);
    assert_eq!(p.became_active, vec![snils(S2)]);
}
