//! The DNS panel: live `nslookup` answers for pinned names, as the scenario's client pod sees
//! them, with what changed since the previous answer (added and removed addresses), and the
//! log of every lookup CoreDNS answered (`SimEvent::DnsQueried`), newest first.

use crate::i18n::{self, use_i18n};
use crate::sim::SimController;
use leptos::prelude::*;
use svclab_core::dns::DnsLogEntry;
use svclab_core::view::DnsAnswer;

/// One pinned name's answer and how it differs from the previous one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerState {
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
        AnswerState { text, addresses, added, removed }
    }
}

#[component]
pub fn DnsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let pins = RwSignal::new(sim.scenario.pinned.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let draft = RwSignal::new(String::new());
    let pin_bad = RwSignal::new(false);
    // A name that is not a DNS name or an IP stays in the field with a message.
    let add_pin = move || {
        let Some(name) = crate::panels::dns_name_or_ip(&draft.get_untracked()) else {
            pin_bad.set(true);
            return;
        };
        pin_bad.set(false);
        if !pins.get_untracked().contains(&name) {
            pins.update(|p| p.push(name));
        }
        draft.set(String::new());
    };
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
        <section class="panel dns" aria-labelledby="dns-h" data-testid="panel-dns">
            <h2 id="dns-h">{i18n.tr("dns.title")}</h2>
            <div class="answers">
                <For each=move || pins.get() key=|n| n.clone() let:name>
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
            <h3 id="dns-log-h">{i18n.tr("dns.log")}</h3>
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
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="dns-log-h">
                <table class="dns-log" data-testid="dns-log">
                    <thead><tr>
                        <th scope="col">{i18n.tr("dns.col.time")}</th>
                        <th scope="col">{i18n.tr("dns.col.who")}</th>
                        <th scope="col">{i18n.tr("dns.col.name")}</th>
                        <th scope="col">{i18n.tr("dns.col.type")}</th>
                        <th scope="col">{i18n.tr("dns.col.rcode")}</th>
                        <th scope="col">{i18n.tr("dns.col.answers")}</th>
                        <th scope="col">"TTL"</th>
                    </tr></thead>
                    <tbody>
                        {move || log.get().into_iter().map(|e| {
                            let who = asked_by(&e);
                            let err = e.rcode.as_str() != "NOERROR";
                            view! {
                                <tr class:err=err>
                                    <td>{format!("{:.1}s", e.at.millis() as f64 / 1000.0)}</td>
                                    <td>{who}</td>
                                    <td class="mono">{e.qname.clone()}</td>
                                    <td>{e.qtype.as_str()}</td>
                                    <td>{e.rcode.as_str()}</td>
                                    <td class="mono">{e.answers.join(" ")}</td>
                                    <td>{e.ttl.map(|t| t.to_string()).unwrap_or_default()}</td>
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

/// The live `nslookup` answer for one pinned name.
#[component]
fn Answer(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    // Moves exactly when any DNS answer may change (the core's view::dns_generation).
    let dns_key = Memo::new(move |_| sim.dns_generation());
    let lookup_name = name.clone();
    let answer = Memo::new(move |prev: Option<&AnswerState>| {
        // `get`, not `track`: reading makes the memo bring itself up to date.
        let _key = dns_key.get();
        AnswerState::next(prev, sim.dns_answer(&lookup_name))
    });
    let heading_key = match name.as_str() {
        "normal-service" => Some("answers.clusterip"),
        "headless-service" => Some("answers.headless"),
        _ => None,
    };
    let title = name.clone();
    let heading = move || match heading_key {
        Some(k) => i18n::t(i18n.lang(), k).to_string(),
        None => title.clone(),
    };
    view! {
        <article class="answer">
            <h3>{heading}</h3>
            <pre class="terminal" data-testid=format!("answer-{name}") role="status" tabindex="0">{move || answer.get().text}</pre>
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
        </article>
    }
}
