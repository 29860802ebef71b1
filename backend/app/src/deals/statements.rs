//! Forming the registration statements (docs/deals.md, "Statements"): one
//! statement (PDF, in Russian) per applicant — every participant but the
//! representatives — written from the deal's data: the object, the
//! applicant and the right he asks to register, the other participants,
//! the documents with their SHA-256. The participants' person data is
//! frozen with them; the deal moves to `statements` and its data no
//! longer changes. Each statement is then signed by the applicant (or his
//! representative) and by the employee filing the deal.

use super::*;
use crate::pdf::Sheet;
use mezha_api_types::deals::{DEAL_MAX_BYTES, DealDocumentKind, ObjectType, ParticipantRole};
use mezha_store::deals::NewStatement;

/// The kind of object in the statement's words.
fn object_words(t: Option<ObjectType>) -> &'static str {
    match t {
        Some(ObjectType::LandPlot) => "земельный участок",
        Some(ObjectType::Building) => "здание",
        Some(ObjectType::Premises) => "помещение",
        Some(ObjectType::Structure) => "сооружение",
        Some(ObjectType::Unfinished) => "объект незавершённого строительства",
        Some(ObjectType::ParkingSpace) => "машино-место",
        None => "объект недвижимости",
    }
}

/// A role in the statement's words.
pub(crate) fn role_words(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Seller => "продавец",
        ParticipantRole::Buyer => "покупатель",
        ParticipantRole::Donor => "даритель",
        ParticipantRole::Donee => "одаряемый",
        ParticipantRole::Pledgor => "залогодатель",
        ParticipantRole::Pledgee => "залогодержатель",
        ParticipantRole::Representative => "представитель",
    }
}

/// What the applicant asks the registry to do, by his role.
fn request_words(role: ParticipantRole, share: Option<&str>) -> String {
    let share = share
        .filter(|s| *s != "1/1")
        .map(|s| format!(" ({s} доли в праве)"))
        .unwrap_or_default();
    match role {
        ParticipantRole::Seller | ParticipantRole::Donor => {
            format!("государственную регистрацию перехода права собственности{share}")
        }
        ParticipantRole::Buyer | ParticipantRole::Donee => {
            format!("государственную регистрацию права собственности{share}")
        }
        ParticipantRole::Pledgor | ParticipantRole::Pledgee => {
            "государственную регистрацию ипотеки (залога недвижимости)".to_owned()
        }
        ParticipantRole::Representative => "государственную регистрацию прав".to_owned(),
    }
}

/// What one statement says.
pub(crate) struct StatementData<'a> {
    pub deal: &'a DealRecord,
    pub organisation: &'a str,
    pub applicant: (&'a Person, ParticipantRole, Option<&'a str>),
    pub representative: Option<&'a Person>,
    pub others: Vec<(Person, ParticipantRole, Option<String>)>,
    pub documents: Vec<(String, String)>,
    pub date: chrono::NaiveDate,
}

fn person_line(p: &Person) -> String {
    let mut parts = vec![p.name.clone()];
    if let Some(b) = p.birth_date {
        parts.push(format!("дата рождения {}", b.format("%d.%m.%Y")));
    }
    if let Some(pass) = &p.passport {
        parts.push(format!("паспорт {pass}"));
    }
    if let Some(s) = &p.snils {
        parts.push(format!("СНИЛС {s}"));
    }
    if let Some(i) = &p.inn {
        parts.push(format!("ИНН {i}"));
    }
    if let Some(o) = &p.ogrn {
        parts.push(format!("ОГРН {o}"));
    }
    if let Some(a) = &p.address {
        parts.push(format!("адрес {a}"));
    }
    parts.join(", ")
}

