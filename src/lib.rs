//! Service Lab, the browser app. One [`sim::SimController`] owns the simulation; panels read
//! its snapshot and send it commands. Every sentence comes from `locales/`.

pub mod i18n;
pub mod sim;

use leptos::prelude::*;
use sim::SimController;

/// The root component: the first visit's contrast, one ClusterIP against five pod IPs.
#[component]
pub fn App() -> impl IntoView {
    let sim = SimController::new(sim::seed_from_url());
    provide_context(sim);
    let lang = i18n::Lang::from_browser();
    let t = move |key: &'static str| i18n::t(lang, key);
    view! {
        <main data-testid="app" class="app">
            <header class="app-header">
                <h1>{t("app.title")}</h1>
                <p class="tagline">{t("app.tagline")}</p>
            </header>
            <section class="answers" aria-label=t("answers.label")>
                <Answer name="normal-service" heading=t("answers.clusterip") />
                <Answer name="headless-service" heading=t("answers.headless") />
            </section>
        </main>
    }
}

/// The live `nslookup` answer for one pinned name, as the client pod sees it.
#[component]
fn Answer(name: &'static str, heading: &'static str) -> impl IntoView {
    let sim = expect_context::<SimController>();
    let text = Memo::new(move |_| sim.nslookup(name));
    view! {
        <article class="answer">
            <h2>{heading}</h2>
            <pre class="terminal" data-testid=format!("answer-{name}") role="status">{move || text.get()}</pre>
        </article>
    }
}
