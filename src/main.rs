//! The kith binary: parse the command line, then run the app or a subcommand.

use clap::Parser;
use kith::cli::{Cli, CliCommand};

/// mimalloc: faster than the system allocator for loading (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let dir = kith::cli::data_dir(&cli)?;
    match cli.command {
        Some(CliCommand::Check) => {
            let code = kith::cli::check(&dir, &mut std::io::stdout())?;
            std::process::exit(code);
        }
        Some(CliCommand::Import {
            file,
            on_match,
            dry_run,
        }) => {
            let code = kith::cli::import(&dir, &file, on_match, dry_run, &mut std::io::stdout())?;
            std::process::exit(code);
        }
        Some(CliCommand::StressSave) => {
            let code = kith::cli::stress_save(&dir)?;
            std::process::exit(code);
        }
        Some(CliCommand::Export {
            format,
            out,
            tag,
            stage,
        }) => {
            let code = kith::cli::export(
                &dir,
                format,
                out.as_deref(),
                tag.as_deref(),
                stage.as_deref(),
                &mut std::io::stdout(),
            )?;
            std::process::exit(code);
        }
        None => {
            let options = eframe::NativeOptions {
                viewport: egui::ViewportBuilder::default()
                    .with_title("kith")
                    .with_inner_size([1200.0, 800.0])
                    .with_min_inner_size([700.0, 450.0]),
                ..Default::default()
            };
            let cache_dir = kith::cli::cache_dir(cli.no_cache, &dir)?;
            eframe::run_native(
                "kith",
                options,
                Box::new(move |_cc| {
                    Ok(Box::new(kith::app::KithApp::open_folder_with_cache(
                        &dir, cache_dir,
                    )))
                }),
            )
            .map_err(|e| anyhow::anyhow!("could not open a window: {e}"))
        }
    }
}
