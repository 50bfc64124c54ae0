//! A list that grows a page at a time ("Load more"): a section's stories, an article's comments.

use crate::i18n;
use std::future::Future;
use std::sync::Arc;

use futures::future::{FutureExt, LocalBoxFuture};
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::error_panel::ErrorPanel;
use crate::tasks::Tasks;

/// Where loading the next page stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Loading {
    Busy,
    Done,
    Failed(FetchError),
}

/// One page: its items, and where the next one starts (none after the last).
pub type PageOf<T> = (Vec<T>, Option<String>);

type Fetch<T> = Arc<
    dyn Fn(Option<String>) -> LocalBoxFuture<'static, Result<PageOf<T>, FetchError>> + Send + Sync,
>;

/// The items loaded so far, the next page's cursor, and where loading stands. Pages load under
/// the owner of the component that made it.
pub struct Paged<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<Loading>,
    fetch: Fetch<T>,
    tasks: Tasks,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        Paged {
            items: self.items,
            next: self.next,
            loading: self.loading,
            fetch: Arc::clone(&self.fetch),
            tasks: self.tasks.clone(),
        }
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Paged<T> {
    /// A list that starts with `first` (the first page, if it is at hand) and loads the page
    /// after a cursor with `fetch`.
    pub fn new<F, Fut>(first: PageOf<T>, loading: Loading, fetch: F) -> Self
    where
        F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<PageOf<T>, FetchError>> + 'static,
    {
        Paged {
            items: RwSignal::new(first.0),
            next: RwSignal::new(first.1),
            loading: RwSignal::new(loading),
            fetch: Arc::new(move |cursor| fetch(cursor).boxed_local()),
            tasks: Tasks::here(),
        }
    }

    /// Loads the page after `cursor` (the first without one) and adds its items that are not in
    /// the list yet.
    pub fn load(&self, cursor: Option<String>) {
        let (items, next, loading) = (self.items, self.next, self.loading);
        loading.set(Loading::Busy);
        let fetch = Arc::clone(&self.fetch);
        self.tasks.spawn(async move {
            // Asked for inside the task, under the component's owner (the progress bar is
            // found there).
            match fetch(cursor).await {
                Ok((new, cursor)) => {
                    items.update(|list| {
                        for item in new {
                            if !list.contains(&item) {
                                list.push(item);
                            }
                        }
                    });
                    next.set(cursor);
                    loading.set(Loading::Done);
                }
                Err(e) => loading.set(Loading::Failed(e)),
            }
        });
    }

    /// Loads the next page, if there is one.
    pub fn load_more(&self) {
        if let Some(cursor) = self.next.get_untracked() {
            self.load(Some(cursor));
        }
    }

    /// What stands after the list: a status while a page loads (`busy_text`, a message key), the error with Retry, or the
    /// "Load more" control (`more`, given what to do on click) while there are more pages.
    pub fn after_list<M>(
        &self,
        busy_text: &'static str,
        busy_class: &'static str,
        more: M,
    ) -> impl IntoView + use<T, M>
    where
        M: Fn(Callback<()>) -> AnyView + Send + Sync + Clone + 'static,
    {
        let paged = self.clone();
        let (loading, next) = (self.loading, self.next);
        move || match loading.get() {
            Loading::Busy => {
                view! { <p class=busy_class role="status">{i18n::t(busy_text)}</p> }.into_any()
            }
            Loading::Failed(error) => {
                let paged = paged.clone();
                // Again from where it stopped: the first page, or the one after the last loaded.
                let cursor = next.get_untracked();
                let retry = Callback::new(move |()| paged.load(cursor.clone()));
                view! { <ErrorPanel error on_retry=retry/> }.into_any()
            }
            Loading::Done => {
                let paged = paged.clone();
                next.get()
                    .map(|_| more(Callback::new(move |()| paged.load_more())))
                    .into_any()
            }
        }
    }
}
