//! The DNS panel: live `nslookup` answers, as the scenario's client pod sees them, for every
//! Service in its namespace and the learner's pins, each under a heading derived from the
//! live Service (its type, headless or not), with what changed since the previous answer,
//! a StatefulSet's per-pod names, and an "ⓘ why?" where the answer surprises. The log of
//! every lookup CoreDNS answered (`SimEvent::DnsQueried`, newest first) is its own panel
//! ([`DnsLogPanel`], a workbench tab).

use crate::i18n::{self, use_i18n, Lang};
use crate::sim::{ServiceKind, ServiceView, SimController, Snapshot};
use leptos::prelude::*;
use svclab_core::dns::DnsLogEntry;
use svclab_core::view::DnsAnswer;

/// One pinned name's answer and how it differs from the previous one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerState {
    /// `Ui::resets` when the answer was taken.
    pub resets: u64,
    pub text: String,
    pub addresses: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl AnswerState {
    /// The next answer, compared with `prev` as sets (CoreDNS shuffles the order).
    pub fn next(prev: Option<&AnswerState>, answer: DnsAnswer) -> AnswerState {
        let addresses = answer.addresses();
        let text = answer.text;
        let (added, removed) = match prev {
            Some(p) => (
                addresses.iter().filter(|a| !p.addresses.contains(a)).cloned().collect(),
                p.addresses.iter().filter(|a| !addresses.contains(a)).cloned().collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        AnswerState { resets: 0, text, addresses, added, removed }
    }
}

/// The names the DNS panel answers: the scenario's pinned names first, then every Service in
/// the client pod's namespace (so a Service the learner adds gets its answer), then the
/// learner's own pins; each once.
pub fn answer_names(pinned: &[&str], snapshot: &Snapshot, namespace: &str, own: &[String]) -> Vec<String> {
    let mut out: Vec<String> = pinned.iter().map(|s| s.to_string()).collect();
    for s in snapshot.services.iter().filter(|s| s.namespace == namespace) {
        out.push(s.name.clone());
    }
    out.extend(own.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// What a looked-up name stands for, from the client's namespace: a Service (`name`,
/// `name.ns`, `name.ns.svc`, the full name, with or without the trailing dot), or one pod's own
/// name under a headless Service (`mongodb-0.mongodb-service`, a StatefulSet member).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Service(ServiceView),
    /// (the headless Service, the pod's hostname)
    PodName(ServiceView, String),
}

pub fn target_of(snapshot: &Snapshot, name: &str, client_ns: &str) -> Option<Target> {
    let n = name.trim_end_matches('.');
    let n = n.strip_suffix(".cluster.local").unwrap_or(n);
    let n = n.strip_suffix(".svc").unwrap_or(n);
    let labels: Vec<&str> = n.split('.').collect();
    let find = |svc: &str, ns: &str| snapshot.services.iter().find(|s| s.name == svc && s.namespace == ns).cloned();
    match labels.as_slice() {
        [svc] => find(svc, client_ns).map(Target::Service),
        [svc, ns] => find(svc, ns)
            .map(Target::Service)
            .or_else(|| find(ns, client_ns).filter(|s| s.headless).map(|s| Target::PodName(s, svc.to_string()))),
        [host, svc, ns] => find(svc, ns).filter(|s| s.headless).map(|s| Target::PodName(s, host.to_string())),
        _ => None,
    }
}

/// The Service a looked-up name stands for (itself, or the headless Service of a pod's name).
pub fn service_for(snapshot: &Snapshot, name: &str, client_ns: &str) -> Option<ServiceView> {
    match target_of(snapshot, name, client_ns)? {
        Target::Service(s) => Some(s),
        Target::PodName(s, _) => Some(s),
    }
}

/// The heading of a name's answer, from the live Service: what kind it is and what DNS
/// answers for that kind (a Service made headless changes its heading at once).
pub fn heading(lang: Lang, name: &str, target: Option<&Target>) -> String {
    let s = match target {
        None => return i18n::tf(lang, "answers.other", &[name]),
        Some(Target::PodName(s, host)) => return i18n::tf(lang, "answers.podname", &[name, &s.name, host]),
        Some(Target::Service(s)) => s,
    };
    let key = match s.kind {
        ServiceKind::Headless => "answers.headless",
        ServiceKind::ExternalName => "answers.externalname",
        ServiceKind::LoadBalancer => "answers.loadbalancer",
        ServiceKind::NodePort => "answers.nodeport",
        ServiceKind::ClusterIp => "answers.clusterip",
    };
    i18n::tf(lang, key, &[&s.name])
}

#[component]
pub fn DnsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let own = RwSignal::new(Vec::<String>::new());
    let pinned = sim.scenario.pinned;
    let client_ns = sim.scenario.client.0;
    let names = Memo::new(move |_| answer_names(pinned, &snapshot.get(), client_ns, &own.get()));
    let draft = RwSignal::new(String::new());
    let pin_bad = RwSignal::new(false);
    // A name that is not a DNS name or an IP stays in the field with a message.
    let add_pin = move || {
        let Some(name) = crate::panels::dns_name_or_ip(&draft.get_untracked()) else {
            pin_bad.set(true);
            return;
        };
        pin_bad.set(false);
        if !names.get_untracked().contains(&name) {
            own.update(|p| p.push(name));
        }
        draft.set(String::new());
    };
    view! {
        <section class="panel dns" aria-labelledby="dns-h" data-testid="panel-dns">
            <h2 id="dns-h">{i18n.tr("dns.title")}</h2>
            <div class="answers">
                <For each=move || names.get() key=|n| n.clone() let:name>
                    <Answer name=name />
                </For>
            </div>
            <form class="pin" on:submit=move |ev| { ev.prevent_default(); add_pin(); }>
                <label for="pin-input">{i18n.tr("dns.pin")}</label>
                <input id="pin-input" data-testid="pin-input" placeholder="web-0.nginx" autocomplete="off"
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) />
                <button type="submit">{i18n.tr("dns.pin.add")}</button>
            </form>
            <Show when=move || pin_bad.get()>
                <p class="pin-problem" role="alert" data-testid="pin-error">{i18n.tr("dns.pin.bad")}</p>
            </Show>
        </section>
    }
}

/// The log of every lookup CoreDNS answered, newest first, one asking pod at a time.
#[component]
pub fn DnsLogPanel() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    // The traffic clients ask every TTL; the learner's own lookups (from the terminal's pod)
    // would drown among theirs, so the log can show one asking pod at a time.
    let from = RwSignal::new(String::new());
    let recent = Memo::new(move |_| sim.dns_log(LOG_SCAN));
    let sources = Memo::new(move |_| {
        let mut who: Vec<String> = recent.get().iter().map(asked_by).collect();
        who.sort();
        who.dedup();
        who
    });
    let log = Memo::new(move |_| {
        let f = from.get();
        recent.get().into_iter().filter(|e| f.is_empty() || asked_by(e) == f).take(LOG_ROWS).collect::<Vec<_>>()
    });
    view! {
        <section class="panel dns-log-panel" aria-labelledby="dns-log-h" data-testid="panel-dnslog">
            <h2 id="dns-log-h">{i18n.tr("dns.log")}</h2>
            <label class="dns-from">
                {i18n.tr("dns.from")} " "
                <select data-testid="dns-from" on:change=move |ev| from.set(event_target_value(&ev))>
                    <option value="" selected=move || from.get().is_empty()>{i18n.tr("dns.from.all")}</option>
                    {move || {
                        let mut list = sources.get();
                        let current = from.get();
                        if !current.is_empty() && !list.contains(&current) {
                            list.push(current.clone());
                        }
                        list.into_iter().map(|w| {
                            let selected = w == current;
                            view! { <option value=w.clone() selected=selected>{w.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <crate::panels::glossary::Terms ids=&["coredns", "ttl", "rcode", "nxdomain"] />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="dns-log-h">
                <table class="dns-log" data-testid="dns-log">
                    <thead><tr>
                        <th scope="col">{i18n.tr("dns.col.time")}</th>
                        <th scope="col">{i18n.tr("dns.col.who")}</th>
                        <th scope="col">{i18n.tr("dns.col.name")}</th>
                        <th scope="col">{i18n.tr("dns.col.type")}</th>
                        <th scope="col"><crate::panels::glossary::Term id="rcode" text=i18n.tr("dns.col.rcode")() /></th>
                        <th scope="col">{i18n.tr("dns.col.answers")}</th>
                        <th scope="col"><crate::panels::glossary::Term id="ttl" text="TTL" /></th>
                    </tr></thead>
                    <tbody>
                        {move || log.get().into_iter().map(|e| {
                            let who = asked_by(&e);
                            let err = e.rcode.as_str() != "NOERROR";
                            let lang = i18n.lang();
                            view! {
                                <tr class:err=err>
                                    <td>{i18n::secs(lang, e.at.millis())}</td>
                                    <td>{who}</td>
                                    <td class="mono">{e.qname.clone()}</td>
                                    <td>{e.qtype.as_str()}</td>
                                    <td>{e.rcode.as_str()}</td>
                                    <td class="mono">{e.answers.join(" ")}</td>
                                    <td>{e.ttl.map(|t| i18n::whole_secs(lang, u64::from(t))).unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Lookups scanned for the log (and its "from" choices), and rows shown.
const LOG_SCAN: usize = 400;
const LOG_ROWS: usize = 30;

/// Who asked: the pod as `namespace/name`, or the address of a client that is no pod.
pub fn asked_by(e: &DnsLogEntry) -> String {
    if e.client.pod.is_empty() {
        e.client.ip.clone()
    } else {
        format!("{}/{}", e.client.namespace, e.client.pod)
    }
}

/// One line of an answer as pieces that wrap only at spaces and after dots, never at the
/// hyphens of `10-244-1-4.normal-service...`: each piece is kept whole by CSS
/// (`.nb`), a line can break between pieces.
pub fn wrap_pieces(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, word) in line.split(' ').enumerate() {
        let mut piece = if i == 0 { String::new() } else { " ".to_string() };
        for ch in word.chars() {
            piece.push(ch);
            if ch == '.' {
                out.push(std::mem::take(&mut piece));
            }
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

/// Why an answer reads as it does, generated from the answer and the Service behind it: the
/// surprises of the seeds, said where they happen. Each is (locale key, arguments).
pub fn answer_notes(name: &str, text: &str, target: Option<&Target>) -> Notes {
    let mut notes = Vec::new();
    let (s, pod_name) = match target {
        None => return notes,
        Some(Target::Service(s)) => (s, false),
        Some(Target::PodName(s, _)) => (s, true),
    };
    let ready = s.ready_ips().len();
    if s.headless {
        // busybox 1.28 prints each address's PTR name. A pod selected by several Services has
        // one PTR per Service (CoreDNS answers for each), so the name can be another Service's.
        let other = text
            .split("Name:")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.strip_prefix("Address"))
            .filter_map(|l| l.split_whitespace().nth(2))
            .find(|n| !n.contains(&format!(".{}.", s.name)));
        if let Some(ptr) = other {
            notes.push(("why.ptr", vec![ptr.to_string(), s.name.clone()]));
        }
        if ready == 0 && !pod_name {
            notes.push(("why.headless_empty", vec![name.to_string()]));
        }
    } else if s.kind != ServiceKind::ExternalName && ready == 0 {
        notes.push(("why.vip_empty", vec![name.to_string(), s.cluster_ip.clone()]));
    }
    notes
}

/// A per-pod name of a StatefulSet behind a headless Service: `hostname.service.ns.svc...`.
pub fn per_pod_names(s: &ServiceView) -> Vec<(String, String)> {
    if !s.headless {
        return Vec::new();
    }
    s.endpoints
        .iter()
        .filter(|e| e.ready)
        .filter_map(|e| e.hostname.as_ref().map(|h| (format!("{h}.{}", s.fqdn()), e.ip.clone())))
        .collect()
}

/// Explanations beside something surprising, each a locale key and its arguments.
pub type Notes = Vec<(&'static str, Vec<String>)>;

/// "ⓘ why?" beside something surprising: one disclosure per note (keyboard and
/// screen-reader reachable), the explanation in the UI language. Keyed by the note, so an
/// open one stays open while its numbers change.
#[component]
pub fn WhyList(notes: Memo<Notes>) -> impl IntoView {
    let i18n = use_i18n();
    let keys = move || -> Vec<&'static str> { notes.with(|n| n.iter().map(|(k, _)| *k).collect()) };
    view! {
        <For each=keys key=|k| *k let:note>
            <details class="why" data-testid="why" data-why=note>
                <summary>{i18n.tr("why.summary")}</summary>
                <p>{move || {
                    let args = notes.with(|n| n.iter().find(|(k, _)| *k == note).map(|(_, a)| a.clone())).unwrap_or_default();
                    let a: Vec<&str> = args.iter().map(String::as_str).collect();
                    i18n::tf(i18n.lang(), note, &a)
                }}</p>
            </details>
        </For>
    }
}

/// The live `nslookup` answer for one pinned name.
#[component]
fn Answer(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let ui = crate::use_ui();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let client_ns = sim.scenario.client.0;
    // Moves exactly when any DNS answer may change (the core's view::dns_generation).
    let dns_key = Memo::new(move |_| sim.dns_generation());
    let lookup_name = name.clone();
    let answer = Memo::new(move |prev: Option<&AnswerState>| {
        // `get`, not `track`: reading makes the memo bring itself up to date.
        let _key = dns_key.get();
        // After a reset the old answer is no "previous": nothing was added or removed.
        let resets = ui.resets.get();
        let prev = prev.filter(|p| p.resets == resets);
        AnswerState { resets, ..AnswerState::next(prev, sim.dns_answer(&lookup_name)) }
    });
    let svc_name = name.clone();
    let target = Memo::new(move |_| target_of(&snapshot.get(), &svc_name, client_ns));
    let title = name.clone();
    let heading = move || target.with(|t| heading(i18n.lang(), &title, t.as_ref()));
    let note_name = name.clone();
    let notes = Memo::new(move |_| target.with(|t| answer_notes(&note_name, &answer.get().text, t.as_ref())));
    view! {
        <article class="answer" data-testid=format!("answer-box-{name}")>
            <h3 data-testid=format!("answer-heading-{name}")>{heading}</h3>
            <pre class="terminal answer-text" data-testid=format!("answer-{name}") role="status" tabindex="0">
                {move || answer.get().text.lines().map(|l| view! {
                    <span class="ln">{wrap_pieces(l).into_iter().map(|p| view! { <span class="nb">{p}</span> }).collect_view()}</span>
                    "\n"
                }).collect_view()}
            </pre>
            {move || {
                let names = target.with(|t| match t {
                    Some(Target::Service(s)) => per_pod_names(s),
                    _ => Vec::new(),
                });
                (!names.is_empty()).then(|| view! {
                    <div class="per-pod" data-testid="per-pod-names">
                        <span class="per-pod-h">{i18n.tr("dns.per_pod")}</span>
                        <ul>
                            {names.into_iter().map(|(n, ip)| view! { <li><span class="mono">{n}</span>" → "<span class="mono">{ip}</span></li> }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            <p class="answer-diff" aria-live="polite">
                {move || {
                    let a = answer.get();
                    let lang = i18n.lang();
                    let mut parts = Vec::new();
                    for ip in &a.added {
                        parts.push(view! { <span class="added">{i18n::tf(lang, "dns.added", &[ip])}</span> }.into_any());
                    }
                    for ip in &a.removed {
                        parts.push(view! { <span class="removed">{i18n::tf(lang, "dns.removed", &[ip])}</span> }.into_any());
                    }
                    parts
                }}
            </p>
            <WhyList notes=notes />
        </article>
    }
}
