//! `/section/{slug}`: one section's stories, newest first, with "Load more".

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{self, FetchError};
use crate::components::error_panel::ErrorPanel;
use crate::components::later::Later;
use crate::components::modules::{self, Sidebar};
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;
use crate::pages::not_found::NotFound;
use crate::routing::PageReady;

/// Stories per page of a section front (also the first screen the server renders).
pub const PAGE: u32 = 12;

/// A section front.
#[component]
pub fn SectionPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let first = LocalResource::new(move || api::section_page(slug(), None, PAGE));
    let owner = Owner::current().unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <ListSkeleton/> }>
            {move || {
                let owner = owner.clone();
                Suspend::new(async move {
                match first.await {
                    Ok(page) => {
                        let name = page.items.first().map(|s| s.section.name.clone()).unwrap_or_default();
                        let slug = params.read_untracked().get("slug").unwrap_or_default();
                        head::set_page_meta(
                            &format!("The latest {name} stories from Broadsheet."),
                            &head::canonical(&format!("/section/{slug}")),
                        );
                        // The pages loaded so far, and where the next one starts.
                        let stories = RwSignal::new(page.items);
                        let next = RwSignal::new(page.next_cursor);
                        let more = RwSignal::new(None::<Result<(), FetchError>>);
                        let load_more = move || {
                            let Some(cursor) = next.get_untracked() else { return };
                            more.set(Some(Ok(())));
                            let slug = slug.clone();
                            owner.with(|| spawn_local_scoped_with_cancellation(async move {
                                match api::section_page(slug, Some(cursor), PAGE).await {
                                    Ok(page) => {
                                        stories.update(|s| s.extend(page.items));
                                        next.set(page.next_cursor);
                                        more.set(None);
                                    }
                                    Err(e) => more.set(Some(Err(e))),
                                }
                            }));
                        };
                        let retry = load_more.clone();
                        let list = move || view! { <StoryList stories=stories.get() hide_section=true/> };
                        let after_list = move || match more.get() {
                            Some(Ok(())) => view! {
                                <p class="front__loading" role="status">"Loading more stories…"</p>
                            }.into_any(),
                            Some(Err(error)) => {
                                let retry = retry.clone();
                                view! { <ErrorPanel error on_retry=Callback::new(move |()| retry())/> }.into_any()
                            }
                            None => {
                                let load_more = load_more.clone();
                                next.get().map(|_| view! { <LoadMore on_click=Callback::new(move |()| load_more())/> }).into_any()
                            }
                        };
                        view! {
                            <Title text=name.clone()/>
                            <SectionLayout
                                name=name.clone()
                                stories=list.into_any()
                                more=after_list.into_any()
                                aside=view! { <Later now=modules::needed_at_once()><Sidebar article=None/></Later> }.into_any()
                            />
                            <PageReady title=name/>
                        }
                        .into_any()
                    }
                    Err(FetchError::NotFound) => view! { <NotFound heading="Section not found"/> }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel
                            error
                            whole_page=true
                            heading="We could not load this section"
                            on_retry=Callback::new(move |()| first.refetch())
                        />
                    }
                    .into_any(),
                }
            })}}
        </Suspense>
    }
}

/// A section front's columns: the section's stories under its name, "Load more", the modules
/// beside them. The server renders the first screen in the same frame.
#[component]
pub fn SectionLayout(
    name: String,
    stories: AnyView,
    more: AnyView,
    aside: AnyView,
) -> impl IntoView {
    view! {
        <div class="front-layout">
            <section class="front" aria-labelledby="front-heading">
                <h1 id="front-heading" class="front__heading" tabindex="-1">{name}</h1>
                {stories}
                {more}
            </section>
            {aside}
        </div>
    }
}

/// "Load more stories".
#[component]
pub fn LoadMore(on_click: Callback<()>) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary front__more" on:click=move |_| on_click.run(())>
            "Load more stories"
        </button>
    }
}
