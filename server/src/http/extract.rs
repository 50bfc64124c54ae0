//! Extractors that check a request's parts and reject with an [`AppError`]: an article's slug in
//! the path, a list's `?limit=`, and a JSON object body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use broadsheet_model::is_valid_slug;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Required, Schema};

use crate::http::error::AppError;

pub const DEFAULT_PAGE: u32 = 20;
pub const MAX_PAGE: u32 = 50;

fn checked(slug: String) -> Result<String, AppError> {
    if is_valid_slug(&slug) {
        Ok(slug)
    } else {
        Err(AppError::no_article())
    }
}

/// The `{slug}` of a route with one path parameter, a valid article slug; any other is
/// "There is no article at this address." (404).
#[derive(Clone, Debug)]
pub struct Slug(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Slug {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(slug) = Path::<String>::from_request_parts(parts, state).await?;
        checked(slug).map(Slug)
    }
}

/// A query string decoded into `T`, rejected as an [`AppError`] (axum's own `Query` answers in
/// plain text, say for a parameter given twice).
#[derive(Clone, Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// What [`is_valid_slug`] accepts, for the document (`/api/openapi.json`).
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]{0,118}[a-z0-9])?$";
/// A slug of the demo data, the document's example.
const SLUG_EXAMPLE: &str = "night-trains-return-to-the-mountain-line";

fn slug_parameter() -> Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(SLUG_PATTERN))
        .min_length(Some(1))
        .max_length(Some(120));
    ParameterBuilder::new()
        .name("slug")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "The article's slug: 1-120 of a-z, 0-9 and '-', not starting or ending with '-'. \
             Any other is answered as an unknown article (404).",
        ))
        .schema(Some(Schema::Object(schema.build())))
        .example(Some(serde_json::json!(SLUG_EXAMPLE)))
        .build()
}

impl IntoParams for Slug {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![slug_parameter()]
    }
}

/// `{slug}` and `{id}` of a route such as `/articles/{slug}/comments/{id}/report`: an id that is
/// not a number is axum's 400, a slug that is not valid the 404 of [`Slug`].
#[derive(Clone, Debug)]
pub struct SlugAndId(pub String, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for SlugAndId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((slug, id)) = Path::<(String, i64)>::from_request_parts(parts, state).await?;
        Ok(SlugAndId(checked(slug)?, id))
    }
}

impl IntoParams for SlugAndId {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)));
        vec![
            slug_parameter(),
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("The comment's `id`."))
                .schema(Some(Schema::Object(id.build())))
                .build(),
        ]
    }
}

/// A list's `?limit=`: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLimit(pub u32);

impl PageLimit {
    pub fn parse(value: Option<&str>) -> Result<PageLimit, AppError> {
        match value {
            None => Ok(PageLimit(DEFAULT_PAGE)),
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .map(PageLimit)
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "limit must be a whole number from 1 to {MAX_PAGE}"
                    ))
                }),
        }
    }
}

/// The query parameter behind [`PageLimit`], which documents it.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Limit {
    /// How many items to answer with (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    limit: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageLimit {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(Limit { limit }) = Query::<Limit>::from_request_parts(parts, state).await?;
        PageLimit::parse(limit.as_deref())
    }
}

impl IntoParams for PageLimit {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        Limit::into_params(parameter_in)
    }
}

/// Why a body was not a [`JsonObject`].
#[derive(Debug)]
pub enum BodyRejection {
    /// It could not be read: too large (413), or cut off.
    Unreadable(AppError),
    /// It was read, but is not a JSON object of the expected shape (400).
    NotAnObject,
}

impl From<BodyRejection> for AppError {
    fn from(rejection: BodyRejection) -> Self {
        match rejection {
            BodyRejection::Unreadable(e) => e,
            BodyRejection::NotAnObject => {
                AppError::BadRequest("The request must be a JSON object.".into())
            }
        }
    }
}

impl axum::response::IntoResponse for BodyRejection {
    fn into_response(self) -> axum::response::Response {
        AppError::from(self).into_response()
    }
}

/// A JSON object body decoded into `T`, whatever the request's content type. The route's
/// `DefaultBodyLimit` bounds it: a bigger body is 413 `too_large`, before any parsing.
#[derive(Clone, Debug)]
pub struct JsonObject<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonObject<T> {
    type Rejection = BodyRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            BodyRejection::Unreadable(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(e.body_text())
            })
        })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or(BodyRejection::NotAnObject)?;
        T::deserialize(value)
            .map(JsonObject)
            .map_err(|_| BodyRejection::NotAnObject)
    }
}

