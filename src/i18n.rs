//! Every sentence the user reads, in en and zh-CN, from `locales/*.txt` files of `key = text`
//! lines compiled into the binary. The language is a signal ([`I18n`], provided by context),
//! so switching needs no reload. Core diagnostics are translated by their `code` through
//! `diag.<code>` keys (`locales/diagnostics.*.txt`), interpolating `{0}`, `{1}`, ... from
//! their `args`; a code without a translation falls back to the core's English message.

use leptos::prelude::*;
use svclab_core::diag::Diagnostic;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

pub const EN: &str = include_str!("../locales/en.txt");
pub const ZH: &str = include_str!("../locales/zh-CN.txt");
pub const DIAG_EN: &str = include_str!("../locales/diagnostics.en.txt");
pub const DIAG_ZH: &str = include_str!("../locales/diagnostics.zh-CN.txt");

impl Lang {
    /// `?lang=zh|en` first, then the browser's language.
    pub fn from_browser(query: Option<&str>) -> Lang {
        if let Some(l) = query {
            return Lang::parse(l);
        }
        let nav = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        Lang::parse(&nav)
    }
    pub fn parse(s: &str) -> Lang {
        if s.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
    /// The BCP 47 tag for `<html lang>` and the `?lang=` parameter.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// Look a key up; a missing key shows itself, so gaps are visible (and tested).
pub fn t(lang: Lang, key: &str) -> &str {
    let (table, diags) = match lang {
        Lang::En => (EN, DIAG_EN),
        Lang::Zh => (ZH, DIAG_ZH),
    };
    lookup(table, key)
        .or_else(|| lookup(diags, key))
        .or_else(|| lookup(EN, key))
        .or_else(|| lookup(DIAG_EN, key))
        .unwrap_or(key)
}

/// `t` with `{0}`, `{1}`, ... replaced by `args`.
pub fn tf(lang: Lang, key: &str, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

/// Seconds in the UI language's unit ("1.5 s", "1.5 秒"), one decimal.
pub fn secs(lang: Lang, ms: u64) -> String {
    tf(lang, "unit.secs", &[&format!("{:.1}", ms as f64 / 1000.0)])
}

/// Whole seconds in the UI language's unit ("30 s", "30 秒").
pub fn whole_secs(lang: Lang, s: u64) -> String {
    tf(lang, "unit.secs", &[&s.to_string()])
}

fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

/// A core diagnostic in the UI language: `diag.<code>` with its args, or the English message
/// when the code has no translation (or the arguments do not fill the template).
pub fn diagnostic(lang: Lang, d: &Diagnostic) -> String {
    if lang == Lang::En {
        return d.message.clone();
    }
    let key = format!("diag.{}", d.code);
    match lookup(DIAG_ZH, &key) {
        Some(template) => {
            let args: Vec<&str> = d.args.iter().map(String::as_str).collect();
            let text = fill(template, &args);
            if text.contains("{0}") {
                d.message.clone()
            } else {
                text
            }
        }
        None => d.message.clone(),
    }
}

pub fn lookup<'a>(table: &'a str, key: &str) -> Option<&'a str> {
    table.lines().find_map(|l| {
        let (k, v) = l.split_once(" = ")?;
        (!k.starts_with('#') && k.trim() == key).then_some(v.trim())
    })
}

/// The keys a table defines, in file order.
pub fn keys(table: &str) -> Vec<&str> {
    table.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).collect()
}

/// The UI language, provided by context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }
    /// A reactive text for `key`.
    pub fn tr(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || t(self.0.get(), key).to_string()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
