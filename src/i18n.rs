//! Every sentence the user reads, in en and zh-CN, from `locales/*.ftl`-style files of
//! `key = text` lines compiled into the binary.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

const EN: &str = include_str!("../locales/en.txt");
const ZH: &str = include_str!("../locales/zh-CN.txt");

impl Lang {
    /// `?lang=zh|en` first, then the browser's language.
    pub fn from_browser() -> Lang {
        let w = web_sys::window();
        let search = w.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
        if let Some(l) = search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("lang=")) {
            return Lang::parse(l);
        }
        let nav = w.and_then(|w| w.navigator().language()).unwrap_or_default();
        Lang::parse(&nav)
    }
    pub fn parse(s: &str) -> Lang {
        if s.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// Look a key up; a missing key shows itself, so gaps are visible (and tested).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let table = match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    };
    lookup(table, key).or_else(|| lookup(EN, key)).unwrap_or(key)
}

pub fn lookup(table: &'static str, key: &str) -> Option<&'static str> {
    table.lines().find_map(|l| {
        let (k, v) = l.split_once(" = ")?;
        (k.trim() == key).then_some(v.trim())
    })
}
