//! The traffic panel: the client programs running in pods (one card each: target, connection
//! mode, strategy over DNS answers, DNS cache, interval, counters), kube-proxy's mode, the
//! per-pod hit counters, and the request log (newest first) that tells in words what the
//! cluster view's dots draw: DNS, then kube-proxy for a Service's virtual IP, or straight to
//! a pod for a headless Service, and every error.
//!
//! Invariants: every change goes through [`SimController`] (the core restarts a changed
//! client); user input is validated here before it reaches the core and a bad value shows a
//! message and changes nothing; every sentence comes from `traffic.*` locale keys, the log
//! only fills in names, addresses and rules the core reports ([`RequestSummary`]).

use crate::i18n::{self, use_i18n, Lang};
use crate::sim::{SimController, Snapshot, MAX_CLIENTS};
use crate::url_state::{conn_code, dns_code, strategy_code, TrafficUrl};
use crate::use_ui;
use leptos::prelude::*;
use std::collections::BTreeMap;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::proxy::Verdict;
use svclab_core::traffic::log::{ConnectionNote, Hop, RequestSummary};
use svclab_core::traffic::{Client, ClientSpec, ConnectionMode, DnsCaching, Strategy, TrafficError};

/// Requests the log shows.
const LOG_LIMIT: usize = 40;

/// Intervals offered between requests, in ms.
const INTERVALS: [u64; 4] = [200, 500, 1000, 2000];

pub use crate::input::valid_port;

/// Check a target and port typed by the learner: the locale key of what is wrong, or the
/// clean values.
pub fn check_input(target: &str, port: &str) -> Result<(String, i32), &'static str> {
    if target.trim().is_empty() {
        return Err("traffic.bad.target.empty");
    }
    let t = super::dns_name_or_ip(target).ok_or("traffic.bad.target")?;
    let p = valid_port(port).ok_or("traffic.bad.port")?;
    Ok((t, p))
}

/// Apply a link's traffic part: its clients replace the scenario's, its mode is set.
pub fn apply_url(sim: SimController, url: &TrafficUrl) {
    if let Some(list) = &url.clients {
        sim.replace_clients(list.clone());
    }
    if let Some(mode) = url.proxy {
        sim.set_proxy_mode(mode);
    }
}

/// The link's `clients=`/`proxy=` part for the current state (empty at the defaults).
pub fn url_part(sim: SimController) -> String {
    let specs: Vec<ClientSpec> = sim.clients().into_iter().map(|c| c.spec).collect();
    let st = TrafficUrl::from_state(
        &specs,
        &sim.default_clients(),
        sim.proxy_mode(),
        svclab_core::ClusterConfig::default().kube_proxy_mode,
    );
    st.to_query_part(sim.scenario.client)
}

fn mode_label(lang: Lang, m: ConnectionMode) -> &'static str {
    i18n::t(
        lang,
        match m {
            ConnectionMode::PerRequest => "traffic.conn.new",
            ConnectionMode::KeepAlive => "traffic.conn.keep",
        },
    )
}

const STRATEGIES: [(Strategy, &str, &str); 5] = [
    (Strategy::PickFirst, "first", "traffic.strategy.first"),
    (Strategy::Random, "random", "traffic.strategy.random"),
    (Strategy::RoundRobin, "rr", "traffic.strategy.rr"),
    (Strategy::All, "all", "traffic.strategy.all"),
    (Strategy::LowestLatency, "fastest", "traffic.strategy.fastest"),
];

const CACHES: [(DnsCaching, &str, &str); 3] = [
    (DnsCaching::NoCache, "off", "traffic.dns.off"),
    (DnsCaching::HonorTtl, "ttl", "traffic.dns.ttl"),
    (DnsCaching::IgnoreTtl, "forever", "traffic.dns.forever"),
];

const MODES: [ProxyMode; 3] = [ProxyMode::Iptables, ProxyMode::Ipvs, ProxyMode::Nftables];

