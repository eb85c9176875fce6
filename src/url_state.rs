//! What a link carries: scenario, seed, language, theme, the applied manifests (deflate-raw +
//! base64url, packed by the browser's CompressionStream in `web.js`), the action journal
//! (packed the same way: every button, terminal line and apply since the start), the lesson
//! and step (`lesson=ID&step=N`) and a teacher's own lesson (`lessontext=`, the lesson file
//! packed the same way, written by `svclab lesson link`), embed options, and the traffic clients and kube-proxy mode when they differ from the defaults
//! ([`TrafficUrl`]; a link with a journal restores them from the journal).
//! Parsing never fails: unknown or malformed values are ignored and reported as a problem,
//! so a hostile link shows a message and the default scenario, never a panic.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = packState)]
    async fn pack_state_js(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = unpackState)]
    async fn unpack_state_js(code: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = copyText)]
    pub async fn copy_text(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = reportHeight)]
    pub fn report_height();
    #[wasm_bindgen(js_name = reducedMotion)]
    pub fn reduced_motion() -> bool;
    #[wasm_bindgen(js_name = systemDark)]
    pub fn system_dark() -> bool;
}

/// Compress manifests for the `m=` parameter.
pub async fn pack(text: &str) -> Option<String> {
    pack_state_js(text).await.ok().and_then(|v| v.as_string())
}

/// Expand an `m=` parameter; `None` for anything this app did not write.
pub async fn unpack(code: &str) -> Option<String> {
    if code.len() > 400_000 {
        return None;
    }
    unpack_state_js(code).await.ok().and_then(|v| v.as_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The panels of the app, in layout order; `?panels=dns,terminal` picks some in embed mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Editor,
    Cluster,
    Traffic,
    Analogies,
    Dns,
    Terminal,
}

impl Panel {
    pub const ALL: [Panel; 6] =
        [Panel::Cluster, Panel::Traffic, Panel::Dns, Panel::Analogies, Panel::Terminal, Panel::Editor];
    pub fn id(self) -> &'static str {
        match self {
            Panel::Editor => "editor",
            Panel::Cluster => "cluster",
            Panel::Traffic => "traffic",
            Panel::Analogies => "analogies",
            Panel::Dns => "dns",
            Panel::Terminal => "terminal",
        }
    }
    pub fn parse(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.id() == s)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    pub scenario: Option<String>,
    pub seed: Option<u64>,
    pub lang: Option<String>,
    pub theme: Option<Theme>,
    /// Packed manifests (`m=`), still compressed.
    pub manifests: Option<String>,
    /// The packed action journal (`j=`): every action since the start, replayed on load.
    pub journal: Option<String>,
    pub embed: bool,
    /// `offline=1`: an embedding host allows the offline service worker (off in embeds otherwise).
    pub offline: bool,
    pub panels: Option<Vec<Panel>>,
    /// `lesson=ID`: the lesson open (a curriculum id, or the id of the `lessontext=` lesson).
    pub lesson: Option<String>,
    /// `step=N`, 1-based.
    pub step: Option<usize>,
    /// `lessontext=`: a teacher's lesson file, packed like the manifests (still compressed).
    pub lesson_text: Option<String>,
    /// Parameters that were present but not understood (shown to the learner).
    pub problems: Vec<String>,
}

fn decode_component(v: &str) -> String {
    // Only what this app writes or a person types: `%2C` (comma) and `+`-free values.
    v.replace("%2C", ",").replace("%2c", ",").replace("%2D", "-")
}

