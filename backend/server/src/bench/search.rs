//! The order search under load: `GET /api/v1/orders/search` on the real
//! server against a fresh PostgreSQL database of many orders, driven by a
//! real HTTP load generator, next to the same SQL run directly against
//! PostgreSQL by as many concurrent clients; prints both, their ratio and
//! whether the goals are met (p99 < 50 ms at 32 clients; the endpoint at
//! ≥ 50% of the raw SQL's throughput).

mod queries;
mod report;

use super::cpu::{self, Spent};
use super::load::{self, Figures, Target};
use super::seed;
use super::{BenchOptions, Generator};
use crate::config::Config;
use crate::startup::{self, Application};
use anyhow::Context;
use mezha_app::clock::SystemClock;
use mezha_store::Kv;
use queries::{
    Query, SECOND_PAGES, endpoint_page, first_pages, ids, log_in, rare_address, raw_cursor,
    statement, url,
};
use report::{Side, report};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use secrecy::SecretString;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Page size (the endpoint's default).
const LIMIT: u64 = 20;
/// Goal: p99 latency at `GOAL_CLIENTS` concurrent clients.
const GOAL_P99: Duration = Duration::from_millis(50);
const GOAL_CLIENTS: usize = 32;
/// Goal: the endpoint's throughput as a share of the raw SQL's.
const GOAL_RATIO: f64 = 0.5;
const WARMUP: Duration = Duration::from_secs(3);
/// Sequential runs of each query for the one-client-at-a-time figures.
const SEQUENTIAL_RUNS: usize = 25;
/// The same for the rare address text, which is slow.
const RARE_RUNS: usize = 5;

fn admin_url() -> String {
    std::env::var("MEZHA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn redis_url() -> String {
    std::env::var("MEZHA_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let (base, _) = url
        .rsplit_once('/')
        .context("the PostgreSQL URL has no database path")?;
    Ok(format!("{base}/{name}"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Seeds a fresh database, runs both load phases, prints the figures, and
/// drops the database and the Redis keys whatever happened (also on Ctrl-C).
pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let admin_url = admin_url();
    let admin = mezha_store::db::connect(&admin_url, 1)
        .await
        .with_context(|| {
            format!(
                "PostgreSQL at {admin_url} is unreachable (`make services` starts it; \
                 MEZHA_TEST_DATABASE_URL points elsewhere)"
            )
        })?;
    drop_abandoned(&admin, &admin_url).await;
    let name = format!(
        "mezha_bench_{}_{}",
        std::process::id(),
        &Uuid::new_v4().simple().to_string()[..8]
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .with_context(|| format!("creating database {name}"))?;
    let scratch = std::env::temp_dir().join(&name);
    let prefix = format!("mezha-bench:{name}:");
    let outcome = tokio::select! {
        outcome = measure(config, options, &admin_url, &name, &scratch, &prefix) => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    if let Ok(kv) = Kv::redis(&redis_url(), prefix.clone()).await {
        kv.purge_prefix().await.ok();
    }
    let dropped = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    std::fs::remove_dir_all(&scratch).ok();
    admin.close().await.ok();
    outcome?;
    dropped.with_context(|| format!("dropping database {name}"))?;
    println!("search: dropped database {name}");
    Ok(())
}

/// Drops `mezha_bench_<pid>_…` databases of benchmark processes that are
/// gone (killed before they could clean up); only for a local server,
/// where the process ids mean something.
async fn drop_abandoned(admin: &DatabaseConnection, url: &str) {
    if !(url.contains("@127.0.0.1") || url.contains("@localhost")) {
        return;
    }
    let Ok(rows) = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            r"SELECT datname FROM pg_database WHERE datname LIKE 'mezha\_bench\_%'",
        ))
        .await
    else {
        return;
    };
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name
            .strip_prefix("mezha_bench_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let dropped = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            if dropped.is_ok() {
                println!("search: dropped {name}, left behind by an interrupted run");
            }
        }
    }
}

/// The in-process server's configuration: the caller's (workers, password
/// cost, web app…; the pool is `--server-pool`) on the benchmark's database, Redis when
/// it answers, keys and files in a scratch directory.
async fn server_config(
    config: &Config,
    database_url: String,
    scratch: &Path,
    prefix: &str,
) -> (Config, &'static str) {
    let mut server = config.clone();
    server.database_url = Some(SecretString::from(database_url));
    server.data_dir = scratch.to_path_buf();
    server.jwt.keys_dir = None;
    server.jwt.generate_keys = true;
    server.dev_outbox = false;
    server.mail_transport = "outbox".into();
    server.sro_feed_url = None;
    server.redis_prefix = prefix.to_owned();
    let redis = redis_url();
    let reachable = match Kv::redis(&redis, prefix.to_owned()).await {
        Ok(kv) => kv.ping().await.is_ok(),
        Err(_) => false,
    };
    if reachable {
        server.redis_url = Some(SecretString::from(redis));
        (server, "Redis")
    } else {
        server.redis_url = None;
        (server, "process memory (Redis unreachable)")
    }
}

async fn measure(
    config: &Config,
    options: &BenchOptions,
    admin_url: &str,
    name: &str,
    scratch: &Path,
    prefix: &str,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let database_url = with_database(admin_url, name)?;
    let db = mezha_store::db::connect(&database_url, 4).await?;
    mezha_store::db::migrate(&db).await?;
    println!(
        "search: seeding {} orders into database {name} …",
        options.orders
    );
    let seeded = seed::seed(&db, &startup::hasher(config)?, options.orders).await?;
    println!(
        "search: {} orders ({} waiting for an executor) seeded and analysed in {:.1} s",
        seeded.orders, seeded.published, seeded.seconds
    );

    let (mut server_config, sessions) =
        server_config(config, database_url.clone(), scratch, prefix).await;
    server_config.db_max_connections = options
        .server_pool
        .unwrap_or_else(|| u32::try_from(options.clients).unwrap_or(u32::MAX));
    let state = startup::state(&server_config, Arc::new(SystemClock)).await?;
    let app = Application::serve(state, "127.0.0.1:0", server_config.workers)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().build()?;
    let token = log_in(&client, &base).await?;
    let search = format!("{base}/api/v1/orders/search");
    let workers = server_config.workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(2)
    });
    println!(
        "search: server in process at {base}: {workers} HTTP workers, database pool of {}, \
         sessions in {sessions}; logged in as an engineer",
        server_config.db_max_connections
    );

    // The mix: first pages, then second pages through both sides' cursors;
    // each checked to return the same rows over HTTP and as raw SQL.
    let mut queries = first_pages();
    for i in SECOND_PAGES {
        let first = &queries[i];
        let rows = db.query_all_raw(statement(&first.filter, None)).await?;
        let (_, next) = endpoint_page(&client, &url(&search, first)?, &token).await?;
        let http_cursor = next.context("the first page has no next_cursor")?;
        let cursor = raw_cursor(&rows, first.filter.by_urgency)?;
        queries.push(Query {
            name: format!("{}, page 2", first.name),
            filter: first.filter.clone(),
            params: first.params.clone(),
            cursor: Some((http_cursor, cursor)),
        });
    }
    let urls = queries
        .iter()
        .map(|q| url(&search, q))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let statements: Vec<Statement> = queries
        .iter()
        .map(|q| statement(&q.filter, q.cursor.as_ref().map(|(_, c)| *c)))
        .collect();

    println!();
    println!(
        "{:<44} {:>5} {:>6} {:>13} {:>10}",
        "query (one client at a time)", "rows", "same", "endpoint p50", "SQL p50"
    );
    // A rare address text, one client at a time only: no index serves
    // `LIKE '%…%'`, so a term few orders contain reads the whole table.
    let rare = rare_address();
    let rare_url = url(&search, &rare)?;
    let rare_statement = statement(&rare.filter, None);

    let mut all_same = true;
    let table = queries
        .iter()
        .zip(&urls)
        .zip(&statements)
        .map(|((q, u), s)| (q, u, s, SEQUENTIAL_RUNS))
        .chain([(&rare, &rare_url, &rare_statement, RARE_RUNS)]);
    for (query, url, stmt, runs) in table {
        let (http_ids, _) = endpoint_page(&client, url, &token).await?;
        let raw_ids = ids(&db.query_all_raw(stmt.clone()).await?)?;
        let same = http_ids == raw_ids;
        all_same &= same;
        let mut http = Vec::with_capacity(runs);
        let mut raw = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            endpoint_page(&client, url, &token).await?;
            http.push(started.elapsed());
            let started = Instant::now();
            db.query_all_raw(stmt.clone()).await?;
            raw.push(started.elapsed());
        }
        http.sort_unstable();
        raw.sort_unstable();
        println!(
            "{:<44} {:>5} {:>6} {:>13} {:>10}",
            query.name,
            http_ids.len(),
            if same { "yes" } else { "NO" },
            ms(load::quantile(&http, 0.5)),
            ms(load::quantile(&raw, 0.5)),
        );
    }
    if !all_same {
        println!("search: WARNING: the endpoint and the raw SQL disagree on some pages");
    }

    // The region's index with the keyset condition (the last query of the
    // mix: page 2 of «region, most urgent»), and the address text, common
    // and rare, which no index serves.
    let explained = [
        (
            &queries[queries.len() - 1],
            &statements[statements.len() - 1],
        ),
        (&queries[4], &statements[4]),
        (&rare, &rare_statement),
    ];
    for (query, stmt) in explained {
        println!();
        println!("EXPLAIN «{}»:", query.name);
        let sql = format!("EXPLAIN {stmt}");
        for row in db
            .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?
        {
            println!("  {}", row.try_get::<String>("", "QUERY PLAN")?);
        }
    }

    let clients = options.clients;
    let measure = Duration::from_secs(options.seconds);
    // Always sent: oha asks for compressed answers by default.
    let headers = vec![
        ("authorization".to_owned(), format!("Bearer {token}")),
        (
            "accept-encoding".to_owned(),
            options.accept_encoding.clone(),
        ),
    ];
    let oha = match options.load_generator {
        Generator::Builtin => None,
        Generator::Auto => load::find_oha(),
        Generator::Oha => Some(load::find_oha().context(
            "oha is not installed (`cargo install oha --locked`, or --load-generator builtin)",
        )?),
    };
    println!();
    println!(
        "search: {clients} concurrent clients, {} s each after a {} s warm-up, {} queries in the mix …",
        options.seconds,
        WARMUP.as_secs(),
        queries.len()
    );
    let (http, http_spent, http_label) = match &oha {
        Some((bin, version)) => {
            let file = scratch.join("urls.txt");
            std::fs::write(&file, urls.join("\n") + "\n")?;
            load::oha(bin, &file, clients, WARMUP.as_secs(), &headers).await?;
            let before = cpu::snapshot(&db, name).await;
            let figures = load::oha(bin, &file, clients, options.seconds, &headers).await?;
            let spent = before.until(&cpu::snapshot(&db, name).await);
            (figures, spent, format!("endpoint ({version})"))
        }
        None => {
            if options.load_generator == Generator::Auto {
                println!(
                    "search: oha is not installed; the endpoint is driven by the built-in \
                     load generator (reqwest, keep-alive)"
                );
            }
            let target = Target::Http {
                urls: urls.clone(),
                headers: headers.clone(),
            };
            let (figures, spent) = closed_loop(&db, name, target, clients, measure).await?;
            (figures, spent, "endpoint (built-in generator)".to_owned())
        }
    };
    let target = Target::Sql {
        url: database_url.clone(),
        statements: statements.clone(),
    };
    let (raw, raw_spent) = closed_loop(&db, name, target, clients, measure).await?;
    db.close().await.ok();

    report(
        &Side {
            label: http_label,
            figures: http,
            spent: http_spent,
            own: if oha.is_some() {
                "server"
            } else {
                "server + generator"
            },
        },
        &Side {
            label: format!("raw SQL (sea-orm/sqlx, {clients} connections)"),
            figures: raw,
            spent: raw_spent,
            own: "client",
        },
        clients,
        options,
    );
    Ok(())
}

/// A built-in closed loop, with the CPU spent in its measured window.
async fn closed_loop(
    db: &DatabaseConnection,
    name: &str,
    target: Target,
    clients: usize,
    measure: Duration,
) -> anyhow::Result<(Figures, Spent)> {
    let (marks, mut marked) = tokio::sync::mpsc::channel(2);
    let run = load::closed_loop(target, clients, WARMUP, measure, marks);
    let watch = async {
        marked.recv().await?;
        let before = cpu::snapshot(db, name).await;
        marked.recv().await?;
        Some(before.until(&cpu::snapshot(db, name).await))
    };
    let (figures, spent) = tokio::join!(run, watch);
    Ok((figures?, spent.unwrap_or_default()))
}
