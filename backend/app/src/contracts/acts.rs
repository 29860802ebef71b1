//! Acts of completed works (docs/acts.md): once the customer has accepted
//! the results, the executor makes the act from the order, its signed
//! contract and its deliveries (`POST /orders/{id}/acts`); both parties
//! sign its exact bytes like a contract version, the engineer first, and
//! the customer may decline with a reason. The act signed by both is one
//! of the order's two closing facts: with the final payment confirmed, the
//! order is completed.

use super::create::{side, work_type_names};
use super::render::{Block, Side, docx, money, pdf, requisites_rows};
use super::sign::{decline_version, sign_version};
use super::*;
use crate::context::Certificates;
use mezha_api_types::acts::{Act, ActList, NewAct};
use mezha_api_types::contracts::{ContractSource, ContractStatus, DeclineContract, SignContract};
use mezha_api_types::orders::OrderAction;
use mezha_api_types::results::{ResultMethod, ResultStage};
use mezha_domain::money::Kopecks;
use mezha_store::results::ResultRecord;
use std::collections::HashMap;

const KIND: DocumentKind = DocumentKind::Act;

/// Deliveries an act lists at most (an order has a handful).
const DELIVERIES_MAX: u64 = 100;

/// Everything the act is filled with.
#[derive(Debug, Clone)]
struct ActData {
    number: i32,
    order_number: i64,
    order_title: String,
    work_types: Vec<String>,
    cadastral_numbers: Vec<String>,
    address: Option<String>,
    /// The signed contract: its number on the document and its date.
    contract: Option<(String, String)>,
    /// The object as the contract describes it.
    object: Option<String>,
    /// The contract's deadline, `dd.mm.yyyy`.
    deadline: Option<String>,
    /// How the results were handed over, one line each.
    deliveries: Vec<String>,
    /// The day written on the act, `dd.mm.yyyy`.
    date: String,
    /// The day the works were completed, `dd.mm.yyyy`.
    completed_on: String,
    amount: Kopecks,
    customer: Side,
    executor: Side,
}

/// One delivery as the act lists it.
fn delivery_line(d: &ResultRecord, file_names: &HashMap<Uuid, String>) -> String {
    let day = d.created_at.format("%d.%m.%Y");
    let how = match d.method {
        ResultMethod::Physical => "переданы лично или почтой".to_owned(),
        ResultMethod::Files => {
            let names: Vec<&str> = d
                .file_ids
                .iter()
                .filter_map(|id| file_names.get(id).map(String::as_str))
                .collect();
            format!("переданы файлами на платформе: {}", names.join(", "))
        }
        ResultMethod::Link => format!(
            "размещены в облачном хранилище: {}",
            d.link.as_deref().unwrap_or("")
        ),
        ResultMethod::StorageUin => format!(
            "размещены в электронном хранилище, УИН {}",
            d.uin.as_deref().unwrap_or("")
        ),
    };
    let note = d
        .note
        .as_deref()
        .map(|n| format!(" ({})", n.trim_end_matches('.')))
        .unwrap_or_default();
    format!("{day} — {how}{note}")
}

