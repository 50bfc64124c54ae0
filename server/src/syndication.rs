//! Feeds, sitemaps and `robots.txt`: what feed readers and crawlers ask for.
//!
//! - Feeds (addresses in `broadsheet::feeds`): RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the home
//!   page, each section and each tag, the newest [`FEED_ITEMS`] articles ([`feed`]); with
//!   `--feed-full-text` each entry carries the body, written out as HTML from its typed blocks.
//! - `/sitemap.xml`: an index of `/sitemaps/sections.xml` (home and section fronts) and the
//!   article sitemaps `/sitemaps/articles-{n}.xml`, each a run of article ids that holds at
//!   most [`Settings::sitemap_part`] articles (`--sitemap-urls`, 2,000 unless chosen, at most
//!   the protocol's 50,000); `/sitemaps/news.xml`:
//!   Google News, the articles published in the last [`NEWS_WINDOW`] ([`sitemap`]).
//! - `/robots.txt`: the site is open to crawlers but for the API and oEmbed, and names both
//!   sitemaps.
//!
//! Answers are kept ready for a second like pages (`crate::ready`), the sitemap index (a pass
//! over every article) for a minute, and all are cacheable with the surrogate key `lists`
//! (`crate::http::caching`), so every import purges them and drops the kept ones.

pub mod feed;
pub mod settings;
pub mod sitemap;

pub use settings::{SITEMAP_DEFAULT, SITEMAP_MAX, Settings};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use broadsheet::feeds::{self, Format, Scope};
use bytes::Bytes;

use crate::http::error::AppError;
use crate::ready::Kept;
use crate::state::AppState;
use crate::store::FeedOf;

/// Entries in a feed.
pub const FEED_ITEMS: u32 = 50;
/// How far back the news sitemap reaches, in seconds (Google News: two days).
pub const NEWS_WINDOW: i64 = 48 * 3600;
/// The most URLs a news sitemap may hold.
pub const NEWS_MAX: u32 = 1_000;

/// The addresses answered here (the feeds' own are `broadsheet::feeds`).
pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route("/robots.txt", get(serve))
        .route("/sitemap.xml", get(serve))
        .route("/sitemaps/{file}", get(serve));
    for format in Format::ALL {
        let file = format.file_name();
        router = router
            .route(&format!("/{file}"), get(serve))
            .route(&format!("/section/{{slug}}/{file}"), get(serve))
            .route(&format!("/tag/{{tag}}/{file}"), get(serve));
    }
    router
}

/// What an address here names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Robots,
    SitemapIndex,
    Sections,
    News,
    /// An article sitemap, numbered from 1.
    Articles(u32),
    Feed(Scope, Format),
}

impl Answer {
    /// The answer at `path` (as sent: a tag still percent-encoded), if any.
    pub fn parse(path: &str) -> Option<Answer> {
        Some(match path {
            "/robots.txt" => Answer::Robots,
            "/sitemap.xml" => Answer::SitemapIndex,
            "/sitemaps/sections.xml" => Answer::Sections,
            "/sitemaps/news.xml" => Answer::News,
            _ => match path
                .strip_prefix("/sitemaps/articles-")
                .and_then(|rest| rest.strip_suffix(".xml"))
            {
                // Digits only, no leading zero: one address per part.
                Some(n) if !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()) => {
                    Answer::Articles(n.parse().ok()?)
                }
                Some(_) => return None,
                None => {
                    let (scope, format) = feeds::parse(path)?;
                    Answer::Feed(scope, format)
                }
            },
        })
    }

    fn content_type(&self) -> &'static str {
        match self {
            Answer::Robots => "text/plain; charset=utf-8",
            Answer::Feed(_, Format::Rss) => "application/rss+xml; charset=utf-8",
            Answer::Feed(_, Format::Atom) => "application/atom+xml; charset=utf-8",
            Answer::Feed(_, Format::Json) => "application/feed+json; charset=utf-8",
            _ => "application/xml; charset=utf-8",
        }
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found\n",
    )
        .into_response()
}

/// Every address of [`router`].
async fn serve(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    let Some(answer) = Answer::parse(path) else {
        return not_found();
    };
    let Some(base) = state.site.base(&headers).map(|b| b.into_owned()) else {
        return AppError::MisdirectedHost.into_response();
    };
    let content_type = answer.content_type();
    // The key holds all an answer is made from: the site, the address and the settings.
    let key = format!("{base}{path} {:?}", state.syndication);
    let made = async {
        let body = make(&state, &answer, &base).await?;
        Ok::<_, AppError>(match body {
            Some(body) => Kept {
                status: StatusCode::OK,
                content_type,
                body,
            },
            None => Kept {
                status: StatusCode::NOT_FOUND,
                content_type: "text/plain; charset=utf-8",
                body: Bytes::from_static(b"Not found\n"),
            },
        })
    };
    // The index reads every article's id and change: kept a minute, not a second.
    let kept = match answer {
        Answer::SitemapIndex => state.ready.summary(key, made).await,
        _ => state.ready.page(key, made).await,
    };
    match kept {
        Ok(kept) => (
            kept.status,
            [(header::CONTENT_TYPE, kept.content_type)],
            kept.body,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The answer's body; `None` for what does not exist.
async fn make(state: &AppState, answer: &Answer, base: &str) -> Result<Option<Bytes>, AppError> {
    let settings = state.syndication;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(match answer {
        Answer::Robots => Some(robots(base).into()),
        Answer::SitemapIndex => {
            let parts = state.store.sitemap_parts(settings.sitemap_part).await?;
            Some(sitemap::index(base, &parts).into())
        }
        Answer::Sections => {
            let sections = state.store.sections().await?;
            Some(sitemap::sections(base, &sections).into())
        }
        Answer::News => {
            let recent = state
                .store
                .published_since(now - NEWS_WINDOW, NEWS_MAX)
                .await?;
            Some(sitemap::news(base, &recent).into())
        }
        Answer::Articles(part) => {
            let entries = state
                .store
                .sitemap_part(*part, settings.sitemap_part)
                .await?;
            (!entries.is_empty()).then(|| sitemap::articles(base, &entries).into())
        }
        Answer::Feed(scope, format) => {
            let (listing, name) = match scope {
                Scope::Home => (FeedOf::All, None),
                Scope::Section(slug) => {
                    let sections = state.store.sections().await?;
                    let Some(section) = sections.into_iter().find(|s| &s.slug == slug) else {
                        return Ok(None);
                    };
                    (FeedOf::Section(slug.clone()), Some(section.name))
                }
                Scope::Tag(tag) => (FeedOf::Tag(tag.clone()), None),
            };
            let Some(articles) = state.store.feed(&listing, FEED_ITEMS).await? else {
                return Ok(None);
            };
            let channel = feed::Channel::new(scope, name.as_deref(), base, *format);
            let made = feed::Entries {
                articles: &articles,
                full_text: settings.full_text,
                base,
            };
            Some(match format {
                Format::Rss => feed::rss(&channel, &made).into(),
                Format::Atom => feed::atom(&channel, &made).into(),
                Format::Json => feed::json(&channel, &made)?.into(),
            })
        }
    })
}

/// `robots.txt`: everything but the API and oEmbed may be crawled (their JSON only repeats
/// what the pages show, and every page's first screen comes with the page, so a crawler needs
/// neither); embeds stay crawlable so that crawlers read their `noindex` and canonical link,
/// which a disallowed address would hide. Both sitemaps are named by their full address.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /oembed\n\n\
         Sitemap: {base}/sitemap.xml\nSitemap: {base}/sitemaps/news.xml\n"
    )
}
