//! The tenancy rules of DESIGN.md, checked in the database itself: on the catalog, and
//! by acting as each service role.

use maillage_db::ServiceRole;
use maillage_testkit::TestDatabase;
use sqlx::{Executor, PgPool, Row};
use uuid::Uuid;

type TestResult = anyhow::Result<()>;

async fn tenant_tables(db: &TestDatabase) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        r#"select c.relname::text from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r'
             and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
           order by 1"#,
    )
    .fetch_all(&db.owner)
    .await?)
}

#[tokio::test]
async fn every_tenant_table_has_forced_row_security_and_tenant_scoped_keys() -> TestResult {
    let db = TestDatabase::create().await?;
    let tables = tenant_tables(&db).await?;
    assert!(tables.len() >= 6, "found {tables:?}");
    for table in &tables {
        let row = sqlx::query(
            r#"select c.relrowsecurity, c.relforcerowsecurity,
                      exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polroles = '{0}'
                              and pg_get_expr(p.polqual, p.polrelid) like '%app.tenant_id%') as has_tenant_policy
               from pg_class c where c.relname = $1 and c.relnamespace = 'public'::regnamespace"#,
        )
        .bind(table)
        .fetch_one(&db.owner)
        .await?;
        assert!(
            row.get::<bool, _>(0),
            "{table}: row level security not enabled"
        );
        assert!(
            row.get::<bool, _>(1),
            "{table}: row level security not forced"
        );
        assert!(
            row.get::<bool, _>(2),
            "{table}: no tenant_isolation policy for everyone"
        );

        // Keys: primary key and every unique constraint start with tenant_id; every
        // foreign key to another tenant table carries tenant_id.
        let constraints: Vec<(String, String, Vec<String>, Option<String>)> = sqlx::query_as(
            r#"select con.conname::text, con.contype::text,
                      array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
                      con.confrelid::regclass::text
               from pg_constraint con
               where con.conrelid = $1::regclass and con.contype in ('p', 'u', 'f')"#,
        )
        .bind(table)
        .fetch_all(&db.owner)
        .await?;
        assert!(
            constraints.iter().any(|(_, kind, _, _)| kind == "p"),
            "{table}: no primary key"
        );
        for (name, kind, columns, references) in constraints {
            match kind.as_str() {
                "p" | "u" => assert_eq!(
                    columns.first().map(String::as_str),
                    Some("tenant_id"),
                    "{table}.{name}"
                ),
                _ if references
                    .as_deref()
                    .is_some_and(|r| tables.iter().any(|t| t == r)) =>
                {
                    assert!(
                        columns.iter().any(|c| c == "tenant_id"),
                        "{table}.{name} must include tenant_id"
                    )
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn service_roles_are_not_superusers_owners_or_exempt_from_row_security() -> TestResult {
    let db = TestDatabase::create().await?;
    for role in ServiceRole::ALL {
        let row = sqlx::query(
            r#"select r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                      (select count(*) from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace)
               from pg_roles r where r.rolname = $1"#,
        )
        .bind(role.role_name())
        .fetch_one(&db.owner)
        .await?;
        assert!(!row.get::<bool, _>(0), "{role:?} is superuser");
        assert!(!row.get::<bool, _>(1), "{role:?} bypasses RLS");
        assert!(
            !row.get::<bool, _>(2) && !row.get::<bool, _>(3),
            "{role:?} can create roles or databases"
        );
        assert_eq!(row.get::<i64, _>(4), 0, "{role:?} owns tables");
    }
    Ok(())
}

/// A function that runs as its owner escapes the caller's row-level security: each one
/// is reviewed (listed here) and pins its search path, so that no caller can slip it a
/// table of their own.
#[tokio::test]
async fn functions_running_as_their_owner_are_known_and_pin_their_search_path() -> TestResult {
    let db = TestDatabase::create().await?;
    let definers: Vec<(String, Option<Vec<String>>)> = sqlx::query_as(
        "select proname::text, proconfig from pg_proc
         where prosecdef and pronamespace = 'public'::regnamespace order by proname",
    )
    .fetch_all(&db.owner)
    .await?;
    let names: Vec<&str> = definers.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "accept_invitations",
            "announce_deadlines_of_departed_member",
            "announce_items_of_departed_member",
            "announce_items_to_new_admin",
            "change_workspace_settings",
            "export_table_rows",
            "export_tenant_users",
            "forget_people_in_audit_log",
            "import_table_rows",
            "import_users",
            "measure_tenant_usage",
            "platform_workspaces",
            "provision_tenant",
            "purge_due_tenants",
            "refresh_record_statistics",
            "user_memberships",
            "user_workspaces",
            "workspace_for_email_domain",
            "workspace_is_empty"
        ]
    );
    for (name, config) in &definers {
        assert!(
            config
                .iter()
                .flatten()
                .any(|setting| setting.starts_with("search_path=")),
            "{name} does not pin its search_path"
        );
    }
    Ok(())
}

/// Tenant A's rows of every kind, written as the owner.
async fn seed(db: &TestDatabase, tenant: Uuid, user: Uuid) -> anyhow::Result<()> {
    let (person, organisation, deadline, partnership) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    let (tag, activity, project, target) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    let import = Uuid::new_v4();
    let statements = [
        format!(
            "insert into people (tenant_id, id, given_name, family_name) values ('{tenant}', '{person}', 'A', 'Secret')"
        ),
        format!(
            "insert into organisations (tenant_id, id, name, kind) values ('{tenant}', '{organisation}', 'Financeur A', 'funder')"
        ),
        format!(
            "insert into memberships (tenant_id, user_id, role) values ('{tenant}', '{user}', 'editor') on conflict do nothing"
        ),
        format!(
            "insert into invitations (tenant_id, email, role) values ('{tenant}', 'invited@example.org', 'viewer')"
        ),
        format!(
            "insert into workspace_identity_providers (tenant_id, issuer, client_id, client_secret_sealed, label) values ('{tenant}', 'https://login.example.org', 'maillage', '\\x00', 'Connexion')"
        ),
        format!(
            "insert into workspace_logos (tenant_id, png, width, height) values ('{tenant}', '\\x89504e47', 1, 1)"
        ),
        format!("insert into calendar_feeds (tenant_id, user_id) values ('{tenant}', '{user}')"),
        format!(
            "insert into notification_preferences (tenant_id, user_id, mode) values ('{tenant}', '{user}', 'daily')"
        ),
        format!(
            "insert into digests (tenant_id, user_id, period, message_id, sent_at) values ('{tenant}', '{user}', current_date, '<d@x>', now())"
        ),
        format!(
            "update reminder_policies set days_before = '{{15,3}}' where tenant_id = '{tenant}'"
        ),
        format!(
            "insert into deadline_series (tenant_id, id, frequency) values ('{tenant}', '{deadline}', 'yearly')"
        ),
        format!(
            "insert into reporting_deadlines (tenant_id, id, title, funder_id, due_at, series_id, occurrence) \
             values ('{tenant}', '{deadline}', 'Rapport A', '{organisation}', now() + interval '2 days', '{deadline}', 1)"
        ),
        format!(
            "insert into deadline_responsibles (tenant_id, deadline_id, user_id) values ('{tenant}', '{deadline}', '{user}')"
        ),
        format!(
            "insert into reminders (tenant_id, id, subject, subject_id, kind, due_at, fire_at, recipient_user_id) \
             values ('{tenant}', gen_random_uuid(), 'deadline', '{deadline}', 'd-1', now() + interval '2 days', now(), '{user}')"
        ),
        format!(
            "insert into partnerships (tenant_id, id, title, kind) values ('{tenant}', '{partnership}', 'Contrat A', 'funding')"
        ),
        format!(
            "insert into partnership_partners (tenant_id, partnership_id, organisation_id) \
             values ('{tenant}', '{partnership}', '{organisation}')"
        ),
        format!("insert into tags (tenant_id, id, name) values ('{tenant}', '{tag}', 'Bénévole')"),
        format!(
            "insert into person_tags (tenant_id, tag_id, person_id) values ('{tenant}', '{tag}', '{person}')"
        ),
        format!(
            "insert into organisation_tags (tenant_id, tag_id, organisation_id) values ('{tenant}', '{tag}', '{organisation}')"
        ),
        format!(
            "insert into partnership_tags (tenant_id, tag_id, partnership_id) values ('{tenant}', '{tag}', '{partnership}')"
        ),
        format!(
            "insert into activities (tenant_id, id, kind, occurred_at, subject, author_user_id) \
             values ('{tenant}', '{activity}', 'note', now(), 'Note A', '{user}')"
        ),
        format!(
            "insert into activity_links (tenant_id, id, activity_id, person_id) \
             values ('{tenant}', gen_random_uuid(), '{activity}', '{person}')"
        ),
        format!(
            "insert into engagements (tenant_id, id, kind, person_id, amount_cents, currency, occurred_on) \
             values ('{tenant}', gen_random_uuid(), 'donation', '{person}', 1000, 'EUR', current_date)"
        ),
        format!(
            "insert into projects (tenant_id, id, name) values ('{tenant}', '{project}', 'Projet A')"
        ),
        format!(
            "insert into project_tags (tenant_id, tag_id, project_id) values ('{tenant}', '{tag}', '{project}')"
        ),
        format!(
            "insert into project_milestones (tenant_id, id, project_id, title) \
             values ('{tenant}', gen_random_uuid(), '{project}', 'Jalon A')"
        ),
        format!(
            "insert into project_budget_lines (tenant_id, id, project_id, label) \
             values ('{tenant}', gen_random_uuid(), '{project}', 'Ligne A')"
        ),
        format!(
            "insert into project_partners (tenant_id, id, project_id, organisation_id) \
             values ('{tenant}', gen_random_uuid(), '{project}', '{organisation}')"
        ),
        format!(
            "insert into targets (tenant_id, id, name, drawn_on, project_id, rings) \
             values ('{tenant}', '{target}', 'Cible A', current_date, '{project}', array['Proches', 'Loin'])"
        ),
        format!(
            "insert into target_stakeholders (tenant_id, id, target_id, organisation_id, today_ring) \
             values ('{tenant}', gen_random_uuid(), '{target}', '{organisation}', 1)"
        ),
        format!(
            "insert into target_stakeholders (tenant_id, id, target_id, prospect_name, ideal_ring) \
             values ('{tenant}', gen_random_uuid(), '{target}', 'Piste A', 0)"
        ),
        format!(
            "insert into partnership_evaluations (tenant_id, id, partnership_id, stage, evaluated_on, \
             effectiveness_score, efficiency_score, impact_score, author_user_id) \
             values ('{tenant}', gen_random_uuid(), '{partnership}', 'interim', current_date, 3, 3, 3, '{user}')"
        ),
        format!(
            "insert into custom_fields (tenant_id, id, record_type, key, label, field_type) \
             values ('{tenant}', gen_random_uuid(), 'person', 'quartier', 'Quartier', 'text')"
        ),
        format!(
            "insert into affiliations (tenant_id, id, person_id, organisation_id, role) \
             values ('{tenant}', gen_random_uuid(), '{person}', '{organisation}', 'Trésorière')"
        ),
        format!(
            "insert into outbox (tenant_id, id, topic, aggregate_id) values ('{tenant}', gen_random_uuid(), 'deadline.changed', '{deadline}')"
        ),
        format!(
            "insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id) \
             values ('{tenant}', gen_random_uuid(), '{user}', 'r', 'create', 'person', '{person}')"
        ),
        format!(
            "insert into imports (tenant_id, id, file_name, file_bytes, status, created_by) \
             values ('{tenant}', '{import}', 'contacts.csv', 12, 'checking', '{user}')"
        ),
        format!(
            "insert into import_file_parts (tenant_id, import_id, part, bytes) \
             values ('{tenant}', '{import}', 0, 'Nom\nSecret\n'::bytea)"
        ),
        format!(
            "insert into import_problems (tenant_id, import_id, line, reason, cells) \
             values ('{tenant}', '{import}', 2, 'e-mail', array['Secret'])"
        ),
        format!(
            "insert into import_duplicates (tenant_id, import_id, line, row_name, person_id, person_name) \
             values ('{tenant}', '{import}', 3, 'A Secret', '{person}', 'A Secret')"
        ),
        format!(
            "insert into import_items (tenant_id, import_id, id, record_type, record_id) \
             values ('{tenant}', '{import}', gen_random_uuid(), 'person', '{person}')"
        ),
        format!(
            "insert into import_templates (tenant_id, id, name, headers, mapping, transforms, created_by) \
             values ('{tenant}', gen_random_uuid(), 'Modèle secret', array['nom'], array['family_name'], array[''], '{user}')"
        ),
        format!(
            "insert into list_columns (tenant_id, user_id, collection, columns) \
             values ('{tenant}', '{user}', 'people', array['email'])"
        ),
        format!(
            "insert into saved_views (tenant_id, id, user_id, collection, name, query, shared) \
             values ('{tenant}', gen_random_uuid(), '{user}', 'people', 'Vue secrète', 'tag=Secret', true)"
        ),
        format!(
            "insert into consent_changes (tenant_id, person_id, email_consent, consent_basis, consent_source) \
             values ('{tenant}', '{person}', true, 'consent', 'Secret')"
        ),
        format!(
            "insert into retention_rules (tenant_id, inactive_years, purge_scheduled, set_by) \
             values ('{tenant}', 3, true, '{user}')"
        ),
    ];
    for statement in statements {
        db.owner.execute(sqlx::AssertSqlSafe(statement)).await?;
    }
    Ok(())
}

/// Runs `sql` in a transaction scoped to `tenant` (or to none), as the pool's role.
/// Returns the rows it saw or touched, or None when the role may not run it at all.
async fn as_role(pool: &PgPool, tenant: Option<Uuid>, sql: &str) -> anyhow::Result<Option<u64>> {
    let mut tx = pool.begin().await?;
    if let Some(tenant) = tenant {
        sqlx::query("select set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
    }
    let outcome = tx.execute(sqlx::AssertSqlSafe(sql.to_owned())).await;
    tx.rollback().await?;
    match outcome {
        Ok(done) => Ok(Some(done.rows_affected())),
        // 42501: insufficient privilege, or a row refused by a policy's WITH CHECK.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42501") => Ok(None),
        Err(other) => Err(other.into()),
    }
}

#[tokio::test]
async fn through_sql_no_service_role_reaches_another_tenants_rows() -> TestResult {
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let tenant_b = db.create_tenant("asso-b").await?;
    let user = db.create_user("a@example.org").await?;
    seed(&db, tenant_a, user).await?;
    let tables = tenant_tables(&db).await?;

    for role in ServiceRole::ALL {
        let pool = db.pool_as(role).await?;
        for table in &tables {
            for (scope, tenant) in [("tenant B", Some(tenant_b)), ("no tenant", None)] {
                // (Tenant B's own rows, such as its reminder policy, are its business.)
                let of_a = format!("where tenant_id = '{tenant_a}'");
                let seen = as_role(&pool, tenant, &format!("select * from {table} {of_a}")).await?;
                assert!(
                    matches!(seen, None | Some(0)),
                    "{role:?} sees {table} rows of tenant A with {scope}"
                );
                let updated = as_role(
                    &pool,
                    tenant,
                    &format!("update {table} set tenant_id = tenant_id {of_a}"),
                )
                .await?;
                assert!(
                    matches!(updated, None | Some(0)),
                    "{role:?} updates {table} of tenant A with {scope}"
                );
                let deleted =
                    as_role(&pool, tenant, &format!("delete from {table} {of_a}")).await?;
                assert!(
                    matches!(deleted, None | Some(0)),
                    "{role:?} deletes {table} of tenant A with {scope}"
                );
            }
        }
        // Writing a row into tenant A while acting for tenant B is refused outright.
        let smuggled = as_role(
            &pool,
            Some(tenant_b),
            &format!("insert into people (tenant_id, id, given_name, family_name) values ('{tenant_a}', gen_random_uuid(), 'x', 'y')"),
        )
        .await?;
        assert_eq!(
            smuggled, None,
            "{role:?} wrote a person into another tenant"
        );
    }

    // The owner sees tenant A's rows: the seeds are really there.
    for table in &tables {
        assert!(db.count(table).await? >= 1, "{table} was seeded");
    }
    // And core-records, acting for tenant A, sees them through the same policies.
    let core = db.pool_as(ServiceRole::CoreRecords).await?;
    assert_eq!(
        as_role(&core, Some(tenant_a), "select * from people").await?,
        Some(1)
    );
    Ok(())
}

#[tokio::test]
async fn only_each_services_scan_scope_sees_its_own_work_across_tenants() -> TestResult {
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let user = db.create_user("a@example.org").await?;
    seed(&db, tenant_a, user).await?;
    let scan = |pool: PgPool, table: &'static str| async move {
        let mut tx = pool.begin().await?;
        tx.execute("select set_config('app.scope', 'platform-scan', true)")
            .await?;
        let seen = tx
            .execute(sqlx::AssertSqlSafe(format!("select * from {table}")))
            .await
            .map(|d| d.rows_affected());
        tx.rollback().await?;
        Ok::<_, anyhow::Error>(seen.ok())
    };
    let notification = db.pool_as(ServiceRole::Notification).await?;
    let core = db.pool_as(ServiceRole::CoreRecords).await?;
    for table in ["outbox", "reminders"] {
        // The seeds' own events, and those the database announces for them.
        assert!(
            matches!(scan(notification.clone(), table).await?, Some(n) if n >= 1),
            "the relay and dispatcher find work in {table}"
        );
        assert!(
            matches!(scan(core.clone(), table).await?, None | Some(0)),
            "the scope means nothing to core-records"
        );
    }
    for table in ["people", "reporting_deadlines"] {
        assert!(
            matches!(scan(notification.clone(), table).await?, None | Some(0)),
            "the scope opens no record table"
        );
    }
    // The importers find waiting imports the same way, and only them.
    assert!(
        matches!(scan(core.clone(), "imports").await?, Some(1)),
        "core-records' importers find waiting imports"
    );
    // And the retention keeper the workspaces whose purge is scheduled.
    assert!(
        matches!(scan(core.clone(), "retention_rules").await?, Some(1)),
        "core-records' retention keeper finds scheduled purges"
    );
    for table in [
        "import_file_parts",
        "import_items",
        "people",
        "consent_changes",
    ] {
        assert!(
            matches!(scan(core.clone(), table).await?, None | Some(0)),
            "the scope opens {table} to core-records"
        );
    }
    for table in ["imports", "retention_rules"] {
        assert!(
            matches!(scan(notification.clone(), table).await?, None | Some(0)),
            "{table} are core-records' work"
        );
    }
    Ok(())
}

/// What must be read across tenants before one is chosen goes through two functions:
/// the gateway learns a user's own workspaces and accepts the invitations waiting for
/// one email, and nothing else of other tenants' members.
#[tokio::test]
async fn the_gateway_reads_memberships_across_tenants_only_through_its_two_functions() -> TestResult
{
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let tenant_b = db.create_tenant("asso-b").await?;
    let camille = db.create_user("camille@example.org").await?;
    let sacha = db.create_user("sacha@example.org").await?;
    db.add_member(tenant_a, camille, "editor").await?;
    db.add_member(tenant_b, sacha, "owner").await?;
    for (tenant, email) in [
        (tenant_a, "sacha@example.org"),
        (tenant_b, "Camille@Example.org"),
        (tenant_b, "someone-else@example.org"),
    ] {
        db.invite(tenant, email, "viewer").await?;
    }
    let gateway = db.pool_as(ServiceRole::Gateway).await?;

    // Directly, with no tenant chosen, the gateway sees no member and no invitation.
    for table in ["memberships", "invitations"] {
        assert_eq!(
            as_role(&gateway, None, &format!("select * from {table}")).await?,
            Some(0),
            "{table}"
        );
    }
    // Its function answers for the user named, across tenants, and nobody else.
    let mine: Vec<(String, String)> = sqlx::query_as("select slug, role from user_memberships($1)")
        .bind(camille)
        .fetch_all(&gateway)
        .await?;
    assert_eq!(mine, [("asso-a".to_owned(), "editor".to_owned())]);

    // Accepting camille's invitations (her email in any case) makes her a member of
    // tenant B only; the other invitations wait.
    let mut tx = gateway.begin().await?;
    let accepted: i32 = sqlx::query_scalar("select accept_invitations($1, $2, null)")
        .bind(camille)
        .bind("camille@example.org")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(accepted, 1);
    // The function leaves no scope behind in the caller's transaction.
    let scope: Option<String> = sqlx::query_scalar("select current_setting('app.scope', true)")
        .fetch_one(&mut *tx)
        .await?;
    assert!(scope.unwrap_or_default().is_empty());
    assert_eq!(
        tx.execute("select * from memberships")
            .await?
            .rows_affected(),
        0,
        "still no direct read across tenants"
    );
    tx.commit().await?;
    let mine: Vec<String> = sqlx::query_scalar("select slug from user_memberships($1)")
        .bind(camille)
        .fetch_all(&gateway)
        .await?;
    assert_eq!(mine, ["asso-a", "asso-b"]);
    let waiting: i64 =
        sqlx::query_scalar("select count(*) from invitations where accepted_at is null")
            .fetch_one(&db.owner)
            .await?;
    assert_eq!(waiting, 2, "sacha's and someone else's invitations wait");
    // The same user's workspaces with their state: a suspended one is listed as such
    // (its members are told), and still nobody else's.
    sqlx::query("update tenants set status = 'suspended' where id = $1")
        .bind(tenant_b)
        .execute(&db.owner)
        .await?;
    let mine: Vec<(String, String)> =
        sqlx::query_as("select slug, status from user_workspaces($1)")
            .bind(camille)
            .fetch_all(&gateway)
            .await?;
    assert_eq!(
        mine,
        [
            ("asso-a".to_owned(), "active".to_owned()),
            ("asso-b".to_owned(), "suspended".to_owned())
        ]
    );
    Ok(())
}

/// The platform's functions read or write across tenants under a tenant setting of
/// their own, and give the caller's transaction back its own.
#[tokio::test]
async fn the_platform_functions_leave_the_callers_tenant_setting_as_it_was() -> TestResult {
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let gateway = db.pool_as(ServiceRole::Gateway).await?;
    let mut tx = gateway.begin().await?;
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(tenant_a.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "select * from provision_tenant(gen_random_uuid(), 'asso-b', 'Asso B', 'association',
                                        'fr-FR', 'Europe/Paris', 'b@example.org')",
    )
    .execute(&mut *tx)
    .await?;
    let listed: Vec<String> =
        sqlx::query_scalar("select slug from platform_workspaces(null, null, 10) order by slug")
            .fetch_all(&mut *tx)
            .await?;
    assert_eq!(listed, ["asso-a", "asso-b"]);
    let setting: String = sqlx::query_scalar("select current_setting('app.tenant_id', true)")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(setting, tenant_a.to_string());
    // The export reads a workspace's rows of a tenant table, and nothing else.
    let exported: Vec<String> = sqlx::query_scalar(
        "select export_table_rows(id, 'invitations') from tenants where slug = 'asso-b'",
    )
    .fetch_all(&mut *tx)
    .await?;
    assert_eq!(exported.len(), 1);
    assert!(exported[0].contains("b@example.org"));
    for not_a_tenant_table in ["users", "platform_admins", "people; drop table people"] {
        let mut probe = gateway.begin().await?;
        let refused = sqlx::query("select export_table_rows($1, $2)")
            .bind(tenant_a)
            .bind(not_a_tenant_table)
            .execute(&mut *probe)
            .await;
        assert!(refused.is_err(), "{not_a_tenant_table} was read");
        drop(probe);
        let mut probe = gateway.begin().await?;
        let refused = sqlx::query("select import_table_rows($1, $2, '[{\"id\": 1}]', '{}')")
            .bind(tenant_a)
            .bind(not_a_tenant_table)
            .execute(&mut *probe)
            .await;
        assert!(refused.is_err(), "{not_a_tenant_table} was written");
    }
    // Under tenant A's setting, B's invitation stays out of sight.
    let invitations: i64 = sqlx::query_scalar("select count(*) from invitations")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(invitations, 0);
    tx.commit().await?;
    Ok(())
}

/// A workspace deleted after its grace period leaves no row in any tenant table (read
/// through the catalog, so that a table added later is held to it too), and only that
/// workspace goes.
#[tokio::test]
async fn a_deleted_workspace_leaves_no_row_in_any_tenant_table() -> TestResult {
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let tenant_b = db.create_tenant("asso-b").await?;
    let user_a = db.create_user("a@example.org").await?;
    let user_b = db.create_user("b@example.org").await?;
    seed(&db, tenant_a, user_a).await?;
    seed(&db, tenant_b, user_b).await?;
    let rows_of = |tenant: Uuid| {
        let db = &db;
        async move {
            let mut counts = Vec::new();
            for table in tenant_tables(db).await? {
                let seen = as_role(
                    &db.owner,
                    Some(tenant),
                    &format!("select 1 from {table} where tenant_id = '{tenant}'"),
                )
                .await?
                .unwrap_or_default();
                counts.push((table, seen));
            }
            anyhow::Ok(counts)
        }
    };
    let before = rows_of(tenant_a).await?;
    assert!(
        before.iter().filter(|(_, n)| *n > 0).count() >= 15,
        "the seed fills most tables: {before:?}"
    );

    let b_before = rows_of(tenant_b).await?;
    // Asked, with a grace period not over: nothing goes.
    sqlx::query("update tenants set status = 'suspended', deletion_due_at = now() + interval '1 day' where id = $1")
        .bind(tenant_a)
        .execute(&db.owner)
        .await?;
    let notification = db.pool_as(ServiceRole::Notification).await?;
    let purged: Vec<String> = sqlx::query_scalar("select purge_due_tenants(now())")
        .fetch_all(&notification)
        .await?;
    assert!(purged.is_empty());
    let purged: Vec<String> =
        sqlx::query_scalar("select purge_due_tenants(now() + interval '2 days')")
            .fetch_all(&notification)
            .await?;
    assert_eq!(purged, ["asso-a"]);

    let left: Vec<(String, u64)> = rows_of(tenant_a)
        .await?
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert!(left.is_empty(), "rows left behind: {left:?}");
    let tenants: Vec<String> = sqlx::query_scalar("select slug from tenants")
        .fetch_all(&db.owner)
        .await?;
    assert_eq!(tenants, ["asso-b"]);
    assert_eq!(
        rows_of(tenant_b).await?,
        b_before,
        "the other workspace is untouched"
    );
    let logged: Vec<String> =
        sqlx::query_scalar("select action from platform_audit_log where target = 'asso-a'")
            .fetch_all(&db.owner)
            .await?;
    assert_eq!(logged, ["tenant.delete"]);
    Ok(())
}

/// The erasure's own door into the append-only audit log (`forget_people_in_audit_log`,
/// run as its owner) opens on the caller's tenant alone, and on nothing without one.
#[tokio::test]
async fn an_erasure_blanks_the_audit_entries_of_its_own_tenant_only() -> TestResult {
    let db = TestDatabase::create().await?;
    let tenant_a = db.create_tenant("asso-a").await?;
    let tenant_b = db.create_tenant("asso-b").await?;
    let user = db.create_user("a@example.org").await?;
    let entry = Uuid::new_v4();
    db.owner
        .execute(sqlx::AssertSqlSafe(format!(
            "insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, after) \
             values ('{tenant_a}', '{entry}', '{user}', 'r', 'create', 'person', gen_random_uuid(), \
                     '{{\"family_name\": \"Secret\"}}')"
        )))
        .await?;
    let core = db.pool_as(ServiceRole::CoreRecords).await?;
    let forget = "select forget_people_in_audit_log(array[]::uuid[], 'secret')";

    let mut tx = maillage_db::begin_tenant(&core, tenant_b).await?;
    let blanked: i64 = sqlx::query_scalar(forget).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    assert_eq!(blanked, 0, "tenant B blanked tenant A's entries");

    let mut tx = maillage_db::begin(&core).await?;
    let refused = sqlx::query_scalar::<_, i64>(forget)
        .fetch_one(&mut *tx)
        .await;
    tx.rollback().await?;
    assert!(refused.is_err(), "ran without a tenant");
    let kept: Option<serde_json::Value> =
        sqlx::query_scalar("select after from audit_log where id = $1")
            .bind(entry)
            .fetch_one(&db.owner)
            .await?;
    assert!(kept.is_some());

    let mut tx = maillage_db::begin_tenant(&core, tenant_a).await?;
    let blanked: i64 = sqlx::query_scalar(forget).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    assert_eq!(blanked, 1);
    Ok(())
}
