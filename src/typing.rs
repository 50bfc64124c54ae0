//! What the reader typed into a server-rendered page before the app took it over. The comment
//! box and the search field of a first screen take typing at once; when the app replaces that
//! markup with its own, its fields start with the same text, and the field the reader was in
//! gets the focus and the caret back. Nothing typed is lost in the take-over.

use std::cell::RefCell;

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// A text field of the server's page the reader typed into or was in when the app took over.
struct Typing {
    /// The field's id: the app's own field for the same thing has it too.
    id: String,
    /// Its text, if the reader changed it.
    value: Option<String>,
    /// Where the caret (or selection) was, if the field had the focus.
    caret: Option<(u32, u32)>,
}

thread_local! {
    /// What the reader typed into the server's page before the app took it over, until the
    /// app's fields have taken it.
    static TYPING: RefCell<Vec<Typing>> = const { RefCell::new(Vec::new()) };
}

/// Keeps the text the reader typed into the text fields of `markup` (the server's page, about
/// to be replaced: [`crate::start::take_over`] calls it), and where their caret was: the comment box and the search field can be
/// typed into before the app starts, and nothing typed may be lost when it does.
pub fn keep(markup: &[web_sys::Element]) {
    let focused = document().active_element();
    let mut kept = Vec::new();
    for part in markup {
        let Ok(fields) = part.query_selector_all("input[id], textarea[id]") else {
            continue;
        };
        for field in (0..fields.length()).filter_map(|i| fields.item(i)) {
            let has_focus = focused
                .as_ref()
                .is_some_and(|f| f.is_same_node(Some(&field)));
            let typing = if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                let value = area.value();
                Typing {
                    id: area.id(),
                    value: (area.default_value().ok().as_ref() != Some(&value)).then_some(value),
                    caret: has_focus
                        .then(|| Some((area.selection_start().ok()??, area.selection_end().ok()??)))
                        .flatten(),
                }
            } else if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
                // Text you type, not choices (the display settings' radio buttons follow the
                // stored setting by themselves).
                if !matches!(
                    input.type_().as_str(),
                    "text" | "search" | "email" | "url" | "tel"
                ) {
                    continue;
                }
                let value = input.value();
                Typing {
                    id: input.id(),
                    value: (input.default_value() != value).then_some(value),
                    caret: has_focus
                        .then(|| {
                            Some((input.selection_start().ok()??, input.selection_end().ok()??))
                        })
                        .flatten(),
                }
            } else {
                continue;
            };
            if typing.value.is_some() || has_focus {
                kept.push(typing);
            }
        }
    }
    TYPING.set(kept);
}

/// The text the reader typed into the field `id` of the server's page before the app took it
/// over, once: the app's field for the same thing starts with it.
pub fn typed(id: &str) -> Option<String> {
    TYPING.with_borrow_mut(|kept| {
        kept.iter_mut()
            .find(|t| t.id == id)
            .and_then(|t| t.value.take())
    })
}

/// Gives `field` (the app's field with the id of one in the server's page) the focus and the
/// caret the reader had in the server's field as the app took over, once. Call it once the
/// field is on the page.
pub fn keep_focus(field: &web_sys::HtmlElement) {
    let id = field.id();
    let Some(caret) = TYPING.with_borrow_mut(|kept| {
        let at = kept.iter().position(|t| t.id == id)?;
        Some(kept.remove(at).caret)
    }) else {
        return;
    };
    let Some((start, end)) = caret else {
        return;
    };
    let _ = field.focus();
    if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        let _ = area.set_selection_range(start, end);
    } else if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.set_selection_range(start, end);
    }
}
