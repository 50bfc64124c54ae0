//! `/search?q=…&cursor=…`: the stories holding the query's words, those whose headline holds
//! them all first, then newest first; the matched words marked. A page at a time, each with its
//! own address ("More results" is a plain link), so paging works without the app too.

use crate::i18n;
use broadsheet_model::{Marked, SearchResults};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::SearchError;
use crate::components::article_view::TimeView;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::page_data;
use crate::route::Route;
use crate::routing::PageReady;

/// A page of a search's results.
#[component]
pub fn SearchPage(
    /// What the reader searched for.
    query: String,
    /// Where the page starts (`None`: the first page).
    cursor: Option<String>,
) -> impl IntoView {
    let route = Route::search(query.clone(), cursor.clone());
    let results = {
        let query = query.clone();
        LocalResource::new(move || page_data::search(query.clone(), cursor.clone()))
    };
    view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || {
                let (route, query) = (route.clone(), query.clone());
                Suspend::new(async move {
                    let outcome = match results.await {
                        Ok(found) => Ok(found),
                        Err(SearchError::Refused(message)) => Err(message),
                        Err(SearchError::Fetch(error)) => {
                            return view! {
                                <ErrorPanel
                                    error
                                    whole_page=true
                                    heading="search.error_heading"
                                    on_retry=Callback::new(move |()| results.refetch())
                                />
                            }
                            .into_any();
                        }
                    };
                    head::show(&route, None);
                    let title = route.title(None);
                    view! {
                        <Title text=title.clone()/>
                        <SearchLayout query=query.clone() results=view! { <SearchResultsView query outcome/> }.into_any()/>
                        <PageReady title/>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

/// The search page's column: its heading and the results. The server renders the first screen
/// in the same frame.
#[component]
pub fn SearchLayout(
    /// What the reader searched for.
    query: String,
    /// The results, or what the page says instead.
    results: AnyView,
) -> impl IntoView {
    let query = query.trim().to_owned();
    let heading = if query.is_empty() {
        i18n::t("search.title")
    } else {
        i18n::fill("search.results_for", &[("query", &query)])
    };
    view! {
        <section class="search" aria-labelledby="search-heading">
            <h1 id="search-heading" class="front__heading" tabindex="-1">{heading}</h1>
            {results}
        </section>
    }
}

/// A page of results, "No results" with the latest stories, or why the query was refused.
#[component]
pub fn SearchResultsView(
    /// What the reader searched for.
    query: String,
    /// The results, or the server's sentence saying why it would not search.
    outcome: Result<SearchResults, String>,
) -> impl IntoView {
    let found = match outcome {
        Ok(found) => found,
        Err(message) => {
            return view! { <p class="search__message">{message}</p> }.into_any();
        }
    };
    if found.items.is_empty() {
        let latest = (!found.latest.is_empty()).then(|| {
            view! {
                <h2 class="search__latest-heading">{i18n::t("search.latest")}</h2>
                <StoryList stories=found.latest/>
            }
        });
        return view! {
            <p class="search__message">{i18n::fill("search.no_results", &[("query", &found.query)])}</p>
            {latest}
        }
        .into_any();
    }
    let more = found.next_cursor.map(|cursor| {
        let href = Route::search(query.clone(), Some(cursor)).path();
        view! { <a class="button button--secondary search__more" href=href rel="next">{i18n::t("search.more")}</a> }
    });
    view! {
        <ol class="search-results">
            {found.items.into_iter().map(|hit| {
                let story = hit.story;
                view! {
                    <li class="search-results__item">
                        <span class="section-label">{story.section.name}</span>
                        <h2 class="search-results__headline" dir="auto">
                            <a href=Route::article(story.slug).path()>{runs(hit.headline)}</a>
                        </h2>
                        <p class="search-results__snippet" dir="auto">{runs(hit.snippet)}</p>
                        <p class="story-list__meta"><TimeView label="article.published" at=story.published_at/></p>
                    </li>
                }
            }).collect_view()}
        </ol>
        {more}
    }
    .into_any()
}

/// Runs as text nodes, the marked ones inside `<mark>`: text, never markup.
fn runs(runs: Vec<Marked>) -> impl IntoView {
    runs.into_iter()
        .map(|run| {
            if run.marked {
                view! { <mark class="search-mark">{run.text}</mark> }.into_any()
            } else {
                run.text.into_any()
            }
        })
        .collect_view()
}
