//! `broadsheet-pwa`: Trunk's post-build hook (see `Trunk.toml`); run by hand with `--dist dist`.

use std::path::PathBuf;

use clap::Parser;

/// Renders the manifest's icons from the source image and writes the versioned `sw.js`.
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
    #[arg(long, default_value = "pwa/sw.js")]
    worker: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let report = broadsheet_pwa::build(&args.dist, &args.icon, &args.worker)?;
    println!(
        "broadsheet-pwa: {} icons, {} shell files, version {}, {} files precompressed",
        report.icons,
        report.shell.len(),
        report.version,
        report.compressed
    );
    Ok(())
}
