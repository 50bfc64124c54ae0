//! Below-the-fold parts of a page, rendered in tasks of their own.
//!
//! When the app takes a server-rendered page over ([`crate::start::take_over`]), a part rendered
//! later keeps the server's markup for it in its place until then ([`hold`]): the take-over's task
//! builds less, and nothing on screen vanishes or moves for it.

use std::cell::RefCell;
use std::time::Duration;

use leptos::either::Either;
use leptos::prelude::*;

use crate::typing;

thread_local! {
    /// The server's page as the app took it over, until the take-over's task has ended: the
    /// parts rendered later take their markup from it.
    static SERVER_MARKUP: RefCell<Vec<web_sys::Element>> = const { RefCell::new(Vec::new()) };
}

/// Keeps the server's page (`markup`, about to be taken out of the document) for the parts of
/// the app's page rendered later, until the take-over's task has ended: they are built in it.
pub fn hold(markup: &[web_sys::Element]) {
    SERVER_MARKUP.set(markup.to_vec());
    set_timeout(|| SERVER_MARKUP.set(Vec::new()), Duration::ZERO);
}

/// The server's element that `selector` finds in the page being taken over, if any.
fn held(selector: &str) -> Option<web_sys::Element> {
    SERVER_MARKUP.with_borrow(|markup| {
        markup
            .iter()
            .find_map(|part| part.query_selector(selector).ok().flatten())
    })
}

/// Renders its children a moment after the rest of the page, in a task of its own: the comments
/// and the modules never hold up the part of the page the reader looks at first (the browser
/// can paint and answer input in between). Until then, on a page the app is taking over, the
/// server's element for the same part (`hold`, a selector) stays on screen in its place, and
/// what the reader typed into it is carried over ([`typing`]).
#[component]
pub fn Later(
    /// Render at once after all.
    #[prop(optional)]
    now: bool,
    /// The server's element for this part (a CSS selector), shown until the children are.
    #[prop(optional)]
    hold: Option<&'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    let ready = RwSignal::new(now);
    let server = if now { None } else { hold.and_then(held) };
    if !now {
        let server = server.clone();
        set_timeout(
            move || {
                // What the reader typed into the server's part, for the app's fields.
                if let Some(server) = &server {
                    typing::keep(std::slice::from_ref(server));
                }
                // The page may be gone by then: nothing to render.
                let _ = ready.try_set(true);
            },
            Duration::ZERO,
        );
    }
    move || {
        if ready.get() {
            Either::Left(children())
        } else {
            Either::Right(server.clone().map(|server| {
                view! { <div class="later-held" use:put_back=server></div> }
            }))
        }
    }
}

/// Puts the server's element back on screen inside `slot`, the focus too if the reader was in one
/// of its fields (taking it out of the document took the focus away).
fn put_back(slot: leptos::tachys::renderer::types::Element, server: web_sys::Element) {
    let _ = slot.append_child(&server);
    restore_focus_when_shown(server, 16);
}

/// Gives the focus back to the reader's field in `server` once it is in the page: the slot is
/// built before it is put in, so this waits for the microtasks in which the app puts it there
/// (at most `tries` of them, all in the take-over's task).
fn restore_focus_when_shown(server: web_sys::Element, tries: u32) {
    leptos::tachys::renderer::dom::queue_microtask(move || {
        if server.is_connected() {
            typing::restore_focus(&server);
        } else if tries > 1 {
            restore_focus_when_shown(server, tries - 1);
        }
    });
}
