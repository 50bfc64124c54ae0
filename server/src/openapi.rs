//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the whole API, made from the routes'
//! own `#[utoipa::path]` annotations and the model's types (`broadsheet-model`, feature
//! `openapi`). The router is built from the same annotations ([`crate::routes`]), so a route
//! and its entry cannot part: there is no list to keep.
//!
//! What every operation may answer besides its own statuses is added here once, from the
//! layers in [`crate::app`] that answer them: 500 (a storage failure, in the API's error shape)
//! and 503 (a request that took longer than the server's timeout, empty), and for a read, 304
//! (HTTP caching's answer to a matching `If-None-Match`).

use axum::Extension;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use broadsheet_model::ApiError;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, RefOr, Response, ResponseBuilder};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

/// The document's fixed parts; the paths and schemas come from the routes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Broadsheet API",
        version = "1",
        description = "The contract between Broadsheet's app and the API it reads (README, \
            \"API contract (v1)\"). Errors are `{\"error\": {\"code\", \"message\"}}` with the \
            matching status; a 422 adds `fields`, a sentence per field; a 429 carries \
            `Retry-After`. Unknown fields in a response are to be ignored.",
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "articles", description = "Articles, sections, the front and the modules beside them."),
        (name = "comments", description = "Readers' comments: reading, posting, reporting."),
        (name = "embed", description = "oEmbed for partner sites."),
        (name = "contract", description = "This document."),
    )
)]
struct Base;

/// The fixed parts, to which `crate::routes` adds the routes.
pub fn base() -> OpenApi {
    Base::openapi()
}

/// The document made from `doc`, the routes' own part: adds what every operation may answer.
/// The headers of every cacheable read (`http::caching`).
const CACHE_HEADERS: &[(&str, &str)] = &[
    (
        "Cache-Control",
        "`public` with `max-age` (browsers), `s-maxage` (shared caches), \
         `stale-while-revalidate` and `stale-if-error`; comment lists have `max-age=0`.",
    ),
    (
        "ETag",
        "A strong tag of the bytes sent (`-br`/`-gz` appended for an encoded body).",
    ),
    ("Vary", "`Accept-Encoding`."),
    (
        "Surrogate-Key",
        "What the answer shows, space-separated (`article:SLUG`, `comments:SLUG`, `lists`…), \
         for purges by key.",
    ),
    ("Cache-Tag", "The same keys, comma-separated (Cloudflare)."),
];

pub fn finish(mut doc: OpenApi) -> OpenApi {
    let schemas = doc.components.get_or_insert_with(Default::default);
    // The error shape is named by every operation, through the answers added below too.
    schemas
        .schemas
        .entry(ApiError::name().into_owned())
        .or_insert_with(ApiError::schema);
    let mut errors = Vec::new();
    <ApiError as ToSchema>::schemas(&mut errors);
    schemas.schemas.extend(errors);
    for (path, item) in doc.paths.paths.iter_mut() {
        if path == "/oembed"
            && let Some(get) = &mut item.get
        {
            get.responses
                .responses
                .entry("421".into())
                .or_insert_with(|| {
                    error_response(
                        "The request names a host this site does not answer to (without \
                     `--public-url`, only `--allowed-hosts`); never cached.",
                    )
                });
        }
        // HTTP caching (`http::caching`): a read's 200 says how long it may be kept and what it
        // shows; `ETag` with `If-None-Match` may answer it with 304 and no body.
        if let Some(get) = &mut item.get {
            for (status, response) in get.responses.responses.iter_mut() {
                if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
                    for (name, description) in CACHE_HEADERS {
                        response.headers.entry((*name).into()).or_insert_with(|| {
                            RefOr::T(HeaderBuilder::new().description(Some(*description)).build())
                        });
                    }
                }
            }
            get.responses
                .responses
                .entry("304".into())
                .or_insert_with(|| {
                    ResponseBuilder::new()
                        .description(
                            "Not modified: the request's `If-None-Match` names the current \
                             `ETag`; no body.",
                        )
                        .into()
                });
        }
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut operation.responses.responses;
            responses.entry("500".into()).or_insert_with(|| {
                error_response(
                    "Something failed on the server's side; the detail is only in its log.",
                )
            });
            responses.entry("503".into()).or_insert_with(|| {
                ResponseBuilder::new()
                    .description("The request took longer than the server allows (15 s); no body.")
                    .into()
            });
        }
    }
    doc
}

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    ApiError::name(),
                ))))
                .build(),
        )
        .into()
}

/// The document as served (made once by `crate::app`).
#[derive(Clone)]
pub struct Document(pub Bytes);

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "contract", summary = "This document",
    operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.",
        body = serde_json::Value, content_type = "application/json")))]
pub async fn document(Extension(Document(json)): Extension<Document>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json)
}
