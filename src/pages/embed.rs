//! `/embed/article/{slug}`: an article for partner sites to frame. A compact card, or with
//! `?view=full` the whole article, without the site's header, footer, modules or comments;
//! `?theme=dark` for dark pages. Every link opens in a new tab, and the page tells the frame
//! around it how tall it is.

use crate::i18n;
use broadsheet_model::Article;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::api::FetchError;
use crate::components::article_view::{ArticleView, TimeView};
use crate::components::blocks::Figure;
use crate::head;
use crate::page_data;
use crate::route::Route;

fn query(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Sends the page's height to the frame around it whenever it changes. The message holds
/// nothing but the height; the loader checks where it came from.
fn report_height() {
    let send = || {
        // The body's own height: the root's scroll height never drops below the frame's height,
        // so it could only ever grow.
        let Some(body) = document().body() else {
            return;
        };
        let height = body.get_bounding_client_rect().height().ceil() as i32;
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"broadsheet:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        if let Ok(Some(parent)) = window().parent()
            && let Err(e) = parent.post_message(&message, "*")
        {
            leptos::logging::warn!("could not tell the frame our height: {e:?}");
        }
    };
    send();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| send());
    if let (Ok(observer), Some(body)) = (
        web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()),
        document().body(),
    ) {
        observer.observe(&body);
    }
    // The observer lives as long as the page.
    callback.forget();
}

/// The embed page: what there is instead of the site's frame.
#[component]
pub fn EmbedApp() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let slug = match Route::parse(&path) {
        Route::Embed { slug } => slug,
        _ => String::new(),
    };
    let full = query("view").as_deref() == Some("full");
    let dark = query("theme").as_deref() == Some("dark");
    if let Some(root) = document().document_element() {
        let _ = root
            .class_list()
            .add_1(if dark { "theme-dark" } else { "theme-light" });
    }
    // Links leave the frame: a new tab, never navigation inside the partner's page.
    if let (Ok(base), Some(head_el)) = (document().create_element("base"), document().head()) {
        let _ = base.set_attribute("target", "_blank");
        let _ = head_el.append_child(&base);
    }
    report_height();
    let article = LocalResource::new(move || page_data::article(slug.clone()));
    view! {
        <main class="embed" id="main-content">
            <Suspense fallback=|| view! { <p class="embed__loading" role="status">{i18n::t("article.loading")}</p> }>
                {move || Suspend::new(async move {
                    match article.await {
                        Ok(article) if full => view! { <EmbedFull article/> }.into_any(),
                        Ok(article) => view! { <EmbedCard article/> }.into_any(),
                        Err(FetchError::NotFound) => view! {
                            <p class="embed__error" role="alert">{i18n::t("embed.unavailable")}</p>
                        }
                        .into_any(),
                        Err(e) => view! {
                            <div class="embed__error" role="alert">
                                <p>{e.to_string()}</p>
                                <button type="button" class="button" on:click=move |_| article.refetch()>{i18n::t("errors.retry")}</button>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// {i18n::t("embed.read_on")}, opening the full page in a new tab.
#[component]
fn ReadOn(
    /// The article's slug.
    slug: String,
) -> impl IntoView {
    view! {
        <a class="embed__read-on" href=head::canonical(&Route::article(slug)) target="_blank" rel="noopener">
            {i18n::t("embed.read_on")}
        </a>
    }
}

/// The compact card.
#[component]
fn EmbedCard(
    /// The article.
    article: Article,
) -> impl IntoView {
    let (lang, dir) = article.lang_dir();
    let Article {
        slug,
        section,
        headline,
        standfirst,
        byline,
        published_at,
        image,
        ..
    } = article;
    let href = head::canonical(&Route::article(slug.clone()));
    view! {
        <article class="embed-card" aria-labelledby="embed-headline" lang=lang dir=dir>
            {image.map(|image| view! { <Figure image class="embed-card__image"/> })}
            <div class="embed-card__text">
                <span class="section-label">{section.name}</span>
                <h1 id="embed-headline" class="embed-card__headline">
                    <a href=href target="_blank" rel="noopener">{headline}</a>
                </h1>
                {standfirst.map(|s| view! { <p class="embed-card__standfirst">{s}</p> })}
                <p class="embed-card__meta">
                    {byline.map(|b| {
                        let (before, after) = i18n::split("article.byline", "author", &[]);
                        view! { <span class="embed-card__byline">{before}<span data-content>{b.name}</span>{after}</span> " · " }
                    })}
                    <TimeView label="article.published" at=published_at/>
                </p>
                <ReadOn slug/>
            </div>
        </article>
    }
}

/// The whole article.
#[component]
fn EmbedFull(
    /// The article.
    article: Article,
) -> impl IntoView {
    let slug = article.slug.clone();
    view! {
        <div class="embed-full">
            <ArticleView article/>
            <ReadOn slug/>
        </div>
    }
}
