//! Telling the caches in front what changed: each change names surrogate keys ([`keys`]), and a
//! worker per cache (`--purge URL`, repeatable) sends them with that cache's protocol.
//!
//! - `http://host:port/…`: Varnish with the xkey module and our VCL (`deploy/varnish/`): a
//!   `PURGE` request with the keys in `xkey-purge`.
//! - `fastly:SERVICE_ID`: Fastly's surrogate-key purge API (`POST /service/{id}/purge` with the
//!   keys in `Surrogate-Key`), with the token from `FASTLY_API_TOKEN`.
//!
//! A write never waits for a purge and never fails because of one: [`Purger::purge`] only queues
//! the keys. A purge that fails is logged and retried with backoff; keys that arrive meanwhile
//! go with the retry. Each batch is sent again [`ECHO`] later: another server's copy of a page
//! (kept up to a second, `crate::ready`) may refill the cache between our write and the purge,
//! and the second purge clears that copy too.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::sync::mpsc;

/// The names responses carry in `Surrogate-Key`, and changes purge.
pub mod keys {
    /// Every answer that lists headlines (fronts, sections, modules, article pages' sidebars):
    /// any import purges it.
    pub const LISTS: &str = "lists";
    /// The home page and `/api/front`.
    pub const FRONT: &str = "front";
    /// `/api/modules`.
    pub const MODULES: &str = "modules";
    /// Other API reads.
    pub const API: &str = "api";
    /// Pages that are the app's shell alone (Saved).
    pub const SHELL: &str = "shell";

    /// An article's own content: its page, JSON, embed.
    pub fn article(slug: &str) -> String {
        format!("article:{slug}")
    }

    /// Whatever shows an article's comments or their count.
    pub fn comments(slug: &str) -> String {
        format!("comments:{slug}")
    }

    /// A section front.
    pub fn section(slug: &str) -> String {
        format!("section:{slug}")
    }
}

/// How long after a purge it is sent once more.
pub const ECHO: Duration = Duration::from_millis(1500);
/// How long one purge request may take.
const TIMEOUT: Duration = Duration::from_secs(3);
/// The first wait after a failure; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Tries before a batch is given up (about five minutes of backoff).
const TRIES: u32 = 16;

/// A cache to purge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Varnish with xkey: `PURGE {url}` with `xkey-purge: k1 k2`.
    Varnish { url: String },
    /// Fastly: `POST {api}/service/{service}/purge` with `Surrogate-Key: k1 k2`.
    Fastly {
        api: String,
        service: String,
        token: String,
    },
}

/// The Fastly API, unless `FASTLY_API_URL` says otherwise (a test's stand-in).
const FASTLY_API: &str = "https://api.fastly.com";

impl Target {
    /// `--purge` values: `http(s)://…` for Varnish, `fastly:SERVICE_ID` for Fastly.
    pub fn parse(value: &str) -> Result<Target, String> {
        if let Some(service) = value.strip_prefix("fastly:") {
            if service.is_empty() || !service.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(format!("{value:?}: expected fastly:SERVICE_ID"));
            }
            let token = std::env::var("FASTLY_API_TOKEN").map_err(|_| {
                "a fastly: purge needs FASTLY_API_TOKEN in the environment".to_owned()
            })?;
            let api = std::env::var("FASTLY_API_URL").unwrap_or_else(|_| FASTLY_API.to_owned());
            return Ok(Target::Fastly {
                api: api.trim_end_matches('/').to_owned(),
                service: service.to_owned(),
                token,
            });
        }
        if value.starts_with("http://") || value.starts_with("https://") {
            return Ok(Target::Varnish {
                url: value.to_owned(),
            });
        }
        Err(format!(
            "{value:?}: expected http(s)://… (Varnish with xkey) or fastly:SERVICE_ID"
        ))
    }

    fn name(&self) -> &str {
        match self {
            Target::Varnish { url } => url,
            Target::Fastly { service, .. } => service,
        }
    }

    /// Sends one purge of `keys`, blocking (run on a blocking thread).
    fn send(&self, agent: &ureq::Agent, keys: &str) -> Result<(), String> {
        let result = match self {
            Target::Varnish { url } => {
                let request = axum::http::Request::builder()
                    .method("PURGE")
                    .uri(url)
                    .header("xkey-purge", keys)
                    .body(())
                    .map_err(|e| e.to_string())?;
                agent.run(request).map(drop)
            }
            Target::Fastly {
                api,
                service,
                token,
            } => agent
                .post(&format!("{api}/service/{service}/purge"))
                .header("Fastly-Key", token)
                .header("Surrogate-Key", keys)
                .header("Accept", "application/json")
                .send_empty()
                .map(drop),
        };
        result.map_err(|e| e.to_string())
    }
}

