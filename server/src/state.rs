//! What every handler can reach.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cache::Articles;
use crate::comments::rate_limit::{Limits, Policy};
use crate::head::Shell;
use crate::http::caching::Lifetimes;
use crate::http::client::TrustedProxies;
use crate::http::site::Site;
use crate::purge::{Purger, keys};
use crate::rankings::Rankings;
use crate::ready::Ready;
use crate::security::{self, Policies};
use crate::store::{Change, Store};
use crate::views::{self, Views};

/// What every handler can reach: one pointer, cloned for every request (axum hands each handler
/// and middleware its own copy), so a clone is one reference count, not a copy of every field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] points to.
#[derive(Clone)]
pub struct Shared {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Recently read articles, ready to send.
    pub articles: Articles,
    /// Where the built app is.
    pub dist: PathBuf,
    /// `dist/index.html`, read once at start and cut around its title; `None` when the app has
    /// not been built.
    pub shell: Arc<Option<Shell>>,
    /// The built app's pictures small enough to come inside a page, found once at start.
    pub pictures: broadsheet::page_data::embedded::Inline,
    /// The interface's words in the site's language (`--lang`; `crate::catalogues`).
    pub messages: Arc<broadsheet::i18n::Messages>,
    /// The site's address (`--public-url`, or the hosts it answers to), for canonical links
    /// and previews.
    pub site: Site,
    /// Proxies whose `X-Forwarded-For` names the reader (`--trusted-proxy`).
    pub proxies: TrustedProxies,
    /// How long caches may keep answers.
    pub lifetimes: Lifetimes,
    /// Tells the caches in front what changed (`--purge`).
    pub purger: Purger,
    /// Per-client limits on comments.
    pub limits: Arc<Limits>,
    /// Page views being counted, written every second.
    pub views: Views,
    /// "Popular Now" and the other ranked modules, kept ready.
    pub rankings: Rankings,
    /// Pages and composite reads kept for a moment.
    pub ready: Ready,
    /// Feeds' full text and the sitemaps' size (`--feed-full-text`).
    pub syndication: crate::syndication::settings::Settings,
    /// Origins allowed to frame embed pages; empty means any site may.
    pub embed_partners: Vec<String>,
    /// The Content-Security-Policy of every response, built once: for embed pages and for the
    /// rest (they differ in `frame-ancestors`).
    pub policies: Arc<Policies>,
}

impl axum::extract::FromRef<AppState> for TrustedProxies {
    fn from_ref(state: &AppState) -> TrustedProxies {
        state.proxies.clone()
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, dist: PathBuf, policy: Policy) -> Self {
        let html = std::fs::read_to_string(dist.join("index.html")).ok();
        let messages = crate::catalogues::load(crate::head::DEFAULT_LANG)
            .expect("locales/en.json is a catalogue (tests/catalogues.rs)");
        // The fronts' CSS, built beside the page: their pages carry it in place of the whole.
        let fronts_style = std::fs::read_to_string(dist.join(crate::head::FRONTS_STYLE_FILE)).ok();
        let shell = html.as_deref().and_then(Shell::parse).map(|shell| {
            let shell = shell.with_messages(&messages);
            match &fronts_style {
                Some(css) => shell.with_fronts_style(css),
                None => shell,
            }
        });
        match (&html, &shell) {
            (None, _) => {
                tracing::warn!(dist = %dist.display(), "no index.html: the app has not been built")
            }
            (Some(_), None) => tracing::warn!("index.html has no <title>: pages get no metadata"),
            _ => {}
        }
        let mut hashes = html
            .as_deref()
            .map(security::InlineHashes::of)
            .unwrap_or_default();
        if let Some(css) = &fronts_style {
            hashes.styles.push(security::hash_source(css));
        }
        let pictures = crate::pictures::scan(&dist);
        AppState(Arc::new(Shared {
            articles: Articles::new(store.clone()),
            store,
            dist,
            policies: Arc::new(Policies::new(hashes, &[])),
            shell: Arc::new(shell),
            pictures,
            messages,
            site: Site::default(),
            proxies: TrustedProxies::default(),
            lifetimes: Lifetimes::default(),
            purger: Purger::default(),
            limits: Limits::new(policy),
            views: Views::new(),
            rankings: Rankings::default(),
            ready: Ready::default(),
            embed_partners: Vec::new(),
            syndication: Default::default(),
        }))
    }

