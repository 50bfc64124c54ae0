//! The modules every page shows — "Popular Now", "Weekly Best Articles", "Must-Reads" — kept
//! ready: computed from the hourly view counters at most once a [`REFRESH`] and shared by every
//! request, so no page sums views. A page's own modules (its section's newest, related stories)
//! are read per request through indexes, and put before these ([`page_modules`]).

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use broadsheet_model::Module;

use crate::store::{Store, StoreError};

/// How old the rankings may be.
pub const REFRESH: Duration = Duration::from_secs(60);

struct Ranked {
    at: Instant,
    modules: Arc<Vec<Module>>,
}

/// The rankings, shared by every request.
#[derive(Clone, Default)]
pub struct Rankings {
    current: Arc<RwLock<Option<Ranked>>>,
    /// One refresh at a time.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Rankings {
    fn fresh(&self, max_age: Duration) -> Option<Arc<Vec<Module>>> {
        let current = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        current
            .as_ref()
            .filter(|r| r.at.elapsed() < max_age)
            .map(|r| Arc::clone(&r.modules))
    }

    /// Computes the rankings now and keeps them.
    pub async fn refresh(&self, store: &dyn Store) -> Result<Arc<Vec<Module>>, StoreError> {
        let _one = self.refreshing.lock().await;
        self.compute(store).await
    }

    async fn compute(&self, store: &dyn Store) -> Result<Arc<Vec<Module>>, StoreError> {
        let modules = Arc::new(store.rankings(now()).await?);
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Ranked {
            at: Instant::now(),
            modules: Arc::clone(&modules),
        });
        Ok(modules)
    }

    /// The rankings: the kept ones while they are younger than [`REFRESH`]; older ones are
    /// still answered while a refresh runs in the background; the first request computes them.
    pub async fn get(&self, store: &Arc<dyn Store>) -> Result<Arc<Vec<Module>>, StoreError> {
        if let Some(fresh) = self.fresh(REFRESH) {
            return Ok(fresh);
        }
        if let Some(stale) = self.fresh(Duration::MAX) {
            // One refresh at a time: the task holds the lock until it is done.
            if let Ok(one) = Arc::clone(&self.refreshing).try_lock_owned() {
                let (rankings, store) = (self.clone(), Arc::clone(store));
                tokio::spawn(async move {
                    let _one = one;
                    if let Err(e) = rankings.compute(store.as_ref()).await {
                        tracing::error!(error = %e, "could not refresh the rankings");
                    }
                });
            }
            return Ok(stale);
        }
        self.refresh(store.as_ref()).await
    }
}

/// The modules of a page: an article's own (`Some` of them) before the rankings, or the
/// rankings alone on the fronts (`None`).
/// Each module is titled in the site's language (`modules.*` in its catalogue, by the module's
/// id; the stores' own titles are English).
pub fn page_modules(own: Option<Vec<Module>>, rankings: &[Module]) -> Vec<Module> {
    own.into_iter()
        .flatten()
        .chain(rankings.iter().cloned())
        .map(titled)
        .collect()
}

/// `module` with its title from the catalogue, when its id has one.
fn titled(mut module: Module) -> Module {
    let key = match module.id.as_str() {
        "latest-stories" => "modules.latest_stories",
        "you-may-also-like" => "modules.you_may_also_like",
        "popular-now" => "modules.popular_now",
        "weekly-best" => "modules.weekly_best",
        "must-reads" => "modules.must_reads",
        _ => return module,
    };
    // The section's latest stories name it as the stores do: in capitals, where the script has
    // them ("[WORLD] Latest Stories").
    let section = module
        .items
        .first()
        .map(|i| i.section.name.to_uppercase())
        .unwrap_or_default();
    module.title = broadsheet::i18n::fill(key, &[("section", &section)]);
    module
}
