//! The cluster view: nodes as lanes, pods in them (status, readiness, IP, name), CoreDNS and
//! the Services (ClusterIP or None) above, and the EndpointSlices' endpoints as the links
//! between a Service and its pods (dashed while not ready). A replicas control per
//! Deployment and StatefulSet; a pod, chosen by click or Enter, can be deleted, have its
//! readiness failed, or be restored. A text description generated from the same snapshot,
//! in the UI language, lives in a visually hidden live region.
//!
//! Traffic is drawn on top: one dot per recent request ([`flight::flights`]), placed by
//! [`Flight::dot_at`] at the playback clock's simulated time ([`Clock::sim_ms`]), coloured by
//! what travels (DNS query/answer, request, response) and red with a label where the request
//! failed. Pods that served requests carry a hit counter; pods that run a client are marked.
//! Under `prefers-reduced-motion: reduce` there are no travelling dots: the pod that served
//! each client's newest response is highlighted and a failure is a static red marker where
//! it happened; the traffic log and the hit counters carry the same facts.
//!
//! Rendering cost: the snapshot has no clock, so it changes only when something drawn changes;
//! pods and links are keyed `<For>` lists (a tick re-renders nothing unless a pod changed),
//! per-pod hit badges are per-pod memos, and only the dots layer re-renders per animation frame.

use crate::clock::Clock;
use crate::i18n::{self, tf, use_i18n, Lang};
use crate::sim::{CoreDnsView, PodView, ProbeView, SimController, Snapshot, MAX_REPLICAS};
use crate::use_ui;
use leptos::prelude::*;
use std::collections::BTreeMap;
use svclab_core::api::Kind;
use svclab_core::traffic::flight::{self, Flight, LegKind, Outcome, Place};
use svclab_core::traffic::TrafficError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const SVC_W: f64 = 240.0;
/// The narrowest Service box: on a wide screen, and on a phone (smaller address text).
const SVC_W_MIN: f64 = 196.0;
const SVC_W_NARROW: f64 = 156.0;
const LANE_X: f64 = 150.0;
/// On a phone the lane's name sits above its pods instead of beside them.
const LANE_X_NARROW: f64 = 14.0;
const LANE_LABEL_H_NARROW: f64 = 30.0;
const POD_W: f64 = 112.0;
const POD_H: f64 = 66.0;
const POD_GAP: f64 = 10.0;
const SVC_Y: f64 = 12.0;
const SVC_H: f64 = 58.0;
const SVC_GAP: f64 = 12.0;
/// Room between the Services and the first lane for the endpoint links.
const LINKS_H: f64 = 50.0;
const PER_ROW: usize = 7;
/// Panels narrower than this (CSS px) get the phone layout.
const NARROW_PX: f64 = 560.0;
/// The drawing is never scaled below this (text stays legible): fewer pods per row instead.
const MIN_SCALE: f64 = 0.85;
const NODE_LANE_MIN_H: f64 = 86.0;
const NODE_BTN_W: f64 = 124.0;
const NODE_BTN_H: f64 = 26.0;

/// One node's lane (or the lane of pods not scheduled yet).
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub y: f64,
    pub height: f64,
    pub ready: bool,
    /// A worker node: its lane has the stop/start button (the control plane stays up).
    pub worker: Option<String>,
    /// Where the button goes (the lane's left column, or its top right on a phone).
    pub button: (f64, f64),
}

/// Where everything is drawn, in SVG units.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub lanes: Vec<Lane>,
    pub pods: Vec<(PodView, f64, f64)>,
    /// (index into `Snapshot::services`, x, y).
    pub services: Vec<(usize, f64, f64)>,
    /// The CoreDNS box, first in the Services row.
    pub coredns: (f64, f64),
    pub svc_w: f64,
    /// The phone layout (lane names above the pods, smaller address text).
    pub narrow: bool,
    /// A pod box's width: wide enough for whole pod names when the panel has room.
    pub pod_w: f64,
    /// The bottom of the last row of Service boxes (links run freely below it).
    pub services_bottom: f64,
    /// How pod names are written in the boxes.
    pub names: NameForm,
    pub width: f64,
    pub height: f64,
}

/// How much of a pod's name its box shows: the whole name when there is room, else the
/// workload and the pod's own suffix without the pod-template-hash (`api-deployment-…-7lsx5`),
/// else the start and the end (`api-de…-7lsx5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameForm {
    Full,
    NoHash,
    Short,
}

/// Width of a pod name at the pod-name font (12 px, semi-bold), in SVG units.
fn name_w(name: &str) -> f64 {
    name.chars().count() as f64 * 7.6 + 16.0
}

/// `name` written in `form`.
pub fn pod_label(name: &str, form: NameForm) -> String {
    match form {
        NameForm::Full => name.to_string(),
        NameForm::NoHash => without_hash(name),
        NameForm::Short => short(name),
    }
}

/// `api-deployment-5d6449c865-7lsx5` → `api-deployment-…-7lsx5`: a ReplicaSet's pods carry
/// the pod-template-hash before their own suffix; other names stay whole.
pub fn without_hash(name: &str) -> String {
    let parts: Vec<&str> = name.split('-').collect();
    match parts.as_slice() {
        [head @ .., hash, tail]
            if !head.is_empty() && hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            format!("{}-…-{tail}", head.join("-"))
        }
        _ => name.to_string(),
    }
}

/// How big the drawing is shown for a panel `avail` CSS px wide: about 1:1 on a laptop's
/// half screen, larger on a wide screen (text grows with the viewport), never below
/// [`MIN_SCALE`].
pub fn target_scale(avail: f64) -> f64 {
    (avail / 720.0).clamp(MIN_SCALE, MAX_SCALE)
}

/// Lay out the CoreDNS box and the Services (in rows that fit), then the lanes (one per node,
/// plus one for unscheduled pods) with as many pods per row as fit `avail_px`, the panel's
/// width in CSS pixels (0: unknown, as wide as a desktop panel).
pub fn layout(s: &Snapshot, avail_px: f64) -> Layout {
    layout_with(s, avail_px, IP_PX, MAX_SCALE)
}

