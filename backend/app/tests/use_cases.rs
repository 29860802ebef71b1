//! Use cases called directly, without HTTP: an `App` on SQLite and the
//! in-process stores, each use case given its feature's dependency set
//! (`app.accounts()`, `app.core()`), an `Actor` made by hand. These are the examples of
//! testing the application layer on its own; the HTTP suite
//! (`backend/server/tests/api`) covers the same stories end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mezha_api_types::orders::NewOrder;
use mezha_api_types::{ErrorCode, Role};
use mezha_app::clock::ManualClock;
use mezha_app::messaging::Outbox;
use mezha_app::passwords::{HashCost, PasswordHasher};
use mezha_app::tokens::{jwt::JwtKeys, keys};
use mezha_app::{Actor, App, AppError, ClientInfo, Core, Settings, accounts, orders};
use mezha_store::Kv;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// An application on a fresh SQLite file in `dir`.
async fn app(dir: &tempfile::TempDir) -> App {
    let url = format!("sqlite://{}", dir.path().join("mezha.db").display());
    let db = mezha_store::db::connect(&url, 4).await.unwrap();
    mezha_store::db::migrate(&db).await.unwrap();
    let pairs = keys::load_dir(&dir.path().join("keys"), true).unwrap();
    let jwt = JwtKeys::new(&pairs, Duration::from_secs(900)).unwrap();
    // The cheapest argon2 the library accepts: these tests are not about hashing.
    let cost = HashCost {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let hasher = PasswordHasher::new(cost, 2).unwrap();
    let clock = Arc::new(ManualClock::default());
    let outbox = Arc::new(Outbox::new(db.clone(), clock.clone()));
    let settings = Settings {
        files_dir: dir.path().join("files"),
        ..Settings::default()
    };
    App::new(
        db,
        Kv::memory(),
        jwt,
        hasher,
        outbox.clone(),
        outbox,
        clock,
        settings,
    )
}

/// A registered account acting as `role` (granted first when not held).
async fn actor(app: &App, email: &str, role: Role) -> Actor {
    let client = ClientInfo::default();
    let request = mezha_api_types::auth::RegisterRequest {
        email: email.to_owned(),
        password: "correct horse battery".to_owned(),
        full_name: None,
    };
    let accounts::Registered::New(user) = accounts::register(&app.accounts(), &client, &request)
        .await
        .unwrap()
    else {
        panic!("{email} was taken");
    };
    if !user.roles.contains(&role) {
        mezha_store::users::grant_role(&app.db, user.id, role, app.clock.now())
            .await
            .unwrap();
    }
    Actor {
        user_id: user.id,
        session_id: Uuid::now_v7(),
        role,
    }
}

fn code(err: AppError) -> ErrorCode {
    err.code()
}

#[tokio::test]
async fn a_profile_is_read_and_changed_with_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let me = actor(&app, "anna@example.ru", Role::Customer).await;

    let profile = accounts::me(&app.accounts(), &me).await.unwrap();
    assert_eq!(profile.email, "anna@example.ru");
    assert!(!profile.email_confirmed);
    assert_eq!(profile.acting_role, Role::Customer);

    let patch = serde_json::from_value(serde_json::json!({"full_name": "Анна Петрова"})).unwrap();
    let changed = accounts::update_me(&app.accounts(), &me, Some(profile.version), patch)
        .await
        .unwrap();
    assert_eq!(changed.full_name.as_deref(), Some("Анна Петрова"));
    assert!(changed.version > profile.version);

    // The version read before the change is stale now.
    let patch = serde_json::from_value(serde_json::json!({"full_name": "Анна"})).unwrap();
    let stale = accounts::update_me(&app.accounts(), &me, Some(profile.version), patch).await;
    assert_eq!(code(stale.unwrap_err()), ErrorCode::PreconditionFailed);
}

#[tokio::test]
async fn an_order_draft_is_its_customers_alone_until_published_whole() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let customer = actor(&app, "customer@example.ru", Role::Customer).await;
    let other = actor(&app, "other@example.ru", Role::Customer).await;
    let engineer = actor(&app, "engineer@example.ru", Role::Engineer).await;

    let draft: NewOrder =
        serde_json::from_value(serde_json::json!({"title": "Межевание участка"})).unwrap();
    // Only a customer creates orders.
    let refused = orders::create(&app.core(), &engineer, draft.clone()).await;
    assert_eq!(code(refused.unwrap_err()), ErrorCode::Forbidden);

    let order = orders::create(&app.core(), &customer, draft).await.unwrap();
    assert_eq!(order.title, "Межевание участка");
    assert!(!order.allowed_actions.is_empty());

    // Another customer does not learn that the draft exists.
    let hidden = orders::load(&app.core(), &other, order.id).await;
    assert_eq!(code(hidden.unwrap_err()), ErrorCode::NotFound);

    // Publishing needs the work types, region, address and deadline.
    let AppError::Problem(problem) = orders::publish(&app.core(), &customer, order.id)
        .await
        .unwrap_err()
    else {
        panic!("publishing an incomplete draft must be a problem, not an internal error");
    };
    assert_eq!(problem.code, ErrorCode::ValidationFailed);
    let fields = problem.errors.unwrap();
    for field in ["work_types", "region_code", "address"] {
        assert!(
            fields.contains_key(field),
            "{field} missing from {fields:?}"
        );
    }
}

/// A feature is wired with its own dependency set alone: reference data runs
/// on a `Core` (database, clock, settings, file storage) with no key-value store, mailer,
/// SMS, hasher or CA built at all.
#[tokio::test]
async fn a_feature_runs_on_its_own_dependency_set() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("mezha.db").display());
    let db = mezha_store::db::connect(&url, 2).await.unwrap();
    mezha_store::db::migrate(&db).await.unwrap();
    let core = Core {
        db,
        clock: Arc::new(ManualClock::default()),
        settings: Arc::new(Settings::default()),
        storage: mezha_store::storage::Storage::local(dir.path().join("files")),
    };
    let data = mezha_app::reference::load(&core).await.unwrap();
    assert!(data.regions.iter().any(|r| r.code == "77"));
    assert!(!data.work_types.is_empty());
}
