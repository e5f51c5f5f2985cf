//! Remote bases and files, end to end and without the network.
//!
//! Each test builds a small world in a scratch directory: bare git repositories made from
//! `testdata/remote/repos/` (with fixed dates, so commits are the same everywhere), a git
//! configuration that redirects every remote URL the cases use (`url.<base>.insteadOf`) to those
//! repositories, handed to git through `GIT_CONFIG_GLOBAL` (the user's own configuration is never
//! read) with only the `file` protocol allowed, and a loopback HTTP server that serves
//! `testdata/remote/http/` and doubles as the HTTP proxy, refusing anything not on this machine.
//!
//! `testdata/remote/cases/*/kustomize-output.yaml` is what kustomize v5.8 printed for the same inputs in
//! the same world (`kustomize-error.txt`: kustomize failed, with that message). To record them again,
//! run this test with `KBUILD_RECORD_REMOTE_ORACLE=/path/to/kustomize-oracle`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/remote")
}

/// A loopback HTTP server: files under `/files/`, 404 for anything else, and a proxy that
/// refuses every request (so nothing leaves the machine).
struct Server {
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
    down: Arc<AtomicBool>,
}

impl Server {
    fn start(files: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let down = Arc::new(AtomicBool::new(false));
        let (h, d) = (hits.clone(), down.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (files, h, d) = (files.clone(), h.clone(), d.clone());
                std::thread::spawn(move || answer(stream, &files, &h, &d));
            }
        });
        Server { port, hits, down }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Requests served so far (request targets), proxy requests included.
    fn hits(&self) -> Vec<String> {
        self.hits.lock().expect("hits").clone()
    }
}

fn answer(mut stream: TcpStream, files: &Path, hits: &Mutex<Vec<String>>, down: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    hits.lock()
        .expect("hits")
        .push(format!("{method} {target}"));
    let file = target
        .strip_prefix("/files/")
        .filter(|p| !p.contains(".."))
        .map(|p| files.join(p))
        .filter(|p| p.is_file());
    let (status, headers, body) = if method == "CONNECT" {
        ("403 Forbidden", "", Vec::new())
    } else if down.load(Ordering::SeqCst) {
        ("503 Service Unavailable", "", Vec::new())
    } else if let Some(path) = file {
        let cache = if target.starts_with("/files/cached/") {
            "Cache-Control: max-age=3600\r\n"
        } else {
            ""
        };
        ("200 OK", cache, std::fs::read(path).unwrap_or_default())
    } else {
        ("404 Not Found", "", b"not found\n".to_vec())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// Where the real git is (the counting wrapper runs it).
fn real_git() -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("git"))
        .find(|g| g.is_file())
        .expect("git on PATH")
}

/// Runs git for setting up repositories, with fixed identities and dates.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "kbuild")
        .env("GIT_AUTHOR_EMAIL", "kbuild@example.com")
        .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "kbuild")
        .env("GIT_COMMITTER_EMAIL", "kbuild@example.com")
        .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Scratch directory, repositories, git configuration and HTTP server for one test.
struct World {
    dir: PathBuf,
    repos: PathBuf,
    gitconfig: PathBuf,
    server: Server,
    /// Commits by name (`APP_V1`), for `{{...}}` placeholders.
    commits: BTreeMap<&'static str, String>,
}

