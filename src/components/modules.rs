//! The sidebar modules: see `modules/README.md`.

pub mod item;
pub mod list;
pub mod rank;

use crate::i18n;
use broadsheet_model::Module;
use leptos::prelude::*;

use crate::page_data;
use list::List;

/// The modules of a page, loaded once the page's own content is on screen.
#[component]
pub fn Sidebar(
    /// The article the page shows, if it is an article page.
    article: Option<String>,
) -> impl IntoView {
    let modules = LocalResource::new(move || page_data::modules(article.clone()));
    view! {
        <SidebarFrame>
            <Transition>
                {move || Suspend::new(async move {
                    match modules.await {
                        Ok(modules) => view! { <ModuleLists modules/> }.into_any(),
                        Err(_) => view! {
                            <p class="sidebar__error">
                                {i18n::t("errors.modules")} " "
                                <button type="button" class="link-button" on:click=move |_| modules.refetch()>
                                    {i18n::t("errors.try_again")}
                                </button>
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </SidebarFrame>
    }
}

/// The sidebar around its modules: a labelled complementary landmark, so a screen reader can
/// jump to the related stories.
#[component]
pub fn SidebarFrame(children: Children) -> impl IntoView {
    view! { <aside class="sidebar" aria-label=i18n::t("modules.label")>{children()}</aside> }
}

/// Modules, one after another.
#[component]
pub fn ModuleLists(modules: Vec<Module>) -> impl IntoView {
    modules
        .into_iter()
        .map(|module| view! { <List module/> })
        .collect_view()
}

/// Whether the modules must be on screen with the page's content as the app starts: when the
/// page came with them and they stand beside the content (wide screens, `style/modules.css`).
/// Rendered a task later, they would vanish for a moment and be painted again.
pub fn needed_at_once() -> bool {
    page_data::embedded::brought_modules()
        && window()
            .match_media("(min-width: 64rem)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
}