/// The largest scale the drawing is shown at: on a wide screen, and on a projector (presenter
/// mode fills its stage, text read from the back of a room).
pub const MAX_SCALE: f64 = 1.2;
pub const MAX_SCALE_PRESENT: f64 = 1.6;

/// The pod IPs' font size in SVG units: the page's, and presenter mode's (read from the back
/// of a room; style/present.css sets the same size).
pub const IP_PX: f64 = 13.0;
pub const IP_PX_PRESENT: f64 = 21.0;

/// Width of a pod IP at `ip_px` (monospace, bold), in SVG units, with the box's padding.
fn ip_w(ip: &str, ip_px: f64) -> f64 {
    ip.chars().count() as f64 * ip_px * 0.62 + 18.0
}

/// [`layout`] with pod boxes wide enough for pod IPs written at `ip_px` SVG units, shown at
/// most at `max_scale`.
pub fn layout_with(s: &Snapshot, avail_px: f64, ip_px: f64, max_scale: f64) -> Layout {
    let avail = if avail_px > 0.0 { avail_px } else { 1000.0 };
    let narrow = avail < NARROW_PX;
    // The drawing's width in SVG units: the panel's width at the target scale (it fills the panel).
    let max_w = (avail / target_scale(avail).max((avail / 720.0).min(max_scale))).max(280.0);
    let lane_x = if narrow { LANE_X_NARROW } else { LANE_X };
    let top = if narrow { LANE_LABEL_H_NARROW } else { 0.0 };
    // Whole names if the busiest lane still gets min(its pods, 3) per row; then names without
    // the hash; then short names in the narrowest boxes.
    let room = max_w - lane_x - 14.0;
    let busiest = s
        .nodes
        .iter()
        .map(|n| s.pods.iter().filter(|p| p.node.as_deref() == Some(n.name.as_str())).count())
        .max()
        .unwrap_or(0)
        .max(1);
    let wanted = busiest.min(3) as f64;
    let widest_ip = s.pods.iter().filter_map(|p| p.ip.as_deref()).map(|ip| ip_w(ip, ip_px)).fold(POD_W, f64::max);
    let widest_as = |form: NameForm| s.pods.iter().map(|p| name_w(&pod_label(&p.name, form))).fold(widest_ip, f64::max);
    let (names, pod_w) = [NameForm::Full, NameForm::NoHash]
        .into_iter()
        .map(|f| (f, widest_as(f)))
        .find(|(_, w)| room + POD_GAP >= wanted * (w + POD_GAP))
        .unwrap_or((NameForm::Short, widest_ip));
    let per_row = (((room + POD_GAP) / (pod_w + POD_GAP)).floor() as usize).clamp(1, PER_ROW);
    // As many Service boxes per row as fit at a width that holds "ClusterIP: 10.104.62.28".
    let boxes = s.services.len() + 1;
    let min_svc_w = if narrow { SVC_W_NARROW } else { SVC_W_MIN };
    let fit = |n: usize| (max_w - 10.0) / n as f64 - SVC_GAP;
    let svc_per_row = (1..=boxes).rev().find(|n| fit(*n) >= min_svc_w).unwrap_or(1);
    let svc_w = fit(svc_per_row).clamp(120.0, SVC_W);
    let svc_at = |i: usize| {
        (10.0 + (i % svc_per_row) as f64 * (svc_w + SVC_GAP), SVC_Y + (i / svc_per_row) as f64 * (SVC_H + SVC_GAP))
    };
    let coredns = svc_at(0);
    let services: Vec<(usize, f64, f64)> = (0..s.services.len())
        .map(|i| {
            let (x, y) = svc_at(i + 1);
            (i, x, y)
        })
        .collect();
    let svc_rows = boxes.div_ceil(svc_per_row);
    let services_bottom = SVC_Y + svc_rows as f64 * (SVC_H + SVC_GAP) - SVC_GAP;
    let mut y = services_bottom + LINKS_H;

    let mut lanes = Vec::new();
    let mut pods = Vec::new();
    let mut lane_names: Vec<(String, Option<String>, bool, bool)> =
        s.nodes.iter().map(|n| (n.name.clone(), Some(n.name.clone()), n.ready, !n.control_plane)).collect();
    if s.pods.iter().any(|p| p.node.is_none()) {
        lane_names.push(("—".into(), None, true, false));
    }
    for (label, node, ready, worker) in lane_names {
        let in_lane: Vec<&PodView> = s.pods.iter().filter(|p| p.node == node).collect();
        let rows = in_lane.len().div_ceil(per_row);
        // An empty lane (the control plane here) stays a thin strip; a worker's lane keeps
        // room for its name, its state and its stop/start button.
        let min_h = if worker && !narrow { NODE_LANE_MIN_H } else { 36.0 };
        let h = if rows == 0 { min_h } else { (top + rows as f64 * (POD_H + POD_GAP) + POD_GAP).max(min_h) };
        for (i, p) in in_lane.into_iter().enumerate() {
            let px = lane_x + (i % per_row) as f64 * (pod_w + POD_GAP);
            let py = y + top + POD_GAP + (i / per_row) as f64 * (POD_H + POD_GAP);
            pods.push((p.clone(), px, py));
        }
        let button = if narrow { (-1.0, y + 4.0) } else { (14.0, y + 50.0) };
        lanes.push(Lane { label, y, height: h, ready, worker: if worker { node } else { None }, button });
        y += h + 6.0;
    }
    let widest = pods.iter().map(|(_, x, _)| x + pod_w + POD_GAP + 4.0).fold(0.0, f64::max);
    let svcs = 10.0 + boxes.min(svc_per_row) as f64 * (svc_w + SVC_GAP);
    let width = widest.max(svcs).max(max_w);
    // On a phone the button sits at the lane's top right, known once the width is.
    for lane in &mut lanes {
        if lane.button.0 < 0.0 {
            lane.button.0 = width - NODE_BTN_W - 12.0;
        }
    }
    Layout { lanes, pods, services, coredns, svc_w, narrow, pod_w, services_bottom, names, width, height: y + 4.0 }
}