impl World {
    fn new(name: &str) -> World {
        let dir = std::env::temp_dir().join(format!("kbuild-remote-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        let dir = std::fs::canonicalize(&dir).expect("scratch path");
        let repos = dir.join("repos");
        let server = Server::start(testdata().join("http"));
        let mut world = World {
            gitconfig: dir.join("gitconfig"),
            dir,
            repos,
            server,
            commits: BTreeMap::new(),
        };
        world.make_repos();
        world.write_gitconfig();
        world
    }

    /// A work repository at `name` with one commit per fixture step, pushed to `repos/org/`.
    fn repo(&mut self, name: &str, steps: &[(&str, &[&str])], extra: impl Fn(&Path)) {
        let work = self.dir.join("work").join(name);
        std::fs::create_dir_all(&work).expect("work dir");
        git(&work, &["init", "-q"]);
        git(&work, &["symbolic-ref", "HEAD", "refs/heads/main"]);
        for (step, tags) in steps {
            for entry in std::fs::read_dir(&work).expect("work").flatten() {
                if entry.file_name() != ".git" {
                    let p = entry.path();
                    let _ = std::fs::remove_dir_all(&p).or_else(|_| std::fs::remove_file(&p));
                }
            }
            copy_tree(&testdata().join("repos").join(name).join(step), &work);
            git(&work, &["add", "-A"]);
            extra(&work);
            git(&work, &["commit", "-q", "-m", step]);
            for tag in *tags {
                match tag.strip_prefix("annotated:") {
                    Some(t) => git(&work, &["tag", "-a", t, "-m", t]),
                    None => git(&work, &["tag", tag]),
                };
            }
        }
        let bare = self.repos.join("org").join(format!("{name}.git"));
        std::fs::create_dir_all(&bare).expect("bare dir");
        git(&bare, &["init", "-q", "--bare"]);
        git(&bare, &["symbolic-ref", "HEAD", "refs/heads/main"]);
        git(
            &work,
            &["push", "-q", bare.to_str().expect("path"), "main", "--tags"],
        );
    }

    fn make_repos(&mut self) {
        self.repo(
            "app",
            &[("v1", &["v1", "annotated:release-1"]), ("v2", &[])],
            |_| {},
        );
        let work = self.dir.join("work/app");
        self.commits
            .insert("APP_V1", git(&work, &["rev-parse", "v1^{commit}"]));
        self.repo("lib", &[("v1", &[])], |_| {});
        let lib = git(&self.dir.join("work/lib"), &["rev-parse", "HEAD"]);
        // The submodule's URL is relative: git resolves it against the remote `origin`.
        self.repo("withsub", &[("v1", &["v1"])], |work| {
            std::fs::write(
                work.join(".gitmodules"),
                "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = ../lib\n",
            )
            .expect(".gitmodules");
            git(work, &["add", ".gitmodules"]);
            git(
                work,
                &[
                    "update-index",
                    "--add",
                    "--cacheinfo",
                    &format!("160000,{lib},vendor/lib"),
                ],
            );
        });
        self.repo("nested", &[("v1", &["v1"])], |_| {});
        self.repo("cycle", &[("v1", &["v1"])], |_| {});
    }

    fn write_gitconfig(&self) {
        let org = format!("file://{}/org/", self.repos.display());
        let text = format!(
            "[url \"{org}\"]\n\
             \tinsteadOf = https://github.com/org/\n\
             \tinsteadOf = git@github.com:org/\n\
             \tinsteadOf = ssh://git@example.com/org/\n\
             \tinsteadOf = https://dev.azure.com/acme/project/_git/\n\
             \tinsteadOf = {}/git/org/\n",
            self.server.url()
        );
        std::fs::write(&self.gitconfig, text).expect("gitconfig");
    }

    /// `text` with the world's placeholders filled in.
    fn fill(&self, text: &str) -> String {
        let mut text = text
            .replace("{{REPOS}}", self.repos.to_str().expect("path"))
            .replace("{{HTTP}}", &self.server.url());
        for (name, commit) in &self.commits {
            text = text.replace(&format!("{{{{{name}}}}}"), commit);
        }
        text
    }

    /// Copies case `name` into the scratch directory, placeholders filled in.
    fn case(&self, name: &str) -> PathBuf {
        let to = self.dir.join("cases").join(name);
        let _ = std::fs::remove_dir_all(&to);
        copy_tree(&testdata().join("cases").join(name), &to);
        fill_tree(self, &to);
        to
    }

    /// A command with this world's environment: its git configuration, its proxy, its cache.
    fn command(&self, program: &Path, cache: &Path) -> Command {
        let mut c = Command::new(program);
        let proxy = self.server.url();
        c.env("GIT_CONFIG_GLOBAL", &self.gitconfig)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_ALLOW_PROTOCOL", "file")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("KBUILD_CACHE_DIR", cache)
            .env_remove("XDG_CACHE_HOME");
        for var in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
            c.env(var, &proxy);
        }
        for var in ["ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] {
            c.env_remove(var);
        }
        c
    }

    fn kbuild(&self, cache: &Path, args: &[&str]) -> Output {
        self.command(Path::new(env!("CARGO_BIN_EXE_kbuild")), cache)
            .args(args)
            .output()
            .expect("kbuild runs")
    }

    /// Puts a `git` on `PATH` that logs every call to `git.log` (and fails instead of running
    /// git when `KBUILD_TEST_GIT_FAIL` is set).
    fn counting_git(&self) -> (PathBuf, PathBuf) {
        let bin = self.dir.join("bin");
        std::fs::create_dir_all(&bin).expect("bin");
        let log = self.dir.join("git.log");
        let script = format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\n[ -n \"$KBUILD_TEST_GIT_FAIL\" ] && exit 1\nexec '{}' \"$@\"\n",
            log.display(),
            real_git().display()
        );
        let path = bin.join("git");
        std::fs::write(&path, script).expect("wrapper");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        let path_var = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        (PathBuf::from(path_var), log)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if std::env::var_os("KBUILD_KEEP_SCRATCH").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn fill_tree(world: &World, dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("case dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            fill_tree(world, &p);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            std::fs::write(&p, world.fill(&text)).expect("write case file");
        }
    }
}

fn fetches(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("fetch"))
        .count()
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(testdata().join("cases"))
        .expect("cases")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn case_args(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("args"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// `message` with kustomize's random clone directories (`<tmp>/kustomize-<digits>`) spelled
/// `{{CLONE}}`, so recorded messages do not change from run to run.
fn without_clone_dirs(message: &str) -> String {
    let tmp = std::env::temp_dir().join("kustomize-");
    let prefix = tmp.to_str().expect("path");
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(prefix) {
        out.push_str(&rest[..i]);
        let after = &rest[i + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(if digits > 0 { "{{CLONE}}" } else { prefix });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// What kbuild must say when a case fails, so failures are explained.
fn error_words(case: &str) -> &'static str {
    match case {
        "unknown-ref" => "unknown ref",
        "unreachable" => "repository unreachable",
        "missing-path" => "path 'nope' in repository 'https://github.com/org/app' at ref 'v1'",
        "path-is-file" => "expecting a directory",
        "http-404" => "HTTP Error: status code 404 (Not Found)",
        "cycle" => "cycle detected",
        "escape-root" | "escape-root-unrestricted" => "is not in or below",
        "escape-checkout" => "must be within the repo",
        "submodules-off" => "unable to find one of",
        _ => "",
    }
}

#[test]
fn every_form_builds_as_kustomize_builds_it() {
    let world = World::new("forms");
    let cache = world.dir.join("cache");
    let record = std::env::var_os("KBUILD_RECORD_REMOTE_ORACLE").map(PathBuf::from);
    let mut failures = Vec::new();
    let names = case_names();
    assert!(names.len() >= 30, "cases: {names:?}");
    for name in &names {
        let dir = world.case(name);
        let args = case_args(&dir);
        let fixture = testdata().join("cases").join(name);
        if let Some(oracle) = &record {
            let out = world
                .command(oracle, &cache)
                .args(&args)
                .arg(&dir)
                .output()
                .expect("oracle runs");
            let _ = std::fs::remove_file(fixture.join("kustomize-output.yaml"));
            let _ = std::fs::remove_file(fixture.join("kustomize-error.txt"));
            if out.status.success() {
                // The server's port changes from run to run.
                let text =
                    String::from_utf8_lossy(&out.stdout).replace(&world.server.url(), "{{HTTP}}");
                std::fs::write(fixture.join("kustomize-output.yaml"), text).expect("record");
            } else {
                let message = String::from_utf8_lossy(&out.stderr)
                    .replace(world.dir.to_str().expect("path"), "{{SCRATCH}}")
                    .replace(&world.server.port.to_string(), "{{PORT}}");
                let message = without_clone_dirs(&message);
                std::fs::write(fixture.join("kustomize-error.txt"), message).expect("record");
            }
        }
        let mut full: Vec<&str> = args.iter().map(String::as_str).collect();
        let dir_arg = dir.to_str().expect("path");
        full.push(dir_arg);
        let out = world.kbuild(&cache, &full);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match std::fs::read_to_string(fixture.join("kustomize-output.yaml")) {
            Ok(want) => {
                let want = world.fill(&want).into_bytes();
                if !out.status.success() {
                    failures.push(format!("{name}: kbuild failed: {stderr}"));
                } else if name == "git-prefix" && !stderr.contains("'git::' URL prefix") {
                    failures.push(format!("{name}: no warning about 'git::': {stderr}"));
                } else if out.stdout != want {
                    let actual = dir.join("actual.yaml");
                    std::fs::write(&actual, &out.stdout).expect("actual output");
                    failures.push(format!(
                        "{name}: output differs from the fixture (kbuild's in {})",
                        actual.display()
                    ));
                }
            }
            Err(_) => {
                assert!(
                    fixture.join("kustomize-error.txt").is_file(),
                    "{name}: no kustomize-output.yaml or kustomize-error.txt"
                );
                if out.status.success() || !out.stdout.is_empty() {
                    failures.push(format!("{name}: kustomize fails, kbuild did not"));
                } else if !stderr.contains(error_words(name)) {
                    failures.push(format!(
                        "{name}: error should say '{}': {stderr}",
                        error_words(name)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The fixture output of case `name`, placeholders filled in.
fn expected(world: &World, name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(
        testdata()
            .join("cases")
            .join(name)
            .join("kustomize-output.yaml"),
    )
    .expect("fixture");
    world.fill(&text).into_bytes()
}

fn succeed(out: Output) -> Vec<u8> {
    assert!(
        out.status.success(),
        "kbuild failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_second_build_fetches_nothing_and_offline_builds_from_the_cache() {
    let world = World::new("cache");
    let cache = world.dir.join("cache");
    let (path, log) = world.counting_git();
    let pinned = world.case("pinned");
    let run = |extra: &[&str], fail_git: bool| {
        let mut c = world.command(Path::new(env!("CARGO_BIN_EXE_kbuild")), &cache);
        c.env("PATH", &path).args(extra).arg(&pinned);
        if fail_git {
            c.env("KBUILD_TEST_GIT_FAIL", "1");
        }
        c.output().expect("kbuild runs")
    };
    let want = expected(&world, "pinned");

    assert_eq!(succeed(run(&[], false)), want);
    let first = fetches(&log);
    // app at v1 (and at v1's commit, unless that checkout was already there: bases load in
    // parallel), app.git at release-1 (another URL) and nested at v1, whose own base, app at
    // v1, was fetched once for the whole build.
    assert!(
        (3..=4).contains(&first),
        "first build fetched {first} times"
    );
    let hits = world.server.hits().len();
    assert!(hits > 0);

    assert_eq!(succeed(run(&[], false)), want);
    assert_eq!(fetches(&log), first, "the second build ran git fetch");
    assert_eq!(
        world.server.hits()[hits..],
        [] as [String; 0],
        "the second build sent HTTP requests"
    );

    // Offline: no server, no git, the same output.
    world.server.down.store(true, Ordering::SeqCst);
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .count();
    assert_eq!(succeed(run(&["--offline"], true)), want);
    let calls_after = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .count();
    assert_eq!(calls_after, calls, "an offline build ran git");
    assert_eq!(
        world.server.hits().len(),
        hits,
        "an offline build sent HTTP requests"
    );

    // Offline with an empty cache says what is missing.
    let out = world.kbuild(
        &world.dir.join("empty-cache"),
        &["--offline", pinned.to_str().expect("path")],
    );
    assert!(!out.status.success() && out.stdout.is_empty());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("offline") && message.contains("is not in the cache"),
        "{message}"
    );
}

#[test]
fn branches_are_fetched_again_unless_offline() {
    let world = World::new("branch");
    let cache = world.dir.join("cache");
    let (path, log) = world.counting_git();
    let branch = world.case("branch");
    let run = |extra: &[&str]| {
        world
            .command(Path::new(env!("CARGO_BIN_EXE_kbuild")), &cache)
            .env("PATH", &path)
            .args(extra)
            .arg(&branch)
            .output()
            .expect("kbuild runs")
    };
    let want = expected(&world, "branch");
    assert_eq!(succeed(run(&[])), want);
    assert_eq!(fetches(&log), 1);
    assert_eq!(succeed(run(&[])), want);
    assert_eq!(
        fetches(&log),
        2,
        "a branch is fetched on every online build"
    );
    assert_eq!(succeed(run(&["--offline"])), want);
    assert_eq!(fetches(&log), 2, "an offline build fetched");
}

#[test]
fn a_failed_fetch_leaves_nothing_in_the_cache() {
    let world = World::new("failed");
    let cache = world.dir.join("cache");
    let case = world.case("unknown-ref");
    let out = world.kbuild(&cache, &[case.to_str().expect("path")]);
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("'https://github.com/org/app' at ref 'v9': unknown ref"),
        "{message}"
    );
    let mut left = Vec::new();
    for sub in ["git", "tmp"] {
        let mut stack = vec![cache.join(sub)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.path().is_dir() {
                    stack.push(entry.path());
                } else {
                    left.push(entry.path());
                }
            }
        }
    }
    assert!(left.is_empty(), "left in the cache: {left:?}");
}

#[test]
fn concurrent_builds_share_one_cache() {
    let world = World::new("concurrent");
    let cache = world.dir.join("cache");
    let case = world.case("pinned");
    let want = expected(&world, "pinned");
    let children: Vec<_> = (0..4)
        .map(|_| {
            world
                .command(Path::new(env!("CARGO_BIN_EXE_kbuild")), &cache)
                .arg(&case)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("kbuild starts")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("kbuild ends");
        assert_eq!(succeed(out), want);
    }
    let leftovers = std::fs::read_dir(cache.join("tmp"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "temporary fetch directories left behind");
}

#[test]
fn a_remote_url_can_be_the_build_target() {
    let world = World::new("target");
    let cache = world.dir.join("cache");
    // The same kustomization as case https-dot-git, built directly.
    let out = world.kbuild(
        &cache,
        &["https://github.com/org/app.git/overlays/prod?ref=v1"],
    );
    assert_eq!(succeed(out), expected(&world, "https-dot-git"));
}