/// The act's text.
fn blocks(d: &ActData) -> Vec<Block> {
    let mut out = vec![
        Block::Title(format!("АКТ № {}-А{}", d.order_number, d.number)),
        Block::Subtitle("сдачи-приёмки выполненных кадастровых работ".to_owned()),
        Block::PlaceAndDate("платформа «Межа»".to_owned(), d.date.clone()),
    ];
    let basis = d
        .contract
        .as_ref()
        .map(|(number, date)| format!(" по договору подряда № {number} от {date}"))
        .unwrap_or_default();
    let executor_org = d
        .executor
        .organisation
        .as_ref()
        .map(|org| format!(", работник {org},"))
        .unwrap_or_default();
    out.push(Block::Paragraph {
        text: format!(
            "{}, именуемый в дальнейшем «Заказчик», и кадастровый инженер {}{} именуемый в \
             дальнейшем «Исполнитель», составили настоящий акт{basis} о нижеследующем.",
            d.customer.name, d.executor.name, executor_org
        ),
        indented: false,
    });
    let mut clauses = vec![format!(
        "1. Исполнитель выполнил, а Заказчик принял кадастровые работы по заказу № {} «{}»: {}.",
        d.order_number,
        d.order_title,
        d.work_types.join("; ")
    )];
    let mut object = Vec::new();
    if let Some(o) = &d.object {
        object.push(o.trim_end_matches('.').to_owned());
    }
    if !d.cadastral_numbers.is_empty() {
        object.push(format!(
            "кадастровые номера {}",
            d.cadastral_numbers.join(", ")
        ));
    }
    if let Some(address) = &d.address {
        object.push(format!("адрес (местоположение): {address}"));
    }
    if !object.is_empty() {
        clauses.push(format!("2. Объект работ: {}.", object.join("; ")));
    }
    let mut due = format!("3. Работы выполнены {}", d.completed_on);
    if let Some(deadline) = &d.deadline {
        due.push_str(&format!(" при сроке по договору до {deadline}"));
    }
    due.push('.');
    clauses.push(due);
    if !d.deliveries.is_empty() {
        clauses.push("4. Результаты работ переданы Заказчику:".to_owned());
    }
    for (i, line) in d.deliveries.iter().enumerate() {
        clauses.push(format!("4.{}. {line}.", i + 1));
    }
    clauses.push(format!(
        "5. Стоимость выполненных работ: {}.",
        money(d.amount)
    ));
    clauses.push(
        "6. Работы выполнены в полном объёме; Заказчик претензий по объёму, качеству и срокам \
         выполнения работ не имеет."
            .to_owned(),
    );
    clauses.push(
        "7. Акт составлен в электронной форме и подписан усиленными электронными подписями \
         сторон; каждая подпись относится к этому файлу акта целиком."
            .to_owned(),
    );
    out.extend(clauses.into_iter().map(|text| Block::Paragraph {
        text,
        indented: true,
    }));
    out.push(Block::Heading("Подписи сторон".to_owned()));
    for (title, side) in [("Заказчик", &d.customer), ("Исполнитель", &d.executor)]
    {
        out.push(Block::Paragraph {
            text: title.to_owned(),
            indented: false,
        });
        for (label, value) in requisites_rows(side)
            .into_iter()
            .filter(|(label, _)| matches!(*label, "" | "Организация" | "ИНН" | "СНИЛС"))
        {
            out.push(Block::Row(label.to_owned(), value));
        }
        out.push(Block::SignatureLine);
    }
    out
}

/// What the act of `order` says: the signed contract's terms (the order's
/// price when the contract was uploaded), its deliveries, both parties.
async fn act_data(
    state: &Core,
    order: &OrderRecord,
    completed_on: chrono::NaiveDate,
) -> Result<ActData, AppError> {
    let contract = store::signed(&state.db, order.id, DocumentKind::Contract).await?;
    let terms = contract.as_ref().and_then(|c| c.terms.as_ref());
    let amount = terms
        .map(|t| t.price_kopecks)
        .unwrap_or_else(|| order.price.unwrap_or(0).saturating_mul(100));
    let amount = Kopecks::new(amount).unwrap_or(Kopecks::ZERO);
    let (deliveries, _) =
        mezha_store::results::list(&state.db, order.id, DELIVERIES_MAX, None).await?;
    let deliveries: Vec<ResultRecord> = deliveries
        .into_iter()
        .filter(|d| d.stage == ResultStage::Results)
        .collect();
    let file_names: HashMap<Uuid, String> = mezha_store::files::find_many(
        &state.db,
        deliveries.iter().flat_map(|d| d.file_ids.clone()).collect(),
    )
    .await?
    .into_iter()
    .map(|(id, f)| (id, f.name))
    .collect();
    let executor = order
        .executor_id
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("order {} has no executor", order.id)))?;
    let now = state.clock.now();
    Ok(ActData {
        number: 0,
        order_number: order.number,
        order_title: order.title.clone(),
        work_types: work_type_names(state, order).await?,
        cadastral_numbers: order.cadastral_numbers.clone(),
        address: order.address.clone(),
        contract: contract.as_ref().map(|c| {
            (
                format!("{}-{}", order.number, c.number),
                crate::orders::today(c.created_at)
                    .format("%d.%m.%Y")
                    .to_string(),
            )
        }),
        object: terms.map(|t| t.object_characteristics.clone()),
        deadline: terms.map(|t| t.deadline.format("%d.%m.%Y").to_string()),
        deliveries: deliveries
            .iter()
            .map(|d| delivery_line(d, &file_names))
            .collect(),
        date: crate::orders::today(now).format("%d.%m.%Y").to_string(),
        completed_on: completed_on.format("%d.%m.%Y").to_string(),
        amount,
        customer: side(state, order.customer_id, false).await?,
        executor: side(state, executor, true).await?,
    })
}

