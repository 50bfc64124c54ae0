//! The first screen of an article page, rendered by the server with the app's own components and
//! taken over by the app when it starts.
//!
//! The server sends the masthead, the article and the footer in the HTML, and with them the JSON
//! they were made from, in `<script type="application/json" id="broadsheet-first-screen">`: the
//! reader sees the article before the wasm has arrived (and without JavaScript at all). Once
//! started, the app reads that JSON instead of asking the API again, clears the server's markup
//! and renders the same screen in the same task, so nothing is painted in between.

use broadsheet_model::{Article, Section};
use serde::{Deserialize, Serialize};

/// The id of the script element that carries the data.
pub const DATA_ID: &str = "broadsheet-first-screen";

/// What the server's first screen was made from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirstScreen {
    /// The article of an article page.
    pub article: Option<Article>,
    /// The sections of the masthead.
    pub sections: Option<Vec<Section>>,
}

#[cfg(target_arch = "wasm32")]
pub use browser::{after_first_screen, api_urls, article, sections, take_over};

#[cfg(not(target_arch = "wasm32"))]
pub use server::render_article;

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::RefCell;

    use broadsheet_model::{Article, Section};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::{DATA_ID, FirstScreen};
    use crate::api;

    thread_local! {
        static DATA: RefCell<FirstScreen> = RefCell::new(FirstScreen::default());
        /// The API addresses the data stands for (handed to the service worker to keep).
        static URLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// Runs `start` once the server's first screen is complete on screen: after the page's
    /// `load` (its lead image loaded) and two animation frames (painted). Until then the app
    /// leaves the page alone, so the screen the reader already sees, its largest paint included,
    /// is not painted again. (The bootstrap in `index.html` already waits for the same; this
    /// holds whatever starts the app.) Without a first screen, `start` runs at once.
    pub fn after_first_screen(start: impl FnOnce() + 'static) {
        let doc = document();
        if doc.get_element_by_id(DATA_ID).is_none() {
            return start();
        }
        if doc.ready_state() == "complete" {
            return after_two_frames(start);
        }
        let on_load = Closure::once_into_js(move || after_two_frames(start));
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
            "load",
            on_load.unchecked_ref(),
            &once,
        );
    }

    fn after_two_frames(start: impl FnOnce() + 'static) {
        request_animation_frame(move || request_animation_frame(start));
    }

    /// Reads the data the server sent with the page and removes the server's markup, for the app
    /// to mount in its place. Call once, just before mounting. Data that does not decode is
    /// logged and ignored: the app then asks the API, as on any other page.
    pub fn take_over() {
        let doc = document();
        let Some(script) = doc.get_element_by_id(DATA_ID) else {
            return;
        };
        match serde_json::from_str::<FirstScreen>(&script.text_content().unwrap_or_default()) {
            Ok(data) => {
                URLS.with_borrow_mut(|urls| {
                    if let Some(article) = &data.article {
                        urls.push(api::article_url(&article.slug));
                    }
                    if data.sections.is_some() {
                        urls.push(api::sections_url());
                    }
                });
                DATA.set(data);
            }
            Err(e) => leptos::logging::warn!("the page's first-screen data is unusable: {e}"),
        }
        // Everything the server rendered goes; `<noscript>` may stay.
        if let Some(body) = doc.body() {
            let children = body.children();
            for i in (0..children.length()).rev() {
                if let Some(child) = children.item(i)
                    && child.tag_name() != "NOSCRIPT"
                {
                    child.remove();
                }
            }
        }
    }

    /// The article the page came with, once, if it is the one at `slug`.
    pub fn article(slug: &str) -> Option<Article> {
        DATA.with_borrow_mut(|data| data.article.take_if(|a| a.slug == slug))
    }

    /// The masthead's sections the page came with, once.
    pub fn sections() -> Option<Vec<Section>> {
        DATA.with_borrow_mut(|data| data.sections.take())
    }

    /// The absolute API addresses the page's data stands for.
    pub fn api_urls() -> Vec<String> {
        let origin = window().location().origin().unwrap_or_default();
        URLS.with_borrow(|urls| {
            urls.iter()
                .map(|u| {
                    if u.starts_with('/') {
                        format!("{origin}{u}")
                    } else {
                        u.clone()
                    }
                })
                .collect()
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod server {
    use broadsheet_model::{Article, Section};
    use leptos::prelude::*;

    use super::{DATA_ID, FirstScreen};
    use crate::components::article_view::ArticleView;
    use crate::components::layout::{MAIN_ID, Masthead, SiteFooter, SkipLinks};
    use crate::head::PublicBase;
    use crate::pages::article::ArticleLayout;

    /// The `<body>` content of an article page: skip links, masthead, the article (the sidebar
    /// and comments are left to the app), footer, and the data it was made from. `public_base`
    /// is the site's address without a trailing slash (for the share links).
    pub fn render_article(article: &Article, sections: &[Section], public_base: &str) -> String {
        let owner = Owner::new();
        let markup = owner.with(|| {
            provide_context(PublicBase(public_base.to_owned()));
            let links = sections
                .iter()
                .map(|s| {
                    let href = format!("/section/{}", s.slug);
                    view! { <li><a href=href>{s.name.clone()}</a></li> }
                })
                .collect_view();
            let article = article.clone();
            view! {
                <SkipLinks/>
                <Masthead
                    home=view! { <a href="/">"Home"</a> }.into_any()
                    sections=links.into_any()
                    saved=view! { <a href="/saved">"Saved"</a> }.into_any()
                />
                <main id=MAIN_ID class="main" tabindex="-1">
                    <ArticleLayout
                        article=view! { <ArticleView article saveable=true/> }.into_any()
                        aside=view! { <div class="sidebar"></div> }.into_any()
                        comments=().into_any()
                    />
                </main>
                <SiteFooter/>
            }
            .to_html()
        });
        let data = FirstScreen {
            article: Some(article.clone()),
            sections: Some(sections.to_vec()),
        };
        format!(
            r#"{markup}<script type="application/json" id="{DATA_ID}">{}</script>"#,
            script_text(&data)
        )
    }

    /// JSON as the text of a `<script>` element: no `<` at all, so no `</script>` or `<!--` can
    /// end or change it (`\u003c` reads back as `<`).
    fn script_text(data: &FirstScreen) -> String {
        serde_json::to_string(data)
            .unwrap_or_else(|_| "{}".to_owned())
            .replace('<', "\\u003c")
    }
}
