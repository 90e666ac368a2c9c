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

    let again = admin(&db, &create)?;
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));
    let tolerated = admin(&db, &[&create[..], &["--if-absent"]].concat())?;
    assert!(tolerated.status.success());
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
            "slug must be",
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
            "kind must be",
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
            "adresse e-mail invalide",
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
