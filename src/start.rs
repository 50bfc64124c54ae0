//! How the app starts in the browser.
//!
//! On a page without a first screen (Saved, an embed, an unknown address) it starts at once, as
//! the wasm is instantiated. On a page the server rendered, the bootstrap (`postbuild/bootstrap.js`)
//! waits until that page is on screen before it loads the app, and two animation frames after the
//! app is instantiated it calls [`take_over`]: the waiting is the bootstrap's alone.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::app::App;
use crate::page_data::embedded::{self, DATA_ID};

/// Whether the page came with a server-rendered first screen (then the bootstrap starts the app,
/// through [`take_over`]).
pub fn has_first_screen() -> bool {
    document().get_element_by_id(DATA_ID).is_some()
}

/// Starts the app: reads the page's message catalogue and the data it came with, keeps what the
/// reader typed into the server's page ([`crate::typing`]), mounts the app beside the server's markup
/// (everything in `<body>` but `<noscript>`), then removes that markup in the same task, so
/// nothing is painted in between; should the app fail to start, the reader keeps the server's
/// page. Then `<html data-app="started">` and a `broadsheet:started` performance mark say so.
#[wasm_bindgen]
pub fn take_over() {
    crate::i18n::read();
    embedded::read();
    let server_markup: Vec<web_sys::Element> = document()
        .body()
        .map(|body| body.children())
        .map(|c| (0..c.length()).filter_map(|i| c.item(i)).collect())
        .unwrap_or_default();
    crate::typing::keep(&server_markup);
    leptos::mount::mount_to_body(App);
    for element in server_markup {
        if element.tag_name() != "NOSCRIPT" {
            element.remove();
        }
    }
    if let Some(root) = document().document_element() {
        // The site's language on `<html>` as the server's page has it, also on a page that came
        // as the built file alone (the offline copy): lang, and dir from it.
        if let Some(lang) = crate::head::site_lang() {
            let _ = root.set_attribute("lang", &lang);
            let _ = root.set_attribute("dir", broadsheet_model::direction(&lang).as_str());
        }
        let _ = root.set_attribute("data-app", "started");
    }
    if let Some(performance) = window().performance() {
        let _ = performance.mark("broadsheet:started");
    }
}