impl UrlState {
    pub fn parse(search: &str) -> UrlState {
        let mut st = UrlState::default();
        for kv in search.trim_start_matches('?').split('&').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let v = decode_component(v);
            match k {
                "scenario" => match svclab_core::scenario::by_id(&v) {
                    Some(_) => st.scenario = Some(v),
                    None => st.problems.push(format!("scenario={v}")),
                },
                "seed" => match v.parse::<u64>() {
                    Ok(n) => st.seed = Some(n),
                    Err(_) => st.problems.push(format!("seed={v}")),
                },
                "lang" => st.lang = Some(v),
                "theme" => match v.as_str() {
                    "light" => st.theme = Some(Theme::Light),
                    "dark" => st.theme = Some(Theme::Dark),
                    _ => st.problems.push(format!("theme={v}")),
                },
                "m" => st.manifests = Some(v),
                "j" => st.journal = Some(v),
                "embed" => st.embed = v == "1" || v == "true",
                "offline" => st.offline = v == "1" || v == "true",
                "lesson" => {
                    let ok = !v.is_empty()
                        && v.len() <= 63
                        && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if ok {
                        st.lesson = Some(v);
                    } else {
                        st.problems.push(format!("lesson={}", v.chars().take(40).collect::<String>()));
                    }
                }
                "step" => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => st.step = Some(n),
                    _ => st.problems.push(format!("step={}", v.chars().take(20).collect::<String>())),
                },
                "lessontext" => st.lesson_text = Some(v),
                "panels" => {
                    let list: Vec<Panel> = v.split(',').filter_map(Panel::parse).collect();
                    if !list.is_empty() {
                        st.panels = Some(list);
                    }
                }
                _ => {}
            }
        }
        st
    }

    /// The query string (with `?`) that reproduces this state.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.scenario {
            parts.push(format!("scenario={s}"));
        }
        if let Some(s) = self.seed {
            parts.push(format!("seed={s}"));
        }
        if let Some(l) = &self.lang {
            parts.push(format!("lang={l}"));
        }
        if let Some(t) = self.theme {
            parts.push(format!("theme={}", t.as_str()));
        }
        if self.embed {
            parts.push("embed=1".into());
        }
        if let Some(p) = &self.panels {
            parts.push(format!("panels={}", p.iter().map(|p| p.id()).collect::<Vec<_>>().join(",")));
        }
        if let Some(l) = &self.lesson {
            parts.push(format!("lesson={l}"));
        }
        if let Some(n) = self.step {
            parts.push(format!("step={n}"));
        }
        if let Some(m) = &self.manifests {
            parts.push(format!("m={m}"));
        }
        if let Some(j) = &self.journal {
            parts.push(format!("j={j}"));
        }
        if let Some(t) = &self.lesson_text {
            parts.push(format!("lessontext={t}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// The page's current `location.search`.
pub fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Replace the address bar's query with exactly `query`, without a reload or a history entry.
pub fn replace_query_exact(query: &str) {
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{query}")));
    }
}

/// The full address for `query`.
pub fn link_for(query: &str) -> String {
    let Some(w) = web_sys::window() else { return query.to_string() };
    let l = w.location();
    format!("{}{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default(), query)
}

// -------------------------------------------------------------------------------------------
// Traffic: the client programs and kube-proxy's mode.

use svclab_core::cluster::config::ProxyMode;
use svclab_core::traffic::{ClientSpec, ConnectionMode, DnsCaching, Strategy};

/// The traffic part of a link: `clients=` (each client `target~port~conn~strategy~dns~ms`,
/// plus `~ns/pod` when it does not run in the scenario's client pod; clients separated by
/// commas) and `proxy=` (kube-proxy's mode). Written only when they differ from the
/// scenario's defaults; a malformed value is reported and the default kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrafficUrl {
    pub clients: Option<Vec<ClientSpec>>,
    pub proxy: Option<ProxyMode>,
    pub problems: Vec<String>,
}

/// At most this many clients come from a link (the lab runs at most [`crate::sim::MAX_CLIENTS`]).
const MAX_URL_CLIENTS: usize = crate::sim::MAX_CLIENTS;

pub(crate) fn conn_code(m: ConnectionMode) -> &'static str {
    match m {
        ConnectionMode::PerRequest => "new",
        ConnectionMode::KeepAlive => "keep",
    }
}

pub(crate) fn strategy_code(s: Strategy) -> &'static str {
    match s {
        Strategy::PickFirst => "first",
        Strategy::Random => "random",
        Strategy::RoundRobin => "rr",
        Strategy::All => "all",
        Strategy::LowestLatency => "fastest",
    }
}

pub(crate) fn dns_code(d: DnsCaching) -> &'static str {
    match d {
        DnsCaching::NoCache => "off",
        DnsCaching::HonorTtl => "ttl",
        DnsCaching::IgnoreTtl => "forever",
    }
}

