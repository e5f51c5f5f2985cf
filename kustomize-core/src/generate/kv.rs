//! Key-value sources of generators: env files, literals and files, in that order.

use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::load::kustomization::GeneratorArgs;
use crate::load::Loader;

/// The pairs a generator's sources give, in kustomize's order: env files, literals, files.
pub(super) fn load_pairs(
    loader: &Loader<'_>,
    args: &GeneratorArgs,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut pairs = Vec::new();
    for path in &args.envs {
        let content = loader
            .read(path)
            .with_context(|| format!("env source files: {:?}", args.envs))?;
        pairs
            .extend(env_file_pairs(&content).with_context(|| format!("env source file '{path}'"))?);
    }
    for literal in &args.literals {
        let (k, v) = literal_pair(literal)?;
        pairs.push((k, v.into_bytes()));
    }
    for source in &args.files {
        let (key, path) = file_source(source)?;
        let content = loader
            .read(&path)
            .with_context(|| format!("file sources: {:?}", args.files))?;
        pairs.push((key, content));
    }
    Ok(pairs)
}

/// `KEY=VALUE` lines; blank lines and `#` comments skipped; a line without `=` is a key with an
/// empty value; leading whitespace and a UTF-8 byte order mark on the first line are dropped.
fn env_file_pairs(content: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut pairs = Vec::new();
    // Go's bufio.Scanner splits at "\n" and drops one trailing "\r".
    let mut lines: Vec<&[u8]> = content.split(|&b| b == b'\n').collect();
    if content.ends_with(b"\n") || content.is_empty() {
        lines.pop();
    }
    for (i, raw) in lines.into_iter().enumerate() {
        let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = std::str::from_utf8(line).map_err(|_| {
            Error::new(
                ErrorKind::Transform,
                format!(
                    "line {} has invalid utf8 bytes : {}",
                    i,
                    String::from_utf8_lossy(line)
                ),
            )
        })?;
        let mut text = text;
        if i == 0 {
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        text = text.trim_start();
        line = text.as_bytes();
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        if key.is_empty() {
            continue;
        }
        pairs.push((key.to_owned(), value.as_bytes().to_vec()));
    }
    Ok(pairs)
}

/// `KEY=VALUE`, one pair of matching outer quotes around the value removed.
fn literal_pair(source: &str) -> Result<(String, String)> {
    let invalid = || {
        Error::new(
            ErrorKind::Transform,
            format!("literal sources: invalid literal source {source}, expected key=value"),
        )
    };
    let (key, value) = source.split_once('=').ok_or_else(invalid)?;
    if key.is_empty() {
        return Err(invalid());
    }
    let b = value.as_bytes();
    let unquoted = if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        &value[1..value.len() - 1]
    } else {
        value
    };
    Ok((key.to_owned(), unquoted.to_owned()))
}

/// `[KEY=]PATH`; the key defaults to the file's base name.
fn file_source(source: &str) -> Result<(String, String)> {
    let err = |msg: String| Error::new(ErrorKind::Transform, format!("file sources: {msg}"));
    match source.matches('=').count() {
        0 => {
            let base = source
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(source);
            let base = if base.is_empty() { "/" } else { base };
            Ok((base.to_owned(), source.to_owned()))
        }
        1 => {
            let (key, path) = source.split_once('=').unwrap_or_default();
            if key.is_empty() {
                Err(err(format!(
                    "missing key name for file path {path:?} in source {source:?}"
                )))
            } else if path.is_empty() {
                Err(err(format!(
                    "missing file path for key name {key:?} in source {source:?}"
                )))
            } else {
                Ok((key.to_owned(), path.to_owned()))
            }
        }
        _ => Err(err(format!(
            "source {source:?} key name or file path contains '='"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_follow_kustomize() {
        let pairs = env_file_pairs(b"\xef\xbb\xbfA=1\n  # c\n\nB\nC=x=y\r\n  D = 2").unwrap();
        let got: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
            .collect();
        assert_eq!(
            got,
            [("A", "1"), ("B", ""), ("C", "x=y"), ("D ", " 2")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn literals_and_file_sources() {
        assert_eq!(literal_pair("a='b c'").unwrap(), ("a".into(), "b c".into()));
        assert_eq!(literal_pair("a=\"b'").unwrap(), ("a".into(), "\"b'".into()));
        assert!(literal_pair("=x").is_err());
        assert!(literal_pair("novalue").is_err());
        assert_eq!(
            file_source("dir/app.conf").unwrap(),
            ("app.conf".into(), "dir/app.conf".into())
        );
        assert_eq!(
            file_source("k=dir/app.conf").unwrap(),
            ("k".into(), "dir/app.conf".into())
        );
        assert!(file_source("=x").is_err());
        assert!(file_source("a=b=c").is_err());
    }
}
