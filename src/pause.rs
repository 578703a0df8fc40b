//! Pause points for tests, in debug builds only: with
//! `SITEGEN_PAUSE_AT=<name>`, a build that reaches the point named says so
//! on stderr (`sitegen: paused at <name>`) and waits, so a test can kill it
//! at exactly that moment. `SITEGEN_NO_EXCHANGE=1` makes the swap take the
//! two-rename path that filesystems without an atomic exchange need.
//! Release builds read neither variable.

/// Waits here (up to a minute) if a test asked to.
pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("SITEGEN_PAUSE_AT").is_ok_and(|v| v == name) {
        eprintln!("sitegen: paused at {name}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
    let _ = name;
}

/// Whether a test asked for the swap without an atomic exchange.
pub fn no_exchange() -> bool {
    cfg!(debug_assertions) && std::env::var_os("SITEGEN_NO_EXCHANGE").is_some()
}