/// `POST /orders/{id}/acts`: the executor makes a new version of the act
/// of an order in `registration` or `payment` whose act is not signed yet;
/// the open versions are voided.
pub async fn create(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewAct,
) -> Result<Act, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Engineer])?;
    crate::orders::permit_caller(state, auth, &order, OrderAction::CreateAct).await?;
    let now = state.clock.now();
    let today = crate::orders::today(now);
    let completed_on = input.completed_on.unwrap_or(today);
    if completed_on > today {
        return Err(AppError::field(
            "completed_on",
            mezha_domain::FieldError::new(
                "in_future",
                "the works cannot have been completed after today",
            ),
        ));
    }
    let mut data = act_data(state, &order, completed_on).await?;
    data.number = store::next_number(&state.db, order_id, KIND).await?;
    let name = format!("act-{}-{}", order.number, data.number);
    let title = format!(
        "Акт сдачи-приёмки выполненных кадастровых работ по заказу № {}",
        order.number
    );
    let text = blocks(&data);
    let (pdf, docx) = tokio::task::spawn_blocking(move || {
        Ok::<_, anyhow::Error>((pdf(&title, text.clone())?, docx(text)?))
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let pdf_file = crate::files::save(
        state,
        auth.user_id,
        &format!("{name}.pdf"),
        "application/pdf",
        &pdf,
    )
    .await?;
    let docx_file = crate::files::save(
        state,
        auth.user_id,
        &format!("{name}.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &docx,
    )
    .await?;
    let version = ContractRecord {
        id: Uuid::now_v7(),
        order_id,
        kind: KIND,
        number: data.number,
        status: ContractStatus::AwaitingEngineer,
        source: ContractSource::Template,
        terms: None,
        price_in_words: Some(data.amount.words_ru()),
        file_id: pdf_file.id,
        docx_file_id: Some(docx_file.id),
        extra_file_id: None,
        declined_reason: None,
        amount_kopecks: Some(data.amount.get()),
        completed_on: Some(completed_on),
        created_by: auth.user_id,
        created_at: now,
        updated_at: now,
    };
    let version = match store::insert_version(&state.db, version).await {
        Ok(version) => version,
        Err(e) => {
            // The act rendered for it is nobody's now.
            crate::files::discard(state, vec![pdf_file.id, docx_file.id]).await;
            return Err(match e {
                mezha_store::StoreError::Duplicate(_) => {
                    AppError::new(ErrorCode::Conflict, "acts.made_meanwhile")
                }
                other => other.into(),
            });
        }
    };
    view(state, auth, &order, version).await
}

/// The act versions as `auth` sees them (two queries whatever their number).
async fn views(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    versions: Vec<ContractRecord>,
) -> Result<Vec<Act>, AppError> {
    let files =
        mezha_store::files::find_many(&state.db, versions.iter().map(|a| a.file_id).collect())
            .await?;
    let mut signatures =
        store::signatures_of(&state.db, versions.iter().map(|a| a.id).collect()).await?;
    let party = acting_party(auth, order);
    versions
        .into_iter()
        .map(|a| {
            let broken =
                |what: &str| AppError::internal(anyhow::anyhow!("act {} has no {what}", a.id));
            let document = files.get(&a.file_id).ok_or_else(|| broken("document"))?;
            Ok(Act {
                id: a.id,
                order_id: a.order_id,
                number: a.number,
                status: a.status,
                amount_kopecks: a.amount_kopecks.ok_or_else(|| broken("amount"))?,
                amount_in_words: a.price_in_words.clone().unwrap_or_default(),
                completed_on: a.completed_on.ok_or_else(|| broken("completion day"))?,
                document: file_info(document),
                declined_reason: a.declined_reason,
                signatures: signatures
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(signature_view)
                    .collect(),
                allowed_actions: rules::allowed_actions(a.status, party),
                created_by: a.created_by,
                created_at: a.created_at,
                updated_at: a.updated_at,
            })
        })
        .collect()
}

async fn view(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    version: ContractRecord,
) -> Result<Act, AppError> {
    views(state, auth, order, vec![version])
        .await?
        .pop()
        .ok_or_else(|| no_such(KIND))
}

/// `GET /acts/{id}`.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Act, AppError> {
    let (act, order) = load(state, auth, id, KIND).await?;
    view(state, auth, &order, act).await
}

/// `GET /orders/{id}/acts`: the order's act versions, oldest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<ActList, AppError> {
    let (order, rows, next_cursor) = page_of(state, auth, order_id, KIND, page).await?;
    let items = views(state, auth, &order, rows).await?;
    Ok(ActList { items, next_cursor })
}

