//! `kbuild`: `kustomize build`, byte for byte, fast.

use clap::{Parser, ValueEnum};
use kustomize_core::sort::Order;
use kustomize_core::{BuildOptions, Kustomizer, LoadRestrictor};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Build a kustomization target from a directory, printing exactly what `kustomize build` prints.
#[derive(Parser, Debug)]
#[command(name = "kbuild", version, about)]
struct Cli {
    /// Directory holding a kustomization file.
    #[arg(default_value = ".")]
    dir: PathBuf,

    /// Write the output to this file, or one file per resource if it is an existing directory.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// Whether kustomizations may read files outside their own directory.
    #[arg(
        long = "load-restrictor",
        value_enum,
        default_value = "LoadRestrictionsRootOnly"
    )]
    load_restrictor: Restrictor,

    /// Output order when the kustomization has no sortOptions (deprecated in kustomize).
    #[arg(long = "reorder", value_enum)]
    reorder: Option<Reorder>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Restrictor {
    #[value(name = "LoadRestrictionsRootOnly", alias = "rootOnly")]
    RootOnly,
    #[value(name = "LoadRestrictionsNone", alias = "none")]
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Reorder {
    Legacy,
    None,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    if cli.reorder.is_some() {
        eprintln!("Flag --reorder has been deprecated, use the new 'sortOptions' field in kustomization.yaml instead.");
    }
    let options = BuildOptions {
        load_restrictor: match cli.load_restrictor {
            Restrictor::RootOnly => LoadRestrictor::RootOnly,
            Restrictor::None => LoadRestrictor::None,
        },
        reorder: cli.reorder.map(|r| match r {
            Reorder::Legacy => Order::legacy(),
            Reorder::None => Order::Fifo,
        }),
    };
    let build = Kustomizer::new(options)
        .build(&kustomize_core::fs::DiskFs, &cli.dir)
        .map_err(|e| e.to_string())?;
    for warning in build.warnings() {
        eprintln!("{warning}");
    }
    match &cli.output {
        Some(dir) if dir.is_dir() => {
            for (name, bytes) in build.to_files().map_err(|e| e.to_string())? {
                let path = dir.join(&name);
                std::fs::write(&path, bytes)
                    .map_err(|e| format!("writing {}: {e}", path.display()))?;
            }
            Ok(())
        }
        Some(file) => {
            let yaml = build.to_yaml().map_err(|e| e.to_string())?;
            std::fs::write(file, yaml).map_err(|e| format!("writing {}: {e}", file.display()))
        }
        None => {
            let yaml = build.to_yaml().map_err(|e| e.to_string())?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&yaml)
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("writing output: {e}"))
        }
    }
}