/// A traffic error in words, in the UI language.
pub fn error_text(lang: Lang, e: &TrafficError) -> String {
    match e {
        TrafficError::CouldNotResolve { host } => i18n::tf(lang, "traffic.err.resolve", &[host]),
        TrafficError::Refused { ip, port } => i18n::tf(lang, "traffic.err.refused", &[&hp(ip, *port)]),
        TrafficError::TimedOut { ip, port } => i18n::tf(lang, "traffic.err.timeout", &[&hp(ip, *port)]),
        TrafficError::NoRoute { ip, port } => i18n::tf(lang, "traffic.err.noroute", &[&hp(ip, *port)]),
    }
}

fn hp(ip: &str, port: i32) -> String {
    svclab_core::proxy::host_port(ip, port)
}

fn secs(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

#[component]
pub fn TrafficPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let clients = Memo::new(move |_| sim.clients());
    let ids = Memo::new(move |_| clients.get().iter().map(|c| c.id).collect::<Vec<_>>());
    let mode = Memo::new(move |_| sim.proxy_mode());
    let log = Memo::new(move |_| sim.request_log(LOG_LIMIT));

    // Announce when a client starts failing and when it recovers, not per request.
    let failing: StoredValue<BTreeMap<u64, (u64, u64, bool)>> = StoredValue::new(BTreeMap::new());
    Effect::new(move |_| {
        let list = clients.get();
        let lang = i18n.lang();
        let mut said = Vec::new();
        failing.update_value(|prev| {
            let mut next = BTreeMap::new();
            for c in &list {
                let was = prev.get(&c.id).copied();
                let state = match was {
                    Some((ok, bad, f)) => {
                        let more_ok = c.succeeded > ok;
                        let more_bad = c.failed > bad;
                        if more_bad && !more_ok {
                            true
                        } else if more_ok && !more_bad {
                            false
                        } else {
                            f
                        }
                    }
                    None => false,
                };
                let label = format!("{}/{} → {}:{}", c.spec.namespace, c.spec.pod, c.spec.target, c.spec.port);
                match (was.map(|w| w.2), state) {
                    (Some(false), true) => {
                        let why = c.last_error.as_ref().map(|e| error_text(lang, e)).unwrap_or_default();
                        said.push(i18n::tf(lang, "traffic.say.failing", &[&label, &why]));
                    }
                    (Some(true), false) => said.push(i18n::tf(lang, "traffic.say.recovered", &[&label])),
                    _ => {}
                }
                next.insert(c.id, (c.succeeded, c.failed, state));
            }
            *prev = next;
        });
        if !said.is_empty() {
            ui.say(said.join(" "));
        }
    });

    view! {
        <section class="panel traffic" aria-labelledby="traffic-h" data-testid="panel-traffic">
            <h2 id="traffic-h">{i18n.tr("traffic.title")}</h2>
            <p class="panel-note">{i18n.tr("traffic.note")}</p>
            <div class="traffic-bar">
                {choice("traffic.proxy.mode", "proxy-mode",
                    Signal::derive(|| MODES.iter().map(|m| (m.as_str().to_string(), m.as_str().to_string())).collect()),
                    Signal::derive(move || mode.get().as_str().to_string()),
                    Callback::new(move |v: String| {
                        if let Some(m) = ProxyMode::parse(&v).filter(|m| *m != mode.get_untracked()) {
                            sim.set_proxy_mode(m);
                            ui.say(i18n::tf(i18n.lang(), "traffic.say.mode", &[m.as_str()]));
                        }
                    }))}
                <span class="muted">{move || i18n::t(i18n.lang(), match mode.get() {
                    ProxyMode::Iptables => "traffic.proxy.iptables",
                    ProxyMode::Ipvs => "traffic.proxy.ipvs",
                    ProxyMode::Nftables => "traffic.proxy.nftables",
                }).to_string()}</span>
            </div>
            <crate::panels::glossary::Terms ids=&["iptables", "ipvs", "nftables", "kube-svc"] />
            <div class="traffic-grid">
                <div class="traffic-clients">
                    <h3>{i18n.tr("traffic.clients")}</h3>
                    <ul class="client-list" data-testid="client-list">
                        <For each=move || ids.get() key=|id| *id let:id>
                            <ClientCard id=id clients=clients />
                        </For>
                    </ul>
                    <details class="add-client-wrap" data-testid="add-client-details">
                        <summary>{i18n.tr("traffic.add.title")}</summary>
                        <AddClient count=Signal::derive(move || ids.get().len()) />
                    </details>
                </div>
                <Hits />
            </div>
            <h3 id="traffic-log-h">{i18n.tr("traffic.log")}</h3>
            <ol class="traffic-log" data-testid="traffic-log" aria-labelledby="traffic-log-h" tabindex="0">
                <For each=move || log.get() key=|r| r.request let:r>
                    <LogRow r=r />
                </For>
            </ol>
        </section>
    }
}

