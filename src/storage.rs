//! The browser's `localStorage`, where the app keeps what must outlive a reload (drafts, the
//! reader's name, answers to the install offer). Keys start with `broadsheet:`.

/// `localStorage`, unless the browser refuses it (private modes, settings).
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
