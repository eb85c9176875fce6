//! The simulation controller: the one writer of the [`Lab`]. Panels read through
//! [`SimController::version`] (bumped on every change) and send commands through methods.

use leptos::prelude::*;
use svclab_core::scenario::SEED_001;
use svclab_core::Lab;

#[derive(Clone, Copy)]
pub struct SimController {
    lab: StoredValue<Lab, LocalStorage>,
    /// Bumped after every mutation; memos that read the lab track it.
    version: RwSignal<u64>,
}

impl SimController {
    pub fn new(seed: u64) -> Self {
        SimController { lab: StoredValue::new_local(SEED_001.start(seed)), version: RwSignal::new(0) }
    }

    /// Run a mutation on the lab and notify readers.
    pub fn update<T>(&self, f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
        let out = self.lab.try_update_value(f);
        self.version.update(|v| *v += 1);
        out
    }

    /// `nslookup NAME` from the scenario's client pod, tracked by `version`.
    pub fn nslookup(&self, name: &str) -> String {
        self.version.track();
        let (ns, pod) = SEED_001.client;
        // A lookup is a real query (it appears in the DNS log) so it goes through `update`
        // without bumping the version (which would re-run this memo forever).
        self.lab.try_update_value(|lab| lab.exec(ns, pod, &format!("nslookup {name}")).text).unwrap_or_default()
    }
}

/// `?seed=N` from the page URL; 1 when absent or not a number.
pub fn seed_from_url() -> u64 {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("seed="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}