/// Services the learner can target, as `name` (same namespace as the client) or `name.ns`.
fn service_names(snapshot: &Snapshot, namespace: &str) -> Vec<String> {
    snapshot
        .services
        .iter()
        .map(|s| if s.namespace == namespace { s.name.clone() } else { format!("{}.{}", s.name, s.namespace) })
        .collect()
}

#[component]
fn ClientCard(id: u64, clients: Memo<Vec<Client>>) -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let client = Memo::new(move |_| clients.get().into_iter().find(|c| c.id == id));
    let spec = Memo::new(move |_| client.get().map(|c| c.spec));
    let start = spec.get_untracked();
    let target = RwSignal::new(start.as_ref().map(|s| s.target.clone()).unwrap_or_default());
    let port = RwSignal::new(start.as_ref().map(|s| s.port.to_string()).unwrap_or_default());
    let problem = RwSignal::new(None::<&'static str>);
    let change = move |f: &dyn Fn(&mut ClientSpec)| {
        if let Some(mut s) = spec.get_untracked() {
            f(&mut s);
            if Some(&s) != spec.get_untracked().as_ref() {
                sim.update_client(id, s);
            }
        }
    };
    let apply_target = move || match check_input(&target.get_untracked(), &port.get_untracked()) {
        Ok((t, p)) => {
            problem.set(None);
            target.set(t.clone());
            change(&|s| {
                s.target = t.clone();
                s.port = p;
            });
        }
        Err(key) => problem.set(Some(key)),
    };
    let list_id = format!("svc-names-{id}");
    let names = Memo::new(move |_| {
        let ns = spec.get().map(|s| s.namespace).unwrap_or_default();
        service_names(&snapshot.get(), &ns)
    });
    let lang = move || i18n.lang();
    let field = |key: &'static str| move || i18n::t(i18n.lang(), key).to_string();
    let conn_opts = Signal::derive(move || {
        [ConnectionMode::PerRequest, ConnectionMode::KeepAlive]
            .into_iter()
            .map(|m| (conn_code(m).to_string(), mode_label(lang(), m).to_string()))
            .collect::<Vec<_>>()
    });
    let conn_cur = Signal::derive(move || spec.get().map(|s| conn_code(s.connection)).unwrap_or_default().to_string());
    let strategy_opts = Signal::derive(move || {
        STRATEGIES.iter().map(|(_, code, key)| (code.to_string(), i18n::t(lang(), key).to_string())).collect::<Vec<_>>()
    });
    let strategy_cur =
        Signal::derive(move || spec.get().map(|s| strategy_code(s.strategy)).unwrap_or_default().to_string());
    let dns_opts = Signal::derive(move || {
        CACHES.iter().map(|(_, code, key)| (code.to_string(), i18n::t(lang(), key).to_string())).collect::<Vec<_>>()
    });
    let dns_cur = Signal::derive(move || spec.get().map(|s| dns_code(s.dns)).unwrap_or_default().to_string());
    let interval_opts = Signal::derive(move || {
        let current = spec.get().map(|s| s.interval_ms).unwrap_or(1000);
        let mut opts = INTERVALS.to_vec();
        if !opts.contains(&current) {
            opts.push(current);
            opts.sort_unstable();
        }
        opts.into_iter().map(|ms| (ms.to_string(), i18n::secs(lang(), ms))).collect::<Vec<_>>()
    });
    let interval_cur = Signal::derive(move || spec.get().map(|s| s.interval_ms.to_string()).unwrap_or_default());
    let colour = Memo::new(move |_| {
        let all = clients.get();
        let colours = crate::panels::cluster::client_colours(&all);
        spec.get().and_then(|s| colours.get(&(s.namespace, s.pod, s.target)).copied()).unwrap_or(0)
    });
    // The settings in one line, for the collapsed card.
    let summary = move || {
        let lang = lang();
        spec.get()
            .map(|s| {
                let strategy = STRATEGIES.iter().find(|(st, _, _)| *st == s.strategy).map(|(_, _, k)| *k).unwrap_or("");
                let dns = CACHES.iter().find(|(d, _, _)| *d == s.dns).map(|(_, _, k)| *k).unwrap_or("");
                i18n::tf(
                    lang,
                    "traffic.summary",
                    &[
                        mode_label(lang, s.connection),
                        i18n::t(lang, strategy),
                        i18n::t(lang, dns),
                        &i18n::secs(lang, s.interval_ms),
                    ],
                )
            })
            .unwrap_or_default()
    };
    let notes = Memo::new(move |_| {
        let snap = snapshot.get();
        let now = sim.now_ms();
        client.get().map(|c| client_notes(&c, &snap, sim.proxy_mode(), now)).unwrap_or_default()
    });
    view! {
        <li class="client-card" data-testid=format!("client-{id}") style=("--c", move || format!("var(--client-{})", colour.get()))
            data-target=move || spec.get().map(|s| s.target).unwrap_or_default()>
            <div class="client-head">
                <span class="client-src mono">{move || spec.get().map(|s| format!("{}/{}", s.namespace, s.pod)).unwrap_or_default()}</span>
                " → "
                <span class="client-dst mono" data-testid="client-dst">
                    {move || spec.get().map(|s| format!("{}:{}", s.target, s.port)).unwrap_or_default()}
                </span>
                <button type="button" class="client-stop" data-testid="client-stop"
                    on:click=move |_| { sim.remove_client(id); }>
                    {i18n.tr("traffic.stop")}
                </button>
            </div>
            <p class="client-summary" data-testid="client-summary">{summary}</p>
            <details class="client-edit">
            <summary>{field("traffic.edit")}</summary>
            <form class="client-target" on:submit=move |ev| { ev.prevent_default(); apply_target(); }>
                <label>{field("traffic.target")} " "
                    <input data-testid="client-target" list=list_id.clone() autocomplete="off" spellcheck="false"
                        prop:value=move || target.get()
                        on:input=move |ev| target.set(event_target_value(&ev))
                        on:change=move |_| apply_target() />
                </label>
                <datalist id=list_id>
                    {move || names.get().into_iter().map(|n| view! { <option value=n /> }).collect_view()}
                </datalist>
                <label>{field("traffic.port")} " "
                    <input class="port" data-testid="client-port" inputmode="numeric" autocomplete="off"
                        prop:value=move || port.get()
                        on:input=move |ev| port.set(event_target_value(&ev))
                        on:change=move |_| apply_target() />
                </label>
            </form>
            {move || problem.get().map(|k| view! {
                <p class="client-problem" role="alert" data-testid="client-problem">{i18n::t(i18n.lang(), k).to_string()}</p>
            })}
            <div class="client-opts">
                {choice("traffic.conn", "client-conn", conn_opts, conn_cur, Callback::new(move |v: String| {
                    change(&|s| s.connection = if v == "keep" { ConnectionMode::KeepAlive } else { ConnectionMode::PerRequest });
                }))}
                {choice("traffic.strategy", "client-strategy", strategy_opts, strategy_cur, Callback::new(move |v: String| {
                    if let Some((st, _, _)) = STRATEGIES.iter().find(|(_, code, _)| *code == v) {
                        change(&|s| s.strategy = *st);
                    }
                }))}
                {choice("traffic.dns", "client-dns", dns_opts, dns_cur, Callback::new(move |v: String| {
                    if let Some((d, _, _)) = CACHES.iter().find(|(_, code, _)| *code == v) {
                        change(&|s| s.dns = *d);
                    }
                }))}
                {choice("traffic.interval", "client-interval", interval_opts, interval_cur, Callback::new(move |v: String| {
                    if let Ok(ms) = v.parse::<u64>() {
                        if INTERVALS.contains(&ms) {
                            change(&|s| s.interval_ms = ms);
                        }
                    }
                }))}
            </div>
            </details>
            <p class="client-stats" data-testid="client-stats">
                {move || client.get().map(|c| client_facts(lang(), &c)).unwrap_or_default().into_iter()
                    .map(|(class, testid, text)| view! { <span class=class data-testid=testid>{text}</span> " " }).collect_view()}
            </p>
            <p class="client-hits" data-testid="client-hits">
                {move || client.get().map(|c| {
                    let total: u64 = c.hits.values().sum();
                    let lang = lang();
                    let list = c.hits.iter().map(|(pod, n)| {
                        let name = pod.split_once('/').map(|(_, p)| p).unwrap_or(pod);
                        let share = (n * 100).checked_div(total).unwrap_or(0);
                        format!("{} {n} ({share}%)", crate::panels::cluster::without_hash(name))
                    }).collect::<Vec<_>>().join(", ");
                    if list.is_empty() { i18n::t(lang, "traffic.client_hits.none").to_string() } else { i18n::tf(lang, "traffic.client_hits", &[&list]) }
                })}
            </p>
            <crate::panels::dns::WhyList notes=notes />
        </li>
    }
}