    /// The shared fields, to change while the state is being built.
    fn edit(self, change: impl FnOnce(&mut Shared)) -> Self {
        let mut shared = Arc::try_unwrap(self.0).unwrap_or_else(|arc| (*arc).clone());
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// Starts the server's own work: counted views written every [`views::BATCH`] (and the
    /// articles whose counts changed read afresh), and what no longer decides anything
    /// forgotten once a minute. Call once, inside the runtime.
    pub fn start_background(&self) {
        self.follow_changes();
        let state = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(views::BATCH);
            let mut ticks = 0u64;
            loop {
                every.tick().await;
                state.write_views().await;
                ticks += 1;
                if ticks.is_multiple_of(60) {
                    state.views.forget_old();
                    state.limits.forget_idle();
                    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1_000;
                    if let Err(e) = state.store.forget_full_allowances(now_ms).await {
                        tracing::warn!(error = %e, "could not forget full comment allowances");
                    }
                }
            }
        });
    }

    /// Drops the copies of what other servers (or the CLI) change on a shared database, as
    /// the store tells of it: an article's comments drop the article and its pages; an
    /// imported article drops every page and module and recomputes the rankings.
    fn follow_changes(&self) {
        let Some(mut changes) = self.store.changes() else {
            return;
        };
        let state = self.clone();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::{RecvError, TryRecvError};
            loop {
                let first = match changes.recv().await {
                    Ok(change) => change,
                    Err(RecvError::Lagged(_)) => Change::Unknown,
                    Err(RecvError::Closed) => return,
                };
                // An import tells of every article it wrote: what has arrived is taken
                // together, so the rankings are recomputed once, not once per article.
                let mut batch = vec![first];
                loop {
                    match changes.try_recv() {
                        Ok(change) => batch.push(change),
                        Err(TryRecvError::Lagged(_)) => batch.push(Change::Unknown),
                        Err(_) => break,
                    }
                }
                let mut articles_changed = false;
                for change in batch {
                    match change {
                        // As `comments_changed` and `articles_changed` do for changes made
                        // here, but without purging: the server or command that made the
                        // change purges the caches in front.
                        Change::Comments(slug) => {
                            state.articles.changed(&slug);
                            state.ready.forget_article(&slug);
                        }
                        Change::Article(slug) => {
                            state.articles.changed(&slug);
                            articles_changed = true;
                        }
                        Change::Unknown => {
                            state.articles.forget_all();
                            articles_changed = true;
                        }
                    }
                }
                if articles_changed {
                    state.ready.forget_all();
                    if let Err(e) = state.rankings.refresh(state.store.as_ref()).await {
                        tracing::warn!(error = %e, "could not refresh the rankings");
                    }
                }
            }
        });
    }

    /// Writes the counted views now; the articles whose counts changed are read afresh. A
    /// failure is logged, and the views wait for the next try.
    pub async fn write_views(&self) {
        match self.views.flush(self.store.as_ref()).await {
            Ok(changed) => {
                for slug in changed {
                    self.articles.changed(&slug);
                }
            }
            Err(e) => tracing::error!(error = %e, "could not write the counted views"),
        }
    }

    /// Allows only these origins to frame embed pages.
    pub fn with_embed_partners(self, partners: Vec<String>) -> Self {
        self.edit(|s| {
            s.policies = Arc::new(Policies::new(s.policies.hashes.clone(), &partners));
            s.embed_partners = partners;
        })
    }

    /// Sets the site's public address, e.g. `https://news.example`.
    pub fn with_public_url(self, url: Option<String>) -> Self {
        self.with_site(Site::new(url, Vec::new()))
    }

    /// Sets what feeds carry and how sitemaps are split.
    pub fn with_syndication(self, settings: crate::syndication::settings::Settings) -> Self {
        self.edit(|s| s.syndication = settings)
    }

    /// Sets where the site is (`--public-url`, `--allowed-hosts`).
    pub fn with_site(self, site: Site) -> Self {
        self.edit(|s| s.site = site)
    }

    /// The site's language (`--lang`, a valid BCP 47 tag): every page's `<html lang dir>` and
    /// the `broadsheet-lang` meta tag the app reads, and the interface's catalogue
    /// (`crate::catalogues::load`; a tag without one keeps English, with a warning: `main`
    /// refuses such a tag before it gets here).
    pub fn with_lang(self, lang: &str) -> Self {
        let messages = match crate::catalogues::load(lang) {
            Ok(messages) => messages,
            Err(e) => {
                tracing::warn!("{e}; the interface stays in English");
                self.0.messages.clone()
            }
        };
        self.edit(|s| {
            s.shell = Arc::new(
                s.shell
                    .as_ref()
                    .clone()
                    .map(|shell| shell.with_lang(lang).with_messages(&messages)),
            );
            s.messages = messages;
        })
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn with_trusted_proxies(self, proxies: TrustedProxies) -> Self {
        self.edit(|s| s.proxies = proxies)
    }

    /// Sets how long caches may keep answers.
    pub fn with_lifetimes(self, lifetimes: Lifetimes) -> Self {
        self.edit(|s| s.lifetimes = lifetimes)
    }

    /// Purges the caches in front through `purger` when content changes.
    pub fn with_purger(self, purger: Purger) -> Self {
        self.edit(|s| s.purger = purger)
    }

    /// An article's comments changed (a post, a report, a moderator's decision): its copies
    /// here are dropped, and the caches in front purge what shows its comments.
    pub fn comments_changed(&self, slug: &str) {
        self.articles.changed(slug);
        self.ready.forget_article(slug);
        self.purger.purge([keys::comments(slug)]);
    }

    /// Articles were imported (new or updated): their copies and every kept list here are
    /// dropped, the rankings are made again, and the caches in front purge the articles and
    /// every answer that lists headlines.
    pub fn articles_changed(&self, slugs: &[String]) {
        for slug in slugs {
            self.articles.changed(slug);
        }
        self.ready.forget_all();
        let state = self.clone();
        tokio::spawn(async move {
            if let Err(e) = state.rankings.refresh(state.store.as_ref()).await {
                tracing::error!(error = %e, "could not rank after an import");
            }
        });
        self.purger.purge(
            slugs
                .iter()
                .map(|s| keys::article(s))
                .chain([keys::LISTS.to_owned()]),
        );
    }
}
