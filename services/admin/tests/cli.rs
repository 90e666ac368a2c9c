//! The admin CLI as the operator runs it, against a fresh database.

use std::process::{Command, Output};

use maillage_testkit::TestDatabase;

fn admin(db: &TestDatabase, args: &[&str]) -> anyhow::Result<Output> {
    Ok(Command::new(env!("CARGO_BIN_EXE_maillage-admin"))
        .args(args)
        .env("DATABASE_URL", db.owner_url())
        .output()?)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn an_operator_creates_and_lists_tenants() -> anyhow::Result<()> {
    let db = TestDatabase::create().await?;
    let migrated = admin(&db, &["migrate"])?;
    assert!(
        migrated.status.success(),
        "migrating an up-to-date database is a no-op: {}",
        text(&migrated.stderr)
    );

    let create = [
        "tenant",
        "create",
        "--slug",
        "ville-de-lyon",
        "--name",
        "Ville de Lyon",
        "--kind",
        "municipality",
        "--admin-email",
        "dgs@lyon.example",
    ];
    let created = admin(&db, &create)?;
    assert!(created.status.success(), "{}", text(&created.stderr));
    let listed = text(&admin(&db, &["tenant", "list"])?.stdout);
    assert!(
        listed.contains("ville-de-lyon\tVille de Lyon\tmunicipality\tactive\tEurope/Paris"),
        "{listed}"
    );
    let role: String =
        sqlx::query_scalar("select role from invitations where email = 'dgs@lyon.example'")
            .fetch_one(&db.owner)
            .await?;
    assert_eq!(role, "owner");

    // A retry of the same creation (a script run twice) finds it made and changes nothing.
    let again = admin(&db, &create)?;
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("already exists, as asked"));
    // The same slug for another workspace is refused, unless the script says so.
    let mut other = create;
    other[5] = "Ville de Lyon 2";
    let taken = admin(&db, &other)?;
    assert!(!taken.status.success());
    assert!(text(&taken.stderr).contains("already exists"));
    let tolerated = admin(&db, &[&other[..], &["--if-absent"]].concat())?;
    assert!(tolerated.status.success());
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(&db.owner)
        .await?;
    assert_eq!(tenants, 1);
    let refused = admin(
        &db,
        &[
            "tenant",
            "create",
            "--slug",
            "X",
            "--name",
            "",
            "--kind",
            "club",
            "--admin-email",
            "nope",
        ],
    )?;
    assert!(!refused.status.success());
    let why = text(&refused.stderr);
    assert!(
        ["--slug", "--name", "--kind", "--admin-email"]
            .iter()
            .all(|field| why.contains(field)),
        "every refused field named at once: {why}"
    );
    let logged: Vec<(String, String, String)> =
        sqlx::query_as("select actor, action, target from platform_audit_log order by at, id")
            .fetch_all(&db.owner)
            .await?;
    assert_eq!(
        logged,
        [("cli".into(), "tenant.create".into(), "ville-de-lyon".into())],
        "one creation, logged once"
    );
    Ok(())
}

#[tokio::test]
async fn platform_administrators_are_granted_and_revoked_by_the_operator_only() -> anyhow::Result<()>
{
    let db = TestDatabase::create().await?;
    let granted = admin(&db, &["platform", "grant", "Ops@Federation.example"])?;
    assert!(granted.status.success(), "{}", text(&granted.stderr));
    let listed = text(&admin(&db, &["platform", "list"])?.stdout);
    assert!(listed.starts_with("ops@federation.example\t"), "{listed}");

    // No service role may make anyone a platform administrator.
    for role in ["maillage_gateway", "maillage_core", "maillage_notification"] {
        let mut tx = db.owner.begin().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("set local role {role}")))
            .execute(&mut *tx)
            .await?;
        let written =
            sqlx::query("insert into platform_admins (email) values ('intrus@exemple.fr')")
                .execute(&mut *tx)
                .await;
        assert!(written.is_err(), "{role} wrote a platform admin");
    }

    let revoked = admin(&db, &["platform", "revoke", "ops@federation.example"])?;
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(text(&admin(&db, &["platform", "list"])?.stdout).is_empty());
    let again = admin(&db, &["platform", "revoke", "ops@federation.example"])?;
    assert!(!again.status.success(), "revoking nobody says so");
    let actions: Vec<String> =
        sqlx::query_scalar("select action from platform_audit_log order by at, id")
            .fetch_all(&db.owner)
            .await?;
    assert_eq!(actions, ["platform-admin.grant", "platform-admin.revoke"]);
    Ok(())
}

