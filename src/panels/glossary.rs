//! The glossary: every Kubernetes term the page shows has a short definition in both
//! languages, with its kubernetes.io/zh-cn term, shown on hover and on keyboard focus.
//!
//! Invariants: a [`Term`] is a button (in the Tab order) described by its definition
//! (`aria-describedby`), so a screen reader reads the definition with the term; Esc hides an
//! open definition (WCAG 1.4.13). Every id in [`TERMS`] has `gl.<id>` (the definition) in both
//! locale files; the term's own spelling is the same in both languages (it is what kubectl
//! prints), the definition names the zh-cn term.

use crate::i18n::{self, use_i18n};
use leptos::prelude::*;

/// (id, the term as the page prints it).
pub const TERMS: [(&str, &str); 14] = [
    ("control-plane", "kind-control-plane"),
    ("kube-dns", "kube-dns"),
    ("coredns", "CoreDNS"),
    ("endpointslice", "EndpointSlice"),
    ("clusterip", "ClusterIP"),
    ("headless", "headless"),
    ("readiness", "readiness probe"),
    ("ttl", "TTL"),
    ("rcode", "rcode"),
    ("nxdomain", "NXDOMAIN"),
    ("kube-svc", "KUBE-SVC / KUBE-SEP"),
    ("iptables", "iptables"),
    ("ipvs", "ipvs"),
    ("nftables", "nftables"),
];

/// The term `id` with its definition on hover and focus. `text` is what is shown (defaults to
/// the term as listed in [`TERMS`]).
#[component]
pub fn Term(id: &'static str, #[prop(optional, into)] text: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let shown =
        text.unwrap_or_else(|| TERMS.iter().find(|(i, _)| *i == id).map(|(_, t)| t.to_string()).unwrap_or_default());
    let hidden = RwSignal::new(false);
    // Several instances of one term on a page: each needs its own id for aria-describedby.
    let uid = format!("gl-{id}-{}", next_uid());
    view! {
        <span class="term-wrap" class:dismissed=move || hidden.get()
            on:mouseleave=move |_| hidden.set(false) on:focusout=move |_| hidden.set(false)>
            <button type="button" class="term" data-testid=format!("term-{id}") aria-describedby=uid.clone()
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { hidden.set(true); }>
                {shown}
            </button>
            <span class="term-tip" role="tooltip" id=uid data-testid=format!("tip-{id}")>
                {move || i18n::t(i18n.lang(), &format!("gl.{id}")).to_string()}
            </span>
        </span>
    }
}

fn next_uid() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A row of terms (those a panel's drawing shows, where a drawing cannot carry a tooltip).
#[component]
pub fn Terms(ids: &'static [&'static str]) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="terms" data-testid="terms">
            <span class="terms-title">{i18n.tr("gl.title")}</span>
            {ids.iter().map(|id| view! { <Term id=id /> }).collect_view()}
        </p>
    }
}
