//! The cluster view: nodes as lanes, pods in them (status, readiness, IP, name), Services
//! (ClusterIP or None) above, and the EndpointSlices' endpoints as the links between a
//! Service and its pods (dashed while not ready). A replicas control per Deployment and
//! StatefulSet; a pod, chosen by click or Enter, can be deleted, have its readiness failed,
//! or be restored. A text description generated from the same snapshot, in the UI language,
//! lives in a visually hidden live region.

use crate::i18n::{self, tf, use_i18n, Lang};
use crate::sim::{PodView, SimController, Snapshot, MAX_REPLICAS};
use crate::use_ui;
use leptos::prelude::*;
use svclab_core::api::Kind;

/// Narrowest drawing: the view scales to its panel, so a small cluster is drawn large.
const MIN_W: f64 = 560.0;
const SVC_W: f64 = 240.0;
const LANE_X: f64 = 150.0;
const POD_W: f64 = 112.0;
const POD_H: f64 = 66.0;
const POD_GAP: f64 = 10.0;
const SVC_Y: f64 = 12.0;
const SVC_H: f64 = 58.0;
const LANES_Y: f64 = 120.0;
const PER_ROW: usize = 7;

/// Where every pod is drawn: (lane name, pod index in lane) → position.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub lanes: Vec<(String, f64, f64, bool)>,
    pub pods: Vec<(PodView, f64, f64)>,
    pub services: Vec<(usize, f64)>,
    pub width: f64,
    pub height: f64,
}

/// Lay out lanes (one per node, plus one for unscheduled pods) and services.
pub fn layout(s: &Snapshot) -> Layout {
    let mut lanes = Vec::new();
    let mut pods = Vec::new();
    let mut y = LANES_Y;
    let mut lane_names: Vec<(String, Option<String>, bool)> =
        s.nodes.iter().map(|n| (n.name.clone(), Some(n.name.clone()), n.ready)).collect();
    if s.pods.iter().any(|p| p.node.is_none()) {
        lane_names.push(("—".into(), None, true));
    }
    for (label, node, ready) in lane_names {
        let in_lane: Vec<&PodView> = s.pods.iter().filter(|p| p.node == node).collect();
        let rows = in_lane.len().div_ceil(PER_ROW);
        // An empty lane (the control plane here) stays a thin strip.
        let h = if rows == 0 { 36.0 } else { rows as f64 * (POD_H + POD_GAP) + POD_GAP };
        for (i, p) in in_lane.into_iter().enumerate() {
            let px = LANE_X + (i % PER_ROW) as f64 * (POD_W + POD_GAP);
            let py = y + POD_GAP + (i / PER_ROW) as f64 * (POD_H + POD_GAP);
            pods.push((p.clone(), px, py));
        }
        lanes.push((label, y, h, ready));
        y += h + 6.0;
    }
    let widest = pods.iter().map(|(_, x, _)| x + POD_W + POD_GAP + 4.0).fold(0.0, f64::max);
    let svcs = 10.0 + s.services.len() as f64 * (SVC_W + 12.0);
    let width = widest.max(svcs).max(MIN_W);
    let services = (0..s.services.len()).map(|i| (i, 10.0 + i as f64 * (SVC_W + 12.0))).collect();
    Layout { lanes, pods, services, width, height: y + 4.0 }
}

const PALETTE: [&str; 6] =
    ["var(--svc-0)", "var(--svc-1)", "var(--svc-2)", "var(--svc-3)", "var(--svc-4)", "var(--svc-5)"];

