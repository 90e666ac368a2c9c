//! `maillage-admin`: what the platform operator runs by hand or from deploy scripts.
//! Connects as the schema owner (`DATABASE_URL`), never as a service role.

mod export;
mod import;

use anyhow::Context;
use clap::{Parser, Subcommand};
use maillage_db::platform::{Provisioning, creation_detail, provision};
use maillage_domain::EmailAddress;
use maillage_domain::workspace::{NewWorkspace, WorkspaceFields};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "maillage-admin", about = "Maillage platform administration")]
struct Cli {
    /// The schema owner's connection URL.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applies the pending migrations (creating the service roles on first run).
    Migrate,
    /// Tenants: create, list.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Platform administrators (who may use the console and the provisioning API):
    /// grant, revoke, list.
    Platform {
        #[command(subcommand)]
        command: PlatformCommand,
    },
    /// Reminders the SMTP server refused or kept failing (the dead letters): list, replay.
    Reminders {
        /// The notification service's connection URL (its role sees every tenant's
        /// reminders in its scan scope).
        #[arg(long, env = "NOTIFICATION_DATABASE_URL", hide_env_values = true)]
        notification_database_url: String,
        #[command(subcommand)]
        command: RemindersCommand,
    },
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// Lists the failed reminders, most recent first, with the reason.
    Failed {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Puts failed reminders back in line: one (`--tenant-id` and `--reminder-id`) or `--all`.
    Replay {
        #[arg(long, requires = "reminder_id", conflicts_with = "all")]
        tenant_id: Option<Uuid>,
        #[arg(long, requires = "tenant_id")]
        reminder_id: Option<Uuid>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
enum PlatformCommand {
    /// Makes the person with this email a platform administrator (at their next request).
    Grant {
        #[arg(value_parser = parse_email)]
        email: EmailAddress,
    },
    /// Takes the platform administrator role back.
    Revoke {
        #[arg(value_parser = parse_email)]
        email: EmailAddress,
    },
    /// Lists the platform administrators.
    List,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Creates a tenant and invites its first owner by email.
    Create {
        /// Its name in URLs: /t/{slug}/
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// association, municipality, federation or other.
        #[arg(long)]
        kind: String,
        /// Becomes owner when logging in with this (verified) email.
        #[arg(long)]
        admin_email: String,
        #[arg(long, default_value = "Europe/Paris")]
        time_zone: String,
        #[arg(long, default_value = "fr-FR")]
        locale: String,
        /// Succeed without change when the slug is already taken (for scripts).
        #[arg(long)]
        if_absent: bool,
    },
    /// Lists the tenants.
    List,
    /// Writes a workspace's whole data to a zip archive: every table as JSON lines,
    /// people and organisations as CSV, and a manifest.
    Export {
        #[arg(long)]
        slug: String,
        /// The archive to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Loads an archive written by `export` into an empty workspace (made beforehand with
    /// `create`): the same records, links, history and reminders. All or nothing.
    Import {
        #[arg(long)]
        slug: String,
        /// The archive to read.
        #[arg(long)]
        archive: std::path::PathBuf,
    },
}

/// The option that gave a workspace's field.
fn flag_of(field: &str) -> String {
    match field {
        "owner_email" => "--admin-email".into(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

fn parse_email(raw: &str) -> Result<EmailAddress, String> {
    EmailAddress::parse(raw).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Reminders {
        notification_database_url,
        command,
    } = &cli.command
    {
        return reminders(notification_database_url, command).await;
    }
    let pool = PgPool::connect(&cli.database_url)
        .await
        .context("cannot connect to the database")?;
    match cli.command {
        Command::Migrate => {
            maillage_db::MIGRATOR
                .run(&pool)
                .await
                .context("migration failed")?;
            println!("migrations applied");
        }
        Command::Tenant {
            command: TenantCommand::List,
        } => {
            let tenants = sqlx::query!(
                "select slug, name, kind, status, time_zone from tenants order by slug"
            )
            .fetch_all(&pool)
            .await?;
            for t in tenants {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.slug, t.name, t.kind, t.status, t.time_zone
                );
            }
        }
        Command::Tenant {
            command:
                TenantCommand::Create {
                    slug,
                    name,
                    kind,
                    admin_email,
                    time_zone,
                    locale,
                    if_absent,
                },
        } => {
            let workspace = NewWorkspace::parse(WorkspaceFields {
                slug: &slug,
                name: &name,
                kind: &kind,
                locale: Some(&locale),
                time_zone: Some(&time_zone),
                owner_email: &admin_email,
            })
            .map_err(|refused| {
                let reasons: Vec<String> = refused
                    .iter()
                    .map(|(field, why)| format!("{} {why}", flag_of(field)))
                    .collect();
                anyhow::anyhow!("refused: {}", reasons.join("; "))
            })?;
            create_tenant(&pool, &workspace, if_absent).await?;
        }
        Command::Platform { command } => platform(&pool, command).await?,
        Command::Tenant {
            command: TenantCommand::Export { slug, out },
        } => {
            let exported = export::export(&pool, &slug, &out).await?;
            let rows = exported.rows();
            println!(
                "{slug} exported to {}: {rows} rows in {} tables",
                out.display(),
                exported.tables.len()
            );
            audit_export(&pool, &slug, rows).await?;
        }
        Command::Tenant {
            command: TenantCommand::Import { slug, archive },
        } => {
            let imported = import::import(&pool, &slug, &archive).await?;
            println!(
                "{} imported into {slug}: {} rows in {} tables, {} people named ({} already here)",
                archive.display(),
                imported.rows(),
                imported.tables.len(),
                imported.users,
                imported.users_recognised,
            );
        }
        Command::Reminders { .. } => {}
    }
    Ok(())
}

async fn reminders(database_url: &str, command: &RemindersCommand) -> anyhow::Result<()> {
    use maillage_notification::dead_letters;
    let pool = PgPool::connect(database_url)
        .await
        .context("cannot connect to the database as the notification service")?;
    match command {
        RemindersCommand::Failed { limit } => {
            for r in dead_letters::failed(&pool, *limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{} attempt(s)\t{}",
                    r.failed_at.map(|at| at.to_rfc3339()).unwrap_or_default(),
                    r.tenant_slug,
                    r.tenant_id,
                    r.reminder_id,
                    r.recipient_email,
                    r.attempts,
                    r.last_error.unwrap_or_default(),
                );
            }
        }
        RemindersCommand::Replay {
            tenant_id,
            reminder_id,
            all,
        } => {
            let one = tenant_id.zip(*reminder_id);
            anyhow::ensure!(
                one.is_some() || *all,
                "name a reminder (--tenant-id and --reminder-id) or pass --all"
            );
            let replayed = dead_letters::replay(&pool, one).await?;
            println!("{replayed} reminder(s) put back in line");
        }
    }
    Ok(())
}

/// Makes the workspace by the platform's one rule (`provision_tenant`), and logs it.
async fn create_tenant(
    pool: &PgPool,
    workspace: &NewWorkspace,
    if_absent: bool,
) -> anyhow::Result<()> {
    let slug = workspace.slug.as_str();
    let mut tx = maillage_db::begin(pool).await?;
    let created = match provision(&mut tx, workspace).await? {
        Provisioning::Created(_) => true,
        Provisioning::AlreadyThere(_) => false,
        Provisioning::SlugTaken if if_absent => {
            println!("tenant {slug} already exists");
            return Ok(());
        }
        Provisioning::SlugTaken => anyhow::bail!("a tenant with slug {slug} already exists"),
    };
    if created {
        audit(&mut tx, "tenant.create", slug, creation_detail(workspace)).await?;
    }
    tx.commit().await?;
    if created {
        println!(
            "tenant {slug} created; {} becomes its owner at first login",
            workspace.owner_email
        );
    } else {
        println!("tenant {slug} already exists, as asked");
    }
    Ok(())
}

async fn platform(pool: &PgPool, command: PlatformCommand) -> anyhow::Result<()> {
    let mut tx = maillage_db::begin(pool).await?;
    match command {
        PlatformCommand::Grant { email } => {
            let email = email.as_str().to_lowercase();
            sqlx::query!(
                "insert into platform_admins (email) values ($1) on conflict do nothing",
                email
            )
            .execute(&mut *tx)
            .await?;
            audit(
                &mut tx,
                "platform-admin.grant",
                &email,
                serde_json::json!({}),
            )
            .await?;
            println!("{email} is a platform administrator");
        }
        PlatformCommand::Revoke { email } => {
            let email = email.as_str().to_lowercase();
            let revoked = sqlx::query!("delete from platform_admins where email = $1", email)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            anyhow::ensure!(revoked == 1, "{email} is not a platform administrator");
            audit(
                &mut tx,
                "platform-admin.revoke",
                &email,
                serde_json::json!({}),
            )
            .await?;
            println!("{email} is no longer a platform administrator");
        }
        PlatformCommand::List => {
            for admin in
                sqlx::query!("select email, granted_at from platform_admins order by email")
                    .fetch_all(&mut *tx)
                    .await?
            {
                println!("{}\t{}", admin.email, admin.granted_at.to_rfc3339());
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// One line of the platform audit log, as the command line (`cli`).
async fn audit(
    conn: &mut sqlx::PgConnection,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    sqlx::query!(
        "insert into platform_audit_log (id, actor, action, target, detail) values ($1, 'cli', $2, $3, $4)",
        Uuid::now_v7(),
        action,
        target,
        detail,
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn audit_export(pool: &PgPool, slug: &str, rows: u64) -> anyhow::Result<()> {
    let mut tx = maillage_db::begin(pool).await?;
    audit(
        &mut tx,
        "tenant.export",
        slug,
        serde_json::json!({ "rows": rows }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
