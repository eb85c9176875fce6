//! The playback clock: the UI owns simulated time. Each animation frame adds the real time
//! elapsed (times the speed) to an accumulator and advances the cluster in whole controller
//! ticks (fixed step, `TICK_MS`), so a run does not depend on the frame rate. Browsers stop
//! `requestAnimationFrame` in hidden tabs, and a long gap is capped, so time does not jump
//! when the learner comes back.
//!
//! [`Clock::sim_ms`] is the simulated time to draw, `now` plus the part of a tick not yet
//! run, set every animation frame: the cluster view's traffic dots (a pure function of
//! simulated time, `svclab_core::traffic::flight`) move smoothly between 100 ms ticks.
//! Only the dots layer reads it, so a frame without a tick re-renders nothing else.

use crate::sim::SimController;
use leptos::prelude::*;
use svclab_core::cluster::TICK_MS;

/// Speeds the learner can pick.
pub const SPEEDS: [f64; 4] = [0.5, 1.0, 2.0, 5.0];

/// The longest real gap one frame may account for (a hidden tab, a debugger pause).
const MAX_FRAME_MS: f64 = 250.0;

#[derive(Clone, Copy)]
pub struct Clock {
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// Simulated milliseconds not yet run (less than one tick).
    carry: StoredValue<f64>,
    /// The simulated time to draw: the cluster's `now` plus `carry`, in ms, every frame.
    pub sim_ms: RwSignal<f64>,
}

impl Clock {
    pub fn new(playing: bool) -> Self {
        Clock {
            playing: RwSignal::new(playing),
            speed: RwSignal::new(1.0),
            carry: StoredValue::new(0.0),
            sim_ms: RwSignal::new(0.0),
        }
    }

    /// Start the frame loop; it runs for the life of the page and idles while paused.
    pub fn start(self, sim: SimController) {
        frame(self, sim, None);
    }

    /// Whole ticks to run for `real_ms` of real time at the current speed.
    pub fn due_ms(&self, real_ms: f64) -> u64 {
        let sim_ms = real_ms.clamp(0.0, MAX_FRAME_MS) * self.speed.get_untracked() + self.carry.get_value();
        let ticks = (sim_ms / TICK_MS as f64).floor();
        self.carry.set_value(sim_ms - ticks * TICK_MS as f64);
        ticks as u64 * TICK_MS
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn frame(clock: Clock, sim: SimController, last: Option<f64>) {
    request_animation_frame(move || {
        let now = now_ms();
        if clock.playing.get_untracked() {
            if let Some(last) = last {
                let ms = clock.due_ms(now - last);
                sim.advance(ms);
            }
        }
        // Also while paused: a step or a command moves `now` without the loop running ticks.
        let t = sim.now_ms() as f64 + clock.carry.get_value();
        if clock.sim_ms.get_untracked() != t {
            clock.sim_ms.set(t);
        }
        frame(clock, sim, Some(now));
    });
}
