//! Embedding on partner sites: who may frame which page, and oEmbed.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use broadsheet::route::Route;
use broadsheet_model::{ApiError, is_valid_slug};
use serde::{Deserialize, Serialize};

use crate::head::escape;
use crate::http::error::AppError;
use crate::http::extract::Query;
use crate::state::AppState;
use crate::web::base_url;

/// Default and largest size of the embedded card, in CSS pixels.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 420;
const MIN_WIDTH: u32 = 200;

/// Checks a partner origin given on the command line: `https://host[:port]`, nothing more.
pub fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an http(s) origin"))?;
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "{s:?} is not an origin (scheme://host[:port], no path)"
        ))
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OEmbedParams {
    /// An article's address on this site, `{base}/article/{slug}`.
    #[param(example = "http://127.0.0.1:8080/article/night-trains-return-to-the-mountain-line")]
    url: Option<String>,
    /// `json`, the only format answered (absent or empty means `json`; any other is 501, as
    /// oEmbed says).
    #[param(example = "json")]
    format: Option<String>,
    /// The largest width the consumer can show, in CSS pixels (at most 640 is used).
    #[param(schema_with = dimension_schema)]
    maxwidth: Option<String>,
    /// The largest height the consumer can show, in CSS pixels (at most 420 is used).
    #[param(schema_with = dimension_schema)]
    maxheight: Option<String>,
}

/// What [`dimension`] reads: a u32, or nothing (an empty value). Said exactly, since the fuzzer
/// holds the server to it both ways (utoipa calls a u32 an int32, which ends at 2^31 - 1).
fn dimension_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
    let any = AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(u32::MAX)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .build();
    Schema::AnyOf(any)
}

/// An oEmbed 1.0 `rich` response.
#[derive(Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct OEmbed {
    pub version: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub provider_name: String,
    pub provider_url: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub html: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_height: Option<u32>,
}

/// The slug of an article URL of this site (`{base}/article/{slug}`), if `url` is one.
fn article_slug(url: &str, base: &str) -> Option<String> {
    let path = url.strip_prefix(base)?;
    let path = path.split(['?', '#']).next()?;
    let Route::Article { slug } = Route::parse(path) else {
        return None;
    };
    let exact = Route::article(slug.clone()).path() == path.trim_end_matches('/');
    (exact && is_valid_slug(&slug)).then_some(slug)
}

fn dimension(value: Option<&str>, default: u32) -> Result<u32, AppError> {
    match value {
        None | Some("") => Ok(default),
        Some(v) => v.parse::<u32>().map(|n| n.min(default)).map_err(|_| {
            AppError::BadRequest("maxwidth and maxheight must be whole numbers".into())
        }),
    }
}

/// `GET /oembed?url=…&format=json[&maxwidth=&maxheight=]`.
#[utoipa::path(get, path = "/oembed", tag = "embed", summary = "oEmbed for an article's address", params(OEmbedParams),
    responses(
        (status = 200, description = "An oEmbed 1.0 `rich` response: an iframe of the article's \
            embed page.", body = OEmbed),
        (status = 400, description = "`maxwidth` or `maxheight` is not a whole number.", body = ApiError),
        (status = 404, description = "The URL is not an article of this site.", body = ApiError),
        (status = 501, description = "A `format` other than `json`.", body = ApiError),
    ))]
pub async fn oembed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<OEmbedParams>,
) -> Result<Response, AppError> {
    // An empty `format=` is no format, as an empty `maxwidth=` is no width.
    if let Some(format) = params.format.as_deref()
        && !format.is_empty()
        && format != "json"
    {
        let body = ApiError::new("not_implemented", "Only format=json is supported.");
        return Ok((StatusCode::NOT_IMPLEMENTED, Json(body)).into_response());
    }
    let base = base_url(&state, &headers)?;
    let not_ours = || AppError::NotFound("That URL is not an article of this site.".into());
    let url = params.url.as_deref().ok_or_else(not_ours)?;
    let slug = article_slug(url, &base).ok_or_else(not_ours)?;
    let width = dimension(params.maxwidth.as_deref(), WIDTH)?.max(MIN_WIDTH);
    let height = dimension(params.maxheight.as_deref(), HEIGHT)?;
    let article = state.store.article(&slug).await?.ok_or_else(not_ours)?;
    let src = format!(
        "{base}{}",
        Route::Embed {
            slug: article.slug.clone()
        }
        .path()
    );
    let html = format!(
        "<iframe src=\"{}\" width=\"{width}\" height=\"{height}\" title=\"{}\" \
         sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox\" \
         loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        escape(&src),
        escape(&article.headline)
    );
    let thumbnail = article.image.as_ref();
    let body = OEmbed {
        version: "1.0".into(),
        kind: "rich".into(),
        provider_name: broadsheet::i18n::t("site.name"),
        provider_url: format!("{base}/"),
        title: article.headline.clone(),
        author_name: article.byline.as_ref().map(|b| b.name.clone()),
        html,
        width,
        height,
        thumbnail_url: thumbnail.map(|i| {
            if i.src.starts_with('/') {
                format!("{base}{}", i.src)
            } else {
                i.src.clone()
            }
        }),
        thumbnail_width: thumbnail.map(|i| i.width),
        thumbnail_height: thumbnail.map(|i| i.height),
    };
    Ok(Json(body).into_response())
}
