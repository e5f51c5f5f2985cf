//! `gen-tree SCALE DIR [SEED]`: writes the generated benchmark tree for SCALE into DIR; build
//! `DIR/example`.

use kbuild_benches::{Tree, DEFAULT_SEED, ENTRY};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (scale, dir, seed) = match args.as_slice() {
        [s, d] => (s.parse::<usize>().ok(), d, Some(DEFAULT_SEED)),
        [s, d, seed] => (s.parse::<usize>().ok(), d, seed.parse::<u64>().ok()),
        _ => (None, &String::new(), None),
    };
    let (Some(scale), Some(seed)) = (scale.filter(|s| *s > 0), seed) else {
        eprintln!("usage: gen-tree SCALE DIR [SEED]   (SCALE >= 1; then build DIR/{ENTRY})");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let tree = Tree::generate(scale, seed);
    if let Err(e) = tree.write_to(&dir) {
        eprintln!("gen-tree: writing {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "gen-tree: {} files, {} bytes in {}; build {}",
        tree.files().len(),
        tree.bytes(),
        dir.display(),
        dir.join(ENTRY).display()
    );
    ExitCode::SUCCESS
}
