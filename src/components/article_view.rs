//! The article itself: header fields, lead image and body.

use broadsheet_model::{Article, Byline, Timestamp, author_slug};
use leptos::prelude::*;

use crate::components::blocks::{BlockView, Figure};
use crate::components::save_button::SaveButton;
use crate::components::share_bar::ShareBar;
use crate::format;
use crate::head;
use crate::i18n;
use crate::route::Route;

/// The whole article as a reader sees it.
#[component]
pub fn ArticleView(
    /// The article to show.
    article: Article,
    /// Whether to offer "Save for offline" (on the site, not in embeds).
    #[prop(optional)]
    saveable: bool,
) -> impl IntoView {
    let save = saveable.then(|| view! { <SaveButton article=article.clone()/> });
    let url = head::canonical(&Route::article(article.slug.clone()));
    let share_text = article.standfirst.clone();
    let share_title = article.headline.clone();
    let minutes = article.reading_minutes();
    let reading_short = i18n::count("article.reading_short", minutes, &[]);
    let reading_long = i18n::count("article.reading_long", minutes, &[]);
    // The article's own language, if it names one: spoken in it, set in its direction.
    let (lang, dir) = article.lang_dir();
    // Then the interface's text inside it is marked as the interface's language.
    let ui_lang = lang.is_some().then(i18n::lang);
    let ui_dir = ui_lang
        .as_deref()
        .map(|l| broadsheet_model::direction(l).as_str());
    let Article {
        section,
        headline,
        standfirst,
        byline,
        source,
        published_at,
        updated_at,
        views,
        image,
        body,
        tags,
        ..
    } = article;
    view! {
        <article class="story" aria-labelledby="story-headline" lang=lang dir=dir>
            <header class="story__header">
                <a class="section-label" href=Route::section(section.slug).path()>{section.name}</a>
                <h1 id="story-headline" class="story__headline" tabindex="-1">{headline}</h1>
                {standfirst.map(|s| view! { <p class="story__standfirst">{s}</p> })}
                <div class="story__meta" lang=ui_lang.clone() dir=ui_dir>
                    {byline.map(|b| view! { <BylineView byline=b/> })}
                    {source.map(|s| {
                        let (before, after) = i18n::split("article.source", "source", &[]);
                        view! { <p class="story__source">{before}<span data-content>{s}</span>{after}</p> }
                    })}
                    <p class="story__times">
                        <TimeView label="article.published" at=published_at/>
                        {updated_at.map(|t| view! { <TimeView label="article.updated" at=t/> })}
                    </p>
                    <p class="story__views">{format::views(views)}</p>
                    // "4 min read" on screen; a screen reader hears "4 minutes to read".
                    <p class="story__reading-time">
                        <span aria-hidden="true">{reading_short}</span>
                        <span class="visually-hidden">{reading_long}</span>
                    </p>
                </div>
                <div class="story__tools" lang=ui_lang.clone() dir=ui_dir>
                    <ShareBar id="top" url=url.clone() title=share_title.clone() text=share_text.clone()/>
                    {save}
                </div>
            </header>
            {image.map(|image| view! { <Figure image class="story__lead-image" eager=true/> })}
            <div class="story__body">
                {body.blocks.into_iter().map(|block| view! { <BlockView block/> }).collect_view()}
            </div>
            <footer class="story__footer">
                {(!tags.is_empty()).then(|| view! { <TagList tags/> })}
                // A printed article says where it came from (style/print.css shows it on paper only).
                <p class="story__print-url">{url.clone()}</p>
                <div lang=ui_lang dir=ui_dir>
                    <ShareBar id="end" url title=share_title text=share_text/>
                </div>
            </footer>
        </article>
    }
}

/// The article's tags, each a link to its page.
#[component]
fn TagList(
    /// The tags, as stored.
    tags: Vec<String>,
) -> impl IntoView {
    view! {
        <nav class="story__tags" aria-label=i18n::t("article.tags")>
            <ul class="tag-list">
                {tags.into_iter().map(|tag| {
                    let href = Route::tag(tag.clone()).path();
                    view! { <li><a class="tag-list__tag" href=href>{tag}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The author's name, a link to their page (when the name makes one), with their e-mail
/// address as a link.
#[component]
fn BylineView(
    /// Who wrote it.
    byline: Byline,
) -> impl IntoView {
    let slug = author_slug(&byline.name);
    let name = if slug.is_empty() {
        view! { <span class="story__author">{byline.name}</span> }.into_any()
    } else {
        let href = Route::author(slug).path();
        view! { <a class="story__author" href=href rel="author">{byline.name}</a> }.into_any()
    };
    let (before, after) = i18n::split("article.byline", "author", &[]);
    view! {
        <p class="story__byline">
            {before}{name}{after}
            {byline.email.map(|email| {
                let href = format!("mailto:{email}");
                view! { " " <a class="story__email" href=href>{email}</a> }
            })}
        </p>
    }
}

/// A labelled time, machine-readable in `datetime`.
#[component]
pub fn TimeView(
    /// The message that says what the time is (`article.published`: "Published {{ time }}").
    label: &'static str,
    /// The time.
    at: Timestamp,
) -> impl IntoView {
    let (before, after) = i18n::split(label, "time", &[]);
    view! {
        <span class="time">
            {before}<time datetime=at.to_rfc3339()>{format::datetime(at)}</time>{after}
        </span>
    }
}
