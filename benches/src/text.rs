//! The seeded randomness and the prose the generator writes: a small PRNG, names, descriptions,
//! and YAML scalar quoting for the text it writes.

/// SplitMix64: tiny, fast, and the same sequence on every platform, which is all a generator of
/// benchmark input needs (no dependency, no version drift changing the tree).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for part `index` of something seeded with `seed`, so that adding
    /// parts (a larger scale) never changes the parts already there.
    pub fn derive(seed: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Ordinary lower-case words: none is a YAML keyword (`yes`, `no`, `on`, `null`, ...), so a
/// sentence of them is a plain scalar unless punctuation says otherwise.
pub const WORDS: &[&str] = &[
    "account",
    "address",
    "agent",
    "allocation",
    "annotation",
    "api",
    "application",
    "argument",
    "artifact",
    "attempt",
    "backend",
    "backoff",
    "batch",
    "binding",
    "boundary",
    "bucket",
    "buffer",
    "cache",
    "capacity",
    "certificate",
    "channel",
    "check",
    "claim",
    "client",
    "cluster",
    "code",
    "command",
    "component",
    "condition",
    "config",
    "connection",
    "constraint",
    "container",
    "context",
    "controller",
    "count",
    "credential",
    "cron",
    "data",
    "deadline",
    "default",
    "delay",
    "deployment",
    "description",
    "destination",
    "device",
    "directory",
    "disk",
    "domain",
    "driver",
    "duration",
    "endpoint",
    "entry",
    "environment",
    "event",
    "executor",
    "experiment",
    "field",
    "file",
    "filter",
    "format",
    "gateway",
    "generation",
    "group",
    "handler",
    "header",
    "host",
    "identity",
    "image",
    "index",
    "input",
    "instance",
    "interval",
    "job",
    "key",
    "kind",
    "label",
    "launcher",
    "layer",
    "lease",
    "level",
    "limit",
    "list",
    "listener",
    "log",
    "manager",
    "map",
    "master",
    "memory",
    "message",
    "metadata",
    "metric",
    "mode",
    "model",
    "monitor",
    "mount",
    "name",
    "namespace",
    "network",
    "node",
    "object",
    "observer",
    "operator",
    "option",
    "output",
    "owner",
    "parameter",
    "path",
    "pattern",
    "peer",
    "phase",
    "pipeline",
    "plugin",
    "policy",
    "pool",
    "port",
    "priority",
    "probe",
    "process",
    "profile",
    "protocol",
    "provider",
    "proxy",
    "queue",
    "quota",
    "range",
    "rate",
    "reason",
    "record",
    "reference",
    "region",
    "registry",
    "replica",
    "report",
    "request",
    "resource",
    "result",
    "retry",
    "revision",
    "role",
    "route",
    "rule",
    "run",
    "runtime",
    "sample",
    "scheduler",
    "schema",
    "scope",
    "secret",
    "selector",
    "server",
    "service",
    "session",
    "setting",
    "shard",
    "signal",
    "size",
    "snapshot",
    "source",
    "spec",
    "stage",
    "state",
    "status",
    "step",
    "storage",
    "strategy",
    "stream",
    "subject",
    "suffix",
    "target",
    "task",
    "template",
    "tenant",
    "threshold",
    "timeout",
    "token",
    "topic",
    "trace",
    "trial",
    "trigger",
    "type",
    "update",
    "user",
    "value",
    "version",
    "volume",
    "weight",
    "window",
    "worker",
    "workload",
    "zone",
    "is",
    "the",
    "of",
    "to",
    "for",
    "when",
    "which",
    "that",
    "and",
    "or",
    "with",
    "by",
    "must",
    "may",
    "should",
    "be",
    "used",
    "set",
    "specifies",
    "defines",
    "holds",
    "controls",
    "describes",
    "selects",
    "contains",
    "applies",
];

/// Names of the generated applications; an app is `<name><round>` (`atlas0`, `atlas1`, ...).
pub const APP_NAMES: &[&str] = &[
    "atlas", "beacon", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "iris", "juniper",
    "kestrel", "lumen", "meridian", "nimbus", "onyx", "polaris", "quartz", "raven", "sierra",
    "tundra", "umber", "vesper", "willow", "xenon", "yarrow", "zephyr",
];

/// Nouns for the kinds of custom resources.
pub const KIND_NOUNS: &[&str] = &[
    "Pipeline",
    "Experiment",
    "Trial",
    "Notebook",
    "Profile",
    "Job",
    "Model",
    "Server",
    "Runtime",
    "Dataset",
    "Workflow",
    "Schedule",
    "Endpoint",
    "Policy",
    "Volume",
    "Viewer",
    "Cluster",
    "Tensorboard",
    "Suggestion",
    "Artifact",
];

/// Upper-cases the first letter.
pub fn capitalize(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A lowerCamelCase field name of one to three words.
pub fn field_name(rng: &mut Rng) -> String {
    let n = rng.range(1, 3);
    let mut s = String::new();
    for i in 0..n {
        let w = loop {
            let w = *rng.pick(WORDS);
            // Function words make poor field names.
            if w.len() > 3 {
                break w;
            }
        };
        if i == 0 {
            s.push_str(w);
        } else {
            s.push_str(&capitalize(w));
        }
    }
    s
}

/// A sentence of `lo..=hi` words, capitalized, ending with a full stop.
pub fn sentence(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = *rng.pick(WORDS);
        if i == 0 {
            s.push_str(&capitalize(w));
        } else {
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A description as controller-gen writes them: usually one or a few sentences on one line,
/// sometimes with punctuation that forces quoting, sometimes several lines.
pub fn description(rng: &mut Rng) -> String {
    let roll = rng.below(100);
    if roll < 12 {
        // Several lines: printed as a literal block.
        let lines = rng.range(2, 5);
        let mut s = String::new();
        for i in 0..lines {
            if i > 0 {
                s.push('\n');
            }
            if rng.chance(25) {
                s.push_str("- ");
            }
            s.push_str(&sentence(rng, 4, 16));
        }
        s
    } else if roll < 24 {
        // A colon-space and quotes: needs quoting in YAML.
        format!(
            "{} Defaults to \"{}\": {}",
            sentence(rng, 5, 14),
            rng.pick(WORDS),
            sentence(rng, 4, 10)
        )
    } else {
        let n = rng.range(1, 3);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&sentence(rng, 6, 24));
        }
        s
    }
}

/// `s` as a YAML double-quoted scalar.
pub fn dq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Appends `key: <text>` at `indent`, choosing the input style a hand-written or generated
/// manifest would use: plain when safe, a literal block for several lines, otherwise quoted.
pub fn write_text_field(out: &mut String, indent: usize, key: &str, text: &str) {
    pad(out, indent);
    out.push_str(key);
    out.push(':');
    if text.contains('\n') {
        out.push_str(" |-\n");
        for line in text.lines() {
            pad(out, indent + 2);
            out.push_str(line);
            out.push('\n');
        }
    } else if text.contains(": ") || text.contains(" #") || text.contains('"') {
        // Single quotes, as controller-gen writes such strings.
        out.push_str(" '");
        out.push_str(&text.replace('\'', "''"));
        out.push_str("'\n");
    } else {
        out.push(' ');
        out.push_str(text);
        out.push('\n');
    }
}

/// Appends `n` spaces.
pub fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// `n` random lower-case hex digits.
pub fn hex(rng: &mut Rng, n: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    (0..n).map(|_| HEX[rng.below(16)] as char).collect()
}

/// One of [`WORDS`].
pub fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.below(WORDS.len())]
}