/// `GET /acts/{id}/document`: the PDF the signatures bind to, or the DOCX
/// of the same text.
pub async fn document(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    format: DocumentFormat,
) -> Result<crate::files::Download, AppError> {
    document_of(state, auth, id, KIND, format).await
}

/// `POST /acts/{id}/signatures`: the caller signs the act version as his
/// party; the customer's signature after the engineer's makes the act
/// signed, and completes the order if its final payment is confirmed.
pub async fn sign(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    input: SignContract,
) -> Result<Act, AppError> {
    sign_version(state, auth, id, KIND, input).await?;
    get(state, auth, id).await
}

/// `POST /acts/{id}/decline`: the customer declines to sign the act
/// version, with a reason; the engineer makes a new one.
pub async fn decline(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    input: DeclineContract,
) -> Result<Act, AppError> {
    decline_version(state, auth, id, KIND, input).await?;
    get(state, auth, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> ActData {
        ActData {
            number: 2,
            order_number: 42,
            order_title: "Межевание".into(),
            work_types: vec!["Уточнение границ".into()],
            cadastral_numbers: vec!["50:20:0010203:45".into()],
            address: None,
            contract: Some(("42-3".into(), "01.12.2026".into())),
            object: Some("Земельный участок, 1 200 кв. м.".into()),
            deadline: Some("01.02.2027".into()),
            deliveries: vec!["05.12.2026 — размещены в электронном хранилище, УИН 77-1".into()],
            date: "06.12.2026".into(),
            completed_on: "05.12.2026".into(),
            amount: Kopecks::new(2_500_000).unwrap(),
            customer: Side {
                name: "Сидоров С. С.".into(),
                ..Side::default()
            },
            executor: Side {
                name: "Иванов И. И.".into(),
                ..Side::default()
            },
        }
    }

    #[test]
    fn the_act_names_the_contract_the_results_and_the_amount_in_words() {
        let text = blocks(&data());
        assert!(text.contains(&Block::Title("АКТ № 42-А2".into())));
        let paragraphs: Vec<&str> = text
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(paragraphs[0].contains("по договору подряда № 42-3 от 01.12.2026"));
        assert!(paragraphs.iter().any(|p| p.contains("УИН 77-1")));
        assert!(
            paragraphs
                .iter()
                .any(|p| p.contains("двадцать пять тысяч рублей 00 копеек")),
            "{paragraphs:?}"
        );
        assert!(
            paragraphs
                .iter()
                .any(|p| p.contains("при сроке по договору до 01.02.2027"))
        );
        let pdf = pdf("Акт", text.clone()).unwrap();
        assert!(
            !lopdf::Document::load_mem(&pdf)
                .unwrap()
                .get_pages()
                .is_empty()
        );
        assert!(docx(text).unwrap().starts_with(b"PK"));
    }

    #[test]
    fn without_a_template_contract_the_act_says_less_but_still_reads() {
        let mut d = data();
        d.contract = None;
        d.object = None;
        d.deadline = None;
        d.deliveries.clear();
        let text = blocks(&d);
        let all: String = text
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert!(!all.contains("по договору подряда"));
        assert!(all.contains("кадастровые номера 50:20:0010203:45"));
        assert!(!all.contains("4. Результаты"));
    }
}
