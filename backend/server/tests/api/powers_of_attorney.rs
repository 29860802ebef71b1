//! Machine-readable powers of attorney (docs/power-of-attorney.md) through
//! HTTP on both back-ends: the admin keeps the XML the head issued and the
//! head's signature of it; an employee signs a deal for the organisation
//! only under an active one that names him and grants the power, the head
//! without one; a revoked one stops the deal signed under it from being
//! sent; the registry package carries it.

use crate::contracts::{signature_of, signer};
use crate::deals::{Agency, agency_with_head};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use mezha_api_types::deals::Deal;
use mezha_api_types::powers_of_attorney::{PowerOfAttorney, PowerOfAttorneyList};
use mezha_testkit::poa::{
    PoaSample, SIGN_DOCUMENTS, SIGN_STATEMENTS, SUBMIT_TO_REGISTRY, SamplePerson,
    power_of_attorney_xml,
};
use serde_json::json;
use uuid::Uuid;

/// An МЧД of `agency` to the person with `snils`, valid from a month ago
/// for a year, with `powers`.
pub(crate) fn sample(agency: &Agency, snils: &str, powers: &[&str]) -> PoaSample {
    sample_of(agency.inn, agency.ogrn, snils, powers)
}

/// An МЧД of the organisation with `inn` and `ogrn` (KPP of
/// `organisations::requisites`) to the person with `snils`, valid from a
/// month ago for a year, with `powers`.
pub(crate) fn sample_of(inn: &str, ogrn: &str, snils: &str, powers: &[&str]) -> PoaSample {
    let today = Utc::now().date_naive();
    PoaSample {
        number: Uuid::new_v4().to_string(),
        issued_on: today - Duration::days(30),
        valid_until: today + Duration::days(365),
        org_inn: inn.to_owned(),
        org_ogrn: Some(ogrn.to_owned()),
        org_kpp: "770701001".to_owned(),
        representative: SamplePerson {
            snils: Some(snils.to_owned()),
            inn: None,
            ..PoaSample::default().representative
        },
        powers: powers.iter().map(|p| (*p).to_owned()).collect(),
        ..PoaSample::default()
    }
}

/// Every power Mezha checks.
pub(crate) const ALL_POWERS: [&str; 3] = [SIGN_DOCUMENTS, SIGN_STATEMENTS, SUBMIT_TO_REGISTRY];

fn path(org: Uuid) -> String {
    format!("/api/v1/organisations/{org}/powers-of-attorney")
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    org: Uuid,
    xml: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&path(org)))
        .bearer_auth(token)
        .header("content-type", "application/xml")
        .body(xml)
        .send()
        .await
        .unwrap()
}