/// The route of an endpoint link from the Service box at `(sx, sy)` to the top centre of a
/// pod box `to`, as the points of a polyline. From the last row of boxes the link runs
/// straight to the pod; from a row above it (a narrow panel stacks the boxes in rows) it
/// drops into the gap under its box, runs along that gap to the column gap beside its box (the
/// one nearer the middle of the drawing: all its links share one trunk) and down that column
/// gap to below the last row, so it never runs behind another box.
pub fn link_route(l: &Layout, (sx, sy): (f64, f64), to: (f64, f64)) -> Vec<(f64, f64)> {
    let start = (sx + l.svc_w / 2.0, sy + SVC_H);
    if sy + SVC_H >= l.services_bottom - 0.5 {
        return vec![start, to];
    }
    let gap_y = sy + SVC_H + SVC_GAP / 2.0;
    let (left, right) = (sx - SVC_GAP / 2.0, sx + l.svc_w + SVC_GAP / 2.0);
    let mid = l.width / 2.0;
    let gap_x = if (left - mid).abs() <= (right - mid).abs() { left } else { right };
    let below = l.services_bottom + SVC_GAP / 2.0;
    vec![start, (start.0, gap_y), (gap_x, gap_y), (gap_x, below), to]
}

/// SVG path data of a polyline.
pub fn path_d(points: &[(f64, f64)]) -> String {
    points.iter().enumerate().map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" })).collect()
}

/// The centre of every place a dot can travel to.
fn centers(l: &Layout, s: &Snapshot) -> BTreeMap<Place, (f64, f64)> {
    let mut m = BTreeMap::new();
    m.insert(Place::CoreDns, (l.coredns.0 + l.svc_w / 2.0, l.coredns.1 + SVC_H / 2.0));
    for (i, x, y) in &l.services {
        if let Some(svc) = s.services.get(*i) {
            m.insert(Place::Service(svc.namespace.clone(), svc.name.clone()), (x + l.svc_w / 2.0, y + SVC_H / 2.0));
        }
    }
    // A dot stops on the pod box's right edge (half outside it), clear of the name and the IP.
    for (p, x, y) in &l.pods {
        m.insert(Place::Pod(p.namespace.clone(), p.name.clone()), (x + l.pod_w + 1.0, y + POD_H / 2.0 - 6.0));
    }
    m
}

/// Where a place is drawn. An address no pod holds has no box: it is drawn just beside the
/// client that dialled it (the packet goes nowhere).
fn place_xy(m: &BTreeMap<Place, (f64, f64)>, place: &Place, client: &(String, String)) -> Option<(f64, f64)> {
    match place {
        Place::Address(_) => {
            let (x, y) = m.get(&Place::Pod(client.0.clone(), client.1.clone()))?;
            Some((x + 14.0, *y))
        }
        p => m.get(p).copied(),
    }
}

/// The locale key of a failure's short label.
fn error_key(e: &TrafficError) -> &'static str {
    match e {
        TrafficError::CouldNotResolve { .. } => "dots.nxdomain",
        TrafficError::Refused { .. } => "dots.refused",
        TrafficError::TimedOut { .. } => "dots.timeout",
        TrafficError::NoRoute { .. } => "dots.noroute",
        // A failure added to the core later: still red, with the generic word.
        #[allow(unreachable_patterns)]
        _ => "dots.legend.failed",
    }
}

/// One dot on screen.
#[derive(Clone, Debug, PartialEq)]
struct Dot {
    id: u64,
    x: f64,
    y: f64,
    class: &'static str,
    /// The client's colour (an index into the `--client-N` colours).
    colour: usize,
    /// The failure label's locale key, on the leg where the request failed.
    label: Option<&'static str>,
}

/// Colours of the traffic clients: one per client, by start order, used by its dots, its
/// card in the traffic panel and its hit counts (`--client-0` ... in the CSS).
pub const CLIENT_COLOURS: usize = 8;

/// Each running client's colour, keyed by what a flight knows of its client: the pod it runs
/// in and its target. (Two clients in one pod with one target share a colour: their dots are
/// the same traffic.)
pub fn client_colours(clients: &[svclab_core::traffic::Client]) -> BTreeMap<(String, String, String), usize> {
    let mut ids: Vec<&svclab_core::traffic::Client> = clients.iter().collect();
    ids.sort_by_key(|c| c.id);
    let mut out = BTreeMap::new();
    for (i, c) in ids.into_iter().enumerate() {
        out.entry((c.spec.namespace.clone(), c.spec.pod.clone(), c.spec.target.clone())).or_insert(i % CLIENT_COLOURS);
    }
    out
}

fn dot_of(
    f: &Flight,
    t: f64,
    m: &BTreeMap<Place, (f64, f64)>,
    colours: &BTreeMap<(String, String, String), usize>,
) -> Option<Dot> {
    let (i, progress) = f.dot_at(t)?;
    let leg = f.legs.get(i)?;
    let (x0, y0) = place_xy(m, &leg.from, &f.client)?;
    let (x1, y1) = place_xy(m, &leg.to, &f.client)?;
    let failing = match &f.outcome {
        Outcome::Failed { error, at_leg } if *at_leg == i => Some(error_key(error)),
        _ => None,
    };
    let class = match (failing, leg.kind) {
        (Some(_), _) => "dot failed",
        (None, LegKind::DnsQuery | LegKind::DnsAnswer) => "dot dns",
        (None, LegKind::Request) => "dot request",
        (None, LegKind::Response) => "dot response",
    };
    let colour = colours.get(&(f.client.0.clone(), f.client.1.clone(), f.target.clone())).copied().unwrap_or(0);
    Some(Dot {
        id: f.request,
        x: x0 + (x1 - x0) * progress,
        y: y0 + (y1 - y0) * progress,
        class,
        colour,
        label: failing,
    })
}