/// The statement's PDF.
pub(crate) fn render(d: &StatementData<'_>) -> anyhow::Result<Vec<u8>> {
    let (applicant, role, share) = d.applicant;
    let o = &d.deal.object;
    let mut sheet = Sheet::new("Заявление о государственной регистрации прав")?;
    sheet.centred(
        "В Федеральную службу государственной регистрации, кадастра и картографии",
        10.0,
    );
    sheet.down(4.0);
    sheet.centred("ЗАЯВЛЕНИЕ", 14.0);
    sheet.centred(
        "о государственной регистрации прав на недвижимое имущество",
        11.0,
    );
    sheet.down(2.0);
    sheet.row(
        "Сделка",
        &format!("№ {} — {}", d.deal.number, d.deal.title),
        9.0,
        40.0,
    );
    sheet.row("Дата", &d.date.format("%d.%m.%Y").to_string(), 9.0, 40.0);
    sheet.down(3.0);
    sheet.paragraph("1. Объект недвижимости", 11.0, 0.0);
    sheet.row("Вид объекта", object_words(o.object_type), 9.0, 40.0);
    sheet.row(
        "Кадастровый номер",
        o.cadastral_number.as_deref().unwrap_or("—"),
        9.0,
        40.0,
    );
    sheet.row("Адрес", o.address.as_deref().unwrap_or("—"), 9.0, 40.0);
    sheet.row(
        "Площадь, кв. м",
        o.area.as_deref().unwrap_or("—"),
        9.0,
        40.0,
    );
    sheet.down(3.0);
    sheet.paragraph("2. Заявитель", 11.0, 0.0);
    sheet.row(
        &format!("{} ", capitalised(role_words(role))),
        &person_line(applicant),
        9.0,
        40.0,
    );
    if let Some(r) = d.representative {
        sheet.row("Представитель", &person_line(r), 9.0, 40.0);
    }
    sheet.down(2.0);
    sheet.paragraph(
        &format!(
            "Прошу осуществить {} на указанный объект недвижимости.",
            request_words(role, share)
        ),
        10.0,
        0.0,
    );
    if !d.others.is_empty() {
        sheet.down(3.0);
        sheet.paragraph("3. Иные участники сделки", 11.0, 0.0);
        for (p, role, share) in &d.others {
            let share = share
                .as_deref()
                .filter(|s| *s != "1/1")
                .map(|s| format!(", доля {s}"))
                .unwrap_or_default();
            sheet.paragraph(
                &format!(
                    "{}{share}: {}",
                    capitalised(role_words(*role)),
                    person_line(p)
                ),
                9.0,
                5.0,
            );
        }
    }
    sheet.down(3.0);
    sheet.paragraph("4. Прилагаемые документы", 11.0, 0.0);
    for (i, (title, sha256)) in d.documents.iter().enumerate() {
        sheet.paragraph(&format!("{}. {title}", i + 1), 9.0, 5.0);
        sheet.paragraph(&format!("SHA-256: {sha256}"), 7.0, 10.0);
    }
    sheet.down(3.0);
    sheet.paragraph(
        &format!(
            "Заявление подаётся в электронной форме через {} и подписывается усиленными квалифицированными электронными подписями заявителя (его представителя) и сотрудника организации.",
            d.organisation
        ),
        9.0,
        0.0,
    );
    sheet.down(8.0);
    sheet.rule(crate::pdf::LEFT, 90.0);
    sheet.down(4.0);
    sheet.text_at("(электронная подпись заявителя)", 8.0, crate::pdf::LEFT);
    sheet.finish()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `POST /deals/{id}/form-statements`: forms the statements of a complete
/// draft; from then on its data is frozen.
pub async fn form(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::FormStatements)?;
    let persons: Vec<(Uuid, Person)> = loaded
        .participants
        .iter()
        .map(|p| (p.id, loaded.person(p, &seen.org)))
        .collect();
    let person_of = |id: Uuid| persons.iter().find(|(p, _)| *p == id).map(|(_, p)| p);
    let mut documents = Vec::new();
    for d in loaded
        .documents
        .iter()
        .filter(|d| d.kind == DealDocumentKind::Document)
    {
        let file = mezha_store::files::find(&state.db, d.file_id)
            .await?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("deal file {} missing", d.file_id))
            })?;
        documents.push((d.title.clone(), file.sha256));
    }
    let rule_participants = loaded.rule_participants();
    let date = mezha_domain::poa::moscow_date(state.clock.now());
    let mut statements = Vec::new();
    let mut stored = Vec::new();
    let result: Result<(), AppError> = async {
        for applicant_id in rules::applicants(&rule_participants) {
            let record = loaded
                .participants
                .iter()
                .find(|p| p.id == applicant_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("applicant missing")))?;
            let applicant = person_of(applicant_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("applicant missing")))?;
            let signer = rules::signer_for(&rule_participants, applicant_id);
            let representative = signer.filter(|s| *s != applicant_id).and_then(person_of);
            let others = loaded
                .participants
                .iter()
                .filter(|p| p.id != applicant_id && Some(p.id) != signer)
                .filter_map(|p| person_of(p.id).map(|x| (x.clone(), p.role, p.share.clone())))
                .collect();
            let bytes = render(&StatementData {
                deal: &seen.deal,
                organisation: &seen.org.short_name,
                applicant: (applicant, record.role, record.share.as_deref()),
                representative,
                others,
                documents: documents.clone(),
                date,
            })
            .map_err(AppError::internal)?;
            let name = format!(
                "statement-{}-{}.pdf",
                seen.deal.number,
                statements.len() + 1
            );
            let file =
                crate::files::save(state, auth.user_id, &name, documents::PDF, &bytes).await?;
            stored.push(file.id);
            statements.push(NewStatement {
                title: format!("Заявление — {}", applicant.name),
                file_id: file.id,
                size: file.size,
                applicant_id,
            });
        }
        Ok(())
    }
    .await;
    if let Err(err) = result {
        crate::files::discard(state, stored).await;
        return Err(err);
    }
    // The statements count to the deal's limit like its documents: what
    // would cross it is refused and leaves nothing (the version the store
    // checks pins the bytes read here).
    let size: i64 = statements.iter().map(|s| s.size).sum();
    if seen.deal.documents_bytes + size > DEAL_MAX_BYTES as i64 {
        crate::files::discard(state, stored).await;
        return Err(AppError::new(
            ErrorCode::PayloadTooLarge,
            crate::msg!(
                "deals.statements_too_large",
                size = size,
                max = DEAL_MAX_BYTES
            ),
        ));
    }
    let snapshots = persons
        .iter()
        .map(|(id, p)| {
            serde_json::to_string(p)
                .map(|json| (*id, json))
                .map_err(AppError::internal)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Err(err) = store::form_statements(
        &state.db,
        &seen.deal,
        snapshots,
        statements,
        auth.user_id,
        now(state),
    )
    .await
    {
        crate::files::discard(state, stored).await;
        return Err(changed(err));
    }
    get(state, auth, id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use mezha_api_types::deals::DealObject;

    #[test]
    fn a_statement_renders_as_a_pdf() {
        let now = chrono::Utc::now();
        let deal = DealRecord {
            id: Uuid::now_v7(),
            organisation_id: Uuid::now_v7(),
            number: 7,
            title: "Купля-продажа квартиры".into(),
            status: DealStatus::Draft,
            suspended_from: None,
            responsible_id: Uuid::now_v7(),
            object: DealObject {
                cadastral_number: Some("77:01:0004012:1234".into()),
                address: Some("г. Москва, ул. Тверская, д. 1, кв. 5".into()),
                object_type: Some(ObjectType::Premises),
                area: Some("54.3".into()),
            },
            documents_bytes: 0,
            copied_from: None,
            registry_package_id: None,
            fee_uin: None,
            fee_amount_kopecks: None,
            fee_paid_at: None,
            fee_paid_by: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let seller = Person {
            name: "Петров Пётр Петрович".into(),
            organisation: false,
            snils: Some("112-233-445 95".into()),
            inn: None,
            ogrn: None,
            birth_date: chrono::NaiveDate::from_ymd_opt(1980, 4, 12),
            passport: Some("4506 123456".into()),
            address: None,
        };
        let bytes = render(&StatementData {
            deal: &deal,
            organisation: "ООО «Агентство»",
            applicant: (&seller, ParticipantRole::Seller, Some("1/2")),
            representative: None,
            others: vec![(seller.clone(), ParticipantRole::Buyer, None)],
            documents: vec![("Договор купли-продажи".into(), "ab".repeat(32))],
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default(),
        })
        .expect("rendered");
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(
            request_words(ParticipantRole::Seller, Some("1/2")),
            "государственную регистрацию перехода права собственности (1/2 доли в праве)"
        );
        assert_eq!(
            request_words(ParticipantRole::Buyer, Some("1/1")),
            "государственную регистрацию права собственности"
        );
    }
}
