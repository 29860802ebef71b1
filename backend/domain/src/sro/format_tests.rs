//! Tests of the registry's format (docs/sro-registry.md): the `engineers`
//! JSON and the CSV with the same columns, the disciplinary actions, the
//! earlier format as an alias, and the NUL character refused everywhere.

use super::*;

const S1: &str = "112-233-445 95";
const S2: &str = "12345678964";

fn csv(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
    parse(text.as_bytes(), Format::Csv)
}

fn json(text: &str) -> Result<Vec<RegistryEntry>, ImportErrors> {
    parse(text.as_bytes(), Format::Json)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn action(date: NaiveDate, text: &str) -> DisciplinaryAction {
    DisciplinaryAction {
        date,
        text: text.to_owned(),
    }
}

/// Where an issue is and what kind: `(line, field, code)`.
type Found = (usize, String, IssueCode);

/// `(line, field, code)` of each issue.
fn found(result: Result<Vec<RegistryEntry>, ImportErrors>) -> Vec<Found> {
    result
        .unwrap_err()
        .issues
        .into_iter()
        .map(|i| (i.line, i.field.unwrap_or_default(), i.code))
        .collect()
}

fn bad(line: usize, field: &str) -> Found {
    (line, field.to_owned(), IssueCode::Invalid)
}

fn nul(line: usize, field: &str) -> Found {
    (line, field.to_owned(), IssueCode::NulCharacter)
}

#[test]
fn parses_the_registry_json() {
    let file = r#"{"engineers": [
        {"snils": "112-233-445 95", "full_name": "Иванов Иван Иванович",
         "sro": "Ассоциация «Кадастровые инженеры»", "registry_number": "1024",
         "status": "active",
         "disciplinary_actions": [
            {"date": "2023-05-12", "text": "Предупреждение"},
            {"date": "02.11.2023", "text": "  Штраф   5 000 ₽ ", "number": "ignored"}
         ]},
        {"snils": "12345678964", "full_name": "Петрова Анна", "sro": "СРО",
         "registry_number": null, "status": "excluded", "disciplinary_actions": []},
        {"snils": "100-582-052 99", "full_name": "Сидоров Пётр", "sro": "СРО",
         "status": "active", "disciplinary_actions": null},
        {"snils": "05023431600", "full_name": "Кузнецов Олег", "sro": "СРО",
         "status": "active"}
    ]}"#;
    let entries = json(file).unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0].sro_name, "Ассоциация «Кадастровые инженеры»");
    assert_eq!(entries[0].registry_number.as_deref(), Some("1024"));
    assert_eq!(entries[0].status_date, None);
    assert_eq!(
        entries[0].disciplinary_actions,
        Some(vec![
            action(date(2023, 5, 12), "Предупреждение"),
            action(date(2023, 11, 2), "Штраф 5 000 ₽"),
        ])
    );
    assert_eq!(entries[1].status, SroStatus::Excluded);
    // `[]` and `null` say "none"; only a missing key keeps what is stored.
    assert_eq!(entries[1].disciplinary_actions, Some(vec![]));
    assert_eq!(entries[2].disciplinary_actions, Some(vec![]));
    assert_eq!(entries[3].disciplinary_actions, None);
}

#[test]
fn parses_the_registry_csv_with_actions_as_json_in_a_cell() {
    let file = "snils,full_name,sro,registry_number,status,disciplinary_actions\n\
                112-233-445 95,Иванов Иван,СРО «Север»,1024,active,\"[{\"\"date\"\": \"\"2023-05-12\"\", \"\"text\"\": \"\"Предупреждение, первое\"\"}]\"\n\
                12345678964,Петрова Анна,СРО «Север»,,excluded,\n\
                100-582-052 99,Сидоров Пётр,СРО «Север»,,active,[]\n";
    let entries = csv(file).unwrap();
    assert_eq!(
        entries[0].disciplinary_actions,
        Some(vec![action(date(2023, 5, 12), "Предупреждение, первое")])
    );
    assert_eq!(entries[0].sro_name, "СРО «Север»");
    assert_eq!(entries[1].disciplinary_actions, Some(vec![]));
    assert_eq!(entries[2].disciplinary_actions, Some(vec![]));
    // Without the column the stored actions are kept.
    let earlier = csv("snils;full_name;sro_name;status\n112-233-445 95;Иванов Иван;СРО;active\n");
    assert_eq!(earlier.unwrap()[0].disciplinary_actions, None);
}

