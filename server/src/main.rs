use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::serve::ListenerExt;
use broadsheet_server::comments::{Policy, moderation};
use broadsheet_server::http::caching::Lifetimes;
use broadsheet_server::http::client::TrustedProxies;
use broadsheet_server::http::site::Site;
use broadsheet_server::purge::{self, Purger};
use broadsheet_server::store::Store;
use broadsheet_server::store::postgres::{self, PgStore};
use broadsheet_server::store::sqlite::SqliteStore;
use broadsheet_server::{AppState, DEMO_ARTICLES, app, import, ready};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's allocator: a profile of the busiest request under load showed a
/// tenth of the server's time in malloc and free (docs/figures.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The Broadsheet API server. It also serves the built app.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "BROADSHEET_ADDR")]
    addr: SocketAddr,
    /// The database: a SQLite file (created, and migrated, at start), or a PostgreSQL URL
    /// (`postgres://user@host/name`, migrated at start) for servers that share one database.
    #[arg(long, default_value = "data/broadsheet.db", env = "BROADSHEET_DB")]
    db: String,
    /// PostgreSQL only: connections in the pool.
    #[arg(long, default_value_t = postgres::Options::default().pool_size, env = "BROADSHEET_DB_POOL_SIZE", value_parser = clap::value_parser!(u16).range(1..))]
    db_pool_size: u16,
    /// PostgreSQL only: seconds a statement may run before the database cancels it.
    #[arg(long, default_value_t = postgres::Options::default().statement_timeout.as_secs(), env = "BROADSHEET_DB_STATEMENT_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    db_statement_timeout: u64,
    /// The site's language, a BCP 47 tag (en, ko, ar…): every page's `<html lang dir>`, right to
    /// left for Arabic, Hebrew, Persian, Urdu and other right-to-left scripts. An article with a
    /// language of its own keeps it. The interface speaks it through `locales/<tag>.json` (`ko-KR`
    /// takes `ko.json`; a tag without a catalogue is refused); `en-XA` is the pseudo-locale.
    #[arg(long, default_value = broadsheet_server::head::DEFAULT_LANG, env = "BROADSHEET_LANG", value_parser = parse_lang)]
    lang: String,
    /// The built app (Trunk's output).
    #[arg(long, default_value = "dist", env = "BROADSHEET_DIST")]
    dist: PathBuf,
    /// The site's public address (e.g. https://news.example), for canonical links and link
    /// previews; the request's Host is then never read. Needed behind a shared cache.
    #[arg(long, env = "BROADSHEET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Without --public-url: the host names pages may be served for (comma-separated, any
    /// port); a request for any other host gets 421. Default: localhost, 127.0.0.1, [::1].
    #[arg(long, value_delimiter = ',', env = "BROADSHEET_ALLOWED_HOSTS")]
    allowed_hosts: Vec<String>,
    /// A proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For names
    /// the reader: the cache in front. Repeatable.
    #[arg(long = "trusted-proxy", value_parser = parse_network, env = "BROADSHEET_TRUSTED_PROXY", value_delimiter = ',')]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// A cache to purge when content changes: http(s)://… for Varnish with xkey (our VCL in
    /// deploy/varnish), fastly:SERVICE_ID for Fastly (token in FASTLY_API_TOKEN). Repeatable.
    #[arg(long = "purge", value_parser = parse_purge, env = "BROADSHEET_PURGE", value_delimiter = ',')]
    purge: Vec<purge::Target>,
    /// Seconds browsers may keep pages and API reads (comment lists: 0).
    #[arg(long, default_value_t = Lifetimes::default().max_age)]
    max_age: u32,
    /// Seconds shared caches may keep pages and API reads before they revalidate.
    #[arg(long, default_value_t = Lifetimes::default().s_maxage)]
    s_maxage: u32,
    /// Seconds shared caches may keep comment lists (at most --s-maxage).
    #[arg(long, default_value_t = Lifetimes::default().comments_s_maxage)]
    comments_s_maxage: u32,
    /// Seconds a shared cache may serve a stale copy while it fetches a fresh one.
    #[arg(long, default_value_t = Lifetimes::default().stale_while_revalidate)]
    stale_while_revalidate: u32,
    /// Seconds a shared cache may serve a stale copy while the server fails or is down.
    #[arg(long, default_value_t = Lifetimes::default().stale_if_error)]
    stale_if_error: u32,
    /// Origins allowed to frame embed pages (comma-separated, e.g.
    /// https://partner.example,https://other.example). Without it, any site may.
    #[arg(long, value_delimiter = ',', value_parser = broadsheet_server::embed::parse_origin)]
    embed_partners: Vec<String>,
    /// Feeds carry each article's whole body (as HTML made from its blocks), not only its
    /// description.
    #[arg(long, env = "BROADSHEET_FEED_FULL_TEXT")]
    feed_full_text: bool,
    /// Article ids per article sitemap (`/sitemaps/articles-{n}.xml`), at most the protocol's
    /// 50,000.
    #[arg(long, default_value_t = broadsheet_server::syndication::SITEMAP_DEFAULT,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(broadsheet_server::syndication::SITEMAP_MAX)))]
    sitemap_urls: u32,
    /// Do not put the demo articles into a new database.
    #[arg(long)]
    no_demo: bool,
    /// New comments one client (IP address) may post per minute.
    #[arg(long, default_value_t = Policy::default().posts_per_minute, value_parser = clap::value_parser!(u32).range(1..))]
    comments_per_minute: u32,
    /// Reports from different clients that hide a comment until a moderator reviews it.
    #[arg(long, default_value_t = Policy::default().reports_to_hide, value_parser = clap::value_parser!(u32).range(1..))]
    reports_to_hide: u32,
    /// With `serve`: follow the feeds listed in this TOML file (see README, "Importing feeds").
    #[arg(long, global = true, value_name = "FEEDS.toml")]
    follow: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (the default).
    Serve,
    /// Import a document from a file or an http(s) URL: Broadsheet's JSON array of articles
    /// (all of it, or on any problem nothing), or a feed (RSS, Atom, JSON Feed, WordPress
    /// posts, ninjs), whose items that cannot become articles are skipped and reported.
    Import {
        /// The file, or an http(s) URL.
        file: String,
        /// The document's format; `auto` tells it from the content.
        #[arg(long, value_enum, default_value = "auto")]
        format: import::Format,
        /// Put every item in this section (a slug); otherwise the first category that names a
        /// section, or "news".
        #[arg(long, value_parser = parse_section)]
        section: Option<String>,
        /// Name this source on every item; otherwise the feed's title.
        #[arg(long)]
        source: Option<String>,
    },
    /// Moderate comments.
    #[command(subcommand)]
    Comments(CommentsCommand),
    /// Copy a SQLite database into PostgreSQL (articles, views, comments with their states,
    /// reports and idempotency keys), then check the counts. Running it again changes nothing.
    Migrate {
        /// The SQLite database file.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL URL (its schema is created or brought up to date first).
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum CommentsCommand {
    /// List comments, newest first (by default those hidden by reports, awaiting review).
    List {
        /// visible, hidden, removed or all.
        #[arg(long, default_value = "hidden", value_parser = ["visible", "hidden", "removed", "all"])]
        status: String,
    },
    /// Make a comment visible for good: reports no longer hide it.
    Approve { id: i64 },
    /// Remove a comment from every list and count.
    Remove { id: i64 },
}

/// Threads for blocking work (SQLite): the pool has 8 connections, so more threads would only
/// wait for one, each with memory of its own (at 64 connections tokio's default of 512 took the
/// server's memory past 450 MB).
const BLOCKING_THREADS: usize = 16;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("broadsheet_server=info,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    let options = postgres::Options {
        pool_size: cli.db_pool_size,
        statement_timeout: Duration::from_secs(cli.db_statement_timeout),
    };
    if let Some(Command::Migrate { from, to }) = &cli.command {
        return migrate(from, to, options).await;
    }
    let (store, created) = open(&cli.db, options).await?;
    let db_name = if postgres::is_url(&cli.db) {
        postgres::redacted(&cli.db)
    } else {
        cli.db.clone()
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate { .. } => unreachable!("handled above"),
        Command::Import {
            file,
            format,
            section,
            source,
        } => {
            let changed = import_command(&*store, &file, format, section, source).await?;
            purge_after_command(
                &cli.purge,
                changed
                    .articles
                    .iter()
                    .map(|s| purge::keys::article(s))
                    .chain([purge::keys::LISTS.to_owned()]),
            )
            .await;
            Ok(())
        }
        Command::Comments(command) => {
            if let Some(slug) = moderate(&*store, command).await? {
                purge_after_command(&cli.purge, [purge::keys::comments(&slug)]).await;
            }
            Ok(())
        }
        Command::Serve => {
            if created && !cli.no_demo {
                let n = import::import(&*store, DEMO_ARTICLES)
                    .await
                    .context("demo content")?
                    .total();
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let views = store.seed_demo_views(now).await?;
                tracing::info!(
                    "new database: imported {n} demo articles and {views} demo page views"
                );
            }
            let count = store.article_count().await?;
            let listener = tokio::net::TcpListener::bind(cli.addr)
                .await
                .with_context(|| format!("cannot listen on {}", cli.addr))?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, articles = count, db = %db_name, "Broadsheet is at http://{addr}/");
            let policy = Policy {
                posts_per_minute: cli.comments_per_minute,
                reports_to_hide: cli.reports_to_hide,
            };
            let lifetimes = Lifetimes {
                max_age: cli.max_age,
                s_maxage: cli.s_maxage,
                comments_s_maxage: cli.comments_s_maxage,
                stale_while_revalidate: cli.stale_while_revalidate,
                stale_if_error: cli.stale_if_error,
            };
            let state = AppState::new(store, cli.dist, policy)
                .with_lang(&cli.lang)
                .with_site(Site::new(cli.public_url, cli.allowed_hosts))
                .with_trusted_proxies(TrustedProxies(cli.trusted_proxies.into()))
                .with_lifetimes(lifetimes)
                .with_purger(Purger::start(cli.purge))
                .with_embed_partners(cli.embed_partners)
                .with_syndication(broadsheet_server::syndication::Settings {
                    full_text: cli.feed_full_text,
                    sitemap_part: cli.sitemap_urls,
                });
            state.start_background();
            if let Some(path) = &cli.follow {
                let feeds = broadsheet_server::follow::load(path)?;
                // After each import the changed articles' copies and every kept list go here,
                // and the caches in front are purged (`AppState::articles_changed`).
                let changed_state = state.clone();
                let on_change: broadsheet_server::follow::OnChange = Arc::new(move |changed| {
                    changed_state.articles_changed(&changed.articles);
                });
                tracing::info!(feeds = feeds.len(), file = %path.display(), "following feeds");
                broadsheet_server::follow::spawn_all(Arc::clone(&state.store), feeds, on_change);
            }
            // The rankings are ready before the first reader asks.
            state.rankings.refresh(state.store.as_ref()).await?;
            // Answers leave at once: small responses do not wait for Nagle's algorithm.
            let listener = listener.tap_io(|tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::debug!(error = %e, "TCP_NODELAY");
                }
            });
            let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
            // Counted views not written yet are written before the process ends.
            state.write_views().await;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

