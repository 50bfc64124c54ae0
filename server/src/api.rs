//! The JSON API under `/api`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use broadsheet_model::{
    ApiError, Article, ArticleSummary, Front, Module, Page, SearchResults, Section,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::comments;
use crate::http::client::ClientIp;
use crate::http::error::AppError;
use crate::http::extract::{PageLimit, Query, Slug};
use crate::rankings;
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::search::{self, SearchCursor};
use crate::store::{Cursor, Store, StoreError};

/// Stories per section on the home page.
pub const FRONT_PER_SECTION: u32 = 4;

/// Results per page of a search.
pub const SEARCH_PAGE: u32 = 10;

/// Stories shown when a search finds nothing.
const SEARCH_LATEST: u32 = 5;

/// The API's routes, each from its handler's `#[utoipa::path]` (so each is in the document,
/// `crate::openapi`, exactly as it is routed).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sections))
        .routes(routes!(front))
        .routes(routes!(list_modules))
        .routes(routes!(list_articles))
        .routes(routes!(get_article))
        .routes(routes!(record_view))
        .routes(routes!(search_articles))
        .merge(comments::routes::router())
        .merge(crate::listings::router())
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".into()) })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Where the list goes on: a `next_cursor` this server gave out (empty: from the start).
    #[param(pattern = r"^(-?[0-9]{1,18}\.-?[0-9]{1,18})?$")]
    cursor: Option<String>,
    /// Only this section's stories (a section's `slug`).
    #[param(example = "world")]
    section: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ModuleParams {
    /// The article whose page shows the modules; without it, a front's modules.
    #[param(example = "night-trains-return-to-the-mountain-line")]
    article: Option<String>,
}

/// The modules of an article page (`?article=slug`) or of a front (no parameter).
#[utoipa::path(get, path = "/modules", tag = "articles",
    summary = "The modules beside an article, or a front's", params(ModuleParams),
    responses(
        (status = 200, description = "The page's modules, in the order they are shown.", body = Vec<Module>),
        (status = 404, description = "There is no such article.", body = ApiError),
    ))]
async fn list_modules(
    State(state): State<AppState>,
    Query(params): Query<ModuleParams>,
) -> Result<Json<Vec<Module>>, AppError> {
    let own = match params.article.as_deref() {
        Some(slug) => Some(
            state
                .ready
                .article_modules(&state.store, slug)
                .await?
                .ok_or_else(AppError::no_article)?
                .to_vec(),
        ),
        None => None,
    };
    let rankings = state.rankings.get(&state.store).await?;
    Ok(Json(rankings::page_modules(own, &rankings)))
}

/// The home page's stories, kept for a moment (`crate::ready`).
#[utoipa::path(get, path = "/front", tag = "articles", summary = "The home page's stories",
    responses((status = 200, description = "The home page: a lead story and each section's newest stories.", body = Front)))]
async fn front(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let kept = state
        .ready
        .page("/api/front".to_owned(), async {
            let front = state.store.front(FRONT_PER_SECTION).await?;
            Ok::<_, AppError>(Kept {
                status: StatusCode::OK,
                content_type: "application/json",
                body: serde_json::to_vec(&front).map_err(StoreError::from)?.into(),
            })
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, kept.content_type)], kept.body))
}

/// The sections, in the order the site shows them.
#[utoipa::path(get, path = "/sections", tag = "articles", summary = "The sections",
    responses((status = 200, description = "Every section.", body = Vec<Section>)))]
async fn list_sections(State(state): State<AppState>) -> Result<Json<Vec<Section>>, AppError> {
    Ok(Json(state.store.sections().await?))
}

/// The newest articles, or a section's, a page at a time.
#[utoipa::path(get, path = "/articles", tag = "articles",
    summary = "The newest articles, or a section's, a page at a time", params(ListParams, PageLimit),
    responses(
        (status = 200, description = "A page of articles, newest first.", body = Page<ArticleSummary>),
        (status = 400, description = "The limit or the cursor is not one this server takes.", body = ApiError),
        (status = 404, description = "There is no such section.", body = ApiError),
    ))]
async fn list_articles(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    PageLimit(limit): PageLimit,
) -> Result<Json<Page<ArticleSummary>>, AppError> {
    let cursor = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(s) => Some(Cursor::parse(s).ok_or_else(|| {
            AppError::BadRequest("cursor is not one this server gave out".into())
        })?),
    };
    let page = state
        .store
        .latest(params.section.as_deref(), limit, cursor)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such section.".into()))?;
    Ok(Json(page))
}

/// The busiest request: answered from [`crate::cache`], the same bytes as long as they hold.
#[utoipa::path(get, path = "/articles/{slug}", tag = "articles", summary = "An article", params(Slug),
    responses(
        (status = 200, description = "The whole article.", body = Article),
        (status = 404, description = "There is no article at this address.", body = ApiError),
    ))]
async fn get_article(
    State(state): State<AppState>,
    Slug(slug): Slug,
) -> Result<impl IntoResponse, AppError> {
    let cached = state
        .articles
        .get(&slug)
        .await?
        .ok_or_else(AppError::no_article)?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        cached.json.clone(),
    ))
}

