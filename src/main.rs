use clap::Parser;

fn main() {
    let cli = sitegen::cli::Cli::parse();
    if let Err(e) = sitegen::cli::run(cli) {
        // Every error's message already carries its cause and location.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
