//! Two routes, one JSON fetch, a list of paragraphs: the least an article reader needs.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use serde::Deserialize;

#[derive(Clone, Deserialize)]
struct Story {
    slug: String,
    headline: String,
    body: Vec<String>,
}

async fn load(slug: String) -> Option<Story> {
    let url = format!("/api/articles/{slug}");
    gloo_net::http::Request::get(&url)
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()
}

#[component]
fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    let story = LocalResource::new(move || load(params.read().get("slug").unwrap_or_default()));
    view! {
        <Suspense fallback=|| "Loading">
            {move || Suspend::new(async move {
                story.await.map(|s| view! {
                    <article>
                        <h1>{s.headline}</h1>
                        {s.body.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        <A href=format!("/story/{}", s.slug)>"Again"</A>
                    </article>
                })
            })}
        </Suspense>
    }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <main>
                    <Routes fallback=|| "Not found">
                        <Route path=path!("/") view=|| view! { <h1>"Home"</h1><A href="/story/x">"A story"</A> }/>
                        <Route path=path!("/story/:slug") view=StoryPage/>
                    </Routes>
                </main>
            </Router>
        }
    });
}