/// Offers one page view to the counter ([`crate::views`]: robots, prefetches, repeats and
/// bursts do not count, and the answer never says which). The app sends it once per article page
/// it shows; reading an article (GET) never counts.
#[utoipa::path(post, path = "/articles/{slug}/views", tag = "articles",
    summary = "Count a page view of the article",
    description = "Sent by the app once per article page it shows. Robots, prefetches, other \
        sites' pages, repeats within the hour and bursts do not count; the answer is the same.", params(Slug),
    responses(
        (status = 204, description = "Offered: the answer does not say whether the view counted \
            (robots, prefetches, other sites' pages, repeats within the hour and bursts do not)."),
        (status = 404, description = "There is no article at this address.", body = ApiError),
    ))]
async fn record_view(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Slug(slug): Slug,
) -> Result<impl IntoResponse, AppError> {
    if state.articles.get(&slug).await?.is_none() {
        return Err(AppError::no_article());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let verdict = state.views.offer(&slug, client, &headers, now);
    tracing::debug!(%slug, ?verdict, "view");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchParams {
    /// What to search for: words, in any script (at most 200 characters). Punctuation alone
    /// finds nothing.
    #[param(
        required = true,
        example = "night trains",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    q: Option<String>,
    /// Where the results go on: a `next_cursor` this server gave out (empty: from the start).
    #[param(pattern = r"^([01]\.-?[0-9]{1,18}\.-?[0-9]{1,18})?$")]
    cursor: Option<String>,
}

/// A search as the store takes it: what the reader typed, cut into terms, and where the
/// results go on.
pub struct SearchRequest {
    query: search::Query,
    cursor: Option<SearchCursor>,
}

impl SearchRequest {
    /// Checks `q` and `cursor`: a query that cannot be searched is a 422 whose message says
    /// why, a cursor this server did not give out a 400.
    pub fn parse(q: &str, cursor: Option<&str>) -> Result<SearchRequest, AppError> {
        let query = search::Query::parse(q).map_err(|e| AppError::Invalid {
            message: e.to_string(),
            fields: vec![("q", e.to_string())],
        })?;
        let cursor = match cursor {
            None | Some("") => None,
            Some(s) => Some(SearchCursor::parse(s).ok_or_else(|| {
                AppError::BadRequest("cursor is not one this server gave out".into())
            })?),
        };
        Ok(SearchRequest { query, cursor })
    }

    /// The name its answer is kept under: the cursor first (it holds no `&`), then the query
    /// as typed, so no two requests share one.
    fn key(&self) -> String {
        let cursor = self.cursor.map(SearchCursor::encode).unwrap_or_default();
        format!("/api/search?cursor={cursor}&q={}", self.query.text)
    }

    /// A page of the results (`crate::store::search`); a first page with no results comes with
    /// the latest stories.
    pub async fn run(&self, store: &dyn Store) -> Result<SearchResults, AppError> {
        let query = &self.query;
        // No words (punctuation alone) finds nothing; the index is never asked.
        let page = if query.terms.is_empty() {
            Page {
                items: Vec::new(),
                next_cursor: None,
            }
        } else {
            store
                .search(query.terms.clone(), SEARCH_PAGE, self.cursor)
                .await?
        };
        let latest = if page.items.is_empty() && self.cursor.is_none() {
            store
                .latest(None, SEARCH_LATEST, None)
                .await?
                .map(|p| p.items)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            items: page
                .items
                .iter()
                .map(|(doc, _)| search::hit(doc, query))
                .collect::<Result<_, _>>()
                .map_err(StoreError::from)?,
            next_cursor: page.next_cursor,
            latest,
            query: query.text.clone(),
        })
    }
}

/// Full-text search of headlines, standfirsts, bodies, bylines and tags.
#[utoipa::path(get, path = "/search", tag = "articles",
    summary = "Search the articles, a page at a time", params(SearchParams),
    description = "Finds the articles holding every word of `q` (case, width and accents as \
        typed; Korean, Chinese, Japanese and Thai by pairs of characters, so a word is found \
        inside a longer one). Stories whose headline holds every word come first, then the \
        rest; newest first within each. The matched words are marked in `headline` and \
        `snippet` as runs with `marked: true`.",
    responses(
        (status = 200, description = "A page of results; with no results on the first page, `latest` holds the newest stories.", body = SearchResults),
        (status = 400, description = "The cursor is not one this server gave out.", body = ApiError),
        (status = 422, description = "`q` is missing, blank, or longer than 200 characters; the message says which.", body = ApiError),
    ))]
async fn search_articles(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let request =
        SearchRequest::parse(params.q.as_deref().unwrap_or(""), params.cursor.as_deref())?;
    // Kept for a moment (`crate::ready`), as a tag's page is: when a story breaks, most
    // searches are for the same few words.
    let kept = state
        .ready
        .page(request.key(), async {
            let results = request.run(state.store.as_ref()).await?;
            Ok::<_, AppError>(Kept {
                status: StatusCode::OK,
                content_type: "application/json",
                body: serde_json::to_vec(&results)
                    .map_err(StoreError::from)?
                    .into(),
            })
        })
        .await?;
    Ok(kept.into_response())
}