/// Queues purges for the workers; cheap to clone. With no targets it does nothing.
#[derive(Clone, Debug, Default)]
pub struct Purger {
    queues: Vec<mpsc::UnboundedSender<Batch>>,
    workers: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

#[derive(Debug)]
struct Batch {
    keys: BTreeSet<String>,
    /// The echo of an earlier batch is not echoed again.
    echo: bool,
}

impl Purger {
    /// Starts a worker per target (inside the runtime).
    pub fn start(targets: Vec<Target>) -> Purger {
        let mut queues = Vec::new();
        let mut workers = Vec::new();
        for target in targets {
            let (tx, rx) = mpsc::unbounded_channel();
            workers.push(tokio::spawn(work(target, rx, tx.clone())));
            queues.push(tx);
        }
        Purger {
            queues,
            workers: std::sync::Arc::new(std::sync::Mutex::new(workers)),
        }
    }

    /// Queues a purge of `keys` on every cache; returns at once.
    pub fn purge(&self, keys: impl IntoIterator<Item = String>) {
        let keys: BTreeSet<String> = keys.into_iter().collect();
        if keys.is_empty() {
            return;
        }
        for queue in &self.queues {
            let _ = queue.send(Batch {
                keys: keys.clone(),
                echo: false,
            });
        }
    }

    /// For a command that ends after its change: waits up to `within` for the queued purges
    /// (and their echoes) to be sent.
    pub async fn finish(self, within: Duration) {
        let workers = std::mem::take(
            &mut *self
                .workers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        drop(self.queues);
        let all = futures::future::join_all(workers);
        if tokio::time::timeout(within, all).await.is_err() {
            tracing::warn!("purges still failing; the caches keep their copies until they expire");
        }
    }
}

/// One cache's worker: sends batches in order, merging what queued up meanwhile, retrying with
/// backoff, echoing each batch once. Ends when every sender (including echo timers) is gone.
async fn work(
    target: Target,
    mut rx: mpsc::UnboundedReceiver<Batch>,
    echo_tx: mpsc::UnboundedSender<Batch>,
) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(true)
        .allow_non_standard_methods(true)
        .build()
        .into();
    // The echo sender is held weakly: a command's purger ends once its own batches and their
    // echoes are sent.
    let echo_weak = echo_tx.downgrade();
    drop(echo_tx);
    while let Some(first) = rx.recv().await {
        let mut keys = first.keys;
        let mut echo = !first.echo;
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            // Keys that queued up meanwhile (during a retry's wait, too) go in the same request.
            while let Ok(more) = rx.try_recv() {
                echo |= !more.echo;
                keys.extend(more.keys);
            }
            let joined = keys.iter().cloned().collect::<Vec<_>>().join(" ");
            let (agent, to, list) = (agent.clone(), target.clone(), joined.clone());
            let sent = tokio::task::spawn_blocking(move || to.send(&agent, &list))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            match sent {
                Ok(()) => {
                    tracing::debug!(cache = target.name(), keys = %joined, "purged");
                    break;
                }
                Err(e) if attempt < TRIES => {
                    tracing::warn!(cache = target.name(), keys = %joined, attempt, error = %e, "purge failed; will retry");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    attempt += 1;
                }
                Err(e) => {
                    tracing::error!(cache = target.name(), keys = %joined, error = %e, "purge given up");
                    break;
                }
            }
        }
        if echo && let Some(tx) = echo_weak.upgrade() {
            tokio::spawn(async move {
                tokio::time::sleep(ECHO).await;
                let _ = tx.send(Batch { keys, echo: true });
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            Target::parse("http://127.0.0.1:6081/"),
            Ok(Target::Varnish {
                url: "http://127.0.0.1:6081/".into()
            })
        );
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("fastly:").is_err());
        assert!(Target::parse("fastly:a/b").is_err());
    }
}