/// For [`JsonObject`] fields: a string as it is, anything else (or nothing, with
/// `#[serde(default)]`) as "".
pub fn text_or_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(value.as_str().unwrap_or("").to_owned())
}

/// For [`JsonObject`] fields: a string as it is, anything else as absent.
pub fn text_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(value.as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request as HttpRequest;
    use axum::response::IntoResponse;
    use axum::routing::{get, post};
    use axum::{Router, extract::DefaultBodyLimit};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    #[derive(Deserialize)]
    struct Named {
        #[serde(default, deserialize_with = "text_or_empty")]
        name: String,
        #[serde(default, deserialize_with = "text_or_none")]
        note: Option<String>,
    }

    fn router() -> Router {
        Router::new()
            .route("/a/{slug}", get(|Slug(s): Slug| async move { s }))
            .route(
                "/a/{slug}/c/{id}",
                get(|SlugAndId(s, id): SlugAndId| async move { format!("{s} {id}") }),
            )
            .route(
                "/list",
                get(|PageLimit(n): PageLimit| async move { n.to_string() }),
            )
            .route(
                "/body",
                post(|JsonObject(n): JsonObject<Named>| async move {
                    format!("{}|{:?}", n.name, n.note)
                })
                .layer(DefaultBodyLimit::max(32)),
            )
    }

    async fn call(method: &str, uri: &str, body: &str) -> (StatusCode, String, String) {
        let req = HttpRequest::builder()
            .method(method)
            .uri(uri)
            .body(Body::from(body.to_owned()))
            .expect("request");
        let res = router().oneshot(req).await.expect("response");
        let status = res.status();
        let detail = res
            .extensions()
            .get::<crate::http::error::ErrorDetail>()
            .map(|d| d.0.clone())
            .unwrap_or_default();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned(), detail)
    }

    fn error(code: &str, message: &str) -> String {
        serde_json::to_string(&broadsheet_model::ApiError::new(code, message)).expect("json")
    }

    #[tokio::test]
    async fn a_slug_is_checked() {
        assert_eq!(
            call("GET", "/a/harbour-cranes", "").await.1,
            "harbour-cranes"
        );
        let (status, body, detail) = call("GET", "/a/Not_A_Slug", "").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            body,
            error("not_found", "There is no article at this address.")
        );
        assert_eq!(detail, "There is no article at this address.");
        // Not UTF-8 once decoded: axum's own answer.
        assert_eq!(call("GET", "/a/%FF", "").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_slug_with_an_id_is_checked() {
        assert_eq!(call("GET", "/a/harbour/c/7", "").await.1, "harbour 7");
        assert_eq!(
            call("GET", "/a/Not_A_Slug/c/7", "").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            call("GET", "/a/harbour/c/seven", "").await.0,
            StatusCode::BAD_REQUEST
        );
    }

    #[tokio::test]
    async fn a_limit_is_1_to_50() {
        assert_eq!(call("GET", "/list", "").await.1, "20");
        assert_eq!(call("GET", "/list?limit=50", "").await.1, "50");
        assert_eq!(call("GET", "/list?limit=1", "").await.1, "1");
        for bad in ["0", "51", "-1", "x", ""] {
            let (status, body, _) = call("GET", &format!("/list?limit={bad}"), "").await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(
                body,
                error("bad_request", "limit must be a whole number from 1 to 50")
            );
        }
    }

    #[tokio::test]
    async fn a_body_must_be_a_json_object_within_the_limit() {
        assert_eq!(
            call("POST", "/body", r#"{"name":"Mina"}"#).await.1,
            "Mina|None"
        );
        assert_eq!(
            call("POST", "/body", r#"{"name":1,"note":"n"}"#).await.1,
            "|Some(\"n\")"
        );
        assert_eq!(call("POST", "/body", r#"{"note":2}"#).await.1, "|None");
        for bad in ["", "{", "[1]", "\"text\"", "null"] {
            let (status, body, _) = call("POST", "/body", bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}");
            assert_eq!(
                body,
                error("bad_request", "The request must be a JSON object.")
            );
        }
        let (status, body, _) = call(
            "POST",
            "/body",
            &format!("{{\"name\":\"{}\"}}", "x".repeat(40)),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body, error("too_large", "The request is too large."));
    }

    #[test]
    fn a_body_rejection_is_an_app_error() {
        let response = BodyRejection::NotAnObject.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}
