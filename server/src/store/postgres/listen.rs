//! Hears what other servers (and the CLI) change: one connection of its own, outside the pool,
//! `LISTEN`s on the channel the schema's triggers notify (`003_scale.sql`), and passes each
//! change on. While it is disconnected changes may be missed, so after every reconnection it
//! passes on [`Change::Unknown`]: whoever keeps copies drops them all.

use std::time::Duration;

use tokio::sync::broadcast;
use tokio_postgres::{AsyncMessage, NoTls};

use crate::store::Change;

/// How long to wait before connecting again.
const RETRY: Duration = Duration::from_millis(250);

/// A notification's payload as a change.
fn change(payload: &str) -> Change {
    match payload.split_once(':') {
        Some(("comments", slug)) => Change::Comments(slug.to_owned()),
        Some(("article", slug)) => Change::Article(slug.to_owned()),
        _ => Change::Unknown,
    }
}

/// Listens for as long as the runtime runs, connecting again whenever the connection is lost.
pub(super) async fn run(config: tokio_postgres::Config, sender: broadcast::Sender<Change>) {
    let mut connected_before = false;
    loop {
        match config.connect(NoTls).await {
            Ok((client, mut connection)) => {
                let to = sender.clone();
                let driver = tokio::spawn(async move {
                    while let Some(message) =
                        std::future::poll_fn(|cx| connection.poll_message(cx)).await
                    {
                        match message {
                            Ok(AsyncMessage::Notification(n)) => {
                                // No receiver just now is not an error: nobody keeps copies.
                                let _ = to.send(change(n.payload()));
                            }
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, "the change listener lost its connection");
                                break;
                            }
                        }
                    }
                });
                match client.batch_execute("LISTEN broadsheet").await {
                    Ok(()) => {
                        if connected_before {
                            let _ = sender.send(Change::Unknown);
                            tracing::info!("the change listener is connected again");
                        }
                        connected_before = true;
                        let _ = driver.await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "could not LISTEN for changes");
                        driver.abort();
                    }
                }
            }
            Err(e) => tracing::debug!(error = %e, "the change listener cannot connect"),
        }
        tokio::time::sleep(RETRY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_name_what_changed() {
        assert_eq!(change("comments:a-b"), Change::Comments("a-b".into()));
        assert_eq!(change("article:a:b"), Change::Article("a:b".into()));
        assert_eq!(change("what"), Change::Unknown);
    }
}
