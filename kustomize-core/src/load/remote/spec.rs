//! Which `resources`/`components` entries name git repositories, and how kustomize v5.8 splits
//! them into the URL git fetches, the ref, and the kustomization's path inside the repository.
//!
//! kustomize's parser is permissive and has quirks that decide real builds (a local directory
//! named `github.com/x` is local, `github.com/x/y` is a repository; `.git` anywhere ends the
//! repository path), so every rule here follows it exactly.

use crate::accumulate::origin::clean;
use std::time::Duration;

/// Time a git command may take unless the URL says otherwise (`?timeout=`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(27);

/// A git repository, a ref in it, and a kustomization directory inside it, as a kustomization
/// names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoSpec {
    /// The entry exactly as written (kustomize compares these to find cycles).
    pub raw: String,
    /// Scheme, user and host, ending with the separator: `https://github.com/`,
    /// `git@github.com:`, `file://`.
    pub host: String,
    /// The repository's path on the host: `org/repo`, `org/repo.git`, `/abs/dir/repo`.
    pub repo_path: String,
    /// The kustomization's directory inside the repository (no leading `/`; may be empty).
    pub kust_root_path: String,
    /// The branch, tag or commit (`?ref=`, else `?version=`); empty means the remote's `HEAD`.
    pub reference: String,
    /// The time each git command may take (`?timeout=`).
    pub timeout: Duration,
    /// Whether submodules are checked out too (`?submodules=`, default yes).
    pub submodules: bool,
}

impl RepoSpec {
    /// Parses `entry` as kustomize parses a remote base; `Err` (with kustomize's reason) when it
    /// is not one, in which case kustomize treats the entry as a local path.
    pub fn parse(entry: &str) -> Result<RepoSpec, String> {
        if entry.starts_with('/') {
            return Err(format!("uri looks like abs path: {entry}"));
        }
        let (rest, query) = entry.split_once('?').unwrap_or((entry, ""));
        let (reference, timeout, submodules) = parse_query(query);
        let (host, path) = split_host(rest)?;
        let all_segments = host.starts_with(FILE);
        let (repo_path, kust_root_path) = split_path(path, all_segments)?;
        Ok(RepoSpec {
            raw: entry.to_owned(),
            host,
            repo_path,
            kust_root_path,
            reference,
            timeout,
            submodules,
        })
    }

    /// What git fetches: host and repository path.
    pub fn clone_spec(&self) -> String {
        format!("{}{}", self.host, self.repo_path)
    }

    /// The ref to fetch: the one named, else the remote's `HEAD`.
    pub fn fetch_ref(&self) -> &str {
        if self.reference.is_empty() {
            "HEAD"
        } else {
            &self.reference
        }
    }

    /// The kustomization path as kustomize records it in origin annotations. kustomize derives
    /// it from a placeholder clone directory `/notCloned`, so a repository's root comes out as
    /// `notCloned`.
    pub fn origin_path(&self) -> String {
        match clean(&self.kust_root_path).as_str() {
            "." | "" => "notCloned".to_owned(),
            path => path.trim_start_matches('/').to_owned(),
        }
    }
}

const SSH: &str = "ssh://";
const HTTPS: &str = "https://";
const HTTP: &str = "http://";
const FILE: &str = "file://";

