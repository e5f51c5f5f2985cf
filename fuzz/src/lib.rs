//! What every fuzz target shares.

/// Stack for the code under test. kustomize-core accepts documents nested 10000 levels deep
/// and its stages walk them recursively, so builds run on a big stack (kbuild's build thread
/// has 1 GiB); the fuzzer's own thread has 8 MiB, and instrumented frames are several times
/// larger, so without this a deep but valid input would "crash" the harness, not kbuild.
const STACK: usize = 512 << 20;

/// Runs `f` on a thread with a big stack and waits for it; a panic there still aborts the
/// process (libFuzzer's panic hook), so it is reported as a crash.
pub fn on_big_stack(f: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, f);
        match spawned {
            Ok(handle) => {
                if let Err(payload) = handle.join() {
                    std::panic::resume_unwind(payload);
                }
            }
            Err(e) => panic!("cannot start the fuzz thread: {e}"),
        }
    });
}
