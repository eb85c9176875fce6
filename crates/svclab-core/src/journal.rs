//! The action journal: `(simulated time, Action)` entries, what a link carries and what the
//! page's Undo and timeline replay. [`crate::Lab`] records it; this module reads it (the
//! timeline's marks, Undo) and bounds what replaying one from outside may cost.
//!
//! Invariants: a journal that came from outside (a link) is replayed with [`ReplayLimits`]:
//! at most `max_actions` entries and `max_ms` of simulated time, whatever its entries are
//! (`lab advance`, `sleep`, `kubectl wait`, many commands on one line). Time stops at the limit
//! inside a command (the cluster's deadline, [`crate::Cluster::set_deadline`]), and the lab
//! kept is the one before the entry that crossed it, never a half-run entry.

use crate::action::{self, Action};
use crate::diag::{Diagnostic, Pos};
use crate::Lab;

/// One journal entry: an action and the simulated time (ms) it was sent at.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JournalEntry {
    pub at_ms: u64,
    pub action: Action,
}

/// The journal without its last action that is not an advance (Undo): time that passed after
/// it still passes. `None` when there is nothing to undo.
pub fn undo_last(journal: &[JournalEntry]) -> Option<Vec<JournalEntry>> {
    let i = journal.iter().rposition(|e| !matches!(e.action, Action::Advance { .. }))?;
    let mut out = journal[..i].to_vec();
    out.extend_from_slice(&journal[i + 1..]);
    Some(out)
}

/// A point on the timeline where the learner did something: the time and the action's text
/// form (a terminal line as typed, after `$ `; an apply's first line only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at_ms: u64,
    pub text: String,
}

/// The longest text a [`Mark`] or a replay message quotes of an action.
const QUOTE_CHARS: usize = 60;

/// An action's text form on one line, shortened for a label.
pub fn quote(action: &Action) -> String {
    let text = match action {
        Action::Terminal(line) => format!("$ {}", line.lines().next().unwrap_or("")),
        a => a.to_text().lines().next().unwrap_or("").to_string(),
    };
    if text.chars().count() > QUOTE_CHARS {
        let cut: String = text.chars().take(QUOTE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The timeline's marks: every entry that is not time passing, oldest first.
pub fn marks(journal: &[JournalEntry]) -> Vec<Mark> {
    journal
        .iter()
        .filter(|e| !matches!(e.action, Action::Advance { .. }))
        .map(|e| Mark { at_ms: e.at_ms, text: quote(&e.action) })
        .collect()
}

/// What replaying a journal from outside may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayLimits {
    /// Entries replayed at most.
    pub max_actions: usize,
    /// Simulated time the replay may let pass, from the base's time.
    pub max_ms: u64,
}

/// A link's journal: 1000 actions and four hours of simulated time (a long lesson). Each
/// action's own work is bounded too (`crate::time::MAX_ADVANCE_MS`, the command work budget).
pub const LINK_LIMITS: ReplayLimits = ReplayLimits { max_actions: 1_000, max_ms: 4 * 60 * 60 * 1000 };

/// Why a bounded replay stopped: `entry` is the index (0-based) of the first entry not
/// replayed; the diagnostic names it (its `pos.line` is `entry + 1`) and the limit:
/// `journal.limit_time` or `journal.limit_actions`, with the arguments entry number, entry
/// count, the entry's text, the limit, entries kept, simulated time kept.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayStop {
    pub entry: usize,
    pub diagnostic: Diagnostic,
}

/// Which limit a replay reached.
#[derive(Clone, Copy)]
enum Limit {
    Time(u64),
    Actions(usize),
}

fn stop(entry: usize, total: usize, action: &Action, limit: Limit, kept_ms: u64) -> ReplayStop {
    let n = (entry + 1).to_string();
    let total = total.to_string();
    let quoted = quote(action);
    let kept = action::duration_text(kept_ms);
    let (code, value, what) = match limit {
        Limit::Time(ms) => {
            let d = action::duration_text(ms);
            ("journal.limit_time", d.clone(), format!("a replay may let at most {d} of simulated time pass"))
        }
        Limit::Actions(k) => ("journal.limit_actions", k.to_string(), format!("a replay runs at most {k} actions")),
    };
    let message = format!(
        "journal entry {n} of {total} (`{quoted}`): {what} (a Service Lab limit); the lab shows the {entry} entries before it ({kept} of simulated time)"
    );
    let diagnostic = Diagnostic::error(code, Pos::new(entry + 1, 1), message).with_args(&[
        &n,
        &total,
        &quoted,
        &value,
        &entry.to_string(),
        &kept,
    ]);
    ReplayStop { entry, diagnostic }
}

impl Lab {
    /// Replay `journal` on `base` within `limits` (a link's journal: [`LINK_LIMITS`]). The
    /// entries before the one that would cross a limit are replayed; that entry and the rest
    /// are not, and the [`ReplayStop`] says which and why. Time cannot run past the limit even
    /// inside one terminal line (`sleep 600; sleep 600; ...`): the cluster's deadline stops it,
    /// and the lab is then rebuilt up to the entry before (the hostile case costs one more
    /// replay, never more than the limit).
    pub fn replay_bounded(base: Lab, journal: &[JournalEntry], limits: ReplayLimits) -> (Lab, Option<ReplayStop>) {
        let start_ms = base.cluster.now().millis();
        let deadline = start_ms.saturating_add(limits.max_ms);
        let over_time = Limit::Time(limits.max_ms);
        let mut lab = base.clone();
        for (i, e) in journal.iter().enumerate() {
            let now = lab.cluster.now().millis();
            if i >= limits.max_actions {
                let limit = Limit::Actions(limits.max_actions);
                return (lab, Some(stop(i, journal.len(), &e.action, limit, now - start_ms)));
            }
            if let Action::Advance { ms } = e.action {
                if now.saturating_add(ms) > deadline {
                    return (lab, Some(stop(i, journal.len(), &e.action, over_time, now - start_ms)));
                }
            }
            lab.cluster.set_deadline(Some(crate::time::SimTime::ZERO.plus_millis(deadline)));
            lab.act(e.action.clone());
            let cut = lab.cluster.deadline_reached();
            lab.cluster.set_deadline(None);
            if cut {
                let before = Self::replay_onto(base, &journal[..i]);
                let kept = before.cluster.now().millis() - start_ms;
                return (before, Some(stop(i, journal.len(), &e.action, over_time, kept)));
            }
        }
        (lab, None)
    }
}