fn parse_section(s: &str) -> Result<String, String> {
    if broadsheet_model::is_valid_slug(s) {
        Ok(s.to_owned())
    } else {
        Err("a section is a slug: a-z, 0-9 and inner hyphens".to_owned())
    }
}

/// `import FILE-OR-URL`: reads the document (fetching a URL with a timeout and a size cap),
/// imports it, and prints the report.
async fn import_command(
    store: &dyn Store,
    file: &str,
    format: import::Format,
    section: Option<String>,
    source: Option<String>,
) -> anyhow::Result<import::Changed> {
    let is_url = file.starts_with("http://") || file.starts_with("https://");
    let bytes = if is_url {
        let url = file.to_owned();
        let fetched = tokio::task::spawn_blocking(move || {
            import::fetch::get(&url, import::fetch::TIMEOUT, &Default::default())
        })
        .await?
        .with_context(|| format!("cannot fetch {file}"))?;
        match fetched {
            import::fetch::Fetched::Body(bytes, _) => bytes,
            import::fetch::Fetched::NotModified => anyhow::bail!("{file} answered 304 unasked"),
        }
    } else {
        let meta = std::fs::metadata(file).with_context(|| format!("cannot read {file}"))?;
        if meta.len() > import::MAX_BYTES as u64 {
            anyhow::bail!(
                "cannot import {file}: it is {} bytes, over the limit of {} bytes; nothing was imported",
                meta.len(),
                import::MAX_BYTES
            );
        }
        std::fs::read(file).with_context(|| format!("cannot read {file}"))?
    };
    let options = import::Options { section, source };
    let base = is_url.then_some(file);
    let report = import::import_document(store, &bytes, format, &options, base)
        .await
        .with_context(|| format!("cannot import {file}"))?;
    println!("{report}");
    Ok(report.changed)
}

