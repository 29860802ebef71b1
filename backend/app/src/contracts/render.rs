//! The contract made from the template (docs/contracts.md, "The
//! template"): an A4 PDF in Russian with the order's data, both parties'
//! requisites and the amounts in figures and in words.

use crate::pdf::Sheet;
use mezha_api_types::contracts::{ContractTerms, Signatory};
use mezha_domain::contracts::Amounts;
use mezha_store::engineers::RequisitesData;

/// One side of the contract as the document names it.
#[derive(Debug, Clone, Default)]
pub(super) struct Side {
    /// Full name of the person (or the organisation's name).
    pub name: String,
    /// The organisation an employee works for (its requisites are used).
    pub organisation: Option<String>,
    pub inn: Option<String>,
    pub snils: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub requisites: Option<RequisitesData>,
}

/// Everything the template is filled with.
#[derive(Debug, Clone)]
pub(super) struct ContractData {
    pub version: i32,
    pub order_number: i64,
    pub order_title: String,
    pub work_types: Vec<String>,
    pub cadastral_numbers: Vec<String>,
    pub address: Option<String>,
    /// The date written on the contract, `dd.mm.yyyy`.
    pub date: String,
    pub customer: Side,
    pub executor: Side,
    pub terms: ContractTerms,
    pub amounts: Amounts,
}

pub(super) fn money(amount: mezha_domain::money::Kopecks) -> String {
    format!("{} ({})", amount.display_ru(), amount.words_ru())
}

pub(super) fn requisites_rows(side: &Side) -> Vec<(&'static str, String)> {
    let mut rows = vec![("", side.name.clone())];
    if let Some(org) = &side.organisation {
        rows.push(("Организация", org.clone()));
    }
    if let Some(inn) = &side.inn {
        rows.push(("ИНН", inn.clone()));
    }
    if let Some(snils) = &side.snils {
        rows.push(("СНИЛС", snils.clone()));
    }
    if let Some(r) = &side.requisites {
        rows.push(("Получатель", r.recipient.clone()));
        if side.inn.as_deref() != Some(r.inn.as_str()) {
            rows.push(("ИНН получателя", r.inn.clone()));
        }
        if let Some(kpp) = &r.kpp {
            rows.push(("КПП", kpp.clone()));
        }
        if let Some(ogrn) = &r.ogrn {
            rows.push(("ОГРН", ogrn.clone()));
        }
        if let Some(address) = &r.legal_address {
            rows.push(("Адрес", address.clone()));
        }
        rows.push(("Банк", r.bank_name.clone()));
        rows.push(("БИК", r.bik.clone()));
        rows.push(("Р/с", r.account.clone()));
        rows.push(("К/с", r.correspondent_account.clone()));
    }
    if let Some(email) = &side.email {
        rows.push(("E-mail", email.clone()));
    }
    if let Some(phone) = &side.phone {
        rows.push(("Телефон", phone.clone()));
    }
    rows
}

/// One piece of the contract's text, written the same way into the PDF and
/// the DOCX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// The title, centred and large.
    Title(String),
    /// A line under the title, centred.
    Subtitle(String),
    /// The place on the left, the date on the right.
    PlaceAndDate(String, String),
    /// A section's heading.
    Heading(String),
    /// A paragraph, indented for the clauses of a section.
    Paragraph { text: String, indented: bool },
    /// A label and its value (requisites).
    Row(String, String),
    /// The line a party signs on.
    SignatureLine,
}

