//! Checkpoints along a journal, so that seeking back in a long session replays from the nearest
//! earlier lab instead of from the start (the page's timeline).
//!
//! Invariants:
//! - [`Checkpoints::replay_until`] returns exactly what [`Lab::replay_until`] returns for the
//!   same base, journal and time (`tests/journal.rs` compares their canonical dumps). That holds
//!   because advancing is chunk-invariant and each checkpoint is `replay_until` at its own time.
//! - A checkpoint is used only while the journal still begins as it did when the checkpoint was
//!   taken: each one keeps a hash of the journal up to its time (an advance that crosses that
//!   time counts up to it only, so the present's last advance, which grows every frame, does
//!   not spoil the checkpoints inside it). Undo, "continue from here" or a new link change the
//!   hash, and the checkpoints after the change are dropped.
//! - Bounded: at most [`MAX_KEPT`] labs and about [`BUDGET_ITEMS`] stored items (objects, log
//!   lines, events) in all; when full, the spacing doubles and every other checkpoint goes.
//!   The base is the caller's: the store must be cleared when the base changes.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::journal::JournalEntry;
use crate::{Action, Lab};

/// The most labs kept.
pub const MAX_KEPT: usize = 32;
/// The most stored items (objects, log lines and events, summed over the labs kept): a lab of
/// the default scenario holds a few hundred, an hour of it with a client about 6,600 (1.3 MB
/// as JSON): about 10 MB in all.
pub const BUDGET_ITEMS: usize = 50_000;
/// The first spacing between checkpoints, in simulated ms.
const FIRST_SPACING_MS: u64 = 10_000;

/// Labs taken at regular simulated times along one journal from one base.
#[derive(Debug)]
pub struct Checkpoints {
    spacing_ms: u64,
    kept: Vec<Checkpoint>,
}

#[derive(Debug)]
struct Checkpoint {
    t_ms: u64,
    prefix: u64,
    items: usize,
    lab: Lab,
}

impl Default for Checkpoints {
    fn default() -> Self {
        Checkpoints { spacing_ms: FIRST_SPACING_MS, kept: Vec::new() }
    }
}

impl Checkpoints {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget every checkpoint (the base changed).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// How many labs are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The stored items (objects, log lines, events) of the labs kept, summed.
    pub fn items(&self) -> usize {
        self.kept.iter().map(|c| c.items).sum()
    }

    /// The simulated times of the labs kept, oldest first.
    pub fn times(&self) -> Vec<u64> {
        self.kept.iter().map(|c| c.t_ms).collect()
    }

    /// [`Lab::replay_until`]`(base(), journal, t_ms)`, started from the latest checkpoint at or
    /// before `t_ms` that still matches `journal` (`base` is built only when none does), and
    /// leaving checkpoints on the way for the next seek.
    pub fn replay_until(&mut self, base: impl FnOnce() -> Lab, journal: &[JournalEntry], t_ms: u64) -> Lab {
        let mut lab = match self.start_for(journal, t_ms) {
            Some(i) => self.kept[i].lab.clone(),
            None => base(),
        };
        loop {
            let now = lab.cluster.now().millis();
            let next = (now / self.spacing_ms + 1) * self.spacing_ms;
            if next >= t_ms {
                break;
            }
            lab.play_forward(journal, next);
            self.keep(next, prefix_hash(journal, next), &lab);
        }
        lab.play_forward(journal, t_ms);
        lab
    }

    /// The simulated time a seek to `t_ms` along `journal` would start from (`None`: the base),
    /// after dropping the checkpoints `journal` no longer matches.
    pub fn start_time(&mut self, journal: &[JournalEntry], t_ms: u64) -> Option<u64> {
        self.start_for(journal, t_ms).map(|i| self.kept[i].t_ms)
    }

    fn start_for(&mut self, journal: &[JournalEntry], t_ms: u64) -> Option<usize> {
        self.kept.retain(|c| c.prefix == prefix_hash(journal, c.t_ms));
        self.kept.iter().rposition(|c| c.t_ms <= t_ms)
    }

    fn keep(&mut self, t_ms: u64, prefix: u64, lab: &Lab) {
        if !t_ms.is_multiple_of(self.spacing_ms) {
            return;
        }
        let at = match self.kept.binary_search_by_key(&t_ms, |c| c.t_ms) {
            Ok(_) => return,
            Err(at) => at,
        };
        let items = items(lab);
        self.kept.insert(at, Checkpoint { t_ms, prefix, items, lab: lab.clone() });
        while self.kept.len() > MAX_KEPT || self.items() > BUDGET_ITEMS {
            if self.kept.len() <= 1 {
                // One lab over the whole budget: keep none (seeking replays from the base).
                self.kept.clear();
                return;
            }
            self.spacing_ms *= 2;
            let spacing = self.spacing_ms;
            self.kept.retain(|c| c.t_ms.is_multiple_of(spacing));
        }
    }
}

/// What a lab holds that grows: its objects, its event log and its Kubernetes events.
fn items(lab: &Lab) -> usize {
    let c = &lab.cluster;
    c.objects().count() + c.log().len() + c.kube_events().len() + 1
}

/// A hash of the journal as far as it shapes the lab at `t_ms`: the entries sent before it, an
/// advance counted only up to `t_ms`.
fn prefix_hash(journal: &[JournalEntry], t_ms: u64) -> u64 {
    let mut h = DefaultHasher::new();
    for e in journal.iter().take_while(|e| e.at_ms < t_ms) {
        e.at_ms.hash(&mut h);
        match &e.action {
            Action::Advance { ms } => (0u8, (*ms).min(t_ms - e.at_ms)).hash(&mut h),
            other => (1u8, other.to_text()).hash(&mut h),
        }
    }
    h.finish()
}
