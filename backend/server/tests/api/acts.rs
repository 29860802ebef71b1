//! Acts of completed works (docs/acts.md) through HTTP: the executor makes
//! the act once the results are accepted, both parties sign its exact
//! bytes, the customer may decline with a reason, and the act signed by
//! both is one of the two facts that complete the order (the other is the
//! confirmed final payment). The contract story (contracts.rs) walks an
//! order through here.

use crate::contracts::{Signer, signature_of};
use crate::helpers::{TestApp, problem};
use crate::orders::Party;
use mezha_api_types::acts::Act;
use mezha_api_types::orders::Order;
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

pub(crate) async fn make_act(
    app: &TestApp,
    token: &str,
    order: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.post(&format!("/api/v1/orders/{order}/acts"), body, Some(token))
        .await
}

async fn act(app: &TestApp, token: &str, id: Uuid) -> Act {
    let resp = app.get(&format!("/api/v1/acts/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn pdf_of(app: &TestApp, token: &str, act: &Act) -> Vec<u8> {
    let resp = app
        .get(&format!("/api/v1/acts/{}/document", act.id), Some(token))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let bytes = resp.bytes().await.unwrap().to_vec();
    assert_eq!(
        format!("{:x}", sha2::Sha256::digest(&bytes)),
        act.document.sha256
    );
    bytes
}

pub(crate) async fn sign_act(
    app: &TestApp,
    token: &str,
    id: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.post(&format!("/api/v1/acts/{id}/signatures"), body, Some(token))
        .await
}

fn actions(order: &Order) -> Vec<&'static str> {
    order.allowed_actions.iter().map(|a| a.as_str()).collect()
}

async fn order(app: &TestApp, token: &str, id: Uuid) -> Order {
    app.get(&format!("/api/v1/orders/{id}"), Some(token))
        .await
        .json()
        .await
        .unwrap()
}

/// Makes an act version of `id` and has both parties sign it; the act.
pub(crate) async fn signed_act(
    app: &TestApp,
    id: Uuid,
    (engineer, engineer_signs): (&Party, &Signer),
    (customer, customer_signs): (&Party, &Signer),
) -> Act {
    let resp = make_act(app, &engineer.token, id, &json!({})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let made: Act = resp.json().await.unwrap();
    let pdf = pdf_of(app, &engineer.token, &made).await;
    let resp = sign_act(
        app,
        &engineer.token,
        made.id,
        &signature_of(&pdf, engineer_signs),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = sign_act(
        app,
        &customer.token,
        made.id,
        &signature_of(&pdf, customer_signs),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let signed: Act = resp.json().await.unwrap();
    assert_eq!(signed.status.as_str(), "signed");
    signed
}

/// The act of an order in `registration` (the contract story's order,
/// price 25 000 ₽): made by the executor only, with a completion day not
/// in the future; signed by the engineer, declined by the customer with a
/// reason; a second version signed by both. The order stays in
/// `registration`, the act recorded as signed: no third version.
pub(crate) async fn the_act_story(
    app: &TestApp,
    id: Uuid,
    (petr, petr_signs): (&Party, &Signer),
    (anna, anna_signs): (&Party, &Signer),
    stranger: &Party,
) {
    assert_eq!(
        actions(&order(app, &petr.token, id).await),
        ["send_registration_outcome", "create_act"]
    );
    // Where he files the registration: Rosreestr's cabinet by default.
    let reference: Value = app
        .get("/api/v1/reference", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        reference["registry_cabinets"],
        json!({"gku": "https://lk.rosreestr.ru/", "grp": "https://lk.rosreestr.ru/"})
    );
    problem(
        make_act(app, &anna.token, id, &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let p = problem(
        make_act(app, &petr.token, id, &json!({"completed_on": tomorrow})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("completed_on")[0].code, "in_future");

    let resp = make_act(app, &petr.token, id, &json!({})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let v1: Act = resp.json().await.unwrap();
    assert_eq!((v1.number, v1.status.as_str()), (1, "awaiting_engineer"));
    assert_eq!(v1.amount_kopecks, 2_500_000);
    assert_eq!(v1.amount_in_words, "двадцать пять тысяч рублей 00 копеек");
    // Today in Moscow, when the act was made.
    let moscow_day = (v1.created_at + chrono::Duration::hours(3)).date_naive();
    assert_eq!(v1.completed_on, moscow_day);
    let pdf = pdf_of(app, &petr.token, &v1).await;
    assert!(pdf.starts_with(b"%PDF-"));
    let docx = app
        .get(
            &format!("/api/v1/acts/{}/document?format=docx", v1.id),
            Some(&anna.token),
        )
        .await;
    assert_eq!(docx.status(), 200);
    assert!(docx.bytes().await.unwrap().starts_with(b"PK"));
    // An act is not a contract, and a stranger sees neither.
    problem(
        app.get(&format!("/api/v1/contracts/{}", v1.id), Some(&petr.token))
            .await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/acts/{}", v1.id), Some(&stranger.token))
            .await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/orders/{id}/acts"), Some(&stranger.token))
            .await,
        404,
        "not_found",
    )
    .await;

    // The customer cannot sign first, nor with the engineer's certificate.
    problem(
        sign_act(app, &anna.token, v1.id, &signature_of(&pdf, anna_signs)).await,
        409,
        "illegal_transition",
    )
    .await;
    let p = problem(
        sign_act(app, &petr.token, v1.id, &signature_of(&pdf, anna_signs)).await,
        422,
        "signer_not_party",
    )
    .await;
    assert_eq!(p.report.unwrap().indication.as_str(), "TOTAL_PASSED");
    let resp = sign_act(app, &petr.token, v1.id, &signature_of(&pdf, petr_signs)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        act(app, &anna.token, v1.id)
            .await
            .allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["sign", "decline"]
    );
    let resp = app
        .post(
            &format!("/api/v1/acts/{}/decline", v1.id),
            &json!({"reason": "Не указан вынос границ"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let declined: Act = resp.json().await.unwrap();
    assert_eq!(
        (
            declined.status.as_str(),
            declined.declined_reason.as_deref()
        ),
        ("declined", Some("Не указан вынос границ"))
    );

    let v2 = signed_act(app, id, (petr, petr_signs), (anna, anna_signs)).await;
    assert_eq!(v2.number, 2);
    let parties: Vec<&str> = v2.signatures.iter().map(|s| s.party.as_str()).collect();
    assert_eq!(parties, ["engineer", "customer"]);
    let now = order(app, &petr.token, id).await;
    assert_eq!(now.status.as_str(), "registration");
    assert_eq!(actions(&now), ["send_registration_outcome"]);
    problem(
        make_act(app, &petr.token, id, &json!({})).await,
        409,
        "illegal_transition",
    )
    .await;
    let list: Value = app
        .get(&format!("/api/v1/orders/{id}/acts"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["declined", "signed"]);
}

/// The executor's employer reads the order, its act and its export, and
/// may do nothing with them.
async fn the_employer_reads_but_does_not_act(backend: crate::helpers::Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = crate::helpers::spawn_app(backend).await;
    let anna = crate::orders::customer(&app, "anna@example.ru").await;
    let petr = crate::orders::engineer(&app, "petr@example.ru", &["50"], true).await;
    let ivan = crate::orders::engineer(&app, "ivan@example.ru", &["50"], true).await;
    let (org, org_token) =
        crate::employers::employer(&app, "org@example.ru", "ООО «Кадастр-Юг»", "7707083893").await;
    let db = app.db().await;
    let now = chrono::Utc::now();
    mezha_store::entities::employments::ActiveModel {
        id: Set(Uuid::now_v7()),
        employer_id: Set(org),
        engineer_id: Set(petr.id),
        status: Set("active".into()),
        basis_date: Set(None),
        basis_name: Set(None),
        basis_number: Set(None),
        basis_file_id: Set(None),
        created_at: Set(now),
        decided_at: Set(Some(now)),
        updated_at: Set(now),
    }
    .insert(&db)
    .await
    .unwrap();
    let id = crate::sro_registry::assigned_order(&app, anna.id, petr.id, "payment", None).await;
    let resp = make_act(&app, &petr.token, id, &json!({})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let made: Act = resp.json().await.unwrap();

    let seen = order(&app, &org_token, id).await;
    assert!(seen.allowed_actions.is_empty());
    assert!(
        act(&app, &org_token, made.id)
            .await
            .allowed_actions
            .is_empty()
    );
    pdf_of(&app, &org_token, &made).await;
    let export = app
        .get(&format!("/api/v1/orders/{id}/export"), Some(&org_token))
        .await;
    assert_eq!(export.status(), 200);
    problem(
        make_act(&app, &org_token, id, &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        sign_act(&app, &org_token, made.id, &json!({"signature": "MAA="})).await,
        403,
        "forbidden",
    )
    .await;
    let tasks: Value = app
        .get("/api/v1/me/tasks", Some(&org_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tasks["tasks"], json!([]));
    // Another engineer's employer would not even see it; nor does he.
    problem(
        app.get(&format!("/api/v1/orders/{id}/export"), Some(&ivan.token))
            .await,
        404,
        "not_found",
    )
    .await;
}

crate::on_both_backends!(the_employer_reads_but_does_not_act);

/// The short path, from publication: no prepayment and no registration.
/// The contract signed by both moves the order straight to `in_progress`;
/// the accepted results to `payment`; the act signed first and the final
/// payment confirmed second complete it. Each step tells the other party.
async fn the_story_without_prepayment_or_registration(backend: crate::helpers::Backend) {
    use crate::contracts::{order_in_signing_with, signer};
    let app = crate::helpers::spawn_app(backend).await;
    let anna = crate::orders::customer(&app, "anna@example.ru").await;
    let petr = crate::orders::engineer(&app, "petr@example.ru", &["50"], true).await;
    let op = crate::certificates::operator(&app, "operator@example.ru").await;
    let anna_signs = signer(&app, &anna, &op, 0x21).await;
    let petr_signs = signer(&app, &petr, &op, 0x42).await;
    let mut body = crate::orders::complete_order("Межевание без предоплаты");
    body["prepayment_required"] = json!(false);
    body["prepayment_percent"] = Value::Null;
    body["registration"] = json!("none");
    let id = order_in_signing_with(&app, &anna, &petr, &body).await;

    let deadline = (chrono::Utc::now() + chrono::Duration::days(45)).date_naive();
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/contracts"),
            &json!({"terms": {
                "signatory": "executor", "signatory_name": "Кадастров Пётр Сергеевич",
                "acting_on_basis": "квалификационного аттестата", "object_characteristics": "Участок",
                "deadline": deadline, "price_kopecks": 2_000_000, "advance_percent": 0,
                "advance_kopecks": 0, "remainder_kopecks": 2_000_000,
            }}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let contract: mezha_api_types::contracts::Contract = resp.json().await.unwrap();
    let pdf = app
        .get(
            &format!("/api/v1/contracts/{}/document", contract.id),
            Some(&petr.token),
        )
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    for (party, signs) in [(&petr, &petr_signs), (&anna, &anna_signs)] {
        let resp = app
            .post(
                &format!("/api/v1/contracts/{}/signatures", contract.id),
                &crate::contracts::signature_of(&pdf, signs),
                Some(&party.token),
            )
            .await;
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    }
    let now = order(&app, &anna.token, id).await;
    assert_eq!(now.status.as_str(), "in_progress");
    assert_eq!(now.due_date, Some(deadline), "the contract's deadline");

    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/results"),
            &json!({"method": "physical", "note": "Передано лично 5 декабря"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/accept"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "payment"
    );

    let act = signed_act(&app, id, (&petr, &petr_signs), (&anna, &anna_signs)).await;
    assert_eq!(act.amount_kopecks, 2_000_000);
    let now = order(&app, &petr.token, id).await;
    assert_eq!(
        now.status.as_str(),
        "payment",
        "the payment is still to come"
    );
    assert_eq!(actions(&now), ["send_invoice"]);
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/invoices"),
            &json!({"link": "https://bank.example.ru/pay/9"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invoice: Value = resp.json().await.unwrap();
    assert_eq!(
        (invoice["kind"].as_str(), invoice["amount_kopecks"].as_i64()),
        (Some("final"), Some(2_000_000))
    );
    let invoice = invoice["id"].as_str().unwrap().to_owned();
    // While the order is suspended (the executor lost SRO status) the
    // invoice waits: nothing to do, marking it paid refused.
    let set_status = |status: &'static str, from: Option<&'static str>| {
        use mezha_store::entities::orders::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let app = &app;
        async move {
            Entity::update_many()
                .col_expr(Column::Status, Expr::value(status))
                .col_expr(Column::SuspendedFrom, Expr::value(from))
                .filter(Column::Id.eq(id))
                .exec(&app.db().await)
                .await
                .unwrap();
        }
    };
    let (paid_path, receipt) = (
        format!("/api/v1/invoices/{invoice}/mark-paid"),
        json!({"receipt_link": "https://bank.example.ru/receipt/9"}),
    );
    let mark_paid = || app.post(&paid_path, &receipt, Some(&anna.token));
    set_status("suspended", Some("payment")).await;
    let listed = app
        .get(&format!("/api/v1/orders/{id}/invoices"), Some(&anna.token))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let waiting = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == invoice.as_str())
        .unwrap();
    assert_eq!(waiting["allowed_actions"], json!([]), "{waiting}");
    let p = crate::helpers::problem(mark_paid().await, 409, "illegal_transition").await;
    assert_eq!(p.allowed_actions, Some(Vec::new()));
    set_status("payment", None).await;
    let resp = mark_paid().await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = app
        .post(
            &format!("/api/v1/invoices/{invoice}/confirm-payment"),
            &json!({}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let done = order(&app, &anna.token, id).await;
    assert_eq!(done.status.as_str(), "completed");
    assert_eq!(actions(&done), ["review"]);
    let history: Value = app
        .get(&format!("/api/v1/orders/{id}/history"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap(),
                h["to_status"].as_str().unwrap(),
            )
        })
        .collect();
    for step in [
        ("contract_signed", "in_progress"),
        ("accept_results", "payment"),
        ("act_signed", "payment"),
        ("confirm_payment", "completed"),
    ] {
        assert!(steps.contains(&step), "{step:?} in {steps:?}");
    }
    for (token, kinds) in [
        (
            &anna.token,
            [
                "contract_sent_for_signature",
                "act_sent_for_signature",
                "payment_confirmed",
            ],
        ),
        (
            &petr.token,
            ["contract_signed", "results_accepted", "payment_marked"],
        ),
    ] {
        // The kinds arrived, and the bell counts exactly the unread ones.
        crate::contracts::expect_kinds(&app, token, &kinds).await;
    }
}

crate::on_both_backends!(the_story_without_prepayment_or_registration);

/// Versions made at the same moment: each gets its own number or a 409,
/// and a refused one leaves no rendered document behind.
async fn acts_made_at_once_leave_no_orphan_files(backend: crate::helpers::Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = crate::helpers::spawn_app(backend).await;
    let anna = crate::orders::customer(&app, "anna@example.ru").await;
    let petr = crate::orders::engineer(&app, "petr@example.ru", &["50"], true).await;
    let id = crate::sro_registry::assigned_order(&app, anna.id, petr.id, "payment", None).await;
    let empty = json!({});
    let answers =
        futures_util::future::join_all((0..4).map(|_| make_act(&app, &petr.token, id, &empty)))
            .await;
    let made = answers.iter().filter(|r| r.status() == 201).count() as u64;
    assert!(made >= 1);
    for r in &answers {
        assert!(matches!(r.status().as_u16(), 201 | 409), "{}", r.status());
    }
    let db = app.db().await;
    let files = mezha_store::entities::files::Entity::find()
        .filter(mezha_store::entities::files::Column::OwnerId.eq(petr.id))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(
        files,
        2 * made,
        "a PDF and a DOCX per stored version, nothing else"
    );
}

crate::on_both_backends!(acts_made_at_once_leave_no_orphan_files);