/// The contract's text.
pub(super) fn blocks(d: &ContractData) -> Vec<Block> {
    let t = &d.terms;
    let mut out = vec![
        Block::Title(format!(
            "ДОГОВОР ПОДРЯДА № {}-{}",
            d.order_number, d.version
        )),
        Block::Subtitle("на выполнение кадастровых работ".to_owned()),
        Block::PlaceAndDate("платформа «Межа»".to_owned(), d.date.clone()),
    ];
    let executor_person = match t.signatory {
        Signatory::Executor => format!("кадастровый инженер {}", t.signatory_name),
        Signatory::Representative => format!(
            "кадастровый инженер {} в лице представителя {}",
            d.executor.name, t.signatory_name
        ),
    };
    let executor_org = d
        .executor
        .organisation
        .as_ref()
        .map(|org| format!(", работник {org},"))
        .unwrap_or_default();
    out.push(Block::Paragraph {
        text: format!(
            "{}, именуемый в дальнейшем «Заказчик», с одной стороны, и {}{} действующий на \
             основании {}, именуемый в дальнейшем «Исполнитель», с другой стороны, заключили \
             настоящий договор о нижеследующем.",
            d.customer.name, executor_person, executor_org, t.acting_on_basis
        ),
        indented: false,
    });
    let mut section = |title: &str, items: Vec<String>| {
        out.push(Block::Heading(title.to_owned()));
        out.extend(items.into_iter().map(|text| Block::Paragraph {
            text,
            indented: true,
        }));
    };
    let mut subject = vec![format!(
        "1.1. Исполнитель выполняет по заказу № {} «{}» кадастровые работы: {}.",
        d.order_number,
        d.order_title,
        d.work_types.join("; ")
    )];
    subject.push(format!(
        "1.2. Объект работ: {}.",
        t.object_characteristics.trim_end_matches('.')
    ));
    if !d.cadastral_numbers.is_empty() {
        subject.push(format!(
            "1.3. Кадастровые номера: {}.",
            d.cadastral_numbers.join(", ")
        ));
    }
    if let Some(address) = &d.address {
        subject.push(format!("1.4. Адрес (местоположение): {address}."));
    }
    section("1. Предмет договора", subject);
    section(
        "2. Срок выполнения работ",
        vec![format!(
            "2.1. Исполнитель передаёт результаты работ не позднее {}.",
            t.deadline.format("%d.%m.%Y")
        )],
    );
    let a = &d.amounts;
    let mut price = vec![format!("3.1. Цена работ: {}.", money(a.price))];
    if t.advance_percent > 0 {
        price.push(format!(
            "3.2. Аванс {} % цены: {} — в течение 5 рабочих дней после подписания договора.",
            t.advance_percent,
            money(a.advance)
        ));
        price.push(format!(
            "3.3. Остаток: {} — после подписания акта выполненных работ.",
            money(a.remainder)
        ));
    } else {
        price.push(format!(
            "3.2. Оплата полностью: {} — после подписания акта выполненных работ.",
            money(a.remainder)
        ));
    }
    section("3. Цена и порядок оплаты", price);
    section(
        "4. Прочие условия",
        vec![
            "4.1. Договор заключён в электронной форме и подписан усиленными электронными \
             подписями сторон; каждая подпись относится к этому файлу договора целиком."
                .to_owned(),
            "4.2. Сдача результатов оформляется актом выполненных работ, подписанным обеими \
             сторонами."
                .to_owned(),
        ],
    );
    out.push(Block::Heading("5. Реквизиты и подписи сторон".to_owned()));
    for (title, side) in [("Заказчик", &d.customer), ("Исполнитель", &d.executor)]
    {
        out.push(Block::Paragraph {
            text: title.to_owned(),
            indented: false,
        });
        for (label, value) in requisites_rows(side) {
            out.push(Block::Row(label.to_owned(), value));
        }
        out.push(Block::SignatureLine);
    }
    out
}

/// The contract's PDF.
pub(super) fn render(d: &ContractData) -> anyhow::Result<Vec<u8>> {
    pdf(
        &format!(
            "Договор подряда на выполнение кадастровых работ по заказу № {}",
            d.order_number
        ),
        blocks(d),
    )
}

/// The same contract as a DOCX (for editing or printing elsewhere; the
/// signatures bind to the PDF).
pub(super) fn render_docx(d: &ContractData) -> anyhow::Result<Vec<u8>> {
    docx(blocks(d))
}

