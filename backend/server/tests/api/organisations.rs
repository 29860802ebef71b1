//! Organisations (docs/organisations.md) through HTTP: the head registers
//! one and confirms it by signing the offer with his certificate; he
//! invites an employee by e-mail, who registers from the link with his
//! phone confirmed by an SMS code (or accepts with his account); the admin
//! activates him, grants rights and deactivates him, which ends his
//! sessions; everything lands in the audit log. Each refusal changes
//! nothing: wrong organisation (404), missing right (403), bad input (422),
//! a link used twice or expired (400).

use crate::contracts::{Signer, signature_of, signer};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{Party, as_role, customer};
use mezha_api_types::Role;
use mezha_api_types::organisations::{
    AuditLog, Invitation, InvitationAccepted, InvitationPreview, Member, MemberList, Offer,
    Organisation, OrganisationList,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) fn requisites() -> Value {
    json!({
        "full_name": "Общество с ограниченной ответственностью «Агентство недвижимости „Квартал“»",
        "short_name": "ООО «АН „Квартал“»",
        "inn": "7707083893",
        "kpp": "770701001",
        "ogrn": "1027700132195",
        "address": "г. Москва, ул. Тверская, д. 1",
        "head_name": "Сидоров Алексей Петрович",
        "head_position": "генерального директора",
    })
}

async fn register(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post("/api/v1/organisations", body, Some(token)).await
}

