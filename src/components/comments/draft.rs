//! The reader's unsent comment, saved in `localStorage` as they type.

use serde::{Deserialize, Serialize};

/// What the reader has typed, and the idempotency key of the post of exactly that text, once it
/// has been sent at least once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub nickname: String,
    pub body: String,
    #[serde(default)]
    pub key: Option<String>,
}

fn storage_key(slug: &str) -> String {
    format!("broadsheet:comment-draft:{slug}")
}

const NICKNAME_KEY: &str = "broadsheet:nickname";

impl Draft {
    /// The saved draft for an article; a new one (with the reader's usual name) if there is none.
    pub fn load(slug: &str) -> Draft {
        let Some(storage) = crate::storage::local() else {
            return Draft::default();
        };
        storage
            .get_item(&storage_key(slug))
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_else(|| Draft {
                nickname: storage
                    .get_item(NICKNAME_KEY)
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                ..Draft::default()
            })
    }

    /// Saves the draft. Storage can be full or switched off: then the draft lives on in the page
    /// only, which is all we can do, and the reader is not interrupted.
    pub fn save(&self, slug: &str) {
        let Some(storage) = crate::storage::local() else {
            return;
        };
        let saved = match serde_json::to_string(self) {
            Ok(json) => storage.set_item(&storage_key(slug), &json),
            Err(_) => return,
        };
        if saved.is_err() {
            leptos::logging::warn!("could not save the comment draft (storage full or disabled)");
        }
    }

    /// Forgets the draft of a posted comment, remembering the name for next time.
    pub fn posted(slug: &str, nickname: &str) {
        if let Some(storage) = crate::storage::local() {
            let _ = storage.remove_item(&storage_key(slug));
            let _ = storage.set_item(NICKNAME_KEY, nickname);
        }
    }
}

/// A fresh idempotency key for a post.
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            // Crypto is missing only outside secure contexts; time and randomness still make a
            // key that will not collide in practice.
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}
