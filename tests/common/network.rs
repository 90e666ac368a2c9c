//! A large partner network, made in SQL, for the drawing's test and benchmark.

/// A network of 500 records and 2,000 ties, made in SQL: 200 organisations, 150 people
/// each affiliated to one, 100 partnerships of ten partners each, 50 projects of
/// seventeen partners each.
pub async fn seed_large_network(db: &sqlx::PgPool) -> anyhow::Result<()> {
    for statement in [
        "insert into organisations (tenant_id, id, name, kind)
         select t.id, gen_random_uuid(), 'Organisation ' || i, 'association'
         from tenants t, generate_series(1, 200) i where t.slug = 'asso-demo'",
        "insert into people (tenant_id, id, given_name, family_name)
         select t.id, gen_random_uuid(), 'Prénom' || i, 'Nom' || i
         from tenants t, generate_series(1, 150) i where t.slug = 'asso-demo'",
        "insert into affiliations (tenant_id, id, person_id, organisation_id)
         select p.tenant_id, gen_random_uuid(), p.id, o.id
         from (select tenant_id, id, row_number() over (order by id) n from people) p
         join (select id, row_number() over (order by id) n from organisations) o on o.n = p.n",
        "insert into partnerships (tenant_id, id, title, kind, status)
         select t.id, gen_random_uuid(), 'Partenariat ' || i, 'operational', 'active'
         from tenants t, generate_series(1, 100) i where t.slug = 'asso-demo'",
        "insert into partnership_partners (tenant_id, partnership_id, organisation_id)
         select p.tenant_id, p.id, o.id
         from (select tenant_id, id, row_number() over (order by id) n from partnerships) p
         join (select id, row_number() over (order by id) n from organisations) o
           on (o.n + p.n * 7) % 200 < 10",
        "insert into projects (tenant_id, id, name, status)
         select t.id, gen_random_uuid(), 'Projet ' || i, 'running'
         from tenants t, generate_series(1, 50) i where t.slug = 'asso-demo'",
        "insert into project_partners (tenant_id, id, project_id, organisation_id)
         select j.tenant_id, gen_random_uuid(), j.id, o.id
         from (select tenant_id, id, row_number() over (order by id) n from projects) j
         join (select id, row_number() over (order by id) n from organisations) o
           on (o.n + j.n * 13) % 200 < 17",
    ] {
        sqlx::query(statement).execute(db).await?;
    }
    Ok(())
}
