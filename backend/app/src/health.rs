//! Readiness: whether the database and the key-value store answer.

use crate::App;
use mezha_api_types::health::Health;

/// The state of each dependency; `status` is `ok` only when all answer.
pub async fn readiness(app: &App) -> Health {
    let database = match mezha_store::db::ping(&app.db).await {
        Ok(()) => "ok".to_owned(),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            "unavailable".to_owned()
        }
    };
    let session_store = match app.kv.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(err) => {
            tracing::warn!(error = %err, store = app.kv.kind(), "session store not ready");
            "unavailable".to_owned()
        }
    };
    let ready = database == "ok" && session_store == "ok";
    Health {
        status: if ready { "ok" } else { "unavailable" }.into(),
        database: Some(database),
        session_store: Some(session_store),
    }
}
