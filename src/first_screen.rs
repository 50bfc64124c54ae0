//! The first screen of a page, rendered by the server with the app's own components and taken
//! over by the app when it starts: article pages, the home page and section fronts.
//!
//! The server sends the masthead, the page's content and the footer in the HTML, and with them
//! the JSON they were made from, in `<script type="application/json" id="broadsheet-first-screen">`:
//! the reader sees the page before the wasm has arrived (and without JavaScript at all). Once
//! started, the app reads that JSON instead of asking the API again, clears the server's markup
//! and renders the same screen in the same task, so nothing is painted in between.

use std::cell::RefCell;

use broadsheet_model::{Article, ArticleSummary, Front, Module, Page, Section};
use serde::{Deserialize, Serialize};

/// The id of the script element that carries the data.
pub const DATA_ID: &str = "broadsheet-first-screen";

/// What the server's first screen was made from: the page's own data, and the masthead's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FirstScreen {
    /// The article of an article page.
    pub article: Option<Article>,
    /// The stories of the home page.
    pub front: Option<Front>,
    /// The first stories of a section front.
    pub section: Option<SectionStories>,
    /// The modules beside the page's content.
    pub modules: Option<PageModules>,
    /// The sections of the masthead.
    pub sections: Option<Vec<Section>>,
}

/// A page's modules, as `GET /modules[?article=…]` answers them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageModules {
    /// The article page they are for; `None` on the fronts.
    pub article: Option<String>,
    pub modules: Vec<Module>,
}

/// The first page of a section's stories, as `GET /articles?section=…&limit=…` answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionStories {
    pub slug: String,
    pub limit: u32,
    pub page: Page<ArticleSummary>,
}

