//! Simulated time. The core has no clock: the caller advances [`SimTime`] explicitly
//! (`sleep`, `kubectl wait`, the UI's playback loop), so runs are reproducible.

use serde::{Deserialize, Serialize};

/// Milliseconds since the simulated cluster was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub fn from_secs(s: u64) -> Self {
        SimTime(s * 1000)
    }
    pub fn millis(self) -> u64 {
        self.0
    }
    pub fn secs(self) -> u64 {
        self.0 / 1000
    }
    pub fn plus_millis(self, ms: u64) -> Self {
        SimTime(self.0.saturating_add(ms))
    }
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// kubectl's AGE column (k8s.io/apimachinery duration.HumanDuration): `13s`, `5m3s`, `2d3h`.
pub fn human_duration(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 * 2 {
        return format!("{s}s");
    }
    let m = s / 60;
    if m < 10 {
        let rem = s % 60;
        return if rem == 0 { format!("{m}m") } else { format!("{m}m{rem}s") };
    }
    if m < 60 * 3 {
        return format!("{m}m");
    }
    let h = m / 60;
    if h < 8 {
        let rem = m % 60;
        return if rem == 0 { format!("{h}h") } else { format!("{h}h{rem}m") };
    }
    if h < 48 {
        return format!("{h}h");
    }
    let d = h / 24;
    if d < 8 {
        let rem = h % 24;
        return if rem == 0 { format!("{d}d") } else { format!("{d}d{rem}h") };
    }
    if d < 365 * 2 {
        return format!("{d}d");
    }
    format!("{}y", d / 365)
}

#[cfg(test)]
mod tests {
    use super::human_duration;
    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(human_duration(13_000), "13s");
        assert_eq!(human_duration(119_000), "119s");
        assert_eq!(human_duration(303_000), "5m3s");
        assert_eq!(human_duration(3_600_000 * 50), "2d2h");
    }
}

/// The wall-clock time the simulation starts at, for timestamps printed in objects
/// (`creationTimestamp`): a fixed instant, so output is reproducible.
pub const EPOCH_UNIX_SECS: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z

/// RFC 3339 UTC timestamp of a simulated instant (`2026-01-01T00:01:00Z`).
pub fn rfc3339(t: SimTime) -> String {
    let secs = EPOCH_UNIX_SECS + t.secs();
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod rfc_tests {
    #[test]
    fn epoch_formats() {
        assert_eq!(super::rfc3339(super::SimTime::from_secs(61)), "2026-01-01T00:01:01Z");
    }
}

/// The most simulated time one command may let pass (`sleep`, `kubectl wait --timeout`, curl's
/// and wget's timeouts, `lab advance`): every 100 ms tick runs the controllers, so a day-long
/// `sleep 86400` would freeze the browser tab for minutes. Ten minutes, like `rollout status`'s
/// watch.
pub const MAX_ADVANCE_MS: u64 = 600_000;
