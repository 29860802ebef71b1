//! The registry's formats over HTTP (docs/sro-registry.md): the
//! `engineers` JSON and the CSV with the same columns (disciplinary actions
//! as a JSON array in their cell), the earlier format as an alias, the
//! actions replaced per engineer and shown on the public profile, and bad
//! files — the NUL character included — refused whole, naming the row and
//! field.

use super::{complete_profile, engineer, import, import_ok, moderator, snils};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use chrono::NaiveDate;
use mezha_api_types::engineers::{
    EngineerDetails, EngineerProfile, SroDisciplinaryAction, SroImportReport, SroMemberStatus,
    SroRegistryEngineer, SroRegistryFile,
};
use serde_json::json;
use uuid::Uuid;

const SRO: &str = "Ассоциация «Кадастровые инженеры Севера»";
const NAME: &str = "Иванов Иван Иванович";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn action(date: NaiveDate, text: &str) -> SroDisciplinaryAction {
    SroDisciplinaryAction {
        date,
        text: text.to_owned(),
    }
}

/// Imports a JSON body and expects success.
async fn import_json(app: &TestApp, token: &str, body: &str) -> SroImportReport {
    let resp = import(app, token, "application/json", body).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// The public profile of a listed engineer.
async fn public(app: &TestApp, id: Uuid) -> EngineerDetails {
    let resp = app.get(&format!("/api/v1/engineers/{id}"), None).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// An engineer listed publicly (complete profile); his id, SNILS and
/// engineer-acting token.
async fn listed_engineer(app: &TestApp, moderator: &str) -> (Uuid, String, String) {
    let number = 515_616_717;
    let (user, token) = engineer(app, moderator, "ivanov@example.ru", number, NAME).await;
    complete_profile(
        app,
        &token,
        json!({
            "contacts": {"phone": "+7 912 345-67-89"},
            "regions": ["50"],
            "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 15000}],
        }),
    )
    .await;
    (user.id, snils(number), token)
}

async fn the_registry_formats_are_imported_and_shown_on_the_profile(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let (id, number, token) = listed_engineer(&app, &moderator).await;

    // The registry's JSON, written with the API's own type.
    let warning = action(day(2023, 5, 12), "Предупреждение: нарушение срока");
    let fine = action(day(2023, 11, 2), "Штраф 5 000 ₽");
    let file = SroRegistryFile {
        engineers: vec![SroRegistryEngineer {
            snils: number.clone(),
            full_name: NAME.to_owned(),
            sro: SRO.to_owned(),
            registry_number: Some("СЕВ-1024".to_owned()),
            status: SroMemberStatus::Active,
            status_date: None,
            disciplinary_actions: Some(vec![warning.clone(), fine.clone()]),
        }],
    };
    let body = serde_json::to_string(&file).unwrap();
    let report = import_json(&app, &moderator, &body).await;
    assert_eq!(
        (
            report.entries,
            report.written,
            report.became_active,
            report.became_inactive
        ),
        (1, 1, 0, 0)
    );
    let sro = public(&app, id).await.sro.unwrap();
    assert_eq!(sro.sro_name, SRO);
    assert_eq!(sro.registry_number.as_deref(), Some("СЕВ-1024"));
    assert_eq!(sro.status, SroMemberStatus::Active);
    assert_eq!(
        sro.disciplinary_actions,
        vec![warning.clone(), fine.clone()]
    );
    // The same file again changes nothing.
    let again = import_json(&app, &moderator, &body).await;
    assert_eq!((again.written, again.unchanged), (0, 1));

    // The CSV with the same columns: the actions, a JSON array in their
    // cell, replace the stored ones.
    let csv = format!(
        "snils;full_name;sro;registry_number;status;disciplinary_actions\n\
         {number};{NAME};{SRO};СЕВ-1024;действует;\"[{{\"\"date\"\": \"\"20.02.2024\"\", \"\"text\"\": \"\"Замечание; без штрафа\"\"}}]\"\n"
    );
    let report = import_ok(&app, &moderator, &csv).await;
    assert_eq!((report.written, report.unchanged), (1, 0));
    let notice = action(day(2024, 2, 20), "Замечание; без штрафа");
    assert_eq!(
        public(&app, id).await.sro.unwrap().disciplinary_actions,
        vec![notice.clone()]
    );

    // The earlier format (`sro_name`, `entries`, no actions): read as an
    // alias; without actions the stored ones are kept.
    let earlier = format!(
        "snils,full_name,sro_name,registry_number,status\n{number},{NAME},{SRO},СЕВ-1024,active\n"
    );
    let report = import_ok(&app, &moderator, &earlier).await;
    assert_eq!((report.written, report.unchanged), (0, 1));
    let report = import_json(
        &app,
        &moderator,
        &json!({"entries": [{"snils": number, "full_name": NAME, "sro_name": "СРО «Север»",
                             "registry_number": "СЕВ-1024", "status": "active"}]})
        .to_string(),
    )
    .await;
    assert_eq!(report.written, 1);
    let sro = public(&app, id).await.sro.unwrap();
    assert_eq!(sro.sro_name, "СРО «Север»");
    assert_eq!(sro.disciplinary_actions, vec![notice]);

    // An empty cell (or `[]`) says "none": the actions are removed.
    let none = format!(
        "snils,full_name,sro,registry_number,status,disciplinary_actions\n{number},{NAME},{SRO},СЕВ-1024,active,\n"
    );
    assert_eq!(import_ok(&app, &moderator, &none).await.written, 1);
    let sro = public(&app, id).await.sro.unwrap();
    assert_eq!(sro.sro_name, SRO);
    assert!(sro.disciplinary_actions.is_empty());

    // The engineer's own profile shows them too.
    assert_eq!(import_json(&app, &moderator, &body).await.written, 1);
    let resp = app.get("/api/v1/me/engineer-profile", Some(&token)).await;
    assert_eq!(resp.status(), 200);
    let mine: EngineerProfile = resp.json().await.unwrap();
    assert_eq!(mine.sro.unwrap().disciplinary_actions, vec![warning, fine]);
}

async fn bad_files_are_refused_whole_naming_the_row_and_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let (id, number, _) = listed_engineer(&app, &moderator).await;
    let other = snils(515_616_718);
    let warning = json!([{"date": "2023-05-12", "text": "Предупреждение"}]);
    import_json(
        &app,
        &moderator,
        &json!({"engineers": [{"snils": number, "full_name": NAME, "sro": SRO,
                               "registry_number": "1", "status": "active",
                               "disciplinary_actions": warning}]})
        .to_string(),
    )
    .await;
    let before = public(&app, id).await.sro.unwrap();

    // Each file changes the listed engineer on its first row, and is bad
    // further on: (content type, body, error key, code).
    let good_row = json!({"snils": number, "full_name": NAME, "sro": "Другая СРО",
                          "status": "excluded", "disciplinary_actions": []});
    let spec_json = |bad: serde_json::Value| json!({"engineers": [good_row, bad]}).to_string();
    let csv_head = "snils;full_name;sro;status;disciplinary_actions\n";
    let csv_good = format!("{number};{NAME};Другая СРО;исключен;[]\n");
    let cases: Vec<(&str, String, &str, &str)> = vec![
        // NUL in a JSON value, in an action, in an unknown key.
        (
            "application/json",
            spec_json(
                json!({"snils": other, "full_name": "Пётр\u{0} Петров", "sro": SRO, "status": "active"}),
            ),
            "line[2].full_name",
            "nul_character",
        ),
        (
            "application/json",
            spec_json(
                json!({"snils": other, "full_name": "Пётр Петров", "sro": SRO, "status": "active",
                             "disciplinary_actions": [{"date": "2024-01-01", "text": "a\u{0}b"}]}),
            ),
            "line[2].disciplinary_actions[1].text",
            "nul_character",
        ),
        (
            "application/json",
            spec_json(
                json!({"snils": other, "full_name": "Пётр Петров", "sro": SRO, "status": "active",
                             "note": {"x\u{0}": 1}}),
            ),
            "line[2].note.x\\u0000",
            "nul_character",
        ),
        // NUL in a CSV cell (raw), and as `\u0000` in the actions' JSON.
        (
            "text/csv",
            format!("{csv_head}{csv_good}{other};Пётр Петров;СРО\u{0};active;\n"),
            "line[3].sro",
            "nul_character",
        ),
        (
            "text/csv",
            format!(
                "{csv_head}{csv_good}{other};Пётр Петров;СРО;active;\"[{{\"\"date\"\": \"\"2024-01-01\"\", \"\"text\"\": \"\"a\\u0000\"\"}}]\"\n"
            ),
            "line[3].disciplinary_actions[1].text",
            "nul_character",
        ),
        // Bad actions, a field named twice, a missing column.
        (
            "application/json",
            spec_json(
                json!({"snils": other, "full_name": "Пётр Петров", "sro": SRO, "status": "active",
                             "disciplinary_actions": [{"date": "2024-02-30", "text": "x"}]}),
            ),
            "line[2].disciplinary_actions[1].date",
            "invalid",
        ),
        (
            "text/csv",
            format!(
                "{csv_head}{csv_good}{other};Пётр Петров;СРО;active;12.05.2023 предупреждение\n"
            ),
            "line[3].disciplinary_actions",
            "invalid",
        ),
        (
            "application/json",
            spec_json(
                json!({"snils": other, "full_name": "Пётр Петров", "sro": SRO,
                             "sro_name": SRO, "status": "active"}),
            ),
            "line[2].sro",
            "invalid",
        ),
        (
            "text/csv",
            format!("snils;full_name;status\n{number};{NAME};active\n"),
            "line[1].sro",
            "invalid",
        ),
        (
            "application/json",
            json!({"engineers": [good_row], "entries": []}).to_string(),
            "file.entries",
            "invalid",
        ),
    ];
    for (content_type, body, key, code) in cases {
        let p = problem(
            import(&app, &moderator, content_type, &body).await,
            422,
            "validation_failed",
        )
        .await;
        let issues = p.field(key);
        assert_eq!(issues.len(), 1, "{key} in {p:?}");
        assert_eq!(issues[0].code, code, "{key}: {p:?}");
    }
    // Nothing changed.
    assert_eq!(public(&app, id).await.sro.unwrap(), before);

    // A feed request with NUL: refused like any JSON body.
    let p = problem(
        app.post(
            "/api/v1/sro-registry/import",
            &json!({"url": "https://registry.example/\u{0}"}),
            Some(&moderator),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("url")[0].code, "nul_character");
}

on_both_backends!(
    the_registry_formats_are_imported_and_shown_on_the_profile,
    bad_files_are_refused_whole_naming_the_row_and_field,
);
