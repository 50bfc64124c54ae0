//! Below-the-fold parts of a page, rendered in tasks of their own.

use std::time::Duration;

use leptos::prelude::*;

/// Renders its children a moment after the rest of the page, in a task of its own: the comments
/// and the modules never hold up the part of the page the reader looks at first (the browser
/// can paint and answer input in between).
#[component]
pub fn Later(
    /// Render at once after all.
    #[prop(optional)]
    now: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let ready = RwSignal::new(now);
    if !now {
        set_timeout(
            move || {
                // The page may be gone by then: nothing to render.
                let _ = ready.try_set(true);
            },
            Duration::ZERO,
        );
    }
    move || ready.get().then(|| children())
}
