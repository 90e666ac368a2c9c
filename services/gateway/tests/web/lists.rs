//! Lists as a CRM's: the filter bar, a person's organisation, columns chosen per member,
//! saved views (shared or not), and actions on the ticked records.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

/// The rows of a list page's table: its record links, in order.
fn names_in(html: &str, collection: &str) -> Vec<String> {
    let marker = format!("/{collection}/");
    html.split("<td><a href=\"/t/")
        .skip(1)
        .filter(|row| row.contains(&marker))
        .filter_map(|row| row.split_once("\">").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once("</a>").map(|(name, _)| name.to_owned()))
        .collect()
}

#[tokio::test]
async fn a_list_is_filtered_by_its_bar_and_says_by_what() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let caf = created(
        &camille,
        "organisations",
        json!({"name": "CAF du Rhône", "kind": "funder", "territory": "Lyon"}),
    )
    .await?;
    created(
        &camille,
        "organisations",
        json!({"name": "Région Auvergne", "kind": "funder", "territory": "Clermont"}),
    )
    .await?;
    created(
        &camille,
        "organisations",
        json!({"name": "Les Amis du Parc", "kind": "association", "territory": "Lyon"}),
    )
    .await?;
    let (status, _) = camille
        .api(
            reqwest::Method::PUT,
            &format!("/api/v1/t/asso-demo/organisations/{caf}/tags"),
            Some(json!({"tags": ["Jeunesse"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);

    let all = camille.page("/t/asso-demo/organisations").await?;
    assert_eq!(
        names_in(&all, "organisations"),
        ["CAF du Rhône", "Les Amis du Parc", "Région Auvergne"]
    );
    assert!(
        all.contains(r#"<select id="filter-kind" name="kind">"#),
        "no kind filter: {all}"
    );
    assert!(
        all.contains(r#"<option value="Jeunesse">Jeunesse</option>"#),
        "the workspace's tags are not offered"
    );

    let funders = camille
        .page("/t/asso-demo/organisations?kind=funder&territory=lyon")
        .await?;
    assert_eq!(names_in(&funders, "organisations"), ["CAF du Rhône"]);
    assert!(
        funders.contains(r#"<option value="funder" selected>Financeur</option>"#),
        "the chosen kind is not shown chosen"
    );
    assert!(
        funders.contains("Filtré : Financeur · territoire « lyon »"),
        "the filters are not said: {funders}"
    );
    let tagged = camille
        .page("/t/asso-demo/organisations?tag=jeunesse")
        .await?;
    assert_eq!(names_in(&tagged, "organisations"), ["CAF du Rhône"]);
    let none = camille
        .page("/t/asso-demo/organisations?kind=association&tag=Jeunesse")
        .await?;
    assert!(
        none.contains("Aucune fiche ne correspond à ces filtres."),
        "{none}"
    );
    // A filter bar's "all" is no filter; a value the list does not offer is refused.
    let blank = camille
        .page("/t/asso-demo/organisations?kind=&tag=&territory=")
        .await?;
    assert_eq!(names_in(&blank, "organisations").len(), 3);
    for refused in ["kind=bank", "status=active", "owner=me", "within=30"] {
        let response = camille
            .get(&format!("/t/asso-demo/organisations?{refused}"))
            .await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }
    // Projects by owner: "me", or a colleague by id; not someone outside the workspace.
    created(
        &camille,
        "projects",
        json!({"name": "Jardins", "status": "running"}),
    )
    .await?;
    let mine = camille.page("/t/asso-demo/projects?owner=me").await?;
    assert_eq!(names_in(&mine, "projects"), ["Jardins"]);
    assert!(mine.contains("Filtré : les miens"), "{mine}");
    let stranger = uuid::Uuid::now_v7();
    let response = camille
        .get(&format!("/t/asso-demo/projects?owner={stranger}"))
        .await?;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn a_list_keeps_the_records_changed_since_a_day_of_the_workspaces_calendar() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    // Last changed: in 2024; at 00:30 on New Year's Day 2025 in Paris (still 2024 in
    // UTC); today.
    for (name, changed_at) in [
        ("Ancienne Fondation", Some("2024-06-01T10:00:00Z")),
        ("Fondation du Nouvel An", Some("2024-12-31T23:30:00Z")),
        ("Fondation Récente", None),
    ] {
        let id = created(
            &camille,
            "organisations",
            json!({"name": name, "kind": "funder"}),
        )
        .await?;
        if let Some(changed_at) = changed_at {
            sqlx::query(
                "update organisations set updated_at = $1::timestamptz where id = $2::uuid",
            )
            .bind(changed_at)
            .bind(&id)
            .execute(&stack.db.owner)
            .await?;
        }
    }
    let page = camille
        .page("/t/asso-demo/organisations?since=2025-01-01")
        .await?;
    assert_eq!(
        names_in(&page, "organisations"),
        ["Fondation du Nouvel An", "Fondation Récente"]
    );
    assert!(page.contains("Filtré : modifiée depuis le"), "{page}");
    assert!(
        page.contains(r#"name="since" value="2025-01-01""#),
        "the day chosen is not kept in the bar"
    );
    let recent_first = camille
        .page("/t/asso-demo/organisations?since=2025-01-02&sort=recent")
        .await?;
    assert_eq!(
        names_in(&recent_first, "organisations"),
        ["Fondation Récente"]
    );
    // A day that is none, one before any record could change, or a list without the
    // filter: refused, not ignored.
    for refused in [
        "/t/asso-demo/organisations?since=2025-13-01",
        "/t/asso-demo/organisations?since=1999-12-31",
        "/t/asso-demo/organisations?since=hier",
        "/t/asso-demo/deadlines?since=2025-01-01",
    ] {
        let response = camille.get(refused).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }
    Ok(())
}

#[tokio::test]
async fn the_people_list_shows_where_each_person_belongs_today() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let caf = created(
        &camille,
        "organisations",
        json!({"name": "CAF du Rhône", "kind": "funder"}),
    )
    .await?;
    let old = created(
        &camille,
        "organisations",
        json!({"name": "Ancienne Asso", "kind": "association"}),
    )
    .await?;
    let lea = created(
        &camille,
        "people",
        json!({"given_name": "Léa", "family_name": "Durand"}),
    )
    .await?;
    for (organisation, ends_on) in [(&caf, None), (&old, Some("2020-12-31"))] {
        let (status, body) = camille
            .api(reqwest::Method::POST, "/api/v1/t/asso-demo/affiliations",
                Some(json!({"person_id": lea, "organisation_id": organisation, "role": "chargée de mission",
                            "starts_on": "2019-01-01", "ends_on": ends_on})))
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let people = camille.page("/t/asso-demo/people").await?;
    assert!(
        people.contains(&format!(
            r#"<a href="/t/asso-demo/organisations/{caf}">CAF du Rhône</a>"#
        )),
        "{people}"
    );
    assert!(
        !people.contains("Ancienne Asso"),
        "an affiliation that ended is shown as current"
    );
    Ok(())
}

#[tokio::test]
async fn each_member_chooses_their_columns_and_a_link_may_name_others() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack.viewer().await?;
    created(
        &camille,
        "people",
        json!({"given_name": "Léa", "family_name": "Durand",
        "emails": [{"address": "lea@example.org"}], "address": {"city": "Villeurbanne"}}),
    )
    .await?;
    let before = camille.page("/t/asso-demo/people").await?;
    assert!(
        before.contains("lea@example.org") && !before.contains("Villeurbanne"),
        "{before}"
    );

    // A viewer may choose too: it is their own view of the list.
    let back = sacha
        .submit(
            "/t/asso-demo/people/columns",
            &[
                ("column", "city"),
                ("column", "updated"),
                ("column", "nonsense"),
                ("back", "tag=x&column=email&evil=1"),
            ],
        )
        .await?;
    assert_eq!(
        back, "/t/asso-demo/people?tag=x",
        "the list's own filters only, the columns chosen not overridden"
    );
    let chosen = sacha.page("/t/asso-demo/people").await?;
    assert!(
        chosen.contains("Villeurbanne") && chosen.contains("Changed on"),
        "{chosen}"
    );
    assert!(
        !chosen.contains("lea@example.org"),
        "a column left out is still shown"
    );
    // Camille's columns are still the defaults.
    let theirs = camille.page("/t/asso-demo/people").await?;
    assert!(theirs.contains("lea@example.org") && !theirs.contains("Villeurbanne"));
    // A link naming columns shows those, and keeps them in the page's links.
    let linked = camille
        .page("/t/asso-demo/people?column=city&sort=recent")
        .await?;
    assert!(linked.contains("Villeurbanne") && !linked.contains("lea@example.org"));
    assert!(
        linked.contains("?sort=name&#38;column=city"),
        "the order's link forgets the columns: {linked}"
    );
    Ok(())
}

#[tokio::test]
async fn a_saved_view_opens_as_a_link_and_a_shared_one_reaches_colleagues() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack.viewer().await?;
    created(
        &camille,
        "organisations",
        json!({"name": "CAF du Rhône", "kind": "funder", "territory": "Lyon"}),
    )
    .await?;
    created(
        &camille,
        "organisations",
        json!({"name": "Les Amis du Parc", "kind": "association"}),
    )
    .await?;

    let page = camille
        .page("/t/asso-demo/organisations?kind=funder&column=territory")
        .await?;
    assert!(
        page.contains(r#"name="query" value="kind=funder&#38;column=territory""#),
        "{page}"
    );
    let opened = camille
        .submit(
            "/t/asso-demo/organisations/views",
            &[
                ("name", "Financeurs"),
                ("shared", "on"),
                ("query", "kind=funder&column=territory&sneaky=1"),
            ],
        )
        .await?;
    assert_eq!(
        opened,
        "/t/asso-demo/organisations?kind=funder&column=territory&done=view-saved"
    );
    let view = camille.page(&opened).await?;
    assert!(view.contains("La vue est enregistrée."), "{view}");
    assert!(view.contains(r#"href="/t/asso-demo/organisations?kind=funder&#38;column=territory" aria-current="true">Financeurs</a>"#), "{view}");
    assert_eq!(names_in(&view, "organisations"), ["CAF du Rhône"]);

    // Sacha sees the shared view, saves a private one, and may not share.
    let theirs = sacha.page("/t/asso-demo/organisations").await?;
    assert!(
        theirs.contains(">Financeurs</a> <span class=\"tag\">shared</span>"),
        "{theirs}"
    );
    sacha
        .submit(
            "/t/asso-demo/organisations/views",
            &[("name", "Associations"), ("query", "kind=association")],
        )
        .await?;
    let response = sacha
        .post_form(
            "/t/asso-demo/organisations/views",
            &[("name", "Pour tous"), ("shared", "on"), ("query", "")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let camilles = camille.page("/t/asso-demo/organisations").await?;
    assert!(
        !camilles.contains("Associations</a>"),
        "a private view reached a colleague"
    );
    // A name is needed; a view of the same name is replaced.
    let response = camille
        .post_form(
            "/t/asso-demo/organisations/views",
            &[("name", "  "), ("query", "")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("Donnez à la vue un nom"));
    camille
        .submit(
            "/t/asso-demo/organisations/views",
            &[("name", "financeurs"), ("query", "kind=funder")],
        )
        .await?;
    let views: i64 = sqlx::query_scalar("select count(*) from saved_views")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(views, 2, "saving under the same name added a view");

    // Only its author (or an admin) deletes a view.
    let id: uuid::Uuid = sqlx::query_scalar("select id from saved_views where name = 'financeurs'")
        .fetch_one(&stack.db.owner)
        .await?;
    let response = sacha
        .post_form(
            &format!("/t/asso-demo/organisations/views/{id}/delete"),
            &[],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let back = camille
        .submit(
            &format!("/t/asso-demo/organisations/views/{id}/delete"),
            &[],
        )
        .await?;
    assert_eq!(back, "/t/asso-demo/organisations?done=view-deleted");
    assert!(
        !camille
            .page("/t/asso-demo/organisations")
            .await?
            .contains("financeurs</a>")
    );
    Ok(())
}

#[tokio::test]
async fn ticked_records_are_tagged_given_and_binned_at_once_and_only_the_workspaces() -> TestResult
{
    let stack = Stack::start().await?;
    let other = stack.db.create_tenant("autre-asso").await?;
    stack
        .db
        .invite(other, "camille.martin@demo.maillage.test", "editor")
        .await?;
    let camille = stack.editor().await?;
    let sacha = stack.viewer().await?;
    let lea = created(
        &camille,
        "people",
        json!({"given_name": "Léa", "family_name": "Durand"}),
    )
    .await?;
    let tom = created(
        &camille,
        "people",
        json!({"given_name": "Tom", "family_name": "Petit"}),
    )
    .await?;
    let (status, theirs) = camille
        .api(
            reqwest::Method::POST,
            "/api/v1/t/autre-asso/people",
            Some(json!({"given_name": "Zoé", "family_name": "Autre"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let theirs = theirs["id"].as_str().unwrap_or_default().to_owned();

    let page = camille.page("/t/asso-demo/people").await?;
    assert!(
        page.contains(&format!(
            r#"name="id" value="{lea}" form="bulk" aria-label="Sélectionner Léa Durand""#
        )),
        "{page}"
    );
    let back = camille
        .submit(
            "/t/asso-demo/people/bulk",
            &[
                ("id", &lea),
                ("id", &tom),
                ("id", &theirs),
                ("action", "tag"),
                ("tag", "Bénévoles"),
                ("back", "sort=recent"),
            ],
        )
        .await?;
    assert_eq!(
        back,
        "/t/asso-demo/people?sort=recent&done=tagged&changed=2&failed=1"
    );
    let said = camille.page(&back).await?;
    assert!(
        said.contains("2 fiches étiquetées. 1 n&#39;a pas pu l&#39;être"),
        "{said}"
    );
    for id in [&lea, &tom] {
        let tags = camille
            .read(&format!("/api/v1/t/asso-demo/people/{id}/tags"))
            .await?;
        assert_eq!(tags["tags"], json!(["Bénévoles"]));
    }
    let tags = camille
        .read(&format!("/api/v1/t/autre-asso/people/{theirs}/tags"))
        .await?;
    assert_eq!(
        tags["tags"],
        json!([]),
        "another workspace's record was tagged"
    );

    // A viewer changes nothing; nonsense is refused and changes nothing.
    let response = sacha
        .post_form(
            "/t/asso-demo/people/bulk",
            &[("id", &lea), ("action", "bin")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    for form in [
        vec![("action", "bin")],
        vec![("id", "not-an-id"), ("action", "bin")],
        vec![("id", lea.as_str()), ("action", "explode")],
        vec![("id", lea.as_str()), ("action", "assign")],
        vec![("id", lea.as_str()), ("action", "tag"), ("tag", " ")],
    ] {
        let response = camille.post_form("/t/asso-demo/people/bulk", &form).await?;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
    }

    // Projects are given to a member; records are binned, and the list says so.
    let garden = created(
        &camille,
        "projects",
        json!({"name": "Jardins", "status": "running"}),
    )
    .await?;
    let sacha_id: uuid::Uuid = sqlx::query_scalar("select id from users where email like 'sacha%'")
        .fetch_one(&stack.db.owner)
        .await?;
    camille
        .submit(
            "/t/asso-demo/projects/bulk",
            &[
                ("id", &garden),
                ("action", "assign"),
                ("owner", &sacha_id.to_string()),
            ],
        )
        .await?;
    let project = camille
        .read(&format!("/api/v1/t/asso-demo/projects/{garden}"))
        .await?;
    assert_eq!(project["owner_user_id"], json!(sacha_id));
    let back = camille
        .submit(
            "/t/asso-demo/people/bulk",
            &[("id", &lea), ("id", &theirs), ("action", "bin")],
        )
        .await?;
    assert_eq!(back, "/t/asso-demo/people?done=binned&changed=1&failed=1");
    let people = camille.page("/t/asso-demo/people").await?;
    assert_eq!(names_in(&people, "people"), ["Petit Tom"]);
    let zoe = camille
        .read(&format!("/api/v1/t/autre-asso/people/{theirs}"))
        .await?;
    assert_eq!(
        zoe["deleted_at"],
        json!(null),
        "another workspace's record was binned"
    );
    Ok(())
}