#[tokio::test]
async fn bad_arguments_are_explained_and_change_nothing() -> anyhow::Result<()> {
    let db = TestDatabase::create().await?;
    for (args, complaint) in [
        (
            [
                "--slug",
                "Ville de Lyon",
                "--kind",
                "municipality",
                "--admin-email",
                "a@b.fr",
            ],
            "--slug doit compter",
        ),
        (
            [
                "--slug",
                "lyon",
                "--kind",
                "city",
                "--admin-email",
                "a@b.fr",
            ],
            "--kind doit valoir",
        ),
        (
            [
                "--slug",
                "lyon",
                "--kind",
                "municipality",
                "--admin-email",
                "nope",
            ],
            "--admin-email n'est pas une adresse e-mail valide",
        ),
    ] {
        let output = admin(
            &db,
            &[&["tenant", "create", "--name", "Lyon"][..], &args[..]].concat(),
        )?;
        assert!(!output.status.success());
        assert!(
            text(&output.stderr).contains(complaint),
            "{}",
            text(&output.stderr)
        );
    }
    assert_eq!(db.count("tenants").await?, 0);
    Ok(())
}

#[tokio::test]
async fn a_workspace_is_exported_whole_as_one_archive() -> anyhow::Result<()> {
    use std::io::Read;

    let db = TestDatabase::create().await?;
    let tenant = db.create_tenant("amis-du-quartier").await?;
    let other = db.create_tenant("autre-asso").await?;
    for (tenant, family_name) in [(tenant, "Durand"), (tenant, "Zidane"), (other, "Secret")] {
        let mut tx = db.owner.begin().await?;
        sqlx::query("select set_config('app.tenant_id', $1::text, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into people (tenant_id, id, given_name, family_name, email) values ($1, gen_random_uuid(), 'Hélène', $2, 'h@example.org')",
        )
        .bind(tenant)
        .bind(family_name)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into organisations (tenant_id, id, name, kind) values ($1, gen_random_uuid(), 'Fondation, « Lumière »', 'funder')",
        )
        .bind(tenant)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    db.invite(tenant, "nouveau@example.org", "editor").await?;
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("amis.zip");
    let exported = admin(
        &db,
        &[
            "tenant",
            "export",
            "--slug",
            "amis-du-quartier",
            "--out",
            &out.display().to_string(),
        ],
    )?;
    assert!(exported.status.success(), "{}", text(&exported.stderr));

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out)?)?;
    let mut manifest = String::new();
    archive
        .by_name("manifest.json")?
        .read_to_string(&mut manifest)?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest)?;
    assert_eq!(manifest["workspace"]["slug"], "amis-du-quartier");
    let rows_of = |name: &str| {
        manifest["tables"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["name"] == name)
            .map(|t| t["rows"].clone())
    };
    assert_eq!(rows_of("people"), Some(serde_json::json!(2)));
    assert_eq!(rows_of("organisations"), Some(serde_json::json!(2)));
    assert_eq!(
        rows_of("reminder_policies"),
        Some(serde_json::json!(1)),
        "every tenant table is there, from the catalog"
    );
    let mut people = String::new();
    archive
        .by_name("tables/people.ndjson")?
        .read_to_string(&mut people)?;
    let names: Vec<String> = people
        .lines()
        .map(|line| Ok(serde_json::from_str::<serde_json::Value>(line)?["family_name"].to_string()))
        .collect::<anyhow::Result<_>>()?;
    assert_eq!(names.len(), 2);
    assert!(!people.contains("Secret"), "nothing of another workspace");
    let mut invitations = String::new();
    archive
        .by_name("tables/invitations.ndjson")?
        .read_to_string(&mut invitations)?;
    assert!(invitations.contains("nouveau@example.org"));
    assert!(
        !invitations.contains("email_token") && !invitations.contains("token_hash"),
        "the secret of an invitation's link stays out of the archive: {invitations}"
    );

    let mut sheet = String::new();
    archive
        .by_name("organisations.csv")?
        .read_to_string(&mut sheet)?;
    let mut reader = csv::Reader::from_reader(sheet.as_bytes());
    let first = reader.records().next().transpose()?;
    assert_eq!(
        first.as_ref().and_then(|r| r.get(1)),
        Some("Fondation, « Lumière »"),
        "a comma in a name stays in its cell"
    );
    let logged: Vec<String> = sqlx::query_scalar(
        "select action from platform_audit_log where target = 'amis-du-quartier'",
    )
    .fetch_all(&db.owner)
    .await?;
    assert_eq!(logged, ["tenant.export"]);

    let missing = admin(
        &db,
        &[
            "tenant",
            "export",
            "--slug",
            "nulle-part",
            "--out",
            &out.display().to_string(),
        ],
    )?;
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no workspace nulle-part"));

    // Imported into an empty workspace: the same people; a second time: refused.
    let copy = db.create_tenant("copie").await?;
    let import = || {
        admin(
            &db,
            &[
                "tenant",
                "import",
                "--slug",
                "copie",
                "--archive",
                &out.display().to_string(),
            ],
        )
    };
    let imported = import()?;
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("imported into copie"));
    let copied: Vec<String> = sqlx::query_scalar(
        "select family_name from people where tenant_id = $1 order by family_name",
    )
    .bind(copy)
    .fetch_all(&db.owner)
    .await?;
    assert_eq!(copied, ["Durand", "Zidane"]);
    let again = import()?;
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already holds records"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(db.count("people").await?, 5, "nothing merged");
    Ok(())
}