/// A static marker (reduced motion): where a client's newest request failed.
#[derive(Clone, Debug, PartialEq)]
struct Marker {
    x: f64,
    y: f64,
    label: &'static str,
}

/// Call `f` whenever `el` changes size (a `ResizeObserver`, reached through JS: web-sys's
/// binding is not among the crate's enabled features). The observer lives as long as the
/// page; `f` must tolerate running after the panel is gone.
fn observe_resize(el: &web_sys::HtmlElement, f: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let Ok(ctor) = js_sys::Reflect::get(&window, &JsValue::from_str("ResizeObserver")) else { return };
    let Ok(ctor) = ctor.dyn_into::<js_sys::Function>() else { return };
    let cb = Closure::<dyn FnMut()>::new(f);
    let Ok(observer) = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(cb.as_ref())) else { return };
    cb.forget();
    if let Ok(observe) = js_sys::Reflect::get(&observer, &JsValue::from_str("observe")) {
        if let Ok(observe) = observe.dyn_into::<js_sys::Function>() {
            let _ = observe.call1(&observer, el);
        }
    }
}

/// Provided by context, overrides the browser's `prefers-reduced-motion` (component tests).
#[derive(Clone, Copy, Debug)]
pub struct ReducedMotion(pub bool);

/// `prefers-reduced-motion: reduce`, following changes of the setting while the page is open.
pub fn use_reduced_motion() -> Signal<bool> {
    if let Some(ReducedMotion(forced)) = use_context::<ReducedMotion>() {
        return Signal::stored(forced);
    }
    let reduced = RwSignal::new(false);
    let mql = web_sys::window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten());
    if let Some(mql) = mql {
        reduced.set(mql.matches());
        let watched = mql.clone();
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            // try_set: the panel may be gone (the listener lives as long as the page).
            let _ = reduced.try_set(watched.matches());
        });
        let _ = mql.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    reduced.into()
}

const PALETTE: [&str; 6] =
    ["var(--svc-0)", "var(--svc-1)", "var(--svc-2)", "var(--svc-3)", "var(--svc-4)", "var(--svc-5)"];

