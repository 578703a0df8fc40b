use clap::Parser;

// Rendering allocates many small strings on every thread; glibc's malloc
// spends a sixth of the build contending for its arenas.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = sitegen::cli::Cli::parse();
    if let Err(e) = sitegen::cli::run(cli) {
        // Every error's message already carries its cause and location.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
