//! `broadsheet-postbuild`: Trunk's post-build hook (see `Trunk.toml`); run by hand with
//! `--dist DIR` on a fresh `trunk build` output.

use std::path::PathBuf;

use clap::Parser;

/// Finishes Trunk's output: the manifest's icons, the bootstrap, the versioned `sw.js`, the
/// compressed twins.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The built site. Trunk's staging directory when run as its hook.
    #[arg(long, env = "TRUNK_STAGING_DIR")]
    dist: PathBuf,
    /// The one source image of every icon.
    #[arg(long, default_value = "public/icon.svg")]
    icon: PathBuf,
    /// The service worker's template.
    #[arg(long, default_value = "postbuild/sw.js")]
    worker: PathBuf,
    /// The bootstrap's template.
    #[arg(long, default_value = "postbuild/bootstrap.js")]
    bootstrap: PathBuf,
    /// What the bootstrap imports to start the app.
    #[arg(long, default_value = "postbuild/start.js")]
    start: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let report = broadsheet_postbuild::build(
        &args.dist,
        &broadsheet_postbuild::Sources {
            icon: &args.icon,
            worker: &args.worker,
            bootstrap: &args.bootstrap,
            start: &args.start,
        },
    )?;
    println!(
        "broadsheet-postbuild: {} icons, {} shell files, version {}, {} files precompressed",
        report.icons,
        report.shell.len(),
        report.version,
        report.compressed
    );
    Ok(())
}