/// A document's blocks as an A4 PDF titled `title` (its metadata).
pub(super) fn pdf(title: &str, blocks: Vec<Block>) -> anyhow::Result<Vec<u8>> {
    let mut sheet = Sheet::new(title)?;
    for block in blocks {
        match block {
            Block::Title(text) => sheet.centred(&text, 14.0),
            Block::Subtitle(text) => sheet.centred(&text, 11.0),
            Block::PlaceAndDate(place, date) => {
                sheet.down(2.0);
                sheet.text_at(&place, 10.0, crate::pdf::LEFT);
                sheet.text_at(&date, 10.0, 165.0);
                sheet.down(9.0);
            }
            Block::Heading(text) => {
                sheet.down(3.0);
                sheet.paragraph(&text, 11.0, 0.0);
            }
            Block::Paragraph { text, indented } => {
                sheet.paragraph(&text, 10.0, if indented { 5.0 } else { 0.0 });
            }
            Block::Row(label, value) => sheet.row(&label, &value, 9.0, 35.0),
            Block::SignatureLine => {
                sheet.down(8.0);
                sheet.rule(crate::pdf::LEFT, 90.0);
                sheet.down(4.0);
                sheet.text_at("(электронная подпись)", 8.0, crate::pdf::LEFT);
                sheet.down(8.0);
            }
        }
    }
    sheet.finish()
}

/// A document's blocks as a DOCX, the same text as [`pdf`].
pub(super) fn docx(blocks: Vec<Block>) -> anyhow::Result<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run};
    let text = |t: &str, size: usize, bold: bool| {
        let run = Run::new().add_text(t).size(size);
        if bold { run.bold() } else { run }
    };
    let mut doc = Docx::new();
    for block in blocks {
        let paragraph = match block {
            Block::Title(t) => Paragraph::new()
                .add_run(text(&t, 28, true))
                .align(AlignmentType::Center),
            Block::Subtitle(t) => Paragraph::new()
                .add_run(text(&t, 22, false))
                .align(AlignmentType::Center),
            Block::PlaceAndDate(place, date) => {
                Paragraph::new().add_run(text(&format!("{place}\t\t\t\t\t\t{date}"), 20, false))
            }
            Block::Heading(t) => Paragraph::new().add_run(text(&t, 22, true)),
            Block::Paragraph { text: t, indented } => {
                let p = Paragraph::new().add_run(text(&t, 20, false));
                if indented {
                    p.indent(Some(400), None, None, None)
                } else {
                    p
                }
            }
            Block::Row(label, value) => {
                let line = if label.is_empty() {
                    value
                } else {
                    format!("{label}: {value}")
                };
                Paragraph::new().add_run(text(&line, 18, false))
            }
            Block::SignatureLine => Paragraph::new().add_run(text(
                "______________________________ (электронная подпись)",
                18,
                false,
            )),
        };
        doc = doc.add_paragraph(paragraph);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| anyhow::anyhow!("writing the DOCX: {e}"))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use mezha_domain::money::Kopecks;

    #[test]
    fn renders_a_pdf_with_both_sides() {
        let terms = ContractTerms {
            signatory: Signatory::Representative,
            signatory_name: "Петров Пётр Петрович".into(),
            acting_on_basis: "доверенности № 5".into(),
            object_characteristics: "Земельный участок".into(),
            email: None,
            phone: None,
            deadline: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
            price_kopecks: 2_500_000,
            advance_percent: 30,
            advance_kopecks: 750_000,
            remainder_kopecks: 1_750_000,
            extra_file_id: None,
        };
        let data = ContractData {
            version: 1,
            order_number: 42,
            order_title: "Межевание".into(),
            work_types: vec!["Уточнение границ".into()],
            cadastral_numbers: vec!["50:20:0010203:45".into()],
            address: Some("Московская обл., ул. Лесная".into()),
            date: "06.12.2026".into(),
            customer: Side {
                name: "Сидоров С. С.".into(),
                ..Side::default()
            },
            executor: Side {
                name: "Иванов И. И.".into(),
                organisation: Some("ООО «Кадастр»".into()),
                ..Side::default()
            },
            terms,
            amounts: Amounts {
                price: Kopecks::new(2_500_000).unwrap(),
                advance: Kopecks::new(750_000).unwrap(),
                remainder: Kopecks::new(1_750_000).unwrap(),
            },
        };
        let pdf = render(&data).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(!doc.get_pages().is_empty());
        let docx = render_docx(&data).unwrap();
        assert!(docx.starts_with(b"PK"), "a DOCX is a ZIP");
        let text = blocks(&data);
        assert!(text.contains(&Block::Title("ДОГОВОР ПОДРЯДА № 42-1".into())));
        assert!(
            text.iter()
                .any(|b| matches!(b, Block::Paragraph { text, .. }
            if text.contains("семь тысяч пятьсот рублей 00 копеек")))
        );
    }
}
