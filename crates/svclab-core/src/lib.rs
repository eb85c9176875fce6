//! Service Lab's simulation core: a sans-IO Kubernetes Service networking simulator.
//!
//! Commands in ([`apply::apply_text`], [`shell::Terminal::input`], [`cluster::Cluster::advance`]),
//! state and events out ([`cluster::Cluster`], [`cluster::SimEvent`]), pure queries
//! ([`dns::kubernetes::answer`]). The browser app and the `svclab` CLI are two thin callers.
//!
//! Invariants: no web crates, no clock, no OS randomness; the RNG is seeded and lives in the
//! cluster; iteration is ordered (`BTreeMap`), so a seed and a command list give the same run
//! on every platform. Nothing here panics on user input.

pub mod api;
pub mod apply;
pub mod cluster;
pub mod controllers;
pub mod decode;
pub mod diag;
pub mod dns;
pub mod encode;
pub mod lesson;
pub mod lint;
pub mod names;
pub mod net;
pub mod proxy;
pub mod scenario;
pub mod shell;
pub mod time;
pub mod traffic;
pub mod validation;
pub mod yaml;

pub use cluster::{Cluster, ClusterConfig};
pub use shell::Terminal;

/// A cluster and the terminal attached to it: what the UI and the CLI drive.
#[derive(Clone, Debug)]
pub struct Lab {
    pub cluster: Cluster,
    pub terminal: Terminal,
}

impl Lab {
    pub fn new(config: ClusterConfig, seed: u64) -> Self {
        Lab { cluster: Cluster::new(config, seed), terminal: Terminal::new() }
    }

    /// Feed one terminal line (see [`Terminal::input`]).
    pub fn input(&mut self, line: &str) -> Option<shell::Output> {
        self.terminal.input(&mut self.cluster, line)
    }

    /// Run one command line inside a pod, as `kubectl exec POD -- sh -c LINE` would, without
    /// touching the learner's terminal.
    pub fn exec(&mut self, namespace: &str, pod: &str, line: &str) -> shell::Output {
        let mut t = self.pod_terminal(namespace, pod);
        t.input(&mut self.cluster, line).unwrap_or_default()
    }

    /// A terminal attached to a shell in the pod's first container.
    fn pod_terminal(&self, namespace: &str, pod: &str) -> Terminal {
        let image = self
            .cluster
            .get::<api::Pod>(namespace, pod)
            .and_then(|p| p.spec.containers.first().map(|c| c.image.clone()))
            .unwrap_or_default();
        let mut t = Terminal::new();
        t.push_session(shell::Session { namespace: namespace.into(), pod: pod.into(), image, remove_on_exit: false });
        t
    }

    /// [`Lab::exec`] as an observer ([`Cluster::observe`]): the answer without a trace in the
    /// logs and without changing the run.
    pub fn peek(&mut self, namespace: &str, pod: &str, line: &str) -> shell::Output {
        let mut t = self.pod_terminal(namespace, pod);
        self.cluster.observe(|c| t.input(c, line).unwrap_or_default())
    }

    /// Tab completion candidates for a terminal line (see [`shell::complete`]).
    pub fn complete(&self, line: &str) -> Vec<String> {
        shell::complete(&self.cluster, &self.terminal, line)
    }

    /// Run a whole script and return its transcript.
    pub fn run_script(&mut self, script: &str) -> shell::script::Transcript {
        shell::script::run_script(&mut self.cluster, &mut self.terminal, script)
    }
}