/// `s` without `prefix`, compared case-insensitively.
fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Splits off scheme, user and host; returns them (normalized) and the path after them.
fn split_host(entry: &str) -> Result<(String, &str), String> {
    // go-getter's "force git" prefix: kustomize drops it (with a warning the loader prints).
    let entry = strip_prefix_ignore_case(entry, "git::").unwrap_or(entry);
    let (scheme, rest) = [SSH, HTTPS, HTTP, FILE]
        .iter()
        .find_map(|s| strip_prefix_ignore_case(entry, s).map(|rest| (*s, rest)))
        .unwrap_or(("", entry));
    let after_scheme = rest;
    let (user, rest) = rest.split_at(user_prefix_len(rest));
    let lower = rest.to_ascii_lowercase();
    let github = lower.starts_with("github.com/") || lower.starts_with("github.com:");
    // scp-like syntax (`user@host:path`) has no scheme; kustomize wants a user for it, except on
    // GitHub.
    let scp = scheme.is_empty() && (!user.is_empty() || github);
    if scheme.is_empty() && !scp {
        return Err("failed to parse scheme".to_owned());
    }
    if scheme == FILE {
        // Everything after `file://`, a would-be user included, is the repository's path.
        return Ok((FILE.to_owned(), after_scheme));
    }
    let slash = rest.find('/');
    let sep = match (slash, scp.then(|| rest.find(':')).flatten()) {
        (None, Some(colon)) => Some(colon),
        (Some(slash), Some(colon)) if colon > 0 && colon < slash => Some(colon),
        (slash, _) => slash,
    };
    let (mut host, path) = match sep {
        Some(i) => (&rest[..=i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let (mut scheme, mut user) = (scheme, user);
    if github {
        // GitHub URLs come out in one of two forms: https, or ssh in scp syntax.
        if scheme == SSH || !user.is_empty() {
            scheme = "";
            host = "github.com:";
        } else {
            scheme = HTTPS;
            user = "";
            host = "github.com/";
        }
    }
    if host.is_empty() {
        return Err("failed to parse host segment".to_owned());
    }
    Ok((format!("{scheme}{user}{host}"), path))
}

/// Length of a leading `user@` (a letter, then letters, digits and dashes), or 0.
fn user_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    let name = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    if b.get(name) == Some(&b'@') {
        name + 1
    } else {
        0
    }
}

/// Splits the path after the host into the repository and the kustomization directory in it.
fn split_path(path: &str, all_segments: bool) -> Result<(String, String), String> {
    let split = marker_split(path).or_else(|| {
        if all_segments {
            return Some((path.to_owned(), String::new()));
        }
        // Without a marker, the repository is the first two segments (`org/repo`), as on GitHub.
        let mut parts = path.splitn(3, '/');
        let (org, repo) = (parts.next()?, parts.next()?);
        Some((
            format!("{org}/{repo}"),
            parts.next().unwrap_or("").to_owned(),
        ))
    });
    let Some((repo, kust)) = split.filter(|(repo, _)| !repo.is_empty()) else {
        return Err("failed to parse repo path segment".to_owned());
    };
    let cleaned = clean(kust.trim_start_matches('/'));
    if cleaned.split('/').next() == Some("..") {
        return Err(format!("url path exits repo: {path}"));
    }
    Ok((repo, kust.strip_prefix('/').unwrap_or(&kust).to_owned()))
}

/// Splits at an explicit marker: the segment after `_git/`, a `//`, or the end of `.git`.
fn marker_split(path: &str) -> Option<(String, String)> {
    if let Some(i) = path.find("_git/") {
        let after = &path[i + "_git/".len()..];
        let (name, rest) = after.split_once('/').unwrap_or((after, ""));
        return Some((
            format!("{}{name}", &path[..i + "_git/".len()]),
            rest.to_owned(),
        ));
    }
    if let Some(i) = path.find("//") {
        return Some((path[..i].to_owned(), path[i + 2..].to_owned()));
    }
    if let Some(i) = path.find(".git") {
        let end = i + ".git".len();
        return Some((path[..end].to_owned(), path[end..].to_owned()));
    }
    None
}

/// Reads `ref`/`version`, `timeout` and `submodules` from a URL query, as kustomize does: any
/// malformed query means all defaults, and a malformed value means that value's default.
fn parse_query(query: &str) -> (String, Duration, bool) {
    let defaults = (String::new(), DEFAULT_TIMEOUT, true);
    let Some(values) = query_values(query) else {
        return defaults;
    };
    let get = |key: &str| {
        values
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    let reference = match get("ref") {
        "" => get("version"),
        r => r,
    };
    let timeout = match get("timeout") {
        "" => DEFAULT_TIMEOUT,
        t => match parse_go_int(t) {
            Some(secs) if secs > 0 => Duration::from_secs(secs.unsigned_abs()),
            _ => match parse_go_duration(t) {
                Some(d) if !d.is_zero() => d,
                _ => DEFAULT_TIMEOUT,
            },
        },
    };
    let submodules = match get("submodules") {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
        "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
        _ => true,
    };
    (reference.to_owned(), timeout, submodules)
}

/// Go's `url.ParseQuery`: `&`-separated `key=value` pairs, unescaped; `None` if any pair is
/// malformed (a `;`, or a bad `%` escape).
fn query_values(query: &str) -> Option<Vec<(String, String)>> {
    let mut values = Vec::new();
    let mut ok = true;
    for pair in query.split('&') {
        if pair.contains(';') {
            ok = false;
            continue;
        }
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (unescape_query(k), unescape_query(v)) {
            (Some(k), Some(v)) => values.push((k, v)),
            _ => ok = false,
        }
    }
    ok.then_some(values)
}

/// Go's `url.QueryUnescape`: `+` is a space, `%XX` a byte.
fn unescape_query(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                let hi = hex(*b.get(i + 1)?)?;
                let lo = hex(*b.get(i + 2)?)?;
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits, within 64 bits.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `time.ParseDuration` for non-negative results: `1h2m3.5s`, `300ms`, `0`, units `ns`,
/// `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`. Negative durations come back as `None`: kustomize
/// ignores them anyway.
fn parse_go_duration(s: &str) -> Option<Duration> {
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int, after) = rest.split_at(int_len);
        let (frac, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let unit_len = after
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        let (unit, after) = after.split_at(unit_len);
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let whole: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut nanos = whole.checked_mul(scale)?;
        if !frac.is_empty() {
            // Go keeps the fraction's leading digits while they fit; 18 digits is plenty.
            let digits = &frac[..frac.len().min(18)];
            let f: u128 = digits.parse().ok()?;
            nanos += f * scale / 10u128.pow(digits.len() as u32);
        }
        total = total.checked_add(nanos)?;
        if total > i64::MAX as u128 {
            return None;
        }
        rest = after;
    }
    if negative {
        return (total == 0).then_some(Duration::ZERO);
    }
    Some(Duration::from_nanos(u64::try_from(total).ok()?))
}

/// Whether `path` is a URL kustomize fetches as a single file over HTTP: its scheme (letters,
/// digits, `+-.`, before a `:`) is `http` or `https`, in any case, and it parses as a URL.
pub fn is_remote_file(path: &str) -> bool {
    let Some((scheme, rest)) = path.split_once(':') else {
        return false;
    };
    let http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    http && !path.bytes().any(|c| c < 0x20 || c == 0x7f) && authority_is_valid(rest)
}

/// The checks Go's URL parser makes on an authority that could fail on a real-world entry: a
/// port, if any, is numeric, and a bracketed IPv6 host is closed.
fn authority_is_valid(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return true;
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = if let Some(v6) = host.strip_prefix('[') {
        match v6.split_once(']') {
            Some((_, tail)) => match tail {
                "" => None,
                t => match t.strip_prefix(':') {
                    Some(p) => Some(p),
                    None => return false,
                },
            },
            None => return false,
        }
    } else {
        host.rsplit_once(':').map(|(_, p)| p)
    };
    port.is_none_or(|p| p.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(entry: &str) -> RepoSpec {
        RepoSpec::parse(entry).unwrap_or_else(|e| panic!("{entry}: {e}"))
    }

    /// (entry, host, repo path, kustomization path, ref, clone spec)
    const FORMS: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir",
            "https://git-codecommit.us-east-2.amazonaws.com/",
            "someorg/somerepo",
            "somedir",
            "",
            "https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo",
        ),
        (
            "https://fabrikops2.visualstudio.com/someorg/somerepo?ref=master",
            "https://fabrikops2.visualstudio.com/",
            "someorg/somerepo",
            "",
            "master",
            "https://fabrikops2.visualstudio.com/someorg/somerepo",
        ),
        (
            "http://github.com/someorg/somerepo/somedir",
            "https://github.com/",
            "someorg/somerepo",
            "somedir",
            "",
            "https://github.com/someorg/somerepo",
        ),
        (
            "git@github.com:someorg/somerepo/somedir",
            "git@github.com:",
            "someorg/somerepo",
            "somedir",
            "",
            "git@github.com:someorg/somerepo",
        ),
        (
            "http://github.com/someorg/somerepo.git/somedir",
            "https://github.com/",
            "someorg/somerepo.git",
            "somedir",
            "",
            "https://github.com/someorg/somerepo.git",
        ),
        (
            "git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git?ref=v0.1.0",
            "git@gitlab2.sqtools.ru:",
            "infra/kubernetes/thanos-base.git",
            "",
            "v0.1.0",
            "git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git",
        ),
        (
            "git@bitbucket.org:company/project.git//path?ref=branch",
            "git@bitbucket.org:",
            "company/project.git",
            "path",
            "branch",
            "git@bitbucket.org:company/project.git",
        ),
        (
            "git@bitbucket.org/company/project.git//path?ref=branch",
            "git@bitbucket.org/",
            "company/project.git",
            "path",
            "branch",
            "git@bitbucket.org/company/project.git",
        ),
        (
            "ssh://git@bitbucket.org/company/project.git//path?ref=branch",
            "ssh://git@bitbucket.org/",
            "company/project.git",
            "path",
            "branch",
            "ssh://git@bitbucket.org/company/project.git",
        ),
        (
            "https://itfs.mycompany.com/collection/project/_git/somerepos/somedir?version=v1.0.0",
            "https://itfs.mycompany.com/",
            "collection/project/_git/somerepos",
            "somedir",
            "v1.0.0",
            "https://itfs.mycompany.com/collection/project/_git/somerepos",
        ),
        (
            "git::https://itfs.mycompany.com/collection/project/_git/somerepos",
            "https://itfs.mycompany.com/",
            "collection/project/_git/somerepos",
            "",
            "",
            "https://itfs.mycompany.com/collection/project/_git/somerepos",
        ),
        (
            "https://bitbucket.example.com/scm/project/repository.git",
            "https://bitbucket.example.com/",
            "scm/project/repository.git",
            "",
            "",
            "https://bitbucket.example.com/scm/project/repository.git",
        ),
        (
            "git@github.com/someorg/somerepo/somepath",
            "git@github.com:",
            "someorg/somerepo",
            "somepath",
            "",
            "git@github.com:someorg/somerepo",
        ),
        (
            "https://github.com/kubernetes-sigs/kustomize//examples/multibases/dev/?ref=v1.0.6",
            "https://github.com/",
            "kubernetes-sigs/kustomize",
            "examples/multibases/dev/",
            "v1.0.6",
            "https://github.com/kubernetes-sigs/kustomize",
        ),
        (
            "file://a/b/c/someRepo.git/somepath?ref=someBranch",
            "file://",
            "a/b/c/someRepo.git",
            "somepath",
            "someBranch",
            "file://a/b/c/someRepo.git",
        ),
        (
            "file://a/b/c/someRepo//somepath?ref=someBranch",
            "file://",
            "a/b/c/someRepo",
            "somepath",
            "someBranch",
            "file://a/b/c/someRepo",
        ),
        (
            "file:///a/b/c/someRepo?ref=someBranch",
            "file://",
            "/a/b/c/someRepo",
            "",
            "someBranch",
            "file:///a/b/c/someRepo",
        ),
        ("file:///", "file://", "/", "", "", "file:///"),
        (
            "ssh://git@github.com/kubernetes-sigs/kustomize//examples/multibases/dev?ref=v1.0.6",
            "git@github.com:",
            "kubernetes-sigs/kustomize",
            "examples/multibases/dev",
            "v1.0.6",
            "git@github.com:kubernetes-sigs/kustomize",
        ),
        (
            "https://example.org/path/to/repo.git/examples/multibases/dev",
            "https://example.org/",
            "path/to/repo.git",
            "examples/multibases/dev",
            "",
            "https://example.org/path/to/repo.git",
        ),
        (
            "ssh://alice@example.com/path/to/repo//examples/multibases/dev",
            "ssh://alice@example.com/",
            "path/to/repo",
            "examples/multibases/dev",
            "",
            "ssh://alice@example.com/path/to/repo",
        ),
        (
            "https://authority/org/repo?ref=group/version",
            "https://authority/",
            "org/repo",
            "",
            "group/version",
            "https://authority/org/repo",
        ),
        (
            "https://authority/org/repo/?ref=includes_git/for_some_reason",
            "https://authority/",
            "org/repo",
            "",
            "includes_git/for_some_reason",
            "https://authority/org/repo",
        ),
        (
            "https://authority/org/repo/%-invalid-uri-so-not-parsable-by-net/url.Parse",
            "https://authority/",
            "org/repo",
            "%-invalid-uri-so-not-parsable-by-net/url.Parse",
            "",
            "https://authority/org/repo",
        ),
        (
            "file://git@home/path/to/repository.git//path?ref=branch",
            "file://",
            "git@home/path/to/repository.git",
            "path",
            "branch",
            "file://git@home/path/to/repository.git",
        ),
        (
            "https://git@home.com/path/to/repository.git//path?ref=branch",
            "https://git@home.com/",
            "path/to/repository.git",
            "path",
            "branch",
            "https://git@home.com/path/to/repository.git",
        ),
        (
            "ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git",
            "ssh://git@ssh.github.com:443/",
            "YOUR-USERNAME/YOUR-REPOSITORY.git",
            "",
            "",
            "ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git",
        ),
        (
            "git@gitlab.com/user:name/YOUR-REPOSITORY.git/path",
            "git@gitlab.com/",
            "user:name/YOUR-REPOSITORY.git",
            "path",
            "",
            "git@gitlab.com/user:name/YOUR-REPOSITORY.git",
        ),
        (
            "https://username@dev.azure.com/org/project/_git/repo//path/to/kustomization/root",
            "https://username@dev.azure.com/",
            "org/project/_git/repo",
            "path/to/kustomization/root",
            "",
            "https://username@dev.azure.com/org/project/_git/repo",
        ),
        (
            "https://org.visualstudio.com/project/_git/repo/path/to/kustomization/root",
            "https://org.visualstudio.com/",
            "project/_git/repo",
            "path/to/kustomization/root",
            "",
            "https://org.visualstudio.com/project/_git/repo",
        ),
        (
            "ssh://org-12345@github.com/kubernetes-sigs/kustomize",
            "org-12345@github.com:",
            "kubernetes-sigs/kustomize",
            "",
            "",
            "org-12345@github.com:kubernetes-sigs/kustomize",
        ),
        (
            "org-12345@github.com/kubernetes-sigs/kustomize",
            "org-12345@github.com:",
            "kubernetes-sigs/kustomize",
            "",
            "",
            "org-12345@github.com:kubernetes-sigs/kustomize",
        ),
        (
            "git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git",
            "git@gist.github.com:",
            "bc7947cb727d7f9217e7862d961a1ffd.git",
            "",
            "",
            "git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git",
        ),
        (
            "gitHub.com/org/repo/a/b?ref=v2",
            "https://github.com/",
            "org/repo",
            "a/b",
            "v2",
            "https://github.com/org/repo",
        ),
        (
            "github.com:org/repo",
            "https://github.com/",
            "org/repo",
            "",
            "",
            "https://github.com/org/repo",
        ),
        (
            "hTTps://github.com/org/repo",
            "https://github.com/",
            "org/repo",
            "",
            "",
            "https://github.com/org/repo",
        ),
        (
            "git::git@github.com:org/repo//x",
            "git@github.com:",
            "org/repo",
            "x",
            "",
            "git@github.com:org/repo",
        ),
        (
            "ssh://git.example.com:7999/org/repo",
            "ssh://git.example.com:7999/",
            "org/repo",
            "",
            "",
            "ssh://git.example.com:7999/org/repo",
        ),
    ];

    #[test]
    fn parses_every_form_kustomize_accepts() {
        for (entry, host, repo, kust, reference, clone) in FORMS {
            let s = spec(entry);
            assert_eq!(
                (
                    s.host.as_str(),
                    s.repo_path.as_str(),
                    s.kust_root_path.as_str(),
                    s.reference.as_str()
                ),
                (*host, *repo, *kust, *reference),
                "{entry}"
            );
            assert_eq!(s.clone_spec(), *clone, "{entry}");
        }
    }

    /// Every combination of host spelling, repository, path and ref kustomize's own tests try.
    #[test]
    fn parses_every_combination_of_host_path_and_ref() {
        let hosts = [
            ("gitHub.com/", "https://github.com/"),
            ("github.com:", "https://github.com/"),
            ("http://github.com/", "https://github.com/"),
            ("https://github.com/", "https://github.com/"),
            ("hTTps://github.com/", "https://github.com/"),
            (
                "https://git-codecommit.us-east-2.amazonaws.com/",
                "https://git-codecommit.us-east-2.amazonaws.com/",
            ),
            (
                "https://fabrikops2.visualstudio.com/",
                "https://fabrikops2.visualstudio.com/",
            ),
            ("ssh://git.example.com:7999/", "ssh://git.example.com:7999/"),
            ("git::https://gitlab.com/", "https://gitlab.com/"),
            ("git::http://git.example.com/", "http://git.example.com/"),
            ("git::https://git.example.com/", "https://git.example.com/"),
            ("git@github.com:", "git@github.com:"),
            ("git@github.com/", "git@github.com:"),
            ("git::git@github.com:", "git@github.com:"),
            ("org-12345@github.com:", "org-12345@github.com:"),
            ("org-12345@github.com/", "org-12345@github.com:"),
        ];
        let mut count = 0;
        for (raw_host, host) in hosts {
            for repo in ["someOrg/someRepo", "kubernetes/website"] {
                for path in ["README.md", "foo/krusty.txt", ""] {
                    for reference in ["group/version", "someBranch", "master", "v0.1.0", ""] {
                        let mut entry = format!("{raw_host}{repo}");
                        if !path.is_empty() {
                            entry = format!("{entry}/{path}");
                        }
                        if !reference.is_empty() {
                            entry = format!("{entry}?ref={reference}");
                        }
                        let s = spec(&entry);
                        assert_eq!(
                            (
                                s.host.as_str(),
                                s.repo_path.as_str(),
                                s.kust_root_path.as_str(),
                                s.reference.as_str()
                            ),
                            (host, repo, path, reference),
                            "{entry}"
                        );
                        count += 1;
                    }
                }
            }
        }
        assert_eq!(count, 480);
    }

    #[test]
    fn rejects_what_kustomize_treats_as_local_or_invalid() {
        for (entry, why) in [
            ("/tmp", "uri looks like abs path"),
            ("../../tmp", "failed to parse scheme"),
            ("src/github.com/org/repo/path", "failed to parse scheme"),
            ("iauhsdiuashduas", "failed to parse scheme"),
            ("htxxxtp://github.com/", "failed to parse scheme"),
            ("ssh://git.example.com", "failed to parse repo path segment"),
            ("git::___", "failed to parse scheme"),
            (
                "https://host?ref=group/version/minor_version",
                "failed to parse repo path segment",
            ),
            (
                "https://github.com/org/repo.git//path/../../exits/repo",
                "url path exits repo",
            ),
            ("github.com!org/repo.git//path", "failed to parse scheme"),
            ("gh:org/repo", "failed to parse scheme"),
            (
                "https://github.com/thisisa404.yaml",
                "failed to parse repo path segment",
            ),
            (
                "file:////tmp//path/to/whatever",
                "failed to parse repo path segment",
            ),
            (
                "git@scp://github.com/org/repo.git//path",
                "failed to parse repo path segment",
            ),
            (
                "git@ssh://github.com/org/repo.git//path",
                "failed to parse repo path segment",
            ),
            ("github.com/just-one", "failed to parse repo path segment"),
            ("base", "failed to parse scheme"),
        ] {
            let err = RepoSpec::parse(entry).expect_err(entry);
            assert!(err.contains(why), "{entry}: {err}");
        }
    }

    #[test]
    fn reads_the_query_as_kustomize_does() {
        let secs = Duration::from_secs;
        for (query, reference, timeout, submodules) in [
            ("", "", DEFAULT_TIMEOUT, true),
            (
                "ref=kustomize/v4.5.7",
                "kustomize/v4.5.7",
                DEFAULT_TIMEOUT,
                true,
            ),
            ("version=master&ref=v1.0.0", "v1.0.0", DEFAULT_TIMEOUT, true),
            (
                "version=master&submodules=",
                "master",
                DEFAULT_TIMEOUT,
                true,
            ),
            (
                "version=master&submodules=maybe",
                "master",
                DEFAULT_TIMEOUT,
                true,
            ),
            (
                "version=master&submodules=F",
                "master",
                DEFAULT_TIMEOUT,
                false,
            ),
            (
                "version=master&timeout=jiffy",
                "master",
                DEFAULT_TIMEOUT,
                true,
            ),
            ("version=master&timeout=0", "master", DEFAULT_TIMEOUT, true),
            ("version=master&timeout=0s", "master", DEFAULT_TIMEOUT, true),
            ("version=master&timeout=-5", "master", DEFAULT_TIMEOUT, true),
            ("version=master&timeout=61", "master", secs(61), true),
            ("version=master&timeout=1m1s", "master", secs(61), true),
            ("timeout=1.5s", "", Duration::from_millis(1500), true),
            (
                "timeout=250ms&submodules=false",
                "",
                Duration::from_millis(250),
                false,
            ),
            // A malformed query means all defaults, the ref included.
            ("ref=v1;x", "", DEFAULT_TIMEOUT, true),
            ("ref=v1&x=%zz", "", DEFAULT_TIMEOUT, true),
            ("ref=a+b%2Fc", "a b/c", DEFAULT_TIMEOUT, true),
            ("ref=&version=v3", "v3", DEFAULT_TIMEOUT, true),
        ] {
            assert_eq!(
                parse_query(query),
                (reference.to_owned(), timeout, submodules),
                "{query}"
            );
        }
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1h2m3s"), Some(Duration::from_secs(3723)));
        assert_eq!(parse_go_duration(".5s"), Some(Duration::from_millis(500)));
        assert_eq!(
            parse_go_duration("10\u{b5}s"),
            Some(Duration::from_micros(10))
        );
        assert_eq!(parse_go_duration("5"), None);
        assert_eq!(parse_go_duration("s"), None);
        assert_eq!(parse_go_duration("."), None);
        assert_eq!(parse_go_duration("1d"), None);
        assert_eq!(parse_go_duration("-1s"), None);
    }

    #[test]
    fn origin_paths_follow_kustomizes_placeholder() {
        assert_eq!(spec("github.com/org/repo").origin_path(), "notCloned");
        assert_eq!(spec("github.com/org/repo//.").origin_path(), "notCloned");
        assert_eq!(spec("github.com/org/repo//a/b/").origin_path(), "a/b");
    }

    #[test]
    fn remote_files_are_http_urls() {
        assert!(is_remote_file("https://example.com/x.yaml"));
        assert!(is_remote_file("HTTP://example.com:8080/x.yaml"));
        assert!(!is_remote_file("http://example.com:80a/x.yaml"));
        assert!(!is_remote_file("ftp://example.com/x.yaml"));
        assert!(!is_remote_file("github.com/org/repo"));
        assert!(!is_remote_file("cm.yaml"));
        assert!(!is_remote_file("https://exa mple.com/\u{7}"));
    }
}