/// A labelled `<select>` of fixed choices (value, text) that reports the picked value. One
/// function for every select of the panel keeps the wasm small.
fn choice(
    label: &'static str,
    testid: &'static str,
    options: Signal<Vec<(String, String)>>,
    current: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>{move || i18n::t(i18n.lang(), label).to_string()} " "
            <select data-testid=testid on:change=move |ev| on_pick.run(event_target_value(&ev))>
                {move || {
                    let cur = current.get();
                    options.get().into_iter().map(|(v, text)| {
                        let sel = v == cur;
                        view! { <option value=v selected=sel>{text}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

/// What a client card reports: counters, the pod that answered last, open connections
/// (keep-alive), the last error, as (class, test id, text).
fn client_facts(lang: Lang, c: &Client) -> Vec<(&'static str, &'static str, String)> {
    let (sent, ok, bad) = (c.sent.to_string(), c.succeeded.to_string(), c.failed.to_string());
    let mut out = vec![("", "client-counts", i18n::tf(lang, "traffic.counts", &[&sent, &ok, &bad]))];
    if let Some(p) = &c.last_pod {
        out.push(("", "client-last-pod", i18n::tf(lang, "traffic.lastpod", &[p])));
    }
    if c.spec.connection == ConnectionMode::KeepAlive {
        out.push(("", "client-open", i18n::tf(lang, "traffic.open", &[&c.connections.len().to_string()])));
    }
    if let Some(e) = &c.last_error {
        out.push(("err", "client-last-error", i18n::tf(lang, "traffic.lasterror", &[&error_text(lang, e)])));
    }
    out
}

/// Why this client sees what it sees, from its state (each a locale key and its arguments):
/// a cached address that times out because the pod behind it is gone (the DNS cache and the
/// TTL), and kube-proxy's random pick looking uneven over few requests (iptables and
/// nftables pick at random, with the probabilities `iptables-save` shows).
pub fn client_notes(c: &Client, snap: &Snapshot, mode: ProxyMode, now_ms: u64) -> crate::panels::dns::Notes {
    let mut out = Vec::new();
    if let Some(TrafficError::TimedOut { ip, .. }) = &c.last_error {
        let held = snap.pods.iter().any(|p| p.ip.as_deref() == Some(ip.as_str()) && !p.terminating);
        let cached = c.cache.as_ref().filter(|a| a.addresses.contains(ip));
        match cached.map(|a| a.expires) {
            Some(None) if !held => out.push(("why.cached_forever", vec![ip.clone()])),
            Some(Some(at)) if !held => {
                let left = at.millis().saturating_sub(now_ms).div_ceil(1000);
                out.push(("why.cached_ttl", vec![ip.clone(), left.to_string()]));
            }
            _ => {}
        }
    }
    // A ClusterIP target: kube-proxy picks. Its ready endpoints give the probabilities.
    let svc = crate::panels::dns::service_for(snap, &c.spec.target, &c.spec.namespace);
    if let Some(s) = svc.filter(|s| !s.headless && s.kind != crate::sim::ServiceKind::ExternalName) {
        let n = s.ready_ips().len();
        let served: u64 = c.hits.values().sum();
        if n > 1 && served > 0 && matches!(mode, ProxyMode::Iptables | ProxyMode::Nftables) {
            // iptables: rule i of n matches with probability 1/(n-i) of what reaches it, so
            // every endpoint gets 1/n overall.
            let probs = (0..n - 1).map(|i| format!("1/{}", n - i)).collect::<Vec<_>>().join(", ");
            out.push(("why.random", vec![n.to_string(), probs, mode.as_str().to_string()]));
        }
    }
    out
}

/// "Add client": a running pod in a shown namespace, a target and a port.
#[component]
fn AddClient(count: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let (cns, cpod) = sim.scenario.client;
    let default_src = format!("{cns}/{cpod}");
    let source = RwSignal::new(default_src.clone());
    let target = RwSignal::new(String::new());
    let port = RwSignal::new(String::from("80"));
    let problem = RwSignal::new(None::<&'static str>);
    let sources = Memo::new(move |_| {
        snapshot
            .get()
            .pods
            .iter()
            .filter(|p| p.status == "Running" && p.ip.is_some())
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect::<Vec<_>>()
    });
    let names = Memo::new(move |_| {
        let src = source.get();
        let ns = src.split_once('/').map(|(n, _)| n.to_string()).unwrap_or_default();
        service_names(&snapshot.get(), &ns)
    });
    let add = move || {
        if count.get_untracked() >= MAX_CLIENTS {
            problem.set(Some("traffic.bad.toomany"));
            return;
        }
        let src = source.get_untracked();
        let Some((ns, pod)) = src.split_once('/') else {
            problem.set(Some("traffic.bad.source"));
            return;
        };
        match check_input(&target.get_untracked(), &port.get_untracked()) {
            Ok((t, p)) => match sim.add_client(ClientSpec::new(ns, pod, &t, p)) {
                Some(_) => {
                    problem.set(None);
                    target.set(String::new());
                }
                None => problem.set(Some("traffic.bad.toomany")),
            },
            Err(k) => problem.set(Some(k)),
        }
    };
    view! {
        <form class="add-client" data-testid="add-client" on:submit=move |ev| { ev.prevent_default(); add(); }>
            <label>{i18n.tr("traffic.add.from")} " "
                <select data-testid="add-source" on:change=move |ev| source.set(event_target_value(&ev))>
                    {move || {
                        let mut list = sources.get();
                        let cur = source.get_untracked();
                        if !list.contains(&cur) {
                            list.insert(0, cur.clone());
                        }
                        list.into_iter().map(|s| {
                            let sel = s == cur;
                            view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <label>{i18n.tr("traffic.target")} " "
                <input data-testid="add-target" list="svc-names-add" autocomplete="off" spellcheck="false"
                    placeholder="headless-service"
                    prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev)) />
            </label>
            <datalist id="svc-names-add">
                {move || names.get().into_iter().map(|n| view! { <option value=n /> }).collect_view()}
            </datalist>
            <label>{i18n.tr("traffic.port")} " "
                <input class="port" data-testid="add-port" inputmode="numeric" autocomplete="off"
                    prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev)) />
            </label>
            <button type="submit" data-testid="add-client-button">{i18n.tr("traffic.add")}</button>
            {move || problem.get().map(|k| view! {
                <p class="client-problem" role="alert" data-testid="add-problem">{i18n::t(i18n.lang(), k).to_string()}</p>
            })}
        </form>
    }
}

/// One row of the hit table.
#[derive(Clone, Debug, PartialEq)]
struct HitRow {
    pod: String,
    node: String,
    hits: u64,
}

/// Per-pod hit counters: every pod that answered, and every endpoint pod of a shown Service
/// (so a pod that gets nothing shows 0), sorted by pod name.
#[component]
fn Hits() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let hits = Memo::new(move |_| sim.hits());
    let rows = Memo::new(move |_| {
        let snap = snapshot.get();
        let mut map: BTreeMap<String, HitRow> = BTreeMap::new();
        for s in &snap.services {
            for e in &s.endpoints {
                if let Some(p) = &e.pod {
                    let key = format!("{}/{}", s.namespace, p);
                    map.insert(key.clone(), HitRow { pod: key, node: String::new(), hits: 0 });
                }
            }
        }
        for (k, v) in hits.get() {
            map.insert(k.clone(), HitRow { pod: k, node: String::new(), hits: v });
        }
        for row in map.values_mut() {
            if let Some((ns, name)) = row.pod.split_once('/') {
                if let Some(p) = snap.pods.iter().find(|p| p.namespace == ns && p.name == name) {
                    row.node = p.node.clone().unwrap_or_default();
                }
            }
        }
        map.into_values().collect::<Vec<_>>()
    });
    view! {
        <div class="traffic-hits">
            <h3 id="traffic-hits-h">{i18n.tr("traffic.hits")}</h3>
            <div class="table-wrap" role="region" aria-labelledby="traffic-hits-h" tabindex="0">
                <table class="hits" data-testid="hits">
                    <thead><tr>
                        <th scope="col">{i18n.tr("traffic.col.pod")}</th>
                        <th scope="col">{i18n.tr("traffic.col.node")}</th>
                        <th scope="col" class="num">{i18n.tr("traffic.col.hits")}</th>
                        <th scope="col" class="num">{i18n.tr("traffic.col.share")}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let rows = rows.get();
                            let total: u64 = rows.iter().map(|r| r.hits).sum();
                            rows.into_iter().map(|r| {
                                let share = if total == 0 { 0.0 } else { r.hits as f64 * 100.0 / total as f64 };
                                view! {
                                    <tr data-testid="hit-row" data-pod=r.pod.clone() data-hits=r.hits.to_string()>
                                        <td class="mono">{r.pod.clone()}</td>
                                        <td>{if r.node.is_empty() { "—".to_string() } else { r.node.clone() }}</td>
                                        <td class="num">{r.hits.to_string()}</td>
                                        <td class="num">
                                            <span class="share-bar" style=("--share", format!("{share:.0}%"))></span>
                                            {format!("{share:.0}%")}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <button type="button" data-testid="reset-hits" on:click=move |_| sim.reset_hits()>{i18n.tr("traffic.reset")}</button>
        </div>
    }
}

/// kube-proxy's step in words: mode, node, the rule's chain or virtual server, and where it sent
/// the packet (or REJECT / DROP).
fn proxy_text(lang: Lang, h: &Hop) -> Option<String> {
    let d = h.proxy.as_ref()?;
    let node = d.node.clone().unwrap_or_else(|| "—".into());
    let path = d.chains.join(" → ");
    Some(match &d.verdict {
        Verdict::Dnat { ip, port, .. } => {
            i18n::tf(lang, "traffic.log.proxy", &[d.mode.as_str(), &node, &path, &hp(ip, *port)])
        }
        Verdict::Reject => i18n::tf(lang, "traffic.log.reject", &[d.mode.as_str(), &node, &path]),
        Verdict::Drop => i18n::tf(lang, "traffic.log.drop", &[d.mode.as_str(), &node, &path]),
        Verdict::NoMatch => i18n::tf(lang, "traffic.log.nomatch", &[d.mode.as_str(), &node]),
    })
}

/// The steps of one request as (CSS class, text) pairs in the UI language: one view type for
/// every step keeps the wasm small.
fn log_steps(lang: Lang, r: &RequestSummary) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for note in &r.notes {
        let ConnectionNote::Reset { pod, .. } = note;
        let p = pod.clone().unwrap_or_else(|| "—".into());
        out.push(("req-step conn", i18n::tf(lang, "traffic.log.reset", &[&p])));
    }
    if let Some(d) = &r.dns {
        let text = if d.addresses.is_empty() {
            i18n::tf(lang, "traffic.log.dns.fail", &[&d.name, d.rcode.as_deref().unwrap_or("NXDOMAIN")])
        } else if d.cached {
            i18n::tf(lang, "traffic.log.dns.cached", &[&d.addresses.join(" ")])
        } else {
            i18n::tf(lang, "traffic.log.dns", &[&d.addresses.join(" ")])
        };
        out.push(("req-step dns", text));
    }
    for h in &r.hops {
        if let Some(t) = proxy_text(lang, h) {
            out.push(("req-step proxy", t));
            // The rule itself, as `iptables-save` / `nft` / `ipvsadm` print it (the probability
            // of a statistic match, the virtual server's scheduler).
            if let Some(rule) = h.proxy.as_ref().map(|d| d.rule.clone()).filter(|r| !r.is_empty()) {
                out.push(("req-step rule", rule));
            }
        } else if let (Some(dst), Some(_)) = (&h.dst_ip, &h.pod) {
            out.push(("req-step direct", i18n::tf(lang, "traffic.log.direct", &[dst])));
        }
        if h.reused {
            out.push(("req-step conn", i18n::t(lang, "traffic.log.reused").to_string()));
        } else if h.kept_open {
            out.push(("req-step conn", i18n::t(lang, "traffic.log.opened").to_string()));
        }
        if let Some(p) = &h.pod {
            let ip = h.pod_ip.clone().unwrap_or_default();
            let ms = h.latency_ms.map(|m| m.to_string()).unwrap_or_default();
            out.push(("req-step answer", i18n::tf(lang, "traffic.log.answer", &[p, &ip, &ms])));
        }
        if let Some(e) = &h.error {
            out.push(("req-step error", error_text(lang, e)));
        }
    }
    if let Some(e) = &r.error {
        out.push(("req-step error", error_text(lang, e)));
    }
    out
}

#[component]
fn LogRow(r: RequestSummary) -> impl IntoView {
    let i18n = use_i18n();
    let failed = r.failed();
    let ok = r.succeeded();
    let target = r.target.clone();
    let head = format!("{}/{} → {}:{}", r.namespace, r.pod, r.target, r.port);
    let time = secs(r.at.millis());
    view! {
        <li class="req" class:err=failed data-testid="req" data-target=target
            data-outcome=if failed { "failed" } else if ok { "ok" } else { "pending" }>
            <span class="req-head">
                <span class="req-status">{move || {
                    let status = i18n::t(i18n.lang(), if failed { "traffic.log.failed" } else { "traffic.log.ok" });
                    format!("{}{status}", if failed { "✗ " } else { "✓ " })
                }}</span>
                " " <span class="req-time">{time}</span>
                " " <span class="mono">{head}</span>
            </span>
            {move || log_steps(i18n.lang(), &r).into_iter().map(|(class, text)| view! { " " <span class=class>{text}</span> }).collect_view()}
        </li>
    }
}
