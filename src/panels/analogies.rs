//! The analogies, bound to the live cluster: the switchboard (总机) whose operators are the
//! ready pods behind one number (the ClusterIP), the internal directory (通讯录) whose entries
//! are the headless Service's A records (fixed seats and extensions for StatefulSet pods),
//! and the restaurant's front door and menu. Below them the seeds' comparison table, with
//! the column of the Service selected in the cluster view highlighted.

use crate::i18n::{tf, use_i18n};
use crate::panels::cluster::{short, without_hash};
use crate::sim::{ServiceView, Snapshot};
use crate::use_ui;
use leptos::prelude::*;

/// The ClusterIP Service and the headless Service the analogies show: the selected one
/// takes its own role, the other role goes to the first Service of that kind.
pub fn pick(s: &Snapshot, selected: Option<&(String, String)>) -> (Option<ServiceView>, Option<ServiceView>) {
    let sel = selected.and_then(|(ns, n)| s.services.iter().find(|x| &x.namespace == ns && &x.name == n));
    let vip = sel
        .filter(|x| !x.headless)
        .or_else(|| s.services.iter().find(|x| !x.headless && x.cluster_ip != "<none>"))
        .cloned();
    let headless = sel.filter(|x| x.headless).or_else(|| s.services.iter().find(|x| x.headless)).cloned();
    (vip, headless)
}

