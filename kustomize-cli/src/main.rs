//! `kbuild`: `kustomize build`, byte for byte, fast.

use clap::{ArgAction, Parser, ValueEnum};
use kustomize_core::extras::{parse_selector, GoldenCheck, ImageMirror, OutputOptions};
use kustomize_core::load::kustomization::Selector;
use kustomize_core::sort::Order;
use kustomize_core::{BuildOptions, Kustomizer, LoadRestrictor, RemoteAccess, RemoteOptions};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Build a kustomization target from a directory, printing exactly what `kustomize build` prints.
#[derive(Parser, Debug)]
#[command(name = "kbuild", version, about)]
struct Cli {
    /// Directory holding a kustomization file, or a remote base URL.
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

    /// Print the images the build deploys (container fields and configuration text in
    /// ConfigMaps), one a line, instead of the build.
    #[arg(long = "list-images", conflicts_with_all = ["output", "check", "update"])]
    list_images: bool,

    /// Format of --list-images: `text` (one image a line) or `json` (with where each is used).
    #[arg(
        long = "format",
        value_enum,
        default_value = "text",
        requires = "list_images"
    )]
    format: Format,

    /// Move images whose registry/repository begins with FROM to TO (repeatable), in image
    /// fields and in configuration text. A FROM without registry means docker.io, and a single
    /// name an official image (`nginx` is docker.io/library/nginx).
    #[arg(long = "image-mirror", value_name = "FROM=TO", value_parser = parse_mirror, action = ArgAction::Append)]
    image_mirror: Vec<ImageMirror>,

    /// Replace every image digest (`@sha256:…`) with the tag TAG.
    #[arg(long = "digest-to-tag", value_name = "TAG")]
    digest_to_tag: Option<String>,

    /// Keep only resources this selector matches (repeatable: any of them). Comma-separated
    /// key=value pairs of group, version, kind, name, namespace (regular expressions),
    /// labelSelector, annotationSelector; or a YAML flow mapping like a patch target.
    #[arg(long = "select", value_name = "SELECTOR", value_parser = parse_selector_arg, action = ArgAction::Append)]
    select: Vec<Selector>,

    /// Drop resources this selector matches (repeatable); same syntax as --select.
    #[arg(long = "exclude", value_name = "SELECTOR", value_parser = parse_selector_arg, action = ArgAction::Append)]
    exclude: Vec<Selector>,

    /// Compare the build with the file GOLDEN: exit 0 if equal, else print a unified diff
    /// (hunks named by resource) and exit 1.
    #[arg(long = "check", value_name = "GOLDEN", conflicts_with_all = ["output", "update"])]
    check: Option<PathBuf>,

    /// Write the build to the file GOLDEN.
    #[arg(long = "update", value_name = "GOLDEN", conflicts_with = "output")]
    update: Option<PathBuf>,

    /// Where remote bases and files are cached [default: $KBUILD_CACHE_DIR, else
    /// $XDG_CACHE_HOME/kbuild, else ~/.cache/kbuild].
    #[arg(long = "cache-dir", value_name = "DIR")]
    cache_dir: Option<PathBuf>,

    /// Take remote bases and files from the cache only, never from the network; fail if one
    /// is not cached.
    #[arg(long = "offline")]
    offline: bool,
}

fn parse_mirror(s: &str) -> Result<ImageMirror, String> {
    s.parse::<ImageMirror>().map_err(|e| e.to_string())
}

