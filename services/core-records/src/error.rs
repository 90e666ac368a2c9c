use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_problem::{FieldError, Problem};

/// Every way a core-records request can fail, mapped once to problem+json.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no valid internal identity")]
    Unauthenticated,
    #[error("the role does not allow this action")]
    Forbidden,
    #[error("record not found")]
    NotFound,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("an If-Match header with the record's version is required")]
    PreconditionRequired,
    #[error("the record changed since it was read (now at version {current})")]
    VersionConflict { current: i32 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// PostgreSQL's `read_only_sql_transaction`.
const READ_ONLY: &str = "25006";

impl Error {
    pub fn field(field: &str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let problem = match self {
            Self::Unauthenticated => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Identité interne absente ou invalide.",
            ),
            Self::Forbidden => Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Votre rôle ne permet pas cette action.",
            ),
            Self::NotFound => Problem::not_found(),
            Self::Validation(errors) => Problem::validation(errors),
            Self::PreconditionRequired => Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "Indiquez la version modifiée dans l'en-tête If-Match.",
            ),
            Self::VersionConflict { current } => Problem::new(
                StatusCode::CONFLICT,
                "version-conflict",
                "Cette fiche a été modifiée entre-temps par quelqu'un d'autre.",
            )
            .with_detail(format!(
                "Rechargez la fiche (version actuelle : {current}) puis refaites votre modification."
            )),
            // A checked-only request passed every check and reached its first write,
            // which its read-only transaction refused: nothing was written.
            Self::Database(sqlx::Error::Database(db)) if db.code().as_deref() == Some(READ_ONLY) => {
                return StatusCode::NO_CONTENT.into_response();
            }
            Self::Database(error) => {
                // Logged in full here, never shown to the client.
                tracing::error!(%error, "database error");
                Problem::internal()
            }
        };
        problem.into_response()
    }
}

/// Turns a named constraint violation into the error a user can act on; any other
/// database error stays a database error.
pub trait ResultExt<T> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> Error) -> Result<T, Error>;
}

impl<T, E: Into<Error>> ResultExt<T> for Result<T, E> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> Error) -> Result<T, Error> {
        self.map_err(|e| match e.into() {
            Error::Database(sqlx::Error::Database(db)) if db.constraint() == Some(name) => map(),
            other => other,
        })
    }
}
