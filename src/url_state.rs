//! What a link carries: scenario, seed, language, theme, the applied manifests (deflate-raw +
//! base64url, packed by the browser's CompressionStream in `web.js`), and embed options.
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
    Analogies,
    Dns,
    Terminal,
}

impl Panel {
    pub const ALL: [Panel; 5] = [Panel::Cluster, Panel::Dns, Panel::Analogies, Panel::Terminal, Panel::Editor];
    pub fn id(self) -> &'static str {
        match self {
            Panel::Editor => "editor",
            Panel::Cluster => "cluster",
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
    pub embed: bool,
    pub panels: Option<Vec<Panel>>,
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
                "embed" => st.embed = v == "1" || v == "true",
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
        if let Some(m) = &self.manifests {
            parts.push(format!("m={m}"));
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

/// Replace the address bar's query without a reload or a history entry.
pub fn replace_query(query: &str) {
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