async fn ok(resp: reqwest::Response, status: u16) -> PowerOfAttorney {
    let code = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn list(app: &TestApp, token: &str, org: Uuid) -> PowerOfAttorneyList {
    let resp = app.get(&path(org), Some(token)).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn sign(
    app: &TestApp,
    token: &str,
    org: Uuid,
    id: Uuid,
    body: &serde_json::Value,
) -> reqwest::Response {
    app.post(&format!("{}/{id}/signature", path(org)), body, Some(token))
        .await
}

pub(crate) async fn revoke(app: &TestApp, token: &str, org: Uuid, id: Uuid) -> reqwest::Response {
    app.post(
        &format!("{}/{id}/revoke", path(org)),
        &json!({"reason": "Сотрудник уволен"}),
        Some(token),
    )
    .await
}

/// The МЧД of `spec` uploaded by the admin and signed by the head (active,
/// unless its dates are past).
pub(crate) async fn issued(app: &TestApp, agency: &Agency, spec: &PoaSample) -> PowerOfAttorney {
    let head = &agency.head;
    let xml = power_of_attorney_xml(spec).into_bytes();
    let kept = ok(
        upload(app, &agency.admin, agency.org, xml.clone()).await,
        201,
    )
    .await;
    let signed = ok(
        sign(
            app,
            &agency.admin,
            agency.org,
            kept.id,
            &signature_of(&xml, head),
        )
        .await,
        200,
    )
    .await;
    assert!(signed.signed_at.is_some());
    signed
}

/// The admin keeps an МЧД: read and checked on upload (refusals keep
/// nothing), active only with the head's valid signature, readable by the
/// employees, revoked with a reason; every step in the audit log.
async fn the_admin_keeps_a_power_of_attorney_the_head_signed(backend: Backend) {
    let app = spawn_app(backend).await;
    let agency = agency_with_head(&app, 0).await;
    let (admin, org) = (&agency.admin, agency.org);
    let head = &agency.head;
    let (_, clerk) = crate::organisations::employee(
        &app,
        org,
        admin,
        "poa-clerk@example.ru",
        &["create_deals", "sign_on_behalf"],
    )
    .await;
    let op = crate::certificates::operator(&app, "poa-op@example.ru").await;
    let other = crate::orders::customer(&app, "poa-other@example.ru").await;
    let clerk_key = signer(&app, &other, &op, 9).await;
    let stranger = crate::orders::customer(&app, "poa-stranger@example.ru").await;
    let spec = sample(&agency, "112-233-445 95", &ALL_POWERS);
    let xml = power_of_attorney_xml(&spec).into_bytes();

    // Only the admin uploads; a stranger learns nothing.
    problem(
        upload(&app, &clerk, org, xml.clone()).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        upload(&app, &stranger.token, org, xml.clone()).await,
        404,
        "not_found",
    )
    .await;

    // What does not read as this organisation's МЧД is refused, kept nowhere.
    let other = PoaSample {
        org_inn: "7708004767".to_owned(),
        org_ogrn: Some("1027700035769".to_owned()),
        ..spec.clone()
    };
    let other = power_of_attorney_xml(&other).into_bytes();
    let p = problem(
        upload(&app, admin, org, other).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.errors.unwrap()["xml"][0].code, "poa_other_principal");
    let p = problem(
        upload(&app, admin, org, b"<not-closed>".to_vec()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.errors.unwrap()["xml"][0].code, "poa_malformed");
    let mut huge = xml.clone();
    huge.extend(std::iter::repeat_n(b' ', 1024 * 1024));
    problem(
        upload(&app, admin, org, huge).await,
        413,
        "payload_too_large",
    )
    .await;
    assert!(list(&app, admin, org).await.items.is_empty());

    // Kept: awaiting the head's signature, exactly the bytes sent.
    let kept = ok(upload(&app, admin, org, xml.clone()).await, 201).await;
    assert_eq!(kept.status.as_str(), "awaiting_signature");
    assert_eq!(kept.number.to_string(), spec.number);
    assert_eq!(kept.representative.snils.as_deref(), Some("11223344595"));
    let powers: Vec<&str> = kept.deal_powers.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        powers,
        ["sign_documents", "sign_statements", "submit_to_registry"]
    );
    let actions: Vec<&str> = kept.allowed_actions.iter().map(|a| a.as_str()).collect();
    assert_eq!(actions, ["sign", "revoke"]);
    let resp = app
        .get(&format!("{}/{}/xml", path(org), kept.id), Some(&clerk))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().to_vec(), xml);
    problem(upload(&app, admin, org, xml.clone()).await, 409, "conflict").await;

    // Signed by someone else, or over other bytes: refused, unchanged.
    problem(
        sign(&app, admin, org, kept.id, &signature_of(&xml, &clerk_key)).await,
        422,
        "signer_not_party",
    )
    .await;
    problem(
        sign(&app, admin, org, kept.id, &signature_of(b"<other/>", head)).await,
        422,
        "signature_refused",
    )
    .await;
    problem(
        sign(&app, &clerk, org, kept.id, &signature_of(&xml, head)).await,
        403,
        "forbidden",
    )
    .await;
    let seen = list(&app, &clerk, org).await.items;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].status.as_str(), "awaiting_signature");
    assert!(seen[0].allowed_actions.is_empty(), "the clerk only reads");

    // The head's signature: active; its signature downloadable.
    let active = ok(
        sign(&app, admin, org, kept.id, &signature_of(&xml, head)).await,
        200,
    )
    .await;
    assert_eq!(active.status.as_str(), "active");
    assert!(active.signed_by.is_some());
    problem(
        sign(&app, admin, org, kept.id, &signature_of(&xml, head)).await,
        409,
        "illegal_transition",
    )
    .await;
    let resp = app
        .get(
            &format!("{}/{}/signature", path(org), kept.id),
            Some(&clerk),
        )
        .await;
    assert_eq!(resp.status(), 200);

    // Revoked with a reason, once.
    let revoked = ok(revoke(&app, admin, org, kept.id).await, 200).await;
    assert_eq!(revoked.status.as_str(), "revoked");
    assert_eq!(revoked.revoke_reason.as_deref(), Some("Сотрудник уволен"));
    assert!(revoked.allowed_actions.is_empty());
    problem(
        revoke(&app, admin, org, kept.id).await,
        409,
        "illegal_transition",
    )
    .await;

    let resp = app
        .get(&format!("/api/v1/organisations/{org}/audit"), Some(admin))
        .await;
    let log: serde_json::Value = resp.json().await.unwrap();
    let kinds: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("poa_"))
        .collect();
    assert_eq!(kinds, ["poa_revoked", "poa_signed", "poa_uploaded"]);
}
on_both_backends!(the_admin_keeps_a_power_of_attorney_the_head_signed);