/// One client as a link writes it; `client` is the scenario's client pod (`ns`, `pod`).
pub fn encode_client(spec: &ClientSpec, client: (&str, &str)) -> String {
    let mut out = format!(
        "{}~{}~{}~{}~{}~{}",
        spec.target,
        spec.port,
        conn_code(spec.connection),
        strategy_code(spec.strategy),
        dns_code(spec.dns),
        spec.interval_ms
    );
    if (spec.namespace.as_str(), spec.pod.as_str()) != client {
        out.push_str(&format!("~{}/{}", spec.namespace, spec.pod));
    }
    out
}

/// The inverse of [`encode_client`]; `None` for anything malformed.
pub fn decode_client(s: &str, client: (&str, &str)) -> Option<ClientSpec> {
    let f: Vec<&str> = s.split('~').collect();
    if !(6..=7).contains(&f.len()) {
        return None;
    }
    let target = crate::input::dns_name_or_ip(f.first()?)?;
    let port = crate::input::valid_port(f.get(1)?)?;
    let connection = match *f.get(2)? {
        "new" => ConnectionMode::PerRequest,
        "keep" => ConnectionMode::KeepAlive,
        _ => return None,
    };
    let strategy = match *f.get(3)? {
        "first" => Strategy::PickFirst,
        "random" => Strategy::Random,
        "rr" => Strategy::RoundRobin,
        "all" => Strategy::All,
        "fastest" => Strategy::LowestLatency,
        _ => return None,
    };
    let dns = match *f.get(4)? {
        "off" => DnsCaching::NoCache,
        "ttl" => DnsCaching::HonorTtl,
        "forever" => DnsCaching::IgnoreTtl,
        _ => return None,
    };
    let interval_ms = f.get(5)?.parse::<u64>().ok().filter(|ms| (100..=60_000).contains(ms))?;
    let (namespace, pod) = match f.get(6) {
        Some(src) => {
            let (ns, pod) = src.split_once('/')?;
            let dns_label = |v: &str| {
                !v.is_empty()
                    && v.len() <= 253
                    && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            };
            if !dns_label(ns) || !dns_label(pod) {
                return None;
            }
            (ns.to_string(), pod.to_string())
        }
        None => (client.0.to_string(), client.1.to_string()),
    };
    Some(ClientSpec { namespace, pod, target, port, interval_ms, connection, strategy, dns })
}

impl TrafficUrl {
    pub fn parse(search: &str, client: (&str, &str)) -> TrafficUrl {
        let mut st = TrafficUrl::default();
        for kv in search.trim_start_matches('?').split('&').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let v = decode_component(v);
            match k {
                "clients" => {
                    let parts: Vec<&str> = v.split(',').filter(|p| !p.is_empty()).collect();
                    let specs: Option<Vec<ClientSpec>> = parts.iter().map(|p| decode_client(p, client)).collect();
                    match specs {
                        Some(list) if list.len() <= MAX_URL_CLIENTS => st.clients = Some(list),
                        _ => st.problems.push("clients".into()),
                    }
                }
                "proxy" => match v.as_str() {
                    "iptables" | "ipvs" | "nftables" => st.proxy = ProxyMode::parse(&v),
                    _ => st.problems.push(format!("proxy={}", v.chars().take(20).collect::<String>())),
                },
                _ => {}
            }
        }
        st
    }

    /// The link's traffic part for the current clients and mode: only what differs from the
    /// defaults.
    pub fn from_state(
        clients: &[ClientSpec],
        defaults: &[ClientSpec],
        mode: ProxyMode,
        default_mode: ProxyMode,
    ) -> TrafficUrl {
        TrafficUrl {
            clients: (clients != defaults).then(|| clients.to_vec()),
            proxy: (mode != default_mode).then_some(mode),
            problems: Vec::new(),
        }
    }

    /// `clients=...&proxy=...` (no leading `?` or `&`), empty when at the defaults.
    pub fn to_query_part(&self, client: (&str, &str)) -> String {
        let mut parts = Vec::new();
        if let Some(list) = &self.clients {
            let enc: Vec<String> = list.iter().map(|c| encode_client(c, client)).collect();
            parts.push(format!("clients={}", enc.join(",")));
        }
        if let Some(m) = self.proxy {
            parts.push(format!("proxy={}", m.as_str()));
        }
        parts.join("&")
    }
}