#[test]
fn the_earlier_format_is_an_alias() {
    let spec = json(
        r#"{"engineers": [{"snils": "112-233-445 95", "full_name": "Иванов Иван",
            "sro": "СРО", "status": "active", "status_date": "2024-01-15"}]}"#,
    )
    .unwrap();
    let earlier = json(
        r#"{"entries": [{"snils": "112-233-445 95", "full_name": "Иванов Иван",
            "sro_name": "СРО", "status": "active", "status_date": "2024-01-15"}]}"#,
    )
    .unwrap();
    assert_eq!(spec, earlier);
    let csv_spec = csv(
        "snils;full_name;sro;status;status_date\n112-233-445 95;Иванов Иван;СРО;active;15.01.2024\n",
    );
    assert_eq!(csv_spec.unwrap(), spec);

    // Both names of one field, or both lists: refused.
    assert_eq!(
        found(json(
            r#"{"engineers": [{"snils": "112-233-445 95", "full_name": "Иванов Иван",
                "sro": "СРО", "sro_name": "СРО", "status": "active"}]}"#
        )),
        vec![bad(1, "sro")]
    );
    // `null` counts as absent.
    assert!(
        json(
            r#"[{"snils": "112-233-445 95", "full_name": "Иванов Иван",
                "sro": "СРО", "sro_name": null, "status": "active"}]"#
        )
        .is_ok()
    );
    let both = json(r#"{"engineers": [], "entries": []}"#).unwrap_err();
    assert_eq!(both.issues[0].field.as_deref(), Some("entries"));
    assert_eq!(
        both.issues[0].message,
        "give engineers or entries, not both: they are the same list"
    );
    // An issue names the field as the file spells it.
    assert_eq!(
        found(json(
            r#"[{"snils": "112-233-445 95", "full_name": "Иванов Иван", "sro_name": 5, "status": "active"}]"#
        )),
        vec![bad(1, "sro_name")]
    );
    assert_eq!(
        found(json(
            r#"[{"snils": "112-233-445 95", "full_name": "Иванов Иван", "sro": "", "status": "active"}]"#
        )),
        vec![bad(1, "sro")]
    );
}