async fn organisation(app: &TestApp, token: &str, id: Uuid) -> Organisation {
    let resp = app
        .get(&format!("/api/v1/organisations/{id}"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn offer(app: &TestApp, token: &str, id: Uuid) -> Offer {
    let resp = app
        .get(&format!("/api/v1/organisations/{id}/offer"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn confirm(app: &TestApp, token: &str, id: Uuid, body: &Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/organisations/{id}/confirm"),
        body,
        Some(token),
    )
    .await
}

/// A confirmed organisation of `head` (who gets a certificate from the
/// platform CA run by operator `op`) and the head's token acting as
/// `org_admin`.
pub(crate) async fn confirmed(app: &TestApp, head: &Party, op: &str) -> (Organisation, String) {
    confirmed_with(app, head, op, &requisites()).await
}

/// Another legal entity than [`requisites`]'s (a bank).
pub(crate) fn bank() -> Value {
    json!({
        "full_name": "Акционерное общество «Банк»", "short_name": "АО «Банк»",
        "inn": "7736050003", "kpp": "773601001", "ogrn": "1027700070518",
        "address": "г. Москва", "head_name": "Банкиров Борис Борисович",
        "head_position": "председателя правления",
    })
}

/// A third legal entity (a notary office's company).
pub(crate) fn notary() -> Value {
    json!({
        "full_name": "Общество с ограниченной ответственностью «Нотариальный центр»",
        "short_name": "ООО «Нотариальный центр»",
        "inn": "7702070139", "kpp": "770201001", "ogrn": "1027739144597",
        "address": "г. Москва, ул. Мясницкая, д. 3", "head_name": "Нотариусов Николай Николаевич",
        "head_position": "директора",
    })
}

/// [`confirmed`] with these requisites.
pub(crate) async fn confirmed_with(
    app: &TestApp,
    head: &Party,
    op: &str,
    body: &Value,
) -> (Organisation, String) {
    let (org, admin, _) = confirmed_with_key(app, head, op, body).await;
    (org, admin)
}

/// [`confirmed_with`], and the key the head signed the offer with (his
/// certificate issued by the platform CA).
pub(crate) async fn confirmed_with_key(
    app: &TestApp,
    head: &Party,
    op: &str,
    body: &Value,
) -> (Organisation, String, Signer) {
    let resp = register(app, &head.token, body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let org: Organisation = resp.json().await.unwrap();
    let key: Signer = signer(app, head, op, 7).await;
    let text = offer(app, &head.token, org.id).await.text;
    let resp = confirm(
        app,
        &head.token,
        org.id,
        &signature_of(text.as_bytes(), &key),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let admin = as_role(app, &head.token, Role::OrgAdmin).await;
    (organisation(app, &admin, org.id).await, admin, key)
}

async fn head_registers_and_confirms_by_the_offer_signature(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-org@example.com").await;
    let head = customer(&app, "head@example.com").await;
    let stranger = customer(&app, "stranger@example.com").await;

    // Bad requisites: every bad field named, nothing registered.
    let mut bad = requisites();
    bad["inn"] = json!("7707083890");
    bad["kpp"] = json!("77070100");
    bad["ogrn"] = json!("304500116000157");
    let p = problem(
        register(&app, &head.token, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let errors = p.errors.unwrap();
    for field in ["inn", "kpp", "ogrn"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    let mine: OrganisationList = app
        .get("/api/v1/organisations", Some(&head.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.organisations.is_empty());

    let resp = register(&app, &head.token, &requisites()).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let org: Organisation = resp.json().await.unwrap();
    assert_eq!(org.status.as_str(), "unconfirmed");
    assert_eq!(org.my_role.as_str(), "admin");
    assert_eq!(
        org.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["sign_offer"]
    );
    // An unconfirmed organisation can do nothing else.
    let invite = app
        .post(
            &format!("/api/v1/organisations/{}/invitations", org.id),
            &json!({"email": "clerk@example.com"}),
            Some(&head.token),
        )
        .await;
    problem(invite, 409, "conflict").await;
    // Not a member: it does not exist for him.
    let resp = app
        .get(
            &format!("/api/v1/organisations/{}", org.id),
            Some(&stranger.token),
        )
        .await;
    problem(resp, 404, "not_found").await;
    let resp = confirm(&app, &stranger.token, org.id, &json!({"signature": "AA=="})).await;
    problem(resp, 404, "not_found").await;

    let offer = offer(&app, &head.token, org.id).await;
    assert!(offer.text.contains("ИНН 7707083893"), "{}", offer.text);
    let head_key = signer(&app, &head, &op, 7).await;
    let stranger_key = signer(&app, &stranger, &op, 9).await;

    // A signature of other bytes, and one by somebody else: refused with
    // the report, nothing changes.
    let other = signature_of(b"another text", &head_key);
    let p = problem(
        confirm(&app, &head.token, org.id, &other).await,
        422,
        "signature_refused",
    )
    .await;
    assert!(p.report.is_some());
    let by_stranger = signature_of(offer.text.as_bytes(), &stranger_key);
    let p = problem(
        confirm(&app, &head.token, org.id, &by_stranger).await,
        422,
        "signer_not_party",
    )
    .await;
    assert_eq!(p.report.unwrap().indication.as_str(), "TOTAL_PASSED");
    assert_eq!(
        organisation(&app, &head.token, org.id)
            .await
            .status
            .as_str(),
        "unconfirmed"
    );

    // The head's own: confirmed, and he is `org_admin`.
    let good = signature_of(offer.text.as_bytes(), &head_key);
    let resp = confirm(&app, &head.token, org.id, &good).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let confirmed: Organisation = resp.json().await.unwrap();
    assert_eq!(confirmed.status.as_str(), "confirmed");
    assert!(confirmed.confirmed_at.is_some());
    problem(
        confirm(&app, &head.token, org.id, &good).await,
        409,
        "conflict",
    )
    .await;
    let admin = as_role(&app, &head.token, Role::OrgAdmin).await;
    let seen = organisation(&app, &admin, org.id).await;
    assert_eq!(
        seen.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        [
            "invite",
            "manage_members",
            "edit_settings",
            "view_audit",
            "manage_clients"
        ]
    );
    assert_eq!(seen.my_rights.len(), 6);
    // Inside a confirmed organisation one acts as its admin: a session
    // acting as customer may look at it but not manage it.
    let as_customer = app.login("head@example.com", "correct horse battery").await;
    assert_eq!(as_customer.acting_role, Role::Customer);
    assert_eq!(
        organisation(&app, &as_customer.access_token, org.id)
            .await
            .id,
        org.id
    );
    let resp = app
        .get(
            &format!("/api/v1/organisations/{}/members", org.id),
            Some(&as_customer.access_token),
        )
        .await;
    problem(resp, 403, "forbidden").await;

    // Settings, with their audit entry.
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/organisations/{}/settings", org.id)))
        .bearer_auth(&admin)
        .json(&json!({"auto_pay_state_fee": true, "notify_employees_by_email": true, "notify_employees_by_sms": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let changed: Organisation = resp.json().await.unwrap();
    assert!(changed.settings.auto_pay_state_fee);

    // A second organisation with the same INN cannot be confirmed.
    let other_head = customer(&app, "other-head@example.com").await;
    let resp = register(&app, &other_head.token, &requisites()).await;
    assert_eq!(resp.status(), 201);
    let twin: Organisation = resp.json().await.unwrap();
    let twin_key = signer(&app, &other_head, &op, 11).await;
    let twin_offer = crate::organisations::offer(&app, &other_head.token, twin.id).await;
    let resp = confirm(
        &app,
        &other_head.token,
        twin.id,
        &signature_of(twin_offer.text.as_bytes(), &twin_key),
    )
    .await;
    problem(resp, 409, "conflict").await;
}

async fn invite(app: &TestApp, admin: &str, org: Uuid, email: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/organisations/{org}/invitations"),
        &json!({"email": email}),
        Some(admin),
    )
    .await
}

async fn member_step(
    app: &TestApp,
    admin: &str,
    org: Uuid,
    user: Uuid,
    step: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/organisations/{org}/members/{user}/{step}"),
        &json!({}),
        Some(admin),
    )
    .await
}

async fn set_rights(
    app: &TestApp,
    admin: &str,
    org: Uuid,
    user: Uuid,
    rights: Value,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!(
            "/api/v1/organisations/{org}/members/{user}/rights"
        )))
        .bearer_auth(admin)
        .json(&json!({"rights": rights}))
        .send()
        .await
        .unwrap()
}

async fn an_invited_employee_registers_is_activated_granted_and_deactivated(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-inv@example.com").await;
    let head = customer(&app, "boss@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let email = "clerk@example.com";
    let phone = "+79161234567";

    problem(
        invite(&app, &admin, org.id, "not an address").await,
        422,
        "validation_failed",
    )
    .await;
    let resp = invite(&app, &admin, org.id, email).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invitation: Invitation = resp.json().await.unwrap();
    assert_eq!(invitation.status.as_str(), "pending");
    let token = app.link_token(email).await;

    let resp = app
        .post(
            "/api/v1/invitations/preview",
            &json!({"token": token}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let preview: InvitationPreview = resp.json().await.unwrap();
    assert_eq!(preview.organisation, "ООО «АН „Квартал“»");
    assert_eq!(preview.address, "г. Москва, ул. Тверская, д. 1");
    assert!(!preview.account_exists);
    problem(
        app.post(
            "/api/v1/invitations/preview",
            &json!({"token": "nonsense"}),
            None,
        )
        .await,
        400,
        "invalid_token",
    )
    .await;

    let resp = app
        .post(
            "/api/v1/invitations/phone-code",
            &json!({"token": token, "phone": phone}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202, "{}", resp.text().await.unwrap());
    let code = app.sms_code(phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let body = |code: &str| {
        json!({"token": token, "full_name": "Клеркова Мария Ивановна",
               "password": "correct horse battery", "phone": phone, "code": code})
    };
    // Missing fields are named; a wrong code registers nobody.
    let p = problem(
        app.post("/api/v1/invitations/accept", &json!({"token": token}), None)
            .await,
        422,
        "validation_failed",
    )
    .await;
    let errors = p.errors.unwrap();
    for field in ["full_name", "password", "phone", "code"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    problem(
        app.post("/api/v1/invitations/accept", &body(wrong), None)
            .await,
        401,
        "invalid_otp",
    )
    .await;
    let resp = app
        .post("/api/v1/invitations/accept", &body(&code), None)
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let accepted: InvitationAccepted = resp.json().await.unwrap();
    assert_eq!(accepted.status.as_str(), "pending");
    // The link works once.
    problem(
        app.post("/api/v1/invitations/accept", &body(&code), None)
            .await,
        400,
        "invalid_token",
    )
    .await;

    let clerk = app.login(email, "correct horse battery").await;
    assert_eq!(clerk.roles, [Role::Customer]);
    // Pending: he sees whom he waits for, and nothing of it yet.
    let resp = app
        .get(
            &format!("/api/v1/organisations/{}", org.id),
            Some(&clerk.access_token),
        )
        .await;
    problem(resp, 403, "forbidden").await;
    let mine: OrganisationList = app
        .get("/api/v1/organisations", Some(&clerk.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.organisations.len(), 1);
    assert_eq!(mine.organisations[0].my_status.as_str(), "pending");
    assert!(mine.organisations[0].allowed_actions.is_empty());

    let members: MemberList = app
        .get(
            &format!("/api/v1/organisations/{}/members", org.id),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members.items.len(), 2);
    let pending = &members.items[1];
    assert_eq!(pending.user_id, accepted.user_id);
    assert_eq!(pending.phone.as_deref(), Some(phone));
    assert_eq!(
        pending
            .allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["activate", "deactivate", "set_rights"]
    );
    assert!(
        members.items[0].allowed_actions.is_empty(),
        "nothing on the admin himself"
    );

    // Only the admin manages members; the employee cannot.
    let resp = member_step(&app, &admin, org.id, accepted.user_id, "activate").await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    problem(
        member_step(&app, &admin, org.id, accepted.user_id, "activate").await,
        409,
        "illegal_transition",
    )
    .await;
    let clerk = app.login(email, "correct horse battery").await;
    assert!(clerk.roles.contains(&Role::OrgEmployee));
    let employee = as_role(&app, &clerk.access_token, Role::OrgEmployee).await;
    let seen = organisation(&app, &employee, org.id).await;
    assert!(seen.my_rights.is_empty());
    assert!(seen.allowed_actions.is_empty());
    problem(
        app.get(
            &format!("/api/v1/organisations/{}/members", org.id),
            Some(&employee),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        set_rights(
            &app,
            &employee,
            org.id,
            accepted.user_id,
            json!(["ca_agent"]),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        set_rights(
            &app,
            &admin,
            org.id,
            accepted.user_id,
            json!(["no_such_right"]),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;

    let resp = set_rights(
        &app,
        &admin,
        org.id,
        accepted.user_id,
        json!(["manage_clients", "create_deals", "manage_clients"]),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let granted: Member = resp.json().await.unwrap();
    assert_eq!(
        granted
            .rights
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        ["create_deals", "manage_clients"]
    );
    // The next request sees the new rights.
    let seen = organisation(&app, &employee, org.id).await;
    assert_eq!(
        seen.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["manage_clients"]
    );

    // Deactivation ends his sessions at once, on every replica, and keeps
    // his history.
    let replica = match backend {
        Backend::Services => Some(app.replica().await),
        Backend::Embedded => None,
    };
    if let Some(replica) = &replica {
        let resp = replica.get("/api/v1/me", Some(&employee)).await;
        assert_eq!(resp.status(), 200, "the replica knows his session");
    }
    let resp = member_step(&app, &admin, org.id, accepted.user_id, "deactivate").await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = app.get("/api/v1/me", Some(&employee)).await;
    problem(resp, 401, "session_revoked").await;
    if let Some(replica) = &replica {
        let resp = replica.get("/api/v1/me", Some(&employee)).await;
        problem(resp, 401, "session_revoked").await;
    }
    let clerk = app.login(email, "correct horse battery").await;
    assert!(!clerk.roles.contains(&Role::OrgEmployee));
    problem(
        app.get(
            &format!("/api/v1/organisations/{}", org.id),
            Some(&clerk.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // The audit log: who, when, what — newest first.
    let log: AuditLog = app
        .get(
            &format!("/api/v1/organisations/{}/audit", org.id),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut kinds: Vec<&str> = log.items.iter().map(|e| e.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "activated",
            "confirmed",
            "deactivated",
            "invited",
            "joined",
            "registered",
            "rights_changed"
        ]
    );
    let rights = log
        .items
        .iter()
        .find(|e| e.kind.as_str() == "rights_changed")
        .unwrap();
    assert_eq!(rights.actor_id, Some(head.id));
    assert_eq!(
        rights.subject_name.as_deref(),
        Some("Клеркова Мария Ивановна")
    );
    assert_eq!(
        rights.details["after"],
        json!(["create_deals", "manage_clients"])
    );
    problem(
        app.get(
            &format!("/api/v1/organisations/{}/audit", org.id),
            Some(&clerk.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

async fn an_existing_account_accepts_and_an_expired_link_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-acc@example.com").await;
    let head = customer(&app, "chief@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let known = customer(&app, "known@example.com").await;
    let other = customer(&app, "other@example.com").await;

    assert_eq!(
        invite(&app, &admin, org.id, "known@example.com")
            .await
            .status(),
        201
    );
    let token = app.link_token("known@example.com").await;
    let preview: InvitationPreview = app
        .post(
            "/api/v1/invitations/preview",
            &json!({"token": token}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(preview.account_exists);
    // Without a session the address's account must log in first.
    problem(
        app.post(
            "/api/v1/invitations/accept",
            &json!({"token": token, "full_name": "Кто-то", "password": "correct horse battery",
                    "phone": "+79160000001", "code": "123456"}),
            None,
        )
        .await,
        409,
        "email_taken",
    )
    .await;
    // Another account cannot take it.
    problem(
        app.post(
            "/api/v1/invitations/accept",
            &json!({"token": token}),
            Some(&other.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/invitations/accept",
            &json!({"token": token}),
            Some(&known.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let accepted: InvitationAccepted = resp.json().await.unwrap();
    assert_eq!(accepted.user_id, known.id);

    // An expired link works no more.
    assert_eq!(
        invite(&app, &admin, org.id, "late@example.com")
            .await
            .status(),
        201
    );
    let late = app.link_token("late@example.com").await;
    let db = app.db().await;
    use mezha_store::entities::org_invitations;
    org_invitations::Entity::update_many()
        .col_expr(
            org_invitations::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(org_invitations::Column::Email.eq("late@example.com"))
        .exec(&db)
        .await
        .unwrap();
    db.close().await.ok();
    problem(
        app.post("/api/v1/invitations/preview", &json!({"token": late}), None)
            .await,
        400,
        "invalid_token",
    )
    .await;
    let invitations: Value = app
        .get(
            &format!("/api/v1/organisations/{}/invitations", org.id),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = invitations["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["expired", "accepted"]);

    // Another organisation's admin sees nothing of this one.
    let rival = customer(&app, "rival@example.com").await;
    let resp = register(&app, &rival.token, &bank()).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    for path in ["", "/members", "/audit", "/invitations", "/offer"] {
        let resp = app
            .get(
                &format!("/api/v1/organisations/{}{path}", org.id),
                Some(&rival.token),
            )
            .await;
        problem(resp, 404, "not_found").await;
    }
}

on_both_backends!(
    head_registers_and_confirms_by_the_offer_signature,
    an_invited_employee_registers_is_activated_granted_and_deactivated,
    an_existing_account_accepts_and_an_expired_link_is_refused,
);

/// An active employee of `org` with `rights`, registered under `email`
/// (he accepts the invitation with his new account); his token acting as
/// `org_employee`.
pub(crate) async fn employee(
    app: &TestApp,
    org: Uuid,
    admin: &str,
    email: &str,
    rights: &[&str],
) -> (Uuid, String) {
    let person = customer(app, email).await;
    let resp = invite(app, admin, org, email).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    // His newest link is the invitation (the confirmation came first).
    let token = app.nth_link_token(email, 2).await;
    let resp = app
        .post(
            "/api/v1/invitations/accept",
            &json!({"token": token}),
            Some(&person.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = member_step(app, admin, org, person.id, "activate").await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = set_rights(app, admin, org, person.id, json!(rights)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let tokens = app.login(email, "correct horse battery").await;
    (
        person.id,
        as_role(app, &tokens.access_token, Role::OrgEmployee).await,
    )
}
