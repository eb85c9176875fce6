//! Component tests of `svclab-web` in headless Chromium (wasm-bindgen-test).
//!
//! Run with `./lab test`, or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
//!  cargo test -p svclab-web --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
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