/// A text description of the view, the same facts as the picture.
pub fn describe(lang: Lang, s: &Snapshot) -> String {
    let mut out = Vec::new();
    out.push(tf(lang, "cluster.desc.nodes", &[&s.nodes.len().to_string(), &s.pods.len().to_string()]));
    for svc in &s.services {
        let ready = svc.ready_ips();
        let key = if svc.headless { "cluster.desc.headless" } else { "cluster.desc.clusterip" };
        out.push(tf(
            lang,
            key,
            &[
                &svc.name,
                &svc.cluster_ip,
                &ready.len().to_string(),
                &svc.endpoints.len().to_string(),
                &ready.join(", "),
            ],
        ));
    }
    for p in &s.pods {
        let ready = i18n::t(lang, if p.ready { "pod.ready" } else { "pod.notready" });
        out.push(tf(
            lang,
            "cluster.desc.pod",
            &[&p.name, &p.status, ready, p.ip.as_deref().unwrap_or("—"), p.node.as_deref().unwrap_or("—")],
        ));
    }
    out.join(" ")
}

/// A pod or node name that fits its box: the start (the workload) and the end (the suffix).
pub fn short(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 14 {
        name.to_string()
    } else {
        let head: String = chars[..6].iter().collect();
        let tail: String = chars[chars.len() - 6..].iter().collect();
        format!("{head}…{tail}")
    }
}

#[component]
pub fn ClusterPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let selected = RwSignal::new(None::<(String, String)>);
    let lay = Memo::new(move |_| layout(&snapshot.get()));
    let description = Memo::new(move |_| describe(i18n.lang(), &snapshot.get()));

    let select_pod = move |ns: String, name: String| selected.set(Some((ns, name)));
    let pod_view = move |(p, x, y): (PodView, f64, f64)| {
        let cls = if p.terminating {
            "pod terminating"
        } else if p.ready {
            "pod ready"
        } else if p.status == "Running" {
            "pod notready"
        } else {
            "pod pending"
        };
        let (ns, name) = (p.namespace.clone(), p.name.clone());
        let (ns2, name2) = (ns.clone(), name.clone());
        let is_sel = {
            let (ns, name) = (ns.clone(), name.clone());
            move || selected.get().is_some_and(|(a, b)| a == ns && b == name)
        };
        let mark = if p.ready { "✓" } else { "✗" };
        let ip_text = p.ip.clone().unwrap_or_else(|| "—".into());
        let label = {
            let p = p.clone();
            let visible = format!("{} {} {mark} {}", short(&p.name), ip_text, p.status);
            // The accessible name is the visible text (WCAG 2.5.3); the description says more.
            move || {
                let lang = i18n.lang();
                let more = tf(
                    lang,
                    "pod.label",
                    &[
                        &p.name,
                        &p.status,
                        i18n::t(lang, if p.ready { "pod.ready" } else { "pod.notready" }),
                        p.ip.as_deref().unwrap_or("—"),
                    ],
                );
                format!("{visible}. {more}")
            }
        };
        view! {
            <g class=cls class:selected=is_sel tabindex="0" role="button" aria-description=label
                data-testid=format!("pod-{}", p.name) data-ip=p.ip.clone().unwrap_or_default()
                on:click=move |_| select_pod(ns.clone(), name.clone())
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); select_pod(ns2.clone(), name2.clone()); }
                }>
                <rect x=x y=y width=POD_W height=POD_H rx="8" />
                <text x=x + 8.0 y=y + 18.0 class="pod-name">{short(&p.name)}</text>
                <text x=x + 8.0 y=y + 36.0 class="pod-ip">{ip_text.clone()}</text>
                <text x=x + 8.0 y=y + 54.0 class="pod-status">{format!("{mark} {}", p.status)}</text>
            </g>
        }
    };

    view! {
        <section class="panel cluster" aria-labelledby="cluster-h" data-testid="panel-cluster">
            <h2 id="cluster-h">{i18n.tr("cluster.title")}</h2>
            <Workloads />
            <div class="svg-wrap">
                <svg viewBox=move || { let l = lay.get(); format!("0 0 {} {}", l.width, l.height) } role="group"
                    aria-label=i18n.tr("cluster.svg") class="cluster-svg">
                    // Links: one per endpoint, Service → pod.
                    {move || {
                        let s = snapshot.get();
                        let l = lay.get();
                        let w = SVC_W;
                        let mut links = Vec::new();
                        for (i, sx) in &l.services {
                            let Some(svc) = s.services.get(*i) else { continue };
                            for e in &svc.endpoints {
                                let target = l.pods.iter().find(|(p, _, _)| Some(&p.name) == e.pod.as_ref() && p.namespace == svc.namespace);
                                if let Some((_, px, py)) = target {
                                    links.push(view! {
                                        <line class="link" class:notready=!e.ready
                                            x1=sx + w / 2.0 y1=SVC_Y + SVC_H x2=px + POD_W / 2.0 y2=*py
                                            stroke=PALETTE[i % PALETTE.len()] />
                                    });
                                }
                            }
                        }
                        links
                    }}
                    {move || { let width = lay.get().width; lay.get().lanes.into_iter().map(move |(name, y, h, ready)| view! {
                        <g class="lane" class:down=!ready>
                            <rect x="4" y=y width=width - 8.0 height=h rx="10" />
                            <text x="14" y=y + 24.0 class="lane-name">{name}</text>
                        </g>
                    }).collect_view() }}
                    {move || {
                        let s = snapshot.get();
                        let w = SVC_W;
                        lay.get().services.into_iter().filter_map(|(i, x)| {
                            let svc = s.services.get(i)?.clone();
                            let (ns, name) = (svc.namespace.clone(), svc.name.clone());
                            let (ns2, name2) = (ns.clone(), name.clone());
                            let sel = {
                                let (ns, name) = (ns.clone(), name.clone());
                                move || ui.service.get().is_some_and(|(a, b)| a == ns && b == name)
                            };
                            let ip = if svc.headless { "ClusterIP: None".to_string() } else { format!("ClusterIP: {}", svc.cluster_ip) };
                            Some(view! {
                                <g class="svc" class:headless=svc.headless class:selected=sel tabindex="0" role="button"
                                    data-testid=format!("svc-{}", svc.name)
                                    on:click=move |_| ui.service.set(Some((ns.clone(), name.clone())))
                                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                                        if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); ui.service.set(Some((ns2.clone(), name2.clone()))); }
                                    }>
                                    <rect x=x y=SVC_Y width=w height=SVC_H rx="8" stroke=PALETTE[i % PALETTE.len()] />
                                    <text x=x + 8.0 y=SVC_Y + 22.0 class="svc-name">{svc.name.clone()}</text>
                                    <text x=x + 8.0 y=SVC_Y + 44.0 class="svc-ip">{ip}</text>
                                </g>
                            })
                        }).collect_view()
                    }}
                    {move || lay.get().pods.into_iter().map(pod_view).collect_view()}
                </svg>
            </div>
            <NodeControls />
            <PodActions selected=selected />
            <p class="visually-hidden" aria-live="polite" data-testid="cluster-description">{move || description.get()}</p>
        </section>
    }
}

