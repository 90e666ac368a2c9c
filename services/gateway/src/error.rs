use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_problem::Problem;

/// Every way a gateway request can fail, mapped once to problem+json. Web pages turn
/// these into HTML pages (see `html_errors`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("login required")]
    LoginRequired,
    #[error("not found")]
    NotFound,
    #[error("the member's role does not let them change records")]
    ReadOnly,
    #[error("the user is not a platform administrator")]
    PlatformOnly,
    #[error("the workspace is suspended")]
    Suspended,
    #[error("export: {0}")]
    Export(String),
    #[error("the request comes from another site")]
    CrossSiteRequest,
    #[error("the login attempt is unknown, expired or already used")]
    LoginStateInvalid,
    #[error("the login callback came to another browser than the one that started it")]
    LoginFromAnotherBrowser,
    #[error("the identity provider refused or failed the login: {0}")]
    LoginFailed(String),
    /// A workspace's provider signed in an address of a domain the workspace does not
    /// accept.
    #[error("the address's domain is not one the workspace accepts")]
    SignInDomainRefused,
    /// A workspace has its own provider whose secret this gateway cannot open (no
    /// `IDENTITY_SECRETS_KEY`, or another one).
    #[error("the workspace's own sign-in cannot be used by this gateway")]
    SignInNotConfigured,
    #[error("core-records is unreachable: {0}")]
    CoreUnavailable(#[from] reqwest::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("internal identity: {0}")]
    Identity(#[from] maillage_identity::IdentityError),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The gateway and core-records describe two different types under one schema name:
    /// the merged document would describe one of them wrongly.
    #[error("the OpenAPI schema {0} is described differently by the gateway and core-records")]
    SchemaNamedTwice(String),
    /// core-records refused a write for a reason a form cannot show: its problem, as is.
    #[error("refused: {}", .0.title)]
    Refused(Problem),
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let problem = match &self {
            Self::LoginRequired => Problem::new(
                StatusCode::UNAUTHORIZED,
                "login-required",
                "Connectez-vous pour continuer.",
            ),
            Self::NotFound => Problem::not_found(),
            Self::Refused(problem) => problem.clone(),
            Self::ReadOnly => Problem::new(
                StatusCode::FORBIDDEN,
                "read-only",
                "Votre rôle dans cet espace permet de consulter les fiches, pas de les modifier.",
            ),
            Self::PlatformOnly => Problem::new(
                StatusCode::FORBIDDEN,
                "platform-only",
                "Cette page est réservée aux administrateurs de la plateforme.",
            ),
            Self::Suspended => Problem::new(
                StatusCode::FORBIDDEN,
                "workspace-suspended",
                "Cet espace est suspendu.",
            )
            .with_detail(
                "Ses données sont conservées et ses rappels attendent. Pour le réactiver, adressez-vous à l'administrateur de la plateforme.",
            ),
            Self::CrossSiteRequest => Problem::new(
                StatusCode::FORBIDDEN,
                "cross-site-request",
                "Cette action doit être faite depuis Maillage même.",
            ),
            Self::LoginStateInvalid => Problem::new(
                StatusCode::BAD_REQUEST,
                "login-expired",
                "Cette tentative de connexion a expiré ou a déjà servi. Reconnectez-vous.",
            ),
            Self::LoginFromAnotherBrowser => {
                tracing::warn!("login callback from another browser refused");
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "login-other-browser",
                    "Cette connexion a été commencée dans un autre navigateur. Si quelqu'un vous a envoyé ce lien, ne l'utilisez pas ; sinon, reconnectez-vous ici.",
                )
            }
            Self::LoginFailed(reason) => {
                tracing::warn!(%reason, "login failed");
                Problem::new(
                    StatusCode::BAD_GATEWAY,
                    "login-failed",
                    "La connexion auprès du fournisseur d'identité a échoué. Réessayez.",
                )
            }
            Self::SignInDomainRefused => Problem::new(
                StatusCode::FORBIDDEN,
                "sign-in-domain-refused",
                "Cet espace n'accepte pas les adresses de ce domaine.",
            )
            .with_detail(
                "Connectez-vous avec votre adresse professionnelle, ou demandez à un propriétaire de l'espace d'ajouter ce domaine.",
            ),
            Self::SignInNotConfigured => {
                tracing::error!("a workspace's own sign-in cannot be opened: IDENTITY_SECRETS_KEY missing or changed");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "sign-in-unavailable",
                    "La connexion propre à cet espace est indisponible pour le moment.",
                )
                .with_detail("L'administrateur de la plateforme en est averti.")
            }
            Self::CoreUnavailable(error) => {
                tracing::error!(%error, "core-records call failed");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Le service est momentanément indisponible. Réessayez dans un instant.",
                )
            }
            Self::Database(_)
            | Self::Redis(_)
            | Self::Template(_)
            | Self::Identity(_)
            | Self::Json(_)
            | Self::Export(_)
            | Self::SchemaNamedTwice(_) => {
                tracing::error!(error = %self, "internal error");
                Problem::internal()
            }
        };
        problem.into_response()
    }
}
