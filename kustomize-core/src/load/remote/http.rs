//! Single files over HTTP(S), as kustomize's loader fetches them: a GET following redirects, any
//! 2xx answer is the file.

use std::net::IpAddr;
use std::time::Duration;

/// What the server answered.
#[derive(Debug)]
pub(crate) enum Answer {
    /// A 2xx answer: the file, and how long the server says a copy stays fresh.
    File {
        /// The body.
        body: Vec<u8>,
        /// `Cache-Control: max-age` less `Age`; `None` when the answer may not be reused.
        fresh_for: Option<Duration>,
    },
    /// Any other status.
    Status(u16),
}

/// Fetches `url`, giving up after `timeout`.
pub(crate) fn get(url: &str, timeout: Duration) -> Result<Answer, String> {
    let url = escape(url);
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .proxy(proxy_for(&url))
        .tls_config(tls)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let mut response = agent.get(&url).call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    if !(200..=299).contains(&status) {
        return Ok(Answer::Status(status));
    }
    let fresh_for = freshness(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        response.headers().get("age").and_then(|v| v.to_str().ok()),
    );
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    Ok(Answer::File { body, fresh_for })
}

/// How long an answer may be reused, from its `Cache-Control` and `Age` headers.
fn freshness(cache_control: Option<&str>, age: Option<&str>) -> Option<Duration> {
    let mut max_age = None;
    for directive in cache_control?.split(',') {
        let directive = directive.trim();
        let (name, value) = directive.split_once('=').unwrap_or((directive, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "no-store" | "no-cache" => return None,
            "max-age" => max_age = value.trim().trim_matches('"').parse::<u64>().ok(),
            _ => {}
        }
    }
    let age = age.and_then(|a| a.trim().parse::<u64>().ok()).unwrap_or(0);
    max_age
        .and_then(|m| m.checked_sub(age))
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
}

/// The URL with the characters a request line cannot hold percent-encoded, as Go's URL type
/// writes them back out.
fn escape(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b > 0x20 && b < 0x7f && !b"\"<>\\^`{|}#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The proxy Go's HTTP client would use for `url`: `HTTPS_PROXY` for https and `HTTP_PROXY` for
/// http (either case), unless the host is loopback or listed in `NO_PROXY`.
fn proxy_for(url: &str) -> Option<ureq::Proxy> {
    let env = |name: &str| {
        std::env::var(name.to_ascii_uppercase())
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var(name).ok().filter(|v| !v.is_empty()))
    };
    let (scheme, rest) = url.split_once("://")?;
    let https = scheme.eq_ignore_ascii_case("https");
    let proxy = env(if https { "https_proxy" } else { "http_proxy" })?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_host_port(host_port);
    let port = port.unwrap_or(if https { "443" } else { "80" });
    if bypasses_proxy(host, port, env("no_proxy").as_deref().unwrap_or("")) {
        return None;
    }
    let proxy = if proxy.contains("://") {
        proxy
    } else {
        format!("http://{proxy}")
    };
    ureq::Proxy::new(&proxy).ok()
}

fn split_host_port(s: &str) -> (&str, Option<&str>) {
    if let Some(v6) = s.strip_prefix('[') {
        return match v6.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (s, None),
        };
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, Some(p)),
        _ => (s, None),
    }
}

/// Go's rules: loopback hosts never use a proxy; `NO_PROXY` lists `*`, hosts, domains (with or
/// without a leading dot, matching subdomains) and IP addresses, each optionally with a port.
fn bypasses_proxy(host: &str, port: &str, no_proxy: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        return true;
    }
    no_proxy
        .split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let (name, entry_port) = split_host_port(&entry);
            if entry_port.is_some_and(|p| p != port) {
                return false;
            }
            match name.strip_prefix('.') {
                Some(domain) => host.ends_with(&format!(".{domain}")),
                None => host == name || host.ends_with(&format!(".{name}")),
            }
        })
}

/// Go's `http.StatusText`.
pub(crate) fn status_text(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_from_headers() {
        let secs = Duration::from_secs;
        assert_eq!(
            freshness(Some("public, max-age=300"), None),
            Some(secs(300))
        );
        assert_eq!(freshness(Some("max-age=300"), Some("100")), Some(secs(200)));
        assert_eq!(freshness(Some("max-age=300"), Some("400")), None);
        assert_eq!(freshness(Some("max-age=300, no-cache"), None), None);
        assert_eq!(freshness(Some("private"), None), None);
        assert_eq!(freshness(None, None), None);
    }

    #[test]
    fn proxies_as_go_does() {
        assert!(bypasses_proxy("127.0.0.1", "80", ""));
        assert!(bypasses_proxy("localhost", "80", ""));
        assert!(bypasses_proxy("::1", "80", ""));
        assert!(!bypasses_proxy("example.com", "443", ""));
        assert!(bypasses_proxy("example.com", "443", "*"));
        assert!(bypasses_proxy("a.example.com", "443", "foo, example.com"));
        assert!(bypasses_proxy("a.example.com", "443", ".example.com"));
        assert!(!bypasses_proxy("example.com", "443", ".example.com"));
        assert!(!bypasses_proxy("example.com", "443", "example.com:80"));
        assert_eq!(split_host_port("[::1]:8080"), ("::1", Some("8080")));
        assert_eq!(split_host_port("h:1"), ("h", Some("1")));
    }

    #[test]
    fn escapes_what_a_request_line_cannot_hold() {
        assert_eq!(escape("http://h/a b"), "http://h/a%20b");
        assert_eq!(escape("http://h/é"), "http://h/%C3%A9");
        assert_eq!(escape("http://h/a?b=c"), "http://h/a?b=c");
    }
}
