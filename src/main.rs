fn main() {
    svclab_web::crash::install();
    leptos::mount::mount_to_body(svclab_web::App);
}
