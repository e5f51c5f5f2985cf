//! The few YAML shapes gnostic stores vendor-extension values in: a scalar, a list of scalars, a
//! mapping of scalars, or a list of such mappings. Anything else is an error, so that a schema
//! the generator does not understand is noticed rather than misread.

/// A parsed extension value.
#[derive(Debug, PartialEq)]
pub enum Value {
    Scalar(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_strings(&self) -> Option<Vec<String>> {
        match self {
            Value::List(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn scalar(text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return Ok(inner.replace("''", "'"));
    }
    if let Some(inner) = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        if inner.contains('\\') {
            return Err(format!("escapes not supported: {t}"));
        }
        return Ok(inner.to_owned());
    }
    if t.starts_with(['[', '{', '&', '*', '!', '|', '>']) {
        return Err(format!("unsupported scalar: {t}"));
    }
    Ok(t.to_owned())
}

/// `key: value` lines, all at the same indentation.
fn map(lines: &[&str]) -> Result<Value, String> {
    let mut entries = Vec::new();
    for line in lines {
        let (k, v) = line
            .trim()
            .split_once(": ")
            .ok_or_else(|| format!("expected `key: value`: {line}"))?;
        entries.push((scalar(k)?, Value::Scalar(scalar(v)?)));
    }
    Ok(Value::Map(entries))
}

pub fn parse(text: &str) -> Result<Value, String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    match lines.first() {
        None => Ok(Value::Scalar(String::new())),
        Some(first) if first.starts_with("- ") || *first == "-" => {
            let mut items = Vec::new();
            let mut current: Vec<&str> = Vec::new();
            let flush = |current: &mut Vec<&str>, items: &mut Vec<Value>| -> Result<(), String> {
                if current.is_empty() {
                    return Ok(());
                }
                let item = if current.len() == 1 && !current[0].contains(": ") {
                    Value::Scalar(scalar(current[0])?)
                } else {
                    map(current)?
                };
                items.push(item);
                current.clear();
                Ok(())
            };
            for line in &lines {
                if let Some(rest) = line.strip_prefix("- ") {
                    flush(&mut current, &mut items)?;
                    current.push(rest);
                } else if let Some(rest) = line.strip_prefix("  ") {
                    if current.is_empty() {
                        return Err(format!("unexpected line: {line}"));
                    }
                    current.push(rest);
                } else {
                    return Err(format!("unexpected line: {line}"));
                }
            }
            flush(&mut current, &mut items)?;
            Ok(Value::List(items))
        }
        Some(first) if lines.len() == 1 && !first.contains(": ") => {
            Ok(Value::Scalar(scalar(first)?))
        }
        Some(_) => map(&lines),
    }
}
