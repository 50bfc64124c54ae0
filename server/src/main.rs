use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use broadsheet_server::db::{self, Db};
use broadsheet_server::{AppState, DEMO_ARTICLES, app, import};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

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
    /// Do not put the demo articles into a new database.
    #[arg(long)]
    no_demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (the default).
    Serve,
    /// Import an array of articles from a JSON file: all of it, or, on any problem, nothing.
    Import {
        /// The JSON file.
        file: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("broadsheet_server=info,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    let opened = Db::open(&cli.db)
        .with_context(|| format!("cannot open the database {}", cli.db.display()))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let mut conn = opened.db.conn()?;
            let n = import::import(&mut conn, &text)
                .with_context(|| format!("cannot import {}", file.display()))?;
            println!("imported {n} article(s) from {}", file.display());
            Ok(())
        }
        Command::Serve => {
            if opened.created && !cli.no_demo {
                let mut conn = opened.db.conn()?;
                let n = import::import(&mut conn, DEMO_ARTICLES).context("demo content")?;
                tracing::info!("new database: imported {n} demo articles");
            }
            let count = db::article_count(&*opened.db.conn()?)?;
            let listener = tokio::net::TcpListener::bind(cli.addr)
                .await
                .with_context(|| format!("cannot listen on {}", cli.addr))?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, articles = count, db = %cli.db.display(), "Broadsheet is at http://{addr}/");
            let state = AppState::new(opened.db, cli.dist);
            axum::serve(listener, app(state))
                .with_graceful_shutdown(shutdown_signal())
                .await?;
            tracing::info!("stopped");
            Ok(())
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
