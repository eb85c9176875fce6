//! The worst single command at the lab's limits (issue 13 §3): a Deployment scaled to the
//! replica limit (1000) on the default three-node cluster leaves ~780 pods Pending; then one
//! command that lets the most simulated time pass. Each must cost ≤ 200 ms of main-thread work
//! (before the scheduler's queue: `sleep 600` 9.4 s, `rollout status` 17.2 s, `kubectl wait
//! --all` 28 s). The last group fills the cluster to its pod limit with five Deployments.
//! Run: `cargo bench -p svclab-core --bench limits`; it prints, per command, the wall and the
//! CPU time of one run (CPU time from `/proc/thread-self/schedstat` where there is one: on a
//! shared machine wall time mostly measures the neighbours), then the worst of each.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::{Duration, Instant};
use svclab_core::{ClusterConfig, Lab};

fn lab_with(lines: &[&str]) -> Lab {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    for l in lines {
        lab.input(l);
    }
    lab
}

const COMMANDS: &[&str] = &[
    "sleep 600",
    "kubectl rollout status deploy/api-deployment",
    "kubectl wait --for=condition=Ready pod --all --timeout=600s",
    "kubectl get pods -w",
    "kubectl get pods",
];

/// This thread's CPU time so far (Linux), or `None`.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(s.split_whitespace().next()?.parse().ok()?))
}

fn bench(cr: &mut Criterion) {
    let one = lab_with(&[
        "kubectl create deployment api-deployment --image=nginx",
        "kubectl scale deploy api-deployment --replicas=1000",
    ]);
    let mut five_lines = vec!["kubectl create deployment api-deployment --image=nginx --replicas=1000".to_string()];
    for i in 1..5 {
        five_lines.push(format!("kubectl create deployment web{i} --image=nginx --replicas=1000"));
    }
    let five = lab_with(&five_lines.iter().map(String::as_str).collect::<Vec<_>>());
    let mut worst = (Duration::ZERO, String::new());
    let mut worst_cpu = (Duration::ZERO, String::new());
    for (label, base) in [("1000_replicas", &one), ("five_deployments_at_pod_limit", &five)] {
        for cmd in COMMANDS {
            let mut lab = base.clone();
            let (t, c) = (Instant::now(), cpu_time());
            lab.input(cmd);
            let wall = t.elapsed();
            let cpu = c.zip(cpu_time()).map(|(a, b)| b - a);
            println!("{label}: {cmd}: wall {:.1} ms, cpu {:.1} ms", ms(wall), cpu.map_or(f64::NAN, ms));
            if let Some(cpu) = cpu.filter(|c| *c > worst_cpu.0) {
                worst_cpu = (cpu, format!("{label}: {cmd}"));
            }
        }
    }
    for (label, base) in [("1000_replicas", &one), ("five_deployments_at_pod_limit", &five)] {
        let mut g = cr.benchmark_group(label);
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(3));
        g.warm_up_time(Duration::from_millis(500));
        for cmd in COMMANDS {
            g.bench_function(*cmd, |b| {
                b.iter_batched(
                    || base.clone(),
                    |mut lab| {
                        let t = Instant::now();
                        let out = lab.input(cmd);
                        let took = t.elapsed();
                        if took > worst.0 {
                            worst = (took, format!("{label}: {cmd}"));
                        }
                        out
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
    }
    // YAML mappings parse in linear time (issue 13 §4: duplicate keys were searched linearly):
    // the time per key stays flat from 10k to 100k keys.
    let mut g = cr.benchmark_group("yaml_wide_mapping");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(3));
    for keys in [10_000usize, 100_000] {
        let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n");
        for i in 0..keys {
            text += &format!("  k{i}: v\n");
        }
        g.bench_function(format!("parse_{keys}_keys"), |b| b.iter(|| svclab_core::yaml::parse_documents(&text)));
    }
    g.finish();
    println!("worst single command: wall {:.1} ms ({})", ms(worst.0), worst.1);
    println!("worst single command: cpu {:.1} ms ({})", ms(worst_cpu.0), worst_cpu.1);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

criterion_group!(benches, bench);
criterion_main!(benches);