async fn deal(app: &TestApp, token: &str, id: Uuid) -> Deal {
    let resp = app.get(&format!("/api/v1/deals/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// The organisation's own signature of a deal's document: the employee's
/// personal certificate counts only under an МЧД naming him with the
/// power, in force today; the head signs without one.
async fn an_employee_signs_for_the_organisation_only_under_a_power_of_attorney(backend: Backend) {
    let app = spawn_app(backend).await;
    let draft = crate::deals::unsigned_draft(&app, 1, &[30_000, 20_000]).await;
    let (agency, employee, id) = (&draft.agency, &draft.employee, draft.deal);
    let (doc, bytes) = draft.documents[0].clone();
    let head = &agency.head;
    let url = format!("/api/v1/deals/{id}/documents/{doc}/signatures");
    let for_org = draft.own.signs(&bytes, Some(draft.org_participant));
    let refused = |expected: &'static str| {
        let (url, body) = (url.clone(), for_org.clone());
        let app = &app;
        async move {
            let p = problem(
                app.post(&url, &body, Some(employee)).await,
                422,
                "validation_failed",
            )
            .await;
            assert_eq!(p.errors.unwrap()["signature"][0].code, expected);
        }
    };
    let mine = |powers: &[&str]| sample(agency, crate::deals::EMPLOYEE_SNILS, powers);

    // None at all; one without the power to sign documents; one for
    // somebody else; an expired one.
    refused("poa_required").await;
    let statements_only = issued(&app, agency, &mine(&[SIGN_STATEMENTS])).await;
    refused("poa_power_missing").await;
    issued(&app, agency, &sample(agency, "123-456-789 64", &ALL_POWERS)).await;
    refused("poa_power_missing").await;
    ok(
        revoke(&app, &agency.admin, agency.org, statements_only.id).await,
        200,
    )
    .await;
    refused("poa_required").await;
    let today = Utc::now().date_naive();
    let expired = PoaSample {
        issued_on: today - Duration::days(400),
        valid_until: today - Duration::days(35),
        ..mine(&ALL_POWERS)
    };
    let expired = issued(&app, agency, &expired).await;
    assert_eq!(expired.status.as_str(), "expired");
    refused("poa_expired").await;
    let before = deal(&app, employee, id).await;
    assert!(
        before.documents[0].signatures.is_empty(),
        "nothing was kept"
    );

    // In force, with the power: accepted, and the signature names it.
    let good = issued(&app, agency, &mine(&ALL_POWERS)).await;
    let resp = app.post(&url, &for_org, Some(employee)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let after = deal(&app, employee, id).await;
    let sig = &after.documents[0].signatures[0];
    assert_eq!(sig.power_of_attorney_id, Some(good.id));

    // The head signs for his organisation without one.
    let (second, bytes) = draft.documents[1].clone();
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/documents/{second}/signatures"),
            &json!({
                "participant_id": draft.org_participant,
                "signature": signature_of(&bytes, head)["signature"],
            }),
            Some(&agency.admin),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let after = deal(&app, employee, id).await;
    let by_head = &after.documents[1].signatures[0];
    assert_eq!(by_head.power_of_attorney_id, None);
}
on_both_backends!(an_employee_signs_for_the_organisation_only_under_a_power_of_attorney);

/// A deal whose statements the employee signed under an МЧД is not sent
/// once it is revoked (409, the deal stays ready); sent while it is in
/// force, the package reaches the registry with it.
async fn a_revoked_power_of_attorney_stops_the_sending(backend: Backend) {
    let app = spawn_app(backend).await;
    let ready = crate::deals::ready_deal(&app, 2).await;
    let (admin, employee, id) = (&ready.admin, &ready.employee, ready.deal);
    let d = deal(&app, employee, id).await;
    let statement = d
        .documents
        .iter()
        .find(|x| x.kind.as_str() == "statement")
        .unwrap();
    let poa = statement
        .signatures
        .iter()
        .find(|s| s.participant_id.is_none())
        .and_then(|s| s.power_of_attorney_id)
        .expect("the employee's statement signature names his МЧД");
    ok(revoke(&app, admin, d.organisation_id, poa).await, 200).await;
    let p = problem(
        app.post(
            &format!("/api/v1/deals/{id}/send"),
            &json!({}),
            Some(employee),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert!(p.detail.unwrap_or_default().contains("revoked"));
    assert_eq!(deal(&app, employee, id).await.status.as_str(), "ready");
}
on_both_backends!(a_revoked_power_of_attorney_stops_the_sending);
