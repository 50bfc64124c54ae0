//! The list of saved articles: on the Saved page, and on the offline page.

use crate::i18n;
use broadsheet_model::ArticleSummary;
use leptos::prelude::*;

use crate::components::article_view::TimeView;
use crate::route::Route;
use crate::saved::{self, SaveError};
use crate::tasks::Tasks;

/// The saved articles, newest first, each linking to its page; with a Remove button each when
/// `removable`.
#[component]
pub fn SavedList(
    /// Whether each article can be removed here.
    #[prop(optional)]
    removable: bool,
) -> impl IntoView {
    let list = LocalResource::new(saved::list);
    let message = RwSignal::new(None::<String>);
    let tasks = Tasks::here();
    let remove = Callback::new(move |story: ArticleSummary| {
        tasks.spawn_to_end(async move {
            match saved::remove(&story.slug).await {
                Ok(()) => message.set(Some(i18n::fill(
                    "saved.removed",
                    &[("headline", &story.headline)],
                ))),
                Err(e) => message.set(Some(e.to_string())),
            }
            list.refetch();
        });
    });
    view! {
        <Transition fallback=|| view! { <p class="saved-list__loading">{i18n::t("saved.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(stories) if stories.is_empty() => view! {
                        <p class="saved-list__empty">
                            {i18n::t("saved.empty")}
                        </p>
                    }
                    .into_any(),
                    Ok(stories) => view! {
                        <ul class="saved-list">
                            {stories.into_iter().map(|story| {
                                let label = i18n::fill("saved.remove_label", &[("headline", &story.headline)]);
                                let removed = story.clone();
                                view! {
                                    <li class="saved-list__item">
                                        <span class="section-label">{story.section.name.clone()}</span>
                                        <h2 class="saved-list__headline" dir="auto">
                                            <a href=Route::article(story.slug.clone()).path()>{story.headline.clone()}</a>
                                        </h2>
                                        <p class="saved-list__meta">
                                            <TimeView label="article.published" at=story.published_at/>
                                        </p>
                                        {removable.then(|| view! {
                                            <button
                                                type="button"
                                                class="button button--secondary saved-list__remove"
                                                aria-label=label
                                                on:click=move |_| remove.run(removed.clone())
                                            >
                                                {i18n::t("saved.remove")}
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(SaveError::Unavailable) => view! {
                        <p class="saved-list__empty">{SaveError::Unavailable.to_string()}</p>
                    }
                    .into_any(),
                    Err(e) => view! { <p class="saved-list__empty" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
        <p class="saved-list__status" role="status">{move || message.get()}</p>
    }
}
