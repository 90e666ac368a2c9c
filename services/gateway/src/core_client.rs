//! Calls to core-records, on behalf of a member, with a signed internal identity and the
//! request id, so that one request can be followed across both services' logs.

use maillage_identity::{CHECK_ONLY_HEADER, IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_problem::Problem;
use maillage_runtime::REQUEST_ID_HEADER;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::membership::Member;

pub struct CoreRecords {
    http: reqwest::Client,
    base_url: String,
    key: IdentityKey,
}

/// core-records' answer to a write: the record, or the problem to show the user.
pub type Outcome<T> = Result<T, Problem>;

impl CoreRecords {
    pub fn new(base_url: String, key: IdentityKey) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()?;
        Ok(Self {
            http,
            base_url,
            key,
        })
    }

    /// core-records' OpenAPI document (its own paths, under `/v1/`).
    pub async fn openapi(&self) -> Result<serde_json::Value, Error> {
        let url = format!("{}/v1/openapi.json", self.base_url);
        Ok(self
            .http
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// A request to core-records' `path` (e.g. `/v1/people`) as `member`.
    pub fn request(
        &self,
        member: &Member,
        method: Method,
        path: &str,
    ) -> Result<RequestBuilder, Error> {
        let token = self.key.sign(&InternalIdentity {
            tenant_id: member.tenant.id,
            user_id: member.user.id,
            role: member.role,
            request_id: member.request_id.clone(),
        })?;
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header(IDENTITY_HEADER, token)
            .header(REQUEST_ID_HEADER, &member.request_id)
            // Refused fields come back worded in the member's language.
            .header(reqwest::header::ACCEPT_LANGUAGE, member.lang().code()))
    }

    /// Reads a resource; a 404 from core-records is a 404 here.
    pub async fn get<T: DeserializeOwned>(&self, member: &Member, path: &str) -> Result<T, Error> {
        let response = self.request(member, Method::GET, path)?.send().await?;
        match response.status() {
            StatusCode::NOT_FOUND => Err(Error::NotFound),
            _ => Ok(response.error_for_status()?.json().await?),
        }
    }

    /// Reads what a person typed (a search): a 4xx problem comes back as `Err(problem)`
    /// for the page to show; a 404 is a 404 here.
    pub async fn query<T: DeserializeOwned>(
        &self,
        member: &Member,
        path: &str,
    ) -> Result<Outcome<T>, Error> {
        let response = self.request(member, Method::GET, path)?.send().await?;
        match response.status() {
            StatusCode::NOT_FOUND => Err(Error::NotFound),
            status if status.is_client_error() => Ok(Err(response.json().await?)),
            _ => Ok(Ok(response.error_for_status()?.json().await?)),
        }
    }

    /// Deletes, from the version the page showed (when the resource has versions); a
    /// 4xx problem comes back as `Err(problem)`.
    pub async fn delete(
        &self,
        member: &Member,
        path: &str,
        if_match: Option<i64>,
    ) -> Result<Outcome<()>, Error> {
        let request = self.request(member, Method::DELETE, path)?;
        let response = with_version(request, if_match).send().await?;
        match response.status() {
            StatusCode::NOT_FOUND => Err(Error::NotFound),
            status if status.is_client_error() => Ok(Err(response.json().await?)),
            _ => {
                response.error_for_status()?;
                Ok(Ok(()))
            }
        }
    }

    /// Sends a file as it arrives (`body`); a 4xx problem comes back as `Err(problem)`.
    pub async fn upload<T: DeserializeOwned>(
        &self,
        member: &Member,
        path: &str,
        body: reqwest::Body,
    ) -> Result<Outcome<T>, Error> {
        let response = self
            .request(member, Method::POST, path)?
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .send()
            .await?;
        let status = response.status();
        if status.is_client_error() {
            return Ok(Err(response.json().await?));
        }
        Ok(Ok(response.error_for_status()?.json().await?))
    }

    /// Writes; a 4xx problem comes back as `Err(problem)` for the form to show.
    pub async fn send<T: DeserializeOwned>(
        &self,
        member: &Member,
        method: Method,
        path: &str,
        body: &impl Serialize,
        if_match: Option<i64>,
    ) -> Result<Outcome<T>, Error> {
        let request = self.request(member, method, path)?.json(body);
        let response = with_version(request, if_match).send().await?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Err(Error::NotFound);
        }
        if status.is_client_error() {
            return Ok(Err(response.json().await?));
        }
        Ok(Ok(response.error_for_status()?.json().await?))
    }

    /// Asks what `body` would be refused for, writing nothing (`CHECK_ONLY_HEADER`): the
    /// refusal, or none when the checks pass (204) or could not be run (the record is
    /// gone, the version moved on: the real send will say so).
    pub async fn check(
        &self,
        member: &Member,
        method: Method,
        path: &str,
        body: &impl Serialize,
        if_match: Option<i64>,
    ) -> Result<Option<Problem>, Error> {
        let request = self
            .request(member, method, path)?
            .header(CHECK_ONLY_HEADER, "1")
            .json(body);
        let request = with_version(request, if_match);
        let response = request.send().await?;
        match response.status() {
            StatusCode::UNPROCESSABLE_ENTITY => Ok(Some(response.json().await?)),
            status if status.is_client_error() => Ok(None),
            // A server error fails the page as any other would.
            _ => {
                response.error_for_status()?;
                Ok(None)
            }
        }
    }
}

/// `request` made from `version` of its record (If-Match), when it has versions.
fn with_version(request: reqwest::RequestBuilder, version: Option<i64>) -> reqwest::RequestBuilder {
    match version {
        Some(version) => request.header(reqwest::header::IF_MATCH, format!("\"{version}\"")),
        None => request,
    }
}
