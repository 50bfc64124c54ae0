use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use axum::serve::ListenerExt;
use broadsheet_server::comments::{Policy, moderation};
use broadsheet_server::store::Store;
use broadsheet_server::store::sqlite::SqliteStore;
use broadsheet_server::{AppState, DEMO_ARTICLES, app, import};
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
    /// The SQLite database file (created, and migrated, at start).
    #[arg(long, default_value = "data/broadsheet.db", env = "BROADSHEET_DB")]
    db: PathBuf,
    /// The built app (Trunk's output).
    #[arg(long, default_value = "dist", env = "BROADSHEET_DIST")]
    dist: PathBuf,
    /// The site's public address (e.g. https://news.example), for canonical links and link
    /// previews. Without it, pages name the host the request was sent to.
    #[arg(long, env = "BROADSHEET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Origins allowed to frame embed pages (comma-separated, e.g.
    /// https://partner.example,https://other.example). Without it, any site may.
    #[arg(long, value_delimiter = ',', value_parser = broadsheet_server::embed::parse_origin)]
    embed_partners: Vec<String>,
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
    let opened = SqliteStore::open(&cli.db)
        .with_context(|| format!("cannot open the database {}", cli.db.display()))?;
    let store: Arc<dyn Store> = Arc::new(opened.store);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Import {
            file,
            format,
            section,
            source,
        } => import_command(&*store, &file, format, section, source).await,
        Command::Comments(command) => moderate(&*store, command).await,
        Command::Serve => {
            if opened.created && !cli.no_demo {
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
            tracing::info!(%addr, articles = count, db = %cli.db.display(), "Broadsheet is at http://{addr}/");
            let policy = Policy {
                posts_per_minute: cli.comments_per_minute,
                reports_to_hide: cli.reports_to_hide,
            };
            let state = AppState::new(store, cli.dist, policy)
                .with_public_url(cli.public_url)
                .with_embed_partners(cli.embed_partners);
            state.start_background();
            if let Some(path) = &cli.follow {
                let feeds = broadsheet_server::follow::load(path)?;
                let articles = state.articles.clone();
                // After each import the changed articles' cached copies go; the page cache
                // keeps pages for a second only.
                let on_change: broadsheet_server::follow::OnChange = Arc::new(move |changed| {
                    for slug in &changed.articles {
                        articles.changed(slug);
                    }
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
) -> anyhow::Result<()> {
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
    Ok(())
}

async fn moderate(store: &dyn Store, command: CommentsCommand) -> anyhow::Result<()> {
    match command {
        CommentsCommand::List { status } => {
            let status = (status != "all").then_some(status);
            let list = moderation::list(store, status.as_deref()).await?;
            for c in &list {
                println!("{}", moderation::line(c));
            }
            println!("{} comment(s)", list.len());
        }
        CommentsCommand::Approve { id } => {
            anyhow::ensure!(
                moderation::approve(store, id).await?,
                "no comment #{id} that can be approved"
            );
            println!("approved comment #{id}");
        }
        CommentsCommand::Remove { id } => {
            anyhow::ensure!(moderation::remove(store, id).await?, "no comment #{id}");
            println!("removed comment #{id}");
        }
    }
    Ok(())
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
