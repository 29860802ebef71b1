//! The application form to print, sign and upload back as a scan
//! (`GET /certificate-applications/{id}/form.pdf`): an A4 PDF in Russian
//! with the owner's data, in DejaVu Sans (embedded for Cyrillic).

use super::load;
use crate::Actor;
use crate::AppError;
use crate::context::Core;
use mezha_api_types::certificates::ApplicantKind;
use mezha_store::certificates::ApplicationRecord;
use printpdf::{Line, Mm, PdfDocument, Point};
use uuid::Uuid;

use crate::pdf::{FONT, wrap};

/// The form of an application the caller may see.
pub async fn form_pdf(state: &Core, auth: &Actor, id: Uuid) -> Result<Vec<u8>, AppError> {
    let (app, _) = load(state, auth, id).await?;
    let today = (state.clock.now() + chrono::Duration::hours(3))
        .format("%d.%m.%Y")
        .to_string();
    tokio::task::spawn_blocking(move || render(&app, &today))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

fn or_blank(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), str::to_owned)
}

/// The rows of the form: (label, value).
fn rows(app: &ApplicationRecord) -> Vec<(&'static str, String)> {
    let f = &app.fields;
    let snils = f.snils.as_deref().map(|d| {
        if d.len() == 11 {
            format!("{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
        } else {
            d.to_owned()
        }
    });
    let passport = match (&f.passport_series, &f.passport_number) {
        (Some(s), Some(n)) => Some(format!(
            "серия {} {} № {n}",
            &s[..2.min(s.len())],
            &s[2.min(s.len())..]
        )),
        _ => None,
    };
    let kind = match f.kind() {
        ApplicantKind::Individual => "физическое лицо",
        ApplicantKind::SoleProprietor => "индивидуальный предприниматель",
        ApplicantKind::LegalEntity => "сотрудник юридического лица",
    };
    let mut rows = vec![
        ("Заявитель", kind.to_owned()),
        ("Фамилия, имя, отчество", or_blank(f.full_name.as_deref())),
        ("СНИЛС", or_blank(snils.as_deref())),
        ("ИНН", or_blank(f.inn.as_deref())),
        ("Паспорт", or_blank(passport.as_deref())),
        ("Кем выдан", or_blank(f.passport_issued_by.as_deref())),
        (
            "Дата выдачи",
            or_blank(
                f.passport_issued_on
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .as_deref(),
            ),
        ),
        ("Электронная почта", or_blank(f.email.as_deref())),
        ("Телефон", or_blank(f.phone.as_deref())),
    ];
    if f.kind() == ApplicantKind::LegalEntity {
        rows.push((
            "Организация",
            or_blank(app.organisation.as_ref().map(|o| o.name.as_str())),
        ));
        rows.push((
            "ИНН организации",
            or_blank(app.organisation.as_ref().map(|o| o.inn.as_str())),
        ));
        rows.push(("Должность", or_blank(f.position.as_deref())));
    }
    rows.push(("Область использования", or_blank(f.purpose.as_deref())));
    rows
}

fn render(app: &ApplicationRecord, today: &str) -> anyhow::Result<Vec<u8>> {
    let (doc, page, layer) = PdfDocument::new(
        "Заявление на выпуск сертификата",
        Mm(210.0),
        Mm(297.0),
        "form",
    );
    let font = doc
        .add_external_font(FONT)
        .map_err(|e| anyhow::anyhow!("font: {e}"))?;
    let layer = doc.get_page(page).get_layer(layer);
    let left = 20.0;
    let mut y = 270.0;
    let text = |s: &str, size: f32, x: f32, y: f32| layer.use_text(s, size, Mm(x), Mm(y), &font);

    text("ЗАЯВЛЕНИЕ", 14.0, 85.0, y);
    y -= 7.0;
    text(
        "на изготовление сертификата ключа проверки электронной подписи",
        11.0,
        32.0,
        y,
    );
    y -= 6.0;
    text(
        &format!(
            "в удостоверяющий центр платформы «Межа», заявка № {}",
            app.id
        ),
        9.0,
        left,
        y,
    );
    y -= 12.0;
    for (label, value) in rows(app) {
        text(label, 10.0, left, y);
        let lines = wrap(&value, 55);
        for (i, line) in lines.iter().enumerate() {
            text(line, 10.0, 75.0, y - 5.0 * i as f32);
        }
        y -= 5.0 * lines.len().max(1) as f32 + 3.0;
    }
    y -= 6.0;
    let statement = "Прошу изготовить сертификат ключа проверки электронной подписи с \
        указанными данными. Подтверждаю достоверность сведений и согласен на их \
        обработку и включение в сертификат. Ключ электронной подписи создаётся мной \
        самостоятельно; запрос на сертификат подписан этим ключом.";
    for line in wrap(statement, 80) {
        text(&line, 10.0, left, y);
        y -= 5.0;
    }
    y -= 20.0;
    let signature_line = |x1: f32, x2: f32, y: f32| Line {
        points: vec![
            (Point::new(Mm(x1), Mm(y)), false),
            (Point::new(Mm(x2), Mm(y)), false),
        ],
        is_closed: false,
    };
    layer.add_line(signature_line(left, 80.0, y));
    layer.add_line(signature_line(95.0, 170.0, y));
    let text = |s: &str, size: f32, x: f32, y: f32| layer.use_text(s, size, Mm(x), Mm(y), &font);
    text("(подпись)", 8.0, 40.0, y - 4.0);
    text(
        &format!("({})", or_blank(app.fields.full_name.as_deref())),
        8.0,
        100.0,
        y - 4.0,
    );
    text(&format!("Дата: {today}"), 10.0, left, y - 14.0);
    doc.save_to_bytes()
        .map_err(|e| anyhow::anyhow!("saving the PDF: {e}"))
}
