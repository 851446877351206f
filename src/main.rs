//! The kith binary: parse the command line, then run the app or a subcommand.

use clap::Parser;
use kith::cli::{Cli, CliCommand, QuietPipe};
use std::io::Write;

/// mimalloc: faster than the system allocator for loading (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    // A closed stdout or stderr (`kith import … | head -1`) never stops the
    // work: the rest of the output is dropped, the exit code tells the truth.
    let mut out = QuietPipe::new(std::io::stdout());
    let mut err = QuietPipe::new(std::io::stderr());
    let code = match run(cli, &mut out, &mut err) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(err, "error: {error:#}");
            1
        }
    };
    let _ = out.flush();
    std::process::exit(code);
}

fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = kith::cli::data_dir(&cli)?;
    match cli.command {
        Some(CliCommand::Check) => kith::cli::check(&dir, out),
        Some(CliCommand::Today { date, json }) => {
            kith::cli::today::today(&dir, date, json, out, err)
        }
        Some(CliCommand::Account { command }) => {
            kith::cli::account::account(&dir, command, out, err)
        }
        Some(CliCommand::Sync { account, json }) => {
            kith::cli::sync::sync(&dir, account.as_deref(), json, out, err)
        }
        Some(CliCommand::InstallDesktop { remove }) => kith::cli::install_desktop(remove, out),
        Some(CliCommand::Import {
            file,
            on_match,
            dry_run,
            merge_same_names,
            history,
        }) => kith::cli::history::import(
            &dir,
            &file,
            (on_match, merge_same_names),
            &history,
            dry_run,
            out,
        ),
        Some(CliCommand::Sources(args)) => kith::cli::history::sources(&dir, args, out, err),
        Some(CliCommand::Export {
            format,
            out: target,
            tag,
            stage,
            allow_partial,
        }) => kith::cli::export(
            &dir,
            kith::cli::ExportRequest {
                format,
                target: target.as_deref(),
                tag: tag.as_deref(),
                stage: stage.as_deref(),
                allow_partial,
            },
            out,
            err,
        ),
        None => {
            let options = eframe::NativeOptions {
                viewport: egui::ViewportBuilder::default()
                    .with_title("kith")
                    .with_app_id("kith")
                    .with_icon(kith::desktop::window_icon().unwrap_or_default())
                    .with_inner_size([1200.0, 800.0])
                    .with_min_inner_size([700.0, 450.0]),
                // The window, theme, zoom, panels and last view are kept in
                // the config folder, never in the data folder.
                persist_window: true,
                persistence_path: kith::app::prefs::persistence_path(&dir),
                ..Default::default()
            };
            let cache_dir = kith::cli::cache_dir(cli.no_cache, &dir)?;
            eframe::run_native(
                "kith",
                options,
                Box::new(move |cc| {
                    Ok(Box::new(kith::app::KithApp::open_window(
                        &dir, cache_dir, cc,
                    )))
                }),
            )
            .map_err(|e| anyhow::anyhow!("could not open a window: {e}"))?;
            Ok(0)
        }
    }
}
