use clap::Parser;

// Rendering allocates many small strings on every thread; glibc's malloc
// spends a sixth of the build contending for its arenas.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (include/mimalloc.h, v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    let cli = sitegen::cli::Cli::parse();
    if matches!(cli.command, sitegen::cli::Command::Watch(_)) {
        // A watch session rebuilds in the same memory again and again. Given
        // back to the OS after each save, it costs a page fault per 4 KiB the
        // next time, which in a VM is most of a small rebuild's time.
        // SAFETY: sets a process-wide option before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    if let Err(e) = sitegen::cli::run(cli) {
        // Every error's message already carries its cause and location.
        eprintln!("{}", sitegen::cli::errors::render(&e));
        std::process::exit(1);
    }
}