/// A text description of the view, the same facts as the picture.
pub fn describe(lang: Lang, s: &Snapshot, dns: &CoreDnsView) -> String {
    let mut out = Vec::new();
    out.push(tf(lang, "cluster.desc.nodes", &[&s.nodes.len().to_string(), &s.pods.len().to_string()]));
    out.push(tf(lang, "cluster.desc.coredns", &[&dns.cluster_ip, &dns.ready.to_string(), &dns.pods.to_string()]));
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

/// The traffic half of the description: which pods run clients and how many responses each
/// pod served. Kept out of the live region, which would otherwise speak every second.
pub fn describe_traffic(
    lang: Lang,
    s: &Snapshot,
    hits: &BTreeMap<String, u64>,
    clients: &[(String, String)],
) -> String {
    let mut out = Vec::new();
    for (ns, pod) in clients {
        out.push(tf(lang, "cluster.desc.client", &[pod, ns]));
    }
    let served: Vec<String> = s
        .pods
        .iter()
        .filter_map(|p| {
            let n = hits.get(&format!("{}/{}", p.namespace, p.name)).copied().unwrap_or(0);
            (n > 0).then(|| tf(lang, "cluster.desc.hit", &[&p.name, &n.to_string()]))
        })
        .collect();
    if served.is_empty() {
        out.push(i18n::t(lang, "cluster.desc.nohits").to_string());
    } else {
        out.push(tf(lang, "cluster.desc.hits", &[&served.join(", ")]));
    }
    out.join(" ")
}

/// An endpoint link: its path data, whether ready, its colour, its Service's name.
type Link = (String, bool, &'static str, String);

/// A link's identity: where it is drawn, whether dashed, its colour.
fn link_key((d, ready, c, _): &Link) -> String {
    format!("{d}|{ready}|{c}")
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

/// Everything that decides how a pod is drawn, so a keyed list re-renders only changed pods.
fn pod_key(p: &PodView, x: f64, y: f64) -> String {
    format!(
        "{}/{}|{}|{}|{}|{}|{}|{x}|{y}",
        p.namespace,
        p.name,
        p.status,
        p.ready,
        p.terminating,
        p.ip.as_deref().unwrap_or(""),
        p.node.as_deref().unwrap_or("")
    )
}

#[component]
pub fn ClusterPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let clock = expect_context::<Clock>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let selected = RwSignal::new(None::<(String, String)>);
    let reduced = use_reduced_motion();

    // The panel's width in CSS pixels, for the number of pods per row.
    let wrap_ref = NodeRef::<leptos::html::Div>::new();
    let avail = RwSignal::new(0.0_f64);
    // The drawing's width on screen, exact: dots are placed in CSS pixels.
    let drawn_w = RwSignal::new(0.0_f64);
    let measure = move || {
        if let Some(el) = wrap_ref.try_get_untracked().flatten() {
            let exact = f64::from(el.client_width());
            if exact > 0.0 && drawn_w.try_get_untracked() != Some(exact) {
                let _ = drawn_w.try_set(exact);
            }
            // Whole tens of pixels: a scrollbar appearing does not re-lay everything out.
            let w = (exact / 10.0).floor() * 10.0;
            if w > 0.0 && avail.try_get_untracked() != Some(w) {
                let _ = avail.try_set(w);
            }
        }
    };
    Effect::new(move |_| {
        if wrap_ref.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // The panel also changes width without the window resizing (the grid, a scrollbar).
    Effect::new(move |_| {
        if let Some(el) = wrap_ref.get() {
            observe_resize(&el, measure);
        }
    });

    // Presenter mode writes pod IPs large (style/present.css): their boxes grow to match.
    let present = use_context::<crate::present::Present>().map(|p| p.on);
    let big = move || present.is_some_and(|on| on.get());
    let lay = Memo::new(move |_| {
        let (ip_px, max_scale) = if big() { (IP_PX_PRESENT, MAX_SCALE_PRESENT) } else { (IP_PX, MAX_SCALE) };
        layout_with(&snapshot.get(), avail.get(), ip_px, max_scale)
    });
    let coredns = Memo::new(move |_| snapshot.with(|s| s.coredns.clone()));
    let description = Memo::new(move |_| coredns.with(|d| describe(i18n.lang(), &snapshot.get(), d)));
    let hits = Memo::new(move |_| sim.hits());
    let clients = Memo::new(move |_| sim.client_pods());
    let traffic_description =
        Memo::new(move |_| hits.with(|h| clients.with(|c| describe_traffic(i18n.lang(), &snapshot.get(), h, c))));
    let flights = Memo::new(move |_| sim.flights());
    let all_clients = Memo::new(move |_| sim.clients());
    let probes = Memo::new(move |_| sim.probes());
    let stopped = Memo::new(move |_| sim.stopped_nodes());
    let colours = Memo::new(move |_| all_clients.with(|c| client_colours(c)));
    // Per pod, each client's responses with its colour: (colour, hits), in client order.
    let client_hits = Memo::new(move |_| {
        all_clients.with(|cs| {
            let colours = client_colours(cs);
            let mut per_pod: BTreeMap<String, Vec<(usize, u64)>> = BTreeMap::new();
            let mut list: Vec<&svclab_core::traffic::Client> = cs.iter().collect();
            list.sort_by_key(|c| c.id);
            for c in list {
                let colour = colours
                    .get(&(c.spec.namespace.clone(), c.spec.pod.clone(), c.spec.target.clone()))
                    .copied()
                    .unwrap_or(0);
                for (pod, n) in &c.hits {
                    per_pod.entry(pod.clone()).or_default().push((colour, *n));
                }
            }
            per_pod
        })
    });
    let places = Memo::new(move |_| lay.with(|l| snapshot.with(|s| centers(l, s))));
    // Per animation frame: only this memo and the dots layer below.
    let dots = Memo::new(move |_| {
        if reduced.get() {
            return Vec::new();
        }
        let t = clock.sim_ms.get();
        flights.with(|fs| {
            places.with(|m| colours.with(|c| fs.iter().filter_map(|f| dot_of(f, t, m, c)).collect::<Vec<Dot>>()))
        })
    });
    // SVG units → CSS pixels (the drawing is scaled to the panel's width).
    let scale = Memo::new(move |_| {
        let w = lay.with(|l| l.width);
        let d = drawn_w.get();
        if w > 0.0 && d > 0.0 {
            d / w
        } else {
            1.0
        }
    });
    let dot_ids = Memo::new(move |_| dots.with(|d| d.iter().map(|d| d.id).collect::<Vec<u64>>()));
    // Reduced motion: per tick, the pods that served each client's newest response, and the
    // places where a client's newest request failed.
    let served = Memo::new(move |_| {
        if !reduced.get() {
            return Vec::new();
        }
        flights.with(|fs| {
            flight::latest_per_client(fs)
                .into_iter()
                .filter_map(|f| match &f.outcome {
                    Outcome::Served { pod } => Some(pod.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let markers = Memo::new(move |_| {
        if !reduced.get() {
            return Vec::new();
        }
        flights.with(|fs| {
            places.with(|m| {
                flight::latest_per_client(fs)
                    .into_iter()
                    .filter_map(|f| match &f.outcome {
                        Outcome::Failed { error, at_leg } => {
                            let (x, y) = place_xy(m, &f.legs.get(*at_leg)?.to, &f.client)?;
                            Some(Marker { x, y, label: error_key(error) })
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    let select_pod = move |ns: String, name: String| selected.set(Some((ns, name)));
    let pod_view = move |(p, x, y, pod_w, form): (PodView, f64, f64, f64, NameForm)| {
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
        let hit_key = format!("{}/{}", p.namespace, p.name);
        let my_hits = Memo::new(move |_| hits.with(|h| h.get(&hit_key).copied().unwrap_or(0)));
        let has_hits = Memo::new(move |_| my_hits.get() > 0);
        let me = (ns.clone(), name.clone());
        let me2 = me.clone();
        let is_client = Memo::new(move |_| clients.with(|c| c.contains(&me)));
        let is_served = Memo::new(move |_| served.with(|s| s.contains(&me2)));
        // A terminating pod is never ✓: its endpoint is no longer ready, whatever the probe said.
        let mark = if p.ready && !p.terminating { "✓" } else { "✗" };
        let hit_key2 = format!("{}/{}", p.namespace, p.name);
        let hit_key3 = hit_key2.clone();
        let badges = Memo::new(move |_| client_hits.with(|h| h.get(&hit_key2).cloned().unwrap_or_default()));
        let my_probe = Memo::new(move |_| probes.with(|m| m.get(&hit_key3).cloned()));
        let ip_text = p.ip.clone().unwrap_or_else(|| "—".into());
        let label = {
            let p = p.clone();
            let visible = format!("{} {} {mark} {}", pod_label(&p.name, form), ip_text, p.status);
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
                let hits = my_hits.get();
                let mut out = format!("{visible}. {more}");
                if is_client.get() {
                    out.push(' ');
                    out.push_str(i18n::t(lang, "cluster.client.label"));
                }
                if hits > 0 {
                    out.push(' ');
                    out.push_str(&tf(lang, "cluster.hits.label", &[&hits.to_string()]));
                }
                out
            }
        };
        view! {
            <g class=cls class:selected=is_sel class:client=move || is_client.get() class:served=move || is_served.get()
                tabindex="0" role="button" aria-description=label
                data-testid=format!("pod-{}", p.name) data-ip=p.ip.clone().unwrap_or_default()
                on:click=move |_| select_pod(ns.clone(), name.clone())
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); select_pod(ns2.clone(), name2.clone()); }
                }>
                <rect x=x y=y width=pod_w height=POD_H rx="8" />
                <text x=x + 8.0 y=y + 18.0 class="pod-name">{pod_label(&p.name, form)}</text>
                <text x=x + 8.0 y=y + 36.0 class="pod-ip">{ip_text.clone()}</text>
                <text x=x + 8.0 y=y + 54.0 class="pod-status">
                    {format!("{mark} {}", p.status)}
                    {move || my_probe.get().filter(|pr| pr.ready).map(|pr| view! {
                        <tspan class="probe-count" data-testid="probe-count">{format!(" ✗{}/{}", pr.failures, pr.threshold)}</tspan>
                    })}
                </text>
                {move || is_client.get().then(|| view! {
                    <g class="client-tag" data-testid="client-tag">
                        <rect x=x + pod_w - 58.0 y=y + POD_H - 10.0 width="58" height="18" rx="9" />
                        <text x=x + pod_w - 29.0 y=y + POD_H + 3.5 text-anchor="middle">{i18n.tr("cluster.client")}</text>
                    </g>
                })}
                // One badge per client that this pod answered, in the client's colour, from the
                // right: the ClusterIP client's spread and the headless client's stickiness side by side.
                {move || has_hits.get().then(|| view! {
                    <g class="hits" data-testid="hits">
                        <title>{move || tf(i18n.lang(), "cluster.hits.label", &[&my_hits.get().to_string()])}</title>
                        {move || {
                            let list = badges.get();
                            let n = list.len();
                            list.into_iter().enumerate().map(|(i, (colour, hits))| {
                                let bx = x + pod_w - 44.0 * (n - i) as f64;
                                view! {
                                    <g class="hit-badge" style=("--c", format!("var(--client-{colour})"))>
                                        <rect x=bx y=y + POD_H - 10.0 width="42" height="18" rx="9" />
                                        <text x=bx + 21.0 y=y + POD_H + 3.5 text-anchor="middle">{format!("↩ {hits}")}</text>
                                    </g>
                                }
                            }).collect_view()
                        }}
                    </g>
                })}
            </g>
        }
    };

    view! {
        <section class="panel cluster" aria-labelledby="cluster-h" data-testid="panel-cluster">
            <div class="cluster-head">
                <h2 id="cluster-h">{i18n.tr("cluster.title")}</h2>
                <Workloads />
                // What to try first, folded into this row so the first screen keeps its room.
                {(!ui.embed).then(|| view! {
                    <details class="hint" data-testid="hint">
                        <summary>{i18n.tr("hint.summary")}</summary>
                        <p>{move || {
                            // The default scenario's hint predates the others' (and is linked to).
                            let key = if sim.scenario.id == svclab_core::scenario::SEED_001.id { "hint.first".to_string() } else { format!("hint.{}", sim.scenario.id) };
                            i18n::t(i18n.lang(), &key).to_string()
                        }}</p>
                    </details>
                })}
            </div>
            <div class="svg-wrap" node_ref=wrap_ref>
                <svg viewBox=move || { let l = lay.get(); format!("0 0 {} {}", l.width, l.height) } role="group"
                    aria-label=i18n.tr("cluster.svg") aria-describedby="cluster-traffic-desc" class="cluster-svg"
                    class:reduced-motion=move || reduced.get() class:narrow=move || lay.get().narrow>
                    // Links: one per endpoint, Service → pod.
                    <For each=move || {
                        let s = snapshot.get();
                        let l = lay.get();
                        let mut links = Vec::new();
                        for (i, sx, sy) in &l.services {
                            let Some(svc) = s.services.get(*i) else { continue };
                            for e in &svc.endpoints {
                                let target = l.pods.iter().find(|(p, _, _)| Some(&p.name) == e.pod.as_ref() && p.namespace == svc.namespace);
                                if let Some((_, px, py)) = target {
                                    let d = path_d(&link_route(&l, (*sx, *sy), (px + l.pod_w / 2.0, *py)));
                                    links.push((d, e.ready, PALETTE[i % PALETTE.len()], svc.name.clone()));
                                }
                            }
                        }
                        // Keys must be unique: a learner's own EndpointSlice for a Service can
                        // list a pod the controller's slice lists too (the same line, drawn once).
                        let mut seen = std::collections::BTreeSet::new();
                        links.retain(|l| seen.insert(link_key(l)));
                        links
                    } key=link_key
                      children=|(d, ready, c, svc)| view! {
                        <path class="link" class:notready=!ready d=d stroke=c data-svc=svc />
                    } />
                    {move || { let width = lay.get().width; let narrow = lay.get().narrow;
                        lay.get().lanes.into_iter().map(move |lane| {
                        let state = (!lane.ready).then(|| i18n.tr("node.notready"));
                        let state_at = if narrow { (14.0 + lane.label.chars().count() as f64 * 8.5 + 8.0, lane.y + 22.0) } else { (14.0, lane.y + 40.0) };
                        view! {
                            <g class="lane" class:down=!lane.ready data-testid=format!("lane-{}", lane.label)>
                                <rect x="4" y=lane.y width=width - 8.0 height=lane.height rx="10" />
                                <text x="14" y=lane.y + 22.0 class="lane-name">{lane.label.clone()}</text>
                                {state.map(|t| view! { <text x=state_at.0 y=state_at.1 class="lane-state">{t}</text> })}
                                {lane.worker.clone().map(|name| view! { <NodeButton name=name ready=lane.ready at=lane.button /> })}
                            </g>
                        }
                    }).collect_view() }}
                    {move || {
                        let (x, y) = lay.get().coredns;
                        let w = lay.get().svc_w;
                        let d = coredns.get();
                        view! {
                            <g class="svc coredns" data-testid="coredns">
                                <rect x=x y=y width=w height=SVC_H rx="8" />
                                <text x=x + 8.0 y=y + 22.0 class="svc-name">"CoreDNS"</text>
                                <text x=x + w - 8.0 y=y + 22.0 class="coredns-ready" text-anchor="end"
                                    data-testid="coredns-ready">
                                    {move || tf(i18n.lang(), "cluster.coredns.ready", &[&d.ready.to_string(), &d.pods.to_string()])}
                                </text>
                                <text x=x + 8.0 y=y + 44.0 class="svc-ip">{format!("kube-dns {}", d.cluster_ip)}</text>
                            </g>
                        }
                    }}
                    {move || {
                        let s = snapshot.get();
                        let l = lay.get();
                        let w = l.svc_w;
                        l.services.into_iter().filter_map(|(i, x, y)| {
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
                                    <rect x=x y=y width=w height=SVC_H rx="8" stroke=PALETTE[i % PALETTE.len()] />
                                    <text x=x + 8.0 y=y + 22.0 class="svc-name">{svc.name.clone()}</text>
                                    <text x=x + 8.0 y=y + 44.0 class="svc-ip">{ip}</text>
                                </g>
                            })
                        }).collect_view()
                    }}
                    <For each=move || { let l = lay.get(); l.pods.into_iter().map(move |(p, x, y)| (p, x, y, l.pod_w, l.names)).collect::<Vec<_>>() }
                        key=|(p, x, y, w, f)| format!("{}|{w}|{f:?}", pod_key(p, *x, *y)) children=pod_view />
                </svg>
                // Dots are HTML elements on top, each its own compositor layer moved by a CSS
                // transform: a frame that moves dots changes only transforms, which the browser
                // applies without repainting or re-layering the 200 pods under them. They take
                // no clicks (the pods under them stay clickable).
                <div class="traffic-layer" aria-hidden="true">
                    <For each=move || dot_ids.get() key=|id| *id let:id>
                        {
                            let me = Memo::new(move |_| dots.with(|d| d.iter().find(|d| d.id == id).cloned()));
                            // Through the CSSOM (never a style="…" attribute, which the strict
                            // Content-Security-Policy blocks).
                            let transform = move || {
                                let k = scale.get();
                                me.with(|d| d.as_ref().map(|d| format!("translate({:.1}px, {:.1}px)", d.x * k, d.y * k)))
                            };
                            let colour = move || me.with(|d| d.as_ref().map(|d| format!("var(--client-{})", d.colour)));
                            let label = Memo::new(move |_| me.with(|d| d.as_ref().and_then(|d| d.label)));
                            view! {
                                <div class=move || me.with(|d| d.as_ref().map(|d| d.class).unwrap_or("dot")) data-testid="dot" style:transform=transform style=("--c", colour)>
                                    <span class="dot-circle"></span>
                                    {move || label.get().map(|key| view! {
                                        <span class="dot-label" data-testid="dot-label">{move || i18n::t(i18n.lang(), key).to_string()}</span>
                                    })}
                                </div>
                            }
                        }
                    </For>
                </div>
                // Reduced motion: static marks, changed at most once per tick.
                <svg class="marker-layer" aria-hidden="true"
                    viewBox=move || { let l = lay.get(); format!("0 0 {} {}", l.width, l.height) }>
                    {move || markers.get().into_iter().map(|m| view! {
                        <g class="marker" data-testid="fail-marker">
                            <circle cx=m.x cy=m.y r="11" />
                            <text class="marker-x" x=m.x y=m.y + 4.5 text-anchor="middle">"✕"</text>
                            <text class="dot-label" x=m.x + 15.0 y=m.y + 4.5>{move || i18n::t(i18n.lang(), m.label).to_string()}</text>
                        </g>
                    }).collect_view()}
                </svg>
            </div>
            <PodActions selected=selected probes=probes />
            {move || stopped.get().into_iter().map(|node| {
                let lang = i18n.lang();
                let left = node.evict_in_ms;
                let eviction = if left > 0 { wait_text(lang, left, clock.speed.get()) } else { i18n::t(lang, "node.evicted").to_string() };
                view! { <p class="lab-note" data-testid="node-note">{tf(lang, "node.stopped_note", &[&node.name, &eviction])}</p> }
            }).collect_view()}
            <p class="dots-legend" data-testid="dots-legend">
                <span class="legend-title">{i18n.tr("dots.legend")}</span>
                {move || if reduced.get() {
                    view! { <span>{i18n.tr("dots.legend.reduced")}</span> }.into_any()
                } else {
                    view! {
                        <span><span class="swatch dns" aria-hidden="true"></span>{i18n.tr("dots.legend.dns")}</span>
                        <span><span class="swatch request" aria-hidden="true"></span>{i18n.tr("dots.legend.request")}</span>
                        <span><span class="swatch response" aria-hidden="true"></span>{i18n.tr("dots.legend.response")}</span>
                        <span><span class="swatch failed" aria-hidden="true"></span>{i18n.tr("dots.legend.failed")}</span>
                    }.into_any()
                }}
                // Each client's colour: its dots, its hit badges ("↩ n") and its card in the traffic tab.
                {move || {
                    let mut list = all_clients.get();
                    list.sort_by_key(|c| c.id);
                    let colours = client_colours(&list);
                    list.into_iter().map(|c| {
                        let colour = colours.get(&(c.spec.namespace.clone(), c.spec.pod.clone(), c.spec.target.clone())).copied().unwrap_or(0);
                        view! {
                            <span class="legend-client" data-testid="legend-client" style=("--c", format!("var(--client-{colour})"))>
                                <span class="badge-swatch" aria-hidden="true">"↩ n"</span>
                                <span class="mono">{format!("{}:{}", c.spec.target, c.spec.port)}</span>
                            </span>
                        }
                    }).collect_view()
                }}
                <span class="muted">{i18n.tr("dots.legend.hits")}</span>
            </p>

            <crate::panels::glossary::Terms ids=&["control-plane", "coredns", "kube-dns", "endpointslice", "clusterip", "headless", "readiness"] />
            <p class="visually-hidden" aria-live="polite" data-testid="cluster-description">{move || description.get()}</p>
            <p class="visually-hidden" id="cluster-traffic-desc" data-testid="cluster-traffic-description">
                {move || traffic_description.get()}
            </p>
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
    // A count outside 0..=MAX_REPLICAS is set to the nearest limit, and the learner is told.
    let limited = RwSignal::new(None::<(String, i32, i32)>);
    let scale = move |kind: Kind, ns: String, name: String, n: i32| {
        let clamped = n.clamp(0, MAX_REPLICAS);
        limited.set((clamped != n).then(|| (name.clone(), n, clamped)));
        sim.set_replicas(kind, &ns, &name, clamped);
        ui.say(tf(i18n.lang(), "announce.scaled", &[&name, &clamped.to_string()]));
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
                            {let mine = name.clone(); move || limited.get().filter(|(n, _, _)| *n == mine).map(|(_, asked, set)| view! {
                                <span class="replicas-limit" role="alert" data-testid="replicas-limit">
                                    {move || tf(i18n.lang(), "replicas.limit", &[&asked.to_string(), &MAX_REPLICAS.to_string(), &set.to_string()])}
                                </span>
                            })}
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// A worker node's stop/start button, drawn on its lane (the control plane stays up).
#[component]
fn NodeButton(name: String, ready: bool, at: (f64, f64)) -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let key = if ready { "node.stop" } else { "node.start" };
    let said = if ready { "announce.node_stopped" } else { "announce.node_started" };
    let (x, y) = at;
    let act = {
        let name = name.clone();
        move || {
            sim.set_node_running(&name, !ready);
            ui.say(tf(i18n.lang(), said, &[&name]));
        }
    };
    let act2 = act.clone();
    let label = name.clone();
    view! {
        <g class="node-btn" class:start=!ready tabindex="0" role="button" data-testid=if ready { "node-stop" } else { "node-start" }
            aria-label=move || format!("{} {}", i18n::t(i18n.lang(), key), label)
            on:click=move |_| act()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); act2(); }
            }>
            <rect x=x y=y width=NODE_BTN_W height=NODE_BTN_H rx="6" />
            <text x=x + NODE_BTN_W / 2.0 y=y + 17.5 text-anchor="middle">{i18n.tr(key)}</text>
        </g>
    }
}

/// Simulated ms as the learner waits for them: at the clock's speed, in the UI language.
fn wait_text(lang: Lang, sim_ms: u64, speed: f64) -> String {
    let real = (sim_ms as f64 / speed.max(0.1)).round() as u64;
    tf(lang, "wait.at_speed", &[&i18n::secs(lang, sim_ms), &i18n::secs(lang, real), &format!("{speed}")])
}

/// What can be done to the chosen pod, and how its readiness probe is doing. Opening it moves
/// the focus to its first button; Esc closes it and gives the focus back to the pod.
#[component]
fn PodActions(
    selected: RwSignal<Option<(String, String)>>,
    probes: Memo<BTreeMap<String, ProbeView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let clock = expect_context::<Clock>();
    let snapshot = expect_context::<Memo<Snapshot>>();
    let pod = Memo::new(move |_| {
        let (ns, name) = selected.get()?;
        snapshot.get().pods.into_iter().find(|p| p.namespace == ns && p.name == name)
    });
    let progress = Memo::new(move |_| {
        let (ns, name) = selected.get()?;
        probes.with(|p| p.get(&format!("{ns}/{name}")).cloned())
    });
    // Focus the menu when a pod is chosen (not on every re-render).
    Effect::new(move |prev: Option<Option<(String, String)>>| {
        let now = selected.get();
        if now.is_some() && prev.as_ref() != Some(&now) {
            set_timeout(
                || {
                    if let Some(el) = document().query_selector("[data-testid=\"pod-actions\"] button").ok().flatten() {
                        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    }
                },
                std::time::Duration::from_millis(0),
            );
        }
        now
    });
    let close = move || {
        if let Some((_, name)) = selected.get_untracked() {
            selected.set(None);
            // The pod is an SVG element (not an HtmlElement): call its focus() through JS.
            if let Some(el) = document().query_selector(&format!("[data-testid=\"pod-{name}\"]")).ok().flatten() {
                if let Ok(focus) = js_sys::Reflect::get(&el, &JsValue::from_str("focus")) {
                    if let Ok(focus) = focus.dyn_into::<js_sys::Function>() {
                        let _ = focus.call0(&el);
                    }
                }
            }
        }
    };
    move || {
        pod.get().map(|p| {
            let (ns, name) = (p.namespace.clone(), p.name.clone());
            let (ns2, name2, ns3, name3) = (ns.clone(), name.clone(), ns.clone(), name.clone());
            let failed = p.readiness_failed;
            view! {
                <div class="pod-actions" role="group" aria-label=move || tf(i18n.lang(), "pod.actions", &[&p.name]) data-testid="pod-actions"
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { ev.prevent_default(); close(); }>
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
                    <button type="button" data-testid="pod-close" on:click=move |_| close()>{i18n.tr("pod.close")}</button>
                    <span class="muted">{i18n.tr("pod.esc")}</span>
                    {move || progress.get().map(|pr| {
                        let lang = i18n.lang();
                        let text = if pr.ready {
                            tf(lang, "probe.failing", &[&pr.failures.to_string(), &pr.threshold.to_string(), &wait_text(lang, pr.not_ready_in_ms(), clock.speed.get())])
                        } else {
                            tf(lang, "probe.notready", &[&pr.failures.to_string(), &pr.threshold.to_string()])
                        };
                        view! { <p class="probe-progress" data-testid="probe-progress" aria-live="polite">{text}</p> }
                    })}
                </div>
            }
        })
    }
}
