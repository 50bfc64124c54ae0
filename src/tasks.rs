//! Work a component starts, run under the component's reactive owner: the signals it sets stay
//! reachable, and it ends with the component. Made when the component is, so a button that starts
//! work may itself be re-rendered away without taking the work with it.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::{spawn_local_scoped, spawn_local_scoped_with_cancellation};

/// Starts tasks under the owner that was current when it was made.
#[derive(Clone)]
pub struct Tasks(Owner);

impl Tasks {
    /// Tasks of the current component.
    pub fn here() -> Tasks {
        Tasks(Owner::current().unwrap_or_default())
    }

    /// Starts `work`; it is dropped unfinished if the component goes away first (a request for a
    /// page the reader has left is aborted with it).
    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        self.0.with(|| spawn_local_scoped_with_cancellation(work));
    }

    /// Starts `work` that must finish even if the component goes away (saving, removing).
    pub fn spawn_to_end(&self, work: impl Future<Output = ()> + 'static) {
        self.0.with(|| spawn_local_scoped(work));
    }
}
