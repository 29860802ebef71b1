//! `mezha`: the Mezha server and its administrative commands.

use anyhow::Context;
use clap::{Parser, Subcommand};
use mezha_domain::Role;
use mezha_server::config::Config;
use mezha_server::startup::{self, Application};
use mezha_server::telemetry;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the C library's allocator: a request allocates and
/// frees many small buffers (rows, JSON, gzip), which glibc's malloc turned
/// into ~10% of the server's CPU under load (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "mezha",
    version,
    about = "Mezha: cadastral works and electronic real-estate transactions"
)]
struct Cli {
    /// TOML configuration file (also `MEZHA_CONFIG`).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The SRO registry.
    Sro {
        #[command(subcommand)]
        command: SroCommand,
    },
    /// The file storage (docs/storage.md).
    Storage {
        #[command(subcommand)]
        command: StorageCommand,
    },
    /// Measure password hashing, token signing and the session store, and the
    /// order search under concurrent load against raw SQL (needs PostgreSQL).
    Bench(mezha_server::bench::BenchOptions),
}

#[derive(Subcommand)]
enum StorageCommand {
    /// Copy every stored file to another storage, verifying each SHA-256;
    /// run it again to resume. `local` is `storage.dir` (default
    /// `$MEZHA_DATA_DIR/files`), `s3` the bucket of the `storage.*`
    /// settings. Nothing is deleted from the source.
    Migrate {
        /// `local` or `s3`.
        #[arg(long)]
        from: StorageKind,
        /// `local` or `s3`.
        #[arg(long)]
        to: StorageKind,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StorageKind {
    Local,
    S3,
}

#[derive(Subcommand)]
enum SroCommand {
    /// Import a registry file (CSV or JSON, see docs/sro-registry.md) from a
    /// path or an http(s):// URL.
    Import {
        /// File path, or `http://…` / `https://…`.
        source: String,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account (or grant the role to an existing one and reset its password).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// `moderator` or `ca_operator`.
        #[arg(long)]
        role: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("mezha: {err:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config.log_format, &config.log_level);
    let result =
        actix_web::rt::System::new().block_on(run(cli.command.unwrap_or(Command::Serve), config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %format!("{err:#}"), "mezha stopped");
            eprintln!("mezha: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            tracing::info!(config = %config.summary(), "starting");
            let app = Application::build(&config).await?;
            let shown = config.addr.replace("0.0.0.0", "127.0.0.1");
            println!("Mezha is running at http://{shown}/ (API docs: http://{shown}/api/docs/)");
            if config.dev_outbox {
                println!("Development outbox (mail and SMS): http://{shown}/api/v1/dev/outbox");
            }
            app.run_until_signalled().await.context("server failed")
        }
        Command::Migrate => {
            let db = mezha_store::db::connect(&config.database_url(), 2)
                .await
                .context("connecting to the database")?;
            let applied = mezha_store::db::migrate(&db).await?;
            println!("applied {applied} migration(s); the schema is up to date");
            Ok(())
        }
        Command::Staff {
            command:
                StaffCommand::Create {
                    email,
                    password,
                    role,
                },
        } => {
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            anyhow::ensure!(
                matches!(role, Role::Moderator | Role::CaOperator),
                "staff accounts are moderator or ca_operator"
            );
            let db = startup::database(&config).await?;
            let hasher = startup::hasher(&config)?;
            let user = mezha_app::accounts::create_staff(
                &db,
                &hasher,
                &email,
                &password,
                role,
                chrono::Utc::now(),
            )
            .await?;
            println!(
                "staff account {} ({}) holds: {:?}",
                user.email,
                user.id,
                user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()
            );
            Ok(())
        }
        Command::Sro {
            command: SroCommand::Import { source },
        } => {
            let db = startup::database(&config).await?;
            let report = mezha_app::sro::import_from(&db, &source, chrono::Utc::now()).await?;
            println!(
                "imported {source}: {} entries, {} written, {} unchanged, {} became active, {} became inactive; \
                 engineer role granted {} / revoked {}; orders suspended {}, resumed {}",
                report.entries,
                report.written,
                report.unchanged,
                report.became_active,
                report.became_inactive,
                report.roles_granted,
                report.roles_revoked,
                report.orders_suspended,
                report.orders_resumed,
            );
            Ok(())
        }
        Command::Storage {
            command: StorageCommand::Migrate { from, to },
        } => {
            anyhow::ensure!(from != to, "--from and --to name the same storage");
            let open = |kind| -> anyhow::Result<mezha_store::storage::Storage> {
                Ok(match kind {
                    StorageKind::Local => mezha_store::storage::Storage::local(
                        config
                            .storage
                            .dir
                            .clone()
                            .unwrap_or_else(|| config.data_dir.join("files")),
                    ),
                    StorageKind::S3 => mezha_store::storage::Storage::s3(&config.storage.s3())?,
                })
            };
            let (from, to) = (open(from)?, open(to)?);
            for storage in [&from, &to] {
                storage.check().await.with_context(|| storage.describe())?;
            }
            let db = startup::database(&config).await?;
            println!(
                "copying the files of {} to {}",
                from.describe(),
                to.describe()
            );
            let mut done = 0u64;
            let report = mezha_app::storage_migration::migrate(&db, &from, &to, |key, outcome| {
                done += 1;
                if outcome == mezha_app::storage_migration::Outcome::Corrupt {
                    println!("  {key}: its bytes do not match its record; not copied");
                } else if done.is_multiple_of(1000) {
                    println!("  {done} files…");
                }
            })
            .await?;
            println!(
                "copied {} file(s) ({} bytes), {} already there; {} not matching their record, {} missing from the source",
                report.copied,
                report.bytes,
                report.already_there,
                report.corrupt.len(),
                report.missing.len(),
            );
            for key in &report.missing {
                println!("  missing: {key}");
            }
            anyhow::ensure!(
                report.complete(),
                "not every file was copied; run again after looking at the files listed"
            );
            Ok(())
        }
        Command::Bench(options) => mezha_server::bench::run(&config, &options).await,
    }
}
