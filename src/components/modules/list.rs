//! One module.

use broadsheet_model::Module;
use leptos::prelude::*;

use super::item::Item;

/// A module: a section labelled by its heading; an ordered list when its stories are ranked.
#[component]
pub fn List(
    /// The module.
    module: Module,
) -> impl IntoView {
    let heading_id = format!("module-{}", module.id);
    let numbered = module.numbered;
    let items = module
        .items
        .into_iter()
        .map(|item| view! { <Item item numbered/> })
        .collect_view();
    let labelled_by = heading_id.clone();
    view! {
        <section class="module" aria-labelledby=labelled_by>
            <h2 id=heading_id class="module__title">{module.title}</h2>
            {if numbered {
                view! { <ol class="module__list module__list--ranked">{items}</ol> }.into_any()
            } else {
                view! { <ul class="module__list">{items}</ul> }.into_any()
            }}
        </section>
    }
}