#[component]
pub fn AnalogiesPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let picked = Memo::new(move |_| pick(&snapshot.get(), ui.service.get().as_ref()));
    let highlight_headless = Memo::new(move |_| {
        let s = snapshot.get();
        ui.service
            .get()
            .and_then(|(ns, n)| s.services.iter().find(|x| x.namespace == ns && x.name == n).map(|x| x.headless))
            .unwrap_or(false)
    });
    let pods = Memo::new(move |_| snapshot.get().pods);
    // Every Service of the lab: a switchboard per Service with a virtual IP, a directory per
    // headless Service (a StatefulSet's pods have their fixed seats and extensions there).
    let vips = Memo::new(move |_| {
        snapshot
            .get()
            .services
            .into_iter()
            .filter(|s| !s.headless && s.kind != crate::sim::ServiceKind::ExternalName)
            .collect::<Vec<_>>()
    });
    let directories =
        Memo::new(move |_| snapshot.get().services.into_iter().filter(|s| s.headless).collect::<Vec<_>>());
    view! {
        <section class="panel analogies" aria-labelledby="ana-h" data-testid="panel-analogies">
            <h2 id="ana-h">{i18n.tr("ana.title")}</h2>
            <div class="ana-grid">
                <Show when=move || vips.with(|v| v.is_empty())>
                    <article class="ana switchboard" data-testid="switchboard">
                        <h3>{i18n.tr("ana.switchboard")}</h3>
                        <p>{i18n.tr("ana.no_clusterip")}</p>
                    </article>
                </Show>
                <For each=move || vips.get() key=|s| format!("{s:?}") let:svc>
                    {
                        let ready = svc.ready_ips().len();
                        let (name, ip) = (svc.name.clone(), svc.cluster_ip.clone());
                        view! {
                            <article class="ana switchboard" data-testid="switchboard" data-service=svc.name.clone()>
                                <h3>{i18n.tr("ana.switchboard")}</h3>
                                <p class="ana-number">{move || tf(i18n.lang(), "ana.switchboard.number", &[&name, &ip])}</p>
                                <p>{move || tf(i18n.lang(), "ana.switchboard.operators", &[&ready.to_string()])}</p>
                                <ul class="operators">
                                    {svc.endpoints.iter().map(|e| view! {
                                        <li class:off=!e.ready title=e.ip.clone()>
                                            <span aria-hidden="true">"☎ "</span>{e.pod.as_deref().map(without_hash).unwrap_or_else(|| e.ip.clone())}
                                            {(!e.ready).then(|| view! { " " <em>{i18n.tr("ana.away")}</em> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </article>
                        }
                    }
                </For>
                <Show when=move || directories.with(|v| v.is_empty())>
                    <article class="ana directory" data-testid="directory">
                        <h3>{i18n.tr("ana.directory")}</h3>
                        <p>{i18n.tr("ana.no_headless")}</p>
                    </article>
                </Show>
                <For each=move || directories.get() key=|s| format!("{s:?}") let:svc>
                    {
                        let all_pods = pods.get_untracked();
                        let fqdn = svc.fqdn();
                        view! {
                            <article class="ana directory" data-testid="directory" data-service=svc.name.clone()>
                                <h3>{i18n.tr("ana.directory")}</h3>
                                <p>{move || tf(i18n.lang(), "ana.directory.name", &[&fqdn])}</p>
                                <ul class="entries">
                                    {svc.endpoints.iter().map(|e| {
                                        // StatefulSet pods have a fixed seat and extension: hostname.service.
                                        let seat = e.hostname.clone().or_else(|| {
                                            all_pods.iter().find(|p| Some(&p.name) == e.pod.as_ref()).and_then(|p| p.hostname.clone())
                                        });
                                        let label = match &seat {
                                            Some(h) => format!("{h}.{}", svc.name),
                                            None => e.pod.as_deref().map(without_hash).unwrap_or_default(),
                                        };
                                        let has_seat = seat.is_some();
                                        view! {
                                            <li class:off=!e.ready class:seat=has_seat>
                                                <span class="mono">{label}</span>" → "<span class="mono">{e.ip.clone()}</span>
                                                {has_seat.then(|| view! { " " <em class="seat-note">{i18n.tr("ana.seat")}</em> })}
                                                {(!e.ready).then(|| view! { " " <em>{i18n.tr("ana.unlisted")}</em> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </article>
                        }
                    }
                </For>
                <article class="ana restaurant" data-testid="restaurant">
                    <h3>{i18n.tr("ana.restaurant")}</h3>
                    {move || {
                        let (vip, headless) = picked.get();
                        let door = vip.map(|v| (v.cluster_ip.clone(), v.ready_ips().len()));
                        let menu = headless.map(|h| h.endpoints.clone()).unwrap_or_default();
                        view! {
                            <p>{move || match &door {
                                Some((ip, n)) => tf(i18n.lang(), "ana.restaurant.door", &[ip, &n.to_string()]),
                                None => i18n.tr("ana.no_clusterip")(),
                            }}</p>
                            <p>{i18n.tr("ana.restaurant.menu")}</p>
                            <ol class="menu">
                                {menu.into_iter().map(|e| view! {
                                    <li class:off=!e.ready>
                                        {move || tf(i18n.lang(), "ana.restaurant.chef", &[&e.pod.as_deref().map(short).unwrap_or_default(), &e.ip])}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }
                    }}
                </article>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.tr("cmp.caption")>
                <table class="compare" data-testid="compare">
                    <caption>{i18n.tr("cmp.caption")}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.tr("cmp.feature")}</th>
                        <th scope="col" class:current=move || !highlight_headless.get()>{i18n.tr("cmp.clusterip")}</th>
                        <th scope="col" class:current=move || highlight_headless.get()>{i18n.tr("cmp.headless")}</th>
                    </tr></thead>
                    <tbody>
                        {["ip", "dns", "lb", "use"].into_iter().map(|row| view! {
                            <tr>
                                <th scope="row">{i18n.tr(row_key(row, 0))}</th>
                                <td class:current=move || !highlight_headless.get()>{i18n.tr(row_key(row, 1))}</td>
                                <td class:current=move || highlight_headless.get()>{i18n.tr(row_key(row, 2))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn row_key(row: &str, col: usize) -> &'static str {
    match (row, col) {
        ("ip", 0) => "cmp.ip",
        ("ip", 1) => "cmp.ip.clusterip",
        ("ip", _) => "cmp.ip.headless",
        ("dns", 0) => "cmp.dns",
        ("dns", 1) => "cmp.dns.clusterip",
        ("dns", _) => "cmp.dns.headless",
        ("lb", 0) => "cmp.lb",
        ("lb", 1) => "cmp.lb.clusterip",
        ("lb", _) => "cmp.lb.headless",
        (_, 0) => "cmp.use",
        (_, 1) => "cmp.use.clusterip",
        _ => "cmp.use.headless",
    }
}
