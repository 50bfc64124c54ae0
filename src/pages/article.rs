//! `/article/{slug}`: one article.

use crate::i18n;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, FetchError};
use crate::components::article_view::ArticleView;
use crate::components::comments::CommentsSection;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::modules::{self, Sidebar};
use crate::components::skeleton::ArticleSkeleton;
use crate::head;
use crate::page_data;
use crate::pages::not_found::NotFound;
use crate::route::{Route, not_found_title};
use crate::routing::PageReady;

/// An article page.
#[component]
pub fn ArticlePage(
    /// The article's slug.
    slug: String,
) -> impl IntoView {
    let article = LocalResource::new(move || page_data::article(slug.clone()));
    // The slug whose page view was last counted: one count per page view, not per retry.
    let counted = StoredValue::new(None::<String>);
    view! {
        <Suspense fallback=|| view! { <ArticleSkeleton/> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => {
                        if counted.with_value(|c| c.as_deref() != Some(article.slug.as_str())) {
                            if !page_data::embedded::view_counted(&article.slug) {
                                api::record_view(&article.slug);
                            }
                            counted.set_value(Some(article.slug.clone()));
                        }
                        let (slug, count) = (article.slug.clone(), article.comment_count);
                        head::show(&Route::article(slug.clone()), Some(&article.description(200)));
                        let title = article.headline.clone();
                        // Below the article, each in a task of its own.
                        let aside = {
                            let slug = slug.clone();
                            view! { <Later now=modules::needed_at_once()><Sidebar article=Some(slug.clone())/></Later> }
                        };
                        // At once in place of the server's, if the page showed one (the reader
                        // may be typing in it).
                        let now = page_data::embedded::brought_comment_box(&slug);
                        let comments = view! { <Later now><CommentsSection slug=slug.clone() count/></Later> };
                        view! {
                            <Title text=title.clone()/>
                            <ArticleLayout
                                article=view! { <ArticleView article saveable=true/> }.into_any()
                                aside=aside.into_any()
                                comments=comments.into_any()
                            />
                            <PageReady title/>
                        }
                        .into_any()
                    }
                    Err(FetchError::NotFound) => view! { <NotFound heading=not_found_title(&Route::article(""))/> }.into_any(),
                    Err(error) => view! {
                        <Title text=i18n::t("article.error_title")/>
                        <ErrorPanel
                            error
                            whole_page=true
                            heading="article.error_heading"
                            on_retry=Callback::new(move |()| article.refetch())
                        />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// An article page's columns: the article, the sidebar beside it (below it on narrow screens),
/// the comments. The server renders the first screen in the same frame.
#[component]
pub fn ArticleLayout(article: AnyView, aside: AnyView, comments: AnyView) -> impl IntoView {
    view! {
        <div class="article-layout">
            <div class="article-layout__main">{article}</div>
            <div class="article-layout__aside">{aside}</div>
            <div class="article-layout__comments">{comments}</div>
        </div>
    }
}