/// Opens the database `db` names: a Postgres URL or a SQLite path. True when it was new.
async fn open(db: &str, options: postgres::Options) -> anyhow::Result<(Arc<dyn Store>, bool)> {
    if postgres::is_url(db) {
        let opened = PgStore::open(db, options)
            .await
            .with_context(|| format!("cannot open the database {}", postgres::redacted(db)))?;
        Ok((Arc::new(opened.store), opened.created))
    } else {
        let opened = SqliteStore::open(Path::new(db))
            .with_context(|| format!("cannot open the database {db}"))?;
        Ok((Arc::new(opened.store), opened.created))
    }
}

async fn migrate(from: &Path, to: &str, options: postgres::Options) -> anyhow::Result<()> {
    anyhow::ensure!(
        from.is_file(),
        "there is no SQLite database at {}",
        from.display()
    );
    anyhow::ensure!(
        postgres::is_url(to),
        "--to must be a postgres:// or postgresql:// URL"
    );
    let source = SqliteStore::open(from)
        .with_context(|| format!("cannot open the database {}", from.display()))?
        .store;
    let target = PgStore::open(to, options)
        .await
        .with_context(|| format!("cannot open the database {}", postgres::redacted(to)))?
        .store;
    let copied = postgres::copy::from_sqlite(&source, &target)
        .await
        .with_context(|| {
            format!(
                "cannot copy {} to {}; nothing was written",
                from.display(),
                postgres::redacted(to)
            )
        })?;
    println!("{copied}");
    Ok(())
}