fn parse_selector_arg(s: &str) -> Result<Selector, String> {
    parse_selector(s).map_err(|e| e.to_string())
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
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

/// Stack of the thread that runs the build. Documents nest up to 10000 levels and every stage
/// walks them recursively, so the build gets far more than the 8 MiB a main thread has; the
/// memory is only reserved, pages are used as the recursion reaches them.
const BUILD_STACK: usize = 1 << 30;

/// Stack of each rayon worker (bases are built, and resources printed, on them).
const WORKER_STACK: usize = 256 << 20;

/// Stack sizes to fall back on when the system refuses the ones above.
const FALLBACK_STACK: usize = 64 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bug must still end in one line on stderr and exit 1, never a backtrace: the hook
    // replaces Rust's panic report, and the build thread's failure becomes the exit code.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("Error: internal error in kbuild{place}: {what} (please report this)");
    }));
    // Where the system will not reserve that much address space (strict overcommit), smaller
    // stacks still beat the defaults; failing that, rayon sets up its own pool when first used.
    for size in [WORKER_STACK, FALLBACK_STACK] {
        if rayon::ThreadPoolBuilder::new()
            .stack_size(size)
            .build_global()
            .is_ok()
        {
            break;
        }
    }
    let cli = Arc::new(cli);
    let mut handle = None;
    for size in [BUILD_STACK, FALLBACK_STACK] {
        let cli = Arc::clone(&cli);
        let spawned = std::thread::Builder::new()
            .name("build".to_owned())
            .stack_size(size)
            .spawn(move || run(&cli));
        if let Ok(h) = spawned {
            handle = Some(h);
            break;
        }
    }
    let result = match handle {
        Some(handle) => handle.join(),
        // No thread at all: build on this one.
        None => Ok(run(&cli)),
    };
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(message)) => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
        // The panic hook has reported it.
        Err(_) => ExitCode::FAILURE,
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("writing output: {e}"))
}

/// `KBUILD_DEBUG_PANIC=build` (or `=worker`) makes the build panic on the build thread (or on
/// a rayon worker), so tests can check how a bug is reported by the binary that ships (release
/// builds included); unset, it costs one environment lookup.
fn debug_panic() {
    match std::env::var("KBUILD_DEBUG_PANIC").as_deref() {
        Ok("build") => panic!("debug panic requested"),
        Ok("worker") => rayon::scope(|s| s.spawn(|_| panic!("debug panic requested on a worker"))),
        _ => {}
    }
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    debug_panic();
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
        remote: RemoteOptions {
            access: if cli.offline {
                RemoteAccess::Offline
            } else {
                RemoteAccess::Online
            },
            cache_dir: cli.cache_dir.clone(),
            ..RemoteOptions::default()
        },
    };
    let output_options = OutputOptions {
        select: cli.select.clone(),
        exclude: cli.exclude.clone(),
        image_mirrors: cli.image_mirror.clone(),
        digest_to_tag: cli.digest_to_tag.clone(),
    };
    // Check the options before building, so a typo fails fast.
    output_options.filter().map_err(|e| e.to_string())?;
    output_options.rewriter().map_err(|e| e.to_string())?;
    let mut build = Kustomizer::new(options)
        .build(&kustomize_core::fs::DiskFs, &cli.dir)
        .map_err(|e| e.to_string())?;
    for warning in build.warnings() {
        eprintln!("{warning}");
    }
    build.apply(&output_options).map_err(|e| e.to_string())?;
    if cli.list_images {
        let images = build.images();
        let text = match cli.format {
            Format::Text => images.to_text(),
            Format::Json => images.to_json(),
        };
        write_stdout(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(golden) = &cli.check {
        return match build.check_golden(golden).map_err(|e| e.to_string())? {
            GoldenCheck::Matches => Ok(ExitCode::SUCCESS),
            GoldenCheck::Differs(diff) => {
                write_stdout(diff.as_bytes())?;
                Ok(ExitCode::FAILURE)
            }
        };
    }
    if let Some(golden) = &cli.update {
        if build.update_golden(golden).map_err(|e| e.to_string())? {
            eprintln!("updated {}", golden.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    match &cli.output {
        Some(dir) if dir.is_dir() => {
            for (name, bytes) in build.to_files().map_err(|e| e.to_string())? {
                let path = dir.join(&name);
                std::fs::write(&path, bytes)
                    .map_err(|e| format!("writing {}: {e}", path.display()))?;
            }
        }
        Some(file) => {
            let yaml = build.to_yaml().map_err(|e| e.to_string())?;
            std::fs::write(file, yaml).map_err(|e| format!("writing {}: {e}", file.display()))?;
        }
        None => write_stdout(&build.to_yaml().map_err(|e| e.to_string())?)?,
    }
    // The process ends here: freeing every node one by one would only cost time.
    std::mem::forget(build);
    Ok(ExitCode::SUCCESS)
}
