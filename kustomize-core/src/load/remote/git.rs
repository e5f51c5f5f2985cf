//! Running the system `git`, as kustomize does, so the user's git configuration (credentials,
//! proxies, `url.<base>.insteadOf`) applies to every fetch.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a git command failed.
#[derive(Debug)]
pub(crate) enum GitError {
    /// git could not be started at all.
    Spawn(String),
    /// It ran longer than allowed and was killed.
    Timeout(String),
    /// It exited unsuccessfully; its output says why.
    Failed {
        /// The command line.
        command: String,
        /// What it printed (stdout, then stderr).
        output: String,
    },
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::Spawn(e) => write!(f, "no 'git' program could be run: {e}"),
            GitError::Timeout(command) => write!(f, "timed out running '{command}'"),
            GitError::Failed { command, output } => {
                write!(f, "'{command}' failed: {}", one_line(output))
            }
        }
    }
}

/// Output lines joined with `; ` so an error stays one line.
fn one_line(output: &str) -> String {
    output
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs `program args...` in `dir`, killing it after `timeout`; returns what it printed on
/// stdout.
pub(crate) fn run(
    program: &Path,
    dir: &Path,
    timeout: Duration,
    args: &[&str],
) -> Result<String, GitError> {
    let command = std::iter::once(program.to_string_lossy().into_owned())
        .chain(args.iter().map(|a| (*a).to_owned()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GitError::Spawn(e.to_string()))?;
    // Drain both pipes while waiting, so a chatty git never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(GitError::Timeout(command));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            Err(e) => return Err(GitError::Spawn(e.to_string())),
        }
    };
    let mut output = out.join().unwrap_or_default();
    if status.success() {
        Ok(String::from_utf8_lossy(&output).into_owned())
    } else {
        output.extend(err.join().unwrap_or_default());
        Err(GitError::Failed {
            command,
            output: String::from_utf8_lossy(&output).into_owned(),
        })
    }
}

/// What a failed fetch means for the user, from git's own words.
pub(crate) fn classify(error: &GitError) -> &'static str {
    let GitError::Failed { output, .. } = error else {
        return match error {
            GitError::Timeout(_) => "timed out",
            _ => "git is not available",
        };
    };
    let has = |s: &str| output.contains(s);
    if has("couldn't find remote ref")
        || has("not our ref")
        || has("unadvertised object")
        || has("no such remote ref")
    {
        "unknown ref"
    } else {
        "repository unreachable"
    }
}

/// How a fetched ref may change: tags and commits are taken as fixed, anything else (a branch,
/// the remote's `HEAD`, another ref) may move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// A tag (git reports `tag '<name>'`).
    Tag,
    /// A commit named by its full hash.
    Commit,
    /// A branch, `HEAD` or any other ref.
    Moving,
}

impl RefKind {
    /// Whether a cached copy stays valid without asking the remote.
    pub(crate) fn is_fixed(self) -> bool {
        matches!(self, RefKind::Tag | RefKind::Commit)
    }

    /// The word the cache records.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RefKind::Tag => "tag",
            RefKind::Commit => "commit",
            RefKind::Moving => "moving",
        }
    }

    /// The kind a cache record names.
    pub(crate) fn from_str(s: &str) -> Option<RefKind> {
        match s {
            "tag" => Some(RefKind::Tag),
            "commit" => Some(RefKind::Commit),
            "moving" => Some(RefKind::Moving),
            _ => None,
        }
    }
}

/// Whether `s` is a full commit hash (SHA-1 or SHA-256).
pub(crate) fn is_full_hash(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The kind of ref `reference` turned out to be, from the first line of `FETCH_HEAD`
/// (`<object>\t\t<description> of <url>`).
pub(crate) fn ref_kind(fetch_head: &str, reference: &str) -> RefKind {
    let line = fetch_head.lines().next().unwrap_or("");
    let (object, description) = line.split_once('\t').unwrap_or((line, ""));
    let description = description.trim_start_matches('\t');
    if description.starts_with("tag '") {
        RefKind::Tag
    } else if is_full_hash(reference) && object.eq_ignore_ascii_case(reference) {
        RefKind::Commit
    } else {
        RefKind::Moving
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_fetch_head() {
        let sha = "6327017ab16467434d4fafe64075b132628c4202";
        assert_eq!(
            ref_kind(&format!("{sha}\t\ttag 'v1' of file:///r\n"), "v1"),
            RefKind::Tag
        );
        assert_eq!(
            ref_kind(&format!("{sha}\t\tbranch 'main' of file:///r\n"), "main"),
            RefKind::Moving
        );
        assert_eq!(
            ref_kind(&format!("{sha}\t\t'{sha}' of file:///r\n"), sha),
            RefKind::Commit
        );
        assert_eq!(
            ref_kind(&format!("{sha}\t\tfile:///r\n"), "HEAD"),
            RefKind::Moving
        );
        assert!(!is_full_hash("6327017"));
    }

    #[test]
    fn runs_with_a_timeout() {
        let dir = std::env::temp_dir();
        let err = run(Path::new("sleep"), &dir, Duration::from_millis(50), &["5"]).unwrap_err();
        assert!(matches!(err, GitError::Timeout(_)), "{err}");
        let err = run(Path::new("false"), &dir, Duration::from_secs(5), &[]).unwrap_err();
        assert!(matches!(err, GitError::Failed { .. }), "{err}");
        assert!(run(Path::new("true"), &dir, Duration::from_secs(5), &[]).is_ok());
        let err = run(
            Path::new("/nonexistent/git"),
            &dir,
            Duration::from_secs(5),
            &[],
        )
        .unwrap_err();
        assert!(matches!(err, GitError::Spawn(_)), "{err}");
    }
}
