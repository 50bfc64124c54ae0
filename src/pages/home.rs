//! `/`: the latest stories.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::ListSkeleton;
use crate::components::story_list::StoryList;
use crate::head;

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let stories = LocalResource::new(|| api::latest(None, 20));
    head::set_page_meta(head::SITE_DESCRIPTION, &head::canonical("/"));
    view! {
        <Title text="Latest news"/>
        <section class="front" aria-labelledby="front-heading">
            <h1 id="front-heading" class="front__heading" tabindex="-1">"Latest stories"</h1>
            <Suspense fallback=|| view! { <ListSkeleton/> }>
                {move || Suspend::new(async move {
                    match stories.await {
                        Ok(page) => view! { <StoryList stories=page.items/> }.into_any(),
                        Err(error) => view! {
                            <ErrorPanel error on_retry=Callback::new(move |()| stories.refetch())/>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
