//! `maillage-admin`: what the platform operator runs by hand or from deploy scripts.
//! Connects as the schema owner (`DATABASE_URL`), never as a service role.

use anyhow::Context;
use clap::{Parser, Subcommand};
use maillage_domain::{EmailAddress, TenantKind, TenantSlug};
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
enum TenantCommand {
    /// Creates a tenant and invites its first owner by email.
    Create {
        /// Its name in URLs: /t/{slug}/
        #[arg(long, value_parser = parse_slug)]
        slug: TenantSlug,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_kind)]
        kind: TenantKind,
        /// Becomes owner when logging in with this (verified) email.
        #[arg(long, value_parser = parse_email)]
        admin_email: EmailAddress,
        #[arg(long, default_value = "Europe/Paris", value_parser = parse_zone)]
        time_zone: chrono_tz::Tz,
        #[arg(long, default_value = "fr-FR")]
        locale: String,
        /// Succeed without change when the slug is already taken (for scripts).
        #[arg(long)]
        if_absent: bool,
    },
    /// Lists the tenants.
    List,
}

fn parse_slug(raw: &str) -> Result<TenantSlug, String> {
    TenantSlug::parse(raw).map_err(|e| e.to_string())
}

fn parse_kind(raw: &str) -> Result<TenantKind, String> {
    raw.parse()
        .map_err(|e: maillage_domain::ParseError| e.to_string())
}

fn parse_email(raw: &str) -> Result<EmailAddress, String> {
    EmailAddress::parse(raw).map_err(|e| e.to_string())
}

fn parse_zone(raw: &str) -> Result<chrono_tz::Tz, String> {
    raw.parse()
        .map_err(|_| format!("unknown time zone {raw:?} (e.g. Europe/Paris)"))
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
            let name = name.trim();
            anyhow::ensure!(!name.is_empty(), "--name must not be empty");
            let mut tx = maillage_db::begin(&pool).await?;
            let created = sqlx::query_scalar!(
                r#"insert into tenants (id, slug, name, kind, locale, time_zone)
                   values ($1, $2, $3, $4, $5, $6)
                   on conflict on constraint tenants_slug_key do nothing
                   returning id"#,
                Uuid::now_v7(),
                slug.as_str(),
                name,
                kind.as_str(),
                locale,
                time_zone.name(),
            )
            .fetch_optional(&mut *tx)
            .await?;
            let Some(tenant_id) = created else {
                if if_absent {
                    println!("tenant {slug} already exists");
                    return Ok(());
                }
                anyhow::bail!("a tenant with slug {slug} already exists");
            };
            // The invitation is the new tenant's: row-level security wants to see it so.
            sqlx::query_scalar!(
                "select set_config('app.tenant_id', $1::text, true)",
                tenant_id.to_string(),
            )
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into invitations (tenant_id, email, role) values ($1, $2, 'owner')",
                tenant_id,
                admin_email.as_str(),
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            println!("tenant {slug} created; {admin_email} becomes its owner at first login");
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
