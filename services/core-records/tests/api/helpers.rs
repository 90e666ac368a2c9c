//! What the API tests share: the real service on a random port, a fresh database per
//! test, actors signed in as members of a tenant, and requests that make or read a
//! record in a line.

use maillage_core_records::{Config, build_app};
use maillage_db::ServiceRole;
use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_testkit::{INTERNAL_SECRET, TestDatabase};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

pub type TestResult = anyhow::Result<()>;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub key: IdentityKey,
    pub db: TestDatabase,
}

/// Someone acting in one tenant with one role.
#[derive(Clone, Copy)]
pub struct Actor {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
}

impl TestApp {
    pub async fn spawn() -> anyhow::Result<Self> {
        Self::spawn_with(|_| {}).await
    }

    /// The same, with the service's configuration changed by `change` first.
    pub async fn spawn_with(change: impl FnOnce(&mut Config)) -> anyhow::Result<Self> {
        let db = TestDatabase::create().await?;
        let mut config = config_for(&db);
        change(&mut config);
        let app = build_app(config).await?;
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());
        Ok(Self {
            base,
            http: reqwest::Client::new(),
            key: IdentityKey::new(&SecretString::from(INTERNAL_SECRET.to_owned())),
            db,
        })
    }

    /// A tenant with one member of the given role.
    pub async fn actor(&self, slug: &str, role: Role) -> anyhow::Result<Actor> {
        let tenant_id = self.db.create_tenant(slug).await?;
        self.member_of(tenant_id, role).await
    }

    pub async fn member_of(&self, tenant_id: Uuid, role: Role) -> anyhow::Result<Actor> {
        let user_id = self
            .db
            .create_user(&format!("{}@example.org", Uuid::new_v4().simple()))
            .await?;
        self.db
            .add_member(tenant_id, user_id, role.as_str())
            .await?;
        Ok(Actor {
            tenant_id,
            user_id,
            role,
        })
    }

    pub fn request(
        &self,
        actor: &Actor,
        method: Method,
        path: &str,
    ) -> anyhow::Result<reqwest::RequestBuilder> {
        let token = self.key.sign(&InternalIdentity {
            tenant_id: actor.tenant_id,
            user_id: actor.user_id,
            role: actor.role,
            request_id: "test".into(),
        })?;
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(IDENTITY_HEADER, token))
    }

    pub async fn send(
        &self,
        actor: &Actor,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let mut request = self.request(actor, method, path)?;
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    pub async fn get(&self, actor: &Actor, path: &str) -> anyhow::Result<(StatusCode, Value)> {
        self.send(actor, Method::GET, path, None).await
    }

    pub async fn post(
        &self,
        actor: &Actor,
        path: &str,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        self.send(actor, Method::POST, path, Some(body)).await
    }

    pub async fn put(
        &self,
        actor: &Actor,
        path: &str,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        self.send(actor, Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, actor: &Actor, path: &str) -> anyhow::Result<(StatusCode, Value)> {
        self.send(actor, Method::DELETE, path, None).await
    }

    /// What `actor` reads at `path`, which must answer 200.
    pub async fn read(&self, actor: &Actor, path: &str) -> anyhow::Result<Value> {
        let (status, body) = self.get(actor, path).await?;
        anyhow::ensure!(status == StatusCode::OK, "GET {path}: {status} {body}");
        Ok(body)
    }

    /// The record `actor` creates by posting `body` to `path`, which must answer 201.
    pub async fn create(&self, actor: &Actor, path: &str, body: Value) -> anyhow::Result<Value> {
        let (status, created) = self.post(actor, path, body).await?;
        anyhow::ensure!(
            status == StatusCode::CREATED,
            "POST {path}: {status} {created}"
        );
        Ok(created)
    }

    /// A person `actor` creates from `body`.
    pub async fn person(&self, actor: &Actor, body: Value) -> anyhow::Result<Value> {
        self.create(actor, "/v1/people", body).await
    }

    /// An organisation `actor` creates with only a name and a kind.
    pub async fn organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: &str,
    ) -> anyhow::Result<Value> {
        self.create(
            actor,
            "/v1/organisations",
            json!({"name": name, "kind": kind}),
        )
        .await
    }

    pub async fn search(&self, actor: &Actor, q: &str) -> anyhow::Result<(StatusCode, Value)> {
        let path = format!("/v1/search?q={}", urlencode(q));
        self.send(actor, Method::GET, &path, None).await
    }

    pub async fn patch(
        &self,
        actor: &Actor,
        path: &str,
        version: &str,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let response = self
            .request(actor, Method::PATCH, path)?
            .header("if-match", version)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }
}

/// The configuration of a core-records serving the test database `db`.
pub fn config_for(db: &TestDatabase) -> Config {
    Config {
        database_url: db.url_as(ServiceRole::CoreRecords),
        database_max_connections: 4,
        bind_addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        internal_auth_secret: SecretString::from(INTERNAL_SECRET.to_owned()),
        max_in_flight: maillage_core_records::DEFAULT_MAX_IN_FLIGHT,
        redis_url: maillage_testkit::redis_url(),
        redis_namespace: maillage_testkit::unique_redis_namespace(),
        retention_look_every: std::time::Duration::from_secs(1),
    }
}

/// The text `field` of every element of `items`, in order.
pub fn each<'a>(items: &'a Value, field: &str) -> Vec<&'a str> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item[field].as_str())
        .collect()
}

pub fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap_or_default().to_owned()
}

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