thread_local! {
    /// What the page came with, until the app has used it (in the browser; natively, never
    /// anything).
    static DATA: RefCell<FirstScreen> = RefCell::new(FirstScreen::default());
    /// The API addresses that data stands for, for the service worker to keep.
    static URLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The article the page came with, once, if it is the one at `slug`.
pub fn article(slug: &str) -> Option<Article> {
    DATA.with_borrow_mut(|data| data.article.take_if(|a| a.slug == slug))
}

/// The home page's stories the page came with, once.
pub fn front() -> Option<Front> {
    DATA.with_borrow_mut(|data| data.front.take())
}

/// The first `limit` stories of the section `slug` the page came with, once.
pub fn section_page(slug: &str, limit: u32) -> Option<Page<ArticleSummary>> {
    DATA.with_borrow_mut(|data| {
        data.section
            .take_if(|s| s.slug == slug && s.limit == limit)
            .map(|s| s.page)
    })
}

/// The modules of the page (of the article at `article`, or of a front) the page came with,
/// once.
pub fn modules(article: Option<&str>) -> Option<Vec<Module>> {
    DATA.with_borrow_mut(|data| {
        data.modules
            .take_if(|m| m.article.as_deref() == article)
            .map(|m| m.modules)
    })
}

/// Whether the page came with its modules (not yet used).
pub fn brought_modules() -> bool {
    DATA.with_borrow(|data| data.modules.is_some())
}

/// The masthead's sections the page came with, once.
pub fn sections() -> Option<Vec<Section>> {
    DATA.with_borrow_mut(|data| data.sections.take())
}

/// The API addresses (as the app asks for them, from `api::base`) the page's data stands for.
pub fn api_urls() -> Vec<String> {
    URLS.with_borrow(Clone::clone)
}

#[cfg(target_arch = "wasm32")]
pub use browser::{after_first_screen, take_over};

#[cfg(not(target_arch = "wasm32"))]
pub use server::{Frame, render_article, render_home, render_section};

#[cfg(target_arch = "wasm32")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::{DATA, DATA_ID, FirstScreen, URLS};
    use crate::api;

    /// Runs `start` once the server's first screen is complete on screen: after the page's
    /// `load` (its lead image loaded) and two animation frames (painted). The bootstrap in
    /// `index.html` already waited for the page before it loaded the app; waiting here again puts
    /// the take-over in a task of its own, apart from the wasm's instantiation (measured: one
    /// task of both doubled Lighthouse's blocking time, 26-60 ms to 106-119 ms). Without a first
    /// screen, `start` runs at once (no frames to wait for: an embed in a frame off screen gets
    /// none).
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

    /// The elements the server rendered, to be removed once the app has mounted beside them.
    #[must_use = "remove the server's markup once the app has mounted"]
    pub struct ServerMarkup(Vec<web_sys::Element>);

    impl ServerMarkup {
        /// Removes the server's markup: the app, mounted, shows the same screen.
        pub fn remove(self) {
            for element in self.0 {
                element.remove();
            }
        }
    }

    /// Reads the data the server sent with the page, for the app to render the same screen
    /// from it, and returns the server's markup (everything in `<body>` but `<noscript>`). Call
    /// once, just before mounting; remove the markup once the app has mounted (in the same task:
    /// nothing is painted in between; and should the app fail to start, the reader keeps the
    /// server's page). Data that does not decode is logged and ignored: the app then asks the
    /// API, as on any other page.
    pub fn take_over() -> ServerMarkup {
        let doc = document();
        let server_markup = || {
            let children = doc.body().map(|body| body.children());
            let elements = children
                .map(|c| {
                    (0..c.length())
                        .filter_map(|i| c.item(i))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            ServerMarkup(
                elements
                    .into_iter()
                    .filter(|e| e.tag_name() != "NOSCRIPT")
                    .collect(),
            )
        };
        let Some(script) = doc.get_element_by_id(DATA_ID) else {
            return server_markup();
        };
        match serde_json::from_str::<FirstScreen>(&script.text_content().unwrap_or_default()) {
            Ok(data) => {
                URLS.with_borrow_mut(|urls| {
                    if let Some(article) = &data.article {
                        urls.push(api::article_url(&article.slug));
                    }
                    if data.front.is_some() {
                        urls.push(api::front_url());
                    }
                    if let Some(section) = &data.section {
                        urls.push(api::section_page_url(&section.slug, None, section.limit));
                    }
                    if let Some(modules) = &data.modules {
                        urls.push(api::modules_url(modules.article.as_deref()));
                    }
                    if data.sections.is_some() {
                        urls.push(api::sections_url());
                    }
                });
                DATA.set(data);
            }
            Err(e) => leptos::logging::warn!("the page's first-screen data is unusable: {e}"),
        }
        server_markup()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod server {
    use broadsheet_model::{Article, Front, Section};
    use leptos::prelude::*;

    use super::{DATA_ID, FirstScreen, PageModules, SectionStories};
    use crate::components::article_view::ArticleView;
    use crate::components::layout::{MAIN_ID, Masthead, SiteFooter, SkipLinks};
    use crate::components::modules::{ModuleLists, SidebarFrame};
    use crate::components::story_list::StoryList;
    use crate::head::PublicBase;
    use crate::pages::article::ArticleLayout;
    use crate::pages::home::{FrontStories, HomeLayout};
    use crate::pages::section::{LoadMore, SectionLayout};

    /// What every first screen shows around its content.
    pub struct Frame<'a> {
        /// The masthead's sections.
        pub sections: &'a [Section],
        /// The page's modules, for the sidebar.
        pub modules: &'a PageModules,
        /// The site's address without a trailing slash (for the share links).
        pub public_base: &'a str,
    }

    /// The `<body>` content of an article page: the article and its modules (the comments are
    /// the app's) in the site's frame, and the data it was made from.
    pub fn render_article(article: &Article, frame: &Frame) -> String {
        let path = format!("/article/{}", article.slug);
        let shown = article.clone();
        let data = FirstScreen {
            article: Some(article.clone()),
            ..FirstScreen::default()
        };
        render(&path, frame, data, move |aside| {
            view! {
                <ArticleLayout
                    article=view! { <ArticleView article=shown saveable=true/> }.into_any()
                    aside
                    comments=().into_any()
                />
            }
            .into_any()
        })
    }

    /// The `<body>` content of the home page: its stories and modules.
    pub fn render_home(front: &Front, frame: &Frame) -> String {
        let shown = front.clone();
        let data = FirstScreen {
            front: Some(front.clone()),
            ..FirstScreen::default()
        };
        render("/", frame, data, move |aside| {
            view! { <HomeLayout stories=view! { <FrontStories front=shown/> }.into_any() aside/> }
                .into_any()
        })
    }

    /// The `<body>` content of a section front: its first stories, "Load more" and the modules.
    /// The section's name is its stories' (as in the app).
    pub fn render_section(stories: &SectionStories, frame: &Frame) -> String {
        let path = format!("/section/{}", stories.slug);
        let name = stories
            .page
            .items
            .first()
            .map(|s| s.section.name.clone())
            .unwrap_or_default();
        let items = stories.page.items.clone();
        let more = stories.page.next_cursor.is_some();
        let data = FirstScreen {
            section: Some(stories.clone()),
            ..FirstScreen::default()
        };
        render(&path, frame, data, move |aside| {
            view! {
                <SectionLayout
                    name
                    stories=view! { <StoryList stories=items hide_section=true/> }.into_any()
                    more=more.then(|| view! { <LoadMore on_click=Callback::new(|()| {})/> }).into_any()
                    aside
                />
            }
            .into_any()
        })
    }

    /// The site's frame around `content` (given the sidebar to place), as the app renders it at
    /// `path` (the masthead marks the current page's link), followed by `data` with the frame's
    /// modules and sections.
    fn render(
        path: &str,
        frame: &Frame,
        mut data: FirstScreen,
        content: impl FnOnce(AnyView) -> AnyView,
    ) -> String {
        let owner = Owner::new();
        let markup = owner.with(|| {
            provide_context(PublicBase(frame.public_base.to_owned()));
            let link = |href: String, name: String| {
                let current = (href == path).then_some("page");
                view! { <a href=href aria-current=current>{name}</a> }
            };
            let links = frame
                .sections
                .iter()
                .map(|s| view! { <li>{link(format!("/section/{}", s.slug), s.name.clone())}</li> })
                .collect_view();
            let modules = frame.modules.modules.clone();
            let aside = view! { <SidebarFrame><ModuleLists modules/></SidebarFrame> }.into_any();
            view! {
                <SkipLinks/>
                <Masthead
                    home=link("/".to_owned(), "Home".to_owned()).into_any()
                    sections=links.into_any()
                    saved=link("/saved".to_owned(), "Saved".to_owned()).into_any()
                />
                <main id=MAIN_ID class="main" tabindex="-1">{content(aside)}</main>
                <SiteFooter/>
            }
            .to_html()
        });
        data.modules = Some(frame.modules.clone());
        data.sections = Some(frame.sections.to_vec());
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
