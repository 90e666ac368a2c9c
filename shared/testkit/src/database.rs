use maillage_db::ServiceRole;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, PgPool};
use url::Url;
use uuid::Uuid;

/// How Maillage's databases are created: names sorted as French readers expect
/// ("Émilie" beside "Eric", not after "Zoé"), whatever the server's default locale.
/// `deploy/README.md` and `make run` create theirs the same way.
pub const FRENCH_ORDER: &str = "template template0 locale_provider icu icu_locale 'fr'";

/// A database created for one test, migrated, and dropped when the test ends; or, for
/// benchmarks, a named one kept across runs so that it is seeded once.
pub struct TestDatabase {
    name: String,
    server_url: Url,
    /// Left in place when dropped.
    kept: bool,
    /// Connected as the migration owner: for seeding and for checking what was written.
    pub owner: PgPool,
}

impl TestDatabase {
    pub async fn create() -> anyhow::Result<Self> {
        Self::open(&format!("maillage_test_{}", Uuid::new_v4().simple()), false).await
    }

    /// The database `name`, created if absent, migrated, and kept when dropped.
    pub async fn kept(name: &str) -> anyhow::Result<Self> {
        Self::open(name, true).await
    }

    async fn open(name: &str, kept: bool) -> anyhow::Result<Self> {
        let raw = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let server_url = Url::parse(&raw)?;
        let maintenance = PgPoolOptions::new()
            .max_connections(1)
            .connect(server_url.as_str())
            .await?;
        let exists: bool =
            sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
                .bind(name)
                .fetch_one(&maintenance)
                .await?;
        if !exists {
            maintenance
                .execute(sqlx::AssertSqlSafe(format!(
                    "create database {name} {FRENCH_ORDER}"
                )))
                .await?;
        }
        maintenance.close().await;

        let mut owner_url = server_url.clone();
        owner_url.set_path(name);
        let owner = PgPoolOptions::new()
            .max_connections(4)
            .connect(owner_url.as_str())
            .await?;
        maillage_db::MIGRATOR.run(&owner).await?;
        Ok(Self {
            name: name.to_owned(),
            server_url,
            kept,
            owner,
        })
    }

    /// The URL a service connects with, as its own role (no password: the test server
    /// trusts local connections; production sets passwords).
    pub fn url_as(&self, role: ServiceRole) -> String {
        let mut url = self.server_url.clone();
        url.set_path(&self.name);
        let _ = url.set_username(role.role_name());
        let _ = url.set_password(None);
        url.to_string()
    }

    /// The owner's URL for this database (the admin CLI and migrations use it).
    pub fn owner_url(&self) -> String {
        let mut url = self.server_url.clone();
        url.set_path(&self.name);
        url.to_string()
    }

    pub async fn pool_as(&self, role: ServiceRole) -> anyhow::Result<PgPool> {
        Ok(PgPoolOptions::new()
            .max_connections(2)
            .connect(&self.url_as(role))
            .await?)
    }

    /// A tenant with the given slug; returns its id.
    pub async fn create_tenant(&self, slug: &str) -> anyhow::Result<Uuid> {
        let id = Uuid::new_v4();
        sqlx::query(
            "insert into tenants (id, slug, name, kind) values ($1, $2, $3, 'association')",
        )
        .bind(id)
        .bind(slug)
        .bind(format!("Association {slug}"))
        .execute(&self.owner)
        .await?;
        Ok(id)
    }

    /// A user known to the platform; returns its id.
    pub async fn create_user(&self, email: &str) -> anyhow::Result<Uuid> {
        let id = Uuid::new_v4();
        sqlx::query("insert into users (id, issuer, subject, email, display_name) values ($1, 'test', $2, $3, $3)")
            .bind(id)
            .bind(id.to_string())
            .bind(email)
            .execute(&self.owner)
            .await?;
        Ok(id)
    }

    pub async fn add_member(
        &self,
        tenant_id: Uuid,
        user_id: Uuid,
        role: &str,
    ) -> anyhow::Result<()> {
        sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
            .bind(tenant_id)
            .bind(user_id)
            .bind(role)
            .execute(&self.owner)
            .await?;
        Ok(())
    }

    /// Invites `email` into a tenant with `role`: a membership at their first login.
    pub async fn invite(&self, tenant_id: Uuid, email: &str, role: &str) -> anyhow::Result<()> {
        sqlx::query("insert into invitations (tenant_id, email, role) values ($1, $2, $3)")
            .bind(tenant_id)
            .bind(email)
            .bind(role)
            .execute(&self.owner)
            .await?;
        Ok(())
    }

    /// Counts rows of a table across every tenant (as the owner, who sees all).
    pub async fn count(&self, table: &str) -> anyhow::Result<i64> {
        let owner_sees_all = format!("select count(*) from {table}");
        let mut tx = self.owner.begin().await?;
        // The owner is subject to FORCE ROW LEVEL SECURITY too: lift it for this check.
        tx.execute("set local row_security = off").await?;
        let count = sqlx::query_scalar(sqlx::AssertSqlSafe(owner_sees_all))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(count)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let name = self.name.clone();
        let url = self.server_url.to_string();
        // Drop runs outside async: drop the database from a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(pool) = PgPoolOptions::new().max_connections(1).connect(&url).await {
                    let _ = pool
                        .execute(sqlx::AssertSqlSafe(format!(
                            "drop database if exists {name} with (force)"
                        )))
                        .await;
                    pool.close().await;
                }
            });
        })
        .join();
    }
}
