//! Readiness (whether the database, the key-value store and the file
//! storage answer) and the job queues' metrics.

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
    let file_storage = match app.storage.check().await {
        Ok(()) => "ok".to_owned(),
        Err(err) => {
            tracing::warn!(error = %err, storage = %app.storage.describe(), "file storage not ready");
            "unavailable".to_owned()
        }
    };
    let ready = database == "ok" && session_store == "ok" && file_storage == "ok";
    Health {
        status: if ready { "ok" } else { "unavailable" }.into(),
        database: Some(database),
        session_store: Some(session_store),
        file_storage: Some(file_storage),
    }
}

/// One job queue's state: its rows in the database (every process's work)
/// and what this process's workers did since it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMetrics {
    /// The queue's name.
    pub queue: &'static str,
    /// Its rows in each state.
    pub rows: mezha_store::queue::QueueStats,
    /// This process's outcomes.
    pub outcomes: crate::jobs::JobCounts,
}

/// The state of every job queue, for `GET /metrics`.
pub async fn queues(app: &App) -> crate::AppResult<Vec<QueueMetrics>> {
    let outcomes = app.job_metrics.snapshot();
    Ok(mezha_store::queue::all_stats(&app.db, app.clock.now())
        .await?
        .into_iter()
        .map(|(queue, rows)| QueueMetrics {
            queue,
            rows,
            outcomes: outcomes.get(queue).copied().unwrap_or_default(),
        })
        .collect())
}