#[test]
fn bad_disciplinary_actions_name_the_action_and_field() {
    let entry = |actions: &str| {
        format!(
            r#"{{"engineers": [{{"snils": "{S1}", "full_name": "Иванов Иван", "sro": "СРО",
                "status": "active", "disciplinary_actions": {actions}}}]}}"#
        )
    };
    let cases: Vec<(String, Vec<Found>)> = vec![
        (
            entry(r#""2023-05-12: warning""#),
            vec![bad(1, "disciplinary_actions")],
        ),
        (entry("{}"), vec![bad(1, "disciplinary_actions")]),
        (
            entry(r#"["warning"]"#),
            vec![bad(1, "disciplinary_actions[1]")],
        ),
        (
            entry(r#"[{"date": "2023-05-12", "text": "ok"}, {"date": "2023-02-30", "text": ""}]"#),
            vec![
                bad(1, "disciplinary_actions[2].date"),
                bad(1, "disciplinary_actions[2].text"),
            ],
        ),
        (
            entry(r#"[{"text": "no date"}, {"date": 20230512, "text": ["x"]}]"#),
            vec![
                bad(1, "disciplinary_actions[1].date"),
                bad(1, "disciplinary_actions[2].date"),
                bad(1, "disciplinary_actions[2].text"),
            ],
        ),
        (
            entry(&format!(
                r#"[{{"date": "2023-05-12", "text": "{}"}}]"#,
                "я".repeat(DISCIPLINARY_TEXT_MAX_CHARS + 1)
            )),
            vec![bad(1, "disciplinary_actions[1].text")],
        ),
        (
            entry(&format!(
                "[{}]",
                vec![r#"{"date": "2023-05-12", "text": "x"}"#; MAX_DISCIPLINARY_ACTIONS + 1]
                    .join(",")
            )),
            vec![bad(1, "disciplinary_actions")],
        ),
    ];
    for (file, want) in cases {
        assert_eq!(found(json(&file)), want, "{file}");
    }
    let missing = json(&entry(r#"[{"text": "no date"}]"#)).unwrap_err();
    assert_eq!(missing.issues[0].message, "required");

    // In CSV: a cell that is not JSON, or JSON of the wrong shape.
    let file = "snils;full_name;sro;status;disciplinary_actions\n\
                112-233-445 95;Иванов Иван;СРО;active;2023-05-12: предупреждение\n\
                12345678964;Петрова Анна;СРО;active;\"[{\"\"date\"\": \"\"12.05.2023\"\"}]\"\n";
    let err = csv(file).unwrap_err();
    assert_eq!(
        err.issues
            .iter()
            .map(|i| (i.line, i.field.clone().unwrap_or_default(), i.code))
            .collect::<Vec<_>>(),
        vec![
            bad(2, "disciplinary_actions"),
            bad(3, "disciplinary_actions[1].text")
        ]
    );
    assert!(
        err.issues[0]
            .message
            .starts_with("the disciplinary actions are a JSON array of {\"date\", \"text\"} objects; the cell is not JSON"),
        "{}",
        err.issues[0].message
    );
}

#[test]
fn the_nul_character_is_refused_in_every_text() {
    let row = |name: &str| format!("{S1};{name};СРО;active");
    // CSV: a known column, an unknown column, the header, a cell's JSON.
    assert_eq!(
        found(csv(&format!(
            "snils;full_name;sro;status;comment\n{};ok\n{S2};Петрова Анна;СРО;active;a\0b\n",
            row("Иван\0 Иванов")
        ))),
        vec![nul(2, "full_name"), nul(3, "comment")]
    );
    assert_eq!(
        found(csv("snils;full_name;sro;status;co\0mment\n")),
        vec![nul(1, "")]
    );
    assert_eq!(
        found(csv(&format!(
            "snils;full_name;sro_name;status;disciplinary_actions\n{};\"[{{\"\"date\"\": \"\"2023-05-12\"\", \"\"text\"\": \"\"a\\u0000b\"\"}}]\"\n",
            row("Иванов Иван")
        ))),
        vec![nul(2, "disciplinary_actions[1].text")]
    );
    // The NUL check comes before the others: a short row with NUL says NUL.
    assert_eq!(
        found(csv("snils;full_name;sro;status\n\0;x\n")),
        vec![nul(2, "snils")]
    );

    // JSON: values, keys, actions, other top-level keys, raw bytes.
    let file = r#"{"generated_at": "2024\u0000", "engineers": [
        {"snils": "112-233-445 95", "full_name": "Иванов\u0000", "sro": "СРО", "status": "active"},
        {"snils": "12345678964", "full_name": "Петрова Анна", "sro": "СРО", "status": "active",
         "disciplinary_actions": [{"date": "2023-05-12", "text": "ok"}, {"date": "2023-05-13", "text": "\u0000"}]},
        {"snils": "100-582-052 99", "full_name": "Сидоров Пётр", "sro": "СРО", "status": "active", "note\u0000": 1},
        "\u0000"
    ], "x\u0000": true}"#;
    assert_eq!(
        found(json(file)),
        vec![
            nul(0, "generated_at"),
            nul(1, "full_name"),
            nul(2, "disciplinary_actions[2].text"),
            nul(3, "note\\u0000"),
            nul(4, ""),
            nul(0, "x\\u0000"),
        ]
    );
    let raw = found(parse(b"{\"engineers\": [\"a\0\"]}", Format::Json));
    assert_eq!(raw, vec![nul(0, "")]);
    let err = parse(b"[\"\0\"]", Format::Json).unwrap_err();
    assert!(err.issues[0].message.contains("U+0000"), "{err}");
}

#[test]
fn disciplinary_actions_take_part_in_the_plan() {
    let with = |actions: Option<Vec<DisciplinaryAction>>| RegistryEntry {
        snils: Snils::parse(S1).unwrap(),
        full_name: "Иванов Иван".to_owned(),
        sro_name: "СРО".to_owned(),
        registry_number: None,
        status: SroStatus::Active,
        status_date: None,
        disciplinary_actions: actions,
    };
    let warning = vec![action(date(2023, 5, 12), "Предупреждение")];
    let stored_entry = with(Some(warning.clone())).to_stored(None);
    let current: HashMap<String, StoredEntry> = [(
        Snils::parse(S1).unwrap().digits().to_owned(),
        stored_entry.clone(),
    )]
    .into();

    // The same actions: unchanged. No actions in the file: unchanged, and
    // once written the stored ones are kept.
    assert_eq!(
        plan(&current, vec![with(Some(warning.clone()))]).unchanged,
        1
    );
    assert_eq!(plan(&current, vec![with(None)]).unchanged, 1);
    assert_eq!(
        with(None)
            .to_stored(Some(&stored_entry))
            .disciplinary_actions,
        warning
    );
    // Different or no actions: written, replacing them; no status change.
    for actions in [vec![], vec![action(date(2024, 1, 1), "Штраф")]] {
        let p = plan(&current, vec![with(Some(actions.clone()))]);
        assert_eq!(p.upserts.len(), 1);
        assert!(p.became_active.is_empty() && p.became_inactive.is_empty());
        assert_eq!(
            p.upserts[0]
                .to_stored(Some(&stored_entry))
                .disciplinary_actions,
            actions
        );
    }
}
