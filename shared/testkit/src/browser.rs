use reqwest::{Method, StatusCode, header};
use serde_json::Value;

/// An HTTP client that behaves like a browser for our purposes: it keeps cookies and
/// follows no redirect by itself, so tests can see each step.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> anyhow::Result<String> {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no redirect from {} ({})",
                response.url(),
                response.status()
            )
        })
}

fn absolute(base: &reqwest::Url, target: &str) -> String {
    base.join(target)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| target.to_owned())
}

impl Browser {
    /// A browser pointed at the gateway at `base`.
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
            base: base.to_owned(),
        })
    }

    /// Logs in as one of the development provider's accounts (deploy/oidc/accounts.json),
    /// clicking through its pages. Returns the callback URL the provider sent the browser
    /// back to, and the session cookie the gateway set.
    pub async fn login(&self, account: &str, return_to: &str) -> anyhow::Result<(String, String)> {
        let callback = self.login_until_callback(account, return_to).await?;
        let response = self.http.get(&callback).send().await?;
        anyhow::ensure!(
            response.status().is_redirection(),
            "callback failed: {}",
            response.status()
        );
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("maillage_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no session cookie set"))?;
        Ok((callback, cookie))
    }

    /// Goes through the login at the provider, and stops where the provider sends the
    /// browser back to the gateway: the callback URL, not yet followed.
    pub async fn login_until_callback(
        &self,
        account: &str,
        return_to: &str,
    ) -> anyhow::Result<String> {
        let mut next = format!("{}/login?return_to={return_to}", self.base);
        let callback = format!("{}/auth/callback", self.base);
        for _ in 0..12 {
            if next.starts_with(&callback) {
                return Ok(next);
            }
            let response = self.http.get(&next).send().await?;
            if response.status().is_redirection() {
                next = absolute(response.url(), &location(&response)?);
                continue;
            }
            // An interaction page of the provider: log in, or give consent.
            let page_url = response.url().clone();
            let html = response.text().await?;
            let prompt = if html.contains("name=\"prompt\" value=\"consent\"") {
                "consent"
            } else {
                "login"
            };
            let form = [("prompt", prompt), ("login", account), ("password", "demo")];
            let submitted = self.http.post(page_url.as_str()).form(&form).send().await?;
            next = absolute(submitted.url(), &location(&submitted)?);
        }
        anyhow::bail!("login did not come back to the gateway")
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        Ok(self.http.get(format!("{}{path}", self.base)).send().await?)
    }

    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> anyhow::Result<reqwest::Response> {
        Ok(self
            .http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await?)
    }

    /// The page at `path`, which must answer 200: its HTML.
    pub async fn page(&self, path: &str) -> anyhow::Result<String> {
        let response = self.get(path).await?;
        let status = response.status();
        let html = response.text().await?;
        anyhow::ensure!(status == StatusCode::OK, "GET {path}: {status} {html}");
        Ok(html)
    }

    /// Submits a form that must be taken (303 See Other): where it sends the browser.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> anyhow::Result<String> {
        let response = self.post_form(path, form).await?;
        if response.status() != StatusCode::SEE_OTHER {
            let status = response.status();
            anyhow::bail!("POST {path}: {status} {}", response.text().await?);
        }
        location(&response)
    }

    /// What the API answers at `path`, which must be 200.
    pub async fn read(&self, path: &str) -> anyhow::Result<Value> {
        let (status, body) = self.api(Method::GET, path, None).await?;
        anyhow::ensure!(status == StatusCode::OK, "GET {path}: {status} {body}");
        Ok(body)
    }

    /// Creates a record by POSTing `body` to a collection of the API (`/api/v1/t/{slug}/people`);
    /// the record as answered. Anything but 201 Created is an error naming the answer.
    pub async fn create(&self, collection: &str, body: Value) -> anyhow::Result<Value> {
        let (status, record) = self.api(Method::POST, collection, Some(body)).await?;
        anyhow::ensure!(
            status == StatusCode::CREATED,
            "{collection}: {status} {record}"
        );
        Ok(record)
    }

    /// Sends a form holding one file as a browser does (`multipart/form-data`): the
    /// file's `bytes` in the field `field`. The answer as it is.
    pub async fn upload(
        &self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> anyhow::Result<reqwest::Response> {
        let boundary = "maillage-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Ok(self
            .http
            .post(format!("{}{path}", self.base))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await?)
    }

    /// Sends `bytes` as the body of an API call (a file); the answer's JSON, or null.
    pub async fn send_file(
        &self,
        method: Method,
        path: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    /// A JSON call; the body of the answer, or null when it is not JSON.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    /// A PATCH of the API at `path`, made from the record's `version` (its `If-Match`).
    pub async fn change(
        &self,
        path: &str,
        version: &str,
        body: Value,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let response = self
            .http
            .patch(format!("{}{path}", self.base))
            .header(header::IF_MATCH, format!("\"{version}\""))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }
}