fn parse_lang(value: &str) -> Result<String, String> {
    if broadsheet_model::is_valid_lang(value) {
        // A site speaks the language of a catalogue it has (`ko-KR` takes `ko`), or refuses.
        broadsheet_server::catalogues::load(value)?;
        Ok(value.to_owned())
    } else {
        Err(format!(
            "{value:?} is not a BCP 47 language tag (such as en, ko, ar or pt-BR)"
        ))
    }
}

fn parse_network(value: &str) -> Result<ipnet::IpNet, String> {
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{value:?} is not an address or a network such as 10.0.0.0/8"))
}

fn parse_purge(value: &str) -> Result<purge::Target, String> {
    purge::Target::parse(value)
}

/// After a command changed content (while a server may be running on the same database): waits
/// until the server's own copies (kept up to `ready::PAGE_AGE`) are gone, so a cache refilled
/// after the purge gets the new content, then purges and waits for the purges to be sent.
async fn purge_after_command(targets: &[purge::Target], keys: impl IntoIterator<Item = String>) {
    if targets.is_empty() {
        return;
    }
    tokio::time::sleep(ready::PAGE_AGE + std::time::Duration::from_millis(100)).await;
    let purger = Purger::start(targets.to_vec());
    purger.purge(keys);
    purger.finish(std::time::Duration::from_secs(30)).await;
}

/// Carries out a moderation command; the slug of the article whose comments changed.
async fn moderate(store: &dyn Store, command: CommentsCommand) -> anyhow::Result<Option<String>> {
    match command {
        CommentsCommand::List { status } => {
            let status = (status != "all").then_some(status);
            let list = moderation::list(store, status.as_deref()).await?;
            for c in &list {
                println!("{}", moderation::line(c));
            }
            println!("{} comment(s)", list.len());
            Ok(None)
        }
        CommentsCommand::Approve { id } => {
            let slug = moderation::approve(store, id)
                .await?
                .with_context(|| format!("no comment #{id} that can be approved"))?;
            println!("approved comment #{id}");
            Ok(Some(slug))
        }
        CommentsCommand::Remove { id } => {
            let slug = moderation::remove(store, id)
                .await?
                .with_context(|| format!("no comment #{id}"))?;
            println!("removed comment #{id}");
            Ok(Some(slug))
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}