/// The replicas control of every Deployment and StatefulSet.
#[component]
fn Workloads() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let workloads = Memo::new(move |_| snapshot.get().workloads);
    let scale = move |kind: Kind, ns: String, name: String, n: i32| {
        let n = n.clamp(0, MAX_REPLICAS);
        sim.set_replicas(kind, &ns, &name, n);
        ui.say(tf(i18n.lang(), "announce.scaled", &[&name, &n.to_string()]));
    };
    view! {
        <ul class="workloads">
            <For each=move || workloads.get() key=|w| (w.namespace.clone(), w.name.clone()) let:w>
                {
                    let kind = w.kind.unwrap_or(Kind::Deployment);
                    let (ns, name) = (w.namespace.clone(), w.name.clone());
                    let current = {
                        let name = name.clone();
                        Memo::new(move |_| workloads.get().iter().find(|x| x.name == name).map(|x| (x.replicas, x.ready)).unwrap_or((0, 0)))
                    };
                    let (ns1, n1, ns2, n2, ns3, n3) = (ns.clone(), name.clone(), ns.clone(), name.clone(), ns.clone(), name.clone());
                    let label = format!("{}/{}", kind.resource(), name);
                    view! {
                        <li class="workload" data-testid=format!("workload-{name}")>
                            <span class="wl-name">{label.clone()}</span>
                            <button type="button" data-testid="replicas-minus" aria-label=move || tf(i18n.lang(), "replicas.minus", &[&label])
                                on:click=move |_| scale(kind, ns1.clone(), n1.clone(), current.get_untracked().0 - 1)>"−"</button>
                            <input type="number" min="0" max=MAX_REPLICAS data-testid="replicas" inputmode="numeric"
                                aria-label=i18n.tr("replicas.label")
                                prop:value=move || current.get().0.to_string()
                                on:change=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).trim().parse::<i32>() { scale(kind, ns3.clone(), n3.clone(), v) }
                                } />
                            <button type="button" data-testid="replicas-plus" aria-label=i18n.tr("replicas.plus")
                                on:click=move |_| scale(kind, ns2.clone(), n2.clone(), current.get_untracked().0 + 1)>"+"</button>
                            <span class="wl-ready">{move || tf(i18n.lang(), "replicas.ready", &[&current.get().1.to_string(), &current.get().0.to_string()])}</span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// A stop/start control per worker node (the control plane stays up).
#[component]
fn NodeControls() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let nodes = Memo::new(move |_| snapshot.get().nodes.into_iter().filter(|n| !n.control_plane).collect::<Vec<_>>());
    view! {
        <ul class="node-controls" aria-label=i18n.tr("node.controls")>
            {move || nodes.get().into_iter().map(|n| {
                let name = n.name.clone();
                let ready = n.ready;
                let key = if ready { "node.stop" } else { "node.start" };
                let said = if ready { "announce.node_stopped" } else { "announce.node_started" };
                let label = name.clone();
                view! {
                    <li class="node-control" data-testid=format!("node-{}", n.name)>
                        <span class="mono">{n.name.clone()}</span>
                        " "
                        <span>{i18n.tr(if ready { "node.ready" } else { "node.notready" })}</span>
                        " "
                        <button type="button" data-testid=if ready { "node-stop" } else { "node-start" }
                            aria-label=move || format!("{} {}", i18n::t(i18n.lang(), key), label)
                            on:click=move |_| {
                                sim.set_node_running(&name, !ready);
                                ui.say(tf(i18n.lang(), said, &[&name]));
                            }>{i18n.tr(key)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What can be done to the chosen pod.
#[component]
fn PodActions(selected: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let pod = Memo::new(move |_| {
        let (ns, name) = selected.get()?;
        snapshot.get().pods.into_iter().find(|p| p.namespace == ns && p.name == name)
    });
    move || {
        pod.get().map(|p| {
            let (ns, name) = (p.namespace.clone(), p.name.clone());
            let (ns2, name2, ns3, name3) = (ns.clone(), name.clone(), ns.clone(), name.clone());
            let failed = p.readiness_failed;
            view! {
                <div class="pod-actions" role="group" aria-label=move || tf(i18n.lang(), "pod.actions", &[&p.name]) data-testid="pod-actions">
                    <span class="mono">{p.name.clone()}</span>
                    <button type="button" data-testid="pod-delete" disabled=p.terminating on:click=move |_| {
                        sim.delete_pod(&ns, &name);
                        ui.say(tf(i18n.lang(), "announce.deleted", &[&name]));
                    }>{i18n.tr("pod.delete")}</button>
                    {if failed {
                        view! { <button type="button" data-testid="pod-restore" on:click=move |_| {
                            sim.set_readiness_failed(&ns2, &name2, false);
                            ui.say(tf(i18n.lang(), "announce.restored", &[&name2]));
                        }>{i18n.tr("pod.restore")}</button> }.into_any()
                    } else {
                        view! { <button type="button" data-testid="pod-fail-readiness" on:click=move |_| {
                            sim.set_readiness_failed(&ns3, &name3, true);
                            ui.say(tf(i18n.lang(), "announce.failed", &[&name3]));
                        }>{i18n.tr("pod.fail")}</button> }.into_any()
                    }}
                    <button type="button" on:click=move |_| selected.set(None)>{i18n.tr("pod.close")}</button>
                </div>
            }
        })
    }
}
