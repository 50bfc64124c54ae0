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
        // Text a reader types, not choices (the display settings' radio buttons follow the
        // stored setting by themselves).
        let Ok(fields) = part.query_selector_all(TEXT_FIELDS) else {
            continue;
        };
        for field in (0..fields.length()).filter_map(|i| fields.item(i)) {
            let has_focus = focused
                .as_ref()
                .is_some_and(|f| f.is_same_node(Some(&field)));
            let value = property(&field, "value").as_string();
            let changed = value != property(&field, "defaultValue").as_string();
            if !changed && !has_focus {
                continue;
            }
            let caret = || {
                let at = |name| property(&field, name).as_f64().map(|n| n as u32);
                Some((at("selectionStart")?, at("selectionEnd")?))
            };
            kept.push(Typing {
                id: field
                    .dyn_ref::<web_sys::Element>()
                    .map(web_sys::Element::id)
                    .unwrap_or_default(),
                value: value.filter(|_| changed),
                caret: has_focus.then(caret).flatten(),
            });
        }
    }
    TYPING.set(kept);
}

/// The fields of a page a reader types text into.
const TEXT_FIELDS: &str = "textarea[id], input[id][type=text], input[id][type=search], \
    input[id][type=email], input[id][type=url], input[id][type=tel]";

/// A property of a DOM object, read as JavaScript reads it (`undefined` if it has none): the
/// text fields' own interfaces add imports to the app for a few lines' worth of work.
fn property(target: &wasm_bindgen::JsValue, name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(target, &name.into()).unwrap_or_default()
}

/// The text the reader typed into the field `id` of the server's page before the app took it
/// over: the app's field for the same thing starts with it.
pub fn typed(id: &str) -> Option<String> {
    TYPING.with_borrow(|kept| kept.iter().find(|t| t.id == id)?.value.clone())
}

/// Gives `field` (the app's field with the id of one in the server's page) what the reader had
/// in the server's field as the app took over, once: its text, and the focus and caret if it
/// had them. Call it once the field is on the page. The text goes in first, so that the app
/// setting the same text again leaves the caret where it is.
pub fn carry_over(field: &web_sys::HtmlElement) {
    let id = field.id();
    let Some(typing) = TYPING.with_borrow_mut(|kept| {
        let at = kept.iter().position(|t| t.id == id)?;
        Some(kept.remove(at))
    }) else {
        return;
    };
    if let Some(text) = typing.value {
        let _ = js_sys::Reflect::set(field, &"value".into(), &text.into());
    }
    let Some((start, end)) = typing.caret else {
        return;
    };
    let _ = field.focus();
    if let Ok(select) = property(field, "setSelectionRange").dyn_into::<js_sys::Function>() {
        let _ = select.call2(field, &start.into(), &end.into());
    }
}
