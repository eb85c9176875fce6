//! Seeking back on the timeline in a long session: an hour of the default scenario in the
//! page's 100 ms frames, one traffic client, an action a minute. `replay` is a seek from the
//! start ([`Lab::replay_until`]); `checkpointed` a later seek once the first one has left
//! checkpoints ([`Checkpoints`]).
//! Run: `cargo bench -p svclab-core --bench seek`.

use criterion::{criterion_group, criterion_main, Criterion};
use svclab_core::checkpoints::Checkpoints;
use svclab_core::scenario::SEED_001;
use svclab_core::traffic::ClientSpec;
use svclab_core::{Action, Lab};

fn hour() -> Lab {
    let mut l = Lab::start(1, &SEED_001);
    l.act(Action::AddClient(ClientSpec::new("default", "client", "normal-service", 80)));
    for i in 0..36_000u64 {
        l.act(Action::Advance { ms: 100 });
        if i % 600 == 0 {
            l.act(Action::ResetHits);
        }
    }
    l
}

fn seek(c: &mut Criterion) {
    let l = hour();
    let end = l.cluster.now().millis();
    let mut g = c.benchmark_group("seek an hour-long session");
    g.sample_size(10);
    g.bench_function("replay from the start to 1 min before the end", |b| {
        b.iter(|| Lab::replay_until(Lab::start(1, &SEED_001), l.journal(), end - 60_000))
    });
    let mut cp = Checkpoints::new();
    cp.replay_until(|| Lab::start(1, &SEED_001), l.journal(), end - 1);
    g.bench_function("from a checkpoint to 1 min before the end", |b| {
        b.iter(|| cp.replay_until(|| Lab::start(1, &SEED_001), l.journal(), end - 60_000))
    });
    g.bench_function("from a checkpoint to the middle", |b| {
        b.iter(|| cp.replay_until(|| Lab::start(1, &SEED_001), l.journal(), end / 2 + 3_333))
    });
    g.finish();
}

criterion_group!(benches, seek);
criterion_main!(benches);
